// Command pion-media runs bench/c/bench_media.c's workloads on native pion
// (webrtc.NewPeerConnection's default codecs and interceptors), for
// `./build.sh bench media`.
//
//	pion-media rtp PACKETS
//	pion-media forward STREAMS SECONDS
//
// Output: one "name value" line per result.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

const (
	payload   = 1200
	streamBPS = 2_500_000
)

var (
	received        atomic.Uint64
	tracksSeen      atomic.Int32
	mu              sync.Mutex
	firstRx, lastRx time.Time
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func newPeer() *webrtc.PeerConnection {
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	m := &webrtc.MediaEngine{}
	check(m.RegisterDefaultCodecs())
	r := &interceptor.Registry{}
	check(webrtc.RegisterDefaultInterceptors(m, r))
	pc, err := webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(m),
		webrtc.WithInterceptorRegistry(r)).NewPeerConnection(webrtc.Configuration{})
	check(err)

	return pc
}

// connect negotiates without trickle and waits until both are connected.
func connect(a, b *webrtc.PeerConnection) {
	for _, step := range [][2]*webrtc.PeerConnection{{a, b}, {b, a}} {
		from, to := step[0], step[1]
		gathered := webrtc.GatheringCompletePromise(from)
		var desc webrtc.SessionDescription
		var err error
		if from == a {
			desc, err = from.CreateOffer(nil)
		} else {
			desc, err = from.CreateAnswer(nil)
		}
		check(err)
		check(from.SetLocalDescription(desc))
		<-gathered
		check(to.SetRemoteDescription(*from.LocalDescription()))
	}
	for a.ConnectionState() != webrtc.PeerConnectionStateConnected ||
		b.ConnectionState() != webrtc.PeerConnectionStateConnected {
		time.Sleep(2 * time.Millisecond)
	}
}

func rtpTrack(pc *webrtc.PeerConnection, i int) *webrtc.TrackLocalStaticRTP {
	t, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8},
		fmt.Sprintf("s%d", i), "bench")
	check(err)
	tr, err := pc.AddTransceiverFromTrack(t, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	check(err)
	go drainRTCP(tr.Sender())

	return t
}

// drainRTCP reads a sender's RTCP so the interceptors see it, as OmniRTC does.
func drainRTCP(s *webrtc.RTPSender) {
	for {
		if _, _, err := s.ReadRTCP(); err != nil {
			return
		}
	}
}

// sink counts every packet of every track it receives.
func sink(pc *webrtc.PeerConnection) {
	pc.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		tracksSeen.Add(1)
		buf := make([]byte, 1500)
		for {
			if _, _, err := t.Read(buf); err != nil {
				return
			}
			now := time.Now()
			mu.Lock()
			if received.Add(1) == 1 {
				firstRx = now
			}
			lastRx = now
			mu.Unlock()
		}
	})
}

func packet(seq uint16, ts uint32) *rtp.Packet {
	body := make([]byte, payload)
	body[0] = 0x10

	return &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: ts}, Payload: body}
}

func benchRTP(count int) {
	// The writer keeps one thread, as the C program's host thread does, so
	// that thread's CPU is the writer's (see cpuSeconds).
	runtime.LockOSThread()
	a, b := newPeer(), newPeer()
	t := rtpTrack(a, 0)
	sink(b)
	connect(a, b)
	for i := 0; tracksSeen.Load() == 0; i++ {
		check(t.WriteRTP(packet(uint16(i), 0)))
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	// Marshaled packets, as the C ABI gets them, written with Write; the
	// write path, then the read path (the reader counts throughout).
	write := func(from int) {
		for i := from; i < from+count; i++ {
			b, err := packet(uint16(1000+i), uint32(i/4)*3000).Marshal()
			check(err)
			_, err = t.Write(b)
			check(err)
		}
	}
	start := time.Now()
	write(0)
	written := time.Since(start)
	time.Sleep(500 * time.Millisecond)
	received.Store(0)
	cpu0, writer0 := cpuSeconds(syscall.RUSAGE_SELF), cpuSeconds(rusageThread)
	write(count)
	time.Sleep(time.Second)
	rest := cpuSeconds(syscall.RUSAGE_SELF) - cpu0 - (cpuSeconds(rusageThread) - writer0)
	got := received.Load()
	fmt.Printf("write_pps %.0f\n", float64(count)/written.Seconds())
	mu.Lock()
	span := lastRx.Sub(firstRx).Seconds()
	mu.Unlock()
	readPPS := 0.0
	if got > 1 {
		readPPS = float64(got-1) / span
	}
	fmt.Printf("read_pps %.0f\n", readPPS)
	fmt.Printf("delivered_pct %.1f\n", 100*float64(got)/float64(count))
	readCPU := 0.0
	if got > 0 {
		readCPU = 1e6 * rest / float64(got)
	}
	fmt.Printf("read_cpu_us_per_packet %.2f\n", readCPU)
	check(a.Close())
	check(b.Close())
}

// rusageThread is Linux's RUSAGE_THREAD, which package syscall does not name.
const rusageThread = 1

// cpuSeconds is the CPU time of the process (RUSAGE_SELF) or of the calling
// thread (rusageThread).
func cpuSeconds(who int) float64 {
	var ru syscall.Rusage
	check(syscall.Getrusage(who, &ru))

	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func benchForward(streams, seconds int) {
	a, b1, b2, c := newPeer(), newPeer(), newPeer(), newPeer()
	in := make([]*webrtc.TrackLocalStaticRTP, streams)
	out := make([]*webrtc.TrackLocalStaticRTP, streams)
	for i := range in {
		in[i], out[i] = rtpTrack(a, i), rtpTrack(b2, i)
	}
	b1.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		i, err := strconv.Atoi(strings.TrimPrefix(t.ID(), "s"))
		check(err)
		buf := make([]byte, 1500)
		for {
			n, _, err := t.Read(buf)
			if err != nil {
				return
			}
			_, _ = out[i].Write(buf[:n])
		}
	})
	sink(c)
	connect(a, b1)
	connect(b2, c)
	pps := float64(streamBPS) / 8 / (12 + payload)
	due := 0.0
	start := time.Now()
	measureFrom, end := start.Add(time.Second), start.Add(time.Second+time.Duration(seconds)*time.Second)
	var cpu0 float64
	var rx0 uint64
	measuring := false
	var seq uint32
	for time.Now().Before(end) {
		if !measuring && time.Now().After(measureFrom) {
			measuring = true
			cpu0, rx0 = cpuSeconds(syscall.RUSAGE_SELF), received.Load()
		}
		due += pps * 0.005
		for ; due >= 1; due-- {
			raw, err := packet(uint16(seq), seq*3000).Marshal()
			check(err)
			for _, t := range in {
				_, err := t.Write(raw)
				check(err)
			}
			seq++
		}
		time.Sleep(5 * time.Millisecond)
	}
	cpu := cpuSeconds(syscall.RUSAGE_SELF) - cpu0
	forwarded := received.Load() - rx0
	fmt.Printf("cpu_pct_per_stream %.2f\n", 100*cpu/float64(seconds)/float64(streams))
	fmt.Printf("forwarded_pct %.1f\n", 100*float64(forwarded)/(pps*float64(seconds)*float64(streams)))
	for _, pc := range []*webrtc.PeerConnection{a, b1, b2, c} {
		check(pc.Close())
	}
}

func main() {
	args := os.Args[1:]
	switch {
	case len(args) >= 2 && args[0] == "rtp":
		n, err := strconv.Atoi(args[1])
		check(err)
		benchRTP(n)
	case len(args) >= 3 && args[0] == "forward":
		s, err := strconv.Atoi(args[1])
		check(err)
		secs, err := strconv.Atoi(args[2])
		check(err)
		benchForward(s, secs)
	default:
		fmt.Fprintln(os.Stderr, "usage: pion-media rtp PACKETS | forward STREAMS SECONDS")
		os.Exit(2)
	}
}
