package annotations_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
)

func TestStructure_Check(t *testing.T) {
	const n = 10
	tests := map[string]struct {
		s    annotations.Structure
		fits bool
	}{
		"empty": {annotations.Structure{}, true},
		"blocks and spans": {annotations.Structure{
			Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 4}, {Kind: annotations.BlockParagraph, Start: 6, End: 10}},
			Spans:  []annotations.StyleSpan{{Kind: annotations.SpanLink, Start: 6, End: 8, Href: "https://example.org"}, {Kind: annotations.SpanImage, Start: 10, End: 10, Alt: "a map"}},
		}, true},
		"block past the text":  {annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockParagraph, Start: 2, End: 11}}}, false},
		"reversed span":        {annotations.Structure{Spans: []annotations.StyleSpan{{Kind: annotations.SpanStrong, Start: 5, End: 4}}}, false},
		"negative start":       {annotations.Structure{Spans: []annotations.StyleSpan{{Kind: annotations.SpanStrong, Start: -1, End: 4}}}, false},
		"unknown block kind":   {annotations.Structure{Blocks: []annotations.Block{{Kind: "marquee", Start: 0, End: 1}}}, false},
		"unknown span kind":    {annotations.Structure{Spans: []annotations.StyleSpan{{Kind: "blink", Start: 0, End: 1}}}, false},
		"level out of bounds":  {annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockItem, Level: 99, Start: 0, End: 1}}}, false},
		"address too long":     {annotations.Structure{Spans: []annotations.StyleSpan{{Kind: annotations.SpanLink, Start: 0, End: 1, Href: strings.Repeat("a", annotations.MaxHrefBytes+1)}}}, false},
		"blocks out of order":  {annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockParagraph, Start: 5, End: 6}, {Kind: annotations.BlockParagraph, Start: 0, End: 1}}}, false},
		"spans out of order":   {annotations.Structure{Spans: []annotations.StyleSpan{{Kind: annotations.SpanCode, Start: 5, End: 6}, {Kind: annotations.SpanCode, Start: 0, End: 1}}}, false},
		"nested, longer first": {annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockQuote, Level: 1, Start: 0, End: 10}, {Kind: annotations.BlockParagraph, Start: 0, End: 4}}}, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := tt.s.Check(n)
			if (err == nil) != tt.fits {
				t.Fatalf("Check = %v, want fits %v", err, tt.fits)
			}
			if err != nil && !errors.Is(err, annotations.ErrStructure) {
				t.Errorf("Check = %v, want ErrStructure", err)
			}
		})
	}
}

func TestStructure_SortAndStoredForm(t *testing.T) {
	s := annotations.Structure{
		Blocks: []annotations.Block{{Kind: annotations.BlockParagraph, Start: 0, End: 3}, {Kind: annotations.BlockQuote, Level: 1, Start: 0, End: 9}, {Kind: annotations.BlockParagraph, Start: 5, End: 9}},
		Spans:  []annotations.StyleSpan{{Kind: annotations.SpanStrong, Start: 6, End: 7}, {Kind: annotations.SpanLink, Start: 1, End: 2, Href: "#x"}},
	}
	s.Sort()
	if s.Blocks[0].Kind != annotations.BlockQuote || s.Blocks[2].Start != 5 || s.Spans[0].Kind != annotations.SpanLink {
		t.Fatalf("sorted: %+v", s)
	}
	raw, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back annotations.Structure
	if err := back.UnmarshalBinary(raw); err != nil || !reflect.DeepEqual(back, s) {
		t.Fatalf("read back %+v, %v; want %+v", back, err, s)
	}
	if err := back.UnmarshalBinary([]byte(`{"blocks":[`)); !errors.Is(err, annotations.ErrStructure) {
		t.Errorf("damaged stored form: %v, want ErrStructure", err)
	}
}

// A structure is kept with the text it was made for: a revised text gets
// its own, undoing the revision brings the earlier one back, and emptying
// the trash removes them.
func TestService_ArticleStructure(t *testing.T) {
	svc := newService(t)
	const v1, v2 = "Title\n\nSome *words* here.", "Title\n\nOther words, and a link."
	st1 := &annotations.Structure{
		Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 5}},
		Spans:  []annotations.StyleSpan{{Kind: annotations.SpanEmphasis, Start: 12, End: 19}},
	}
	st2 := &annotations.Structure{Spans: []annotations.StyleSpan{{Kind: annotations.SpanLink, Start: 20, End: 24, Href: "https://example.org/"}}}
	a, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatMarkdown, Text: v1, Structure: st1})
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := svc.AddArticle(annotations.NewArticle{Title: "P", Format: annotations.FormatText, Text: "plain text"})
	if err != nil {
		t.Fatal(err)
	}
	want := func(id string, w *annotations.Structure) {
		t.Helper()
		a, _ := svc.ResolveArticle(id)
		got, err := svc.ArticleStructure(a)
		if err != nil || !reflect.DeepEqual(got, w) {
			t.Fatalf("ArticleStructure = %+v, %v; want %+v", got, err, w)
		}
	}
	want(a.ID.String(), st1)
	want(plain.ID.String(), nil)
	if _, err := svc.UpdateArticle(a.ID, annotations.NewArticle{Format: annotations.FormatMarkdown, Text: v2, Structure: st2}); err != nil {
		t.Fatal(err)
	}
	want(a.ID.String(), st2)
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	want(a.ID.String(), st1)

	// Redo puts the revision's structure back with its text; a revision
	// without a structure shows plain.
	if _, err := svc.Redo(); err != nil {
		t.Fatal(err)
	}
	want(a.ID.String(), st2)
	const v3 = "Title\n\nA third text, from a plain file."
	if _, err := svc.UpdateArticle(a.ID, annotations.NewArticle{Format: annotations.FormatText, Text: v3}); err != nil {
		t.Fatal(err)
	}
	want(a.ID.String(), nil)

	// A structure that does not fit its text is refused, and nothing is added.
	bad := &annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 500}}}
	if _, _, err := svc.AddArticle(annotations.NewArticle{Title: "B", Format: annotations.FormatHTML, Text: "short", Structure: bad}); !errors.Is(err, annotations.ErrInvalidArticle) {
		t.Errorf("AddArticle with a structure past its text = %v, want ErrInvalidArticle", err)
	}
	if list, _ := svc.Articles(); len(list) != 2 {
		t.Errorf("%d articles after a refused one, want 2", len(list))
	}
	// One made over a text that normalising changes is not kept (its
	// offsets would be off); the article is.
	notNormal := &annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockParagraph, Start: 0, End: 2}}}
	n, _, err := svc.AddArticle(annotations.NewArticle{Title: "N", Format: annotations.FormatHTML, Text: "\ufeff\ufeffa\r\nb", Structure: notNormal})
	if err != nil {
		t.Fatalf("AddArticle with a structure over a text not normalised: %v", err)
	}
	want(n.ID.String(), nil)

	// An article added without a structure (by an earlier Gloss) gets it
	// when it is added again, or updated to the same text; one it has is
	// kept.
	again := &annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockParagraph, Start: 0, End: 5}}}
	if _, _, err := svc.AddArticle(annotations.NewArticle{Title: "P", Format: annotations.FormatHTML, Text: "plain text", Structure: again}); err != nil {
		t.Fatal(err)
	}
	want(plain.ID.String(), again)
	other := &annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 5}}}
	if rep, err := svc.UpdateArticle(plain.ID, annotations.NewArticle{Text: "plain text", Structure: other}); err != nil || !rep.Unchanged {
		t.Fatalf("UpdateArticle to the same text: %+v, %v", rep, err)
	}
	want(plain.ID.String(), again)

	if _, err := svc.TrashArticle(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EmptyTrash(); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ArticleStructure(a.ID); !errors.Is(err, annotations.ErrNotFound) {
		t.Errorf("ArticleStructure after emptying the trash = %v, want ErrNotFound", err)
	}
}

// FuzzStructure_UnmarshalBinary: any stored form either fails to decode or
// checks against a text, and one that passes the check stays in order and
// inside the text.
func FuzzStructure_UnmarshalBinary(f *testing.F) {
	f.Add([]byte(`{"blocks":[{"kind":"heading","level":1,"start":0,"end":4}],"spans":[{"kind":"link","start":1,"end":3,"href":"x"}]}`), 10)
	f.Add([]byte(`{"blocks":[{"kind":"item","level":2,"start":-1,"end":4}]}`), 10)
	f.Add([]byte(`{"spans":[{"kind":"image","start":2,"end":2,"image":"sha256:00"}]}`), 3)
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		var s annotations.Structure
		if err := s.UnmarshalBinary(data); err != nil {
			return
		}
		if s.Check(n) != nil {
			return
		}
		prev := 0
		for _, b := range s.Blocks {
			if b.Start < prev || b.Start < 0 || b.End > n || b.Start > b.End {
				t.Fatalf("block %+v passed the check over %d runes", b, n)
			}
			prev = b.Start
		}
		prev = 0
		for _, sp := range s.Spans {
			if sp.Start < prev || sp.Start < 0 || sp.End > n || sp.Start > sp.End {
				t.Fatalf("span %+v passed the check over %d runes", sp, n)
			}
			prev = sp.Start
		}
	})
}
