package core

import (
	"sync"
	"testing"
	"time"
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
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				d.post(&Event{Type: EventSignalingState, State: int32(i)})
			}
		}()
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
		for i := 0; i < 4; i++ {
			posted <- d.postMessage(&Event{Type: EventChannelMessage, Data: big})
		}
	}()
	// A message counts against the budget until its handler returns: three
	// quarter-budget messages fit (one held by the handler), the fourth waits.
	for i := 0; i < 3; i++ {
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
