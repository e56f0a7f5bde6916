package core

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/sctp"
)

func TestPeersExchangeMessagesInOrder(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { must(t, a.Close()); must(t, b.Close()) }()
	ordered := false
	dc, err := a.CreateDataChannel("chat", DataChannelInit{Ordered: &ordered, Protocol: "p"})
	must(t, err)
	connect(t, a, b, ra, rb)
	ra.waitFor(t, 10*time.Second, ofType(EventChannelOpen))
	remote := rb.waitFor(t, 10*time.Second, ofType(EventDataChannel)).Channel
	if info := remote.Info(); info.Label != "chat" || info.Ordered || info.Protocol != "p" {
		t.Fatalf("remote channel attributes: %+v", info)
	}
	must(t, dc.Send([]byte("text"), false))
	must(t, dc.Send([]byte{0, 1, 2}, true))
	rb.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventChannelMessage && e.Binary })
	first := rb.waitFor(t, time.Second, func(e *Event) bool { return e.Type == EventChannelMessage && !e.Binary })
	if !bytes.Equal(first.Data, []byte("text")) {
		t.Fatalf("got %q", first.Data)
	}
}

func TestCloseInsideHandlerDoesNotDeadlock(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { must(t, a.Close()) }()
	_, err := a.CreateDataChannel("c", DataChannelInit{})
	must(t, err)
	connect(t, a, b, ra, rb)
	rb.mu.Lock()
	inner := rb.hook
	rb.mu.Unlock()
	rb.setHook(func(e *Event) {
		inner(e)
		if e.Type == EventDataChannel {
			if !b.InHandler() {
				t.Error("InHandler is false inside the handler")
			}
			must(t, b.Close())
		}
	})
	// "c" may have been announced before the hook was set; "d" comes after it.
	_, err = a.CreateDataChannel("d", DataChannelInit{})
	must(t, err)
	rb.waitFor(t, 10*time.Second, ofType(EventPeerClosed))
	if b.InHandler() {
		t.Error("InHandler is true outside the handler")
	}
	if n := rb.count(ofType(EventPeerClosed)); n != 1 {
		t.Fatalf("%d PeerClosed events", n)
	}
}

func TestCallsAfterCloseAreInvalidState(t *testing.T) {
	r := newRecorder()
	pc := newPeer(t, loopbackConfig, r)
	must(t, pc.Close())
	must(t, pc.Close()) // idempotent
	if _, err := pc.CreateOffer(OfferOptions{}); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("CreateOffer after close: %v", err)
	}
	if _, err := pc.CreateDataChannel("x", DataChannelInit{}); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("CreateDataChannel after close: %v", err)
	}
	if r.count(ofType(EventPeerClosed)) != 1 {
		t.Fatal("no PeerClosed event")
	}
}

// pion/sctp's words for an association or a stream that is going away, as
// pion returns them, make a call a state error and a close no error at all.
// Live, a channel create right after the remote's ABORT (before its DTLS
// close_notify) got "association closed" as an operation error; that window
// is too narrow to hit on purpose, so the classification is tested here.
func TestTheTransportsEndIsAStateError(t *testing.T) {
	pc := newPeer(t, loopbackConfig, newRecorder())
	defer func() { must(t, pc.Close()) }()
	for _, err := range []error{
		sctp.ErrAssociationClosed, sctp.ErrAssociationClosedBeforeConn, sctp.ErrStreamClosed, io.ErrClosedPipe,
		fmt.Errorf("%w: state=Closed", sctp.ErrResetPacketInStateNotExist),
		fmt.Errorf("%w: state=ShutdownSent", sctp.ErrPayloadDataStateNotExist),
	} {
		if got := pc.outcome(err, rtcerr.ErrOperation); !errors.Is(got, rtcerr.ErrInvalidState) {
			t.Errorf("a call that got %q: %v, want a state error", err, got)
		}
		if got := closeOutcome(err); got != nil {
			t.Errorf("a close that got %q: %v, want none", err, got)
		}
	}
	other := errors.New("too many outstanding reconfig requests")
	if got := pc.outcome(other, rtcerr.ErrOperation); !errors.Is(got, rtcerr.ErrOperation) {
		t.Errorf("an open peer's other error: %v, want an operation error", got)
	}
	if got := closeOutcome(other); !errors.Is(got, rtcerr.ErrOperation) {
		t.Errorf("a close's other error: %v, want an operation error", got)
	}
}

func TestSetRemoteDescriptionKinds(t *testing.T) {
	pc := newPeer(t, loopbackConfig, newRecorder())
	defer func() { _ = pc.Close() }()
	for _, tc := range []struct {
		typ, sdp string
		kind     error
	}{
		{"offer", "garbage", rtcerr.ErrInvalidSDP},
		{"nonsense", "v=0", rtcerr.ErrInvalidArgument},
		{"answer", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", rtcerr.ErrInvalidState},
	} {
		if err := pc.SetRemoteDescription(tc.typ, tc.sdp); !errors.Is(err, tc.kind) {
			t.Errorf("%s %q: got %v, want %v", tc.typ, tc.sdp, err, tc.kind)
		}
	}
}
