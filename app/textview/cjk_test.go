package textview

import (
	"reflect"
	"testing"
)

// East Asian hard lines are wrapped by the line breaking rules, with fixed
// metrics (every rune 10 wide): between ideographs, never before closing
// punctuation or small kana, never after opening punctuation.
func TestWrap_CJK(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float32
		want  []string
	}{
		{"between ideographs", "日本語の文章", 30, []string{"日本語", "の文章"}},
		{"no line starts with 。", "日本語です。次", 50, []string{"日本語で", "す。次"}},
		{"no line starts with 、", "一二三四、五", 40, []string{"一二三", "四、五"}},
		{"no line ends with 「", "一二「三」四", 30, []string{"一二", "「三」", "四"}},
		{"no line starts with small kana", "一二三ャ四", 30, []string{"一二", "三ャ四"}},
		{"Latin words stay whole", "abc 日本語 def", 60, []string{"abc 日本", "語 def"}},
		{"glue after a space", "一二三 。四", 40, []string{"一二", "三 。四"}},
		{"then a Latin line as before", "一二三四五\nab cd", 40, []string{"一二三四", "五", "ab ", "cd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := fixedSpec
			spec.width = tt.width
			lines := wrap(tt.text, spec, fixedAdv)
			if got := lineTexts(tt.text, lines); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("wrap(%q, %v) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
			// Lines follow one another down the page.
			for i := 1; i < len(lines); i++ {
				if lines[i].y != lines[i-1].y+spec.lineH {
					t.Errorf("line %d at y %v after %v", i, lines[i].y, lines[i-1].y)
				}
			}
		})
	}
}

// A styled text's East Asian lines keep their classes when the wrap starts
// them again by the line breaking rules.
func TestWrapStyled_CJK(t *testing.T) {
	text := "Title\n日本語の文章です。"
	st := resolveStyle(text, Style{Blocks: []Block{{Kind: BlockHeading, Level: 1, Start: 0, End: 5}}})
	spec := fixedSpec
	spec.width = 40
	spec.classes = make([]lineClass, len(st.classes))
	for i := range spec.classes {
		spec.classes[i] = lineClass{lineH: 20 + 10*float32(i), gapH: 12}
	}
	fonts := make([]fontID, len(st.looks))
	lines, classes := wrapStyled(text, spec, st.runs, fonts, func(fontID, rune) float32 { return 10 })
	if got, want := lineTexts(text, lines), []string{"Titl", "e", "日本語の", "文章で", "す。"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("lines %q, want %q", got, want)
	}
	if len(classes) != len(lines) {
		t.Fatalf("%d classes for %d lines", len(classes), len(lines))
	}
	for i := 3; i < len(lines); i++ {
		if classes[i] != classes[2] || lines[i].y != lines[i-1].y+spec.classes[classes[i]].lineH {
			t.Errorf("line %d: class %d y %v", i, classes[i], lines[i].y)
		}
	}
}

// A double-click in CJK text selects a run of one script; Latin words stop
// at CJK runes.
func TestWordBounds_CJK(t *testing.T) {
	rs := []rune("Go言語のテキスト、한국어 abc")
	for _, c := range []struct {
		i, s, e int
	}{{0, 0, 2}, {1, 0, 2}, {2, 2, 4}, {3, 2, 4}, {4, 4, 5}, {5, 5, 9}, {9, 9, 10}, {10, 10, 13}, {14, 14, 17}} {
		if s, e := wordBounds(rs, c.i); s != c.s || e != c.e {
			t.Errorf("wordBounds at %d (%q) = [%d, %d) %q, want [%d, %d)", c.i, rs[c.i], s, e, string(rs[s:e]), c.s, c.e)
		}
	}
}
