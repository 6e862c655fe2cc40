package textview

import (
	"reflect"
	"testing"
)

// Lines of "aaaa bbbb cccc\n\ndd" wrapped 50 wide: "aaaa " "bbbb " "cccc" "" "dd",
// at y 5, 25, 45, 65 (a 12 high gap) and 77.
var posText = "aaaa bbbb cccc\n\ndd"

func posLines() []line {
	return wrap(posText, wrapSpec{width: 50, lineH: 20, gapH: 12, top: 5}, fixedAdv)
}

func TestLineAtY(t *testing.T) {
	lines := posLines()
	tests := []struct {
		y    float32
		want int
	}{{-10, 0}, {0, 0}, {5, 0}, {24.9, 0}, {25, 1}, {64, 2}, {65, 3}, {76, 3}, {77, 4}, {1000, 4}}
	for _, tt := range tests {
		if got := lineAtY(lines, tt.y); got != tt.want {
			t.Errorf("lineAtY(%v) = %d, want %d", tt.y, got, tt.want)
		}
	}
}

func TestLineOf(t *testing.T) {
	lines := posLines()
	tests := []struct {
		off, down, up int
	}{
		{0, 0, 0},
		{4, 0, 0},
		{5, 1, 0}, // soft wrap: downstream is the next line, upstream this one
		{10, 2, 1},
		{14, 2, 2}, // the '\n' after "cccc"
		{15, 3, 3}, // the blank line
		{16, 4, 4},
		{18, 4, 4},
		{99, 4, 4},
	}
	for _, tt := range tests {
		if got := lineOf(lines, tt.off); got != tt.down {
			t.Errorf("lineOf(%d) = %d, want %d", tt.off, got, tt.down)
		}
		if got := lineOfEnd(lines, tt.off); got != tt.up {
			t.Errorf("lineOfEnd(%d) = %d, want %d", tt.off, got, tt.up)
		}
	}
}

func TestByteOffset(t *testing.T) {
	text := "ça\nné wörld"
	lines := wrap(text, wrapSpec{width: 40, lineH: 20, gapH: 12}, fixedAdv)
	for off, want := range []int{0, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14} {
		if got := byteOffset(text, lines, off); got != want {
			t.Errorf("byteOffset(%d) = %d, want %d", off, got, want)
		}
	}
}

func TestLineGeom_X(t *testing.T) {
	g := newLineGeom("ab  cdé", fixedWidth)
	if !reflect.DeepEqual(g.runR, []int32{0, 2, 4}) || !reflect.DeepEqual(g.runX, []float32{0, 20, 40}) {
		t.Fatalf("runs at %v, x %v", g.runR, g.runX)
	}
	for rel, want := range []float32{0, 10, 20, 30, 40, 50, 60, 70} {
		if got := g.x(rel, fixedWidth); got != want {
			t.Errorf("x(%d) = %v, want %v", rel, got, want)
		}
	}
	if got := g.x(99, fixedWidth); got != 70 {
		t.Errorf("x past the end = %v, want 70", got)
	}
}

func TestLineGeom_Hit(t *testing.T) {
	g := newLineGeom("ab  cdé", fixedWidth)
	tests := []struct {
		x            float32
		caret, under int
	}{
		{-1, 0, -1},
		{0, 0, 0},
		{4, 0, 0},
		{6, 1, 0},
		{14, 1, 1},
		{25, 2, 2}, // in the spaces
		{29, 3, 2},
		{41, 4, 4},
		{66, 7, 6},
		{69.9, 7, 6},
		{70, 7, -1},
		{500, 7, -1},
	}
	for _, tt := range tests {
		caret, under := g.hit(tt.x, fixedWidth)
		if caret != tt.caret || under != tt.under {
			t.Errorf("hit(%v) = %d, %d; want %d, %d", tt.x, caret, under, tt.caret, tt.under)
		}
	}
	empty := newLineGeom("", fixedWidth)
	if c, u := empty.hit(10, fixedWidth); c != 0 || u != -1 {
		t.Errorf("hit on an empty line = %d, %d", c, u)
	}
}

func TestClip(t *testing.T) {
	soft := line{start: 10, end: 20}
	hard := line{start: 10, end: 20}
	blank := line{start: 21, end: 21}
	tests := []struct {
		name   string
		ln     line
		hard   bool
		s, e   int
		a, b   int
		eol    bool
		ok     bool
		reason string
	}{
		{"before", soft, false, 0, 10, 0, 0, false, false, "ends where the line starts"},
		{"after a soft line", soft, false, 20, 30, 0, 0, false, false, "starts on the next line"},
		{"inside", soft, false, 12, 15, 2, 5, false, true, ""},
		{"across the start", soft, false, 5, 15, 0, 5, false, true, ""},
		{"across the end of a soft line", soft, false, 15, 25, 5, 10, false, true, ""},
		{"covering a hard end", hard, true, 15, 25, 5, 10, true, true, ""},
		{"ending at a hard end", hard, true, 15, 20, 5, 10, false, true, ""},
		{"only the newline", hard, true, 20, 21, 10, 10, true, true, ""},
		{"whole line", hard, true, 0, 99, 0, 10, true, true, ""},
		{"blank line covered", blank, true, 0, 99, 0, 0, true, true, ""},
		{"blank line, range ends at it", blank, true, 0, 21, 0, 0, false, false, ""},
		{"blank line, range starts after", blank, true, 22, 30, 0, 0, false, false, ""},
		{"empty range", soft, false, 12, 12, 0, 0, false, false, ""},
		{"reversed range", soft, false, 15, 12, 0, 0, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, eol, ok := clip(tt.ln, tt.hard, tt.s, tt.e)
			if ok != tt.ok || (ok && (a != tt.a || b != tt.b || eol != tt.eol)) {
				t.Errorf("clip = %d, %d, %v, %v; want %d, %d, %v, %v", a, b, eol, ok, tt.a, tt.b, tt.eol, tt.ok)
			}
		})
	}
}

func TestOverlaps(t *testing.T) {
	tests := []struct {
		name  string
		spans []span
		want  []span
	}{
		{"none", nil, nil},
		{"one", []span{{0, 10, 0}}, nil},
		{"disjoint", []span{{0, 5, 0}, {5, 10, 1}}, nil},
		{"overlap", []span{{0, 6, 0}, {4, 10, 1}}, []span{{4, 6, 1}}},
		{"nested", []span{{0, 10, 1}, {3, 5, 0}}, []span{{3, 5, 1}}},
		{"three deep, top changes", []span{{0, 10, 0}, {2, 8, 2}, {6, 12, 1}}, []span{{2, 8, 2}, {8, 10, 1}}},
		{"unsorted input", []span{{6, 12, 1}, {0, 10, 0}}, []span{{6, 10, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := overlaps(tt.spans); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("overlaps = %v, want %v", got, tt.want)
			}
		})
	}
}
