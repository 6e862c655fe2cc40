package formats

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// TestExecuteTemplate_PanicIsError: a runtime panic during execution (which
// text/template passes on) comes back as an error, not a stack dump.
func TestExecuteTemplate_PanicIsError(t *testing.T) {
	tmpl, err := ParseTemplate("t", "{{range .Items}}{{.}}{{end}}")
	if err != nil {
		t.Fatal(err)
	}
	data := struct{ Items func(func(int) bool) }{
		Items: func(yield func(int) bool) {
			var none []int
			yield(none[3]) // index out of range: a runtime.Error
		},
	}
	err = executeTemplate(tmpl, io.Discard, data)
	if err == nil || !strings.Contains(err.Error(), "index out of range") || strings.ContainsAny(err.Error(), "\n") {
		t.Errorf("err = %v, want one line about the panic", err)
	}
}

// lowLimits lowers the bounds on steps, output and strings for a test.
func lowLimits(t *testing.T) {
	steps, output, str := stepLimit, outputLimit, stringLimit
	stepLimit, outputLimit, stringLimit = 100_000, 1<<20, 64<<10
	t.Cleanup(func() { stepLimit, outputLimit, stringLimit = steps, output, str })
}

// TestExecuteTemplate_Bounds: a template that would loop for hours (or
// write gigabytes) stops after stepLimit steps (or outputLimit bytes) with
// a one-line error. The bounds are lowered here to keep the test quick;
// TestWriteMarkdown_TemplateBounds runs with the real ones.
func TestExecuteTemplate_Bounds(t *testing.T) {
	lowLimits(t)
	tests := []struct {
		name, tmpl, msg string
	}{
		{"range over a huge number, writing", "{{range 100000000000}}x{{end}}", "over 100,000 steps"},
		{"range over a huge number, silent", "{{range 100000000000}}{{end}}", "over 100,000 steps"},
		{"range over a huge number from a variable", "{{$n := 100000000000}}{{range $n}}{{end}}", "over 100,000 steps"},
		{"ranges inside ranges", "{{range 100000}}{{range 100000}}{{end}}{{end}}", "over 100,000 steps"},
		{"ranges inside ifs and withs", "{{if true}}{{with 1}}{{range 100000000000}}{{end}}{{end}}{{end}}", "over 100,000 steps"},
		{"templates fanning out", fanOut(40), "over 100,000 steps"},
		{"huge output in few steps", `{{range 1000}}{{range 1000}}{{printf "%1000d" 1}}{{end}}{{end}}`, "writes over 1 MB"},
		{"md doubling", `{{$x := "**"}}{{range 100}}{{$x = md $x}}{{end}}{{$x}}`, "over 64 KB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate("t", tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			b := annotations.Bundle{Articles: []annotations.Article{{ID: uuid.MustParse("0193a000-0000-7000-8000-000000000001"), Title: "T"}}}
			err = WriteMarkdown(&out, b, nil, tmpl)
			if err == nil || !strings.Contains(err.Error(), tt.msg) || strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("err = %v, want one line saying %q", err, tt.msg)
			}
			if out.Len() > outputLimit {
				t.Errorf("%d bytes written", out.Len())
			}
		})
	}
}

// fanOut is n templates each calling the one below twice: 2^n calls.
func fanOut(n int) string {
	var b strings.Builder
	b.WriteString(`{{define "t0"}}x{{end}}`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{{define "t%d"}}{{template "t%d" .}}{{template "t%d" .}}{{end}}`, i, i-1, i-1)
	}
	fmt.Fprintf(&b, `{{template "t%d" .}}`, n)
	return b.String()
}

// TestWriteMarkdownSplit_Bounds: a split export's template runs within the
// same bounds, and a failing one writes nothing.
func TestWriteMarkdownSplit_Bounds(t *testing.T) {
	lowLimits(t)
	art := annotations.Article{ID: uuid.MustParse("0193a000-0000-7000-8000-000000000001"), Title: "T", Text: "some text"}
	b := annotations.Bundle{Articles: []annotations.Article{art}}
	for i := range 20 {
		b.Annotations = append(b.Annotations, annotations.Annotation{
			ID: uuid.MustParse(fmt.Sprintf("0193a000-0000-7000-8000-0000000001%02d", i)), ArticleID: art.ID,
			Target: annotations.Target{Start: 0, End: 4, Exact: "some"},
		})
	}
	for _, tt := range []struct{ tmpl, msg string }{
		{"{{range 100000000000}}{{end}}", "over 100,000 steps"},
		{`{{range 1000}}{{printf "%1000d" 1}}{{end}}{{range 100}}{{printf "%1000d" 1}}{{end}}`, "writes over 1 MB"},
		{`{{range 900}}{{printf "%1000d" 1}}{{end}}`, "the files come to over 16 MB"},
	} {
		t.Run(tt.msg, func(t *testing.T) {
			if strings.Contains(tt.msg, "files come to") {
				old := splitLimit
				splitLimit = 16 << 20
				t.Cleanup(func() { splitLimit = old })
			}
			tmpl, err := ParseTemplate("t", tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "notes")
			_, err = WriteMarkdownSplit(dir, b, nil, tmpl)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %q", err, tt.msg)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("%s was made", dir)
			}
		})
	}
}
