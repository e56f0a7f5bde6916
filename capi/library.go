// Package main is libomnirtc's C ABI (include/omnirtc.h): the exported
// functions, the handle tables and the callback trampolines over core.
package main

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// logs routes the engine's logging to the host's log callback.
var logs = core.NewLogSink()

func main() {}

// Host threads that call in need a P of their own to run Go: with only one P
// per core, a sending thread waits for the engine's goroutines to yield one
// (measured: 270k vs 325k 100-byte messages/s on 2 cores). GOMAXPROCS in the
// environment still decides.
func init() {
	runtime.GOMAXPROCS(defaultEngineThreads())
}

// defaultEngineThreads is GOMAXPROCS from the environment, else cores + 2.
func defaultEngineThreads() int {
	if n, err := strconv.Atoi(os.Getenv("GOMAXPROCS")); err == nil && n > 0 {
		return n
	}

	return runtime.NumCPU() + 2
}

//export ortc_go_set_log_callback
func ortc_go_set_log_callback(level C.int32_t, cb C.omnirtc_log_cb, userData unsafe.Pointer) C.omnirtc_status_t {
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

		return logs.SetHandler(core.LogLevel(level), handler, inLogCallback())
	})
}

// inLogCallback tells whether the calling thread is in the host's log callback.
func inLogCallback() bool { return C.ortc_bridge_in_log_callback() != 0 }

//export ortc_go_debug_counters
func ortc_go_debug_counters(jsonOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		heap, stack := memoryBytes()
		b, err := json.Marshal(map[string]any{
			"handles":       handles.counts(),
			"goroutines":    runtime.NumGoroutine(),
			"sockets":       openSockets(),
			"peers":         core.LivePeers(),
			"queuedEvents":  core.QueuedEvents(),
			"heldBatches":   heldBatches.Load(),
			"logsDropped":   logs.Dropped(),
			"channelPauses": core.ChannelPauses(),
			"gcPauses":      gcPauses(),
			"heapBytes":     heap,
			"stackBytes":    stack,
			// host threads holding a last-error message (bridge.c)
			"errorMessages": int64(C.ortc_bridge_live_error_messages()),
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

//export ortc_go_shutdown
func ortc_go_shutdown() C.omnirtc_status_t {
	return call(func() error {
		// Each close waits for its PEER_CLOSED, also one already under way,
		// except from inside a callback, where none waits.
		for _, p := range livePeerEntries() {
			_ = p.close()
		}
		for _, t := range liveTURNServers() {
			_ = t.close()
		}
		for _, w := range liveWhipObjects() {
			w.close()
		}
		// A host about to exit gets no notify after this returns, not even for
		// the final events just queued: it may be tearing down what notify
		// calls into (Python's interpreter). The events stay to be polled.
		for _, p := range livePeerEntries() {
			if p.poll != nil {
				p.pc.StopNotifying()
			}
		}
		for _, t := range polledTURNServers() {
			t.server.StopNotifying()
		}
		for _, w := range polledWhipObjects() {
			w.events().StopNotifying()
		}

		return logs.SetHandler(core.LogNone, nil, inLogCallback())
	})
}

// maxEngineThreads bounds omnirtc_set_engine_threads.
const maxEngineThreads = 1024

//export ortc_go_set_engine_threads
func ortc_go_set_engine_threads(threads C.int32_t, previousOut *C.int32_t) C.omnirtc_status_t {
	return call(func() error {
		if threads < 0 || threads > maxEngineThreads {
			return fmt.Errorf("%w: threads %d is outside 0..%d", rtcerr.ErrInvalidArgument, threads, maxEngineThreads)
		}
		n := int(threads)
		if n == 0 {
			n = defaultEngineThreads()
		}
		previous := runtime.GOMAXPROCS(n)
		if previousOut != nil {
			*previousOut = C.int32_t(previous)
		}

		return nil
	})
}
