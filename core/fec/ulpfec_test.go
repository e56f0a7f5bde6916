package fec

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

const (
	testVideoRED = 121
	testULPFEC   = 122
	testVP8      = 96
)

var videoInfo = &interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "video/VP8", PayloadType: testVP8, SSRCRetransmission: 0x5678}

// ulpfecCodec is a RED codec with video RED, sending a ULPFEC packet per 3
// video packets.
func ulpfecCodec(t *testing.T) *REDInterceptor {
	t.Helper()
	r := newREDCodec(t)
	r.SetVideoPayloadTypes(func() (uint8, uint8, bool) { return testVideoRED, testULPFEC, true })
	r.SetULPFECGroup(3)

	return r
}

// videoFrame is packet k of a made-up stream: frames of three packets, the
// last with the marker, each frame's timestamp 3000 after the one before.
func videoFrame(k int) (rtp.Header, []byte) {
	h := rtp.Header{
		Version: 2, PayloadType: testVP8, SequenceNumber: 65530 + uint16(k), //nolint:gosec // small
		Timestamp: 3000 * uint32(k/3+1), SSRC: mediaSSRC, Marker: k%3 == 2, //nolint:gosec // small
	}

	return h, bytes.Repeat([]byte{byte(k)}, 20+7*k)
}

// sendVideo writes packets 0..n-1 through the codec's video sender and
// returns what it sent, marshaled, and the media packets as sent (their
// numbers on the wire), by the application's index.
func sendVideo(t *testing.T, r *REDInterceptor, n int) (wire [][]byte, media [][]byte) {
	t.Helper()
	c := &capture{}
	w := r.BindLocalStream(videoInfo, c)
	for k := range n {
		h, payload := videoFrame(k)
		if _, err := w.Write(&h, payload, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range c.packets {
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		wire = append(wire, b)
		_, primary, err := ParseRED(p.Payload)
		if err != nil || p.PayloadType != testVideoRED {
			t.Fatalf("not RED: %+v", p)
		}
		if primary.PayloadType == testVP8 {
			p.PayloadType, p.Payload = testVP8, primary.Payload
			m, _ := p.Marshal()
			media = append(media, m)
		}
	}

	return wire, media
}

// The sender's ULPFEC header is RFC 5109's, field by field: E and L clear,
// the XOR of the protected packets' P/X/CC, M/PT, timestamps and lengths
// past the fixed header, the first one's number, the longest as protection
// length, a 16-bit mask.
func TestULPFECHeaderIsRFC5109(t *testing.T) {
	a := []byte{0x80, 0x80 | testVP8, 0, 10, 0, 0, 0, 5, 0, 0, 0, 1, 1, 2, 3}
	b := []byte{0x80, testVP8, 0, 12, 0, 0, 0, 7, 0, 0, 0, 1, 4, 5}
	fec, err := AppendULPFEC(nil, [][]byte{a, b})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x00, 0x80, 0, 10, 0, 0, 0, 5 ^ 7, 0, 3 ^ 2, // E L P X CC, M PT, SN base, TS, length recovery
		0, 3, 0b1010_0000, 0, // protection length, mask: 10 and 12
		1 ^ 4, 2 ^ 5, 3,
	}
	if !bytes.Equal(fec, want) {
		t.Fatalf("ULPFEC % x, want % x", fec, want)
	}
	r, err := ParseULPFEC(fec, 1)
	if err != nil || !equalSeqs(r.Seqs, []uint16{10, 12}) {
		t.Fatalf("parsed %+v %v", r, err)
	}
	far := append([]byte(nil), b...)
	binary.BigEndian.PutUint16(far[2:], 10+40)
	if fec, err = AppendULPFEC(nil, [][]byte{a, far}); err != nil || fec[0]&0x40 == 0 || len(fec) != 10+8+3 {
		t.Fatalf("long mask % x %v", fec, err)
	}
	if r, err = ParseULPFEC(fec, 1); err != nil || !equalSeqs(r.Seqs, []uint16{10, 50}) {
		t.Fatalf("parsed long %+v %v", r, err)
	}
}

// readAll reads n packets from reader and returns them with whether each
// was recovered.
func readAll(t *testing.T, reader interceptor.RTPReader, n int) (packets [][]byte, recovered []bool) {
	t.Helper()
	buf := make([]byte, 1500)
	for range n {
		m, a, err := reader.Read(buf, interceptor.Attributes{})
		if err != nil {
			t.Fatal(err)
		}
		packets = append(packets, append([]byte(nil), buf[:m]...))
		recovered = append(recovered, Recovered(a))
	}

	return packets, recovered
}

// A frame's last packet (marker set, its own timestamp) lost on the way is
// rebuilt bit-exact from the ULPFEC packet sent after its frame, handed on
// as recovered before the packets that follow; the ULPFEC packet's own
// number is handed on as an empty packet, and the stats count it.
func TestULPFECRecoversALostPacket(t *testing.T) {
	wire, media := sendVideo(t, ulpfecCodec(t), 6)
	// Frames of 3, group 3: media 0 1 2, FEC, media 3 4 5, FEC.
	if len(wire) != 8 || len(media) != 6 {
		t.Fatalf("sent %d packets, %d media", len(wire), len(media))
	}
	arriving := [][]byte{wire[0], wire[1], wire[3], wire[4], wire[5], wire[6], wire[7]} // media 2 lost
	r := ulpfecCodec(t)
	reader := r.BindRemoteStream(videoInfo, &queueReader{packets: arriving})
	got, recovered := readAll(t, reader, 8)
	if !bytes.Equal(got[2], media[2]) || !recovered[2] {
		t.Fatalf("rebuilt % x (recovered %v), want % x", got[2], recovered[2], media[2])
	}
	var p rtp.Packet
	if err := p.Unmarshal(got[2]); err != nil || !p.Marker || p.Timestamp != 3000 || p.PayloadType != testVP8 {
		t.Fatalf("rebuilt header %+v %v", p.Header, err)
	}
	for k, at := range map[int]int{0: 0, 1: 1, 3: 4, 4: 5, 5: 6} {
		if !bytes.Equal(got[at], media[k]) || recovered[at] {
			t.Fatalf("read %d: % x, want media %d", at, got[at], k)
		}
	}
	if err := p.Unmarshal(got[3]); err != nil || len(p.Payload) != 0 || p.PayloadType != testVP8 || p.SequenceNumber != 65533 {
		t.Fatalf("the ULPFEC packet handed on as %+v %v", p, err)
	}
	s, ok := r.Stats(mediaSSRC)
	if !ok || s.PacketsReceived != 2 || s.PacketsRecovered != 1 || s.PacketsDiscarded != 1 || s.BytesReceived == 0 {
		t.Fatalf("stats %+v %v", s, ok) // the second FEC packet was not needed
	}
}

// Two packets lost in one group cannot be rebuilt: nothing is made up, and
// the ULPFEC packet counts as discarded once its packets leave the window.
func TestULPFECTwoLossesInAGroupAreNotRecovered(t *testing.T) {
	wire, _ := sendVideo(t, ulpfecCodec(t), 3)
	w := NewWindow(mediaSSRC)
	w.ulpfec = testULPFEC
	var out [][]byte
	for _, k := range []int{0, 3} { // media 1 and 2 lost
		out = append(out, w.AddRED(wire[k])...)
	}
	if len(out) != 2 || w.Stats().PacketsRecovered != 0 {
		t.Fatalf("handed on %d packets, stats %+v", len(out), w.Stats())
	}
	later := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: testVideoRED, SSRC: mediaSSRC}, Payload: []byte{testVP8, 1}}
	for k := range WindowSize {
		later.SequenceNumber = 65534 + uint16(k) //nolint:gosec // small
		b, _ := later.Marshal()
		w.AddRED(b)
	}
	if s := w.Stats(); s.PacketsReceived != 1 || s.PacketsDiscarded != 1 || s.PacketsRecovered != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// Until a receiver report the sender protects; a report without loss stops
// ULPFEC (RED goes on, numbered as before), one with loss starts it again.
// NACKs and RTX retransmissions are mapped between the application's numbers
// and those on the wire, where each ULPFEC packet took one.
func TestULPFECSenderFollowsLossAndMapsNumbers(t *testing.T) {
	r := ulpfecCodec(t)
	c := &capture{}
	w := r.BindLocalStream(videoInfo, c)
	report := func(fractionLost uint8) []byte {
		b, _ := (&rtcp.ReceiverReport{SSRC: 1, Reports: []rtcp.ReceptionReport{{SSRC: mediaSSRC, FractionLost: fractionLost}}}).Marshal()

		return b
	}
	nack, _ := (&rtcp.TransportLayerNack{MediaSSRC: mediaSSRC, Nacks: rtcp.NackPairsFromSequenceNumbers([]uint16{65532, 65533, 65534})}).Marshal()
	rtcpIn := r.BindRTCPReader(&queueReader{packets: [][]byte{report(0), report(26), nack}})
	write := func(from, to int) {
		for k := from; k < to; k++ {
			h, payload := videoFrame(k)
			if _, err := w.Write(&h, payload, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf := make([]byte, 1500)
	write(0, 3)
	must := func(_ int, _ interceptor.Attributes, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(rtcpIn.Read(buf, nil))
	write(3, 6)
	must(rtcpIn.Read(buf, nil))
	write(6, 9)
	var seqs []uint16
	fecs := 0
	for _, p := range c.packets {
		seqs = append(seqs, p.SequenceNumber)
		if _, primary, _ := ParseRED(p.Payload); primary.PayloadType == testULPFEC {
			fecs++
		}
	}
	// 0-2 and FEC; 3-5 unprotected; 6-8 and FEC.
	if want := []uint16{65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4}; fecs != 2 || !equalSeqs(seqs, want) {
		t.Fatalf("sent %v with %d ULPFEC packets", seqs, fecs)
	}
	n, a, err := rtcpIn.Read(buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	packets, err := a.GetRTCPPackets(buf[:n])
	if err != nil {
		t.Fatal(err)
	}
	got, _ := packets[0].(*rtcp.TransportLayerNack)
	var asked []uint16
	for _, pair := range got.Nacks {
		asked = append(asked, pair.PacketList()...)
	}
	if want := []uint16{65532, 65533}; !equalSeqs(asked, want) { // wire 65533 was ULPFEC
		t.Fatalf("NACK mapped to %v, want %v", asked, want)
	}
	c.packets = nil
	h := rtp.Header{Version: 2, PayloadType: 97, SequenceNumber: 7, SSRC: videoInfo.SSRCRetransmission}
	if _, err := w.Write(&h, []byte{0, 1, 9}, nil); err != nil { // RTX of application packet 1
		t.Fatal(err)
	}
	if p := c.packets[0]; !bytes.Equal(p.Payload, []byte{0, 2, 9}) {
		t.Fatalf("RTX payload % x, want the wire number 2", p.Payload)
	}
}

// FuzzParseULPFEC: any ULPFEC block parses or fails without panicking, and
// a window fed it in RED, after and before media, does too.
func FuzzParseULPFEC(f *testing.F) {
	fec, _ := AppendULPFEC(nil, [][]byte{{0x80, testVP8, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7}})
	f.Add(fec)
	f.Add([]byte{0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := ParseULPFEC(b, 1); err == nil && len(r.Seqs) == 0 {
			t.Fatal("parsed a mask with no packet")
		}
		w := NewWindow(1)
		w.ulpfec = testULPFEC
		media := []byte{0x80, testVideoRED, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, testVP8, 5}
		w.AddRED(media)
		w.AddRED(append([]byte{0x80, testVideoRED, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, testULPFEC}, b...))
		media[3] = 1
		w.AddRED(media)
	})
}
