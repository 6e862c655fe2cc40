package textview

import (
	"image/color"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// Fixed metrics for the pure functions: every rune is 10 wide.
func fixedAdv(rune) float32 { return 10 }

func fixedWidth(s string) float32 { return 10 * float32(utf8.RuneCountInString(s)) }

var fixedSpec = wrapSpec{width: 100, lineH: 20, gapH: 12, top: 5}

// lineTexts returns the text of each line.
func lineTexts(text string, lines []line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = text[l.bstart:l.bend]
	}
	return out
}

// variantTheme is Fyne's default theme forced to one variant, so that tests
// see the real light or dark colours whatever the test app says.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

var (
	lightTheme = variantTheme{theme.DefaultTheme(), theme.VariantLight}
	darkTheme  = variantTheme{theme.DefaultTheme(), theme.VariantDark}
)

// newTestView returns a view showing text in a test window of the given size.
func newTestView(t *testing.T, text string, size fyne.Size) (*View, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	test.ApplyTheme(t, lightTheme)
	v := New()
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(size)
	v.SetText(text)
	return v, w
}

// posOf returns where rune offset off is drawn, in content coordinates,
// measuring the line's prefix with Fyne directly (not through the view's
// geometry, which is what is being tested).
func posOf(t *testing.T, v *View, off int) fyne.Position {
	t.Helper()
	lay := v.currentLayout()
	if lay == nil {
		t.Fatal("view not laid out")
	}
	i := lineOf(lay.lines, off)
	ln := lay.lines[i]
	prefix := v.text[ln.bstart:byteOffset(v.text, lay.lines, off)]
	x := fyne.MeasureText(prefix, v.met.textSize, fyne.TextStyle{}).Width
	return fyne.NewPos(lay.colX+x, ln.y+v.met.lineH/2)
}

// absPos converts content coordinates to canvas coordinates.
func absPos(v *View, p fyne.Position) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(v.content).Add(p)
}

// runeIndex returns the rune offset of the first occurrence of sub in text.
func runeIndex(t *testing.T, text, sub string) int {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in text", sub)
	}
	return utf8.RuneCountInString(text[:i])
}

// article generates n bytes (about) of article-like text, deterministically:
// paragraphs of sentences of words of varied lengths from a Zipf-like
// vocabulary, with capitals, commas and full stops, paragraphs separated by
// a blank line.
func article(n int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "etaoinshrdlcumwfgypbvkjxqz"
	vocab := make([]string, 20000)
	for i := range vocab {
		// Common words are short; rare ones long.
		l := 1 + rng.IntN(3) + min(i/400, 9) + rng.IntN(3)
		var b strings.Builder
		for range l {
			// Skew towards frequent letters.
			b.WriteByte(letters[min(rng.IntN(len(letters)), rng.IntN(len(letters)))])
		}
		vocab[i] = b.String()
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.1, 2, uint64(len(vocab)-1))
	var b strings.Builder
	b.Grow(n + 1000)
	for b.Len() < n {
		sentences := 2 + rng.IntN(6)
		for s := range sentences {
			if s > 0 {
				b.WriteByte(' ')
			}
			words := 5 + rng.IntN(20)
			for w := range words {
				word := vocab[zipf.Uint64()]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				} else {
					b.WriteByte(' ')
				}
				b.WriteString(word)
				if w > 0 && w < words-1 && rng.IntN(9) == 0 {
					b.WriteByte(',')
				}
			}
			b.WriteByte('.')
		}
		b.WriteString("\n\n")
	}
	return b.String()
}
