package sync

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/sync/remote"
)

const article1 = "Coral reefs bleach when the water warms. The algae leave the coral, and the coral starves unless the water cools within weeks."

func TestSync_SecondDeviceGetsEverything(t *testing.T) {
	rem := newMemRemote()
	a := newDevice(t, rem, "a")
	art := a.addArticle("Reefs", article1)
	h := a.highlight(art, "the water warms", "key claim")
	if err := a.svc.SetColorLabel(annotations.Color("yellow"), "claim"); err != nil {
		t.Fatal(err)
	}
	rep := a.mustSync()
	if rep.Sent != 3 || rep.Segments != 1 {
		t.Fatalf("first sync sent %d records in %d segments, want 3 in 1 (article, annotation, labels)", rep.Sent, rep.Segments)
	}
	b := newDevice(t, rem, "b")
	rep = b.mustSync()
	if rep.Applied != 3 || rep.Merged != 1 {
		t.Fatalf("b merged %d records from %d segments, want 3 from 1", rep.Applied, rep.Merged)
	}
	if got := b.note(h); got != "key claim" {
		t.Fatalf("b's note = %q", got)
	}
	converged(t, a, b)
	// Nothing to do: nothing sent, nothing merged, no new file.
	before := len(rem.segments())
	if rep := a.mustSync(); rep.Sent+rep.Applied+rep.Merged != 0 {
		t.Fatalf("an idle sync did %+v", rep)
	}
	if after := len(rem.segments()); after != before {
		t.Fatalf("an idle sync wrote %d files", after-before)
	}
}

func TestSync_ConcurrentEditsLaterWins(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	art := a.addArticle("Reefs", article1)
	h := a.highlight(art, "the water warms", "first")
	converged(t, a, b)
	if _, err := a.svc.Edit(h, annotations.Change{Note: ptr("a's note")}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	if _, err := b.svc.Edit(h, annotations.Change{Note: ptr("b's note")}); err != nil {
		t.Fatal(err)
	}
	// a syncs first and b after: b's edit, made later, wins on both.
	converged(t, a, b)
	if got := a.note(h); got != "b's note" {
		t.Fatalf("a has %q, want the later edit", got)
	}
}

func TestSync_ClockSkewFollowsWhatWasSeen(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	a.skew = 5 * time.Hour // a's clock is hours ahead
	art := a.addArticle("Reefs", article1)
	h := a.highlight(art, "the water warms", "a, from the future")
	converged(t, a, b)
	// b edits after seeing a's change: its clock has moved past a's, so
	// its edit wins although its wall clock is five hours behind.
	if _, err := b.svc.Edit(h, annotations.Change{Note: ptr("b, later")}); err != nil {
		t.Fatal(err)
	}
	converged(t, a, b)
	if got := a.note(h); got != "b, later" {
		t.Fatalf("a has %q: the edit made after seeing a's lost to it", got)
	}
}

func TestSync_DeleteAgainstEdit(t *testing.T) {
	rem := newMemRemote()
	a, b, c := newDevice(t, rem, "a"), newDevice(t, rem, "b"), newDevice(t, rem, "c")
	art := a.addArticle("Reefs", article1)
	gone := a.highlight(art, "the water warms", "")
	kept := a.highlight(art, "the coral starves", "")
	converged(t, a, b, c)
	// a deletes both for good; b edits one of them afterwards.
	if _, err := a.svc.SetTrashed([]uuid.UUID{gone, kept}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.EmptyTrash(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	if _, err := b.svc.Edit(kept, annotations.Change{Note: ptr("still needed")}); err != nil {
		t.Fatal(err)
	}
	converged(t, c, b, a)
	if _, err := a.svc.Annotation(gone); !errors.Is(err, annotations.ErrNotFound) {
		t.Fatalf("the deleted highlight: %v", err)
	}
	if got := a.note(kept); got != "still needed" {
		t.Fatalf("the edit made after the delete: note %q", got)
	}
}

func TestSync_ArticleDeletedForGoodTakesNewHighlights(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	art := a.addArticle("Reefs", article1)
	a.highlight(art, "the water warms", "")
	converged(t, a, b)
	if _, err := a.svc.TrashArticle(art); err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.EmptyTrash(); err != nil {
		t.Fatal(err)
	}
	late := b.highlight(art, "the coral starves", "made while a deleted it")
	converged(t, b, a)
	for _, d := range []*device{a, b} {
		if _, err := d.svc.Article(art); !errors.Is(err, annotations.ErrNotFound) {
			t.Fatalf("%s still has the article: %v", d.name, err)
		}
		if _, err := d.svc.Annotation(late); !errors.Is(err, annotations.ErrNotFound) {
			t.Fatalf("%s still has the highlight on it: %v", d.name, err)
		}
	}
}

func TestSync_SameTextAddedTwiceIsOneArticle(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	artA := a.addArticle("Reefs (a)", article1)
	artB := b.addArticle("Reefs (b)", article1)
	ha := a.highlight(artA, "the water warms", "a's")
	hb := b.highlight(artB, "the coral starves", "b's")
	converged(t, a, b)
	arts, err := a.svc.Articles()
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 {
		t.Fatalf("%d articles, want 1", len(arts))
	}
	keep := min(artA.String(), artB.String())
	for _, h := range []uuid.UUID{ha, hb} {
		got, err := b.svc.Annotation(h)
		if err != nil {
			t.Fatal(err)
		}
		if got.ArticleID.String() != keep || got.Trashed() {
			t.Fatalf("highlight %q on %s (trashed %v), want on %s", got.Target.Exact, got.ArticleID, got.Trashed(), keep)
		}
	}
}

func TestSync_RevisionReanchorsTheOthersHighlights(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	art := a.addArticle("Reefs", article1)
	converged(t, a, b)
	// b highlights on the text it has while a revises it.
	h := b.highlight(art, "the coral starves", "")
	revised := "Preface added here. " + article1
	if _, err := a.svc.UpdateArticle(art, annotations.NewArticle{Title: "Reefs", Format: annotations.FormatText, Text: revised}); err != nil {
		t.Fatal(err)
	}
	converged(t, a, b)
	got, err := a.svc.Annotation(h)
	if err != nil {
		t.Fatal(err)
	}
	text := []rune(revised)
	if string(text[got.Target.Start:got.Target.End]) != "the coral starves" || got.Status != annotations.StatusAnchored {
		t.Fatalf("b's highlight on the revised text: %d–%d %q, %s", got.Target.Start, got.Target.End, string(text[got.Target.Start:got.Target.End]), got.Status)
	}
}

func TestSync_RemoteFailsMidPushAndMidPull(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	art := a.addArticle("Reefs", article1)
	h := a.highlight(art, "the water warms", "kept")
	rem.failCreate = func(string) error { return errDropped }
	if _, err := a.sync.Sync(nil); !errors.Is(err, remote.ErrUnreachable) {
		t.Fatalf("push with the remote gone: %v", err)
	}
	if st, err := ReadStatus(a.svc); err != nil || st.Pending != 4 || !strings.Contains(st.Problem, "unreachable") {
		t.Fatalf("after a failed push: %+v, %v; want 4 pending (article, text, annotation, labels) and the problem named", st, err)
	}
	rem.failCreate = nil
	a.mustSync()
	rem.failRead = func(string) error { return errDropped }
	if _, err := b.sync.Sync(nil); !errors.Is(err, remote.ErrUnreachable) {
		t.Fatalf("pull with the remote gone: %v", err)
	}
	rem.failRead = nil
	converged(t, a, b)
	if got := b.note(h); got != "kept" {
		t.Fatalf("b after the faults: %q", got)
	}
}

func TestSync_BadSegmentsAreLeftAndTheRestMerged(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	art := a.addArticle("Reefs", article1)
	h := a.highlight(art, "the water warms", "good")
	a.mustSync()
	// Another device's folder holds a half-copied segment, one from a
	// newer Gloss, and a damaged one.
	other := uuid.Must(uuid.NewV7())
	dir := path.Join(root, b.sync.Library().String(), other.String())
	whole, err := EncodeSegment(Segment{Format: FormatVersion, Library: b.sync.Library(), Device: other, Seq: 1,
		Records: []Record{{Kind: "labels", Stamp: annotations.Stamp{Clock: annotations.ClockFor(time.Now()), Device: other}, Labels: annotations.ColorLabels{"red": "wrong"}}}})
	if err != nil {
		t.Fatal(err)
	}
	name := SegmentName(1, whole)
	rem.put(path.Join(dir, name), whole[:len(whole)/2])
	newer, _ := EncodeSegment(Segment{Format: FormatVersion + 1, Library: b.sync.Library(), Device: other, Seq: 2})
	rem.put(path.Join(dir, SegmentName(2, newer)), newer)
	junk := []byte("not a segment at all")
	rem.put(path.Join(dir, SegmentName(3, junk)), junk)

	rep := b.mustSync()
	if len(rep.Problems) != 3 {
		t.Fatalf("problems %q, want the three bad segments named", rep.Problems)
	}
	for i, want := range []string{"incomplete", "newer version of Gloss", "not gzip"} {
		if !strings.Contains(rep.Problems[i], want) {
			t.Errorf("problem %d = %q, want it to say %q", i+1, rep.Problems[i], want)
		}
	}
	if got := b.note(h); got != "good" {
		t.Fatalf("the good segment was not merged: %q", got)
	}
	// The copy completes: merged at the next sync.
	rem.put(path.Join(dir, name), whole)
	rep = b.mustSync()
	if len(rep.Problems) != 2 || rep.Merged != 1 {
		t.Fatalf("after the copy completed: %+v", rep)
	}
	labels, _ := b.svc.ColorLabels()
	if labels["red"] != "wrong" {
		t.Fatalf("the completed segment was not merged: %v", labels)
	}
	b.check()
}

func TestSync_SegmentsAreNeverOverwritten(t *testing.T) {
	rem := newMemRemote()
	a := newDevice(t, rem, "a")
	art := a.addArticle("Reefs", article1)
	a.mustSync()
	// The library is put back from a backup made before that sync: it
	// has forgotten its segment number. Its next segment takes a new one.
	if err := a.svc.Replicate(func(w annotations.ReplicaWriter) (bool, error) {
		return false, w.Mark(markSeq, []byte("own"), nil)
	}); err != nil {
		t.Fatal(err)
	}
	a.highlight(art, "the water warms", "")
	creates := rem.creates
	a.mustSync()
	if rem.creates != creates+1 {
		t.Fatalf("%d files written", rem.creates-creates)
	}
	segs := rem.segments()
	if len(segs) != 2 || !strings.Contains(segs[1], "/000000000002-") {
		t.Fatalf("segments %v", segs)
	}
}

func TestSync_NewDeviceAfterWeeksOffline(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	art := a.addArticle("Reefs", article1)
	h := a.highlight(art, "the water warms", "")
	converged(t, a, b)
	// b goes offline for weeks and edits; meanwhile a edits other things
	// many times.
	b.skew = 21 * 24 * time.Hour
	if _, err := b.svc.Edit(h, annotations.Change{Note: ptr("written offline")}); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := a.svc.Edit(h, annotations.Change{Tags: &[]string{"round", strings.Repeat("x", i+1)}}); err != nil {
			t.Fatal(err)
		}
		a.mustSync()
	}
	c := newDevice(t, rem, "c")
	converged(t, a, b, c)
}

func ptr[T any](v T) *T { return &v }

func TestSync_NewDeviceStartsFromASnapshot(t *testing.T) {
	rem := newMemRemote()
	a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
	a.sync.SnapshotEvery = 5
	art := a.addArticle("Reefs", article1)
	h := a.highlight(art, "the water warms", "")
	gone := a.highlight(art, "the coral starves", "")
	for i := range 8 {
		if _, err := a.svc.Edit(h, annotations.Change{Note: ptr(fmt.Sprint("note ", i))}); err != nil {
			t.Fatal(err)
		}
		a.mustSync()
		b.mustSync()
	}
	if _, err := b.svc.Trash(gone); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.EmptyTrash(); err != nil {
		t.Fatal(err)
	}
	b.mustSync()
	a.mustSync()
	var snapshots []string
	for p := range rem.files {
		if strings.Contains(p, "/snapshot-") {
			snapshots = append(snapshots, p)
		}
	}
	if len(snapshots) == 0 {
		t.Fatal("a wrote no snapshot")
	}
	// c reads the newest snapshot and only the segments after it.
	segments := len(rem.segments())
	c := newDevice(t, rem, "c")
	rep := c.mustSync()
	if rep.Merged >= segments {
		t.Fatalf("c merged %d of the %d segments: no snapshot used", rep.Merged, segments)
	}
	t.Logf("c merged a snapshot and %d of the %d segments", rep.Merged-1, segments)
	if _, err := c.svc.Annotation(gone); !errors.Is(err, annotations.ErrNotFound) {
		t.Fatalf("the highlight deleted for good came back on the new device: %v", err)
	}
	converged(t, a, b, c)
}

func TestSetup_AgainKeepsTheLibrary(t *testing.T) {
	rem := newMemRemote()
	a := newDevice(t, rem, "a")
	// Set up again on the same remote (a new password, say): the same
	// library, the same device.
	lib, err := Setup(a.svc, rem, "memory", "")
	if err != nil || lib != a.sync.Library() {
		t.Fatalf("set up again: %s, %v; want %s", lib, err, a.sync.Library())
	}
	// On a remote without it: refused, nothing written there.
	other := newMemRemote()
	if _, err := Setup(a.svc, other, "other", ""); err == nil || !strings.Contains(err.Error(), "not on") {
		t.Fatalf("set up on another remote: %v", err)
	}
	if len(other.files) != 0 {
		t.Fatalf("the refused setup wrote %v", other.files)
	}
	if got, _ := a.svc.Setting(SettingRemote); got != "memory" {
		t.Fatalf("the remote setting became %q", got)
	}
}
