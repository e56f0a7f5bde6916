package core

import (
	"strings"
	"testing"
	"time"
)

// sendingPair is a sending video to b over a negotiated connection, with
// b's remote track unmuted by the first packets.
func sendingPair(t *testing.T) (a, b *PeerConnection, rb *recorder, remote *RemoteTrack) {
	t.Helper()
	ra := newRecorder()
	rb = newRecorder()
	a, b = newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) }) // a second Close returns nil
	track, err := NewLocalTrack(TrackInit{Codec: "video/VP8", ID: "cam", StreamID: "s"})
	must(t, err)
	_, err = a.AddTrack(track)
	must(t, err)
	trickleBetween(a, b, ra, rb)
	negotiate(t, a, b)
	sendFrames(t, track)
	remote = rb.waitFor(t, 10*time.Second, ofType(EventTrackUnmute)).RemoteTrack

	return a, b, rb, remote
}

// W3C webrtc-pc 4.4.1.6, a local answer (step 7.1.6.1): a direction without
// recv, after a [[FiredDirection]] with it, processes the removal of the
// remote track, which mutes it; the next remote description that sends
// with recv again processes its addition (step 8.1.7): track again.
func TestOwnAnswerThatStopsReceivingMutesTheRemoteTrack(t *testing.T) {
	a, b, rb, remote := sendingPair(t)
	// a offers sendrecv each time; b answers inactive, then recvonly
	muteAndResume(t, a, b, rb, remote, remote.transceiver, "inactive", "recvonly")
	if rb.count(ofType(EventTrackEnded)) != 0 {
		t.Fatal("the track ended while its transceiver runs")
	}
}

// W3C webrtc-pc 4.4.1.6: a rejected media section (port 0) stops its
// transceiver, whether the description is remote (step 8.1.12) or our own
// answer (JSEP 5.3.1 rejects a section with no codec in common; the
// transceiver of a rejected section is stopped, 4.4.1.6 step 7.1.6):
// direction and currentDirection "stopped", the receiver's track ended.
func TestRejectedSectionStopsTheTransceiver(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	_, err := a.CreateDataChannel("transport", DataChannelInit{}) // the section that carries ICE
	must(t, err)
	track, err := NewLocalTrack(TrackInit{Codec: "video/VP8", ID: "cam"})
	must(t, err)
	offerer, err := a.AddTrack(track)
	must(t, err)
	must(t, offerer.SetCodecPreferences([]CodecPreference{{MimeType: "video/VP8"}}))
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	must(t, a.SetLocalDescription("offer", offer))
	// b knows no codec of the section, so its answer rejects it.
	must(t, b.SetRemoteDescription("offer", strings.ReplaceAll(offer, "VP8/90000", "XV8/90000")))
	announced := rb.waitFor(t, 5*time.Second, ofType(EventTrack))
	answer, err := b.CreateAnswer()
	must(t, err)
	if !strings.Contains(answer, "m=video 0 ") {
		t.Fatalf("the answer does not reject the video section:\n%s", answer)
	}

	must(t, b.SetLocalDescription("answer", answer))
	if e := rb.waitFor(t, 5*time.Second, ofType(EventTrackEnded)); e.RemoteTrack != announced.RemoteTrack {
		t.Fatal("another track ended")
	}
	must(t, a.SetRemoteDescription("answer", answer))
	for name, tr := range map[string]*Transceiver{"answerer": announced.Transceiver, "offerer": offerer} {
		info := tr.Info()
		if info.CurrentDirection == nil || *info.CurrentDirection != "stopped" || info.Direction != "stopped" || !info.Stopped {
			t.Fatalf("%s: direction %s, currentDirection %v, stopped %v", name, info.Direction, info.CurrentDirection, info.Stopped)
		}
		if err := tr.SetDirection("sendrecv"); err == nil {
			t.Fatalf("%s: the direction of a stopped transceiver changed", name)
		}
	}
}

// W3C webrtc-pc 4.4.1.6, rollback (step 9): a transceiver the rolled-back
// remote offer created is stopped and removed, its track ended; the
// remote tracks of the others get back the state they had before it (the
// offer had muted one).
func TestRollbackOfARemoteOfferRestoresTheRemoteTracks(t *testing.T) {
	a, b, rb, remote := sendingPair(t)
	audio, err := NewLocalTrack(TrackInit{Codec: "audio/opus", ID: "mic"})
	must(t, err)
	_, err = a.AddTrack(audio)
	must(t, err)
	for _, tr := range a.transceiverList() {
		if tr.localTrack().Kind() == "video" { // a stops sending it
			must(t, tr.SetDirection("recvonly"))
		}
	}
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	must(t, a.SetLocalDescription("offer", offer))
	must(t, b.SetRemoteDescription("offer", offer))
	rb.waitFor(t, 5*time.Second, ofType(EventTrackMute))
	added := rb.waitN(t, 5*time.Second, ofType(EventTrack), 2)[1]
	if added.RemoteTrack.Info().Kind != "audio" {
		t.Fatalf("the offer announced %+v", added.RemoteTrack.Info())
	}

	must(t, b.SetLocalDescription("rollback", ""))
	if e := rb.waitFor(t, 5*time.Second, ofType(EventTrackEnded)); e.RemoteTrack != added.RemoteTrack {
		t.Fatal("another track ended")
	}
	if e := rb.waitN(t, 5*time.Second, ofType(EventTrackUnmute), 2)[1]; e.RemoteTrack != remote || remote.Muted() {
		t.Fatalf("unmute of %p, want %p (muted %v)", e.RemoteTrack, remote, remote.Muted())
	}
	if n := len(b.transceiverList()); n != 1 || !added.Transceiver.Info().Removed || remote.transceiver.Info().Removed {
		t.Fatalf("%d transceivers after the rollback, want 1 (the one the offer made removed)", n)
	}
}

// TestRollbackOfARemoteOfferForgetsItsCodecs: after a rollback (webrtc-pc
// 4.4.1.6 step 9) the next offer is answered as if the rolled-back one had
// never come, so a section whose only codec the answerer does not know is
// rejected, as it is on a fresh peer.
func TestRollbackOfARemoteOfferForgetsItsCodecs(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	_, err := a.CreateDataChannel("transport", DataChannelInit{}) // the section that carries ICE
	must(t, err)
	tr, err := a.AddTransceiver("audio", nil, TransceiverInit{Direction: "sendonly"})
	must(t, err)
	must(t, tr.SetCodecPreferences([]CodecPreference{{MimeType: "audio/opus"}}))
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	must(t, b.SetRemoteDescription("offer", offer))
	must(t, b.SetLocalDescription("rollback", ""))

	must(t, b.SetRemoteDescription("offer", strings.ReplaceAll(offer, "opus/48000", "xpus/48000")))
	answer, err := b.CreateAnswer()
	must(t, err)
	if !strings.Contains(answer, "m=audio 0 ") {
		t.Fatalf("the answer takes a codec the offer does not have:\n%s", answer)
	}
}
