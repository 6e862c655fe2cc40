package search

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// KV is one transaction of the ordered key-value store that a persisted
// index lives in (storage adapts a bbolt transaction to it). The search
// package owns the format of what it keeps there; the store only holds the
// bytes, in the same transaction as the annotations they were made from.
type KV interface {
	// Bucket returns the bucket of that name, or nil when there is none.
	Bucket(name []byte) Bucket
}

// Bucket is an ordered map of byte keys to byte values, as a bbolt bucket
// is. Keys and values that Get and cursors return are valid until the next
// change of the bucket or the end of the transaction; a value given to Put
// must stay unchanged until the end of the transaction (bbolt keeps it, not
// a copy, until it commits). In a read-only transaction Put and Delete are
// not called.
type Bucket interface {
	Get(key []byte) []byte
	Put(key, value []byte) error
	Delete(key []byte) error
	Cursor() Cursor
}

// Cursor walks a bucket in key order, as a bbolt cursor does: each method
// returns the key and value it lands on, or a nil key past either end. A
// change to the bucket invalidates its cursors' positions: seek again.
type Cursor interface {
	First() (key, value []byte)
	Last() (key, value []byte)
	Seek(seek []byte) (key, value []byte)
	Next() (key, value []byte)
	Prev() (key, value []byte)
}

// The buckets of a persisted index:
//
//	search_meta      "state" → format version (1 byte), generation (8),
//	                 next document number (4), live documents (4), next
//	                 article number (4), words (4), bytes of the words
//	                 (4), big-endian
//	search_terms     word → number of live articles whose title holds it
//	                 (uvarint); every word of the vocabulary is here
//	search_postings  uvarint(len(word)) ‖ word ‖ first document (4, big
//	                 endian) → a chunk of the word's postings
//	search_tags      uvarint(len(key)) ‖ tag key ‖ first document (4) → a
//	                 chunk of the documents that carry the tag
//	search_docs      block number (4) → docsPerBlock document records
//	search_ids       annotation ID (16) → its document number (4)
//	search_articles  article ID (16) → article number (4) ‖ live documents
//	                 (uvarint) ‖ title
//
// A chunk is a list of ascending 32-bit entries (doc<<fieldBits|fields for
// postings, doc for tags) as unsigned varints of the differences: the first
// from the first document of its key, each next from the one before (so
// none is 0). The key's document is a lower bound of the chunk's and is
// above every document of the chunk before it. A list is cut into chunks of
// about chunkBytes, so that a change rewrites one chunk, not the list.
// Length-prefixed words keep the keys of two words from interleaving.
var (
	BucketMeta     = []byte("search_meta")
	BucketTerms    = []byte("search_terms")
	BucketPostings = []byte("search_postings")
	BucketTags     = []byte("search_tags")
	BucketDocs     = []byte("search_docs")
	BucketIDs      = []byte("search_ids")
	BucketArticles = []byte("search_articles")
)

// Buckets lists the buckets of a persisted index: the store makes them,
// empty, for a new library (an index with no documents).
var Buckets = [][]byte{BucketMeta, BucketTerms, BucketPostings, BucketTags, BucketDocs, BucketIDs, BucketArticles}

// AppendOrdered lists the buckets whose keys mostly grow (block numbers,
// UUIDv7 IDs): a store may fill their pages fuller.
var AppendOrdered = [][]byte{BucketDocs, BucketIDs}

// ErrCorrupt is returned (wrapped, saying what) when a persisted index
// cannot be read or does not agree with itself: a chunk that does not
// decode, entries out of order, a document or an article that is missing.
var ErrCorrupt = errors.New("the search index is damaged")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// formatVersion is the version of the format above.
const formatVersion = 1

var keyState = []byte("state")

// indexMeta is the search_meta record.
type indexMeta struct {
	gen         uint64
	nextDoc     uint32
	live        uint32
	nextArticle uint32
	words       uint32 // in the vocabulary (search_terms)
	wordBytes   uint32 // their bytes, all together
}

const metaSize = 1 + 8 + 4 + 4 + 4 + 4 + 4

func readMeta(b Bucket) (indexMeta, error) {
	raw := b.Get(keyState)
	if raw == nil {
		return indexMeta{}, nil // a new, empty index
	}
	if len(raw) != metaSize || raw[0] != formatVersion {
		return indexMeta{}, corrupt("its state record (%d bytes, version %d) is not of this version", len(raw), firstByte(raw))
	}
	m := indexMeta{
		gen:         binary.BigEndian.Uint64(raw[1:]),
		nextDoc:     binary.BigEndian.Uint32(raw[9:]),
		live:        binary.BigEndian.Uint32(raw[13:]),
		nextArticle: binary.BigEndian.Uint32(raw[17:]),
		words:       binary.BigEndian.Uint32(raw[21:]),
		wordBytes:   binary.BigEndian.Uint32(raw[25:]),
	}
	if m.live > m.nextDoc || m.nextDoc > maxDocs || m.wordBytes < m.words || m.wordBytes > m.words*maxWordBytes {
		return indexMeta{}, corrupt("its state says %d live documents of %d, %d words of %d bytes", m.live, m.nextDoc, m.words, m.wordBytes)
	}
	return m, nil
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}

func (m indexMeta) encode() []byte {
	raw := make([]byte, metaSize)
	raw[0] = formatVersion
	binary.BigEndian.PutUint64(raw[1:], m.gen)
	binary.BigEndian.PutUint32(raw[9:], m.nextDoc)
	binary.BigEndian.PutUint32(raw[13:], m.live)
	binary.BigEndian.PutUint32(raw[17:], m.nextArticle)
	binary.BigEndian.PutUint32(raw[21:], m.words)
	binary.BigEndian.PutUint32(raw[25:], m.wordBytes)
	return raw
}

// maxDocs bounds document numbers: a postings entry keeps fieldBits of
// fields below the number in 32 bits.
const maxDocs = 1<<(32-fieldBits) - 1

// buckets are a transaction's buckets of the index.
type buckets struct {
	meta, terms, postings, tags, docs, ids, articles Bucket
}

func openBuckets(kv KV) (buckets, error) {
	b := buckets{
		meta: kv.Bucket(BucketMeta), terms: kv.Bucket(BucketTerms), postings: kv.Bucket(BucketPostings),
		tags: kv.Bucket(BucketTags), docs: kv.Bucket(BucketDocs), ids: kv.Bucket(BucketIDs),
		articles: kv.Bucket(BucketArticles),
	}
	for i, x := range []Bucket{b.meta, b.terms, b.postings, b.tags, b.docs, b.ids, b.articles} {
		if x == nil {
			return b, corrupt("bucket %s is missing", Buckets[i])
		}
	}
	return b, nil
}
