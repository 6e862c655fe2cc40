package annotations

import (
	"fmt"
	"strconv"
	"strings"
)

// Color is one of the eight highlight colours, by name.
type Color string

// The highlight colours, in the order of the keys 1–8 that pick them.
const (
	Yellow  Color = "yellow"
	Red     Color = "red"
	Green   Color = "green"
	Blue    Color = "blue"
	Purple  Color = "purple"
	Magenta Color = "magenta"
	Orange  Color = "orange"
	Gray    Color = "gray"
)

// Colors lists the colours in key order: Colors[0] is key 1.
var Colors = []Color{Yellow, Red, Green, Blue, Purple, Magenta, Orange, Gray}

// DefaultColor is the colour of a highlight made without naming one.
const DefaultColor = Yellow

// DefaultColorLabels are the meanings a new library starts with; the reader
// can change every one of them.
var DefaultColorLabels = ColorLabels{
	Yellow:  "key claim",
	Red:     "disagree",
	Green:   "evidence",
	Blue:    "method",
	Purple:  "definition",
	Magenta: "question",
	Orange:  "follow up",
	Gray:    "background",
}

// ColorLabels maps each colour to the meaning the reader gave it.
type ColorLabels map[Color]string

// Label returns the meaning of c, or "" when it has none.
func (l ColorLabels) Label(c Color) string { return l[c] }

// Valid reports whether c is one of the eight colours.
func (c Color) Valid() bool { return c.Key() > 0 }

// Key returns the key (1–8) that picks c, or 0 when c is not a colour.
func (c Color) Key() int {
	for i, k := range Colors {
		if k == c {
			return i + 1
		}
	}
	return 0
}

// ParseColor reads a colour by name ("yellow", any case, "grey" too) or by
// its key number ("1"–"8").
func ParseColor(s string) (Color, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "grey" {
		s = string(Gray)
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(Colors) {
		return Colors[n-1], nil
	}
	if c := Color(s); c.Valid() {
		return c, nil
	}
	names := make([]string, len(Colors))
	for i, c := range Colors {
		names[i] = string(c)
	}
	return "", fmt.Errorf("%w: %s (use one of %s, or 1–8)", ErrInvalidColor, QuoteInput(s), strings.Join(names, ", "))
}
