package core

import (
	"fmt"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
	"github.com/omnirtc/omnirtc/core/internal/notifier"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// polling is the state of a polled dispatcher, guarded by the dispatcher's
// mu: its notifier, which tells the host that events wait, and the budget
// the host holds.
type polling struct {
	notifier *notifier.Notifier // nil on a push dispatcher
	held     int                // budget bytes of the events the host holds (taken, not released)
	waiting  int                // postMessage calls waiting for budget
}

// newPolledDispatcher returns a dispatcher whose notifier calls notify. It
// counts as a handler (busy): a close or take inside notify never waits for
// a dispatcher.
func newPolledDispatcher(notify func()) *dispatcher {
	d := &dispatcher{}
	d.register()
	d.polled.notifier = notifier.New(&d.mu, func() {
		d.busy.Store(goroutine.ID())
		notify()
		d.busy.Store(0)
	}, d.retire)

	return d
}

// owed reports whether the host holds budget readers wait for: only its
// next take releases it, and nothing else would wake it.
func (s *polling) owed() bool {
	return s.waiting > 0 && s.held > 0
}

// take appends up to maxEvents queued events to dst, in order; their budget
// stays spent until release. The final event comes alone, once the
// queue is empty; taking it ends the dispatcher, and take then waits for a
// notify in flight unless called from inside a handler or notify.
func (d *dispatcher) take(dst []*Event, maxEvents int) ([]*Event, error) {
	d.mu.Lock()
	if d.polled.notifier == nil {
		d.mu.Unlock()

		return dst, rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("the events of a peer connection with a callback go to it"))
	}
	if d.polled.notifier.FinalTaken() {
		d.mu.Unlock()

		return dst, rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("the peer connection's final event was taken"))
	}
	if len(d.queue) == 0 && d.final != nil {
		d.polled.notifier.TookFinal()
		dst = append(dst, d.final)
		d.mu.Unlock()

		return dst, nil
	}
	n := batchEnd(d.queue, maxEvents)
	start := len(dst)
	dst = append(dst, d.queue[:n]...)
	clear(d.queue[:n])
	d.queue = d.queue[n:]
	queuedEvents.Add(-int64(n))
	for _, e := range dst[start:] {
		d.polled.held += e.cost
	}
	if n < maxEvents { // cut short before a CLOSE, events are left: notify at once
		d.polled.notifier.Rearm(d.polled.owed() || len(d.queue) > 0)
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

// batchEnd is how many of queue a take of up to maxEvents hands over: a
// channel's EventChannelClose starts a batch, so a host that handles a batch
// in order has handled the channel's earlier events before the take that
// makes the channel read closed (and releases its handle in capi).
func batchEnd(queue []*Event, maxEvents int) int {
	n := min(maxEvents, len(queue))
	for i := 1; i < n; i++ {
		if queue[i].Type == EventChannelClose {
			return i
		}
	}

	return n
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

// stopNotifying ends notifying, so no notify starts after it
// returns (unless called from inside a handler or notify, which never wait);
// the queued events, the final one included, stay to be taken.
func (d *dispatcher) stopNotifying() {
	if d.polled.notifier == nil {
		return
	}
	d.mu.Lock()
	d.polled.notifier.Stop()
	d.mu.Unlock()
	d.waitNotifier()
}

// waitNotifier returns once no notify runs, so after the final event was
// taken none runs again; at once from inside a handler or
// notify, which never wait for a dispatcher.
func (d *dispatcher) waitNotifier() {
	if !inAnyHandler() {
		d.polled.notifier.Wait()
	}
}
