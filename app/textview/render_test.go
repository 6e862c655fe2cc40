package textview

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestView_Render paints a short text with two overlapping highlights (the
// second crossing a soft wrap and a paragraph gap) and a selection, in the
// light and the dark theme.
func TestView_Render(t *testing.T) {
	const text = "Negotiations remain stuck on the most sensitive issues: " +
		"territorial control and long-term security guarantees.\n\n" +
		"Ukrainian officials said they would soon send teams to Moscow."
	for _, tt := range []struct {
		name  string
		theme fyne.Theme
	}{
		{"light", lightTheme},
		{"dark", darkTheme},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, w := newTestView(t, text, fyne.NewSize(360, 240))
			test.ApplyTheme(t, tt.theme)
			stuck := runeIndex(t, text, "stuck")
			control := runeIndex(t, text, "control")
			said := runeIndex(t, text, "said")
			v.SetHighlights([]Highlight{
				{Start: stuck, End: control + len("control"), Color: color.NRGBA{R: 0xff, G: 0xd5, B: 0x00, A: 114}, ID: "yellow"},
				{Start: runeIndex(t, text, "sensitive"), End: said, Color: color.NRGBA{R: 0x1e, G: 0x88, B: 0xe5, A: 114}, ID: "blue"},
			})
			v.SetSelection(runeIndex(t, text, "Ukrainian"), runeIndex(t, text, " would"))
			test.AssertImageMatches(t, "view_"+tt.name+".png", w.Canvas().Capture())
		})
	}
}
