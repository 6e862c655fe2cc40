package textflow

import (
	"reflect"
	"strings"
	"testing"
)

func TestBreaks(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []int
	}{
		{"latin", "hello world", []int{6}},
		{"spaces", "hello   world", []int{8}},
		{"indentation", "  hello", []int{2}},
		{"hyphen keeps words", "well-known e.g. a/b", []int{11, 16}},
		{"brackets", "a (b) c", []int{2, 6}},
		{"no break before ! after a space (LB13)", "Bonjour !", nil},
		{"none after ( and spaces (LB14)", "( foo", nil},
		{"none before ) after a space (LB13)", "foo )", nil},
		{"no-break space", "10\u00a0km", nil},
		{"zero width space", "foo\u200bbar", []int{4}},
		{"ideographs", "日本語", []int{1, 2}},
		{"full stop", "日本語。", []int{1, 2}},
		{"corner brackets", "「日本」", []int{2}},
		// 日|本、|中|国。|「新|し|い」|本
		{"japanese sentence", "日本、中国。「新しい」本", []int{1, 3, 4, 6, 8, 9, 11}},
		{"small kana", "ちょっと", []int{3}},
		{"prolonged sound mark", "コーヒー", []int{2}},
		{"iteration mark", "人々", nil},
		{"latin then ideographs", "Go言語です", []int{2, 3, 4, 5}},
		{"ideographs then latin", "言語Go", []int{1, 2}},
		{"ideograph and postfix (LB23a)", "二十℃", []int{1}},
		{"chinese", "中文，测试。", []int{1, 3, 4}},
		{"fullwidth question", "本当？はい", []int{1, 3, 4}},
		{"hangul", "한국어 텍스트", []int{1, 2, 4, 5, 6}},
		{"quotes (LB19)", "“日本”", []int{2}},
		{"close then latin", "日本。Go", []int{1, 3}},
		{"wide open after latin", "Go「言語」", []int{2, 4}},
		{"ascii open after latin", "Go(lang)", nil},
		{"dakuten combining", "か\u3099き", []int{2}},
		{"mark after space", "a \u0301b", []int{2}},
	}
	for _, tt := range tests {
		if got := Breaks(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Breaks(%q) = %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}

// The kinsoku sets the view promises: no line starts with the first, none
// ends with the second.
const (
	noStart = "、。，．）」』】〕〉》！？ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々・：；〜ゝゞヽヾ" + ")]},.!?:;"
	noEnd   = "（「『【〔〈《［｛" + "([{"
)

func TestBreaksKinsoku(t *testing.T) {
	texts := []string{
		"吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。",
		"「ちょっと待って！」と彼は言った。『本当に？』【注】（参考）〔例〕〈略〉《書名》",
		"私たちは、ソフトウェア・エンジニアリングについて話しました。コーヒーを飲みながら……",
		"中华人民共和国（简称：中国），位于亚洲东部。“你好”，他说。",
	}
	for _, text := range texts {
		rs := []rune(text)
		for _, k := range Breaks(text) {
			if strings.ContainsRune(noStart, rs[k]) {
				t.Errorf("%q: a line may start with %q at %d", text, rs[k], k)
			}
			if strings.ContainsRune(noEnd, rs[k-1]) {
				t.Errorf("%q: a line may end with %q at %d", text, rs[k-1], k)
			}
		}
	}
}

// wrapRunes wraps text greedily at most width runes a line, breaking only
// where Breaks allows (the test texts always have a break within width).
func wrapRunes(t *testing.T, text string, width int) []string {
	rs := []rune(text)
	brk := append(Breaks(text), len(rs))
	var lines []string
	start := 0
	for start < len(rs) {
		end := -1
		for _, b := range brk {
			if b > start && b-start <= width {
				end = b
			}
		}
		if end < 0 {
			t.Fatalf("no break within %d runes after %q", width, string(rs[:start]))
		}
		lines = append(lines, string(rs[start:end]))
		start = end
	}
	return lines
}

func TestWrapJapanese(t *testing.T) {
	text := "吾輩は猫である。名前はまだ無い。「ちょっと待って！」と彼は言った。"
	for width := 4; width <= 20; width++ {
		lines := wrapRunes(t, text, width)
		if got := strings.Join(lines, ""); got != text {
			t.Fatalf("width %d: lines %q lose text", width, lines)
		}
		for i, ln := range lines {
			rs := []rune(ln)
			if i > 0 && strings.ContainsRune(noStart, rs[0]) {
				t.Errorf("width %d: line %q starts with %q", width, ln, rs[0])
			}
			if strings.ContainsRune(noEnd, rs[len(rs)-1]) {
				t.Errorf("width %d: line %q ends with %q", width, ln, rs[len(rs)-1])
			}
		}
	}
	// At 8 runes a line the full stops stay with their sentences.
	want := []string{"吾輩は猫である。", "名前はまだ無い。", "「ちょっと待っ", "て！」と彼は言っ", "た。"}
	if got := wrapRunes(t, text, 8); !reflect.DeepEqual(got, want) {
		t.Errorf("wrapped at 8: %q, want %q", got, want)
	}
}

func TestBreakerReset(t *testing.T) {
	var b Breaker
	for _, r := range "日本" {
		b.Next(r)
	}
	b.Reset()
	if b.Next('語') {
		t.Error("a break before the first rune after Reset")
	}
	if !b.Next('本') {
		t.Error("no break between two ideographs after Reset")
	}
}
