package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// glossTheme is Fyne's default theme with darker text on the light
// variant. The default's #565656 grey reaches only 7.4:1 on white, and
// less on a highlight: too little room for fills that are both plainly
// coloured and readable (see contrast.go). #212121 reaches 16:1.
type glossTheme struct{ fyne.Theme }

var appTheme fyne.Theme = glossTheme{theme.DefaultTheme()}

// lightText is the light variant's text colour.
var lightText = color.NRGBA{R: 0x21, G: 0x21, B: 0x21, A: 0xff}

func (t glossTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground && v == theme.VariantLight {
		return lightText
	}
	return t.Theme.Color(n, v)
}
