package whip

import (
	"net/http"
	"testing"
)

// A refused session reports the status, then ends by itself and closes the
// peer it was given, so nothing of a refused publish stays open.
func TestSessionRefusedClosesPeer(t *testing.T) {
	h, base := newHost(t, ServerConfig{})
	h.refuse = http.StatusForbidden
	pub := publisher(t)
	events := make(chan *Event, 8)
	Start(pub.PeerConnection, base+"/whip", ClientOptions{}, func(e *Event) { events <- e })
	if e := <-events; e.Type != EventError || e.Status != http.StatusForbidden {
		t.Fatalf("first event %+v", e)
	}
	if e := <-events; e.Type != EventClosed || e.Reason != "failed" {
		t.Fatalf("second event %+v", e)
	}
	<-pub.closed
}

// A polled session: CONNECTED, an ICE restart, and Close, which deletes
// the resource and closes the peer before CLOSED.
func TestPolledSessionRestartAndClose(t *testing.T) {
	h, base := newHost(t, ServerConfig{})
	pub := publisher(t)
	notified := make(chan struct{}, 8)
	s := StartPolled(pub.PeerConnection, base+"/whip", ClientOptions{}, func() { notified <- struct{}{} })
	next := func() *Event {
		for {
			if got := s.TakeEvents(nil, 1); len(got) == 1 {
				return got[0]
			}
			<-notified
		}
	}
	if e := next(); e.Type != EventConnected || e.Resource == "" {
		t.Fatalf("first event %+v", e)
	}
	s.RestartICE()
	if e := next(); e.Type != EventICERestarted {
		t.Fatalf("after the restart %+v", e)
	}
	s.Close()
	if e := next(); e.Type != EventClosed || e.Reason != "closed" {
		t.Fatalf("after close %+v", e)
	}
	if e := h.waitEvent(t, EventSessionEnded); e.Reason != "deleted" {
		t.Fatalf("the server's session ended with %+v", e)
	}
	<-pub.closed
	s.WaitNotifier()
}
