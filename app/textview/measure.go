package textview

import (
	"strings"

	"fyne.io/fyne/v2"
)

// maxCachedWidths bounds each font's word-width cache: past it the cache
// starts again, which costs a few re-measurements and keeps a long
// session's memory flat.
const maxCachedWidths = 1 << 17

// maxFonts bounds the fonts a measurer knows (fontID is a byte). A styled
// text uses a dozen at most: sizes times bold, italic and monospace.
const maxFonts = 255

// fontID names one of a measurer's fonts; 0 is the body font.
type fontID uint8

// fontWidth measures s set in font f.
type fontWidth func(f fontID, s string) float32

// fontAdvance returns the advance of r set in font f.
type fontAdvance func(f fontID, r rune) float32

// fontCache holds what is known of one font (a size and a TextStyle).
type fontCache struct {
	size  float32
	style fyne.TextStyle

	widths map[string]float32

	// Glyph advances used to estimate widths for wrapping.
	ascii      [128]float32
	asciiKnown [128]bool
	other      map[rune]float32

	height, ascent float32 // of a line of text, and of its baseline
	heightOK       bool
}

// measurer measures text in the view's fonts. Measuring through Fyne costs
// tens of microseconds per new string, so results are cached here, per font
// and per View (a fresh View starts cold, which keeps benchmarks honest).
type measurer struct {
	size  float32 // of the body text
	fonts []*fontCache

	// measure is the driver's RenderedTextSize (the size of text, and the
	// distance from its top to its baseline); tests of the pure helpers
	// never reach it.
	measure func(text string, size float32, style fyne.TextStyle) (fyne.Size, float32)
}

func newMeasurer() *measurer {
	return &measurer{measure: func(text string, size float32, style fyne.TextStyle) (fyne.Size, float32) {
		return fyne.CurrentApp().Driver().RenderedTextSize(text, size, style, nil)
	}}
}

// reset empties the caches and sets the body text size they are for.
func (m *measurer) reset(size float32) {
	m.size = size
	m.fonts = m.fonts[:0]
	m.font(size, fyne.TextStyle{})
}

// font returns the font of that size and style, adding it if it is new.
// Past maxFonts every new font is the body font.
func (m *measurer) font(size float32, style fyne.TextStyle) fontID {
	for i, f := range m.fonts {
		if f.size == size && f.style == style {
			return fontID(i)
		}
	}
	if len(m.fonts) >= maxFonts {
		return 0
	}
	m.fonts = append(m.fonts, &fontCache{size: size, style: style})
	return fontID(len(m.fonts) - 1)
}

// width returns the exact rendered width of s in the body font.
func (m *measurer) width(s string) float32 {
	return m.widthIn(0, s)
}

// widthIn returns the exact rendered width of s in font f.
func (m *measurer) widthIn(f fontID, s string) float32 {
	if s == "" {
		return 0
	}
	fc := m.fonts[f]
	if w, ok := fc.widths[s]; ok {
		return w
	}
	if fc.widths == nil || len(fc.widths) >= maxCachedWidths {
		fc.widths = make(map[string]float32, 1024)
	}
	size, _ := m.measure(s, fc.size, fc.style)
	// Clone: s is usually a slice of the article, and a key must not pin it.
	fc.widths[strings.Clone(s)] = size.Width
	return size.Width
}

// height returns the height of one line of text in the body font.
func (m *measurer) height() float32 {
	return m.heightIn(0)
}

// heightIn returns the height of one line of text in font f.
func (m *measurer) heightIn(f fontID) float32 {
	m.lineMetrics(f)
	return m.fonts[f].height
}

// ascentIn returns the distance from the top of a line of text in font f
// to its baseline.
func (m *measurer) ascentIn(f fontID) float32 {
	m.lineMetrics(f)
	return m.fonts[f].ascent
}

func (m *measurer) lineMetrics(f fontID) {
	fc := m.fonts[f]
	if !fc.heightOK {
		size, base := m.measure("Mg", fc.size, fc.style)
		fc.height, fc.ascent, fc.heightOK = size.Height, base, true
	}
}

// advance returns the advance of r on its own in the body font.
func (m *measurer) advance(r rune) float32 {
	return m.advanceIn(0, r)
}

// advanceIn returns the advance of r on its own in font f. Summed over a
// word it is an estimate that is usually a pixel or two wider than the
// shaped word (the font's kerning pairs mostly pull glyphs together), which
// is the safe side for wrapping.
func (m *measurer) advanceIn(f fontID, r rune) float32 {
	if r == '\t' {
		return tabSpaces * m.advanceIn(f, ' ')
	}
	fc := m.fonts[f]
	if r >= 0 && r < 128 {
		if !fc.asciiKnown[r] {
			size, _ := m.measure(string(r), fc.size, fc.style)
			fc.ascii[r] = size.Width
			fc.asciiKnown[r] = true
		}
		return fc.ascii[r]
	}
	if a, ok := fc.other[r]; ok {
		return a
	}
	if fc.other == nil {
		fc.other = make(map[rune]float32)
	}
	size, _ := m.measure(string(r), fc.size, fc.style)
	fc.other[r] = size.Width
	return size.Width
}
