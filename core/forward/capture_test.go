package forward

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/pion/rtp"
)

var update = flag.Bool("update", false, "rewrite testdata/simulcast-vp8.cap from makeCapture")

const capturePath = "testdata/simulcast-vp8.cap"

// captured is one packet of the capture and the layer it came on.
type captured struct {
	rid    string
	packet []byte
}

// The capture's layers: rid, SSRC, packets per frame and the frames that
// are keyframes (each layer's at other frames, so switches must wait).
var captureLayers = []struct {
	rid       string
	ssrc      uint32
	packets   int
	keyframes []int
}{
	{"q", 0x1111, 1, []int{0, 30, 60}},
	{"h", 0x2222, 2, []int{0, 45}},
	{"f", 0x3333, 3, []int{0, 20, 70}},
}

const captureFrames = 90

// temporalPattern is L1T3's: TID of frame i is temporalPattern[i%4].
var temporalPattern = [4]int{0, 2, 1, 2}

// makeCapture records three VP8 simulcast layers with three temporal
// layers as a browser sends them: each layer with its own SSRC, sequence
// numbers, timestamps, picture ids and TL0PICIDX, frames interleaved in
// the order of capture. Each payload's body says its layer and frame.
func makeCapture(t testing.TB) []captured {
	t.Helper()
	var out []captured
	type state struct {
		seq uint16
		ts  uint32
		pic uint16
		tl0 uint8
	}
	states := []*state{{seq: 65500, ts: 4294960000, pic: 32700, tl0: 250}, {seq: 100, ts: 5000, pic: 7}, {seq: 30000, ts: 1 << 31, pic: 20000, tl0: 9}}
	for frame := range captureFrames {
		for li, l := range captureLayers {
			st := states[li]
			key := slices.Contains(l.keyframes, frame)
			tid := temporalPattern[frame%4]
			if key {
				tid = 0
			}
			if tid == 0 && frame > 0 {
				st.tl0++
			}
			sync := tid > 0 && frame%8 < 4 // the first TID 1 and 2 frames after every other TL0 frame
			for i := range l.packets {
				f := vp8Packet{
					seq: st.seq, ts: st.ts, ssrc: l.ssrc, marker: i == l.packets-1,
					pic: st.pic, tl0: st.tl0, tid: tid, sync: sync, start: i == 0, key: key,
					body: []byte{byte(li), byte(frame), byte(i)},
				}
				out = append(out, captured{rid: l.rid, packet: f.marshal(t, 0)})
				st.seq++
			}
			st.ts += 3000
			st.pic = (st.pic + 1) & 0x7fff
		}
	}

	return out
}

// vp8Packet is one packet of a VP8 layer with picture ids and temporal
// layers, body after the VP8 payload header.
type vp8Packet struct {
	seq              uint16
	ts, ssrc         uint32
	marker           bool
	pic              uint16
	tl0              uint8
	tid              int
	sync, start, key bool
	body             []byte
}

// marshal makes the RTP packet, its payload padded to size bytes.
func (v vp8Packet) marshal(t testing.TB, size int) []byte {
	t.Helper()
	x := byte(0x80 | 0x40 | 0x20) // I, L, T
	d := []byte{0x80, x, 0x80 | byte(v.pic>>8), byte(v.pic), v.tl0, byte(v.tid) << 6}
	if v.sync {
		d[5] |= 0x20
	}
	if v.start {
		d[0] |= 0x10 // S, partition 0
	}
	vp8 := byte(0x01) // P: interframe
	if v.key {
		vp8 = 0x00
	}
	d = append(append(d, vp8), v.body...)
	d = append(d, make([]byte, max(size-len(d), 0))...)
	p := rtp.Packet{Header: rtp.Header{
		Version: 2, PayloadType: 96, SequenceNumber: v.seq, Timestamp: v.ts, SSRC: v.ssrc, Marker: v.marker,
	}, Payload: d}
	raw, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}

	return raw
}

// seq is the packet's sequence number.
func (c captured) seq() uint16 { return binary.BigEndian.Uint16(c.packet[2:]) }

func encodeCapture(c []captured) []byte {
	var b bytes.Buffer
	for _, p := range c {
		b.WriteByte(byte(len(p.rid)))
		b.WriteString(p.rid)
		_ = binary.Write(&b, binary.BigEndian, uint16(len(p.packet))) //nolint:gosec // G115: packets are small
		b.Write(p.packet)
	}

	return b.Bytes()
}

func decodeCapture(t *testing.T, data []byte) []captured {
	t.Helper()
	var out []captured
	for len(data) > 0 {
		n := int(data[0])
		rid := string(data[1 : 1+n])
		size := int(binary.BigEndian.Uint16(data[1+n:]))
		out = append(out, captured{rid: rid, packet: data[3+n : 3+n+size]})
		data = data[3+n+size:]
	}

	return out
}

// loadCapture reads the checked-in capture, which must be what
// makeCapture records (go test -update rewrites it).
func loadCapture(t *testing.T) []captured {
	t.Helper()
	want := encodeCapture(makeCapture(t))
	if *update {
		if err := os.WriteFile(capturePath, want, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(capturePath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, want) {
		t.Fatalf("%s is not what makeCapture records; rewrite it with go test -update", capturePath)
	}

	return decodeCapture(t, data)
}
