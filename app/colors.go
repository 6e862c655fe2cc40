package app

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
)

// palette holds the highlight colours. Fyne has no highlight palette, so
// they are ours: strong enough to tell apart on white and on the dark
// theme's background, translucent so that overlapping highlights blend and
// the text stays readable.
var palette = map[annotations.Color]color.NRGBA{
	annotations.Yellow:  {R: 0xff, G: 0xd2, B: 0x1f, A: 0xff},
	annotations.Red:     {R: 0xf0, G: 0x4a, B: 0x4a, A: 0xff},
	annotations.Green:   {R: 0x3c, G: 0xc0, B: 0x5a, A: 0xff},
	annotations.Blue:    {R: 0x3d, G: 0x8b, B: 0xf2, A: 0xff},
	annotations.Purple:  {R: 0x9b, G: 0x5c, B: 0xf0, A: 0xff},
	annotations.Magenta: {R: 0xe8, G: 0x4c, B: 0xc8, A: 0xff},
	annotations.Orange:  {R: 0xff, G: 0x8c, B: 0x1a, A: 0xff},
	annotations.Gray:    {R: 0x7a, G: 0x7a, B: 0x7a, A: 0xff},
}

// swatch returns the solid colour of c, for swatches and card edges.
func swatch(c annotations.Color) color.NRGBA {
	if col, ok := palette[c]; ok {
		return col
	}
	return palette[annotations.Gray]
}

// fill returns the translucent colour a highlight of c is painted with on
// the light or dark theme (see contrast.go for how it is chosen).
func fill(c annotations.Color, dark bool) color.NRGBA {
	return fillFor(c, variant(dark), false)
}

// strongFill is the colour of the selected highlight.
func strongFill(c annotations.Color, dark bool) color.NRGBA {
	return fillFor(c, variant(dark), true)
}

func variant(dark bool) fyne.ThemeVariant {
	if dark {
		return theme.VariantDark
	}
	return theme.VariantLight
}

// isDark reports whether the current theme is a dark one, judged by its
// background.
func isDark() bool {
	r, g, b, _ := theme.Color(theme.ColorNameBackground).RGBA()
	return (r+g+b)/3 < 0x8000
}

// colorName is how a colour is shown: "1 yellow — key claim".
func colorName(c annotations.Color, labels annotations.ColorLabels) string {
	s := fmt.Sprintf("%d %s", c.Key(), c)
	if l := labels.Label(c); l != "" {
		s += " — " + l
	}
	return s
}

// colorPhrase is how a colour is named in a sentence: "yellow (key claim)".
func colorPhrase(c annotations.Color, labels annotations.ColorLabels) string {
	if l := labels.Label(c); l != "" {
		return fmt.Sprintf("%s (%s)", c, l)
	}
	return string(c)
}

// newSwatch is a small square of colour c.
func newSwatch(c annotations.Color, size float32) *canvas.Rectangle {
	r := canvas.NewRectangle(swatch(c))
	r.SetMinSize(fyne.NewSquareSize(size))
	r.CornerRadius = size / 4
	return r
}

// showColorMeanings opens the dialog where the reader names what each
// colour means; save is called with the new meanings.
func (u *ui) showColorMeanings(save func(annotations.ColorLabels)) {
	labels := u.labels
	entries := map[annotations.Color]*escEntry{}
	form := container.New(layout.NewFormLayout())
	var d *dialog.ConfirmDialog
	for _, c := range annotations.Colors {
		e := newEscEntry(func() { d.Dismiss() })
		e.SetText(labels.Label(c))
		e.SetPlaceHolder("what " + string(c) + " means")
		entries[c] = e
		form.Add(container.NewHBox(newSwatch(c, 18), widget.NewLabel(fmt.Sprintf("%d %s", c.Key(), c))))
		form.Add(e)
	}
	d = dialog.NewCustomConfirm("Colour meanings", "Save", "Cancel", form, func(ok bool) {
		if !ok {
			return
		}
		out := annotations.ColorLabels{}
		for c, e := range entries {
			out[c] = e.Text
		}
		save(out)
	}, u.win)
	d.Resize(fyne.NewSize(460, 0))
	u.show(d, true)
}
