package fec

import (
	"encoding/binary"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// DefaultULPFECGroup is how many video packets one ULPFEC packet protects
// when the configuration sets none: 4, a quarter more packets while loss is
// reported.
const DefaultULPFECGroup = 4

// MaxULPFECGroup bounds a group, so that it and the ULPFEC packets sent
// among its packets fit the 48 numbers of a long mask.
const MaxULPFECGroup = 24

// videoSender is what a video stream sent in RED keeps for ULPFEC: ULPFEC
// packets take sequence numbers of the stream, so every packet's number is
// the application's plus shift, and NACKs and retransmissions are mapped
// between the two.
type videoSender struct {
	ulpfec uint8
	group  [][]byte // media packets (as sent, unwrapped) since the last ULPFEC packet
	shift  uint16   // ULPFEC packets sent so far
	byApp  [WindowSize]seqPair
	byWire [WindowSize]seqPair
}

type seqPair struct {
	app, wire uint16
	ok        bool
}

func (v *videoSender) remember(app, wire uint16) {
	v.byApp[app%WindowSize] = seqPair{app: app, wire: wire, ok: true}
	v.byWire[wire%WindowSize] = seqPair{app: app, wire: wire, ok: true}
}

// wireOf is the number the application's packet app was sent with.
func (v *videoSender) wireOf(app uint16) (uint16, bool) {
	p := v.byApp[app%WindowSize]

	return p.wire, p.ok && p.app == app
}

// appOf is the application's number of the media packet sent as wire;
// false for a ULPFEC packet or one too old.
func (v *videoSender) appOf(wire uint16) (uint16, bool) {
	p := v.byWire[wire%WindowSize]

	return p.app, p.ok && p.wire == wire
}

// wrapVideo returns the packets to send for one the application wrote on a
// video stream in RED (info): a media packet wrapped in RED, numbered on,
// and at a frame's end (marker) while protect, a ULPFEC packet in RED for
// each group packets since the last; a retransmission (RTX, or the media
// payload type again with an old number) with the number it was sent with.
// The caller holds i.mu.
func (s *redSender) wrapVideo(info *interceptor.StreamInfo, h *rtp.Header, payload []byte, protect bool, group int) []rtp.Packet {
	v := s.video
	if h.SSRC == info.SSRCRetransmission && info.SSRCRetransmission != 0 && len(payload) >= 2 {
		if wire, ok := v.wireOf(binary.BigEndian.Uint16(payload)); ok {
			payload = append([]byte(nil), payload...)
			binary.BigEndian.PutUint16(payload, wire)
		}

		return []rtp.Packet{{Header: *h, Payload: payload}}
	}
	if h.PayloadType != s.primary || h.SSRC != info.SSRC {
		return []rtp.Packet{{Header: *h, Payload: payload}}
	}
	media := rtp.Packet{Header: *h, Payload: payload}
	wrapped := rtp.Packet{Header: *h, Payload: AppendRED(nil, nil, Block{PayloadType: s.primary, Payload: payload})}
	wrapped.PayloadType = s.red
	if wire, ok := v.wireOf(h.SequenceNumber); ok {
		wrapped.SequenceNumber = wire

		return []rtp.Packet{wrapped}
	}
	wire := h.SequenceNumber + v.shift
	v.remember(h.SequenceNumber, wire)
	wrapped.SequenceNumber, media.SequenceNumber = wire, wire
	out := []rtp.Packet{wrapped}
	if !protect {
		v.group = v.group[:0]

		return out
	}
	if b, err := media.Marshal(); err == nil {
		v.group = append(v.group, b)
	}
	for h.Marker && len(v.group) >= group {
		if fec, err := AppendULPFEC(nil, v.group[:group]); err == nil {
			p := rtp.Packet{Header: rtp.Header{
				Version: 2, PayloadType: s.red, SequenceNumber: wire + 1, Timestamp: h.Timestamp, SSRC: h.SSRC,
			}, Payload: AppendRED(nil, nil, Block{PayloadType: v.ulpfec, Payload: fec})}
			wire++
			v.shift++
			s.stats.PacketsSent++
			s.stats.BytesSent += uint64(len(fec))
			out = append(out, p)
		}
		v.group = v.group[group:]
	}

	return out
}

// mapNACKs rewrites the NACKs for the video streams sent with ULPFEC to
// the application's numbers (those of ULPFEC packets left out), in packets
// and in b[:n] (re-marshaled); it returns b's new length. The caller holds
// i.mu.
func (i *REDInterceptor) mapNACKs(packets []rtcp.Packet, b []byte, n int) int {
	changed := false
	for _, p := range packets {
		nack, ok := p.(*rtcp.TransportLayerNack)
		if !ok {
			continue
		}
		s, ok := i.sent[nack.MediaSSRC]
		if !ok || s.video == nil || s.video.shift == 0 {
			continue
		}
		var seqs []uint16
		for _, pair := range nack.Nacks {
			for _, wire := range pair.PacketList() {
				if app, ok := s.video.appOf(wire); ok {
					seqs = append(seqs, app)
				}
			}
		}
		nack.Nacks = rtcp.NackPairsFromSequenceNumbers(seqs)
		changed = true
	}
	if !changed {
		return n
	}
	out, err := rtcp.Marshal(packets)
	if err != nil || len(out) > len(b) {
		return n
	}

	return copy(b, out)
}
