package forward

import (
	"testing"

	"github.com/pion/rtp"
)

// svcPacket is one packet of a synthetic SVC stream as a subscriber
// received it: the layers and picture the generator wrote in its body.
type svcPacket struct {
	p                 *rtp.Packet
	spatial, temporal int
	picture           int
	key               bool // a packet of a keyframe picture
	end               bool // the last packet of its layer frame
	upSwitch          bool // VP9: the U bit
}

// svcScript is a subscriber's layer changes, before the pictures given.
type svcScript []struct {
	picture int
	layer   Layer
}

// target is the layer the script asks for at picture.
func (s svcScript) target(picture int) Layer {
	var l Layer
	for _, st := range s {
		if st.picture <= picture {
			l = st.layer
		}
	}

	return l
}

// replaySVC pushes a synthetic SVC stream through f, changing subs'
// layers before each picture as their scripts say.
func replaySVC(t *testing.T, f *Forwarder, src Source, stream []*rtp.Packet, picture func(*rtp.Packet) int,
	subs []*Subscriber, scripts []svcScript,
) {
	t.Helper()
	last := -1
	for _, p := range stream {
		if n := picture(p); n != last {
			last = n
			for i, s := range subs {
				for _, st := range scripts[i][1:] {
					if st.picture == n {
						s.SetLayer(st.layer)
					}
				}
			}
		}
		raw, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		f.Push(src, raw)
	}
}

// checkSVC checks one subscriber's stream: one SSRC, sequence numbers
// without gaps, one timestamp per picture rising, layers within what the
// script asks, each picture's layers from 0 up to its top with the marker
// on the top layer's last packet, and the top spatial layer rising only at
// a keyframe. It returns each picture's top spatial layer where it changed
// (picture, top).
func checkSVC(t *testing.T, name string, got []svcPacket, script svcScript) [][2]int {
	t.Helper()
	if len(got) == 0 {
		t.Fatalf("%s: nothing forwarded", name)
	}
	var tops [][2]int
	top, expect := -1, 0
	for i, g := range got {
		newPicture := i == 0 || g.picture != got[i-1].picture
		if i > 0 {
			checkSVCOrder(t, name, got[i-1], g, newPicture)
		}
		if newPicture {
			expect = 0
		}
		if g.spatial != expect {
			t.Fatalf("%s: picture %d: layer S%d where S%d was due", name, g.picture, g.spatial, expect)
		}
		expect = g.spatial
		if g.end {
			expect++
		}
		l := script.target(g.picture)
		if g.spatial > l.maxSpatial() || g.temporal > l.maxTemporal() {
			t.Fatalf("%s: picture %d: layer S%dT%d above the S%dT%d asked", name, g.picture, g.spatial, g.temporal, l.Spatial, l.Temporal)
		}
		last := i == len(got)-1 || got[i+1].picture != g.picture
		if g.p.Marker != last {
			t.Fatalf("%s: picture %d: marker %v on a packet of S%d, the picture's last: %v", name, g.picture, g.p.Marker, g.spatial, last)
		}
		if last && g.spatial != top {
			if g.spatial > top && top >= 0 && !g.key {
				t.Fatalf("%s: spatial layer up to S%d at picture %d, not a keyframe", name, g.spatial, g.picture)
			}
			top = g.spatial
			tops = append(tops, [2]int{g.picture, top})
		}
	}

	return tops
}

// checkSVCOrder checks g after prev: the same SSRC, the next sequence
// number, the same timestamp within a picture and a later one for the next,
// which starts only after the end of a layer frame.
func checkSVCOrder(t *testing.T, name string, prev, g svcPacket, newPicture bool) {
	t.Helper()
	if g.p.SSRC != prev.p.SSRC || g.p.SequenceNumber != prev.p.SequenceNumber+1 {
		t.Fatalf("%s: picture %d: SSRC %x seq %d after SSRC %x seq %d", name, g.picture, g.p.SSRC, g.p.SequenceNumber, prev.p.SSRC, prev.p.SequenceNumber)
	}
	if newPicture == (g.p.Timestamp == prev.p.Timestamp) || newPicture && int32(g.p.Timestamp-prev.p.Timestamp) <= 0 { //nolint:gosec // G115: serial-number distance
		t.Fatalf("%s: picture %d: timestamp %d after %d (picture %d)", name, g.picture, g.p.Timestamp, prev.p.Timestamp, prev.picture)
	}
	if newPicture && !prev.end {
		t.Fatalf("%s: picture %d ended within its layer S%d", name, prev.picture, prev.spatial)
	}
}
