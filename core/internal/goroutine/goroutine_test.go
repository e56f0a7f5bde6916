package goroutine

import "testing"

func TestIDTellsGoroutinesApart(t *testing.T) {
	own := ID()
	if own == 0 || ID() != own {
		t.Fatalf("this goroutine's id: %d, then %d", own, ID())
	}
	other := make(chan uint64)
	go func() { other <- ID() }()
	if id := <-other; id == 0 || id == own {
		t.Fatalf("another goroutine's id %d, this one's %d", id, own)
	}
}
