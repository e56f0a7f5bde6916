package core

import (
	"fmt"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// polling is the state of a polled dispatcher, guarded by the dispatcher's
// mu. The host is told by notify, on the dispatcher's goroutine, that the
// queue went from empty to non-empty while it was armed; a take that leaves
// the queue empty arms it again. So a host that takes until it gets fewer
// events than it asked for after each notify misses none and gets one
// wake-up per burst.
type polling struct {
	notify     func() // nil on a push dispatcher
	armed      bool
	due        bool // notify is owed: the goroutine calls it
	held       int  // budget bytes of the events the host holds (taken, not released)
	waiting    int  // postMessage calls waiting for budget
	finalTaken bool
	quiet      bool // stopNotifying was called: the host is told nothing more
}

func newPolledDispatcher(notify func()) *dispatcher {
	d := &dispatcher{polled: polling{notify: notify, armed: true}}
	d.start(d.notifyLoop)

	return d
}

// queued notes that an event (or the final one) was queued.
func (s *polling) queued(d *dispatcher) {
	if s.armed {
		s.armed = false
		s.due = true
		d.wake.Signal()
	}
}

// kick notifies an armed host that holds budget readers wait for: only its
// next take releases it, and nothing else would wake it.
func (s *polling) kick(d *dispatcher) {
	if s.armed && s.waiting > 0 && s.held > 0 {
		s.queued(d)
	}
}

// notifyLoop calls notify whenever one is due, until the final event was
// taken. It counts as a handler (busy): a close or take inside notify never
// waits for a dispatcher.
func (d *dispatcher) notifyLoop(ready chan struct{}) {
	d.mu.Lock()
	d.runner = goroutine.ID()
	close(ready)
	for {
		for !d.polled.due && !d.polled.finalTaken && !d.polled.quiet {
			d.wake.Wait()
		}
		if d.polled.finalTaken || d.polled.quiet {
			d.mu.Unlock()

			return
		}
		d.polled.due = false
		d.mu.Unlock()
		d.busy.Store(d.runner)
		d.polled.notify()
		d.busy.Store(0)
		d.mu.Lock()
	}
}

// take appends up to maxEvents queued events to dst, in order; their budget
// stays spent until release. The final event comes alone, once the
// queue is empty; taking it ends the dispatcher, and take then waits for a
// notify in flight unless called from inside a handler or notify.
func (d *dispatcher) take(dst []*Event, maxEvents int) ([]*Event, error) {
	d.mu.Lock()
	if d.polled.notify == nil {
		d.mu.Unlock()

		return dst, rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("the events of a peer connection with a callback go to it"))
	}
	if d.polled.finalTaken {
		d.mu.Unlock()

		return dst, rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("the peer connection's final event was taken"))
	}
	if len(d.queue) == 0 && d.final != nil {
		d.polled.finalTaken = true
		d.wake.Signal()
		dst = append(dst, d.final)
		d.mu.Unlock()

		return dst, nil
	}
	n := min(maxEvents, len(d.queue))
	start := len(dst)
	dst = append(dst, d.queue[:n]...)
	clear(d.queue[:n])
	d.queue = d.queue[n:]
	queuedEvents.Add(-int64(n))
	for _, e := range dst[start:] {
		d.polled.held += e.cost
	}
	if n < maxEvents {
		d.polled.armed = true
		d.polled.kick(d)
	}
	d.mu.Unlock()
	for _, e := range dst[start:] {
		if e.taken != nil {
			e.taken()
		}
		if e.delivered != nil {
			e.delivered()
		}
	}

	return dst, nil
}

// release returns the budget of the events taken so far.
func (d *dispatcher) release() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.polled.held > 0 && !d.stopped.Load() {
		d.budget -= d.polled.held
		d.credit.Broadcast()
	}
	d.polled.held = 0
}

// stopNotifying ends the notify goroutine, so no notify starts after it
// returns (unless called from inside a handler or notify, which never wait);
// the queued events, the final one included, stay to be taken.
func (d *dispatcher) stopNotifying() {
	if d.polled.notify == nil {
		return
	}
	d.mu.Lock()
	d.polled.quiet = true
	d.wake.Signal()
	d.mu.Unlock()
	d.waitNotifier()
}

// waitNotifier returns once the notify goroutine ended, after the final event
// was taken, so no notify runs after; at once from inside a handler or
// notify, which never wait for a dispatcher.
func (d *dispatcher) waitNotifier() {
	if !inAnyHandler() {
		<-d.done
	}
}
