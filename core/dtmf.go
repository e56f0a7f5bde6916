package core

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/webrtc/v4"
)

// mimeTelephoneEvent is RFC 4733's DTMF payload format.
const mimeTelephoneEvent = "audio/telephone-event"

// The limits of W3C insertDTMF (webrtc-pc 7.2) and its defaults.
const (
	DTMFDefaultDuration     = 100 * time.Millisecond
	DTMFDefaultInterToneGap = 70 * time.Millisecond
	dtmfMinDuration         = 40 * time.Millisecond
	dtmfMaxDuration         = 6000 * time.Millisecond
	dtmfMinGap              = 30 * time.Millisecond
	dtmfMaxGap              = 6000 * time.Millisecond
	dtmfPause               = 2 * time.Second // the ',' tone
)

// dtmfTones are the characters insertDTMF accepts, upper-case.
const dtmfTones = "0123456789ABCD#*,"

// DTMFSender is a W3C RTCDTMFSender: the DTMF an audio sender plays as
// RFC 4733 telephone-events on its own SSRC, between its audio packets.
type DTMFSender struct {
	tr *Transceiver

	mu       sync.Mutex
	buffer   string        // [[ToneBuffer]]
	starting string        // the tone taken from it whose tonechange the host has not yet taken
	taken    uint64        // tones taken from it, numbering the tonechange events
	duration time.Duration // [[Duration]]
	gap      time.Duration // [[InterToneGap]]
	playing  bool          // a Playout task is scheduled or running
}

var errNoDTMF = errors.New("the sender cannot send DTMF: it needs a track, a negotiated send direction and a remote that accepts telephone-event")

// DTMF returns the transceiver's RTCDTMFSender; nil for a video transceiver.
func (tr *Transceiver) DTMF() *DTMFSender {
	if tr.t.Kind() != webrtc.RTPCodecTypeAudio {
		return nil
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.dtmf == nil {
		tr.dtmf = &DTMFSender{tr: tr}
	}

	return tr.dtmf
}

// CanInsertDTMF is canInsertDTMF (webrtc-pc 7.2, "determine if DTMF can
// be sent"): the transceiver is not stopped, its negotiated direction
// sends, the sender has a track and the remote accepted telephone-event.
func (d *DTMFSender) CanInsertDTMF() bool {
	_, _, ok := d.route()

	return ok
}

// route is the numbering of the sender's SSRC and the telephone-event
// codec to send with; ok is false when DTMF cannot be sent.
func (d *DTMFSender) route() (n *numbering, codec webrtc.RTPCodecParameters, ok bool) {
	tr := d.tr
	if tr.stopped.Load() || tr.pc.closed.Load() || tr.localTrack() == nil {
		return nil, codec, false
	}
	mid := tr.t.Mid()
	if mid == "" {
		return nil, codec, false
	}
	if dir := tr.pc.currentDirection(mid); dir == nil || (*dir != "sendrecv" && *dir != "sendonly") {
		return nil, codec, false
	}
	sender := tr.t.Sender()
	if sender == nil {
		return nil, codec, false
	}
	params := sender.GetParameters()
	if len(params.Encodings) == 0 {
		return nil, codec, false
	}
	n = tr.numbering(uint32(params.Encodings[0].SSRC))
	n.mu.Lock()
	clock, bound := n.clock, n.out != nil
	n.mu.Unlock()
	for _, c := range params.Codecs {
		if !strings.EqualFold(c.MimeType, mimeTelephoneEvent) {
			continue
		}
		if !ok || c.ClockRate == clock { // the one at the audio codec's clock, else any
			codec, ok = c, true
		}
	}

	return n, codec, ok && bound
}

// ToneBuffer is toneBuffer: the tones still to play. A tone leaves it as
// the host takes its tonechange event, before the handler runs: in the spec
// both happen in one task, so a host reading it right after insertDTMF sees
// every tone, and one woken by the event sees the tone gone.
func (d *DTMFSender) ToneBuffer() string {
	d.mu.Lock()
	defer d.mu.Unlock()

	return d.starting + d.buffer
}

// InsertDTMF is insertDTMF (webrtc-pc 7.2): it replaces the tone buffer
// with tones (0-9, A-D, #, * and ',', any case) played for duration each,
// interToneGap apart, ',' as a 2 s pause. duration is clamped to 40..6000
// ms and interToneGap to 30..6000 ms. Each tone's start, and the buffer
// running empty, is an EventDTMFToneChange.
func (d *DTMFSender) InsertDTMF(tones string, duration, interToneGap time.Duration) error {
	if err := d.tr.pc.checkOpen(); err != nil {
		return err
	}
	if !d.CanInsertDTMF() {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errNoDTMF)
	}
	tones = strings.ToUpper(tones)
	for _, c := range tones {
		if !strings.ContainsRune(dtmfTones, c) {
			return rtcerr.Wrap(rtcerr.ErrInvalidCharacter, fmt.Errorf("%s is not a DTMF tone (0-9, A-D, #, *, ',')", rtcerr.Quote(string(c))))
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.buffer, d.starting = tones, ""
	d.duration = min(max(duration, dtmfMinDuration), dtmfMaxDuration)
	d.gap = min(max(interToneGap, dtmfMinGap), dtmfMaxGap)
	if tones == "" || d.playing {
		return nil
	}
	d.playing = true
	go d.playout()

	return nil
}

// playout runs the Playout task (webrtc-pc 7.2) until the buffer is empty
// or DTMF can no longer be sent.
func (d *DTMFSender) playout() {
	pc := d.tr.pc
	for {
		tone, n, duration, gap, more := d.next()
		if !more {
			return
		}
		start, wait := time.Now(), dtmfPause
		play := func() {}
		if tone != ',' {
			route, codec, ok := d.route()
			if !ok {
				d.stop()

				return
			}
			wait = duration + gap
			// Played here, in order: a tone sent late delays the next one
			// instead of overlapping it (the receiver took an overlapped
			// tone's end as lost and reported it short).
			play = func() { playTelephoneEvent(route, codec, tone, duration, pc.done) }
		}
		pc.events.post(&Event{Type: EventDTMFToneChange, Transceiver: d.tr, Tone: string(tone), taken: func() { d.started(n) }})
		play()
		select {
		case <-time.After(time.Until(start.Add(wait))):
		case <-pc.done:
			return
		}
	}
}

// next takes the next tone from the buffer; at the end it posts the final
// tonechange ("") and returns more false, as it does, without an event,
// when DTMF can no longer be sent (steps 1-4 of the Playout task).
func (d *DTMFSender) next() (tone byte, n uint64, duration, gap time.Duration, more bool) {
	if !d.CanInsertDTMF() {
		d.stop()

		return 0, 0, 0, 0, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.buffer == "" {
		d.playing = false
		d.tr.pc.events.post(&Event{Type: EventDTMFToneChange, Transceiver: d.tr})

		return 0, 0, 0, 0, false
	}
	tone, d.buffer = d.buffer[0], d.buffer[1:]
	d.taken++
	d.starting = string(tone)

	return tone, d.taken, d.duration, d.gap, true
}

// started runs as the host takes the tonechange event of the n-th tone:
// that tone has left the buffer.
func (d *DTMFSender) started(n uint64) {
	d.mu.Lock()
	if d.taken == n {
		d.starting = ""
	}
	d.mu.Unlock()
}

func (d *DTMFSender) stop() {
	d.mu.Lock()
	d.playing = false
	d.mu.Unlock()
}
