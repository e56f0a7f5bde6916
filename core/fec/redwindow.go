package fec

import (
	"encoding/binary"

	"github.com/pion/rtp"
)

// AddRED unwraps a received RED packet (a whole RTP packet whose payload is
// RFC 2198 RED) and returns what it brings, oldest first: a packet for each
// redundant block whose own packet has not arrived, and the primary unless
// it arrived already (rebuilt from a later packet's redundancy, or a
// duplicate). Redundant block i of n gets sequence number primary - (n - i),
// as libwebrtc numbers them, and the RED packet's timestamp less its
// offset. A block counts as there when its number or its timestamp is: a
// sender's padding-only packets (kept, handed on as nothing) take numbers
// between two encodings, so the number alone could repeat one. It keeps no CSRCs or header extensions, which belong to the RED
// packet. Counted in Stats: a RED packet with redundancy is one FEC packet,
// discarded when none of its blocks was needed; a malformed one is
// discarded and brings nothing.
func (w *Window) AddRED(pkt []byte) [][]byte {
	var p rtp.Packet
	if p.Unmarshal(pkt) != nil {
		w.stats.PacketsDiscarded++

		return nil
	}
	if len(p.Payload) == 0 { // padding only (Chromium probes bandwidth so): nothing to hand on
		w.advance(p.SequenceNumber)
		w.store(p.SequenceNumber, pkt)

		return nil
	}
	redundant, primary, err := ParseRED(p.Payload)
	if err != nil {
		w.stats.PacketsReceived++
		w.stats.PacketsDiscarded++

		return nil
	}
	started := w.started
	w.advance(p.SequenceNumber)
	var out [][]byte
	used := false
	for i, b := range redundant {
		w.stats.BytesReceived += uint64(len(b.Payload))
		seq := p.SequenceNumber - uint16(len(redundant)-i) //nolint:gosec // fewer blocks than a packet has bytes
		if !started || w.behind(seq) >= WindowSize || w.packet(seq) != nil || w.hasTimestamp(p.Timestamp-b.TimestampOffset) {
			continue // before the stream, too old, or there
		}
		if rec := rebuiltFromBlock(&p.Header, seq, b); rec != nil {
			w.store(seq, rec)
			w.stats.PacketsRecovered++
			out = append(out, rec)
			used = true
		}
	}
	if len(redundant) > 0 {
		w.stats.PacketsReceived++
		if !used {
			w.stats.PacketsDiscarded++
		}
	}
	if w.packet(p.SequenceNumber) != nil {
		return out
	}
	if w.ulpfec != 0 && primary.PayloadType == w.ulpfec {
		return append(out, w.addULPFEC(&p, primary.Payload)...)
	}
	w.mediaPT = primary.PayloadType
	p.PayloadType, p.Payload, p.Padding, p.PaddingSize = primary.PayloadType, primary.Payload, false, 0
	if b, err := p.Marshal(); err == nil {
		w.store(p.SequenceNumber, b)
		out = append(out, b)
	}
	if len(w.repairs) > 0 { // a ULPFEC packet came before this one
		out = append(out, w.recover()...)
	}

	return out
}

// addULPFEC takes the ULPFEC block fec of the RED packet p and returns the
// packets it rebuilds, now or with those held before, then p as an empty
// packet of the stream's media payload type: its number is no gap to the
// NACK generator or the jitter buffer (libwebrtc tells its own so), and the
// sample builder drops it as padding.
func (w *Window) addULPFEC(p *rtp.Packet, fec []byte) [][]byte {
	w.stats.PacketsReceived++
	w.stats.BytesReceived += uint64(len(fec))
	p.PayloadType, p.Payload, p.Marker, p.Padding, p.PaddingSize = w.mediaPT, nil, false, false, 0
	empty, err := p.Marshal()
	if err != nil {
		w.stats.PacketsDiscarded++

		return nil
	}
	w.store(p.SequenceNumber, empty)
	var out [][]byte
	if r, err := ParseULPFEC(fec, p.SSRC); err == nil {
		out = w.hold(r)
	} else {
		w.stats.PacketsDiscarded++
	}
	if w.mediaPT != 0 {
		out = append(out, empty)
	}

	return out
}

// rebuiltFromBlock is the packet of a redundant block, numbered seq.
func rebuiltFromBlock(red *rtp.Header, seq uint16, b Block) []byte {
	p := rtp.Packet{
		Header: rtp.Header{
			Version: 2, PayloadType: b.PayloadType, SequenceNumber: seq,
			Timestamp: red.Timestamp - b.TimestampOffset, SSRC: red.SSRC,
		},
		Payload: b.Payload,
	}
	out, err := p.Marshal()
	if err != nil {
		return nil
	}

	return out
}

// AddPlain records a packet of a RED stream that came without RED (a
// sender may send some so: Chromium does), so that no later redundancy
// rebuilds it; false when it was there already (rebuilt, or a duplicate)
// and is not to be handed on again.
func (w *Window) AddPlain(pkt []byte) bool {
	seq := binary.BigEndian.Uint16(pkt[2:4])
	if w.started && w.packet(seq) != nil {
		return false
	}
	w.advance(seq)
	w.store(seq, pkt)

	return true
}

// timestampLookback is how many of the newest packets hasTimestamp looks
// at: redundancy reaches a few packets back.
const timestampLookback = 16

// hasTimestamp reports whether one of the newest packets has timestamp ts.
func (w *Window) hasTimestamp(ts uint32) bool {
	for i := range uint16(timestampLookback) {
		if p := w.packet(w.highest - i); len(p) >= rtpHeaderSize && binary.BigEndian.Uint32(p[4:8]) == ts {
			return true
		}
	}

	return false
}
