package formats

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gloss-notes/gloss/annotations"
)

// Reading what an article says of itself, for citing it.
//
// HTML pages carry it in <meta> tags, in the vocabularies publishers use:
// Highwire Press tags (citation_author, citation_publication_date,
// citation_doi — what Google Scholar reads, on nearly every journal site),
// Dublin Core (DC.creator, DC.date, DC.identifier), Open Graph's article:
// tags, and the plain author tag; the address from <link rel=canonical> or
// og:url. Markdown files carry it in their YAML front matter (author or
// authors, date or year, doi, url). Nothing found is fine: every part of a
// citation is optional, and the reader can fill it in.

// htmlCitation reads the citation from a page's <meta> and <link> tags.
// byline is readability's guess of the author line, used when the page
// names no author.
func htmlCitation(doc *html.Node) annotations.Citation {
	var c annotations.Citation
	var dates []string
	var doi, canonical, ogURL string
	var jsonLD []string
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Body:
			return false // what describes the page is in its head
		case atom.Meta:
			name := strings.ToLower(strings.TrimSpace(attr(n, "name") + attr(n, "property")))
			content := strings.TrimSpace(attr(n, "content"))
			if content == "" {
				return true
			}
			switch name {
			case "citation_author", "dc.creator", "dcterms.creator", "author", "article:author", "parsely-author", "sailthru.author":
				if !strings.Contains(content, "://") { // article:author is often a profile's address
					c.Authors = append(c.Authors, splitAuthors(name, content)...)
				}
			case "citation_publication_date", "citation_date", "citation_online_date", "citation_year",
				"dc.date", "dc.date.issued", "dcterms.issued", "dcterms.date", "article:published_time",
				"date", "publish-date", "pubdate", "parsely-pub-date":
				dates = append(dates, content)
			case "citation_doi", "prism.doi", "bepress_citation_doi":
				doi = content
			case "dc.identifier", "dcterms.identifier":
				if doi == "" && annotations.NormalizeDOI(content) != "" {
					doi = content
				}
			case "og:url", "citation_public_url", "citation_abstract_html_url":
				if ogURL == "" {
					ogURL = content
				}
			}
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "canonical") && canonical == "" {
				canonical = strings.TrimSpace(attr(n, "href"))
			}
		case atom.Script:
			if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil && len(jsonLD) < 8 {
				jsonLD = append(jsonLD, n.FirstChild.Data)
			}
			return false
		}
		return true
	}, func(*html.Node) {})
	if len(c.Authors) == 0 || len(dates) == 0 {
		authors, date := linkedData(jsonLD)
		if len(c.Authors) == 0 {
			c.Authors = authors
		}
		if date != "" {
			dates = append(dates, date)
		}
	}
	for _, d := range dates {
		if c.Year = yearOf(d); c.Year != 0 {
			break
		}
	}
	c.DOI = annotations.NormalizeDOI(doi)
	for _, u := range []string{canonical, ogURL} {
		if webAddress(u) {
			c.URL = u
			break
		}
	}
	return c
}

// splitAuthors splits a tag that lists several authors in one ("A and B",
// "A; B") — citation_author holds one name each, often "Last, First".
func splitAuthors(tag, content string) []string {
	if tag == "citation_author" || tag == "dc.creator" || tag == "dcterms.creator" {
		return []string{content}
	}
	parts := authorSeparator.Split(content, -1)
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p), "By ")); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// authorSeparator separates names in a list of authors.
var authorSeparator = regexp.MustCompile(`\s*(?:;|\band\b|&)\s*`)

// linkedData reads authors and the date of publication from a page's
// schema.org JSON-LD blocks (news sites often have nothing else).
func linkedData(blocks []string) (authors []string, date string) {
	type thing struct {
		Type          any             `json:"@type"`
		Author        json.RawMessage `json:"author"`
		DatePublished string          `json:"datePublished"`
		Graph         []thing         `json:"@graph"`
	}
	var visit func(t thing)
	visit = func(t thing) {
		if date == "" {
			date = t.DatePublished
		}
		if len(authors) == 0 && len(t.Author) > 0 {
			var one struct{ Name string }
			var many []struct{ Name string }
			var name string
			switch {
			case json.Unmarshal(t.Author, &many) == nil:
				for _, a := range many {
					if a.Name != "" {
						authors = append(authors, a.Name)
					}
				}
			case json.Unmarshal(t.Author, &one) == nil && one.Name != "":
				authors = append(authors, one.Name)
			case json.Unmarshal(t.Author, &name) == nil && name != "":
				authors = append(authors, name)
			}
		}
		for _, g := range t.Graph {
			visit(g)
		}
	}
	for _, b := range blocks {
		if len(b) > 1<<20 {
			continue
		}
		var list []thing
		var one thing
		switch {
		case json.Unmarshal([]byte(b), &list) == nil:
			for _, t := range list {
				visit(t)
			}
		case json.Unmarshal([]byte(b), &one) == nil:
			visit(one)
		}
	}
	return authors, date
}

// yearPattern finds a plausible year of publication in a date.
var yearPattern = regexp.MustCompile(`\b(1[0-9]{3}|2[0-9]{3})\b`)

// yearOf reads the year of a date as pages write them ("2025-11-26",
// "2025/11/26", "26 November 2025", "2025"); 0 when none.
func yearOf(date string) int {
	m := yearPattern.FindString(date)
	if m == "" {
		return 0
	}
	y, _ := strconv.Atoi(m)
	if y < annotations.MinYear || y > annotations.MaxYear {
		return 0
	}
	return y
}

// webAddress reports whether s is an http(s) URL with a host.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// markdownCitation reads the citation from a Markdown file's YAML front
// matter: author or authors (a name, a list, or names separated by "and"
// or ";"), date or year, doi, url (or link, source when a web address).
func markdownCitation(text string) annotations.Citation {
	fields, ok := frontMatterFields(text)
	if !ok {
		return annotations.Citation{}
	}
	var c annotations.Citation
	for _, key := range []string{"authors", "author", "creator"} {
		if vs := fields[key]; len(vs) > 0 {
			for _, v := range vs {
				c.Authors = append(c.Authors, splitAuthors(key, v)...)
			}
			break
		}
	}
	for _, key := range []string{"year", "date", "published"} {
		if vs := fields[key]; len(vs) > 0 {
			if c.Year = yearOf(vs[0]); c.Year != 0 {
				break
			}
		}
	}
	if vs := fields["doi"]; len(vs) > 0 {
		c.DOI = annotations.NormalizeDOI(vs[0])
	}
	for _, key := range []string{"url", "link", "source"} {
		if vs := fields[key]; len(vs) > 0 && webAddress(vs[0]) {
			c.URL = vs[0]
			break
		}
	}
	return c
}

// frontMatterFields reads the simple YAML of a front matter block: "key:
// value" lines, "key:" followed by "- item" lines, and "key: [a, b]".
// Values are unquoted; nested structures are skipped.
func frontMatterFields(text string) (map[string][]string, bool) {
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimRight(first, " \t\r") != "---" {
		return nil, false
	}
	fields := map[string][]string{}
	key := ""
	for range 400 {
		var line string
		var more bool
		line, rest, more = strings.Cut(rest, "\n")
		line = strings.TrimRight(line, " \t\r")
		if line == "---" || line == "..." {
			return fields, true
		}
		if item, ok := strings.CutPrefix(strings.TrimSpace(line), "- "); ok && key != "" && strings.HasPrefix(line, " ") || ok && key != "" && strings.HasPrefix(line, "-") {
			fields[key] = append(fields[key], unquote(item))
		} else if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			key = strings.ToLower(strings.TrimSpace(k))
			v = strings.TrimSpace(v)
			switch {
			case strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"):
				for _, item := range strings.Split(v[1:len(v)-1], ",") {
					if item = unquote(item); item != "" {
						fields[key] = append(fields[key], item)
					}
				}
			case v != "":
				fields[key] = append(fields[key], unquote(v))
			}
		}
		if !more {
			break
		}
	}
	return nil, false
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return strings.TrimSpace(s)
}
