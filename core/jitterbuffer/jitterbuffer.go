// Package jitterbuffer puts one RTP stream's packets back in sequence order
// for a receiver that reads them itself. pion's jitter buffer interceptor
// fails reads while it buffers, which stops pion from starting the remote
// track at all, so the remote track's read loop uses this buffer instead.
package jitterbuffer

import (
	"encoding/binary"
	"math/bits"
	"sync/atomic"
	"time"
)

// Defaults and bounds of Config.
const (
	DefaultDelay      = 200 * time.Millisecond
	DefaultMaxPackets = 512
	MaxDelay          = 10 * time.Second
	// MaxPackets stays below SeqJump, so that a packet the buffer could
	// hold is never taken for a restarted sequence.
	MaxPackets = 2048
)

// SeqJump is a sequence number distance no reordering explains: the sender
// restarted its numbering (replaceTrack gives the SSRC a new packetizer), so
// a reader starts over instead of taking the new packets for late ones.
const SeqJump = 3000

// Config configures a Buffer.
type Config struct {
	// Delay is how long a packet that follows a gap waits for the missing
	// ones (a retransmission) before the gap is given up.
	Delay time.Duration
	// MaxPackets is how many sequence numbers the buffer spans, 1 to
	// MaxPackets: a packet further ahead releases the oldest ones at once.
	MaxPackets int
}

// Buffer puts one stream's RTP packets back in sequence order.
// Packets in order pass at once; a packet that follows a gap waits until a
// retransmission fills the gap or until it has waited the target delay,
// when the gap is given up. Duplicates are dropped; a packet whose place was
// already played out (or given up) is late: dropped and counted as
// discarded. Only the read goroutine calls its methods; stats are read
// from any goroutine.
type Buffer struct {
	cfg     Config
	slots   []jitterSlot // waiting packets, at seq % len (a power of two: it divides 65536)
	played  []int32      // sequence numbers released, at seq % len; -1 none
	next    uint16       // the sequence number to release next
	started bool
	held    int
	ready   [][]byte // released by push, not yet popped

	lastTimestamp uint32 // of the last released packet, to count frames
	emittedAny    bool
	stats         Stats
}

type jitterSlot struct {
	packet  []byte
	arrival time.Time
}

// Stats are the W3C inbound-rtp jitter buffer counters.
type Stats struct {
	delay     atomic.Int64 // time.Duration: sum over emitted frames
	target    atomic.Int64 // time.Duration: the target delay, summed the same way
	emitted   atomic.Uint64
	discarded atomic.Uint64
}

// AddTo adds the counters to an inbound-rtp stats entry, in W3C units.
func (s *Stats) AddTo(entry map[string]any) {
	entry["jitterBufferDelay"] = time.Duration(s.delay.Load()).Seconds()
	entry["jitterBufferTargetDelay"] = time.Duration(s.target.Load()).Seconds()
	entry["jitterBufferEmittedCount"] = s.emitted.Load()
	entry["packetsDiscarded"] = s.discarded.Load()
}

// headerSize is the fixed part of an RTP header.
const headerSize = 12

// New returns an empty buffer; cfg must be within the bounds above.
func New(cfg Config) *Buffer {
	size := 1 << bits.Len(uint(cfg.MaxPackets-1))
	played := make([]int32, size)
	for i := range played {
		played[i] = -1
	}

	return &Buffer{cfg: cfg, slots: make([]jitterSlot, size), played: played}
}

// Push takes one received packet (kept, not copied).
func (j *Buffer) Push(packet []byte, now time.Time) {
	if len(packet) < headerSize {
		return
	}
	seq := binary.BigEndian.Uint16(packet[2:])
	if !j.started {
		j.started, j.next = true, seq
	}
	ahead, behind := seq-j.next, j.next-seq
	switch {
	case ahead >= SeqJump && behind >= SeqJump:
		// The sender restarted its numbering: release everything, start over.
		j.release(j.next+uint16(len(j.slots)), now) //nolint:gosec // G115: at most 2048 slots; sequence numbers wrap
		for i := range j.played {
			j.played[i] = -1
		}
		j.next = seq
	case behind > 0 && behind < SeqJump:
		if j.played[int(seq)%len(j.played)] != int32(seq) {
			j.stats.discarded.Add(1) // late; a duplicate of a played packet is not counted
		}

		return
	case int(ahead) >= j.cfg.MaxPackets:
		j.release(seq-uint16(j.cfg.MaxPackets)+1, now) //nolint:gosec // G115: maxPackets is at most 2048; sequence numbers wrap
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
func (j *Buffer) release(seq uint16, now time.Time) {
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
func (j *Buffer) drain(now time.Time) {
	for j.held > 0 && j.slots[int(j.next)%len(j.slots)].packet != nil {
		j.emit(now)
	}
}

// emit releases the packet at next.
func (j *Buffer) emit(now time.Time) {
	slot := &j.slots[int(j.next)%len(j.slots)]
	packet := slot.packet
	if ts := binary.BigEndian.Uint32(packet[4:]); !j.emittedAny || ts != j.lastTimestamp {
		j.emittedAny, j.lastTimestamp = true, ts
		j.stats.emitted.Add(1)
		j.stats.delay.Add(int64(now.Sub(slot.arrival)))
		j.stats.target.Add(int64(j.cfg.Delay))
	}
	j.ready = append(j.ready, packet)
	j.played[int(j.next)%len(j.played)] = int32(j.next)
	*slot = jitterSlot{}
	j.held--
	j.next++
}

// Pop returns the next packet to deliver at now, nil if there is none yet.
func (j *Buffer) Pop(now time.Time) []byte {
	for len(j.ready) == 0 && j.held > 0 && !now.Before(j.Deadline()) {
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

// Deadline is when the oldest waiting packet has waited the target delay;
// zero when nothing waits.
func (j *Buffer) Deadline() time.Time {
	var oldest time.Time
	for i := 0; j.held > 0 && i < len(j.slots); i++ {
		if a := j.slots[i].arrival; j.slots[i].packet != nil && (oldest.IsZero() || a.Before(oldest)) {
			oldest = a
		}
	}
	if oldest.IsZero() {
		return oldest
	}

	return oldest.Add(j.cfg.Delay)
}

// firstWaiting is the sequence number of the first waiting packet after next.
func (j *Buffer) firstWaiting() uint16 {
	seq := j.next
	for j.slots[int(seq)%len(j.slots)].packet == nil {
		seq++
	}

	return seq
}

// Flush returns every waiting packet in order, the gaps given up.
func (j *Buffer) Flush(now time.Time) [][]byte {
	j.release(j.next+uint16(len(j.slots)), now) //nolint:gosec // G115: at most 2048 slots; sequence numbers wrap
	out := j.ready
	j.ready = nil

	return out
}

// Stats returns the buffer's counters, which any goroutine may read.
func (j *Buffer) Stats() *Stats { return &j.stats }
