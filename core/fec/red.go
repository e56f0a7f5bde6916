package fec

import (
	"encoding/binary"
	"errors"
)

// RED (RFC 2198) payload limits: a redundant block's header has 14 bits of
// timestamp offset and 10 bits of length.
const (
	MaxREDBlockLength     = 1<<10 - 1
	MaxREDTimestampOffset = 1<<14 - 1
)

var (
	errShortRED    = errors.New("fec: RED payload truncated")
	errREDNoBlocks = errors.New("fec: RED payload has no primary block")
)

// Block is one block of a RED payload: the payload type and data of an
// encoding, and how far its timestamp lies before the RED packet's (0 for
// the primary block).
type Block struct {
	PayloadType     uint8
	TimestampOffset uint32
	Payload         []byte
}

// ParseRED splits a RED payload into its redundant blocks (oldest first, as
// they are sent) and its primary block. The blocks' Payloads are slices of
// payload.
func ParseRED(payload []byte) (redundant []Block, primary Block, err error) {
	at := 0
	var lengths []int
	for {
		if at >= len(payload) {
			return nil, Block{}, errREDNoBlocks
		}
		if payload[at]&0x80 == 0 {
			break
		}
		if len(payload) < at+4 {
			return nil, Block{}, errShortRED
		}
		h := binary.BigEndian.Uint32(payload[at:])
		redundant = append(redundant, Block{
			PayloadType: payload[at] & 0x7f, TimestampOffset: h >> 10 & MaxREDTimestampOffset,
		})
		lengths = append(lengths, int(h&MaxREDBlockLength))
		at += 4
	}
	primary.PayloadType = payload[at] & 0x7f
	at++
	for i := range redundant {
		n := lengths[i]
		if len(payload) < at+n {
			return nil, Block{}, errShortRED
		}
		redundant[i].Payload = payload[at : at+n]
		at += n
	}
	primary.Payload = payload[at:]

	return redundant, primary, nil
}

// REDFits reports whether b can be a redundant block: its length and
// timestamp offset fit their fields, and it lies before the primary.
func REDFits(b Block) bool {
	return len(b.Payload) <= MaxREDBlockLength && b.TimestampOffset > 0 && b.TimestampOffset <= MaxREDTimestampOffset
}

// AppendRED appends the RED payload of the redundant blocks (oldest first,
// each REDFits) and the primary block to dst.
func AppendRED(dst []byte, redundant []Block, primary Block) []byte {
	for _, b := range redundant {
		dst = binary.BigEndian.AppendUint32(dst, 1<<31|uint32(b.PayloadType&0x7f)<<24|
			b.TimestampOffset<<10|uint32(len(b.Payload))) //nolint:gosec // REDFits: under 1024
	}
	dst = append(dst, primary.PayloadType&0x7f)
	for _, b := range redundant {
		dst = append(dst, b.Payload...)
	}

	return append(dst, primary.Payload...)
}
