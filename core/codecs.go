package core

import (
	"fmt"

	"github.com/omnirtc/omnirtc/core/svc"
	"github.com/pion/webrtc/v4"
)

// opusPayloadType is the payload type Opus is offered with.
const opusPayloadType = 111

// redPayloadType is the payload type audio RED is offered with, Chromium's.
const redPayloadType = 63

// videoCodec is one offered video codec and the payload type of its RTX
// stream.
type videoCodec struct {
	mime string
	fmtp string
	pt   webrtc.PayloadType
	rtx  webrtc.PayloadType
}

// The codecs OmniRTC offers: pion's defaults, with RTX optional.
var (
	audioCodecs = []webrtc.RTPCodecParameters{
		{RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1",
		}, PayloadType: opusPayloadType},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeG722, ClockRate: 8000}, PayloadType: 9},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000}, PayloadType: 0},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMA, ClockRate: 8000}, PayloadType: 8},
		// RFC 4733 DTMF at Opus's clock and at G.711's, with Chromium's
		// payload types (dtmf.go).
		{RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: mimeTelephoneEvent, ClockRate: 48000, SDPFmtpLine: "0-15",
		}, PayloadType: 110},
		{RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: mimeTelephoneEvent, ClockRate: 8000, SDPFmtpLine: "0-15",
		}, PayloadType: 126},
	}
	videoCodecs = []videoCodec{
		{webrtc.MimeTypeVP8, "", 96, 97},
		{webrtc.MimeTypeH264, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", 102, 103},
		{webrtc.MimeTypeH264, "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f", 104, 105},
		{webrtc.MimeTypeH264, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", 106, 107},
		{webrtc.MimeTypeH264, "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f", 108, 109},
		{webrtc.MimeTypeH264, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f", 127, 125},
		{webrtc.MimeTypeH264, "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f", 39, 40},
		{webrtc.MimeTypeH265, "", 116, 117},
		{webrtc.MimeTypeAV1, "", 45, 46},
		{webrtc.MimeTypeVP9, "profile-id=0", 98, 99},
		{webrtc.MimeTypeVP9, "profile-id=2", 100, 101},
		{webrtc.MimeTypeH264, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f", 112, 113},
	}
	videoFeedback = []webrtc.RTCPFeedback{{Type: "ccm", Parameter: "fir"}} // goog-remb with "remb"
)

// redCodec is audio RED (RFC 2198) carrying Opus, as Chromium offers it.
var redCodec = webrtc.RTPCodecParameters{
	RTPCodecCapability: webrtc.RTPCodecCapability{
		MimeType: mimeRED, ClockRate: 48000, Channels: 2, SDPFmtpLine: fmt.Sprintf("%d/%d", opusPayloadType, opusPayloadType),
	},
	PayloadType: redPayloadType,
}

// videoREDPayloadType and ulpfecPayloadType are those Chromium offers
// video RED and ULPFEC with (its RED's RTX: 123).
const (
	videoREDPayloadType    = 121
	videoREDRTXPayloadType = 123
	ulpfecPayloadType      = 122
)

// registerCodecs offers the default codecs, with RTX when rtx is set,
// audio RED first when red is (libwebrtc sends RED only to a remote that
// lists it before the codec it carries: Chromium offers it after Opus, so
// it sends it only when the answer prefers it), and video RED and ULPFEC
// after the video codecs when ulpfec is, as Chromium offers them.
func registerCodecs(m *webrtc.MediaEngine, rtx, red, ulpfec bool) error {
	audio := audioCodecs
	if red {
		audio = append([]webrtc.RTPCodecParameters{redCodec}, audioCodecs...)
	}
	for _, c := range audio {
		if err := m.RegisterCodec(c, webrtc.RTPCodecTypeAudio); err != nil {
			return err
		}
	}
	video := videoCodecs
	if ulpfec {
		video = append(append([]videoCodec(nil), videoCodecs...),
			videoCodec{mimeVideoRED, "", videoREDPayloadType, videoREDRTXPayloadType}, videoCodec{mimeULPFEC, "", ulpfecPayloadType, 0})
	}
	for _, c := range video {
		codec := webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{
				MimeType: c.mime, ClockRate: 90000, SDPFmtpLine: c.fmtp,
				RTCPFeedback: videoFeedback,
			},
			PayloadType: c.pt,
		}
		if err := m.RegisterCodec(codec, webrtc.RTPCodecTypeVideo); err != nil {
			return err
		}
		if !rtx || c.rtx == 0 {
			continue
		}
		repair := webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{
				MimeType: webrtc.MimeTypeRTX, ClockRate: 90000,
				SDPFmtpLine: fmt.Sprintf("apt=%d", c.pt),
			},
			PayloadType: c.rtx,
		}
		if err := m.RegisterCodec(repair, webrtc.RTPCodecTypeVideo); err != nil {
			return err
		}
	}

	if err := webrtc.ConfigureSimulcastExtensionHeaders(m); err != nil {
		return err
	}
	// AV1 carries its layers in this extension only; offered with every
	// video section, as browsers do, so an answer with AV1 or an SVC mode
	// can accept it.
	return m.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: svc.DependencyDescriptorURI}, webrtc.RTPCodecTypeVideo)
}
