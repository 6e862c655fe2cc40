package annotations

import (
	"fmt"
	"strings"
)

// MaxTagLength is the longest tag accepted, in runes.
const MaxTagLength = 100

// NormalizeTag trims a tag and collapses the white space inside it. Empty
// tags and tags with commas (the separator in lists and CSV) are refused.
func NormalizeTag(tag string) (string, error) {
	t := strings.Join(strings.Fields(NormalizeText(tag)), " ")
	switch {
	case t == "":
		return "", fmt.Errorf("%w: a tag cannot be empty", ErrInvalidTag)
	case strings.ContainsRune(t, ','):
		return "", fmt.Errorf("%w: %q contains a comma", ErrInvalidTag, t)
	case len([]rune(t)) > MaxTagLength:
		return "", fmt.Errorf("%w: %q is longer than %d characters", ErrInvalidTag, t, MaxTagLength)
	}
	return t, nil
}

// FoldTag is TagKey, under the name it had before tags were compared
// without accents too; new code calls TagKey.
func FoldTag(tag string) string { return TagKey(tag) }

// NormalizeTags normalises every tag and drops repeats (compared by TagKey),
// keeping the first spelling and the order. The result is never nil.
func NormalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, tag := range tags {
		t, err := NormalizeTag(tag)
		if err != nil {
			return nil, err
		}
		if f := TagKey(t); !seen[f] {
			seen[f] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// HasTag reports whether tags contains tag, compared by TagKey.
func HasTag(tags []string, tag string) bool {
	f := TagKey(tag)
	for _, t := range tags {
		if TagKey(t) == f {
			return true
		}
	}
	return false
}
