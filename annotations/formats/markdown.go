package formats

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// MarkdownArticle is what a Markdown template gets for one article (the
// dot of the template WriteMarkdown executes).
//
//   - ID, Title, Source (file path or URL it came from), Format ("text",
//     "markdown", "html"), Hash ("sha256:<hex>" of the text).
//   - URL: Source when it is an http(s) URL, else "".
//   - AddedAt, UpdatedAt: times in UTC (see the local and date functions).
//   - Highlights: its annotations in text order; orphaned ones (no longer
//     found in the text) come last.
type MarkdownArticle struct {
	ID, Title, Source, URL, Format, Hash string
	AddedAt, UpdatedAt                   time.Time
	Highlights                           []MarkdownHighlight
	// Authors, Year (0 when unknown), DOI ("10.1000/xyz"), and Citation
	// (all on one line: "A. Author, B. Author · 2025 · doi:10.1000/xyz").
	Authors  []string
	Year     int
	DOI      string
	Citation string
}

// MarkdownHighlight is what a Markdown template gets for one annotation
// (each element of MarkdownArticle.Highlights, and the dot of the template
// WriteMarkdownSplit executes).
//
//   - ID; Color ("yellow" … "gray"); Meaning (the colour's label, "key
//     claim", or "" when it has none).
//   - Quote: the highlighted text; Note: the note, Markdown, "" when none.
//   - Tags: as typed ("peace talks"); see the tags and tagnames functions.
//   - Status: "anchored", "fuzzy" (the text there changed since) or
//     "orphaned" (no longer found); Previous: what a fuzzy highlight's
//     passage said when it was made ("" when not known); Trashed: in the
//     trash.
//   - Start, End: rune offsets of the quote in the article's text; Page:
//     the 1-based page of a PDF article it starts on (0 for others).
//   - CreatedAt, UpdatedAt: times in UTC.
//   - Author: who made it ("Ana Lima"; "" when not known).
//   - ArticleID, ArticleTitle, ArticleSource, ArticleURL: its article;
//     ArticleAuthors, ArticleYear, ArticleDOI, ArticleCitation: what it is
//     cited by (see MarkdownArticle).
type MarkdownHighlight struct {
	ID, Color, Meaning, Quote, Note, Status string
	Previous                                string
	Author                                  string
	Tags                                    []string
	Start, End, Page                        int
	Trashed                                 bool
	CreatedAt, UpdatedAt                    time.Time
	ArticleID, ArticleTitle                 string
	ArticleSource, ArticleURL               string
	ArticleAuthors                          []string
	ArticleYear                             int
	ArticleDOI, ArticleCitation             string
}

// DefaultMarkdownTemplate is the layout of WriteMarkdown with no template,
// executed once per article: the title as a heading, the source and the
// date it was added, then per highlight the quote as a blockquote, the
// colour's meaning (with the page, the author and the status when it is
// not plainly anchored), the note and the tags.
const DefaultMarkdownTemplate = `# {{md .Title}}
{{with .Citation}}
{{md .}}
{{end}}
Source: {{link (or .URL .Source)}} · added {{date .AddedAt}}
{{range .Highlights}}
{{quote (md .Quote)}}

**{{md (or .Meaning .Color)}}**{{if .Meaning}} ({{.Color}}){{end}}
{{- with .Page}} · p. {{.}}{{end}}
{{- with .Author}} · by {{md .}}{{end}}
{{- if eq .Status "fuzzy"}} · *fuzzy: the text here changed since it was highlighted*{{with .Previous}} (it said “{{md (oneline .)}}”){{end}}{{end}}
{{- if eq .Status "orphaned"}} · *orphaned: no longer found in the article*{{end}}
{{- if .Trashed}} · *in the trash*{{end}}
{{with .Note}}
{{.}}
{{end}}{{with .Tags}}
{{tags .}}
{{end}}{{else}}
*No highlights.*
{{end}}`

// DefaultMarkdownSplitTemplate is the layout of WriteMarkdownSplit with no
// template, executed once per annotation: YAML front matter, then the quote,
// the note and the tags.
const DefaultMarkdownSplitTemplate = `---
id: {{yaml .ID}}
article: {{yaml .ArticleTitle}}
{{- with .ArticleAuthors}}
authors: {{yaml .}}
{{- end}}
{{- with .ArticleYear}}
year: {{.}}
{{- end}}
{{- with .ArticleDOI}}
doi: {{yaml .}}
{{- end}}
source: {{yaml (or .ArticleURL .ArticleSource)}}
{{- with .Page}}
page: {{.}}
{{- end}}
color: {{yaml .Color}}
meaning: {{yaml .Meaning}}
status: {{yaml .Status}}
{{- with .Author}}
annotator: {{yaml .}}
{{- end}}
{{- if .Trashed}}
trashed: true
{{- end}}
tags: {{yaml (tagnames .Tags)}}
created: {{rfc3339 .CreatedAt}}
updated: {{rfc3339 .UpdatedAt}}
---

{{quote (md .Quote)}}

— {{md .ArticleTitle}}
{{with .Note}}
{{.}}
{{end}}{{with .Tags}}
{{tags .}}
{{end}}`

var (
	defaultMarkdown      = template.Must(ParseTemplate("markdown", DefaultMarkdownTemplate))
	defaultMarkdownSplit = template.Must(ParseTemplate("markdown-split", DefaultMarkdownSplitTemplate))
)

// ParseTemplate parses a Markdown export template (Go text/template) with
// these functions besides the built-in ones:
//
//	quote S      S with every line prefixed "> " (a Markdown blockquote)
//	md S         S with Markdown syntax escaped, so it shows as written
//	             (line-leading white space dropped)
//	link S       S as an autolink <S> when it is an http(s) URL, else md S
//	oneline S    S with every run of white space (line breaks too) made one space
//	indent N S   S with every line but the first indented by N spaces (a
//	             note of several lines inside a list item)
//	tag T        T as an Obsidian tag: "#" then T with spaces and other
//	             characters tags cannot hold turned into "-" ("peace talks"
//	             → "#peace-talks"; a tag of digits only gets a leading "_")
//	tags TAGS    each tag as by tag, separated by spaces
//	tagnames TAGS  the same names without "#", a list (for front matter)
//	join LIST SEP  strings.Join
//	yaml V       V as a YAML scalar or flow list, quoted as needed
//	date T       T as 2006-01-02; datetime T as 2006-01-02 15:04;
//	rfc3339 T    T as 2006-01-02T15:04:05.000Z
//	local T      T in the computer's time zone (times are given in UTC)
//
// The template runs within bounds (see template.go): indent indents by at
// most 100 spaces, printf's widths are at most 1000, no function makes a
// string over 64 MB, and WriteMarkdown and WriteMarkdownSplit stop a
// template that takes over 5 million steps or writes over
// MaxTemplateOutput.
func ParseTemplate(name, text string) (*template.Template, error) {
	t, err := template.New(name).Funcs(markdownFuncs).Funcs(boundedFuncs).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("markdown template: %w", err)
	}
	addSteps(t)
	return t, nil
}

var markdownFuncs = template.FuncMap{
	"quote":    bounded(mdQuote),
	"md":       bounded(mdEscape),
	"link":     bounded(markdownSourceLink),
	"oneline":  bounded(func(s string) string { return strings.Join(strings.Fields(s), " ") }),
	"indent":   indent,
	"tag":      bounded(hashtag),
	"tags":     func(tags []string) (string, error) { return boundedList(hashtags, tags) },
	"tagnames": tagNames,
	"join":     join,
	"yaml":     func(v any) (string, error) { return boundedAny(yamlValue, v) },
	"date":     func(t time.Time) string { return t.Format("2006-01-02") },
	"datetime": func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"rfc3339":  func(t time.Time) string { return t.Format(w3cTimeLayout) },
	"local":    func(t time.Time) time.Time { return t.Local() },
	stepFunc:   func() bool { return true }, // counted by executeTemplate
}

// WriteMarkdown writes b as Markdown: tmpl (nil: DefaultMarkdownTemplate)
// is executed once per article, in the bundle's order, with a
// MarkdownArticle. Each article's output is written with its trailing line
// breaks cut to one, and one empty line between articles; an article whose
// output is only white space is left out. The output goes to w as the
// template runs: when a template fails, what it wrote before is written.
func WriteMarkdown(w io.Writer, b annotations.Bundle, labels annotations.ColorLabels, tmpl *template.Template) error {
	if tmpl == nil {
		tmpl = defaultMarkdown
	}
	arts, err := markdownArticles(b, labels)
	if err != nil {
		return err
	}
	wrote := false
	for _, a := range arts {
		aw := &articleWriter{w: w, wrote: &wrote}
		if err := executeTemplate(tmpl, aw, a); err != nil {
			return fmt.Errorf("markdown template, article %s: %w", a.ID, err)
		}
		if err := aw.finish(); err != nil {
			return err
		}
	}
	return nil
}

// markdownArticles arranges b for templates: articles in the bundle's order,
// each with its highlights in text order, orphans last.
func markdownArticles(b annotations.Bundle, labels annotations.ColorLabels) ([]MarkdownArticle, error) {
	arts := make([]MarkdownArticle, len(b.Articles))
	index := make(map[uuid.UUID]int, len(b.Articles))
	for i, a := range b.Articles {
		index[a.ID] = i
		arts[i] = MarkdownArticle{
			ID: a.ID.String(), Title: a.Title, Source: a.Source, Format: string(a.Format), Hash: a.Hash,
			AddedAt: a.AddedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(),
			Authors: a.Authors, Year: a.Year, DOI: a.DOI, Citation: a.Cite(),
		}
		arts[i].URL = articleURL(a)
	}
	for _, an := range b.Annotations {
		i, ok := index[an.ArticleID]
		if !ok {
			return nil, missingArticle(an)
		}
		arts[i].Highlights = append(arts[i].Highlights, markdownHighlight(an, &b.Articles[i], labels))
	}
	for i := range arts {
		slices.SortStableFunc(arts[i].Highlights, func(x, y MarkdownHighlight) int {
			return cmp.Or(
				cmp.Compare(orphanRank(x), orphanRank(y)),
				cmp.Compare(x.Start, y.Start),
				cmp.Compare(x.End, y.End),
				x.CreatedAt.Compare(y.CreatedAt),
				strings.Compare(x.ID, y.ID),
			)
		})
	}
	return arts, nil
}

func orphanRank(h MarkdownHighlight) int {
	if h.Status == string(annotations.StatusOrphaned) {
		return 1
	}
	return 0
}

func markdownHighlight(a annotations.Annotation, art *annotations.Article, labels annotations.ColorLabels) MarkdownHighlight {
	h := MarkdownHighlight{
		ID: a.ID.String(), Color: string(a.Color), Meaning: labels.Label(a.Color),
		Quote: a.Target.Exact, Note: a.Note, Status: string(a.Status), Previous: a.Previous, Author: a.Author,
		Tags: append([]string{}, a.Tags...), Start: a.Target.Start, End: a.Target.End, Page: a.Target.Page,
		Trashed: a.Trashed(), CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(),
		ArticleID: art.ID.String(), ArticleTitle: art.Title, ArticleSource: art.Source,
	}
	h.ArticleURL = articleURL(*art)
	h.ArticleAuthors, h.ArticleYear, h.ArticleDOI, h.ArticleCitation = art.Authors, art.Year, art.DOI, art.Cite()
	if h.Status == "" {
		h.Status = string(annotations.StatusAnchored)
	}
	return h
}

// ErrFileExists is returned by WriteMarkdownSplit when a file it would write
// already exists and was not written by an earlier Gloss export into that
// folder, or was changed since: Gloss does not overwrite it.
var ErrFileExists = errors.New("file exists")

// splitManifest is the file in a split export's folder that lists the files
// Gloss wrote there, with the SHA-256 of what it wrote, so that a later
// export may replace them while they are unchanged, and nothing else.
const splitManifest = ".gloss-export.json"

type manifestFile struct {
	Format string            `json:"format"`
	Files  map[string]string `json:"files"`
}

// WriteMarkdownSplit writes one Markdown file per annotation into dir
// (created if needed): tmpl (nil: DefaultMarkdownSplitTemplate) executed
// with a MarkdownHighlight. A file is named after its article's title and
// the end of the annotation's ID ("Café talks 3f2a9c0d41e7.md"); the title
// is cleaned so that a name is always one plain file name inside dir (no
// separators, no "..", no leading dot, no characters Windows or note apps
// refuse, at most 120 bytes).
//
// Nothing is ever written outside dir, and no file is overwritten unless an
// earlier WriteMarkdownSplit into dir wrote it and it is unchanged since
// (dir's .gloss-export.json records what was written). Otherwise, when a
// file exists with other content, nothing is written and the error wraps
// ErrFileExists. Files of annotations no longer exported are left alone.
// It returns the paths of the export's files in the bundle's order,
// written now or already up to date. Each refuse function is asked about
// every path the export would write (its files and the manifest) before
// anything is written, dir included; an error from one refuses the export.
func WriteMarkdownSplit(dir string, b annotations.Bundle, labels annotations.ColorLabels, tmpl *template.Template, refuse ...func(path string) error) ([]string, error) {
	if tmpl == nil {
		tmpl = defaultMarkdownSplit
	}
	arts := articleIndex(b)
	type file struct {
		name string
		data []byte
	}
	files := make([]file, 0, len(b.Annotations))
	used := map[string]bool{}
	var buf bytes.Buffer
	total := 0
	for _, a := range b.Annotations {
		art, ok := arts[a.ArticleID]
		if !ok {
			return nil, missingArticle(a)
		}
		name := splitFileName(art.Title, a.ID, false)
		if used[strings.ToLower(name)] {
			name = splitFileName(art.Title, a.ID, true)
		}
		if used[strings.ToLower(name)] {
			return nil, fmt.Errorf("annotation %s is in the export twice", a.ID)
		}
		used[strings.ToLower(name)] = true
		buf.Reset()
		if err := executeTemplate(tmpl, &buf, markdownHighlight(a, art, labels)); err != nil {
			return nil, fmt.Errorf("markdown template, annotation %s: %w", a.ID, err)
		}
		if total += buf.Len(); total > splitLimit {
			return nil, fmt.Errorf("markdown template: the files come to over %s; nothing was written", byteSize(splitLimit))
		}
		data := append(bytes.TrimRight(buf.Bytes(), " \t\r\n"), '\n')
		files = append(files, file{name, bytes.Clone(data)})
	}

	for _, check := range refuse {
		paths := []string{filepath.Join(dir, splitManifest)}
		for _, f := range files {
			paths = append(paths, filepath.Join(dir, f.name))
		}
		for _, p := range paths {
			if err := check(p); err != nil {
				return nil, fmt.Errorf("writing %s: %w", p, err)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	manifest := readManifest(root)

	// Check every file before writing any, so a refused export writes nothing.
	const (
		create = iota
		replace
		keep
	)
	actions := make([]int, len(files))
	var conflicts []string
	for i, f := range files {
		fi, err := root.Lstat(f.name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			actions[i] = create
			continue
		case err != nil:
			return nil, err
		case !fi.Mode().IsRegular():
			conflicts = append(conflicts, f.name)
			continue
		}
		old, err := root.ReadFile(f.name)
		if err != nil {
			return nil, err
		}
		switch {
		case bytes.Equal(old, f.data):
			actions[i] = keep
		case manifest.Files[f.name] == contentHash(old):
			actions[i] = replace
		default:
			conflicts = append(conflicts, f.name)
		}
	}
	if len(conflicts) > 0 {
		more := ""
		if len(conflicts) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(conflicts)-1)
		}
		return nil, fmt.Errorf("%w: %s%s in %s was not written by Gloss or was changed since; Gloss does not overwrite it: move it away or export to another folder",
			ErrFileExists, annotations.QuoteInput(conflicts[0]), more, dir)
	}

	paths := make([]string, len(files))
	changed := false
	for i, f := range files {
		paths[i] = filepath.Join(dir, f.name)
		switch actions[i] {
		case create:
			err = writeNewFile(root, f.name, f.data)
		case replace:
			err = replaceFile(root, f.name, f.data)
		}
		if err != nil {
			return paths[:i], fmt.Errorf("writing %s: %w", paths[i], err)
		}
		if manifest.Files[f.name] != contentHash(f.data) {
			manifest.Files[f.name] = contentHash(f.data)
			changed = true
		}
	}
	if changed {
		data, err := json.MarshalIndent(manifest, "", "  ")
		if err == nil {
			err = replaceFile(root, splitManifest, append(data, '\n'))
		}
		if err != nil {
			return paths, fmt.Errorf("writing %s: %w", filepath.Join(dir, splitManifest), err)
		}
	}
	return paths, nil
}

func readManifest(root *os.Root) manifestFile {
	m := manifestFile{Format: "gloss-markdown-split", Files: map[string]string{}}
	data, err := root.ReadFile(splitManifest)
	if err != nil {
		return m
	}
	var got manifestFile
	if json.Unmarshal(data, &got) == nil && got.Format == m.Format && got.Files != nil {
		m.Files = got.Files
	}
	return m
}

func contentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// writeNewFile creates name in root, failing if it exists.
func writeNewFile(root *os.Root, name string, data []byte) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		root.Remove(name)
	}
	return err
}

// replaceFile writes data to a new temporary file in root and renames it
// over name, so name holds the old content or the new, never half.
func replaceFile(root *os.Root, name string, data []byte) error {
	tmp := ".gloss-" + uuid.NewString() + ".tmp"
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// maxStemBytes bounds the title part of a split file's name, well below the
// 255 bytes file systems allow.
const maxStemBytes = 120

// splitFileName is the file name of an annotation in a split export: the
// cleaned title, a space, the last 12 hex digits of its ID (the whole ID
// when full), ".md".
func splitFileName(title string, id uuid.UUID, full bool) string {
	s := id.String()
	if !full {
		s = strings.ReplaceAll(s, "-", "")
		s = s[len(s)-12:]
	}
	return safeStem(title) + " " + s + ".md"
}

// safeStem turns a title into something that can start a file name on any
// system: no path separators, no characters Windows, macOS or note apps
// refuse or treat specially, no control or bidirectional-override
// characters, no leading dots or dashes, no trailing dots or spaces, not a
// Windows device name, at most maxStemBytes bytes; "Untitled" when nothing
// is left.
func safeStem(title string) string {
	var b strings.Builder
	for _, r := range title {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), isBidiControl(r),
			strings.ContainsRune(`/\:*?"<>|#^[]{}%`, r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	trim := func(s string) string {
		s = strings.TrimLeft(s, ".- ")
		return strings.TrimRight(s, ". ")
	}
	s = trim(s)
	if len(s) > maxStemBytes {
		cut := maxStemBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = trim(s[:cut])
	}
	if s == "" {
		return "Untitled"
	}
	base, _, _ := strings.Cut(strings.ToUpper(s), ".")
	switch strings.TrimRight(base, " ") {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	return s
}

func isBidiControl(r rune) bool {
	return r == '\u200e' || r == '\u200f' || r == '\u061c' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// indent indents every line of s but the first by n spaces (at most
// maxIndent); empty lines stay empty.
func indent(n int, s string) (string, error) {
	if n > maxIndent {
		return "", fmt.Errorf("indent %d: at most %d spaces", n, maxIndent)
	}
	if len(s)+max(0, n)*strings.Count(s, "\n") > stringLimit {
		return "", errTemplateString()
	}
	pad := strings.Repeat(" ", max(0, n))
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n"), nil
}

// join is strings.Join, refusing a result over maxTemplateString.
func join(elems []string, sep string) (string, error) {
	n := len(sep) * max(0, len(elems)-1)
	for _, e := range elems {
		n += len(e)
	}
	if n > stringLimit || len(sep) > stringLimit {
		return "", errTemplateString()
	}
	return strings.Join(elems, sep), nil
}

// boundedList runs f on a list of strings of at most maxTemplateString
// bytes together, refusing a result over it.
func boundedList(f func([]string) string, list []string) (string, error) {
	if err := checkArgs([]any{list}); err != nil {
		return "", err
	}
	return checkResult(f(list))
}

// boundedAny runs f on v, a string or list of at most maxTemplateString
// bytes (or another value), refusing a result over it.
func boundedAny(f func(any) string, v any) (string, error) {
	if err := checkArgs([]any{v}); err != nil {
		return "", err
	}
	return checkResult(f(v))
}

// mdQuote prefixes every line of s with "> ", an empty line with ">".
func mdQuote(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// mdEscape escapes s so that Markdown (CommonMark, GitHub's and Obsidian's
// extensions) shows it as written: punctuation that starts emphasis, code,
// links, HTML, tags, maths, strike-through or highlights gets a backslash,
// and so do the marks that start a heading, list, quote or rule at the
// beginning of a line, whose leading white space is dropped (it would make
// a code block).
func mdEscape(s string) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		line = strings.TrimLeft(line, " \t")
		digits := 0
		for digits < len(line) && digits < 10 && line[digits] >= '0' && line[digits] <= '9' {
			digits++
		}
		for j := 0; j < len(line); j++ {
			if mdNeedsEscape(line, j, digits) {
				b.WriteByte('\\')
			}
			b.WriteByte(line[j])
		}
	}
	return b.String()
}

// mdNeedsEscape reports whether the byte at j of a line needs a backslash;
// digits is the number of digits the line starts with.
func mdNeedsEscape(line string, j, digits int) bool {
	c := line[j]
	switch {
	case strings.IndexByte("\\`*_[]<#$~|", c) >= 0:
		return true // emphasis, code, links, HTML, headings and tags, maths, strike-through, tables
	case j == 0 && strings.IndexByte(">-+=", c) >= 0:
		return true // a quote, list item, rule or setext underline at the start of a line
	case c == '.' || c == ')':
		return j == digits && digits > 0 // "1." or "1)" starting a line: an ordered list
	case c == '=' || c == '%':
		return j+1 < len(line) && line[j+1] == c // Obsidian's ==highlight== and %%comment%%
	case c == '&':
		return looksLikeEntity(line[j:])
	}
	return false
}

// looksLikeEntity reports whether s starts with an HTML character reference
// such as "&amp;" or "&#233;".
func looksLikeEntity(s string) bool {
	for i := 1; i < len(s) && i < 34; i++ {
		c := s[i]
		switch {
		case c == ';':
			return i > 1
		case c == '#' && i == 1, c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return false
}

// markdownSourceLink shows a source: an http(s) URL as an autolink, anything else as
// escaped text.
func markdownSourceLink(s string) string {
	if u, ok := webURL(s); ok && !strings.ContainsAny(u, "<>") {
		return "<" + u + ">"
	}
	return mdEscape(s)
}

// hashtag writes a tag as Obsidian reads one: letters, digits, "_", "-"
// and "/" (nested tags) are kept, any other run of characters, spaces
// included, becomes one "-"; a tag of digits only gets a leading "_"
// (Obsidian wants one non-digit).
func hashtag(tag string) string { return "#" + tagName(tag) }

func tagName(tag string) string {
	var b strings.Builder
	dash := false
	for _, r := range tag {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || r == '_' || r == '/' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	s := strings.Trim(b.String(), "/")
	if s == "" {
		return "_"
	}
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		s = "_" + s
	}
	return s
}

func hashtags(tags []string) string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = hashtag(t)
	}
	return strings.Join(out, " ")
}

func tagNames(tags []string) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = tagName(t)
	}
	return out
}

// yamlValue writes v for YAML front matter: strings and lists of strings as
// JSON, which YAML reads as double-quoted scalars and flow sequences;
// times as RFC 3339; other values with fmt.
func yamlValue(v any) string {
	switch v := v.(type) {
	case time.Time:
		return v.Format(w3cTimeLayout)
	case string, []string, bool, int:
		if l, ok := v.([]string); ok && l == nil {
			v = []string{}
		}
		return jsonText(v)
	default:
		return jsonText(fmt.Sprint(v))
	}
}

// articleURL is an article's web address: its citation's, else its source
// when that is one; "" when it has none.
func articleURL(a annotations.Article) string {
	if u, ok := webURL(a.URL); ok {
		return u
	}
	u, _ := webURL(a.Source)
	return u
}
