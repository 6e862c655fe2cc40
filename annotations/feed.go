package annotations

import (
	"sync"

	"github.com/google/uuid"
)

// Op names the kind of change an Event reports.
type Op string

// The kinds of change.
const (
	// OpHighlight: a new highlight (or, when the passage was highlighted
	// already, that highlight recoloured: its change has a Before).
	OpHighlight Op = "highlight"
	// OpEdit: a note, the colour, the tags or the place of one annotation.
	OpEdit Op = "edit"
	// OpTrash and OpRestore: annotations into the trash and out of it.
	OpTrash   Op = "trash"
	OpRestore Op = "restore"
	// OpUndo and OpRedo: a step of the undo history put back or made again.
	OpUndo Op = "undo"
	OpRedo Op = "redo"
	// OpAddArticles: articles added.
	OpAddArticles Op = "add"
	// OpReplaceText: an article's text replaced by a revision (or put back)
	// and its annotations re-anchored.
	OpReplaceText Op = "replace-text"
	// OpImport: an import merged records; the event is Bulk.
	OpImport Op = "import"
	// OpLabels: the colour meanings changed.
	OpLabels Op = "labels"
	// OpEditArticle: an article's title, source or citation changed.
	OpEditArticle Op = "edit-article"
	// OpTrashArticle and OpRestoreArticle: an article into the trash with
	// its highlights, and back.
	OpTrashArticle   Op = "trash-article"
	OpRestoreArticle Op = "restore-article"
	// OpEmptyTrash: everything in the trash deleted for good; the event is
	// Bulk.
	OpEmptyTrash Op = "empty-trash"
)

// AnnotationChange is one annotation as it was before a change and as it is
// after. Before is nil when the change created it.
type AnnotationChange struct {
	Before *Annotation
	After  Annotation
}

// Created reports whether the change created the annotation.
func (c AnnotationChange) Created() bool { return c.Before == nil }

// ArticleChange names an article a change added or changed.
type ArticleChange struct {
	ID uuid.UUID
	// Created is set for a new article; TextChanged when its text was
	// replaced (a revision, or one undone).
	Created, TextChanged bool
}

// Event is what one committed write did to the library. Subscribers get
// it after the transaction committed, in the order the writes committed.
type Event struct {
	Op Op
	// Annotations changed, each before and after. Values are copies the
	// subscriber may keep.
	Annotations []AnnotationChange
	// Articles added or changed.
	Articles []ArticleChange
	// Labels is set when the colour meanings changed.
	Labels bool
	// Bulk is set when the change is too large to list (an import):
	// Annotations is empty, and a subscriber re-reads what it shows.
	Bulk bool
}

// AnnotationIDs returns the IDs of the annotations the event changed.
func (e Event) AnnotationIDs() []uuid.UUID {
	ids := make([]uuid.UUID, len(e.Annotations))
	for i, c := range e.Annotations {
		ids[i] = c.After.ID
	}
	return ids
}

// feed delivers events to subscribers.
type feed struct {
	mu   sync.Mutex
	subs map[int]func(Event)
	next int
	// order keeps delivery in subscription order: the first subscriber
	// (a model, say) sees an event before the views that read it.
	order []int
}

// Subscribe calls fn with every Event from now on, synchronously, in the
// goroutine that made the change, after its transaction committed and
// outside the Service's locks (fn may call the Service). Subscribers are
// called in the order they subscribed. The returned function cancels the
// subscription.
func (s *Service) Subscribe(fn func(Event)) (cancel func()) {
	f := &s.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subs == nil {
		f.subs = map[int]func(Event){}
	}
	id := f.next
	f.next++
	f.subs[id] = fn
	f.order = append(f.order, id)
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.subs, id)
	}
}

// publish delivers ev to every subscriber. Empty events are dropped.
func (s *Service) publish(ev Event) {
	if len(ev.Annotations) == 0 && len(ev.Articles) == 0 && !ev.Labels && !ev.Bulk {
		return
	}
	f := &s.feed
	f.mu.Lock()
	fns := make([]func(Event), 0, len(f.subs))
	live := f.order[:0]
	for _, id := range f.order {
		if fn, ok := f.subs[id]; ok {
			fns = append(fns, fn)
			live = append(live, id)
		}
	}
	f.order = live
	f.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
}

// annotationEvent builds the event of changes made by one use case.
func annotationEvent(op Op, changes []change) Event {
	ev := Event{Op: op, Annotations: make([]AnnotationChange, len(changes))}
	for i, c := range changes {
		ac := AnnotationChange{After: c.after.Clone()}
		if c.before != nil {
			b := c.before.Clone()
			ac.Before = &b
		}
		ev.Annotations[i] = ac
	}
	return ev
}
