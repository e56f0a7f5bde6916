// Package eventqueue holds the event queue of an object that is not a peer
// connection (a TURN server, a WHIP client or server): its events reach the
// host in order, pushed to a handler on a goroutine the queue starts for each
// burst or taken in batches by a polling host told by a notifier, so the
// library's goroutines never wait on host code, no binding keeps a queue and
// an idle object holds no goroutine.
package eventqueue

import (
	"sync"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
	"github.com/omnirtc/omnirtc/core/internal/notifier"
)

// limit bounds the events a slow host leaves queued; past it events are
// dropped and counted.
const limit = 4096

// Queue holds an object's events for its host, in order, and a final event
// that comes last. A push queue delivers them to handler on one goroutine at
// a time, started when events wait and ending when none is left; a polled
// one lets the host take them in batches (Take), told by its notifier, as a
// polled peer connection's dispatcher does, when they wait.
type Queue[E any] struct {
	handler  func(E)            // push
	notifier *notifier.Notifier // polled

	mu       sync.Mutex
	queue    []E
	final    E
	finished bool // final is set
	dropped  uint64
	running  bool          // push: a goroutine delivers (for good once it delivered the final event)
	runner   uint64        // push: its goroutine id
	done     chan struct{} // push: closed once the final event was delivered
}

// New returns a push queue that delivers each event to handler.
func New[E any](handler func(E)) *Queue[E] {
	return &Queue[E]{handler: handler, done: make(chan struct{})}
}

// NewPolled returns a polled queue; notify runs on a goroutine started for
// each burst of events that wait for a host that is armed (see notifier), so
// an idle queue holds none.
func NewPolled[E any](notify func()) *Queue[E] {
	q := &Queue[E]{}
	q.notifier = notifier.New(&q.mu, notify, nil)

	return q
}

// Post queues e; after the final event, or past the limit, it is dropped.
func (q *Queue[E]) Post(e E) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.finished:
	case len(q.queue) >= limit:
		q.dropped++
	default:
		q.queue = append(q.queue, e)
		q.queued()
	}
}

// queued starts delivering a new event (or the final one); q.mu is held.
func (q *Queue[E]) queued() {
	switch {
	case q.notifier != nil:
		q.notifier.Queued()
	case !q.running:
		q.running = true
		go q.run()
	}
}

// Silence drops the handler: an object that failed to start reports nothing.
func (q *Queue[E]) Silence() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handler = nil
	if q.notifier != nil {
		q.notifier.TookFinal() // a polled host is never told
	}
}

// Dropped counts the events dropped past the limit.
func (q *Queue[E]) Dropped() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()

	return q.dropped
}

// Finish queues final after the pending events (once; later calls keep the
// first) and, on a push queue unless called from the handler itself, waits
// until it was delivered. A polled queue never waits for its host.
func (q *Queue[E]) Finish(final E) {
	q.mu.Lock()
	if !q.finished {
		q.final, q.finished = final, true
		q.queued()
	}
	wait := q.notifier == nil && q.runner != goroutine.ID()
	q.mu.Unlock()
	if wait {
		<-q.done
	}
}

// run delivers the queued events, the final one last, and returns once none
// is left.
func (q *Queue[E]) run() {
	q.mu.Lock()
	q.runner = goroutine.ID()
	for len(q.queue) > 0 || q.finished {
		e, last := q.final, len(q.queue) == 0
		if !last {
			e, q.queue = q.queue[0], q.queue[1:]
		}
		handler := q.handler
		q.mu.Unlock()
		if handler != nil {
			handler(e)
		}
		if last {
			close(q.done) // running stays set: nothing is delivered after the final event

			return
		}
		q.mu.Lock()
	}
	q.running, q.runner = false, 0
	q.mu.Unlock()
}

// InHandler reports whether the caller is a push queue's handler.
func (q *Queue[E]) InHandler() bool {
	q.mu.Lock()
	defer q.mu.Unlock()

	return q.notifier == nil && q.runner == goroutine.ID()
}

// Take appends up to maxEvents queued events to dst, in order. The final
// event comes alone once the queue is empty, and taking it ends the queue;
// afterwards, and on a push queue, Take returns dst unchanged.
func (q *Queue[E]) Take(dst []E, maxEvents int) []E {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.notifier == nil || q.notifier.FinalTaken() {
		return dst
	}
	if len(q.queue) == 0 && q.finished {
		q.notifier.TookFinal()

		return append(dst, q.final)
	}
	n := min(maxEvents, len(q.queue))
	dst = append(dst, q.queue[:n]...)
	clear(q.queue[:n])
	q.queue = q.queue[n:]
	if n < maxEvents {
		q.notifier.Rearm(q.finished) // the queue is empty: the final event waits
	}

	return dst
}

// StopNotifying ends the notify goroutine, so no notify starts after it
// returns (from inside notify: none after the running one); the queued
// events, the final one included, stay to be taken.
func (q *Queue[E]) StopNotifying() {
	if q.notifier == nil {
		return
	}
	q.mu.Lock()
	q.notifier.Stop()
	q.mu.Unlock()
	q.WaitNotifier()
}

// WaitNotifier returns once the notify goroutine ended (after the final
// event was taken), so no notify runs after; at once from inside notify, and
// on a push queue, which has none.
func (q *Queue[E]) WaitNotifier() {
	if q.notifier != nil {
		q.notifier.Wait()
	}
}
