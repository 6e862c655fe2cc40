package anchor

import (
	"os"
	"path/filepath"
	"testing"
)

// The revision suite: articles written for these tests, each in an old and
// a new version under testdata/revisions/NAME/, and highlights made on the
// old version. Each case says where the highlighted passage truly is in the
// new version (a quote and its occurrence there), or that it is gone, and
// the status Reanchor must give.
//
//	sleep    a paragraph inserted before and after, a sentence inserted, numbers corrected inside quotes
//	river    paragraphs swapped (two whole-paragraph highlights move)
//	reef     re-wrapped: other line width, double spaces, a joined paragraph, a tab
//	archive  paragraphs deleted, one with a near-copy of a sentence that survives elsewhere
//	policy   a paragraph rewritten in other words, light edits elsewhere
//	trial    a phrase that occurs four times, one occurrence deleted
//	cafe     French text with non-ASCII runes and an emoji, edits inside quotes
type suiteCase struct {
	article string
	name    string
	quote   string // highlighted on old.txt
	nth     int    // occurrence of quote in old.txt; 0 means 1
	want    Status
	at      string // where the passage is in new.txt; "" when it is gone
	atNth   int    // occurrence of at in new.txt; 0 means 1
}

var suite = []suiteCase{
	{article: "sleep", name: "sentence after an inserted paragraph", quote: "Recall the next morning was predicted by the density of fast sleep spindles over centro-parietal electrodes", want: Anchored,
		at: "Recall the next morning was predicted by the density of fast sleep spindles over centro-parietal electrodes"},
	{article: "sleep", name: "sample size corrected inside the quote", quote: "We recorded overnight polysomnography in 48 healthy adults who had learned 120 word pairs in the evening.", want: Fuzzy,
		at: "We recorded overnight polysomnography in 52 healthy adults who had learned 120 word pairs in the evening."},
	{article: "sleep", name: "correlation corrected inside the quote", quote: "Fast spindle density correlated with overnight retention (r = 0.52, p < 0.001).", want: Fuzzy,
		at: "Fast spindle density correlated with overnight retention (r = 0.49, p < 0.001)."},
	{article: "sleep", name: "discussion untouched", quote: "slow oscillations matter by timing the spindles", want: Anchored, at: "slow oscillations matter by timing the spindles"},
	{article: "sleep", name: "one of five spindles, by context", quote: "spindles", nth: 2, want: Anchored, at: "spindles", atNth: 3},
	{article: "sleep", name: "title at the start", quote: "Sleep and the consolidation of declarative memory", want: Anchored, at: "Sleep and the consolidation of declarative memory"},
	{article: "sleep", name: "short phrase, context intact", quote: "twenty minutes", want: Anchored, at: "twenty minutes"},
	{article: "sleep", name: "short number changed", quote: "0.52", want: Orphaned, at: "0.49"},
	{article: "sleep", name: "sentence inserted just before the quote", quote: "Spindles were detected automatically with a wavelet method", want: Anchored,
		at: "Spindles were detected automatically with a wavelet method"},
	{article: "sleep", name: "a new occurrence inserted earlier", quote: "fast spindles", want: Anchored, at: "fast spindles", atNth: 2},
	{article: "sleep", name: "paragraph appended after", quote: "rather than by their own amount.", want: Anchored, at: "rather than by their own amount."},

	{article: "river", name: "whole paragraph moved down", quote: "Supporters say the dam blocks salmon and eels from twelve miles of spawning grounds upstream, and that its spillway has cracked twice since 2015. An engineering report commissioned last year put the cost of repairs at 3.4 million, against 2.1 million for removal.", want: Anchored,
		at: "Supporters say the dam blocks salmon and eels from twelve miles of spawning grounds upstream, and that its spillway has cracked twice since 2015. An engineering report commissioned last year put the cost of repairs at 3.4 million, against 2.1 million for removal."},
	{article: "river", name: "whole paragraph moved up", quote: "The state environment agency has promised to pay half of the removal cost from its river restoration fund. Work could begin next autumn, once the eels have migrated downstream, and should take about four months.", want: Anchored,
		at: "The state environment agency has promised to pay half of the removal cost from its river restoration fund. Work could begin next autumn, once the eels have migrated downstream, and should take about four months."},
	{article: "river", name: "sentence in a moved paragraph", quote: "Work could begin next autumn, once the eels have migrated downstream", want: Anchored, at: "Work could begin next autumn, once the eels have migrated downstream"},
	{article: "river", name: "repeated word follows its paragraph", quote: "eels", nth: 2, want: Anchored, at: "eels", atNth: 1},
	{article: "river", name: "paragraph between the swapped ones", quote: "Some fear that their houses will lose value.", want: Anchored, at: "Some fear that their houses will lose value."},
	{article: "river", name: "quotation at the end", quote: `"We are choosing the river over the pond," she said.`, want: Anchored, at: `"We are choosing the river over the pond," she said.`},

	{article: "reef", name: "across a line break", quote: "every five metres along a fifty-metre tape", want: Anchored, at: "every five metres along a fifty-metre tape"},
	{article: "reef", name: "unwrapped paragraph", quote: "Branching corals, the fast-growing species that give the reef its shape, died in the largest numbers", want: Anchored,
		at: "Branching corals, the fast-growing species that give the reef its shape, died in the largest numbers"},
	{article: "reef", name: "double spaces after full stops", quote: "years together. We surveyed", want: Anchored, at: "years together.  We surveyed"},
	{article: "reef", name: "last sentence of a re-wrapped paragraph", quote: "Where cover had stayed above a quarter, the reef regained most of its cover within five years.", want: Anchored,
		at: "Where cover had stayed above a quarter, the reef regained most of its cover within five years."},
	{article: "reef", name: "after a tab", quote: "These results suggest", want: Anchored, at: "These results suggest"},
	{article: "reef", name: "repeated word in re-wrapped text", quote: "cover", nth: 3, want: Anchored, at: "cover", atNth: 3},
	{article: "reef", name: "whole last paragraph", quote: "These results suggest that the interval between events, more than their intensity, will decide what the reef looks like in twenty years. If mass bleaching returns every two or three years, branching corals will not have time to recover, and the reef will be dominated by massive and encrusting forms.", want: Anchored,
		at: "These results suggest that the interval between events, more than their intensity, will decide what the reef looks like in twenty years. If mass bleaching returns every two or three years, branching corals will not have time to recover, and the reef will be dominated by massive and encrusting forms."},

	{article: "archive", name: "sentence of a deleted paragraph", quote: "During the move two boxes were damaged by water", want: Orphaned},
	{article: "archive", name: "deleted sentence with a near-copy elsewhere", quote: "The collection was moved to the new reading room in 1978", want: Orphaned},
	{article: "archive", name: "second deleted paragraph", quote: "Several letters from the spring of 1890 were filed with those of 1880", want: Orphaned},
	{article: "archive", name: "common word in a deleted paragraph", quote: "letters", nth: 3, want: Orphaned},
	{article: "archive", name: "the near-copy itself", quote: "These letters were moved to the new reading room in 1979", want: Anchored, at: "These letters were moved to the new reading room in 1979"},
	{article: "archive", name: "short phrase next to a deletion", quote: "forty pressed specimens", want: Anchored, at: "forty pressed specimens"},
	{article: "archive", name: "last paragraph", quote: "Photographs of every letter can be requested", want: Anchored, at: "Photographs of every letter can be requested"},

	{article: "policy", name: "rewritten in other words", quote: "Sick leave fell by a fifth, and the number of applicants per vacancy doubled.", want: Orphaned,
		at: "Absences due to illness are down about twenty percent and twice as many people now apply for each open post."},
	{article: "policy", name: "rewritten clause", quote: "the council had to hire eleven temporary clerks to bring them down again", want: Orphaned,
		at: "so eleven clerks were brought in on short contracts"},
	{article: "policy", name: "rewritten sentence", quote: "But waiting times at the building permits office grew from three weeks to five", want: Orphaned,
		at: "Yet building permits, which used to take three weeks, took five at the worst point"},
	{article: "policy", name: "one word changed", quote: "none of them reported a fall", want: Fuzzy, at: "none of them reported any fall"},
	{article: "policy", name: "two words changed", quote: "An independent review, due in the spring, will compare them with similar offices in two neighbouring towns.", want: Fuzzy,
		at: "An independent review, due in the autumn, will compare them with similar offices in three neighbouring towns."},
	{article: "policy", name: "clause reworded", quote: "Managers are more cautious, and several said that meetings have simply been squeezed into fewer days.", want: Fuzzy,
		at: "Managers are more cautious; several told us that meetings have simply been squeezed into fewer days."},
	{article: "policy", name: "month changed, sentence extended", quote: "The council will decide in June whether to make the scheme permanent.", want: Fuzzy,
		at: "The council will decide in September whether to make the scheme permanent,"},
	{article: "policy", name: "untouched figure", quote: "87 percent of employees want to keep the new schedule", want: Anchored, at: "87 percent of employees want to keep the new schedule"},

	{article: "trial", name: "repeated phrase, first", quote: "the control group", nth: 1, want: Anchored, at: "the control group", atNth: 1},
	{article: "trial", name: "repeated phrase, second", quote: "the control group", nth: 2, want: Anchored, at: "the control group", atNth: 2},
	{article: "trial", name: "repeated phrase, deleted", quote: "the control group", nth: 3, want: Orphaned},
	{article: "trial", name: "repeated phrase, fourth", quote: "the control group", nth: 4, want: Anchored, at: "the control group", atNth: 3},
	{article: "trial", name: "other phrase, deleted", quote: "the treated group", nth: 2, want: Orphaned},
	{article: "trial", name: "other phrase, kept", quote: "the treated group", nth: 3, want: Anchored, at: "the treated group", atNth: 2},
	{article: "trial", name: "full stop became a comma", quote: "The difference was not significant.", want: Fuzzy, at: "The difference was not significant,"},
	{article: "trial", name: "figure in a deleted paragraph", quote: "missed on average 4.1 days of school", want: Orphaned},
	{article: "trial", name: "sentence after a deletion", quote: "Adherence, counted from the returned blister packs, was 91 percent.", want: Anchored,
		at: "Adherence, counted from the returned blister packs, was 91 percent."},

	{article: "cafe", name: "numbers reworded", quote: "Lyon comptait plus de huit cents cafés", want: Fuzzy, at: "Lyon comptait près de neuf cents cafés"},
	{article: "cafe", name: "words inserted in a quotation", quote: "« des lieux où l'on boit peu et l'on parle beaucoup »", want: Fuzzy, at: "« des lieux où l'on boit peu et où l'on parle beaucoup »"},
	{article: "cafe", name: "short word", quote: "canuts", want: Anchored, at: "canuts"},
	{article: "cafe", name: "title", quote: "Les cafés de Lyon au XIXᵉ siècle", want: Anchored, at: "Les cafés de Lyon au XIXᵉ siècle"},
}

// readRevision returns the old and revised text of a suite article.
func readRevision(t testing.TB, name string) (old, revised string) {
	t.Helper()
	read := func(f string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "revisions", name, f))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return read("old.txt"), read("new.txt")
}

// suiteTarget captures the case's highlight on the old text.
func suiteTarget(t testing.TB, old string, c suiteCase) Target {
	t.Helper()
	start, end, err := Find(old, c.quote, max(c.nth, 1))
	if err != nil {
		t.Fatalf("highlight %q: %v", c.quote, err)
	}
	tg, err := Capture(old, start, end)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// truth returns where the case's passage is in the revised text, ok false when
// it is gone.
func truth(t testing.TB, revised string, c suiteCase) (start, end int, ok bool) {
	t.Helper()
	if c.at == "" {
		return 0, 0, false
	}
	start, end, err := Find(revised, c.at, max(c.atNth, 1))
	if err != nil {
		t.Fatalf("truth %q: %v", c.at, err)
	}
	return start, end, true
}

func TestReanchor_Suite(t *testing.T) {
	for _, c := range suite {
		t.Run(c.article+"/"+c.name, func(t *testing.T) {
			old, revised := readRevision(t, c.article)
			tg := suiteTarget(t, old, c)
			got := NewText(revised).Reanchor(tg)
			if got.Status != c.want {
				t.Fatalf("status %v (score %.3f, %q), want %v", got.Status, got.Score, got.Target.Exact, c.want)
			}
			checkResult(t, revised, tg, got)
			if got.Status == Orphaned {
				return
			}
			start, end, _ := truth(t, revised, c)
			if got.Target.Start != start || got.Target.End != end {
				t.Errorf("at [%d, %d) %q, want [%d, %d) %q", got.Target.Start, got.Target.End, got.Target.Exact,
					start, end, string([]rune(revised)[start:end]))
			}
		})
	}
}

// TestReanchor_NoWrongAttachment runs the whole suite, and ReanchorAll on
// each article, and counts the outcomes: an attachment is wrong when the
// passage is gone or the place does not overlap it by at least half.
func TestReanchor_NoWrongAttachment(t *testing.T) {
	type tally struct{ anchored, fuzzy, orphaned, lost, wrong int }
	var all tally
	byArticle := map[string][]suiteCase{}
	var order []string
	for _, c := range suite {
		if byArticle[c.article] == nil {
			order = append(order, c.article)
		}
		byArticle[c.article] = append(byArticle[c.article], c)
	}
	for _, name := range order {
		cases := byArticle[name]
		old, revised := readRevision(t, name)
		ts := make([]Target, len(cases))
		for i, c := range cases {
			ts[i] = suiteTarget(t, old, c)
		}
		text := NewText(revised)
		results := text.ReanchorAll(ts)
		for i, c := range cases {
			got := results[i]
			if one := text.Reanchor(ts[i]); one.Status != got.Status || !one.Target.Same(got.Target) {
				t.Errorf("%s/%s: ReanchorAll gave %v %+v, Reanchor %v %+v", name, c.name, got.Status, got.Target, one.Status, one.Target)
			}
			start, end, present := truth(t, revised, c)
			switch {
			case got.Status == Orphaned && present:
				all.orphaned++
				all.lost++
			case got.Status == Orphaned:
				all.orphaned++
			case !present || overlap(got.Target.Start, got.Target.End, start, end)*2 < max(end-start, got.Target.End-got.Target.Start):
				all.wrong++
				t.Errorf("%s/%s: WRONG attachment at [%d, %d) %q (score %.3f)", name, c.name,
					got.Target.Start, got.Target.End, got.Target.Exact, got.Score)
			case got.Status == Anchored:
				all.anchored++
			default:
				all.fuzzy++
			}
		}
	}
	t.Logf("%d cases: %d anchored, %d fuzzy, %d orphaned (%d of them passages that still exist, rewritten), %d wrong",
		len(suite), all.anchored, all.fuzzy, all.orphaned, all.lost, all.wrong)
}

func overlap(a0, a1, b0, b1 int) int {
	return max(0, min(a1, b1)-max(a0, b0))
}

// checkResult checks what holds for every result: offsets inside the
// text, Exact the text there, the context recaptured, the score in range,
// and an orphan unchanged.
func checkResult(t testing.TB, text string, old Target, got Result) {
	t.Helper()
	if got.Score < 0 || got.Score > 1 {
		t.Errorf("score %v out of [0, 1]", got.Score)
	}
	if got.Status == Orphaned {
		if !got.Target.Same(old) {
			t.Errorf("orphan's target changed: %+v, was %+v", got.Target, old)
		}
		return
	}
	want, err := Capture(text, got.Target.Start, got.Target.End)
	if err != nil {
		t.Fatalf("%v target %+v: %v", got.Status, got.Target, err)
	}
	if !got.Target.Same(want) {
		t.Errorf("target %+v, want it captured as %+v", got.Target, want)
	}
	if got.Status == Anchored && got.Score != 1 {
		t.Errorf("anchored with score %v, want 1", got.Score)
	}
	same := string(collapse(got.Target.Exact)) == string(collapse(old.Exact))
	if same != (got.Status == Anchored) {
		t.Errorf("status %v, but the quote %q was %q", got.Status, got.Target.Exact, old.Exact)
	}
}
