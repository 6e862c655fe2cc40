package anchor

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// view is a text with every run of white space collapsed to one space, the
// form in which quotes and their context are compared: re-wrapped lines,
// double spaces and a newline where a space was are not edits. It maps its
// offsets back to the original text's rune offsets.
type view struct {
	rs  []rune  // the collapsed runes
	s   string  // string(rs), for strings.Index
	pos []int32 // pos[i] is the original offset of rs[i]; pos[len(rs)] is the original length
	col []int32 // col[j] is the index in rs of original rune j (a white space rune: its run's space); col[len] = len(rs)

	// Symbols for the bit-vector search: an ASCII rune is its own symbol,
	// other runes are numbered from 128 in order of first appearance.
	sym   []int32
	alpha map[rune]int32
	nsym  int

	ascii bool    // s is ASCII: byte offsets are rune offsets
	ck    []int32 // when not: ck[i] is the number of runes that start in s[:i*ckStep]
}

const ckStep = 64

func isSpace(r rune) bool { return unicode.IsSpace(r) }

// newView builds the collapsed view of runes.
func newView(runes []rune) *view {
	v := &view{
		rs:    make([]rune, 0, len(runes)),
		pos:   make([]int32, 0, len(runes)+1),
		col:   make([]int32, len(runes)+1),
		alpha: map[rune]int32{},
		nsym:  128,
		ascii: true,
	}
	inSpace := false
	for j, r := range runes {
		if isSpace(r) {
			if inSpace {
				v.col[j] = int32(len(v.rs) - 1)
				continue
			}
			inSpace, r = true, ' '
		} else {
			inSpace = false
		}
		v.col[j] = int32(len(v.rs))
		v.rs = append(v.rs, r)
		v.pos = append(v.pos, int32(j))
	}
	v.col[len(runes)] = int32(len(v.rs))
	v.pos = append(v.pos, int32(len(runes)))

	v.sym = make([]int32, len(v.rs))
	for i, r := range v.rs {
		if r < utf8.RuneSelf {
			v.sym[i] = r
			continue
		}
		v.ascii = false
		id, ok := v.alpha[r]
		if !ok {
			id = int32(v.nsym)
			v.alpha[r] = id
			v.nsym++
		}
		v.sym[i] = id
	}
	v.s = string(v.rs)
	if !v.ascii {
		v.ck = make([]int32, len(v.s)/ckStep+1)
		n := int32(0)
		for i := 0; i < len(v.s); i++ {
			if i%ckStep == 0 {
				v.ck[i/ckStep] = n
			}
			if v.s[i]&0xC0 != 0x80 {
				n++
			}
		}
		if len(v.s)%ckStep == 0 {
			v.ck[len(v.s)/ckStep] = n
		}
	}
	return v
}

// symbol returns r's symbol in the view, or -1 when r does not occur in it.
func (v *view) symbol(r rune) int32 {
	if r < utf8.RuneSelf {
		return r
	}
	if id, ok := v.alpha[r]; ok {
		return id
	}
	return -1
}

// runeAt converts a byte offset into v.s to a rune offset.
func (v *view) runeAt(b int) int {
	if v.ascii {
		return b
	}
	base := b / ckStep * ckStep
	n := int(v.ck[b/ckStep])
	for i := base; i < b; i++ {
		if v.s[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// colOf maps an original rune offset, clamped to the text, to the view.
func (v *view) colOf(j int) int {
	return int(v.col[max(0, min(j, len(v.col)-1))])
}

// span maps the view's range [cs, ce) back to original rune offsets. A
// trailing space takes in its whole white space run.
func (v *view) span(cs, ce int) (start, end int) {
	return int(v.pos[cs]), int(v.pos[ce])
}

// occurrences returns the view offsets where q starts, overlapping
// occurrences included, at most limit of them.
func (v *view) occurrences(q string, limit int) []int {
	if q == "" {
		return nil
	}
	var out []int
	from := 0
	for len(out) < limit {
		i := strings.Index(v.s[from:], q)
		if i < 0 {
			break
		}
		b := from + i
		out = append(out, v.runeAt(b))
		_, size := utf8.DecodeRuneInString(v.s[b:])
		from = b + size
	}
	return out
}

// collapse returns s with every run of white space replaced by one space.
func collapse(s string) []rune {
	out := make([]rune, 0, len(s))
	inSpace := false
	for _, r := range s {
		if isSpace(r) {
			if inSpace {
				continue
			}
			inSpace, r = true, ' '
		} else {
			inSpace = false
		}
		out = append(out, r)
	}
	return out
}

// collapsedEqual reports whether rs, with its white space runs collapsed,
// spells q (already collapsed).
func collapsedEqual(rs []rune, q []rune) bool {
	i, inSpace := 0, false
	for _, r := range rs {
		if isSpace(r) {
			if inSpace {
				continue
			}
			inSpace, r = true, ' '
		} else {
			inSpace = false
		}
		if i >= len(q) || q[i] != r {
			return false
		}
		i++
	}
	return i == len(q)
}
