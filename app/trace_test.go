package app

import "testing"

func TestGoroutineID_TellsGoroutinesApart(t *testing.T) {
	here := goroutineID()
	if here == 0 || goroutineID() != here {
		t.Fatalf("the test goroutine's ID: %d, then %d", here, goroutineID())
	}
	other := make(chan uint64)
	go func() { other <- goroutineID() }()
	if id := <-other; id == 0 || id == here {
		t.Fatalf("another goroutine's ID: %d (this one's %d)", id, here)
	}
}
