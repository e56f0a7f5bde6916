package turnserver

import (
	"sync"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
	"github.com/omnirtc/omnirtc/core/internal/notifier"
)

// EventType names a TURN server event; the values are the C API's
// OMNIRTC_TURN_EVENT_*.
type EventType int32

// TURN server events.
const (
	EventAllocationCreated EventType = 1
	EventAllocationDeleted EventType = 2
	EventClosed            EventType = 3
)

// Event is one notification from a TURN server.
type Event struct {
	Type          EventType
	Username      string // the authenticated user (for REST credentials, the part after "expiry:")
	Realm         string
	ClientAddress string // the client's transport address, "ip:port"
	RelayAddress  string // AllocationCreated: the relayed transport address
	Protocol      string // the client's transport: "UDP", "TCP" (TLS runs over TCP)
}

// eventQueueLimit bounds the events a slow host leaves queued; past it
// events are dropped and counted, so pion's goroutines never wait on the host.
const eventQueueLimit = 4096

// eventQueue holds a TURN server's events for its host, in order. A push
// queue delivers them to handler on one goroutine of its own; a polled one
// lets the host take them in batches (take), told by its notifier, as a
// polled peer connection's dispatcher does, when they wait.
type eventQueue struct {
	handler  func(*Event)       // push
	notifier *notifier.Notifier // polled

	mu      sync.Mutex
	wake    *sync.Cond // push: a new event
	queue   []*Event
	final   *Event
	dropped uint64
	runner  uint64        // push: goroutine id of run
	done    chan struct{} // push: closed when run returns
}

func newEventQueue(handler func(*Event)) *eventQueue {
	q := &eventQueue{handler: handler, done: make(chan struct{})}
	q.wake = sync.NewCond(&q.mu)

	ready := make(chan struct{})
	go q.run(ready)
	<-ready

	return q
}

func newPolledEventQueue(notify func()) *eventQueue {
	q := &eventQueue{}
	q.notifier = notifier.New(&q.mu, notify, nil)

	return q
}

func (q *eventQueue) post(e *Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.final != nil:
	case len(q.queue) >= eventQueueLimit:
		q.dropped++
	default:
		q.queue = append(q.queue, e)
		q.queued()
	}
}

// queued wakes the goroutine for a new event (or the final one); q.mu is held.
func (q *eventQueue) queued() {
	if q.notifier == nil {
		q.wake.Signal()
	} else {
		q.notifier.Queued()
	}
}

// silence drops the handler: a server that failed to start reports nothing.
func (q *eventQueue) silence() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handler = nil
	if q.notifier != nil {
		q.notifier.TookFinal() // a polled host is never told
	} else {
		q.wake.Signal()
	}
}

func (q *eventQueue) droppedCount() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()

	return q.dropped
}

// finish queues final after the pending events and, on a push queue unless
// called from the handler itself, waits until it was delivered. A polled
// queue never waits for its host.
func (q *eventQueue) finish(final *Event) {
	q.mu.Lock()
	if q.final == nil {
		q.final = final
		q.queued()
	}
	wait := q.notifier == nil && q.runner != goroutine.ID()
	q.mu.Unlock()
	if wait {
		<-q.done
	}
}

func (q *eventQueue) run(ready chan<- struct{}) {
	defer close(q.done)
	q.mu.Lock()
	q.runner = goroutine.ID()
	close(ready)
	for {
		for len(q.queue) == 0 && q.final == nil {
			q.wake.Wait()
		}
		var e *Event
		if len(q.queue) > 0 {
			e, q.queue = q.queue[0], q.queue[1:]
		} else {
			e = q.final
		}
		handler := q.handler
		q.mu.Unlock()
		if handler != nil {
			handler(e)
		}
		if e.Type == EventClosed {
			return
		}
		q.mu.Lock()
	}
}

// take appends up to maxEvents queued events to dst, in order. The final
// event comes alone once the queue is empty, and taking it ends the queue;
// afterwards, and on a push queue, take returns dst unchanged.
func (q *eventQueue) take(dst []*Event, maxEvents int) []*Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.notifier == nil || q.notifier.FinalTaken() {
		return dst
	}
	if len(q.queue) == 0 && q.final != nil {
		q.notifier.TookFinal()

		return append(dst, q.final)
	}
	n := min(maxEvents, len(q.queue))
	dst = append(dst, q.queue[:n]...)
	clear(q.queue[:n])
	q.queue = q.queue[n:]
	if n < maxEvents {
		q.notifier.Rearm(q.final != nil) // the queue is empty: the final event waits
	}

	return dst
}

// stopNotifying ends the notify goroutine, so no notify starts after it
// returns (from inside notify: none after the running one); the queued
// events, the final one included, stay to be taken.
func (q *eventQueue) stopNotifying() {
	if q.notifier == nil {
		return
	}
	q.mu.Lock()
	q.notifier.Stop()
	q.mu.Unlock()
	q.waitNotifier()
}

// waitNotifier returns once the notify goroutine ended (after the final
// event was taken), so no notify runs after; at once from inside notify, and
// on a push queue, which has none.
func (q *eventQueue) waitNotifier() {
	if q.notifier != nil {
		q.notifier.Wait()
	}
}
