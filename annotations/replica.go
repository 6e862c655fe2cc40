package annotations

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations/anchor"
)

// This file is what a library needs to be one replica among several (see
// package sync): every record carries a Stamp, the version the last write
// gave it, and the store keeps a list of the records changed here and not
// yet sent. Merging is last-writer-wins by Stamp, record by record.

// RecordKind names the kind of record a replica keeps a Stamp for.
type RecordKind byte

// The kinds of record.
const (
	// RecordArticle: an article's metadata (title, source, citation,
	// trash).
	RecordArticle RecordKind = 'a'
	// RecordText: an article's text, with its structure, pictures and PDF
	// file — a version apart from the metadata's, so that a revision on
	// one device and a new title on another both hold.
	RecordText RecordKind = 't'
	// RecordAnnotation: one annotation.
	RecordAnnotation RecordKind = 'n'
	// RecordLabels: the colour meanings, one record (ID uuid.Nil).
	RecordLabels RecordKind = 'l'
)

// Valid reports whether k is a known kind.
func (k RecordKind) Valid() bool {
	return k == RecordArticle || k == RecordText || k == RecordAnnotation || k == RecordLabels
}

func (k RecordKind) String() string {
	switch k {
	case RecordArticle:
		return "article"
	case RecordText:
		return "text"
	case RecordAnnotation:
		return "annotation"
	case RecordLabels:
		return "labels"
	}
	return fmt.Sprintf("kind %q", byte(k))
}

// Stamp is a record's version: the hybrid logical clock reading of the
// write that made it and the device that wrote it. Deleted marks a record
// deleted for good (a tombstone).
type Stamp struct {
	Clock   uint64    `json:"clock"`
	Device  uuid.UUID `json:"device"`
	Deleted bool      `json:"deleted,omitempty"`
}

// IsZero reports whether s is no version at all (a record written before
// sync was set up, or never seen).
func (s Stamp) IsZero() bool { return s.Clock == 0 && s.Device == uuid.Nil }

// Newer reports whether s wins over o: the later clock, and on a tie the
// greater device ID, so that every device picks the same winner.
func (s Stamp) Newer(o Stamp) bool {
	if s.Clock != o.Clock {
		return s.Clock > o.Clock
	}
	return bytes.Compare(s.Device[:], o.Device[:]) > 0
}

// A hybrid logical clock reading (Kulkarni, Demirbas et al., "Logical
// Physical Clocks", OPODIS 2014): the wall time in milliseconds in the high
// 48 bits and a counter in the low 16. It never goes back, follows the
// wall clock when that moves ahead, and moves past every clock it has seen
// from another device, so a change made after seeing another is always
// newer than it, whatever the devices' wall clocks say.
const clockCounterBits = 16

// NextClock returns the reading for a change made now, after last.
func NextClock(last uint64, wall time.Time) uint64 {
	physical := uint64(max(wall.UnixMilli(), 0)) << clockCounterBits
	if physical > last {
		return physical
	}
	return last + 1
}

// ClockTime returns the wall time a reading carries.
func ClockTime(c uint64) time.Time {
	return time.UnixMilli(int64(c >> clockCounterBits)).UTC()
}

// ClockFor returns the first reading of a wall time.
func ClockFor(t time.Time) uint64 { return uint64(max(t.UnixMilli(), 0)) << clockCounterBits }

// ReplicaWriter is a Writer of a library that keeps Stamps: every record
// written through it gets a new Stamp of this device and joins the records
// to send. Store.Update hands one out (a Writer that is also a
// ReplicaWriter) once EnableSync ran.
type ReplicaWriter interface {
	Writer
	// EnableSync makes this library a replica with this device ID:
	// every record it holds gets a Stamp now and is to be sent. Running
	// it again with the same device changes nothing.
	EnableSync(device uuid.UUID) error
	// Device returns this library's device ID, uuid.Nil before
	// EnableSync.
	Device() (uuid.UUID, error)
	// Clock returns the last clock reading this library gave or saw.
	Clock() (uint64, error)
	// SeeClock moves the clock past a reading from another device.
	SeeClock(c uint64) error
	// Stamp returns a record's version (zero when it has none).
	Stamp(kind RecordKind, id uuid.UUID) (Stamp, error)
	// Stamps calls fn for every record's version (deletions included),
	// in key order.
	Stamps(fn func(kind RecordKind, id uuid.UUID, s Stamp) error) error
	// Pending calls fn for every record changed here and not yet sent,
	// with its Stamp, in key order.
	Pending(fn func(kind RecordKind, id uuid.UUID, s Stamp) error) error
	// PendingCount returns how many records are to be sent.
	PendingCount() (int, error)
	// Sent takes a record off the list to send, if its Stamp is still s
	// (a change made while it was being sent stays on the list).
	Sent(kind RecordKind, id uuid.UUID, s Stamp) error
	// Tombstone records that this device deleted a record (one it may
	// never have held): a deletion of its own, to send.
	Tombstone(kind RecordKind, id uuid.UUID) error
	// Remote returns a Writer whose writes come from another device: they
	// get no Stamp and are not to be sent. Give them their Stamp with
	// SetStamp.
	Remote() Writer
	// SetStamp records the version of a record written through Remote,
	// and takes it off the list to send.
	SetStamp(kind RecordKind, id uuid.UUID, s Stamp) error
	// Mark and Marked keep small facts of the replica (the segments
	// applied, the texts sent), by name: Mark with nil value removes.
	Mark(name string, key []byte, value []byte) error
	Marked(name string, key []byte) ([]byte, error)
	// Marks calls fn for every key under a name that starts with prefix.
	Marks(name string, prefix []byte, fn func(key, value []byte) error) error
}

// ErrNotReplica is returned when a store cannot keep Stamps.
var ErrNotReplica = errors.New("this library cannot sync (its store keeps no versions)")

// OpSync: records from another device were merged; the event is Bulk.
const OpSync Op = "sync"

// Replicate runs fn in one write transaction of the store, with a
// ReplicaWriter. When fn reports that it changed what the reader sees, a
// Bulk event is published after the commit, and the undo history is
// dropped: its steps were taken on records another device may have
// changed since.
func (s *Service) Replicate(fn func(w ReplicaWriter) (changed bool, err error)) error {
	s.mu.Lock()
	changed := false
	err := s.store.Update(func(w Writer) error {
		rw, ok := w.(ReplicaWriter)
		if !ok {
			return ErrNotReplica
		}
		var err error
		changed, err = fn(rw)
		return err
	})
	if err == nil && changed {
		s.history = history{}
	}
	s.mu.Unlock()
	if err == nil && changed {
		s.publish(Event{Op: OpSync, Bulk: true})
	}
	return err
}

// ReplicaView runs fn with a read-only ReplicaWriter view (its write
// methods must not be called: the transaction is read-only).
func (s *Service) ReplicaView(fn func(r ReplicaWriter) error) error {
	return s.store.View(func(r Reader) error {
		rw, ok := r.(ReplicaWriter)
		if !ok {
			return ErrNotReplica
		}
		return fn(rw)
	})
}

// CheckArticle checks and normalises an article that came from outside the
// library (a file to import, another device's segment): title, text,
// format, times, citation. Hash is set from the text when there is one.
func CheckArticle(in Article) (Article, error) {
	if in.ID == uuid.Nil {
		return in, errors.New("missing id")
	}
	title, text, err := normalizeArticle(in.Title, in.Source, in.Text)
	if err != nil {
		return in, err
	}
	if in.Text != "" && strings.TrimSpace(text) == "" {
		return in, errors.New("no text")
	}
	if !in.Format.Valid() {
		return in, fmt.Errorf("unknown format %s", QuoteInput(string(in.Format)))
	}
	if in.AddedAt.IsZero() {
		return in, errors.New("missing added_at")
	}
	if in.UpdatedAt.IsZero() {
		in.UpdatedAt = in.AddedAt
	}
	in.AddedAt, in.UpdatedAt = in.AddedAt.UTC(), in.UpdatedAt.UTC()
	if in.DeletedAt != nil {
		d := in.DeletedAt.UTC()
		in.DeletedAt = &d
	}
	in.Title, in.Text = title, text
	if text != "" {
		in.Hash = HashText(text)
	}
	if in.Citation, err = normalizeCitation(in.Citation); err != nil {
		return in, err
	}
	return in, nil
}

// CheckAnnotation checks and normalises an annotation that came from
// outside the library (a file to import, another device's segment):
// colour, status, tags, note, author, times, target.
func CheckAnnotation(in Annotation) (Annotation, error) {
	if in.ID == uuid.Nil || in.ArticleID == uuid.Nil {
		return in, errors.New("missing id or article id")
	}
	if !in.Color.Valid() {
		return in, fmt.Errorf("%w: %s", ErrInvalidColor, QuoteInput(string(in.Color)))
	}
	if !in.Status.Valid() {
		return in, fmt.Errorf("unknown status %s", QuoteInput(string(in.Status)))
	}
	var err error
	if in.Tags, err = NormalizeTags(in.Tags); err != nil {
		return in, err
	}
	if in.Note, err = normalizeNote(in.Note); err != nil {
		return in, err
	}
	if in.Author, err = NormalizeAuthor(in.Author); err != nil {
		return in, err
	}
	if in.CreatedAt.IsZero() {
		return in, errors.New("missing created_at")
	}
	if in.UpdatedAt.IsZero() {
		in.UpdatedAt = in.CreatedAt
	}
	in.CreatedAt, in.UpdatedAt = in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	if in.DeletedAt != nil {
		d := in.DeletedAt.UTC()
		in.DeletedAt = &d
	}
	if in.Target, in.Previous, err = normalizeTarget(in.Target, in.Previous); err != nil {
		return in, err
	}
	if in.Target.Exact == "" {
		return in, errors.New("the target has no quote (exact)")
	}
	return in, nil
}

// Fits reports whether an annotation's target holds its quote in text
// (an orphan fits anywhere: it has no place).
func Fits(text *anchor.Text, a Annotation) bool {
	if a.Status == StatusOrphaned {
		return true
	}
	got, ok := text.Locate(a.Target)
	return ok && got.Start == a.Target.Start && got.End == a.Target.End
}

// Reanchor puts annotations made on an earlier text of an article onto its
// text as it is now, as replacing the text does (fuzzy and orphaned, with
// the floor), and returns them with UpdatedAt now.
func Reanchor(text *anchor.Text, before []Annotation, now time.Time) []Annotation {
	return reanchor(text, before, now)
}
