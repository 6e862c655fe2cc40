package storage

import (
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
)

// An article's structures (its text's and its revisions') and pictures go
// when the article is deleted for good.
func TestDeleteArticle_RemovesStructures(t *testing.T) {
	db, _ := openTest(t, Options{})
	svc := annotations.NewService(db)
	pic := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	key := annotations.ImageKey(pic)
	a, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatMarkdown, Text: "Heading\n\nBody.",
		Structure: &annotations.Structure{
			Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 7}},
			Spans:  []annotations.StyleSpan{{Kind: annotations.SpanImage, Start: 9, End: 9, Image: key}},
		},
		Images: map[string][]byte{key: pic}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateArticle(a.ID, annotations.NewArticle{Text: "Heading\n\nNew body.",
		Structure: &annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 2, Start: 0, End: 7}}}}); err != nil {
		t.Fatal(err)
	}
	count := func(bucket []byte) int {
		n := 0
		if err := db.bolt.View(func(tx *bolt.Tx) error {
			if b := tx.Bucket(bucket); b != nil {
				n = b.Stats().KeyN
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(bucketStructures); n != 2 {
		t.Fatalf("%d structures stored, want 2 (the text's and its revision's)", n)
	}
	if n := count(bucketImages); n != 1 {
		t.Fatalf("%d pictures stored, want 1", n)
	}
	if _, err := svc.TrashArticle(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EmptyTrash(); err != nil {
		t.Fatal(err)
	}
	if n := count(bucketStructures) + count(bucketImages); n != 0 {
		t.Errorf("%d structures and pictures left after emptying the trash", n)
	}
}
