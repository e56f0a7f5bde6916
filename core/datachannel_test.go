package core

import (
	"strings"
	"testing"
	"time"
)

// W3C "announce the RTCDataChannel as open": the datachannel event comes with
// the channel already open (it may send inside the handler), then its open
// event, before anything else of the channel; both carry the channel's info.
func TestRemoteChannelIsAnnouncedOpenThenOpens(t *testing.T) {
	a, ra, rb := connectedPair(t)
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
	_, err := a.CreateDataChannel("chat", DataChannelInit{})
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
			if (e.Type == EventDataChannel || e.Type == EventChannelOpen) && !strings.Contains(e.ChannelInfo, `"label":"chat"`) {
				t.Errorf("event %d carries %q, not the channel's info", e.Type, e.ChannelInfo) // a host may take it after the close
			}
		}
	}
	rb.mu.Unlock()
	if len(order) < 2 || order[0] != EventDataChannel || order[1] != EventChannelOpen {
		t.Fatalf("remote channel's events: %v", order)
	}
}

// W3C 6.2 bufferedAmount: "the number of bytes of application data (UTF-8
// text and binary data) that have been queued using send()". The channel's
// open message (DCEP, RFC 8832), and the remote's acknowledgement of it, are
// not: with a long label the open message is a 64 KiB write that a count of
// the stream's bytes shows until the remote acknowledges it.
func TestBufferedAmountCountsOnlyApplicationData(t *testing.T) {
	a, ra, rb := connectedPair(t)
	label := strings.Repeat("l", 65535)
	local, err := a.CreateDataChannel(label, DataChannelInit{})
	must(t, err)
	if n := local.BufferedAmount(); n != 0 {
		t.Fatalf("bufferedAmount before any send: %d", n)
	}
	ra.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventChannelOpen && e.Channel == local })
	must(t, local.Send([]byte("hello"), false))
	if n := local.BufferedAmount(); n != 5 && n != 0 {
		t.Fatalf("bufferedAmount after a 5-byte send: %d", n)
	}
	remote := rb.waitFor(t, 10*time.Second, func(e *Event) bool {
		return e.Type == EventDataChannel && e.Channel.Info().Label == label
	}).Channel
	if n := remote.BufferedAmount(); n != 0 {
		t.Fatalf("the remote's bufferedAmount before any send: %d", n)
	}
}

// connectedPair connects two peers with an association (a's channel "first")
// and closes them when the test ends; b is seen through its recorder.
func connectedPair(t *testing.T) (a *PeerConnection, ra, rb *recorder) {
	t.Helper()
	ra, rb = newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	_, err := a.CreateDataChannel("first", DataChannelInit{}) // negotiates the association
	must(t, err)
	connect(t, a, b, ra, rb)

	return a, ra, rb
}
