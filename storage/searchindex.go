package storage

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/search"
)

// The search index (package search owns its format) lives in buckets of
// the library, written in the same transaction as the annotations and
// article titles it is made from: txn.PutAnnotations and txn.PutArticle
// keep it in step, so every path that writes (the service, imports, undo,
// revisions, migrations) does too. A search reads it in a transaction of
// its own, through the DB's search.Cache, which keeps the vocabulary and
// the documents in memory between searches and follows this DB's commits.

// boltKV adapts a bbolt transaction to search.KV.
type boltKV struct{ tx *bolt.Tx }

func (kv boltKV) Bucket(name []byte) search.Bucket {
	b := kv.tx.Bucket(name)
	if b == nil {
		return nil
	}
	if kv.tx.Writable() {
		for _, appended := range search.AppendOrdered {
			if string(appended) == string(name) {
				b.FillPercent = appendFill
			}
		}
	}
	return boltBucket{b}
}

type boltBucket struct{ *bolt.Bucket }

func (b boltBucket) Cursor() search.Cursor { return b.Bucket.Cursor() }

// writeState is what a write transaction keeps beside bbolt's: the search
// index's writer (made when first needed) and the changes to tell the
// DB's search cache once the transaction commits.
type writeState struct {
	db     *DB
	search *search.Writer
	deltas []*search.Delta
	// big keeps the large annotation records decoded in this transaction
	// (see txn.Annotation).
	big map[uuid.UUID]decoded
	// replica is the sync's clock and device (see replica.go).
	replica replicaState
}

// decoded is an annotation record as decoded, with the stored bytes it
// came from (their address and length tell whether it changed since).
type decoded struct {
	at  *byte
	n   int
	ann annotations.Annotation
}

// write runs fn in the write transaction tx, then finishes the search
// index's writes (staged entries are appended before the commit) and has
// the search cache follow them after it.
func (db *DB) write(tx *bolt.Tx, fn func(annotations.Writer) error) error {
	t := txn{tx: tx, w: &writeState{db: db}}
	if err := fn(t); err != nil {
		return err
	}
	return t.finish()
}

func (t txn) finish() error {
	w := t.w
	if w == nil || w.search == nil {
		return nil
	}
	if err := w.search.Flush(); err != nil {
		return searchError(err)
	}
	if w.db != nil && len(w.deltas) > 0 {
		deltas, cache := w.deltas, &w.db.search
		t.tx.OnCommit(func() {
			for _, d := range deltas {
				cache.Changed(d)
			}
		})
	}
	return nil
}

// searchWriter returns the transaction's search index writer, or nil when
// this transaction keeps no index (a read, or a migration before it).
func (t txn) searchWriter() (*search.Writer, error) {
	if t.w == nil {
		return nil, nil
	}
	if t.w.search == nil {
		w, err := search.NewWriter(boltKV{t.tx})
		if err != nil {
			return nil, searchError(err)
		}
		t.w.search = w
	}
	return t.w.search, nil
}

// indexSearch brings the search index in step with a batch of annotations
// just written (their old versions in changes).
func (t txn) indexSearch(changes []search.Change, titles map[uuid.UUID]string) error {
	if len(changes) == 0 {
		return nil
	}
	w, err := t.searchWriter()
	if w == nil {
		return err
	}
	d, err := w.Update(changes, func(id uuid.UUID) (string, error) {
		if title, ok := titles[id]; ok {
			return title, nil
		}
		a, err := t.Article(id)
		return a.Title, err
	})
	if err != nil {
		return searchError(err)
	}
	t.w.deltas = append(t.w.deltas, d)
	return nil
}

// retitleSearch gives an article a new title in the search index.
func (t txn) retitleSearch(id uuid.UUID, title string) error {
	w, err := t.searchWriter()
	if w == nil {
		return err
	}
	d, err := w.SetTitle(id, title)
	if err != nil {
		return searchError(err)
	}
	if d != nil {
		t.w.deltas = append(t.w.deltas, d)
	}
	return nil
}

// searchError makes a damaged search index an ErrDamaged.
func searchError(err error) error {
	if errors.Is(err, search.ErrCorrupt) {
		return fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	return err
}

// Search runs a query on the library's search index (the query language
// of search.Index.Search: words forgiven typos, prefixes and
// abbreviations, "phrases", tag:, color:, article:, is:, has:) and returns
// up to limit hits (search.DefaultLimit when limit <= 0), best first: the
// same hits, order, scores and match ranges as an in-memory index of the
// library's annotations. A query that cannot be read returns an error
// wrapping search.ErrQuery.
//
// Search reads in a transaction of its own, so it is safe to call while
// another goroutine writes. It reads no more than it needs: the postings of
// the words the query matches and the records of the hits. The index's
// vocabulary and documents stay in memory between calls and follow this
// DB's writes (the first call of a process loads them: about 0.1 s for a
// million annotations).
func (db *DB) Search(query string, limit int) ([]search.Hit, error) {
	var hits []search.Hit
	err := db.viewTx(func(tx *bolt.Tx) (err error) {
		if tx.Bucket(search.BucketMeta) == nil {
			hits, err = searchUnindexed(tx, query, limit)
			return err
		}
		hits, err = db.search.Search(boltKV{tx}, txn{tx: tx}.Annotation, query, limit)
		return err
	})
	if errors.Is(err, search.ErrCorrupt) && !errors.Is(err, ErrDamaged) {
		return nil, damaged(db.path, err)
	}
	return hits, err
}

// SearchCount returns the number of annotations a search looks through
// (those not in the trash), read from the search index's state alone.
func (db *DB) SearchCount() (int, error) {
	var n int
	err := db.viewTx(func(tx *bolt.Tx) (err error) {
		if tx.Bucket(search.BucketMeta) == nil {
			counts, err := txn{tx: tx}.ArticleCounts()
			for _, c := range counts {
				n += c
			}
			return err
		}
		n, err = search.Count(boltKV{tx})
		return err
	})
	if errors.Is(err, search.ErrCorrupt) {
		return 0, damaged(db.path, err)
	}
	return n, err
}

// searchUnindexed searches a library from before the search index (opened
// read-only, so not migrated) by building an index in memory.
func searchUnindexed(tx *bolt.Tx, query string, limit int) ([]search.Hit, error) {
	if err := search.Validate(query); err != nil {
		return nil, err
	}
	t := txn{tx: tx}
	var as []annotations.Annotation
	if err := t.Annotations(func(a annotations.Annotation) error {
		if !a.Trashed() {
			as = append(as, a)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	titles := map[uuid.UUID]string{}
	if err := t.Articles(func(a annotations.Article) error {
		titles[a.ID] = a.Title
		return nil
	}); err != nil {
		return nil, err
	}
	return search.Build(as, titles, nil).Search(query, limit)
}

// buildIndexes (schema 2 → 3) keys the tag index by annotations.TagKey
// (tags compared without accents too) and builds the search index, from
// the annotation records, a batch at a time.
func buildIndexes(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketByTag); err != nil {
		return err
	}
	byTag, err := tx.CreateBucket(bucketByTag)
	if err != nil {
		return err
	}
	for _, name := range search.Buckets {
		// (A library of schema 2 has none; whatever is there is rebuilt.)
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	w, err := search.NewWriter(boltKV{tx})
	if err != nil {
		return err
	}
	t := txn{tx: tx}
	titles := map[uuid.UUID]string{}
	if err := t.Articles(func(a annotations.Article) error {
		titles[a.ID] = a.Title
		return nil
	}); err != nil {
		return err
	}
	title := func(id uuid.UUID) (string, error) {
		if title, ok := titles[id]; ok {
			return title, nil
		}
		return "", fmt.Errorf("%w: an annotation of a missing article %s", ErrDamaged, id)
	}
	// The tag index is new and empty: its entries go in at the end, in key
	// order (see PutAnnotations).
	var tags, places []keyValue
	batch := make([]annotations.Annotation, 0, 8192)
	index := func() error {
		changes := make([]search.Change, len(batch))
		for i := range batch {
			changes[i].New = &batch[i]
		}
		if _, err := w.Update(changes, title); err != nil {
			return err
		}
		batch = make([]annotations.Annotation, 0, 8192)
		return nil
	}
	err = t.Annotations(func(a annotations.Annotation) error {
		for _, tag := range distinctTags(a.Tags) {
			tags = append(tags, keyValue{tagKey(tag, a.ID), tagIndexValue(a, tag)})
		}
		// The article index's values gain the annotation's place.
		places = append(places, keyValue{articleKey(a.ArticleID, a.ID), articleIndexValue(a)})
		batch = append(batch, a)
		if len(batch) == cap(batch) {
			return index()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := index(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := putSorted(tx.Bucket(bucketByArticle), places); err != nil {
		return err
	}
	return putSorted(byTag, tags)
}
