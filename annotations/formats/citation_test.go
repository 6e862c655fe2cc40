package formats

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
)

func TestReadArticle_Citation(t *testing.T) {
	body := `<body><article><h1>On the engine</h1>` + paragraphs(12) + `</article></body>`
	tests := []struct {
		name, file, content string
		want                annotations.Citation
	}{
		{"Highwire tags of a journal", "paper.html", `<html><head><title>On the engine</title>
<meta name="citation_title" content="On the engine">
<meta name="citation_author" content="Lovelace, Ada">
<meta name="citation_author" content="Babbage, Charles">
<meta name="citation_publication_date" content="1843/10/01">
<meta name="citation_doi" content="10.1000/engine.1843">
<link rel="canonical" href="https://journal.example/engine">
</head>` + body + `</html>`, annotations.Citation{Authors: []string{"Lovelace, Ada", "Babbage, Charles"}, Year: 1843,
			DOI: "10.1000/engine.1843", URL: "https://journal.example/engine"}},
		{"Dublin Core and Open Graph", "page.html", `<html><head>
<meta name="DC.creator" content="Grace Hopper">
<meta name="DC.date" content="1952-05-01">
<meta name="DC.identifier" content="doi:10.1145/609784.609818">
<meta property="og:url" content="https://example.org/compiler">
</head>` + body + `</html>`, annotations.Citation{Authors: []string{"Grace Hopper"}, Year: 1952,
			DOI: "10.1145/609784.609818", URL: "https://example.org/compiler"}},
		{"news: author tag and JSON-LD date", "news.html", `<html><head>
<meta name="author" content="Jane Doe and John Roe">
<meta property="article:author" content="https://news.example/staff/jane">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2025-11-26T09:00:00Z"}</script>
</head>` + body + `</html>`, annotations.Citation{Authors: []string{"Jane Doe", "John Roe"}, Year: 2025}},
		{"JSON-LD authors only", "blog.html", `<html><head>
<script type="application/ld+json">{"@graph":[{"@type":"BlogPosting","author":[{"@type":"Person","name":"Ann Writer"}],"datePublished":"2024-02-03"}]}</script>
</head>` + body + `</html>`, annotations.Citation{Authors: []string{"Ann Writer"}, Year: 2024}},
		{"no metadata", "plain.html", `<html><head><title>x</title></head>` + body + `</html>`, annotations.Citation{}},
		{"not a web address", "local.html", `<html><head><link rel="canonical" href="file:///etc/passwd"></head>` + body + `</html>`, annotations.Citation{}},
		{"Markdown front matter", "notes.md", "---\ntitle: Notes\nauthors:\n  - Ada Lovelace\n  - \"Charles Babbage\"\ndate: 1843-10-01\ndoi: https://doi.org/10.1000/notes\nurl: https://example.org/notes\n---\n# Notes\n\nText.",
			annotations.Citation{Authors: []string{"Ada Lovelace", "Charles Babbage"}, Year: 1843, DOI: "10.1000/notes", URL: "https://example.org/notes"}},
		{"Markdown inline list", "notes2.md", "---\nauthor: [A. One, B. Two]\nyear: 2020\n---\nText.",
			annotations.Citation{Authors: []string{"A. One", "B. Two"}, Year: 2020}},
		{"plain text has none", "notes.txt", "Author: Someone\n\nText.", annotations.Citation{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle(tt.file, []byte(tt.content))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Citation, tt.want) {
				t.Errorf("citation %+v, want %+v", doc.Citation, tt.want)
			}
		})
	}
}

// paragraphs returns n paragraphs of article text, enough for readability
// to take the page for an article.
func paragraphs(n int) string {
	s := ""
	for i := range n {
		s += "<p>The analytical engine weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves, paragraph " + string(rune('a'+i%26)) + ", and its operations are many.</p>"
	}
	return s
}

// TestReadArticle_FrontMatterIsNotText reads a Markdown file's front
// matter into the title and citation and leaves it out of the text.
func TestReadArticle_FrontMatterIsNotText(t *testing.T) {
	md := "---\ntitle: Reef notes\nauthor: Mara Okafor\nyear: 2025\n---\n\n# Reef notes\n\nBleaching came back.\n"
	doc, err := ReadArticle("reef.md", []byte(md))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Reef notes" || len(doc.Citation.Authors) != 1 || doc.Citation.Year != 2025 {
		t.Errorf("title %q, citation %+v", doc.Title, doc.Citation)
	}
	if want := "Reef notes\n\nBleaching came back."; doc.Text != want {
		t.Errorf("text %q, want %q", doc.Text, want)
	}
	// A "---" that opens no front matter is a rule: the text after it is
	// kept, even with another rule after the text.
	for md, want := range map[string]string{
		"---\n\nA text after a rule.\n":            "A text after a rule.",
		"---\nA text between rules.\n---\nMore.\n": "A text between rules.\n\nMore.",
	} {
		doc, err = ReadArticle("rule.md", []byte(md))
		if err != nil || doc.Text != want {
			t.Errorf("a leading rule: %q, %v; want %q", doc.Text, err, want)
		}
	}
}

// TestReadArticle_MarkdownRendered reads Markdown as it renders, and a
// file past the limit as written.
func TestReadArticle_MarkdownRendered(t *testing.T) {
	md := "# Title\n\nSome *emphasis*, **strong**, `code` and a [link](https://example.org).\n\n> quoted\n\n1. first\n2. second\n\n<script>alert(1)</script>\n"
	doc, err := ReadArticle("a.md", []byte(md))
	if err != nil {
		t.Fatal(err)
	}
	want := "Title\n\nSome emphasis, strong, code and a link.\n\nquoted\n\n1. first\n\n2. second"
	if doc.Text != want {
		t.Errorf("text %q, want %q", doc.Text, want)
	}
	big := "# Big\n\n" + strings.Repeat("A line of **text** that goes on and on.\n", maxRenderedMarkdown/40+1)
	doc, err = ReadArticle("big.md", []byte(big))
	if err != nil || !strings.HasPrefix(doc.Text, "# Big") {
		t.Errorf("a file over the limit: %.40q, %v", doc.Text, err)
	}
}
