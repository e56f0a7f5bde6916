package core

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// vp8Frame makes a small fake VP8 frame: the first byte's low bit is the
// inverse keyframe flag, the rest identifies the frame.
func vp8Frame(i int, size int) []byte {
	b := bytes.Repeat([]byte{byte(i)}, size)
	b[0] = 1 // inter frame
	if i == 0 {
		b[0] = 0
	}
	copy(b[1:], fmt.Sprintf("frame-%05d", i))

	return b
}

// videoCall connects a, which sends track (VP8, tr its transceiver), to b;
// both close when the test ends.
func videoCall(t *testing.T) (a, b *PeerConnection, ra, rb *recorder, track *LocalTrack, tr *Transceiver) {
	t.Helper()
	ra, rb = newRecorder(), newRecorder()
	a, b = newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	track, err := NewLocalTrack(TrackInit{Codec: "video/VP8", ID: "cam", StreamID: "s"})
	must(t, err)
	tr, err = a.AddTrack(track)
	must(t, err)
	connect(t, a, b, ra, rb)

	return a, b, ra, rb, track, tr
}

func TestVideoSamplesArriveAsFrames(t *testing.T) {
	a, b, ra, rb, track, tr := videoCall(t)
	frames := 60
	go func() {
		for i := 0; i < frames+5; i++ {
			_ = track.WriteSample("", vp8Frame(i, 3000), 33*time.Millisecond)
			time.Sleep(5 * time.Millisecond)
		}
	}()
	// the track event comes with the first packet
	got := rb.waitFor(t, 10*time.Second, ofType(EventTrack))
	if got.RemoteTrack.Info().Codec.MimeType != "video/VP8" || got.RemoteTrack.Info().ID != "cam" {
		t.Fatalf("track info %+v", got.RemoteTrack.Info())
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := rb.count(ofType(EventTrackFrame))
		if n >= frames || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	rb.mu.Lock()
	var received [][]byte
	var keys []bool
	for _, e := range rb.events {
		if e.Type == EventTrackFrame {
			received = append(received, e.Data)
			keys = append(keys, e.Keyframe)
		}
	}
	rb.mu.Unlock()
	if len(received) < frames {
		t.Fatalf("received %d frames, want %d", len(received), frames)
	}
	for i := range frames {
		if !bytes.Equal(received[i], vp8Frame(i, 3000)) {
			t.Fatalf("frame %d differs", i)
		}
		if keys[i] != (i == 0) {
			t.Fatalf("frame %d keyframe flag %v", i, keys[i])
		}
	}
	info := tr.Info()
	// b has no track: the answer is recvonly, so the offerer's sendrecv
	// transceiver is currently sendonly (W3C currentDirection).
	if info.Mid == nil || info.CurrentDirection == nil || *info.CurrentDirection != "sendonly" || len(info.Codecs) == 0 {
		t.Fatalf("transceiver info %+v", info)
	}
	if d := got.Transceiver.Info().CurrentDirection; d == nil || *d != "recvonly" {
		t.Fatalf("answerer's currentDirection %v", d)
	}
	if _, err := a.AddTrack(track); !errors.Is(err, rtcerr.ErrOperation) {
		t.Fatalf("adding the track twice: %v", err)
	}
	// PLI from the receiver reaches the sender as a keyframe request.
	must(t, got.RemoteTrack.RequestKeyframe(false))
	ra.waitFor(t, 5*time.Second, func(e *Event) bool { return e.Type == EventKeyframeRequest && e.KeyframeKind == KeyframePLI })
	must(t, got.RemoteTrack.RequestKeyframe(true))
	ra.waitFor(t, 5*time.Second, func(e *Event) bool { return e.Type == EventKeyframeRequest && e.KeyframeKind == KeyframeFIR })
	stats, err := a.Stats()
	must(t, err)
	for _, want := range []string{`"outbound-rtp"`, `"media-source"`, `"codec"`} {
		if !bytes.Contains(stats, []byte(want)) {
			t.Fatalf("sender stats lack %s: %s", want, stats)
		}
	}
	stats, err = b.Stats()
	must(t, err)
	if !bytes.Contains(stats, []byte(`"inbound-rtp"`)) {
		t.Fatalf("receiver stats lack inbound-rtp: %s", stats)
	}
}

func TestTrackBadInput(t *testing.T) {
	if _, err := NewLocalTrack(TrackInit{Codec: "video/MPEG2"}); !errors.Is(err, rtcerr.ErrNotSupported) {
		t.Fatalf("unknown codec: %v", err)
	}
	for _, text := range []string{``, `{}`, `{"codec":null}`, `{"codec":""}`} {
		if _, err := ParseTrackInit([]byte(text)); !errors.Is(err, rtcerr.ErrInvalidArgument) ||
			!strings.Contains(err.Error(), `"codec"`) {
			t.Fatalf("%s: got %v, want an argument error naming \"codec\"", text, err)
		}
	}
	track, err := NewLocalTrack(TrackInit{Codec: "opus", Mode: "rtp"})
	must(t, err)
	if err = track.WriteRTP("", []byte{1, 2, 3}); !errors.Is(err, rtcerr.ErrInvalidArgument) {
		t.Fatalf("malformed RTP: %v", err)
	}
	if err = track.WriteSample("", []byte{1}, time.Millisecond); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("sample on an RTP track: %v", err)
	}
	track.Close()
	if err = track.WriteRTP("", make([]byte, 12)); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("closed track: %v", err)
	}
	a := newPeer(t, loopbackConfig, newRecorder())
	defer func() { must(t, a.Close()) }()
	video, err := NewLocalTrack(TrackInit{Codec: "vp8"})
	must(t, err)
	tr, err := a.AddTransceiver("audio", nil, TransceiverInit{})
	must(t, err)
	if err := tr.ReplaceTrack(video); !errors.Is(err, rtcerr.ErrInvalidArgument) {
		t.Fatalf("video on audio transceiver: %v", err)
	}
	if _, err := a.AddTransceiver("audio", video, TransceiverInit{}); !errors.Is(err, rtcerr.ErrInvalidArgument) {
		t.Fatalf("kind mismatch: %v", err)
	}
	if err := tr.SetCodecPreferences([]CodecPreference{{MimeType: "video/VP8"}}); !errors.Is(err, rtcerr.ErrInvalidArgument) {
		t.Fatalf("video codec on audio transceiver: %v", err)
	}
	must(t, tr.SetCodecPreferences([]CodecPreference{{MimeType: "audio/PCMU"}}))
}

// A video track whose first keyframe was lost asks for one by itself: the
// sender here sends inter frames only until a keyframe request comes, then
// one keyframe, which must reach the receiver.
func TestLostFirstKeyframeIsRequested(t *testing.T) {
	_, _, ra, rb, track, _ := videoCall(t) //nolint:dogsled // the recorders and the track of the call are all this test needs
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		sent := false
		for i := 1; ; i++ {
			frame := vp8Frame(i, 1000) // an inter frame
			if !sent && ra.count(ofType(EventKeyframeRequest)) > 0 {
				sent, frame = true, vp8Frame(0, 1000)
			}
			_ = track.WriteSample("", frame, 33*time.Millisecond)
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	rb.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventTrackFrame && e.Keyframe })
	if e := ra.waitFor(t, time.Second, ofType(EventKeyframeRequest)); e.KeyframeKind != KeyframePLI {
		t.Fatalf("keyframe request of kind %d, want a PLI", e.KeyframeKind)
	}
}
