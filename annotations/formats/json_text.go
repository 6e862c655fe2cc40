package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// encoding/json reads a string that is not valid UTF-8, or whose \u
// escapes hold half of a surrogate pair, as U+FFFD without a word. An
// import must not store text changed like that, so the readers look for
// such strings first (checkJSONText) and refuse the file, naming the
// record and the place.

// jsonLevel is an object or array that a place in a JSON document is in.
type jsonLevel struct {
	object bool
	start  int    // offset of its '{' or '['
	key    string // object: the key of the value being read
	index  int    // array: the index of the value being read
	keyed  bool   // object: the key of the current member has been read
}

// badJSONString finds the first string in data, a well-formed JSON
// document, that is not valid UTF-8 or holds half a surrogate pair. It
// returns the offset of the bad byte or escape and the objects and arrays
// around it, outermost first.
func badJSONString(data []byte) (at int, path []jsonLevel, found bool) {
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '{', '[':
			path = append(path, jsonLevel{object: c == '{', start: i})
		case '}', ']':
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		case ',':
			if n := len(path); n > 0 {
				if path[n-1].object {
					path[n-1].keyed = false
				} else {
					path[n-1].index++
				}
			}
		case '"':
			end, bad := scanJSONString(data, i+1)
			if bad >= 0 {
				return bad, path, true
			}
			if n := len(path); n > 0 && path[n-1].object && !path[n-1].keyed {
				var key string
				if json.Unmarshal(data[i:end+1], &key) == nil {
					path[n-1].key = key
				}
				path[n-1].keyed = true
			}
			i = end
		}
	}
	return 0, nil, false
}

// scanJSONString reads the string whose content starts at from, and
// returns the offset of its closing quote and of the first bad byte or
// escape in it (-1 when there is none).
func scanJSONString(data []byte, from int) (end, bad int) {
	bad = -1
	for i := from; i < len(data); {
		switch c := data[i]; {
		case c == '"':
			return i, bad
		case c == '\\' && i+1 < len(data) && data[i+1] == 'u':
			r := hex4(data, i+2)
			switch {
			case utf16.IsSurrogate(r) && r < 0xDC00 && i+11 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' &&
				utf16.DecodeRune(r, hex4(data, i+8)) != utf8.RuneError:
				i += 12 // a whole pair
			case utf16.IsSurrogate(r):
				if bad < 0 {
					bad = i
				}
				i += 6
			default:
				i += 6
			}
		case c == '\\':
			i += 2
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 && bad < 0 {
				bad = i
			}
			i += size
		}
	}
	return len(data), bad
}

// hex4 reads the four hex digits at data[i:], or returns -1.
func hex4(data []byte, i int) rune {
	if i+4 > len(data) {
		return -1
	}
	v, err := strconv.ParseUint(string(data[i:i+4]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(v)
}

// checkJSONText refuses data, a well-formed JSON import file, when one of
// its strings is not valid UTF-8. name says which record holds the bad
// string, given the path to it.
func checkJSONText(data []byte, name func(data []byte, path []jsonLevel) string) error {
	at, path, found := badJSONString(data)
	if !found {
		return nil
	}
	line, col := lineColumn(data, int64(at))
	where := fmt.Sprintf("line %d, column %d", line, col)
	if record := name(data, path); record != "" {
		where = record + ": " + where
	}
	return fmt.Errorf("%w: %s: a string is not valid UTF-8 (the file may be in another encoding, or damaged); save it as UTF-8", ErrJSON, where)
}

// nativeRecord names the article or annotation of a native export a path
// leads into: "annotation 3 (0193…)".
func nativeRecord(data []byte, path []jsonLevel) string {
	if len(path) < 2 || !path[0].object || path[1].object {
		return ""
	}
	var kind string
	switch path[0].key {
	case "articles":
		kind = "article"
	case "annotations":
		kind = "annotation"
	default:
		return ""
	}
	name := fmt.Sprintf("%s %d", kind, path[1].index+1)
	if len(path) > 2 && path[2].object {
		if id := objectID(data, path[2].start); id != "" {
			name += " (" + id + ")"
		}
	}
	return name
}

// w3cRecord names the object a path leads into by the id of the innermost
// object around it that has one: `the annotation "urn:uuid:…"`.
func w3cRecord(data []byte, path []jsonLevel) string {
	for k := len(path) - 1; k >= 0; k-- {
		if !path[k].object {
			continue
		}
		if id := objectID(data, path[k].start); id != "" {
			return "the annotation " + annotations.QuoteInput(id)
		}
	}
	return ""
}

// objectID returns the "id" (or "@id") of the object that starts at
// offset start of data, or "".
func objectID(data []byte, start int) string {
	var o struct {
		ID   any `json:"id"`
		AtID any `json:"@id"`
	}
	if json.NewDecoder(bytes.NewReader(data[start:])).Decode(&o) != nil {
		return ""
	}
	for _, v := range []any{o.ID, o.AtID} {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return ""
}
