package twcc

import (
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/fec"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/flexfec"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
)

// twccPacket is an RTP packet of ssrc with the transport-wide sequence
// number tseq in extension 5.
func twccPacket(t *testing.T, ssrc uint32, seq, tseq uint16) []byte {
	t.Helper()
	ext, err := (&rtp.TransportCCExtension{TransportSequence: tseq}).Marshal()
	must(t, err)
	p := &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, SSRC: ssrc}, Payload: []byte{1, 2, 3}}
	must(t, p.SetExtension(5, ext))
	b, err := p.Marshal()
	must(t, err)

	return b
}

// Packets whose datagrams arrived 4 ms apart but are read all at once (the
// reading goroutine waited for a CPU) are reported 4 ms apart: the feedback
// carries the socket's times, not the reader's.
func TestTWCCFeedbackReportsSocketArrivalTimes(t *testing.T) {
	start := time.Unix(1000, 0)
	now := start
	table := &arrivalTable{}
	factory := &twccFeedbackFactory{arrivals: table, now: func() time.Time { return now }}
	i, err := factory.NewInterceptor("")
	must(t, err)
	fb := i.(*twccFeedback) //nolint:forcetypeassert // NewInterceptor's only type
	defer func() { must(t, fb.Close()) }()

	const ssrc, count = 0x1234, 8
	var packets [][]byte
	for n := range count {
		b := twccPacket(t, ssrc, uint16(100+n), uint16(7+n))
		table.record(b, at(start.Add(time.Duration(n)*4*time.Millisecond)))
		packets = append(packets, b)
	}
	table.record(twccPacket(t, ssrc, 999, 6), at(start.Add(-2*maxArrivalAge))) // too old: the packet read now is another
	packets = append([][]byte{twccPacket(t, ssrc, 999, 6)}, packets...)
	next := 0
	source := interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		next++

		return copy(b, packets[next-1]), a, nil
	})
	reader := fb.BindRemoteStream(&interceptor.StreamInfo{
		SSRC:                ssrc,
		RTPHeaderExtensions: []interceptor.RTPHeaderExtension{{URI: sdp.TransportCCURI, ID: 5}},
	}, source)
	now = start.Add(50 * time.Millisecond) // every packet is read 50 ms on, within microseconds
	buf := make([]byte, 1500)
	for range packets {
		_, _, err := reader.Read(buf, nil)
		must(t, err)
	}

	report := fb.feedback()
	if len(report) != 1 {
		t.Fatalf("feedback: %d packets, want 1", len(report))
	}
	cc, ok := report[0].(*rtcp.TransportLayerCC)
	if !ok || cc.MediaSSRC != ssrc || cc.BaseSequenceNumber != 6 || int(cc.PacketStatusCount) != count+1 ||
		len(cc.RecvDeltas) != count+1 {
		t.Fatalf("feedback %+v", report[0])
	}
	// sequence 6 was read at start+50ms (its recorded time was stale), 7 came at start
	if d := cc.RecvDeltas[1].Delta; d != -50_000 {
		t.Errorf("sequence 7 reported %d us after sequence 6, want -50000", d)
	}
	for n, d := range cc.RecvDeltas[2:] {
		if d.Delta != 4000 {
			t.Errorf("sequence %d reported %d us after the one before, want 4000", 8+n, d.Delta)
		}
	}
}

// Only RTP is recorded: DTLS, STUN and RTCP datagrams, and runts, are not.
func TestArrivalsRecordOnlyRTP(t *testing.T) {
	now := time.Unix(2000, 0)
	table := &arrivalTable{}
	rtcpPacket := make([]byte, 12)
	rtcpPacket[0], rtcpPacket[1] = 0x80, 200 // a sender report
	rtcpPacket[11] = 9
	for _, b := range [][]byte{{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0}, {0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 9}, rtcpPacket, {0x80, 96, 0}} {
		table.record(b, at(now))
	}
	if table.slots != nil {
		t.Fatal("a datagram that is not RTP was recorded")
	}
	table.record(twccPacket(t, 9, 1, 1), at(now))
	if at, ok := table.lookup(9, 1, now.Add(time.Millisecond)); !ok || !at.Equal(now) {
		t.Fatalf("lookup: %v %v", at, ok)
	}
	if _, ok := table.lookup(9, 2, now); ok {
		t.Fatal("a packet never recorded was found")
	}
	if _, ok := table.lookup(9, 1, now.Add(-time.Millisecond)); ok {
		t.Fatal("a packet recorded in the future was found")
	}
}

// at is a clock stopped at t.
func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A packet FlexFEC rebuilt never arrived: the feedback reports it lost, or
// the sender's estimate would count a loss as delivered.
func TestTWCCFeedbackLeavesRebuiltPacketsUnreported(t *testing.T) {
	factory := &twccFeedbackFactory{arrivals: &arrivalTable{}, now: time.Now}
	i, err := factory.NewInterceptor("")
	must(t, err)
	fb := i.(*twccFeedback) //nolint:forcetypeassert // NewInterceptor's only type
	defer func() { must(t, fb.Close()) }()
	decoder, err := fec.NewInterceptorFactory(nil).NewInterceptor("")
	must(t, err)

	const ssrc, fecSSRC = 0x1234, 0xfec
	media := make([]rtp.Packet, 6)
	var arrived [][]byte
	for n := range media {
		must(t, media[n].Unmarshal(twccPacket(t, ssrc, uint16(100+n), uint16(10+n)))) //nolint:gosec // small
		if n != 2 {
			arrived = append(arrived, twccPacket(t, ssrc, uint16(100+n), uint16(10+n))) //nolint:gosec // small
		}
	}
	repair, err := flexfec.NewFlexEncoder03(118, fecSSRC).EncodeFec(media[:5], 1)[0].Marshal()
	must(t, err)
	source := interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n := copy(b, arrived[0])
		arrived = arrived[1:]

		return n, a, nil
	})
	extensions := []interceptor.RTPHeaderExtension{{URI: sdp.TransportCCURI, ID: 5}}
	reader := fb.BindRemoteStream(&interceptor.StreamInfo{SSRC: ssrc, RTPHeaderExtensions: extensions},
		decoder.BindRemoteStream(&interceptor.StreamInfo{SSRC: ssrc, SSRCForwardErrorCorrection: fecSSRC}, source))
	repairs := decoder.BindRemoteStream(&interceptor.StreamInfo{SSRC: fecSSRC, MimeType: "video/flexfec-03"},
		interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
			return copy(b, repair), a, nil
		}))
	buf := make([]byte, 1500)
	for range 4 { // packets 0, 1, 3, 4: 2 is lost
		_, _, err = reader.Read(buf, nil)
		must(t, err)
	}
	_, _, err = repairs.Read(buf, nil)
	must(t, err)
	n, a, err := reader.Read(buf, nil) // packet 2, rebuilt
	must(t, err)
	if !fec.Recovered(a) || n != len(twccPacket(t, ssrc, 102, 12)) {
		t.Fatalf("read %d bytes, recovered %v: packet 2 not rebuilt", n, fec.Recovered(a))
	}
	_, _, err = reader.Read(buf, nil) // packet 5
	must(t, err)

	report := fb.feedback()
	cc, ok := report[0].(*rtcp.TransportLayerCC)
	if !ok || cc.BaseSequenceNumber != 10 || cc.PacketStatusCount != 6 || len(cc.RecvDeltas) != 5 {
		t.Fatalf("feedback %+v, want 6 packets from 10 of which 5 received", report[0])
	}
}
