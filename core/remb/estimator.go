// Package remb estimates, on the receive side, the bitrate its video
// streams can take, and sends it to their sender as REMB
// (draft-alvestrand-rmcat-remb-03).
package remb

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
)

// rembInterval is how often the "rembEstimator" interceptor sends its
// estimate, as browsers send REMB about once a second.
const rembInterval = time.Second

// Loss-based estimation (GCC's loss controller, draft-ietf-rmcat-gcc-02
// section 6, with libwebrtc's 8% step), applied to what arrived.
const (
	lossHigh        = 0.10  // above it, cut by half the loss
	lossLow         = 0.02  // below it, grow
	estimateGrowth  = 1.08  // per interval
	estimateHeadway = 1.5   // the estimate stays under 1.5 x what arrived …
	estimateSlack   = 10000 // … plus this many bits per second, as libwebrtc's AIMD
)

// nextEstimate is the estimate after an interval in which rate bits per
// second arrived with loss (0 to 1) of the packets missing.
func nextEstimate(previous, rate, loss float64) float64 {
	limit := estimateHeadway*rate + estimateSlack
	switch {
	case loss > lossHigh:
		return rate * (1 - loss/2)
	case loss < lossLow:
		return min(estimateGrowth*max(previous, rate), limit)
	case previous == 0:
		return rate
	default:
		return min(previous, limit)
	}
}

// FeedbackType is the rtcp-fb value that negotiates REMB.
const FeedbackType = "goog-remb"

// NewEstimatorFactory returns the interceptor factory of the receive side's
// own REMB: once a second, an estimate for all the video it receives over
// goog-remb.
func NewEstimatorFactory() interceptor.Factory { return rembEstimatorFactory{interval: rembInterval} }

type rembEstimatorFactory struct{ interval time.Duration }

func (f rembEstimatorFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &rembEstimator{interval: f.interval, streams: map[uint32]*receivedStream{}, done: make(chan struct{})}, nil
}

// rembEstimator estimates from the received rate and loss, not from
// packet delays: libwebrtc's RemoteBitrateEstimator needs abs-send-time,
// which pion does not send. It notices a link that loses packets, not one
// that only queues them.
type rembEstimator struct {
	interceptor.NoOp
	interval time.Duration
	mu       sync.Mutex
	streams  map[uint32]*receivedStream // video media streams that negotiated goog-remb
	estimate float64
	start    sync.Once
	stop     sync.Once
	done     chan struct{}
}

// receivedStream counts one stream's packets over the current interval.
type receivedStream struct {
	bytes, packets int
	highest, base  int64 // extended sequence numbers: the highest, and the highest at the interval's start
	seen           bool
}

func (a *receivedStream) add(seq uint16, size int) {
	a.bytes += size
	a.packets++
	if !a.seen {
		a.seen, a.highest, a.base = true, int64(seq), int64(seq)-1

		return
	}
	if d := int64(int16(seq - uint16(a.highest))); d > 0 { //nolint:gosec // G115: the low 16 bits of the extended sequence number
		a.highest += d
	}
}

// BindRemoteStream counts the packets of video streams that negotiated goog-remb.
func (r *rembEstimator) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	if !strings.HasPrefix(info.MimeType, "video/") || !slices.Contains(info.RTCPFeedback, interceptor.RTCPFeedback{Type: FeedbackType}) {
		return reader
	}
	stream := &receivedStream{}
	r.mu.Lock()
	r.streams[info.SSRC] = stream
	r.mu.Unlock()

	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		if attr == nil {
			attr = interceptor.Attributes{}
		}
		if header, err := attr.GetRTPHeader(b[:n]); err == nil {
			r.mu.Lock()
			stream.add(header.SequenceNumber, n)
			r.mu.Unlock()
		}

		return n, attr, nil
	})
}

// UnbindRemoteStream stops counting the stream.
func (r *rembEstimator) UnbindRemoteStream(info *interceptor.StreamInfo) {
	r.mu.Lock()
	delete(r.streams, info.SSRC)
	r.mu.Unlock()
}

// BindRTCPWriter starts sending the estimate with writer.
func (r *rembEstimator) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	r.start.Do(func() { go r.run(writer) })

	return writer
}

func (r *rembEstimator) run(writer interceptor.RTCPWriter) {
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop()
	for {
		select {
		case <-r.done:
			return
		case <-ticker.C:
			if remb := r.next(); remb != nil {
				_, _ = writer.Write([]rtcp.Packet{remb}, nil)
			}
		}
	}
}

// next closes the interval: the REMB for the streams that received
// packets in it, nil if none did.
func (r *rembEstimator) next() *rtcp.ReceiverEstimatedMaximumBitrate {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ssrcs []uint32
	var bytes, packets, expected int64
	for ssrc, a := range r.streams {
		if a.packets == 0 {
			continue
		}
		ssrcs = append(ssrcs, ssrc)
		bytes += int64(a.bytes)
		packets += int64(a.packets)
		expected += a.highest - a.base
		a.bytes, a.packets, a.base = 0, 0, a.highest
	}
	if len(ssrcs) == 0 {
		return nil
	}
	loss := 0.0
	if expected > packets {
		loss = float64(expected-packets) / float64(expected)
	}
	r.estimate = nextEstimate(r.estimate, float64(bytes*8)/r.interval.Seconds(), loss)
	slices.Sort(ssrcs)

	return &rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: float32(r.estimate), SSRCs: ssrcs}
}

// Close stops sending.
func (r *rembEstimator) Close() error {
	r.stop.Do(func() { close(r.done) })

	return nil
}
