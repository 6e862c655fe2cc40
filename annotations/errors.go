package annotations

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// ErrNotFound is returned when no article or annotation has the given ID
// (or ID prefix).
var ErrNotFound = errors.New("not found")

// ErrAmbiguous is returned when an ID prefix matches more than one record.
var ErrAmbiguous = errors.New("ambiguous ID prefix")

// ErrInvalidColor is returned for a colour that is not one of the eight.
var ErrInvalidColor = errors.New("unknown colour")

// ErrInvalidTag is returned for an empty, over-long or comma-holding tag.
var ErrInvalidTag = errors.New("invalid tag")

// ErrInvalidArticle is returned for an article the library cannot hold: no
// text, text too large, not text at all.
var ErrInvalidArticle = errors.New("invalid article")

// ErrInvalidImport is returned when an import file is well-formed JSON but
// its content cannot be merged (for example an annotation of an article that
// is neither in the file nor in the library).
var ErrInvalidImport = errors.New("invalid import")

// ErrTrashed is returned when a change is asked of an annotation that is in
// the trash (restore it first).
var ErrTrashed = errors.New("annotation is in the trash")

// ErrNothingToUndo is returned by Undo and Redo when their history is empty.
var ErrNothingToUndo = errors.New("nothing to undo")

// ErrNothingToRedo is returned by Redo when there is nothing undone.
var ErrNothingToRedo = errors.New("nothing to redo")

// maxQuotedRunes is how much of an input an error message quotes.
const maxQuotedRunes = 80

// QuoteInput quotes s for an error message as %q does (Go string syntax,
// invalid UTF-8 and control characters escaped), but at most
// maxQuotedRunes runes of it: a longer s is cut, ends in "…", and its
// length follows the quote, so that the message stays one short line
// however long the input is: `"peace talks an…" (10485760 characters)`.
// Every message that echoes what the user or a file gave quotes it with
// QuoteInput.
func QuoteInput(s string) string {
	n := 0
	for i := range s {
		if n == maxQuotedRunes {
			return strconv.Quote(s[:i]+"…") + " (" + strconv.Itoa(utf8.RuneCountInString(s)) + " characters)"
		}
		n++
	}
	return strconv.Quote(s)
}

// ErrLimit is returned for input over one of the library's limits (see
// MaxTextSize): an article's text, title or source, a note, a quote, or
// an annotation's number of tags.
var ErrLimit = errors.New("over the limit")

// ErrInvalidText is returned for text the library does not store: text
// that is not valid UTF-8, or that holds NUL characters.
var ErrInvalidText = errors.New("invalid text")
