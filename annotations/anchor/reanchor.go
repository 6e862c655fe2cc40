package anchor

import (
	"cmp"
	"slices"
)

// Status is how a target was put back on a new text.
type Status int

const (
	// Anchored: the quote is in the new text, unchanged (white space
	// differences allowed).
	Anchored Status = iota
	// Fuzzy: attached to text that differs from the quote.
	Fuzzy
	// Orphaned: no place good enough; the passage is gone.
	Orphaned
)

// String returns "anchored", "fuzzy" or "orphaned", the names the data
// model stores.
func (s Status) String() string {
	switch s {
	case Anchored:
		return "anchored"
	case Fuzzy:
		return "fuzzy"
	case Orphaned:
		return "orphaned"
	}
	return "unknown"
}

// Result is the outcome of re-anchoring one target.
type Result struct {
	// Target is the new target: offsets into the new text, Exact the new
	// text there, Prefix and Suffix recaptured. For Orphaned it is the old
	// target unchanged.
	Target Target
	Status Status
	// Score in [0, 1] is how well the place matches: 1 for an exact match
	// (Anchored), the candidate's score for Fuzzy, and for Orphaned the
	// score of the best place that was turned down (0 when there was none).
	Score float64
}

// The score of a candidate place, as Hypothesis scores them: a weighted
// mean of the similarities of the quote, the prefix, the suffix and the
// position, each in [0, 1].
const (
	weightQuote    = 50
	weightPrefix   = 20
	weightSuffix   = 20
	weightPosition = 2
	weightTotal    = weightQuote + weightPrefix + weightSuffix + weightPosition
)

// Floor is the least score a place needs to take a target whose quote it
// does not hold as the only occurrence of a long quote (see Reanchor);
// below it the target is orphaned. At 0.8 an exact occurrence needs a
// context that is on average more than half like the old one, and an
// approximate match with a quarter of its quote edited needs a context
// that is nearly intact: a place that shares neither the quote nor its
// surroundings is never taken. The test suite shows how it was chosen.
const Floor = 0.8

const (
	// longQuote is the length (in runes, white space collapsed) from which
	// a quote that occurs exactly once, or still at its old position, is
	// taken there whatever its context: a whole paragraph that moved has
	// a new context on both sides.
	longQuote = 32
	// shortQuote: a quote shorter than this that is not found exactly
	// needs a context at least strongContext like the old one.
	shortQuote     = 10
	strongContext  = 0.85
	contextWeight  = 24 // context runes that count as full evidence; fewer pull its similarity towards 0.5
	maxContext     = 2 * ContextRunes
	maxOccurrences = 1 << 17 // exact occurrences looked at
	maxScored      = 64      // candidates given the full score, the rest ranked by a cheap one
	maxClusters    = 1 << 14 // approximate matches kept
)

// Reanchor puts t, captured on an older text, onto this (new) text.
//
// It keeps t's position when the text there still equals the quote and
// the context around it is unchanged; otherwise it scores every exact
// occurrence of the quote by how well the text around it matches t's
// prefix and suffix and by its distance to the old position, and takes the
// best that reaches Floor (or the only occurrence, or the one at the old
// position, of a quote of 32 runes or more). When the quote no longer
// occurs, it searches for places within a quarter of the quote's length in
// edits (Myers' bit-vector algorithm) and takes the best scoring one that
// reaches Floor, as Fuzzy. Runs of white space count as one space
// throughout, so re-wrapped text re-anchors exactly. Anything else is
// Orphaned.
func (tx *Text) Reanchor(t Target) Result {
	return tx.reanchor(t, 0, true)
}

// ReanchorAll re-anchors many targets of the same article, in order. It
// builds the text's collapsed view once, and uses the shift of the targets
// already placed (in order of their old offsets) as a hint of where the
// next one went; the hint only speeds up the common case and weighs in the
// position score.
func (tx *Text) ReanchorAll(ts []Target) []Result {
	out := make([]Result, len(ts))
	order := make([]int, len(ts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ts[a].Start, ts[b].Start) })
	delta := 0
	for _, i := range order {
		r := tx.reanchor(ts[i], delta, true)
		if r.Status != Orphaned {
			delta = r.Target.Start - ts[i].Start
		}
		out[i] = r
	}
	return out
}

// candidate is a place for the quote, in view offsets.
type candidate struct {
	cs, ce int // view range
	errs   int // edits between the quote and the text there
	held   bool
	cheap  float64 // rank before scoring
	score  float64
	ok     bool
}

// attempt is the work of re-anchoring one target.
type attempt struct {
	tx       *Text
	v        *view
	t        Target
	q        []rune // quote, collapsed
	pre, suf []rune // context, collapsed, at most maxContext runes
	expect   int    // expected view offset of the quote
	best     float64
}

// reanchor re-anchors t, expecting it shifted by delta; approx says
// whether to look for approximate matches when the quote does not occur.
func (tx *Text) reanchor(t Target, delta int, approx bool) Result {
	orphan := Result{Target: t, Status: Orphaned}
	q := collapse(t.Exact)
	if len(q) == 0 {
		return orphan
	}
	v := tx.view()
	pre, suf := collapse(t.Prefix), collapse(t.Suffix)
	if q[0] == ' ' && len(pre) > 0 && pre[len(pre)-1] == ' ' {
		pre = pre[:len(pre)-1]
	}
	if q[len(q)-1] == ' ' && len(suf) > 0 && suf[0] == ' ' {
		suf = suf[1:]
	}
	if len(pre) > maxContext {
		pre = pre[len(pre)-maxContext:]
	}
	if len(suf) > maxContext {
		suf = suf[:maxContext]
	}
	a := &attempt{tx: tx, v: v, t: t, q: q, pre: pre, suf: suf, expect: v.colOf(t.Start + delta)}

	// 1. The old position, or the old position shifted as the targets
	// before it were: the quote there with its context intact.
	if t.Start >= 0 && t.End <= len(tx.runes) && t.Start < t.End &&
		collapsedEqual(tx.runes[t.Start:t.End], q) {
		cs := v.colOf(t.Start)
		if a.contextIntact(cs, cs+len(q)) {
			return a.result(t.Start, t.End, Anchored, 1)
		}
	}
	if delta != 0 {
		if cs := v.colOf(t.Start + delta); a.quoteAt(cs) && a.contextIntact(cs, cs+len(q)) {
			s, e := v.span(cs, cs+len(q))
			return a.result(s, e, Anchored, 1)
		}
	}

	// 2. Exact occurrences, told apart by context and position.
	held := -1
	if t.Start >= 0 && t.Start < len(tx.runes) {
		held = v.colOf(t.Start)
	}
	occ := v.occurrences(string(q), maxOccurrences)
	if len(occ) > 0 {
		cands := make([]candidate, len(occ))
		for i, cs := range occ {
			cands[i] = candidate{cs: cs, ce: cs + len(q), held: cs == held}
		}
		unique := len(occ) == 1
		if c, ok := a.choose(cands, func(c *candidate) bool {
			return c.score >= Floor || (len(q) >= longQuote && (unique || c.held))
		}); ok {
			if c.held && t.Start < t.End && t.End <= len(tx.runes) && collapsedEqual(tx.runes[t.Start:t.End], q) {
				return a.result(t.Start, t.End, Anchored, 1)
			}
			s, e := v.span(c.cs, c.ce)
			return a.result(s, e, Anchored, 1)
		}
	}

	// 3. Approximate matches.
	if !approx {
		orphan.Score = a.best
		return orphan
	}
	cands := a.approximate()
	if c, ok := a.choose(cands, func(c *candidate) bool {
		if c.score < Floor {
			return false
		}
		if len(q) < shortQuote {
			p, s := a.prefixSim(c.cs), a.suffixSim(c.ce)
			return (p+s)/2 >= strongContext
		}
		return true
	}); ok {
		s, e := v.span(c.cs, c.ce)
		status := Fuzzy
		if collapsedEqual(tx.runes[s:e], q) {
			status = Anchored
		}
		return a.result(s, e, status, c.score)
	}
	orphan.Score = a.best
	return orphan
}

// result captures the new target at [s, e).
func (a *attempt) result(s, e int, st Status, score float64) Result {
	nt, err := captureRunes(a.tx.runes, s, e)
	if err != nil { // cannot happen: s < e inside the text
		return Result{Target: a.t, Status: Orphaned}
	}
	if st == Anchored {
		score = 1
	}
	return Result{Target: nt, Status: st, Score: score}
}

// quoteAt reports whether the view holds the quote at cs.
func (a *attempt) quoteAt(cs int) bool {
	rs := a.v.rs
	return cs >= 0 && cs+len(a.q) <= len(rs) && slices.Equal(rs[cs:cs+len(a.q)], a.q)
}

// contextIntact reports whether the view around [cs, ce) spells the old
// prefix and suffix.
func (a *attempt) contextIntact(cs, ce int) bool {
	rs := a.v.rs
	return cs >= len(a.pre) && ce+len(a.suf) <= len(rs) &&
		slices.Equal(rs[cs-len(a.pre):cs], a.pre) && slices.Equal(rs[ce:ce+len(a.suf)], a.suf)
}

// choose scores the candidates and returns the best one that accept
// takes. With many candidates, only the maxScored best by a cheap rank
// (how many runes of context they share next to the quote) and the held
// ones get the full score.
func (a *attempt) choose(cands []candidate, accept func(*candidate) bool) (candidate, bool) {
	if len(cands) == 0 {
		return candidate{}, false
	}
	if len(cands) > maxScored {
		for i := range cands {
			c := &cands[i]
			c.cheap = a.quoteSim(c) * weightQuote
			if len(a.pre) > 0 {
				c.cheap += weightPrefix * float64(commonBefore(a.v.rs, c.cs, a.pre)) / float64(len(a.pre))
			}
			if len(a.suf) > 0 {
				c.cheap += weightSuffix * float64(commonAfter(a.v.rs, c.ce, a.suf)) / float64(len(a.suf))
			}
			if c.held {
				c.cheap = weightTotal
			}
		}
		slices.SortStableFunc(cands, func(x, y candidate) int {
			if c := cmp.Compare(y.cheap, x.cheap); c != 0 {
				return c
			}
			return cmp.Compare(abs(x.cs-a.expect), abs(y.cs-a.expect))
		})
		cands = cands[:maxScored]
	}
	best := -1
	for i := range cands {
		c := &cands[i]
		c.score = a.score(c)
		a.best = max(a.best, c.score)
		c.ok = accept(c)
		if !c.ok {
			continue
		}
		if best < 0 || c.score > cands[best].score ||
			(c.score == cands[best].score && abs(c.cs-a.expect) < abs(cands[best].cs-a.expect)) {
			best = i
		}
	}
	if best < 0 {
		return candidate{}, false
	}
	return cands[best], true
}

// score is the candidate's weighted score in [0, 1].
func (a *attempt) score(c *candidate) float64 {
	n := max(1, len(a.v.rs))
	pos := 1 - float64(abs(c.cs-a.expect))/float64(n)
	s := weightQuote*a.quoteSim(c) +
		weightPrefix*a.prefixSim(c.cs) +
		weightSuffix*a.suffixSim(c.ce) +
		weightPosition*max(0, pos)
	return s / weightTotal
}

func (a *attempt) quoteSim(c *candidate) float64 {
	return max(0, 1-float64(c.errs)/float64(len(a.q)))
}

// prefixSim is how like the old prefix the text before cs is.
func (a *attempt) prefixSim(cs int) float64 {
	rs := a.v.rs
	return contextSim(len(a.pre), func(i int) rune { return a.pre[len(a.pre)-1-i] },
		min(cs, len(a.pre)+len(a.pre)/2+1), func(j int) rune { return rs[cs-1-j] }, cs == 0)
}

// suffixSim is how like the old suffix the text after ce is.
func (a *attempt) suffixSim(ce int) float64 {
	rs := a.v.rs
	return contextSim(len(a.suf), func(i int) rune { return a.suf[i] },
		min(len(rs)-ce, len(a.suf)+len(a.suf)/2+1), func(j int) rune { return rs[ce+j] }, ce == len(rs))
}

// contextSim compares an old context of n runes with the text next to a
// candidate (l runes available), both read outwards from the quote: 1
// minus the edit distance between the whole old context and the best
// stretch of text starting at the quote, over n. The similarity of a short
// context is drawn towards 0.5, as it says little; an empty one says 1
// when the candidate is at the edge of the text too, else 0.5.
func contextSim(n int, oldAt func(int) rune, l int, textAt func(int) rune, edge bool) float64 {
	if n == 0 {
		if edge {
			return 1
		}
		return 0.5
	}
	var buf [maxContext + 1]int
	col := buf[:n+1]
	for i := range col {
		col[i] = i
	}
	best := n
	for j := 1; j <= l; j++ {
		r := textAt(j - 1)
		diag := col[0]
		col[0] = j
		for i := 1; i <= n; i++ {
			cost := 1
			if oldAt(i-1) == r {
				cost = 0
			}
			v := min(col[i]+1, col[i-1]+1, diag+cost)
			diag, col[i] = col[i], v
		}
		best = min(best, col[n])
	}
	sim := 1 - float64(best)/float64(n)
	w := min(1, float64(n)/contextWeight)
	return 0.5 + (sim-0.5)*w
}

// commonBefore counts the runes that rs before cs shares with the end of
// pre.
func commonBefore(rs []rune, cs int, pre []rune) int {
	n := 0
	for n < len(pre) && n < cs && rs[cs-1-n] == pre[len(pre)-1-n] {
		n++
	}
	return n
}

// commonAfter counts the runes that rs from ce shares with the start of
// suf.
func commonAfter(rs []rune, ce int, suf []rune) int {
	n := 0
	for n < len(suf) && ce+n < len(rs) && rs[ce+n] == suf[n] {
		n++
	}
	return n
}

// approximate returns the places in the view within len(q)/4 edits of the
// quote, but not exact: one per run of adjacent match ends, at its fewest
// edits, with its start found by the reversed search.
func (a *attempt) approximate() []candidate {
	q, v := a.q, a.v
	k := len(q) / 4
	if k == 0 {
		return nil
	}
	sym := make([]int32, len(q))
	rev := make([]int32, len(q))
	for i, r := range q {
		sym[i] = v.symbol(r)
		rev[len(q)-1-i] = sym[i]
	}
	type end struct{ end, errs int }
	var ends []end
	lastEnd := -2
	spaceEnd := q[len(q)-1] == ' '
	newBitPattern(sym, v.nsym).search(v.sym, k, func(e, errs int) {
		if e == lastEnd+1 && len(ends) > 0 {
			// The same match, one rune further: keep the end with fewest
			// edits, and not on a space unless the quote ends with one.
			cur := &ends[len(ends)-1]
			better := errs < cur.errs ||
				(errs == cur.errs && (v.rs[cur.end-1] == ' ') != spaceEnd && (v.rs[e-1] == ' ') == spaceEnd)
			if better {
				cur.end, cur.errs = e, errs
			}
		} else {
			ends = append(ends, end{e, errs})
		}
		lastEnd = e
	})
	if len(ends) > maxClusters {
		slices.SortStableFunc(ends, func(x, y end) int { return cmp.Compare(x.errs, y.errs) })
		ends = ends[:maxClusters]
	}
	bp := newBitPattern(rev, v.nsym)
	spaceStart := q[0] == ' '
	var cands []candidate
	for _, m := range ends {
		if m.errs == 0 {
			continue // an exact occurrence, judged already
		}
		bestJ, bestD := 0, len(q)+1
		bp.anchoredBack(v.sym, m.end, min(m.end, len(q)+m.errs), func(j, d int) {
			if j == 0 {
				return
			}
			if d < bestD {
				bestJ, bestD = j, d
				return
			}
			if d > bestD {
				return
			}
			// A tie: prefer not to start on a space the quote does not
			// start with, then the length nearest the quote's.
			curSpace := (v.rs[m.end-bestJ] == ' ') != spaceStart
			newSpace := (v.rs[m.end-j] == ' ') != spaceStart
			if curSpace && !newSpace || curSpace == newSpace && abs(j-len(q)) < abs(bestJ-len(q)) {
				bestJ = j
			}
		})
		if bestJ == 0 {
			continue
		}
		cands = append(cands, candidate{cs: m.end - bestJ, ce: m.end, errs: bestD})
	}
	return cands
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
