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

// eventQueueLimit bounds the events a slow handler leaves queued; past it
// events are dropped and counted, so pion's goroutines never wait on the host.
const eventQueueLimit = 4096

// eventQueue delivers a TURN server's events to its handler on one
// goroutine, in order.
type eventQueue struct {
	handler func(*Event)

	mu      sync.Mutex
	wake    *sync.Cond
	queue   []*Event
	final   *Event
	dropped uint64
	runner  uint64
	done    chan struct{}
}

func newEventQueue(handler func(*Event)) *eventQueue {
	q := &eventQueue{handler: handler, done: make(chan struct{})}
	q.wake = sync.NewCond(&q.mu)
	ready := make(chan struct{})
	go q.run(ready)
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
		q.wake.Signal()
	}
}

// silence drops the handler: a server that failed to start reports nothing.
func (q *eventQueue) silence() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handler = nil
}

func (q *eventQueue) droppedCount() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()

	return q.dropped
}

// finish queues final after the pending events and, unless called from the
// handler itself, waits until it was delivered.
func (q *eventQueue) finish(final *Event) {
	q.mu.Lock()
	if q.final == nil {
		q.final = final
	}
	q.wake.Signal()
	own := q.runner == goroutine.ID()
	q.mu.Unlock()
	if !own {
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
