package annotations

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxTagLength is the longest tag accepted, in runes.
const MaxTagLength = 100

// NormalizeTag trims a tag and collapses the white space inside it. Empty
// tags and tags with commas (the separator in lists and CSV) are refused.
func NormalizeTag(tag string) (string, error) {
	if err := checkText("the tag "+QuoteInput(tag), tag); err != nil {
		return "", err
	}
	t := strings.Join(strings.Fields(NormalizeText(tag)), " ")
	switch {
	case t == "":
		return "", fmt.Errorf("%w: a tag cannot be empty", ErrInvalidTag)
	case strings.ContainsRune(t, ','):
		return "", fmt.Errorf("%w: %s contains a comma", ErrInvalidTag, QuoteInput(t))
	case utf8.RuneCountInString(t) > MaxTagLength:
		return "", fmt.Errorf("%w: %s is longer than %d characters", ErrInvalidTag, QuoteInput(t), MaxTagLength)
	}
	return t, nil
}

// NormalizeTags normalises every tag and drops repeats (compared by TagKey),
// keeping the first spelling and the order; more than MaxTags are refused
// with ErrLimit. The result is never nil.
func NormalizeTags(tags []string) ([]string, error) {
	out, err := normalizeTags(tags)
	if err == nil && len(out) > MaxTags {
		return nil, tooManyTags()
	}
	return out, err
}

func tooManyTags() error {
	return fmt.Errorf("%w: an annotation can have at most %d tags", ErrLimit, MaxTags)
}

// normalizeTags is NormalizeTags without the limit on their number.
func normalizeTags(tags []string) ([]string, error) {
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
