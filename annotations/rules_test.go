package annotations

import (
	"errors"
	"slices"
	"testing"
)

func TestNormalizeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello", "hello"},
		{"crlf", "a\r\nb\rc", "a\nb\nc"},
		{"bom", "\uFEFFtext", "text"},
		{"nfc", "cafe\u0301", "café"},
		{"nul", "a\x00b", "ab"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeText(tt.in); got != tt.want {
				t.Errorf("NormalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := NormalizeText(tt.want); again != tt.want {
				t.Errorf("not idempotent: %q → %q", tt.want, again)
			}
		})
	}
}

func TestNormalizeTags(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
		err  bool
	}{
		{"trim and collapse", []string{"  peace   talks "}, []string{"peace talks"}, false},
		{"case-insensitive repeats keep the first", []string{"NATO", "nato", "Nato"}, []string{"NATO"}, false},
		{"accent-insensitive repeats keep the first", []string{"Café", "cafe", "CAFÉ"}, []string{"Café"}, false},
		{"order kept", []string{"b", "a"}, []string{"b", "a"}, false},
		{"empty refused", []string{"ok", "  "}, nil, true},
		{"comma refused", []string{"a,b"}, nil, true},
		{"none", nil, []string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeTags(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("error = %v, want error %v", err, tt.err)
			}
			if tt.err {
				if !errors.Is(err, ErrInvalidTag) {
					t.Errorf("error %v is not ErrInvalidTag", err)
				}
				return
			}
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestTagKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"method", "method"},
		{"NATO", "nato"},
		{"  Peace \t  Talks ", "peace talks"},
		{"Café", "cafe"},
		{"cafe\u0301", "cafe"}, // a combining accent
		{"Zürich", "zurich"},
		{"Straße", "strasse"},
		{"Ørsted", "orsted"},
		{"C++", "c++"},
		{"key-claim", "key-claim"},
		{"İstanbul", "istanbul"},
		{"日本", "日本"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := TagKey(tt.in); got != tt.want {
				t.Errorf("TagKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := TagKey(TagKey(tt.in)); got != tt.want {
				t.Errorf("TagKey is not idempotent on %q: %q", tt.in, got)
			}
		})
	}
}

func TestHasTag(t *testing.T) {
	tags := []string{"Peace Talks", "Ukraine", "Café"}
	for tag, want := range map[string]bool{"peace talks": true, "peace  TALKS": true, "ukraine": true, "peace": false, "cafe": true, "CAFÉ": true} {
		if got := HasTag(tags, tag); got != want {
			t.Errorf("HasTag(%q) = %v, want %v", tag, got, want)
		}
	}
}

func TestParseColor(t *testing.T) {
	tests := []struct {
		in   string
		want Color
		err  bool
	}{
		{"yellow", Yellow, false},
		{"RED", Red, false},
		{" green ", Green, false},
		{"grey", Gray, false},
		{"1", Yellow, false},
		{"8", Gray, false},
		{"9", "", true},
		{"0", "", true},
		{"pink", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseColor(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("ParseColor(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
	for i, c := range Colors {
		if c.Key() != i+1 {
			t.Errorf("%s.Key() = %d, want %d", c, c.Key(), i+1)
		}
		if DefaultColorLabels.Label(c) == "" {
			t.Errorf("%s has no default meaning", c)
		}
	}
}
