package textview

import (
	"strings"

	"fyne.io/fyne/v2"
)

// maxCachedWidths bounds the word-width cache: past it the cache starts
// again, which costs a few re-measurements and keeps a long session's memory
// flat.
const maxCachedWidths = 1 << 17

// measurer measures text in the view's font. Measuring through Fyne costs
// tens of microseconds per new string, so results are cached here, per View
// (a fresh View starts cold, which keeps benchmarks honest).
type measurer struct {
	size  float32
	style fyne.TextStyle

	// measure is fyne.MeasureText; tests of the pure helpers never reach it.
	measure func(text string, size float32, style fyne.TextStyle) fyne.Size

	widths map[string]float32

	// Glyph advances used to estimate widths for wrapping.
	ascii      [128]float32
	asciiKnown [128]bool
	other      map[rune]float32
}

func newMeasurer() *measurer {
	return &measurer{measure: fyne.MeasureText}
}

// reset empties the caches and sets the text size they are for.
func (m *measurer) reset(size float32) {
	m.size = size
	m.widths = nil
	m.ascii = [128]float32{}
	m.asciiKnown = [128]bool{}
	m.other = nil
}

// width returns the exact rendered width of s.
func (m *measurer) width(s string) float32 {
	if s == "" {
		return 0
	}
	if w, ok := m.widths[s]; ok {
		return w
	}
	if m.widths == nil || len(m.widths) >= maxCachedWidths {
		m.widths = make(map[string]float32, 1024)
	}
	w := m.measure(s, m.size, m.style).Width
	// Clone: s is usually a slice of the article, and a key must not pin it.
	m.widths[strings.Clone(s)] = w
	return w
}

// height returns the height of one line of text.
func (m *measurer) height() float32 {
	return m.measure("Mg", m.size, m.style).Height
}

// advance returns the advance of r on its own. Summed over a word it is an
// estimate that is usually a pixel or two wider than the shaped word (the
// font's kerning pairs mostly pull glyphs together), which is the safe side
// for wrapping.
func (m *measurer) advance(r rune) float32 {
	if r == '\t' {
		return tabSpaces * m.advance(' ')
	}
	if r >= 0 && r < 128 {
		if !m.asciiKnown[r] {
			m.ascii[r] = m.measure(string(r), m.size, m.style).Width
			m.asciiKnown[r] = true
		}
		return m.ascii[r]
	}
	if a, ok := m.other[r]; ok {
		return a
	}
	if m.other == nil {
		m.other = make(map[rune]float32)
	}
	a := m.measure(string(r), m.size, m.style).Width
	m.other[r] = a
	return a
}
