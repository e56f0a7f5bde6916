package core

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"sync/atomic"
	"time"
)

// JitterBufferSettings configure the "jitterBuffer" interceptor
// ("omnirtc.jitterBuffer"); unset fields take the defaults.
type JitterBufferSettings struct {
	// TargetDelayMs is how long a packet that follows a gap waits for the
	// missing ones (a retransmission) before the gap is given up.
	TargetDelayMs *uint32 `json:"targetDelayMs"`
	// MaxPackets is how many sequence numbers the buffer spans: a packet
	// further ahead releases the oldest ones at once.
	MaxPackets *uint16 `json:"maxPackets"`
}

// Bounds and defaults of JitterBufferSettings.
const (
	defaultJitterDelay      = 200 * time.Millisecond
	defaultJitterMaxPackets = 512
	maxJitterDelayMs        = 10_000
	// maxJitterPackets stays below seqJump, so that a packet the buffer
	// could hold is never taken for a restarted sequence.
	maxJitterPackets = 2048
)

// jitterBuffer returns the jitter buffer's configuration, nil when the
// "jitterBuffer" interceptor is not selected.
func (s EngineSettings) jitterBuffer() *jitterConfig {
	if s.Interceptors == nil || !contains(*s.Interceptors, "jitterBuffer") {
		return nil
	}
	c, _ := s.JitterBuffer.config() // checked by validateJitterBuffer

	return &c
}

func (s EngineSettings) validateJitterBuffer() error {
	if s.JitterBuffer != nil && s.jitterBuffer() == nil {
		return errors.New(`key "omnirtc.jitterBuffer": set, but "jitterBuffer" is not in "omnirtc.interceptors"`)
	}
	_, err := s.JitterBuffer.config()

	return err
}

// jitterConfig is the validated form of JitterBufferSettings.
type jitterConfig struct {
	delay      time.Duration
	maxPackets int
}

func (s *JitterBufferSettings) config() (jitterConfig, error) {
	c := jitterConfig{delay: defaultJitterDelay, maxPackets: defaultJitterMaxPackets}
	if s == nil {
		return c, nil
	}
	if d := s.TargetDelayMs; d != nil {
		if *d == 0 || *d > maxJitterDelayMs {
			return c, fmt.Errorf("key \"omnirtc.jitterBuffer.targetDelayMs\": %d is not in 1..%d", *d, maxJitterDelayMs)
		}
		c.delay = time.Duration(*d) * time.Millisecond
	}
	if n := s.MaxPackets; n != nil {
		if *n == 0 || *n > maxJitterPackets {
			return c, fmt.Errorf("key \"omnirtc.jitterBuffer.maxPackets\": %d is not in 1..%d", *n, maxJitterPackets)
		}
		c.maxPackets = int(*n)
	}

	return c, nil
}

// jitterBuffer puts one stream's RTP packets back in sequence order.
// Packets in order pass at once; a packet that follows a gap waits until a
// retransmission fills the gap or until it has waited the target delay,
// when the gap is given up. Duplicates are dropped; a packet whose place was
// already played out (or given up) is late: dropped and counted as
// discarded. Only the read goroutine calls its methods; stats are read
// from any goroutine.
type jitterBuffer struct {
	cfg     jitterConfig
	slots   []jitterSlot // waiting packets, at seq % len (a power of two: it divides 65536)
	played  []int32      // sequence numbers released, at seq % len; -1 none
	next    uint16       // the sequence number to release next
	started bool
	held    int
	ready   [][]byte // released by push, not yet popped

	lastTimestamp uint32 // of the last released packet, to count frames
	emittedAny    bool
	stats         jitterStats
}

type jitterSlot struct {
	packet  []byte
	arrival time.Time
}

// jitterStats are the W3C inbound-rtp jitter buffer counters.
type jitterStats struct {
	delay     atomic.Int64 // time.Duration: sum over emitted frames
	target    atomic.Int64 // time.Duration: the target delay, summed the same way
	emitted   atomic.Uint64
	discarded atomic.Uint64
}

// addTo adds the counters to an inbound-rtp stats entry, in W3C units.
func (s *jitterStats) addTo(entry map[string]any) {
	entry["jitterBufferDelay"] = time.Duration(s.delay.Load()).Seconds()
	entry["jitterBufferTargetDelay"] = time.Duration(s.target.Load()).Seconds()
	entry["jitterBufferEmittedCount"] = s.emitted.Load()
	entry["packetsDiscarded"] = s.discarded.Load()
}

// rtpHeaderSize is the fixed part of an RTP header.
const rtpHeaderSize = 12

func newJitterBuffer(cfg jitterConfig) *jitterBuffer {
	size := 1 << bits.Len(uint(cfg.maxPackets-1))
	played := make([]int32, size)
	for i := range played {
		played[i] = -1
	}

	return &jitterBuffer{cfg: cfg, slots: make([]jitterSlot, size), played: played}
}

// push takes one received packet (kept, not copied).
func (j *jitterBuffer) push(packet []byte, now time.Time) {
	if len(packet) < rtpHeaderSize {
		return
	}
	seq := binary.BigEndian.Uint16(packet[2:])
	if !j.started {
		j.started, j.next = true, seq
	}
	ahead, behind := seq-j.next, j.next-seq
	switch {
	case ahead >= seqJump && behind >= seqJump:
		// The sender restarted its numbering: release everything, start over.
		j.release(j.next+uint16(len(j.slots)), now) //nolint:gosec // G115: at most 2048 slots; sequence numbers wrap
		for i := range j.played {
			j.played[i] = -1
		}
		j.next = seq
	case behind > 0 && behind < seqJump:
		if j.played[int(seq)%len(j.played)] != int32(seq) {
			j.stats.discarded.Add(1) // late; a duplicate of a played packet is not counted
		}

		return
	case int(ahead) >= j.cfg.maxPackets:
		j.release(seq-uint16(j.cfg.maxPackets)+1, now) //nolint:gosec // G115: maxPackets is at most 2048; sequence numbers wrap
	}
	slot := &j.slots[int(seq)%len(j.slots)]
	if slot.packet != nil {
		return // a duplicate of a waiting packet
	}
	slot.packet, slot.arrival = packet, now
	j.held++
	j.drain(now)
}

// release moves every waiting packet before seq to ready, giving up the gaps.
func (j *jitterBuffer) release(seq uint16, now time.Time) {
	for j.next != seq {
		if j.held == 0 {
			j.next = seq

			break
		}
		if j.slots[int(j.next)%len(j.slots)].packet != nil {
			j.emit(now)
		} else {
			j.next++
		}
	}
}

// drain releases the packets that follow next without a gap.
func (j *jitterBuffer) drain(now time.Time) {
	for j.held > 0 && j.slots[int(j.next)%len(j.slots)].packet != nil {
		j.emit(now)
	}
}

// emit releases the packet at next.
func (j *jitterBuffer) emit(now time.Time) {
	slot := &j.slots[int(j.next)%len(j.slots)]
	packet := slot.packet
	if ts := binary.BigEndian.Uint32(packet[4:]); !j.emittedAny || ts != j.lastTimestamp {
		j.emittedAny, j.lastTimestamp = true, ts
		j.stats.emitted.Add(1)
		j.stats.delay.Add(int64(now.Sub(slot.arrival)))
		j.stats.target.Add(int64(j.cfg.delay))
	}
	j.ready = append(j.ready, packet)
	j.played[int(j.next)%len(j.played)] = int32(j.next)
	*slot = jitterSlot{}
	j.held--
	j.next++
}

// pop returns the next packet to deliver at now, nil if there is none yet.
func (j *jitterBuffer) pop(now time.Time) []byte {
	for len(j.ready) == 0 && j.held > 0 && !now.Before(j.deadline()) {
		j.release(j.firstWaiting(), now)
		j.drain(now)
	}
	if len(j.ready) == 0 {
		return nil
	}
	packet := j.ready[0]
	j.ready[0] = nil
	j.ready = j.ready[1:]

	return packet
}

// deadline is when the oldest waiting packet has waited the target delay;
// zero when nothing waits.
func (j *jitterBuffer) deadline() time.Time {
	var oldest time.Time
	for i := 0; j.held > 0 && i < len(j.slots); i++ {
		if a := j.slots[i].arrival; j.slots[i].packet != nil && (oldest.IsZero() || a.Before(oldest)) {
			oldest = a
		}
	}
	if oldest.IsZero() {
		return oldest
	}

	return oldest.Add(j.cfg.delay)
}

// firstWaiting is the sequence number of the first waiting packet after next.
func (j *jitterBuffer) firstWaiting() uint16 {
	seq := j.next
	for j.slots[int(seq)%len(j.slots)].packet == nil {
		seq++
	}

	return seq
}

// flush returns every waiting packet in order, the gaps given up.
func (j *jitterBuffer) flush(now time.Time) [][]byte {
	j.release(j.next+uint16(len(j.slots)), now) //nolint:gosec // G115: at most 2048 slots; sequence numbers wrap
	out := j.ready
	j.ready = nil

	return out
}

// readBuffered reads the track through its jitter buffer until the track
// ends (true) or the peer closes (false). Packets are read on a goroutine
// of their own, so that a gap is given up on time while nothing arrives: a
// read deadline would also end pion's RTX reader, which stops at the first
// read error.
func (r *RemoteTrack) readBuffered(d *delivery) bool {
	packets := make(chan []byte, 16)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(packets)
		buf := make([]byte, maxPacket)
		for {
			n, err := r.read(buf)
			if err != nil {
				return
			}
			select {
			case packets <- append([]byte(nil), buf[:n]...):
			case <-stop:
				return
			}
		}
	}()
	jb := r.jitter
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case packet, ok := <-packets:
			if !ok {
				for _, p := range jb.flush(time.Now()) {
					if !d.deliver(p) {
						return false
					}
				}

				return true
			}
			jb.push(packet, time.Now())
		case <-timer.C:
		}
		now := time.Now()
		for p := jb.pop(now); p != nil; p = jb.pop(now) {
			if !d.deliver(p) {
				return false
			}
		}
		if deadline := jb.deadline(); !deadline.IsZero() {
			timer.Reset(deadline.Sub(now))
		}
	}
}
