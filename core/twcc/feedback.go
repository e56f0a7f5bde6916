package twcc

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/omnirtc/omnirtc/core/fec"
	"github.com/pion/interceptor"
	piontwcc "github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
)

// twccInterval is how often feedback is sent, as pion's TWCC interceptor does.
const twccInterval = 100 * time.Millisecond

// NewFeedbackFactory returns the interceptor factory that sends the
// feedback, as pion's twcc.SenderInterceptor does, but with the time a
// packet's datagram arrived (RecordArrival) rather than the time it was read.
func NewFeedbackFactory() interceptor.Factory {
	return &twccFeedbackFactory{arrivals: &arrivals, now: time.Now}
}

type twccFeedbackFactory struct {
	arrivals *arrivalTable
	now      func() time.Time
}

func (f *twccFeedbackFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &twccFeedback{
		arrivals: f.arrivals, now: f.now, start: f.now(), done: make(chan struct{}),
		recorder: piontwcc.NewRecorder(rand.Uint32()), //nolint:gosec // an SSRC, not a secret
	}, nil
}

// twccFeedback records the transport-wide sequence number and arrival time
// of every received packet and sends them back every twccInterval.
type twccFeedback struct {
	interceptor.NoOp
	arrivals *arrivalTable
	now      func() time.Time
	start    time.Time // arrival times are microseconds since

	mu       sync.Mutex
	recorder *piontwcc.Recorder
	closed   bool
	done     chan struct{}
	wg       sync.WaitGroup
}

// BindRTCPWriter starts sending feedback through the peer connection's writer.
func (t *twccFeedback) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return writer
	}
	t.wg.Add(1)
	go t.send(writer)

	return writer
}

func (t *twccFeedback) send(writer interceptor.RTCPWriter) {
	defer t.wg.Done()
	ticker := time.NewTicker(twccInterval)
	defer ticker.Stop()
	for {
		select {
		case <-t.done:
			return
		case <-ticker.C:
			if packets := t.feedback(); len(packets) > 0 {
				_, _ = writer.Write(packets, nil) // a lost report is superseded by the next
			}
		}
	}
}

// feedback is the report of what arrived since the previous one (nil: nothing did).
func (t *twccFeedback) feedback() []rtcp.Packet {
	t.mu.Lock()
	defer t.mu.Unlock()

	return t.recorder.BuildFeedbackPacket()
}

// BindRemoteStream records each packet that carries a transport-wide sequence number.
func (t *twccFeedback) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	var id uint8
	for _, e := range info.RTPHeaderExtensions {
		if e.URI == sdp.TransportCCURI {
			id = uint8(e.ID) //nolint:gosec // extension IDs are 1 to 255
		}
	}
	if id == 0 {
		return reader
	}

	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		if attr == nil {
			attr = make(interceptor.Attributes)
		}
		header, err := attr.GetRTPHeader(b[:n])
		if err != nil {
			return 0, nil, err
		}
		if ext := header.GetExtension(id); ext != nil && !fec.Recovered(attr) { // rebuilt, it never arrived
			var cc rtp.TransportCCExtension
			if err := cc.Unmarshal(ext); err != nil {
				return 0, nil, err
			}
			t.record(info.SSRC, header, cc.TransportSequence)
		}

		return n, attr, nil
	})
}

func (t *twccFeedback) record(ssrc uint32, header *rtp.Header, sequence uint16) {
	now := t.now()
	at, ok := t.arrivals.lookup(header.SSRC, header.SequenceNumber, now)
	if !ok { // not through a socket of ours (TCP, TURN): the best left is now
		at = now
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.recorder.Record(ssrc, sequence, at.Sub(t.start).Microseconds())
}

// Close stops the feedback.
func (t *twccFeedback) Close() error {
	t.mu.Lock()
	if !t.closed {
		t.closed = true
		close(t.done)
	}
	t.mu.Unlock()
	t.wg.Wait()

	return nil
}
