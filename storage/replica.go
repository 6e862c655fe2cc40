package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
)

// A library that syncs (annotations.ReplicaWriter) keeps, beside its
// records, made by EnableSync:
var (
	// stamps: kind ‖ record ID → the record's version: clock (8 bytes,
	// big-endian) ‖ device ID (16) ‖ flags (1: bit 0 deleted). A record
	// deleted for good keeps its stamp here (a tombstone).
	bucketStamps = []byte("sync_stamps")
	// pending: kind ‖ record ID → nil, the records changed here and not
	// yet sent.
	bucketPending = []byte("sync_pending")
	// marks: name ‖ 0x00 ‖ key → value, the sync's own bookkeeping
	// (segments applied, texts sent).
	bucketMarks = []byte("sync_marks")
)

// Keys in the meta bucket of a library that syncs.
var (
	keyDevice = []byte("sync_device")
	keyClock  = []byte("sync_clock")
)

var _ annotations.ReplicaWriter = txn{}

// replicaState is what a write transaction keeps of the library's
// replica: loaded at the first write that needs it.
type replicaState struct {
	loaded bool
	device uuid.UUID // uuid.Nil: the library does not sync
	clock  uint64
}

func recordKey(kind annotations.RecordKind, id uuid.UUID) []byte {
	k := make([]byte, 17)
	k[0] = byte(kind)
	copy(k[1:], id[:])
	return k
}

func encodeStamp(s annotations.Stamp) []byte {
	v := make([]byte, 25)
	binary.BigEndian.PutUint64(v, s.Clock)
	copy(v[8:], s.Device[:])
	if s.Deleted {
		v[24] = 1
	}
	return v
}

func decodeStamp(v []byte) (annotations.Stamp, error) {
	var s annotations.Stamp
	if len(v) != 25 || v[24] > 1 {
		return s, fmt.Errorf("%w: a sync stamp of %d bytes", ErrDamaged, len(v))
	}
	s.Clock = binary.BigEndian.Uint64(v)
	copy(s.Device[:], v[8:24])
	s.Deleted = v[24] == 1
	return s, nil
}

// replica loads the replica state of a write transaction.
func (t txn) replica() *replicaState {
	r := &t.w.replica
	if !r.loaded {
		r.loaded = true
		meta := t.bucket(bucketMeta)
		if d := meta.Get(keyDevice); len(d) == 16 && t.tx.Bucket(bucketStamps) != nil {
			copy(r.device[:], d)
		}
		if c := meta.Get(keyClock); len(c) == 8 {
			r.clock = binary.BigEndian.Uint64(c)
		}
	}
	return r
}

// now is the wall clock of stamps (the DB's clock when tests set one).
func (t txn) now() time.Time {
	if t.w != nil && t.w.db != nil && t.w.db.opts.Now != nil {
		return t.w.db.opts.Now()
	}
	return time.Now()
}

// touch gives a record written here a new stamp and puts it on the list
// to send, when the library syncs and the write is this device's.
func (t txn) touch(kind annotations.RecordKind, id uuid.UUID, deleted bool) error {
	if t.w == nil || t.remote {
		return nil
	}
	r := t.replica()
	if r.device == uuid.Nil {
		return nil
	}
	r.clock = annotations.NextClock(r.clock, t.now())
	if err := t.saveClock(r.clock); err != nil {
		return err
	}
	s := annotations.Stamp{Clock: r.clock, Device: r.device, Deleted: deleted}
	key := recordKey(kind, id)
	if err := t.bucket(bucketStamps).Put(key, encodeStamp(s)); err != nil {
		return err
	}
	return t.bucket(bucketPending).Put(key, nil)
}

func (t txn) saveClock(c uint64) error {
	v := make([]byte, 8)
	binary.BigEndian.PutUint64(v, c)
	return t.bucket(bucketMeta).Put(keyClock, v)
}

// EnableSync implements annotations.ReplicaWriter.
func (t txn) EnableSync(device uuid.UUID) error {
	if device == uuid.Nil {
		return fmt.Errorf("a device needs an ID")
	}
	if old, err := t.Device(); err != nil {
		return err
	} else if old == device {
		return nil
	} else if old != uuid.Nil {
		return fmt.Errorf("this library syncs already as device %s", old)
	}
	for _, name := range [][]byte{bucketStamps, bucketPending, bucketMarks} {
		if _, err := t.tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	if err := t.bucket(bucketMeta).Put(keyDevice, device[:]); err != nil {
		return err
	}
	r := t.replica()
	r.loaded, r.device = true, device
	// Every record there is gets a stamp, of the time it last changed:
	// an older library joining does not win over newer edits because it
	// joined later. The colour meanings have no such time: theirs is the
	// earliest stamp there is, so that a library's defaults never win
	// over meanings set on a device that synced already.
	if err := t.Articles(func(a annotations.Article) error {
		if err := t.stampAt(annotations.RecordText, a.ID, annotations.ClockFor(a.UpdatedAt)); err != nil {
			return err
		}
		return t.stampAt(annotations.RecordArticle, a.ID, annotations.ClockFor(a.UpdatedAt))
	}); err != nil {
		return err
	}
	if err := t.Annotations(func(a annotations.Annotation) error {
		return t.stampAt(annotations.RecordAnnotation, a.ID, annotations.ClockFor(a.UpdatedAt))
	}); err != nil {
		return err
	}
	return t.stampAt(annotations.RecordLabels, uuid.Nil, 1)
}

// stampAt stamps a record of this device at a given clock reading (at
// least 1), to be sent.
func (t txn) stampAt(kind annotations.RecordKind, id uuid.UUID, clock uint64) error {
	r := t.replica()
	clock = max(clock, 1)
	if err := t.SeeClock(clock); err != nil {
		return err
	}
	key := recordKey(kind, id)
	if err := t.bucket(bucketStamps).Put(key, encodeStamp(annotations.Stamp{Clock: clock, Device: r.device})); err != nil {
		return err
	}
	return t.bucket(bucketPending).Put(key, nil)
}

// Device implements annotations.ReplicaWriter.
func (t txn) Device() (uuid.UUID, error) {
	var id uuid.UUID
	d := t.bucket(bucketMeta).Get(keyDevice)
	if d == nil || t.tx.Bucket(bucketStamps) == nil {
		return id, nil
	}
	if len(d) != 16 {
		return id, fmt.Errorf("%w: the device ID has %d bytes", ErrDamaged, len(d))
	}
	copy(id[:], d)
	return id, nil
}

// Clock implements annotations.ReplicaWriter.
func (t txn) Clock() (uint64, error) {
	if t.w != nil {
		return t.replica().clock, nil
	}
	if c := t.bucket(bucketMeta).Get(keyClock); len(c) == 8 {
		return binary.BigEndian.Uint64(c), nil
	}
	return 0, nil
}

// SeeClock implements annotations.ReplicaWriter.
func (t txn) SeeClock(c uint64) error {
	r := t.replica()
	if c <= r.clock {
		return nil
	}
	r.clock = c
	return t.saveClock(c)
}

// Stamp implements annotations.ReplicaWriter.
func (t txn) Stamp(kind annotations.RecordKind, id uuid.UUID) (annotations.Stamp, error) {
	b := t.tx.Bucket(bucketStamps)
	if b == nil {
		return annotations.Stamp{}, nil
	}
	v := b.Get(recordKey(kind, id))
	if v == nil {
		return annotations.Stamp{}, nil
	}
	return decodeStamp(v)
}

// Stamps implements annotations.ReplicaWriter.
func (t txn) Stamps(fn func(annotations.RecordKind, uuid.UUID, annotations.Stamp) error) error {
	b := t.tx.Bucket(bucketStamps)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		if len(k) != 17 {
			return fmt.Errorf("%w: a sync stamp key of %d bytes", ErrDamaged, len(k))
		}
		s, err := decodeStamp(v)
		if err != nil {
			return err
		}
		return fn(annotations.RecordKind(k[0]), uuid.UUID(k[1:]), s)
	})
}

// Pending implements annotations.ReplicaWriter.
func (t txn) Pending(fn func(annotations.RecordKind, uuid.UUID, annotations.Stamp) error) error {
	b := t.tx.Bucket(bucketPending)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, _ []byte) error {
		if len(k) != 17 {
			return fmt.Errorf("%w: a pending sync key of %d bytes", ErrDamaged, len(k))
		}
		kind, id := annotations.RecordKind(k[0]), uuid.UUID(k[1:])
		s, err := t.Stamp(kind, id)
		if err != nil {
			return err
		}
		return fn(kind, id, s)
	})
}

// PendingCount implements annotations.ReplicaWriter.
func (t txn) PendingCount() (int, error) {
	b := t.tx.Bucket(bucketPending)
	if b == nil {
		return 0, nil
	}
	return b.Stats().KeyN, nil
}

// Sent implements annotations.ReplicaWriter.
func (t txn) Sent(kind annotations.RecordKind, id uuid.UUID, s annotations.Stamp) error {
	now, err := t.Stamp(kind, id)
	if err != nil || now != s {
		return err
	}
	return t.bucket(bucketPending).Delete(recordKey(kind, id))
}

// Tombstone implements annotations.ReplicaWriter.
func (t txn) Tombstone(kind annotations.RecordKind, id uuid.UUID) error {
	return t.touch(kind, id, true)
}

// Remote implements annotations.ReplicaWriter.
func (t txn) Remote() annotations.Writer {
	t.remote = true
	return t
}

// SetStamp implements annotations.ReplicaWriter.
func (t txn) SetStamp(kind annotations.RecordKind, id uuid.UUID, s annotations.Stamp) error {
	key := recordKey(kind, id)
	if err := t.bucket(bucketStamps).Put(key, encodeStamp(s)); err != nil {
		return err
	}
	if err := t.bucket(bucketPending).Delete(key); err != nil {
		return err
	}
	return t.SeeClock(s.Clock)
}

func markKey(name string, key []byte) []byte {
	return append(append([]byte(name), 0), key...)
}

// Mark implements annotations.ReplicaWriter.
func (t txn) Mark(name string, key, value []byte) error {
	b := t.bucket(bucketMarks)
	if value == nil {
		return b.Delete(markKey(name, key))
	}
	return b.Put(markKey(name, key), value)
}

// Marked implements annotations.ReplicaWriter.
func (t txn) Marked(name string, key []byte) ([]byte, error) {
	b := t.tx.Bucket(bucketMarks)
	if b == nil {
		return nil, nil
	}
	v := b.Get(markKey(name, key))
	if v == nil {
		return nil, nil
	}
	return append([]byte{}, v...), nil
}

// Marks implements annotations.ReplicaWriter.
func (t txn) Marks(name string, prefix []byte, fn func(key, value []byte) error) error {
	b := t.tx.Bucket(bucketMarks)
	if b == nil {
		return nil
	}
	p := markKey(name, prefix)
	c := b.Cursor()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if err := fn(append([]byte{}, k[len(name)+1:]...), append([]byte{}, v...)); err != nil {
			return err
		}
	}
	return nil
}

// checkReplica verifies the stamps decode and every pending record has a
// stamp.
func checkReplica(tx *bolt.Tx) error {
	stamps := tx.Bucket(bucketStamps)
	if stamps == nil {
		return nil
	}
	if err := stamps.ForEach(func(k, v []byte) error {
		if len(k) != 17 || !annotations.RecordKind(k[0]).Valid() {
			return fmt.Errorf("a sync stamp key of %d bytes", len(k))
		}
		_, err := decodeStamp(v)
		return err
	}); err != nil {
		return err
	}
	if p := tx.Bucket(bucketPending); p != nil {
		return p.ForEach(func(k, _ []byte) error {
			if stamps.Get(k) == nil {
				return fmt.Errorf("a record to send (%x) has no stamp", k)
			}
			return nil
		})
	}
	return nil
}
