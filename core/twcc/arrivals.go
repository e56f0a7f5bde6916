// Package twcc sends transport-wide congestion control feedback
// (draft-holmer-rmcat-transport-wide-cc-extensions-01) with the time each
// packet's datagram left its socket.
package twcc

import (
	"encoding/binary"
	"sync"
	"time"
)

// arrivals holds when each recent RTP datagram left its socket, for the
// transport-wide congestion control feedback (feedback.go). Time taken
// any later (pion's TWCC interceptor takes it when the application reads the
// packet, several goroutine hand-offs on) bunches packets together whenever
// the reading goroutines wait for a CPU: under load, a bandwidth probe that
// Firefox sent over 14 ms was reported received within 2 ms, which it
// discards as impossible ("receive/send ratio too high"); its estimate then
// crept up by a few percent a second, and its 1280x720 simulcast layer
// started seconds late. One table serves the process, as sockets are shared
// (omnirtc.udpMuxPort); a packet is keyed by its SSRC and sequence number,
// which SRTP leaves in the clear.
var arrivals arrivalTable

// RecordArrival notes the arrival of a datagram just read from a socket, now,
// if it is RTP.
func RecordArrival(datagram []byte) { arrivals.record(datagram, time.Now) }

// arrivalBits sizes the table: a packet's slot goes to another after about
// 2^14 packets on average, far more than arrive between a datagram's read and
// its packet's.
const arrivalBits = 14

// maxArrivalAge bounds how old a recorded time may be: an older entry is
// taken for an earlier packet with the same SSRC and sequence number.
const maxArrivalAge = time.Second

type arrivalTable struct {
	mu    sync.Mutex
	slots []arrivalSlot // made at the first RTP datagram
}

type arrivalSlot struct {
	key uint64 // arrivalKey; 0 when empty
	at  int64  // Unix nanoseconds
}

// arrivalKey is never 0.
func arrivalKey(ssrc uint32, seq uint16) uint64 { return 1<<48 | uint64(ssrc)<<16 | uint64(seq) }

// slot spreads keys over the table (Fibonacci hashing).
func slot(key uint64) int { return int((key * 0x9E3779B97F4A7C15) >> (64 - arrivalBits)) }

// record notes the arrival of a datagram, at now(), if it is RTP (RFC 7983:
// first byte 128 to 191; RFC 5761: RTCP's packet types are 192 to 223). The
// clock is read only for RTP: every data-channel datagram passes here too.
func (t *arrivalTable) record(datagram []byte, now func() time.Time) {
	if len(datagram) < 12 || datagram[0] < 128 || datagram[0] > 191 || (datagram[1] >= 192 && datagram[1] <= 223) {
		return
	}
	key := arrivalKey(binary.BigEndian.Uint32(datagram[8:12]), binary.BigEndian.Uint16(datagram[2:4]))
	at := now().UnixNano()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.slots == nil {
		t.slots = make([]arrivalSlot, 1<<arrivalBits)
	}
	t.slots[slot(key)] = arrivalSlot{key: key, at: at}
}

// lookup returns when the packet's datagram arrived, if it was recorded in
// the last maxArrivalAge before now.
func (t *arrivalTable) lookup(ssrc uint32, seq uint16, now time.Time) (time.Time, bool) {
	key := arrivalKey(ssrc, seq)
	t.mu.Lock()
	var s arrivalSlot
	if t.slots != nil {
		s = t.slots[slot(key)]
	}
	t.mu.Unlock()
	if s.key != key {
		return time.Time{}, false
	}
	at := time.Unix(0, s.at)
	if age := now.Sub(at); age < 0 || age > maxArrivalAge {
		return time.Time{}, false
	}

	return at, true
}
