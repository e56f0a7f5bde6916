package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/omnirtc/omnirtc/core/remb"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// rembFeedback is the rtcp-fb value that negotiates REMB for video.
var rembFeedback = webrtc.RTCPFeedback{Type: remb.FeedbackType}

// Sources of EventTargetBitrate, in its BitrateSource.
const (
	BitrateSourceGCC  int32 = 0 // the "gcc" interceptor's send-side estimate
	BitrateSourceREMB int32 = 1 // a REMB the remote receiver sent
)

// BitrateTarget is the Streams of EventTargetBitrate, as JSON. SSRCs and
// Mids, for a REMB, are the streams the receiver's estimate covers (the sum
// of their bitrates should stay under it) and the media sections of this
// peer that send them; GCC's estimate covers everything the peer sends.
type BitrateTarget struct {
	Source string   `json:"source"`
	SSRCs  []uint32 `json:"ssrcs,omitempty"`
	Mids   []string `json:"mids,omitempty"`
}

func (b BitrateTarget) event(source int32, bitrate int64) *Event {
	text, _ := json.Marshal(b)

	return &Event{Type: EventTargetBitrate, BitrateSource: source, BitsPerSecond: bitrate, Streams: string(text)}
}

// configureREMB negotiates goog-remb for video. It adds no interceptor: a
// REMB the remote sends reaches the sender's RTCP reader (rembReceiver),
// and a receiver sends one with RemoteTrack.RequestBitrate.
func configureREMB(e *engine, m *webrtc.MediaEngine, _ *interceptor.Registry) error {
	e.remb = true
	m.RegisterFeedback(rembFeedback, webrtc.RTPCodecTypeVideo)

	return nil
}

// configureREMBEstimator is "remb" plus the receive side's own REMB: once a
// second, an estimate for all the video it receives over goog-remb.
func configureREMBEstimator(e *engine, m *webrtc.MediaEngine, r *interceptor.Registry) error {
	if err := configureREMB(e, m, r); err != nil {
		return err
	}
	r.Add(remb.NewEstimatorFactory())

	return nil
}

// rembReceiver turns received REMBs into target-bitrate events. Only a
// change of bitrate or SSRC list is an event, as GCC's estimate is.
type rembReceiver struct {
	mu      sync.Mutex
	bitrate int64
	ssrcs   []uint32
}

// onREMB handles a REMB read by the RTCP reader of sender's layer rid. The
// same REMB reaches the reader of every layer it lists, so only the reader
// of the first listed SSRC this peer sends handles it: one event per REMB,
// and successive REMBs for the same streams in the order they came.
func (p *PeerConnection) onREMB(r *rtcp.ReceiverEstimatedMaximumBitrate, sender *webrtc.RTPSender, rid string) {
	if !p.engine.remb || p.closed.Load() {
		return
	}
	media, mids := p.sendersOf(r.SSRCs)
	if len(media) == 0 || !slices.ContainsFunc(sender.GetParameters().Encodings, func(e webrtc.RTPEncodingParameters) bool {
		return e.RID == rid && uint32(e.SSRC) == media[0]
	}) {
		return
	}
	bitrate := int64(r.Bitrate)
	p.rembIn.mu.Lock()
	same := bitrate == p.rembIn.bitrate && slices.Equal(r.SSRCs, p.rembIn.ssrcs)
	p.rembIn.bitrate, p.rembIn.ssrcs = bitrate, slices.Clone(r.SSRCs)
	p.rembIn.mu.Unlock()
	if !same {
		p.events.post(BitrateTarget{Source: "remb", SSRCs: r.SSRCs, Mids: mids}.event(BitrateSourceREMB, bitrate))
	}
	p.estimateForwarded(bitrate, media)
}

// sendersOf returns which of ssrcs this peer sends media on, and the mids
// of the transceivers sending any of them (media or RTX), both in the
// order of ssrcs.
func (p *PeerConnection) sendersOf(ssrcs []uint32) (media []uint32, mids []string) {
	type owner struct {
		mid   string
		media bool
	}
	owners := map[uint32]owner{}
	p.mu.Lock()
	for t := range p.transceivers {
		if s := t.Sender(); s != nil && t.Mid() != "" {
			for _, e := range s.GetParameters().Encodings {
				owners[uint32(e.SSRC)] = owner{t.Mid(), true}
				if e.RTX.SSRC != 0 {
					owners[uint32(e.RTX.SSRC)] = owner{t.Mid(), false}
				}
			}
		}
	}
	p.mu.Unlock()
	mids = []string{}
	for _, ssrc := range ssrcs {
		o, ok := owners[ssrc]
		if ok && o.media {
			media = append(media, ssrc)
		}
		if ok && !slices.Contains(mids, o.mid) {
			mids = append(mids, o.mid)
		}
	}

	return media, mids
}

// RequestBitrate sends a REMB for this track: the most the receiver wants
// its sender to send on it, in bits per second. REMB carries an 18-bit
// mantissa and a power of two, so the sender reads bitrates of 2^18 and
// more rounded down (to 4 significant decimal digits or better).
func (r *RemoteTrack) RequestBitrate(bitrate int64) error {
	if err := r.pc.checkOpen(); err != nil {
		return err
	}
	if bitrate <= 0 {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("bitrate %d: it must be positive (bits per second)", bitrate))
	}
	if r.kind != webrtc.RTPCodecTypeVideo {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("REMB is sent for video tracks only"))
	}
	t, err := r.remote()
	if err != nil {
		return err
	}
	if !slices.Contains(t.Codec().RTCPFeedback, rembFeedback) {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New(
			`REMB (goog-remb) was not negotiated for this track: add "remb" to "omnirtc.interceptors" (the remote must offer it too)`))
	}
	pkt := &rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: float32(bitrate), SSRCs: []uint32{uint32(t.SSRC())}}

	return r.pc.outcome(r.pc.pc.WriteRTCP([]rtcp.Packet{pkt}), rtcerr.ErrOperation)
}
