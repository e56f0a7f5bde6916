package main

/*
#include "bridge.h"

void ortc_bridge_turn_emit(omnirtc_turn_event_cb cb, uintptr_t user_data, omnirtc_turn_event_t event);
int32_t ortc_bridge_turn_auth(omnirtc_turn_auth_cb cb, uintptr_t user_data, const char *username,
                              const char *realm, const char *client_address, char *password_out,
                              size_t password_capacity);
*/
import "C"

import (
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/omnirtc/omnirtc/core/turnserver"
)

// turnPasswordCapacity is the buffer an auth callback writes a password into.
const turnPasswordCapacity = 1024

// turnServer is the table entry of a TURN server.
type turnServer struct {
	id     uint64
	server *turnserver.Server
	poll   *turnPolled // nil on a server with an event callback
}

func (*turnServer) kind() string { return "turnServer" }

var (
	turnServersMu sync.Mutex
	turnServers   = map[*turnServer]struct{}{}
)

// close releases the handle first, so no call reaches the server once close
// has started.
func (t *turnServer) close() error {
	turnServersMu.Lock()
	_, live := turnServers[t]
	delete(turnServers, t)
	turnServersMu.Unlock()
	if !live {
		return nil
	}
	handles.remove(t.id)

	return t.server.Close()
}

func liveTURNServers() []*turnServer {
	turnServersMu.Lock()
	defer turnServersMu.Unlock()
	out := make([]*turnServer, 0, len(turnServers))
	for t := range turnServers {
		out = append(out, t)
	}

	return out
}

func turnEventEmitter(cb C.omnirtc_turn_event_cb, ud C.uintptr_t, id *uint64, ready <-chan struct{}) func(*turnserver.Event) {
	if cb == nil {
		return nil
	}

	return func(e *turnserver.Event) {
		<-ready
		var c C.omnirtc_turn_event_t
		var mem callMemory
		fillTurn(&c, e, *id, &mem)
		C.ortc_bridge_turn_emit(cb, ud, c)
		mem.free()
	}
}

func turnAuth(cb C.omnirtc_turn_auth_cb, ud C.uintptr_t) turnserver.AuthFunc {
	if cb == nil {
		return nil
	}

	return func(username, realm, client string) (string, bool) {
		cu, cr, cc := C.CString(username), C.CString(realm), C.CString(client)
		defer func() {
			C.free(unsafe.Pointer(cu))
			C.free(unsafe.Pointer(cr))
			C.free(unsafe.Pointer(cc))
		}()
		buf := (*C.char)(C.calloc(turnPasswordCapacity, 1))
		defer C.free(unsafe.Pointer(buf))
		if C.ortc_bridge_turn_auth(cb, ud, cu, cr, cc, buf, turnPasswordCapacity) != 1 {
			return "", false
		}
		// The host may have filled the buffer without a NUL: never read past it.
		password := C.GoStringN(buf, turnPasswordCapacity)
		if before, _, found := strings.Cut(password, "\x00"); found {
			return before, true
		}

		return "", false
	}
}

//export ortc_go_turn_server_start
func ortc_go_turn_server_start(configJSON *C.omnirtc_cchar_t, cb C.omnirtc_turn_event_cb,
	authCB C.omnirtc_turn_auth_cb, userData unsafe.Pointer, serverOut *C.omnirtc_turn_server_t,
) C.omnirtc_status_t {
	ud := C.uintptr_t(uintptr(userData))

	return call(func() error {
		t := &turnServer{}

		return t.open(configJSON, serverOut, func(cfg turnserver.Config, ready <-chan struct{}) (*turnserver.Server, error) {
			return turnserver.New(cfg, turnAuth(authCB, ud), turnEventEmitter(cb, ud, &t.id, ready), logs)
		})
	})
}

// open parses the configuration, starts the server through start (whose
// events wait for ready, closed once the handle exists) and registers it.
func (t *turnServer) open(configJSON *C.omnirtc_cchar_t, serverOut *C.omnirtc_turn_server_t,
	start func(turnserver.Config, <-chan struct{}) (*turnserver.Server, error),
) error {
	if err := needOut(serverOut, "server_out"); err != nil {
		return err
	}
	text, err := goString(configJSON, "config_json")
	if err != nil {
		return err
	}
	cfg, err := turnserver.ParseConfig([]byte(text))
	if err != nil {
		return err
	}
	ready := make(chan struct{})
	defer close(ready)
	server, err := start(cfg, ready)
	if err != nil {
		return err
	}
	t.server = server
	t.id = handles.add(t)
	turnServersMu.Lock()
	turnServers[t] = struct{}{}
	if t.poll != nil {
		polledTURN[t.id] = t
	}
	turnServersMu.Unlock()
	*serverOut = C.omnirtc_turn_server_t(t.id)

	return nil
}

//export ortc_go_turn_server_stats
func ortc_go_turn_server_stats(h C.omnirtc_turn_server_t, jsonOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		t, err := lookup[*turnServer](uint64(h))
		if err != nil {
			return err
		}
		b, err := t.server.Stats()
		if err != nil {
			return err
		}
		*jsonOut = C.CString(string(b))

		return nil
	})
}

//export ortc_go_turn_server_close
func ortc_go_turn_server_close(h C.omnirtc_turn_server_t) C.omnirtc_status_t {
	return call(func() error {
		t, err := lookup[*turnServer](uint64(h))
		if err != nil {
			return err
		}

		return t.close()
	})
}

//export ortc_go_turn_rest_credential
func ortc_go_turn_rest_credential(secret, user *C.omnirtc_cchar_t, ttlSeconds C.int64_t,
	usernameOut, passwordOut **C.char,
) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(usernameOut, "username_out"); err != nil {
			return err
		}
		if err := needOut(passwordOut, "password_out"); err != nil {
			return err
		}
		s, err := goString(secret, "secret")
		if err != nil {
			return err
		}
		u, err := goString(user, "user")
		if err != nil {
			return err
		}
		username, password, err := turnserver.RESTCredential(s, u, time.Duration(ttlSeconds)*time.Second)
		if err != nil {
			return err
		}
		*usernameOut, *passwordOut = C.CString(username), C.CString(password)

		return nil
	})
}
