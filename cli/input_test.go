package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCLI_LongInputShortError: an error about a huge argument is one short
// line on stderr that quotes a little of it (a 10 MB tag gave a 10 MB
// line), and the library is as it was.
func TestCLI_LongInputShortError(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	huge := strings.Repeat("x", 10<<20)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"a 10 MB tag", []string{"highlight", id, "--quote", "Geneva", "--tag", huge}, 1, `invalid tag: "xxxx`},
		{"a 10 MB colour", []string{"highlight", id, "--quote", "Geneva", "--color", huge}, 2, "unknown colour"},
		{"a 10 MB verb", []string{huge}, 2, "unknown command"},
		{"a 10 MB search", []string{"search", huge + ":x"}, 2, "unknown qualifier"},
	}
	before := l.snapshot()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := l.run("", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if n := utf8.RuneCountInString(errs); n > 400 {
				t.Errorf("stderr of %d characters: %.200q…", n, errs)
			}
			if !strings.HasPrefix(errs, "gloss: ") || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.msg) {
				t.Errorf("stderr %.200q… is not one line starting gloss: saying %q", errs, tt.msg)
			}
			if out != "" {
				t.Errorf("stdout %.100q", out)
			}
			if after := l.snapshot(); after != before {
				t.Errorf("the library changed")
			}
		})
	}
}

// TestCLI_ExportTemplateBounds: an export template that is no regular
// file, or that would exhaust memory, gives a one-line error instead of a
// crash with a stack dump, and writes no output file.
func TestCLI_ExportTemplateBounds(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	l.ok("highlight", id, "--quote", "Geneva", "--note", "a note\non two lines")
	tests := []struct {
		name, template, msg string
	}{
		{"/dev/zero", "/dev/zero", "/dev/zero is a device, not a template file"},
		{"indent by two billion", l.file("indent.tmpl", "{{range .Highlights}}{{indent 2000000000 .Note}}{{end}}"), "indent 2000000000: at most 100 spaces"},
		{"printf doubling", l.file("double.tmpl", `{{$x := .Title}}{{range 100}}{{$x = printf "%s%s" $x $x}}{{end}}{{$x}}`), "the result would be over 64 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.template); err != nil {
				t.Skip(err)
			}
			out := filepath.Join(l.dir, "out.md")
			_, errs, code := l.run("", "export", "--format", "markdown", "--template", tt.template, "-o", out)
			if code != 1 || !strings.HasPrefix(errs, "gloss: ") || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %.300q; want one line saying %q", code, errs, tt.msg)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

// TestCLI_ImportOverTheLimits: an import holds to the limits gloss add
// does, and refuses text that is not UTF-8 instead of storing U+FFFD; the
// message is one line that names the record, and the library is as it
// was.
func TestCLI_ImportOverTheLimits(t *testing.T) {
	l := newLib(t)
	l.ok("add", l.file("talks.txt", article))
	file := func(name, title, text, note string) string {
		return l.file(name, `{"format": "gloss", "version": 1,
 "articles": [{"id": "0193a000-0000-7000-8000-0000000000a1", "title": "`+title+`", "format": "text", "text": "`+text+`", "added_at": "2026-01-01T00:00:00Z"}],
 "annotations": [{"id": "0193a000-0000-7000-8000-0000000000b1", "article_id": "0193a000-0000-7000-8000-0000000000a1", "note": "`+note+`",
  "target": {"start": 0, "end": 5, "exact": "Talks"}, "created_at": "2026-01-01T00:00:00Z"}]}`)
	}
	tests := []struct {
		name, path, msg string
	}{
		{"a Latin-1 byte in a note", file("latin1.json", "T", "Talks resumed.", "caf\xe9"), "annotation 1 (0193a000-0000-7000-8000-0000000000b1): line 3, column 131"},
		{"half a surrogate pair in a text", file("surrogate.json", "T", `Talks \udc00 resumed.`, "n"), "article 1 (0193a000-0000-7000-8000-0000000000a1): line 2"},
		{"a 5,000-character title", file("title.json", strings.Repeat("T", 5000), "Talks resumed.", "n"), "article 1 (0193a000-0000-7000-8000-0000000000a1): over the limit: the title is 5000 characters long; a title can be at most 500"},
		{"a NUL in a text", file("nul.json", "T", `Talks\u0000 resumed.`, "n"), "article 1 (0193a000-0000-7000-8000-0000000000a1): invalid text: the text contains a NUL character"},
	}
	before := l.snapshot()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := l.run("", "import", tt.path)
			if code != 1 || !strings.HasPrefix(errs, "gloss: ") || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stdout %q, stderr %.300q; want one line saying %q", code, out, errs, tt.msg)
			}
			if after := l.snapshot(); after != before {
				t.Errorf("the library changed")
			}
		})
	}
}
