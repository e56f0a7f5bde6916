package turnserver

import (
	"sync"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
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
// (notify set) lets the host take them in batches (take), telling it on that
// goroutine when the queue went from empty to non-empty while it was armed,
// as a polled peer connection's dispatcher does: a take that leaves the queue
// empty arms it again, so a host that takes until it gets fewer events than
// it asked for after each notify misses none and is woken once per burst.
type eventQueue struct {
	handler func(*Event) // push
	notify  func()       // polled

	mu         sync.Mutex
	wake       *sync.Cond
	queue      []*Event
	final      *Event
	dropped    uint64
	runner     uint64
	armed      bool // polled: the next queued event is notified
	due        bool // polled: a notify is owed
	finalTaken bool // polled: the host took the final event
	quiet      bool // polled: stopNotifying was called
	done       chan struct{}
}

func newEventQueue(handler func(*Event)) *eventQueue {
	return startEventQueue(&eventQueue{handler: handler})
}

func newPolledEventQueue(notify func()) *eventQueue {
	return startEventQueue(&eventQueue{notify: notify, armed: true})
}

func startEventQueue(q *eventQueue) *eventQueue {
	q.done = make(chan struct{})
	q.wake = sync.NewCond(&q.mu)
	ready := make(chan struct{})
	if q.notify != nil {
		go q.notifyLoop(ready)
	} else {
		go q.run(ready)
	}
	<-ready

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
	if q.notify == nil {
		q.wake.Signal()
	} else if q.armed {
		q.armed, q.due = false, true
		q.wake.Signal()
	}
}

// silence drops the handler: a server that failed to start reports nothing.
func (q *eventQueue) silence() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handler = nil
	q.finalTaken = q.notify != nil // a polled host is never told
	q.wake.Signal()
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
	wait := q.notify == nil && q.runner != goroutine.ID()
	q.mu.Unlock()
	if wait {
		<-q.done
	}
}

func (q *eventQueue) run(ready chan struct{}) {
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

// notifyLoop calls notify whenever one is due, until the final event was
// taken.
func (q *eventQueue) notifyLoop(ready chan struct{}) {
	defer close(q.done)
	q.mu.Lock()
	q.runner = goroutine.ID()
	close(ready)
	for {
		for !q.due && !q.finalTaken && !q.quiet {
			q.wake.Wait()
		}
		if q.finalTaken || q.quiet {
			q.mu.Unlock()

			return
		}
		q.due = false
		q.mu.Unlock()
		q.notify()
		q.mu.Lock()
	}
}

// take appends up to maxEvents queued events to dst, in order. The final
// event comes alone once the queue is empty, and taking it ends the queue;
// afterwards take returns dst unchanged.
func (q *eventQueue) take(dst []*Event, maxEvents int) []*Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.finalTaken {
		return dst
	}
	if len(q.queue) == 0 && q.final != nil {
		q.finalTaken = true
		q.wake.Signal()

		return append(dst, q.final)
	}
	n := min(maxEvents, len(q.queue))
	dst = append(dst, q.queue[:n]...)
	clear(q.queue[:n])
	q.queue = q.queue[n:]
	if n < maxEvents {
		q.armed = true
		if len(q.queue) > 0 || q.final != nil {
			q.queued()
		}
	}

	return dst
}

// stopNotifying ends the notify goroutine, so no notify starts after it
// returns (from inside notify: none after the running one); the queued
// events, the final one included, stay to be taken.
func (q *eventQueue) stopNotifying() {
	if q.notify == nil {
		return
	}
	q.mu.Lock()
	q.quiet = true
	q.wake.Signal()
	q.mu.Unlock()
	q.waitNotifier()
}

// waitNotifier returns once the notify goroutine ended (after the final
// event was taken), so no notify runs after; at once from inside notify.
func (q *eventQueue) waitNotifier() {
	q.mu.Lock()
	own := q.runner == goroutine.ID()
	q.mu.Unlock()
	if !own {
		<-q.done
	}
}
