// Package fec recovers lost RTP packets from FlexFEC-03 repair packets
// (draft-ietf-payload-flexible-fec-scheme-03, the layout of pion's encoder
// and of libwebrtc's "flexfec-03"): one protected SSRC per repair packet, a
// flexible mask of up to 109 packets, XOR parity over each protected packet's
// first 8 header bytes and everything after its 12-byte fixed header.
package fec

import (
	"encoding/binary"
	"errors"
)

// rtpHeaderSize is the fixed part of an RTP header; FlexFEC protects the
// rest of a packet (CSRCs, extensions, payload, padding) as its payload.
const rtpHeaderSize = 12

// repairHeaderSize is a FlexFEC-03 header with one SSRC and the first mask.
const repairHeaderSize = 20

var (
	errShortRTP        = errors.New("fec: repair packet shorter than its RTP header")
	errNotRTPv2        = errors.New("fec: repair packet is not RTP version 2")
	errShortRepair     = errors.New("fec: repair header truncated")
	errRetransmission  = errors.New("fec: retransmission bit set (not supported)")
	errFixedMask       = errors.New("fec: fixed (inflexible) mask (not supported)")
	errSSRCCount       = errors.New("fec: repair protects other than one SSRC")
	errLastKBit        = errors.New("fec: k bit of the last mask is clear")
	errEmptyMask       = errors.New("fec: mask protects no packet")
	errLengthRecovery  = errors.New("fec: recovered length exceeds the repair payload")
	errOtherSSRC       = errors.New("fec: repair protects an SSRC this stream does not carry")
	errInconsistent    = errors.New("fec: a protected packet is longer than the repair payload")
	errRebuiltNotValid = errors.New("fec: rebuilt packet is not valid RTP")
)

// Repair is one parsed FlexFEC-03 repair packet.
type Repair struct {
	SSRC uint32   // the protected media SSRC
	Seqs []uint16 // the protected sequence numbers, in mask order
	// recovery holds the XOR of the protected packets' bytes 0-1, their
	// lengths past the fixed header, and bytes 4-7 (the timestamp).
	recovery [8]byte
	payload  []byte
}

// ParseRepair parses a repair packet (a whole RTP packet). The Repair keeps
// a copy of what it needs, so b may be reused.
func ParseRepair(b []byte) (*Repair, error) {
	start, err := payloadOffset(b)
	if err != nil {
		return nil, err
	}
	p := b[start:]
	if len(p) < repairHeaderSize {
		return nil, errShortRepair
	}
	if p[0]&0x80 != 0 {
		return nil, errRetransmission
	}
	if p[0]&0x40 != 0 {
		return nil, errFixedMask
	}
	if p[8] != 1 {
		return nil, errSSRCCount
	}
	seqs, end, err := parseMask(p[16:])
	if err != nil {
		return nil, err
	}
	r := &Repair{SSRC: binary.BigEndian.Uint32(p[12:16]), Seqs: seqs, payload: append([]byte(nil), p[16+end:]...)}
	copy(r.recovery[:], p[:8])

	return r, nil
}

// payloadOffset is where an RTP packet's payload starts.
func payloadOffset(b []byte) (int, error) {
	if len(b) < rtpHeaderSize {
		return 0, errShortRTP
	}
	if b[0]>>6 != 2 {
		return 0, errNotRTPv2
	}
	n := rtpHeaderSize + 4*int(b[0]&0x0f)
	if b[0]&0x10 != 0 {
		if len(b) < n+4 {
			return 0, errShortRTP
		}
		n += 4 + 4*int(binary.BigEndian.Uint16(b[n+2:n+4]))
	}
	if len(b) < n {
		return 0, errShortRTP
	}

	return n, nil
}

// maskParts are the three masks of FlexFEC-03: their lengths in bytes and
// the number of packets each covers (after its k bit).
var maskParts = [3]struct{ bytes, bits int }{{2, 15}, {4, 31}, {8, 63}}

// parseMask reads "SN base, k|mask..." and returns the protected sequence
// numbers and the length of that part.
func parseMask(b []byte) ([]uint16, int, error) {
	base := binary.BigEndian.Uint16(b[:2])
	var seqs []uint16
	at, offset := 2, 0
	for i, part := range maskParts {
		if len(b) < at+part.bytes {
			return nil, 0, errShortRepair
		}
		var word uint64
		for _, c := range b[at : at+part.bytes] {
			word = word<<8 | uint64(c)
		}
		at += part.bytes
		for bit := range part.bits {
			if word&(1<<(part.bits-1-bit)) != 0 {
				seqs = append(seqs, base+uint16(offset+bit)) //nolint:gosec // offset+bit < 109
			}
		}
		offset += part.bits
		last := word&(1<<part.bits) != 0
		if last {
			break
		}
		if i == len(maskParts)-1 {
			return nil, 0, errLastKBit
		}
	}
	if len(seqs) == 0 {
		return nil, 0, errEmptyMask
	}

	return seqs, at, nil
}
