package search

import (
	"bytes"
	"slices"
	"sort"
)

// memKV is an ordered key-value store in memory, for tests: buckets of
// sorted keys. Like bbolt it keeps the value slices it is given, not
// copies, so a caller that changes a value after Put corrupts the store
// (and a test finds it).
type memKV struct {
	buckets map[string]*memBucket
}

func newMemKV() *memKV {
	kv := &memKV{buckets: map[string]*memBucket{}}
	for _, name := range Buckets {
		kv.buckets[string(name)] = &memBucket{}
	}
	return kv
}

func (kv *memKV) Bucket(name []byte) Bucket {
	if b, ok := kv.buckets[string(name)]; ok {
		return b
	}
	return nil
}

// clone returns a copy of the store that shares no bucket with it (the
// values are shared: nobody changes them in place).
func (kv *memKV) clone() *memKV {
	c := &memKV{buckets: map[string]*memBucket{}}
	for name, b := range kv.buckets {
		c.buckets[name] = &memBucket{keys: slices.Clone(b.keys), values: slices.Clone(b.values)}
	}
	return c
}

type memBucket struct {
	keys   [][]byte
	values [][]byte
}

func (b *memBucket) find(k []byte) (int, bool) {
	i := sort.Search(len(b.keys), func(i int) bool { return bytes.Compare(b.keys[i], k) >= 0 })
	return i, i < len(b.keys) && bytes.Equal(b.keys[i], k)
}

func (b *memBucket) Get(k []byte) []byte {
	if i, ok := b.find(k); ok {
		return b.values[i]
	}
	return nil
}

func (b *memBucket) Put(k, v []byte) error {
	if v == nil {
		v = []byte{}
	}
	i, ok := b.find(k)
	if ok {
		b.values[i] = v
		return nil
	}
	b.keys = slices.Insert(b.keys, i, bytes.Clone(k))
	b.values = slices.Insert(b.values, i, v)
	return nil
}

func (b *memBucket) Delete(k []byte) error {
	if i, ok := b.find(k); ok {
		b.keys = slices.Delete(b.keys, i, i+1)
		b.values = slices.Delete(b.values, i, i+1)
	}
	return nil
}

func (b *memBucket) Cursor() Cursor { return &memCursor{b: b, i: -1} }

type memCursor struct {
	b *memBucket
	i int
}

func (c *memCursor) at() ([]byte, []byte) {
	if c.i < 0 || c.i >= len(c.b.keys) {
		c.i = min(max(c.i, -1), len(c.b.keys))
		return nil, nil
	}
	return c.b.keys[c.i], c.b.values[c.i]
}

func (c *memCursor) First() ([]byte, []byte) { c.i = 0; return c.at() }
func (c *memCursor) Last() ([]byte, []byte)  { c.i = len(c.b.keys) - 1; return c.at() }
func (c *memCursor) Next() ([]byte, []byte)  { c.i++; return c.at() }
func (c *memCursor) Prev() ([]byte, []byte) {
	if c.i >= len(c.b.keys) {
		c.i = len(c.b.keys)
	}
	c.i--
	return c.at()
}
func (c *memCursor) Seek(k []byte) ([]byte, []byte) {
	c.i, _ = c.b.find(k)
	return c.at()
}
