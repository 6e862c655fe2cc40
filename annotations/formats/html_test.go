package formats

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"

	"github.com/gloss-notes/gloss/annotations"
)

// Small pages are below readability's threshold, so these test the text
// walk itself on the whole body.
func TestReadArticle_HTMLText(t *testing.T) {
	tests := []struct {
		name string
		html string
		want string
	}{
		{
			name: "paragraphs",
			html: "<p>One.</p><p>Two.</p>\n\n\n<p>Three.</p>",
			want: "One.\n\nTwo.\n\nThree.",
		},
		{
			name: "a short page drops its navigation, banner and footer",
			html: "<header><a href=/>Site</a></header><nav>Menu Home About</nav><div role=navigation>Skip</div>" +
				"<article><header>By A. Writer</header><p>The text.</p></article><aside>Related</aside><footer>Copyright</footer>",
			want: "By A. Writer\n\nThe text.",
		},
		{
			name: "inline white space collapsed",
			html: "<p>  Hello,\n\t <b>bold</b>   <i> world </i>!  </p>",
			want: "Hello, bold world !",
		},
		{
			name: "no space invented between inline elements",
			html: "<p><b>ex</b><i>ample</i> and <a href=x>link</a>.</p>",
			want: "example and link.",
		},
		{
			name: "br",
			html: "<p>line one<br>line two<br/>\n line three</p>",
			want: "line one\nline two\nline three",
		},
		{
			name: "two br leave one empty line",
			html: "<p>stanza one<br><br>stanza two<br><br><br><br>stanza three<br></p><p>next</p>",
			want: "stanza one\n\nstanza two\n\nstanza three\n\nnext",
		},
		{
			name: "unordered list",
			html: "<p>Items:</p><ul><li>one</li><li> two </li><li><p>three</p></li></ul><p>After.</p>",
			want: "Items:\n\n• one\n\n• two\n\n• three\n\nAfter.",
		},
		{
			name: "ordered list with start and value",
			html: `<ol start="3"><li>three</li><li>four</li><li value="10">ten</li><li>eleven</li></ol>`,
			want: "3. three\n\n4. four\n\n10. ten\n\n11. eleven",
		},
		{
			name: "nested list",
			html: "<ul><li>outer<ol><li>inner</li><li>inner two</li></ol></li><li>last</li></ul>",
			want: "• outer\n\n  1. inner\n\n  2. inner two\n\n• last",
		},
		{
			name: "empty list item adds no marker",
			html: "<ul><li></li><li>real</li></ul><p>text</p>",
			want: "• real\n\ntext",
		},
		{
			name: "pre keeps white space",
			html: "<p>Code:</p><pre>func main() {\n\tfmt.Println(\"hi\")   \n\n\n}\n</pre><p>Done.</p>",
			want: "Code:\n\nfunc main() {\n\tfmt.Println(\"hi\")\n\n}\n\nDone.",
		},
		{
			name: "entities decoded",
			html: "<p>Fish &amp; chips &lt;3 &eacute;t&eacute; &#8212; &#x263A; a&nbsp;b &copy; &quot;q&quot;</p>",
			want: "Fish & chips <3 été — ☺ a\u00a0b © \"q\"",
		},
		{
			name: "script, style and friends dropped",
			html: `<style>p { color: red }</style><script>alert("x")</script><p>Visible<script>var a = "<p>no</p>";</script> text.</p><noscript>Enable JS</noscript><template><p>tpl</p></template><button>Click</button><select><option>opt</option></select>`,
			want: "Visible text.",
		},
		{
			name: "hidden elements dropped",
			html: `<p>Shown.</p><p hidden>Hidden.</p><div style="display: none">Gone.</div><span aria-hidden="true">icon</span><p>End.</p>`,
			want: "Shown.\n\nEnd.",
		},
		{
			name: "headings are paragraphs",
			html: "<h1>Title</h1>Intro text<h2>Part <em>one</em></h2><p>Body.</p><h3>Part two</h3>",
			want: "Title\n\nIntro text\n\nPart one\n\nBody.\n\nPart two",
		},
		{
			name: "blocks nest without extra blank lines",
			html: "<article><section><div><div><p>Deep.</p></div></div></section><blockquote><p>Quoted.</p><p>More.</p></blockquote><figure><img src=x alt=pic><figcaption>Caption.</figcaption></figure></article>",
			want: "Deep.\n\nQuoted.\n\nMore.\n\nCaption.",
		},
		{
			name: "table rows and cells",
			html: "<table><caption>Results</caption><tr><th>Name</th><th>Score</th></tr><tr><td>Ana</td><td>9</td></tr><tr><td>Bo</td><td>7</td></tr></table>",
			want: "Results\n\nName\tScore\n\nAna\t9\n\nBo\t7",
		},
		{
			name: "soft hyphens and comments dropped",
			html: "<p>in\u00adcom\u00adpre&shy;hen&shy;sible<!-- a comment --> word</p>",
			want: "incomprehensible word",
		},
		{
			name: "spacer paragraphs",
			html: "<p>a</p><p>&nbsp;</p><p> &nbsp; </p><div>&#160;</div><p>b&nbsp;</p>",
			want: "a\n\nb",
		},
		{
			name: "definition list",
			html: "<dl><dt>Term</dt><dd>Definition.</dd></dl>",
			want: "Term\n\nDefinition.",
		},
		{
			name: "text directly in body and divs",
			html: "Loose text<div>In a div</div>tail",
			want: "Loose text\n\nIn a div\n\ntail",
		},
		{
			name: "control characters removed, CR normalised",
			html: "<p>a\x01b\r\nc&#1;d</p>",
			want: "ab cd",
		},
		{
			name: "decomposed text composed (NFC)",
			html: "<p>Cafe\u0301</p>",
			want: "Café",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle("page.html", []byte(tt.html))
			if err != nil {
				t.Fatalf("ReadArticle: %v", err)
			}
			if doc.Text != tt.want {
				t.Errorf("text:\n got %q\nwant %q", doc.Text, tt.want)
			}
			if doc.Format != annotations.FormatHTML {
				t.Errorf("format = %q, want html", doc.Format)
			}
		})
	}
}

func TestReadArticle_HTMLListIndentCapped(t *testing.T) {
	doc, err := ReadArticle("a.html", []byte(strings.Repeat("<ul><li>x", 20)))
	if err != nil {
		t.Fatal(err)
	}
	items := strings.Split(doc.Text, "\n\n")
	if len(items) != 20 || items[1] != "  • x" || items[19] != strings.Repeat("  ", 8)+"• x" {
		t.Errorf("items: %q", items)
	}
}

func TestReadArticle_HTMLTitle(t *testing.T) {
	tests := []struct {
		name, file, html, want string
	}{
		{"title element", "a.html", "<title> The  <Title>\n</title><h1>Heading</h1><p>x</p>", "The <Title>"},
		{"first h1 without title", "a.html", "<h2>Sub</h2><h1>First <i>heading</i></h1><h1>Second</h1>", "First heading"},
		{"file name without either", "notes/My Page.htm", "<p>just text</p>", "My Page"},
		{"og:title through readability", "a.html", `<head><meta property="og:title" content="Open Graph title"></head><p>x</p>`, "Open Graph title"},
		{"long title cut", "a.html", "<title>" + strings.Repeat("word ", 40) + "</title><p>x</p>", strings.TrimSpace(strings.Repeat("word ", 24)) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle(tt.file, []byte(tt.html))
			if err != nil {
				t.Fatalf("ReadArticle: %v", err)
			}
			if doc.Title != tt.want {
				t.Errorf("title = %q, want %q", doc.Title, tt.want)
			}
		})
	}
}

// The news page is long enough for readability: what is around the article
// must go, the article's paragraphs must stay, one blank line apart.
func TestReadArticle_HTMLNews(t *testing.T) {
	paragraphs := []string{
		"The city council voted on Tuesday to extend the riverside reading room’s opening hours, a decision that librarians said had been twenty years in the making.",
		"“We have readers queuing at the door at seven in the morning,” said Ana Ribeiro, who has run the room since 2009. “Students, retired engineers, a man who is annotating every volume of Gibbon.”",
		"The extension will cost €48,000 a year & will be paid for out of the culture budget. Opponents argued that the money would be better spent on digitisation, but the motion passed by eleven votes to four.",
		"Ribeiro said the room would also lend pencils – “never pens” – to anyone who asked.",
	}
	doc := readFile(t, "news.html")
	if want := strings.Join(paragraphs, "\n\n"); doc.Text != want {
		t.Errorf("text:\n got %q\nwant %q", doc.Text, want)
	}
	if doc.Title != "Reading room to stay open late" {
		t.Errorf("title = %q", doc.Title)
	}
	for _, junk := range []string{"Advertisement", "Sport", "Weather", "tracker", "console.log", "Most read", "All rights reserved", "Privacy", "font-family"} {
		if strings.Contains(doc.Text, junk) {
			t.Errorf("text holds %q from outside the article", junk)
		}
	}

	t.Run("iso-8859-1 variant", func(t *testing.T) {
		doc := readFile(t, "news-latin1.html")
		if !strings.Contains(doc.Text, "a señora from Málaga who reads Pessoa in the café.") {
			t.Errorf("Latin-1 text not decoded: %q", doc.Text)
		}
		if doc.Title != "Reading room to stay open late" {
			t.Errorf("title = %q", doc.Title)
		}
		if n := strings.Count(doc.Text, "\n\n"); n != 3 {
			t.Errorf("%d paragraph breaks, want 3: %q", n, doc.Text)
		}
	})
}

func TestReadArticle_HTMLCharset(t *testing.T) {
	latin1 := func(s string) string {
		b, err := charmap.ISO8859_1.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cyr := func(s string) string {
		b, err := charmap.Windows1251.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name, page, want string
	}{
		{"meta charset", `<meta charset="iso-8859-1"><p>` + latin1("Ça coûte très cher") + `</p>`, "Ça coûte très cher"},
		{"meta http-equiv", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>` + cyr("Привет, мир") + `</p>`, "Привет, мир"},
		{"declared windows-1251 wins over guessing", `<meta charset="windows-1251"><p>` + cyr("Ёж") + `</p>`, "Ёж"},
		{"undeclared Latin-1 is detected", `<p>` + latin1("Où est la bibliothèque ? Près de la gare.") + `</p>`, "Où est la bibliothèque ? Près de la gare."},
		{"UTF-8 bytes under a wrong declaration stay UTF-8", `<meta charset="iso-8859-1"><p>naïve café</p>`, "naïve café"},
		{"declared UTF-8 but Latin-1 bytes", `<meta charset="utf-8"><p>` + latin1("déjà vu") + `</p>`, "déjà vu"},
		{"undeclared ISO-2022-JP", "<p>\x1b$BF|K\\8l\x1b(B</p>", "日本語"},
		{"UTF-16 BOM wins over meta", "\xFF\xFE" + utf16le(`<meta charset="iso-8859-1"><p>Grüße</p>`), "Grüße"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle("page.html", []byte(tt.page))
			if err != nil {
				t.Fatalf("ReadArticle: %v", err)
			}
			if doc.Text != tt.want {
				t.Errorf("text = %q, want %q", doc.Text, tt.want)
			}
		})
	}
}

// Deeply nested markup makes the HTML parser quadratic: such pages must be
// refused quickly, while sloppy but ordinary markup (unclosed p, li, td…)
// must still be read.
func TestDeclaredEncoding(t *testing.T) {
	tests := []struct {
		page string
		want string // "" for none
	}{
		{`<meta charset="iso-8859-1"><p>x`, "windows-1252"},
		{`<meta charset=windows-1252><p>caf\xE9`, "windows-1252"},
		{`<meta http-equiv="content-type" content="text/html; charset=KOI8-R">`, "koi8-r"},
		{`<meta charset="shift_jis">`, "shift_jis"},
		{`<meta charset="utf-8"><p>caf\xE9`, ""},
		{`<meta charset="utf-16">`, ""}, // taken as UTF-8, as browsers do
		{`<p>no declaration caf\xE9`, ""},
		{`<p>no declaration`, ""},
		{`<meta charset="no-such-charset">`, ""},
		{strings.Repeat(" ", 1100) + `<meta charset="koi8-r">`, ""}, // past the first KiB
	}
	for _, tt := range tests {
		t.Run(tt.page[:min(len(tt.page), 40)], func(t *testing.T) {
			enc, got := declaredEncoding([]byte(tt.page))
			if got != tt.want || (enc == nil) != (got == "") {
				t.Errorf("declaredEncoding = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadArticle_HTMLTooCostly(t *testing.T) {
	tests := []struct {
		name    string
		page    string
		refused bool
	}{
		{"nested divs", strings.Repeat("<div>", 50_000) + "deep", true},
		{"nested lists", strings.Repeat("<ul><li>", 50_000) + "item", true},
		{"links around blocks", strings.Repeat("<a><div>", 50_000) + "x", true},
		{"formatting reopened in links", strings.Repeat("<a><b>", 50_000) + "x", true},
		{"spans across blocks", strings.Repeat("<span><div></span>", 30_000) + "x", true},
		{"text between ignored tags", strings.Repeat("<th>x", 200_000), true},
		{"text between stray end tags", strings.Repeat("x</i>", 200_000), true},
		// golang.org/x/net/html (since the version go-pdfium brings)
		// refuses more than 512 elements open at once.
		{"nested spans, too deep for the parser", strings.Repeat("<span>", 5_000) + "deep", true},
		{"nested tables, too deep for the parser", strings.Repeat("<table><tr><td>", 2_000) + "cell", true},
		{"nested spans, too deep for readability", strings.Repeat("<span>", 500) + "deep", false},
		{"unclosed paragraphs are siblings", strings.Repeat("<p>para ", 50_000), false},
		{"unclosed list items", "<ul>" + strings.Repeat("<li>item ", 50_000) + "</ul>", false},
		{"unclosed table cells", "<table>" + strings.Repeat("<tr><td>a<td>b", 30_000) + "</table>", false},
		{"unclosed font inside closed paragraphs", strings.Repeat("<p><font face=serif>text</p>", 30_000), false},
		{"closed divs", strings.Repeat("<div>x</div>", 50_000), false},
		{"svg paths", "<svg>" + strings.Repeat("<path d='M0 0'/>", 50_000) + "</svg><p>text</p>", false},
		{"nested forms are one form", strings.Repeat("<form>", 50_000) + "x", false},
		{"unclosed links", strings.Repeat("<a href=x>link ", 50_000), false},
		{"unclosed headings", strings.Repeat("<h2>heading ", 50_000), false},
		{"unclosed options", "<select>" + strings.Repeat("<option>o", 50_000) + "</select><p>text</p>", false},
		{"a row of many cells", "<table><tr>" + strings.Repeat("<td>x", 100_000) + "</table>", false},
		{"many definitions", "<dl>" + strings.Repeat("<dt>t<dd>d", 50_000) + "</dl>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			doc, err := ReadArticle("deep.html", []byte(tt.page))
			if tt.refused {
				if !errors.Is(err, ErrUnsupported) {
					t.Fatalf("err = %v, want ErrUnsupported", err)
				}
				checkMessage(t, err, "deep.html is HTML whose markup is too deeply nested or broken to read safely; open it in a browser and save it as text first")
			} else if err != nil || doc.Text == "" {
				t.Errorf("ReadArticle: %d bytes of text, %v", len(doc.Text), err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestParseHTML_Deadline(t *testing.T) {
	r := &deadlineReader{r: strings.NewReader("<p>" + strings.Repeat("text ", 1000)), deadline: time.Now().Add(-time.Second)}
	if _, err := html.Parse(r); !errors.Is(err, errParseTimeout) {
		t.Errorf("parse after the deadline: err = %v, want errParseTimeout", err)
	}
	doc, err := parseHTML("<p>in time</p>")
	if err != nil || textOf(doc) != "in time" {
		t.Errorf("parseHTML: %v", err)
	}
}

// Ordinary pages, however large, are far from the parsing budget.
func TestParseTooCostly_LargePage(t *testing.T) {
	page := generatePage(8 << 20)
	if _, costly := scanPage(page, maxParseWork/8); costly {
		t.Error("an 8 MB page of ordinary markup uses more than an eighth of the budget")
	}
}

func TestLooksLikeHTML(t *testing.T) {
	tests := []struct {
		data string
		want bool
	}{
		{"<!DOCTYPE html><html>", true},
		{"  \n<html lang=en>", true},
		{"<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", true},
		{"<!-- saved from url=(0014)about:internet -->\n<HTML>", true},
		{"<p>A fragment</p>", true},
		{"<b>bold</b>", true},
		{"<br/>", true},
		{"<blockquote>x</blockquote>", false}, // not in the sniffing list; read as text
		{"Plain text that mentions <html> later", false},
		{"<pretend>", false},
		{"# Markdown", false},
		{"<!-- unterminated comment <html>", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			if got := looksLikeHTML([]byte(tt.data)); got != tt.want {
				t.Errorf("looksLikeHTML(%q) = %v, want %v", tt.data, got, tt.want)
			}
		})
	}
}

// BenchmarkReadArticleHTML reads a generated page of about 1 MB: a long
// article inside the usual navigation, sidebars and scripts.
func BenchmarkReadArticleHTML(b *testing.B) {
	page := []byte(generatePage(1 << 20))
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := ReadArticle("big.html", page)
		if err != nil || len(doc.Text) < len(page)/2 {
			b.Fatalf("ReadArticle: %d bytes of text, %v", len(doc.Text), err)
		}
	}
}

func generatePage(size int) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>A long article | Site</title>` +
		`<script>window.tracking = {};</script><style>p{margin:0}</style></head><body>` +
		`<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></nav>` +
		`<div class="ad">Advertisement</div><main><article><h1>A long article</h1>`)
	for i := 0; b.Len() < size; i++ {
		if i%12 == 0 {
			fmt.Fprintf(&b, "<h2>Section %d</h2>\n", i/12+1)
		}
		fmt.Fprintf(&b, "<p>Paragraph %d of the article, with <em>emphasis</em>, a <a href=\"#n%d\">reference</a> "+
			"and some words about reading, memory and marginalia; caf&eacute; &amp; th&eacute;&nbsp;— the usual.</p>\n", i, i)
		if i%40 == 39 {
			b.WriteString("<ul><li>First point</li><li>Second point</li></ul><pre>  code\n    block</pre>\n")
		}
	}
	b.WriteString(`</article><aside>Related stories</aside></main><footer>© Site</footer></body></html>`)
	return b.String()
}

// readFile reads testdata/articles/name with ReadArticleFile.
func readFile(t *testing.T, name string) Document {
	t.Helper()
	doc, err := ReadArticleFile(filepath.Join("testdata", "articles", name))
	if err != nil {
		t.Fatalf("ReadArticleFile(%s): %v", name, err)
	}
	return doc
}

// utf16le encodes s (UTF-8) as UTF-16 LE without a byte order mark.
func utf16le(s string) string {
	var b []byte
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			b = append(b, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
			continue
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

// TestReadArticle_HTMLFetchesNothing serves the resources an article page
// points to and checks that reading the page asks for none of them: no
// image, script, style sheet, frame or redirect is fetched, nothing runs.
func TestReadArticle_HTMLFetchesNothing(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("<p>fetched</p>"))
	}))
	defer srv.Close()
	u := srv.URL
	page := `<html><head><title>Page</title>
<meta http-equiv="refresh" content="0; url=` + u + `/refresh">
<link rel="stylesheet" href="` + u + `/style.css"><link rel="preload" href="` + u + `/font.woff">
<script src="` + u + `/app.js"></script><script>fetch("` + u + `/inline")</script>
<base href="` + u + `/"></head><body>
<article><h1>Page</h1><p>` + strings.Repeat("An article paragraph with enough words to be the content. ", 20) + `</p>
<img src="` + u + `/photo.jpg" srcset="` + u + `/photo2.jpg 2x"><iframe src="` + u + `/frame"></iframe>
<object data="` + u + `/object"></object><video src="` + u + `/video.mp4" poster="` + u + `/poster.jpg"></video>
<p><a href="` + u + `/link">A link</a> and <img src="relative.png"></p></article></body></html>`
	doc, err := ReadArticle("page.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Text, "An article paragraph") {
		t.Errorf("text = %q", doc.Text)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("reading the page made %d requests", n)
	}
}

// TestReadArticle_HTMLTooManyElements: a page of more elements than
// maxHTMLElements is refused before it is parsed, however small its file:
// 50 MB of "<b>x</b>" would take over 2 GB as a tree.
func TestReadArticle_HTMLTooManyElements(t *testing.T) {
	tests := []struct {
		name    string
		page    string
		message string // "" when the page is read
	}{
		{"600,000 bold letters", "<p>" + strings.Repeat("<b>x</b>", 600_000), "big.html has 600,001 HTML elements; Gloss reads pages of up to 500,000: open it in a browser and save it as text first"},
		{"comments count too", "<p>text</p>" + strings.Repeat("<!---->", 500_000), "big.html has 500,001 HTML elements; Gloss reads pages of up to 500,000…"},
		{"paragraphs", strings.Repeat("<p>x</p>", 700_000), "big.html has 700,000 HTML elements…"},
		{"at the bound", "<p>" + strings.Repeat("<b>x</b>", 499_999), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle("big.html", []byte(tt.page))
			if tt.message == "" {
				if err != nil || doc.Text == "" {
					t.Fatalf("ReadArticle: %d bytes of text, %v", len(doc.Text), err)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			checkMessage(t, err, tt.message)
		})
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {500_000, "500,000"}, {999_999, "999,999"},
		{1_000_000, "1 million"}, {6_553_600, "6.6 million"}, {12_000_001, "12 million"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := countWords(tt.n); got != tt.want {
				t.Errorf("countWords(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

// TestTidyLines_NoCopyWhenTidy: linesTidy says exactly when tidyLines has
// nothing to do (then the text is returned as it is, not copied).
func TestTidyLines_NoCopyWhenTidy(t *testing.T) {
	pieces := []string{"a", "b c", "\n", "\n\n", "\n\n\n", " ", "\t", "\u00a0", "é"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := linesTidy(s), tidyLines(s) == s; s != "" && got != want {
			t.Fatalf("linesTidy(%q) = %v, but tidyLines changes it: %v", s, got, !want)
		}
	}
}
