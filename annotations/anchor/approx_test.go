package anchor

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveEnds is the textbook dynamic programme (Sellers 1980) that the
// bit-vector search must agree with: for every end e, the least edit
// distance between the pattern and a substring of text ending at e.
func naiveEnds(p, text []int32, k int) map[int]int {
	m := len(p)
	col := make([]int, m+1)
	for i := range col {
		col[i] = i
	}
	out := map[int]int{}
	for j := 1; j <= len(text); j++ {
		diag := col[0] // the top row is 0: a match may start anywhere
		for i := 1; i <= m; i++ {
			cost := 1
			if p[i-1] == text[j-1] {
				cost = 0
			}
			v := min(col[i]+1, col[i-1]+1, diag+cost)
			diag, col[i] = col[i], v
		}
		if col[m] <= k {
			out[j] = col[m]
		}
	}
	return out
}

// naiveDistance is the edit distance between a and b.
func naiveDistance(a, b []int32) int {
	col := make([]int, len(a)+1)
	for i := range col {
		col[i] = i
	}
	for j := 1; j <= len(b); j++ {
		diag := col[0]
		col[0] = j
		for i := 1; i <= len(a); i++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(col[i]+1, col[i-1]+1, diag+cost)
			diag, col[i] = col[i], v
		}
	}
	return col[len(a)]
}

func randomSymbols(r *rand.Rand, n, alphabet int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(r.IntN(alphabet))
	}
	return out
}

// mutate applies about edits random edits to p.
func mutate(r *rand.Rand, p []int32, edits, alphabet int) []int32 {
	out := slices.Clone(p)
	for range edits {
		i := r.IntN(len(out) + 1)
		switch r.IntN(3) {
		case 0:
			out = slices.Insert(out, i, int32(r.IntN(alphabet)))
		case 1:
			if i < len(out) {
				out = slices.Delete(out, i, i+1)
			}
		default:
			if i < len(out) {
				out[i] = int32(r.IntN(alphabet))
			}
		}
	}
	return out
}

func TestBitPattern_Search_AgreesWithDP(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 600 {
		alphabet := 2 + r.IntN(6)
		m := 1 + r.IntN(300)
		if iter%3 == 0 {
			m = 1 + r.IntN(70)
		}
		p := randomSymbols(r, m, alphabet)
		// A text with the pattern planted a few times, mutated.
		var text []int32
		for range 1 + r.IntN(4) {
			text = append(text, randomSymbols(r, r.IntN(100), alphabet)...)
			text = append(text, mutate(r, p, r.IntN(m/3+2), alphabet)...)
		}
		text = append(text, randomSymbols(r, r.IntN(100), alphabet)...)
		k := r.IntN(m/2 + 2)
		if k >= m {
			k = m - 1
		}
		want := naiveEnds(p, text, k)
		got := map[int]int{}
		newBitPattern(p, alphabet).search(text, k, func(e, errs int) { got[e] = errs })
		if len(got) != len(want) {
			t.Fatalf("iter %d (m=%d k=%d n=%d): %d ends, want %d", iter, m, k, len(text), len(got), len(want))
		}
		for e, d := range want {
			if got[e] != d {
				t.Fatalf("iter %d (m=%d k=%d): end %d has %d errors, want %d", iter, m, k, e, got[e], d)
			}
		}
	}
}

func TestBitPattern_AnchoredBack_AgreesWithDP(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := range 300 {
		alphabet := 2 + r.IntN(5)
		m := 1 + r.IntN(200)
		p := randomSymbols(r, m, alphabet)
		text := append(randomSymbols(r, r.IntN(30), alphabet), mutate(r, p, r.IntN(m/4+2), alphabet)...)
		rev := slices.Clone(p)
		slices.Reverse(rev)
		end := len(text)
		n := min(end, m+m/2)
		for j, d := range newBitPattern(rev, alphabet).anchoredBack(text, end, n, nil) {
			if want := naiveDistance(p, text[end-j:end]); d != want {
				t.Fatalf("iter %d (m=%d): j=%d distance %d, want %d", iter, m, j, d, want)
			}
		}
	}
}

// A symbol that the pattern does not hold matches nothing.
func TestNewBitPattern_UnknownSymbol(t *testing.T) {
	bp := newBitPattern([]int32{0, -1, 1}, 2)
	var got []int
	bp.search([]int32{0, 1, 1, 0, 0, 1}, 1, func(e, errs int) { got = append(got, e*10+errs) })
	want := map[int]int{}
	for e, d := range naiveEnds([]int32{0, -1, 1}, []int32{0, 1, 1, 0, 0, 1}, 1) {
		want[e] = d
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, g := range got {
		if want[g/10] != g%10 {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
