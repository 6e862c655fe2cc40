package cli

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_PDF adds a two-column paper, highlights a caption on its second
// page and finds the page in the notes and in every export.
func TestCLI_PDF(t *testing.T) {
	l := newLib(t)
	paper := filepath.Join("..", "annotations", "formats", "testdata", "articles", "two-column-paper.pdf")
	out := l.ok("add", paper)
	id, title, _ := strings.Cut(strings.TrimSpace(out), "\t")
	if title != "Fine-Grained Annotation of Scientific PDFs" {
		t.Fatalf("add: %q", out)
	}
	h := strings.TrimSpace(l.ok("highlight", id, "--quote", "Figure 1: The first affine workflow", "--color", "3", "--note", "the caption"))
	if notes := l.ok("notes", id); !strings.Contains(notes, "  p. 2\n") {
		t.Errorf("notes do not name the page:\n%s", notes)
	}
	var list []struct {
		Target struct {
			Page  int `json:"page"`
			Rects []struct {
				Page           int
				X0, Y0, X1, Y1 float64
			} `json:"rects"`
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(l.ok("notes", id, "--json")), &list); err != nil || len(list) != 1 {
		t.Fatalf("notes --json: %v %v", list, err)
	}
	if tg := list[0].Target; tg.Page != 2 || len(tg.Rects) != 1 || tg.Rects[0].Page != 2 || tg.Rects[0].X1-tg.Rects[0].X0 < 100 {
		t.Errorf("target %+v", tg)
	}

	w3c := l.ok("export", "--format", "w3c")
	if !strings.Contains(w3c, `"type": "FragmentSelector"`) || !strings.Contains(w3c, `"value": "page=2"`) {
		t.Errorf("w3c export has no page selector:\n%s", w3c)
	}
	if md := l.ok("export", "--format", "markdown"); !strings.Contains(md, "**evidence** (green) · p. 2") {
		t.Errorf("markdown export has no page:\n%s", md)
	}
	rows, err := csv.NewReader(strings.NewReader(l.ok("export", "--format", "csv"))).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][17] != "page" || rows[1][17] != "2" || rows[1][0] != h {
		t.Errorf("csv: %q %v", rows, err)
	}

	// A native export brings the pages into another library, which has
	// the text but not the PDF.
	other := newLib(t)
	other.ok("import", other.file("all.json", l.ok("export", "--format", "json")))
	if notes := other.ok("notes", id); !strings.Contains(notes, "  p. 2\n") {
		t.Errorf("imported notes do not name the page:\n%s", notes)
	}
	// The PDF stays what it was: its text is not replaced.
	_, errs, code := l.run("", "update", id, l.file("v2.txt", "Another text."))
	if code != 1 || !strings.Contains(errs, "PDF article") {
		t.Errorf("update of a PDF: %d %q", code, errs)
	}
}
