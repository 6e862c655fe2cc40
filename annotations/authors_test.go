package annotations_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

func TestNormalizeAuthor(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"plain", "Ana Lima", "Ana Lima", nil},
		{"trimmed and collapsed", "  Ana \t Lima\n", "Ana Lima", nil},
		{"empty clears", "", "", nil},
		{"blank clears", " \t ", "", nil},
		{"accents kept as typed", "Zoë Brandt", "Zoë Brandt", nil},
		{"NFC", "Zoe\u0308", "Zoë", nil},
		{"100 runes", strings.Repeat("é", 100), strings.Repeat("é", 100), nil},
		{"101 runes", strings.Repeat("é", 101), "", annotations.ErrInvalidAuthor},
		{"control character", "Ana\x07Lima", "", annotations.ErrInvalidAuthor},
		{"DEL", "Ana\x7f", "", annotations.ErrInvalidAuthor},
		{"NUL", "Ana\x00", "", annotations.ErrInvalidText},
		{"invalid UTF-8", "Ana\xff", "", annotations.ErrInvalidText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := annotations.NormalizeAuthor(tt.in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Errorf("NormalizeAuthor(%q) error = %v, want %v", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeAuthor(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestService_SetAuthor(t *testing.T) {
	svc := newService(t)
	if got, err := svc.Author(); err != nil || got != "" {
		t.Fatalf("Author of a new library = %q, %v; want none", got, err)
	}
	steps := []struct {
		name, set, want string
		err             error
	}{
		{"set", "  Ana   Lima ", "Ana Lima", nil},
		{"refused keeps the name", "Ana\x01", "Ana Lima", annotations.ErrInvalidAuthor},
		{"too long keeps the name", strings.Repeat("x", 101), "Ana Lima", annotations.ErrInvalidAuthor},
		{"changed", "Zoë Brandt", "Zoë Brandt", nil},
		{"cleared", "", "", nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			err := svc.SetAuthor(st.set)
			if st.err == nil && err != nil || st.err != nil && !errors.Is(err, st.err) {
				t.Fatalf("SetAuthor(%q) = %v, want %v", st.set, err, st.err)
			}
			if got, err := svc.Author(); err != nil || got != st.want {
				t.Errorf("Author = %q, %v; want %q", got, err, st.want)
			}
			if got, _ := svc.Setting(annotations.SettingAuthor); got != st.want {
				t.Errorf("setting %q = %q, want %q", annotations.SettingAuthor, got, st.want)
			}
		})
	}
}

func TestService_Highlight_StampsAuthor(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	hl := func(quote string) annotations.Annotation {
		t.Helper()
		a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: quote})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	stored := func(a annotations.Annotation) string {
		t.Helper()
		got, err := svc.Annotation(a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Author
	}

	anon := hl("Tuesday")
	if anon.Author != "" || stored(anon) != "" {
		t.Errorf("no author set: the highlight has author %q", anon.Author)
	}
	if err := svc.SetAuthor("Ana Lima"); err != nil {
		t.Fatal(err)
	}
	ana := hl("Geneva")
	if ana.Author != "Ana Lima" || stored(ana) != "Ana Lima" {
		t.Errorf("highlight by Ana: author %q, stored %q", ana.Author, stored(ana))
	}

	// Another person on this device from now on: what Ana made stays hers.
	if err := svc.SetAuthor("Zoë Brandt"); err != nil {
		t.Fatal(err)
	}
	again, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva", Color: annotations.Red, Note: "more", Tags: []string{"city"}})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != ana.ID || again.Color != annotations.Red || again.Author != "Ana Lima" {
		t.Errorf("highlighting Ana's passage again: %s %s by %q; want %s red by Ana Lima", again.ID, again.Color, again.Author, ana.ID)
	}
	note, blue := "edited by Zoë", annotations.Blue
	edited, err := svc.Edit(ana.ID, annotations.Change{Note: &note, Color: &blue, AddTags: []string{"edited"}})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Author != "Ana Lima" || stored(ana) != "Ana Lima" {
		t.Errorf("after an edit: author %q, stored %q; want Ana Lima", edited.Author, stored(ana))
	}
	if _, err := svc.Trash(ana.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	if got := stored(ana); got != "Ana Lima" {
		t.Errorf("after trash and undo: author %q", got)
	}
	zoe := hl("lake")
	if zoe.Author != "Zoë Brandt" {
		t.Errorf("new highlight by Zoë: author %q", zoe.Author)
	}
	if stored(anon) != "" {
		t.Errorf("the highlight made without an author got one: %q", stored(anon))
	}
}

func TestService_Notes_ByAuthor(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	mk := func(author, quote string, tags ...string) {
		t.Helper()
		if err := svc.SetAuthor(author); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: quote, Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	mk("Ana Lima", "stalled", "place")
	mk("Zoë Brandt", "Geneva", "place")
	mk("", "lake")
	mk("Zoë Brandt", "Friday")
	tests := []struct {
		name string
		q    annotations.NotesQuery
		want []string
	}{
		{"exact", annotations.NotesQuery{Author: "Ana Lima"}, []string{"stalled"}},
		{"case, accents and spacing", annotations.NotesQuery{Author: "  ZOE   brandt "}, []string{"Geneva", "Friday"}},
		{"with a tag", annotations.NotesQuery{Author: "zoe brandt", Tags: []string{"place"}}, []string{"Geneva"}},
		{"no one by that name", annotations.NotesQuery{Author: "Ana"}, nil},
		{"no filter", annotations.NotesQuery{}, []string{"stalled", "Geneva", "Friday", "lake"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.Notes(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var quotes []string
			for _, a := range got {
				quotes = append(quotes, a.Target.Exact)
			}
			if !slices.Equal(quotes, tt.want) {
				t.Errorf("got %q, want %q", quotes, tt.want)
			}
		})
	}
}

func TestService_ExportImport_KeepsAuthor(t *testing.T) {
	src := newService(t)
	art := addSample(t, src)
	if err := src.SetAuthor("Ana Lima"); err != nil {
		t.Fatal(err)
	}
	ana, _ := src.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva", Note: "hers"})
	if err := src.SetAuthor(""); err != nil {
		t.Fatal(err)
	}
	anon, _ := src.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "lake"})

	first, err := src.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// The importing library has an author of its own: imported
	// annotations keep the file's authors (and none stays none).
	dst := newService(t)
	if err := dst.SetAuthor("Zoë Brandt"); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Import(first); err != nil {
		t.Fatal(err)
	}
	second, err := dst.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("export → import → export differs:\nfirst  %+v\nsecond %+v", first, second)
	}
	for id, want := range map[uuid.UUID]string{ana.ID: "Ana Lima", anon.ID: ""} {
		a, err := dst.Annotation(id)
		if err != nil || a.Author != want {
			t.Errorf("imported %s: author %q, %v; want %q", id, a.Author, err, want)
		}
	}

	// An export filtered by author holds that author's annotations.
	only, err := src.Export(annotations.ExportFilter{Author: "ana lima"})
	if err != nil {
		t.Fatal(err)
	}
	if len(only.Annotations) != 1 || only.Annotations[0].ID != ana.ID || len(only.Articles) != 1 {
		t.Errorf("export by author: %d annotations, %d articles", len(only.Annotations), len(only.Articles))
	}
	none, err := src.Export(annotations.ExportFilter{Author: "Nobody"})
	if err != nil || len(none.Annotations) != 0 || len(none.Articles) != 0 {
		t.Errorf("export by an unknown author: %+v, %v", none, err)
	}

	// An import file's author is normalised as SetAuthor's; a bad one
	// refuses the import and changes nothing.
	spaced := first
	spaced.Annotations = slices.Clone(first.Annotations)
	spaced.Annotations[0].Author = "  Ana \t Lima "
	spaced.Annotations[0].UpdatedAt = spaced.Annotations[0].UpdatedAt.Add(1e9)
	if _, err := dst.Import(spaced); err != nil {
		t.Fatal(err)
	}
	if a, _ := dst.Annotation(spaced.Annotations[0].ID); a.Author != "Ana Lima" {
		t.Errorf("imported author %q, want it normalised", a.Author)
	}
	bad := first
	bad.Annotations = slices.Clone(first.Annotations)
	bad.Annotations[0].Author = "Ana\x07"
	bad.Annotations[0].UpdatedAt = bad.Annotations[0].UpdatedAt.Add(5e9)
	if _, err := dst.Import(bad); !errors.Is(err, annotations.ErrInvalidAuthor) {
		t.Errorf("import of a bad author: %v, want ErrInvalidAuthor", err)
	}
}
