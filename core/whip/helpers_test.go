package whip

import (
	"sync"
	"testing"

	"github.com/omnirtc/omnirtc/core"
)

// loopbackConfig keeps a test's candidates on loopback, without mDNS.
const loopbackConfig = `{"omnirtc":{"includeLoopback":true,"mdns":"disabled"}}`

// peer is a loopback peer connection whose connection states reach states.
type peer struct {
	*core.PeerConnection
	states   chan string
	channels chan string // labels of the remote's data channels
	closed   chan struct{}
}

func newPeer(t *testing.T) *peer {
	t.Helper()

	return newPeerConfig(t, loopbackConfig)
}

// newPeerConfig is newPeer with a configuration of its own.
func newPeerConfig(t *testing.T, config string) *peer {
	t.Helper()
	cfg, err := core.ParseConfiguration([]byte(config))
	if err != nil {
		t.Fatal(err)
	}
	p := &peer{states: make(chan string, 64), channels: make(chan string, 8), closed: make(chan struct{})}
	var once sync.Once
	p.PeerConnection, err = core.NewPeerConnection(cfg, core.NewLogSink(), func(e *core.Event) {
		switch e.Type {
		case core.EventConnectionState:
			p.states <- e.StateName
		case core.EventDataChannel:
			p.channels <- e.Channel.Info().Label
		case core.EventPeerClosed:
			once.Do(func() { close(p.closed) })
		default:
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })

	return p
}

// waitConnected waits for the connection state "connected".
func (p *peer) waitConnected(t *testing.T) {
	t.Helper()
	for state := range p.states {
		if state == "connected" {
			return
		}
		if state == "failed" || state == "closed" {
			t.Fatalf("connection %s, want connected", state)
		}
	}
}

// publisher is a loopback peer with a data channel, so its offer has a
// section to negotiate.
func publisher(t *testing.T) *peer {
	t.Helper()
	p := newPeer(t)
	if _, err := p.CreateDataChannel("whip", core.DataChannelInit{}); err != nil {
		t.Fatal(err)
	}

	return p
}

// host answers every offer of a server with a loopback peer of its own, or
// refuses it when refuse says so, and records the events.
type host struct {
	t       *testing.T
	server  *Server
	refuse  int // a refusal status, or 0 to answer
	peers   chan *peer
	events  chan *Event
	silence bool // leave offers unanswered
}

func newHost(t *testing.T, config ServerConfig) (*host, string) {
	t.Helper()
	h := &host{t: t, peers: make(chan *peer, 8), events: make(chan *Event, 64)}
	h.server = NewServer(config, h.handle)
	t.Cleanup(func() { _ = h.server.Close() })
	base, err := h.server.Listen("")
	if err != nil {
		t.Fatal(err)
	}

	return h, base
}

func (h *host) handle(e *Event) {
	if e.Type == EventSession && !h.silence {
		if h.refuse != 0 {
			_ = h.server.Reject(e.Session, h.refuse, "refused by the test")
		} else {
			p := newPeer(h.t)
			if err := h.server.Answer(e.Session, p.PeerConnection); err != nil {
				h.t.Error(err)
			}
			h.peers <- p
		}
	}
	h.events <- e
}

// waitEvent returns the next event of type want, skipping others.
func (h *host) waitEvent(t *testing.T, want EventType) *Event {
	t.Helper()
	for e := range h.events {
		if e.Type == want {
			return e
		}
	}

	return nil
}
