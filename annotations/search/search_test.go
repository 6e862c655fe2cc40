package search

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// The fixture: a few annotations on three articles, each there to be found
// (or not) by one of the quality cases.
var (
	artTalks = uuid.MustParse("0193a000-0000-7000-8000-000000000001")
	artTrade = uuid.MustParse("0193a000-0000-7000-8000-000000000002")
	artLake  = uuid.MustParse("0193a000-0000-7000-8000-000000000003")

	fixtureTitles = map[uuid.UUID]string{
		artTalks: "Peace Talks Resume",
		artTrade: "Trade and Tariffs",
		artLake:  "Evenings by the Lake",
	}
)

func fid(n int) uuid.UUID {
	return uuid.MustParse(fmt.Sprintf("0193b000-0000-7000-8000-%012d", n))
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func fixture() []annotations.Annotation {
	ann := func(n int, art uuid.UUID, quote, note string, tags []string, color annotations.Color, status annotations.Status) annotations.Annotation {
		return annotations.Annotation{
			ID: fid(n), ArticleID: art, Color: color, Note: note, Tags: tags, Status: status,
			Target:    annotations.Target{Start: n * 100, End: n*100 + len([]rune(quote)), Exact: quote},
			CreatedAt: t0.Add(time.Duration(n) * time.Hour), UpdatedAt: t0.Add(time.Duration(n) * time.Hour),
		}
	}
	by := func(a annotations.Annotation, author string) annotations.Annotation {
		a.Author = author
		return a
	}
	deleted := t0.Add(99 * time.Hour)
	trashed := by(ann(9, artTalks, "A consensus that was thrown away.", "", nil, annotations.Yellow, annotations.StatusAnchored), "Ana Lima")
	trashed.DeletedAt = &deleted
	return []annotations.Annotation{
		by(ann(1, artTalks, "Negotiators reached a consensus on the ceasefire.", "Key turning point.", []string{"diplomacy"}, annotations.Yellow, annotations.StatusAnchored), "Ana Lima"),
		by(ann(2, artTrade, "The transaction costs of tariffs fall on consumers.", "", []string{"economics", "Method"}, annotations.Red, annotations.StatusFuzzy), "Zoë Brandt"),
		ann(3, artLake, "We met at the café near the lake.", "Cafe culture again, see Zürich.", []string{"places"}, annotations.Green, annotations.StatusOrphaned),
		by(ann(4, artTalks, "The talks resumed on Friday.", "See the negotiations timeline.", []string{"timeline", "peace talks"}, annotations.Blue, annotations.StatusAnchored), "Ana Lima"),
		ann(5, artTrade, "Prices rose sharply in the spring.", "A long note that wanders: the smell was mentholated and sweet, the stalls were crowded, the prices were written in chalk, and nobody could say why the market had moved so far so fast.", nil, annotations.Red, annotations.StatusAnchored),
		by(ann(6, artLake, "The LAKE froze early that year.", "", nil, annotations.Purple, annotations.StatusAnchored), "Anabel Sousa"),
		trashed,
	}
}

func fixtureIndex(t testing.TB) *Index {
	t.Helper()
	return Build(fixture(), fixtureTitles, nil)
}

// ids returns the fixture numbers of hits (the last field of the ID).
func ids(hits []Hit) []int {
	out := make([]int, len(hits))
	for i, h := range hits {
		fmt.Sscanf(h.ID.String()[24:], "%d", &out[i])
	}
	return out
}

func search(t *testing.T, ix *Index, q string) []Hit {
	t.Helper()
	hits, err := ix.Search(q, 0)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return hits
}

func TestSearch_Quality(t *testing.T) {
	ix := fixtureIndex(t)
	tests := []struct {
		name  string
		query string
		want  []int // fixture numbers, in rank order
	}{
		{"exact word", "ceasefire", []int{1}},
		{"typo", "consesus", []int{1}},
		{"typo, transposition", "cosnensus", []int{1}},
		{"abbreviation", "trnsctn", []int{2}},
		{"accent folded in the query", "café", []int{3}},
		{"accent folded in the text", "cafe", []int{3}},
		{"accent both ways, capitals", "ZURICH", []int{3}},
		{"case", "CONSENSUS", []int{1}},
		{"case in the text", "lake", []int{6, 3}},
		{"prefix while typing", "negot", []int{1, 4}},
		{"prefix of two letters", "ne", []int{3, 1, 4}},
		{"one letter matches whole words only", "a", []int{1, 5}},
		{"two words, AND", "talks friday", []int{4}},
		{"AND across fields", "transaction method", []int{2}},
		{"AND with the title", "consensus peace", []int{1}},
		{"AND that nothing meets", "consensus friday", []int{}},
		{"phrase", `"talks resumed"`, []int{4}},
		{"phrase in the wrong order", `"resumed talks"`, []int{}},
		{"phrase across a full stop is still adjacent", `"ceasefire key"`, []int{}},
		{"phrase in a tag", `"peace talks"`, []int{4, 1}},
		{"phrase with words", `"talks resumed" friday`, []int{4}},
		{"one-word phrase is exact", `"negot"`, []int{}},
		{"trashed annotations are not indexed", "thrown", []int{}},
		{"unknown word", "xylophone", []int{}},
		{"tag", "tag:method", []int{2}},
		{"tag, any case, with words", "tag:METHOD costs", []int{2}},
		{"tag with a space", `tag:"peace talks"`, []int{4}},
		{"not tag", "the -tag:method", []int{6, 5, 4, 3, 1}},
		{"colour", "color:red", []int{5, 2}},
		{"colour by key", "color:2 prices", []int{5}},
		{"not colour", "-color:red -color:green", []int{6, 4, 1}},
		{"is:orphan", "is:orphan", []int{3}},
		{"is:fuzzy", "is:fuzzy", []int{2}},
		{"has:note", "has:note the", []int{5, 4, 3, 1}},
		{"-has:note", "-has:note", []int{6, 2}},
		{"article", "article:trade", []int{5, 2}},
		{"article, two words", `article:"peace res"`, []int{4, 1}},
		{"article by ID", "article:" + artLake.String(), []int{6, 3}},
		{"not article", "the -article:lake", []int{5, 4, 2, 1}},
		{"not word", "the -friday", []int{6, 5, 3, 2, 1}},
		{"author, as typed: names beginning so", "author:ana", []int{6, 4, 1}},
		{"author quoted: that name alone", `author:"ana lima"`, []int{4, 1}},
		{"author, any case and spacing", `author:"ANA   LIMA"`, []int{4, 1}},
		{"author, accents folded in the query", "author:Zoë", []int{2}},
		{"author, accents folded in the name", "author:zoe", []int{2}},
		{"author with words", `author:"zoe brandt" transaction`, []int{2}},
		{"author and tag", "author:ana tag:diplomacy", []int{1}},
		{"author begins the name, not a later word", "author:lima", []int{}},
		{"author nobody", "author:nobody", []int{}},
		{"two authors: both must match", `author:ana author:"anabel sousa"`, []int{6}},
		{"not author", `-author:"ana lima"`, []int{6, 5, 3, 2}},
		{"not author is exact", "the -author:ana", []int{6, 5, 4, 3, 2, 1}},
		{"not author, any case and accents", `the -author:"ZOE brandt"`, []int{6, 5, 4, 3, 1}},
		{"author is not a word of the text", "lima", []int{}},
		{"author is not a tag", "tag:ana", []int{}},
		{"empty query: everything by recency", "", []int{6, 5, 4, 3, 2, 1}},
		{"qualifiers combined", "color:red has:note article:trade", []int{5}},
		{"ranking: tag above a subsequence in a long note", "method", []int{2, 5}},
		{"ranking: quote above note", "negotiations", []int{4, 1}},
		{"ranking: exact above typo", "prices", []int{5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(search(t, ix, tt.query))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestSearch_Matches(t *testing.T) {
	ix := fixtureIndex(t)
	type m = map[string][][2]int
	tests := []struct {
		query string
		want  map[int]m // fixture number → matches
	}{
		{"consesus", map[int]m{1: {"quote": {{22, 31}}}}},
		{"negot", map[int]m{1: {"quote": {{0, 5}}}, 4: {"note": {{8, 13}}}}},
		{"cafe", map[int]m{3: {"quote": {{14, 18}}, "note": {{0, 4}}}}},
		{"zurich", map[int]m{3: {"note": {{24, 30}}}}},
		{`"talks resumed"`, map[int]m{4: {"quote": {{4, 17}}}}},
		{"tag:method", map[int]m{2: {"tags": {{11, 17}}}}},
		{`"peace talks"`, map[int]m{4: {"tags": {{10, 21}}, "title": {{0, 11}}}, 1: {"title": {{0, 11}}}}},
		{"article:trade prices", map[int]m{5: {"quote": {{0, 6}}, "note": {{92, 98}}, "title": {{0, 5}}}}},
		{"color:red -has:note", map[int]m{2: {}}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits := search(t, ix, tt.query)
			if len(hits) != len(tt.want) {
				t.Fatalf("%d hits %v, want %d", len(hits), ids(hits), len(tt.want))
			}
			for i, h := range hits {
				n := ids(hits)[i]
				if want, ok := tt.want[n]; !ok || !reflect.DeepEqual(h.Matches, map[string][][2]int(want)) {
					t.Errorf("hit %d matches %v, want %v", n, h.Matches, want)
				}
			}
		})
	}
}

// TestSearch_MatchOffsets checks rune offsets where runes and bytes, or
// folded and original runes, differ.
func TestSearch_MatchOffsets(t *testing.T) {
	texts := []string{
		"🙂 consensus reached",    // a rune of four bytes first
		"the cafe\u0301 is open", // é as e + combining acute
		"Straße und Weg",         // ß folds to ss
		"ﬁnal answer",            // a ligature folds to two letters
		"We discussed the TRANSACTION costs",
	}
	var as []annotations.Annotation
	for i, text := range texts {
		as = append(as, annotations.Annotation{ID: fid(i + 1), ArticleID: artTalks, Target: annotations.Target{Exact: text}})
	}
	ix := Build(as, nil, nil)
	tests := []struct {
		query string
		doc   int
		want  [][2]int
	}{
		{"consensus", 1, [][2]int{{2, 11}}},
		{"conse", 1, [][2]int{{2, 7}}},
		{"café", 2, [][2]int{{4, 9}}},
		{"cafe", 2, [][2]int{{4, 9}}},
		{"strasse", 3, [][2]int{{0, 6}}},
		{"stras", 3, [][2]int{{0, 5}}},
		{"final", 4, [][2]int{{0, 4}}},
		{"fin", 4, [][2]int{{0, 2}}},
		{"trnsctn", 5, [][2]int{{17, 19}, {20, 22}, {23, 25}, {27, 28}}}, // T R . N S . C T . . N
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits := search(t, ix, tt.query)
			if len(hits) != 1 || ids(hits)[0] != tt.doc {
				t.Fatalf("hits %v, want [%d]", ids(hits), tt.doc)
			}
			if got := hits[0].Matches["quote"]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("quote matches %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearch_TagPrefix(t *testing.T) {
	ix := fixtureIndex(t)
	ids := func(q string) []uuid.UUID {
		t.Helper()
		hits, err := ix.Search(q, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []uuid.UUID
		for _, h := range hits {
			out = append(out, h.ID)
		}
		slices.SortFunc(out, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
		return out
	}
	tests := []struct {
		q    string
		want []uuid.UUID
	}{
		{"tag:eco", []uuid.UUID{fid(2)}},           // economics, as it is typed
		{"tag:p", []uuid.UUID{fid(3), fid(4)}},     // places, peace talks
		{`tag:"eco"`, nil},                         // quoted: that tag alone
		{`tag:"peace talks"`, []uuid.UUID{fid(4)}}, // exact still works
		{"tag:diplomacy", []uuid.UUID{fid(1)}},     // a whole tag
		{"tag:p -tag:places", []uuid.UUID{fid(4)}}, // -tag: stays exact
		{"tag:pea tag:tim", []uuid.UUID{fid(4)}},   // every one must match
		{"tag:zzz", nil},
	}
	for _, tt := range tests {
		if got := ids(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.q, got, tt.want)
		}
	}
	// The matched tag is marked in the hit.
	hits, _ := ix.Search("tag:eco", 0)
	if len(hits) != 1 || !reflect.DeepEqual(hits[0].Matches["tags"], [][2]int{{0, 9}}) {
		t.Errorf("tag ranges %+v", hits)
	}
}
