package anchor

import (
	"errors"
	"strings"
	"testing"
)

func TestCapture(t *testing.T) {
	long := strings.Repeat("a", 40) + "QUOTE" + strings.Repeat("b", 40)
	tests := []struct {
		name       string
		text       string
		start, end int
		want       Target
		err        error
	}{
		{"middle", "one two three", 4, 7, Target{Start: 4, End: 7, Exact: "two", Prefix: "one ", Suffix: " three"}, nil},
		{"start", "one two", 0, 3, Target{Start: 0, End: 3, Exact: "one", Prefix: "", Suffix: " two"}, nil},
		{"end", "one two", 4, 7, Target{Start: 4, End: 7, Exact: "two", Prefix: "one ", Suffix: ""}, nil},
		{"runes not bytes", "café au lait", 5, 7, Target{Start: 5, End: 7, Exact: "au", Prefix: "café ", Suffix: " lait"}, nil},
		{"emoji", "a 👍 b", 2, 3, Target{Start: 2, End: 3, Exact: "👍", Prefix: "a ", Suffix: " b"}, nil},
		{"context is 32 runes", long, 40, 45, Target{Start: 40, End: 45, Exact: "QUOTE", Prefix: strings.Repeat("a", 32), Suffix: strings.Repeat("b", 32)}, nil},
		{"empty range", "abc", 1, 1, Target{}, ErrRange},
		{"reversed", "abc", 2, 1, Target{}, ErrRange},
		{"negative", "abc", -1, 2, Target{}, ErrRange},
		{"past the end", "abc", 1, 4, Target{}, ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Capture(tt.text, tt.start, tt.end)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if !got.Same(tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	text := "The talks stalled. The talks\nresumed in Geneva. Café talks."
	tests := []struct {
		name       string
		quote      string
		nth        int
		start, end int
		err        bool
	}{
		{"first", "The talks", 1, 0, 9, false},
		{"second", "The talks", 2, 19, 28, false},
		{"third missing", "The talks", 3, 0, 0, true},
		{"spaces match a newline", "talks resumed", 1, 23, 36, false},
		{"runs of spaces", "talks   resumed  in", 1, 23, 39, false},
		{"after non-ASCII", "talks.", 1, 53, 59, false},
		{"absent", "peace deal", 1, 0, 0, true},
		{"empty", "  ", 1, 0, 0, true},
		{"nth zero", "The", 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end, err := Find(text, tt.quote, tt.nth)
			if (err != nil) != tt.err {
				t.Fatalf("error = %v, want error %v", err, tt.err)
			}
			if err == nil && (start != tt.start || end != tt.end) {
				t.Errorf("got [%d, %d) %q, want [%d, %d)", start, end, string([]rune(text)[start:end]), tt.start, tt.end)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	orig := "Alpha beta gamma. Delta beta epsilon. Zeta beta eta."
	second, _ := Capture(orig, 24, 28) // the "beta" after Delta
	tests := []struct {
		name  string
		text  string
		t     Target
		ok    bool
		start int
	}{
		{"unchanged", orig, second, true, 24},
		{"text inserted before", "New sentence. " + orig, second, true, 38},
		{"context picks the right repeat", strings.Replace(orig, "Alpha", "A", 1), second, true, 20},
		{"gone", "Alpha gamma. Delta epsilon.", second, false, 24},
		{"offsets out of range", "Delta beta epsilon.", Target{Start: 100, End: 104, Exact: "beta", Prefix: "Delta ", Suffix: " epsilon"}, true, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Locate(tt.text, tt.t)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if got.Start != tt.start {
				t.Errorf("start = %d, want %d", got.Start, tt.start)
			}
			if ok && string([]rune(tt.text)[got.Start:got.End]) != got.Exact {
				t.Errorf("target %+v does not hold its quote", got)
			}
		})
	}
}

func TestOccurrences(t *testing.T) {
	got := Occurrences("ääbääbää", "ää")
	want := [][2]int{{0, 2}, {3, 5}, {6, 8}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
}

// TestCapture_SameAsRunes checks the one-pass Capture against slicing the
// text's runes, at the edges of the text and of the context.
func TestCapture_SameAsRunes(t *testing.T) {
	texts := []string{"short", "café 👍 naïve — ünïcödé text that runs on for a while, well past the context of thirty-two runes on each side", strings.Repeat("ab", 40)}
	for _, text := range texts {
		n := len([]rune(text))
		for start := -1; start <= n; start++ {
			for end := start - 1; end <= n+1; end++ {
				got, err := Capture(text, start, end)
				want, werr := captureRunes([]rune(text), start, end)
				if (err == nil) != (werr == nil) || !got.Same(want) {
					t.Fatalf("Capture(%q, %d, %d) = %+v, %v; want %+v, %v", text, start, end, got, err, want, werr)
				}
			}
		}
	}
}
