package formats

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// boms are the byte order marks Gloss honours, longest first: a UTF-32 LE
// mark begins with the UTF-16 LE one. unit is the code unit size in bytes.
var boms = []struct {
	mark      string
	unit      int
	bigEndian bool
	enc       encoding.Encoding
}{
	{"\x00\x00\xFE\xFF", 4, true, utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM)},
	{"\xFF\xFE\x00\x00", 4, false, utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM)},
	{"\xEF\xBB\xBF", 1, false, nil}, // UTF-8: the mark is dropped, the rest kept
	{"\xFE\xFF", 2, true, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)},
	{"\xFF\xFE", 2, false, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)},
}

// errInvalid says that the bytes after a byte order mark are not valid in
// the encoding it marks.
var errInvalid = errors.New("invalid text after a byte order mark")

// decodeBOM decodes data that starts with a byte order mark. ok is false
// when there is none; err is errInvalid when the rest is not valid in the
// marked encoding. The x/text decoders would turn such bytes into U+FFFD
// without telling, so validity is checked first.
func decodeBOM(data []byte) (text string, ok bool, err error) {
	for _, b := range boms {
		if !bytes.HasPrefix(data, []byte(b.mark)) {
			continue
		}
		rest := data[len(b.mark):]
		var valid bool
		switch b.unit {
		case 1:
			valid = utf8.Valid(rest)
		case 2:
			valid = validUTF16(rest, b.bigEndian)
		default:
			valid = validUTF32(rest, b.bigEndian)
		}
		if !valid {
			return "", true, errInvalid
		}
		if b.enc == nil {
			return string(rest), true, nil
		}
		out, err := b.enc.NewDecoder().Bytes(data)
		if err != nil {
			return "", true, errInvalid
		}
		return string(out), true, nil
	}
	return "", false, nil
}

// validUTF16 reports whether data is whole UTF-16 code units with every
// surrogate in a pair.
func validUTF16(data []byte, bigEndian bool) bool {
	if len(data)%2 != 0 {
		return false
	}
	unit := func(i int) uint16 {
		if bigEndian {
			return uint16(data[i])<<8 | uint16(data[i+1])
		}
		return uint16(data[i+1])<<8 | uint16(data[i])
	}
	for i := 0; i < len(data); i += 2 {
		switch u := unit(i); {
		case u >= 0xD800 && u < 0xDC00:
			if i+2 >= len(data) {
				return false
			}
			if next := unit(i + 2); next < 0xDC00 || next > 0xDFFF {
				return false
			}
			i += 2
		case u >= 0xDC00 && u <= 0xDFFF:
			return false
		}
	}
	return true
}

// validUTF32 reports whether data is whole UTF-32 code units, each a
// Unicode scalar value.
func validUTF32(data []byte, bigEndian bool) bool {
	if len(data)%4 != 0 {
		return false
	}
	for i := 0; i < len(data); i += 4 {
		var u uint32
		if bigEndian {
			u = uint32(data[i])<<24 | uint32(data[i+1])<<16 | uint32(data[i+2])<<8 | uint32(data[i+3])
		} else {
			u = uint32(data[i+3])<<24 | uint32(data[i+2])<<16 | uint32(data[i+1])<<8 | uint32(data[i])
		}
		if u > utf8.MaxRune || u >= 0xD800 && u <= 0xDFFF {
			return false
		}
	}
	return true
}

// brokenUTF8 reports whether data is UTF-8 with invalid bytes in it (a
// damaged file, or one where text in another encoding was pasted into
// UTF-8), rather than text in a legacy encoding, and returns the offset of
// the first invalid byte. Such a file is refused: decoded as a legacy
// encoding, all its UTF-8 would turn into mojibake ("CafÃ©").
//
// Text in a legacy encoding forms a valid multi-byte UTF-8 sequence now
// and then by chance: "Він" in Windows-1251 Ukrainian starts with C2 B3,
// and Shift_JIS, EUC-JP, GBK, Big5 and EUC-KR text has one such sequence
// for every three to five invalid bytes (measured on the samples of
// TestReadArticle_Encodings). So data counts as broken UTF-8 when it holds
// at least as many valid multi-byte sequences as invalid bytes; UTF-8
// with a few damaged bytes holds many times more.
func brokenUTF8(data []byte) (at int, broken bool) {
	valid, invalid := 0, 0
	at = -1
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if invalid++; at < 0 {
				at = i
			}
		} else {
			valid++
		}
		i += size
	}
	return at, invalid > 0 && valid >= invalid
}

// decodeText decodes a text or Markdown file that has no byte order mark:
// UTF-8 as is, else the legacy encoding it is detected to be in.
func decodeText(data []byte) (string, bool) {
	if utf8.Valid(data) && !isISO2022JP(data) {
		return string(data), true
	}
	return decodeLegacy(data, chardet.NewTextDetector())
}

// decodeHTML decodes an HTML file that has no byte order mark.
//
// The charset a page declares in a <meta> tag is honoured, with one
// exception: bytes that are valid UTF-8 and not plain ASCII are read as
// UTF-8 whatever the page declares, because text in a legacy encoding
// practically never forms valid multi-byte UTF-8 by chance, while pages
// saved by scripts and tools are often re-encoded as UTF-8 with their old
// <meta charset> left in place. A page that declares nothing, or declares
// UTF-8 but is not, is detected like a text file.
func decodeHTML(data []byte) (string, bool) {
	valid := utf8.Valid(data)
	if valid && !isASCII(data) {
		return string(data), true
	}
	if enc, _ := declaredEncoding(data); enc != nil {
		if s, ok := decodeClean(enc, data); ok {
			return s, true
		}
	}
	if valid && !isISO2022JP(data) {
		return string(data), true
	}
	return decodeLegacy(data, chardet.NewHtmlDetector())
}

// declaredEncoding returns the legacy encoding (and its WHATWG name) an
// HTML page declares with <meta charset> or <meta http-equiv=
// "Content-Type"> in its first KiB, as a browser finds it, or nil when it
// declares none (or declares UTF-8).
func declaredEncoding(data []byte) (enc encoding.Encoding, name string) {
	// charset.DetermineEncoding runs the browsers' prescan of <meta> tags,
	// but when it finds none it answers "windows-1252" (for bytes that are
	// not UTF-8), which is also what a page may declare. Asking it about a
	// copy that is plain ASCII plus a valid UTF-8 letter tells the two
	// apart: with no declaration that copy is answered "utf-8". (The letter
	// is followed by a space, or it would be cut as a possibly partial
	// character at the end of the KiB looked at.)
	probe := make([]byte, 0, 1024)
	for _, c := range data[:min(len(data), 1021)] {
		if c >= utf8.RuneSelf {
			c = '?'
		}
		probe = append(probe, c)
	}
	probe = append(probe, "é "...)
	enc, name, _ = charset.DetermineEncoding(probe, "")
	if name == "utf-8" || enc == nil || isUnicode(name) {
		return nil, ""
	}
	return enc, name
}

// isISO2022JP reports whether 7-bit data holds the escape sequences that
// switch ISO-2022-JP (Japanese mail and old web pages) to JIS X 0208. Such
// text is valid ASCII, so also valid UTF-8, and must be decoded all the
// same.
func isISO2022JP(data []byte) bool {
	return bytes.Contains(data, []byte("\x1B$B")) || bytes.Contains(data, []byte("\x1B$@"))
}

// minConfidence is the least confidence (1 to 100) of the charset detector
// that Gloss takes as a detection.
const minConfidence = 20

// minLatinEvidence is how many non-ASCII bytes a text needs before a
// detection of a Central European or Turkish code page is believed over
// Windows-1252. Those code pages differ from Windows-1252 only in some
// accented letters, and the detector tells them apart mostly by the ASCII
// letter trigrams of each language: on a sentence or two it will call
// French "Romanian" and turn "mère" into "měre". With a paragraph of text
// its guesses are right.
const minLatinEvidence = 16

// latinRivals are the detector's answers that need minLatinEvidence.
var latinRivals = []string{"iso-8859-2", "windows-1250", "iso-8859-9", "windows-1254"}

// preferred breaks ties between detected charsets of equal confidence. The
// detector runs its recognisers concurrently and reports ties in no fixed
// order; the same file must always decode the same way.
var preferred = []string{"windows-1252", "iso-8859-1", "iso-8859-15"}

// decodeLegacy decodes data that is not UTF-8 and reports whether it could.
// The charset detector is github.com/gogs/chardet, a port of ICU's (it
// knows the ISO-8859 and Windows code pages, KOI8-R and the East Asian
// encodings); each guess is accepted only when it decodes data cleanly (see
// decodeClean). The order of trial:
//
//  0. ISO-2022-JP, when its escape sequences are there;
//  1. the detector's confident guesses, best first;
//  2. Windows-1252, the most common legacy encoding of the files people
//     still have (and a superset of ISO-8859-1);
//  3. the detector's other guesses.
func decodeLegacy(data []byte, detector *chardet.Detector) (string, bool) {
	// The detector looks at 8 KiB of single-byte text at most; 64 KiB is
	// plenty for the multi-byte recognisers too.
	sample := data[:min(len(data), 64<<10)]
	results, _ := detector.DetectAll(sample)
	slices.SortFunc(results, func(a, b chardet.Result) int {
		if c := cmp.Compare(b.Confidence, a.Confidence); c != 0 {
			return c
		}
		if c := cmp.Compare(rank(a.Charset), rank(b.Charset)); c != 0 {
			return c
		}
		return strings.Compare(a.Charset, b.Charset)
	})
	tried := map[string]bool{}
	try := func(label string) (string, bool) {
		enc, err := htmlindex.Get(label)
		if err != nil || enc == encoding.Replacement || isUnicode(label) {
			return "", false
		}
		name, _ := htmlindex.Name(enc)
		if tried[name] {
			return "", false
		}
		tried[name] = true
		return decodeClean(enc, data)
	}
	if isISO2022JP(data) {
		if s, ok := try("iso-2022-jp"); ok {
			return s, true
		}
	}
	evidence := len(sample) - asciiCount(sample)
	for _, r := range results {
		if r.Confidence < minConfidence {
			break
		}
		if evidence < minLatinEvidence && slices.Contains(latinRivals, strings.ToLower(r.Charset)) {
			continue
		}
		if s, ok := try(r.Charset); ok {
			return s, true
		}
	}
	if s, ok := try("windows-1252"); ok {
		return s, true
	}
	for _, r := range results {
		if s, ok := try(r.Charset); ok {
			return s, true
		}
	}
	return "", false
}

func rank(charset string) int {
	if i := slices.Index(preferred, strings.ToLower(charset)); i >= 0 {
		return i
	}
	return len(preferred)
}

// isUnicode reports whether a charset label names a Unicode encoding.
// Those are handled by the byte order mark and UTF-8 checks; the detector's
// guess of UTF-16 without a mark is not trusted.
func isUnicode(label string) bool {
	l := strings.ToLower(label)
	return strings.HasPrefix(l, "utf") || strings.HasPrefix(l, "ucs")
}

// decodeClean decodes data with enc and reports whether that went cleanly:
// nothing was undecodable (U+FFFD) and no C1 control character (U+0080 to
// U+009F) came out. C1 controls are what a wrong single-byte guess gives for
// the printable bytes 0x80-0x9F of the Windows code pages.
func decodeClean(enc encoding.Encoding, data []byte) (string, bool) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) {
		return "", false
	}
	s := string(out)
	if strings.ContainsFunc(s, func(r rune) bool { return r == utf8.RuneError || r >= 0x80 && r <= 0x9F }) {
		return "", false
	}
	return s, true
}

func isASCII(data []byte) bool { return asciiCount(data) == len(data) }

func asciiCount(data []byte) int {
	n := 0
	for _, c := range data {
		if c < utf8.RuneSelf {
			n++
		}
	}
	return n
}
