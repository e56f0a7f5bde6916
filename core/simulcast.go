package core

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/omnirtc/omnirtc/core/svc"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// sendTrack wraps a layer's pion track for its senders. Every packet it
// sends carries the mid and rid header extensions when it is a simulcast
// layer (pion's sender leaves them to the application; a receiver tells the
// layers apart by them), and continues its sender's sequence numbers and
// timestamps when it replaced another track: a new track's packetizer starts
// at random values, and a receiver's SRTP replay check drops packets whose
// numbers went backwards.
type sendTrack struct {
	webrtc.TrackLocal
	local  *LocalTrack
	sender atomic.Pointer[Transceiver] // set when attached, before pion binds it
}

// Bind hands pion's track a context whose writer stamps and renumbers,
// and records the SSRC's writer and clock for the packets the sender
// inserts itself (DTMF, dtmf.go).
func (t *sendTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	codec, err := t.TrackLocal.Bind(&sendContext{TrackLocalContext: ctx, track: t})
	if tr := t.sender.Load(); err == nil && tr != nil {
		n := tr.numbering(uint32(ctx.SSRC()))
		n.mu.Lock()
		n.out, n.ssrc, n.clock = ctx.WriteStream(), uint32(ctx.SSRC()), codec.ClockRate
		n.mu.Unlock()
	}

	return codec, err
}

type sendContext struct {
	webrtc.TrackLocalContext
	track *sendTrack
}

func (c *sendContext) WriteStream() webrtc.TrackLocalWriter {
	w := &sendWriter{TrackLocalWriter: c.TrackLocalContext.WriteStream(), local: c.track.local}
	if tr := c.track.sender.Load(); tr != nil {
		w.numbers = tr.numbering(uint32(c.SSRC()))
		if rid := c.track.RID(); rid != "" {
			w.mid, w.rid = []byte(tr.t.Mid()), []byte(rid)
		}
	}
	for _, e := range c.HeaderExtensions() {
		switch e.URI {
		case sdp.SDESMidURI:
			w.midID = uint8(e.ID) //nolint:gosec // G115: header extension ids are 1..255 (RFC 8285)
		case sdp.SDESRTPStreamIDURI:
			w.ridID = uint8(e.ID) //nolint:gosec // G115: header extension ids are 1..255 (RFC 8285)
		case svc.DependencyDescriptorURI:
			w.ddID = uint8(e.ID) //nolint:gosec // G115: as above
		}
	}

	return w
}

// numbering is the last sequence number and timestamp one SSRC sent, shared
// by the tracks that take turns on it and the packets the sender inserts
// between theirs (DTMF).
type numbering struct {
	mu        sync.Mutex
	started   bool
	seq       uint16
	timestamp uint32
	at        time.Time // when the packet with timestamp was sent

	inserted uint16                  // numbers inserted packets took since the writer's last packet
	out      webrtc.TrackLocalWriter // the bound writer, below the renumbering
	ssrc     uint32
	clock    uint32 // the bound codec's clock rate
}

// numbering returns the numbering state of one of the sender's SSRCs.
func (tr *Transceiver) numbering(ssrc uint32) *numbering {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.numbers == nil {
		tr.numbers = map[uint32]*numbering{}
	}
	n, ok := tr.numbers[ssrc]
	if !ok {
		n = &numbering{}
		tr.numbers[ssrc] = n
	}

	return n
}

type sendWriter struct {
	webrtc.TrackLocalWriter
	numbers      *numbering
	mid, rid     []byte
	midID, ridID uint8
	ddID         uint8       // the AV1 Dependency Descriptor's negotiated id, 0 if none
	local        *LocalTrack // the track sent, whose forwarder (if any) writes the descriptor under forwardedDDID

	offsetSet bool // the offsets below are fixed at this writer's first packet
	seqOffset uint16
	tsOffset  uint32
}

// forwardedDDID is the id a forwarder writes the AV1 Dependency Descriptor
// under; each sender of a forwarded track moves it to its own negotiated id
// or drops it. Packets an application writes keep their extensions.
const forwardedDDID = 14

func (w *sendWriter) WriteRTP(header *rtp.Header, payload []byte) (int, error) {
	if w.local != nil && w.local.forwarded.Load() != nil {
		if err := w.moveDependencyDescriptor(header); err != nil {
			return 0, err
		}
	}
	if w.midID != 0 && len(w.mid) > 0 {
		if err := header.SetExtension(w.midID, w.mid); err != nil {
			return 0, err
		}
	}
	if w.ridID != 0 && len(w.rid) > 0 {
		if err := header.SetExtension(w.ridID, w.rid); err != nil {
			return 0, err
		}
	}
	if n := w.numbers; n != nil {
		// Numbered and written under one lock: an inserted packet (DTMF)
		// numbered between them must not reach the wire out of order.
		n.mu.Lock()
		defer n.mu.Unlock()
		if !w.offsetSet {
			w.offsetSet = true
			if n.started { // continue after the previous track's last packet
				w.seqOffset = n.seq + 1 - header.SequenceNumber
				w.tsOffset = n.timestamp + 1 - header.Timestamp
			}
		} else {
			w.seqOffset += n.inserted // step over the numbers inserted packets took
		}
		n.inserted = 0
		header.SequenceNumber += w.seqOffset
		header.Timestamp += w.tsOffset
		n.started, n.seq, n.timestamp, n.at = true, header.SequenceNumber, header.Timestamp, time.Now()
	}

	return w.TrackLocalWriter.WriteRTP(header, payload)
}

// moveDependencyDescriptor moves a forwarded AV1 Dependency Descriptor to
// the id this sender's peer negotiated, in the profile the id and length
// need (RFC 8285), or drops it when the peer negotiated none.
func (w *sendWriter) moveDependencyDescriptor(header *rtp.Header) error {
	dd := header.GetExtension(forwardedDDID)
	if dd == nil || w.ddID == forwardedDDID {
		return nil
	}
	_ = header.DelExtension(forwardedDDID)
	if w.ddID == 0 {
		return nil
	}
	if !header.Extension { // it was the only one
		header.Extension, header.ExtensionProfile = true, rtp.ExtensionProfileOneByte
	}
	profile := header.ExtensionProfile
	if w.ddID > 14 || len(dd) > 16 {
		profile = rtp.ExtensionProfileTwoByte
	}

	return header.SetExtensionWithProfile(w.ddID, dd, profile)
}
