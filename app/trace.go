package app

import (
	"fmt"
	"os"
	"time"
)

// EnvTrace names the environment variable that, set to 1, makes the window
// print to stderr how long the reader's actions take, from the action to
// the window's parts updated: a way to measure the real window by hand.
const EnvTrace = "GLOSS_TRACE"

// tracer times one action at a time.
type tracer struct {
	on    bool
	began time.Time
}

func newTracer() tracer { return tracer{on: os.Getenv(EnvTrace) == "1"} }

func (t *tracer) start() {
	if t.on {
		t.began = time.Now()
	}
}

// done prints the time since start, once per start.
func (t *tracer) done(what string) {
	if !t.on || t.began.IsZero() {
		return
	}
	fmt.Fprintf(os.Stderr, "gloss trace: %s %.1f ms\n", what, float64(time.Since(t.began).Microseconds())/1000)
	t.began = time.Time{}
}
