package eventqueue

import (
	"sync/atomic"
	"testing"
)

// event stands for an object's event.
type event struct {
	Type int
	Name string
}

const (
	created = iota + 1
	deleted
	closed
)

// A polled queue notifies once per burst, hands the events over in order, is
// armed again only by a take that leaves it empty, and ends with the final
// event alone, after which nothing comes (omnirtc_turn_server_poll_events, omnirtc_whip_*_poll_events).
func TestPolledEventQueueNotifiesOncePerBurstAndEndsWithClosed(t *testing.T) {
	var notifies atomic.Int32
	woken := make(chan struct{}, 16)
	q := NewPolled[*event](func() {
		notifies.Add(1)
		woken <- struct{}{}
	})
	for i := range 3 {
		q.Post(&event{Type: created, Name: string(rune('a' + i))})
	}
	<-woken
	got := q.Take(nil, 2)
	if len(got) != 2 || got[0].Name != "a" || got[1].Name != "b" {
		t.Fatalf("first take: %+v", got)
	}
	q.Post(&event{Type: deleted, Name: "a"}) // not armed: no notify
	got = q.Take(nil, 10)
	if len(got) != 2 || got[0].Name != "c" || got[1].Type != deleted {
		t.Fatalf("second take: %+v", got)
	}
	q.Finish(&event{Type: closed}) // armed again by the take that emptied the queue
	<-woken
	q.Post(&event{Type: created}) // after the final event: dropped
	if got = q.Take(nil, 10); len(got) != 1 || got[0].Type != closed {
		t.Fatalf("final take: %+v", got)
	}
	if got = q.Take(nil, 10); len(got) != 0 {
		t.Fatalf("after the final event: %+v", got)
	}
	q.WaitNotifier()
	if n := notifies.Load(); n != 2 {
		t.Fatalf("%d notifies, want 2 (one per burst)", n)
	}
}
