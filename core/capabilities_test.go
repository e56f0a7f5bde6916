package core

import (
	"reflect"
	"testing"
)

// webrtc-pc 5.2 getCapabilities: every codec and header extension a default
// peer offers, with RTX for video.
func TestRTPCapabilitiesListWhatIsOffered(t *testing.T) {
	audio, err := RTPCapabilities("audio")
	must(t, err)
	video, err := RTPCapabilities("video")
	must(t, err)
	has := func(c Capabilities, mime string, rate uint32) bool {
		for _, codec := range c.Codecs {
			if codec.MimeType == mime && codec.ClockRate == rate {
				return true
			}
		}

		return false
	}
	for _, want := range []struct {
		c    Capabilities
		mime string
		rate uint32
	}{{audio, "audio/opus", 48000}, {audio, "audio/PCMU", 8000}, {video, "video/VP8", 90000}, {video, "video/rtx", 90000}, {video, "video/AV1", 90000}} {
		if !has(want.c, want.mime, want.rate) {
			t.Errorf("no %s/%d in %+v", want.mime, want.rate, want.c.Codecs)
		}
	}
	if audio.Codecs[0].Channels != 2 || audio.Codecs[0].SDPFmtpLine == "" {
		t.Errorf("opus: %+v", audio.Codecs[0])
	}
	if len(video.HeaderExtensions) == 0 {
		t.Error("no video header extensions")
	}
	for range 20 { // pion writes extensions in map order
		again, err := RTPCapabilities("video")
		must(t, err)
		if !reflect.DeepEqual(again, video) {
			t.Fatalf("two calls differ:\n%+v\n%+v", video, again)
		}
	}
	if _, err := RTPCapabilities("data"); err == nil {
		t.Error("kind \"data\" accepted")
	}
}
