package core

import (
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/svc"
	"github.com/pion/rtp"
)

// layeredPair connects a sender of raw RTP of codec to a receiver in
// receive mode "rtp".
type layeredPair struct {
	a, b  *PeerConnection
	rb    *recorder
	tr    *Transceiver
	track *LocalTrack
}

func openLayeredPair(t *testing.T, codec string) *layeredPair {
	t.Helper()
	config := `{"omnirtc":{"includeLoopback":true,"mdns":"disabled","interceptors":[]}}`
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, config, ra), newPeer(t, config, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	track, err := NewLocalTrack(TrackInit{Codec: codec, ID: "cam", Mode: "rtp"})
	must(t, err)
	tr, err := a.AddTrack(track)
	must(t, err)
	connect(t, a, b, ra, rb)
	rb.waitFor(t, 10*time.Second, ofType(EventTrack)).RemoteTrack.SetReceiveOptions(ReceiveOptions{Mode: "rtp"})

	return &layeredPair{a: a, b: b, rb: rb, tr: tr, track: track}
}

// send writes one packet per payload, numbered from 1, with extension ext
// (id 0: none) on each.
func (p *layeredPair) send(t *testing.T, payloads [][]byte, ext func(i int) (uint8, []byte)) {
	t.Helper()
	for i, payload := range payloads {
		pkt := rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: uint16(i + 1), Timestamp: uint32(i/3) * 3000}, Payload: payload}
		if id, data := ext(i); id != 0 {
			must(t, pkt.SetExtension(id, data))
		}
		b, err := pkt.Marshal()
		must(t, err)
		must(t, p.track.WriteRTP("", b))
	}
}

// layers waits for the packets numbered 1..n and returns their layers by
// number, with whether each described one.
func (p *layeredPair) layers(t *testing.T, n int) map[int]Event {
	t.Helper()
	events := p.rb.waitN(t, 10*time.Second, ofType(EventTrackRTP), n)
	got := map[int]Event{}
	for _, e := range events {
		got[int(e.Data[2])<<8|int(e.Data[3])] = *e
	}

	return got
}

// vp9Packet is a non-flexible VP9 payload of one layer frame: keyframe
// pictures (P=0) at temporal id 0, upper spatial layers predicted from the
// one below (D=1).
func vp9Packet(picture, spatial, temporal int, inter bool) []byte {
	flags := byte(0xac) // I L B E
	if inter {
		flags |= 0x40
	}
	d := byte(0)
	if spatial > 0 {
		d = 1
	}

	return []byte{flags, byte(picture), byte(temporal<<5|spatial<<1) | d, 0, 0x82}
}

func TestReceivedVP9PacketsTellTheirLayers(t *testing.T) {
	p := openLayeredPair(t, "vp9")
	temporal := []int{0, 2, 1, 2} // L3T3's pattern
	var payloads [][]byte
	var want []svc.Layer
	for picture := range 8 {
		for spatial := range 3 {
			tid := temporal[picture%4]
			payloads = append(payloads, vp9Packet(picture, spatial, tid, picture > 0))
			want = append(want, svc.Layer{
				SpatialID: spatial, TemporalID: tid, FrameNumber: picture, StartOfFrame: true, EndOfFrame: true,
				Keyframe: picture == 0 && spatial == 0, SwitchPoint: picture == 0,
			})
		}
	}
	p.send(t, payloads, func(int) (uint8, []byte) { return 0, nil })
	got := p.layers(t, len(payloads))
	for i, w := range want {
		e, ok := got[i+1]
		if !ok || !e.LayerDescribed || e.Layer != w {
			t.Errorf("packet %d: layer %+v (described %v), want %+v", i+1, e.Layer, e.LayerDescribed, w)
		}
	}
}

func TestReceivedAV1PacketsTellTheirLayersFromTheDependencyDescriptor(t *testing.T) {
	p := openLayeredPair(t, "av1")
	var id uint8
	for _, e := range p.tr.t.Sender().GetParameters().HeaderExtensions {
		if e.URI == svc.DependencyDescriptorURI {
			id = uint8(e.ID) //nolint:gosec // G115: header extension ids are 1..255 (RFC 8285)
		}
	}
	if id == 0 {
		t.Fatal("the dependency descriptor extension was not negotiated")
	}
	descriptors := [][]byte{
		// L1T2 keyframe with its structure (templates from 6), then T1 and T0
		// deltas that refer to it, then a packet without the extension.
		{0x86, 0x00, 0xb5, 0x80, 0xc1, 0x1e, 0xa8, 0x51, 0x41, 0x01, 0x0c, 0x09, 0xfc, 0x07, 0x7c},
		{0xc8, 0x00, 0xb6},
		{0xc7, 0x00, 0xb7},
		nil,
	}
	payloads := make([][]byte, len(descriptors))
	for i := range payloads {
		payloads[i] = []byte{0x10, byte(i)}
	}
	p.send(t, payloads, func(i int) (uint8, []byte) {
		if descriptors[i] == nil {
			return 0, nil
		}

		return id, descriptors[i]
	})
	got := p.layers(t, len(payloads))
	want := []svc.Layer{
		{SpatialID: 0, TemporalID: 0, FrameNumber: 0xb5, StartOfFrame: true, Keyframe: true, SwitchPoint: true},
		{SpatialID: 0, TemporalID: 1, FrameNumber: 0xb6, StartOfFrame: true, EndOfFrame: true},
		{SpatialID: 0, TemporalID: 0, FrameNumber: 0xb7, StartOfFrame: true, EndOfFrame: true, SwitchPoint: true},
	}
	for i, w := range want {
		if e := got[i+1]; !e.LayerDescribed || e.Layer != w {
			t.Errorf("packet %d: layer %+v (described %v), want %+v", i+1, e.Layer, e.LayerDescribed, w)
		}
	}
	if e := got[4]; e.LayerDescribed || e.Layer.SpatialID != -1 || e.Layer.TemporalID != -1 {
		t.Errorf("packet without the extension: layer %+v (described %v), want none", e.Layer, e.LayerDescribed)
	}
}
