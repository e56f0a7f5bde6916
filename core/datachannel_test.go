package core

import (
	"testing"
	"time"
)

// W3C "announce the RTCDataChannel as open": the datachannel event comes with
// the channel already open (it may send inside the handler), then its open
// event, before anything else of the channel.
func TestRemoteChannelIsAnnouncedOpenThenOpens(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { must(t, a.Close()); must(t, b.Close()) }()
	_, err := a.CreateDataChannel("first", DataChannelInit{}) // negotiates the association
	must(t, err)
	connect(t, a, b, ra, rb)
	seen := make(chan ChannelState, 1)
	sent := make(chan error, 1)
	rb.mu.Lock()
	trickle := rb.hook
	rb.mu.Unlock()
	rb.setHook(func(e *Event) {
		trickle(e)
		if e.Type == EventDataChannel && e.Channel.Info().Label == "chat" {
			seen <- e.Channel.ReadyState()
			sent <- e.Channel.Send([]byte("hello"), false)
		}
	})
	_, err = a.CreateDataChannel("chat", DataChannelInit{})
	must(t, err)
	if state := <-seen; state != ChannelOpen {
		t.Fatalf("readyState in the datachannel event: %s", state)
	}
	must(t, <-sent)
	ra.waitFor(t, 10*time.Second, ofType(EventChannelMessage))
	remote := rb.waitFor(t, time.Second, func(e *Event) bool {
		return e.Type == EventDataChannel && e.Channel.Info().Label == "chat"
	}).Channel
	var order []EventType
	rb.mu.Lock()
	for _, e := range rb.events {
		if e.Channel == remote {
			order = append(order, e.Type)
		}
	}
	rb.mu.Unlock()
	if len(order) < 2 || order[0] != EventDataChannel || order[1] != EventChannelOpen {
		t.Fatalf("remote channel's events: %v", order)
	}
}
