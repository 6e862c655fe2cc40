package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLI_ImportW3CQuoteOnly: a W3C annotation from another tool with only
// a TextQuoteSelector, whose quote occurs once in the article, is anchored
// there; one whose quote occurs twice is orphaned, not guessed.
func TestCLI_ImportW3CQuoteOnly(t *testing.T) {
	l := newLib(t)
	l.ok("add", l.file("aims.txt", "Aims\n\nThe talks have one aim and only deadline: Friday. In Geneva, then in Geneva again.\n"))
	var arts []map[string]any
	if err := json.Unmarshal([]byte(l.ok("articles", "--json")), &arts); err != nil || len(arts) != 1 {
		t.Fatalf("articles --json: %v", err)
	}
	source := "urn:sha256:" + strings.TrimPrefix(arts[0]["hash"].(string), "sha256:")
	item := func(id, exact string) string {
		return `{"id": "` + id + `", "type": "Annotation", "motivation": "highlighting",
			"target": {"source": "` + source + `", "selector": {"type": "TextQuoteSelector", "exact": "` + exact + `"}}}`
	}
	file := l.file("other-tool.json", `{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage", "items": [`+
		item("https://example.org/anno/1", "only deadline")+", "+item("https://example.org/anno/2", "Geneva")+`]}`)
	if out, errs, code := l.run("", "import", file); code != 0 {
		t.Fatalf("import: exit %d: %s%s", code, out, errs)
	}
	var notes []struct {
		Status string `json:"status"`
		Target struct {
			Start, End int
			Exact      string
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(l.ok("notes", "--json")), &notes); err != nil || len(notes) != 2 {
		t.Fatalf("notes --json: %d notes, %v", len(notes), err)
	}
	byQuote := map[string]int{}
	for i, n := range notes {
		byQuote[n.Target.Exact] = i
	}
	unique := notes[byQuote["only deadline"]]
	if unique.Status != "anchored" || unique.Target.Start != 33 || unique.Target.End != 46 {
		t.Errorf("the unique quote: %+v, want anchored at [33, 46)", unique)
	}
	if twice := notes[byQuote["Geneva"]]; twice.Status != "orphaned" {
		t.Errorf("the quote that occurs twice: %+v, want orphaned", twice)
	}
}
