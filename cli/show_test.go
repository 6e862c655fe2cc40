package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// runeSlice returns text[start:end] in runes.
func runeSlice(text string, start, end int) string {
	r := []rune(text)
	return string(r[start:end])
}

func TestCLI_Show(t *testing.T) {
	l := newLib(t)
	md := "# Reef survey\n\nCorals *bleached* in **2024**; see [the report](https://example.org/report).\n\n- first item\n- second item\n"
	id, _, _ := strings.Cut(l.ok("add", l.file("reef.md", md)), "\t")

	text := l.ok("show", id[:8])
	want := "Reef survey\n\nCorals bleached in 2024; see the report.\n\n• first item\n\n• second item\n"
	if text != want {
		t.Fatalf("show printed %q, want %q", text, want)
	}

	var got shownArticle
	if err := json.Unmarshal([]byte(l.ok("show", id, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.Title != "Reef survey" || got.Format != "markdown" || got.Text+"\n" != want {
		t.Fatalf("show --json: %+v", got)
	}
	type piece struct{ kind, text, href string }
	var blocks, spans []piece
	for _, b := range got.Blocks {
		blocks = append(blocks, piece{string(b.Kind), runeSlice(got.Text, b.Start, b.End), ""})
	}
	for _, s := range got.Spans {
		spans = append(spans, piece{string(s.Kind), runeSlice(got.Text, s.Start, s.End), s.Href})
	}
	for _, w := range []piece{{"heading", "Reef survey", ""}, {"item", "• first item", ""}, {"item", "• second item", ""}} {
		if !slices.Contains(blocks, w) {
			t.Errorf("blocks %+v lack %+v", blocks, w)
		}
	}
	for _, w := range []piece{{"emphasis", "bleached", ""}, {"strong", "2024", ""}, {"link", "the report", "https://example.org/report"}} {
		if !slices.Contains(spans, w) {
			t.Errorf("spans %+v lack %+v", spans, w)
		}
	}

	// A text file has no structure: empty lists, not null.
	plain, _, _ := strings.Cut(l.ok("add", l.file("plain.txt", "Just words.")), "\t")
	out := l.ok("show", plain, "--json")
	if !strings.Contains(out, `"blocks": []`) || !strings.Contains(out, `"spans": []`) {
		t.Errorf("show --json of a text file: %s", out)
	}
	if _, errs, code := l.run("", "show", "nothing-like-this"); code != 1 || !strings.HasPrefix(errs, "gloss: ") || strings.Count(errs, "\n") != 1 {
		t.Errorf("show of an unknown article: exit %d, %q", code, errs)
	}
	if _, _, code := l.run("", "show"); code != 2 {
		t.Errorf("show without an article: exit %d, want 2", code)
	}
}
