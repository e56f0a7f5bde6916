package core

import (
	"encoding/binary"
	"strings"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// RFC 4733 telephone-event payloads: event, end bit and volume, duration.
const (
	telephoneEventSize     = 4
	telephoneEventEnd      = 0x80
	telephoneEventVolume   = 10                    // -10 dBm0, as libwebrtc sends
	telephoneEventInterval = 50 * time.Millisecond // between updates (RFC 4733 2.5.1.2)
	telephoneEventEnds     = 3                     // the final packet is sent three times (RFC 4733 2.5.1.4)
	maxSegment             = 0xFFFF                // a duration field's largest value (RFC 4733 2.5.1.3)
)

// dtmfEventCodes are the RFC 4733 event codes of the tones, by position.
const dtmfEventCodes = "0123456789*#ABCD"

// dtmfEventCode is the RFC 4733 event code of tone.
func dtmfEventCode(tone byte) byte { return byte(strings.IndexByte(dtmfEventCodes, tone)) } //nolint:gosec // G115: tone is one of dtmfEventCodes (InsertDTMF checked it)

// telephoneEvent is one tone being sent as RFC 4733 packets on a sender's
// SSRC, numbered between its audio packets.
type telephoneEvent struct {
	n       *numbering
	pt      uint8
	code    byte
	clock   uint32
	first   uint32 // the event's timestamp
	ts      uint32 // the current segment's timestamp
	started time.Time
	marked  bool // the first packet, with the marker bit, was sent
}

// playTelephoneEvent sends tone for duration: a packet at once, updates
// every 50 ms and the end packet three times, or stops when done closes.
func playTelephoneEvent(n *numbering, codec webrtc.RTPCodecParameters, tone byte, duration time.Duration, done <-chan struct{}) {
	e := &telephoneEvent{n: n, pt: uint8(codec.PayloadType), code: dtmfEventCode(tone), clock: codec.ClockRate, started: time.Now()}
	e.first = n.eventTimestamp(e.started, e.clock)
	e.ts = e.first
	for at := time.Duration(0); at < duration; at += telephoneEventInterval {
		e.send(min(at+telephoneEventInterval, duration), false)
		select {
		case <-time.After(time.Until(e.started.Add(at + telephoneEventInterval))):
		case <-done:
			return
		}
	}
	for range telephoneEventEnds {
		e.send(duration, true)
	}
}

// send sends one packet saying the tone has lasted elapsed, starting a new
// segment (a new timestamp) when its duration no longer fits the field.
func (e *telephoneEvent) send(elapsed time.Duration, end bool) {
	units := uint64(elapsed.Seconds()*float64(e.clock) + 0.5)
	for units-uint64(e.ts-e.first) > maxSegment {
		e.write(maxSegment, false)
		e.ts += maxSegment
	}
	e.write(uint16(units-uint64(e.ts-e.first)), end) //nolint:gosec // G115: the loop above keeps it within 16 bits
}

// write sends one packet of the current segment, numbered after the
// SSRC's last packet; the audio writer steps over the number it took.
func (e *telephoneEvent) write(duration uint16, end bool) {
	payload := make([]byte, telephoneEventSize)
	payload[0] = e.code
	payload[1] = telephoneEventVolume
	if end {
		payload[1] |= telephoneEventEnd
	}
	binary.BigEndian.PutUint16(payload[2:], duration)
	n := e.n
	n.mu.Lock()
	defer n.mu.Unlock() // written in the order numbered, as the audio writer does
	n.seq++
	n.started = true
	n.inserted++
	header := &rtp.Header{
		Version: 2, PayloadType: e.pt, SequenceNumber: n.seq, Timestamp: e.ts, SSRC: n.ssrc, Marker: !e.marked,
	}
	e.marked = true
	_, _ = n.out.WriteRTP(header, payload) // fails only once the sender stopped; the playout then ends
}

// eventTimestamp is the RTP timestamp of an event starting at now: the
// SSRC's last timestamp advanced by the time since it was sent, at clock.
func (n *numbering) eventTimestamp(now time.Time, clock uint32) uint32 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.at.IsZero() {
		n.timestamp += uint32(now.Sub(n.at).Seconds() * float64(clock)) //nolint:gosec // G115: RTP timestamps wrap at 32 bits
	}
	n.at = now

	return n.timestamp
}
