package whip

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/internal/eventqueue"
)

// deleteTimeout bounds the DELETE that ends a session.
const deleteTimeout = 10 * time.Second

// Session runs a Client in the background for a host that must not block
// on the network: each step is an event. It takes the peer connection: the
// peer closes when the session ends, whether Connect failed (a refusal
// included) or Close was called, so a refused publish leaves nothing open.
type Session struct {
	peer     *core.PeerConnection
	events   *eventQueue
	cancel   context.CancelFunc // stops the request under way, for Close
	restarts chan struct{}      // RestartICE requests, at most one waiting
	stop     chan struct{}      // closed by Close
	stopOnce sync.Once
	done     chan struct{} // closed when run returned, EventClosed queued
}

// Start connects peer to endpoint (Connect) in the background; the
// session's events run handler one at a time on a goroutine of the session,
// the last being EventClosed.
func Start(peer *core.PeerConnection, endpoint string, options ClientOptions, handler func(*Event)) *Session {
	return startSession(peer, endpoint, options, eventqueue.New(handler))
}

// StartPolled is Start for a host that takes the events with TakeEvents,
// told by notify (see eventqueue).
func StartPolled(peer *core.PeerConnection, endpoint string, options ClientOptions, notify func()) *Session {
	return startSession(peer, endpoint, options, eventqueue.NewPolled[*Event](notify))
}

func startSession(peer *core.PeerConnection, endpoint string, options ClientOptions, events *eventQueue) *Session {
	s := &Session{
		peer: peer, events: events, restarts: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.run(ctx, endpoint, options)

	return s
}

func (s *Session) run(ctx context.Context, endpoint string, options ClientOptions) {
	defer close(s.done)
	c, err := Connect(ctx, s.peer, endpoint, options)
	if err != nil {
		s.failed(ctx, err)
		reason := "failed"
		if ctx.Err() != nil {
			reason = "closed"
		}
		s.end(ctx, nil, reason)

		return
	}
	s.events.Post(&Event{Type: EventConnected, Resource: c.Resource()})
	for {
		select {
		case <-s.restarts:
			if err = c.RestartICE(ctx); err != nil {
				s.failed(ctx, err)
			} else {
				s.events.Post(&Event{Type: EventICERestarted})
			}
		case <-s.stop:
			s.end(ctx, c, "closed")

			return
		}
	}
}

// failed posts an EventError for err, unless Close caused it.
func (s *Session) failed(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	e := &Event{Type: EventError, Reason: err.Error()}
	if status, ok := errors.AsType[*StatusError](err); ok {
		e.Status = status.Code
	}
	s.events.Post(e)
}

// end closes the peer, queues EventClosed and deletes the resource, if
// any, in the background: the host waits for no request, and the server
// forgets an unreachable session on its own. ctx is canceled by then: the
// DELETE has a deadline of its own.
func (s *Session) end(ctx context.Context, c *Client, reason string) {
	_ = s.peer.Close()
	if c != nil {
		go func() {
			deleteCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deleteTimeout)
			defer cancel()
			_ = c.Close(deleteCtx)
		}()
	}
	s.events.Finish(&Event{Type: EventClosed, Reason: reason})
}

// RestartICE asks for an ICE restart (EventICERestarted or EventError
// follows); a request while one waits is the same request.
func (s *Session) RestartICE() {
	select {
	case s.restarts <- struct{}{}:
	default:
	}
}

// Close ends the session: a request under way stops, the peer closes,
// EventClosed comes last, and the resource is deleted in the background.
// Unless called from the session's own handler, it returns once EventClosed
// was delivered (push) or queued (polled), so no event follows it.
func (s *Session) Close() {
	s.stopOnce.Do(func() {
		s.cancel()
		close(s.stop)
	})
	if !s.events.InHandler() {
		<-s.done
	}
}

// TakeEvents appends up to maxEvents events of a polled session to dst.
func (s *Session) TakeEvents(dst []*Event, maxEvents int) []*Event {
	return s.events.Take(dst, maxEvents)
}

// WaitNotifier returns once no notify runs any more (after EventClosed was taken).
func (s *Session) WaitNotifier() { s.events.WaitNotifier() }

// StopNotifying ends the notifies of a polled session; its events stay.
func (s *Session) StopNotifying() { s.events.StopNotifying() }
