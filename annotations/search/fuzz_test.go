package search

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// FuzzQuery runs arbitrary queries: no panic, errors wrap ErrQuery and are
// one line, every match range lies inside its field, in order.
func FuzzQuery(f *testing.F) {
	for _, q := range append(testQueries,
		`"unclosed`, `tag:"a b" -tag:c color:9 is:x`, "-\"x\"", "a:b:c", "tag:C++ ɪ İ ß ﬁ", "\x00\xff\"", "-- - -tag:",
		`"a a b" "a"`, "café CAFE\u0301", "🙂🙂", "article:0193a000-0000-7000-8000-000000000003") {
		f.Add(q)
	}
	as := append(fixture(), annotations.Annotation{
		ID: fid(7), ArticleID: artTalks, Tags: []string{"ß", "İstanbul", "a b"},
		Target: annotations.Target{Exact: "e\u0301\u0301 ǅ ﬁ 🙂 a a a b İ"}, Note: "Straße\x00 a, b",
	})
	byID := map[uuid.UUID]annotations.Annotation{}
	for _, a := range as {
		byID[a.ID] = a
	}
	ix := Build(as, fixtureTitles, nil)
	f.Fuzz(func(t *testing.T, q string) {
		hits, err := ix.Search(q, 0)
		if err != nil {
			if !errors.Is(err, ErrQuery) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Search(%q): %v", q, err)
			}
			return
		}
		for _, h := range hits {
			a, ok := byID[h.ID]
			if !ok || a.Trashed() || h.ArticleID != a.ArticleID || h.Score <= 0 || h.Score > 1 {
				t.Fatalf("Search(%q): bad hit %+v", q, h)
			}
			texts := map[string]string{
				"quote": a.Target.Exact, "note": a.Note,
				"tags": strings.Join(a.Tags, ", "), "title": fixtureTitles[a.ArticleID],
			}
			for field, ranges := range h.Matches {
				text, ok := texts[field]
				if !ok {
					t.Fatalf("Search(%q): unknown field %q", q, field)
				}
				n, last := utf8.RuneCountInString(text), 0
				for _, r := range ranges {
					if r[0] < last || r[0] >= r[1] || r[1] > n {
						t.Fatalf("Search(%q): %s range %v of %d runes (after %d)", q, field, r, n, last)
					}
					last = r[1]
				}
			}
		}
	})
}
