// Command pion runs bench/c/bench.c's workloads on native pion/webrtc, the
// way a Go program would use it: OnMessage callbacks, OnBufferedAmountLow
// flow control, default interceptors and socket buffers.
//
//	pion setup PAIRS | throughput MIB | rate MESSAGES | idle PEERS [mux] | latency PAIRS [rtp]
//
// Output: one "name value" line per result, as bench/c/bench.c prints them.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
)

const (
	bulkMessage  = 64 * 1024
	smallMessage = 100
	highWater    = 4 << 20
	lowWater     = 1 << 20
	window       = 32
)

var pairsOpen atomic.Int64

type pair struct {
	a, b            *webrtc.PeerConnection
	local           *webrtc.DataChannel
	opened          atomic.Int32
	bytes, messages atomic.Uint64
}

func (p *pair) channelOpened() {
	if p.opened.Add(1) == 2 {
		pairsOpen.Add(1)
	}
}

// newAPI is what webrtc.NewPeerConnection builds (default codecs and
// interceptors) for IPv4 loopback without mDNS; with a mux port, every peer
// of this API shares that UDP port.
func newAPI(muxPort int) *webrtc.API {
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	if muxPort != 0 {
		mux, err := ice.NewMultiUDPMuxFromPort(muxPort, ice.UDPMuxFromPortWithLoopback())
		check(err)
		se.SetICEUDPMux(mux)
	}
	media := &webrtc.MediaEngine{}
	check(media.RegisterDefaultCodecs())
	registry := &interceptor.Registry{}
	check(webrtc.RegisterDefaultInterceptors(media, registry))

	return webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(media),
		webrtc.WithInterceptorRegistry(registry))
}

func startPair(apiA, apiB *webrtc.API, started *time.Time) *pair {
	p := &pair{}
	var err error
	p.a, err = apiA.NewPeerConnection(webrtc.Configuration{})
	check(err)
	p.b, err = apiB.NewPeerConnection(webrtc.Configuration{})
	check(err)
	trickle(p.a, p.b)
	trickle(p.b, p.a)
	p.b.OnDataChannel(func(dc *webrtc.DataChannel) {
		dc.OnOpen(p.channelOpened)
		dc.OnMessage(func(m webrtc.DataChannelMessage) {
			p.bytes.Add(uint64(len(m.Data)))
			p.messages.Add(1)
		})
	})
	p.local, err = p.a.CreateDataChannel("bench", nil)
	check(err)
	p.local.OnOpen(p.channelOpened)
	if started != nil {
		*started = time.Now()
	}
	offer, err := p.a.CreateOffer(nil)
	check(err)
	check(p.b.SetRemoteDescription(offer))
	check(p.a.SetLocalDescription(offer))
	answer, err := p.b.CreateAnswer(nil)
	check(err)
	check(p.a.SetRemoteDescription(answer))
	check(p.b.SetLocalDescription(answer))

	return p
}

func trickle(from, to *webrtc.PeerConnection) {
	from.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c != nil {
			_ = to.AddICECandidate(c.ToJSON())
		}
	})
}

func (p *pair) waitOpen() {
	deadline := time.Now().Add(30 * time.Second)
	for p.opened.Load() < 2 {
		if time.Now().After(deadline) {
			fail("channels did not open")
		}
		time.Sleep(50 * time.Microsecond)
	}
}

func (p *pair) close() {
	_ = p.a.Close()
	_ = p.b.Close()
}

func setup(pairs int) {
	api := newAPI(0)
	ms := make([]float64, pairs)
	for i := range ms {
		var started time.Time
		p := startPair(api, api, &started)
		p.waitOpen()
		ms[i] = float64(time.Since(started).Microseconds()) / 1e3
		p.close()
	}
	slices.Sort(ms)
	fmt.Printf("setup_median_ms %.2f\nsetup_p95_ms %.2f\n", ms[pairs/2], ms[pairs*95/100])
}

// sendAll sends count messages of size bytes, keeping at most highWater
// buffered, and returns the time until the remote received them all.
func sendAll(size, count int) time.Duration {
	api := newAPI(0)
	p := startPair(api, api, nil)
	p.waitOpen()
	low := make(chan struct{}, 1)
	p.local.SetBufferedAmountLowThreshold(lowWater)
	p.local.OnBufferedAmountLow(func() {
		select {
		case low <- struct{}{}:
		default:
		}
	})
	msg := make([]byte, size)
	started := time.Now()
	for range count {
		if p.local.BufferedAmount() > highWater {
			select { // drop a stale signal, then wait for a fresh one
			case <-low:
			default:
			}
			if p.local.BufferedAmount() > lowWater {
				<-low
			}
		}
		check(p.local.Send(msg))
	}
	for p.messages.Load() < uint64(count) {
		time.Sleep(100 * time.Microsecond)
	}
	elapsed := time.Since(started)
	if got := p.bytes.Load(); got != uint64(count*size) {
		fail(fmt.Sprintf("received %d bytes, sent %d", got, count*size))
	}
	p.close()

	return elapsed
}

func rssKiB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	check(err)
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)

			return kib
		}
	}

	return 0
}

// memoryKiB returns the heap live at the last collection and the stacks'
// memory, as omnirtc_debug_counters' heapBytes and stackBytes.
func memoryKiB() (heap, stack float64) {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/stacks:bytes"}}
	metrics.Read(samples)

	return float64(samples[0].Value.Uint64()) / 1024, float64(samples[1].Value.Uint64()) / 1024
}

// idle connects peers/2 pairs as bench/c/bench.c does: with mux, side A's
// peers share a UDP port, side B's keep their own.
func idle(peers int, mux bool) {
	pairs := peers / 2
	var nofile syscall.Rlimit
	check(syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nofile))
	nofile.Cur = nofile.Max
	check(syscall.Setrlimit(syscall.RLIMIT_NOFILE, &nofile))
	apiA, apiB := newAPI(0), newAPI(0)
	if mux {
		apiA = newAPI(50000)
	}
	baseRSS, baseGoroutines := rssKiB(), runtime.NumGoroutine()
	baseHeap, baseStack := memoryKiB()
	started := time.Now()
	keep := make([]*pair, 0, pairs)
	for i := range pairs {
		for int64(i)-pairsOpen.Load() >= window {
			time.Sleep(100 * time.Microsecond)
		}
		keep = append(keep, startPair(apiA, apiB, nil))
	}
	limit := time.Duration(60+pairs/10) * time.Second
	for pairsOpen.Load() < int64(pairs) {
		if time.Since(started) > limit {
			fail(fmt.Sprintf("only %d of %d pairs connected", pairsOpen.Load(), pairs))
		}
		time.Sleep(time.Millisecond)
	}
	connect := time.Since(started)
	time.Sleep(5 * time.Second) // let start-up garbage be collected
	n := float64(2 * len(keep))
	heap, stack := memoryKiB()
	fmt.Printf("idle_peers %d\nidle_connect_s %.1f\nidle_rss_kib_per_peer %.1f\nidle_goroutines_per_peer %.2f\n"+
		"idle_heap_kib_per_peer %.1f\nidle_stack_kib_per_peer %.1f\n",
		2*len(keep), connect.Seconds(), (rssKiB()-baseRSS)/n,
		float64(runtime.NumGoroutine()-baseGoroutines)/n, (heap-baseHeap)/n, (stack-baseStack)/n)
	os.Exit(0) // tearing down thousands of peers is not what is measured
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 3 {
		fail("usage: pion setup|throughput|rate|idle|latency N [mux|rtp]")
	}
	n, err := strconv.Atoi(os.Args[2])
	check(err)
	switch os.Args[1] {
	case "setup":
		setup(n)
	case "throughput":
		fmt.Printf("throughput_mib_s %.1f\n", float64(n)/sendAll(bulkMessage, n*1024*1024/bulkMessage).Seconds())
	case "rate":
		fmt.Printf("rate_msgs_s %.0f\n", float64(n)/sendAll(smallMessage, n).Seconds())
	case "idle":
		idle(n, len(os.Args) > 3 && os.Args[3] == "mux")
	case "latency":
		latency(n, len(os.Args) > 3 && os.Args[3] == "rtp")
	default:
		fail("unknown workload " + os.Args[1])
	}
}
