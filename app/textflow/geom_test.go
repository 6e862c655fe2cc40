package textflow

import (
	"reflect"
	"testing"
	"unicode"
	"unicode/utf8"
)

// fixedWidth measures 10 per rune, combining marks and invisible controls
// excepted, like a monospaced font that draws marks over their base.
func fixedWidth(s string) float32 {
	var w float32
	for _, r := range s {
		if !unicode.Is(unicode.M, r) && !unicode.Is(unicode.Cf, r) {
			w += 10
		}
	}
	return w
}

// fw measures unstyled text with fixedWidth.
var fw = Plain(fixedWidth)

// layOut makes the geometry of a whole paragraph laid out as one line.
func layOut(text string, rtl bool) *Geom {
	return NewGeom(text, rtl, lineRuns(text, rtl), nil, fw)
}

// wordAt returns the space-separated word holding rune i (a test helper:
// the view has its own word rule).
func wordAt(text string, i int) (start, end int) {
	rs := []rune(text)
	start, end = i, i+1
	for start > 0 && rs[start-1] != ' ' {
		start--
	}
	for end < len(rs) && rs[end] != ' ' {
		end++
	}
	return start, end
}

// TestHitRTLWords is the double-click case: in "א בב גגג דדדד", laid out
// right to left, hitting the middle of each word as shown must give that
// word's logical range, not its mirror image.
func TestHitRTLWords(t *testing.T) {
	text := "א בב גגג דדדד"
	g := layOut(text, Direction(text))
	if g.Width() != 130 {
		t.Fatalf("width = %v, want 130", g.Width())
	}
	// The words as shown, left to right, with the middle x of their glyphs:
	// logical rune i is drawn at [120-10i, 130-10i].
	shown := []struct {
		word       string
		x          float32
		start, end int
	}{
		{"דדדד", 20, 9, 13},
		{"גגג", 65, 5, 8},
		{"בב", 100, 2, 4},
		{"א", 125, 0, 1},
	}
	for _, w := range shown {
		_, under := g.Hit(w.x, fw)
		if under < 0 {
			t.Errorf("%s: Hit(%v) is over no rune", w.word, w.x)
			continue
		}
		if s, e := wordAt(text, under); s != w.start || e != w.end {
			t.Errorf("%s: Hit(%v) under %d, word [%d, %d), want [%d, %d)", w.word, w.x, under, s, e, w.start, w.end)
		}
	}
	// Carets: the right end is the logical start, the left end the end.
	carets := []struct {
		x     float32
		caret int
		under int
	}{
		{131, 0, -1}, {130, 0, -1}, {126, 0, 0}, {124, 1, 0}, {-1, 13, -1}, {1, 13, 12}, {9, 12, 12},
	}
	for _, c := range carets {
		if caret, under := g.Hit(c.x, fw); caret != c.caret || under != c.under {
			t.Errorf("Hit(%v) = %d, %d; want %d, %d", c.x, caret, under, c.caret, c.under)
		}
	}
	if got := g.X(0, fw); got != 130 {
		t.Errorf("X(0) = %v, want 130", got)
	}
	if got := g.X(13, fw); got != 0 {
		t.Errorf("X(13) = %v, want 0", got)
	}
	if got := g.X(5, fw); got != 80 {
		t.Errorf("X(5) = %v, want 80", got)
	}
	if got, want := g.Spans(2, 8, fw), []Span{{50, 110}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(2, 8) = %v, want %v", got, want)
	}
	if got := g.Indent(200); got != 70 {
		t.Errorf("Indent(200) = %v, want 70 (right-aligned)", got)
	}
	// One item: the letters and the spaces between them share a face.
	if got, want := g.Items(), []Item{{Text: text, X: 0, RTL: true, Start: 0, End: 13}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Items = %+v, want %+v", got, want)
	}
}

func TestGeomMixedLTR(t *testing.T) {
	// Shown "abc 123 גבא def": "abc " [0,40), "123" [40,70),
	// "אבג " [70,110) right to left, " def" [110,150).
	text := "abc אבג 123 def"
	g := layOut(text, false)
	wantItems := []Item{
		{Text: "abc ", X: 0, Start: 0, End: 4},
		{Text: "123", X: 40, Start: 8, End: 11},
		{Text: "אבג ", X: 70, RTL: true, Start: 4, End: 8},
		{Text: " def", X: 110, Start: 11, End: 15},
	}
	if got := g.Items(); !reflect.DeepEqual(got, wantItems) {
		t.Errorf("Items = %+v, want %+v", got, wantItems)
	}
	// "c אב" selected: the "c", and the right part of the Hebrew word.
	if got, want := g.Spans(2, 6, fw), []Span{{20, 40}, {90, 110}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(2, 6) = %v, want %v", got, want)
	}
	// "אבג 123" selected: shown "123 גבא", one interval.
	if got, want := g.Spans(4, 11, fw), []Span{{40, 110}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(4, 11) = %v, want %v", got, want)
	}
	xs := []struct {
		off int
		x   float32
	}{{0, 0}, {3, 30}, {4, 110}, {5, 100}, {8, 40}, {10, 60}, {11, 110}, {15, 150}}
	for _, c := range xs {
		if got := g.X(c.off, fw); got != c.x {
			t.Errorf("X(%d) = %v, want %v", c.off, got, c.x)
		}
	}
	hits := []struct {
		x            float32
		caret, under int
	}{
		{-5, 0, -1}, {5, 0, 0}, {44, 8, 8}, {66, 11, 10}, {95, 5, 5}, {106, 4, 4}, {104, 5, 4}, {72, 8, 7}, {151, 15, -1},
	}
	for _, h := range hits {
		if caret, under := g.Hit(h.x, fw); caret != h.caret || under != h.under {
			t.Errorf("Hit(%v) = %d, %d; want %d, %d", h.x, caret, under, h.caret, h.under)
		}
	}
	if got := g.Indent(200); got != 0 {
		t.Errorf("Indent = %v, want 0", got)
	}
}

func TestGeomMixedRTL(t *testing.T) {
	// Shown "def 123 גבא abc": "def" [0,30), " " [30,40), "123" [40,70),
	// " אבג " [70,120) right to left, "abc" [120,150).
	text := "abc אבג 123 def"
	g := layOut(text, true)
	wantItems := []Item{
		{Text: "def", X: 0, Start: 12, End: 15},
		{Text: "123", X: 40, Start: 8, End: 11},
		{Text: "אבג ", X: 70, RTL: true, Start: 4, End: 8},
		{Text: "abc", X: 120, Start: 0, End: 3},
	}
	if got := g.Items(); !reflect.DeepEqual(got, wantItems) {
		t.Errorf("Items = %+v, want %+v", got, wantItems)
	}
	if got, want := g.Spans(0, 5, fw), []Span{{100, 150}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(0, 5) = %v, want %v", got, want)
	}
	// "c אבג 123 d": the "d" at the left, the middle, the "c" at the right.
	if got, want := g.Spans(2, 13, fw), []Span{{0, 10}, {30, 120}, {140, 150}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(2, 13) = %v, want %v", got, want)
	}
	for _, h := range []struct {
		x     float32
		under int
	}{{5, 12}, {45, 8}, {105, 4}, {85, 6}, {125, 0}, {145, 2}} {
		if _, under := g.Hit(h.x, fw); under != h.under {
			t.Errorf("Hit(%v) under %d, want %d", h.x, under, h.under)
		}
	}
	// Past the line in the paragraph's direction (left of it) is the
	// line's end, before it (right of it) the line's start, whatever the
	// runs at the ends; the caret at the end is drawn at the left end.
	if caret, _ := g.Hit(-3, fw); caret != 15 {
		t.Errorf("Hit(-3) caret = %d, want 15", caret)
	}
	if caret, _ := g.Hit(160, fw); caret != 0 {
		t.Errorf("Hit(160) caret = %d, want 0", caret)
	}
	if got := g.X(15, fw); got != 0 {
		t.Errorf("X(15) = %v, want 0", got)
	}
	if got := g.Indent(200); got != 50 {
		t.Errorf("Indent = %v, want 50", got)
	}
}

func TestGeomNumbersInRTL(t *testing.T) {
	// Shown "עולם 123 שלום" right to left: " עולם" [0,50), "123" [50,80),
	// "שלום " [80,130).
	text := "שלום 123 עולם"
	g := layOut(text, Direction(text))
	for _, h := range []struct {
		x     float32
		under int
	}{{55, 5}, {65, 6}, {75, 7}, {125, 0}, {5, 12}} {
		if _, under := g.Hit(h.x, fw); under != h.under {
			t.Errorf("Hit(%v) under %d, want %d", h.x, under, h.under)
		}
	}
	if got, want := g.Spans(4, 9, fw), []Span{{40, 90}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(4, 9) = %v, want %v", got, want)
	}
	if got, want := g.Spans(6, 7, fw), []Span{{60, 70}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(6, 7) = %v, want %v", got, want)
	}
}

func TestGeomArabicMarks(t *testing.T) {
	// كَتَبَ: three letters, each with a fatha (zero width here). Letter
	// k (rune 2k) is shown at [20-10k, 30-10k].
	text := "كَتَبَ"
	g := layOut(text, Direction(text))
	if g.Width() != 30 {
		t.Fatalf("width = %v, want 30", g.Width())
	}
	for _, h := range []struct {
		x            float32
		caret, under int
	}{
		{29, 0, 0}, {21, 2, 0}, {25.5, 0, 0}, {15, 2, 2}, {12, 4, 2}, {5, 4, 4}, {1, 6, 4},
	} {
		caret, under := g.Hit(h.x, fw)
		if caret != h.caret || under != h.under {
			t.Errorf("Hit(%v) = %d, %d; want %d, %d", h.x, caret, under, h.caret, h.under)
		}
		if caret%2 == 1 {
			t.Errorf("Hit(%v) put the caret between a letter and its mark", h.x)
		}
	}
	if got, want := g.Spans(0, 2, fw), []Span{{20, 30}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(0, 2) = %v, want %v", got, want)
	}
	if got, want := g.Spans(2, 6, fw), []Span{{0, 20}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(2, 6) = %v, want %v", got, want)
	}
	// Drawn as one string in logical order: Fyne's shaper reverses it and
	// keeps the marks on their letters.
	if got, want := g.Items(), []Item{{Text: text, X: 0, RTL: true, Start: 0, End: 6}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Items = %+v, want %+v", got, want)
	}
}

func TestGeomItemsPunctuation(t *testing.T) {
	// Fyne would draw "שלום, עולם" as three segments (Hebrew face, Noto
	// Sans comma, Hebrew face) in logical order; the view draws three
	// items at these places instead. The comma item starts with an RLM so
	// that Fyne puts the space left of the comma.
	g := layOut("שלום, עולם", true)
	want := []Item{
		{Text: "עולם", X: 0, RTL: true, Start: 6, End: 10},
		{Text: rlm + ", ", X: 40, RTL: true, Start: 4, End: 6},
		{Text: "שלום", X: 60, RTL: true, Start: 0, End: 4},
	}
	if got := g.Items(); !reflect.DeepEqual(got, want) {
		t.Errorf("Items = %+v, want %+v", got, want)
	}
	// Brackets: shown "(abc) גבא"; each bracket is its own item, which Fyne
	// mirrors because the RLM makes it right to left.
	g = layOut("אבג (abc)", true)
	want = []Item{
		{Text: rlm + ")", X: 0, RTL: true, Start: 8, End: 9},
		{Text: "abc", X: 10, Start: 5, End: 8},
		{Text: rlm + "(", X: 40, RTL: true, Start: 4, End: 5},
		{Text: "אבג ", X: 50, RTL: true, Start: 0, End: 4},
	}
	if got := g.Items(); !reflect.DeepEqual(got, want) {
		t.Errorf("Items = %+v, want %+v", got, want)
	}
	// Arabic punctuation of class AL (؟) stays with the letters; the
	// Arabic comma (class CS) does not.
	g = layOut("ما؟ لا، نعم", true)
	var texts []string
	for _, it := range g.Items() {
		texts = append(texts, it.Text)
	}
	if want := []string{"نعم", rlm + "، ", "ما؟ لا"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("Items texts = %q, want %q", texts, want)
	}
}

func TestGeomLatin(t *testing.T) {
	// A plain line behaves like textview's lineGeom.
	text := "hello world"
	g := layOut(text, false)
	if got, want := g.Items(), []Item{{Text: text, End: 11}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Items = %+v, want %+v", got, want)
	}
	for _, h := range []struct {
		x            float32
		caret, under int
	}{{-1, 0, -1}, {0, 0, 0}, {4, 0, 0}, {6, 1, 0}, {56, 6, 5}, {109, 11, 10}, {110, 11, -1}} {
		if caret, under := g.Hit(h.x, fw); caret != h.caret || under != h.under {
			t.Errorf("Hit(%v) = %d, %d; want %d, %d", h.x, caret, under, h.caret, h.under)
		}
	}
	if got, want := g.Spans(2, 8, fw), []Span{{20, 80}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(2, 8) = %v, want %v", got, want)
	}
	// Measured per word with its trailing space.
	var measured []string
	NewGeom(text, false, lineRuns(text, false), nil, func(_ int, s string) float32 {
		measured = append(measured, s)
		return fixedWidth(s)
	})
	if want := []string{"hello ", "world"}; !reflect.DeepEqual(measured, want) {
		t.Errorf("measured %q, want %q", measured, want)
	}
}

func TestGeomStyleCuts(t *testing.T) {
	// "abc אבג def" (shown "abc גבא def") with "c אב" in another style
	// (cuts at 2 and 6): no item or measured string spans a cut.
	text := "abc אבג def"
	var measured []string
	m := func(at int, s string) float32 {
		measured = append(measured, s)
		return fixedWidth(s)
	}
	g := NewGeom(text, false, lineRuns(text, false), []int{2, 6}, m)
	want := []Item{
		{Text: "ab", X: 0, Start: 0, End: 2},
		{Text: "c ", X: 20, Start: 2, End: 4},
		{Text: "ג", X: 40, RTL: true, Start: 6, End: 7},
		{Text: "אב", X: 50, RTL: true, Start: 4, End: 6},
		{Text: " def", X: 70, Start: 7, End: 11},
	}
	if got := g.Items(); !reflect.DeepEqual(got, want) {
		t.Errorf("Items = %+v, want %+v", got, want)
	}
	for _, s := range measured {
		if s == "abc " || s == "אבג " {
			t.Errorf("measured %q across a cut", s)
		}
	}
	if got, want := g.Spans(2, 6, m), []Span{{20, 40}, {50, 70}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Spans(2, 6) = %v, want %v", got, want)
	}
}

func TestGeomEmpty(t *testing.T) {
	g := NewGeom("", false, nil, nil, fw)
	if caret, under := g.Hit(10, fw); caret != 0 || under != -1 {
		t.Errorf("Hit on empty line = %d, %d", caret, under)
	}
	if g.X(3, fw) != 0 || g.Spans(0, 1, fw) != nil || g.Width() != 0 || len(g.Items()) != 0 {
		t.Error("an empty line has geometry")
	}
}

func TestGeomSoftLineRTL(t *testing.T) {
	// The first line of "אבג abc def" wrapped after "abc ": the trailing
	// space is at the left end, and Indent right-aligns the rest.
	p := Analyze("אבג abc def", true)
	line := "אבג abc "
	g := NewGeom(line, true, p.Line(0, utf8.RuneCountInString(line)), nil, fw)
	if got, want := g.Spans(7, 8, fw), []Span{{0, 10}}; !reflect.DeepEqual(got, want) {
		t.Errorf("trailing space at %v, want %v", got, want)
	}
	if got := g.Indent(100); got != 20 {
		t.Errorf("Indent = %v, want 20", got)
	}
}
