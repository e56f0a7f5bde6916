package core

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/omnirtc/omnirtc/core/svc"
)

// webrtc-svc: scalabilityMode is kept and reported per encoding, and a mode
// no codec of the sender can send is an OperationError.
func TestScalabilityModeAtAddTransceiver(t *testing.T) {
	p := newPeer(t, `{"omnirtc":{"mdns":"disabled"}}`, newRecorder())
	defer func() { must(t, p.Close()) }()
	video, err := NewLocalTrack(TrackInit{Codec: "vp9", ID: "cam"})
	must(t, err)
	tr, err := p.AddTransceiver("", video, TransceiverInit{SendEncodings: []Encoding{{ScalabilityMode: "L3T3_KEY"}}})
	must(t, err)
	if got := tr.Info().Encodings; len(got) != 1 || got[0].ScalabilityMode != "L3T3_KEY" {
		t.Errorf("encodings %+v, want one with scalabilityMode L3T3_KEY", got)
	}
	for _, bad := range []struct {
		kind, mode string
	}{{"video", "L4T4"}, {"video", "l1t2"}, {"audio", "L1T2"}} {
		_, err := p.AddTransceiver(bad.kind, nil, TransceiverInit{SendEncodings: []Encoding{{ScalabilityMode: bad.mode}}})
		if !errors.Is(err, rtcerr.ErrOperation) || !errors.Is(err, errScalabilityMode) {
			t.Errorf("%s %s: error %v, want an OperationError about the scalabilityMode", bad.kind, bad.mode, err)
		}
	}
	if n := len(p.transceiverList()); n != 1 {
		t.Errorf("%d transceivers after the refused ones, want 1", n)
	}
}

// The mode must suit the codec the track sends: VP8 has temporal layers
// only, VP9 every mode.
func TestScalabilityModeAtSetParametersFollowsTheTracksCodec(t *testing.T) {
	for _, tt := range []struct {
		codec       string
		l3t3Refused bool
	}{{"vp8", true}, {"vp9", false}} {
		t.Run(tt.codec, func(t *testing.T) {
			config := `{"omnirtc":{"includeLoopback":true,"mdns":"disabled"}}`
			ra, rb := newRecorder(), newRecorder()
			a, b := newPeer(t, config, ra), newPeer(t, config, rb)
			defer func() { must(t, a.Close()); must(t, b.Close()) }()
			track, err := NewLocalTrack(TrackInit{Codec: tt.codec, ID: "cam"})
			must(t, err)
			tr, err := a.AddTrack(track)
			must(t, err)
			connect(t, a, b, ra, rb)
			rb.waitFor(t, 10*time.Second, ofType(EventTrack))
			must(t, tr.SetParameters(SendParameters{Encodings: []Encoding{{ScalabilityMode: "L1T3"}}}))
			err = tr.SetParameters(SendParameters{Encodings: []Encoding{{ScalabilityMode: "L3T3"}}})
			if refused := errors.Is(err, rtcerr.ErrOperation); refused != tt.l3t3Refused {
				t.Fatalf("L3T3: error %v, want refused %v", err, tt.l3t3Refused)
			}
			want := "L3T3"
			if tt.l3t3Refused {
				want = "L1T3"
			}
			if got := tr.Info().Encodings[0].ScalabilityMode; got != want {
				t.Errorf("scalabilityMode %q, want %q", got, want)
			}
		})
	}
}

func TestCapabilitiesListScalabilityModes(t *testing.T) {
	video, err := RTPCapabilities("video")
	must(t, err)
	for _, c := range video.Codecs {
		switch c.MimeType {
		case "video/VP9", "video/AV1":
			if !slices.Contains(c.ScalabilityModes, "L3T3_KEY") || !slices.Contains(c.ScalabilityModes, "S2T1") {
				t.Errorf("%s: scalabilityModes %v", c.MimeType, c.ScalabilityModes)
			}
		case "video/VP8":
			if !slices.Equal(c.ScalabilityModes, []string{"L1T1", "L1T2", "L1T3"}) {
				t.Errorf("VP8: scalabilityModes %v", c.ScalabilityModes)
			}
		case "video/rtx", "video/H265":
			if c.ScalabilityModes != nil {
				t.Errorf("%s: scalabilityModes %v, want none", c.MimeType, c.ScalabilityModes)
			}
		}
	}
	if !slices.Contains(video.HeaderExtensions, HeaderExtensionCapability{URI: svc.DependencyDescriptorURI}) {
		t.Errorf("no dependency descriptor in %v", video.HeaderExtensions)
	}
	audio, err := RTPCapabilities("audio")
	must(t, err)
	for _, c := range audio.Codecs {
		if c.ScalabilityModes != nil {
			t.Errorf("%s: scalabilityModes %v", c.MimeType, c.ScalabilityModes)
		}
	}
}
