package main

/*
#include "bridge.h"
*/
import "C"

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// heldBatches counts the batches polled peers' hosts hold (their C memory),
// for leak checks.
var heldBatches atomic.Int64

// polled is the poll state of a peer created with omnirtc_peer_create_polled.
type polled struct {
	mu       sync.Mutex // serializes polls
	taken    []*core.Event
	arena    batchArena // the last batch's strings and payloads
	finished bool       // PEER_CLOSED was polled
}

//export ortc_go_peer_create_polled
func ortc_go_peer_create_polled(configJSON *C.omnirtc_cchar_t, notify C.omnirtc_notify_cb, userData unsafe.Pointer,
	peerOut *C.omnirtc_peer_t,
) C.omnirtc_status_t {
	ud := C.uintptr_t(uintptr(userData))

	return call(func() error {
		if notify == nil {
			return fmt.Errorf("%w: notify", errNullArg)
		}
		p := &peer{poll: &polled{}}

		return p.open(configJSON, peerOut, func(cfg core.Configuration, ready chan struct{}) (*core.PeerConnection, error) {
			return core.NewPolledPeerConnection(cfg, logs, func() {
				<-ready
				C.ortc_bridge_notify(notify, ud, C.omnirtc_peer_t(p.id))
			})
		})
	})
}

// polledPeer finds a polled peer by handle, also one being closed whose
// PEER_CLOSED was not polled yet.
func polledPeer(h C.omnirtc_peer_t) (*peer, error) {
	p, err := lookup[*peer](uint64(h))
	if err != nil {
		if p = closingPeer(uint64(h)); p == nil {
			return nil, err
		}
	}
	if p.poll == nil {
		return nil, fmt.Errorf("%w: the peer has an event callback; omnirtc_peer_poll_events is for peers "+
			"made with omnirtc_peer_create_polled", rtcerr.ErrInvalidState)
	}

	return p, nil
}

//export ortc_go_peer_poll_events
func ortc_go_peer_poll_events(h C.omnirtc_peer_t, events *C.omnirtc_event_t, capacity C.size_t,
	countOut *C.size_t,
) C.omnirtc_status_t {
	final := false
	var pc *core.PeerConnection
	status := call(func() error {
		if events == nil || countOut == nil {
			return errNullArgf("events and count_out must not be NULL")
		}
		if capacity == 0 {
			return fmt.Errorf("%w: capacity is 0", rtcerr.ErrInvalidArgument)
		}
		p, err := polledPeer(h)
		if err != nil {
			return err
		}
		pc = p.pc
		n, err := p.pollInto(events, int(min(uint64(capacity), math.MaxInt32)))
		if err != nil {
			return err
		}
		final = p.poll.finished
		*countOut = C.size_t(n)

		return nil
	})
	if final {
		pc.WaitNotifier() // no notify, so no use of user_data, after this returns
	}

	return status
}

// pollInto frees the previous batch and writes up to capacity events into
// events, in the library's memory.
func (p *peer) pollInto(events *C.omnirtc_event_t, capacity int) (int, error) {
	s := p.poll
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return 0, fmt.Errorf("%w: the peer's PEER_CLOSED was polled", errInvalidHandle)
	}
	s.free()
	p.pc.ReleaseEvents()
	var out []delivered
	for len(out) < capacity {
		want := capacity - len(out)
		var err error
		s.taken, err = p.pc.TakeEvents(s.taken[:0], want)
		if err != nil {
			return 0, err
		}
		for _, e := range s.taken {
			if e.Type == core.EventPeerClosed {
				s.finished = true
				p.forget()
			}
			if d, ok := p.resolve(e); ok {
				out = append(out, d)
			}
		}
		if len(s.taken) < want || s.finished {
			break
		}
	}
	s.write(out, events, p.id)

	return len(out), nil
}

// free releases the last batch's memory.
func (s *polled) free() { s.arena.free() }

// batchArena is the C memory of a polled batch's strings and payloads, held
// by the host until its next poll.
type batchArena struct{ p unsafe.Pointer }

func (b *batchArena) free() {
	if b.p != nil {
		C.free(b.p)
		b.p = nil
		heldBatches.Add(-1)
	}
}

// alloc returns an arena of n bytes in new C memory (none for 0).
func (b *batchArena) alloc(n int) arena {
	if n == 0 {
		return arena{}
	}
	b.p = C.malloc(C.size_t(n)) // cgo's malloc never returns NULL: it aborts
	heldBatches.Add(1)

	return arena{buf: unsafe.Slice((*byte)(b.p), n)}
}

// write fills events from out, the strings and payloads copied into one
// C allocation the next poll frees.
func (s *polled) write(out []delivered, events *C.omnirtc_event_t, peerID uint64) {
	var size arenaSize
	var scratch C.omnirtc_event_t
	for _, d := range out {
		fill(&scratch, d, peerID, &size)
	}
	mem := s.arena.alloc(size.n)
	for i, d := range out {
		fill((*C.omnirtc_event_t)(unsafe.Add(unsafe.Pointer(events), uintptr(i)*C.sizeof_omnirtc_event_t)), d, peerID, &mem)
	}
}

//export ortc_go_peer_set_track_receive
func ortc_go_peer_set_track_receive(h C.omnirtc_peer_t, optionsJSON *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return call(func() error {
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		if optionsJSON == nil {
			pc.SetTrackReceive(nil)

			return nil
		}
		o, err := core.ParseReceiveOptions([]byte(optString(optionsJSON)))
		if err != nil {
			return err
		}
		pc.SetTrackReceive(&o)

		return nil
	})
}
