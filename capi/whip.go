package main

/*
#include "bridge.h"

void ortc_bridge_whip_emit(omnirtc_whip_event_cb cb, uintptr_t user_data, omnirtc_whip_event_t event);
void ortc_bridge_whip_notify(omnirtc_whip_notify_cb cb, uintptr_t user_data, omnirtc_whip_t whip);
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/omnirtc/omnirtc/core/whip"
)

// whipObject is the table entry of a WHIP client session or server.
type whipObject struct {
	id      uint64
	session *whip.Session // a client session, or
	server  *whip.Server  // a server
	poll    *whipPolled   // nil with an event callback
}

// whipPolled is the poll state of a polled WHIP handle.
type whipPolled = objectPoll[*whip.Event, C.omnirtc_whip_event_t]

func (*whipObject) kind() string { return "whip" }

var (
	whipMu      sync.Mutex
	liveWhip    = map[uint64]*whipObject{} // until close or CLOSED
	polledWhip  = map[uint64]*whipObject{} // polled, until CLOSED was polled
	errWhipMode = errors.New("exactly one of cb and notify must be given")
)

// fillWhip writes e into c, its non-empty strings placed by mem: the one
// place a WHIP event is made, pushed or polled.
func fillWhip(c *C.omnirtc_whip_event_t, e *whip.Event, id uint64, mem cMemory) {
	str := func(s string) *C.char { return strOrEmpty(mem, s) }
	*c = C.omnirtc_whip_event_t{
		_type: C.int32_t(e.Type), whip: C.omnirtc_whip_t(id), session: C.uint64_t(e.Session),
		status: C.int32_t(e.Status), //nolint:gosec // G115: an HTTP status
		path:   str(e.Path), sdp: str(e.Offer), resource: str(e.Resource), reason: str(e.Reason),
	}
}

// whipDelivery is how a new handle's events reach the host: one of handler
// (push) and notify (polled), each waiting for ready, closed once the
// handle exists.
type whipDelivery struct {
	handler func(*whip.Event)
	notify  func()
}

// newWhipObject makes the entry and its delivery for cb or notify.
func newWhipObject(cb C.omnirtc_whip_event_cb, notify C.omnirtc_whip_notify_cb, ud C.uintptr_t,
	ready <-chan struct{},
) (*whipObject, whipDelivery, error) {
	w := &whipObject{}
	switch {
	case (cb == nil) == (notify == nil):
		return nil, whipDelivery{}, fmt.Errorf("%w: %w", rtcerr.ErrInvalidArgument, errWhipMode)
	case cb != nil:
		return w, whipDelivery{handler: func(e *whip.Event) {
			<-ready
			var c C.omnirtc_whip_event_t
			var mem callMemory
			fillWhip(&c, e, w.id, &mem)
			C.ortc_bridge_whip_emit(cb, ud, c)
			mem.free()
			if e.Type == whip.EventClosed {
				w.forget()
			}
		}}, nil
	}
	w.poll = &whipPolled{
		take:  func(dst []*whip.Event, n int) []*whip.Event { return w.events().TakeEvents(dst, n) },
		fill:  func(c *C.omnirtc_whip_event_t, e *whip.Event, mem cMemory) { fillWhip(c, e, w.id, mem) },
		final: func(e *whip.Event) bool { return e.Type == whip.EventClosed },
		wait:  func() { w.events().WaitNotifier() },
		done:  w.forget,
	}

	return w, whipDelivery{notify: func() {
		<-ready
		C.ortc_bridge_whip_notify(notify, ud, C.omnirtc_whip_t(w.id))
	}}, nil
}

// whipQueue is the event queue a client session and a server both hold.
type whipQueue interface {
	TakeEvents(dst []*whip.Event, maxEvents int) []*whip.Event
	WaitNotifier()
	StopNotifying()
}

// events is the queue of w's session or server.
func (w *whipObject) events() whipQueue {
	if w.server != nil {
		return w.server
	}

	return w.session
}

// register gives the entry its handle once its object runs.
func (w *whipObject) register(out *C.omnirtc_whip_t) {
	w.id = handles.add(w)
	whipMu.Lock()
	liveWhip[w.id] = w
	if w.poll != nil {
		polledWhip[w.id] = w
	}
	whipMu.Unlock()
	*out = C.omnirtc_whip_t(w.id)
}

// forget releases the handle once CLOSED was delivered or polled (a session
// that ended by itself), or at close.
func (w *whipObject) forget() {
	whipMu.Lock()
	delete(liveWhip, w.id)
	delete(polledWhip, w.id)
	whipMu.Unlock()
	handles.remove(w.id)
}

// close releases the handle first, so no call reaches the object once close
// has started; a polled one stays pollable until CLOSED.
func (w *whipObject) close() {
	whipMu.Lock()
	_, live := liveWhip[w.id]
	delete(liveWhip, w.id)
	whipMu.Unlock()
	if !live {
		return
	}
	handles.remove(w.id)
	if w.server != nil {
		_ = w.server.Close()
	} else {
		w.session.Close()
	}
}

// ortc_go_whip_client_start serves omnirtc_whip_client_start (token, and
// NULL optionsJSON) and omnirtc_whip_client_start_with_options (NULL token).
//
//export ortc_go_whip_client_start
func ortc_go_whip_client_start(h C.omnirtc_peer_t, url, token, optionsJSON *C.omnirtc_cchar_t,
	cb C.omnirtc_whip_event_cb, notify C.omnirtc_whip_notify_cb, userData unsafe.Pointer, whipOut *C.omnirtc_whip_t,
) C.omnirtc_status_t {
	ud := C.uintptr_t(uintptr(userData))

	return call(func() error {
		if err := needOut(whipOut, "whip_out"); err != nil {
			return err
		}
		endpoint, err := goString(url, "url")
		if err != nil {
			return err
		}
		options, err := whip.ParseClientOptions([]byte(optString(optionsJSON)))
		if err != nil {
			return err
		}
		if token != nil {
			options.Token = C.GoString(token)
		}
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		ready := make(chan struct{})
		defer close(ready)
		w, d, err := newWhipObject(cb, notify, ud, ready)
		if err != nil {
			return err
		}
		if d.handler != nil {
			w.session = whip.Start(pc, endpoint, options, d.handler)
		} else {
			w.session = whip.StartPolled(pc, endpoint, options, d.notify)
		}
		w.register(whipOut)

		return nil
	})
}

//export ortc_go_whip_client_restart_ice
func ortc_go_whip_client_restart_ice(h C.omnirtc_whip_t) C.omnirtc_status_t {
	return call(func() error {
		w, err := lookupWhip(h, false)
		if err == nil {
			w.session.RestartICE()
		}

		return err
	})
}

// lookupWhip finds a live handle of the kind asked for.
func lookupWhip(h C.omnirtc_whip_t, server bool) (*whipObject, error) {
	w, err := lookup[*whipObject](uint64(h))
	if err != nil {
		return nil, err
	}
	if (w.server != nil) != server {
		return nil, fmt.Errorf("%w: handle %d is a WHIP %s", errInvalidHandle, uint64(h), map[bool]string{true: "client session", false: "server"}[server])
	}

	return w, nil
}

//export ortc_go_whip_server_start
func ortc_go_whip_server_start(configJSON *C.omnirtc_cchar_t, cb C.omnirtc_whip_event_cb,
	notify C.omnirtc_whip_notify_cb, userData unsafe.Pointer, whipOut *C.omnirtc_whip_t, urlOut **C.char,
) C.omnirtc_status_t {
	ud := C.uintptr_t(uintptr(userData))

	return call(func() error {
		if err := needOut(whipOut, "whip_out"); err != nil {
			return err
		}
		if err := needOut(urlOut, "url_out"); err != nil {
			return err
		}
		text, err := goString(configJSON, "config_json")
		if err != nil {
			return err
		}
		cfg, err := whip.ParseServerConfig([]byte(text))
		if err != nil {
			return err
		}
		ready := make(chan struct{})
		defer close(ready)
		w, d, err := newWhipObject(cb, notify, ud, ready)
		if err != nil {
			return err
		}
		var base string
		if d.handler != nil {
			w.server, base, err = whip.Serve(cfg, d.handler)
		} else {
			w.server, base, err = whip.ServePolled(cfg, d.notify)
		}
		if err != nil {
			return err
		}
		w.register(whipOut)
		*urlOut = C.CString(base)

		return nil
	})
}

//export ortc_go_whip_server_answer
func ortc_go_whip_server_answer(h C.omnirtc_whip_t, session C.uint64_t, peerHandle C.omnirtc_peer_t) C.omnirtc_status_t {
	return call(func() error {
		w, err := lookupWhip(h, true)
		if err != nil {
			return err
		}
		pc, err := lookupPeer(peerHandle)
		if err != nil {
			return err
		}

		return w.server.Answer(uint64(session), pc)
	})
}

//export ortc_go_whip_server_reject
func ortc_go_whip_server_reject(h C.omnirtc_whip_t, session C.uint64_t, status C.int32_t,
	reason *C.omnirtc_cchar_t,
) C.omnirtc_status_t {
	return call(func() error {
		w, err := lookupWhip(h, true)
		if err != nil {
			return err
		}

		return w.server.Reject(uint64(session), int(status), optString(reason))
	})
}

// polledWhipObject finds a polled handle, also a closed one whose CLOSED
// was not polled yet.
func polledWhipObject(h C.omnirtc_whip_t) (*whipPolled, error) {
	whipMu.Lock()
	w := polledWhip[uint64(h)]
	whipMu.Unlock()
	if w != nil {
		return w.poll, nil
	}
	if _, err := lookup[*whipObject](uint64(h)); err != nil {
		return nil, err
	}

	return nil, fmt.Errorf("%w: the handle has an event callback; omnirtc_whip_poll_events is for "+
		"handles started with a notify callback", rtcerr.ErrInvalidState)
}

//export ortc_go_whip_poll_events
func ortc_go_whip_poll_events(h C.omnirtc_whip_t, events *C.omnirtc_whip_event_t, capacity C.size_t,
	countOut *C.size_t,
) C.omnirtc_status_t {
	return pollObject(func() (*whipPolled, error) { return polledWhipObject(h) }, events, capacity, countOut)
}

//export ortc_go_whip_close
func ortc_go_whip_close(h C.omnirtc_whip_t) C.omnirtc_status_t {
	return call(func() error {
		w, err := lookup[*whipObject](uint64(h))
		if err == nil {
			w.close()
		}

		return err
	})
}

// liveWhipObjects lists the handles not closed yet; polledWhipObjects the
// polled ones whose CLOSED was not polled.
func liveWhipObjects() []*whipObject   { return lockedValues(&whipMu, liveWhip) }
func polledWhipObjects() []*whipObject { return lockedValues(&whipMu, polledWhip) }
