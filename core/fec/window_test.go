package fec

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/pion/interceptor/pkg/flexfec"
	"github.com/pion/rtp"
)

const mediaSSRC = 0x1234_5678

// mediaPackets are n packets from seq on, of varied size and shape (marker,
// CSRCs, a header extension, padding), as pion sends them.
func mediaPackets(t *testing.T, seq uint16, n int) ([]rtp.Packet, [][]byte) {
	t.Helper()
	packets := make([]rtp.Packet, n)
	raw := make([][]byte, n)
	for i := range packets {
		p := rtp.Packet{
			Header: rtp.Header{
				Version: 2, Marker: i%4 == 3, PayloadType: 96 + uint8(i%3), //nolint:gosec // small
				SequenceNumber: seq + uint16(i), Timestamp: 90_000 + uint32(i/4)*3000, SSRC: mediaSSRC, //nolint:gosec // small
			},
			Payload: bytes.Repeat([]byte{byte(i), byte(i * 7)}, 20+(i*37)%400),
		}
		if i%5 == 1 {
			p.CSRC = []uint32{7, uint32(i)} //nolint:gosec // small
		}
		if i%3 == 0 {
			if err := p.SetExtension(3, []byte{byte(i), 1, 2}); err != nil {
				t.Fatal(err)
			}
		}
		if i%7 == 2 {
			p.Padding, p.PaddingSize = true, 4
		}
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		packets[i], raw[i] = p, b
	}

	return packets, raw
}

// repairs encodes numFEC repair packets over media with pion's encoder,
// which protects packet i with repair i % numFEC.
func repairs(t *testing.T, media []rtp.Packet, numFEC int) [][]byte {
	t.Helper()
	enc := flexfec.NewFlexEncoder03(118, 0xfec)
	out := [][]byte{}
	for _, r := range enc.EncodeFec(media, uint32(numFEC)) { //nolint:gosec // small
		b, err := r.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	if len(out) != numFEC {
		t.Fatalf("encoder made %d repairs, want %d", len(out), numFEC)
	}

	return out
}

// deliver feeds a window the packets not lost, then the repairs, then one
// later packet (so a loss at the end counts as lost), and returns what the
// window rebuilt.
func deliver(w *Window, raw, fec [][]byte, lost map[int]bool, later []byte) [][]byte {
	var got [][]byte
	for i, p := range raw {
		if !lost[i] {
			got = append(got, w.AddMedia(p)...)
		}
	}
	for _, r := range fec {
		got = append(got, w.AddRepair(r)...)
	}

	return append(got, w.AddMedia(later)...)
}

func checkRebuilt(t *testing.T, got, raw [][]byte, lost map[int]bool, want int) {
	t.Helper()
	if len(got) != want {
		t.Fatalf("lost %v: rebuilt %d packets, want %d", lost, len(got), want)
	}
	for _, g := range got {
		i := int(binary.BigEndian.Uint16(g[2:4]) - binary.BigEndian.Uint16(raw[0][2:4]))
		if !lost[i] || !bytes.Equal(g, raw[i]) {
			t.Fatalf("lost %v: rebuilt packet %d differs from the one sent", lost, i)
		}
	}
}

// Every single loss and every pair of losses, over masks of each length
// (1, 2 and 3 mask words) and across the sequence number wrap: a packet is
// rebuilt byte for byte exactly when a repair lacks only it.
func TestEverySingleAndPairLoss(t *testing.T) {
	for _, c := range []struct{ media, fec int }{{5, 2}, {15, 1}, {16, 3}, {46, 2}, {47, 5}, {109, 1}, {109, 4}} {
		for _, base := range []uint16{1000, 65535 - uint16(c.media/2)} { //nolint:gosec // small
			t.Run(fmt.Sprintf("%d+%d@%d", c.media, c.fec, base), func(t *testing.T) {
				media, raw := mediaPackets(t, base, c.media+1)
				later := raw[c.media]
				raw, media = raw[:c.media], media[:c.media]
				fec := repairs(t, media, c.fec)
				for i := range raw {
					lost := map[int]bool{i: true}
					checkRebuilt(t, deliver(NewWindow(mediaSSRC), raw, fec, lost, later), raw, lost, 1)
					for j := i + 1; j < len(raw); j++ {
						lost := map[int]bool{i: true, j: true}
						want := 2
						if i%c.fec == j%c.fec { // one repair covers both, none either
							want = 0
						}
						checkRebuilt(t, deliver(NewWindow(mediaSSRC), raw, fec, lost, later), raw, lost, want)
					}
				}
			})
		}
	}
}

// A packet missing behind its repair is not rebuilt until a later one
// arrives: until then it may only be late.
func TestPacketIsLostOnlyOnceALaterOneArrived(t *testing.T) {
	media, raw := mediaPackets(t, 65530, 6)
	fec := repairs(t, media[:5], 1)
	w := NewWindow(mediaSSRC)
	for _, p := range raw[:4] {
		w.AddMedia(p)
	}
	if got := w.AddRepair(fec[0]); len(got) != 0 {
		t.Fatalf("rebuilt %d packets before any later one arrived", len(got))
	}
	got := w.AddMedia(raw[5])
	checkRebuilt(t, got, raw, map[int]bool{4: true}, 1)
	if s := w.Stats(); s.PacketsReceived != 1 || s.PacketsRecovered != 1 || s.PacketsDiscarded != 0 || s.BytesReceived == 0 {
		t.Errorf("stats %+v", s)
	}
}

// A repair whose packets all arrived gives nothing and counts as
// discarded, as does one whose packets left the window.
func TestUnneededAndLateRepairsAreDiscarded(t *testing.T) {
	media, raw := mediaPackets(t, 100, 5)
	fec := repairs(t, media, 1)
	w := NewWindow(mediaSSRC)
	for _, p := range raw {
		w.AddMedia(p)
	}
	w.AddRepair(fec[0])
	_, later := mediaPackets(t, 100+WindowSize, 1)
	w.AddMedia(later[0])
	w.AddRepair(fec[0])
	if s := w.Stats(); s.PacketsReceived != 2 || s.PacketsDiscarded != 2 || s.PacketsRecovered != 0 {
		t.Errorf("stats %+v", s)
	}
}

// validRepair is a repair of packets 0-4 (pion's layout) for the mutations
// of TestMalformedRepairsAreDiscarded, with packet 2 lost.
func validRepair(t *testing.T) ([][]byte, []byte, []byte) {
	t.Helper()
	media, raw := mediaPackets(t, 200, 6)

	return raw[:5], repairs(t, media[:5], 1)[0], raw[5]
}

// mutation turns a valid repair into a malformed one: it zeroes bytes
// zero[0] to zero[1], XORs the bytes of flip, and keeps the first keep bytes
// (negative: all but the last -keep; zero: all).
type mutation struct {
	zero [2]int
	flip map[int]byte
	keep int
}

func (m mutation) apply(b []byte) []byte {
	clear(b[m.zero[0]:m.zero[1]])
	for i, x := range m.flip {
		b[i] ^= x
	}
	switch {
	case m.keep > 0:
		return b[:m.keep]
	case m.keep < 0:
		return b[:len(b)+m.keep]
	default:
		return b
	}
}

// Each malformed repair is discarded and counted, and rebuilds nothing.
func TestMalformedRepairsAreDiscarded(t *testing.T) {
	const h = 12 // the repair's own RTP header (pion's has no CSRC or extension)
	sent, _, _ := validRepair(t)
	rebuilt := uint16(len(sent[2])-12) ^ 8 //nolint:gosec // small; the lost packet's length becomes 8
	kinds := map[string]mutation{
		"shorter than an RTP header": {keep: 11},
		"not RTP version 2":          {flip: map[int]byte{0: 0xc0}},
		"extension past the end":     {flip: map[int]byte{0: 0x10}, keep: h + 2},
		"FEC header truncated":       {keep: h + 19},
		"retransmission bit":         {flip: map[int]byte{h: 0x80}},
		"fixed mask":                 {flip: map[int]byte{h: 0x40}},
		"no SSRC":                    {flip: map[int]byte{h + 8: 1}},
		"two SSRCs":                  {flip: map[int]byte{h + 8: 3}},
		"second mask truncated":      {flip: map[int]byte{h + 18: 0x80}, keep: h + 22},
		"third mask truncated":       {zero: [2]int{h + 20, h + 24}, flip: map[int]byte{h + 18: 0x80}, keep: h + 28},
		"last k bit clear":           {zero: [2]int{h + 20, h + 32}, flip: map[int]byte{h + 18: 0x80}},
		"empty mask":                 {zero: [2]int{h + 18, h + 20}, flip: map[int]byte{h + 18: 0x80}},
		"another SSRC":               {flip: map[int]byte{h + 12: 0x99}},
		"payload too short":          {keep: -40},
		"length past payload":        {flip: map[int]byte{h + 2: 0x40}},
		"rebuilds invalid RTP": { // 15 CSRCs in a packet of 8 bytes past its header
			flip: map[int]byte{h: 0x0f, h + 2: byte(rebuilt >> 8), h + 3: byte(rebuilt)},
		},
	}
	for name, m := range kinds {
		t.Run(name, func(t *testing.T) {
			raw, repair, later := validRepair(t)
			w := NewWindow(mediaSSRC)
			lost := map[int]bool{2: true}
			got := deliver(w, raw, [][]byte{m.apply(repair)}, lost, later)
			if len(got) != 0 {
				t.Fatalf("rebuilt %d packets", len(got))
			}
			if s := w.Stats(); s.PacketsReceived != 1 || s.PacketsDiscarded != 1 {
				t.Errorf("stats %+v, want it received and discarded", s)
			}
		})
	}
	// the unmutated repair does rebuild it
	raw, repair, later := validRepair(t)
	checkRebuilt(t, deliver(NewWindow(mediaSSRC), raw, [][]byte{repair}, map[int]bool{2: true}, later), raw, map[int]bool{2: true}, 1)
}

// Any repair bytes: no panic, a rebuilt packet is valid RTP of the stream,
// and no repair is counted discarded twice.
func FuzzAddRepair(f *testing.F) {
	t := &testing.T{}
	media, raw := mediaPackets(t, 65500, 60)
	for _, n := range []int{1, 3} {
		for _, r := range repairs(t, media, n) {
			f.Add(r)
		}
	}
	f.Fuzz(func(t *testing.T, repair []byte) {
		w := NewWindow(mediaSSRC)
		for i, p := range raw {
			if i%9 != 4 {
				w.AddMedia(p)
			}
		}
		for _, p := range w.AddRepair(repair) {
			var pkt rtp.Packet
			if err := pkt.Unmarshal(p); err != nil || pkt.SSRC != mediaSSRC {
				t.Fatalf("rebuilt %x: %v", p, err)
			}
		}
		if s := w.Stats(); s.PacketsDiscarded > s.PacketsReceived || s.PacketsRecovered > 60 {
			t.Fatalf("stats %+v", s)
		}
	})
}
