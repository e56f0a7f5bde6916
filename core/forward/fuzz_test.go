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
		fw.AddSubscriber(sinks[0], Layer{"q", AllTemporal})
		fw.AddSubscriber(sinks[1], Layer{"", 0})
		fw.AddSubscriber(sinks[2], Layer{"f", 1})
		rid := string(layers[int(layer)%len(layers)])
		fw.Push(rid, "video/VP8", packet)
		fw.Push(rid, "video/VP8", packet) // again: a duplicate
		for _, s := range sinks {
			for _, p := range s.packets {
				if _, err := p.Marshal(); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
