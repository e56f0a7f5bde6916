package core

import (
	"testing"
	"time"

	"github.com/pion/rtp"
)

// A frame behind a lost packet waits for a retransmission only when one can
// come. Without NACK it leaves once reorderDelay of newer media arrived: here
// 6 frames (200 ms of media) follow the loss, and before the wait depended
// on NACK they stayed in the sample builder until a second of media had
// passed, so every loss froze the video for a second.
func TestFramesBehindALossWaitOnlyForReorderingWithoutNACK(t *testing.T) {
	const noNACK = `{"omnirtc":{"includeLoopback":true,"mdns":"disabled","interceptors":["rtcpReports"]}}`
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, noNACK, ra), newPeer(t, noNACK, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	track, err := NewLocalTrack(TrackInit{Codec: "video/VP8", ID: "cam", StreamID: "s", Mode: "rtp"})
	must(t, err)
	_, err = a.AddTrack(track)
	must(t, err)
	connect(t, a, b, ra, rb)
	write := func(i int) {
		p := rtp.Packet{
			Header:  rtp.Header{Version: 2, SequenceNumber: uint16(1000 + i), Timestamp: uint32(3000 * i), Marker: true}, //nolint:gosec // G115: i < 9
			Payload: append([]byte{0x10}, vp8Frame(i, 100)...),                                                           // VP8 descriptor: start of partition 0
		}
		raw, err := p.Marshal()
		must(t, err)
		must(t, track.WriteRTP("", raw))
	}
	write(0)
	write(1) // a frame leaves the builder once the next one starts
	rb.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventTrackFrame && e.Keyframe })
	for i := 3; i <= 8; i++ { // frame 2 lost
		write(i)
	}
	rb.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventTrackFrame && e.Timestamp == 3000*3 })
}
