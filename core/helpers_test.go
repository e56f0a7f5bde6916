package core

import (
	"sync"
	"testing"
	"time"
)

const loopbackConfig = `{"omnirtc":{"includeLoopback":true,"mdns":"disabled"}}`

// recorder is a Handler that keeps every event and lets a test wait for one.
type recorder struct {
	mu     sync.Mutex
	cond   *sync.Cond
	events []*Event
	hook   func(*Event)
}

func newRecorder() *recorder {
	r := &recorder{}
	r.cond = sync.NewCond(&r.mu)

	return r
}

func (r *recorder) handle(e *Event) {
	if e.Type == EventTrackRTP || e.Type == EventTrackFrame { // valid only during the call
		kept := *e
		kept.Data = append([]byte(nil), e.Data...)
		e = &kept
	}
	r.mu.Lock()
	hook := r.hook
	r.mu.Unlock()
	if hook != nil {
		hook(e)
	}
	r.mu.Lock()
	r.events = append(r.events, e)
	r.cond.Broadcast()
	r.mu.Unlock()
}

// waitFor returns the first event matching match, failing the test after timeout.
func (r *recorder) waitFor(t testing.TB, timeout time.Duration, match func(*Event) bool) *Event {
	t.Helper()

	return r.waitN(t, timeout, match, 1)[0]
}

// waitN returns the first n events matching match, failing the test after timeout.
func (r *recorder) waitN(t testing.TB, timeout time.Duration, match func(*Event) bool, n int) []*Event {
	t.Helper()
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() { r.mu.Lock(); r.cond.Broadcast(); r.mu.Unlock() })
	defer timer.Stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		var found []*Event
		for _, e := range r.events {
			if match(e) {
				found = append(found, e)
			}
		}
		if len(found) >= n {
			return found[:n]
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %d events, %d came", timeout, n, len(found))
		}
		r.cond.Wait()
	}
}

func (r *recorder) setHook(hook func(*Event)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hook = hook
}

func (r *recorder) count(match func(*Event) bool) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if match(e) {
			n++
		}
	}

	return n
}

func ofType(t EventType) func(*Event) bool { return func(e *Event) bool { return e.Type == t } }

func newPeer(t testing.TB, config string, r *recorder) *PeerConnection {
	t.Helper()
	cfg, err := ParseConfiguration([]byte(config))
	if err != nil {
		t.Fatal(err)
	}
	pc, err := NewPeerConnection(cfg, NewLogSink(), r.handle)
	if err != nil {
		t.Fatal(err)
	}

	return pc
}

// trickleBetween hands each peer's candidates to the other through the
// recorders' hooks, once its description was answered.
func trickleBetween(a, b *PeerConnection, ra, rb *recorder) {
	trickle := func(to *PeerConnection) func(*Event) {
		var mu sync.Mutex
		var ready bool
		var parked []*Event

		return func(e *Event) {
			switch {
			case e.Type == EventICECandidate:
				mu.Lock()
				if !ready {
					parked = append(parked, e)
					mu.Unlock()

					return
				}
				mu.Unlock()
				_ = to.AddICECandidate(e.Candidate, e.SDPMid, e.SDPMLineIndex)
			case e.Type == EventSignalingState && e.StateName == "stable":
				mu.Lock()
				ready = true
				p := parked
				parked = nil
				mu.Unlock()
				for _, c := range p {
					_ = to.AddICECandidate(c.Candidate, c.SDPMid, c.SDPMLineIndex)
				}
			}
		}
	}
	ra.setHook(trickle(b))
	rb.setHook(trickle(a))
}

// connect negotiates a with b, trickling candidates through the recorders' hooks.
func connect(t testing.TB, a, b *PeerConnection, ra, rb *recorder) {
	t.Helper()
	trickleBetween(a, b, ra, rb)
	negotiate(t, a, b)
	connected := func(e *Event) bool { return e.Type == EventConnectionState && e.StateName == "connected" }
	ra.waitFor(t, 10*time.Second, connected)
	rb.waitFor(t, 10*time.Second, connected)
}

// negotiate makes a offer to b and applies b's answer.
func negotiate(t testing.TB, a, b *PeerConnection) {
	t.Helper()
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	must(t, a.SetLocalDescription("offer", offer))
	must(t, b.SetRemoteDescription("offer", offer))
	answer, err := b.CreateAnswer()
	must(t, err)
	must(t, b.SetLocalDescription("answer", answer))
	must(t, a.SetRemoteDescription("answer", answer))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
