package textview

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
)

// describe returns a short description of a run, for the tables below.
func describe(st *styled, r styleRun) string {
	lk, ck := st.looks[r.look], st.classes[r.cls]
	var parts []string
	add := func(ok bool, s string) {
		if ok {
			parts = append(parts, s)
		}
	}
	add(lk.size != sizeBody, fmt.Sprintf("size%d", lk.size))
	add(lk.style.Bold, "bold")
	add(lk.style.Italic, "italic")
	add(lk.style.Monospace, "mono")
	add(lk.link, "link")
	add(lk.codeSpan, "codespan")
	parts = append(parts, "/")
	add(ck.heading > 0, fmt.Sprintf("h%d", ck.heading))
	add(ck.quote > 0, fmt.Sprintf("quote%d", ck.quote))
	add(ck.code, "code")
	add(ck.item, "item")
	add(ck.caption, "caption")
	add(ck.row, "row")
	return fmt.Sprintf("%d %s", r.start, strings.Join(parts, " "))
}

func TestResolveStyle(t *testing.T) {
	tests := []struct {
		name string
		n    int
		st   Style
		want []string
	}{
		{"heading", 20, Style{Blocks: []Block{{Kind: BlockHeading, Level: 1, Start: 0, End: 5}}},
			[]string{"0 size1 bold / h1", "5 /"}},
		{"level 4 is bold at body size", 20, Style{Blocks: []Block{{Kind: BlockHeading, Level: 4, Start: 2, End: 5}}},
			[]string{"0 /", "2 bold / h4", "5 /"}},
		{"paragraphs are plain", 20, Style{Blocks: []Block{{Kind: BlockParagraph, Start: 0, End: 5}, {Kind: BlockParagraph, Start: 7, End: 20}}},
			[]string{"0 /"}},
		{"nested spans", 20, Style{Spans: []Span{{Kind: SpanStrong, Start: 0, End: 10}, {Kind: SpanEmphasis, Start: 3, End: 6}}},
			[]string{"0 bold /", "3 bold italic /", "6 bold /", "10 /"}},
		{"overlapping spans", 20, Style{Spans: []Span{{Kind: SpanEmphasis, Start: 0, End: 5}, {Kind: SpanStrong, Start: 3, End: 8}}},
			[]string{"0 italic /", "3 bold italic /", "5 bold /", "8 /"}},
		{"nested quotes", 30, Style{Blocks: []Block{
			{Kind: BlockQuote, Level: 1, Start: 0, End: 20},
			{Kind: BlockParagraph, Start: 0, End: 5},
			{Kind: BlockQuote, Level: 2, Start: 7, End: 12},
		}}, []string{"0 / quote1", "7 / quote2", "12 / quote1", "20 /"}},
		{"code span in a code block is the block's", 20, Style{
			Blocks: []Block{{Kind: BlockCode, Start: 0, End: 10}},
			Spans:  []Span{{Kind: SpanCode, Start: 2, End: 4}, {Kind: SpanCode, Start: 12, End: 14}},
		}, []string{"0 size4 mono / code", "10 /", "12 size4 mono codespan /", "14 /"}},
		{"code span in a heading keeps the heading's size", 20, Style{
			Blocks: []Block{{Kind: BlockHeading, Level: 2, Start: 0, End: 10}},
			Spans:  []Span{{Kind: SpanCode, Start: 2, End: 4}},
		}, []string{"0 size2 bold / h2", "2 size2 bold mono codespan / h2", "4 size2 bold / h2", "10 /"}},
		{"link and caption", 20, Style{
			Blocks: []Block{{Kind: BlockCaption, Start: 0, End: 10}},
			Spans:  []Span{{Kind: SpanLink, Start: 2, End: 4, Href: "x"}},
		}, []string{"0 size5 italic / caption", "2 size5 italic link / caption", "4 size5 italic / caption", "10 /"}},
		{"items and rows", 20, Style{Blocks: []Block{{Kind: BlockItem, Start: 0, End: 5}, {Kind: BlockRow, Start: 6, End: 9}}},
			[]string{"0 / item", "5 /", "6 / row", "9 /"}},
		{"clamped, empty and unknown dropped", 10, Style{
			Blocks: []Block{{Kind: BlockHeading, Level: 9, Start: -5, End: 3}, {Kind: BlockKind(99), Start: 4, End: 6}, {Kind: BlockQuote, Start: 7, End: 7}},
			Spans:  []Span{{Kind: SpanStrong, Start: 8, End: 99}, {Kind: SpanKind(42), Start: 0, End: 9}},
		}, []string{"0 bold / h6", "3 /", "8 bold /", "10 /"}},
		{"unsorted", 20, Style{Spans: []Span{{Kind: SpanStrong, Start: 10, End: 12}, {Kind: SpanEmphasis, Start: 2, End: 4}}},
			[]string{"0 /", "2 italic /", "4 /", "10 bold /", "12 /"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Two bytes a rune: the runs' byte offsets are twice theirs.
			st := resolveStyle(strings.Repeat("é", tt.n), tt.st)
			var got []string
			for _, r := range st.runs {
				got = append(got, describe(st, r))
				if r.bstart != 2*r.start {
					t.Errorf("run at rune %d at byte %d", r.start, r.bstart)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("runs\n%q\nwant\n%q", got, tt.want)
			}
			if st.looks[0] != (lookKey{}) || st.classes[0] != (classKey{}) {
				t.Errorf("look 0 %v, class 0 %v: not plain", st.looks[0], st.classes[0])
			}
		})
	}
	if st := resolveStyle("0123456789", Style{}); st != nil {
		t.Errorf("an empty style resolved to %+v", st)
	}
}

func TestStyled_LinkAt(t *testing.T) {
	st := resolveStyle(strings.Repeat("x", 20), Style{Spans: []Span{
		{Kind: SpanLink, Start: 2, End: 10, Href: "outer"},
		{Kind: SpanStrong, Start: 3, End: 5},
		{Kind: SpanLink, Start: 4, End: 6, Href: "inner"},
		{Kind: SpanLink, Start: 12, End: 14, Href: "last"},
	}})
	for off, want := range map[int]string{0: "", 1: "", 2: "outer", 3: "outer", 4: "inner", 5: "inner", 6: "outer", 9: "outer", 10: "", 11: "", 12: "last", 13: "last", 14: "", 30: ""} {
		l, ok := st.linkAt(off)
		if ok != (want != "") || l.Href != want {
			t.Errorf("linkAt(%d) = %q, %v; want %q", off, l.Href, ok, want)
		}
	}
}

func TestItemPrefix(t *testing.T) {
	tests := []struct {
		s    string
		want string
	}{
		{"• Item", "• "},
		{"  • Nested", "  • "},
		{"1. First", "1. "},
		{"12.  Twelfth", "12.  "},
		{"(iv) Fourth", "(iv) "},
		{"Paragraph of an item", ""},
		{"    continued text", "    "},
		{"•", ""},
		{"", ""},
	}
	for _, tt := range tests {
		b, r := itemPrefix(tt.s)
		if got := tt.s[:b]; got != tt.want || r != utf8.RuneCountInString(tt.want) {
			t.Errorf("itemPrefix(%q) = %q (%d runes), want %q", tt.s, got, r, tt.want)
		}
	}
}

// Fixed metrics for the styled layout: every rune is 10 wide in the body
// font (0), 20 in the heading font (1), 15 in bold (2).
var fixedFontAdv = []float32{10, 20, 15}

func fixedAdvIn(f fontID, _ rune) float32 { return fixedFontAdv[f] }

func fixedWidthIn(f fontID, s string) float32 {
	return fixedFontAdv[f] * float32(utf8.RuneCountInString(s))
}

// fixedStyle resolves st for text and gives its looks fixed fonts and its
// classes fixed metrics: a heading line is 40 high with 10 above it; a
// quote indents 20 a level; a code line is 16 high, blank ones too, indented
// 5 with 5 kept at the right.
func fixedStyle(text string, st Style) (*styled, []fontID, wrapSpec) {
	s := resolveStyle(text, st)
	spec := fixedSpec
	spec.breakGap = 6
	fonts := make([]fontID, len(s.looks))
	for i, lk := range s.looks {
		switch {
		case lk.size >= sizeH1 && lk.size <= sizeH3:
			fonts[i] = 1
		case lk.style.Bold:
			fonts[i] = 2
		}
	}
	for _, ck := range s.classes {
		c := lineClass{lineH: spec.lineH, gapH: spec.gapH, item: ck.item, row: ck.row, quote: ck.quote, code: ck.code}
		if ck.heading > 0 {
			c.lineH, c.above = 40, 10
		}
		c.indent = 20 * float32(ck.quote)
		if ck.code {
			c.lineH, c.gapH, c.noBreakGap = 16, 16, true
			c.indent += 5
			c.right = 5
		}
		spec.classes = append(spec.classes, c)
	}
	return s, fonts, spec
}

func TestWrapStyled(t *testing.T) {
	long := strings.Repeat("x", paraRunes+1)
	tests := []struct {
		name string
		doc  func(d *doc)
		want []string // per line: y, class, text
	}{
		{"heading runes are wider", func(d *doc) {
			d.line(BlockHeading, 1, "abcd efgh").add("\n\n").add("abcd efgh")
		}, []string{`5 h1 "abcd "`, `45 h1 "efgh"`, `85 / ""`, `97 / "abcd efgh"`}},
		{"space above a heading, not at the top", func(d *doc) {
			d.add("ab\n\n").line(BlockHeading, 2, "cd").add("\nef")
		}, []string{`5 / "ab"`, `25 / ""`, `47 h2 "cd"`, `87 / "ef"`}},
		{"a bold run in a line", func(d *doc) {
			d.add("aa ").span(SpanStrong, "bbbb").add(" cc\n").add("aa bbbb cc")
		}, []string{`5 / "aa bbbb "`, `25 / "cc"`, `45 / "aa bbbb cc"`}},
		{"a quote is narrower", func(d *doc) {
			d.block(BlockQuote, 1, func() { d.add("aaaa bbbb\n\ncc") }).add("\n\naaaa bbbb")
		}, []string{`5 quote1 "aaaa "`, `25 quote1 "bbbb"`, `45 quote1 ""`, `57 quote1 "cc"`, `77 / ""`, `89 / "aaaa bbbb"`}},
		{"an item's lines hang after its marker", func(d *doc) {
			d.line(BlockItem, 1, "• aaa bbb cc dd eee").add("\n").line(BlockParagraph, 0, "  aaa bbb cc dd eee")
		}, []string{`5 item "• aaa bbb "`, `25 item "cc dd "`, `45 item "eee"`, `65 / "  aaa bbb "`, `85 / "cc dd eee"`}},
		{"code: blank lines are lines, no break gap", func(d *doc) {
			d.add(long+"\n").line(BlockCode, 0, "ab\n\n"+long[:9]+"\nc").add("\n" + long + "\nd")
		}, slices.Concat(
			wrapped(long, 10, 5, 20, "/"), // a paragraph: a break gap would follow
			[]string{`225 code "ab"`, `241 code ""`, `257 code "` + long[:9] + `"`, `273 code "c"`},
			wrapped(long, 10, 289, 20, "/"),
			[]string{`515 / "d"`}, // after the break gap
		)},
		{"row tabs", func(d *doc) {
			// Cells a third of 100 wide: the second row's tab after
			// "aaaa" reaches 66.7, "bbbbbb" does not fit after it.
			d.line(BlockRow, 0, "aa\tbb\tc").add("\n").line(BlockRow, 0, "aaaa\tbbbbbb\tcc")
		}, []string{`5 row "aa\tbb\tc"`, `25 row "aaaa\t"`, `45 row "bbbbbb\tcc"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &doc{}
			tt.doc(d)
			text, st := d.done()
			s, fonts, spec := fixedStyle(text, st)
			lines, classes := wrapStyled(text, spec, s.runs, fonts, fixedAdvIn)
			checkLines(t, text, lines)
			var got []string
			for i, l := range lines {
				cls := strings.TrimPrefix(describe(s, styleRun{cls: classes[i]}), "0 / ")
				if cls == "0 /" {
					cls = "/"
				}
				got = append(got, fmt.Sprintf("%v %s %q", l.y, cls, text[l.bstart:l.bend]))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// wrapped returns the lines of a word of xs broken every n runes, the
// first at y, each h lower, in class cls, in TestWrapStyled's format.
func wrapped(s string, n int, y, h float32, cls string) []string {
	var out []string
	for len(s) > 0 {
		k := min(n, len(s))
		out = append(out, fmt.Sprintf("%v %s %q", y, cls, s[:k]))
		s, y = s[k:], y+h
	}
	return out
}

// A styled text whose style changes nothing wraps as the plain text does.
func TestWrapStyled_PlainAsUnstyled(t *testing.T) {
	text := article(20_000)
	var st Style
	start := 0
	for _, p := range strings.SplitAfter(text, "\n\n") {
		n := utf8.RuneCountInString(p)
		st.Blocks = append(st.Blocks, Block{Kind: BlockParagraph, Start: start, End: start + n - 2})
		start += n
	}
	s, fonts, spec := fixedStyle(text, st)
	got, _ := wrapStyled(text, spec, s.runs, fonts, fixedAdvIn)
	spec.classes = nil
	if want := wrap(text, spec, fixedAdv); !reflect.DeepEqual(got, want) {
		t.Error("paragraph blocks changed the layout")
	}
}

func TestLineGeom_Styled(t *testing.T) {
	// "ab cd ef": "cd" in look 1 (font 1, 20 a rune), from x 30 to 70.
	fonts := []fontID{0, 1}
	g := buildLineGeom("ab cd ef", []geomCut{{0, 0}, {3, 1}, {5, 0}}, fonts, 7, 0, fixedWidthIn)
	for rel, want := range []float32{0, 10, 20, 30, 50, 70, 80, 90, 100} {
		if got := g.xIn(rel, fixedWidthIn); got != want+7 {
			t.Errorf("x(%d) = %v, want %v", rel, got, want+7)
		}
	}
	tests := []struct {
		x            float32
		caret, under int
	}{
		{3, 0, -1}, // in the indentation
		{7 + 31, 3, 3},
		{7 + 41, 4, 3}, // past the middle of the wide "c"
		{7 + 69, 5, 4},
		{7 + 71, 5, 5},
		{7 + 100, 8, -1},
	}
	for _, tt := range tests {
		if c, u := g.hitIn(tt.x, fixedWidthIn); c != tt.caret || u != tt.under {
			t.Errorf("hit(%v) = %d, %d; want %d, %d", tt.x, c, u, tt.caret, tt.under)
		}
	}
	if got := []uint16{g.look(0), g.look(1), g.look(2), g.look(3), g.look(4)}; !reflect.DeepEqual(got, []uint16{0, 0, 1, 0, 0}) {
		t.Errorf("looks of the runs %v", got)
	}

	// Tabs reach the next stop, every 4 spaces (40) or every tabW.
	tab := buildLineGeom("a\tbb\tc", nil, nil, 0, 0, fixedWidthIn)
	for rel, want := range []float32{0, 10, 40, 50, 60, 80, 90} {
		if got := tab.xIn(rel, fixedWidthIn); got != want {
			t.Errorf("tab x(%d) = %v, want %v", rel, got, want)
		}
	}
	if c, u := tab.hitIn(35, fixedWidthIn); c != 2 || u != 1 {
		t.Errorf("hit in a tab = %d, %d; want 2, 1", c, u)
	}
	row := buildLineGeom("a\tbb\tc", nil, nil, 0, 25, fixedWidthIn)
	if got := row.xIn(5, fixedWidthIn); got != 50 {
		t.Errorf("row: x of the cell after the second tab = %v, want 50", got)
	}
}

// lineIndex returns the index of the line that holds off in v's layout.
func lineIndex(t *testing.T, v *View, off int) int {
	t.Helper()
	lay := v.currentLayout()
	if lay == nil {
		t.Fatal("view not laid out")
	}
	return lineOf(lay.lines, off)
}

// drawnPos returns where the left edge of rune offset off is drawn, in
// content coordinates, and the middle of its text vertically: from the
// text object the renderer made for it, measuring the part of the object's
// text before off with Fyne in the object's font. It does not use the
// view's geometry, which is what is being tested.
func drawnPos(t *testing.T, v *View, off int) fyne.Position {
	t.Helper()
	i := lineIndex(t, v, off)
	ln := v.lay.lines[i]
	s := v.text[ln.bstart:ln.bend]
	rel := byteOffset(v.text, v.lay.lines, off) - int(ln.bstart)
	b := 0
	for _, txt := range v.content.rend.texts[i] {
		j := strings.Index(s[b:], txt.Text)
		if j < 0 {
			t.Fatalf("line %d %q: a text object draws %q", i, s, txt.Text)
		}
		j += b
		if rel >= j && rel < j+len(txt.Text) {
			x := txt.Position().X + fyne.MeasureText(s[j:rel], txt.TextSize, txt.TextStyle).Width
			return fyne.NewPos(x, txt.Position().Y+txt.Size().Height/2)
		}
		b = j + len(txt.Text)
	}
	t.Fatalf("offset %d (line %d %q) is not drawn", off, i, s)
	return fyne.Position{}
}
