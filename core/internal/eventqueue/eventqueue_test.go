package eventqueue

import (
	"runtime"
	"slices"
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

// A push queue delivers on a goroutine started for each burst of events, so
// an idle TURN server or WHIP object holds none (issue 21, as a peer
// connection's dispatcher since issue 24); the final event still comes last
// and Finish waits for it.
func TestPushEventQueueHoldsAGoroutineOnlyWhileDelivering(t *testing.T) {
	before := runtime.NumGoroutine()
	entered, leave := make(chan struct{}), make(chan struct{})
	var got []int
	q := New(func(e int) {
		got = append(got, e)
		if e == 1 {
			entered <- struct{}{}
			<-leave
		}
	})
	if n := runtime.NumGoroutine(); n != before {
		t.Fatalf("an idle push queue holds %d goroutines", n-before)
	}
	q.Post(1)
	<-entered
	q.Post(2) // delivered by the same goroutine, after 1
	if n := runtime.NumGoroutine(); n != before+1 {
		t.Fatalf("a delivering push queue holds %d goroutines, want 1", n-before)
	}
	close(leave)
	for runtime.NumGoroutine() != before {
		runtime.Gosched()
	}
	q.Post(3)
	q.Finish(9)
	if want := []int{1, 2, 3, 9}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	for runtime.NumGoroutine() != before {
		runtime.Gosched()
	}
}
