package forward

import (
	"strings"
	"testing"
	"time"
)

// FuzzForwardPush pushes arbitrary packets, on any of three layers, to
// subscribers of each kind of layer choice: nothing a sender puts in a
// packet may crash the forwarder or reach a subscriber unparsed.
func FuzzForwardPush(f *testing.F) {
	const layers = "qhf"
	for _, c := range makeCapture(f)[:40] {
		f.Add(byte(strings.Index(layers, c.rid)), c.packet) //nolint:gosec // G115: 0 to 2
	}
	f.Fuzz(func(t *testing.T, layer byte, packet []byte) {
		fw := newForwarder(&upstreamLog{}, time.Now)
		sinks := []*sinkLog{{}, {}, {}}
		fw.AddSubscriber(sinks[0], Layer{RID: "q", Temporal: AllTemporal})
		fw.AddSubscriber(sinks[1], Layer{RID: "", Temporal: 0})
		fw.AddSubscriber(sinks[2], Layer{RID: "f", Temporal: 1})
		rid := string(layers[int(layer)%len(layers)])
		fw.Push(Source{RID: rid, MimeType: "video/VP8"}, packet)
		fw.Push(Source{RID: rid, MimeType: "video/VP8"}, packet) // again: a duplicate
		for _, s := range sinks {
			for _, p := range s.packets {
				if _, err := p.Marshal(); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// FuzzForwardSVC pushes arbitrary packets into a VP9 and an AV1 stream
// (after the AV1 stream's keyframe, so descriptors without a structure
// have one to refer to), to subscribers of several spatial and temporal
// layers: no descriptor may crash the forwarder or make an unmarshalable
// packet.
func FuzzForwardSVC(f *testing.F) {
	vp9, av1 := makeVP9(f), makeAV1(f)
	for _, p := range append(vp9[:12], av1[:12]...) {
		raw, err := p.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	key, err := av1[0].Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, packet []byte) {
		for _, src := range []Source{{MimeType: "video/VP9"}, {MimeType: "video/AV1", DependencyDescriptorID: av1UpstreamID}} {
			fw := newForwarder(&upstreamLog{}, time.Now)
			sinks := []*ddSink{{id: 3}, {id: 200}, {}}
			fw.AddSubscriber(sinks[0], Layer{Temporal: AllTemporal, Spatial: AllSpatial})
			fw.AddSubscriber(sinks[1], Layer{Temporal: 1, Spatial: 1})
			fw.AddSubscriber(sinks[2], Layer{})
			fw.Push(src, key)
			fw.Push(src, packet)
			fw.Push(src, packet) // again: a duplicate
			for _, s := range sinks {
				for _, p := range s.packets {
					if _, err := p.Marshal(); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	})
}
