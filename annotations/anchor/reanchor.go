package anchor

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
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

// Floor is the least score a place needs to take a target (but the only
// occurrence, or the one at the old position, of a quote of longQuote runes
// or more, which is taken whatever its context, and the only occurrence of
// a quote that has no context to score); below it the target is orphaned. At 0.8 an exact occurrence needs a context on average more than
// about half like the old one, and an approximate match with a quarter of
// its quote edited a nearly intact one. Quotes shorter than mediumQuote
// runes need a stronger context still (see enough): a short phrase recurs
// in any article, and only its surroundings say which occurrence it is.
//
// How it was chosen: on the revision suite (testdata/revisions, 52
// highlights) and on 45,000 highlights on 3,000 generated revisions of
// articles made of its sentences (TestReanchor_GeneratedRevisions, run
// with more articles), a floor of 0.65 made one wrong attachment and 0.7
// none; the best wrong place scored 0.652. 0.8 leaves a margin, keeps
// every fuzzy case of the suite (0.85 would orphan two of them) and never
// attaches a highlight to a place that overlaps less than half of its
// passage (0.75 and below did, once or twice).
const Floor = 0.8

const (
	// longQuote is the length (in runes, white space collapsed) from which
	// a quote that occurs exactly once, or still at its old position, is
	// taken there whatever its context: a whole paragraph that moved has
	// a new context on both sides.
	longQuote = 32
	// A quote shorter than shortQuote runes needs a context (the mean of
	// the prefix and suffix similarities) of at least shortContext, one
	// shorter than mediumQuote at least mediumContext, besides the floor;
	// or else one side at least intactSide and the other otherSide.
	shortQuote    = 10
	shortContext  = 0.85
	mediumQuote   = 24
	mediumContext = 0.65
	intactSide    = 0.95
	otherSide     = 0.4
	// edgeContext is the similarity of an empty context (the quote was at
	// the start or end of the text) to a candidate at the same edge.
	edgeContext    = 0.75
	contextWeight  = 24 // context runes that count as full evidence; fewer pull its similarity towards 0.5
	maxContext     = ContextRunes
	nearWindow     = 1 << 14 // runes each side of the expected position searched first
	maxOccurrences = 1 << 17 // exact occurrences looked at
	maxScored      = 64      // candidates given the full score, the rest ranked by a cheap one
	maxRuns        = 512     // approximate matches looked at, those with fewest edits
	runWork        = 1 << 16 // and at most runWork/(quote runes + edits allowed) of them
	maxErrors      = 1024    // edits allowed in an approximate match, whatever the quote's length
)

// Reanchor puts t, captured on an older text, onto this (new) text.
//
// Runs of white space count as one space throughout, so a re-wrapped text
// re-anchors exactly. In order:
//
//  1. The old position, when the text there still equals the quote and
//     the context around it is unchanged; else the nearest place to it
//     (within nearWindow runes) where the quote stands with its context
//     unchanged: Anchored.
//  2. Among the exact occurrences of the quote, the one whose surroundings
//     best match t's prefix and suffix (and nearest the old position),
//     scored as below with a quote similarity of 1, if good enough:
//     Anchored. A quote of longQuote runes or more that occurs once, or
//     at its old position, is taken whatever its context; so is a quote
//     with no context at all (a quote-only selector) that occurs once.
//  3. Approximate matches, within a quarter of the quote's length in
//     edits (Myers' bit-vector algorithm, see approx.go), scored as
//     Hypothesis scores them, (50·quote + 20·prefix + 20·suffix +
//     2·position) / 92, the best if good enough (Floor): Fuzzy.
//  4. Else Orphaned.
func (tx *Text) Reanchor(t Target) Result {
	return tx.reanchor(t, 0, false)
}

// ReanchorAll re-anchors many targets of the same article, in order. It
// builds the text's collapsed view once; takes the targets in order of
// their old offsets, and uses the shift of the last one it placed exactly
// as a hint of where the next one went (the hint only speeds up the common
// case and weighs in the position score); and runs the approximate
// searches, the slow part, on all processors. The results do not depend
// on how many there are.
func (tx *Text) ReanchorAll(ts []Target) []Result {
	out := make([]Result, len(ts))
	order := make([]int, len(ts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ts[a].Start, ts[b].Start) })
	attempts := make([]*attempt, len(ts))
	var pending []int
	delta := 0
	for _, i := range order {
		a, r, done := tx.exact(ts[i], delta, false)
		if !done {
			attempts[i] = a
			pending = append(pending, i)
			continue
		}
		out[i] = r
		if r.Status == Anchored {
			delta = r.Target.Start - ts[i].Start
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pending)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= len(pending) {
					return
				}
				i := pending[k]
				out[i] = attempts[i].approximateResult()
			}
		})
	}
	wg.Wait()
	return out
}

// candidate is a place for the quote, in view offsets.
type candidate struct {
	cs, ce int // view range
	errs   int // edits between the quote and the text there
	held   bool
	cheap  float64 // rank before scoring
	score  float64
}

// attempt is the work of re-anchoring one target.
type attempt struct {
	tx       *Text
	v        *view
	t        Target
	q        []rune // quote, collapsed
	pre, suf []rune // context, collapsed, at most maxContext runes
	// preEdge, sufEdge: the context was cut short by the edge of the old
	// text.
	preEdge, sufEdge bool
	expect           int // expected view offset of the quote
	best             float64
}

// reanchor re-anchors t, expecting it shifted by delta. With locate, it
// is Locate: the best exact occurrence, whatever its score, and no
// approximate search.
func (tx *Text) reanchor(t Target, delta int, locate bool) Result {
	a, r, done := tx.exact(t, delta, locate)
	if done {
		return r
	}
	return a.approximateResult()
}

// exact runs the first two steps of reanchor: done is false when the
// quote was not placed and the approximate search is to follow, on a.
func (tx *Text) exact(t Target, delta int, locate bool) (a *attempt, r Result, done bool) {
	orphan := Result{Target: t, Status: Orphaned}
	q := collapse(t.Exact)
	if len(q) == 0 {
		return nil, orphan, true
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
	a = &attempt{tx: tx, v: v, t: t, q: q, pre: pre, suf: suf, expect: v.colOf(t.Start + delta),
		preEdge: utf8.RuneCountInString(t.Prefix) < ContextRunes, sufEdge: utf8.RuneCountInString(t.Suffix) < ContextRunes}

	// 1. The old position, or the old position shifted as the targets
	// before it were: the quote there with its context intact.
	if t.Start >= 0 && t.End <= len(tx.runes) && t.Start < t.End &&
		collapsedEqual(tx.runes[t.Start:t.End], q) {
		cs := v.colOf(t.Start)
		if a.contextIntact(cs, cs+len(q)) {
			return a, a.result(t.Start, t.End, Anchored, 1), true
		}
	}
	// Near the expected position, the nearest place where the quote
	// stands with its context intact, when there is enough context to
	// go by: no place further away matches the context better.
	if len(pre)+len(suf) >= ContextRunes || len(q) >= longQuote {
		if cs, ok := a.nearestIntact(nearWindow); ok {
			s, e := v.span(cs, cs+len(q))
			return a, a.result(s, e, Anchored, 1), true
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
		// A quote with no context at all (a quote-only selector, as other
		// tools write them) carries nothing to score a place by: its only
		// exact occurrence is its place, and of several none is taken.
		contextFree := strings.TrimSpace(t.Prefix) == "" && strings.TrimSpace(t.Suffix) == ""
		if c, ok := a.choose(cands, func(c *candidate) bool {
			return locate || unique && contextFree || len(q) >= longQuote && (unique || c.held) || a.enough(c)
		}); ok {
			if c.held && t.Start < t.End && t.End <= len(tx.runes) && collapsedEqual(tx.runes[t.Start:t.End], q) {
				return a, a.result(t.Start, t.End, Anchored, 1), true
			}
			s, e := v.span(c.cs, c.ce)
			return a, a.result(s, e, Anchored, 1), true
		}
	}

	if locate {
		orphan.Score = a.best
		return a, orphan, true
	}
	return a, Result{}, false
}

// approximateResult is the third step of reanchor: the best approximate
// match good enough, else Orphaned.
func (a *attempt) approximateResult() Result {
	cands := a.approximate()
	if c, ok := a.choose(cands, a.enough); ok {
		s, e := a.v.span(c.cs, c.ce)
		status := Fuzzy
		if collapsedEqual(a.tx.runes[s:e], a.q) {
			status = Anchored
		}
		return a.result(s, e, status, c.score)
	}
	return Result{Target: a.t, Status: Orphaned, Score: a.best}
}

// enough reports whether a scored candidate is good enough to take: its
// score reaches Floor and, for a quote shorter than mediumQuote, which
// says little by itself, the context is strong: on average like the old
// one (shortContext, mediumContext), or intact on one side and not
// unrelated on the other.
func (a *attempt) enough(c *candidate) bool {
	if c.score < Floor {
		return false
	}
	if len(a.q) >= mediumQuote {
		return true
	}
	need := mediumContext
	if len(a.q) < shortQuote {
		need = shortContext
	}
	p, s := a.prefixSim(c.cs), a.suffixSim(c.ce)
	return (p+s)/2 >= need || max(p, s) >= intactSide && min(p, s) >= otherSide
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

// nearestIntact returns the start of the occurrence of the quote with its
// context intact that is nearest to the expected position, within w runes
// of it (the earlier of two as near).
func (a *attempt) nearestIntact(w int) (int, bool) {
	rs, q := a.v.rs, a.q
	at := func(cs int) bool {
		return cs >= 0 && cs+len(q) <= len(rs) && rs[cs] == q[0] &&
			slices.Equal(rs[cs:cs+len(q)], q) && a.contextIntact(cs, cs+len(q))
	}
	for d := 0; d <= w; d++ {
		if at(a.expect - d) {
			return a.expect - d, true
		}
		if d > 0 && at(a.expect+d) {
			return a.expect + d, true
		}
	}
	return 0, false
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
		if !accept(c) {
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
// A prefix cut short by the start of the old text that the text before cs
// spells all the way from the start is full evidence.
func (a *attempt) prefixSim(cs int) float64 {
	d := a.prefixDist(cs)
	if a.preEdge && len(a.pre) > 0 && cs == len(a.pre) && d == 0 {
		return 1
	}
	return contextSim(len(a.pre), d, cs == 0)
}

// suffixSim is how like the old suffix the text after ce is.
func (a *attempt) suffixSim(ce int) float64 {
	d := a.suffixDist(ce)
	if a.sufEdge && len(a.suf) > 0 && len(a.v.rs)-ce == len(a.suf) && d == 0 {
		return 1
	}
	return contextSim(len(a.suf), d, ce == len(a.v.rs))
}

// contextSim turns the distance d between an old context of n runes and
// the text next to a candidate into a similarity: 1 - d/n, drawn towards
// 0.5 for a short context, as it says little. An empty context says
// edgeContext when the candidate is at the edge of the text too, else 0.5.
func contextSim(n, d int, edge bool) float64 {
	if n == 0 {
		if edge {
			return edgeContext
		}
		return 0.5
	}
	sim := 1 - float64(d)/float64(n)
	w := min(1, float64(n)/contextWeight)
	return 0.5 + (sim-0.5)*w
}

// prefixDist is the edit distance between the whole old prefix and the
// stretch of text ending at cs that is most like it; both are read from
// the quote outwards, so the runes next to the quote count.
func (a *attempt) prefixDist(cs int) int {
	pre, rs := a.pre, a.v.rs
	n := len(pre)
	var buf [maxContext + 1]int
	col := buf[:n+1]
	for i := range col {
		col[i] = i
	}
	best := n
	for j := 1; j <= min(cs, n+n/2+1); j++ {
		r := rs[cs-j]
		diag := col[0]
		col[0] = j
		for i := 1; i <= n; i++ {
			cost := 1
			if pre[n-i] == r {
				cost = 0
			}
			v := min(col[i]+1, col[i-1]+1, diag+cost)
			diag, col[i] = col[i], v
		}
		best = min(best, col[n])
	}
	return best
}

// suffixDist is prefixDist for the suffix and the text from ce.
func (a *attempt) suffixDist(ce int) int {
	suf, rs := a.suf, a.v.rs
	n := len(suf)
	var buf [maxContext + 1]int
	col := buf[:n+1]
	for i := range col {
		col[i] = i
	}
	best := n
	for j := 1; j <= min(len(rs)-ce, n+n/2+1); j++ {
		r := rs[ce+j-1]
		diag := col[0]
		col[0] = j
		for i := 1; i <= n; i++ {
			cost := 1
			if suf[i-1] == r {
				cost = 0
			}
			v := min(col[i]+1, col[i-1]+1, diag+cost)
			diag, col[i] = col[i], v
		}
		best = min(best, col[n])
	}
	return best
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
// quote, but not exact ones: one per run of adjacent match ends. Edit
// distance alone cannot tell where a place begins and ends when words were
// added at its edges ("The committee" matches "iew committee" with fewer
// edits than "The review committee"), so of the ends in a run, and of the
// starts the reversed search finds for it, the one taken is the one with
// the fewest edits in the quote and its context together.
func (a *attempt) approximate() []candidate {
	q, v := a.q, a.v
	k := min(len(q)/4, maxErrors)
	if k == 0 {
		return nil
	}
	sym := make([]int32, len(q))
	rev := make([]int32, len(q))
	for i, r := range q {
		sym[i] = v.symbol(r)
		rev[len(q)-1-i] = sym[i]
	}
	// Runs of adjacent ends: the same place. The ends of one match lie
	// within k of its best end, so a longer run (in repetitive text) is
	// cut into several. A run keeps the edits at each of its ends.
	type run struct {
		first    int // end of errs[from]
		from, to int // errs[from:to]
		errs     int // fewest
	}
	var runs []run
	var errs []uint16 // k ≤ maxErrors
	newBitPattern(sym, v.nsym).search(v.sym, k, func(e, d int) {
		if n := len(runs); n > 0 {
			if r := &runs[n-1]; e == r.first+(r.to-r.from) && e-r.first <= 2*k {
				errs = append(errs, uint16(d))
				r.to, r.errs = r.to+1, min(r.errs, d)
				return
			}
		}
		runs = append(runs, run{first: e, from: len(errs), to: len(errs) + 1, errs: d})
		errs = append(errs, uint16(d))
	})
	// At most maxRuns of them, fewer for a long quote, for which each
	// costs more.
	if limit := max(16, min(maxRuns, runWork/(len(q)+k))); len(runs) > limit {
		// The fewest edits, then the nearest to the expected position.
		slices.SortStableFunc(runs, func(x, y run) int {
			if c := cmp.Compare(x.errs, y.errs); c != 0 {
				return c
			}
			return cmp.Compare(abs(x.first-a.expect), abs(y.first-a.expect))
		})
		runs = runs[:limit]
	}

	bp := newBitPattern(rev, v.nsym)
	spaceStart, spaceEnd := q[0] == ' ', q[len(q)-1] == ' '
	var cands []candidate
	var dists []int
	for _, r := range runs {
		if r.errs == 0 {
			continue // an exact occurrence, judged already
		}
		// The end: fewest edits with the suffix; then fewest in the
		// quote; then not on a space the quote does not end with. An end
		// with more than len(suf) edits above the run's fewest cannot win.
		end, endCost, endErrs := -1, 0, 0
		for i, d16 := range errs[r.from:r.to] {
			e, d := r.first+i, int(d16)
			if d > r.errs+len(a.suf) || end >= 0 && d > endCost {
				continue
			}
			cost := d + a.suffixDist(e)
			better := end < 0 || cost < endCost || cost == endCost && (d < endErrs ||
				d == endErrs && (v.rs[end-1] == ' ') != spaceEnd && (v.rs[e-1] == ' ') == spaceEnd)
			if better {
				end, endCost, endErrs = e, cost, d
			}
		}
		// The start, likewise with the prefix, among the starts the
		// reversed search finds.
		dists = bp.anchoredBack(v.sym, end, min(end, len(q)+k), dists[:0])
		minD := len(q)
		for _, d := range dists[1:] {
			minD = min(minD, d)
		}
		limit := min(k, minD+len(a.pre))
		bestJ, bestCost, bestD := 0, 0, 0
		for j := 1; j < len(dists); j++ {
			d := dists[j]
			if d > limit || bestJ > 0 && d > bestCost {
				continue
			}
			cost := d + a.prefixDist(end-j)
			if bestJ > 0 {
				if cost != bestCost {
					if cost > bestCost {
						continue
					}
				} else if d != bestD {
					if d > bestD {
						continue
					}
				} else {
					// Not on a space the quote does not start with, then
					// the length nearest the quote's.
					curSpace := (v.rs[end-bestJ] == ' ') != spaceStart
					newSpace := (v.rs[end-j] == ' ') != spaceStart
					if !(curSpace && !newSpace || curSpace == newSpace && abs(j-len(q)) < abs(bestJ-len(q))) {
						continue
					}
				}
			}
			bestJ, bestCost, bestD = j, cost, d
		}
		if bestJ == 0 {
			continue
		}
		cands = append(cands, candidate{cs: end - bestJ, ce: end, errs: bestD})
	}
	return cands
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
