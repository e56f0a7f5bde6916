// Package codec knows the codecs OmniRTC sends and reads: a codec by its name
// or MIME type, its kind, and whether one of its frames is a keyframe.
package codec

import (
	"fmt"
	"strings"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/webrtc/v4"
)

// sendable are the codecs a local track can carry, by lower-case name.
var sendable = map[string]webrtc.RTPCodecCapability{
	"opus": {MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2},
	"pcmu": {MimeType: webrtc.MimeTypePCMU, ClockRate: 8000},
	"pcma": {MimeType: webrtc.MimeTypePCMA, ClockRate: 8000},
	"g722": {MimeType: webrtc.MimeTypeG722, ClockRate: 8000},
	"vp8":  {MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
	"vp9":  {MimeType: webrtc.MimeTypeVP9, ClockRate: 90000, SDPFmtpLine: "profile-id=0"},
	"h264": {
		MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
		SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
	},
	"h265": {MimeType: webrtc.MimeTypeH265, ClockRate: 90000},
	"av1":  {MimeType: webrtc.MimeTypeAV1, ClockRate: 90000},
}

// Lookup finds a codec a local track can send by MIME type ("video/VP8") or
// name ("vp8"), case-insensitively. An unknown one is rtcerr.ErrNotSupported.
func Lookup(name string) (webrtc.RTPCodecCapability, error) {
	key := strings.ToLower(name)
	if i := strings.IndexByte(key, '/'); i >= 0 {
		key = key[i+1:]
	}
	c, ok := sendable[key]
	if !ok {
		return c, rtcerr.Wrap(rtcerr.ErrNotSupported, fmt.Errorf(
			"unknown codec %s: use one of opus, pcmu, pcma, g722, vp8, vp9, h264, h265, av1 (or its MIME type)", rtcerr.Quote(name)))
	}

	return c, nil
}

// Kind is audio or video for a MIME type.
func Kind(mime string) webrtc.RTPCodecType {
	if strings.HasPrefix(strings.ToLower(mime), "audio/") {
		return webrtc.RTPCodecTypeAudio
	}

	return webrtc.RTPCodecTypeVideo
}
