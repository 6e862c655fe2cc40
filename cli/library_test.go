package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gloss-notes/gloss/storage"
)

// TestCLI_MissingLibrary: a typo in --db or GLOSS_DB does not make a new,
// empty library for the verbs that only read (or that need an article
// already there): they say the library does not exist and create nothing.
func TestCLI_MissingLibrary(t *testing.T) {
	dir := t.TempDir()
	l := &lib{t: t, path: filepath.Join(dir, "typo", "libary.db"), dir: dir}
	txt := l.file("a.txt", "An article.")
	id := "0193a000-0000-7000-8000-000000000001"
	verbs := [][]string{
		{"articles"}, {"articles", "--json"}, {"notes"}, {"notes", id}, {"search", "word"},
		{"export"}, {"export", "--format", "csv", "-o", filepath.Join(dir, "out.csv")},
		{"check"}, {"backup", filepath.Join(dir, "copy.db")}, {"colors"}, {"colors", "--json"},
		{"highlight", id, "--quote", "An"}, {"edit", id, "--note", "x"}, {"rm", id}, {"restore", id},
		{"update", id, txt}, {"update", "--undo", id},
	}
	for _, verb := range verbs {
		t.Run(strings.Join(verb, " "), func(t *testing.T) {
			out, errs, code := l.run("", verb...)
			want := "gloss: library " + l.path + " does not exist; check --db or GLOSS_DB (gloss add FILE creates one)\n"
			if code != 1 || errs != want || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errs, want)
			}
			if _, err := os.Stat(filepath.Dir(l.path)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("something was created: %v", err)
			}
		})
	}
	// Through GLOSS_DB, the same.
	t.Setenv(storage.EnvLibrary, l.path)
	var out, errb bytes.Buffer
	if code := Run([]string{"articles"}, Env{Stdout: &out, Stderr: &errb}); code != 1 || !strings.Contains(errb.String(), "does not exist") {
		t.Errorf("GLOSS_DB typo: exit %d, %q", code, errb.String())
	}
}

// TestCLI_WritingVerbsCreate: add, import and colors COLOR MEANING create a
// missing library and say where, once, on stderr; stdout is unchanged.
func TestCLI_WritingVerbsCreate(t *testing.T) {
	src := newLib(t)
	id, _, _ := strings.Cut(src.ok("add", src.file("talks.txt", article)), "\t")
	src.ok("highlight", id, "--quote", "Geneva")
	export := src.file("export.json", src.ok("export"))
	tests := []struct {
		name string
		args []string
		out  string
	}{
		{"add", []string{"add", src.file("b.txt", "Second article\n\nText.")}, "\tSecond article\n"},
		{"import", []string{"import", export}, "annotations: 1 added"},
		{"colors with a meaning", []string{"colors", "red", "doubt"}, "2\tred     \tdoubt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLib(t)
			l.path = filepath.Join(l.dir, "new", "library.db")
			out, errs, code := l.run("", tt.args...)
			if code != 0 || !strings.Contains(out, tt.out) {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
			}
			if want := "gloss: created a new library at " + l.path + "\n"; errs != want {
				t.Errorf("stderr %q, want %q", errs, want)
			}
			if strings.Contains(out, "created") {
				t.Errorf("stdout mentions the new library: %q", out)
			}
			if _, errs, _ := l.run("", tt.args...); errs != "" {
				t.Errorf("the second run said %q", errs)
			}
		})
	}
}
