package formats

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gloss-notes/gloss/annotations"
)

// marked reads a test string in which "{" marks where a range starts and
// "}" where one ends: it returns the string without them, and the marks'
// byte offsets and whether each ends a range.
func marked(s string) (string, []int, []bool) {
	var b strings.Builder
	var at []int
	var end []bool
	for _, r := range s {
		switch r {
		case '{', '}':
			at = append(at, b.Len())
			end = append(end, r == '}')
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), at, end
}

func TestCleanWritten(t *testing.T) {
	tests := []struct {
		name string
		raw  string // what a textWriter wrote, with marks
		text string // the article's text
		want []int  // the marks in the text, in runes
	}{
		{"clean already", "{a} {b}", "a b", []int{0, 1, 2, 3}},
		{"runes, not bytes", "{été} {ü}", "été ü", []int{0, 3, 4, 5}},
		{"white space ending a line", "{a  }\n{b}", "a\nb", []int{0, 1, 2, 3}},
		{"an end inside white space ending a line", "{a }  \n{b}", "a\nb", []int{0, 1, 2, 3}},
		{"blank lines collapsed", "{a}\n\n\n\n{b}", "a\n\nb", []int{0, 1, 3, 4}},
		{"a start in blank lines goes to the next text", "a\n{\n\n b}", "a\n\n b", []int{3, 5}},
		{"a spacer paragraph is empty", "{a}\n\n{\u00a0}\n\n{b}", "a\n\nb", []int{0, 1, 3, 1, 3, 4}},
		{"a blank line of spaces before an indented item", "A\n\n \n\n{  1. x}", "A\n\n  1. x", []int{3, 9}},
		{"leading blank lines", "\n \n{ x}", " x", []int{0, 2}},
		{"trailing blank lines", "{x}\n\n  {}", "x", []int{0, 1, 1, 1}},
		{"only white space", " {\n} ", "", []int{0, 0}},
		{"controls removed", "a\x01{b\u0085c}", "ab\nc", []int{1, 4}},
		{"form feed and vertical tab are line breaks", "{a}\f{b}\v{c}", "a\nb\nc", []int{0, 1, 2, 3, 4, 5}},
		{"CR LF and CR", "{a}\r\n{b}\r{c}", "a\nb\nc", []int{0, 1, 2, 3, 4, 5}},
		{"a byte order mark at the start", "\uFEFF{a}", "a", []int{0, 1}},
		{"a byte order mark elsewhere stays", "{a}\uFEFF{b}", "a\uFEFFb", []int{0, 1, 2, 3}},
		{"composed (NFC)", "{Cafe\u0301} {x}", "Café x", []int{0, 4, 5, 6}},
		{"a range ending inside a composed letter covers it", "{Cafe}\u0301", "Café", []int{0, 4}},
		{"a range starting inside a composed letter covers it", "e{\u0301x}", "éx", []int{0, 2}},
		{"a control between a letter and its mark", "{e}\x01{\u0301}", "é", []int{0, 1, 0, 1}},
		{"a joiner breaks up a long run of marks", "{a" + strings.Repeat("\u0301", 31) + "}{b}", "á" + strings.Repeat("\u0301", 29) + "\u034F\u0301b", []int{0, 32, 32, 33}},
		{"Hangul jamo composed", "{\u1100\u1161}{b}", "가b", []int{0, 1, 1, 2}},
		{"everything at once", "\r\n\uFEFF{x}\x02 \r\n\r\n\r\n{  e\u0301}\t\n", "\uFEFFx\n\n  é", []int{1, 2, 4, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, at, end := marked(tt.raw)
			text, m := cleanWritten(raw)
			if text != tt.text || text != tidyLines(cleanText(raw)) {
				t.Fatalf("text %q, want %q (and tidyLines(cleanText(raw)) = %q)", text, tt.text, tidyLines(cleanText(raw)))
			}
			if m == nil {
				t.Fatal("no map")
			}
			got := make([]int, len(at))
			for i := range at {
				got[i] = utf8.RuneCountInString(text[:m.offset(at[i], end[i])])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("marks at %v, want %v", got, tt.want)
			}
		})
	}
	// Invalid UTF-8 is replaced by NormalizeText, which is not followed.
	if text, m := cleanWritten("a\xffb"); m != nil || text != tidyLines(cleanText("a\xffb")) {
		t.Errorf("invalid UTF-8: %q, %v", text, m)
	}
}

// FuzzCleanWritten checks cleanWritten on any text: it gives exactly
// tidyLines(cleanText(raw)); it follows the cleaning of every valid
// UTF-8 text; offsets land on rune boundaries of the text, in order; and
// every ASCII letter or digit is found where its offset says.
func FuzzCleanWritten(f *testing.F) {
	for _, s := range []string{
		"a b", "a  \nb", "a\n\n\n\nb", " \n\u00a0\n x", "e\x01\u0301", "a\r\nb\rc", "\uFEFFa", "x\f\vy\u0085z",
		"Cafe\u0301\n\n\t\n  1. item  \n", "\u1100\u1161\u11a8", "a" + strings.Repeat("\u0301", 40) + "b", "\u2000 \u3000x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		text, m := cleanWritten(raw)
		if want := tidyLines(cleanText(raw)); text != want {
			t.Fatalf("cleanWritten(%q) = %q, want %q", raw, text, want)
		}
		if m == nil {
			if utf8.ValidString(raw) {
				t.Fatalf("cleanWritten(%q) did not follow the cleaning", raw)
			}
			return
		}
		prev := [2]int{}
		for p := 0; p <= len(raw); p++ {
			if p < len(raw) && !utf8.RuneStart(raw[p]) {
				continue
			}
			for i, end := range []bool{false, true} {
				q := m.offset(p, end)
				if q < 0 || q > len(text) || q < len(text) && !utf8.RuneStart(text[q]) {
					t.Fatalf("%q → %q: offset %d (end %v) maps to %d, not a rune boundary", raw, text, p, end, q)
				}
				if q < prev[i] {
					t.Fatalf("%q → %q: offset %d (end %v) maps to %d, before %d", raw, text, p, end, q, prev[i])
				}
				prev[i] = q
			}
			// A letter or digit not composed with what follows is kept:
			// a range over it covers it.
			if p+1 <= len(raw)-1 && isASCIIAlnum(raw[p]) && (raw[p+1] == '\n' || raw[p+1] == '\t' || raw[p+1] >= ' ' && raw[p+1] < 0x7F) ||
				p == len(raw)-1 && isASCIIAlnum(raw[p]) {
				s, e := m.offset(p, false), m.offset(p+1, true)
				if e != s+1 || text[s] != raw[p] {
					t.Fatalf("%q → %q: %q at %d maps to %d–%d", raw, text, raw[p], p, s, e)
				}
			}
		}
	})
}

func isASCIIAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// entries lists a structure's blocks and spans, each as its kind, level,
// the text it covers and what else it says, in the order of the
// structure, after checking that the structure fits the text.
func entries(t *testing.T, text string, s *annotations.Structure) []string {
	t.Helper()
	if s == nil {
		return nil
	}
	runes := []rune(text)
	if err := s.Check(len(runes)); err != nil {
		t.Fatalf("the structure does not fit the text: %v", err)
	}
	var out []string
	for _, b := range s.Blocks {
		out = append(out, fmt.Sprintf("%s %d %q", b.Kind, b.Level, string(runes[b.Start:b.End])))
	}
	for _, sp := range s.Spans {
		e := fmt.Sprintf("%s %q", sp.Kind, string(runes[sp.Start:sp.End]))
		if sp.Href != "" {
			e += " → " + sp.Href
		}
		if sp.Kind == annotations.SpanImage {
			e += fmt.Sprintf(" at %d alt %q", sp.Start, sp.Alt)
		}
		out = append(out, e)
	}
	return out
}

// Small pages, read whole: each kind of element, and the edge cases of
// where a range starts and ends.
func TestReadArticle_HTMLStructure(t *testing.T) {
	tests := []struct {
		name string
		html string
		text string
		want []string
	}{
		{
			name: "headings and paragraphs",
			html: "<h1>Title</h1>Loose<h2>Part <em>one</em></h2><p>Body.</p><h6>Small</h6>",
			text: "Title\n\nLoose\n\nPart one\n\nBody.\n\nSmall",
			want: []string{`heading 1 "Title"`, `heading 2 "Part one"`, `paragraph 0 "Body."`, `heading 6 "Small"`, `emphasis "one"`},
		},
		{
			name: "inline kinds",
			html: "<p><em>em</em> <i>i</i> <cite>cite</cite> <dfn>dfn</dfn> <strong>strong</strong> <b>b</b> <code>code</code> <kbd>kbd</kbd> <samp>samp</samp> <tt>tt</tt> <a href='https://example.org/a?b=1#c'>link</a> <u>u</u> <span>span</span></p>",
			text: "em i cite dfn strong b code kbd samp tt link u span",
			want: []string{`paragraph 0 "em i cite dfn strong b code kbd samp tt link u span"`,
				`emphasis "em"`, `emphasis "i"`, `emphasis "cite"`, `emphasis "dfn"`, `strong "strong"`, `strong "b"`,
				`code "code"`, `code "kbd"`, `code "samp"`, `code "tt"`, `link "link" → https://example.org/a?b=1#c`},
		},
		{
			name: "white space inside an element is not its text",
			html: "<p>a <b> bold words </b> z</p>",
			text: "a bold words z",
			want: []string{`paragraph 0 "a bold words z"`, `strong "bold words"`},
		},
		{
			name: "spans nest and overlap",
			html: "<p><a href=x>a <b>bold <i>both</i></b></a><i> after</i></p>",
			text: "a bold both after",
			want: []string{`paragraph 0 "a bold both after"`, `link "a bold both" → x`, `strong "bold both"`, `emphasis "both"`, `emphasis "after"`},
		},
		{
			name: "list items with their markers and nesting",
			html: "<ul><li>outer<ol start=3><li>inner <code>x</code></li><li><p>para</p></li></ol></li><li>last</li></ul>",
			text: "• outer\n\n  3. inner x\n\n  4. para\n\n• last",
			want: []string{`item 1 "• outer\n\n  3. inner x\n\n  4. para"`, `item 2 "  3. inner x"`, `item 2 "  4. para"`,
				`paragraph 0 "para"`, `item 1 "• last"`, `code "x"`},
		},
		{
			name: "a span starting a list item starts after its marker",
			html: "<ol><li><a href=/a>first</a> thing</li></ol>",
			text: "1. first thing",
			want: []string{`item 1 "1. first thing"`, `link "first" → /a`},
		},
		{
			name: "quotes nest",
			html: "<blockquote><p>outer</p><blockquote>inner</blockquote></blockquote><p>after</p>",
			text: "outer\n\ninner\n\nafter",
			want: []string{`quote 1 "outer\n\ninner"`, `paragraph 0 "outer"`, `quote 2 "inner"`, `paragraph 0 "after"`},
		},
		{
			name: "code blocks keep their lines; code in them is no span",
			html: "<p>Run:</p><pre><code>go  test  \n\n\n  ./...</code></pre><listing>old</listing>",
			text: "Run:\n\ngo  test\n\n  ./...\n\nold",
			want: []string{`paragraph 0 "Run:"`, `code 0 "go  test\n\n  ./..."`, `code 0 "old"`},
		},
		{
			name: "tables: caption and rows",
			html: "<table><caption>Scores</caption><tr><th>Name<th>Score<tr><td><b>Ana</b><td>9</table>",
			text: "Scores\n\nName\tScore\n\nAna\t9",
			want: []string{`caption 0 "Scores"`, `row 0 "Name\tScore"`, `row 0 "Ana\t9"`, `strong "Ana"`},
		},
		{
			name: "images: where the next text starts, or glued to the text before",
			html: `<figure><img src="a.png" alt=" A  chart&#10;of tides "><figcaption>Tides</figcaption></figure><p>x<img src=b.png>y <img alt="only alt"> z</p><p><picture><source srcset=c.webp><img src=c.jpg alt=c></picture>end</p><img src=last.png>`,
			text: "Tides\n\nxy z\n\nend",
			want: []string{`caption 0 "Tides"`, `paragraph 0 "xy z"`, `paragraph 0 "end"`,
				`image "" → a.png at 0 alt "A chart of tides"`, `image "" → b.png at 8 alt ""`, `image "" at 10 alt "only alt"`,
				`image "" → c.jpg at 13 alt "c"`, `image "" → last.png at 16 alt ""`},
		},
		{
			name: "what is not shown or not followed is not kept",
			html: `<p>a<b></b><em> </em><a href="javascript:alert(1)">js</a> <a href=" Java&#9;Script:x">js2</a> <a href="data:text/html,x">data</a> <a>no href</a> <a href="  ">blank</a> <span hidden><b>hidden</b></span><img src=x hidden><img></p><p>&nbsp;</p><p>b</p>`,
			text: "a js js2 data no href blank\n\nb",
			want: []string{`paragraph 0 "a js js2 data no href blank"`, `paragraph 0 "b"`},
		},
		{
			name: "an address too long to keep",
			html: `<p><a href="/` + strings.Repeat("x", annotations.MaxHrefBytes) + `">long</a> <img src="data:image/png;base64,` + strings.Repeat("A", annotations.MaxHrefBytes) + `" alt="inline">x</p>`,
			text: "long x",
			want: []string{`paragraph 0 "long x"`, `image "" at 5 alt "inline"`},
		},
		{
			name: "ranges follow the cleaning of the text",
			html: "<p>Cafe\u0301 <i>e\u0301t\u0301e</i>&nbsp;</p><p>&nbsp;</p><pre>\n\n  code  \n\n\n</pre><p>a\x01<b>b</b></p>",
			text: "Café ét\u0301e\n\n  code\n\nab",
			want: []string{"paragraph 0 \"Café ét\u0301e\"", `code 0 "  code"`, `paragraph 0 "ab"`, "emphasis \"ét\u0301e\"", `strong "b"`},
		},
		{
			name: "plain text has no structure",
			html: "just <span>text</span><div>in a div</div>",
			text: "just text\n\nin a div",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle("page.html", []byte(tt.html))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != tt.text {
				t.Fatalf("text %q, want %q", doc.Text, tt.text)
			}
			if got := entries(t, doc.Text, doc.Structure); !slices.Equal(got, tt.want) {
				t.Errorf("structure:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// checkWhole checks that each block of s is whole lines of text (but
// for the marker of the list item it is in) with no white space ending
// it, and that no span outside a code block starts or ends with white
// space (in one, white space is text): each covers what a reader sees of
// its element and nothing of what is around it. (A no-break space is
// text: one inside an element is part of it unless it ends a line.)
func checkWhole(t *testing.T, text string, s *annotations.Structure) {
	t.Helper()
	runes := []rune(text)
	for _, b := range s.Blocks {
		line := string(runes[:b.Start])
		line = line[strings.LastIndexByte(line, '\n')+1:]
		before := line == "" || listMarker.MatchString(line)
		after := b.End == len(runes) || runes[b.End] == '\n'
		covered := string(runes[b.Start:b.End])
		if !before || !after || strings.TrimRightFunc(covered, unicode.IsSpace) != covered || covered[0] == '\n' {
			t.Errorf("%s block %q is not whole lines of text", b.Kind, covered)
		}
	}
	for _, sp := range s.Spans {
		covered := string(runes[sp.Start:sp.End])
		inCode := slices.ContainsFunc(s.Blocks, func(b annotations.Block) bool {
			return b.Kind == annotations.BlockCode && b.Start <= sp.Start && sp.End <= b.End
		})
		if !inCode && strings.Trim(covered, "\n \t") != covered {
			t.Errorf("%s span %q starts or ends with white space", sp.Kind, covered)
		}
	}
}

var listMarker = regexp.MustCompile(`^ *(•|[0-9]+\.) $`)

// byKind lists the entries of one kind, as entries writes them.
func byKind(all []string, kind string) []string {
	var out []string
	for _, e := range all {
		if strings.HasPrefix(e, kind+" ") {
			out = append(out, e)
		}
	}
	return out
}

// The saved pages of testdata: what a reader sees of each article (the
// part readability keeps, which is what Gloss reads: not the page's
// title heading, menus, sidebars or footer), counted by hand from the
// HTML.
func TestReadArticle_HTMLStructureSamples(t *testing.T) {
	type want struct {
		headings, items, links, emphasis, strong, code []string
		other                                          []string // quotes, code blocks, captions, rows, images
		paragraphs                                     int
	}
	tests := []struct {
		file string
		want want
	}{
		{
			file: "wiki-salt-marsh.html",
			want: want{
				headings: []string{`heading 2 "Formation"`, `heading 3 "Creeks"`, `heading 2 "Ecology"`},
				items: []string{
					`item 1 "• the pioneer zone, flooded by almost every tide;"`,
					`item 1 "• the low marsh, where Puccinellia grasses dominate;"`,
					`item 1 "• the high marsh, flooded only by the highest spring tides."`,
				},
				links: []string{
					`link "Essex" → /wiki/Essex`, `link "ecosystem" → /wiki/Ecosystem`, `link "intertidal zone" → /wiki/Intertidal_zone`,
					`link "brackish water" → /wiki/Brackish_water`, `link "tides" → /wiki/Tide`, `link "[1]" → #cite_note-1`,
					`link "herbs" → /wiki/Herb`, `link "grasses" → /wiki/Poaceae`, `link "shrubs" → /wiki/Shrub`,
					`link "food web" → /wiki/Food_web`, `link "coastal protection" → /wiki/Coastal_protection`,
					`link "Spartina alterniflora" → /wiki/Spartina_alterniflora`, `link "silt" → /wiki/Silt`,
					`link "United Kingdom" → /wiki/United_Kingdom`, `link "Netherlands" → /wiki/Netherlands`,
				},
				emphasis: []string{`emphasis "Spartina alterniflora"`, `emphasis "Salicornia"`, `emphasis "Puccinellia"`},
				strong:   []string{`strong "salt marsh"`, `strong "coastal salt marsh"`, `strong "tidal marsh"`},
				other: []string{
					`caption 0 "A salt marsh in Essex at low tide"`, `caption 0 "Area of salt marsh by country"`,
					`row 0 "Country\tArea (km²)"`, `row 0 "United Kingdom\t450"`, `row 0 "Netherlands\t94"`,
					// At the start of its caption, the text after it.
					`image "" → //upload.example.org/thumb/Salt_marsh_at_low_tide.jpg/250px-Salt_marsh_at_low_tide.jpg at 39 alt "Grasses and muddy creeks at low tide"`,
				},
				paragraphs: 6,
			},
		},
		{
			file: "news-harbour.html",
			want: want{
				headings: []string{`heading 2 "A cleaner river"`},
				links: []string{
					`link "Priya Natarajan" → /profile/priya-natarajan`,
					`link "Estuary Wildlife Trust" → https://www.example.org/estuary-trust`,
					`link "a twenty-year clean-up" → /environment/2019/mar/04/estuary-clean-up`,
				},
				emphasis: []string{`emphasis "fish"`},
				strong:   []string{`strong "37 seals"`, `strong "100 metres"`},
				other: []string{
					`caption 0 "Seals on the sandbank near the old pier on Sunday. Photograph: Tom Evans/The Coastal Herald"`,
					// At the start of its caption, the text after it.
					`image "" → https://i.herald.example.com/2024/06/seals-sandbank.jpg at 318 alt "Seals resting on a sandbank at low tide"`,
				},
				paragraphs: 7,
			},
		},
		{
			file: "blog-profiling.html",
			want: want{
				headings: []string{`heading 2 "Taking a profile"`, `heading 2 "The culprit"`},
				items: []string{
					`item 1 "• keep the pprof endpoint enabled in production, bound to localhost;"`,
					`item 1 "• take profiles before the service is in trouble, to have a baseline;"`,
					`item 1 "• look at inuse_space and alloc_space separately."`,
				},
				links: []string{
					`link "net/http/pprof" → https://pkg.go.dev/net/http/pprof`,
					`link "a good introduction to pprof" → https://jvns.ca/blog/2017/09/24/profiling-go-with-pprof/`,
				},
				emphasis: []string{`emphasis "before"`},
				strong:   []string{`strong "leak"`, `strong "Memory has been flat for a week since."`},
				code: []string{`code "(*batcher).add"`, `code "b.docs = b.docs[:0]"`, `code "nil"`,
					`code "inuse_space"`, `code "alloc_space"`},
				other: []string{
					`quote 1 "Reslicing to zero length does not free anything: the array stays as large as it ever was, and so do the values it references."`,
					"code 0 \"import _ \\\"net/http/pprof\\\"\\n\\nfunc main() {\\n\\tgo http.ListenAndServe(\\\"localhost:6060\\\", nil)\\n\\t// …\\n}\"",
					`code 0 "go tool pprof -top http://localhost:6060/debug/pprof/heap"`,
				},
				paragraphs: 7,
			},
		},
		{
			file: "docs-configuration.html",
			want: want{
				// Sphinx puts a "¶" link to each section in its heading.
				headings: []string{`heading 2 "File layout¶"`, `heading 2 "An example¶"`, `heading 3 "Checking a file¶"`},
				items: []string{
					`item 1 "• [station] names the tide gauge and where it is:\n\n  • id, the gauge’s code, for example \"PLY-01\";\n\n  • latitude and longitude, in decimal degrees."`,
					`item 2 "  • id, the gauge’s code, for example \"PLY-01\";"`,
					`item 2 "  • latitude and longitude, in decimal degrees."`,
					`item 1 "• [sampling] sets how often readings are taken."`,
					`item 1 "• [output] chooses where readings go."`,
					`item 1 "1. unknown keys, with the line they are on;"`,
					`item 1 "2. values of the wrong type."`,
				},
				links: []string{`link "¶" → #file-layout`, `link "reference" → reference.html#defaults`, `link "¶" → #an-example`, `link "¶" → #checking-a-file`},
				code: []string{`code "tidewater.toml"`, `code "TIDEWATER_HOME"`, `code "[station]"`, `code "id"`, `code "\"PLY-01\""`,
					`code "latitude"`, `code "longitude"`, `code "[sampling]"`, `code "[output]"`, `code "tidewater check"`, `code "\"90s\""`, `code "\"2h\""`},
				other:      []string{`code 0 "[station]\nid = \"PLY-01\"\n\n[sampling]\ninterval = \"10m\""`},
				paragraphs: 13,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := readFile(t, tt.file)
			if doc.Structure == nil {
				t.Fatal("no structure")
			}
			all := entries(t, doc.Text, doc.Structure)
			checkWhole(t, doc.Text, doc.Structure)
			var other []string
			for _, kind := range []string{"quote", "code 0", "caption", "row", "image"} {
				other = append(other, byKind(all, kind)...)
			}
			var code []string
			for _, e := range byKind(all, "code") {
				if !strings.HasPrefix(e, "code 0 ") {
					code = append(code, e)
				}
			}
			for _, c := range []struct {
				what      string
				got, want []string
			}{
				{"headings", byKind(all, "heading"), tt.want.headings},
				{"list items", byKind(all, "item"), tt.want.items},
				{"links", byKind(all, "link"), tt.want.links},
				{"emphasis", byKind(all, "emphasis"), tt.want.emphasis},
				{"strong", byKind(all, "strong"), tt.want.strong},
				{"code spans", code, tt.want.code},
				{"quotes, code blocks, captions, rows and images", other, tt.want.other},
			} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s:\n got %q\nwant %q", c.what, c.got, c.want)
				}
			}
			if n := len(byKind(all, "paragraph")); n != tt.want.paragraphs {
				t.Errorf("%d paragraphs, want %d", n, tt.want.paragraphs)
			}
			// The images of these pages are in figures: each is where
			// its caption starts.
			for _, sp := range doc.Structure.Spans {
				if sp.Kind == annotations.SpanImage && !slices.ContainsFunc(doc.Structure.Blocks, func(b annotations.Block) bool {
					return b.Kind == annotations.BlockCaption && b.Start == sp.Start
				}) {
					t.Errorf("the image %s is not at the start of a caption", sp.Href)
				}
			}
		})
	}
}

func TestReadArticle_MarkdownStructure(t *testing.T) {
	const source = "---\ntitle: Tide tables\n---\n" +
		"# Tide *tables*\n\n" +
		"Read the **high** and *low* water times, or run `tides --today`; see [the almanac](https://example.org/almanac \"Almanac\").\n\n" +
		"## Steps\n\n" +
		"1. Find the port\n" +
		"2. Add the offset:\n" +
		"   - minutes for *neaps*\n" +
		"   - minutes for springs\n\n" +
		"> Never trust a single table.\n>\n> > Or a single tide.\n\n" +
		"```go\nfunc high() int {\n\treturn 6\n}\n```\n\n" +
		"![A tide gauge](gauge.jpg) Gauge at <https://example.org/gauge>.\n"
	doc, err := ReadArticle("tides.md", []byte(source))
	if err != nil {
		t.Fatal(err)
	}
	wantText := "Tide tables\n\n" +
		"Read the high and low water times, or run tides --today; see the almanac.\n\n" +
		"Steps\n\n" +
		"1. Find the port\n\n2. Add the offset:\n\n  • minutes for neaps\n\n  • minutes for springs\n\n" +
		"Never trust a single table.\n\nOr a single tide.\n\n" +
		"func high() int {\n\treturn 6\n}\n\n" +
		"Gauge at https://example.org/gauge."
	if doc.Text != wantText {
		t.Fatalf("text:\n got %q\nwant %q", doc.Text, wantText)
	}
	want := []string{
		`heading 1 "Tide tables"`,
		`paragraph 0 "Read the high and low water times, or run tides --today; see the almanac."`,
		`heading 2 "Steps"`,
		`item 1 "1. Find the port"`,
		`item 1 "2. Add the offset:\n\n  • minutes for neaps\n\n  • minutes for springs"`,
		`item 2 "  • minutes for neaps"`,
		`item 2 "  • minutes for springs"`,
		`quote 1 "Never trust a single table.\n\nOr a single tide."`,
		`paragraph 0 "Never trust a single table."`,
		`quote 2 "Or a single tide."`,
		`paragraph 0 "Or a single tide."`,
		"code 0 \"func high() int {\\n\\treturn 6\\n}\"",
		`paragraph 0 "Gauge at https://example.org/gauge."`,
		`emphasis "tables"`,
		`strong "high"`,
		`emphasis "low"`,
		`code "tides --today"`,
		`link "the almanac" → https://example.org/almanac`,
		`emphasis "neaps"`,
		fmt.Sprintf(`image "" → gauge.jpg at %d alt "A tide gauge"`, utf8.RuneCountInString(wantText[:strings.Index(wantText, "Gauge at")])),
		`link "https://example.org/gauge" → https://example.org/gauge`,
	}
	if got := entries(t, doc.Text, doc.Structure); !slices.Equal(got, want) {
		t.Errorf("structure:\n got %q\nwant %q", got, want)
	}
	checkWhole(t, doc.Text, doc.Structure)

	// Kept as written (too large to render): no structure.
	big := "# Big\n\n" + strings.Repeat("Some *text* here.\n\n", maxRenderedMarkdown/18)
	if doc, err := ReadArticle("big.md", []byte(big)); err != nil || doc.Structure != nil || !strings.HasPrefix(doc.Text, "# Big") {
		t.Errorf("a Markdown file kept as written: structure %v, %v", doc.Structure != nil, err)
	}
}

func TestReadArticle_EPUBStructure(t *testing.T) {
	doc, err := ReadArticle("reef.epub", goodEPUB(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`chapter 1 "One\n\nCorals bleach when the sea is warm."`,
		`heading 1 "One"`,
		`paragraph 0 "Corals bleach when the sea is warm."`,
		`chapter 1 "Two\n\nThey recover when it cools."`,
		`heading 1 "Two"`,
		`paragraph 0 "They recover when it cools."`,
		`emphasis "warm"`,
	}
	if got := entries(t, doc.Text, doc.Structure); !slices.Equal(got, want) {
		t.Errorf("structure:\n got %q\nwant %q", got, want)
	}

	// The sample book: a chapter block over each chapter, starting with
	// its heading, and the chapters' own structure moved along with them.
	doc = readFile(t, "paper.epub")
	all := entries(t, doc.Text, doc.Structure)
	checkWhole(t, doc.Text, doc.Structure)
	var chapters []string
	runes := []rune(doc.Text)
	for _, b := range doc.Structure.Blocks {
		if b.Kind == annotations.BlockChapter {
			first, _, _ := strings.Cut(string(runes[b.Start:b.End]), "\n")
			chapters = append(chapters, first)
		}
	}
	wantChapters := []string{"Fine-Grained Annotation of Scientific PDFs", "Fine-Grained Annotation of Scientific PDFs",
		"Introduction", "Related Work", "Method", "Evaluation", "Discussion"}
	if !slices.Equal(chapters, wantChapters) {
		t.Errorf("chapters start with %q, want %q", chapters, wantChapters)
	}
	wantSpans := []string{`emphasis "emphasis"`, `strong "bold"`, `link "link" → #x`}
	var spans []string
	for _, kind := range []string{"emphasis", "strong", "link"} {
		spans = append(spans, byKind(all, kind)...)
	}
	if !slices.Equal(spans, wantSpans) {
		t.Errorf("spans %q, want %q", spans, wantSpans)
	}
	if n := len(byKind(all, "heading")); n != 7 {
		t.Errorf("%d headings, want 7", n)
	}

	// A chapter that starts with a byte order mark, which the book's
	// cleaning removes: the offsets would not fit, so no structure.
	bom := goodEPUB(t, map[string]string{"OEBPS/text/ch1.xhtml": "<html><body><pre>\n\n&#xFEFF;One</pre></body></html>"})
	if doc, err := ReadArticle("b.epub", bom); err != nil || doc.Structure != nil || !strings.HasPrefix(doc.Text, "One\n\nTwo") {
		t.Errorf("a book whose cleaning changes its text: %q, structure %v, %v", doc.Text, doc.Structure != nil, err)
	}
}

// Text files and PDFs have no structure.
func TestReadArticle_NoStructure(t *testing.T) {
	for _, name := range []string{"plain-utf8.txt", "bom-crlf.txt", "two-column-paper.pdf"} {
		if doc := readFile(t, name); doc.Structure != nil {
			t.Errorf("%s has a structure", name)
		}
	}
	if doc, err := ReadArticle("a.txt", []byte("<h1>Not HTML</h1>\n\n*not Markdown*")); err != nil || doc.Structure != nil {
		t.Errorf("a text file: %v, %v", doc.Structure, err)
	}
}

// A fetched page's relative addresses are made absolute against the
// page's address (without the password in it), and nothing is fetched.
func TestFetchArticle_Structure(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<article><h1>Reef</h1><p>See <a href="../maps/reef.html">the map</a>, <a href="#notes">the notes</a>,
<a href="//cdn.example.org/x">the CDN</a> or <a href="mailto:a@example.org">write</a>.<img src="img/reef.jpg" alt="reef"></p></article>`)
	}))
	defer srv.Close()
	page := strings.Replace(srv.URL, "http://", "http://me:secret@", 1) + "/news/2024/reef"
	doc, _, err := FetchArticle(context.Background(), srv.Client(), page)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`heading 1 "Reef"`,
		`paragraph 0 "See the map, the notes, the CDN or write."`,
		`link "the map" → ` + srv.URL + `/news/maps/reef.html`,
		`link "the notes" → ` + srv.URL + `/news/2024/reef#notes`,
		`link "the CDN" → http://cdn.example.org/x`,
		`link "write" → mailto:a@example.org`,
		`image "" → ` + srv.URL + `/news/2024/img/reef.jpg at 47 alt "reef"`,
	}
	if got := entries(t, doc.Text, doc.Structure); !slices.Equal(got, want) {
		t.Errorf("structure:\n got %q\nwant %q", got, want)
	}
	if requests != 1 {
		t.Errorf("%d requests", requests)
	}
}

// Past annotations.MaxStructureEntries nothing more is recorded and
// there is no structure (the text is kept); a book's chapters together
// are bounded too.
func TestStructureTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds structures of a million entries")
	}
	root, err := parseHTML("<p>a <b>b</b></p>")
	if err != nil {
		t.Fatal(err)
	}
	r := &structureRecorder{blocks: make([]annotations.Block, annotations.MaxStructureEntries)}
	r.enter(findElement(root, atom.P), false, 0, false)
	if !r.full || len(r.blocks)+len(r.spans) != annotations.MaxStructureEntries {
		t.Fatalf("recorded past the bound: full %v, %d entries", r.full, len(r.blocks)+len(r.spans))
	}
	if s := r.structure(0, "", &textMap{}); s != nil {
		t.Error("a structure past the bound")
	}

	book := &annotations.Structure{Blocks: make([]annotations.Block, annotations.MaxStructureEntries-1)}
	if book = addChapter(book, nil, 0, 10); book == nil || len(book.Blocks) != annotations.MaxStructureEntries {
		t.Fatal("a chapter within the bound was not added")
	}
	if book = addChapter(book, &annotations.Structure{}, 10, 10); book != nil {
		t.Error("a chapter past the bound was added")
	}
	if book = addChapter(book, nil, 20, 10); book != nil {
		t.Error("a book past the bound has a structure again")
	}
}

// BenchmarkTextAndStructure and BenchmarkTextOf read the same long page
// (that of BenchmarkReadArticleHTML, whole) with and without its
// structure: the difference is what the structure costs.
func BenchmarkTextAndStructure(b *testing.B) {
	benchmarkText(b, func(n *html.Node) { textAndStructure(n) })
}

func BenchmarkTextOf(b *testing.B) {
	benchmarkText(b, func(n *html.Node) { textOf(n) })
}

func benchmarkText(b *testing.B, read func(*html.Node)) {
	root, err := parseHTML(generatePage(1 << 20))
	if err != nil {
		b.Fatal(err)
	}
	body := findElement(root, atom.Body)
	b.ReportAllocs()
	for b.Loop() {
		read(body)
	}
}

// randomPage writes a page of random but well-formed markup: blocks
// (paragraphs, headings, quotes, lists, preformatted text, tables)
// holding inline elements (emphasis, links, code, images, line breaks)
// and text with white space, entities and controls.
func randomPage(rng *rand.Rand) string {
	var b strings.Builder
	words := []string{"word", "x", "été", " ", "  ", "\n", "\t", "&nbsp;", "&amp;", "a\x01b", "\u00ad", "&#12;", "\r\n", "🦭"}
	text := func() {
		for range 1 + rng.IntN(4) {
			b.WriteString(words[rng.IntN(len(words))])
		}
	}
	var inline func(depth int, inLink bool)
	inline = func(depth int, inLink bool) {
		for range rng.IntN(4) {
			switch k := rng.IntN(12); {
			case k < 4 || depth > 3:
				text()
			case k == 4:
				b.WriteString("<br>")
			case k == 5:
				fmt.Fprintf(&b, `<img src="i%d.png" alt="pic">`, rng.IntN(9))
			case k == 6 && !inLink:
				fmt.Fprintf(&b, `<a href="/p%d">`, rng.IntN(9))
				inline(depth+1, true)
				b.WriteString("</a>")
			default:
				tag := []string{"b", "i", "em", "strong", "code", "span", "cite", "kbd"}[rng.IntN(8)]
				hide := ""
				if rng.IntN(10) == 0 {
					hide = " hidden"
				}
				fmt.Fprintf(&b, "<%s%s>", tag, hide)
				inline(depth+1, inLink)
				fmt.Fprintf(&b, "</%s>", tag)
			}
		}
	}
	var block func(depth int)
	block = func(depth int) {
		for range 1 + rng.IntN(4) {
			switch k := rng.IntN(9); {
			case k < 3 || depth > 3:
				b.WriteString("<p>")
				inline(0, false)
				b.WriteString("</p>")
			case k == 3:
				h := 1 + rng.IntN(6)
				fmt.Fprintf(&b, "<h%d>", h)
				inline(0, false)
				fmt.Fprintf(&b, "</h%d>", h)
			case k == 4:
				b.WriteString("<blockquote>")
				for range 1 + rng.IntN(2) {
					if rng.IntN(3) == 0 {
						b.WriteString("<blockquote><p>")
						inline(0, false)
						b.WriteString("</p></blockquote>")
					} else {
						b.WriteString("<p>")
						inline(0, false)
						b.WriteString("</p>")
					}
				}
				b.WriteString("</blockquote>")
			case k == 5 || k == 6:
				list := []string{"ul", "ol"}[rng.IntN(2)]
				fmt.Fprintf(&b, "<%s>", list)
				for range 1 + rng.IntN(3) {
					b.WriteString("<li>")
					if rng.IntN(2) == 0 {
						inline(0, false)
					} else {
						block(depth + 1)
					}
					b.WriteString("</li>")
				}
				fmt.Fprintf(&b, "</%s>", list)
			case k == 7:
				b.WriteString("<pre>")
				inline(0, false)
				b.WriteString("</pre>")
			default:
				b.WriteString("<table><caption>")
				inline(0, false)
				b.WriteString("</caption>")
				for range 1 + rng.IntN(2) {
					b.WriteString("<tr><td>")
					inline(0, false)
					b.WriteString("<td>")
					inline(0, false)
					b.WriteString("</tr>")
				}
				b.WriteString("</table>")
			}
		}
	}
	b.WriteString("<!DOCTYPE html><body>")
	block(0)
	return b.String()
}

// checkVisibleText checks, on a random page read whole, that each
// heading, paragraph, quote, link, emphasis, strong and code span covers
// exactly the visible text of its element: what textOf makes of that
// element alone. The two are compared as lists per kind (the structure
// does not say which element an entry came from). Elements whose text
// depends on what is around them are only counted: those in
// preformatted text, and those holding lists, tables or preformatted
// text (whose markers and indentation depend on the lists around).
func checkVisibleText(t *testing.T, page string) {
	root, err := parseHTML(page)
	if err != nil {
		t.Fatal(err)
	}
	body := findElement(root, atom.Body)
	text, s := textAndStructure(body)
	if text != textOf(body) {
		t.Fatalf("the text differs from textOf's")
	}
	kindOf := func(n *html.Node) string {
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			return "heading " + strconv.Itoa(headingLevel(n.DataAtom))
		case atom.P:
			return "paragraph 0"
		case atom.A:
			return "link"
		case atom.Em, atom.I, atom.Cite, atom.Dfn:
			return "emphasis"
		case atom.B, atom.Strong:
			return "strong"
		case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
			return "code"
		}
		return ""
	}
	contextual := func(n *html.Node) bool {
		return findElement(n, atom.Li) != nil || findElement(n, atom.Pre) != nil || findElement(n, atom.Table) != nil
	}
	want := map[string][]string{}
	unknown := map[string]int{}
	blank := map[string]int{} // elements whose text alone is only white space
	pre := 0
	walk(body, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return false
		}
		if skipped[n.DataAtom] || hidden(n) {
			return false
		}
		if n.DataAtom == atom.Pre {
			pre++
		}
		kind := kindOf(n)
		if kind == "" || kind == "code" && pre > 0 {
			return true
		}
		if n.DataAtom == atom.Blockquote || pre > 0 || contextual(n) {
			unknown[kind]++
		} else if covered := textOf(n); covered != "" {
			want[kind] = append(want[kind], fmt.Sprintf("%q", covered))
		} else {
			blank[kind]++
		}
		return true
	}, func(n *html.Node) {
		if n.DataAtom == atom.Pre {
			pre--
		}
	})
	if s == nil {
		for kind, w := range want {
			if len(w) > 0 || unknown[kind] > 0 {
				t.Fatalf("no structure, but %d elements with text\npage %q", len(w)+unknown[kind], page)
			}
		}
		return
	}
	checkWhole(t, text, s)
	got := map[string][]string{}
	for _, e := range entries(t, text, s) {
		if strings.HasPrefix(e, "code 0 ") {
			continue // a code block, not a code span
		}
		for kind := range want {
			if rest, ok := strings.CutPrefix(e, kind+" "); ok {
				rest, _, _ = strings.Cut(rest, " → ")
				got[kind] = append(got[kind], rest)
			}
		}
		for kind := range unknown {
			if _, ok := want[kind]; !ok && strings.HasPrefix(e, kind+" ") {
				got[kind] = append(got[kind], "?")
			}
		}
	}
	// Compared without the white space at either end: an element's text
	// read alone ends its only line, which loses the no-break spaces
	// ending it (checkWhole checks the ends).
	trim := func(q string) string {
		s, err := strconv.Unquote(q)
		if err != nil {
			return q
		}
		return strings.TrimFunc(s, unicode.IsSpace)
	}
	for kind, w := range want {
		g := slices.Clone(got[kind])
		missing := 0
		for _, e := range w {
			if i := slices.IndexFunc(g, func(q string) bool { return trim(q) == trim(e) }); i >= 0 {
				g = slices.Delete(g, i, i+1)
			} else {
				missing++
			}
		}
		// What is left is of the elements only counted, and of those
		// whose only text is a no-break space within a line.
		g = slices.DeleteFunc(g, func(q string) bool {
			if trim(q) == "" && blank[kind] > 0 {
				blank[kind]--
				return true
			}
			return false
		})
		if missing > 0 || len(g) > unknown[kind] {
			t.Fatalf("%s: got %q, want %q and %d more\npage %q\ntext %q", kind, got[kind], w, unknown[kind], page, text)
		}
	}
}

func TestHTMLStructure_VisibleText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range 1000 {
		checkVisibleText(t, randomPage(rng))
	}
}

func FuzzHTMLStructure(f *testing.F) {
	for i := range uint64(8) {
		f.Add(i, i*31)
	}
	f.Fuzz(func(t *testing.T, a, b uint64) {
		checkVisibleText(t, randomPage(rand.New(rand.NewPCG(a, b))))
	})
}
