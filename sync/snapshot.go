package sync

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// A snapshot is the whole library as one device had it — every record
// with its version, deletions included — and how far that device had
// merged each device's segments (Covers). A new device merges the newest
// snapshot on the remote and then only the segments after what it covers,
// instead of every segment since the library began. Merging it is merging
// a segment: the records keep their versions, so the result is the same.
// A device writes one after SnapshotEvery segments sent or merged since
// its last, in its own folder, as snapshot-<unix ms>-<checksum>.json.gz.

// SnapshotEvery is how many segments a device sends or merges between two
// snapshots of its own (Syncer.SnapshotEvery, when set, instead).
const SnapshotEvery = 100

// markSnapshot counts the segments since this device's last snapshot.
const markSnapshot = "snapshot"

var snapshotName = regexp.MustCompile(`^snapshot-([0-9]{1,20})-([0-9a-f]{16})\.json\.gz$`)

// SnapshotName returns the file name of a snapshot written at a time (unix
// milliseconds) with these bytes.
func SnapshotName(ms int64, file []byte) string {
	sum := sha256.Sum256(file)
	return fmt.Sprintf("snapshot-%013d-%s.json.gz", ms, hex.EncodeToString(sum[:8]))
}

// parseSnapshotName returns when a snapshot was written and its checksum.
func parseSnapshotName(name string) (ms uint64, sum string, ok bool) {
	m := snapshotName.FindStringSubmatch(name)
	if m == nil {
		return 0, "", false
	}
	ms, err := strconv.ParseUint(m[1], 10, 64)
	return ms, m[2], err == nil
}

// DecodeSnapshot reads a snapshot's file named name and checks it.
func DecodeSnapshot(name string, file []byte) (Segment, error) {
	_, sum, ok := parseSnapshotName(name)
	if !ok {
		return Segment{}, fmt.Errorf("%q is not a snapshot's name", name)
	}
	s, err := decodeFile(file, sum)
	if err == nil && (s.Covers == nil || s.Seq != 0) {
		err = errors.New("a snapshot that covers nothing")
	}
	return s, err
}

// countSegments adds n to the segments since the last snapshot and
// reports whether it is time for one.
func (s *Syncer) countSegments(n int) (bool, error) {
	due := false
	err := s.svc.Replicate(func(w annotations.ReplicaWriter) (bool, error) {
		var count uint64
		if v, err := w.Marked(markSnapshot, []byte("count")); err != nil {
			return false, err
		} else if len(v) == 8 {
			count = binary.BigEndian.Uint64(v)
		}
		count += uint64(n)
		every := uint64(SnapshotEvery)
		if s.SnapshotEvery > 0 {
			every = uint64(s.SnapshotEvery)
		}
		due = count >= every
		if due {
			count = 0
		}
		return false, w.Mark(markSnapshot, []byte("count"), binary.BigEndian.AppendUint64(nil, count))
	})
	return due, err
}

// writeSnapshot writes a snapshot of the library as it is here.
func (s *Syncer) writeSnapshot() error {
	author, _ := s.svc.Setting(annotations.SettingAuthor)
	snap := Segment{Format: FormatVersion, Library: s.library, Device: s.device, Created: s.Now().UTC(),
		Author: author, Covers: map[uuid.UUID]uint64{}}
	err := s.svc.ReplicaView(func(r annotations.ReplicaWriter) error {
		if err := r.Stamps(func(kind annotations.RecordKind, id uuid.UUID, st annotations.Stamp) error {
			rec, err := snapshotRecord(r, kind, id, st)
			if err != nil || rec == nil {
				return err
			}
			snap.Records = append(snap.Records, *rec)
			return nil
		}); err != nil {
			return err
		}
		// What it covers: for each device, the segments merged here from
		// the first on without a gap.
		return r.Marks(markApplied, nil, func(key, _ []byte) error {
			if len(key) != 24 {
				return nil
			}
			device, seq := uuid.UUID(key[:16]), binary.BigEndian.Uint64(key[16:])
			if seq == snap.Covers[device]+1 {
				snap.Covers[device] = seq
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	file, err := EncodeSegment(snap)
	if err != nil {
		return err
	}
	return s.remote.Create(path.Join(s.folder(s.device), SnapshotName(snap.Created.UnixMilli(), file)), file)
}

// snapshotRecord is the record of one version for a snapshot: as sent,
// but an article always with its text.
func snapshotRecord(r annotations.ReplicaWriter, kind annotations.RecordKind, id uuid.UUID, st annotations.Stamp) (*Record, error) {
	switch kind {
	case annotations.RecordText:
		return nil, nil // with its article
	case annotations.RecordArticle:
		rec, err := readRecord(r, kind, id, st)
		if err != nil || rec == nil || rec.Article == nil {
			return rec, err
		}
		text, err := r.Stamp(annotations.RecordText, id)
		if err != nil {
			return nil, err
		}
		return rec, addText(r, rec, text)
	}
	return readRecord(r, kind, id, st)
}

// fresh reports whether this library has merged nothing from another
// device yet: a new device, which a snapshot can start.
func (s *Syncer) fresh() (bool, error) {
	fresh := true
	err := s.svc.ReplicaView(func(r annotations.ReplicaWriter) error {
		return r.Marks(markApplied, nil, func(key, _ []byte) error {
			if len(key) == 24 && uuid.UUID(key[:16]) != s.device {
				fresh = false
				return errStop
			}
			return nil
		})
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return fresh, err
}

var errStop = errors.New("stop")

// startFromSnapshot merges the newest snapshot on the remote, with the
// segments it covers marked merged, in one transaction. It returns the
// segments still to merge; on any trouble with the snapshot it returns
// todo as it was, and the segments are merged one by one.
func (s *Syncer) startFromSnapshot(snapshots []waiting, todo []waiting, rep *Report) []waiting {
	var newest waiting
	var newestMs uint64
	for _, w := range snapshots {
		if ms, _, ok := parseSnapshotName(w.name); ok && ms > newestMs {
			newest, newestMs = w, ms
		}
	}
	if newestMs == 0 {
		return todo
	}
	file, err := s.remote.Read(path.Join(s.folder(newest.device), newest.name), MaxSegmentFile)
	if err != nil {
		return todo
	}
	snap, err := DecodeSnapshot(newest.name, file)
	if err != nil || snap.Library != s.library || snap.Device != newest.device || s.checkClock(snap) != nil {
		return todo
	}
	var rest []waiting
	applied := 0
	err = s.svc.Replicate(func(rw annotations.ReplicaWriter) (bool, error) {
		rest = rest[:0]
		m := merger{w: rw, now: s.Now().UTC(), revised: map[uuid.UUID]bool{}}
		if err := m.merge(snap); err != nil {
			return false, err
		}
		for _, w := range todo {
			if w.seq <= snap.Covers[w.device] {
				if err := rw.Mark(markApplied, appliedKey(w.device, w.seq), []byte{}); err != nil {
					return false, err
				}
				continue
			}
			rest = append(rest, w)
		}
		applied = m.changed
		return m.changed > 0, nil
	})
	if err != nil {
		return todo
	}
	rep.Applied += applied
	rep.Merged++
	return rest
}
