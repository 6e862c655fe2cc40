package textfind

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAll(t *testing.T) {
	tests := []struct {
		name, text, query string
		want              []Match
	}{
		{"plain", "the cat and the hat", "the", []Match{{0, 3}, {12, 15}}},
		{"case", "The THE the", "the", []Match{{0, 3}, {4, 7}, {8, 11}}},
		{"accents in the text", "Café and cafe", "cafe", []Match{{0, 4}, {9, 13}}},
		{"accents in the query", "Café and cafe", "CAFÉ", []Match{{0, 4}, {9, 13}}},
		{"decomposed accent is part of its letter", "cafe\u0301 au lait", "cafe", []Match{{0, 5}}},
		{"sharp s", "Straße", "strasse", []Match{{0, 6}}},
		{"half of a sharp s is the whole letter, once", "Straße", "s", []Match{{0, 1}, {4, 5}}},
		{"white space runs", "peace\n\n  talks", "peace talks", []Match{{0, 14}}},
		{"query white space trimmed", "a peace b", "  peace ", []Match{{2, 7}}},
		{"punctuation kept", "C++ and C", "c++", []Match{{0, 3}}},
		{"after multibyte runes", "日本語 text 日本", "日本", []Match{{0, 2}, {9, 11}}},
		{"no overlap", "aaaa", "aa", []Match{{0, 2}, {2, 4}}},
		{"none", "abc", "x", nil},
		{"empty query", "abc", "  ", nil},
		{"Hebrew", "א בב גגג", "בב", []Match{{2, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, more := New(tt.text).All(tt.query, 0)
			if !reflect.DeepEqual(got, tt.want) || more {
				t.Fatalf("All(%q) in %q = %v (more %v), want %v", tt.query, tt.text, got, more, tt.want)
			}
		})
	}
}

func TestAll_Limit(t *testing.T) {
	x := New(strings.Repeat("ab ", 10))
	got, more := x.All("ab", 3)
	if len(got) != 3 || !more {
		t.Fatalf("limit 3: %v, more %v", got, more)
	}
	if got, more := x.All("ab", 10); len(got) != 10 || more {
		t.Fatalf("limit 10 of 10: %d, more %v", len(got), more)
	}
}

// FuzzAll holds every match to the text: in order, within it, not empty,
// and the folded match holds the folded query.
func FuzzAll(f *testing.F) {
	for _, s := range [][2]string{{"Café au lait", "cafe"}, {"Straße", "s"}, {"a\u0301\u0301b", "ab"}, {"  x  y ", "x y"}, {"\xff\xfe", "\xff"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, query string) {
		ms, _ := New(text).All(query, 0)
		runes := []rune(text)
		n := utf8.RuneCountInString(text)
		prev := 0
		for _, m := range ms {
			if m.Start < prev || m.End <= m.Start || m.End > n {
				t.Fatalf("match %v after %d in %d runes", m, prev, n)
			}
			if !strings.Contains(Fold(string(runes[m.Start:m.End])), Fold(query)) {
				t.Fatalf("match %v %q does not hold %q", m, string(runes[m.Start:m.End]), query)
			}
			prev = m.Start
		}
	})
}
