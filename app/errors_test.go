package app

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestUI_ShowErrorIsShort: the error dialog shows one short line, however
// much input the error echoes.
func TestUI_ShowErrorIsShort(t *testing.T) {
	u, _ := newTestUI(t)
	u.showError(errors.New("invalid tag: " + strings.Repeat("x", 5000) + "\nsecond line"))
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	var texts []string
	var visit func(o fyne.CanvasObject)
	visit = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *widget.Label:
			texts = append(texts, o.Text)
		case *fyne.Container:
			for _, c := range o.Objects {
				visit(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(o).Objects() {
				visit(c)
			}
		}
	}
	visit(top)
	found := false
	for _, s := range texts {
		if strings.HasPrefix(strings.ToLower(s), "invalid tag: xxx") {
			found = true
			if n := utf8.RuneCountInString(s); n > 300 || strings.Contains(s, "\n") {
				t.Errorf("the dialog's message is %d characters (one line: %v)", n, !strings.Contains(s, "\n"))
			}
		}
	}
	if !found {
		t.Errorf("no label with the message among %q", texts)
	}
}
