package annotations

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// maxHistory bounds the undo history of one session, in steps.
const maxHistory = 500

// change is an annotation before and after a use case changed it. before is
// nil when the use case created it.
type change struct {
	before *Annotation
	after  Annotation
}

// step is what one use case changed, undone and redone as one: either
// annotation states (changes), or, for changes that are more than that
// (replacing an article's text), undo and redo functions.
type step struct {
	changes    []change
	ids        []uuid.UUID
	undo, redo func() (Event, error)
}

type history struct {
	done, undone []step
}

func (s *Service) record(changes ...change) {
	if len(changes) == 0 {
		return
	}
	st := step{changes: changes}
	for _, c := range changes {
		st.ids = append(st.ids, c.after.ID)
	}
	s.recordStep(st)
}

func (s *Service) recordStep(st step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.history.done = append(s.history.done, st)
	if len(s.history.done) > maxHistory {
		s.history.done = s.history.done[len(s.history.done)-maxHistory:]
	}
	s.history.undone = nil
}

// CanUndo reports whether Undo has something to do.
func (s *Service) CanUndo() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.history.done) > 0
}

// CanRedo reports whether there is an undone step to redo.
func (s *Service) CanRedo() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.history.undone) > 0
}

// Undo reverts the latest step made through this Service and returns the
// IDs of the annotations it touched. Undoing a new highlight moves it to the
// trash, so that nothing is ever lost by an undo either.
func (s *Service) Undo() ([]uuid.UUID, error) {
	ids, ev, err := s.undo()
	if err == nil {
		s.publish(ev)
	}
	return ids, err
}

func (s *Service) undo() ([]uuid.UUID, Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.history.done)
	if n == 0 {
		return nil, Event{}, ErrNothingToUndo
	}
	st := s.history.done[n-1]
	var ev Event
	var err error
	if st.undo != nil {
		ev, err = st.undo()
	} else {
		states := make([]Annotation, len(st.changes))
		now := s.now()
		for i, c := range st.changes {
			if c.before != nil {
				states[i] = c.before.Clone()
			} else {
				states[i] = c.after.Clone()
				states[i].DeletedAt = &now
			}
		}
		ev, err = s.putStates(OpUndo, states)
	}
	if err != nil {
		return nil, Event{}, err
	}
	s.history.done = s.history.done[:n-1]
	s.history.undone = append(s.history.undone, st)
	return st.ids, ev, nil
}

// Redo makes the latest undone step again.
func (s *Service) Redo() ([]uuid.UUID, error) {
	ids, ev, err := s.redo()
	if err == nil {
		s.publish(ev)
	}
	return ids, err
}

func (s *Service) redo() ([]uuid.UUID, Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.history.undone)
	if n == 0 {
		return nil, Event{}, ErrNothingToRedo
	}
	st := s.history.undone[n-1]
	var ev Event
	var err error
	if st.redo != nil {
		ev, err = st.redo()
	} else {
		states := make([]Annotation, len(st.changes))
		for i, c := range st.changes {
			states[i] = c.after.Clone()
		}
		ev, err = s.putStates(OpRedo, states)
	}
	if err != nil {
		return nil, Event{}, err
	}
	s.history.undone = s.history.undone[:n-1]
	s.history.done = append(s.history.done, st)
	return st.ids, ev, nil
}

// putStates writes annotations back as they were, in one transaction, with
// a fresh UpdatedAt so that the restored state is the newest one when
// libraries are merged. It returns the event of what it changed.
func (s *Service) putStates(op Op, states []Annotation) (Event, error) {
	now := s.now()
	var changes []change
	err := s.store.Update(func(w Writer) error {
		changes = changes[:0]
		for _, a := range states {
			if _, err := w.Article(a.ArticleID); err != nil {
				return fmt.Errorf("cannot undo: article %s: %w", a.ArticleID, err)
			}
			var before *Annotation
			if old, err := w.Annotation(a.ID); err == nil {
				before = &old
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			a.UpdatedAt = now
			if err := w.PutAnnotation(a); err != nil {
				return err
			}
			changes = append(changes, change{before: before, after: a})
		}
		return nil
	})
	if err != nil {
		return Event{}, err
	}
	return annotationEvent(op, changes), nil
}
