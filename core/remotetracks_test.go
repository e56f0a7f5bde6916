package core

import (
	"testing"
	"time"
)

// sendFrames writes VP8 frames on track until the test ends.
func sendFrames(t *testing.T, track *LocalTrack) {
	t.Helper()
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		for i := 0; ; i++ {
			_ = track.WriteSample("", vp8Frame(i%30, 500), 33*time.Millisecond)
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
}

// W3C webrtc-pc 4.4.1.6: the track event is queued by setRemoteDescription
// itself, the track muted until media arrives; a description that stops the
// remote sending mutes it (it does not end), one that sends again fires
// track again for the same track; stopping the transceiver ends it.
func TestRemoteTrackMutedUntilMediaAndAcrossDirections(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	track, err := NewLocalTrack(TrackInit{Codec: "video/VP8", ID: "cam", StreamID: "s"})
	must(t, err)
	tr, err := a.AddTrack(track)
	must(t, err)
	trickleBetween(a, b, ra, rb)
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	must(t, a.SetLocalDescription("offer", offer))
	before := b.SignalingEventsPosted()
	must(t, b.SetRemoteDescription("offer", offer))
	if c := b.SignalingChangesSince(before); c.Tracks != 1 {
		t.Fatalf("track events queued by setRemoteDescription: %d, want 1", c.Tracks)
	}
	got := rb.waitFor(t, 5*time.Second, ofType(EventTrack))
	remote := got.RemoteTrack
	if info := remote.Info(); !remote.Muted() || info.ID != "cam" || info.Kind != "video" || len(info.StreamIDs) != 1 ||
		info.StreamIDs[0] != "s" || info.Codec.MimeType != "video/VP8" {
		t.Fatalf("announced track: muted %v, info %+v", remote.Muted(), info)
	}
	answer, err := b.CreateAnswer()
	must(t, err)
	must(t, b.SetLocalDescription("answer", answer))
	must(t, a.SetRemoteDescription("answer", answer))
	sendFrames(t, track)
	rb.waitFor(t, 10*time.Second, ofType(EventTrackUnmute))
	rb.waitFor(t, 10*time.Second, ofType(EventTrackFrame))
	if remote.Muted() {
		t.Fatal("the track is muted after its first packet")
	}

	muteAndResume(t, a, b, rb, remote, tr, "recvonly", "sendrecv")
	rb.waitN(t, 10*time.Second, ofType(EventTrackUnmute), 2)
	if rb.count(ofType(EventTrackEnded)) != 0 {
		t.Fatal("the track ended while its transceiver runs")
	}

	must(t, got.Transceiver.Stop())
	if e := rb.waitFor(t, 10*time.Second, ofType(EventTrackEnded)); e.RemoteTrack != remote {
		t.Fatal("another track ended")
	}
}

// muteAndResume sets tr's direction to off and negotiates (a offers), which
// mutes b's remote track; then to on, which announces it again (EventTrack).
func muteAndResume(t *testing.T, a, b *PeerConnection, rb *recorder, remote *RemoteTrack, tr *Transceiver, off, on string) {
	t.Helper()
	must(t, tr.SetDirection(off))
	negotiate(t, a, b)
	if e := rb.waitFor(t, 10*time.Second, ofType(EventTrackMute)); e.RemoteTrack != remote || !remote.Muted() {
		t.Fatalf("mute of %p, want %p (muted %v)", e.RemoteTrack, remote, remote.Muted())
	}
	must(t, tr.SetDirection(on))
	negotiate(t, a, b)
	if again := rb.waitN(t, 10*time.Second, ofType(EventTrack), 2); again[1].RemoteTrack != remote {
		t.Fatal("the second track event is of another track")
	}
}

// The server pattern of aiortc's examples: the answerer sends its media by
// replaceTrack on the transceiver the remote offer created (which pion makes
// without a sender), and the offerer receives it.
func TestReplaceTrackOnATransceiverOfARemoteOffer(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	_, err := a.AddTransceiver("video", nil, TransceiverInit{Direction: "recvonly"})
	must(t, err)
	trickleBetween(a, b, ra, rb)
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	must(t, a.SetLocalDescription("offer", offer))
	must(t, b.SetRemoteDescription("offer", offer))
	transceivers := b.pc.GetTransceivers()
	if len(transceivers) != 1 || transceivers[0].Sender() != nil {
		t.Fatalf("the offer made %d transceivers, want 1 without a sender", len(transceivers))
	}
	track, err := NewLocalTrack(TrackInit{Codec: "video/VP8", ID: "served"})
	must(t, err)
	must(t, b.transceiverFor(transceivers[0]).ReplaceTrack(track))
	answer, err := b.CreateAnswer()
	must(t, err)
	must(t, b.SetLocalDescription("answer", answer))
	must(t, a.SetRemoteDescription("answer", answer))
	if got := ra.waitFor(t, 5*time.Second, ofType(EventTrack)); got.RemoteTrack.Info().ID != "served" {
		t.Fatalf("track %+v", got.RemoteTrack.Info())
	}
	sendFrames(t, track)
	ra.waitFor(t, 10*time.Second, ofType(EventTrackFrame))
}

// When the remote closes, pion closes this peer connection itself (DTLS
// close_notify): nothing can revive its remote tracks, so they end, as
// aiortc's do when their DTLS transport closes (its server example stops its
// recorder on that "ended").
func TestRemoteTracksEndWhenTheRemoteClosesThePeer(t *testing.T) {
	a, _, rb, remote := sendingPair(t)

	must(t, a.Close())
	if e := rb.waitFor(t, 10*time.Second, ofType(EventTrackEnded)); e.RemoteTrack != remote {
		t.Fatal("another track ended")
	}
}
