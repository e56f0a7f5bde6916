package core

import (
	"testing"
	"time"
)

// The receiver reads the sender's FlexFEC repair stream: its inbound-rtp
// counts the repair packets (pion's encoder sends 2 per 5 media packets).
// The pion/webrtc release never reads that stream, so the count stayed 0.
// On this loss-free path every repair finds its packets there: discarded,
// nothing recovered (recovery itself: core/fec, and the C relay test).
func TestFlexFECRepairStreamReachesTheDecoder(t *testing.T) {
	p := openRTPPair(t, `{"omnirtc":{"includeLoopback":true,"mdns":"disabled","interceptors":["stats","flexfec"]}}`, "rtp")
	defer p.closer()
	offsets := make([]int, 20)
	for i := range offsets {
		offsets[i] = i
	}
	p.send(t, offsets...)
	p.waitForOffset(t, 19)
	deadline := time.Now().Add(10 * time.Second)
	for {
		in := p.inbound(t)
		if in["fecPacketsReceived"] == 8.0 {
			if in["fecPacketsDiscarded"] != 8.0 || in["fecPacketsRecovered"] != 0.0 || in["fecBytesReceived"] == 0.0 {
				t.Fatalf("inbound-rtp %v", in)
			}

			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("inbound-rtp %v: want 8 FEC packets received", in)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
