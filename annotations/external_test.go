package annotations_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// TestService_ImportExternal_QuoteOnly: a W3C annotation with only a
// TextQuoteSelector (no prefix, suffix or position) whose quote occurs
// exactly once is anchored there; one whose quote occurs several times is
// orphaned, not guessed.
func TestService_ImportExternal_QuoteOnly(t *testing.T) {
	const text = "The talks have one aim and only deadline: Friday. In Geneva, then in Geneva again."
	tests := []struct {
		name       string
		exact      string
		status     annotations.Status
		start, end int
	}{
		{"unique short quote", "only deadline", annotations.StatusAnchored, 27, 40},
		{"unique word", "Friday", annotations.StatusAnchored, 42, 48},
		{"ambiguous short quote", "Geneva", annotations.StatusOrphaned, 0, 0},
		{"not in the text", "last deadline", annotations.StatusOrphaned, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newService(t)
			art, _, err := svc.AddArticle(annotations.NewArticle{Title: "Aims", Format: annotations.FormatText, Text: text})
			if err != nil {
				t.Fatal(err)
			}
			ext := annotations.ExternalAnnotation{
				Source: "urn:sha256:" + art.Hash[len("sha256:"):],
				Annotation: annotations.Annotation{
					ID: uuid.MustParse("0193a000-0000-7000-8000-000000000001"), Color: annotations.Yellow, Status: annotations.StatusAnchored,
					Target:    annotations.Target{Exact: tt.exact},
					CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
				},
			}
			rep, err := svc.ImportExternal([]annotations.ExternalAnnotation{ext})
			if err != nil {
				t.Fatal(err)
			}
			got, err := svc.Annotation(ext.Annotation.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.status {
				t.Fatalf("status %s (%s), want %s", got.Status, rep, tt.status)
			}
			if tt.status == annotations.StatusAnchored {
				if got.Target.Start != tt.start || got.Target.End != tt.end || got.Target.Exact != tt.exact {
					t.Errorf("target [%d, %d) %q, want [%d, %d) %q", got.Target.Start, got.Target.End, got.Target.Exact, tt.start, tt.end, tt.exact)
				}
				if []rune(text)[tt.start] != []rune(tt.exact)[0] {
					t.Errorf("offsets do not point at the quote")
				}
			}
		})
	}
}
