package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

const article = `Peace Talks Resume

Negotiators met in Geneva on Tuesday. The talks stalled over territory.
The talks resumed on Friday, and the café near the lake was full.
`

// lib is a library under a temp folder that the tests run verbs on.
type lib struct {
	t    *testing.T
	path string
	dir  string
}

func newLib(t *testing.T) *lib {
	t.Helper()
	dir := t.TempDir()
	l := &lib{t: t, path: filepath.Join(dir, "library.db"), dir: dir}
	t.Cleanup(func() {
		if _, err := os.Stat(l.path); err != nil {
			return
		}
		// The same consistency check as "gloss check", at the end of
		// every test.
		storagetest.OpenAt(t, l.path, storage.Options{NoAutoBackup: true})
	})
	return l
}

// run runs gloss with args on the library and returns stdout, stderr and
// the exit status.
func (l *lib) run(stdin string, args ...string) (string, string, int) {
	l.t.Helper()
	var out, errb bytes.Buffer
	code := Run(append([]string{"--db", l.path}, args...), Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Version: "test"})
	return out.String(), errb.String(), code
}

// ok runs a verb that must succeed and returns its stdout.
func (l *lib) ok(args ...string) string {
	l.t.Helper()
	out, errs, code := l.run("", args...)
	if code != 0 {
		l.t.Fatalf("gloss %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

func (l *lib) file(name, content string) string {
	l.t.Helper()
	p := filepath.Join(l.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		l.t.Fatal(err)
	}
	return p
}

// snapshot is the library's export without the export time: what must not
// change when a command fails.
func (l *lib) snapshot() string {
	l.t.Helper()
	out := l.ok("export")
	return regexp.MustCompile(`"exported_at": "[^"]*"`).ReplaceAllString(out, "")
}

func TestCLI_Session(t *testing.T) {
	l := newLib(t)
	src := l.file("talks.txt", article)
	out := l.ok("add", src)
	id, title, _ := strings.Cut(strings.TrimSpace(out), "\t")
	if title != "Peace Talks Resume" || len(id) != 36 {
		t.Fatalf("add printed %q", out)
	}
	if again := l.ok("add", src); again != out {
		t.Errorf("adding the same text again printed %q, want %q", again, out)
	}

	h1 := strings.TrimSpace(l.ok("highlight", id[:8], "--quote", "The talks", "--nth", "2", "--color", "green", "--note", "They *resumed*.", "--tag", "timeline", "--tag", "Talks"))
	h2 := strings.TrimSpace(l.ok("highlight", id, "--start", "39", "--end", "51", "--color", "3"))

	var notes []map[string]any
	if err := json.Unmarshal([]byte(l.ok("notes", id, "--json")), &notes); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 {
		t.Fatalf("notes --json: %d annotations", len(notes))
	}
	first := notes[1]
	target := first["target"].(map[string]any)
	if first["id"] != h1 || target["exact"] != "The talks" || target["start"] != float64(92) || first["color"] != "green" ||
		first["note"] != "They *resumed*." || first["status"] != "anchored" || first["article_id"] != id {
		t.Errorf("annotation JSON = %v", first)
	}
	for _, key := range []string{"prefix", "suffix", "end"} {
		if _, ok := target[key]; !ok {
			t.Errorf("target has no %q", key)
		}
	}
	for _, key := range []string{"created_at", "updated_at", "tags"} {
		if _, ok := first[key]; !ok {
			t.Errorf("annotation has no %q", key)
		}
	}
	if _, ok := first["deleted_at"]; ok {
		t.Errorf("deleted_at present on a live annotation")
	}
	if notes[0]["id"] != h2 || notes[0]["target"].(map[string]any)["exact"] != "Geneva on Tu" {
		t.Errorf("offset highlight = %v", notes[0])
	}

	l.ok("edit", h1[:23], "--note", "Resumed Friday.", "--untag", "talks", "--tag", "geneva")
	human := l.ok("notes")
	for _, want := range []string{"# Peace Talks Resume", "green (evidence)", "“The talks”", "note: Resumed Friday.", "tags: timeline, geneva"} {
		if !strings.Contains(human, want) {
			t.Errorf("notes output lacks %q:\n%s", want, human)
		}
	}

	l.ok("rm", h2)
	if got := l.ok("notes", "--json"); strings.Contains(got, h2) {
		t.Errorf("a trashed annotation is listed")
	}
	if got := l.ok("notes", "--trash", "--json"); !strings.Contains(got, h2) || !strings.Contains(got, "deleted_at") {
		t.Errorf("the trash does not list it: %s", got)
	}
	l.ok("restore", h2)

	var arts []map[string]any
	if err := json.Unmarshal([]byte(l.ok("articles", "--json")), &arts); err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0]["highlights"] != float64(2) || arts[0]["format"] != "text" || arts[0]["text"] != nil {
		t.Errorf("articles --json = %v", arts)
	}
	for _, key := range []string{"id", "title", "source", "hash", "added_at", "updated_at"} {
		if _, ok := arts[0][key]; !ok {
			t.Errorf("article has no %q", key)
		}
	}

	// Export, import into an empty library, export again: the same data.
	exported := l.file("export.json", "")
	l.ok("export", "-o", exported)
	other := newLib(t)
	if got := other.ok("import", exported); !strings.Contains(got, "articles: 1 added") || !strings.Contains(got, "annotations: 2 added") {
		t.Errorf("import printed %q", got)
	}
	if a, b := l.snapshot(), other.snapshot(); a != b {
		t.Errorf("export → import → export differs:\n%s\n---\n%s", a, b)
	}
	if got := other.ok("import", exported); !strings.Contains(got, "annotations: 0 added, 0 updated, 2 skipped") {
		t.Errorf("second import printed %q", got)
	}

	backup := filepath.Join(l.dir, "copy.db")
	l.ok("backup", backup)
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup: %v", err)
	}
	if got := l.ok("check"); !strings.Contains(got, "is sound") {
		t.Errorf("check printed %q", got)
	}
}

func TestCLI_BadInput(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	h := strings.TrimSpace(l.ok("highlight", id, "--quote", "Geneva", "--tag", "place"))
	l.ok("add", l.file("second.txt", "A second article."))
	files := map[string]string{
		"empty.txt":   "  \n\n",
		"paper.pdf":   "%PDF-1.7\n%âãÏÓ\n1 0 obj\n",
		"image.txt":   "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
		"broken.json": "{\n  \"format\": \"gloss\",\n  \"version\": 1,\n  \"articles\": [,]\n}",
		"other.json":  `{"hello": "world"}`,
		"newer.json":  `{"format": "gloss", "version": 7}`,
		"orphan.json": `{"format": "gloss", "version": 1, "articles": [], "annotations": [{"id": "0193a000-0000-7000-8000-000000000009", "article_id": "0193a000-0000-7000-8000-00000000000a", "color": "red", "target": {"start": 0, "end": 3, "exact": "abc"}, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}]}`,
		"typed.json":  `{"format": "gloss", "version": 1, "articles": [{"title": 5}]}`,
	}
	for name, content := range files {
		l.file(name, content)
	}
	// A 60 MB file (sparse: nothing is written).
	if err := os.Truncate(l.file("huge.txt", "x"), 60<<20); err != nil {
		t.Fatal(err)
	}
	p := func(name string) string { return filepath.Join(l.dir, name) }
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown verb", []string{"frobnicate"}, 2, "unknown command"},
		{"unknown flag", []string{"notes", "--frob"}, 2, "unknown flag"},
		{"add without a file", []string{"add"}, 2, "at least one FILE"},
		{"add a missing file", []string{"add", p("nope.txt")}, 1, "no such file"},
		{"add an empty file", []string{"add", p("empty.txt")}, 1, "empty"},
		{"add a damaged PDF", []string{"add", p("paper.pdf")}, 1, "is a damaged or unreadable PDF"},
		{"add a binary file", []string{"add", p("image.txt")}, 1, "not a text file"},
		{"add a folder", []string{"add", l.dir}, 1, "folder"},
		{"add a file over the size limit", []string{"add", p("huge.txt")}, 1, "the limit is 50 MB"},
		{"one bad file adds none", []string{"add", p("talks.txt"), p("paper.pdf")}, 1, "PDF"},
		{"highlight without a passage", []string{"highlight", id}, 2, "--quote"},
		{"highlight both ways", []string{"highlight", id, "--quote", "x", "--start", "1", "--end", "2"}, 2, "not both"},
		{"highlight a missing quote", []string{"highlight", id, "--quote", "ceasefire"}, 1, "quote not found"},
		{"highlight occurrence 0", []string{"highlight", id, "--quote", "Geneva", "--nth", "0"}, 2, "counts occurrences from 1"},
		{"highlight past the end", []string{"highlight", id, "--start", "5", "--end", "99999"}, 1, "out of range"},
		{"highlight a bad colour", []string{"highlight", id, "--quote", "Geneva", "--color", "pink"}, 2, "unknown colour"},
		{"highlight an empty tag", []string{"highlight", id, "--quote", "Geneva", "--tag", " "}, 1, "tag cannot be empty"},
		{"highlight a tag with a comma", []string{"highlight", id, "--quote", "Geneva", "--tag", "a,b"}, 1, "comma"},
		{"unknown article", []string{"notes", "ffff"}, 1, "not found"},
		{"ambiguous prefix", []string{"notes", id[:1]}, 1, "ambiguous ID prefix"},
		{"not an ID", []string{"notes", "xyz"}, 1, "hex digits"},
		{"edit nothing", []string{"edit", h}, 2, "nothing to change"},
		{"edit unknown", []string{"edit", "abcdef", "--note", "x"}, 1, "not found"},
		{"import malformed JSON", []string{"import", p("broken.json")}, 1, "line 4, column 16"},
		{"import other JSON", []string{"import", p("other.json")}, 1, `no "format" field`},
		{"import a newer version", []string{"import", p("newer.json")}, 1, "newer Gloss"},
		{"import an annotation of no article", []string{"import", p("orphan.json")}, 1, "neither in the file nor in the library"},
		{"import wrong types", []string{"import", p("typed.json")}, 1, "articles.title must be string"},
		{"import an empty file", []string{"import", p("empty.txt")}, 1, "is empty"},
		{"export an unknown format", []string{"export", "--format", "yaml"}, 2, "unknown export format"},
		{"colour meaning of no colour", []string{"colors", "pink", "x"}, 2, "unknown colour"},
	}
	before := l.snapshot()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := l.run("", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if !strings.HasPrefix(errs, "gloss: ") || strings.Count(errs, "\n") != 1 {
				t.Errorf("stderr is not one line starting gloss: %q", errs)
			}
			if !strings.Contains(errs, tt.msg) {
				t.Errorf("stderr %q does not say %q", errs, tt.msg)
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
			if after := l.snapshot(); after != before {
				t.Errorf("the library changed")
			}
		})
	}
}

func TestCLI_LockedLibrary(t *testing.T) {
	l := newLib(t)
	l.ok("add", l.file("first.txt", "A first article.")) // read verbs no longer create the library
	db, err := storage.Open(l.path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, verb := range [][]string{{"articles"}, {"notes"}, {"check"}, {"add", l.file("a.txt", "text")}} {
		_, errs, code := l.run("", verb...)
		if code != 1 || !strings.Contains(errs, "open in another Gloss process") {
			t.Errorf("%v: exit %d, stderr %q", verb, code, errs)
		}
	}
}

func TestCLI_ImportFromStdin(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	l.ok("highlight", id, "--quote", "lake")
	data := l.ok("export")
	other := newLib(t)
	out, errs, code := other.run(data, "import", "-", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep map[string]map[string]int
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep["annotations"]["added"] != 1 {
		t.Errorf("import --json = %s (%v)", out, err)
	}
}

func TestCLI_Colors(t *testing.T) {
	l := newLib(t)
	l.ok("colors", "yellow", "main claim")
	out := l.ok("colors")
	if !strings.Contains(out, "1\tyellow  \tmain claim") || !strings.Contains(out, "8\tgray") {
		t.Errorf("colors printed:\n%s", out)
	}
}

func TestCLI_NoVerbPrintsHelpWithoutAWindow(t *testing.T) {
	l := newLib(t)
	out := l.ok()
	if !strings.Contains(out, "highlight") || !strings.Contains(out, "export") {
		t.Errorf("help lacks the verbs:\n%s", out)
	}
}

func TestCLI_DamagedLibraryAndRestoreBackup(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	before := l.snapshot() // this second open makes the day's backup first
	l.ok("highlight", id, "--quote", "Geneva")
	backups, _ := storage.Backups(l.path)
	if len(backups) != 1 {
		t.Fatalf("backups: %v", backups)
	}
	// Scribble over the meta pages.
	f, _ := os.OpenFile(l.path, os.O_RDWR, 0)
	f.WriteAt(bytes.Repeat([]byte{0xAB}, 8192), 0)
	f.Close()
	damaged, _ := os.ReadFile(l.path)

	_, errs, code := l.run("", "notes")
	if code != 1 || !strings.Contains(errs, "damaged") || !strings.Contains(errs, backups[0]) || !strings.Contains(errs, "restore-backup") {
		t.Errorf("notes on a damaged library: exit %d, %q", code, errs)
	}
	if now, _ := os.ReadFile(l.path); !bytes.Equal(now, damaged) {
		t.Errorf("the damaged file was written to")
	}
	// Answering no changes nothing.
	_, errs, code = l.run("n\n", "restore-backup")
	if code != 1 || !strings.Contains(errs, "nothing was changed") {
		t.Errorf("restore-backup answered no: exit %d, %q", code, errs)
	}
	out, errs, code := l.run("y\n", "restore-backup")
	if code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore-backup: exit %d, %q %q", code, out, errs)
	}
	if after := l.snapshot(); after != before {
		t.Errorf("the restored library differs from the one backed up:\n%s\n---\n%s", after, before)
	}
}

func TestCLI_NewerLibraryRefusedUntouched(t *testing.T) {
	l := newLib(t)
	l.ok("add", l.file("talks.txt", article))
	b, err := bolt.Open(l.path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("99")) })
	b.Close()
	before, _ := os.ReadFile(l.path)
	for _, verb := range [][]string{{"articles"}, {"check"}, {"add", l.file("b.txt", "other text")}} {
		_, errs, code := l.run("", verb...)
		if code != 1 || !strings.Contains(errs, "newer version of Gloss") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", verb, code, errs)
		}
	}
	if after, _ := os.ReadFile(l.path); !bytes.Equal(before, after) {
		t.Errorf("the newer library was written to")
	}
	// Put it back so the test's final check can open it.
	b, _ = bolt.Open(l.path, 0o600, nil)
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("1")) })
	b.Close()
}

func TestCLI_Update(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	h1 := strings.TrimSpace(l.ok("highlight", id, "--quote", "met in Geneva"))
	h2 := strings.TrimSpace(l.ok("highlight", id, "--quote", "the café near the lake was full"))
	revised := strings.Replace(article, "Negotiators met", "On a cold morning, negotiators met", 1)
	revised = strings.Replace(revised, "The talks resumed on Friday, and the café near the lake was full.\n", "", 1)
	out := l.ok("update", id[:8], l.file("talks-v2.txt", revised))
	if !strings.Contains(out, "1 anchored, 0 fuzzy, 1 orphaned") {
		t.Errorf("update printed %q", out)
	}
	var notes []map[string]any
	json.Unmarshal([]byte(l.ok("notes", id, "--json")), &notes)
	for _, n := range notes {
		target := n["target"].(map[string]any)
		switch n["id"] {
		case h1:
			if n["status"] != "anchored" || target["start"] != float64(strings.Index(revised, "met in Geneva")) {
				t.Errorf("moved highlight: %v", n)
			}
		case h2:
			if n["status"] != "orphaned" {
				t.Errorf("deleted passage: %v", n)
			}
		}
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(l.ok("update", id, l.file("talks-v3.txt", revised+"\nA last line.\n"), "--json")), &list); err != nil || len(list) != 2 {
		t.Errorf("update --json: %v %v", list, err)
	}
	l.ok("update", "--undo", id)
	l.ok("update", "--undo", id)
	if got := l.ok("notes", id, "--json"); !strings.Contains(got, fmt.Sprintf(`"start": %d,`, strings.Index(article, "met in Geneva"))) || strings.Contains(got, "orphaned") {
		t.Errorf("after two undos the highlights are not back: %s", got)
	}
	_, errs, code := l.run("", "update", "--undo", id)
	if code != 1 || !strings.Contains(errs, "no earlier text") {
		t.Errorf("undo with nothing to undo: %d %q", code, errs)
	}
	_, errs, code = l.run("", "update", id)
	if code != 2 {
		t.Errorf("update without a file: %d %q", code, errs)
	}
}

func TestCLI_ExportFormats(t *testing.T) {
	l := newLib(t)
	src := l.file("talks.txt", article)
	id, _, _ := strings.Cut(l.ok("add", src), "\t")
	h := strings.TrimSpace(l.ok("highlight", id, "--quote", "the café near the lake", "--color", "green", "--note", "=SUM(A1) *where*", "--tag", "place", "--tag", "peace talks"))
	gone := strings.TrimSpace(l.ok("highlight", id, "--quote", "Geneva"))
	l.ok("rm", gone)

	csvOut := l.ok("export", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || strings.Join(rows[0], ",") != "id,article_id,article_title,color,color_meaning,quote,note,tags,start,end,status,created_at,updated_at,article_authors,article_year,article_doi,article_url,page,author" {
		t.Fatalf("csv: %q", rows)
	}
	if r := rows[1]; r[0] != h || r[3] != "green" || r[4] != "evidence" || r[5] != "the café near the lake" || r[6] != "'=SUM(A1) *where*" || r[7] != "place; peace talks" {
		t.Errorf("csv row: %q", r)
	}

	md := l.ok("export", "--format", "markdown")
	for _, want := range []string{"# Peace Talks Resume", "> the café near the lake", "evidence", "#peace-talks"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "Geneva\n") {
		t.Errorf("markdown holds a trashed highlight")
	}
	tmpl := l.file("note.tmpl", "{{.Title}}: {{len .Highlights}} highlight(s)\n")
	if got := l.ok("export", "--format", "markdown", "--template", tmpl); got != "Peace Talks Resume: 1 highlight(s)\n" {
		t.Errorf("template export: %q", got)
	}
	vault := filepath.Join(l.dir, "vault")
	files := strings.Split(strings.TrimSpace(l.ok("export", "--format", "markdown", "--split", vault)), "\n")
	if len(files) != 1 || !strings.HasPrefix(files[0], vault) {
		t.Errorf("split wrote %q", files)
	}

	// W3C: export, then import into another library that holds the same
	// article (added from the same file): the annotation comes back whole.
	w3c := filepath.Join(l.dir, "notes.jsonld")
	l.ok("export", "--format", "w3c", "-o", w3c)
	other := newLib(t)
	other.ok("add", src)
	if got := other.ok("import", w3c); !strings.Contains(got, "annotations: 1 added") {
		t.Fatalf("w3c import: %q", got)
	}
	var mine, theirs []map[string]any
	json.Unmarshal([]byte(l.ok("notes", "--json")), &mine)
	json.Unmarshal([]byte(other.ok("notes", "--json")), &theirs)
	if len(theirs) != 1 || theirs[0]["id"] != mine[0]["id"] || theirs[0]["note"] != mine[0]["note"] ||
		fmt.Sprint(theirs[0]["target"]) != fmt.Sprint(mine[0]["target"]) || fmt.Sprint(theirs[0]["tags"]) != fmt.Sprint(mine[0]["tags"]) {
		t.Errorf("w3c round trip:\n%v\n%v", mine, theirs)
	}
	// Into a library without the article, it is refused and changes nothing.
	empty := newLib(t)
	empty.ok("add", empty.file("x.txt", "unrelated"))
	before := empty.snapshot()
	_, errs, code := empty.run("", "import", w3c)
	if code != 1 || !strings.Contains(errs, "not in the library") || empty.snapshot() != before {
		t.Errorf("w3c import without the article: %d %q", code, errs)
	}
	_, errs, code = l.run("", "export", "--format", "csv", "--split", vault)
	if code != 2 {
		t.Errorf("--split with csv: %d %q", code, errs)
	}
}

func TestCLI_ExportQuery(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	l.ok("highlight", id, "--quote", "Geneva", "--note", "where the negotiations happened", "--tag", "place")
	l.ok("highlight", id, "--quote", "the lake", "--tag", "scenery")
	rows, _ := csv.NewReader(strings.NewReader(l.ok("export", "--format", "csv", "--query", "negotiatons"))).ReadAll()
	if len(rows) != 2 || rows[1][5] != "Geneva" {
		t.Errorf("export --query with a typo: %q", rows)
	}
	rows, _ = csv.NewReader(strings.NewReader(l.ok("export", "--format", "csv", "--query", "tag:scenery"))).ReadAll()
	if len(rows) != 2 || rows[1][5] != "the lake" {
		t.Errorf("export --query tag: %q", rows)
	}
	if _, errs, code := l.run("", "export", "--query", `"open`); code != 2 {
		t.Errorf("bad query: %d %q", code, errs)
	}
}

func TestCLI_UsageMessages(t *testing.T) {
	l := newLib(t)
	tests := []struct {
		args []string
		want string // in the one-line error
	}{
		{[]string{"help", "frob"}, `unknown command "frob" (see gloss --help)`},
		{[]string{"frob"}, `unknown command "frob" (see gloss --help)`},
		{[]string{"ad"}, `unknown command "ad"; did you mean add?`},
		{[]string{"hilight"}, `did you mean highlight?`},
		{[]string{"help", "exprot"}, `did you mean export?`},
		{[]string{"highlight", "0193", "0194", "--quote", "x"}, `highlight takes one argument (ARTICLE ID), got 2: "0193" "0194"`},
		{[]string{"edit", "a", "b", "--note", "x"}, `edit takes one argument (annotation ID), got 2`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errs, code := l.run("", tt.args...)
			if code != ExitUsage || !strings.Contains(errs, tt.want) || strings.Count(errs, "\n") != 1 || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and %q", code, errs, out, tt.want)
			}
		})
	}
	// Help on a real verb works; the summary names every export format.
	if out := l.ok("help", "add"); !strings.Contains(out, "Add articles") {
		t.Errorf("help add: %q", out)
	}
	if out := l.ok("--help"); !strings.Contains(out, "JSON, W3C JSON-LD, Markdown, CSV or a PDF") {
		t.Errorf("--help does not name the export formats:\n%s", out)
	}
}

func TestCLI_OpenFiles(t *testing.T) {
	l := newLib(t)
	a := filepath.Join(l.dir, "a.txt")
	b := filepath.Join(l.dir, "b.md")
	os.WriteFile(a, []byte(article), 0o644)
	os.WriteFile(b, []byte("# Second\n\nAnother article."), 0o644)
	var opened []string
	run := func(canOpen error, args ...string) (string, int) {
		var out, errb bytes.Buffer
		env := Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""),
			GUI:        func(lib, art string) error { opened = append(opened, art); return nil },
			CanOpenGUI: func() error { return canOpen },
		}
		code := Run(append([]string{"--db", l.path}, args...), env)
		return errb.String(), code
	}
	// No display: nothing is added, the library is not even created.
	if errs, code := run(errors.New("no display found"), a); code != ExitFailure || !strings.Contains(errs, "no display") {
		t.Fatalf("without a display: exit %d %q", code, errs)
	}
	if _, err := os.Stat(l.path); err == nil {
		t.Fatal("the library was created though the window could not open")
	}
	// gloss FILE: added, the window at it.
	if errs, code := run(nil, a); code != ExitOK {
		t.Fatalf("gloss FILE: exit %d %q", code, errs)
	}
	list := strings.Fields(l.ok("articles"))
	if len(opened) != 1 || len(list) == 0 || list[0] != opened[0] {
		t.Fatalf("opened %q; articles %q", opened, list)
	}
	// gloss open FILE FILE: both added (the first again is the same
	// article), the window at the last.
	if errs, code := run(nil, "open", a, b); code != ExitOK {
		t.Fatalf("gloss open FILES: exit %d %q", code, errs)
	}
	out := l.ok("articles")
	if n := strings.Count(out, "\n"); n != 2 || !strings.Contains(out, opened[1]) || !strings.Contains(out, "Second") {
		t.Errorf("after open of two files: %q, opened %q", out, opened)
	}
	// gloss open ARTICLE: the window at that article, nothing added.
	if _, code := run(nil, "open", opened[0][:8]); code != ExitOK || opened[2] != opened[0][:8] {
		t.Errorf("gloss open ARTICLE: exit %d, opened %q", code, opened)
	}
	// A word that is neither a file nor a verb.
	if errs, code := run(nil, "nosuchfile.txt"); code != ExitUsage || !strings.Contains(errs, "unknown command") {
		t.Errorf("gloss nosuchfile.txt: exit %d %q", code, errs)
	}
}

func TestCLI_ManageArticles(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	l.ok("highlight", id, "--quote", "Geneva")
	out := l.ok("article", "set", id[:8], "--author", "Ann Reporter", "--author", "Bo Writer", "--year", "2025", "--doi", "https://doi.org/10.1000/peace")
	if !strings.Contains(out, "Ann Reporter, Bo Writer · 2025 · doi:10.1000/peace") {
		t.Errorf("set: %q", out)
	}
	l.ok("article", "rename", id[:8], "Peace talks")
	var arts []struct {
		Title   string   `json:"title"`
		Authors []string `json:"authors"`
		Year    int      `json:"year"`
		DOI     string   `json:"doi"`
	}
	json.Unmarshal([]byte(l.ok("articles", "--json")), &arts)
	if len(arts) != 1 || arts[0].Title != "Peace talks" || len(arts[0].Authors) != 2 || arts[0].Year != 2025 || arts[0].DOI != "10.1000/peace" {
		t.Errorf("articles --json: %+v", arts)
	}
	// To the trash, with its highlight; listed there; back.
	l.ok("article", "rm", id[:8])
	if out := l.ok("articles"); out != "" {
		t.Errorf("articles lists a trashed article: %q", out)
	}
	if out := l.ok("notes"); out != "" {
		t.Errorf("notes lists a trashed article's highlight: %q", out)
	}
	if out := l.ok("trash"); !strings.Contains(out, "Articles:\n"+id+"\tPeace talks\tin the trash since") {
		t.Errorf("trash: %q", out)
	}
	l.ok("article", "restore", id[:8])
	if out := l.ok("notes", id[:8]); !strings.Contains(out, "Geneva") {
		t.Errorf("after restore: %q", out)
	}
	if out := l.ok("trash"); out != "The trash is empty.\n" {
		t.Errorf("trash after restore: %q", out)
	}
	// Bad input: one line, exit 1 or 2, nothing changed.
	before := l.snapshot()
	for _, args := range [][]string{
		{"article", "set", id, "--doi", "not a doi"},
		{"article", "set", id, "--year", "99999"},
		{"article", "set", id, "--url", "ftp://x"},
		{"article", "set", id},
		{"article", "rename", id},
		{"article"},
		{"article", "frob", id},
	} {
		out, errs, code := l.run("", args...)
		if code == ExitOK || out != "" || strings.Count(errs, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if l.snapshot() != before {
		t.Errorf("a refused change changed the library")
	}
}

func TestCLI_EmptyTrash(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	keep := strings.TrimSpace(l.ok("highlight", id, "--quote", "Geneva"))
	gone := strings.TrimSpace(l.ok("highlight", id, "--quote", "Tuesday"))
	l.ok("rm", gone)
	other, _, _ := strings.Cut(l.ok("add", l.file("other.txt", "Another article about grain.")), "\t")
	l.ok("article", "rm", other)
	// Asked, and "no" deletes nothing.
	before := l.snapshot()
	out, errs, code := l.run("n\n", "trash", "--empty")
	if code != ExitFailure || !strings.Contains(out, "Delete 1 article and 1 highlight in the trash for good?") || !strings.Contains(errs, "nothing was deleted") {
		t.Fatalf("no: exit %d, %q, %q", code, out, errs)
	}
	if l.snapshot() != before {
		t.Fatal("answering no changed the library")
	}
	if out := l.ok("trash", "--empty", "--yes"); out != "deleted 1 article and 1 highlight for good\n" {
		t.Errorf("--empty --yes: %q", out)
	}
	if out := l.ok("trash"); out != "The trash is empty.\n" {
		t.Errorf("after emptying: %q", out)
	}
	if out := l.ok("notes"); !strings.Contains(out, keep) || strings.Contains(out, gone) {
		t.Errorf("notes after emptying: %q", out)
	}
	l.ok("check")
}

func TestCLI_AddWebPage(t *testing.T) {
	l := newLib(t)
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		if r.URL.Path != "/talks" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><head><title>Peace talks</title><script src=/a.js></script></head><body><article><p>%s</p></article></body></html>", article)
	}))
	defer srv.Close()
	id, _, _ := strings.Cut(l.ok("add", srv.URL+"/talks"), "\t")
	var arts []struct{ ID, Source, Title string }
	if err := json.Unmarshal([]byte(l.ok("articles", "--json")), &arts); err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].ID != id || arts[0].Source != srv.URL+"/talks" || requests != 1 {
		t.Fatalf("articles %+v after %d requests", arts, requests)
	}
	before := l.snapshot()
	_, stderr, code := l.run("", "add", srv.URL+"/gone")
	if code != 1 || !strings.Contains(stderr, "answered 404 Not Found") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("a missing page: exit %d, %q", code, stderr)
	}
	if l.snapshot() != before {
		t.Errorf("a failed fetch changed the library")
	}
}
