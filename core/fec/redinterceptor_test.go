package fec

import (
	"bytes"
	"testing"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

const (
	testRED  = 63
	testOpus = 111
)

// newREDCodec is a RED codec that knows no payload types yet.
func newREDCodec(t *testing.T) *REDInterceptor {
	t.Helper()
	i, err := NewREDInterceptorFactory(nil).NewInterceptor("")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := i.(*REDInterceptor)

	return r
}

func redCodec(t *testing.T) *REDInterceptor {
	t.Helper()
	r := newREDCodec(t)
	r.SetPayloadTypes(func() (uint8, uint8, bool) { return testRED, testOpus, true })

	return r
}

// opusPayload is the made-up Opus packet numbered i.
func opusPayload(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 10+i) }

// capture keeps what a local stream writes.
type capture struct{ packets []rtp.Packet }

func (c *capture) Write(h *rtp.Header, payload []byte, _ interceptor.Attributes) (int, error) {
	c.packets = append(c.packets, rtp.Packet{Header: *h, Payload: append([]byte(nil), payload...)})

	return len(payload), nil
}

// sendRED writes Opus packets 0..n-1 (20 ms apart) through the codec's
// sender and returns what it sent, marshaled.
func sendRED(t *testing.T, r *REDInterceptor, n int) [][]byte {
	t.Helper()
	c := &capture{}
	w := r.BindLocalStream(&interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "audio/opus"}, c)
	for i := range n {
		h := rtp.Header{Version: 2, PayloadType: testOpus, SequenceNumber: 65534 + uint16(i), Timestamp: uint32(960 * i), SSRC: mediaSSRC} //nolint:gosec // small
		if _, err := w.Write(&h, opusPayload(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	out := make([][]byte, len(c.packets))
	for i, p := range c.packets {
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}

	return out
}

// The sender wraps each Opus packet in RED with the one before it; the
// first has no redundancy.
func TestREDSenderRepeatsThePacketBefore(t *testing.T) {
	r := redCodec(t)
	sent := sendRED(t, r, 3)
	for i, b := range sent {
		var p rtp.Packet
		if err := p.Unmarshal(b); err != nil || p.PayloadType != testRED {
			t.Fatalf("packet %d: %v, payload type %d", i, err, p.PayloadType)
		}
		red, primary, err := ParseRED(p.Payload)
		if err != nil || primary.PayloadType != testOpus || !bytes.Equal(primary.Payload, opusPayload(i)) {
			t.Fatalf("packet %d: %v %+v", i, err, primary)
		}
		if want := min(i, REDDistance); len(red) != want {
			t.Fatalf("packet %d: %d redundant blocks, want %d", i, len(red), want)
		}
		if i > 0 && (red[0].TimestampOffset != 960 || !bytes.Equal(red[0].Payload, opusPayload(i-1))) {
			t.Fatalf("packet %d: block %+v", i, red[0])
		}
	}
	if s, ok := r.SentStats(mediaSSRC); !ok || s.PacketsSent != 2 || s.BytesSent != uint64(len(opusPayload(0))+len(opusPayload(1))) {
		t.Fatalf("sent stats %+v %v", s, ok)
	}
}

// A packet that cannot be a redundant block is left out: after a gap in
// sequence numbers (the receiver would number it wrong), 1024 bytes long,
// or 2^14 timestamp units before; the primary goes all the same.
func TestREDSenderLeavesOutWhatDoesNotFit(t *testing.T) {
	for name, prev := range map[string]struct {
		seq, ts uint16
		size    int
	}{
		"sequence gap": {seq: 98, ts: 960, size: 10},
		"1024 bytes":   {seq: 99, ts: 960, size: MaxREDBlockLength + 1},
		"offset 2^14":  {seq: 99, ts: MaxREDTimestampOffset + 1, size: 10},
	} {
		r := redCodec(t)
		c := &capture{}
		w := r.BindLocalStream(&interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "audio/opus"}, c)
		base := uint32(100_000)
		h := rtp.Header{Version: 2, PayloadType: testOpus, SequenceNumber: prev.seq, Timestamp: base}
		if _, err := w.Write(&h, make([]byte, prev.size), nil); err != nil {
			t.Fatal(err)
		}
		h = rtp.Header{Version: 2, PayloadType: testOpus, SequenceNumber: 100, Timestamp: base + uint32(prev.ts)}
		if _, err := w.Write(&h, []byte("now"), nil); err != nil {
			t.Fatal(err)
		}
		red, primary, err := ParseRED(c.packets[1].Payload)
		if err != nil || len(red) != 0 || string(primary.Payload) != "now" {
			t.Errorf("%s: %v, %d redundant blocks, primary %q", name, err, len(red), primary.Payload)
		}
	}
}

// Other payload types (telephone-event) and video (with no video RED
// negotiated) pass unwrapped.
func TestREDSenderWrapsOnlyItsEncoding(t *testing.T) {
	r := redCodec(t)
	c := &capture{}
	w := r.BindLocalStream(&interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "audio/opus"}, c)
	h := rtp.Header{Version: 2, PayloadType: 110, SequenceNumber: 1}
	if _, err := w.Write(&h, []byte{1, 2, 3, 4}, nil); err != nil || c.packets[0].PayloadType != 110 {
		t.Fatalf("%v %+v", err, c.packets)
	}
	v := r.BindLocalStream(&interceptor.StreamInfo{SSRC: 2, MimeType: "video/VP8", PayloadType: 96}, c)
	h = rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: 1, SSRC: 2, Marker: true}
	if _, err := v.Write(&h, []byte{1, 2, 3, 4}, nil); err != nil || len(c.packets) != 2 || c.packets[1].PayloadType != 96 {
		t.Fatalf("video stream wrapped: %v %+v", err, c.packets)
	}
}

// The receiver hands on each RED packet's primary as an Opus packet, and a
// packet lost on the way rebuilt from the next one's redundancy, before it,
// with its own sequence number and timestamp, marked recovered; when the
// lost packet arrives after all, it is not handed on twice.
func TestREDReceiverRebuildsALostPacket(t *testing.T) {
	sent := sendRED(t, redCodec(t), 6)
	late := sent[2]
	arriving := [][]byte{sent[0], sent[1], sent[3], late, sent[4], sent[5]} // 2 lost, then late
	r := redCodec(t)
	reader := r.BindRemoteStream(&interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "audio/opus"}, &queueReader{packets: arriving})
	buf := make([]byte, 1500)
	var seqs []uint16
	for range 6 {
		n, a, err := reader.Read(buf, interceptor.Attributes{})
		if err != nil {
			t.Fatal(err)
		}
		var p rtp.Packet
		if err := p.Unmarshal(buf[:n]); err != nil {
			t.Fatal(err)
		}
		i := int(p.SequenceNumber - 65534)
		if p.PayloadType != testOpus || p.Timestamp != uint32(960*i) || !bytes.Equal(p.Payload, opusPayload(i)) { //nolint:gosec // small
			t.Fatalf("packet %d: %+v", i, p)
		}
		if Recovered(a) != (i == 2) {
			t.Fatalf("packet %d recovered %v", i, Recovered(a))
		}
		seqs = append(seqs, p.SequenceNumber)
	}
	if want := []uint16{65534, 65535, 0, 1, 2, 3}; !equalSeqs(seqs, want) {
		t.Fatalf("read %v, want %v (the late original skipped)", seqs, want)
	}
	s, ok := r.Stats(mediaSSRC)
	if !ok || s.PacketsReceived != 5 || s.PacketsRecovered != 1 || s.PacketsDiscarded != 4 {
		t.Fatalf("stats %+v %v", s, ok) // sent[0] has no redundancy; of the 5 others only sent[3]'s served
	}
}

func equalSeqs(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}

	return true
}

// Without RED negotiated, nothing is unwrapped or counted.
func TestREDReceiverPassesOtherPackets(t *testing.T) {
	sent := sendRED(t, redCodec(t), 2)
	r := redCodec(t)
	r.SetPayloadTypes(func() (uint8, uint8, bool) { return 0, 0, false })
	reader := r.BindRemoteStream(&interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "audio/opus"}, &queueReader{packets: sent})
	buf := make([]byte, 1500)
	n, _, err := reader.Read(buf, nil)
	if err != nil || !bytes.Equal(buf[:n], sent[0]) {
		t.Fatalf("%v: % x", err, buf[:n])
	}
	if _, ok := r.Stats(mediaSSRC); ok {
		t.Fatal("stats without RED")
	}
}

// A sender may send some packets of a RED stream plain (Chromium does): such
// a packet is not rebuilt again from the next packet's redundancy, and a
// plain packet that was rebuilt already is not handed on twice.
func TestREDReceiverKnowsPlainPackets(t *testing.T) {
	sent := sendRED(t, redCodec(t), 5)
	plain := func(i int) []byte {
		p := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: testOpus, SequenceNumber: 65534 + uint16(i), Timestamp: uint32(960 * i), SSRC: mediaSSRC}, Payload: opusPayload(i)} //nolint:gosec // small
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}

		return b
	}
	// 1 comes plain before 2, which repeats it; 3, lost, is rebuilt from 4
	// and comes plain after it; then 5.
	arriving := [][]byte{sent[0], plain(1), sent[2], sent[4], plain(3), plain(5)}
	r := redCodec(t)
	reader := r.BindRemoteStream(&interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "audio/opus"}, &queueReader{packets: arriving})
	buf := make([]byte, 1500)
	var seqs []uint16
	for range 6 {
		if _, _, err := reader.Read(buf, nil); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, uint16(buf[2])<<8|uint16(buf[3]))
	}
	if want := []uint16{65534, 65535, 0, 1, 2, 3}; !equalSeqs(seqs, want) {
		t.Fatalf("read %v, want %v", seqs, want)
	}
	if s, _ := r.Stats(mediaSSRC); s.PacketsRecovered != 1 {
		t.Fatalf("stats %+v: want only 3 (sequence number 1) rebuilt", s)
	}
}

// A padding-only packet between two RED packets (Chromium probes bandwidth
// with them) takes the number the next packet's redundancy would give the
// encoding before it: that encoding is not handed on again.
func TestREDReceiverSkipsPaddingPackets(t *testing.T) {
	sent := sendRED(t, redCodec(t), 2) // numbered 65534, 65535: renumber the second past the padding
	var second rtp.Packet
	if err := second.Unmarshal(sent[1]); err != nil {
		t.Fatal(err)
	}
	second.SequenceNumber = 0
	renumbered, err := second.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	padding, err := (&rtp.Packet{
		Header:      rtp.Header{Version: 2, Padding: true, PayloadType: testRED, SequenceNumber: 65535, SSRC: mediaSSRC},
		PaddingSize: 40,
	}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	end, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: testOpus, SequenceNumber: 1, SSRC: mediaSSRC}, Payload: []byte{1}}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	r := redCodec(t)
	reader := r.BindRemoteStream(&interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "audio/opus"},
		&queueReader{packets: [][]byte{sent[0], padding, renumbered, end}})
	buf := make([]byte, 1500)
	var seqs []uint16
	for range 3 {
		if _, _, err := reader.Read(buf, nil); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, uint16(buf[2])<<8|uint16(buf[3]))
	}
	if want := []uint16{65534, 0, 1}; !equalSeqs(seqs, want) {
		t.Fatalf("read %v, want %v", seqs, want)
	}
}

// Redundancy follows the remote's receiver reports: sent until the first,
// not while they show no loss, sent again once one shows loss.
func TestREDSenderFollowsReportedLoss(t *testing.T) {
	report := func(fractionLost uint8) []byte {
		b, err := (&rtcp.ReceiverReport{SSRC: 1, Reports: []rtcp.ReceptionReport{{SSRC: mediaSSRC, FractionLost: fractionLost}}}).Marshal()
		if err != nil {
			t.Fatal(err)
		}

		return b
	}
	r := redCodec(t)
	c := &capture{}
	w := r.BindLocalStream(&interceptor.StreamInfo{SSRC: mediaSSRC, MimeType: "audio/opus"}, c)
	reports := r.BindRTCPReader(&queueReader{packets: [][]byte{report(0), report(26)}})
	seq := uint16(0)
	redundantBlocks := func() int {
		t.Helper()
		for range 2 { // the first of a run has nothing before it
			seq++
			h := rtp.Header{Version: 2, PayloadType: testOpus, SequenceNumber: seq, Timestamp: 960 * uint32(seq)}
			if _, err := w.Write(&h, []byte{byte(seq)}, nil); err != nil {
				t.Fatal(err)
			}
		}
		red, _, err := ParseRED(c.packets[len(c.packets)-1].Payload)
		if err != nil {
			t.Fatal(err)
		}

		return len(red)
	}
	buf := make([]byte, 1500)
	if redundantBlocks() != 1 {
		t.Fatal("no redundancy before any report")
	}
	if _, _, err := reports.Read(buf, nil); err != nil {
		t.Fatal(err)
	}
	if redundantBlocks() != 0 {
		t.Fatal("redundancy while the reports show no loss")
	}
	if _, _, err := reports.Read(buf, nil); err != nil {
		t.Fatal(err)
	}
	if redundantBlocks() != 1 {
		t.Fatal("no redundancy after a report of 10% loss")
	}
}
