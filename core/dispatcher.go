package core

import (
	"sync"
	"sync/atomic"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
)

// messageBudget bounds the bytes of received messages (and, on a polled peer
// connection, media) a peer connection holds for a slow host. Past it,
// channel readers stop reading, so the remote's SCTP flow control pushes back
// instead of memory growing.
const messageBudget = 4 << 20

// messageOverhead is what one queued message costs besides its payload.
const messageOverhead = 64

// queuedEvents counts events waiting in every dispatcher, for leak checks.
var queuedEvents atomic.Int64

// running holds every dispatcher that may still run its handler or notify,
// so that a close can tell whether its caller runs inside any peer's
// handler.
var running = struct {
	sync.Mutex
	set map[*dispatcher]struct{}
}{set: map[*dispatcher]struct{}{}}

// dispatcher is one peer connection's event queue. A push dispatcher
// delivers the events to its handler on one goroutine at a time, started
// when an event is queued to an empty queue and ended once the queue is
// empty again (an idle peer holds none, issue 24), so pion's goroutines
// never wait on host code; it lets the goroutines that read media
// deliver their own (see deliver); either way the handler never runs
// concurrently with itself. A polled one (dispatcherpoll.go) queues media
// too, and the host takes the events in batches (take) when notified.
type dispatcher struct {
	handler Handler
	polled  polling // notifier is nil on a push dispatcher

	// slot is held while the handler runs; sync.Mutex hands it over in
	// arrival order to a goroutine that waited over a millisecond, so a
	// media flood delays the queue's events, never starves them.
	slot sync.Mutex
	busy atomic.Uint64 // goroutine id of the one in the handler, 0 if none

	mu       sync.Mutex
	credit   *sync.Cond // message budget freed, or stop
	queue    []*Event
	budget   int
	stopped  atomic.Bool   // accepts only the final event; set under mu
	final    *Event        // delivered after the queue is dropped
	draining bool          // push: a drain goroutine runs
	done     chan struct{} // closed by retire
	closed   chan struct{} // closed once final is set
}

func newDispatcher(handler Handler) *dispatcher {
	d := &dispatcher{handler: handler}
	d.register()

	return d
}

// register makes d and adds it to running.
func (d *dispatcher) register() {
	d.done, d.closed = make(chan struct{}), make(chan struct{})
	d.credit = sync.NewCond(&d.mu)
	running.Lock()
	running.set[d] = struct{}{}
	running.Unlock()
}

// retire removes d from running and closes done once its handler and
// notify never run again.
func (d *dispatcher) retire() {
	running.Lock()
	delete(running.set, d)
	running.Unlock()
	close(d.done)
}

// post queues a control event; it never blocks. Events after stop are dropped.
func (d *dispatcher) post(e *Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped.Load() {
		return
	}
	d.enqueue(e)
}

// enqueue appends e and starts the delivery; d.mu is held.
func (d *dispatcher) enqueue(e *Event) {
	d.queue = append(d.queue, e)
	queuedEvents.Add(1)
	d.queued()
}

// queued starts a drain goroutine unless one runs, or tells the notifier;
// d.mu is held.
func (d *dispatcher) queued() {
	switch {
	case d.polled.notifier != nil:
		d.polled.notifier.Queued()
	case !d.draining:
		d.draining = true
		go d.drain()
	}
}

// postMessage queues a received message, waiting while the message budget is
// spent. It reports false once the dispatcher is stopped.
func (d *dispatcher) postMessage(e *Event) bool {
	cost := len(e.Data) + messageOverhead
	d.mu.Lock()
	defer d.mu.Unlock()
	// One message always fits when nothing is queued, however large.
	for !d.stopped.Load() && d.budget > 0 && d.budget+cost > messageBudget {
		d.polled.waiting++
		if d.polled.owed() {
			d.polled.notifier.Queued()
		}
		d.credit.Wait()
		d.polled.waiting--
	}
	if d.stopped.Load() {
		return false
	}
	d.budget += cost
	e.cost = cost
	d.enqueue(e)

	return true
}

// deliver runs the handler for e on the calling goroutine, whose id is gid,
// once no other goroutine runs it. A media reader delivers its packets so:
// one goroutine hop and one copy fewer per packet than postMessage, and a
// slow handler holds back the reader as a slow Read loop holds back pion's.
// It reports false once the dispatcher is stopped. A polled dispatcher
// queues a copy instead, under the message budget.
func (d *dispatcher) deliver(gid uint64, e *Event) bool {
	if d.polled.notifier != nil {
		kept := *e
		kept.Data = append([]byte(nil), e.Data...)

		return d.postMessage(&kept)
	}
	d.slot.Lock()
	defer d.slot.Unlock()
	if d.stopped.Load() {
		return false
	}
	d.handle(gid, e)

	return true
}

// handle runs the handler with the slot held.
func (d *dispatcher) handle(gid uint64, e *Event) {
	d.busy.Store(gid)
	d.handler(e)
	d.busy.Store(0)
}

// stop drops every queued event and refuses new ones.
func (d *dispatcher) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopped.Store(true)
	queuedEvents.Add(-int64(len(d.queue)))
	d.queue = nil
	d.budget = 0
	d.credit.Broadcast()
}

// finish delivers final as the last event (a polled dispatcher queues it)
// and returns as wait does.
func (d *dispatcher) finish(final *Event) {
	d.stop()
	d.mu.Lock()
	if d.final == nil {
		d.final = final
		close(d.closed)
		d.queued()
	}
	d.mu.Unlock()
	d.wait()
}

// wait returns once the final event was delivered (queued, on a polled
// dispatcher: it never waits for the host), or at once when called from
// inside any dispatcher's handler. A handler never waits for a dispatcher,
// so dispatchers never wait for one another: handlers that close each
// other's peers, in any cycle, cannot deadlock. Only goroutines outside every
// handler wait, and each waits for handlers that do not.
func (d *dispatcher) wait() {
	if inAnyHandler() {
		return
	}
	if d.polled.notifier != nil {
		<-d.closed
	} else {
		<-d.done
	}
}

// inHandler reports whether the caller runs inside this dispatcher's handler.
func (d *dispatcher) inHandler() bool {
	return d.busy.Load() == goroutine.ID()
}

// inAnyHandler reports whether the caller runs inside the handler of any
// dispatcher. It walks every live one: closes are rare, events are not, so
// nothing is recorded per event.
func inAnyHandler() bool {
	gid := goroutine.ID()
	running.Lock()
	defer running.Unlock()
	for d := range running.set {
		if d.busy.Load() == gid {
			return true
		}
	}

	return false
}

// drain delivers the queued events in order, then the final one, which ends
// the dispatcher; it returns as soon as the queue is empty.
func (d *dispatcher) drain() {
	runner := goroutine.ID()
	d.mu.Lock()
	for {
		if len(d.queue) == 0 && d.final == nil {
			d.draining = false
			d.mu.Unlock()

			return
		}
		if len(d.queue) == 0 {
			final := d.final
			d.mu.Unlock()
			d.slot.Lock()
			d.handle(runner, final)
			d.slot.Unlock()
			d.retire()

			return
		}
		e := d.queue[0]
		d.queue[0] = nil
		d.queue = d.queue[1:]
		queuedEvents.Add(-1)
		d.mu.Unlock()

		if e.taken != nil {
			e.taken()
		}
		d.slot.Lock()
		// A close from another peer's handler does not wait for this one:
		// an event taken before its stop must not start after it returned.
		if !d.stopped.Load() {
			d.handle(runner, e)
		}
		d.slot.Unlock()
		if e.delivered != nil {
			e.delivered()
		}

		d.mu.Lock()
		if e.cost > 0 && !d.stopped.Load() {
			d.budget -= e.cost
			d.credit.Broadcast()
		}
	}
}
