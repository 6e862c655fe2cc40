package anchor

// Approximate search: where does a quote occur in a text with at most k
// edits (insertions, deletions, substitutions of runes)?
//
// This is Myers' bit-vector algorithm: G. Myers, "A fast bit-vector
// algorithm for approximate string matching based on dynamic programming",
// Journal of the ACM 46(3), 1999. Each column of the dynamic-programming
// matrix (pattern down, text across) is kept as two bit vectors of vertical
// deltas (+1 and -1), one bit per pattern rune, and a text rune advances a
// whole column in a few word operations. A pattern longer than 64 runes is
// cut into blocks of 64 rows, one uint64 per block, that pass the
// horizontal delta of their last row down to the next block; only the
// blocks that can still hold a value of k or less are computed (Ukkonen's
// cut-off, as the paper does it). The idea of anchoring highlights with it
// comes from Hypothesis, whose client uses the approx-string-match
// JavaScript package (Robert Knight) for this; this is our own Go version,
// over runes rather than UTF-16 code units.
//
// The search reports the ends of matches; the start of each is found by
// running the algorithm again, on the reversed pattern from the end
// backwards, with the match required to begin at that end.

const wordBits = 64

// bitPattern is a pattern ready for the bit-vector search over a view's
// symbols.
type bitPattern struct {
	m   int      // pattern length in runes
	nb  int      // blocks of wordBits rows
	peq []uint64 // peq[s*nb+b]: bit i is set when pattern rune b*64+i is symbol s
}

// newBitPattern prepares the pattern p, given as symbols (a negative symbol
// matches nothing), for texts of nsym symbols.
func newBitPattern(p []int32, nsym int) *bitPattern {
	nb := (len(p) + wordBits - 1) / wordBits
	bp := &bitPattern{m: len(p), nb: nb, peq: make([]uint64, nsym*nb)}
	for i, s := range p {
		if s >= 0 && int(s) < nsym {
			bp.peq[int(s)*nb+i/wordBits] |= 1 << (uint(i) % wordBits)
		}
	}
	return bp
}

// lastBit is the bit of block b's last row.
func (bp *bitPattern) lastBit(b int) uint64 {
	if b == bp.nb-1 {
		return 1 << (uint(bp.m-1) % wordBits)
	}
	return 1 << (wordBits - 1)
}

// height is the number of rows of block b.
func (bp *bitPattern) height(b int) int {
	if b == bp.nb-1 {
		return bp.m - b*wordBits
	}
	return wordBits
}

// advance computes one block of the next column from the text symbol's
// match vector eq and hin, the horizontal delta (-1, 0 or +1) entering
// the block's first row from above; it returns the horizontal delta
// leaving its last row.
func advance(pv, mv *uint64, eq uint64, hin int, last uint64) int {
	p, m := *pv, *mv
	xv := eq | m
	if hin < 0 {
		eq |= 1
	}
	xh := (((eq & p) + p) ^ p) | eq
	ph := m | ^(xh | p)
	mh := p & xh
	hout := 0
	if ph&last != 0 {
		hout = 1
	} else if mh&last != 0 {
		hout = -1
	}
	ph <<= 1
	mh <<= 1
	if hin < 0 {
		mh |= 1
	} else if hin > 0 {
		ph |= 1
	}
	*pv = mh | ^(xv | ph)
	*mv = ph & xv
	return hout
}

// search calls emit for every end offset e (1 past the last rune) of text
// where some substring ending at e is within k edits of the pattern, with
// the least number of edits over such substrings.
func (bp *bitPattern) search(text []int32, k int, emit func(end, errs int)) {
	if bp.m == 0 || k < 0 {
		return
	}
	if bp.nb == 1 {
		bp.search1(text, k, emit)
		return
	}
	type block struct {
		pv, mv uint64 // vertical deltas +1 and -1
		score  int    // value of the block's last row
		sh     uint   // bit of the block's last row
	}
	nb, peq := bp.nb, bp.peq
	bs := make([]block, nb)
	for b := range bs {
		bs[b] = block{pv: ^uint64(0), score: min((b+1)*wordBits, bp.m), sh: uint(bp.height(b) - 1)}
	}
	// y is the last active block: rows 1..k are within k at column 0.
	y := 0
	if k > 0 {
		y = min((k-1)/wordBits, nb-1)
	}
	for j, c := range text {
		eqs := peq[int(c)*nb : int(c)*nb+nb]
		// The horizontal delta entering a block from above, as two bits:
		// the top row is 0 everywhere (a match may start anywhere).
		var hp, hm uint64
		for b := 0; b <= y; b++ {
			blk := &bs[b]
			eq, pv, mv := eqs[b], blk.pv, blk.mv
			xv := eq | mv
			eq |= hm
			xh := (((eq & pv) + pv) ^ pv) | eq
			ph := mv | ^(xh | pv)
			mh := pv & xh
			op, om := (ph>>blk.sh)&1, (mh>>blk.sh)&1
			ph = ph<<1 | hp
			mh = mh<<1 | hm
			blk.pv = mh | ^(xv | ph)
			blk.mv = ph & xv
			blk.score += int(op) - int(om)
			hp, hm = op, om
		}
		carry := int(hp) - int(hm)
		if y < nb-1 && bs[y].score-carry <= k && (eqs[y+1]&1 != 0 || carry < 0) {
			// The next block may now hold values of k or less: start it
			// from the column before, taken as rising by one a row.
			y++
			bs[y].pv, bs[y].mv = ^uint64(0), 0
			prev := bs[y-1].score - carry + bp.height(y)
			bs[y].score = prev + advance(&bs[y].pv, &bs[y].mv, eqs[y], carry, 1<<bs[y].sh)
		} else {
			for y > 0 && bs[y].score >= k+wordBits {
				y--
			}
		}
		if y == nb-1 && bs[y].score <= k {
			emit(j+1, bs[y].score)
		}
	}
}

// search1 is search for a pattern of one block.
func (bp *bitPattern) search1(text []int32, k int, emit func(end, errs int)) {
	peq := bp.peq
	sh := uint(bp.m - 1)
	pv, mv := ^uint64(0), uint64(0)
	score := bp.m
	for j, c := range text {
		eq := peq[c]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		score += int((ph>>sh)&1) - int((mh>>sh)&1)
		ph <<= 1
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
		if score <= k {
			emit(j+1, score)
		}
	}
}

// anchoredBack appends to dist, for the reversed pattern bp, the edit
// distance between the pattern and text[end-j:end] for j = 0 … n, reading
// text backwards from end.
func (bp *bitPattern) anchoredBack(text []int32, end, n int, dist []int) []int {
	nb, peq := bp.nb, bp.peq
	pv := make([]uint64, nb)
	mv := make([]uint64, nb)
	last := make([]uint64, nb)
	for b := range nb {
		pv[b] = ^uint64(0)
		last[b] = bp.lastBit(b)
	}
	d := bp.m
	dist = append(dist, d)
	for j := 1; j <= n; j++ {
		base := int(text[end-j]) * nb
		carry := 1 // the top row is j: the match must start at end
		for b := range nb {
			carry = advance(&pv[b], &mv[b], peq[base+b], carry, last[b])
		}
		d += carry
		dist = append(dist, d)
	}
	return dist
}
