package forward

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) WriteRTP(*rtp.Packet) error { return nil }

// BenchmarkForwardPush measures the forwarder's CPU per packet and
// subscriber (ns/packet/subscriber): three simulcast layers pushed, each
// subscriber on the full layer by choice or chosen by its policy under a
// 10 Mb/s estimate.
func BenchmarkForwardPush(b *testing.B) {
	const frames = 300
	src := newSimulcastSource()
	var packets []captured
	for n := range frames {
		packets = append(packets, src.frame(b, n)...)
	}
	for _, auto := range []bool{false, true} {
		for _, subscribers := range []int{1, 10, 100} {
			b.Run(fmt.Sprintf("auto=%v/subscribers=%d", auto, subscribers), func(b *testing.B) {
				clock := &fakeClock{now: time.Unix(1000, 0)}
				f := newForwarder(src, clock.Now)
				for range subscribers {
					s := f.AddSubscriber(discard{}, Layer{"f", AllTemporal, 0})
					s.SetAuto(auto)
					s.SetEstimate(10_000_000)
				}
				pushed := 0
				b.ResetTimer()
				for pass := 0; pushed < b.N; pass++ {
					for i, c := range packets {
						if i%7 == 0 {
							clock.now = clock.now.Add(time.Second / 30)
						}
						f.Push(Source{RID: c.rid, MimeType: "video/VP8"}, c.packet)
						pushed++
					}
					b.StopTimer()
					nextPass(packets, frames)
					b.StartTimer()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pushed*subscribers), "ns/packet/subscriber")
			})
		}
	}
}

// nextPass renumbers packets, frames frames of simulcastSource, to follow
// on from themselves.
func nextPass(packets []captured, frames int) {
	perFrame := map[string]int{"q": 1, "h": 2, "f": 4}
	for _, c := range packets {
		seq := binary.BigEndian.Uint16(c.packet[2:])
		binary.BigEndian.PutUint16(c.packet[2:], seq+uint16(perFrame[c.rid]*frames))
		ts := binary.BigEndian.Uint32(c.packet[4:])
		binary.BigEndian.PutUint32(c.packet[4:], ts+uint32(3000*frames))
	}
}
