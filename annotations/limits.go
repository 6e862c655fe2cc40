package annotations

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations/anchor"
)

// The limits of what the library holds. Every way in — adding articles
// (AddArticles), replacing a text (UpdateArticle), importing (Import,
// ImportExternal), highlighting and editing (Highlight, Edit) — checks
// the same ones, in this file. What is over them is refused with ErrLimit
// (or ErrInvalidTag for a tag too long), and text that is not valid UTF-8
// or holds NUL characters with ErrInvalidText: nothing is cut, dropped or
// replaced with U+FFFD without notice.
const (
	// MaxTextSize is the largest article text, in bytes of normalised
	// UTF-8: 50 MiB, as formats.MaxArticleSize is for article files.
	MaxTextSize = 50 << 20
	// MaxTitleLength is the longest title, in characters (runes), white
	// space collapsed. Titles read from files are cut to 120.
	MaxTitleLength = 500
	// MaxSourceLength is the longest source (file path or URL), in bytes.
	MaxSourceLength = 8 << 10
	// MaxNoteLength is the longest note, in bytes.
	MaxNoteLength = 1 << 20
	// MaxTags is the most tags one annotation carries.
	MaxTags = 100
)

// checkText refuses text that Gloss does not store: not valid UTF-8
// (NormalizeText would turn it into U+FFFD), or holding NUL characters
// (which it would drop). what names the text in the message ("the note").
func checkText(what, s string) error {
	if !utf8.ValidString(s) {
		at := 0
		for at < len(s) {
			r, size := utf8.DecodeRuneInString(s[at:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			at += size
		}
		return fmt.Errorf("%w: %s is not valid UTF-8 (byte %d is not); save it as UTF-8", ErrInvalidText, what, at)
	}
	if at := strings.IndexByte(s, 0); at >= 0 {
		return fmt.Errorf("%w: %s contains a NUL character (byte %d)", ErrInvalidText, what, at)
	}
	return nil
}

// normalizeArticle checks an article's title, source and text against
// the limits and returns the title and text as the library stores them:
// the text normalised (NormalizeText), the title normalised on one line,
// "Untitled" when empty. A blank text is left to the caller to refuse.
func normalizeArticle(title, source, text string) (string, string, error) {
	for _, f := range [...]struct{ what, s string }{{"the text", text}, {"the title", title}, {"the source", source}} {
		if err := checkText(f.what, f.s); err != nil {
			return "", "", err
		}
	}
	if len(source) > MaxSourceLength {
		return "", "", fmt.Errorf("%w: the source %s is %d bytes long; a file path or URL can be at most %d", ErrLimit, QuoteInput(source), len(source), MaxSourceLength)
	}
	if len(text) > 2*MaxTextSize { // spare normalising what cannot fit
		return "", "", textTooLarge(len(text))
	}
	text = NormalizeText(text)
	if len(text) > MaxTextSize {
		return "", "", textTooLarge(len(text))
	}
	if len(title) > 8*MaxTitleLength { // UTF-8 is at most 4 bytes a rune; spare normalising a huge title
		return "", "", titleTooLong(utf8.RuneCountInString(title))
	}
	title = strings.Join(strings.Fields(NormalizeText(title)), " ")
	if n := utf8.RuneCountInString(title); n > MaxTitleLength {
		return "", "", titleTooLong(n)
	}
	if title == "" {
		title = "Untitled"
	}
	return title, text, nil
}

func textTooLarge(size int) error {
	return fmt.Errorf("%w: the text is %s MB; an article can be at most %d MB", ErrLimit,
		strconv.FormatFloat(float64(size)/(1<<20), 'f', 1, 64), MaxTextSize>>20)
}

func titleTooLong(n int) error {
	return fmt.Errorf("%w: the title is %d characters long; a title can be at most %d", ErrLimit, n, MaxTitleLength)
}

// normalizeNote checks a note against the limits and returns it as the
// library stores it: normalised, without trailing white space.
func normalizeNote(note string) (string, error) {
	if err := checkText("the note", note); err != nil {
		return "", err
	}
	if len(note) > 2*MaxNoteLength {
		return "", noteTooLong()
	}
	note = strings.TrimRight(NormalizeText(note), " \t\n")
	if len(note) > MaxNoteLength {
		return "", noteTooLong()
	}
	return note, nil
}

func noteTooLong() error {
	return fmt.Errorf("%w: a note can be at most %d bytes", ErrLimit, MaxNoteLength)
}

// normalizeTarget checks an imported target's quote, context and what a
// fuzzy annotation said before against the limits, and returns the
// target normalised, its prefix and suffix cut to anchor.ContextRunes (all
// re-anchoring looks at).
func normalizeTarget(t Target, previous string) (Target, string, error) {
	for _, f := range [...]struct{ what, s string }{{"the quote", t.Exact}, {"the prefix", t.Prefix}, {"the suffix", t.Suffix}, {"the previous text", previous}} {
		if err := checkText(f.what, f.s); err != nil {
			return t, "", err
		}
		if len(f.s) > MaxTextSize {
			return t, "", fmt.Errorf("%w: %s is %d bytes long; an article can be at most %d MB", ErrLimit, f.what, len(f.s), MaxTextSize>>20)
		}
	}
	t.Exact = NormalizeText(t.Exact)
	t.Prefix = lastRunes(NormalizeText(t.Prefix), anchor.ContextRunes)
	t.Suffix = firstRunes(NormalizeText(t.Suffix), anchor.ContextRunes)
	return t, NormalizeText(previous), nil
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func lastRunes(s string, n int) string {
	for i := len(s); i > 0; {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		if n--; n == 0 {
			return s[i:]
		}
	}
	return s
}
