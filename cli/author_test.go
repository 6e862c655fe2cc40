package cli

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestCLI_Author(t *testing.T) {
	l := newLib(t)
	l.ok("add", l.file("talks.txt", article))
	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string // stdout exactly; a part of stderr
	}{
		{"none set yet", []string{"author"}, 0, "", "no author name is set"},
		{"set, normalised", []string{"author", "  Ana   Lima "}, 0, "Ana Lima\n", ""},
		{"shown", []string{"author"}, 0, "Ana Lima\n", ""},
		{"blank name", []string{"author", "  "}, 2, "", "the author name is empty"},
		{"control character", []string{"author", "Ana\x07"}, 2, "", "control character"},
		{"too long", []string{"author", strings.Repeat("x", 101)}, 2, "", "at most 100 characters"},
		{"a name and --clear", []string{"author", "Zoë", "--clear"}, 2, "", "not both"},
		{"two names", []string{"author", "Ana", "Lima"}, 2, "", "at most 1 argument"},
		{"the refused ones changed nothing", []string{"author"}, 0, "Ana Lima\n", ""},
		{"changed", []string{"author", "Zoë Brandt"}, 0, "Zoë Brandt\n", ""},
		{"cleared", []string{"author", "--clear"}, 0, "", ""},
		{"none again", []string{"author"}, 0, "", "no author name is set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := l.run("", tt.args...)
			if code != tt.code || out != tt.out || !strings.Contains(errs, tt.err) {
				t.Errorf("gloss %q: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr with %q",
					tt.args, code, out, errs, tt.code, tt.out, tt.err)
			}
			if code != 0 && (strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "gloss: ")) {
				t.Errorf("the error is not one line starting gloss: %q", errs)
			}
		})
	}
}

func TestCLI_Author_NoLibrary(t *testing.T) {
	l := newLib(t)
	// Reading or clearing never creates a library; setting a name does.
	for _, args := range [][]string{{"author"}, {"author", "--clear"}} {
		if _, errs, code := l.run("", args...); code != 1 || !strings.Contains(errs, "gloss add FILE creates one") {
			t.Errorf("gloss %q without a library: exit %d, %q", args, code, errs)
		}
	}
	if out := l.ok("author", "Ana Lima"); out != "Ana Lima\n" {
		t.Errorf("set on a new library: %q", out)
	}
}

// TestCLI_Author_Filters highlights as two authors and as none, edits one
// as the other, and lists and exports by author.
func TestCLI_Author_Filters(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	l.ok("author", "Ana Lima")
	ana := strings.TrimSpace(l.ok("highlight", id, "--quote", "Geneva", "--tag", "place"))
	l.ok("author", "Zoë Brandt")
	zoe := strings.TrimSpace(l.ok("highlight", id, "--quote", "Friday"))
	l.ok("edit", ana, "--note", "edited by Zoë") // Ana's still
	l.ok("author", "--clear")
	anon := strings.TrimSpace(l.ok("highlight", id, "--quote", "lake"))

	notesBy := func(args ...string) []string {
		t.Helper()
		var notes []struct {
			ID     string `json:"id"`
			Author string `json:"author"`
		}
		if err := json.Unmarshal([]byte(l.ok(append([]string{"notes", "--json"}, args...)...)), &notes); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, n := range notes {
			ids = append(ids, n.ID+" "+n.Author)
		}
		return ids
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"all, with their authors", nil, []string{ana + " Ana Lima", zoe + " Zoë Brandt", anon + " "}},
		{"by author", []string{"--author", "Ana Lima"}, []string{ana + " Ana Lima"}},
		{"any case, accents, spacing", []string{"--author", " zoe   BRANDT"}, []string{zoe + " Zoë Brandt"}},
		{"with an article and a tag", []string{id, "--author", "ana lima", "--tag", "place"}, []string{ana + " Ana Lima"}},
		{"no one by that name", []string{"--author", "Ana"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := notesBy(tt.args...); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("notes %q = %q, want %q", tt.args, got, tt.want)
			}
		})
	}

	// The listing for people shows the author on the annotation's line.
	text := l.ok("notes", id)
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, ana):
			if !strings.HasSuffix(line, "  by Ana Lima") {
				t.Errorf("Ana's line: %q", line)
			}
		case strings.HasPrefix(line, anon):
			if strings.Contains(line, " by ") {
				t.Errorf("the line of a highlight without an author: %q", line)
			}
		}
	}
	if _, errs, code := l.run("", "notes", "--author", " "); code != 2 || !strings.Contains(errs, "--author is empty") {
		t.Errorf("notes --author blank: exit %d, %q", code, errs)
	}

	// Exports: filtered by author, and the author in each format.
	rows, err := csv.NewReader(strings.NewReader(l.ok("export", "--format", "csv", "--author", "zoë brandt"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][len(rows[0])-1] != "author" || rows[1][0] != zoe || rows[1][len(rows[1])-1] != "Zoë Brandt" {
		t.Errorf("csv --author: %q", rows)
	}
	var native struct {
		Annotations []struct {
			ID     string `json:"id"`
			Author string `json:"author"`
		} `json:"annotations"`
	}
	if err := json.Unmarshal([]byte(l.ok("export", "--author", "ANA LIMA")), &native); err != nil {
		t.Fatal(err)
	}
	if len(native.Annotations) != 1 || native.Annotations[0].ID != ana || native.Annotations[0].Author != "Ana Lima" {
		t.Errorf("json --author: %+v", native.Annotations)
	}
	w3c := l.ok("export", "--format", "w3c", "--author", "Zoë Brandt")
	if !strings.Contains(w3c, `"name": "Zoë Brandt"`) || strings.Contains(w3c, "Ana Lima") || strings.Count(w3c, `"type": "Annotation"`) != 1 {
		t.Errorf("w3c --author:\n%s", w3c)
	}
	md := l.ok("export", "--format", "markdown")
	if !strings.Contains(md, "· by Ana Lima") || !strings.Contains(md, "· by Zoë Brandt") || strings.Count(md, "· by ") != 2 {
		t.Errorf("markdown:\n%s", md)
	}
	if out := l.ok("export", "--author", "Nobody", "--format", "csv"); strings.Count(out, "\n") != 1 {
		t.Errorf("export by an unknown author: %q", out)
	}
	if _, errs, code := l.run("", "export", "--author", ""); code != 2 || !strings.Contains(errs, "--author is empty") {
		t.Errorf("export --author empty: exit %d, %q", code, errs)
	}

	// Export, then import into a library with an author of its own: the
	// annotations keep theirs.
	data := l.file("all.json", l.ok("export"))
	other := newLib(t)
	other.ok("author", "Someone Else")
	other.ok("import", data)
	var back []struct {
		ID     string `json:"id"`
		Author string `json:"author"`
	}
	if err := json.Unmarshal([]byte(other.ok("notes", "--json")), &back); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, n := range back {
		got[n.ID] = n.Author
	}
	if got[ana] != "Ana Lima" || got[zoe] != "Zoë Brandt" || got[anon] != "" || len(got) != 3 {
		t.Errorf("imported authors: %v", got)
	}
}

func TestCLI_SearchByAuthor(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	l.ok("author", "Ana Lima")
	ana := strings.TrimSpace(l.ok("highlight", id, "--quote", "Geneva"))
	l.ok("author", "Zoë Brandt")
	zoe := strings.TrimSpace(l.ok("highlight", id, "--quote", "Friday"))
	tests := []struct {
		query string
		want  []string
	}{
		{"author:ana", []string{ana}},
		{`author:"zoe brandt"`, []string{zoe}},
		{`-author:"ana lima"`, []string{zoe}},
		{"author:nobody", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var hits []struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal([]byte(l.ok("search", tt.query, "--json")), &hits); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, h := range hits {
				ids = append(ids, h.ID)
			}
			if strings.Join(ids, " ") != strings.Join(tt.want, " ") {
				t.Errorf("search %q = %q, want %q", tt.query, ids, tt.want)
			}
		})
	}
}
