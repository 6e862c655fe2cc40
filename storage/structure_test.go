package storage

import (
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
)

// An article's structures (its text's and its revisions') go when the
// article is deleted for good.
func TestDeleteArticle_RemovesStructures(t *testing.T) {
	db, _ := openTest(t, Options{})
	svc := annotations.NewService(db)
	a, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatMarkdown, Text: "Heading\n\nBody.",
		Structure: &annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 7}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateArticle(a.ID, annotations.NewArticle{Text: "Heading\n\nNew body.",
		Structure: &annotations.Structure{Blocks: []annotations.Block{{Kind: annotations.BlockHeading, Level: 2, Start: 0, End: 7}}}}); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n := 0
		if err := db.bolt.View(func(tx *bolt.Tx) error {
			if b := tx.Bucket(bucketStructures); b != nil {
				n = b.Stats().KeyN
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 2 {
		t.Fatalf("%d structures stored, want 2 (the text's and its revision's)", n)
	}
	if _, err := svc.TrashArticle(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EmptyTrash(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Errorf("%d structures left after emptying the trash", n)
	}
}
