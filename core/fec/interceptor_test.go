package fec

import (
	"bytes"
	"testing"

	"github.com/pion/interceptor"
)

// queueReader reads the packets of a slice, one per read (RTP or RTCP).
type queueReader struct{ packets [][]byte }

func (q *queueReader) Read(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
	p := q.packets[0]
	q.packets = q.packets[1:]

	return copy(b, p), a, nil
}

// A lost packet the repair stream rebuilds is the media stream's next read,
// marked recovered, and counted in the stream's stats.
func TestInterceptorHandsOnRebuiltPackets(t *testing.T) {
	f := NewInterceptorFactory(nil)
	i, err := f.NewInterceptor("")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := i.(*Interceptor)
	media, raw := mediaPackets(t, 65534, 6)
	fec := repairs(t, media[:5], 1)
	sent := &queueReader{packets: [][]byte{raw[0], raw[1], raw[3], raw[4], raw[5]}} // 2 lost
	mediaReader := d.BindRemoteStream(&interceptor.StreamInfo{SSRC: mediaSSRC, SSRCForwardErrorCorrection: 0xfec}, sent)
	repairReader := d.BindRemoteStream(&interceptor.StreamInfo{SSRC: 0xfec, MimeType: "video/flexfec-03"}, &queueReader{packets: fec})
	buf := make([]byte, 1500)
	for range 4 {
		if _, a, readErr := mediaReader.Read(buf, nil); readErr != nil || Recovered(a) {
			t.Fatalf("read: %v, recovered %v", readErr, Recovered(a))
		}
	}
	if _, _, err = repairReader.Read(buf, nil); err != nil {
		t.Fatal(err)
	}
	n, a, err := mediaReader.Read(buf, nil)
	if err != nil || !Recovered(a) || !bytes.Equal(buf[:n], raw[2]) {
		t.Fatalf("read after the repair: %v, recovered %v, packet equal %v", err, Recovered(a), bytes.Equal(buf[:n], raw[2]))
	}
	if _, a, _ := mediaReader.Read(buf, nil); Recovered(a) { // then the stream goes on
		t.Fatal("the packet after the rebuilt one is marked recovered")
	}
	if s, ok := d.Stats(mediaSSRC); !ok || s.PacketsReceived != 1 || s.PacketsRecovered != 1 {
		t.Fatalf("stats %+v %v", s, ok)
	}
	d.UnbindRemoteStream(&interceptor.StreamInfo{SSRC: mediaSSRC})
	if _, ok := d.Stats(mediaSSRC); ok {
		t.Fatal("stats of an unbound stream")
	}
}
