package remb

import (
	"slices"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

func TestNextEstimate(t *testing.T) {
	for _, c := range []struct {
		name                 string
		previous, rate, loss float64
		want                 float64
	}{
		{"first, no loss: 8% over what arrived", 0, 100_000, 0, 108_000},
		{"growth stops at 1.5 x the rate + 10 kbit/s", 200_000, 100_000, 0.01, 160_000},
		{"grows from the rate when the sender sends more", 50_000, 100_000, 0, 108_000},
		{"over 10% loss: the rate cut by half the loss", 300_000, 100_000, 0.2, 90_000},
		{"2 to 10% loss: held", 120_000, 100_000, 0.05, 120_000},
		{"2 to 10% loss, first: the rate", 0, 100_000, 0.05, 100_000},
	} {
		if got := nextEstimate(c.previous, c.rate, c.loss); got != c.want {
			t.Errorf("%s: nextEstimate(%v, %v, %v) = %v, want %v", c.name, c.previous, c.rate, c.loss, got, c.want)
		}
	}
}

func TestREMBEstimatorCountsRateAndLoss(t *testing.T) {
	f := rembEstimatorFactory{interval: time.Second}
	i, err := f.NewInterceptor("")
	must(t, err)
	r, ok := i.(*rembEstimator)
	if !ok {
		t.Fatalf("the factory made a %T", i)
	}
	defer func() { must(t, r.Close()) }()
	var next uint16
	packet := func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		raw, _ := (&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: next, SSRC: 7}, Payload: make([]byte, 988)}).Marshal()

		return copy(b, raw), a, nil
	}
	remb := []interceptor.RTCPFeedback{{Type: "goog-remb"}}
	video := r.BindRemoteStream(&interceptor.StreamInfo{SSRC: 7, MimeType: "video/VP8", RTCPFeedback: remb},
		interceptor.RTPReaderFunc(packet))
	audio := r.BindRemoteStream(&interceptor.StreamInfo{SSRC: 8, MimeType: "audio/opus", RTCPFeedback: remb},
		interceptor.RTPReaderFunc(packet))
	send := func(reader interceptor.RTPReader, seqs ...uint16) {
		for _, seq := range seqs {
			next = seq
			if _, _, err := reader.Read(make([]byte, 1500), nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := r.next(); got != nil {
		t.Fatalf("a REMB before any packet: %v", got)
	}
	// 100 packets of 1000 bytes, across the sequence number wrap, one
	// reordered: 800 kbit/s, no loss.
	var seqs []uint16
	for k := range 100 {
		seqs = append(seqs, uint16(65486+k))
	}
	seqs[10], seqs[11] = seqs[11], seqs[10]
	send(video, seqs...)
	send(audio, 1, 2, 3) // audio is not estimated
	want := &rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: 864_000, SSRCs: []uint32{7}}
	if got := r.next(); got == nil || got.Bitrate != want.Bitrate || !slices.Equal(got.SSRCs, want.SSRCs) {
		t.Fatalf("REMB %v, want %v", got, want)
	}
	// the next 100 sequence numbers with every fourth missing: 600 kbit/s
	// arrived, 25% lost.
	seqs = seqs[:0]
	for k := range 100 {
		if k%4 != 0 {
			seqs = append(seqs, uint16(65486+100+k))
		}
	}
	send(video, seqs...)
	if got := r.next(); got == nil || got.Bitrate != 525_000 {
		t.Fatalf("REMB under 25%% loss %v, want 525000 (600000 x 0.875)", got)
	}
	r.UnbindRemoteStream(&interceptor.StreamInfo{SSRC: 7})
	if got := r.next(); got != nil {
		t.Fatalf("a REMB after the stream went: %v", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
