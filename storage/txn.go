package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
	"github.com/gloss-notes/gloss/annotations/search"
)

// txn is a bbolt transaction seen as an annotations.Writer (or Reader, when
// the transaction is read-only). w is the state of a write transaction
// that keeps the search index in step (nil when reading, and in the
// migrations that come before the index).
type txn struct {
	tx *bolt.Tx
	w  *writeState
	// remote: the writes come from another device (see Remote): they get
	// no stamp of this one.
	remote bool
}

var _ annotations.Writer = txn{}

func (t txn) bucket(name []byte) *bolt.Bucket {
	b := t.tx.Bucket(name)
	if b == nil {
		// Open checked the schema; a missing bucket means damage.
		panic(fmt.Sprintf("bucket %s is missing", name))
	}
	return b
}

func (t txn) Article(id uuid.UUID) (annotations.Article, error) {
	raw := t.bucket(bucketArticles).Get(id[:])
	if raw == nil {
		return annotations.Article{}, fmt.Errorf("article %s: %w", id, annotations.ErrNotFound)
	}
	return decodeArticle(raw)
}

func decodeArticle(raw []byte) (annotations.Article, error) {
	var a annotations.Article
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("%w: an article record: %v", ErrDamaged, err)
	}
	return a, nil
}

func decodeAnnotation(raw []byte) (annotations.Annotation, error) {
	var a annotations.Annotation
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("%w: an annotation record: %v", ErrDamaged, err)
	}
	if a.Tags == nil {
		a.Tags = []string{}
	}
	return a, nil
}

func (t txn) ArticleText(id uuid.UUID) (string, error) {
	raw := t.bucket(bucketTexts).Get(id[:])
	if raw == nil {
		return "", fmt.Errorf("text of article %s: %w", id, annotations.ErrNotFound)
	}
	return string(raw), nil // string() copies out of the mapping
}

// The two records of an article in the files bucket.
const (
	keyFile   = 'f'
	keyLayout = 'l'
)

func fileKey(id uuid.UUID, kind byte) []byte { return append(id[:len(id):len(id)], kind) }

func (t txn) ArticleFile(id uuid.UUID) ([]byte, error) {
	var raw []byte
	if b := t.tx.Bucket(bucketFiles); b != nil {
		raw = b.Get(fileKey(id, keyFile))
	}
	if raw == nil {
		return nil, fmt.Errorf("file of article %s: %w", id, annotations.ErrNotFound)
	}
	return bytes.Clone(raw), nil
}

func (t txn) ArticleLayout(id uuid.UUID) (*annotations.PageLayout, error) {
	var raw []byte
	if b := t.tx.Bucket(bucketFiles); b != nil {
		raw = b.Get(fileKey(id, keyLayout))
	}
	if raw == nil {
		return nil, fmt.Errorf("page layout of article %s: %w", id, annotations.ErrNotFound)
	}
	var l annotations.PageLayout
	if err := l.UnmarshalBinary(raw); err != nil { // copies out of the mapping
		return nil, fmt.Errorf("%w: article %s: %v", ErrDamaged, id, err)
	}
	return &l, nil
}

func (t txn) PlaceOnPages(id uuid.UUID, start, end int) (int, []anchor.Rect, error) {
	var raw []byte
	if b := t.tx.Bucket(bucketFiles); b != nil {
		raw = b.Get(fileKey(id, keyLayout))
	}
	if raw == nil {
		return 0, nil, fmt.Errorf("page layout of article %s: %w", id, annotations.ErrNotFound)
	}
	page, rects, err := annotations.PlaceStored(raw, start, end) // reads in place, copies out
	if err != nil {
		return 0, nil, fmt.Errorf("%w: article %s: %v", ErrDamaged, id, err)
	}
	return page, rects, nil
}

func (t txn) PutArticleFile(id uuid.UUID, file []byte, layout annotations.PageLayout) error {
	if _, err := t.Article(id); err != nil {
		return err
	}
	text, err := t.ArticleText(id)
	if err != nil {
		return err
	}
	if err := layout.Check(utf8.RuneCountInString(text)); err != nil {
		return err
	}
	raw, err := layout.MarshalBinary()
	if err != nil {
		return err
	}
	b, err := t.tx.CreateBucketIfNotExists(bucketFiles)
	if err != nil {
		return err
	}
	if err := b.Put(fileKey(id, keyFile), file); err != nil {
		return err
	}
	if err := b.Put(fileKey(id, keyLayout), raw); err != nil {
		return err
	}
	return t.touch(annotations.RecordText, id, false)
}

// structureKey is the key of an article's structure (by its text's
// hash) or picture (by its ImageKey).
func structureKey(id uuid.UUID, hash string) []byte {
	return append(id[:len(id):len(id)], hash...)
}

func (t txn) ArticleStructure(id uuid.UUID) (*annotations.Structure, error) {
	a, err := t.Article(id)
	if err != nil {
		return nil, err
	}
	var raw []byte
	if b := t.tx.Bucket(bucketStructures); b != nil {
		raw = b.Get(structureKey(id, a.Hash))
	}
	if raw == nil {
		return nil, fmt.Errorf("structure of article %s: %w", id, annotations.ErrNotFound)
	}
	var s annotations.Structure
	if err := s.UnmarshalBinary(raw); err != nil { // copies out of the mapping
		return nil, fmt.Errorf("%w: article %s: %v", ErrDamaged, id, err)
	}
	// Checked again on the way out: whoever reads it may index the text
	// with its offsets. (The text's runes are counted where it is stored,
	// without copying it out.)
	text := t.bucket(bucketTexts).Get(id[:])
	if text == nil {
		return nil, fmt.Errorf("text of article %s: %w", id, annotations.ErrNotFound)
	}
	if err := s.Check(utf8.RuneCount(text)); err != nil {
		return nil, fmt.Errorf("%w: article %s: %v", ErrDamaged, id, err)
	}
	return &s, nil
}

func (t txn) PutArticleStructure(id uuid.UUID, s annotations.Structure) error {
	a, err := t.Article(id)
	if err != nil {
		return err
	}
	text, err := t.ArticleText(id)
	if err != nil {
		return err
	}
	s.Sort()
	if err := s.Check(utf8.RuneCountInString(text)); err != nil {
		return err
	}
	raw, err := s.MarshalBinary()
	if err != nil {
		return err
	}
	b, err := t.tx.CreateBucketIfNotExists(bucketStructures)
	if err != nil {
		return err
	}
	if err := b.Put(structureKey(id, a.Hash), raw); err != nil {
		return err
	}
	return t.touch(annotations.RecordText, id, false)
}

func (t txn) ArticleImage(id uuid.UUID, key string) ([]byte, error) {
	var raw []byte
	if b := t.tx.Bucket(bucketImages); b != nil {
		raw = b.Get(structureKey(id, key))
	}
	if raw == nil {
		return nil, fmt.Errorf("picture %.20s of article %s: %w", key, id, annotations.ErrNotFound)
	}
	return bytes.Clone(raw), nil
}

func (t txn) PutArticleImage(id uuid.UUID, key string, data []byte) error {
	if _, err := t.Article(id); err != nil {
		return err
	}
	if annotations.ImageKey(data) != key {
		return fmt.Errorf("%w: picture %.20s is not named by its hash", annotations.ErrInvalidArticle, key)
	}
	b, err := t.tx.CreateBucketIfNotExists(bucketImages)
	if err != nil {
		return err
	}
	if err := b.Put(structureKey(id, key), data); err != nil {
		return err
	}
	return t.touch(annotations.RecordText, id, false)
}

func (t txn) ArticleByHash(hash string) (annotations.Article, error) {
	raw := t.bucket(bucketByHash).Get([]byte(hash))
	if raw == nil {
		return annotations.Article{}, fmt.Errorf("article with text %s: %w", hash, annotations.ErrNotFound)
	}
	id, err := uuid.FromBytes(raw)
	if err != nil {
		return annotations.Article{}, fmt.Errorf("%w: hash index: %v", ErrDamaged, err)
	}
	return t.Article(id)
}

func (t txn) Articles(fn func(annotations.Article) error) error {
	return t.bucket(bucketArticles).ForEach(func(_, v []byte) error {
		a, err := decodeArticle(v)
		if err != nil {
			return err
		}
		return fn(a)
	})
}

func (t txn) Annotation(id uuid.UUID) (annotations.Annotation, error) {
	raw := t.bucket(bucketAnnotations).Get(id[:])
	if raw == nil {
		return annotations.Annotation{}, fmt.Errorf("annotation %s: %w", id, annotations.ErrNotFound)
	}
	if len(raw) < bigRecord || t.w == nil {
		return decodeAnnotation(raw)
	}
	// A write often reads the same large record twice (the use case, then
	// PutAnnotations for the indexes): a 10 MB quote takes 70 ms to decode.
	if d, ok := t.w.big[id]; ok && d.at == &raw[0] && d.n == len(raw) {
		return d.ann.Clone(), nil
	}
	a, err := decodeAnnotation(raw)
	if err != nil {
		return a, err
	}
	if t.w.big == nil {
		t.w.big = map[uuid.UUID]decoded{}
	}
	t.w.big[id] = decoded{at: &raw[0], n: len(raw), ann: a.Clone()}
	return a, nil
}

// bigRecord is the size from which a write transaction keeps a decoded
// annotation record (few records are this large: they quote whole pages).
const bigRecord = 64 << 10

func (t txn) Annotations(fn func(annotations.Annotation) error) error {
	return t.bucket(bucketAnnotations).ForEach(func(_, v []byte) error {
		a, err := decodeAnnotation(v)
		if err != nil {
			return err
		}
		return fn(a)
	})
}

func (t txn) ArticleAnnotations(articleID uuid.UUID, fn func(annotations.Annotation) error) error {
	return t.scanIndex(bucketByArticle, articleID[:], fn)
}

func (t txn) TaggedAnnotations(tag string, fn func(annotations.Annotation) error) error {
	return t.scanIndex(bucketByTag, tagPrefix(tag), fn)
}

// scanIndex calls fn for the annotation named by the last 16 bytes of every
// key of index that starts with prefix.
func (t txn) scanIndex(index, prefix []byte, fn func(annotations.Annotation) error) error {
	c := t.bucket(index).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) != len(prefix)+16 {
			continue // a longer tag that shares this prefix
		}
		id, _ := uuid.FromBytes(k[len(prefix):])
		a, err := t.Annotation(id)
		if err != nil {
			return fmt.Errorf("%w: index %s points to a missing annotation %s", ErrDamaged, index, id)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// tagPrefix is the start of the tag index keys of a tag: its key
// (annotations.TagKey: case, accents and spacing do not matter) and a 0.
func tagPrefix(tag string) []byte {
	return append([]byte(annotations.TagKey(tag)), 0)
}

// distinctTags returns tags without those whose key an earlier one has
// (the service never stores such repeats, but a library from before tags
// were compared without accents may hold "Café" and "cafe" on one
// annotation): the tag index holds one entry per key, spelt as the first.
func distinctTags(tags []string) []string {
	for i := 1; i < len(tags); i++ {
		for _, before := range tags[:i] {
			if annotations.TagKey(before) == annotations.TagKey(tags[i]) {
				out := slices.Clone(tags[:i])
				for _, t := range tags[i:] {
					if !slices.ContainsFunc(out, func(o string) bool { return annotations.TagKey(o) == annotations.TagKey(t) }) {
						out = append(out, t)
					}
				}
				return out
			}
		}
	}
	return tags
}

func tagKey(tag string, id uuid.UUID) []byte { return append(tagPrefix(tag), id[:]...) }

func articleKey(articleID, id uuid.UUID) []byte {
	return append(append(make([]byte, 0, 32), articleID[:]...), id[:]...)
}

func (t txn) ResolveArticle(prefix string) (uuid.UUID, error) {
	return t.resolve(bucketArticles, "article", prefix)
}

func (t txn) ResolveAnnotation(prefix string) (uuid.UUID, error) {
	return t.resolve(bucketAnnotations, "annotation", prefix)
}

// resolve finds the one key of bucket whose hex form starts with prefix.
func (t txn) resolve(bucket []byte, what, prefix string) (uuid.UUID, error) {
	clean := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(prefix), "-", ""))
	if clean == "" {
		return uuid.Nil, fmt.Errorf("%w: an empty %s ID", annotations.ErrNotFound, what)
	}
	if len(clean) > 32 {
		return uuid.Nil, fmt.Errorf("%s %q: %w (an ID has 32 hex digits)", what, prefix, annotations.ErrNotFound)
	}
	if _, err := hex.DecodeString(clean + strings.Repeat("0", len(clean)%2)); err != nil {
		return uuid.Nil, fmt.Errorf("%s %q: %w (an ID is made of hex digits)", what, prefix, annotations.ErrNotFound)
	}
	even, _ := hex.DecodeString(clean[:len(clean)/2*2])
	var found []uuid.UUID
	c := t.bucket(bucket).Cursor()
	for k, _ := c.Seek(even); k != nil && bytes.HasPrefix(k, even) && len(found) < 2; k, _ = c.Next() {
		if strings.HasPrefix(hex.EncodeToString(k), clean) {
			id, _ := uuid.FromBytes(k)
			found = append(found, id)
		}
	}
	switch len(found) {
	case 0:
		return uuid.Nil, fmt.Errorf("%s %s: %w", what, prefix, annotations.ErrNotFound)
	case 1:
		return found[0], nil
	default:
		return uuid.Nil, fmt.Errorf("%s %s: %w: it starts %s and %s", what, prefix, annotations.ErrAmbiguous, found[0], found[1])
	}
}

func (t txn) ColorLabels() (annotations.ColorLabels, error) {
	labels := annotations.ColorLabels{}
	raw := t.bucket(bucketMeta).Get(keyColorLabels)
	if raw == nil {
		return labels, nil
	}
	if err := json.Unmarshal(raw, &labels); err != nil {
		return nil, fmt.Errorf("%w: colour labels: %v", ErrDamaged, err)
	}
	return labels, nil
}

func (t txn) SetColorLabels(labels annotations.ColorLabels) error {
	raw, err := json.Marshal(labels)
	if err != nil {
		return err
	}
	if err := t.bucket(bucketMeta).Put(keyColorLabels, raw); err != nil {
		return err
	}
	return t.touch(annotations.RecordLabels, uuid.Nil, false)
}

// settingKey is where a setting is kept in the meta bucket.
func settingKey(name string) []byte { return []byte("setting/" + name) }

// Setting implements annotations.Reader.
func (t txn) Setting(name string) (string, error) {
	return string(t.bucket(bucketMeta).Get(settingKey(name))), nil
}

// SetSetting implements annotations.Writer.
func (t txn) SetSetting(name, value string) error {
	if name == "" || len(name) > 200 || len(value) > 64<<10 {
		return fmt.Errorf("setting %q: name empty or too long, or value over 64 KiB", name)
	}
	if value == "" {
		return t.bucket(bucketMeta).Delete(settingKey(name))
	}
	return t.bucket(bucketMeta).Put(settingKey(name), []byte(value))
}

func (t txn) PutArticle(a annotations.Article) error {
	if a.ID == uuid.Nil {
		return errors.New("an article needs an ID")
	}
	text := a.Text
	old, err := t.Article(a.ID)
	exists := err == nil
	if err != nil && !errors.Is(err, annotations.ErrNotFound) {
		return err
	}
	if text == "" {
		if !exists {
			return fmt.Errorf("%w: article %s has no text", annotations.ErrInvalidArticle, a.ID)
		}
		a.Hash = old.Hash
	} else {
		a.Hash = annotations.HashText(text)
	}
	hashes := t.bucket(bucketByHash)
	if other := hashes.Get([]byte(a.Hash)); other != nil && !bytes.Equal(other, a.ID[:]) {
		return fmt.Errorf("%w: article %s has the same text as article %x", annotations.ErrInvalidArticle, a.ID, other)
	}
	if exists && old.Hash != a.Hash {
		if err := hashes.Delete([]byte(old.Hash)); err != nil {
			return err
		}
	}
	if err := hashes.Put([]byte(a.Hash), a.ID[:]); err != nil {
		return err
	}
	if exists && old.Title != a.Title {
		if err := t.retitleSearch(a.ID, a.Title); err != nil {
			return err
		}
	}
	if text != "" {
		texts := t.bucket(bucketTexts)
		texts.FillPercent = appendFill
		if err := texts.Put(a.ID[:], []byte(text)); err != nil {
			return err
		}
	}
	a.Text = ""
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	articles := t.bucket(bucketArticles)
	articles.FillPercent = appendFill
	if err := articles.Put(a.ID[:], raw); err != nil {
		return err
	}
	if !exists || old.Hash != a.Hash {
		if err := t.touch(annotations.RecordText, a.ID, false); err != nil {
			return err
		}
	}
	return t.touch(annotations.RecordArticle, a.ID, false)
}

func (t txn) PutAnnotation(a annotations.Annotation) error {
	return t.PutAnnotations([]annotations.Annotation{a})
}

// PutAnnotations writes a batch of annotations with their index entries.
// The writes go to each bucket in key order: bbolt keeps a transaction's
// changed nodes unsplit in memory until commit, so inserting many keys in
// random order costs a memmove per key that grows with the node — a large
// import written in arrival order was quadratic (69 s for 100k annotations
// measured here; sorted, about a second).
//
// The search index changes with them, in the same transaction (see
// indexSearch).
func (t txn) PutAnnotations(as []annotations.Annotation) error {
	titles := map[uuid.UUID]string{}
	seen := make(map[uuid.UUID]bool, len(as))
	records := make([]keyValue, 0, len(as))
	changes := make([]search.Change, 0, len(as))
	var staleArticle, staleTag [][]byte
	var freshArticle, freshTag []keyValue
	for _, a := range as {
		if a.ID == uuid.Nil {
			return errors.New("an annotation needs an ID")
		}
		if seen[a.ID] {
			return fmt.Errorf("annotation %s is twice in one batch", a.ID)
		}
		seen[a.ID] = true
		if _, ok := titles[a.ArticleID]; !ok {
			art, err := t.Article(a.ArticleID)
			if err != nil {
				return err
			}
			titles[a.ArticleID] = art.Title
		}
		if a.Tags == nil {
			a.Tags = []string{}
		}
		change := search.Change{New: &a}
		if old, err := t.Annotation(a.ID); err == nil {
			change.Old = &old
			staleArticle = append(staleArticle, articleKey(old.ArticleID, old.ID))
			for _, tag := range distinctTags(old.Tags) {
				staleTag = append(staleTag, tagKey(tag, old.ID))
			}
		} else if !errors.Is(err, annotations.ErrNotFound) {
			return err
		}
		changes = append(changes, change)
		raw, err := json.Marshal(a)
		if err != nil {
			return err
		}
		records = append(records, keyValue{append([]byte{}, a.ID[:]...), raw})
		freshArticle = append(freshArticle, keyValue{articleKey(a.ArticleID, a.ID), articleIndexValue(a)})
		for _, tag := range distinctTags(a.Tags) {
			freshTag = append(freshTag, keyValue{tagKey(tag, a.ID), tagIndexValue(a, tag)})
		}
	}
	byArticle, byTag := t.bucket(bucketByArticle), t.bucket(bucketByTag)
	if err := deleteSorted(byArticle, staleArticle); err != nil {
		return err
	}
	if err := deleteSorted(byTag, staleTag); err != nil {
		return err
	}
	slices.SortFunc(records, func(x, y keyValue) int { return bytes.Compare(x.key, y.key) })
	bucket := t.bucket(bucketAnnotations)
	bucket.FillPercent = appendFill
	for _, r := range records {
		if err := bucket.Put(r.key, r.value); err != nil {
			return err
		}
	}
	if err := putSorted(byArticle, freshArticle); err != nil {
		return err
	}
	if err := putSorted(byTag, freshTag); err != nil {
		return err
	}
	for _, r := range records {
		if err := t.touch(annotations.RecordAnnotation, uuid.UUID(r.key), false); err != nil {
			return err
		}
	}
	return t.indexSearch(changes, titles)
}

type keyValue struct{ key, value []byte }

// deleteSorted and putSorted change index keys in key order (see
// PutAnnotations).
func deleteSorted(b *bolt.Bucket, keys [][]byte) error {
	slices.SortFunc(keys, bytes.Compare)
	for _, k := range slices.CompactFunc(keys, bytes.Equal) {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func putSorted(b *bolt.Bucket, entries []keyValue) error {
	slices.SortFunc(entries, func(x, y keyValue) int { return bytes.Compare(x.key, y.key) })
	for _, e := range entries {
		if err := b.Put(e.key, e.value); err != nil {
			return err
		}
	}
	return nil
}

// Index values let counts and places be read from the indexes without
// decoding a record. The article index (schema 3) holds a flags byte —
// flagTrashed, flagOrphaned — then the annotation's start and end offsets
// as uvarints (schema 2 held the flags byte alone, 1 when in the trash);
// the tag index holds the trash byte (1 or 0) followed by the tag as the
// annotation spells it.
const (
	flagTrashed  = 1 << 0
	flagOrphaned = 1 << 1
)

func articleIndexValue(a annotations.Annotation) []byte {
	v := []byte{trashByte(a)}
	if a.Status == annotations.StatusOrphaned {
		v[0] |= flagOrphaned
	}
	v = binary.AppendUvarint(v, uint64(max(a.Target.Start, 0)))
	return binary.AppendUvarint(v, uint64(max(a.Target.End, 0)))
}

func trashByte(a annotations.Annotation) byte {
	if a.Trashed() {
		return flagTrashed
	}
	return 0
}

func tagIndexValue(a annotations.Annotation, tag string) []byte {
	return append([]byte{trashByte(a)}, tag...)
}

// ArticleCounts implements annotations.Reader from the article index.
func (t txn) ArticleCounts() (map[uuid.UUID]int, error) {
	counts := map[uuid.UUID]int{}
	err := t.bucket(bucketByArticle).ForEach(func(k, v []byte) error {
		if len(k) == 32 && len(v) >= 1 && v[0]&flagTrashed == 0 {
			counts[uuid.UUID(k[:16])]++
		}
		return nil
	})
	return counts, err
}

// ArticleSpans implements annotations.Reader from the article index: the
// places of an article's annotations without decoding them (a record of
// an earlier layout, whose index value holds no place, is decoded).
func (t txn) ArticleSpans(articleID uuid.UUID, fn func(annotations.Span) error) error {
	prefix := articleID[:]
	c := t.bucket(bucketByArticle).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != 32 || len(v) == 0 {
			continue
		}
		s := annotations.Span{ID: uuid.UUID(k[16:]), Trashed: v[0]&flagTrashed != 0, Orphaned: v[0]&flagOrphaned != 0}
		start, n := binary.Uvarint(v[1:])
		end, m := uint64(0), 0
		if n > 0 {
			end, m = binary.Uvarint(v[1+n:])
		}
		if n > 0 && m > 0 {
			s.Start, s.End = int(start), int(end)
		} else {
			a, err := t.Annotation(s.ID)
			if err != nil {
				return fmt.Errorf("%w: index %s points to a missing annotation %s", ErrDamaged, bucketByArticle, s.ID)
			}
			s.Start, s.End, s.Orphaned = a.Target.Start, a.Target.End, a.Status == annotations.StatusOrphaned
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

// TagCounts implements annotations.Reader from the tag index: tags of
// annotations not in the trash, each spelt as its oldest annotation has it.
func (t txn) TagCounts() ([]annotations.TagCount, error) {
	var out []annotations.TagCount
	var last []byte // the folded tag of the last entry counted
	err := t.bucket(bucketByTag).ForEach(func(k, v []byte) error {
		if len(k) < 17 || len(v) < 1 || v[0] != 0 {
			return nil
		}
		folded := k[:len(k)-17]
		if last != nil && bytes.Equal(folded, last) {
			out[len(out)-1].Count++
			return nil
		}
		last = append(last[:0], folded...)
		out = append(out, annotations.TagCount{Tag: string(v[1:]), Count: 1})
		return nil
	})
	return out, err
}

// PushRevision implements annotations.Writer.
func (t txn) PushRevision(r annotations.Revision) error {
	b, err := t.tx.CreateBucketIfNotExists(bucketRevisions)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	// The key orders an article's revisions as they were pushed (a
	// sequence, not the clock, which can step back).
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	key := make([]byte, 24)
	copy(key, r.ArticleID[:])
	binary.BigEndian.PutUint64(key[16:], seq)
	return b.Put(key, raw)
}

// PopRevision implements annotations.Writer.
func (t txn) PopRevision(articleID uuid.UUID) (annotations.Revision, error) {
	var r annotations.Revision
	b := t.tx.Bucket(bucketRevisions)
	if b == nil {
		return r, fmt.Errorf("revision of article %s: %w", articleID, annotations.ErrNotFound)
	}
	// The latest revision: the last key that starts with the article ID.
	c := b.Cursor()
	next := articleID
	k, _ := c.Seek(append(next[:], 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))
	var v []byte
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, articleID[:]) {
		return r, fmt.Errorf("revision of article %s: %w", articleID, annotations.ErrNotFound)
	}
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("%w: a revision record: %v", ErrDamaged, err)
	}
	return r, c.Delete()
}

// DeleteAnnotations implements annotations.Writer. The search index keeps
// the dead documents of deleted annotations (a trashed annotation already
// has no postings there; see search.Verifier).
func (t txn) DeleteAnnotations(ids []uuid.UUID) error {
	var records, byArticle, byTag [][]byte
	for _, id := range ids {
		a, err := t.Annotation(id)
		if err != nil {
			return err
		}
		if !a.Trashed() {
			return fmt.Errorf("annotation %s is not in the trash: it cannot be deleted", id)
		}
		records = append(records, append([]byte{}, id[:]...))
		byArticle = append(byArticle, articleKey(a.ArticleID, a.ID))
		for _, tag := range distinctTags(a.Tags) {
			byTag = append(byTag, tagKey(tag, a.ID))
		}
	}
	if err := deleteSorted(t.bucket(bucketAnnotations), records); err != nil {
		return err
	}
	if err := deleteSorted(t.bucket(bucketByArticle), byArticle); err != nil {
		return err
	}
	if err := deleteSorted(t.bucket(bucketByTag), byTag); err != nil {
		return err
	}
	for _, id := range ids {
		if err := t.touch(annotations.RecordAnnotation, id, true); err != nil {
			return err
		}
	}
	return nil
}

// DeleteArticle implements annotations.Writer.
func (t txn) DeleteArticle(id uuid.UUID) error {
	a, err := t.Article(id)
	if err != nil {
		return err
	}
	if !a.Trashed() {
		return fmt.Errorf("article %s is not in the trash: it cannot be deleted", id)
	}
	var ids []uuid.UUID
	if err := t.ArticleSpans(id, func(s annotations.Span) error {
		if !s.Trashed {
			return fmt.Errorf("article %s has an annotation %s outside the trash", id, s.ID)
		}
		ids = append(ids, s.ID)
		return nil
	}); err != nil {
		return err
	}
	if err := t.DeleteAnnotations(ids); err != nil {
		return err
	}
	if revs := t.tx.Bucket(bucketRevisions); revs != nil {
		var keys [][]byte
		c := revs.Cursor()
		for k, _ := c.Seek(id[:]); k != nil && bytes.HasPrefix(k, id[:]); k, _ = c.Next() {
			keys = append(keys, append([]byte{}, k...))
		}
		if err := deleteSorted(revs, keys); err != nil {
			return err
		}
	}
	if files := t.tx.Bucket(bucketFiles); files != nil {
		for _, k := range [][]byte{fileKey(id, keyFile), fileKey(id, keyLayout)} {
			if err := files.Delete(k); err != nil {
				return err
			}
		}
	}
	// The structures of every text the article had (its own and its
	// revisions'), and its pictures.
	for _, name := range [][]byte{bucketStructures, bucketImages} {
		b := t.tx.Bucket(name)
		if b == nil {
			continue
		}
		var keys [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(id[:]); k != nil && bytes.HasPrefix(k, id[:]); k, _ = c.Next() {
			keys = append(keys, append([]byte{}, k...))
		}
		if err := deleteSorted(b, keys); err != nil {
			return err
		}
	}
	if err := t.bucket(bucketByHash).Delete([]byte(a.Hash)); err != nil {
		return err
	}
	if err := t.bucket(bucketTexts).Delete(id[:]); err != nil {
		return err
	}
	if err := t.bucket(bucketArticles).Delete(id[:]); err != nil {
		return err
	}
	return t.touch(annotations.RecordArticle, id, true)
}
