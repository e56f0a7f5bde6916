package codec

import "testing"

// An OBU header and size field are the remote's to choose: a frame that ends
// inside one, or a size however large, must end the walk, not index past the
// frame (which panicked the reader goroutine: an extension flag on a one-byte
// frame everywhere, a size past 2^31 on 32-bit platforms, as a negative int).
func TestAV1HugeOBUSizeIsNotAKeyframe(t *testing.T) {
	for _, frame := range [][]byte{
		// a temporal delimiter OBU (type 2) with extension and size flags, cut after its header byte
		{0x16},
		// a temporal delimiter OBU (type 2, has size) of 2^32-20 bytes
		{0x12, 0xec, 0xff, 0xff, 0xff, 0x0f, 0x08, 0x00},
		// of 2^56-1 bytes, the largest leb128 reads
		{0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x08, 0x00},
	} {
		if IsKeyframe("video/AV1", frame) {
			t.Fatalf("% x: a keyframe", frame)
		}
	}
	// the walk still finds a sequence header after a well-sized OBU
	if !IsKeyframe("video/AV1", []byte{0x12, 0x00, 0x0a, 0x00}) {
		t.Fatal("a temporal delimiter then a sequence header is not a keyframe")
	}
}
