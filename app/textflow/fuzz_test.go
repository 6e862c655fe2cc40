package textflow

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTextflow checks, for any text, the invariants the view relies on:
// the visual runs of any line cover it exactly once, hit-testing and caret
// positions stay within the line, the drawn items hold every visible rune
// of the line once, and break opportunities are increasing and inside the
// text.
func FuzzTextflow(f *testing.F) {
	for _, s := range []string{
		"", "hello world", "א בב גגג דדדד", "abc אבג 123 def", "שלום 123 עולם",
		"كَتَبَ مرحبا، بالعالم", "English ١٢٣ עברית", "אבג (abc) [x] {y}",
		"日本語のテキスト。「ちょっと」", "한국어 텍스트", "a\u202bb c\u202cd\u2067e\u2069",
		"\u202eabc\u202c א\tב\r\nג", "x\u200d\U0001F469\U0001F3FD", "\xff\xfeא1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := utf8.RuneCountInString(s)
		brk := Breaks(s)
		for i, b := range brk {
			if b <= 0 || b >= n || (i > 0 && b <= brk[i-1]) {
				t.Fatalf("Breaks(%q) = %v: not increasing inside (0, %d)", s, brk, n)
			}
		}
		rs := []rune(s)
		for _, i := range []int{0, n / 2, n - 1} {
			if st, e, ok := CJKWord(rs, i); ok && (st > i || e <= i || st < 0 || e > n) {
				t.Fatalf("CJKWord(%q, %d) = %d, %d", s, i, st, e)
			}
		}
		// Lines: the whole paragraph, and the pieces between breaks.
		lines := [][2]int{{0, n}}
		prev := 0
		for _, b := range append(brk, n) {
			lines = append(lines, [2]int{prev, b})
			prev = b
		}
		for _, rtl := range []bool{Direction(s), !Direction(s)} {
			p := Analyze(s, rtl)
			if p.Len() != n {
				t.Fatalf("Analyze(%q).Len() = %d, want %d", s, p.Len(), n)
			}
			for _, ln := range lines {
				checkLine(t, s, rs, p, ln[0], ln[1])
			}
		}
	})
}

func checkLine(t *testing.T, s string, rs []rune, p *Paragraph, start, end int) {
	t.Helper()
	runs := p.Line(start, end)
	m := end - start
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b Run) int { return a.Start - b.Start })
	at := 0
	for _, r := range sorted {
		if r.Start != at || r.End <= r.Start || r.Level > 2 {
			t.Fatalf("%q [%d,%d) rtl %v: runs %v do not cover the line once", s, start, end, p.RTL(), runs)
		}
		at = r.End
	}
	if at != m {
		t.Fatalf("%q [%d,%d) rtl %v: runs %v end at %d, want %d", s, start, end, p.RTL(), runs, at, m)
	}
	text := string(rs[start:end])
	// Style cuts every 5 runes, to check that pieces and items respect them.
	var cuts []int
	for c := 5; c < m; c += 5 {
		cuts = append(cuts, c)
	}
	for _, width := range []Measure{fw, Plain(oddWidth), func(at int, s string) float32 { return fixedWidth(s) * float32(1+at%2) }} {
		g := NewGeom(text, p.RTL(), runs, cuts, width)
		w := g.Width()
		for _, x := range []float32{-1, 0, w / 3, w / 2, w - 0.5, w, w + 1} {
			caret, under := g.Hit(x, width)
			if caret < 0 || caret > m || under < -1 || under >= m {
				t.Fatalf("%q: Hit(%v) = %d, %d outside [0, %d]", text, x, caret, under, m)
			}
		}
		// Every offset of a short line, some of a long one: each X measures
		// a prefix.
		for off := 0; off <= m; off += 1 + m/64 {
			if x := g.X(off, width); x < 0 || x > w {
				t.Fatalf("%q: X(%d) = %v outside [0, %v]", text, off, x, w)
			}
		}
		var total float32
		for _, sp := range g.Spans(0, m, width) {
			if sp.X0 > sp.X1 || sp.X0 < 0 || sp.X1 > w+1e-3 {
				t.Fatalf("%q: span %v outside [0, %v]", text, sp, w)
			}
			total += sp.X1 - sp.X0
		}
		if d := total - w; d > 1e-2 || d < -1e-2 {
			t.Fatalf("%q: spans of the whole line cover %v of %v", text, total, w)
		}
		for _, it := range g.Items() {
			if it.Start < 0 || it.End > m || it.Start >= it.End {
				t.Fatalf("%q: item %+v outside the line", text, it)
			}
			for _, c := range cuts {
				if c > it.Start && c < it.End {
					t.Fatalf("%q: item %+v spans the style cut %d", text, it, c)
				}
			}
		}
		// The items hold every rune that is not a space, once (RLMs
		// aside: some items gain one).
		var drawn strings.Builder
		for _, it := range g.Items() {
			drawn.WriteString(it.Text)
		}
		if a, b := withoutSpaces(drawn.String()), withoutSpaces(text); a != b {
			t.Fatalf("%q: items %+v draw %q, want %q", text, g.Items(), a, b)
		}
	}
}

// oddWidth is a width function that is neither additive nor monotonic,
// like the prefix widths of Arabic words measured with final forms.
func oddWidth(s string) float32 {
	return float32(len(s)%7) * 3.5
}

// withoutSpaces returns the runes of s that are not spaces or RLMs, sorted.
func withoutSpaces(s string) string {
	var rs []rune
	for _, r := range s {
		if !isSpace(r) && r != '\u200f' {
			rs = append(rs, r)
		}
	}
	slices.Sort(rs)
	return string(rs)
}
