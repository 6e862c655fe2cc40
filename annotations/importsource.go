package annotations

import (
	"errors"
	"sync"
)

// ImportSource is an import file read as the import goes (the native
// reader of package formats): Articles calls fn for every article of the
// file, in order, then Annotations for every annotation. An error from fn
// stops the reading and is returned as it is; an error of the file's own
// (malformed JSON) is returned too.
type ImportSource interface {
	Articles(fn func(Article) error) error
	Annotations(fn func(Annotation) error) error
}

// bundleSource reads a Bundle as an ImportSource.
type bundleSource struct{ b Bundle }

func (s bundleSource) Articles(fn func(Article) error) error {
	for _, a := range s.b.Articles {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func (s bundleSource) Annotations(fn func(Annotation) error) error {
	for _, a := range s.b.Annotations {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// readAhead reads an ImportSource in a goroutine of its own, a few batches
// of records ahead of the import that takes them: decoding a file and
// writing the library go on at once, on two cores. The import's callbacks
// run in the caller's goroutine (the transaction's), never in the reading
// one.
type readAhead struct {
	batches chan aheadBatch
	quit    chan struct{}
	done    chan struct{}
	once    sync.Once
}

// aheadBatch is some records read; end marks the end of the articles, then
// of the annotations, with what the source's method returned (err), or the
// panic that stopped the reading.
type aheadBatch struct {
	articles []Article
	notes    []Annotation
	end      bool
	err      error
	panicked any
}

const (
	// aheadRecords is the size of a batch; aheadBatches how many batches
	// the reading may be ahead.
	aheadRecords = 256
	aheadBatches = 8
)

// errStopped is what the reading goroutine's callbacks return once the
// import has stopped taking records.
var errStopped = errors.New("the import stopped")

func startReadAhead(src ImportSource) *readAhead {
	ra := &readAhead{batches: make(chan aheadBatch, aheadBatches), quit: make(chan struct{}), done: make(chan struct{})}
	go ra.run(src)
	return ra
}

func (ra *readAhead) run(src ImportSource) {
	defer close(ra.done)
	var cur aheadBatch
	defer func() {
		if p := recover(); p != nil {
			ra.send(&aheadBatch{end: true, panicked: p})
		}
	}()
	full := func() error {
		if len(cur.articles)+len(cur.notes) < aheadRecords {
			return nil
		}
		return ra.send(&cur)
	}
	err := src.Articles(func(a Article) error {
		cur.articles = append(cur.articles, a)
		return full()
	})
	cur.end, cur.err = true, err
	if ra.send(&cur) != nil || err != nil {
		return
	}
	err = src.Annotations(func(a Annotation) error {
		cur.notes = append(cur.notes, a)
		return full()
	})
	cur.end, cur.err = true, err
	ra.send(&cur)
}

// send hands b to the import, or gives up when the import has stopped.
func (ra *readAhead) send(b *aheadBatch) error {
	select {
	case ra.batches <- *b:
		*b = aheadBatch{}
		return nil
	case <-ra.quit:
		return errStopped
	}
}

// stop ends the reading (when the import stops early) and waits for the
// goroutine to end.
func (ra *readAhead) stop() {
	ra.once.Do(func() { close(ra.quit) })
	<-ra.done
}

// next returns the next batch. A panic of the reading goroutine goes on in
// the caller's, where the store turns it into an error.
func (ra *readAhead) next() aheadBatch {
	var b aheadBatch
	select {
	case b = <-ra.batches:
	case <-ra.done:
		// The goroutine has ended: what it sent before, else it was
		// stopped.
		select {
		case b = <-ra.batches:
		default:
			return aheadBatch{end: true, err: errStopped}
		}
	}
	if b.panicked != nil {
		panic(b.panicked)
	}
	return b
}

func (ra *readAhead) Articles(fn func(Article) error) error {
	for {
		b := ra.next()
		for _, a := range b.articles {
			if err := fn(a); err != nil {
				ra.stop()
				return err
			}
		}
		if b.end {
			return b.err
		}
	}
}

func (ra *readAhead) Annotations(fn func(Annotation) error) error {
	for {
		b := ra.next()
		for _, a := range b.notes {
			if err := fn(a); err != nil {
				ra.stop()
				return err
			}
		}
		if b.end {
			return b.err
		}
	}
}
