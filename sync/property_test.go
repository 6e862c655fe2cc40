package sync

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// texts are the articles the random devices add: few, so that two devices
// often add the same text (one article), with words to highlight.
var texts = []string{
	"Coral reefs bleach when the water warms. The algae leave the coral.",
	"Sleep consolidates memory. Deprived subjects recall fewer words the next day.",
	"The river floods each spring. Farmers plant after the water recedes.",
}

var words = []string{"water", "coral", "memory", "words", "river", "spring", "algae", "Farmers"}

// TestSync_RandomOperationsConverge runs random operations on several
// devices, with syncs in random orders between them (so that every kind of
// concurrent change meets every other), and then checks that all devices
// end with the same library, each passing the library check.
func TestSync_RandomOperationsConverge(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 7))
			rem := newMemRemote()
			n := 2 + rng.IntN(3)
			var devices []*device
			for i := range n {
				d := newDevice(t, rem, fmt.Sprintf("d%d", i))
				// Clocks hours apart, either way.
				d.skew = time.Duration(rng.IntN(7)-3) * time.Hour
				devices = append(devices, d)
			}
			for _, d := range devices {
				// Snapshots often, on some devices.
				if rng.IntN(2) == 0 {
					d.sync.SnapshotEvery = 1 + rng.IntN(4)
				}
			}
			var log []string
			for step := range 80 {
				if step == 60 {
					// A new device joins late: it starts from a
					// snapshot when there is one.
					devices = append(devices, newDevice(t, rem, "late"))
					n++
				}
				d := devices[rng.IntN(n)]
				if rng.IntN(4) == 0 {
					rep, err := d.sync.Sync(nil)
					if err != nil || len(rep.Problems) > 0 {
						t.Fatalf("step %d: %s sync: %v %v\n%s", step, d.name, err, rep.Problems, strings.Join(log, "\n"))
					}
					log = append(log, d.name+" sync: "+rep.String())
					continue
				}
				if what := randomOperation(t, rng, d); what != "" {
					log = append(log, d.name+" "+what)
				}
			}
			converged(t, devices...)
		})
	}
}

// randomOperation does one random thing a reader does on d and says what.
func randomOperation(t *testing.T, rng *rand.Rand, d *device) string {
	t.Helper()
	arts, err := d.svc.Articles()
	if err != nil {
		t.Fatal(err)
	}
	var live []uuid.UUID
	for _, a := range arts {
		live = append(live, a.ID)
	}
	notes, err := d.svc.Notes(annotations.NotesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	pickNote := func() (annotations.Annotation, bool) {
		if len(notes) == 0 {
			return annotations.Annotation{}, false
		}
		return notes[rng.IntN(len(notes))], true
	}
	switch op := rng.IntN(10); {
	case op == 0 || len(live) == 0:
		text := texts[rng.IntN(len(texts))]
		d.addArticle("T"+fmt.Sprint(rng.IntN(100)), text)
		return "add article"
	case op <= 3:
		art := live[rng.IntN(len(live))]
		text, err := d.svc.Article(art)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range rng.Perm(len(words)) {
			if strings.Contains(text.Text, words[w]) {
				_, err := d.svc.Highlight(annotations.HighlightRequest{ArticleID: art, Quote: words[w], Color: annotations.DefaultColor, Note: "n"})
				if err != nil {
					t.Fatal(err)
				}
				return "highlight " + words[w]
			}
		}
	case op == 4:
		if a, ok := pickNote(); ok {
			note := fmt.Sprintf("note %d from %s", rng.IntN(1000), d.name)
			if _, err := d.svc.Edit(a.ID, annotations.Change{Note: &note}); err != nil {
				t.Fatal(err)
			}
			return "edit"
		}
	case op == 5:
		if a, ok := pickNote(); ok {
			if _, err := d.svc.Trash(a.ID); err != nil {
				t.Fatal(err)
			}
			return "trash"
		}
	case op == 6:
		if _, err := d.svc.EmptyTrash(); err != nil {
			t.Fatal(err)
		}
		return "empty trash"
	case op == 7:
		if _, err := d.svc.TrashArticle(live[rng.IntN(len(live))]); err != nil {
			t.Fatal(err)
		}
		return "trash article"
	case op == 8:
		label := fmt.Sprintf("meaning %d", rng.IntN(100))
		if err := d.svc.SetColorLabel(annotations.Color("red"), label); err != nil {
			t.Fatal(err)
		}
		return "label"
	case op == 9:
		art := live[rng.IntN(len(live))]
		a, err := d.svc.Article(art)
		if err != nil {
			t.Fatal(err)
		}
		revised := "Revised by " + d.name + fmt.Sprint(rng.IntN(1000)) + ". " + a.Text
		if _, err := d.svc.UpdateArticle(art, annotations.NewArticle{Title: a.Title, Format: a.Format, Text: revised}); err != nil {
			t.Fatal(err)
		}
		return "revise"
	}
	return ""
}
