package sync

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/sync/remote"
)

// The library settings of a library that syncs.
const (
	SettingRemote  = "sync.remote"  // the remote's spec, without secrets
	SettingLibrary = "sync.library" // the library's ID on the remote
	SettingLast    = "sync.last"    // when the last sync finished (RFC 3339)
	SettingProblem = "sync.problem" // what the last sync could not do, or ""
)

// Names of the replica's marks (annotations.ReplicaWriter.Mark).
const (
	markApplied = "applied" // device ‖ seq → nil: a segment merged here
	markAlias   = "alias"   // article ID → the ID of the article with its text
	markDevices = "devices" // device → deviceInfo JSON
	markSeq     = "seq"     // "own" → this device's last segment number
)

// root is the folder of every Gloss library on a remote.
const root = "gloss"

// Syncer syncs one library with its remote. It is safe for use by several
// goroutines: syncs run one at a time.
type Syncer struct {
	svc     *annotations.Service
	remote  remote.Remote
	library uuid.UUID
	device  uuid.UUID
	// Now is the wall clock (tests replace it).
	Now func() time.Time
	// SnapshotEvery, when not 0, replaces the package's SnapshotEvery.
	SnapshotEvery int

	mu gosync.Mutex
}

// Report says what a sync did.
type Report struct {
	// Sent is how many records this device sent, in Segments new
	// segments.
	Sent, Segments int
	// Applied is how many records from other devices changed this
	// library, from Merged segments.
	Applied, Merged int
	// Problems are segments that could not be merged yet (incomplete,
	// from a newer Gloss, damaged, waiting for another's text), one line
	// each; the sync went on with the others.
	Problems []string
}

func (r Report) String() string {
	s := fmt.Sprintf("sent %d change%s, merged %d change%s from %d segment%s",
		r.Sent, plural(r.Sent), r.Applied, plural(r.Applied), r.Merged, plural(r.Merged))
	if len(r.Problems) > 0 {
		s += fmt.Sprintf("; %d segment%s not merged: %s", len(r.Problems), plural(len(r.Problems)), r.Problems[0])
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ErrNotSetUp is returned when a library has no remote yet.
var ErrNotSetUp = errors.New("this library does not sync yet: run gloss sync init REMOTE")

// Setup joins a library to a remote: the library already there (the only
// one, or the one named by libraryID) or a new one. It stamps every record
// (the next sync sends the whole library) and keeps the remote's spec —
// never a password — in the library's settings.
func Setup(svc *annotations.Service, r remote.Remote, spec, libraryID string) (uuid.UUID, error) {
	entries, err := r.List(root)
	if err != nil {
		return uuid.Nil, err
	}
	var libraries []uuid.UUID
	for _, e := range entries {
		if id, err := uuid.Parse(e.Name); e.Dir && err == nil {
			libraries = append(libraries, id)
		}
	}
	old, err := svc.Setting(SettingLibrary)
	if err != nil {
		return uuid.Nil, err
	}
	var library uuid.UUID
	switch {
	case old != "":
		// Set up again (a new address, a new password): the same
		// library, which must be there — a library moved to another
		// server is copied there whole first.
		if library, err = uuid.Parse(old); err != nil {
			return uuid.Nil, fmt.Errorf("the library's sync setting is damaged: %v", err)
		}
		if !slices.Contains(libraries, library) || (libraryID != "" && libraryID != old) {
			return uuid.Nil, fmt.Errorf("this library syncs with library %s, which is not on %s (copy its folder gloss/%s there first)", old, r, old)
		}
	case libraryID != "":
		if library, err = uuid.Parse(libraryID); err != nil {
			return uuid.Nil, fmt.Errorf("library ID %s: %v", annotations.QuoteInput(libraryID), err)
		}
	case len(libraries) == 1:
		library = libraries[0]
	case len(libraries) > 1:
		return uuid.Nil, fmt.Errorf("the remote holds %d libraries; name one with --library (%s)", len(libraries), joinIDs(libraries))
	default:
		library = uuid.Must(uuid.NewV7())
	}
	// The library's folder is made now, with a file naming it, so that a
	// device that sets up before this one first syncs joins it.
	marker, err := json.Marshal(map[string]any{"gloss_sync": FormatVersion, "library": library})
	if err != nil {
		return uuid.Nil, err
	}
	if err := r.Create(path.Join(root, library.String(), "library.json"), marker); err != nil && !errors.Is(err, remote.ErrExists) {
		return uuid.Nil, err
	}
	err = svc.Replicate(func(w annotations.ReplicaWriter) (bool, error) {
		device, err := w.Device()
		if err != nil {
			return false, err
		}
		if device == uuid.Nil {
			if err := w.EnableSync(uuid.Must(uuid.NewV7())); err != nil {
				return false, err
			}
		}
		if err := w.SetSetting(SettingRemote, spec); err != nil {
			return false, err
		}
		return false, w.SetSetting(SettingLibrary, library.String())
	})
	return library, err
}

func joinIDs(ids []uuid.UUID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return strings.Join(s, ", ")
}

// New returns the Syncer of a library that was set up (Setup), on r.
func New(svc *annotations.Service, r remote.Remote) (*Syncer, error) {
	lib, err := svc.Setting(SettingLibrary)
	if err != nil {
		return nil, err
	}
	if lib == "" {
		return nil, ErrNotSetUp
	}
	library, err := uuid.Parse(lib)
	if err != nil {
		return nil, fmt.Errorf("the library's sync setting is damaged: %v", err)
	}
	var device uuid.UUID
	if err := svc.ReplicaView(func(r annotations.ReplicaWriter) (err error) {
		device, err = r.Device()
		return err
	}); err != nil {
		return nil, err
	}
	if device == uuid.Nil {
		return nil, ErrNotSetUp
	}
	return &Syncer{svc: svc, remote: r, library: library, device: device, Now: time.Now}, nil
}

// Device returns this library's device ID.
func (s *Syncer) Device() uuid.UUID { return s.device }

// Library returns the library's ID on the remote.
func (s *Syncer) Library() uuid.UUID { return s.library }

func (s *Syncer) folder(device uuid.UUID) string {
	return path.Join(root, s.library.String(), device.String())
}

// Sync sends this device's changes and merges the other devices'. A
// failure to reach the remote returns an error and changes nothing that
// was not finished: what was not sent is sent next time, a segment not
// merged is merged next time. progress, if not nil, is told what the
// sync is doing.
func (s *Syncer) Sync(progress func(string)) (rep Report, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if progress == nil {
		progress = func(string) {}
	}
	defer func() {
		problem := ""
		switch {
		case err != nil:
			problem = err.Error()
		case len(rep.Problems) > 0:
			problem = rep.Problems[0]
		}
		_ = s.svc.SetSetting(SettingProblem, problem)
		if err == nil {
			_ = s.svc.SetSetting(SettingLast, s.Now().UTC().Format(time.RFC3339))
		}
	}()
	progress("sending changes")
	if err := s.push(&rep); err != nil {
		return rep, err
	}
	progress("reading other devices' changes")
	if err := s.pull(&rep, progress); err != nil {
		return rep, err
	}
	// Merging may have moved annotations (onto a revised text, or off
	// an article that is one with another): those moves are this
	// device's changes, sent now so that the others need not wait.
	if n, err := s.pendingCount(); err == nil && n > 0 && rep.Applied > 0 {
		progress("sending changes")
		if err := s.push(&rep); err != nil {
			return rep, err
		}
	}
	if due, err := s.countSegments(rep.Segments + rep.Merged); err != nil {
		return rep, err
	} else if due {
		progress("writing a snapshot of the library")
		if err := s.writeSnapshot(); err != nil {
			if isRemoteFailure(err) {
				return rep, err
			}
			rep.Problems = append(rep.Problems, "snapshot not written: "+err.Error())
		}
	}
	return rep, nil
}

func (s *Syncer) pendingCount() (n int, err error) {
	err = s.svc.ReplicaView(func(r annotations.ReplicaWriter) (err error) {
		n, err = r.PendingCount()
		return err
	})
	return n, err
}

// pending is a record to send, with the stamp it had when read.
type pending struct {
	kind  annotations.RecordKind
	id    uuid.UUID
	stamp annotations.Stamp
}

// push sends the records changed here as new segments of this device.
func (s *Syncer) push(rep *Report) error {
	var records []Record
	var sent []pending
	author, _ := s.svc.Setting("author")
	err := s.svc.ReplicaView(func(r annotations.ReplicaWriter) error {
		// An article's metadata and text go in one record.
		byArticle := map[uuid.UUID]int{}
		return r.Pending(func(kind annotations.RecordKind, id uuid.UUID, st annotations.Stamp) error {
			sent = append(sent, pending{kind, id, st})
			if kind == annotations.RecordText || kind == annotations.RecordArticle {
				if i, ok := byArticle[id]; ok {
					if kind == annotations.RecordText {
						return addText(r, &records[i], st)
					}
					return nil
				}
			}
			rec, err := readRecord(r, kind, id, st)
			if err != nil || rec == nil {
				return err
			}
			if rec.Kind == "article" {
				byArticle[id] = len(records)
			}
			records = append(records, *rec)
			return nil
		})
	})
	if err != nil {
		return err
	}
	if len(sent) == 0 {
		return nil
	}
	if len(records) > 0 {
		seq, err := s.nextSeq()
		if err != nil {
			return err
		}
		taken := 0
		for len(records) > 0 {
			n := chunk(records)
			seg := Segment{Format: FormatVersion, Library: s.library, Device: s.device, Seq: seq,
				Created: s.Now().UTC(), Author: author, Records: records[:n]}
			file, err := EncodeSegment(seg)
			if err != nil {
				return err
			}
			name := SegmentName(seq, file)
			err = s.remote.Create(path.Join(s.folder(s.device), name), file)
			if errors.Is(err, remote.ErrExists) && taken < 100 {
				// Another copy of this library (a restored backup, a
				// copied file) wrote this number: take the next.
				seq++
				taken++
				continue
			}
			if err != nil {
				return err
			}
			if err := s.svc.Replicate(func(w annotations.ReplicaWriter) (bool, error) {
				if err := w.Mark(markSeq, []byte("own"), binary.BigEndian.AppendUint64(nil, seq)); err != nil {
					return false, err
				}
				return false, w.Mark(markApplied, appliedKey(s.device, seq), []byte{})
			}); err != nil {
				return err
			}
			rep.Segments++
			rep.Sent += n
			records = records[n:]
			seq++
		}
	}
	// Everything is on the remote: take it off the list (what changed
	// meanwhile has a newer stamp and stays).
	return s.svc.Replicate(func(w annotations.ReplicaWriter) (bool, error) {
		for _, p := range sent {
			if err := w.Sent(p.kind, p.id, p.stamp); err != nil {
				return false, err
			}
		}
		return false, nil
	})
}

// chunk returns how many of records go in one segment: at least one, and
// no more than about SegmentTarget bytes.
func chunk(records []Record) int {
	size := 0
	for i, r := range records {
		size += 512 + len(r.File) + len(r.Layout)
		if r.Article != nil {
			size += len(r.Article.Text)
		}
		for _, img := range r.Images {
			size += len(img)
		}
		if r.Annotation != nil {
			size += len(r.Annotation.Note) + len(r.Annotation.Target.Exact)
		}
		if size > SegmentTarget && i > 0 {
			return i
		}
	}
	return len(records)
}

// readRecord reads the record to send for one pending change; nil when
// there is nothing to send (a record gone without a tombstone). An
// article's record carries its text when the text is what changed.
func readRecord(r annotations.ReplicaWriter, kind annotations.RecordKind, id uuid.UUID, st annotations.Stamp) (*Record, error) {
	switch kind {
	case annotations.RecordLabels:
		labels, err := r.ColorLabels()
		if err != nil {
			return nil, err
		}
		if labels == nil {
			labels = annotations.ColorLabels{}
		}
		return &Record{Kind: "labels", Stamp: st, Labels: labels}, nil
	case annotations.RecordAnnotation:
		rec := &Record{Kind: "annotation", ID: id, Stamp: st}
		if st.Deleted {
			return rec, nil
		}
		a, err := r.Annotation(id)
		if errors.Is(err, annotations.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		rec.Annotation = &a
		return rec, nil
	case annotations.RecordArticle, annotations.RecordText:
		meta, err := r.Stamp(annotations.RecordArticle, id)
		if err != nil {
			return nil, err
		}
		rec := &Record{Kind: "article", ID: id, Stamp: meta}
		if meta.Deleted {
			if v, err := r.Marked(markAlias, id[:]); err != nil {
				return nil, err
			} else if len(v) == 16 {
				into := uuid.UUID(v)
				rec.Into = &into
			}
			return rec, nil
		}
		a, err := r.Article(id)
		if errors.Is(err, annotations.ErrNotFound) || meta.IsZero() {
			return nil, err
		}
		if err != nil {
			return nil, err
		}
		rec.Article = &a
		if kind == annotations.RecordText {
			return rec, addText(r, rec, st)
		}
		return rec, nil
	}
	return nil, fmt.Errorf("a pending record of %v", kind)
}

// addText adds to an article record its text and what belongs to it.
func addText(r annotations.Reader, rec *Record, st annotations.Stamp) error {
	if rec.Article == nil || st.Deleted {
		return nil
	}
	rec.TextStamp = &st
	return readText(r, rec)
}

// readText adds to an article record its text and what belongs to it.
func readText(r annotations.Reader, rec *Record) error {
	id := rec.ID
	text, err := r.ArticleText(id)
	if err != nil {
		return err
	}
	rec.Article.Text = text
	if st, err := r.ArticleStructure(id); err == nil {
		rec.Structure = st
		for _, sp := range st.Spans {
			if sp.Kind != annotations.SpanImage || sp.Image == "" {
				continue
			}
			img, err := r.ArticleImage(id, sp.Image)
			if errors.Is(err, annotations.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if rec.Images == nil {
				rec.Images = map[string][]byte{}
			}
			rec.Images[sp.Image] = img
		}
	} else if !errors.Is(err, annotations.ErrNotFound) {
		return err
	}
	if file, err := r.ArticleFile(id); err == nil {
		layout, err := r.ArticleLayout(id)
		if err != nil {
			return err
		}
		raw, err := layout.MarshalBinary()
		if err != nil {
			return err
		}
		rec.File, rec.Layout = file, raw
	} else if !errors.Is(err, annotations.ErrNotFound) {
		return err
	}
	return nil
}

// nextSeq returns the number of this device's next segment: after the
// last one it knows it wrote and after every one in its folder (a library
// put back from a backup must not reuse a number).
func (s *Syncer) nextSeq() (uint64, error) {
	var last uint64
	if err := s.svc.ReplicaView(func(r annotations.ReplicaWriter) error {
		v, err := r.Marked(markSeq, []byte("own"))
		if len(v) == 8 {
			last = binary.BigEndian.Uint64(v)
		}
		return err
	}); err != nil {
		return 0, err
	}
	entries, err := s.remote.List(s.folder(s.device))
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		if seq, _, ok := ParseSegmentName(e.Name); ok && seq > last {
			last = seq
		}
	}
	return last + 1, nil
}

func appliedKey(device uuid.UUID, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte{}, device[:]...), seq)
}

// deviceInfo is what a library knows of another device, for status.
type deviceInfo struct {
	Author   string    `json:"author,omitempty"`
	LastSeen time.Time `json:"last_seen"`
	Segments int       `json:"segments"`
}

// waiting is a segment to merge.
type waiting struct {
	device uuid.UUID
	seq    uint64
	name   string
}

// pull merges every segment on the remote not merged here yet.
func (s *Syncer) pull(rep *Report, progress func(string)) error {
	base := path.Join(root, s.library.String())
	folders, err := s.remote.List(base)
	if err != nil {
		return err
	}
	var todo, snapshots []waiting
	for _, f := range folders {
		device, err := uuid.Parse(f.Name)
		if !f.Dir || err != nil {
			continue
		}
		entries, err := s.remote.List(path.Join(base, f.Name))
		if err != nil {
			return err
		}
		if err := s.svc.ReplicaView(func(r annotations.ReplicaWriter) error {
			for _, e := range entries {
				if _, _, ok := parseSnapshotName(e.Name); ok && !e.Dir {
					snapshots = append(snapshots, waiting{device: device, name: e.Name})
					continue
				}
				seq, _, ok := ParseSegmentName(e.Name)
				if !ok || e.Dir {
					continue
				}
				mark, err := r.Marked(markApplied, appliedKey(device, seq))
				if err != nil {
					return err
				}
				if mark == nil {
					todo = append(todo, waiting{device, seq, e.Name})
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	slices.SortFunc(todo, func(a, b waiting) int {
		if c := slices.Compare(a.device[:], b.device[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	if len(snapshots) > 0 && len(todo) > 0 {
		if fresh, err := s.fresh(); err != nil {
			return err
		} else if fresh {
			progress("reading a snapshot of the library")
			todo = s.startFromSnapshot(snapshots, todo, rep)
		}
	}
	// A segment may need another device's first: an annotation on an
	// article, an article's new title on a text, that another device
	// sent. Those wait, and are tried again once the others merged.
	for pass := 0; len(todo) > 0; pass++ {
		var later []waiting
		var lastWait error
		merged := 0
		for i, w := range todo {
			progress(fmt.Sprintf("merging %d of %d", i+1, len(todo)))
			n, err := s.mergeOne(w)
			switch {
			case errors.As(err, new(*notYet)):
				later = append(later, w)
				lastWait = err
			case err != nil && isRemoteFailure(err):
				return err
			case err != nil:
				rep.Problems = append(rep.Problems, fmt.Sprintf("segment %s of device %.8s: %v", w.name, w.device, err))
			default:
				merged++
				rep.Merged++
				rep.Applied += n
			}
		}
		if merged == 0 {
			for _, w := range later {
				rep.Problems = append(rep.Problems, fmt.Sprintf("segment %s of device %.8s: %v", w.name, w.device, lastWait))
			}
			break
		}
		todo = later
	}
	return nil
}

// isRemoteFailure reports whether err is the remote failing (the sync
// stops) rather than one segment being wrong (the sync goes on).
func isRemoteFailure(err error) bool {
	return errors.Is(err, remote.ErrUnreachable) || errors.Is(err, remote.ErrAuth)
}

// mergeOne reads one segment and merges it in one transaction; it returns
// how many records changed the library.
func (s *Syncer) mergeOne(w waiting) (int, error) {
	file, err := s.remote.Read(path.Join(s.folder(w.device), w.name), MaxSegmentFile)
	if errors.Is(err, remote.ErrTooLarge) {
		return 0, fmt.Errorf("over %d MiB", MaxSegmentFile>>20)
	}
	if err != nil {
		return 0, err
	}
	seg, err := DecodeSegment(w.name, file)
	if err != nil {
		return 0, err
	}
	if seg.Library != s.library || seg.Device != w.device {
		return 0, fmt.Errorf("it belongs to library %s, device %s", seg.Library, seg.Device)
	}
	if err := s.checkClock(seg); err != nil {
		return 0, err
	}
	applied := 0
	err = s.svc.Replicate(func(rw annotations.ReplicaWriter) (bool, error) {
		m := merger{w: rw, now: s.Now().UTC(), revised: map[uuid.UUID]bool{}}
		if err := m.merge(seg); err != nil {
			return false, err
		}
		info := deviceInfo{Author: seg.Author, LastSeen: seg.Created}
		if raw, _ := rw.Marked(markDevices, w.device[:]); raw != nil {
			var old deviceInfo
			if json.Unmarshal(raw, &old) == nil {
				info.Segments = old.Segments
				if old.LastSeen.After(info.LastSeen) {
					info.LastSeen = old.LastSeen
				}
			}
		}
		info.Segments++
		raw, err := json.Marshal(info)
		if err != nil {
			return false, err
		}
		if err := rw.Mark(markDevices, w.device[:], raw); err != nil {
			return false, err
		}
		if err := rw.Mark(markApplied, appliedKey(w.device, w.seq), []byte{}); err != nil {
			return false, err
		}
		applied = m.changed
		return m.changed > 0, nil
	})
	return applied, err
}

// maxClockLead is how far ahead of this device's wall clock another
// device's clock may be. Hours of skew are normal (a laptop in another
// time zone set by hand); a clock years ahead would drag every device's
// clock with it, so such a segment is refused.
const maxClockLead = 30 * 24 * time.Hour

func (s *Syncer) checkClock(seg Segment) error {
	limit := annotations.ClockFor(s.Now().Add(maxClockLead))
	for _, r := range seg.Records {
		if r.Stamp.Clock > limit {
			return fmt.Errorf("its clock is %s, over 30 days ahead of this computer's", annotations.ClockTime(r.Stamp.Clock).Format(time.DateTime))
		}
	}
	return nil
}
