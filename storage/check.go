package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/search"
)

// maxProblems bounds how many problems Check reports.
const maxProblems = 50

// Check verifies the library: bbolt's own page-level check (tx.Check), then
// Gloss's invariants — every record decodes, every article has its text and
// the right hash, every index entry matches a record and the other way
// round, the search index agrees with the records (search.Verifier
// makes the postings the records call for and compares), and the kept
// structures and pictures belong to articles and fit them. It returns the
// problems found (nil when the library is sound). It reads every record:
// for a million annotations, some seconds.
func (db *DB) Check() []error {
	var problems []error
	report := func(format string, args ...any) {
		if len(problems) < maxProblems {
			problems = append(problems, fmt.Errorf(format, args...))
		}
	}
	err := db.viewTx(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			report("bbolt: %v", err)
		}
		if len(problems) > 0 {
			return nil
		}
		version, err := readVersion(tx)
		if err != nil {
			report("%v", err)
			return nil
		} else if version < 1 || version > schemaVersion {
			report("schema version %d, this Gloss reads 1 to %d", version, schemaVersion)
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil && (version >= 3 || !isSearchBucket(name)) {
				report("bucket %s is missing", name)
			}
		}
		if len(problems) > 0 {
			return nil
		}
		// The search index (schema 3 on) is checked against every record
		// as the other checks read them.
		var index *search.Verifier
		if version >= 3 {
			index = search.NewVerifier(boltKV{tx}, maxProblems)
		}
		checkArticles(tx, index, report)
		checkAnnotations(tx, version, index, report)
		checkRevisions(tx, report)
		checkStructures(tx, report)
		checkPictures(tx, report)
		if err := checkReplica(tx); err != nil {
			report("sync: %v", err)
		}
		if index != nil {
			for _, p := range index.Problems() {
				report("%v", p)
			}
		}
		return nil
	})
	if err != nil {
		problems = append(problems, err)
	}
	return problems
}

func isSearchBucket(name []byte) bool {
	return slices.ContainsFunc(search.Buckets, func(b []byte) bool { return bytes.Equal(b, name) })
}

func checkArticles(tx *bolt.Tx, index *search.Verifier, report func(string, ...any)) {
	texts, hashes := tx.Bucket(bucketTexts), tx.Bucket(bucketByHash)
	_ = tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
		var a annotations.Article
		if err := json.Unmarshal(v, &a); err != nil {
			report("article %x does not decode: %v", k, err)
			return nil
		}
		if index != nil {
			index.Article(a.ID, a.Title)
		}
		if !bytes.Equal(a.ID[:], k) {
			report("article %x is stored under key %x", a.ID, k)
		}
		text := texts.Get(k)
		switch {
		case text == nil:
			report("article %s has no text", a.ID)
		case annotations.HashText(string(text)) != a.Hash:
			report("article %s: its text does not match its hash", a.ID)
		}
		if got := hashes.Get([]byte(a.Hash)); !bytes.Equal(got, k) {
			report("article %s is missing from the hash index", a.ID)
		}
		return nil
	})
	_ = texts.ForEach(func(k, _ []byte) error {
		if tx.Bucket(bucketArticles).Get(k) == nil {
			report("text %x belongs to no article", k)
		}
		return nil
	})
	_ = hashes.ForEach(func(k, v []byte) error {
		raw := tx.Bucket(bucketArticles).Get(v)
		var a annotations.Article
		if raw == nil || json.Unmarshal(raw, &a) != nil || a.Hash != string(k) {
			report("hash index entry %s points to no matching article", k)
		}
		return nil
	})
}

// checkAnnotations checks the annotation records against the indexes; with
// values set (schema 2 on), the index values too; and feeds every record
// to the search index's check (schema 3 on). The tag index is keyed by
// annotations.TagKey from schema 3; before, by a case fold that this
// version no longer makes, so its keys are not checked.
func checkAnnotations(tx *bolt.Tx, version int, index *search.Verifier, report func(string, ...any)) {
	values := version >= 2
	records := tx.Bucket(bucketAnnotations)
	byArticle, byTag := tx.Bucket(bucketByArticle), tx.Bucket(bucketByTag)
	wantArticle := map[string]bool{}
	wantTag := map[string]bool{}
	hasValue := func(b *bolt.Bucket, key, want []byte) bool {
		k, v := b.Cursor().Seek(key)
		return bytes.Equal(k, key) && bytes.Equal(v, want)
	}
	_ = records.ForEach(func(k, v []byte) error {
		var a annotations.Annotation
		if err := json.Unmarshal(v, &a); err != nil {
			report("annotation %x does not decode: %v", k, err)
			return nil
		}
		if !bytes.Equal(a.ID[:], k) {
			report("annotation %x is stored under key %x", a.ID, k)
		}
		if index != nil {
			index.Annotation(&a)
		}
		if tx.Bucket(bucketArticles).Get(a.ArticleID[:]) == nil {
			report("annotation %s belongs to a missing article %s", a.ID, a.ArticleID)
		}
		if !a.Color.Valid() || !a.Status.Valid() {
			report("annotation %s has colour %q and status %q", a.ID, a.Color, a.Status)
		}
		key := articleKey(a.ArticleID, a.ID)
		wantArticle[string(key)] = true
		if !hasKey(byArticle, key) {
			report("annotation %s is missing from the article index", a.ID)
		} else if values && !hasValue(byArticle, key, articleIndexValue(a)) {
			report("annotation %s has a wrong article index entry", a.ID)
		}
		for _, tag := range distinctTags(a.Tags) {
			if version < 3 {
				break
			}
			key := tagKey(tag, a.ID)
			wantTag[string(key)] = true
			if !hasKey(byTag, key) {
				report("annotation %s is missing from the index of tag %q", a.ID, tag)
			} else if values && !hasValue(byTag, key, tagIndexValue(a, tag)) {
				report("annotation %s has a wrong entry in the index of tag %q", a.ID, tag)
			}
		}
		return nil
	})
	_ = byArticle.ForEach(func(k, _ []byte) error {
		if !wantArticle[string(k)] {
			id, _ := uuid.FromBytes(k[min(16, len(k)):])
			report("the article index holds a stale entry for annotation %s", id)
		}
		return nil
	})
	_ = byTag.ForEach(func(k, _ []byte) error {
		if !wantTag[string(k)] && version >= 3 {
			report("the tag index holds a stale entry %q", k)
		}
		return nil
	})
}

// hasKey reports whether b holds key (Get cannot tell a nil value from a
// missing key).
func hasKey(b *bolt.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return bytes.Equal(k, key)
}

// checkRevisions checks that every kept revision decodes and belongs to an
// article of the library.
func checkRevisions(tx *bolt.Tx, report func(string, ...any)) {
	b := tx.Bucket(bucketRevisions)
	if b == nil {
		return
	}
	_ = b.ForEach(func(k, v []byte) error {
		var r annotations.Revision
		if len(k) != 24 || json.Unmarshal(v, &r) != nil || !bytes.Equal(r.ArticleID[:], k[:16]) {
			report("revision %x does not decode", k)
			return nil
		}
		if tx.Bucket(bucketArticles).Get(k[:16]) == nil {
			report("revision %x belongs to a missing article", k)
		}
		return nil
	})
}

// checkStructures checks that every kept structure belongs to an article
// of the library, decodes, and — the one of the article's current text —
// fits that text. (Those of earlier texts are kept for their revisions.)
func checkStructures(tx *bolt.Tx, report func(string, ...any)) {
	b := tx.Bucket(bucketStructures)
	if b == nil {
		return
	}
	_ = b.ForEach(func(k, v []byte) error {
		if len(k) <= 16 {
			report("structure %x has a malformed key", k)
			return nil
		}
		raw := tx.Bucket(bucketArticles).Get(k[:16])
		if raw == nil {
			report("structure %x belongs to a missing article", k[:16])
			return nil
		}
		var st annotations.Structure
		if err := st.UnmarshalBinary(v); err != nil {
			report("structure of article %x does not decode: %v", k[:16], err)
			return nil
		}
		a, err := decodeArticle(raw)
		if err != nil || a.Hash != string(k[16:]) {
			return nil // an earlier text's, or the article's own problem (reported above)
		}
		if err := st.Check(utf8.RuneCount(tx.Bucket(bucketTexts).Get(k[:16]))); err != nil {
			report("structure of article %x does not fit its text: %v", k[:16], err)
		}
		return nil
	})
}

// checkPictures checks that every kept picture belongs to an article of
// the library and is named by its hash.
func checkPictures(tx *bolt.Tx, report func(string, ...any)) {
	b := tx.Bucket(bucketImages)
	if b == nil {
		return
	}
	_ = b.ForEach(func(k, v []byte) error {
		if len(k) <= 16 {
			report("picture %x has a malformed key", k)
			return nil
		}
		if tx.Bucket(bucketArticles).Get(k[:16]) == nil {
			report("picture %.30s belongs to a missing article %x", k[16:], k[:16])
			return nil
		}
		if annotations.ImageKey(v) != string(k[16:]) {
			report("picture %.30s of article %x does not match its hash", k[16:], k[:16])
		}
		return nil
	})
}

// quickCheck is the check an automatic backup makes before it rotates an
// older copy out: bbolt's own check of every page (what a damaged file
// fails), the schema version and the buckets. It reads no record: on a
// library of a million annotations it takes about a second where Check
// takes 25 (it decodes every record and verifies every index).
func (db *DB) quickCheck() error {
	return db.viewTx(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("bbolt: %w", err)
		}
		version, err := readVersion(tx)
		if err != nil {
			return err
		}
		if version < 1 || version > schemaVersion {
			return fmt.Errorf("schema version %d, this Gloss reads 1 to %d", version, schemaVersion)
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil && (version >= 3 || !isSearchBucket(name)) {
				return fmt.Errorf("bucket %s is missing", name)
			}
		}
		return nil
	})
}
