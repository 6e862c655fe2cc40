package app

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/gloss-notes/gloss/annotations"
)

func TestContrastMaths(t *testing.T) {
	white := color.NRGBA{255, 255, 255, 255}
	black := color.NRGBA{0, 0, 0, 255}
	grey := color.NRGBA{0x76, 0x76, 0x76, 255} // WCAG's darkest grey passing 4.5:1 on white
	tests := []struct {
		name      string
		got, want float64
	}{
		{"contrast black on white", contrast(black, white), 21},
		{"contrast is symmetric", contrast(white, black), 21},
		{"contrast of a colour with itself", contrast(grey, grey), 1},
		{"contrast #767676 on white", contrast(grey, white), 4.54},
		{"ΔE white to black", deltaE(white, black), 100},
		{"ΔE of a colour with itself", deltaE(grey, grey), 0},
		{"luminance of white", luminance(white), 1},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 0.01 {
			t.Errorf("%s = %.3f, want %.2f", tt.name, tt.got, tt.want)
		}
	}
	half := over(color.NRGBA{255, 0, 0, 128}, white)
	if half != (color.NRGBA{255, 127, 127, 255}) {
		t.Errorf("red at half over white = %v", half)
	}
}

// TestFills_Measured checks every highlight fill the window uses, on both
// themes: the text on it keeps a contrast of 4.5:1, it stands out from the
// background, it is unlike the selection, and the selected highlight's
// fill stands out from the others.
func TestFills_Measured(t *testing.T) {
	th := appTheme
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		bg := opaqueNRGBA(th.Color(theme.ColorNameBackground, v))
		fg := opaqueNRGBA(th.Color(theme.ColorNameForeground, v))
		sel := over(nrgba(th.Color(theme.ColorNameSelection, v)), bg)
		for _, c := range annotations.Colors {
			normal, strong := over(fillFor(c, v, false), bg), over(fillFor(c, v, true), bg)
			for _, f := range []struct {
				name string
				fill color.NRGBA
			}{{"normal", normal}, {"selected", strong}} {
				if r := contrast(fg, f.fill); r < minContrast {
					t.Errorf("variant %d %s %s: text contrast %.2f < %.1f", v, c, f.name, r, minContrast)
				}
				if d := deltaE(f.fill, sel); d < selectionDistance {
					t.Errorf("variant %d %s %s: ΔE %.1f from the selection colour", v, c, f.name, d)
				}
			}
			if d := deltaE(normal, bg); d < 20 {
				t.Errorf("variant %d %s: ΔE %.1f from the background: too pale", v, c, d)
			}
			if d := deltaE(strong, normal); d < 8 {
				t.Errorf("variant %d %s: the selected fill is only ΔE %.1f from the others", v, c, d)
			}
			t.Logf("variant %d %-7s alpha %3d/%3d  contrast %.1f/%.1f  ΔE bg %.0f  ΔE sel %.0f",
				v, c, fillFor(c, v, false).A, fillFor(c, v, true).A, contrast(fg, normal), contrast(fg, strong), deltaE(normal, bg), deltaE(normal, sel))
		}
	}
}
