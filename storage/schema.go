package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/search"
)

// Bucket names. Keys of the record buckets are the 16 bytes of a UUIDv7,
// so new records append in key order.
var (
	bucketMeta        = []byte("meta")
	bucketArticles    = []byte("articles")    // article ID → article JSON (no text)
	bucketTexts       = []byte("texts")       // article ID → text
	bucketAnnotations = []byte("annotations") // annotation ID → annotation JSON
	bucketByArticle   = []byte("by_article")  // article ID ‖ annotation ID → nil
	bucketByTag       = []byte("by_tag")      // annotations.TagKey(tag) ‖ 0x00 ‖ annotation ID → see tagIndexValue
	bucketByHash      = []byte("by_hash")     // text hash → article ID
	// revisions (made when first needed): article ID ‖ big-endian sequence
	// number → the article's earlier text and annotations, as JSON.
	bucketRevisions = []byte("revisions")
	// files (made when first needed): article ID ‖ 'f' → the file the
	// article was read from (a PDF's bytes), article ID ‖ 'l' → its page
	// layout (annotations.PageLayout's binary form).
	bucketFiles = []byte("files")
	// structures (made when first needed): article ID ‖ text hash → how
	// that text of the article was set out (annotations.Structure, JSON).
	// Keyed by the text's hash too, so that a revision's earlier text, put
	// back by an undo, finds its own structure.
	bucketStructures = []byte("structures")
	// images (made when first needed): article ID ‖ picture key
	// (annotations.ImageKey) → a picture that came with the article.
	bucketImages = []byte("images")
)

// allBuckets are the buckets of a library: the records and indexes above,
// and the search index's (package search owns their format; see
// searchindex.go).
var allBuckets = append([][]byte{bucketMeta, bucketArticles, bucketTexts, bucketAnnotations, bucketByArticle, bucketByTag, bucketByHash}, search.Buckets...)

// Keys in the meta bucket.
var (
	keyVersion     = []byte("schema_version")
	keyColorLabels = []byte("color_labels")
)

// schemaVersion is the layout this build writes. A variable so tests can
// exercise the migration path.
//
//	1: records, and indexes whose values are empty.
//	2: the index values say whether the annotation is in the trash (and, in
//	   the tag index, how it spells the tag), so that highlight and tag
//	   counts are read from the indexes without decoding every annotation.
//	3: the tag index keyed by annotations.TagKey (accents do not matter
//	   either), the persisted search index (package search), and the
//	   article index's values hold each annotation's place (so that a
//	   highlight is found by its place without decoding an article's
//	   annotations).
var schemaVersion = 3

// migrations[v] upgrades a library from schema v to v+1 inside the
// transaction it is given.
var migrations = map[int]func(tx *bolt.Tx) error{
	1: fillIndexValues,
	2: buildIndexes,
}

// fillIndexValues (schema 1 → 2) writes every index entry again, with the
// values of schema 2, from the annotation records.
func fillIndexValues(tx *bolt.Tx) error {
	var all []annotations.Annotation
	err := tx.Bucket(bucketAnnotations).ForEach(func(_, v []byte) error {
		a, err := decodeAnnotation(v)
		if err != nil {
			return err
		}
		all = append(all, a)
		return nil
	})
	if err != nil {
		return err
	}
	return txn{tx: tx}.PutAnnotations(all) // no search index yet: schema 3 builds it
}

// appendFill is the FillPercent of buckets whose keys only grow (UUIDv7):
// pages split when nearly full rather than half full.
const appendFill = 0.9

// readVersion returns the schema version of the library, 0 for a file that
// holds nothing yet.
func readVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if empty {
			return 0, nil
		}
		return 0, errors.New("not a Gloss library: it has no meta bucket")
	}
	raw := meta.Get(keyVersion)
	if raw == nil {
		return 0, errors.New("not a Gloss library: it has no schema version")
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("not a Gloss library: schema version %q", raw)
	}
	return v, nil
}

func initialize(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	labels, err := json.Marshal(annotations.DefaultColorLabels)
	if err != nil {
		return err
	}
	meta := tx.Bucket(bucketMeta)
	if err := meta.Put(keyColorLabels, labels); err != nil {
		return err
	}
	return meta.Put(keyVersion, []byte(strconv.Itoa(schemaVersion)))
}

// migrate runs every migration from version up to schemaVersion in tx.
func migrate(tx *bolt.Tx, version int) error {
	for v := version; v < schemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no migration from schema %d", v)
		}
		if err := step(tx); err != nil {
			return fmt.Errorf("schema %d to %d: %w", v, v+1, err)
		}
		if err := tx.Bucket(bucketMeta).Put(keyVersion, []byte(strconv.Itoa(v+1))); err != nil {
			return err
		}
	}
	return nil
}
