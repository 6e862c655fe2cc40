package formats

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// FuzzTemplate parses any text as an export template and runs it, with the
// bounds lowered, on a small bundle, both ways (per article and split), and
// checks the contract: no panic (a runaway template would also run out of
// memory or time here), and at most outputLimit bytes written per
// execution.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		DefaultMarkdownTemplate,
		DefaultMarkdownSplitTemplate,
		"# {{.Title}}\n{{range .Highlights}}- {{indent 2 .Note}} {{tags .Tags}}{{end}}",
		"{{range 100000000000}}x{{end}}",
		"{{$n := 1000000}}{{range $n}}{{range $n}}{{end}}{{end}}",
		`{{$x := "ab"}}{{range 100}}{{$x = printf "%s%s" $x $x}}{{end}}{{$x}}`,
		`{{printf "%*d" 1000000000 1}}{{printf "%[1]01000000000d" 1}}`,
		`{{indent 2000000000 "a\nb"}}{{join .Tags (printf "%2000d" 1)}}`,
		`{{define "r"}}{{template "r" .}}{{template "r" .}}{{end}}{{template "r" .}}`,
		`{{with .Highlights}}{{range $i, $h := .}}{{$i}}{{html $h.Quote}}{{js $h.Note}}{{urlquery $h.ID}}{{end}}{{else}}none{{end}}`,
		"{{.Quote | md | quote | oneline | yaml}}{{link .ArticleURL}}{{date .CreatedAt}}{{local .UpdatedAt}}",
		"{{range .Highlights}}{{break}}{{end}}{{slice .Title 1 2}}{{index .Highlights 9}}",
	} {
		f.Add(s)
	}
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	art := annotations.Article{ID: uuid.MustParse("0193a000-0000-7000-8000-000000000001"), Title: "Talks *resume*", Source: "https://example.org/a?b=c",
		Format: annotations.FormatHTML, Text: "The talks resumed.\n\nIn Geneva.", AddedAt: when, UpdatedAt: when}
	b := annotations.Bundle{Articles: []annotations.Article{art}}
	for i, q := range []string{"talks", "Geneva"} {
		b.Annotations = append(b.Annotations, annotations.Annotation{
			ID: uuid.MustParse("0193a000-0000-7000-8000-00000000010" + string(rune('0'+i))), ArticleID: art.ID,
			Color: annotations.Red, Note: "a *note*\nof two lines", Tags: []string{"peace talks", "2026"},
			Status: annotations.StatusFuzzy, Target: annotations.Target{Start: 4, End: 9, Exact: q},
			CreatedAt: when, UpdatedAt: when,
		})
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > MaxTemplateSize {
			return
		}
		steps, output, str := stepLimit, outputLimit, stringLimit
		stepLimit, outputLimit, stringLimit = 20_000, 64<<10, 16<<10
		defer func() { stepLimit, outputLimit, stringLimit = steps, output, str }()

		tmpl, err := ParseTemplate("t", text)
		if err != nil {
			return
		}
		var out strings.Builder
		err = WriteMarkdown(&out, b, annotations.DefaultColorLabels, tmpl)
		if err == nil && out.Len() > outputLimit+len(b.Articles) {
			t.Fatalf("%d bytes written", out.Len())
		}
		files, err := WriteMarkdownSplit(t.TempDir(), b, annotations.DefaultColorLabels, tmpl)
		if err == nil && len(files) != len(b.Annotations) {
			t.Fatalf("%d files for %d annotations", len(files), len(b.Annotations))
		}
	})
}
