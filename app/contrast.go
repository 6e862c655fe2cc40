package app

import (
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/gloss-notes/gloss/annotations"
)

// Highlight fills are chosen by measurement rather than by eye. For each
// theme variant and colour, the fill is the colour's swatch laid over the
// theme's background with the least opacity that makes it plainly visible
// (a colour difference ΔE of at least fillDistance from the background),
// while the theme's text on it keeps a WCAG contrast of at least
// minContrast and the fill stays unlike the theme's selection colour (ΔE
// at least selectionDistance), so that a highlight is never taken for the
// selection. The selected highlight's stronger fill is held to the same
// rules.
//
// Sources: the contrast ratio and relative luminance of WCAG 2.1 (success
// criterion 1.4.3, "Contrast (Minimum)", 4.5:1 for body text); the
// CIELAB colour space and the CIE 1976 colour difference ΔE*ab, with the
// sRGB transfer function and the D65 white point of IEC 61966-2-1.
const (
	minContrast       = 4.5
	fillDistance      = 28 // ΔE from the background of a highlight
	strongDistance    = 14 // ΔE of the selected highlight from the others
	selectionDistance = 20 // ΔE from the selection colour
)

// fills are the computed fills, per theme variant: normal and strong.
var (
	fillsMu sync.Mutex
	fills   = map[fyne.ThemeVariant]map[annotations.Color][2]color.NRGBA{}
)

// fillFor returns the fill of colour c on the variant's background, normal
// or strong.
func fillFor(c annotations.Color, v fyne.ThemeVariant, strong bool) color.NRGBA {
	fillsMu.Lock()
	defer fillsMu.Unlock()
	m, ok := fills[v]
	if !ok {
		th := appTheme
		m = computeFills(
			opaqueNRGBA(th.Color(theme.ColorNameBackground, v)),
			opaqueNRGBA(th.Color(theme.ColorNameForeground, v)),
			nrgba(th.Color(theme.ColorNameSelection, v)))
		fills[v] = m
	}
	if strong {
		return m[c][1]
	}
	return m[c][0]
}

// computeFills chooses the normal and strong fill of every colour for a
// background, text colour and selection colour.
func computeFills(bg, fg, sel color.NRGBA) map[annotations.Color][2]color.NRGBA {
	selOver := over(sel, bg)
	out := map[annotations.Color][2]color.NRGBA{}
	for _, c := range annotations.Colors {
		base := swatch(c)
		normal := pickAlpha(base, bg, fg, selOver, fillDistance, 0)
		strong := pickAlpha(base, bg, fg, selOver, deltaE(over(normal, bg), bg)+strongDistance, normal.A)
		out[c] = [2]color.NRGBA{normal, strong}
	}
	return out
}

// pickAlpha returns base with the least opacity above floor whose blend
// over bg is at least distance from bg, keeps fg readable and is unlike the
// selection; when none reaches the distance, the most visible one that
// keeps the rules.
func pickAlpha(base, bg, fg, selOver color.NRGBA, distance float64, floor uint8) color.NRGBA {
	best := base
	best.A = floor
	bestD := -1.0
	for a := int(floor) + 1; a <= 0xf0; a++ {
		c := base
		c.A = uint8(a)
		blend := over(c, bg)
		if contrast(fg, blend) < minContrast || deltaE(blend, selOver) < selectionDistance {
			continue
		}
		d := deltaE(blend, bg)
		if d >= distance {
			return c
		}
		if d > bestD {
			best, bestD = c, d
		}
	}
	return best
}

// over is c (translucent) painted over an opaque background, as the
// painter blends it (in sRGB values).
func over(c, bg color.NRGBA) color.NRGBA {
	a := float64(c.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(c.R, bg.R), G: mix(c.G, bg.G), B: mix(c.B, bg.B), A: 0xff}
}

// linear undoes the sRGB transfer function of one 8-bit channel.
func linear(v uint8) float64 {
	x := float64(v) / 255
	if x <= 0.04045 {
		return x / 12.92
	}
	return math.Pow((x+0.055)/1.055, 2.4)
}

// luminance is the relative luminance of an opaque colour (WCAG 2.1).
func luminance(c color.NRGBA) float64 {
	return 0.2126*linear(c.R) + 0.7152*linear(c.G) + 0.0722*linear(c.B)
}

// contrast is the WCAG contrast ratio of two opaque colours, 1 to 21.
func contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// lab converts an opaque sRGB colour to CIELAB (D65).
func lab(c color.NRGBA) (l, a, b float64) {
	r, g, bl := linear(c.R), linear(c.G), linear(c.B)
	x := (0.4124*r + 0.3576*g + 0.1805*bl) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*bl
	z := (0.0193*r + 0.1192*g + 0.9505*bl) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return 116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)
}

// deltaE is the CIE 1976 colour difference of two opaque colours.
func deltaE(p, q color.NRGBA) float64 {
	l1, a1, b1 := lab(p)
	l2, a2, b2 := lab(q)
	return math.Sqrt((l1-l2)*(l1-l2) + (a1-a2)*(a1-a2) + (b1-b2)*(b1-b2))
}

func nrgba(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

func opaqueNRGBA(c color.Color) color.NRGBA {
	n := nrgba(c)
	n.A = 0xff
	return n
}
