package textflow

import "testing"

func TestCJKWord(t *testing.T) {
	tests := []struct {
		text       string
		i          int
		start, end int
		ok         bool
	}{
		{"日本語のテキスト", 0, 0, 3, true},
		{"日本語のテキスト", 2, 0, 3, true},
		{"日本語のテキスト", 3, 3, 4, true},
		{"日本語のテキスト", 6, 4, 8, true},
		{"すごーい", 2, 0, 4, true},     // ー after hiragana is hiragana
		{"コーヒー", 3, 0, 4, true},     // …after katakana, katakana
		{"ｺｰﾋｰ", 1, 0, 4, true},     // halfwidth
		{"か\u3099き", 1, 0, 3, true}, // combining voiced mark
		{"人々の", 1, 0, 2, true},      // 々 is Han
		{"中文，测试。", 1, 0, 2, true},
		{"中文，测试。", 4, 3, 5, true},
		{"中文，测试。", 2, 0, 0, false}, // punctuation: the view's own rule
		{"한국어 텍스트", 1, 0, 3, true},
		{"한국어 텍스트", 5, 4, 7, true},
		{"Go言語", 2, 2, 4, true},
		{"Go言語", 0, 0, 0, false},
		{"ー", 0, 0, 1, true},
		{"", 0, 0, 0, false},
		{"日本", 5, 0, 0, false},
	}
	for _, tt := range tests {
		s, e, ok := CJKWord([]rune(tt.text), tt.i)
		if s != tt.start || e != tt.end || ok != tt.ok {
			t.Errorf("CJKWord(%q, %d) = %d, %d, %v; want %d, %d, %v", tt.text, tt.i, s, e, ok, tt.start, tt.end, tt.ok)
		}
	}
}

func TestCJKScript(t *testing.T) {
	tests := []struct {
		r    rune
		want Script
	}{
		{'a', NotCJK}, {'א', NotCJK}, {'。', NotCJK}, {'日', Han}, {'々', Han},
		{'の', Hiragana}, {'テ', Katakana}, {'ｱ', Katakana}, {'한', Hangul}, {'ー', Katakana},
	}
	for _, tt := range tests {
		if got := CJKScript(tt.r); got != tt.want {
			t.Errorf("CJKScript(%q) = %d, want %d", tt.r, got, tt.want)
		}
	}
}
