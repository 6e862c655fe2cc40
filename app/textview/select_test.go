package textview

import (
	"testing"
)

func TestOrdered(t *testing.T) {
	tests := []struct{ a, b, s, e int }{{1, 2, 1, 2}, {2, 1, 1, 2}, {3, 3, 3, 3}, {0, 9, 0, 9}}
	for _, tt := range tests {
		if s, e := ordered(tt.a, tt.b); s != tt.s || e != tt.e {
			t.Errorf("ordered(%d, %d) = %d, %d", tt.a, tt.b, s, e)
		}
	}
}

func TestWordBounds(t *testing.T) {
	tests := []struct {
		text string
		i    int
		want string
	}{
		{"Trump’s deal", 2, "Trump’s"},
		{"Trump’s deal", 5, "Trump’s"},
		{"Trump’s deal", 9, "deal"},
		{"Trump’s deal", 7, " "},
		{"don't stop", 0, "don't"},
		{"quoted 'word' here", 8, "word"},
		{"quoted 'word' here", 7, "'"},
		{"3.5 million", 1, "3.5"},
		{"1,000 people", 4, "1,000"},
		{"end. Next", 2, "end"},
		{"end. Next", 3, "."},
		{"long-term", 1, "long"},
		{"long-term", 4, "-"},
		{"wait...", 5, "..."},
		{"a  b", 1, "  "},
		{"Ukraine", 99, "Ukraine"},
		{"Ukraine", -5, "Ukraine"},
		{"naïve café", 3, "naïve"},
		{"x", 0, "x"},
	}
	for _, tt := range tests {
		rs := []rune(tt.text)
		s, e := wordBounds(rs, tt.i)
		if got := string(rs[s:e]); got != tt.want {
			t.Errorf("wordBounds(%q, %d) = %q, want %q", tt.text, tt.i, got, tt.want)
		}
	}
	if s, e := wordBounds(nil, 0); s != 0 || e != 0 {
		t.Errorf("wordBounds of nothing = %d, %d", s, e)
	}
}

func TestParagraphAt(t *testing.T) {
	text := "aaaa bbbb cccc\nline two\n\nlast para here"
	lines := wrap(text, wrapSpec{width: 50, lineH: 20, gapH: 12}, fixedAdv)
	tests := []struct {
		off  int
		want string
	}{
		{0, "aaaa bbbb cccc"},
		{7, "aaaa bbbb cccc"}, // on the second visual line of the paragraph
		{14, "aaaa bbbb cccc"},
		{15, "line two"},
		{24, ""},
		{25, "last para here"},
		{39, "last para here"},
	}
	rs := []rune(text)
	for _, tt := range tests {
		s, e := paragraphAt(lines, tt.off)
		if got := string(rs[s:e]); got != tt.want {
			t.Errorf("paragraphAt(%d) = %q, want %q", tt.off, got, tt.want)
		}
	}
}
