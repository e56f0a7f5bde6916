package notifier

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// owner is a queue's side of a Notifier: its mutex, and a count of notifies.
type owner struct {
	mu       sync.Mutex
	n        *Notifier
	notified chan struct{}
}

func start(t *testing.T, notify func(o *owner)) *owner {
	t.Helper()
	o := &owner{notified: make(chan struct{}, 16)}
	o.n = New(&o.mu, func() {
		if notify != nil {
			notify(o)
		}
		o.notified <- struct{}{}
	}, nil)

	return o
}

// locked runs f with the owner's mutex held, as the owner's methods do.
func (o *owner) locked(f func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	f()
}

// settled waits for the notify just owed, then checks none more is.
func (o *owner) settled(t *testing.T) {
	t.Helper()
	<-o.notified
	o.quiet(t)
}

// quiet checks that no notify is owed or was called.
func (o *owner) quiet(t *testing.T) {
	t.Helper()
	o.mu.Lock()
	due := o.n.Due()
	o.mu.Unlock()
	if due || len(o.notified) != 0 {
		t.Fatalf("a notify is owed (%v) or was called (%d)", due, len(o.notified))
	}
}

// end takes the final event and waits for the goroutine.
func (o *owner) end() {
	o.locked(o.n.TookFinal)
	o.n.Wait()
}

func TestNotifierNotifiesOncePerBurstAndRearmsAfterAShortTake(t *testing.T) {
	o := start(t, nil)
	o.locked(o.n.Queued) // starts armed
	o.settled(t)
	o.locked(o.n.Queued) // same burst: the host has not taken a short batch
	o.quiet(t)
	o.locked(func() { o.n.Rearm(false) }) // a short take emptied the queue
	o.quiet(t)
	o.locked(o.n.Queued)
	o.locked(o.n.Queued)
	o.settled(t)
	o.end()
}

func TestNotifierRearmOwedNotifiesAtOnce(t *testing.T) {
	o := start(t, nil)
	o.locked(o.n.Queued)
	o.settled(t)
	o.locked(func() { o.n.Rearm(true) }) // something still waits for the host
	o.settled(t)
	o.locked(o.n.Queued) // not armed again: no take since
	o.quiet(t)
	o.end()
}

func TestNotifierEndsWithTheFinalEvent(t *testing.T) {
	o := start(t, nil)
	o.locked(func() {
		o.n.Queued() // the final event, queued while armed
		o.n.TookFinal()
		if !o.n.FinalTaken() {
			t.Error("FinalTaken after TookFinal is false")
		}
	})
	o.n.Wait()
	o.locked(func() { o.n.Rearm(true) })
	if len(o.notified) != 0 {
		t.Fatal("notified after the final event was taken")
	}
}

func TestNotifierStopWaitsForTheRunningNotify(t *testing.T) {
	entered, leave := make(chan struct{}), make(chan struct{})
	o := start(t, func(*owner) {
		close(entered)
		<-leave
	})
	o.locked(o.n.Queued)
	<-entered
	o.locked(o.n.Stop)
	waited := make(chan struct{})
	go func() {
		o.n.Wait()
		close(waited)
	}()
	select {
	case <-waited:
		t.Fatal("Wait returned while notify ran")
	case <-time.After(20 * time.Millisecond):
	}
	close(leave)
	<-waited
	<-o.notified
	o.locked(func() {
		o.n.Rearm(true)
		if o.n.FinalTaken() {
			t.Error("Stop counted as the final event")
		}
	})
	if len(o.notified) != 0 {
		t.Fatal("notified after Stop")
	}
}

func TestNotifierWaitFromInsideNotifyReturnsAtOnce(t *testing.T) {
	o := start(t, func(o *owner) {
		o.locked(o.n.TookFinal) // the host takes the final event inside notify
		o.n.Wait()
	})
	o.locked(o.n.Queued)
	<-o.notified
	o.n.Wait()
}

func TestNotifierHoldsAGoroutineOnlyWhileNotifying(t *testing.T) {
	before := runtime.NumGoroutine()
	entered, leave := make(chan struct{}), make(chan struct{})
	ended := 0
	o := &owner{notified: make(chan struct{}, 16)}
	o.n = New(&o.mu, func() {
		entered <- struct{}{}
		<-leave
	}, func() { ended++ })
	if n := runtime.NumGoroutine(); n != before {
		t.Fatalf("an idle Notifier holds %d goroutines", n-before)
	}
	o.locked(o.n.Queued)
	<-entered
	if n := runtime.NumGoroutine(); n != before+1 {
		t.Fatalf("a notifying Notifier holds %d goroutines, want 1", n-before)
	}
	close(leave)
	o.n.Wait()
	for runtime.NumGoroutine() != before { // the goroutine returns after Wait's wake-up
		runtime.Gosched()
	}
	o.locked(o.n.TookFinal)
	o.locked(o.n.Stop)
	if ended != 1 {
		t.Fatalf("ended was called %d times, want 1", ended)
	}
}
