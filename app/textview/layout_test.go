package textview

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float32
		want  []string
	}{
		{"empty text is one blank line", "", 100, []string{""}},
		{"fits", "hello world", 200, []string{"hello world"}},
		{"fits exactly", "hello worl", 100, []string{"hello worl"}},
		{"wraps after the space", "hello world", 60, []string{"hello ", "world"}},
		{"several words per line", "aa bb cc dd ee", 50, []string{"aa bb ", "cc dd ", "ee"}},
		{"spaces stay on the line they end", "a    b", 30, []string{"a    ", "b"}},
		{"hard line break", "ab\ncd", 100, []string{"ab", "cd"}},
		{"paragraph gap", "ab\n\ncd", 100, []string{"ab", "", "cd"}},
		{"two gaps", "ab\n\n\ncd", 100, []string{"ab", "", "", "cd"}},
		{"trailing newline", "ab\n", 100, []string{"ab", ""}},
		{"leading newline", "\nab", 100, []string{"", "ab"}},
		{"long word is broken", "abcdefghij", 40, []string{"abcd", "efgh", "ij"}},
		{"long word after a short one", "ab abcdefghij", 40, []string{"ab ", "abcd", "efgh", "ij"}},
		{"indentation", "    abc", 50, []string{"    ", "abc"}},
		{"no-break space joins", "a\u00a0b c", 30, []string{"a\u00a0b ", "c"}},
		{"tab breaks", "ab\tcd", 30, []string{"ab\t", "cd"}},
		{"multibyte", "héllo wörld ça", 60, []string{"héllo ", "wörld ", "ça"}},
		{"narrower than a rune", "ab", 5, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := fixedSpec
			spec.width = tt.width
			lines := wrap(tt.text, spec, fixedAdv)
			if got := lineTexts(tt.text, lines); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lines = %q, want %q", got, tt.want)
			}
			checkLines(t, tt.text, lines)
		})
	}
}

func TestWrap_Offsets(t *testing.T) {
	text := "héllo wörld\n\nça va"
	lines := wrap(text, wrapSpec{width: 60, lineH: 20, gapH: 12, top: 5}, fixedAdv)
	want := []line{
		{start: 0, end: 6, bstart: 0, bend: 7, y: 5},
		{start: 6, end: 11, bstart: 7, bend: 13, y: 25},
		{start: 12, end: 12, bstart: 14, bend: 14, y: 45},
		{start: 13, end: 18, bstart: 15, bend: 21, y: 57},
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("lines = %+v\nwant    %+v", lines, want)
	}
	for i, hard := range []bool{false, true, true, true} {
		if got := hardEnd(lines, i); got != hard {
			t.Errorf("hardEnd(%d) = %v, want %v", i, got, hard)
		}
	}
	if got := lineBottom(lines, 2, wrapSpec{lineH: 20, gapH: 12}); got != 57 {
		t.Errorf("bottom of the gap = %v, want 57", got)
	}
}

// checkLines checks the invariants of a wrap: the lines tile the text (each
// '\n' between two lines), their rune and byte offsets agree, and they go
// down the page.
func checkLines(t *testing.T, text string, lines []line) {
	t.Helper()
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			if lines[i].y <= lines[i-1].y {
				t.Errorf("line %d at y %v is not below line %d at %v", i, l.y, i-1, lines[i-1].y)
			}
			if hardEnd(lines, i-1) {
				b.WriteByte('\n')
			}
		}
		s := text[l.bstart:l.bend]
		if n := utf8.RuneCountInString(s); n != int(l.end-l.start) {
			t.Errorf("line %d: %d runes in bytes, %d in offsets", i, n, l.end-l.start)
		}
		if want := utf8.RuneCountInString(text[:l.bstart]); want != int(l.start) {
			t.Errorf("line %d starts at rune %d, want %d", i, l.start, want)
		}
		b.WriteString(s)
	}
	if b.String() != text {
		t.Errorf("lines do not tile the text: %q", b.String())
	}
}

func TestWrap_Article(t *testing.T) {
	text := article(50_000)
	for _, width := range []float32{35, 200, 700} {
		spec := fixedSpec
		spec.width = width
		lines := wrap(text, spec, fixedAdv)
		checkLines(t, text, lines)
		for i, l := range lines {
			s := strings.TrimRight(text[l.bstart:l.bend], " ")
			if w := fixedWidth(s); w > width && utf8.RuneCountInString(s) > 1 {
				t.Fatalf("width %v: line %d %q is %v wide", width, i, s, w)
			}
		}
	}
}

func TestWrap_BreakGap(t *testing.T) {
	spec := wrapSpec{width: 1000, lineH: 10, gapH: 6, breakGap: 6}
	long := strings.Repeat("x", paraRunes+1)
	lines := wrap(long+"\nshort\nnext\n\nthree", spec, func(rune) float32 { return 1 })
	var ys []float32
	for _, l := range lines {
		ys = append(ys, l.y)
	}
	// The long line at 0; "short" after a line and a break gap; "next"
	// right after the short line; the blank line; three after the blank.
	want := []float32{0, 16, 26, 36, 42}
	if len(ys) != len(want) {
		t.Fatalf("ys = %v, want %v", ys, want)
	}
	for i := range want {
		if ys[i] != want[i] {
			t.Errorf("ys = %v, want %v", ys, want)
			break
		}
	}
}
