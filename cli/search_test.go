package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCLI_Search(t *testing.T) {
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	h1 := strings.TrimSpace(l.ok("highlight", id, "--quote", "Negotiators met in Geneva", "--note", "A consensus, later.", "--tag", "diplomacy"))
	h2 := strings.TrimSpace(l.ok("highlight", id, "--quote", "the café near the lake", "--color", "green"))
	h3 := strings.TrimSpace(l.ok("highlight", id, "--quote", "The talks resumed", "--nth", "1", "--tag", "Timeline"))

	type hit struct {
		ID        string              `json:"id"`
		ArticleID string              `json:"article_id"`
		Score     float64             `json:"score"`
		Matches   map[string][][2]int `json:"matches"`
	}
	searchJSON := func(args ...string) []hit {
		t.Helper()
		out := l.ok(append([]string{"search", "--json"}, args...)...)
		var hits []hit
		if err := json.Unmarshal([]byte(out), &hits); err != nil {
			t.Fatalf("search %v --json: %v\n%s", args, err, out)
		}
		return hits
	}
	idsOf := func(hits []hit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, h.ID)
		}
		return out
	}

	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"consesus"}, []string{h1}},
		{[]string{"negot"}, []string{h1}},
		{[]string{"CAFE"}, []string{h2}},
		{[]string{"talks", "resumed"}, []string{h3, h2, h1}}, // the others by their title
		{[]string{`"resumed talks"`}, nil},
		{[]string{"tag:timeline"}, []string{h3}},
		{[]string{"color:green"}, []string{h2}},
		{[]string{"-tag:diplomacy", "has:tags"}, []string{h3}},
		{[]string{"xylophone"}, nil},
	}
	for _, tt := range tests {
		if got := idsOf(searchJSON(tt.args...)); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("search %v = %v, want %v", tt.args, got, tt.want)
		}
	}

	// Highlights made in the same millisecond tie on recency: check sets.
	if got := idsOf(searchJSON("article:peace", "-tag:timeline", "--limit", "1")); len(got) != 1 || got[0] == h3 {
		t.Errorf("search article:peace -tag:timeline --limit 1 = %v", got)
	}

	hits := searchJSON("consesus")
	if h := hits[0]; h.ArticleID != id || h.Score <= 0 || h.Score > 1 || len(h.Matches["note"]) != 1 || h.Matches["note"][0] != [2]int{2, 11} {
		t.Errorf("hit = %+v", h)
	}
	if out := l.ok("search", "--json", "nothing-like-it"); strings.TrimSpace(out) != "[]" {
		t.Errorf("no hits printed %q, want []", out)
	}

	human := l.ok("search", "negot", "talks")
	for _, want := range []string{"# Peace «Talks» Resume (" + id + ")", h1, "“«Negot»iators met in Geneva”", "tags: diplomacy"} {
		if !strings.Contains(human, want) {
			t.Errorf("search output lacks %q:\n%s", want, human)
		}
	}
	human = l.ok("search", "cafe", "tag:timeline")
	if human != "" {
		t.Errorf("search with no hit printed %q", human)
	}
	human = l.ok("search", "resumed", "tag:timeline")
	if !strings.Contains(human, "tags: «Timeline»") {
		t.Errorf("a tag: match is not shown:\n%s", human)
	}

	if out := l.ok("search", "--help"); !strings.Contains(out, "tag:NAME") {
		t.Errorf("search --help printed %q", out)
	}
	if got := idsOf(searchJSON("--limit=1", "--", "-tag:diplomacy")); len(got) != 1 || got[0] == h1 {
		t.Errorf("search --limit=1 -- -tag:diplomacy = %v, want one of %s, %s", got, h2, h3)
	}

	l.ok("rm", h2)
	if got := searchJSON("cafe"); len(got) != 0 {
		t.Errorf("a trashed annotation is found: %v", got)
	}
}

func TestCLI_SearchBadUsage(t *testing.T) {
	l := newLib(t)
	l.ok("add", l.file("talks.txt", article))
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"search"}, "needs a QUERY"},
		{[]string{"search", `"peace talks`}, "bad query: unclosed quote"},
		{[]string{"search", "color:pink"}, "unknown colour"},
		{[]string{"search", "foo:bar"}, `unknown qualifier "foo:"`},
		{[]string{"search", "talks", "--limit", "0"}, "--limit must be at least 1"},
		{[]string{"search", "talks", "--limit", "x"}, "invalid argument"},
		{[]string{"search", "talks", "--limit"}, "flag needs an argument"},
		{[]string{"search", "talks", "--frob"}, "unknown flag: --frob"},
		{[]string{"search", "--json"}, "needs a QUERY"},
	}
	for _, tt := range tests {
		out, errs, code := l.run("", tt.args...)
		if code != ExitUsage || out != "" || !strings.HasPrefix(errs, "gloss: ") || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", tt.args, code, out, errs, tt.msg)
		}
	}
}
