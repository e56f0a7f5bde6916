package core

import (
	"runtime"
	"slices"
	"strings"
	"testing"
)

// blockedReaders are loops an idle peer keeps blocked in a read for all its
// idle time: pion/webrtc's mux over the ICE connection and pion/dtls's record
// read, which now wait for a packet in memory before they take a buffer.
// pion/ice's per-candidate receive loop still reads its socket with its
// buffer: waiting without one takes a second syscall per packet (a peek),
// which cost more than its 8 KiB saves (BENCHMARKS.md, issue 24).
var blockedReaders = []string{
	"github.com/pion/webrtc/v4/internal/mux.(*Mux).readLoop",
	"github.com/pion/webrtc/v4/internal/mux.(*Mux).readPacket",
	"github.com/pion/dtls/v3.(*Conn).readAndBuffer",
}

// minReadBuffer is the smallest of those loops' read buffers (pion/webrtc's
// receive MTU; dtls's is 8 KiB).
const minReadBuffer = 1500

// TestIdlePeerReadsHoldNoBuffer connects idle pairs and counts the read
// buffers the blocked reads took that are still live: a read that waits for a
// packet before it takes its buffer holds none while idle (issue 24), where
// each blocked read held one (16 for 8 peers before, two each).
func TestIdlePeerReadsHoldNoBuffer(t *testing.T) {
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	runtime.MemProfileRate = 1 // every allocation, so that every buffer is counted
	for name, c := range idleConfigs {
		t.Run(name, func(t *testing.T) {
			peers := connectIdlePairs(t, c.config, 4)
			// A buffer a read takes for a packet (a connectivity check or
			// keepalive) stays live in its pool for two collections after;
			// one held by a blocked read stays in every count.
			held := liveReadBuffers()
			for range 4 {
				held = min(held, liveReadBuffers())
			}
			t.Logf("%d idle peers' blocked reads hold %d read buffers", len(peers), held)
			for _, pc := range peers {
				must(t, pc.Close())
			}
			if limit := len(peers) / 2; held > limit {
				t.Errorf("%d idle peers' blocked reads hold %d read buffers, more than %d", len(peers), held, limit)
			}
		})
	}
}

// liveReadBuffers counts, by the heap profile, the live objects of
// minReadBuffer bytes or more that blockedReaders allocated themselves or
// took new from a sync.Pool. The profile is as of the last completed
// collection and a sync.Pool frees what it holds in its second, so it
// collects a few times first.
func liveReadBuffers() int {
	for range 4 {
		runtime.GC()
	}
	records := make([]runtime.MemProfileRecord, 1024)
	n, ok := runtime.MemProfile(records, false)
	for !ok {
		records = make([]runtime.MemProfileRecord, n+1024)
		n, ok = runtime.MemProfile(records, false)
	}
	held := 0
	for _, r := range records[:n] {
		if r.AllocObjects > 0 && r.AllocBytes/r.AllocObjects >= minReadBuffer && readBufferAllocation(r.Stack()) {
			held += int(r.InUseObjects())
		}
	}

	return held
}

// readBufferAllocation reports whether the first caller of the allocator is
// a blocked reader, or a pool's New under sync.Pool.Get called by one.
func readBufferAllocation(stack []uintptr) bool {
	var callers []string
	frames := runtime.CallersFrames(stack)
	for more := true; more && len(callers) < 3; {
		var frame runtime.Frame
		frame, more = frames.Next()
		if len(callers) > 0 || !strings.HasPrefix(frame.Function, "runtime.") {
			callers = append(callers, frame.Function)
		}
	}
	switch {
	case len(callers) > 0 && slices.Contains(blockedReaders, callers[0]):
		return true
	case len(callers) == 3 && callers[1] == "sync.(*Pool).Get":
		return slices.Contains(blockedReaders, callers[2])
	}

	return false
}
