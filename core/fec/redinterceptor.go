package fec

import (
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// REDDistance is how many earlier packets each sent RED packet repeats:
// one, as Chromium sends Opus.
const REDDistance = 1

// REDLossHold is how long a sender keeps sending redundancy after the
// remote's last receiver report that showed loss.
const REDLossHold = 10 * time.Second

// maxREDPayload bounds a sent RED payload: redundancy that would make it
// longer is left out, so a packet never grows past a path's MTU for it.
const maxREDPayload = 1200

// REDPayloadTypes returns the negotiated RED payload type and the payload
// type of the encoding it carries (its fmtp's); ok is false while RED is
// not negotiated.
type REDPayloadTypes func() (red, primary uint8, ok bool)

// REDInterceptorFactory makes the RED (RFC 2198) codec of each peer
// connection.
type REDInterceptorFactory struct {
	onNew func(*REDInterceptor)
}

// NewREDInterceptorFactory returns a factory; onNew receives each codec
// (for SetPayloadTypes and its stats).
func NewREDInterceptorFactory(onNew func(*REDInterceptor)) *REDInterceptorFactory {
	return &REDInterceptorFactory{onNew: onNew}
}

// NewInterceptor makes the RED codec of one peer connection.
func (f *REDInterceptorFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	i := &REDInterceptor{received: map[uint32]*redReceiver{}, sent: map[uint32]*redSender{}, ulpfecGroup: DefaultULPFECGroup}
	if f.onNew != nil {
		f.onNew(i)
	}

	return i, nil
}

// REDInterceptor unwraps the RED packets of received streams into their
// primary packets, and rebuilds from their redundant blocks, and on video
// from their ULPFEC (RFC 5109) blocks, the packets that did not arrive, handed on as the stream's next reads (marked
// as Recovered) before the interceptors after it and the track's jitter
// buffer. On audio streams sent in the encoding RED carries, it wraps each
// packet in RED with the REDDistance packets before it as redundancy,
// while the remote's receiver reports show loss (see protecting).
// Which payload types those are it learns from SetPayloadTypes, at each
// stream's first packet.
type REDInterceptor struct {
	interceptor.NoOp
	mu           sync.Mutex
	payloadTypes REDPayloadTypes
	videoTypes   REDPayloadTypes
	received     map[uint32]*redReceiver
	sent         map[uint32]*redSender
	ulpfecGroup  int
}

type redReceiver struct {
	video    bool
	resolved bool
	red      uint8
	window   *Window
	ready    []readyPacket // unwrapped, not read yet
}

type readyPacket struct {
	data      []byte
	attr      interceptor.Attributes
	recovered bool
}

type redSender struct {
	resolved     bool
	red, primary uint8
	history      []sentPacket // the last REDDistance packets sent, oldest first
	stats        SentStats
	reported     bool      // a receiver report on the stream came
	lossAt       time.Time // the last one that showed loss
	video        *videoSender
}

// protecting reports whether the stream's packets carry redundancy now: until
// the remote's first receiver report on it, then for REDLossHold after each
// report that showed loss (fraction lost above 0); on a clean path RED goes
// on without redundancy, one byte more than the packet.
func (s *redSender) protecting(now time.Time) bool {
	return !s.reported || now.Sub(s.lossAt) < REDLossHold
}

type sentPacket struct {
	seq       uint16
	timestamp uint32
	payload   []byte
}

// SentStats counts the redundancy sent on one stream.
type SentStats struct {
	PacketsSent uint64 // fecPacketsSent: RED packets that carry redundancy
	BytesSent   uint64 // fecBytesSent: the redundant blocks' payload bytes
}

// SetPayloadTypes tells the codec where to find the negotiated payload
// types.
func (i *REDInterceptor) SetPayloadTypes(f REDPayloadTypes) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.payloadTypes = f
}

// SetULPFECGroup sets how many video packets one ULPFEC packet protects,
// 1 to MaxULPFECGroup.
func (i *REDInterceptor) SetULPFECGroup(n int) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.ulpfecGroup = n
}

// SetVideoPayloadTypes tells the codec where to find the negotiated video
// RED payload type and ULPFEC's (as primary).
func (i *REDInterceptor) SetVideoPayloadTypes(f REDPayloadTypes) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.videoTypes = f
}

// resolve reads the payload types of audio or video once; the caller holds
// i.mu.
func (i *REDInterceptor) resolve(video bool) (red, primary uint8, ok bool) {
	f := i.payloadTypes
	if video {
		f = i.videoTypes
	}
	if f == nil {
		return 0, 0, false
	}

	return f()
}

// Stats returns the RED counts of the received stream ssrc; false when none
// of its packets was RED.
func (i *REDInterceptor) Stats(ssrc uint32) (Stats, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	s, ok := i.received[ssrc]
	if !ok || !s.resolved || s.red == 0 {
		return Stats{}, false
	}

	return s.window.Stats(), true
}

// SentStats returns the redundancy sent on the stream ssrc; false when it
// sends no RED.
func (i *REDInterceptor) SentStats(ssrc uint32) (SentStats, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	s, ok := i.sent[ssrc]
	if !ok || !s.resolved || s.red == 0 {
		return SentStats{}, false
	}

	return s.stats, true
}

func isAudio(info *interceptor.StreamInfo) bool {
	return strings.HasPrefix(strings.ToLower(info.MimeType), "audio/")
}

// BindRemoteStream unwraps a stream's RED packets.
func (i *REDInterceptor) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	s := &redReceiver{video: !isAudio(info), window: NewWindow(info.SSRC)}
	i.mu.Lock()
	i.received[info.SSRC] = s
	i.mu.Unlock()

	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		for {
			if p, ok := i.nextReady(s); ok {
				if len(b) < len(p.data) {
					return 0, nil, io.ErrShortBuffer
				}
				if p.recovered {
					return copy(b, p.data), interceptor.Attributes{recoveredKey{}: true}, nil
				}

				return copy(b, p.data), p.attr, nil
			}
			n, attr, err := reader.Read(b, a)
			if err != nil || n < rtpHeaderSize {
				return n, attr, err
			}
			if !i.unwrap(s, b[:n], attr) {
				return n, attr, nil
			}
		}
	})
}

// unwrap queues what the RED packet pkt brings; false when pkt is to be
// handed on as it is (not RED, and not rebuilt before).
func (i *REDInterceptor) unwrap(s *redReceiver, pkt []byte, attr interceptor.Attributes) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if !s.resolved {
		red, ulpfec, ok := i.resolve(s.video)
		s.resolved, s.red = true, red
		if !ok {
			s.red = 0
		} else if s.video {
			s.window.ulpfec = ulpfec
		}
	}
	if s.red == 0 {
		return false
	}
	if pkt[1]&0x7f != s.red {
		return !s.window.AddPlain(pkt)
	}
	out := s.window.AddRED(pkt)
	for k, p := range out {
		primary := k == len(out)-1 && p[2] == pkt[2] && p[3] == pkt[3]
		if primary && attr != nil {
			// The interceptors before this one parsed the RED header into
			// attr: the packet handed on is the primary's.
			if h, err := attr.GetRTPHeader(pkt); err == nil {
				h.PayloadType, h.Padding, h.PaddingSize = p[1]&0x7f, false, 0
			}
		}
		s.ready = append(s.ready, readyPacket{data: p, attr: attr, recovered: !primary})
	}

	return true
}

func (i *REDInterceptor) nextReady(s *redReceiver) (readyPacket, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if len(s.ready) == 0 {
		return readyPacket{}, false
	}
	p := s.ready[0]
	s.ready[0] = readyPacket{}
	s.ready = s.ready[1:]

	return p, true
}

// UnbindRemoteStream forgets a received stream.
func (i *REDInterceptor) UnbindRemoteStream(info *interceptor.StreamInfo) {
	i.mu.Lock()
	defer i.mu.Unlock()
	delete(i.received, info.SSRC)
}

// BindLocalStream wraps an audio stream's packets in RED when RED is
// negotiated for their payload type, and a video stream's when video RED
// is (see wrapVideo).
func (i *REDInterceptor) BindLocalStream(info *interceptor.StreamInfo, writer interceptor.RTPWriter) interceptor.RTPWriter {
	video := !isAudio(info)
	s := &redSender{}
	i.mu.Lock()
	i.sent[info.SSRC] = s
	i.mu.Unlock()

	return interceptor.RTPWriterFunc(func(header *rtp.Header, payload []byte, a interceptor.Attributes) (int, error) {
		i.mu.Lock()
		if !s.resolved {
			red, primary, ok := i.resolve(video)
			s.resolved, s.red, s.primary = true, red, primary
			if !ok {
				s.red = 0
			} else if video {
				s.video, s.primary = &videoSender{ulpfec: primary}, info.PayloadType
			}
		}
		if s.video != nil {
			out := s.wrapVideo(info, header, payload, s.protecting(time.Now()), i.ulpfecGroup)
			i.mu.Unlock()
			n := 0
			for k := range out {
				m, err := writer.Write(&out[k].Header, out[k].Payload, a)
				if err != nil {
					return n, err
				}
				n += m
			}

			return n, nil
		}
		if s.red == 0 || header.PayloadType != s.primary {
			i.mu.Unlock()

			return writer.Write(header, payload, a)
		}
		buf := s.wrap(nil, header, payload, s.protecting(time.Now()))
		i.mu.Unlock()
		h := *header
		h.PayloadType = s.red

		return writer.Write(&h, buf, a)
	})
}

// wrap appends the RED payload of a packet to dst: when protect, the
// packets just before it that fit as redundancy (a run back from it, so the
// receiver's numbering holds), then the packet. It remembers the packet for
// the next.
func (s *redSender) wrap(dst []byte, header *rtp.Header, payload []byte, protect bool) []byte {
	var redundant []Block
	size := 1 + len(payload)
	for d := 1; protect && d <= len(s.history); d++ {
		prev := s.history[len(s.history)-d]
		b := Block{PayloadType: s.primary, TimestampOffset: header.Timestamp - prev.timestamp, Payload: prev.payload}
		if prev.seq != header.SequenceNumber-uint16(d) || !REDFits(b) || size+4+len(b.Payload) > maxREDPayload { //nolint:gosec // d <= REDDistance
			break
		}
		size += 4 + len(b.Payload)
		redundant = append([]Block{b}, redundant...)
	}
	dst = AppendRED(dst, redundant, Block{PayloadType: s.primary, Payload: payload})
	if len(redundant) > 0 {
		s.stats.PacketsSent++
		for _, b := range redundant {
			s.stats.BytesSent += uint64(len(b.Payload))
		}
	}
	var kept []byte
	if len(s.history) == REDDistance {
		kept = s.history[0].payload[:0]
		s.history = append(s.history[:0], s.history[1:]...)
	}
	s.history = append(s.history, sentPacket{
		seq: header.SequenceNumber, timestamp: header.Timestamp, payload: append(kept, payload...),
	})

	return dst
}

// BindRTCPReader watches the remote's receiver reports on the streams sent
// in RED, for the loss that turns their redundancy on.
func (i *REDInterceptor) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	return interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		if attr == nil {
			attr = interceptor.Attributes{}
		}
		packets, perr := attr.GetRTCPPackets(b[:n])
		if perr != nil {
			return n, attr, nil //nolint:nilerr // not this interceptor's to refuse
		}
		now := time.Now()
		i.mu.Lock()
		n = i.mapNACKs(packets, b, n)
		for _, p := range packets {
			var reports []rtcp.ReceptionReport
			switch r := p.(type) {
			case *rtcp.ReceiverReport:
				reports = r.Reports
			case *rtcp.SenderReport:
				reports = r.Reports
			}
			for _, rr := range reports {
				if s, ok := i.sent[rr.SSRC]; ok {
					s.reported = true
					if rr.FractionLost > 0 {
						s.lossAt = now
					}
				}
			}
		}
		i.mu.Unlock()

		return n, attr, nil
	})
}

// UnbindLocalStream forgets a sent stream.
func (i *REDInterceptor) UnbindLocalStream(info *interceptor.StreamInfo) {
	i.mu.Lock()
	defer i.mu.Unlock()
	delete(i.sent, info.SSRC)
}
