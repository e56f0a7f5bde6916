package codec

import (
	"errors"
	"strings"
	"testing"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/webrtc/v4"
)

func TestLookupTakesNamesAndMIMETypes(t *testing.T) {
	for _, name := range []string{"vp8", "VP8", "video/VP8", "video/vp8"} {
		if c, err := Lookup(name); err != nil || c.MimeType != webrtc.MimeTypeVP8 || c.ClockRate != 90000 {
			t.Fatalf("%s: %+v, %v", name, c, err)
		}
	}
	_, err := Lookup("video/MPEG2")
	if !errors.Is(err, rtcerr.ErrNotSupported) || !strings.Contains(err.Error(), `unknown codec "video/MPEG2"`) {
		t.Fatalf("an unknown codec: %v", err)
	}
}

func TestKindFollowsTheMIMEType(t *testing.T) {
	if Kind("AUDIO/opus") != webrtc.RTPCodecTypeAudio || Kind(webrtc.MimeTypeAV1) != webrtc.RTPCodecTypeVideo {
		t.Fatal("kinds")
	}
	if !IsKeyframe("audio/opus", []byte{1}) || IsKeyframe("video/VP8", []byte{1}) || !IsKeyframe("video/VP8", []byte{0}) {
		t.Fatal("an audio frame is always a keyframe; a VP8 frame when its P bit is clear")
	}
}
