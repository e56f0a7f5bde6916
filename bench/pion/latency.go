package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// bench/c/bench_latency.c's workload on native pion: pairs connected pairs,
// each sending a 100-byte message every 20 ms on a reliable channel (and,
// with rtp, a 100-byte opus RTP packet every 20 ms), stamped with the time
// each was due; one goroutine sends for every pair.
const (
	latencyPeriod = 20 * time.Millisecond
	latencyWarmup = 3 * time.Second
)

// clockStart makes every stamp a monotonic duration since the process began.
var clockStart = time.Now()

func monotonic() int64 { return int64(time.Since(clockStart)) }

type latencySamples struct {
	ms []float32
	n  atomic.Int64
}

var (
	windowStart, windowEnd int64
	channelLat, rtpLat     latencySamples
	sendLag                latencySamples // when sent, minus when due
	inStack                latencySamples // received, minus when sent
	tracksSeen             atomic.Int64
	latencyPairsOpen       atomic.Int64
)

func (s *latencySamples) record(due int64) { s.recordSince(due, due) }

// recordSince adds now - since for what was due at due.
func (s *latencySamples) recordSince(due, since int64) {
	if due < windowStart || due >= windowEnd {
		return
	}
	if i := s.n.Add(1) - 1; i < int64(len(s.ms)) {
		s.ms[i] = float32(float64(monotonic()-since) / 1e6)
	}
}

type latencyPair struct {
	local  *webrtc.DataChannel
	track  *webrtc.TrackLocalStaticRTP
	opened atomic.Int32
}

func (p *latencyPair) channelOpened() {
	if p.opened.Add(1) == 2 {
		latencyPairsOpen.Add(1)
	}
}

func startLatencyPair(api *webrtc.API, withRTP bool) *latencyPair {
	p := &latencyPair{}
	a, err := api.NewPeerConnection(webrtc.Configuration{})
	check(err)
	b, err := api.NewPeerConnection(webrtc.Configuration{})
	check(err)
	trickle(a, b)
	trickle(b, a)
	b.OnDataChannel(func(dc *webrtc.DataChannel) {
		dc.OnOpen(p.channelOpened)
		dc.OnMessage(func(m webrtc.DataChannelMessage) {
			if len(m.Data) >= 16 { // when due, when sent
				due := int64(binary.LittleEndian.Uint64(m.Data)) //nolint:gosec // a stamp
				channelLat.record(due)
				inStack.recordSince(due, int64(binary.LittleEndian.Uint64(m.Data[8:]))) //nolint:gosec // a stamp
			}
		})
	})
	b.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		tracksSeen.Add(1)
		buf := make([]byte, 1500)
		for {
			n, _, err := t.Read(buf)
			if err != nil {
				return
			}
			if n >= 20 {
				rtpLat.record(int64(binary.LittleEndian.Uint64(buf[n-8 : n]))) //nolint:gosec // a stamp
			}
		}
	})
	p.local, err = a.CreateDataChannel("latency", nil)
	check(err)
	p.local.OnOpen(p.channelOpened)
	if withRTP {
		p.track, err = webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus},
			"audio", "latency")
		check(err)
		_, err = a.AddTransceiverFromTrack(p.track,
			webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		check(err)
	}
	offer, err := a.CreateOffer(nil)
	check(err)
	check(b.SetRemoteDescription(offer))
	check(a.SetLocalDescription(offer))
	answer, err := b.CreateAnswer(nil)
	check(err)
	check(a.SetRemoteDescription(answer))
	check(b.SetLocalDescription(answer))

	return p
}

// gcPauseHistogram reads the collector's stop-the-world pause histogram.
func gcPauseHistogram() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(s)

	return s[0].Value.Float64Histogram()
}

// printPauses prints the count, p99 and max (bucket upper bounds) of the
// pauses between two readings.
func printPauses(before, after *metrics.Float64Histogram) {
	var total uint64
	diff := make([]uint64, len(after.Counts))
	for i := range after.Counts {
		diff[i] = after.Counts[i] - before.Counts[i]
		total += diff[i]
	}
	var p99, maxPause, seen float64
	for i, n := range diff {
		if n == 0 {
			continue
		}
		upper := after.Buckets[i+1]
		if math.IsInf(upper, 1) {
			upper = after.Buckets[i]
		}
		if seen < 0.99*float64(total) {
			p99 = upper
		}
		seen += float64(n)
		maxPause = upper
	}
	fmt.Printf("gc_pauses %d\ngc_pause_p99_ms %.3f\ngc_pause_max_ms %.3f\n", total, p99*1e3, maxPause*1e3)
}

func (s *latencySamples) report(name string, expected int64) {
	n := min(s.n.Load(), int64(len(s.ms)))
	ms := s.ms[:n]
	slices.Sort(ms)
	fmt.Printf("%s_delivered_pct %.2f\n", name, 100*float64(n)/float64(expected))
	if n == 0 {
		return
	}
	at := func(q float64) float32 { return ms[int(float64(n)*q)] }
	fmt.Printf("%s_p50_ms %.3f\n%s_p99_ms %.3f\n%s_p999_ms %.3f\n%s_max_ms %.3f\n",
		name, at(0.5), name, at(0.99), name, at(0.999), name, ms[n-1])
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))

	return float64(ru.Utime.Sec) + float64(ru.Utime.Usec)/1e6 + float64(ru.Stime.Sec) + float64(ru.Stime.Usec)/1e6
}

// applyBenchGC applies BENCH_GC="PERCENT,LIMIT_BYTES" as omnirtc_set_gc does.
func applyBenchGC() {
	percent, limit, ok := strings.Cut(os.Getenv("BENCH_GC"), ",")
	if !ok {
		return
	}
	p, err := strconv.Atoi(percent)
	check(err)
	l, err := strconv.ParseInt(limit, 10, 64)
	check(err)
	if l == 0 {
		l = math.MaxInt64
	}
	debug.SetGCPercent(p)
	debug.SetMemoryLimit(l)
}

func latency(pairs int, withRTP bool) {
	seconds := 20
	if s, err := strconv.Atoi(os.Getenv("BENCH_SECONDS")); err == nil {
		seconds = s
	}
	applyBenchGC()
	var nofile syscall.Rlimit
	check(syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nofile))
	nofile.Cur = nofile.Max
	check(syscall.Setrlimit(syscall.RLIMIT_NOFILE, &nofile))
	api := newAPI(0)
	all := make([]*latencyPair, pairs)
	started := time.Now()
	for i := range all {
		for int64(i)-latencyPairsOpen.Load() >= window {
			time.Sleep(100 * time.Microsecond)
		}
		all[i] = startLatencyPair(api, withRTP)
	}
	for latencyPairsOpen.Load() < int64(pairs) {
		if time.Since(started) > time.Duration(60+pairs/10)*time.Second {
			fail(fmt.Sprintf("only %d of %d pairs connected", latencyPairsOpen.Load(), pairs))
		}
		time.Sleep(time.Millisecond)
	}
	fmt.Printf("pairs %d\nconnect_s %.1f\n", pairs, time.Since(started).Seconds())

	perPair := int64(seconds) * int64(time.Second/latencyPeriod)
	channelLat.ms = make([]float32, int64(pairs)*perPair+1)
	sendLag.ms = make([]float32, int64(pairs)*perPair+1)
	inStack.ms = make([]float32, int64(pairs)*perPair+1)
	if withRTP {
		rtpLat.ms = make([]float32, int64(pairs)*perPair+1)
	}
	start := monotonic() + int64(100*time.Millisecond)
	windowStart = start + int64(latencyWarmup)
	windowEnd = windowStart + int64(seconds)*int64(time.Second)
	step := int64(latencyPeriod) / int64(pairs)
	var before *metrics.Float64Histogram
	var cpu0 float64
	measuring := 0
	var inSend, inWriteRTP, slots int64 // ns in the calls, in the window
	var sendMax, writeRTPMax int64      // the longest calls of the whole run
	msg := make([]byte, smallMessage)
	packet := &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 111}, Payload: make([]byte, smallMessage)}
	for k := int64(0); ; k++ {
		due := start + (k/int64(pairs))*int64(latencyPeriod) + (k%int64(pairs))*step
		// A sender that fell behind stops 2 s after the window all the same:
		// what it did not send counts as not delivered.
		if due >= windowEnd+int64(time.Second) || monotonic() > windowEnd+int64(2*time.Second) {
			break
		}
		if measuring == 0 && due >= windowStart {
			measuring = 1
			before, cpu0 = gcPauseHistogram(), cpuSeconds()
		}
		if wait := due - monotonic(); wait > 50_000 {
			time.Sleep(time.Duration(wait))
		}
		p := all[k%int64(pairs)]
		sendLag.record(due)
		sent := monotonic()
		binary.LittleEndian.PutUint64(msg, uint64(due))      //nolint:gosec // a stamp
		binary.LittleEndian.PutUint64(msg[8:], uint64(sent)) //nolint:gosec // a stamp
		check(p.local.Send(msg))
		afterSend := monotonic()
		if withRTP {
			packet.SequenceNumber = uint16(k / int64(pairs))                            //nolint:gosec // wraps, as RTP's does
			packet.Timestamp = uint32(k / int64(pairs) * 960)                           //nolint:gosec // wraps, as RTP's does
			binary.LittleEndian.PutUint64(packet.Payload[smallMessage-8:], uint64(due)) //nolint:gosec // a stamp
			check(p.track.WriteRTP(packet))
		}
		sendMax = max(sendMax, afterSend-sent)
		writeRTPMax = max(writeRTPMax, monotonic()-afterSend)
		if measuring == 1 {
			slots++
			inSend += afterSend - sent
			inWriteRTP += monotonic() - afterSend
		}
		if measuring == 1 && (due >= windowEnd || monotonic() > windowEnd+int64(time.Second)) {
			measuring = 2
			cpu := cpuSeconds() - cpu0
			fmt.Printf("cpu_pct %.1f\nrss_mib %.0f\n", 100*cpu/float64(seconds), rssKiB()/1024)
			fmt.Printf("send_call_us %.1f\n", float64(inSend)/1e3/float64(slots))
			if withRTP {
				fmt.Printf("write_rtp_call_us %.1f\n", float64(inWriteRTP)/1e3/float64(slots))
			}
			printPauses(before, gcPauseHistogram())
		}
	}
	time.Sleep(time.Second) // the last second's stragglers
	fmt.Printf("send_call_max_ms %.3f\n", float64(sendMax)/1e6)
	if withRTP {
		fmt.Printf("write_rtp_call_max_ms %.3f\n", float64(writeRTPMax)/1e6)
	}
	sendLag.report("send_lag", int64(pairs)*perPair)
	channelLat.report("latency", int64(pairs)*perPair)
	inStack.report("in_stack", int64(pairs)*perPair)
	if withRTP {
		fmt.Printf("rtp_tracks %d\n", tracksSeen.Load())
		rtpLat.report("rtp", int64(pairs)*perPair)
	}
	os.Exit(0) // tearing down thousands of peers is not what is measured
}
