package core

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// idleGoroutinesPerPeer is issue 24's bound for a connected idle peer with
// one open data channel.
const idleGoroutinesPerPeer = 8

// idleConfigs are the two ways an idle peer holds its socket. A mux tells
// connections apart by remote address, so only one side of each pair shares
// it; its read loop (one, on loopback, the namespace's only interface)
// belongs to no peer.
var idleConfigs = map[string]struct {
	config string
	shared int
}{
	"own sockets": {loopbackConfig, 0},
	"udp mux":     {`{"omnirtc":{"includeLoopback":true,"mdns":"disabled","udpMuxPort":47024}}`, 1},
}

// connectIdlePairs connects pairs of peers, the first of each on config,
// with one open channel each.
func connectIdlePairs(t *testing.T, config string, pairs int) []*PeerConnection {
	t.Helper()
	peers := make([]*PeerConnection, 0, 2*pairs)
	for range pairs {
		ra, rb := newRecorder(), newRecorder()
		a, b := newPeer(t, config, ra), newPeer(t, loopbackConfig, rb)
		peers = append(peers, a, b)
		ch, err := a.CreateDataChannel("idle", DataChannelInit{})
		must(t, err)
		connect(t, a, b, ra, rb)
		ra.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventChannelOpen && e.Channel == ch })
		rb.waitFor(t, 10*time.Second, ofType(EventChannelOpen))
	}

	return peers
}

// TestIdlePeerGoroutines connects pairs of peers with one open channel each,
// lets them idle, and counts the goroutines they hold, on sockets of their
// own and on a shared UDP mux; after close the count comes back.
func TestIdlePeerGoroutines(t *testing.T) {
	for name, c := range idleConfigs {
		t.Run(name, func(t *testing.T) {
			before := settledGoroutines(func(n int) bool { return true })
			peers := connectIdlePairs(t, c.config, 4)
			limit := before + c.shared + idleGoroutinesPerPeer*len(peers)
			idle := settledGoroutines(func(n int) bool { return n <= limit })
			if idle > limit {
				t.Errorf("%d idle peers hold %d goroutines (%d shared), more than %d each:\n%s",
					len(peers), idle-before, c.shared, idleGoroutinesPerPeer, goroutineDump())
			}
			for _, pc := range peers {
				must(t, pc.Close())
			}
			if after := settledGoroutines(func(n int) bool { return n <= before }); after > before {
				t.Errorf("%d goroutines before the peers, %d after closing them:\n%s", before, after, goroutineDump())
			}
		})
	}
}

// settledGoroutines waits up to 5 s for the goroutine count to satisfy ok
// (timers and read deadlines end goroutines a while after the state that
// needed them) and returns the last count.
func settledGoroutines(ok func(int) bool) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); !ok(n) && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(20 * time.Millisecond)
	}

	return n
}

// goroutineDump counts the live goroutines by the function that started them.
func goroutineDump() string {
	buf := make([]byte, 4<<20)
	buf = buf[:runtime.Stack(buf, true)]
	counts := map[string]int{}
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		creator := "main"
		if _, after, found := strings.Cut(g, "created by "); found {
			creator, _, _ = strings.Cut(after, "\n")
			creator, _, _ = strings.Cut(creator, " in goroutine")
		}
		counts[creator]++
	}
	lines := make([]string, 0, len(counts))
	for creator, n := range counts {
		lines = append(lines, fmt.Sprintf("%5d %s", n, creator))
	}
	sort.Strings(lines)

	return strings.Join(lines, "\n")
}
