package core

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/pion/rtp"
)

func TestSimulcastLayersArriveAsTracks(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { must(t, a.Close()); must(t, b.Close()) }()
	track, err := NewLocalTrack(TrackInit{Codec: "vp8", RIDs: []string{"q", "h", "f"}})
	must(t, err)
	_, err = a.AddTransceiver("video", track, TransceiverInit{
		Direction:     "sendonly",
		SendEncodings: []Encoding{{RID: "q"}, {RID: "h"}, {RID: "f"}},
	})
	must(t, err)
	connect(t, a, b, ra, rb)
	go func() {
		for i := range 100 {
			for _, rid := range []string{"q", "h", "f"} {
				_ = track.WriteSample(rid, vp8Frame(i, 500), 33*time.Millisecond)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for rb.count(ofType(EventTrack)) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	rids := map[string]bool{}
	rb.mu.Lock()
	for _, e := range rb.events {
		if e.Type == EventTrack {
			rids[e.RID] = true
		}
	}
	rb.mu.Unlock()
	if len(rids) != 3 || !rids["q"] || !rids["h"] || !rids["f"] {
		t.Fatalf("layers received: %v", rids)
	}
}

// headerLog is a bound writer that keeps the headers written to it.
type headerLog struct{ headers []rtp.Header }

func (h *headerLog) WriteRTP(header *rtp.Header, _ []byte) (int, error) {
	h.headers = append(h.headers, header.Clone())

	return 0, nil
}

func (*headerLog) Write([]byte) (int, error) { return 0, nil }

func TestSenderMovesAForwardedDependencyDescriptorToItsNegotiatedID(t *testing.T) {
	short, long := []byte{0x80, 0x00, 0x01}, make([]byte, 33)
	for _, tt := range []struct {
		name      string
		ddID      uint8
		payload   []byte
		profile   uint16
		forwarded bool // the track is a forwarder's subscriber; else the application wrote the packet
	}{
		{"one-byte id", 7, short, rtp.ExtensionProfileOneByte, true},
		{"two-byte id", 200, short, rtp.ExtensionProfileTwoByte, true},
		{"structure longer than one-byte form", 7, long, rtp.ExtensionProfileTwoByte, true},
		{"not negotiated", 0, short, 0, true},
		{"negotiated under the forwarder's id", forwardedDDID, short, rtp.ExtensionProfileOneByte, true},
		// An application relaying a browser's packets keeps the browser's
		// id 14 (whatever it means there): it is not a descriptor.
		{"an application's own extension", 7, short, rtp.ExtensionProfileOneByte, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := &headerLog{}
			local := &LocalTrack{}
			if tt.forwarded {
				local.forwarded.Store(&Forwarder{})
			}
			w := &sendWriter{TrackLocalWriter: out, ddID: tt.ddID, local: local}
			h := rtp.Header{Version: 2}
			if tt.profile != 0 || tt.ddID == 0 {
				h.ExtensionProfile = rtp.ExtensionProfileOneByte
				if len(tt.payload) > 16 {
					h.ExtensionProfile = rtp.ExtensionProfileTwoByte
				}
				h.Extension = true
			}
			must(t, h.SetExtension(forwardedDDID, tt.payload))
			if _, err := w.WriteRTP(&h, nil); err != nil {
				t.Fatal(err)
			}
			got := out.headers[0]
			id := uint8(forwardedDDID)
			want := []uint8{id}
			switch {
			case !tt.forwarded:
			case tt.ddID == 0:
				want, id = []uint8{}, 0
			default:
				want, id = []uint8{tt.ddID}, tt.ddID
			}
			if ids := got.GetExtensionIDs(); !slices.Equal(append([]uint8{}, ids...), want) {
				t.Fatalf("extension ids %v, want %v", ids, want)
			}
			if id != 0 && (!bytes.Equal(got.GetExtension(id), tt.payload) || got.ExtensionProfile != tt.profile) {
				t.Fatalf("descriptor %x in profile %x, want %x in %x", got.GetExtension(id), got.ExtensionProfile, tt.payload, tt.profile)
			}
		})
	}
}
