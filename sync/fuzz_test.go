package sync

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"path"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// FuzzMergeSegment gives a library segments of any content from another
// device: a segment is outside input (anyone with write access to the
// remote can put one there). Whatever it holds, the sync must not panic;
// a segment that is not merged leaves the library exactly as it was; one
// that is leaves a library that passes the check.
//
//	go test -run '^$' -fuzz FuzzMergeSegment ./sync/
func FuzzMergeSegment(f *testing.F) {
	seed := func(s Segment) {
		raw, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	other := uuid.MustParse("01900000-0000-7000-8000-000000000001")
	art := uuid.MustParse("01900000-0000-7000-8000-0000000000a1")
	ann := uuid.MustParse("01900000-0000-7000-8000-0000000000b1")
	stamp := annotations.Stamp{Clock: annotations.ClockFor(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), Device: other}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	text := "Coral reefs bleach when the water warms."
	seed(Segment{Format: FormatVersion, Device: other, Seq: 1, Records: []Record{
		{Kind: "labels", Stamp: stamp, Labels: annotations.ColorLabels{"red": "doubt"}},
		{Kind: "article", ID: art, Stamp: stamp, TextStamp: &stamp, Article: &annotations.Article{ID: art, Title: "Reefs", Format: annotations.FormatText, Text: text, AddedAt: at, UpdatedAt: at}},
		{Kind: "annotation", ID: ann, Stamp: stamp, Annotation: &annotations.Annotation{ID: ann, ArticleID: art, Color: "yellow", Status: annotations.StatusAnchored, Tags: []string{"t"},
			Target: annotations.Target{Start: 0, End: 5, Exact: "Coral"}, CreatedAt: at, UpdatedAt: at}},
	}})
	seed(Segment{Format: FormatVersion, Device: other, Seq: 1, Records: []Record{
		{Kind: "annotation", ID: ann, Stamp: annotations.Stamp{Clock: stamp.Clock + 1, Device: other, Deleted: true}},
		{Kind: "article", ID: art, Stamp: annotations.Stamp{Clock: stamp.Clock + 1, Device: other, Deleted: true}, Into: &ann},
	}})
	f.Fuzz(func(t *testing.T, raw []byte) {
		mergeFuzzed(t, raw)
	})
}

// mergeFuzzed merges one fuzzed segment into a fresh library that holds
// one article and highlight of its own.
func mergeFuzzed(t *testing.T, raw []byte) {
	other := uuid.MustParse("01900000-0000-7000-8000-000000000001")
	rem := newMemRemote()
	d := newDevice(t, rem, "fuzz")
	mine := d.addArticle("Mine", "A text of this device, with words to highlight.")
	d.highlight(mine, "words", "kept")
	d.mustSync()
	// The fuzzer's segment, of the library and device the path says.
	var seg map[string]any
	if json.Unmarshal(raw, &seg) == nil && seg != nil {
		seg["library"] = d.sync.Library().String()
		seg["device"] = other.String()
		raw, _ = json.Marshal(seg)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	file := gz.Bytes()
	rem.put(path.Join(root, d.sync.Library().String(), other.String(), SegmentName(1, file)), file)
	before := d.export()
	rep, err := d.sync.Sync(nil)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if rep.Merged == 0 && d.export() != before {
		t.Fatalf("a segment not merged (%v) changed the library", rep.Problems)
	}
	d.check()
}
