package main

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"github.com/omnirtc/omnirtc/core"
)

var versionString = C.CString(C.OMNIRTC_VERSION)

// logs routes the engine's logging to the host's log callback.
var logs = core.NewLogSink()

func main() {}

//export omnirtc_version
func omnirtc_version() *C.omnirtc_cchar_t { return versionString }

//export omnirtc_status_string
func omnirtc_status_string(status C.omnirtc_status_t) *C.omnirtc_cchar_t {
	if name, ok := statusNameStrings[status]; ok {
		return name
	}

	return statusNameStrings[-1000]
}

//export omnirtc_last_error
func omnirtc_last_error() *C.omnirtc_cchar_t { return C.ortc_bridge_last_error() }

//export omnirtc_free
func omnirtc_free(ptr unsafe.Pointer) { C.free(ptr) }

//export omnirtc_set_log_callback
func omnirtc_set_log_callback(level C.int32_t, cb C.omnirtc_log_cb, userData unsafe.Pointer) C.omnirtc_status_t {
	ud := C.uintptr_t(uintptr(userData))

	return call(func() error {
		var handler core.LogHandler
		if cb != nil {
			handler = func(level core.LogLevel, scope, message string) {
				cs, cm := C.CString(scope), C.CString(message)
				C.ortc_bridge_log(cb, ud, C.int32_t(level), cs, cm)
				C.free(unsafe.Pointer(cs))
				C.free(unsafe.Pointer(cm))
			}
		}

		return logs.SetHandler(core.LogLevel(level), handler)
	})
}

//export omnirtc_debug_counters
func omnirtc_debug_counters(jsonOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		b, err := json.Marshal(map[string]any{
			"handles":      handles.counts(),
			"goroutines":   runtime.NumGoroutine(),
			"sockets":      openSockets(),
			"peers":        core.LivePeers(),
			"queuedEvents": core.QueuedEvents(),
			"logsDropped":  logs.Dropped(),
		})
		if err != nil {
			return err
		}
		*jsonOut = C.CString(string(b))

		return nil
	})
}

// openSockets counts the process's socket descriptors (Linux); -1 elsewhere.
func openSockets() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(target, "socket:") {
			n++
		}
	}

	return n
}

//export omnirtc_generate_certificate
func omnirtc_generate_certificate(pemOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(pemOut, "pem_out"); err != nil {
			return err
		}
		text, err := core.GenerateCertificatePEM()
		if err != nil {
			return err
		}
		*pemOut = C.CString(text)

		return nil
	})
}

//export omnirtc_shutdown
func omnirtc_shutdown() C.omnirtc_status_t {
	return call(func() error {
		// On this goroutine, so a shutdown from inside a callback does not
		// wait for itself.
		for _, p := range livePeerEntries() {
			_ = p.close()
		}

		return logs.SetHandler(core.LogNone, nil)
	})
}
