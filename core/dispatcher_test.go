package core

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
)

func TestDispatcherDeliversInOrderOneAtATime(t *testing.T) {
	var mu sync.Mutex
	var got []int32
	busy := false
	done := make(chan struct{})
	d := newDispatcher(func(e *Event) {
		mu.Lock()
		if busy {
			t.Error("handler ran concurrently with itself")
		}
		busy = true
		mu.Unlock()
		time.Sleep(time.Microsecond)
		mu.Lock()
		busy = false
		got = append(got, e.State)
		mu.Unlock()
		if e.Type == EventPeerClosed {
			close(done)
		}
	})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range 100 {
				d.post(&Event{Type: EventSignalingState, State: int32(i)})
			}
		})
	}
	wg.Wait()
	d.post(&Event{Type: EventNegotiationNeeded, State: -1})
	// finish drops what is still queued, so wait for the marker first.
	for {
		mu.Lock()
		n := len(got)
		last := int32(0)
		if n > 0 {
			last = got[n-1]
		}
		mu.Unlock()
		if last == -1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	d.finish(&Event{Type: EventPeerClosed, State: -2})
	<-done
	if len(got) != 402 || got[401] != -2 {
		t.Fatalf("delivered %d events, last %d", len(got), got[len(got)-1])
	}
}

func TestDispatcherMessageBudgetBlocksReaders(t *testing.T) {
	release := make(chan struct{})
	d := newDispatcher(func(e *Event) {
		if e.Type == EventChannelMessage {
			<-release
		}
	})
	big := make([]byte, messageBudget/4)
	posted := make(chan bool, 4)
	go func() {
		for range 4 {
			posted <- d.postMessage(&Event{Type: EventChannelMessage, Data: big})
		}
	}()
	// A message counts against the budget until its handler returns: three
	// quarter-budget messages fit (one held by the handler), the fourth waits.
	for range 3 {
		select {
		case <-posted:
		case <-time.After(5 * time.Second):
			t.Fatal("post blocked below the budget")
		}
	}
	select {
	case <-posted:
		t.Fatal("post did not block over the budget")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if !<-posted {
		t.Fatal("post refused after the budget freed")
	}
	d.finish(&Event{Type: EventPeerClosed})
	if d.postMessage(&Event{Type: EventChannelMessage}) {
		t.Fatal("post accepted after finish")
	}
}

func TestFinishFromInsideTheHandlerReturnsAtOnce(t *testing.T) {
	var d *dispatcher
	closed := make(chan struct{})
	ready := make(chan struct{})
	d = newDispatcher(func(e *Event) {
		<-ready
		switch e.Type {
		case EventNegotiationNeeded:
			d.finish(&Event{Type: EventPeerClosed}) // must not wait for itself
		case EventPeerClosed:
			close(closed)
		default: // the other events need nothing here
		}
	})
	close(ready)
	d.post(&Event{Type: EventNegotiationNeeded})
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("finish from inside the handler deadlocked")
	}
}

// Handlers that finish one another's dispatchers in a cycle, all at once,
// must all finish: a finish from inside any handler does not wait.
func TestHandlersFinishingEachOtherInACycleFinish(t *testing.T) {
	for n := 2; n <= 3; n++ {
		ds := make([]*dispatcher, n)
		var inside sync.WaitGroup
		inside.Add(n)
		finals := make(chan int, n)
		for i := range ds {
			ds[i] = newDispatcher(func(e *Event) {
				if e.Type == EventPeerClosed {
					finals <- i

					return
				}
				inside.Done()
				inside.Wait() // every handler is running
				ds[(i+1)%n].finish(&Event{Type: EventPeerClosed})
			})
		}
		for _, d := range ds {
			d.post(&Event{Type: EventNegotiationNeeded})
		}
		for range n {
			select {
			case <-finals:
			case <-time.After(10 * time.Second):
				t.Fatalf("a cycle of %d finishes from inside handlers deadlocked", n)
			}
		}
	}
}

func TestDeliverRunsOnTheCallerOneAtATime(t *testing.T) {
	var mu sync.Mutex
	busy := false
	counts := map[EventType]int{}
	var d *dispatcher
	d = newDispatcher(func(e *Event) {
		mu.Lock()
		if busy {
			t.Error("handler ran concurrently with itself")
		}
		busy = true
		mu.Unlock()
		if !d.inHandler() {
			t.Error("inHandler is false inside the handler")
		}
		// the sender's goroutine id travels in a numeric field
		if e.Type == EventTrackRTP && uint64(e.PacketsDropped) != goroutine.ID() {
			t.Error("a delivered event ran on another goroutine than its caller's")
		}
		mu.Lock()
		busy = false
		counts[e.Type]++
		mu.Unlock()
	})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			gid := goroutine.ID()
			for range 200 {
				if !d.deliver(gid, &Event{Type: EventTrackRTP, PacketsDropped: int64(gid)}) {
					t.Error("deliver refused before stop")
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 200 {
				d.post(&Event{Type: EventSignalingState})
			}
		}()
	}
	wg.Wait()
	if d.inHandler() {
		t.Error("inHandler is true outside the handler")
	}
	d.post(&Event{Type: EventNegotiationNeeded})
	for {
		mu.Lock()
		n := counts[EventNegotiationNeeded]
		mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	d.finish(&Event{Type: EventPeerClosed})
	if counts[EventTrackRTP] != 800 || counts[EventSignalingState] != 800 || counts[EventPeerClosed] != 1 {
		t.Fatalf("delivered %v", counts)
	}
	if d.deliver(goroutine.ID(), &Event{Type: EventTrackRTP}) {
		t.Fatal("deliver accepted after finish")
	}
}

func TestDeliveringFloodDoesNotStarveQueuedEvents(t *testing.T) {
	got := make(chan struct{}, 1)
	d := newDispatcher(func(e *Event) {
		if e.Type == EventNegotiationNeeded {
			got <- struct{}{}
		}
	})
	stop := make(chan struct{})
	flooding := make(chan struct{})
	go func() {
		defer close(flooding)
		gid := goroutine.ID()
		for {
			select {
			case <-stop:
				return
			default:
				d.deliver(gid, &Event{Type: EventTrackRTP})
			}
		}
	}()
	d.post(&Event{Type: EventNegotiationNeeded})
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Error("a queued event waited behind delivered ones")
	}
	close(stop)
	<-flooding
	d.finish(&Event{Type: EventPeerClosed})
}

func TestFinishWaitsForAnInFlightDelivery(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	finals := make(chan struct{}, 1)
	d := newDispatcher(func(e *Event) {
		switch e.Type {
		case EventTrackRTP:
			close(entered)
			<-release
		case EventPeerClosed:
			finals <- struct{}{}
		default: // the other events need nothing here
		}
	})
	delivered := make(chan bool)
	go func() { delivered <- d.deliver(goroutine.ID(), &Event{Type: EventTrackRTP}) }()
	<-entered
	finished := make(chan struct{})
	go func() {
		d.finish(&Event{Type: EventPeerClosed})
		close(finished)
	}()
	select {
	case <-finished:
		t.Fatal("finish returned while a delivery was in the handler")
	case <-finals:
		t.Fatal("the final event ran beside a delivery")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if !<-delivered {
		t.Fatal("the in-flight delivery reported a refusal")
	}
	<-finished
	<-finals
	if d.deliver(goroutine.ID(), &Event{Type: EventTrackRTP}) {
		t.Fatal("deliver accepted after finish")
	}
}

func TestFinishFromInsideADeliveryReturnsAtOnce(t *testing.T) {
	var d *dispatcher
	var order []EventType
	d = newDispatcher(func(e *Event) {
		order = append(order, e.Type)
		if e.Type == EventTrackRTP {
			d.finish(&Event{Type: EventPeerClosed}) // must not wait for itself
			order = append(order, EventTrackEnded)  // marks finish's return
		}
	})
	returned := make(chan bool)
	go func() { returned <- d.deliver(goroutine.ID(), &Event{Type: EventTrackRTP}) }()
	select {
	case ok := <-returned:
		if !ok {
			t.Fatal("the delivery was refused")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("finish from inside a delivery deadlocked")
	}
	<-d.done
	if len(order) != 3 || order[1] != EventTrackEnded || order[2] != EventPeerClosed {
		t.Fatalf("events in order %v, want the final one after the delivery returned", order)
	}
}

func TestIdleDispatcherHoldsNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	delivered := make(chan struct{})
	d := newDispatcher(func(e *Event) { delivered <- struct{}{} })
	d.post(&Event{Type: EventSignalingState})
	<-delivered
	if n := settledGoroutines(func(n int) bool { return n <= before }); n > before {
		t.Fatalf("an idle dispatcher holds %d goroutines", n-before)
	}
	finished := make(chan struct{})
	go func() {
		d.finish(&Event{Type: EventPeerClosed})
		close(finished)
	}()
	<-delivered
	<-finished
}
