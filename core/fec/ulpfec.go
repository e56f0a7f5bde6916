package fec

import (
	"encoding/binary"
	"errors"
)

// ULPFEC (RFC 5109) as libwebrtc sends it for video, inside RED: a 10-byte
// FEC header and one level-0 header (protection length and a 16-bit mask,
// 48-bit when the L bit is set); the level-0 payload is the XOR of the
// protected packets' bytes past their fixed headers, as FlexFEC's.
const (
	ulpfecHeaderSize = 10
	ulpfecShortMask  = 16
	ulpfecLongMask   = 48
)

var (
	errShortULPFEC    = errors.New("fec: ULPFEC header truncated")
	errULPFECExtended = errors.New("fec: ULPFEC E bit set (reserved)")
	errULPFECSpan     = errors.New("fec: ULPFEC group spans more than 48 packets")
)

// ParseULPFEC parses the ULPFEC payload b (a RED block's) that protects
// packets of the stream ssrc. The Repair keeps a copy of what it needs.
func ParseULPFEC(b []byte, ssrc uint32) (*Repair, error) {
	if len(b) < ulpfecHeaderSize+4 {
		return nil, errShortULPFEC
	}
	if b[0]&0x80 != 0 {
		return nil, errULPFECExtended
	}
	bits := ulpfecShortMask
	if b[0]&0x40 != 0 {
		bits = ulpfecLongMask
	}
	start := ulpfecHeaderSize + 2 + bits/8
	if len(b) < start {
		return nil, errShortULPFEC
	}
	length := int(binary.BigEndian.Uint16(b[10:12]))
	if len(b) < start+length {
		return nil, errShortULPFEC
	}
	base := binary.BigEndian.Uint16(b[2:4])
	var mask uint64
	for _, c := range b[12:start] {
		mask = mask<<8 | uint64(c)
	}
	r := &Repair{SSRC: ssrc, payload: append([]byte(nil), b[start:start+length]...)}
	for bit := range bits {
		if mask&(1<<(bits-1-bit)) != 0 {
			r.Seqs = append(r.Seqs, base+uint16(bit)) //nolint:gosec // bit < 48
		}
	}
	if len(r.Seqs) == 0 {
		return nil, errEmptyMask
	}
	r.recovery = [8]byte{b[0], b[1], b[8], b[9], b[4], b[5], b[6], b[7]}

	return r, nil
}

// AppendULPFEC appends to dst the ULPFEC payload that protects the whole RTP
// packets given, the first of which has the lowest sequence number (the
// others within 48 after it).
func AppendULPFEC(dst []byte, packets [][]byte) ([]byte, error) {
	at := len(dst)
	base := binary.BigEndian.Uint16(packets[0][2:4])
	var rec [8]byte
	var payload []byte
	var mask uint64
	long := false
	for _, p := range packets {
		offset := int(binary.BigEndian.Uint16(p[2:4]) - base)
		if offset >= ulpfecLongMask {
			return dst, errULPFECSpan
		}
		long = long || offset >= ulpfecShortMask
		mask |= 1 << (ulpfecLongMask - 1 - offset)
		if n := len(p) - rtpHeaderSize; n > len(payload) {
			payload = append(payload, make([]byte, n-len(payload))...)
		}
		xorPacket(&rec, payload, p)
	}
	bits := ulpfecShortMask
	if long {
		bits = ulpfecLongMask
	}
	dst = append(dst, rec[0]&0x3f, rec[1])
	dst = binary.BigEndian.AppendUint16(dst, base)
	dst = append(dst, rec[4:8]...)
	dst = append(dst, rec[2:4]...)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(payload))) //nolint:gosec // an RTP packet's length fits 16 bits
	var m [8]byte
	binary.BigEndian.PutUint64(m[:], mask<<(64-ulpfecLongMask))
	dst = append(dst, m[:bits/8]...)
	if long {
		dst[at] |= 0x40
	}

	return append(dst, payload...), nil
}
