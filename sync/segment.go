// Package sync keeps several copies of a Gloss library — a researcher's
// laptop and desktop, a lab's members — in step through storage people
// already run: a plain folder (Syncthing, Nextcloud, Dropbox, a network
// drive) or a WebDAV server. There is no server of Gloss's own.
//
// Each device appends only to its own folder on the remote,
// gloss/<library-id>/<device-id>/<seq>-<checksum>.json.gz: segments of the
// changes it made (records with their Stamps; tombstones for records
// deleted for good). It never overwrites or deletes a file, its own or
// another device's, so no locks or conditional writes are needed. A sync
// sends this device's unsent changes as a new segment, then reads every
// segment it has not applied yet and merges it in one transaction: record
// by record, the newer Stamp wins (a hybrid logical clock, ties broken by
// device ID), so every device ends with the same library whatever order
// the segments arrive in. Two rules are not by Stamp, and are the same on
// every device: an article deleted for good stays deleted (with its
// annotations), and two articles with the same text are one (the one with
// the smaller ID keeps it; the other's annotations move to it).
package sync

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// FormatVersion is the segment format this build writes and reads. A
// segment of a newer format is left alone (ErrNewerFormat), not guessed at.
const FormatVersion = 1

// Bounds on a segment, so that a damaged or hostile remote cannot make a
// sync use unbounded memory: a segment file (compressed) and what it
// decompresses to. A push starts a new segment past SegmentTarget bytes of
// records.
const (
	MaxSegmentFile   = 256 << 20
	MaxSegmentBytes  = 1 << 30
	MaxRecords       = 4 << 20
	SegmentTarget    = 32 << 20
	maxAuthorRunes   = 200
	maxSegmentImages = 500
)

// ErrNewerFormat is returned for a segment written by a newer Gloss.
var ErrNewerFormat = errors.New("written by a newer version of Gloss: update Gloss to read it")

// ErrIncomplete is returned for a segment whose bytes do not match its
// checksum: still being copied into place by a file-sync tool, or cut
// short. It is tried again at the next sync.
var ErrIncomplete = errors.New("incomplete (its checksum does not match): tried again at the next sync")

// Segment is one file of changes a device sent.
type Segment struct {
	Format  int       `json:"gloss_sync"`
	Library uuid.UUID `json:"library"`
	Device  uuid.UUID `json:"device"`
	Seq     uint64    `json:"seq"`
	Created time.Time `json:"created"`
	// Author is the name of the device's reader, when set.
	Author  string   `json:"author,omitempty"`
	Records []Record `json:"records"`
	// Covers, in a snapshot, is how far the device that wrote it had
	// merged each device's segments (all up to that number): the
	// snapshot holds what they did.
	Covers map[uuid.UUID]uint64 `json:"covers,omitempty"`
}

// Record is one record's version. A tombstone (Stamp.Deleted) carries
// nothing else.
type Record struct {
	Kind  string            `json:"kind"` // "article", "annotation", "labels"
	ID    uuid.UUID         `json:"id"`
	Stamp annotations.Stamp `json:"stamp"`

	// An article: its metadata, and — when its text changed — the text
	// in Article.Text, with its own version in TextStamp, and what belongs
	// to that text: its structure, its pictures, and for a PDF the file
	// and its page layout.
	Article   *annotations.Article   `json:"article,omitempty"`
	TextStamp *annotations.Stamp     `json:"text_stamp,omitempty"`
	Structure *annotations.Structure `json:"structure,omitempty"`
	File      []byte                 `json:"file,omitempty"`
	Layout    []byte                 `json:"layout,omitempty"`
	Images    map[string][]byte      `json:"images,omitempty"`

	Annotation *annotations.Annotation `json:"annotation,omitempty"`
	Labels     annotations.ColorLabels `json:"labels,omitempty"`

	// Into, on an article's deletion, names the article with the same
	// text it was found to be one with: its annotations moved there.
	Into *uuid.UUID `json:"into,omitempty"`
}

var kindNames = map[annotations.RecordKind]string{
	annotations.RecordArticle:    "article",
	annotations.RecordAnnotation: "annotation",
	annotations.RecordLabels:     "labels",
}

func kindOf(name string) (annotations.RecordKind, bool) {
	for k, n := range kindNames {
		if n == name {
			return k, true
		}
	}
	return 0, false
}

// segmentName matches a segment's file name: the sequence number (12
// digits or more) and the first 16 hex digits of the SHA-256 of the file.
var segmentName = regexp.MustCompile(`^([0-9]{12,20})-([0-9a-f]{16})\.json\.gz$`)

// SegmentName returns the file name of a segment with these bytes.
func SegmentName(seq uint64, file []byte) string {
	sum := sha256.Sum256(file)
	return fmt.Sprintf("%012d-%s.json.gz", seq, hex.EncodeToString(sum[:8]))
}

// ParseSegmentName returns the sequence number and checksum a segment's
// name carries; ok is false for any other name.
func ParseSegmentName(name string) (seq uint64, sum string, ok bool) {
	m := segmentName.FindStringSubmatch(name)
	if m == nil {
		return 0, "", false
	}
	seq, err := strconv.ParseUint(m[1], 10, 64)
	if err != nil || seq == 0 {
		return 0, "", false
	}
	return seq, m[2], true
}

// EncodeSegment returns a segment's file: gzip-compressed JSON.
func EncodeSegment(s Segment) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() > MaxSegmentFile {
		return nil, fmt.Errorf("a segment of %d MiB is over the limit of %d MiB", buf.Len()>>20, MaxSegmentFile>>20)
	}
	return buf.Bytes(), nil
}

// DecodeSegment reads a segment's file named name, checks it against its
// checksum and its shape, and returns it. The records' contents are
// checked when they are applied.
func DecodeSegment(name string, file []byte) (Segment, error) {
	seq, sum, ok := ParseSegmentName(name)
	if !ok {
		return Segment{}, fmt.Errorf("%q is not a segment's name", name)
	}
	s, err := decodeFile(file, sum)
	if err != nil {
		return s, err
	}
	if s.Seq != seq || s.Covers != nil {
		return s, fmt.Errorf("it says it is number %d", s.Seq)
	}
	return s, nil
}

// decodeFile reads a segment's or a snapshot's file and checks it against
// its checksum and its shape.
func decodeFile(file []byte, sum string) (Segment, error) {
	var s Segment
	got := sha256.Sum256(file)
	if hex.EncodeToString(got[:8]) != sum {
		return s, ErrIncomplete
	}
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		return s, fmt.Errorf("not gzip: %v", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, MaxSegmentBytes+1))
	if err != nil {
		return s, fmt.Errorf("damaged gzip: %v", err)
	}
	if len(raw) > MaxSegmentBytes {
		return s, fmt.Errorf("it holds over %d MiB", MaxSegmentBytes>>20)
	}
	// The format version first, so that a newer segment is named as
	// such rather than as damaged.
	var head struct {
		Format int `json:"gloss_sync"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return s, fmt.Errorf("not a segment: %v", err)
	}
	if head.Format > FormatVersion {
		return s, fmt.Errorf("format %d, %w", head.Format, ErrNewerFormat)
	}
	if head.Format != FormatVersion {
		return s, fmt.Errorf("not a segment (format %d)", head.Format)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("not a segment: %v", err)
	}
	if len(s.Records) > MaxRecords {
		return s, fmt.Errorf("%d records, over the limit of %d", len(s.Records), MaxRecords)
	}
	for i, r := range s.Records {
		if err := r.checkShape(); err != nil {
			return s, fmt.Errorf("record %d: %v", i+1, err)
		}
	}
	return s, nil
}

// checkShape checks that a record carries what its kind needs, and
// nothing else.
func (r Record) checkShape() error {
	kind, ok := kindOf(r.Kind)
	if !ok {
		return fmt.Errorf("unknown kind %s", annotations.QuoteInput(r.Kind))
	}
	if r.Stamp.Clock == 0 || r.Stamp.Device == uuid.Nil {
		return errors.New("no stamp")
	}
	if kind == annotations.RecordLabels {
		if r.ID != uuid.Nil {
			return errors.New("colour meanings with an ID")
		}
	} else if r.ID == uuid.Nil {
		return errors.New("no ID")
	}
	if r.Into != nil && !r.Stamp.Deleted {
		return errors.New("a record that is one with another and not deleted")
	}
	hasArticle := r.Article != nil || r.TextStamp != nil || r.Structure != nil || r.File != nil || r.Layout != nil || r.Images != nil
	switch {
	case r.Stamp.Deleted:
		if hasArticle || r.Annotation != nil || r.Labels != nil || (r.Into != nil && kind != annotations.RecordArticle) {
			return errors.New("a deletion that carries a record")
		}
		if kind == annotations.RecordLabels {
			return errors.New("the colour meanings deleted")
		}
	case kind == annotations.RecordArticle:
		if r.Article == nil || r.Annotation != nil || r.Labels != nil || r.Article.ID != r.ID {
			return errors.New("an article record without its article")
		}
		if r.Article.Text == "" && (r.TextStamp != nil || r.Structure != nil || r.File != nil || r.Layout != nil || r.Images != nil) {
			return errors.New("an article's structure, file or pictures without its text")
		}
		if r.Article.Text != "" && (r.TextStamp == nil || r.TextStamp.Clock == 0 || r.TextStamp.Device == uuid.Nil || r.TextStamp.Deleted) {
			return errors.New("an article's text without its version")
		}
		if len(r.Images) > maxSegmentImages {
			return fmt.Errorf("%d pictures", len(r.Images))
		}
	case kind == annotations.RecordAnnotation:
		if r.Annotation == nil || hasArticle || r.Labels != nil || r.Annotation.ID != r.ID {
			return errors.New("an annotation record without its annotation")
		}
	case kind == annotations.RecordLabels:
		if r.Labels == nil || hasArticle || r.Annotation != nil {
			return errors.New("a colour meanings record without them")
		}
	}
	return nil
}
