package main

/*
#include "bridge.h"
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// callback is a C event callback with its user data.
type callback struct {
	fn       C.omnirtc_event_cb
	userData C.uintptr_t
}

// peer is the table entry of a peer connection.
type peer struct {
	id   uint64
	pc   *core.PeerConnection
	cb   callback
	poll *polled // nil for a peer with a callback

	mu       sync.Mutex
	closed   bool
	channels map[*core.DataChannel]*channel
	media    peerMedia // transceiver and remote track handles
}

func (*peer) kind() string { return "peer" }

// peers holds every peer whose PEER_CLOSED was not yet delivered, by handle:
// a close that finds the handle already released by another close still
// finds the peer here and waits for the same PEER_CLOSED.
var (
	peersMu sync.Mutex
	peers   = map[uint64]*peer{}
)

func livePeerEntries() []*peer { return lockedValues(&peersMu, peers) }

// lockedValues copies the values of m, guarded by mu, to range over unlocked.
func lockedValues[K comparable, V any](mu *sync.Mutex, m map[K]V) []V {
	mu.Lock()
	defer mu.Unlock()
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}

	return out
}

// closingPeer returns the peer behind a handle that close released, until
// its PEER_CLOSED was delivered.
func closingPeer(id uint64) *peer {
	peersMu.Lock()
	defer peersMu.Unlock()

	return peers[id]
}

// channelFor returns the entry of a core channel, making one (and its handle)
// the first time the channel is seen, whichever of the creating call and the
// dispatcher gets there first. It returns nil once the peer is closed.
func (p *peer) channelFor(dc *core.DataChannel) *channel {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.channels[dc]; ok {
		return c
	}
	if p.closed {
		return nil
	}
	c := &channel{dc: dc, peer: p}
	c.id = handles.add(c)
	p.channels[dc] = c

	return c
}

func (p *peer) dropChannel(c *channel) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.channels, c.dc)
	handles.remove(c.id)
}

// close releases the peer's handles first, so no call can reach it once
// close has started, then closes the engine side. A close of a peer another
// close is closing returns as that one does (core's Close waits for it).
func (p *peer) close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()

		return p.pc.Close()
	}
	p.closed = true
	for _, c := range p.channels {
		handles.remove(c.id)
	}
	p.channels = nil
	p.media.release()
	p.mu.Unlock()
	handles.remove(p.id)

	return p.pc.Close()
}

// delivered is an event with the handles it refers to resolved.
type delivered struct {
	e         *core.Event
	channelID uint64
	ids       mediaIDs
	target    callback // the channel's own callback, else the peer's
}

// resolve finds or makes the handles an event refers to, releasing those
// whose final event it is; ok is false once the peer closed while the event
// was in flight.
func (p *peer) resolve(e *core.Event) (d delivered, ok bool) {
	d = delivered{e: e, target: p.cb}
	var ch *channel
	if e.Channel != nil {
		if ch = p.channelFor(e.Channel); ch == nil {
			return d, false
		}
		d.channelID = ch.id
		if e.Type != core.EventDataChannel {
			if own := ch.callback(); own.fn != nil {
				d.target = own
			}
		}
	}
	if e.Type == core.EventChannelClose {
		// Released first: the final event finds its handle already invalid,
		// as PEER_CLOSED does.
		p.dropChannel(ch)
	}
	d.ids, ok = p.mediaIDs(e)

	return d, ok
}

// deliver runs on the peer's dispatcher goroutine: it resolves the handles an
// event refers to and calls the C callback.
func (p *peer) deliver(e *core.Event) {
	if e.Type == core.EventPeerClosed {
		defer p.forget()
	}
	d, ok := p.resolve(e)
	if ok && d.target.fn != nil {
		emit(d, p.id)
	}
}

// forget takes the peer out of peers once its PEER_CLOSED was delivered.
func (p *peer) forget() {
	peersMu.Lock()
	delete(peers, p.id)
	peersMu.Unlock()
}

func lookupPeer(h C.omnirtc_peer_t) (*core.PeerConnection, error) {
	p, err := lookup[*peer](uint64(h))
	if err != nil {
		return nil, err
	}

	return p.pc, nil
}

//export ortc_go_peer_create
func ortc_go_peer_create(configJSON *C.omnirtc_cchar_t, cb C.omnirtc_event_cb, userData unsafe.Pointer,
	peerOut *C.omnirtc_peer_t,
) C.omnirtc_status_t {
	ud := C.uintptr_t(uintptr(userData))

	return call(func() error {
		p := &peer{cb: callback{cb, ud}}

		return p.open(configJSON, peerOut, func(cfg core.Configuration, ready chan struct{}) (*core.PeerConnection, error) {
			return core.NewPeerConnection(cfg, logs, func(e *core.Event) {
				<-ready
				p.deliver(e)
			})
		})
	})
}

// open creates the peer's engine side with newPC, which runs the entry's
// callbacks only once ready is closed, and adds the entry to the tables.
func (p *peer) open(configJSON *C.omnirtc_cchar_t, peerOut *C.omnirtc_peer_t,
	newPC func(core.Configuration, chan struct{}) (*core.PeerConnection, error),
) error {
	if err := needOut(peerOut, "peer_out"); err != nil {
		return err
	}
	cfg, err := core.ParseConfiguration([]byte(optString(configJSON)))
	if err != nil {
		return err
	}
	p.channels = map[*core.DataChannel]*channel{}
	// A callback may run before the engine returns; it waits for the entry
	// to be complete.
	ready := make(chan struct{})
	pc, err := newPC(cfg, ready)
	if err != nil {
		return err
	}
	p.pc = pc
	p.id = handles.add(p)
	peersMu.Lock()
	peers[p.id] = p
	peersMu.Unlock()
	close(ready)
	*peerOut = C.omnirtc_peer_t(p.id)

	return nil
}

//export ortc_go_peer_close
func ortc_go_peer_close(h C.omnirtc_peer_t) C.omnirtc_status_t {
	return call(func() error {
		p, err := lookup[*peer](uint64(h))
		if err != nil {
			if p = closingPeer(uint64(h)); p == nil {
				return err
			}
		}

		return p.close()
	})
}

func describe(h C.omnirtc_peer_t, optionsJSON *C.omnirtc_cchar_t, sdpOut **C.char, offer bool) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(sdpOut, "sdp_out"); err != nil {
			return err
		}
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		opts, err := core.ParseOfferOptions([]byte(optString(optionsJSON)))
		if err != nil {
			return err
		}
		var text string
		if offer {
			text, err = pc.CreateOffer(opts)
		} else {
			text, err = pc.CreateAnswer()
		}
		if err != nil {
			return err
		}
		*sdpOut = C.CString(text)

		return nil
	})
}

//export ortc_go_peer_create_offer
func ortc_go_peer_create_offer(h C.omnirtc_peer_t, optionsJSON *C.omnirtc_cchar_t, sdpOut **C.char) C.omnirtc_status_t {
	return describe(h, optionsJSON, sdpOut, true)
}

//export ortc_go_peer_create_answer
func ortc_go_peer_create_answer(h C.omnirtc_peer_t, optionsJSON *C.omnirtc_cchar_t, sdpOut **C.char) C.omnirtc_status_t {
	return describe(h, optionsJSON, sdpOut, false)
}

//export ortc_go_peer_set_local_description
func ortc_go_peer_set_local_description(h C.omnirtc_peer_t, typ, sdp *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return ortc_go_peer_set_description(h, 1, typ, sdp, nil)
}

//export ortc_go_peer_set_remote_description
func ortc_go_peer_set_remote_description(h C.omnirtc_peer_t, typ, sdp *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return ortc_go_peer_set_description(h, 0, typ, sdp, nil)
}

//export ortc_go_peer_set_description
func ortc_go_peer_set_description(h C.omnirtc_peer_t, local C.int32_t, typ, sdp *C.omnirtc_cchar_t,
	changesOut *C.omnirtc_signaling_changes_t,
) C.omnirtc_status_t {
	return call(func() error {
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		if changesOut != nil {
			before := pc.SignalingEventsPosted()
			defer func() { writeSignalingChanges(changesOut, pc.SignalingChangesSince(before)) }()
		}
		if local != 0 {
			return pc.SetLocalDescription(optString(typ), optString(sdp))
		}
		t, err := goString(typ, "type")
		if err != nil {
			return err
		}
		if sdp == nil && t != "rollback" {
			return fmt.Errorf("%w: sdp", errNullArg)
		}

		return pc.SetRemoteDescription(t, optString(sdp))
	})
}

func writeSignalingChanges(out *C.omnirtc_signaling_changes_t, c core.SignalingChanges) {
	*out = C.omnirtc_signaling_changes_t{last_event: C.uint64_t(c.Last), track_events: C.uint32_t(c.Tracks)}
	for _, s := range c.States[:min(len(c.States), len(out.states))] {
		out.states[out.count] = C.int32_t(s)
		out.count++
	}
}

//export ortc_go_peer_get_description
func ortc_go_peer_get_description(h C.omnirtc_peer_t, which C.int32_t, typeOut, sdpOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(sdpOut, "sdp_out"); err != nil {
			return err
		}
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		if which < C.OMNIRTC_DESCRIPTION_LOCAL || which > C.OMNIRTC_DESCRIPTION_PENDING_REMOTE {
			return fmt.Errorf("%w: description selector %d is not an OMNIRTC_DESCRIPTION_* value",
				rtcerr.ErrInvalidArgument, which)
		}
		typ, text, ok := pc.SessionDescription(core.Description(which))
		*sdpOut = nil
		if typeOut != nil {
			*typeOut = nil
		}
		if ok {
			*sdpOut = C.CString(text)
			if typeOut != nil {
				*typeOut = C.CString(typ)
			}
		}

		return nil
	})
}

//export ortc_go_peer_add_ice_candidate
func ortc_go_peer_add_ice_candidate(h C.omnirtc_peer_t, candidate, sdpMid *C.omnirtc_cchar_t,
	sdpMLineIndex C.int32_t,
) C.omnirtc_status_t {
	return call(func() error {
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}

		return pc.AddICECandidate(optString(candidate), optString(sdpMid), int32(sdpMLineIndex))
	})
}

//export ortc_go_peer_restart_ice
func ortc_go_peer_restart_ice(h C.omnirtc_peer_t) C.omnirtc_status_t {
	return call(func() error {
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}

		return pc.RestartICE()
	})
}

//export ortc_go_peer_get_stats
func ortc_go_peer_get_stats(h C.omnirtc_peer_t, jsonOut **C.char) C.omnirtc_status_t {
	return peerJSON(h, jsonOut, (*core.PeerConnection).Stats)
}

//export ortc_go_peer_get_configuration
func ortc_go_peer_get_configuration(h C.omnirtc_peer_t, jsonOut **C.char) C.omnirtc_status_t {
	return peerJSON(h, jsonOut, (*core.PeerConnection).ConfigurationJSON)
}

//export ortc_go_peer_set_configuration
func ortc_go_peer_set_configuration(h C.omnirtc_peer_t, configJSON *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return call(func() error {
		text, err := goString(configJSON, "config_json")
		if err != nil {
			return err
		}
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		cfg, err := core.ParseConfiguration([]byte(text))
		if err != nil {
			return err
		}

		return pc.SetConfiguration(cfg)
	})
}

// getState is the body of the four state getters.
func getState(h C.omnirtc_peer_t, out *C.int32_t, get func(*core.PeerConnection) int32) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "state_out"); err != nil {
			return err
		}
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		*out = C.int32_t(get(pc))

		return nil
	})
}

//export ortc_go_peer_get_signaling_state
func ortc_go_peer_get_signaling_state(h C.omnirtc_peer_t, out *C.int32_t) C.omnirtc_status_t {
	return getState(h, out, (*core.PeerConnection).SignalingState)
}

//export ortc_go_peer_get_ice_gathering_state
func ortc_go_peer_get_ice_gathering_state(h C.omnirtc_peer_t, out *C.int32_t) C.omnirtc_status_t {
	return getState(h, out, (*core.PeerConnection).ICEGatheringState)
}

//export ortc_go_peer_get_gatherings
func ortc_go_peer_get_gatherings(h C.omnirtc_peer_t, out *C.int64_t) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "count_out"); err != nil {
			return err
		}
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		*out = C.int64_t(pc.Gatherings())

		return nil
	})
}

//export ortc_go_peer_get_ice_connection_state
func ortc_go_peer_get_ice_connection_state(h C.omnirtc_peer_t, out *C.int32_t) C.omnirtc_status_t {
	return getState(h, out, (*core.PeerConnection).ICEConnectionState)
}

//export ortc_go_peer_get_connection_state
func ortc_go_peer_get_connection_state(h C.omnirtc_peer_t, out *C.int32_t) C.omnirtc_status_t {
	return getState(h, out, (*core.PeerConnection).ConnectionState)
}

//export ortc_go_peer_get_max_message_size
func ortc_go_peer_get_max_message_size(h C.omnirtc_peer_t, out *C.uint64_t) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "size_out"); err != nil {
			return err
		}
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		*out = C.uint64_t(pc.MaxMessageSize())

		return nil
	})
}
