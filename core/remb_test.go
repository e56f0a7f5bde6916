package core

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/rtcp"
)

// rembPair connects a, which sends two video tracks and one audio track
// with the given interceptors, to b, and returns b's remote tracks by id.
type rembPair struct {
	a, b     *PeerConnection
	ra, rb   *recorder
	offer    string
	sending  map[string]*Transceiver
	received map[string]*RemoteTrack
}

func newREMBPair(t *testing.T, interceptors string) *rembPair {
	t.Helper()
	config := `{"omnirtc":{"includeLoopback":true,"mdns":"disabled","interceptors":` + interceptors + `}}`
	m := &rembPair{ra: newRecorder(), rb: newRecorder(), sending: map[string]*Transceiver{}, received: map[string]*RemoteTrack{}}
	m.a, m.b = newPeer(t, config, m.ra), newPeer(t, config, m.rb)
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); must(t, m.a.Close()); must(t, m.b.Close()) })
	var tracks []*LocalTrack
	for _, id := range []string{"cam", "screen", "mic"} {
		codec := "vp8"
		if id == "mic" {
			codec = "opus"
		}
		track, err := NewLocalTrack(TrackInit{Codec: codec, ID: id})
		must(t, err)
		m.sending[id], err = m.a.AddTrack(track)
		must(t, err)
		tracks = append(tracks, track)
	}
	offer, err := m.a.CreateOffer(OfferOptions{})
	must(t, err)
	m.offer = offer
	connect(t, m.a, m.b, m.ra, m.rb)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			for _, track := range tracks {
				_ = track.WriteSample("", vp8Frame(i, 200), 20*time.Millisecond)
			}
		}
	}()
	for len(m.received) < len(tracks) {
		e := m.rb.waitFor(t, 10*time.Second, func(e *Event) bool {
			return e.Type == EventTrack && m.received[e.RemoteTrack.Info().ID] == nil
		})
		m.received[e.RemoteTrack.Info().ID] = e.RemoteTrack
	}
	m.rb.waitN(t, 10*time.Second, ofType(EventTrackUnmute), len(tracks)) // REMB needs the received SSRC

	return m
}

func rembTarget(bitrate int64) func(*Event) bool {
	return func(e *Event) bool {
		return e.Type == EventTargetBitrate && e.BitrateSource == BitrateSourceREMB && e.BitsPerSecond == bitrate
	}
}

func TestREMBFromTheReceiverIsTheSendersTargetBitrate(t *testing.T) {
	m := newREMBPair(t, `["nack","rtcpReports","remb"]`)
	if !strings.Contains(m.offer, " goog-remb\r\n") {
		t.Fatalf("the offer lacks goog-remb:\n%s", m.offer)
	}
	cam := m.received["cam"]
	// 500000 = 250000 * 2: exact in REMB's 18-bit mantissa.
	must(t, cam.RequestBitrate(500_000))
	e := m.ra.waitFor(t, 10*time.Second, rembTarget(500_000))
	var target BitrateTarget
	must(t, json.Unmarshal([]byte(e.Streams), &target))
	mid := m.sending["cam"].t.Mid()
	if target.Source != "remb" || !slices.Equal(target.SSRCs, []uint32{cam.Info().SSRC}) || !slices.Equal(target.Mids, []string{mid}) {
		t.Fatalf("target %+v, want remb for ssrc %d, mid %s", target, cam.Info().SSRC, mid)
	}
	// 1234567 is sent as 154320 * 2^3.
	must(t, cam.RequestBitrate(1_234_567))
	m.ra.waitFor(t, 10*time.Second, rembTarget(1_234_560))

	// One REMB for both video streams is one event, naming both, however
	// many RTCP readers it reaches.
	screen := m.received["screen"]
	both := []uint32{cam.Info().SSRC, screen.Info().SSRC}
	for _, bitrate := range []float32{800_000, 600_000} {
		must(t, m.b.pc.WriteRTCP([]rtcp.Packet{&rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: bitrate, SSRCs: both}}))
	}
	e = m.ra.waitFor(t, 10*time.Second, rembTarget(600_000))
	must(t, json.Unmarshal([]byte(e.Streams), &target))
	if want := []string{mid, m.sending["screen"].t.Mid()}; !slices.Equal(target.Mids, want) || !slices.Equal(target.SSRCs, both) {
		t.Fatalf("target %+v, want mids %v", target, want)
	}
	if n := m.ra.count(rembTarget(800_000)); n != 1 {
		t.Fatalf("%d events for one REMB", n)
	}

	for _, bad := range []int64{0, -1} {
		if err := cam.RequestBitrate(bad); !errors.Is(err, rtcerr.ErrInvalidArgument) {
			t.Fatalf("bitrate %d: %v", bad, err)
		}
	}
	if err := m.received["mic"].RequestBitrate(64_000); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("REMB for an audio track: %v", err)
	}
	must(t, m.b.Close())
	if err := cam.RequestBitrate(500_000); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("REMB on a closed peer: %v", err)
	}
}

func TestWithoutREMBNothingNegotiatesIt(t *testing.T) {
	m := newREMBPair(t, `["nack","rtcpReports"]`)
	if strings.Contains(m.offer, "goog-remb") {
		t.Fatalf("the offer has goog-remb without the remb interceptor:\n%s", m.offer)
	}
	err := m.received["cam"].RequestBitrate(500_000)
	if !errors.Is(err, rtcerr.ErrInvalidState) || !strings.Contains(err.Error(), `"remb"`) {
		t.Fatalf("REMB that was not negotiated: %v", err)
	}
	// A REMB the remote sends anyway is not an event.
	ssrc := m.received["cam"].Info().SSRC
	must(t, m.b.pc.WriteRTCP([]rtcp.Packet{&rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: 700_000, SSRCs: []uint32{ssrc}}}))
	must(t, m.received["cam"].RequestKeyframe(false))
	m.ra.waitFor(t, 10*time.Second, ofType(EventKeyframeRequest))
	if n := m.ra.count(ofType(EventTargetBitrate)); n != 0 {
		t.Fatalf("%d target-bitrate events without remb", n)
	}
}

func TestREMBEstimatorSendsTheReceiversOwnREMB(t *testing.T) {
	m := newREMBPair(t, `["rembEstimator"]`)
	want := []uint32{m.received["cam"].Info().SSRC, m.received["screen"].Info().SSRC}
	slices.Sort(want)
	// The first estimate may come before the second stream's first packet.
	var target BitrateTarget
	e := m.ra.waitFor(t, 10*time.Second, func(e *Event) bool {
		return e.Type == EventTargetBitrate && e.BitrateSource == BitrateSourceREMB &&
			json.Unmarshal([]byte(e.Streams), &target) == nil && slices.Equal(target.SSRCs, want)
	})
	mids := []string{m.sending["cam"].t.Mid(), m.sending["screen"].t.Mid()}
	if e.BitsPerSecond <= 0 || target.Source != "remb" || len(target.Mids) != 2 || !slices.Contains(target.Mids, mids[0]) ||
		!slices.Contains(target.Mids, mids[1]) {
		t.Fatalf("estimate %d for %+v, want both video streams %v (mids %v)", e.BitsPerSecond, target, want, mids)
	}
}
