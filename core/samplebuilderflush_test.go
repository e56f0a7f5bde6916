package core

import (
	"testing"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"
)

// A remote track that ends flushes its sample builder (RemoteTrack.run).
// When the frames still buffered span several packets, the release's Flush
// built the frame, released only its first packet, took the second for a
// headless frame of its own, stepped past the end of its buffer and walked
// the whole ring (65,536 slots, building frames of the stale packets in it)
// for seconds to minutes, so the track's ended event came late or never
// (Node's media.test.js, removeTrack, under load).
func TestSampleBuilderFlushReleasesWholeFrames(t *testing.T) {
	b := samplebuilder.New(defaultMaxLate, &codecs.VP8Packet{}, 90000, samplebuilder.WithMaxTimeDelay(defaultMaxDelay))
	frames := 0
	pop := func() {
		for s := b.Pop(); s != nil; s = b.Pop() {
			frames++
		}
	}
	// Frames of two packets each, popped as they arrive (as popFrames does),
	// the last one still buffered when the track ends.
	for i := range uint16(3) {
		b.Push(&rtp.Packet{Header: rtp.Header{SequenceNumber: 100 + 2*i, Timestamp: 3000 * uint32(i)}, Payload: []byte{0x10, 1}})
		pop()
		b.Push(&rtp.Packet{Header: rtp.Header{SequenceNumber: 101 + 2*i, Timestamp: 3000 * uint32(i), Marker: true}, Payload: []byte{0x00, 2}})
		pop()
	}
	b.Flush()
	pop()
	if frames != 3 {
		t.Fatalf("flushed %d frames, want 3", frames)
	}
	// The next frame counts no packet dropped: the flush dropped none.
	b.Push(&rtp.Packet{Header: rtp.Header{SequenceNumber: 106, Timestamp: 9000, Marker: true}, Payload: []byte{0x10, 3}})
	b.Push(&rtp.Packet{Header: rtp.Header{SequenceNumber: 107, Timestamp: 12000, Marker: true}, Payload: []byte{0x10, 4}})
	if s := b.Pop(); s == nil || s.PrevDroppedPackets != 0 {
		t.Fatalf("after the flush: %+v, want a frame with no packet dropped before it", s)
	}
}
