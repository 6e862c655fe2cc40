package textflow

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestDirection(t *testing.T) {
	tests := []struct {
		text string
		rtl  bool
	}{
		{"", false},
		{"hello", false},
		{"123 456", false}, // no strong character: left to right
		{"א בב גגג דדדד", true},
		{"123 אבג", true}, // numbers are weak: the Hebrew decides
		{" , (אבג) abc", true},
		{"abc אבג", false},
		{"مرحبا بالعالم", true},
		{"\u200fabc", true},                   // RLM is a strong R
		{"\u2067abc\u2069 אבג", true},         // isolated "abc" is skipped (P2)
		{"\u2066אבג\u2069 abc", false},        // isolated Hebrew is skipped
		{"\u2067abc", false},                  // unmatched isolate runs to the end
		{"\u2067\u2066x\u2069y\u2069א", true}, // nested isolates
	}
	for _, tt := range tests {
		if got := Direction(tt.text); got != tt.rtl {
			t.Errorf("Direction(%q) = %v, want %v", tt.text, got, tt.rtl)
		}
	}
}

func TestLevels(t *testing.T) {
	tests := []struct {
		text   string
		rtl    bool
		levels []int
	}{
		// W7 leaves the number after Hebrew a number: level 2 (I1); the
		// space between them is resolved R (N1).
		{"abc אבג 123 def", false, []int{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0, 0}},
		{"abc אבג 123 def", true, []int{2, 2, 2, 1, 1, 1, 1, 1, 2, 2, 2, 1, 2, 2, 2}},
		// After Latin text a European number is L (W7)…
		{"ab 12 אב", false, []int{0, 0, 0, 0, 0, 0, 1, 1}},
		// …but an Arabic one stays a number (level 2).
		{"ab ١٢ אב", false, []int{0, 0, 0, 2, 2, 1, 1, 1}},
		// A decimal separator between digits joins the number (W4).
		{"א 1.5", false, []int{1, 1, 2, 2, 2}},
		{"hello", false, []int{0, 0, 0, 0, 0}},
	}
	for _, tt := range tests {
		p := Analyze(tt.text, tt.rtl)
		var got []int
		for i := range p.Len() {
			got = append(got, p.Level(i))
		}
		if !reflect.DeepEqual(got, tt.levels) {
			t.Errorf("Analyze(%q, %v) levels = %v, want %v", tt.text, tt.rtl, got, tt.levels)
		}
	}
}

// lineRuns lays out a whole paragraph as one line, in its own direction
// unless forced.
func lineRuns(text string, rtl bool) []Run {
	return Analyze(text, rtl).Line(0, utf8.RuneCountInString(text))
}

func TestLineRuns(t *testing.T) {
	tests := []struct {
		name string
		text string
		rtl  bool
		want []Run
	}{
		{"latin", "hello world", false, []Run{{0, 11, 0}}},
		{"hebrew", "א בב גגג דדדד", true, []Run{{0, 13, 1}}},
		// Shown "abc 123 גבא def": the Hebrew word and the number after
		// it are reversed together, the number reading left to right.
		{"mixed in LTR", "abc אבג 123 def", false,
			[]Run{{0, 4, 0}, {8, 11, 2}, {4, 8, 1}, {11, 15, 0}}},
		// Shown "def 123 גבא abc".
		{"mixed in RTL", "abc אבג 123 def", true,
			[]Run{{12, 15, 2}, {11, 12, 1}, {8, 11, 2}, {3, 8, 1}, {0, 3, 2}}},
		// Shown "The word 123 גבא means": the number goes left of the
		// Hebrew word it follows, which a two-level reordering gets wrong.
		{"number after RTL in LTR", "The word אבג 123 means", false,
			[]Run{{0, 9, 0}, {13, 16, 2}, {9, 13, 1}, {16, 22, 0}}},
		// Shown "עולם 123 שלום" right to left: the number reads 1-2-3.
		{"number in RTL", "שלום 123 עולם", true,
			[]Run{{8, 13, 1}, {5, 8, 2}, {0, 5, 1}}},
		{"arabic digits after latin", "English ١٢٣ עברית", false,
			[]Run{{0, 8, 0}, {11, 17, 1}, {8, 11, 2}}},
		{"european digits after latin", "English 123 עברית", false,
			[]Run{{0, 12, 0}, {12, 17, 1}}},
		{"arabic with marks", "كَتَبَ", true, []Run{{0, 6, 1}}},
		// Brackets take the embedding direction (N0); shown "(abc) גבא".
		{"brackets", "אבג (abc)", true, []Run{{8, 9, 1}, {5, 8, 2}, {0, 5, 1}}},
		{"empty", "", false, nil},
	}
	for _, tt := range tests {
		if got := lineRuns(tt.text, tt.rtl); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: runs of %q = %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestLineRulesL1(t *testing.T) {
	// "אבג abc def" wrapped after "abc ": in the paragraph the space after
	// "abc" is between two L words (level 2); at the end of the line it
	// takes the paragraph level (L1) and shows at the line's left end.
	p := Analyze("אבג abc def", true)
	if got, want := p.Line(0, 8), []Run{{7, 8, 1}, {4, 7, 2}, {0, 4, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("first line runs = %v, want %v", got, want)
	}
	if got, want := p.Line(8, 11), []Run{{0, 3, 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("second line runs = %v, want %v", got, want)
	}
	// A tab takes the paragraph level, and the spaces before it too.
	p = Analyze("abc \tdef", true)
	if got, want := p.Line(0, 8), []Run{{5, 8, 2}, {3, 5, 1}, {0, 3, 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("tab line runs = %v, want %v", got, want)
	}
	// A line in the middle of a paragraph keeps the paragraph's levels:
	// "אבג 123" out of "abc אבג 123 def" is the number then the word.
	p = Analyze("abc אבג 123 def", false)
	if got, want := p.Line(4, 11), []Run{{4, 7, 2}, {0, 4, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("middle line runs = %v, want %v", got, want)
	}
}

func TestAnalyzeSeparators(t *testing.T) {
	// A carriage return (class B) inside a paragraph: x/text stops there,
	// so the rest is resolved on its own; the separator takes the
	// paragraph level.
	p := Analyze("אבג\rabc", true)
	want := []int{1, 1, 1, 1, 2, 2, 2}
	for i, w := range want {
		if got := p.Level(i); got != w {
			t.Errorf("level %d = %d, want %d", i, got, w)
		}
	}
	if got, want := p.Line(0, 7), []Run{{4, 7, 2}, {0, 4, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("runs = %v, want %v", got, want)
	}
}

func TestAnalyzeFastPath(t *testing.T) {
	p := Analyze("plain Latin text, naïve café 123", false)
	if p.levels != nil {
		t.Error("a left-to-right paragraph without RTL letters was analysed")
	}
	// Forcing a direction still works on any text.
	p = Analyze("abc", true)
	if got, want := p.Line(0, 3), []Run{{0, 3, 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("forced RTL runs = %v, want %v", got, want)
	}
	// Forcing LTR on text whose first strong letter is Hebrew: the space
	// between the two words takes the paragraph's direction (N2).
	p = Analyze("אב cd", false)
	if got, want := p.Line(0, 5), []Run{{0, 2, 1}, {2, 5, 0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("forced LTR runs = %v, want %v", got, want)
	}
}

func TestHasRTL(t *testing.T) {
	for s, want := range map[string]bool{
		"": false, "hello": false, "naïve café": false, "日本語": false, "Ελληνικά": false,
		"שלום": true, "abc مرحبا": true, "١٢٣": true, "a\u202eb": true, "a\u2068b": true,
	} {
		if got := HasRTL(s); got != want {
			t.Errorf("HasRTL(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestReorder(t *testing.T) {
	// Levels 0 1 2 1 0 2 0: L2 reverses [1..3] (levels >= 1) after [2]
	// (levels >= 2), and [5] twice.
	runs := []Run{{0, 1, 0}, {1, 2, 1}, {2, 3, 2}, {3, 4, 1}, {4, 5, 0}, {5, 6, 2}, {6, 7, 0}}
	reorder(runs)
	want := []Run{{0, 1, 0}, {3, 4, 1}, {2, 3, 2}, {1, 2, 1}, {4, 5, 0}, {5, 6, 2}, {6, 7, 0}}
	if !reflect.DeepEqual(runs, want) {
		t.Errorf("reorder = %v, want %v", runs, want)
	}
}
