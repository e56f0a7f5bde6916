package fec

import (
	"encoding/binary"

	"github.com/pion/rtp"
)

// WindowSize is how many media packets a Window keeps per SSRC: a repair
// can rebuild a packet this many sequence numbers behind the newest.
const WindowSize = 512

// maxRepairs bounds the repair packets a Window holds while each still
// lacks more than one of its packets.
const maxRepairs = 128

// Stats counts one protected stream's repair packets, under the W3C
// inbound-rtp names.
type Stats struct {
	PacketsReceived  uint64 // fecPacketsReceived
	PacketsDiscarded uint64 // fecPacketsDiscarded: malformed, too late, or all its packets there
	BytesReceived    uint64 // fecBytesReceived: repair payload bytes
	PacketsRecovered uint64 // fecPacketsRecovered: media packets rebuilt
}

type slot struct {
	seq  uint16
	ok   bool
	data []byte
}

// Window keeps the recent media packets of one SSRC and the repair packets
// that protect them, and rebuilds a lost packet when a repair lacks only
// that one. A packet counts as lost only once a later one has arrived, so a
// packet merely reordered is not rebuilt. Not safe for concurrent use.
type Window struct {
	ssrc    uint32
	slots   [WindowSize]slot
	highest uint16
	started bool
	repairs []*Repair
	stats   Stats
	ulpfec  uint8 // the payload type of RED's ULPFEC blocks, 0 for none
	mediaPT uint8 // of the last media block RED brought
}

// NewWindow returns an empty window for the media SSRC ssrc.
func NewWindow(ssrc uint32) *Window { return &Window{ssrc: ssrc} }

// Stats returns the counts so far.
func (w *Window) Stats() Stats { return w.stats }

// AddMedia stores a received media packet (a whole RTP packet, copied) and
// returns the packets it lets the held repairs rebuild.
func (w *Window) AddMedia(pkt []byte) [][]byte {
	if len(pkt) < rtpHeaderSize {
		return nil
	}
	seq := binary.BigEndian.Uint16(pkt[2:4])
	w.advance(seq)
	w.store(seq, pkt)
	if len(w.repairs) == 0 {
		return nil
	}

	return w.recover()
}

// AddRepair takes a repair packet (a whole RTP packet) and returns the
// packets it rebuilds, now or with those held before. A malformed repair,
// or one for another SSRC, is discarded and counted.
func (w *Window) AddRepair(pkt []byte) [][]byte {
	w.stats.PacketsReceived++
	r, err := ParseRepair(pkt)
	if err == nil && r.SSRC != w.ssrc {
		err = errOtherSSRC
	}
	if err != nil {
		w.stats.PacketsDiscarded++

		return nil
	}
	w.stats.BytesReceived += uint64(len(r.payload))

	return w.hold(r)
}

// hold keeps the repair r and returns what it rebuilds, now or with those
// held before; the oldest repair is discarded to make room.
func (w *Window) hold(r *Repair) [][]byte {
	if len(w.repairs) == maxRepairs {
		w.stats.PacketsDiscarded++
		w.repairs = append(w.repairs[:0], w.repairs[1:]...)
	}
	w.repairs = append(w.repairs, r)

	return w.recover()
}

// advance moves the newest sequence number to seq when seq is newer,
// clearing the slots it passes so a stale packet 65,536 numbers old is never
// taken for a new one.
func (w *Window) advance(seq uint16) {
	if !w.started {
		w.started, w.highest = true, seq

		return
	}
	ahead := int(int16(seq - w.highest)) //nolint:gosec // the signed distance is the point
	if ahead <= 0 {
		return
	}
	for i := range min(ahead, WindowSize) {
		w.slots[(w.highest+1+uint16(i))%WindowSize].ok = false //nolint:gosec // i < WindowSize
	}
	w.highest = seq
}

func (w *Window) store(seq uint16, pkt []byte) {
	s := &w.slots[seq%WindowSize]
	s.seq, s.ok, s.data = seq, true, append(s.data[:0], pkt...)
}

func (w *Window) packet(seq uint16) []byte {
	if s := &w.slots[seq%WindowSize]; s.ok && s.seq == seq {
		return s.data
	}

	return nil
}

// behind is how far seq is behind the newest packet (negative: ahead of it).
func (w *Window) behind(seq uint16) int { return int(int16(w.highest - seq)) } //nolint:gosec // signed distance

// recover rebuilds what it can, again after each rebuilt packet (it may
// complete another repair), and drops the repairs with nothing left to give.
func (w *Window) recover() [][]byte {
	var out [][]byte
	for progress := true; progress; {
		progress = false
		kept := w.repairs[:0]
		for _, r := range w.repairs {
			missing, count, stale := w.missing(r)
			switch {
			case stale || count == 0:
				w.stats.PacketsDiscarded++
			case count == 1 && w.behind(missing) > 0:
				if pkt, err := r.rebuild(w, missing); err == nil {
					w.store(missing, pkt)
					w.stats.PacketsRecovered++
					out = append(out, pkt)
					progress = true
				} else {
					w.stats.PacketsDiscarded++
				}
			default:
				kept = append(kept, r)
			}
		}
		clear(w.repairs[len(kept):])
		w.repairs = kept
	}

	return out
}

// missing returns one protected packet that is not there and how many are
// not; stale when a protected packet has left the window.
func (w *Window) missing(r *Repair) (seq uint16, count int, stale bool) {
	for _, s := range r.Seqs {
		if w.behind(s) >= WindowSize {
			return 0, 0, true
		}
		if w.packet(s) == nil {
			seq = s
			count++
		}
	}

	return seq, count, false
}

// xorPacket XORs the RTP packet p into a recovery header (its bytes 0-1,
// its length past the fixed header, bytes 4-7) and a payload at least as
// long as p past its fixed header: the parity FlexFEC and ULPFEC share.
func xorPacket(rec *[8]byte, payload, p []byte) {
	body := p[rtpHeaderSize:]
	rec[0] ^= p[0]
	rec[1] ^= p[1]
	rec[2] ^= byte(len(body) >> 8) //nolint:gosec // an RTP packet's length fits 16 bits
	rec[3] ^= byte(len(body))      //nolint:gosec // the low byte
	for i := 4; i < 8; i++ {
		rec[i] ^= p[i]
	}
	for i, c := range body {
		payload[i] ^= c
	}
}

// rebuild XORs the repair with every protected packet but seq, which it
// returns rebuilt byte for byte.
func (r *Repair) rebuild(w *Window, seq uint16) ([]byte, error) {
	rec := r.recovery
	payload := append([]byte(nil), r.payload...)
	for _, s := range r.Seqs {
		if s == seq {
			continue
		}
		p := w.packet(s)
		if len(p)-rtpHeaderSize > len(payload) {
			return nil, errInconsistent
		}
		xorPacket(&rec, payload, p)
	}
	length := int(binary.BigEndian.Uint16(rec[2:4]))
	if length > len(payload) {
		return nil, errLengthRecovery
	}
	pkt := make([]byte, rtpHeaderSize+length)
	pkt[0] = 0x80 | rec[0]&0x3f
	pkt[1] = rec[1]
	binary.BigEndian.PutUint16(pkt[2:4], seq)
	copy(pkt[4:8], rec[4:8])
	binary.BigEndian.PutUint32(pkt[8:12], r.SSRC)
	copy(pkt[rtpHeaderSize:], payload[:length])
	var check rtp.Packet
	if check.Unmarshal(pkt) != nil {
		return nil, errRebuiltNotValid
	}

	return pkt, nil
}
