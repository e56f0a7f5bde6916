package main

/*
#include "bridge.h"

void ortc_bridge_turn_notify(omnirtc_turn_notify_cb cb, uintptr_t user_data, omnirtc_turn_server_t server);
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/omnirtc/omnirtc/core/turnserver"
)

// turnPolled is the poll state of a server started with
// omnirtc_turn_server_start_polled.
type turnPolled = objectPoll[*turnserver.Event, C.omnirtc_turn_event_t]

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
		t := &turnServer{}
		t.poll = &turnPolled{
			take:  func(dst []*turnserver.Event, n int) []*turnserver.Event { return t.server.TakeEvents(dst, n) },
			fill:  func(c *C.omnirtc_turn_event_t, e *turnserver.Event, mem cMemory) { fillTurn(c, e, t.id, mem) },
			final: func(e *turnserver.Event) bool { return e.Type == turnserver.EventClosed },
			wait:  func() { t.server.WaitNotifier() },
			done: func() {
				turnServersMu.Lock()
				delete(polledTURN, t.id)
				turnServersMu.Unlock()
			},
		}

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
func polledTURNServer(h C.omnirtc_turn_server_t) (*turnPolled, error) {
	turnServersMu.Lock()
	t := polledTURN[uint64(h)]
	turnServersMu.Unlock()
	if t != nil {
		return t.poll, nil
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
	return pollObject(func() (*turnPolled, error) { return polledTURNServer(h) }, events, capacity, countOut)
}
