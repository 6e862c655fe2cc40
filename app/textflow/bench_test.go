package textflow

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hebrew is a paragraph of about 2,000 runes of Hebrew words, numbers and
// punctuation, the size of a long article paragraph.
var hebrew = strings.Repeat("שלום עולם, זהו משפט לדוגמה עם 123 מספרים (וסוגריים) ועוד. ", 35)

func BenchmarkAnalyze(b *testing.B) {
	for b.Loop() {
		Analyze(hebrew, true)
	}
}

func BenchmarkAnalyzeLatin(b *testing.B) {
	latin := strings.Repeat("The quick brown fox jumps over the lazy dog, 123 times. ", 35)
	for b.Loop() {
		Analyze(latin, false)
	}
}

func BenchmarkLineGeom(b *testing.B) {
	p := Analyze(hebrew, true)
	line := string([]rune(hebrew)[:70])
	n := utf8.RuneCountInString(line)
	for b.Loop() {
		g := NewGeom(line, true, p.Line(0, n), nil, fw)
		g.Hit(g.Width()/2, fw)
		g.Spans(10, 40, fw)
	}
}

func BenchmarkBreaks(b *testing.B) {
	ja := strings.Repeat("吾輩は猫である。名前はまだ無い。「ちょっと待って！」と彼は言った。", 60)
	var br Breaker
	for b.Loop() {
		br.Reset()
		for _, r := range ja {
			br.Next(r)
		}
	}
}

func BenchmarkBreaksLatin(b *testing.B) {
	latin := strings.Repeat("The quick brown fox jumps over the lazy dog, 123 times. ", 35)
	var br Breaker
	for b.Loop() {
		br.Reset()
		for _, r := range latin {
			br.Next(r)
		}
	}
}
