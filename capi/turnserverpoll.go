package main

/*
#include "bridge.h"

void ortc_bridge_turn_notify(omnirtc_turn_notify_cb cb, uintptr_t user_data, omnirtc_turn_server_t server);
*/
import "C"

import (
	"fmt"
	"math"
	"sync"
	"unsafe"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/omnirtc/omnirtc/core/turnserver"
)

// turnPolled is the poll state of a server started with
// omnirtc_turn_server_start_polled.
type turnPolled struct {
	mu       sync.Mutex // serializes polls
	taken    []*turnserver.Event
	arena    batchArena // the last batch's strings
	finished bool       // CLOSED was polled
}

// polledTURN holds polled servers by handle until their CLOSED was polled,
// also after close released the handle.
var polledTURN = map[uint64]*turnServer{}

// fillTurn writes e into c, its non-empty strings placed by mem: the one
// place a TURN event is made, pushed or polled.
func fillTurn(c *C.omnirtc_turn_event_t, e *turnserver.Event, id uint64, mem cMemory) {
	str := func(s string) *C.char { return strOrEmpty(mem, s) }
	*c = C.omnirtc_turn_event_t{
		_type: C.int32_t(e.Type), server: C.omnirtc_turn_server_t(id),
		username: str(e.Username), realm: str(e.Realm), client_address: str(e.ClientAddress),
		relay_address: str(e.RelayAddress), protocol: str(e.Protocol),
	}
}

//export ortc_go_turn_server_start_polled
func ortc_go_turn_server_start_polled(configJSON *C.omnirtc_cchar_t, notify C.omnirtc_turn_notify_cb,
	authCB C.omnirtc_turn_auth_cb, userData unsafe.Pointer, serverOut *C.omnirtc_turn_server_t,
) C.omnirtc_status_t {
	ud := C.uintptr_t(uintptr(userData))

	return call(func() error {
		if notify == nil {
			return fmt.Errorf("%w: notify", errNullArg)
		}
		t := &turnServer{poll: &turnPolled{}}

		return t.open(configJSON, serverOut, func(cfg turnserver.Config, ready <-chan struct{}) (*turnserver.Server, error) {
			return turnserver.NewPolled(cfg, turnAuth(authCB, ud), func() {
				<-ready
				C.ortc_bridge_turn_notify(notify, ud, C.omnirtc_turn_server_t(t.id))
			}, logs)
		})
	})
}

// polledTURNServers lists the polled servers whose CLOSED was not polled.
func polledTURNServers() []*turnServer { return lockedValues(&turnServersMu, polledTURN) }

// polledTURNServer finds a polled server by handle, also one being closed
// whose CLOSED was not polled yet.
func polledTURNServer(h C.omnirtc_turn_server_t) (*turnServer, error) {
	turnServersMu.Lock()
	t := polledTURN[uint64(h)]
	turnServersMu.Unlock()
	if t != nil {
		return t, nil
	}
	if _, err := lookup[*turnServer](uint64(h)); err != nil {
		return nil, err
	}

	return nil, fmt.Errorf("%w: the server has an event callback; omnirtc_turn_server_poll_events is for "+
		"servers started with omnirtc_turn_server_start_polled", rtcerr.ErrInvalidState)
}

//export ortc_go_turn_server_poll_events
func ortc_go_turn_server_poll_events(h C.omnirtc_turn_server_t, events *C.omnirtc_turn_event_t,
	capacity C.size_t, countOut *C.size_t,
) C.omnirtc_status_t {
	var finished *turnServer
	status := call(func() error {
		if events == nil || countOut == nil {
			return errNullArgf("events and count_out must not be NULL")
		}
		if capacity == 0 {
			return fmt.Errorf("%w: capacity is 0", rtcerr.ErrInvalidArgument)
		}
		t, err := polledTURNServer(h)
		if err != nil {
			return err
		}
		n, err := t.pollInto(events, int(min(uint64(capacity), math.MaxInt32)))
		if err != nil {
			return err
		}
		if t.poll.finished {
			finished = t
		}
		*countOut = C.size_t(n)

		return nil
	})
	if finished != nil {
		finished.server.WaitNotifier() // no notify, so no use of user_data, after this returns
	}

	return status
}

// pollInto frees the previous batch and writes up to capacity events into
// events, their strings in one C allocation the next poll frees.
func (t *turnServer) pollInto(events *C.omnirtc_turn_event_t, capacity int) (int, error) {
	s := t.poll
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return 0, fmt.Errorf("%w: the server's CLOSED was polled", errInvalidHandle)
	}
	s.arena.free()
	s.taken = t.server.TakeEvents(s.taken[:0], capacity)
	var size arenaSize
	var scratch C.omnirtc_turn_event_t
	for _, e := range s.taken {
		fillTurn(&scratch, e, t.id, &size)
		if e.Type == turnserver.EventClosed {
			s.finished = true
			turnServersMu.Lock()
			delete(polledTURN, t.id)
			turnServersMu.Unlock()
		}
	}
	mem := s.arena.alloc(size.n)
	for i, e := range s.taken {
		fillTurn((*C.omnirtc_turn_event_t)(unsafe.Add(unsafe.Pointer(events), uintptr(i)*C.sizeof_omnirtc_turn_event_t)),
			e, t.id, &mem)
	}

	return len(s.taken), nil
}
