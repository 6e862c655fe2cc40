package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

func TestCardMeta(t *testing.T) {
	labels := annotations.DefaultColorLabels
	base := annotations.Annotation{Color: annotations.Green, Status: annotations.StatusAnchored}
	with := func(f func(*annotations.Annotation)) annotations.Annotation {
		n := base
		f(&n)
		return n
	}
	green := colorName(annotations.Green, labels)
	tests := []struct {
		name string
		n    annotations.Annotation
		want string
	}{
		{"colour alone", base, green},
		{"tags and status, no author: as before", with(func(n *annotations.Annotation) {
			n.Tags, n.Status = []string{"place", "timeline"}, annotations.StatusFuzzy
		}), green + " · #place #timeline · fuzzy"},
		{"author", with(func(n *annotations.Annotation) { n.Author = "Ana Lima" }), green + " · by Ana Lima"},
		{"author after the tags, before the status", with(func(n *annotations.Annotation) {
			n.Tags, n.Author, n.Status = []string{"place"}, "Zoë Brandt", annotations.StatusOrphaned
		}), green + " · #place · by Zoë Brandt · orphaned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cardMeta(tt.n, labels); got != tt.want {
				t.Errorf("cardMeta = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCard_Author shows an annotation with an author, then (the list
// reuses cards) one without: the author goes with it.
func TestCard_Author(t *testing.T) {
	test.NewTempApp(t)
	n := annotations.Annotation{
		ID: uuid.MustParse("0193a000-0000-7000-8000-000000000003"), Color: annotations.Yellow, Author: "Ana Lima",
		Status: annotations.StatusAnchored, Target: annotations.Target{Start: 0, End: 6, Exact: "Geneva"},
	}
	c := newCard(n, annotations.DefaultColorLabels, nil)
	if want := colorName(annotations.Yellow, annotations.DefaultColorLabels) + " · by Ana Lima"; c.info.Text != want || !c.info.Visible() {
		t.Errorf("card of Ana's highlight: info %q, want %q", c.info.Text, want)
	}
	n.Author = ""
	c.set(n, annotations.DefaultColorLabels, nil)
	if want := colorName(annotations.Yellow, annotations.DefaultColorLabels); c.info.Text != want {
		t.Errorf("the card reused for a highlight without an author: info %q, want %q", c.info.Text, want)
	}
}
