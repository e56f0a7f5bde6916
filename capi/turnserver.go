package main

/*
#include "bridge.h"

void ortc_bridge_turn_emit(omnirtc_turn_event_cb cb, uintptr_t user_data, int32_t type, uint64_t server,
                           const char *username, const char *realm, const char *client_address,
                           const char *relay_address, const char *protocol);
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
		strs := []*C.char{
			C.CString(e.Username), C.CString(e.Realm), C.CString(e.ClientAddress),
			C.CString(e.RelayAddress), C.CString(e.Protocol),
		}
		C.ortc_bridge_turn_emit(cb, ud, C.int32_t(e.Type), C.uint64_t(*id), strs[0], strs[1], strs[2], strs[3], strs[4])
		for _, s := range strs {
			C.free(unsafe.Pointer(s))
		}
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
		t := &turnServer{}
		// Events wait until the handle exists.
		ready := make(chan struct{})
		server, err := turnserver.New(cfg, turnAuth(authCB, ud), turnEventEmitter(cb, ud, &t.id, ready), logs)
		if err != nil {
			close(ready)

			return err
		}
		t.server = server
		t.id = handles.add(t)
		turnServersMu.Lock()
		turnServers[t] = struct{}{}
		turnServersMu.Unlock()
		close(ready)
		*serverOut = C.omnirtc_turn_server_t(t.id)

		return nil
	})
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
