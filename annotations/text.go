package annotations

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizeText returns text as Gloss stores it: Unicode NFC, "\n" line
// endings, no byte order mark, no NUL bytes. It is idempotent, so text that
// is already normal comes back unchanged. Invalid UTF-8 must be rejected or
// decoded before this is called (see ErrInvalidText); NormalizeText replaces
// any that is left with U+FFFD rather than store it silently.
func NormalizeText(text string) string {
	text = strings.TrimPrefix(text, "\uFEFF")
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	if strings.ContainsRune(text, '\r') {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	if strings.ContainsRune(text, 0) {
		text = strings.ReplaceAll(text, "\x00", "")
	}
	return norm.NFC.String(text)
}

// HashText returns the content hash of an article's text as stored in
// Article.Hash: "sha256:" followed by the lower-case hex digest.
func HashText(text string) string {
	// In pieces through a small buffer: converting a text of 50 MB to
	// bytes whole would copy it.
	h := sha256.New()
	var buf [32 << 10]byte
	for len(text) > 0 {
		n := copy(buf[:], text)
		h.Write(buf[:n])
		text = text[n:]
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
