package core

import (
	"strconv"
	"strings"

	"github.com/pion/webrtc/v4"
)

// mimeRED is RFC 2198 redundant audio; mimeVideoRED the same for video,
// carrying the video codec and ULPFEC (RFC 5109).
const (
	mimeRED      = "audio/red"
	mimeVideoRED = "video/red"
	mimeULPFEC   = "video/ulpfec"
)

// redPayloadTypes finds the audio RED codec negotiated on any audio
// transceiver and the payload type its fmtp names first ("111/111": Opus),
// for core/fec's RED codec (one bundle, so one payload type per codec).
func (p *PeerConnection) redPayloadTypes() (red, primary uint8, ok bool) {
	for _, t := range p.pc.GetTransceivers() {
		if t.Kind() != webrtc.RTPCodecTypeAudio {
			continue
		}
		for _, c := range transceiverCodecs(t) {
			if !strings.EqualFold(c.MimeType, mimeRED) {
				continue
			}
			first, _, _ := strings.Cut(c.SDPFmtpLine, "/")
			if pt, err := strconv.ParseUint(strings.TrimSpace(first), 10, 7); err == nil {
				return uint8(c.PayloadType), uint8(pt), true
			}
		}
	}

	return 0, 0, false
}

// transceiverCodecs are the codecs negotiated on t: its sender's, else its
// receiver's (the receiver of a sendonly transceiver listed no RED, and its
// sender sent Opus unwrapped).
func transceiverCodecs(t *webrtc.RTPTransceiver) []webrtc.RTPCodecParameters {
	if s := t.Sender(); s != nil {
		return s.GetParameters().Codecs
	}
	if r := t.Receiver(); r != nil {
		return r.GetParameters().Codecs
	}

	return nil
}

// videoREDPayloadTypes finds the video RED and ULPFEC codecs negotiated on
// any video transceiver, for core/fec's RED codec.
func (p *PeerConnection) videoREDPayloadTypes() (red, ulpfec uint8, ok bool) {
	for _, t := range p.pc.GetTransceivers() {
		if t.Kind() != webrtc.RTPCodecTypeVideo {
			continue
		}
		var haveRED, haveULPFEC bool
		for _, c := range transceiverCodecs(t) {
			switch {
			case strings.EqualFold(c.MimeType, mimeVideoRED):
				red, haveRED = uint8(c.PayloadType), true
			case strings.EqualFold(c.MimeType, mimeULPFEC):
				ulpfec, haveULPFEC = uint8(c.PayloadType), true
			}
		}
		if haveRED && haveULPFEC {
			return red, ulpfec, true
		}
	}

	return 0, 0, false
}
