package formats_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
	"github.com/gloss-notes/gloss/annotations/formats"
	"github.com/gloss-notes/gloss/storage"
)

// updating reports whether the tests run with -update (the flag is declared
// by native_test.go, in the package's internal tests).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares got with the file testdata/name, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			g, w := "<end>", "<end>"
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("output differs from %s (run with -update to accept) at line %d:\ngot  %q\nwant %q", path, i+1, g, w)
				return
			}
		}
	}
}

// The rich fixture: every feature an export must carry.
var (
	richAt       = time.Date(2026, 11, 25, 9, 30, 0, 123_000_000, time.UTC)
	richExported = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
)

const (
	richText1 = "Talks at the café 👍 resumed on Monday.\nThe “ceasefire” held — mostly.\n\n" +
		"Negotiators in Genève agreed on *three* points:\n# not a heading\n1. an exchange of prisoners\n" +
		"2. <b>safe</b> corridors & aid &amp; more\n\nNo agreement on the border. 🇺🇦 flags were everywhere."
	richText2 = "The summit opened in Zürich. Delegates from 12 countries — 日本, Ελλάδα, Україна — attended.\n\n" +
		"Critics said the talks were =SUM(A1:A9) theatre.\n\n@everyone expected a final communiqué on Friday."
	richText3 = "# Method\n\nNothing highlighted yet."
)

func richLabels() annotations.ColorLabels {
	l := maps.Clone(annotations.DefaultColorLabels)
	l[annotations.Blue] = "method & <data>"
	l[annotations.Gray] = "" // no meaning: exports fall back to the colour's name
	return l
}

func id(n int) uuid.UUID {
	return uuid.MustParse("0193a000-0000-7000-8000-" + strings.Repeat("0", 8) + string("0123456789abcdef"[n/16]) + string("0123456789abcdef"[n%16]) + "00")
}

func richArticle(n int, title, source string, format annotations.Format, text string) annotations.Article {
	return annotations.Article{
		ID: id(n), Title: title, Source: source, Format: format, Text: text, Hash: annotations.HashText(text),
		AddedAt: richAt.Add(-time.Hour), UpdatedAt: richAt.Add(-time.Hour),
	}
}

// richBundle holds three articles (a local text file with non-ASCII and
// emoji, a web page, and a Markdown file with no highlights) and nine
// annotations: all eight colours, notes with Markdown and line breaks, tags
// with spaces and accents, fuzzy, orphaned and trashed ones, quotes over
// several lines with Markdown syntax and spreadsheet formulas.
func richBundle(t testing.TB) annotations.Bundle {
	t.Helper()
	a1 := richArticle(1, "Café talks — “ceasefire” 🕊️", "/home/r/Peace talks.txt", annotations.FormatText, richText1)
	a2 := richArticle(2, "Summit opens in Zürich", "https://news.example.org/2026/11/summit?id=7&lang=en", annotations.FormatHTML, richText2)
	a3 := richArticle(3, "Draft: notes on *method*", "notes/draft.md", annotations.FormatMarkdown, richText3)
	a1.Citation = annotations.Citation{Authors: []string{"Olena Kovalenko", "Jean Dupont"}, Year: 2026, DOI: "10.5555/talks.2026"}
	n := 0
	hl := func(art annotations.Article, quote string, c annotations.Color, note string, tags ...string) annotations.Annotation {
		t.Helper()
		n++
		start, end, err := anchor.Find(art.Text, quote, 1)
		if err != nil {
			t.Fatal(err)
		}
		target, err := anchor.Capture(art.Text, start, end)
		if err != nil {
			t.Fatal(err)
		}
		if tags == nil {
			tags = []string{}
		}
		return annotations.Annotation{
			ID: id(0x20 + n), ArticleID: art.ID, Color: c, Note: note, Tags: tags,
			Status: annotations.StatusAnchored, Target: target,
			CreatedAt: richAt.Add(time.Duration(n) * time.Minute), UpdatedAt: richAt.Add(time.Duration(n)*time.Minute + 30*time.Second + 7*time.Millisecond),
		}
	}
	var as []annotations.Annotation
	add := func(a annotations.Annotation) *annotations.Annotation {
		as = append(as, a)
		return &as[len(as)-1]
	}
	add(hl(a1, "café 👍 resumed", annotations.Yellow,
		"Talks **resume** after a year.\n\nSee the [agenda](https://example.org/agenda) — and <ask> Anna & Ben.",
		"peace talks", "Café", "émigrés")).Author = "Zoë Brandt"
	fuzzy := add(hl(a1, "“ceasefire” held", annotations.Red, "", "disputed"))
	fuzzy.Author = "Ana Lima"
	fuzzy.Status, fuzzy.Previous = annotations.StatusFuzzy, "“truce” held"
	add(hl(a1, "*three* points:\n# not a heading\n1. an exchange of prisoners", annotations.Green, "- a list\n- in the note"))
	add(hl(a1, "<b>safe</b> corridors & aid &amp; more", annotations.Blue, ""))
	add(hl(a1, "🇺🇦 flags", annotations.Purple, "A flag is two runes (regional indicators).", "2026", "flags/🇺🇦"))
	orphan := add(hl(a1, "Monday", annotations.Magenta, "Was on page 2; the passage was cut.", "follow-up"))
	orphan.Status = annotations.StatusOrphaned
	orphan.Target = annotations.Target{Start: 500, End: 523, Exact: "a passage since removed", Prefix: "text before ", Suffix: " text after"}
	deleted := richAt.Add(48 * time.Hour)
	add(hl(a2, "Zürich", annotations.Orange, "=1+1 should stay text")).DeletedAt = &deleted
	add(hl(a2, "=SUM(A1:A9) theatre", annotations.Gray, "+ not a formula\n@mention -1", "-minus", "@at"))
	add(hl(a2, "@everyone expected", annotations.Yellow, "", "peace talks"))
	return annotations.Bundle{Articles: []annotations.Article{a1, a2, a3}, Annotations: as}
}

func writeW3C(t testing.TB, b annotations.Bundle) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := formats.WriteW3C(&buf, b, richLabels(), richExported); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRichBundle_RuneOffsets(t *testing.T) {
	b := richBundle(t)
	// "Talks at the " is 13 runes; "café 👍 resumed" 14 runes but 19 bytes.
	if got := b.Annotations[0].Target; got.Start != 13 || got.End != 27 {
		t.Errorf("café 👍 resumed at [%d, %d), want [13, 27)", got.Start, got.End)
	}
	// The flag is two regional indicators: two runes, eight bytes.
	if got := b.Annotations[4].Target; got.End-got.Start != utf8.RuneCountInString("🇺🇦 flags") || got.End-got.Start != 8 {
		t.Errorf("🇺🇦 flags spans %d runes, want 8", got.End-got.Start)
	}
}

func TestWriteW3C_Golden(t *testing.T) {
	golden(t, "w3c/export.golden.json", writeW3C(t, richBundle(t)))
}

func TestWriteW3C_Empty(t *testing.T) {
	out := writeW3C(t, annotations.Bundle{})
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	first := doc["first"].(map[string]any)
	if items, ok := first["items"].([]any); !ok || len(items) != 0 || doc["total"] != 0.0 {
		t.Errorf("empty export: total %v, items %v", doc["total"], first["items"])
	}
}

func TestWriteW3C_MissingArticle(t *testing.T) {
	b := richBundle(t)
	b.Articles = b.Articles[1:]
	if err := formats.WriteW3C(&bytes.Buffer{}, b, nil, richExported); err == nil || !strings.Contains(err.Error(), "not in the export") {
		t.Errorf("error = %v, want one about the missing article", err)
	}
}

// TestWriteW3C_Shape checks the parts of the W3C model the export must
// hold, annotation by annotation, against the bundle.
func TestWriteW3C_Shape(t *testing.T) {
	b := richBundle(t)
	labels := richLabels()
	var doc struct {
		Context   any    `json:"@context"`
		ID        string `json:"id"`
		Type      string `json:"type"`
		Label     string `json:"label"`
		Total     int    `json:"total"`
		Generated string `json:"generated"`
		First     struct {
			ID         string           `json:"id"`
			Type       string           `json:"type"`
			StartIndex *int             `json:"startIndex"`
			Items      []map[string]any `json:"items"`
		} `json:"first"`
	}
	out := writeW3C(t, b)
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Context != "http://www.w3.org/ns/anno.jsonld" || doc.Type != "AnnotationCollection" || doc.Label == "" ||
		!strings.HasPrefix(doc.ID, "urn:uuid:") || doc.Total != len(b.Annotations) || doc.Generated != "2026-11-26T08:00:00.000Z" {
		t.Errorf("collection: @context %v, type %q, label %q, id %q, total %d, generated %q", doc.Context, doc.Type, doc.Label, doc.ID, doc.Total, doc.Generated)
	}
	if doc.First.Type != "AnnotationPage" || doc.First.StartIndex == nil || *doc.First.StartIndex != 0 || !strings.HasPrefix(doc.First.ID, "urn:uuid:") || doc.First.ID == doc.ID {
		t.Errorf("page: type %q, startIndex %v, id %q", doc.First.Type, doc.First.StartIndex, doc.First.ID)
	}
	if len(doc.First.Items) != len(b.Annotations) {
		t.Fatalf("%d items, want %d", len(doc.First.Items), len(b.Annotations))
	}
	texts := map[uuid.UUID]annotations.Article{}
	for _, a := range b.Articles {
		texts[a.ID] = a
	}
	for i, it := range doc.First.Items {
		a := b.Annotations[i]
		t.Run(a.ID.String(), func(t *testing.T) {
			if it["id"] != "urn:uuid:"+a.ID.String() || it["type"] != "Annotation" {
				t.Errorf("id %v, type %v", it["id"], it["type"])
			}
			wantMotivation := "highlighting"
			if a.Note != "" {
				wantMotivation = "commenting"
			}
			if it["motivation"] != wantMotivation {
				t.Errorf("motivation %v, want %s", it["motivation"], wantMotivation)
			}
			for _, k := range []string{"created", "modified"} {
				s, _ := it[k].(string)
				if _, err := time.Parse(time.RFC3339, s); err != nil || !strings.HasSuffix(s, "Z") || len(s) != len("2006-01-02T15:04:05.000Z") {
					t.Errorf("%s %q is not RFC 3339 UTC with milliseconds", k, s)
				}
			}
			if it["created"] != a.CreatedAt.Format("2006-01-02T15:04:05.000Z") {
				t.Errorf("created %v, want %v", it["created"], a.CreatedAt)
			}
			var note string
			var tags []string
			var meaning string
			for _, bv := range it["body"].([]any) {
				body := bv.(map[string]any)
				if body["type"] != "TextualBody" || body["language"] != "und" || body["created"] != it["created"] {
					t.Errorf("body %v: want a TextualBody with language und and the annotation's created time", body)
				}
				switch body["purpose"] {
				case "commenting":
					note = body["value"].(string)
					if body["format"] != "text/markdown" {
						t.Errorf("note format %v", body["format"])
					}
				case "tagging":
					tags = append(tags, body["value"].(string))
				case "classifying":
					meaning = body["value"].(string)
				default:
					t.Errorf("body purpose %v", body["purpose"])
				}
			}
			wantMeaning := labels[a.Color]
			if wantMeaning == "" {
				wantMeaning = string(a.Color)
			}
			if note != a.Note || !slices.Equal(tags, a.Tags) && len(tags)+len(a.Tags) > 0 || meaning != wantMeaning {
				t.Errorf("bodies: note %q, tags %q, meaning %q; want %q, %q, %q", note, tags, meaning, a.Note, a.Tags, wantMeaning)
			}
			target := it["target"].(map[string]any)
			art := texts[a.ArticleID]
			wantSource := "urn:sha256:" + strings.TrimPrefix(art.Hash, "sha256:")
			if strings.HasPrefix(art.Source, "https://") {
				wantSource = art.Source
			}
			// The source is the article: its IRI, title and citation.
			source, _ := target["source"].(map[string]any)
			if source["id"] != wantSource || source["type"] != "Text" || source["dc:title"] != art.Title {
				t.Errorf("source %v, want %s titled %q", target["source"], wantSource, art.Title)
			}
			if creators, _ := source["dc:creator"].([]any); len(creators) != len(art.Authors) {
				t.Errorf("source creators %v, want %q", source["dc:creator"], art.Authors)
			}
			if art.DOI != "" && source["dc:identifier"] != "doi:"+art.DOI || art.Year != 0 && source["dc:date"] != fmt.Sprint(art.Year) {
				t.Errorf("source %v, want DOI %q and year %d", source, art.DOI, art.Year)
			}
			if target["styleClass"] != "gloss-"+string(a.Color) {
				t.Errorf("styleClass %v", target["styleClass"])
			}
			sheet := it["stylesheet"].(map[string]any)
			if sheet["type"] != "CssStylesheet" || !strings.Contains(sheet["value"].(string), ".gloss-"+string(a.Color)+" {") {
				t.Errorf("stylesheet %v", sheet)
			}
			sel := target["selector"].([]any)
			quote, pos := sel[0].(map[string]any), sel[1].(map[string]any)
			if quote["type"] != "TextQuoteSelector" || quote["exact"] != a.Target.Exact || pos["type"] != "TextPositionSelector" {
				t.Errorf("selectors %v", sel)
			}
			start, end := int(pos["start"].(float64)), int(pos["end"].(float64))
			if start != a.Target.Start || end != a.Target.End {
				t.Errorf("position [%d, %d), want [%d, %d)", start, end, a.Target.Start, a.Target.End)
			}
			if a.Status != annotations.StatusOrphaned {
				// Rune offsets: the text at [start, end) is the quote, and
				// prefix and suffix are the text around it.
				runes := []rune(art.Text)
				if got := string(runes[start:end]); got != quote["exact"] {
					t.Errorf("text at [%d, %d) is %q, not the quote %q", start, end, got, quote["exact"])
				}
				if p, _ := quote["prefix"].(string); !strings.HasSuffix(string(runes[:start]), p) {
					t.Errorf("prefix %q does not end the text before the quote", p)
				}
				if s, _ := quote["suffix"].(string); !strings.HasPrefix(string(runes[end:]), s) {
					t.Errorf("suffix %q does not start the text after the quote", s)
				}
			}
			ext := it["gloss"].(map[string]any)
			if ext["status"] != string(a.Status) || ext["article_id"] != a.ArticleID.String() || (ext["deleted_at"] != nil) != a.Trashed() ||
				(ext["previous"] != nil || a.Previous != "") && ext["previous"] != a.Previous {
				t.Errorf("gloss extension %v", ext)
			}
		})
	}
}

// sameAnnotations compares annotations as the W3C format keeps them.
func sameAnnotations(t *testing.T, got, want []annotations.Annotation) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d annotations, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i].Clone(), want[i].Clone()
		if len(g.Tags) == 0 && len(w.Tags) == 0 {
			g.Tags, w.Tags = nil, nil
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("annotation %d:\ngot  %+v\nwant %+v", i, g, w)
		}
	}
}

func TestW3C_RoundTrip(t *testing.T) {
	b := richBundle(t)
	got, err := formats.ReadW3C(writeW3C(t, b))
	if err != nil {
		t.Fatal(err)
	}
	var as []annotations.Annotation
	for i, g := range got {
		as = append(as, g.Annotation)
		want := "urn:sha256:" + strings.TrimPrefix(b.Articles[0].Hash, "sha256:")
		if b.Annotations[i].ArticleID == b.Articles[1].ID {
			want = b.Articles[1].Source
		}
		if g.Source != want {
			t.Errorf("annotation %d: source %q, want %q", i, g.Source, want)
		}
	}
	sameAnnotations(t, as, b.Annotations)
}

// TestW3C_RoundTripThroughLibrary exports a library as W3C, adds the same
// articles to an empty library (they get new IDs) and imports the file
// there, resolving each target's source by URL or text hash as the import
// verb does: the new library holds the same annotations.
func TestW3C_RoundTripThroughLibrary(t *testing.T) {
	b := richBundle(t)
	data := writeW3C(t, b)

	db, err := storage.Open(filepath.Join(t.TempDir(), "library.db"), storage.Options{NoAutoBackup: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := annotations.NewService(db)
	bySource := map[string]uuid.UUID{}
	newID := map[uuid.UUID]uuid.UUID{}
	for _, a := range b.Articles {
		added, _, err := svc.AddArticle(annotations.NewArticle{Title: a.Title, Source: a.Source, Format: a.Format, Text: a.Text})
		if err != nil {
			t.Fatal(err)
		}
		bySource[a.Source] = added.ID
		bySource["urn:sha256:"+strings.TrimPrefix(added.Hash, "sha256:")] = added.ID
		newID[a.ID] = added.ID
	}

	read, err := formats.ReadW3C(data)
	if err != nil {
		t.Fatal(err)
	}
	var in annotations.Bundle
	for _, r := range read {
		a := r.Annotation
		id, ok := bySource[r.Source]
		if !ok {
			t.Fatalf("source %q is in no article", r.Source)
		}
		a.ArticleID = id
		in.Annotations = append(in.Annotations, a)
	}
	rep, err := svc.Import(in)
	if err != nil {
		t.Fatal(err)
	}
	if rep.AnnotationsAdded != len(b.Annotations) || rep.Reanchored != 0 {
		t.Errorf("import: %s", rep)
	}
	out, err := svc.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[uuid.UUID]annotations.Annotation{}
	for _, a := range out.Annotations {
		byID[a.ID] = a
	}
	var got, want []annotations.Annotation
	for _, w := range b.Annotations {
		w.ArticleID = newID[w.ArticleID]
		want = append(want, w)
		got = append(got, byID[w.ID])
	}
	sameAnnotations(t, got, want)
}

func TestReadW3C_OtherTools(t *testing.T) {
	const hypothesisLike = `{
	  "@context": "http://www.w3.org/ns/anno.jsonld",
	  "type": "Annotation",
	  "id": "https://hypothes.is/a/AbC123",
	  "motivation": "commenting",
	  "created": "2024-05-14T11:30:00+02:00",
	  "modified": "2024-05-14T09:41:12.5Z",
	  "body": [
	    {"type": "TextualBody", "value": "Worth *checking*.", "format": "text/markdown"},
	    {"type": "TextualBody", "value": "tides, to verify", "purpose": "tagging"},
	    {"type": "TextualBody", "value": "key claim", "purpose": "classifying"},
	    "https://example.org/linked-body"
	  ],
	  "target": [
	    "https://example.org/whole-page",
	    {"source": {"id": "https://harbour.example.org/low-water.html", "type": "Text"},
	     "selector": [
	       {"type": "RangeSelector"},
	       {"type": "TextQuoteSelector", "exact": "low water at 06:12", "prefix": "` + "0123456789012345678901234567890123456789" + `", "suffix": " and high water"},
	       {"type": "TextPositionSelector", "start": 1408, "end": 1426.0}
	     ]}
	  ]
	}`
	tests := []struct {
		name, in string
		check    func(t *testing.T, got []formats.W3CAnnotation)
	}{
		{"hypothesis-like annotation", hypothesisLike, func(t *testing.T, got []formats.W3CAnnotation) {
			a := got[0].Annotation
			if got[0].Source != "https://harbour.example.org/low-water.html" || a.ArticleID != uuid.Nil {
				t.Errorf("source %q, article %s", got[0].Source, a.ArticleID)
			}
			if a.Note != "Worth *checking*." || !slices.Equal(a.Tags, []string{"tides", "to verify"}) || a.Color != annotations.DefaultColor {
				t.Errorf("note %q, tags %q, colour %s", a.Note, a.Tags, a.Color)
			}
			want := annotations.Target{Start: 1408, End: 1426, Exact: "low water at 06:12", Prefix: "89012345678901234567890123456789", Suffix: " and high water"}
			if !a.Target.Same(want) {
				t.Errorf("target %+v, want %+v (prefix cut to 32 runes)", a.Target, want)
			}
			if !a.CreatedAt.Equal(time.Date(2024, 5, 14, 9, 30, 0, 0, time.UTC)) || a.CreatedAt.Location() != time.UTC ||
				!a.UpdatedAt.Equal(time.Date(2024, 5, 14, 9, 41, 12, 500_000_000, time.UTC)) {
				t.Errorf("created %v, modified %v", a.CreatedAt, a.UpdatedAt)
			}
			if a.ID.Version() != 7 || a.ID.Time() == 0 || a.Status != annotations.StatusAnchored {
				t.Errorf("id %s (version %d), status %s", a.ID, a.ID.Version(), a.Status)
			}
			again, _ := formats.ReadW3C([]byte(hypothesisLike))
			if again[0].Annotation.ID != a.ID {
				t.Errorf("the derived ID changes between reads: %s, %s", a.ID, again[0].Annotation.ID)
			}
		}},
		{"array, oa: terms, bodyValue, position only", `[{"@type": "oa:Annotation", "id": "urn:uuid:0193A000-0000-7000-8000-0000000000AA",
			"bodyValue": "plain note", "target": {"source": "urn:sha256:ab", "selector": {"type": "TextPositionSelector", "start": 3, "end": 9}}}]`,
			func(t *testing.T, got []formats.W3CAnnotation) {
				a := got[0].Annotation
				if a.ID != uuid.MustParse("0193a000-0000-7000-8000-0000000000aa") || a.Note != "plain note" ||
					!a.Target.Same(annotations.Target{Start: 3, End: 9}) || !a.CreatedAt.IsZero() || len(a.Tags) != 0 {
					t.Errorf("got %+v", a)
				}
			}},
		{"page with tagging motivation, quote only, no id", `{"type": "AnnotationPage", "items": [
			{"type": "Annotation", "motivation": "tagging", "body": {"type": "TextualBody", "value": "Tide"},
			 "target": {"source": "https://a.example/", "styleClass": "gloss-purple", "selector": {"type": "TextQuoteSelector", "exact": "tide"}}}]}`,
			func(t *testing.T, got []formats.W3CAnnotation) {
				a := got[0].Annotation
				if a.Note != "" || !slices.Equal(a.Tags, []string{"Tide"}) || a.Color != annotations.Purple || !a.Target.Same(annotations.Target{Exact: "tide"}) || a.ID == uuid.Nil {
					t.Errorf("got %+v", a)
				}
			}},
		{"graph, unknown style class, time without zone", `{"@context": "http://www.w3.org/ns/anno.jsonld", "@graph": [
			{"type": ["Annotation"], "id": "x", "created": "2024-01-02T03:04:05", "target": {"source": "s:1", "styleClass": "gloss-teal",
			 "selector": {"type": "TextQuoteSelector", "exact": "q"}}}]}`,
			func(t *testing.T, got []formats.W3CAnnotation) {
				a := got[0].Annotation
				if a.Color != annotations.DefaultColor || !a.CreatedAt.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) || a.ID.Time() == 0 {
					t.Errorf("got %+v", a)
				}
			}},
		{"collection with embedded next page", `{"type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": [
			{"type": "Annotation", "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "one"}}}],
			"next": {"type": "AnnotationPage", "items": [
			{"type": "Annotation", "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "two"}}}]}}}`,
			func(t *testing.T, got []formats.W3CAnnotation) {
				if len(got) != 2 || got[1].Annotation.Target.Exact != "two" || got[0].Annotation.ID == got[1].Annotation.ID {
					t.Errorf("got %+v", got)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !formats.IsW3C([]byte(tt.in)) && !strings.Contains(tt.name, "graph") {
				t.Errorf("IsW3C is false")
			}
			got, err := formats.ReadW3C([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("nothing read")
			}
			tt.check(t, got)
		})
	}
}

// TestReadW3C_Creator reads the author of an annotation from the shapes a
// creator takes (the Web Annotation model's section 3.3.1, Agents).
func TestReadW3C_Creator(t *testing.T) {
	tests := []struct{ name, creator, want string }{
		{"none", ``, ""},
		{"a Gloss export's", `{"type": "Person", "name": "Zoë Brandt"}`, "Zoë Brandt"},
		{"an anonymous Person", `{"type": "Person"}`, ""},
		{"nickname", `{"type": "Person", "nickname": "zoe"}`, "zoe"},
		{"name before nickname", `{"type": "Person", "nickname": "zoe", "name": "Zoë Brandt"}`, "Zoë Brandt"},
		{"foaf terms", `{"@type": "foaf:Person", "foaf:name": "Ana Lima"}`, "Ana Lima"},
		{"a name as a string", `"Ana Lima"`, "Ana Lima"},
		{"an IRI names no one", `"https://example.org/users/ana"`, ""},
		{"a URN names no one", `"urn:uuid:0193a000-0000-7000-8000-000000000009"`, ""},
		{"an array: the first name", `[{"type": "Person", "id": "https://example.org/u/1"}, {"name": "Ana Lima"}, {"name": "Zoë Brandt"}]`, "Ana Lima"},
		{"an array of IRI and name", `["https://example.org/u/1", "Zoë Brandt"]`, "Zoë Brandt"},
		{"normalised", `{"name": "  Ana \t Lima "}`, "Ana Lima"},
		{"software", `{"type": "Software", "name": "Hypothesis"}`, "Hypothesis"},
		{"a number is no name", `{"name": 42}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creator := ""
			if tt.creator != "" {
				creator = `"creator": ` + tt.creator + `, `
			}
			in := `{"type": "Annotation", ` + creator + `"target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "q"}}}`
			got, err := formats.ReadW3C([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if a := got[0].Annotation.Author; a != tt.want {
				t.Errorf("author %q, want %q", a, tt.want)
			}
		})
	}
	// A name Gloss cannot keep refuses the file, as a bad tag does.
	in := `{"type": "Annotation", "creator": {"name": "` + strings.Repeat("x", annotations.MaxAuthorName+1) + `"}, "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "q"}}}`
	if _, err := formats.ReadW3C([]byte(in)); !errors.Is(err, annotations.ErrInvalidAuthor) || !errors.Is(err, formats.ErrJSON) {
		t.Errorf("a 101-character creator name: %v", err)
	}
}

// TestW3C_AuthorRoundTrip writes annotations with and without an author
// and reads them back: the creator carries the name, and an annotation
// without one stays without.
func TestW3C_AuthorRoundTrip(t *testing.T) {
	b := richBundle(t)
	data := writeW3C(t, b)
	var doc struct {
		First struct {
			Items []struct {
				Creator map[string]any `json:"creator"`
			} `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	got, err := formats.ReadW3C(data)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range b.Annotations {
		want := map[string]any{"type": "Person"}
		if a.Author != "" {
			want["name"] = a.Author
		}
		if c := doc.First.Items[i].Creator; !reflect.DeepEqual(c, want) {
			t.Errorf("annotation %d: creator %v, want %v", i, c, want)
		}
		if got[i].Annotation.Author != a.Author {
			t.Errorf("annotation %d: read back author %q, want %q", i, got[i].Annotation.Author, a.Author)
		}
	}
	if b.Annotations[0].Author == "" || b.Annotations[2].Author != "" {
		t.Fatal("the rich bundle should have annotations with and without an author")
	}
}

func TestReadW3C_Errors(t *testing.T) {
	anno := func(target string) string {
		return `{"type": "Annotation", "id": "urn:uuid:0193a000-0000-7000-8000-000000000001", "target": ` + target + `}`
	}
	sel := func(s string) string { return anno(`{"source": "s:1", "selector": ` + s + `}`) }
	tests := []struct{ name, in, want string }{
		{"empty", "  \n", "empty"},
		{"not JSON", "hello", "line 1, column 1"},
		{"syntax error", "{\n  \"type\": \"Annotation\",,\n}", "line 2, column 24"},
		{"cut short", `{"type": "AnnotationPage", "items": [`, "ends in the middle"},
		{"two values", `{"type": "AnnotationPage", "items": []}` + "\n  {}", "line 2, column 3: more data"},
		{"a number", `42`, "not a W3C Annotation"},
		{"unknown type", `{"type": "Person"}`, "not a W3C Annotation"},
		{"linked page", `{"type": "AnnotationCollection", "first": "https://example.org/page1"}`, "first page is a link"},
		{"no first page", `{"type": "AnnotationCollection", "total": 3}`, "no first page"},
		{"linked next page", `{"type": "AnnotationPage", "items": [], "next": "https://example.org/page2"}`, "links its next page"},
		{"linked item", `{"type": "AnnotationPage", "items": ["https://example.org/anno/1"]}`, "is a link"},
		{"no target", `{"type": "Annotation"}`, "no target"},
		{"no selector", anno(`"https://example.org/page"`), "no TextQuoteSelector or TextPositionSelector"},
		{"other selectors only", sel(`{"type": "FragmentSelector", "value": "page=2"}`), "no TextQuoteSelector"},
		{"empty exact", sel(`{"type": "TextQuoteSelector", "exact": ""}`), "no exact"},
		{"negative start", sel(`{"type": "TextPositionSelector", "start": -1, "end": 2}`), "out of range"},
		{"fractional end", sel(`{"type": "TextPositionSelector", "start": 0, "end": 1.5}`), "not a character offset"},
		{"string start", sel(`{"type": "TextPositionSelector", "start": "0", "end": 1}`), "no numeric start"},
		{"end before start", sel(`{"type": "TextPositionSelector", "start": 5, "end": 2}`), "ends (2) before it starts (5)"},
		{"huge offset", sel(`{"type": "TextPositionSelector", "start": 0, "end": 1e300}`), "not a character offset"},
		{"no source", anno(`{"selector": {"type": "TextQuoteSelector", "exact": "q"}}`), "no source"},
		{"bad created", `{"type": "Annotation", "created": "yesterday", "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "q"}}}`, `created "yesterday" is not a date`},
		{"numeric modified", `{"type": "Annotation", "modified": 5, "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "q"}}}`, "modified is a number"},
		{"bad status", `{"type": "Annotation", "gloss": {"status": "lost"}, "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "q"}}}`, "gloss.status"},
		{"bad article id", `{"type": "Annotation", "gloss": {"article_id": "x"}, "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "q"}}}`, "gloss.article_id"},
		{"tag too long", `{"type": "Annotation", "body": {"purpose": "tagging", "value": "` + strings.Repeat("t", 101) + `"}, "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "q"}}}`, "longer than 100"},
		{"names the annotation", `[{"type": "Annotation", "target": {"source": "s:1", "selector": {"type": "TextQuoteSelector", "exact": "q"}}}, ` + sel(`{"type": "TextQuoteSelector"}`) + `]`, "annotation 2 (\"urn:uuid:0193a000-0000-7000-8000-000000000001\")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := formats.ReadW3C([]byte(tt.in))
			if !errors.Is(err, formats.ErrJSON) {
				t.Fatalf("error = %v, want ErrJSON", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestIsW3C(t *testing.T) {
	var native bytes.Buffer
	if err := formats.WriteNative(&native, richBundle(t), richExported); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"our W3C export", string(writeW3C(t, richBundle(t))), true},
		{"native export", native.String(), false},
		{"one annotation", `{"id": "x", "type": "Annotation"}`, true},
		{"array of annotations", `[{"type": "Annotation"}]`, true},
		{"context in an array", `{"@context": [{"x": "y"}, "http://www.w3.org/ns/anno.jsonld"]}`, true},
		{"oa: type", `{"@type": "oa:Annotation"}`, true},
		{"page", `{"type": "AnnotationPage", "items": []}`, true},
		{"other JSON", `{"name": "x", "type": "Person"}`, false},
		{"empty array", `[]`, false},
		{"invalid JSON", `{"type": `, false},
		{"not JSON", `hello`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formats.IsW3C([]byte(tt.in)); got != tt.want {
				t.Errorf("IsW3C = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzReadW3C(f *testing.F) {
	var buf bytes.Buffer
	b := richBundle(f)
	if err := formats.WriteW3C(&buf, b, richLabels(), richExported); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	b.Annotations = b.Annotations[:1]
	buf.Reset()
	_ = formats.WriteW3C(&buf, b, nil, richExported)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		formats.IsW3C(data)
		got, err := formats.ReadW3C(data)
		if err != nil {
			if !errors.Is(err, formats.ErrJSON) {
				t.Fatalf("error %v is not ErrJSON", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		for _, r := range got {
			a := r.Annotation
			if !a.Color.Valid() || !a.Status.Valid() {
				t.Fatalf("colour %q, status %q", a.Color, a.Status)
			}
			if a.Target.Start < 0 || a.Target.End < a.Target.Start {
				t.Fatalf("offsets [%d, %d)", a.Target.Start, a.Target.End)
			}
			if a.Target.Exact == "" && a.Target.End == a.Target.Start {
				t.Fatalf("neither a quote nor a position: %+v", a.Target)
			}
			if a.ID == uuid.Nil || r.Source == "" {
				t.Fatalf("id %s, source %q", a.ID, r.Source)
			}
			if utf8.RuneCountInString(a.Target.Prefix) > anchor.ContextRunes || utf8.RuneCountInString(a.Target.Suffix) > anchor.ContextRunes {
				t.Fatalf("prefix or suffix longer than %d runes", anchor.ContextRunes)
			}
			if _, err := annotations.NormalizeTags(a.Tags); err != nil {
				t.Fatalf("tags %q: %v", a.Tags, err)
			}
		}
	})
}
