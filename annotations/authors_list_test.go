package annotations_test

import (
	"reflect"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

func TestService_Authors(t *testing.T) {
	// A step highlights quote as author (set on the device first); trash
	// sends that highlight to the trash afterwards.
	type step struct {
		author, quote string
		trash         bool
	}
	tests := []struct {
		name  string
		steps []step
		want  []annotations.AuthorCount
	}{
		{"empty library", nil, []annotations.AuthorCount{}},
		{"no author set", []step{{"", "Geneva", false}}, []annotations.AuthorCount{}},
		{"one author", []step{{"Ana Lima", "Geneva", false}, {"Ana Lima", "lake", false}},
			[]annotations.AuthorCount{{Author: "Ana Lima", Count: 2}}},
		{"sorted with case and accents folded", []step{
			{"zoë Brandt", "Geneva", false}, {"ben Ode", "lake", false}, {"Ana Lima", "Friday", false}, {"", "Tuesday", false},
		}, []annotations.AuthorCount{{Author: "Ana Lima", Count: 1}, {Author: "ben Ode", Count: 1}, {Author: "zoë Brandt", Count: 1}}},
		{"one author spelt as first seen", []step{
			{"Zoë Brandt", "Geneva", false}, {"zoe  brandt", "lake", false}, {"ZOE BRANDT", "Friday", false},
		}, []annotations.AuthorCount{{Author: "Zoë Brandt", Count: 3}}},
		{"the trash left out", []step{
			{"Ana Lima", "Geneva", false}, {"Ben Ode", "lake", true}, {"Ana Lima", "Friday", true},
		}, []annotations.AuthorCount{{Author: "Ana Lima", Count: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newService(t)
			art := addSample(t, svc)
			for _, st := range tt.steps {
				if err := svc.SetAuthor(st.author); err != nil {
					t.Fatal(err)
				}
				a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: st.quote})
				if err != nil {
					t.Fatal(err)
				}
				if st.trash {
					if _, err := svc.Trash(a.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
			got, err := svc.Authors()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Authors() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSortAuthors(t *testing.T) {
	got := []annotations.AuthorCount{{Author: "émile"}, {Author: "Zed"}, {Author: "ana"}, {Author: "Bea"}, {Author: "Emma"}}
	annotations.SortAuthors(got)
	want := []annotations.AuthorCount{{Author: "ana"}, {Author: "Bea"}, {Author: "émile"}, {Author: "Emma"}, {Author: "Zed"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SortAuthors = %+v, want %+v", got, want)
	}
}

// BenchmarkService_Authors reads the authors of a generated library of a
// million annotations (written to the cache folder on the first run; its
// annotations have no author, which costs the same: every one is read).
func BenchmarkService_Authors(b *testing.B) {
	db, err := storage.Open(storagetest.CachedLibrary(b, 1_000_000), storage.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := annotations.NewService(db)
	for b.Loop() {
		if _, err := svc.Authors(); err != nil {
			b.Fatal(err)
		}
	}
}
