// Package rtptest builds the RTP packets that tests and fuzz seeds write to
// tracks and media files.
package rtptest

import "github.com/pion/rtp"

// Packet is the bytes of an RTP packet of payload type 96 with the marker bit
// set, sequence number seq and a timestamp 3000 ticks per sequence number.
func Packet(seq uint16, payload []byte) []byte {
	p := rtp.Packet{Header: rtp.Header{
		Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: uint32(seq) * 3000,
		SSRC: 1234, Marker: true,
	}, Payload: payload}
	b, _ := p.Marshal()

	return b
}
