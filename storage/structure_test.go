package storage

import (
	"strings"
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

// gloss check finds structures and pictures that are damaged or left
// without their article.
func TestCheck_StructuresAndPictures(t *testing.T) {
	pic := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	key := annotations.ImageKey(pic)
	ghost := make([]byte, 16)
	ghost[0] = 0xee
	tests := []struct {
		name   string
		break_ func(tx *bolt.Tx, id []byte, hash string) error
		want   string
	}{
		{"a structure that does not decode", func(tx *bolt.Tx, id []byte, hash string) error {
			return tx.Bucket(bucketStructures).Put(append(id, hash...), []byte("{"))
		}, "does not decode"},
		{"a structure past the text", func(tx *bolt.Tx, id []byte, hash string) error {
			return tx.Bucket(bucketStructures).Put(append(id, hash...), []byte(`{"blocks":[{"kind":"heading","level":1,"start":0,"end":999}]}`))
		}, "does not fit its text"},
		{"a structure of a missing article", func(tx *bolt.Tx, id []byte, hash string) error {
			return tx.Bucket(bucketStructures).Put(append(ghost, hash...), []byte(`{}`))
		}, "missing article"},
		{"a picture changed behind its name", func(tx *bolt.Tx, id []byte, hash string) error {
			return tx.Bucket(bucketImages).Put(append(id, key...), []byte("other bytes"))
		}, "does not match its hash"},
		{"a picture of a missing article", func(tx *bolt.Tx, id []byte, hash string) error {
			return tx.Bucket(bucketImages).Put(append(ghost, key...), pic)
		}, "missing article"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openTest(t, Options{NoAutoBackup: true})
			svc := annotations.NewService(db)
			a, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatHTML, Text: "Heading\n\nBody.",
				Structure: &annotations.Structure{
					Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 7}},
					Spans:  []annotations.StyleSpan{{Kind: annotations.SpanImage, Start: 9, End: 9, Image: key}},
				},
				Images: map[string][]byte{key: pic}})
			if err != nil {
				t.Fatal(err)
			}
			if p := db.Check(); len(p) != 0 {
				t.Fatalf("sound library: %v", p)
			}
			art, _ := svc.ArticleMeta(a.ID)
			if err := db.bolt.Update(func(tx *bolt.Tx) error { return tt.break_(tx, a.ID[:], art.Hash) }); err != nil {
				t.Fatal(err)
			}
			p := db.Check()
			if len(p) == 0 || !strings.Contains(p[0].Error(), tt.want) {
				t.Errorf("problems = %v, want one about %q", p, tt.want)
			}
			// Reported, and put right again so that the test's own check
			// at the end passes.
			if err := db.bolt.Update(func(tx *bolt.Tx) error {
				for _, name := range [][]byte{bucketStructures, bucketImages} {
					if err := tx.DeleteBucket(name); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
