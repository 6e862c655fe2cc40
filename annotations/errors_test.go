package annotations

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuoteInput(t *testing.T) {
	long := strings.Repeat("a", 10<<20)
	tests := []struct {
		name, in, want string
	}{
		{"short", "peace talks", `"peace talks"`},
		{"empty", "", `""`},
		{"escapes as %q does", "a\"b\n\x00", `"a\"b\n\x00"`},
		{"invalid UTF-8 escaped", "caf\xe9", `"caf\xe9"`},
		{"80 runes kept whole", strings.Repeat("é", 80), `"` + strings.Repeat("é", 80) + `"`},
		{"81 runes cut", strings.Repeat("é", 81), `"` + strings.Repeat("é", 80) + `…" (81 characters)`},
		{"10 MB cut", long, `"` + strings.Repeat("a", 80) + `…" (10485760 characters)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := QuoteInput(tt.in); got != tt.want {
				t.Errorf("QuoteInput = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestErrors_LongInputQuotedShort: an error about an input quotes a short
// part of it, however long the input (a 10 MB tag gave a 10 MB line).
func TestErrors_LongInputQuotedShort(t *testing.T) {
	huge := strings.Repeat("x", 10<<20)
	_, tagErr := NormalizeTag(huge)
	_, commaErr := NormalizeTag(huge + ",")
	_, colorErr := ParseColor(huge)
	tests := []struct {
		name string
		err  error
	}{
		{"tag too long", tagErr},
		{"tag with a comma", commaErr},
		{"unknown colour", colorErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("no error")
			}
			if msg := tt.err.Error(); utf8.RuneCountInString(msg) > 200 {
				t.Errorf("message of %d characters: %.120q…", utf8.RuneCountInString(msg), msg)
			}
		})
	}
}
