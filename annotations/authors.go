package annotations

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Authors: a team that shares one library (through sync) wants to know who
// made each annotation. Every device (every library file) has a name of its
// own, the setting SettingAuthor; Highlight stamps it on the annotations
// made there, and nothing changes it afterwards: the author is who made the
// annotation, not who last edited it. An import keeps the author its file
// gives.

// SettingAuthor is the library setting that holds this device's author
// name (see Service.SetAuthor).
const SettingAuthor = "author"

// MaxAuthorName is the longest name of an annotation's author accepted, in
// runes (an article's authors have MaxAuthorLength).
const MaxAuthorName = 100

// ErrInvalidAuthor is returned for an author name that holds control
// characters or is longer than MaxAuthorName.
var ErrInvalidAuthor = errors.New("invalid author name")

// NormalizeAuthor returns an author name as the library keeps it: trimmed,
// every run of white space inside made one space, normalised as text is
// (NormalizeText). "" (or white space) is "", no author. A name with
// control characters, or longer than MaxAuthorName runes, is refused with
// ErrInvalidAuthor (ErrInvalidText for invalid UTF-8 or NUL).
func NormalizeAuthor(name string) (string, error) {
	if err := checkText("the author name", name); err != nil {
		return "", err
	}
	if len(name) > 8*MaxAuthorName {
		return "", authorTooLong()
	}
	n := strings.Join(strings.Fields(NormalizeText(name)), " ")
	if i := strings.IndexFunc(n, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(n[i:])
		return "", fmt.Errorf("%w: %s contains a control character (%U)", ErrInvalidAuthor, QuoteInput(n), r)
	}
	if utf8.RuneCountInString(n) > MaxAuthorName {
		return "", authorTooLong()
	}
	return n, nil
}

func authorTooLong() error {
	return fmt.Errorf("%w: an author name can be at most %d characters", ErrInvalidAuthor, MaxAuthorName)
}

// AuthorKey returns the key author names are compared by: as tags are
// (TagKey), white space collapsed, case and accents folded, so "Zoë
// Brandt" and "zoe  brandt" are one author.
func AuthorKey(name string) string { return TagKey(name) }

// SameAuthor reports whether two author names are one author (AuthorKey).
func SameAuthor(a, b string) bool { return AuthorKey(a) == AuthorKey(b) }

// Author returns this device's author name: the name Highlight stamps on
// new annotations ("" when none is set).
func (s *Service) Author() (string, error) {
	return s.Setting(SettingAuthor)
}

// SetAuthor sets this device's author name (NormalizeAuthor); "" clears it.
// Like every setting it belongs to this library file: it is neither
// exported nor synced, and annotations made before keep their author.
func (s *Service) SetAuthor(name string) error {
	n, err := NormalizeAuthor(name)
	if err != nil {
		return err
	}
	return s.SetSetting(SettingAuthor, n)
}

// deviceAuthor reads this device's author name inside a transaction; a
// setting that is not a valid name (written by other means than SetAuthor)
// counts as none rather than keeping anyone from highlighting.
func deviceAuthor(r Reader) (string, error) {
	v, err := r.Setting(SettingAuthor)
	if err != nil {
		return "", fmt.Errorf("the author setting: %w", err)
	}
	if n, err := NormalizeAuthor(v); err == nil {
		return n, nil
	}
	return "", nil
}
