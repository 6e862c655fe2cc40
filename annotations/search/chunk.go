package search

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
)

// chunkBytes is the size at which a list's chunk is cut: small enough that
// rewriting the last chunk of a word on every change costs little, large
// enough that a common word's list is read in few steps.
const chunkBytes = 1024

// listPrefix appends the key prefix of the list of word (or tag key) s to
// buf: uvarint(len(s)) ‖ s. Two such prefixes are never prefixes of each
// other, so the chunks of two lists never interleave.
func listPrefix(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf[:0], uint64(len(s)))
	return append(buf, s...)
}

// chunkKey appends the key of the chunk of a list whose first document is
// first.
func chunkKey(prefix []byte, first uint32) []byte {
	return binary.BigEndian.AppendUint32(prefix, first)
}

// ownKey reports whether k is a key of the list with this prefix, and its
// first document.
func ownKey(k, prefix []byte) (uint32, bool) {
	if len(k) != len(prefix)+4 || !bytes.HasPrefix(k, prefix) {
		return 0, false
	}
	return binary.BigEndian.Uint32(k[len(prefix):]), true
}

// decodeChunk appends the entries of a chunk whose key names first as its
// lowest document to out. Entries (documents shifted left by shift, with
// fields in the bits below) must be ascending and their documents below
// limit; anything else is ErrCorrupt, never a panic.
func decodeChunk(out []uint32, first uint32, shift uint, data []byte, limit uint32) ([]uint32, error) {
	if len(data) == 0 {
		return out, corrupt("an empty chunk")
	}
	prev := uint64(first) << shift
	if first >= limit || prev > math.MaxUint32 {
		return out, corrupt("a chunk of document %d of %d", first, limit)
	}
	for i := 0; len(data) > 0; i++ {
		d, n := binary.Uvarint(data)
		if n <= 0 {
			return out, corrupt("a chunk entry does not decode")
		}
		if i > 0 && d == 0 || d > math.MaxUint32 {
			return out, corrupt("chunk entries out of order")
		}
		v := prev + d
		if v > math.MaxUint32 || uint32(v)>>shift >= limit {
			return out, corrupt("a chunk entry past the last document")
		}
		out = append(out, uint32(v))
		prev = v
		data = data[n:]
	}
	return out, nil
}

// encodeChunk appends the encoding of entries (ascending, each >= the
// base first<<shift) to buf.
func encodeChunk(buf []byte, first uint32, shift uint, entries []uint32) []byte {
	prev := first << shift
	for _, v := range entries {
		buf = binary.AppendUvarint(buf, uint64(v-prev))
		prev = v
	}
	return buf
}

// readList appends the whole list with prefix, chunk after chunk, to out.
// It makes room for the list first (an entry takes a byte or more), so as
// not to grow it by doubling.
func readList(b Bucket, prefix []byte, shift uint, limit uint32, out []uint32) ([]uint32, error) {
	c := b.Cursor()
	size := 0
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		size += len(v)
	}
	out = slices.Grow(out, size)
	start := len(out)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		first, ok := ownKey(k, prefix)
		if !ok {
			return out, corrupt("a chunk key of %d bytes", len(k))
		}
		if n := len(out); n > start && first <= out[n-1]>>shift {
			return out, corrupt("chunks out of order")
		}
		var err error
		if out, err = decodeChunk(out, first, shift, v, limit); err != nil {
			return out, err
		}
	}
	return out, nil
}

// listOp is one change to a list: an entry to set (replacing the entry of
// the same document) or, with del, the document whose entry goes. Packed
// with its list's number in a batch: list<<33 | entry<<1 | del.
type listOp = uint64

func packOp(list uint32, entry uint32, del bool) listOp {
	op := uint64(list)<<33 | uint64(entry)<<1
	if del {
		op |= 1
	}
	return op
}

func opList(op listOp) uint32  { return uint32(op >> 33) }
func opEntry(op listOp) uint32 { return uint32(op >> 1) }
func opDel(op listOp) bool     { return op&1 != 0 }

// listEditor changes lists stored in chunks. Its buffers are reused from
// list to list.
type listEditor struct {
	b      Bucket
	shift  uint
	limit  uint32 // documents are below it
	key    []byte
	old    []uint32
	merged []uint32
	enc    []byte
}

// edit applies ops (of one list, ascending by document, at most one per
// document) to the list with prefix, and reports whether the list had
// entries before and has after.
func (e *listEditor) edit(prefix []byte, ops []listOp) (had, has bool, err error) {
	shift := e.shift
	doc := func(op listOp) uint32 { return opEntry(op) >> shift }
	c := e.b.Cursor()
	// The last chunk: appends, the common change, go there.
	lastFirst, lastVal, had := e.last(c, prefix)
	if !had {
		e.merged = e.merged[:0]
		for _, op := range ops {
			if opDel(op) {
				return false, false, corrupt("an entry to delete from an empty list")
			}
			e.merged = append(e.merged, opEntry(op))
		}
		return false, len(e.merged) > 0, e.write(prefix, e.merged[0]>>shift, e.merged)
	}
	if doc(ops[0]) >= lastFirst {
		if e.old, err = decodeChunk(e.old[:0], lastFirst, shift, lastVal, e.limit); err != nil {
			return true, true, err
		}
		if err := e.rewrite(prefix, lastFirst, e.old, ops); err != nil {
			return true, true, err
		}
		return true, e.any(prefix), nil
	}
	// Elsewhere: chunk by chunk, each with the ops that fall in it.
	for len(ops) > 0 {
		d := doc(ops[0])
		first, val, next, ok := e.find(c, prefix, d)
		if !ok {
			// Every chunk went: the rest starts a new list.
			return true, e.any(prefix), e.create(prefix, ops)
		}
		n := 1
		for n < len(ops) && uint64(doc(ops[n])) < next {
			n++
		}
		if e.old, err = decodeChunk(e.old[:0], first, shift, val, e.limit); err != nil {
			return true, true, err
		}
		if err := e.rewrite(prefix, first, e.old, ops[:n]); err != nil {
			return true, true, err
		}
		ops = ops[n:]
	}
	return true, e.any(prefix), nil
}

// last returns the first document and the value of the list's last chunk.
func (e *listEditor) last(c Cursor, prefix []byte) (uint32, []byte, bool) {
	return e.floor(c, prefix, math.MaxUint32)
}

// floor returns the list's chunk with the greatest first document <= d.
//
// bbolt's Last and Prev do not skip leaves emptied earlier in the same
// transaction: Prev then answers nil for a list that has chunks, and
// Last, when every leaf of the bucket is empty, loops for ever (bbolt
// v1.5.0: its loop over empty pages calls prev, which at the start goes
// back to the first, empty, leaf; a transaction that moves every
// annotation to the trash and back empties the postings). Seek skips
// them. So Prev is trusted only when it answers, and otherwise the chunk
// is found with Seek alone, by bisection on the first document.
func (e *listEditor) floor(c Cursor, prefix []byte, d uint32) (uint32, []byte, bool) {
	e.key = chunkKey(append(e.key[:0], prefix...), d)
	k, v := c.Seek(e.key)
	if f, own := ownKey(k, prefix); own && f == d {
		return f, v, true
	}
	if k != nil {
		pk, pv := c.Prev()
		if f, own := ownKey(pk, prefix); own {
			return f, pv, true
		}
		if pk != nil {
			// The key before is another list's: none of this one's is
			// at or below d.
			return 0, nil, false
		}
	}
	e.key = chunkKey(append(e.key[:0], prefix...), 0)
	k, v = c.Seek(e.key)
	lo, own := ownKey(k, prefix)
	if !own || lo > d {
		return 0, nil, false
	}
	loVal := v
	// A chunk starts at lo; none starts at or above hi.
	hi := uint64(d) + 1
	for uint64(lo)+1 < hi {
		mid := uint32((uint64(lo) + hi) / 2)
		e.key = chunkKey(append(e.key[:0], prefix...), mid)
		k, v := c.Seek(e.key)
		if f, own := ownKey(k, prefix); own && uint64(f) < hi {
			lo, loVal = f, v
		} else {
			hi = uint64(mid)
		}
	}
	return lo, loVal, true
}

// find returns the chunk that document d belongs in: the one with the
// largest first document <= d, or, when d is below them all, the first
// chunk. next is the first document of the chunk after it (2^32 for none).
func (e *listEditor) find(c Cursor, prefix []byte, d uint32) (first uint32, val []byte, next uint64, ok bool) {
	next = 1 << 32
	first, val, ok = e.floor(c, prefix, d)
	if !ok {
		// d is below every chunk: the first one takes it.
		e.key = chunkKey(append(e.key[:0], prefix...), 0)
		k, v := c.Seek(e.key)
		if first, ok = ownKey(k, prefix); !ok {
			return 0, nil, next, false
		}
		val = v
	}
	if first < math.MaxUint32 {
		e.key = chunkKey(append(e.key[:0], prefix...), first+1)
		k, _ := c.Seek(e.key)
		if nf, own := ownKey(k, prefix); own {
			next = uint64(nf)
		}
	}
	return first, val, next, true
}

// any reports whether the list with prefix has a chunk.
func (e *listEditor) any(prefix []byte) bool {
	k, _ := e.b.Cursor().Seek(prefix)
	_, ok := ownKey(k, prefix)
	return ok
}

// rewrite merges ops into the entries of the chunk keyed first and writes
// the result back: deleted when empty, under a lower key when an entry
// comes below first, cut in several chunks when too long.
func (e *listEditor) rewrite(prefix []byte, first uint32, old []uint32, ops []listOp) error {
	shift := e.shift
	merged := e.merged[:0]
	i := 0
	for _, op := range ops {
		d := opEntry(op) >> shift
		for i < len(old) && old[i]>>shift < d {
			merged = append(merged, old[i])
			i++
		}
		present := i < len(old) && old[i]>>shift == d
		switch {
		case opDel(op) && !present:
			return corrupt("an entry to delete is not in its list")
		case opDel(op):
			i++
		case present:
			merged = append(merged, opEntry(op))
			i++
		default:
			merged = append(merged, opEntry(op))
		}
	}
	merged = append(merged, old[i:]...)
	e.merged = merged
	oldKey := chunkKey(append(e.key[:0], prefix...), first)
	if len(merged) == 0 || merged[0]>>shift < first {
		if err := e.b.Delete(oldKey); err != nil {
			return err
		}
		if len(merged) == 0 {
			return nil
		}
		first = merged[0] >> shift
	}
	return e.write(prefix, first, merged)
}

// create writes the set entries of ops as a new run of chunks.
func (e *listEditor) create(prefix []byte, ops []listOp) error {
	e.merged = e.merged[:0]
	for _, op := range ops {
		if opDel(op) {
			return corrupt("an entry to delete is not in its list")
		}
		e.merged = append(e.merged, opEntry(op))
	}
	return e.write(prefix, e.merged[0]>>e.shift, e.merged)
}

// write puts entries (ascending, all >= first<<shift) as chunks: the first
// keyed first, each next one keyed by its first document, cut where the
// encoding passes chunkBytes.
func (e *listEditor) write(prefix []byte, first uint32, entries []uint32) error {
	shift := e.shift
	for len(entries) > 0 {
		e.enc = e.enc[:0]
		prev := first << shift
		n := 0
		for n < len(entries) && len(e.enc) < chunkBytes {
			e.enc = binary.AppendUvarint(e.enc, uint64(entries[n]-prev))
			prev = entries[n]
			n++
		}
		e.key = chunkKey(append(e.key[:0], prefix...), first)
		if err := e.b.Put(e.key, slices.Clone(e.enc)); err != nil {
			return err
		}
		entries = entries[n:]
		if len(entries) > 0 {
			first = entries[0] >> shift
		}
	}
	return nil
}
