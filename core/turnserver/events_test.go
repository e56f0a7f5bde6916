package turnserver

import (
	"sync/atomic"
	"testing"
)

// A polled queue notifies once per burst, hands the events over in order, is
// armed again only by a take that leaves it empty, and ends with the final
// event alone, after which nothing comes (omnirtc_turn_server_poll_events).
func TestPolledEventQueueNotifiesOncePerBurstAndEndsWithClosed(t *testing.T) {
	var notifies atomic.Int32
	woken := make(chan struct{}, 16)
	q := newPolledEventQueue(func() {
		notifies.Add(1)
		woken <- struct{}{}
	})
	for i := range 3 {
		q.post(&Event{Type: EventAllocationCreated, Username: string(rune('a' + i))})
	}
	<-woken
	got := q.take(nil, 2)
	if len(got) != 2 || got[0].Username != "a" || got[1].Username != "b" {
		t.Fatalf("first take: %+v", got)
	}
	q.post(&Event{Type: EventAllocationDeleted, Username: "a"}) // not armed: no notify
	got = q.take(nil, 10)
	if len(got) != 2 || got[0].Username != "c" || got[1].Type != EventAllocationDeleted {
		t.Fatalf("second take: %+v", got)
	}
	q.finish(&Event{Type: EventClosed}) // armed again by the take that emptied the queue
	<-woken
	q.post(&Event{Type: EventAllocationCreated}) // after the final event: dropped
	if got = q.take(nil, 10); len(got) != 1 || got[0].Type != EventClosed {
		t.Fatalf("final take: %+v", got)
	}
	if got = q.take(nil, 10); len(got) != 0 {
		t.Fatalf("after the final event: %+v", got)
	}
	q.waitNotifier()
	if n := notifies.Load(); n != 2 {
		t.Fatalf("%d notifies, want 2 (one per burst)", n)
	}
}
