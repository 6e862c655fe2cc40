package annotationstest

import (
	"reflect"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
)

func TestLibrary_TargetsFitTheirTexts(t *testing.T) {
	l := NewLibrary(1, 500, 5, 300)
	texts := map[[16]byte]string{}
	for _, a := range l.Articles {
		if a.Hash != annotations.HashText(a.Text) || a.Title == "" {
			t.Fatalf("article %s: hash or title missing", a.ID)
		}
		texts[a.ID] = a.Text
	}
	var last annotations.Annotation
	for i := 0; ; i++ {
		a, ok := l.Next()
		if !ok {
			if i != 500 {
				t.Fatalf("%d annotations, want 500", i)
			}
			break
		}
		if i > 0 && (a.CreatedAt.Before(last.CreatedAt) || string(a.ID[:]) < string(last.ID[:])) {
			t.Fatalf("annotation %d is older than the one before", i)
		}
		last = a
		got, ok := anchor.Locate(texts[a.ArticleID], a.Target)
		if !ok || !got.Same(a.Target) {
			t.Fatalf("annotation %s: target %+v does not fit its text (%+v, %v)", a.ID, a.Target, got, ok)
		}
		if n := len([]rune(a.Target.Prefix)); n > anchor.ContextRunes || a.Target.Start >= anchor.ContextRunes && n != anchor.ContextRunes {
			t.Fatalf("prefix of %d runes at %d", n, a.Target.Start)
		}
	}
}

func TestLibrary_Deterministic(t *testing.T) {
	a, b := NewLibrary(7, 50, 3, 100), NewLibrary(7, 50, 3, 100)
	if !reflect.DeepEqual(a.Articles, b.Articles) {
		t.Fatal("the same seed made other articles")
	}
	for range 50 {
		x, _ := a.Next()
		y, _ := b.Next()
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("the same seed made other annotations: %+v and %+v", x, y)
		}
	}
}
