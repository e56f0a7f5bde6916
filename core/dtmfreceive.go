package core

import (
	"encoding/binary"
	"strings"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// dtmfReceiver decodes the RFC 4733 telephone-events arriving on a remote
// audio track into one EventDTMFTone per event: the updates and the three
// end packets of one event are reported once, and a long event's segments
// (RFC 4733 2.5.1.3) as one. Used on the track's reading goroutine only.
type dtmfReceiver struct {
	clocks map[uint8]uint32 // payload type -> telephone-event clock rate, 0 for other codecs

	active   bool   // an event is being received
	reported bool   // and was reported
	code     byte   // its event code
	first    uint32 // its first segment's timestamp
	ts       uint32 // its current segment's timestamp
	units    uint32 // its duration so far, in clock units
	clock    uint32
}

// telephoneEventClock is the clock rate of payload type pt when it is a
// negotiated telephone-event, else 0.
func (d *dtmfReceiver) telephoneEventClock(r *RemoteTrack, pt uint8) uint32 {
	if clock, ok := d.clocks[pt]; ok {
		return clock
	}
	if r.kind != webrtc.RTPCodecTypeAudio {
		return 0
	}
	if d.clocks == nil {
		d.clocks = map[uint8]uint32{}
	}
	d.clocks[pt] = 0
	if receiver := r.transceiver.t.Receiver(); receiver != nil {
		for _, c := range receiver.GetParameters().Codecs {
			if uint8(c.PayloadType) == pt && strings.EqualFold(c.MimeType, mimeTelephoneEvent) {
				d.clocks[pt] = c.ClockRate
			}
		}
	}

	return d.clocks[pt]
}

// receive takes one telephone-event packet of the track.
func (d *dtmfReceiver) receive(r *RemoteTrack, p *rtp.Packet, clock uint32) {
	if len(p.Payload) < telephoneEventSize {
		return
	}
	code, end := p.Payload[0], p.Payload[1]&telephoneEventEnd != 0
	duration := uint32(binary.BigEndian.Uint16(p.Payload[2:]))
	switch {
	case d.active && p.Timestamp == d.ts && code == d.code:
	case d.active && !d.reported && code == d.code && p.Timestamp-d.ts == maxSegment:
		d.ts = p.Timestamp // the next segment of a long event
	case d.active && p.Timestamp-d.ts > 1<<31:
		return // a late packet of an earlier event
	default:
		if d.active && !d.reported {
			d.report(r) // its end packets were lost
		}
		*d = dtmfReceiver{clocks: d.clocks, active: true, code: code, first: p.Timestamp, ts: p.Timestamp, clock: clock}
	}
	d.units = max(d.units, d.ts-d.first+duration)
	if end && !d.reported {
		d.report(r)
	}
}

// report posts the event once.
func (d *dtmfReceiver) report(r *RemoteTrack) {
	d.reported = true
	if int(d.code) >= len(dtmfEventCodes) || d.clock == 0 {
		return // not a DTMF tone (RFC 4733 also codes other events)
	}
	ms := int32(uint64(d.units) * 1000 / uint64(d.clock)) //nolint:gosec // G115: at most 2^32 units over a clock of at least 1 Hz, in ms: within int32 for any real clock
	r.pc.events.post(&Event{Type: EventDTMFTone, RemoteTrack: r, Tone: string(dtmfEventCodes[d.code]), Duration: ms})
}
