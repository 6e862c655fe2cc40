package anchor

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// benchParagraphs generates about size bytes of article: paragraphs of 3
// to 8 generated sentences. The same seed gives the same article.
func benchParagraphs(r *rand.Rand, size int) []string {
	var paras []string
	n := 0
	for n < size {
		var b strings.Builder
		for range 3 + r.IntN(6) {
			sentence(&b, r, 6+r.IntN(20))
		}
		p := strings.TrimSpace(b.String())
		paras = append(paras, p)
		n += len(p) + 2
	}
	return paras
}

// benchRevision revises an article as a new version of a paper would be:
// a paragraph inserted at the start (every offset moves), and of the
// paragraphs 3% edited (words replaced), 1% moved, 1% deleted and 2%
// re-wrapped.
func benchRevision(r *rand.Rand, paras []string) []string {
	var b strings.Builder
	sentence(&b, r, 30)
	out := []string{strings.TrimSpace(b.String())}
	var moved []string
	for _, p := range paras {
		switch x := r.IntN(100); {
		case x < 3:
			ws := strings.Fields(p)
			for range 1 + r.IntN(3) {
				ws[r.IntN(len(ws))] = words[r.IntN(len(words))]
			}
			out = append(out, strings.Join(ws, " "))
		case x < 4:
			moved = append(moved, p)
		case x < 5:
		case x < 7:
			ws := strings.Fields(p)
			var w strings.Builder
			for i, s := range ws {
				if i > 0 {
					if i%9 == 0 {
						w.WriteByte('\n')
					} else {
						w.WriteByte(' ')
					}
				}
				w.WriteString(s)
			}
			out = append(out, w.String())
		default:
			out = append(out, p)
		}
	}
	for _, p := range moved {
		out = slices.Insert(out, r.IntN(len(out)+1), p)
	}
	return out
}

// benchHighlights makes n targets on text: runs of 2 to 30 words.
func benchHighlights(r *rand.Rand, text string, n int) []Target {
	tx := NewText(text)
	rs := []rune(text)
	ts := make([]Target, 0, n)
	for len(ts) < n {
		start := r.IntN(len(rs))
		for start > 0 && !isSpace(rs[start-1]) {
			start--
		}
		end, words := start, 2+r.IntN(29)
		for end < len(rs) && words > 0 {
			end++
			if end == len(rs) || isSpace(rs[end]) {
				words--
			}
		}
		if t, err := tx.Capture(start, end); err == nil {
			ts = append(ts, t)
		}
	}
	return ts
}

var benchData = sync.OnceValues(func() (revised string, ts []Target) {
	r := rand.New(rand.NewPCG(1, 1))
	paras := benchParagraphs(r, 1<<20)
	old := strings.Join(paras, "\n\n")
	ts = benchHighlights(r, old, 1000)
	return strings.Join(benchRevision(r, paras), "\n\n"), ts
})

// BenchmarkReanchorAll1000On1MB re-anchors 1,000 highlights on a revised
// 1 MB article, the text prepared (NewText) in each run. Goal: at most 1 s.
func BenchmarkReanchorAll1000On1MB(b *testing.B) {
	revised, ts := benchData()
	var res []Result
	for b.Loop() {
		res = NewText(revised).ReanchorAll(ts)
	}
	var n [3]int
	for _, r := range res {
		n[r.Status]++
	}
	b.ReportMetric(float64(n[Anchored]), "anchored")
	b.ReportMetric(float64(n[Fuzzy]), "fuzzy")
	b.ReportMetric(float64(n[Orphaned]), "orphaned")
}

// BenchmarkApproxSearch re-anchors one quote whose text was edited (two
// words replaced), so that it is not found exactly and the approximate
// search runs over the whole 1 MB text: the time per quote.
func BenchmarkApproxSearch(b *testing.B) {
	revised, _ := benchData()
	tx := NewText(revised)
	tx.view()
	for _, n := range []int{20, 60, 200} {
		b.Run(strconv.Itoa(n)+"runes", func(b *testing.B) {
			// A passage of the text, about n runes from the start of a
			// word, with two runes edited in the quote: captured as if on
			// the old text.
			r := rand.New(rand.NewPCG(3, uint64(n)))
			rs := tx.runes
			start := r.IntN(len(rs) - 2*n)
			for !isSpace(rs[start]) {
				start++
			}
			for isSpace(rs[start]) {
				start++
			}
			end := start + n
			for isSpace(rs[end-1]) {
				end--
			}
			t, _ := tx.Capture(start, end)
			old := []rune(t.Exact)
			for _, i := range []int{n / 3, 2 * n / 3} {
				old[i] = 'X'
			}
			t.Exact = string(old)
			var res Result
			for b.Loop() {
				res = tx.Reanchor(t)
			}
			if res.Status != Fuzzy || res.Target.Start != start || res.Target.End != end {
				b.Fatalf("%v at [%d, %d), want fuzzy at [%d, %d)", res.Status, res.Target.Start, res.Target.End, start, end)
			}
		})
	}
}

// BenchmarkMyersBlocks is the bare bit-vector search of a 200-rune
// pattern (four blocks) over the 1 MB text with k = 50.
func BenchmarkMyersBlocks(b *testing.B) {
	revised, _ := benchData()
	v := NewText(revised).view()
	p := v.sym[len(v.sym)/2 : len(v.sym)/2+200]
	bp := newBitPattern(p, v.nsym)
	hits := 0
	for b.Loop() {
		hits = 0
		bp.search(v.sym, 50, func(int, int) { hits++ })
	}
	if hits == 0 {
		b.Fatal("the pattern was not found")
	}
	b.SetBytes(int64(len(revised)))
}

// BenchmarkApproxSearchRepetitive is the worst case met: a 1,000-rune
// quote, edited, on 1 MB of one sentence repeated, where it nearly matches
// everywhere.
func BenchmarkApproxSearchRepetitive(b *testing.B) {
	text := strings.Repeat("The results were the same in every group we looked at. ", 20000)
	tx := NewText(text)
	tx.view()
	start := tx.Len() / 2
	t, _ := tx.Capture(start, start+1000)
	q := []rune(t.Exact)
	for i := 0; i < len(q); i += 7 {
		q[i] = 'X'
	}
	t.Exact = string(q)
	for b.Loop() {
		tx.Reanchor(t)
	}
}
