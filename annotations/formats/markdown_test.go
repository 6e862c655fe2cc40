package formats_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"text/template"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

func writeMarkdown(t *testing.T, b annotations.Bundle, tmpl *template.Template) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := formats.WriteMarkdown(&buf, b, richLabels(), tmpl); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func templateFile(t *testing.T, name string) *template.Template {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", "markdown", name))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := formats.ParseTemplate(name, string(text))
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func TestWriteMarkdown_Golden(t *testing.T) {
	golden(t, "markdown/export.golden.md", writeMarkdown(t, richBundle(t), nil))
}

// The README's example of one note per article.
func TestWriteMarkdown_ArticleNoteTemplate(t *testing.T) {
	golden(t, "markdown/article-note.golden.md", writeMarkdown(t, richBundle(t), templateFile(t, "article-note.tmpl")))
}

func TestWriteMarkdown_Layout(t *testing.T) {
	out := string(writeMarkdown(t, richBundle(t), nil))
	// Articles in bundle order, each with a heading; highlights in text
	// order, orphans last; multi-line quotes quoted line by line.
	order := []string{
		"# Café talks — “ceasefire” 🕊️", "> café 👍 resumed", "> “ceasefire” held", "> \\*three\\* points:\n> \\# not a heading\n> 1\\. an exchange",
		"> \\<b>safe\\</b> corridors & aid \\&amp; more", "> 🇺🇦 flags", "> a passage since removed",
		"# Summit opens in Zürich", "Source: <https://news.example.org/2026/11/summit?id=7&lang=en>", "> Zürich", "> \\=SUM(A1:A9) theatre", "> @everyone expected",
		"# Draft: notes on \\*method\\*", "*No highlights.*",
	}
	at := 0
	for _, s := range order {
		i := strings.Index(out[at:], s)
		if i < 0 {
			t.Fatalf("%q is missing, or out of order, in:\n%s", s, out)
		}
		at += i + len(s)
	}
	for _, s := range []string{
		"**key claim** (yellow)", "#peace-talks #Café #émigrés", "**gray**\n", "**method & \\<data>** (blue)",
		"· *fuzzy: the text here changed since it was highlighted* (it said ““truce” held”)", "· *orphaned: no longer found in the article*", "· *in the trash*",
		"Source: /home/r/Peace talks.txt · added 2026-11-25", "#_2026 #flags\n", "#minus #at",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("%q is missing", s)
		}
	}
	if strings.Contains(out, "\n\n\n") || !strings.HasSuffix(out, ".*\n") {
		t.Errorf("runs of blank lines or a ragged end:\n%s", out)
	}
}

func TestWriteMarkdown_TemplateErrors(t *testing.T) {
	if _, err := formats.ParseTemplate("t", "{{.Title"); err == nil {
		t.Error("a broken template parsed")
	}
	tmpl, err := formats.ParseTemplate("t", "{{.NoSuchField}}")
	if err != nil {
		t.Fatal(err)
	}
	if err := formats.WriteMarkdown(&bytes.Buffer{}, richBundle(t), nil, tmpl); err == nil || !strings.Contains(err.Error(), "NoSuchField") {
		t.Errorf("error = %v, want one naming the field", err)
	}
	// An article whose output is blank is left out, and so is its separator.
	tmpl, _ = formats.ParseTemplate("t", "{{if .Highlights}}{{.Title}}{{end}}\n\n")
	var buf bytes.Buffer
	if err := formats.WriteMarkdown(&buf, richBundle(t), nil, tmpl); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "Café talks — “ceasefire” 🕊️\n\nSummit opens in Zürich\n" {
		t.Errorf("got %q", got)
	}
}

func TestMarkdownFuncs(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		{`{{md "*a* _b_ [c](d) <e> \\ ` + "`f`" + ` ~g~ $h$ a|b ==i== %%j%% &amp; AT&T #k"}}`,
			`\*a\* \_b\_ \[c\](d) \<e> \\ ` + "\\`f\\`" + ` \~g\~ \$h\$ a\|b \==i\== \%%j\%% \&amp; AT&T \#k`},
		{`{{md "# h\n> q\n- l\n+ l\n= u\n1. o\n12) o\n    code\n2026. a year\n3 dogs"}}`,
			"\\# h\n\\> q\n\\- l\n\\+ l\n\\= u\n1\\. o\n12\\) o\ncode\n2026\\. a year\n3 dogs"},
		{`{{quote "one\ntwo\n\nthree\n"}}`, "> one\n> two\n>\n> three"},
		{`{{tags .}}`, "#peace-talks #Café #_2026 #a-b #flags/x #_ #日本"},
		{`{{tagnames . | yaml}}`, `["peace-talks","Café","_2026","a-b","flags/x","_","日本"]`},
		{`{{yaml "a: \"b\"\nc"}}`, `"a: \"b\"\nc"`},
		{`{{link "https://e.org/a b"}} {{link "/home/x_y.txt"}} {{link "javascript:alert(1)"}}`, `<https://e.org/a%20b> /home/x\_y.txt javascript:alert(1)`},
		{`{{oneline " a \n\n b\tc "}}`, "a b c"},
		{`- {{indent 2 "a\n\n- b\n  c"}}`, "- a\n\n  - b\n    c"},
		{`{{join . ", "}}`, "peace talks, Café, 2026, a. b, flags/x, ?!, 日本"},
	}
	tags := []string{"peace talks", "Café", "2026", "a. b", "flags/x", "?!", "日本"}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			tmpl, err := formats.ParseTemplate("t", tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := tmpl.Execute(&buf, tags); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got  %q\nwant %q", buf.String(), tt.want)
			}
		})
	}
}

func splitDir(t *testing.T, b annotations.Bundle, tmpl *template.Template) (string, []string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault", "Gloss")
	files, err := formats.WriteMarkdownSplit(dir, b, richLabels(), tmpl)
	if err != nil {
		t.Fatal(err)
	}
	return dir, files
}

func TestWriteMarkdownSplit_Golden(t *testing.T) {
	b := richBundle(t)
	for _, tc := range []struct {
		name string
		tmpl *template.Template
	}{
		{"split", nil},
		{"split-obsidian", templateFile(t, "annotation-note.tmpl")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, files := splitDir(t, b, tc.tmpl)
			if len(files) != len(b.Annotations) {
				t.Fatalf("%d files, want %d", len(files), len(b.Annotations))
			}
			goldenDir := filepath.Join("testdata", "markdown", tc.name)
			if updating() {
				os.RemoveAll(goldenDir)
			}
			var names []string
			for i, f := range files {
				if filepath.Dir(f) != dir {
					t.Errorf("%s is not in %s", f, dir)
				}
				name := filepath.Base(f)
				names = append(names, name)
				if !strings.HasSuffix(name, strings.ReplaceAll(b.Annotations[i].ID.String(), "-", "")[20:]+".md") {
					t.Errorf("%s does not end with its annotation's ID", name)
				}
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, "markdown/"+tc.name+"/"+name, data)
			}
			entries, _ := os.ReadDir(goldenDir)
			if len(entries) != len(names) {
				t.Errorf("%s holds %d files, the export %d", goldenDir, len(entries), len(names))
			}
		})
	}
}

// TestWriteMarkdownSplit_FrontMatter checks that the default front matter
// is YAML whose values are what the annotation holds (every value is
// written as JSON, which YAML reads, or as an RFC 3339 time).
func TestWriteMarkdownSplit_FrontMatter(t *testing.T) {
	b := richBundle(t)
	_, files := splitDir(t, b, nil)
	for i, f := range files {
		a := b.Annotations[i]
		data, _ := os.ReadFile(f)
		head, body, ok := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
		if !ok || !strings.HasPrefix(string(data), "---\n") {
			t.Fatalf("%s has no front matter:\n%s", f, data)
		}
		fields := map[string]any{}
		for line := range strings.SplitSeq(head, "\n") {
			key, value, _ := strings.Cut(line, ": ")
			if key == "created" || key == "updated" {
				fields[key] = value
				continue
			}
			var v any
			if err := json.Unmarshal([]byte(value), &v); err != nil {
				t.Errorf("%s: %s: %q is not a quoted YAML value: %v", f, key, value, err)
			}
			fields[key] = v
		}
		if fields["id"] != a.ID.String() || fields["status"] != string(a.Status) || fields["color"] != string(a.Color) ||
			fields["created"] != a.CreatedAt.Format("2006-01-02T15:04:05.000Z") || (fields["trashed"] == true) != a.Trashed() {
			t.Errorf("%s: front matter %v", f, fields)
		}
		if !strings.Contains(body, a.Note) || !strings.Contains(body, "> ") {
			t.Errorf("%s: body lacks the quote or the note:\n%s", f, body)
		}
	}
}

// TestWriteMarkdownSplit_HostileTitles: whatever an article's title, every
// file lands in the folder, under a plain name.
func TestWriteMarkdownSplit_HostileTitles(t *testing.T) {
	titles := []string{
		"../../etc/passwd", "/abs/path", "..", ".", "...", "", "   ", "con", "CON.txt", "nul", "LPT1", "com9.md",
		strings.Repeat("long ", 100), strings.Repeat("é", 300), "🕊️👩‍💻🇺🇦", "a\x00b\nc\td", "\u202egpj.exe", `C:\Windows\System32`,
		"-rf --no-preserve-root", ".hidden", "trailing dots...", "a/../../b", "x:y*z?\"<>|", "#tag ^block [[link]]",
		"~/notes", "$(rm -rf ~)", "\xff\xfe invalid",
	}
	b := annotations.Bundle{}
	for i, title := range titles {
		art := richArticle(0x40+i, title, "/x", annotations.FormatText, "some text")
		b.Articles = append(b.Articles, art)
		b.Annotations = append(b.Annotations, annotations.Annotation{
			ID: id(0x80 + i), ArticleID: art.ID, Color: annotations.Yellow, Status: annotations.StatusAnchored,
			Target: annotations.Target{Start: 0, End: 4, Exact: "some"}, CreatedAt: richAt, UpdatedAt: richAt,
		})
	}
	// Two annotations on one article whose IDs end alike get the whole ID.
	twin := b.Annotations[0]
	twin.ID = uuid.MustParse("0193a000-0000-7000-9000-" + strings.ReplaceAll(b.Annotations[0].ID.String(), "-", "")[20:])
	b.Annotations = append(b.Annotations, twin)

	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	files, err := formats.WriteMarkdownSplit(dir, b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(b.Annotations) {
		t.Fatalf("%d files for %d annotations", len(files), len(b.Annotations))
	}
	seen := map[string]bool{}
	for i, f := range files {
		name := filepath.Base(f)
		if filepath.Dir(f) != dir {
			t.Errorf("title %q: %s is not directly in %s", b.Articles[min(i, len(titles)-1)].Title, f, dir)
		}
		stem := strings.TrimSuffix(name, ".md")
		if !utf8.ValidString(name) || len(name) > 200 || strings.ContainsAny(name, "/\\:*?\"<>|\x00\n\t\u202e") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-") || strings.HasPrefix(name, " ") || stem != strings.TrimRight(stem, ". ") {
			t.Errorf("unsafe name %q", name)
		}
		base, _, _ := strings.Cut(strings.ToUpper(name), " ")
		if slices.Contains([]string{"CON", "NUL", "LPT1", "COM9", "CON.TXT", "COM9.MD"}, base) {
			t.Errorf("%q starts with a Windows device name", name)
		}
		if seen[strings.ToLower(name)] {
			t.Errorf("%q twice", name)
		}
		seen[strings.ToLower(name)] = true
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(filepath.Base(files[len(files)-1]), twin.ID.String()) {
		t.Errorf("the twin's name %q does not hold its whole ID", files[len(files)-1])
	}
	// Nothing but the folder was made beside it, and the folder holds only
	// the export and its manifest.
	if entries, _ := os.ReadDir(parent); len(entries) != 1 || entries[0].Name() != "out" {
		t.Errorf("the parent folder holds %v", entries)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(files)+1 {
		t.Errorf("the folder holds %d entries, want %d files and the manifest", len(entries), len(files))
	}
}

func TestWriteMarkdownSplit_Overwrite(t *testing.T) {
	b := richBundle(t)
	dir := filepath.Join(t.TempDir(), "notes")
	files, err := formats.WriteMarkdownSplit(dir, b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	read := func(f string) string {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}

	// The same export again: nothing to do, no error.
	if again, err := formats.WriteMarkdownSplit(dir, b, nil, nil); err != nil || !slices.Equal(again, files) {
		t.Fatalf("re-export: %v, %v", again, err)
	}

	// A note changed in Gloss: its file, unchanged since Gloss wrote it, is
	// replaced.
	b.Annotations[0].Note = "A new note."
	if _, err := formats.WriteMarkdownSplit(dir, b, nil, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(read(files[0]), "A new note.") {
		t.Errorf("the changed note was not written:\n%s", read(files[0]))
	}

	// The reader edits a file in the vault, then the note changes again:
	// the export refuses, and writes nothing at all.
	edited := read(files[0]) + "\nMy own thoughts.\n"
	os.WriteFile(files[0], []byte(edited), 0o644)
	before2 := read(files[2])
	b.Annotations[0].Note = "Newer still."
	b.Annotations[2].Note = "Also changed."
	_, err = formats.WriteMarkdownSplit(dir, b, nil, nil)
	if !errors.Is(err, formats.ErrFileExists) || !strings.Contains(err.Error(), filepath.Base(files[0])) {
		t.Fatalf("error = %v, want ErrFileExists naming %s", err, filepath.Base(files[0]))
	}
	if read(files[0]) != edited || read(files[2]) != before2 {
		t.Error("a refused export changed files")
	}

	// A file Gloss never wrote, and a symbolic link out of the folder, at
	// the names of new annotations: refused, untouched.
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("secret"), 0o600)
	c := richBundle(t)
	c.Annotations = c.Annotations[:2]
	c.Annotations[0].ID, c.Annotations[1].ID = id(0xe1), id(0xe2)
	other := filepath.Join(t.TempDir(), "other")
	names, err := formats.WriteMarkdownSplit(other, c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(names[0], []byte("the reader's own file\n"), 0o644)
	os.Remove(names[1])
	if err := os.Symlink(outside, names[1]); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	os.Remove(filepath.Join(other, ".gloss-export.json"))
	if _, err := formats.WriteMarkdownSplit(other, c, nil, nil); !errors.Is(err, formats.ErrFileExists) || !strings.Contains(err.Error(), "and 1 more") {
		t.Fatalf("error = %v, want ErrFileExists for both files", err)
	}
	if read(outside) != "secret" || read(names[0]) != "the reader's own file\n" {
		t.Error("a file Gloss did not write was changed")
	}
}
