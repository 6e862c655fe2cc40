package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress shows how far a long piece of work has gone (an import, an
// export) on stderr when stderr is a terminal: one line, redrawn in place
// a few times a second, from progressDelay on (short work shows nothing),
// and cleared when the work ends. When stderr is not a terminal (a pipe, a
// file, the tests) it prints nothing at all.
type progress struct {
	out    io.Writer // nil: prints nothing
	label  string
	total  int64 // 0 or less: unknown
	format func(done, total int64) string
	start  time.Time

	mu    sync.Mutex
	done  int64
	note  string // replaces the bar once the counted part is done
	drawn int    // width of the line on the terminal
	stop  chan struct{}
	ended chan struct{}
}

const (
	// progressDelay is how long work runs before its progress shows.
	progressDelay = 500 * time.Millisecond
	// progressEvery is how often the line is redrawn.
	progressEvery = 200 * time.Millisecond
	// progressWidth is the width of the line, in columns.
	progressWidth = 72
)

// startProgress starts showing the progress of work of total units (0 or
// less when not known) on stderr, if it is a terminal; format says how
// much is done ("440/980 MB").
func startProgress(stderr io.Writer, label string, total int64, format func(done, total int64) string) *progress {
	p := &progress{label: label, total: total, format: format, start: time.Now()}
	if !isTerminal(stderr) {
		return p
	}
	p.out, p.stop, p.ended = stderr, make(chan struct{}), make(chan struct{})
	go p.run()
	return p
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// set records how much is done.
func (p *progress) set(done int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.done = done
	p.mu.Unlock()
}

// phase replaces the bar with a note ("writing the library") once the
// counted part of the work is done.
func (p *progress) phase(note string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.note = note
	p.mu.Unlock()
}

// finish stops the display and clears its line.
func (p *progress) finish() {
	if p == nil || p.out == nil {
		return
	}
	close(p.stop)
	<-p.ended
	p.out = nil
}

func (p *progress) run() {
	defer close(p.ended)
	delay := time.NewTimer(progressDelay)
	defer delay.Stop()
	select {
	case <-p.stop:
		return
	case <-delay.C:
	}
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		p.draw()
		select {
		case <-p.stop:
			p.clear()
			return
		case <-tick.C:
		}
	}
}

func (p *progress) draw() {
	p.mu.Lock()
	done, note := p.done, p.note
	p.mu.Unlock()
	line := progressLine(p.label, note, done, p.total, p.format, time.Since(p.start), progressWidth)
	pad := max(0, p.drawn-len([]rune(line)))
	fmt.Fprint(p.out, "\r"+line+strings.Repeat(" ", pad))
	p.drawn = len([]rune(line))
}

func (p *progress) clear() {
	if p.drawn > 0 {
		fmt.Fprint(p.out, "\r"+strings.Repeat(" ", p.drawn)+"\r")
	}
}

// progressLine is the line progress draws, at most width columns: the
// label, then a bar and the percentage when the total is known, what is
// done (format), and the time so far; once the counted part is done, note
// in place of the bar.
//
//	importing [##########..........]  50%  490/980 MB  0:12
func progressLine(label, note string, done, total int64, format func(done, total int64) string, elapsed time.Duration, width int) string {
	secs := int(elapsed / time.Second)
	clock := fmt.Sprintf("%d:%02d", secs/60, secs%60)
	if note != "" {
		return clip(label+": "+note+"…  "+clock, width)
	}
	amount := format(done, total)
	if total <= 0 {
		return clip(fmt.Sprintf("%s  %s  %s", label, amount, clock), width)
	}
	done = max(0, min(done, total))
	pct := int(done * 100 / total)
	tail := fmt.Sprintf(" %3d%%  %s  %s", pct, amount, clock)
	barWidth := width - len([]rune(label)) - len([]rune(tail)) - 3
	if barWidth < 5 {
		return clip(label+tail, width)
	}
	filled := int(done * int64(barWidth) / total)
	return label + " [" + strings.Repeat("#", filled) + strings.Repeat(".", barWidth-filled) + "]" + tail
}

// formatMB says how many megabytes of total are done.
func formatMB(done, total int64) string {
	if total <= 0 {
		return fmt.Sprintf("%d MB", done>>20)
	}
	return fmt.Sprintf("%d/%d MB", done>>20, total>>20)
}

// formatAnnotations says how many annotations are done.
func formatAnnotations(done, _ int64) string {
	return fmt.Sprintf("%d annotations", done)
}
