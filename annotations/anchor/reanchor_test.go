package anchor

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func mustCapture(t testing.TB, text string, start, end int) Target {
	t.Helper()
	tg, err := Capture(text, start, end)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestReanchor_Table(t *testing.T) {
	const (
		fox    = "The quick brown fox jumps over the lazy dog."
		wrap   = "one two\nthree four five six seven"
		cohort = "Results were significant in the first cohort of patients, and weaker in the second."
		greek  = "Alpha beta gamma. Delta beta epsilon. Zeta beta eta."
		paint  = "They preferred the colour of the old paint."
	)
	tests := []struct {
		name       string
		target     Target
		text       string
		want       Status
		start, end int
		exact      string
	}{
		{"unchanged", mustCapture(t, fox, 4, 9), fox, Anchored, 4, 9, "quick"},
		{"insertion before", mustCapture(t, fox, 4, 9), "Early one morning. " + fox, Anchored, 23, 28, "quick"},
		{"insertion after", mustCapture(t, fox, 4, 9), fox + " Then it sleeps.", Anchored, 4, 9, "quick"},
		{"insertion before, end of text", mustCapture(t, fox, 35, 43), "Early one morning. " + fox, Anchored, 54, 62, "lazy dog"},
		{"re-wrapped across the break", mustCapture(t, wrap, 4, 13), "one  two\n\nthree four\nfive six seven", Anchored, 5, 15, "two\n\nthree"},
		{"re-wrapped, a space became a newline", mustCapture(t, wrap, 14, 23), "one  two\n\nthree four\nfive six seven", Anchored, 16, 25, "four\nfive"},
		{"word edited inside the quote", mustCapture(t, cohort, 13, 44),
			"Results were significant in the initial cohort of patients, and weaker in the second.", Fuzzy, 13, 46, "significant in the initial cohort"},
		{"repeat told by context", mustCapture(t, greek, 24, 28), "Omega. Alpha beta gamma. Delta beta epsilon. Zeta beta eta.", Anchored, 31, 35, "beta"},
		// A four-letter word whose left context moved away: not enough to
		// tell it from the other two, whatever is left of its context.
		{"sentences swapped, short quote loses its context", mustCapture(t, greek, 43, 47), "Zeta beta eta. Alpha beta gamma. Delta beta epsilon.", Orphaned, 43, 47, "beta"},
		{"gone", mustCapture(t, fox, 10, 19), "The quick cat jumps over the lazy dog.", Orphaned, 10, 19, "brown fox"},
		{"short quote edited, context intact", mustCapture(t, paint, 19, 25), "They preferred the color of the old paint.", Fuzzy, 19, 24, "color"},
		{"short quote edited, context changed", mustCapture(t, paint, 19, 25), "Most people liked the color less than before.", Orphaned, 19, 25, "colour"},
		{"offsets out of range", Target{Start: 100, End: 104, Exact: "beta", Prefix: "Delta ", Suffix: " epsilon"}, "Delta beta epsilon.", Anchored, 6, 10, "beta"},
		{"reversed offsets", Target{Start: 10, End: 6, Exact: "beta", Prefix: "Delta ", Suffix: " epsilon"}, "Delta beta epsilon.", Anchored, 6, 10, "beta"},
		{"empty quote", Target{Start: 1, End: 1}, fox, Orphaned, 1, 1, ""},
		// A quote without context (a quote-only selector) is kept where
		// it still is, and elsewhere when it occurs exactly once; when it
		// occurs several times, nothing tells which, and it is not guessed.
		{"no context, in place", Target{Start: 12, End: 18, Exact: "Geneva"}, "They met in Geneva.", Anchored, 12, 18, "Geneva"},
		{"no context, moved", Target{Start: 0, End: 6, Exact: "Geneva"}, "They met in Geneva.", Anchored, 12, 18, "Geneva"},
		{"no context, no position, unique", Target{Exact: "only deadline"}, "The talks have one aim and only deadline: Friday.", Anchored, 27, 40, "only deadline"},
		{"no context, white space only around", Target{Exact: "only deadline", Prefix: " ", Suffix: "\n"}, "The talks have one aim and only deadline: Friday.", Anchored, 27, 40, "only deadline"},
		{"no context, re-wrapped", Target{Exact: "only deadline"}, "The talks have one aim and only\ndeadline: Friday.", Anchored, 27, 40, "only\ndeadline"},
		{"no context, twice: not guessed", Target{Exact: "Geneva"}, "They met in Geneva. Geneva was cold.", Orphaned, 0, 0, "Geneva"},
		{"no context, overlapping twice: not guessed", Target{Exact: "aba"}, "x ababa y", Orphaned, 0, 0, "aba"},
		{"no context, edited: not guessed", Target{Exact: "only deadline"}, "The talks have one aim and one deadline: Friday.", Orphaned, 0, 0, "only deadline"},
		{"context on one side is scored as before", Target{Exact: "Geneva", Prefix: "Negotiators met in "}, "They met in Geneva.", Orphaned, 0, 0, "Geneva"},
		{"no context, long and unique", Target{Start: 0, End: 37, Exact: "the talks resumed in Geneva on Monday"},
			"After a pause, the talks resumed in Geneva on Monday.", Anchored, 15, 52, "the talks resumed in Geneva on Monday"},
		{"white space only quote", mustCapture(t, "one two", 3, 4), "one\ntwo", Anchored, 3, 4, "\n"},
		{"empty text", mustCapture(t, fox, 4, 9), "", Orphaned, 4, 9, "quick"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewText(tt.text).Reanchor(tt.target)
			if got.Status != tt.want {
				t.Fatalf("status %v (score %.3f, %+v), want %v", got.Status, got.Score, got.Target, tt.want)
			}
			if got.Target.Start != tt.start || got.Target.End != tt.end || got.Target.Exact != tt.exact {
				t.Errorf("target [%d, %d) %q, want [%d, %d) %q", got.Target.Start, got.Target.End, got.Target.Exact, tt.start, tt.end, tt.exact)
			}
			checkResult(t, tt.text, tt.target, got)
		})
	}
}

func TestStatus_String(t *testing.T) {
	for s, want := range map[Status]string{Anchored: "anchored", Fuzzy: "fuzzy", Orphaned: "orphaned", Status(9): "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("%d: %q, want %q", int(s), got, want)
		}
	}
}

// ReanchorAll keeps the order of its input, whatever the order of the
// offsets, and gives what Reanchor gives.
func TestText_ReanchorAll_Order(t *testing.T) {
	const old = "Alpha beta gamma. Delta beta epsilon. Zeta beta eta."
	ts := []Target{mustCapture(t, old, 43, 47), mustCapture(t, old, 0, 5), mustCapture(t, old, 24, 28), {}}
	text := NewText("Intro. " + old)
	got := text.ReanchorAll(ts)
	if len(got) != len(ts) {
		t.Fatalf("%d results for %d targets", len(got), len(ts))
	}
	for i, want := range []int{50, 7, 31, -1} {
		if want < 0 {
			if got[i].Status != Orphaned {
				t.Errorf("%d: %v, want orphaned", i, got[i].Status)
			}
			continue
		}
		if got[i].Status != Anchored || got[i].Target.Start != want {
			t.Errorf("%d: %v at %d, want anchored at %d", i, got[i].Status, got[i].Target.Start, want)
		}
		if one := text.Reanchor(ts[i]); one.Status != got[i].Status || !one.Target.Same(got[i].Target) {
			t.Errorf("%d: Reanchor gives %+v, ReanchorAll %+v", i, one, got[i])
		}
	}
	if got := text.ReanchorAll(nil); len(got) != 0 {
		t.Errorf("ReanchorAll(nil) = %v", got)
	}
}

// A quote longer than 64 runes edited in several places is found by the
// block version of the search.
func TestReanchor_LongQuoteEdited(t *testing.T) {
	old := "Preface. " + strings.Repeat("Filler words that do not matter here. ", 30) +
		"The committee found that the new procedure reduced the average waiting time for a first appointment from eleven weeks to six, without any increase in the number of complaints received. " +
		strings.Repeat("More filler text to follow the passage. ", 30)
	start := strings.Index(old, "The committee")
	end := strings.Index(old, "received.") + len("received.")
	tg := mustCapture(t, old, start, end) // ASCII: byte offsets are rune offsets
	edited := strings.NewReplacer("eleven weeks to six", "twelve weeks to five", "any increase", "an increase",
		"The committee", "The review committee").Replace(old)
	got := NewText(edited).Reanchor(tg)
	want := "The review committee found that the new procedure reduced the average waiting time for a first appointment from twelve weeks to five, without an increase in the number of complaints received."
	if got.Status != Fuzzy || got.Target.Exact != want {
		t.Fatalf("%v %q (score %.3f), want fuzzy %q", got.Status, got.Target.Exact, got.Score, want)
	}
	checkResult(t, edited, tg, got)
}

// Locate finds exact occurrences only, but takes the best of them
// however poor its context; Reanchor also finds edited quotes, and orphans
// a short quote whose context is gone.
func TestLocate_Reanchor_Differ(t *testing.T) {
	const old = "They met in Geneva on Monday."
	tg := mustCapture(t, old, 12, 18)
	const revised = "Geneva was chosen for the next round."
	if got, ok := Locate(revised, tg); !ok || got.Start != 0 || got.End != 6 {
		t.Errorf("Locate = %+v, %v; want [0, 6), true", got, ok)
	}
	if got := NewText(revised).Reanchor(tg); got.Status != Orphaned {
		t.Errorf("Reanchor: %v at %d, want orphaned", got.Status, got.Target.Start)
	}
}

func TestLocate_NoFuzzy(t *testing.T) {
	const cohort = "Results were significant in the first cohort of patients, and weaker in the second."
	tg := mustCapture(t, cohort, 13, 44)
	edited := strings.Replace(cohort, "first", "initial", 1)
	if got, ok := Locate(edited, tg); ok || !got.Same(tg) {
		t.Errorf("Locate = %+v, %v; want the target unchanged, false", got, ok)
	}
	if got := NewText(edited).Reanchor(tg); got.Status != Fuzzy {
		t.Errorf("Reanchor: %v, want fuzzy", got.Status)
	}
}

// A Text is used from several goroutines (go test -race).
func TestText_Reanchor_Concurrent(t *testing.T) {
	old, revised := readRevision(t, "sleep")
	var ts []Target
	for _, c := range suite {
		if c.article == "sleep" {
			ts = append(ts, suiteTarget(t, old, c))
		}
	}
	text := NewText(revised)
	want := NewText(revised).ReanchorAll(ts)
	done := make(chan []Result)
	for range 4 {
		go func() { done <- text.ReanchorAll(ts) }()
	}
	for range 4 {
		if got := <-done; !slices.EqualFunc(got, want, func(a, b Result) bool { return a.Status == b.Status && a.Score == b.Score && a.Target.Same(b.Target) }) {
			t.Errorf("concurrent results differ")
		}
	}
}

// words is the vocabulary of the generated texts: common words, so that
// short phrases recur, as they do in real articles.
var words = strings.Fields(`the of and to in a is that for it as was with be by on not
he this are or his from at which but have an they you were her she there
been one all we their has would when if more no out do so can what up said
about other into than its time only could new them man some these then two
first may any like now my such make over our even most me state after also
made many did must before back see through way where get much go well your
know should down work year because come people just say each those take day
good how long own too little use us very great still men here life both
between old under last never place same another think house while high
right might came off find states since used give against three himself
look few general hand school part small american home during number again
mrs around thus went upon however long cohort results sleep memory river
study data effect method water spring group control treated children`)

// sentence appends a generated sentence of n words to b.
func sentence(b *strings.Builder, r *rand.Rand, n int) {
	for i := range n {
		w := words[r.IntN(len(words))]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	b.WriteString(". ")
}

// TestReanchor_EditsAwayFromQuote is the property test: edits (insertion,
// deletion or replacement of a run of words) that stay more than the
// context's length away from the quote, and any change of white space
// anywhere, never move a quote off its text.
func TestReanchor_EditsAwayFromQuote(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for iter := range 400 {
		// A text as words; the quote is a run of them.
		var b strings.Builder
		for range 5 + r.IntN(40) {
			sentence(&b, r, 3+r.IntN(15))
		}
		ws := strings.Fields(b.String())
		qs := r.IntN(len(ws))
		qe := min(len(ws), qs+1+r.IntN(12))
		type word struct {
			s     string
			quote bool
		}
		text := make([]word, len(ws))
		for i, w := range ws {
			text[i] = word{w, i >= qs && i < qe}
		}
		join := func(ws []word, seps func() string) (string, int, int) {
			var sb strings.Builder
			start, end, n := -1, -1, 0
			for i, w := range ws {
				if i > 0 {
					s := seps()
					sb.WriteString(s)
					n += len([]rune(s))
				}
				if w.quote && start < 0 {
					start = n
				}
				sb.WriteString(w.s)
				n += len([]rune(w.s))
				if w.quote {
					end = n
				}
			}
			return sb.String(), start, end
		}
		old, start, end := join(text, func() string { return " " })
		tg := mustCapture(t, old, start, end)

		// Edits, each checked to stay away from the quote.
		edits := 1 + r.IntN(6)
		for range edits {
			i := r.IntN(len(text) + 1)
			n := 1 + r.IntN(5)
			j := min(len(text), i+n)
			// Distance in runes between the run [i, j) and the quote.
			far := true
			for k := max(0, i-1); k < min(len(text), j+1) && far; k++ {
				if text[k].quote {
					far = false
				}
			}
			if !far {
				continue
			}
			runesBetween := func(a, b int) int { // runes of words a..b-1 plus separators
				c := 0
				for k := a; k < b; k++ {
					c += len([]rune(text[k].s)) + 1
				}
				return c
			}
			qi := slices.IndexFunc(text, func(w word) bool { return w.quote })
			qj := qi + (qe - qs)
			if j <= qi && runesBetween(j, qi) <= ContextRunes+1 || i >= qj && runesBetween(qj, i) <= ContextRunes+1 {
				continue
			}
			var ins []word
			for range r.IntN(6) {
				ins = append(ins, word{words[r.IntN(len(words))], false})
			}
			switch r.IntN(3) {
			case 0: // insert
				text = slices.Insert(text, i, ins...)
			case 1: // delete
				text = slices.Delete(text, i, j)
			default: // replace
				text = slices.Replace(text, i, j, ins...)
			}
		}
		seps := []string{" ", " ", " ", " ", "\n", "  ", "\n\n", " \n", "\t"}
		revised, wantStart, wantEnd := join(text, func() string { return seps[r.IntN(len(seps))] })
		got := NewText(revised).Reanchor(tg)
		if got.Status != Anchored || got.Target.Start != wantStart || got.Target.End != wantEnd {
			t.Fatalf("iter %d: %v [%d, %d) %q, want anchored [%d, %d)\nquote %q\nold %q\nnew %q", iter, got.Status,
				got.Target.Start, got.Target.End, got.Target.Exact, wantStart, wantEnd, tg.Exact, old, revised)
		}
		checkResult(t, revised, tg, got)
	}
}

// FuzzReanchor: a text, a highlight on it, an edit of the text (delete
// some runes, insert others) and a target whose fields may be anything.
// Whatever they are: no panic, a result's offsets inside the new text and
// its Exact the text there, an orphan's target unchanged.
func FuzzReanchor(f *testing.F) {
	f.Add("The quick brown fox jumps over the lazy dog.", 4, 9, 0, 0, "Early. ", "", "")
	f.Add("Alpha beta gamma. Delta beta epsilon. Zeta beta eta.", 24, 28, 0, 18, "", "", "")
	f.Add("one two\nthree four five", 4, 13, 3, 1, "\n\n", "", "")
	f.Add("Results were significant in the first cohort of patients.", 13, 44, 32, 5, "initial", "", "")
	f.Add("Les cafés de Lyon 📚 au XIXᵉ siècle", 4, 9, 10, 3, "é", "", "")
	f.Add("aaaa aaaa aaaa", 5, 9, 0, 0, "a", "aaa", "a a")
	f.Add("text", -3, 99, 2, 90, "\x00\xff", "\xff", "")
	f.Fuzz(func(t *testing.T, text string, start, end, at, del int, ins, exact, prefix string) {
		if len(text) > 1<<12 || len(ins) > 1<<10 || len(exact) > 1<<10 || len(prefix) > 1<<10 {
			return
		}
		runes := []rune(text)
		tg := Target{Start: start, End: end, Exact: exact, Prefix: prefix}
		if c, err := Capture(text, start, end); err == nil && exact == "" {
			tg = c
		}
		at = max(0, min(at, len(runes)))
		del = max(0, min(del, len(runes)-at))
		revised := string(runes[:at]) + ins + string(runes[at+del:])
		tx := NewText(revised)
		got := tx.Reanchor(tg)
		checkResult(t, revised, tg, got)
		all := tx.ReanchorAll([]Target{tg, tg})
		for _, r := range all {
			checkResult(t, revised, tg, r)
		}
		if all[0].Status != got.Status || all[0].Score != got.Score || !all[0].Target.Same(got.Target) {
			t.Errorf("ReanchorAll %+v, Reanchor %+v", all[0], got)
		}
	})
}
