package formats_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

// tallyWriter counts what is written to it and in how many (non-empty)
// writes.
type tallyWriter struct {
	n, writes int
}

func (w *tallyWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	if len(p) > 0 {
		w.writes++
	}
	return len(p), nil
}

// TestWriteMarkdown_TemplateBounds: templates that would take gigabytes
// stop with a one-line error, having written at most MaxTemplateOutput
// bytes, instead of exhausting memory and crashing with a stack dump. (The
// bounds on steps and output are tested, lowered, in
// TestExecuteTemplate_Bounds.)
func TestWriteMarkdown_TemplateBounds(t *testing.T) {
	tests := []struct {
		name, tmpl, msg string
	}{
		{"indent by two billion", "{{indent 2000000000 .Title}}", "at most 100"},
		{"indent multiplying lines", `{{$x := "a\n"}}{{range 40}}{{$x = printf "%s%s" $x $x}}{{end}}{{indent 100 $x}}`, "over 64 MB"},
		{"printf doubling", `{{$x := .Title}}{{range 100}}{{$x = printf "%s%s" $x $x}}{{end}}{{$x}}`, "over 64 MB"},
		{"print doubling", `{{$x := .Title}}{{range 100}}{{$x = print $x $x}}{{end}}{{$x}}`, "over 64 MB"},
		{"join doubling", `{{$x := ","}}{{range .Highlights}}{{if ge (len .Tags) 3}}{{$t := .Tags}}{{range 100}}{{$x = join $t $x}}{{end}}{{end}}{{end}}`, "over 64 MB"},
		{"js escaping doubling", `{{$x := "\\"}}{{range 100}}{{$x = js $x}}{{end}}`, "over 64 MB"},
		{"printf width", `{{printf "%01000000000d" 1}}`, "width"},
		{"printf width given by an argument", `{{printf "%*d" 1000000000 1}}`, "width"},
		{"recursion", `{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}`, "depth"},
		{"recursion fanning out", `{{define "r"}}{{template "r" .}}{{template "r" .}}{{end}}{{template "r" .}}`, "depth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmpl, err := formats.ParseTemplate("t", tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			var w tallyWriter
			err = formats.WriteMarkdown(&w, richBundle(t), nil, tmpl)
			if err == nil {
				t.Fatalf("no error; %d bytes written", w.n)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, tt.msg) || len(msg) > 400 {
				t.Errorf("error %q, want one line saying %q", msg, tt.msg)
			}
			if w.n > formats.MaxTemplateOutput {
				t.Errorf("%d bytes written, over MaxTemplateOutput", w.n)
			}
		})
	}
}

// TestWriteMarkdown_Streams: an article's output goes to the writer as the
// template runs, not gathered first.
func TestWriteMarkdown_Streams(t *testing.T) {
	tmpl, err := formats.ParseTemplate("t", "# {{.Title}}\n{{range .Highlights}}\n> {{.Quote}}\n{{end}}")
	if err != nil {
		t.Fatal(err)
	}
	var w tallyWriter
	b := richBundle(t)
	b.Articles = b.Articles[:1]
	b.Annotations = slices.DeleteFunc(b.Annotations, func(a annotations.Annotation) bool { return a.ArticleID != b.Articles[0].ID })
	if err := formats.WriteMarkdown(&w, b, nil, tmpl); err != nil {
		t.Fatal(err)
	}
	if w.writes < 4 {
		t.Errorf("the article came in %d writes: gathered, not streamed", w.writes)
	}
}

func TestReadTemplateFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "note.tmpl")
	if err := os.WriteFile(good, []byte("# {{.Title}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.tmpl")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 10<<20); err != nil {
		t.Fatal(err)
	}
	text, err := formats.ReadTemplateFile(good)
	if err != nil || text != "# {{.Title}}\n" {
		t.Errorf("ReadTemplateFile = %q, %v", text, err)
	}
	tests := []struct {
		name, path, msg string
	}{
		{"over the limit", huge, huge + " is 10.0 MB; a template can be at most 256 KB"},
		{"a folder", dir, dir + " is a folder, not a template file"},
		{"a device", "/dev/zero", "/dev/zero is a device, not a template file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.path); err != nil {
				t.Skip(err)
			}
			_, err := formats.ReadTemplateFile(tt.path)
			if !errors.Is(err, formats.ErrUnsupported) && !errors.Is(err, formats.ErrTooLarge) {
				t.Fatalf("err = %v", err)
			}
			if err.Error() != tt.msg {
				t.Errorf("message %q, want %q", err.Error(), tt.msg)
			}
		})
	}
}
