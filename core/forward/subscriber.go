package forward

import (
	"math/rand/v2"
	"sync"

	"github.com/pion/rtp"
)

// AllTemporal selects every temporal layer.
const AllTemporal = -1

// defaultFrameTicks is the timestamp step assumed between a layer's frames
// until two of them were seen (90 kHz at 30 frames per second).
const defaultFrameTicks = 3000

// Layer is the layer a subscriber receives.
type Layer struct {
	RID      string // simulcast layer; "" takes the first layer that starts a frame decodably, and keeps it
	Temporal int    // highest temporal layer, or AllTemporal
}

// maxTemporal is the highest temporal layer id l selects.
func (l Layer) maxTemporal() int {
	if l.Temporal < 0 {
		return 1 << 8
	}

	return l.Temporal
}

// Subscriber is one receiver of a forwarder's stream, with its own layer
// and its own numbering.
type Subscriber struct {
	f    *Forwarder
	sink Sink
	ssrc uint32

	mu       sync.Mutex
	target   Layer
	started  bool
	rid      string // the simulcast layer forwarded now
	temporal int    // the highest temporal layer forwarded now

	// The input layer's numbers mapped to the output's: out = in + offset.
	seqOffset, picOffset, tl0Offset int32
	tsOffset                        uint32
	newestSeq                       uint16 // the newest sequence number of the layer
	offsetFrom                      uint16 // seqOffset holds from this one on
	droppedPic                      int32  // the picture id last dropped
	lastTS                          uint32 // the input timestamp of the layer's newest frame
	frameTicks                      uint32 // the layer's timestamp step between frames

	// What was sent last.
	seq      uint16
	ts       uint32
	pic, tl0 int32
	sentAny  bool
	payload  []byte
	header   rtp.Header
	outgoing rtp.Packet

	auto autoLayer // the layer chosen from the bandwidth (autolayer.go)
}

func newSubscriber(f *Forwarder, sink Sink, l Layer) *Subscriber {
	ssrc := rand.Uint32() //nolint:gosec // G404: an SSRC tells streams apart, it guards nothing

	return &Subscriber{
		f: f, sink: sink, ssrc: ssrc, target: l, frameTicks: defaultFrameTicks, droppedPic: -1,
		auto: autoLayer{policy: NewPolicy()},
	}
}

// SetLayer selects the layer to receive: a temporal layer down at the next
// frame, up at the next frame that allows it (layer sync or keyframe), a
// simulcast layer at its next keyframe, which is asked for upstream.
// With SetAuto on, l is the highest layer chosen.
func (s *Subscriber) SetLayer(l Layer) {
	s.setTarget(s.limitTo(l))
}

// setTarget switches to l.
func (s *Subscriber) setTarget(l Layer) {
	s.mu.Lock()
	s.target = l
	ask := l.RID != "" && (!s.started || l.RID != s.rid)
	s.mu.Unlock()
	if ask {
		s.f.askKeyframe(l.RID)
	}
}

// Layer returns the layer forwarded now (the target until it started) and
// whether any packet was forwarded.
func (s *Subscriber) Layer() (Layer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		return s.target, false
	}
	t := s.temporal
	if t >= 1<<8 {
		t = AllTemporal
	}

	return Layer{RID: s.rid, Temporal: t}, true
}

// RequestKeyframe passes the subscriber's PLI or FIR upstream, for the
// layer it receives or is switching to, within the forwarder's rate limit.
func (s *Subscriber) RequestKeyframe() {
	s.mu.Lock()
	rid := s.rid
	if s.target.RID != "" {
		rid = s.target.RID
	}
	s.mu.Unlock()
	s.f.askKeyframe(rid)
}

// push forwards p from the layer rid if the subscriber takes it.
func (s *Subscriber) push(rid string, p *rtp.Packet, usable bool, d *Descriptor, parser Parser) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started || rid != s.rid {
		if !usable || !s.wants(rid) {
			return
		}
		if !d.Keyframe {
			s.f.askKeyframe(rid)

			return
		}
		s.switchTo(rid, p, d)
	}
	seq := p.SequenceNumber
	if newer := int16(seq - s.newestSeq); newer > 0 { //nolint:gosec // G115: the serial-number distance (RFC 1982)
		s.newestSeq = seq
		if usable && d.FrameStart {
			s.frameStarts(p.Timestamp, d)
		}
		if !usable || d.Temporal > s.temporal {
			s.drop(seq, d)

			return
		}
	} else if int16(seq-s.offsetFrom) < 0 || !usable || d.Temporal > s.temporal { //nolint:gosec // G115: as above
		return // late, from before a renumbering or not forwarded
	}
	s.send(p, d, parser)
}

// wants reports whether the subscriber switches to (or starts with) rid.
func (s *Subscriber) wants(rid string) bool {
	if s.target.RID == "" {
		return !s.started
	}

	return s.target.RID == rid
}

// switchTo makes rid's keyframe, p, continue the stream sent so far.
func (s *Subscriber) switchTo(rid string, p *rtp.Packet, d *Descriptor) {
	if s.started {
		s.seqOffset = int32(s.seq) + 1 - int32(p.SequenceNumber)
		s.tsOffset = s.ts + s.frameTicks - p.Timestamp
		s.picOffset = s.pic + 1 - d.PictureID
		s.tl0Offset = s.tl0 + 1 - d.TL0PicIdx
	}
	s.started, s.rid = true, rid
	s.newestSeq, s.offsetFrom = p.SequenceNumber-1, p.SequenceNumber
	s.lastTS = p.Timestamp - s.frameTicks
	s.droppedPic = -1
}

// frameStarts applies a temporal layer change at the start of a frame of
// the layer forwarded.
func (s *Subscriber) frameStarts(ts uint32, d *Descriptor) {
	if step := ts - s.lastTS; step > 0 && step < 1<<30 {
		s.frameTicks = step
	}
	s.lastTS = ts
	limit := s.target.maxTemporal()
	switch {
	case d.Keyframe || limit < s.temporal:
		s.temporal = limit
	case d.Switch && d.Temporal > s.temporal && d.Temporal <= limit:
		s.temporal = d.Temporal
	}
}

// drop leaves out the layer's packet seq, closing the numbers it leaves.
func (s *Subscriber) drop(seq uint16, d *Descriptor) {
	s.seqOffset--
	s.offsetFrom = seq + 1
	if d.PictureID >= 0 && d.PictureID != s.droppedPic {
		s.droppedPic = d.PictureID
		s.picOffset--
	}
}

// send writes p renumbered into the subscriber's stream.
func (s *Subscriber) send(p *rtp.Packet, d *Descriptor, parser Parser) {
	s.header = p.Header
	h := &s.header
	h.SSRC = s.ssrc
	h.SequenceNumber = uint16(int32(p.SequenceNumber) + s.seqOffset) //nolint:gosec // G115: wraps like the sequence number
	h.Timestamp = p.Timestamp + s.tsOffset
	// The upstream hop's header extensions (ids, transport-wide numbers)
	// mean nothing on this one; the sender adds its own.
	h.Extension, h.Extensions, h.ExtensionProfile = false, nil, 0
	s.payload = append(s.payload[:0], p.Payload...)
	pic, tl0 := d.PictureID+s.picOffset, d.TL0PicIdx+s.tl0Offset
	parser.Renumber(s.payload, d, pic, tl0)
	if !s.sentAny || int16(h.SequenceNumber-s.seq) > 0 { //nolint:gosec // G115: the serial-number distance
		s.seq, s.ts, s.pic, s.tl0, s.sentAny = h.SequenceNumber, h.Timestamp, pic, tl0, true
	}
	s.outgoing = rtp.Packet{Header: *h, Payload: s.payload}
	_ = s.sink.WriteRTP(&s.outgoing) // a closed track: its peer's end removes the subscriber
}
