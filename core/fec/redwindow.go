package fec

import (
	"github.com/pion/rtp"
)

// AddRED unwraps a received RED packet (a whole RTP packet whose payload is
// RFC 2198 RED) and returns what it brings, oldest first: a packet for each
// redundant block whose own packet has not arrived, and the primary unless
// it arrived already (rebuilt from a later packet's redundancy, or a
// duplicate). Redundant block i of n gets sequence number primary - (n - i),
// as libwebrtc numbers them, and the RED packet's timestamp less its
// offset; it keeps no CSRCs or header extensions, which belong to the RED
// packet. Counted in Stats: a RED packet with redundancy is one FEC packet,
// discarded when none of its blocks was needed; a malformed one is
// discarded and brings nothing.
func (w *Window) AddRED(pkt []byte) [][]byte {
	var p rtp.Packet
	if p.Unmarshal(pkt) != nil {
		w.stats.PacketsDiscarded++

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
		if !started || w.behind(seq) >= WindowSize || w.packet(seq) != nil {
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
	p.PayloadType, p.Payload, p.Padding, p.PaddingSize = primary.PayloadType, primary.Payload, false, 0
	if b, err := p.Marshal(); err == nil {
		w.store(p.SequenceNumber, b)
		out = append(out, b)
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
