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

	// Into a copy of the PDF as highlight annotations, which a library
	// adding that copy brings back in: same words, colour and note.
	annotated := filepath.Join(t.TempDir(), "annotated.pdf")
	l.ok("export", "--format", "pdf", "--article", id, "-o", annotated)
	third := newLib(t)
	_, errs, code = third.run("", "add", annotated)
	if code != 0 || !strings.Contains(errs, "1 highlight saved in Fine-Grained Annotation of Scientific PDFs by another reader brought in") {
		t.Fatalf("add the exported PDF: %d %q", code, errs)
	}
	var back []struct {
		Color  string `json:"color"`
		Note   string `json:"note"`
		Target struct {
			Exact string `json:"exact"`
			Page  int    `json:"page"`
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(third.ok("notes", "--json")), &back); err != nil || len(back) != 1 {
		t.Fatalf("notes of the exported PDF: %v %v", back, err)
	}
	if b := back[0]; b.Color != "green" || b.Note != "the caption" || b.Target.Exact != "Figure 1: The first affine workflow" || b.Target.Page != 2 {
		t.Errorf("brought back %+v", b)
	}
	// Left out when asked; refused for an article that is no PDF.
	fourth := newLib(t)
	_, errs, _ = fourth.run("", "add", "--no-pdf-highlights", annotated)
	if notes := fourth.ok("notes"); strings.TrimSpace(notes) != "" || strings.Contains(errs, "brought in") {
		t.Errorf("--no-pdf-highlights: %q %q", notes, errs)
	}
	txt := strings.TrimSpace(l.ok("add", l.file("a.txt", "Plain words.")))
	txtID, _, _ := strings.Cut(txt, "\t")
	if _, errs, code := l.run("", "export", "--format", "pdf", "--article", txtID, "-o", annotated+"2"); code != 1 || !strings.Contains(errs, "not a PDF") {
		t.Errorf("pdf export of a text: %d %q", code, errs)
	}
	if _, errs, code := l.run("", "export", "--format", "pdf", "-o", annotated+"3"); code != 2 || !strings.Contains(errs, "--article") {
		t.Errorf("pdf export without --article: %d %q", code, errs)
	}
}
