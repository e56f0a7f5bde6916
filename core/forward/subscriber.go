package forward

import (
	"math/rand/v2"
	"sync"

	"github.com/omnirtc/omnirtc/core/svc"
	"github.com/pion/rtp"
)

// AllTemporal selects every temporal layer, AllSpatial every spatial one.
const (
	AllTemporal = -1
	AllSpatial  = -1
)

// allLayers stands for every layer above a limit.
const allLayers = 1 << 8

// defaultFrameTicks is the timestamp step assumed between a layer's frames
// until two of them were seen (90 kHz at 30 frames per second).
const defaultFrameTicks = 3000

// Layer is the layer a subscriber receives.
type Layer struct {
	RID      string // simulcast layer; "" takes the first layer that starts a frame decodably, and keeps it
	Temporal int    // highest temporal layer, or AllTemporal
	Spatial  int    // highest spatial layer of an SVC stream (VP9, AV1), or AllSpatial
}

// maxTemporal is the highest temporal layer id l selects.
func (l Layer) maxTemporal() int { return limit(l.Temporal) }

// maxSpatial is the highest spatial layer id l selects.
func (l Layer) maxSpatial() int { return limit(l.Spatial) }

func limit(layer int) int {
	if layer < 0 {
		return allLayers
	}

	return layer
}

// shown is a limit as Layer has it: -1 for all.
func shown(limit int) int {
	if limit >= allLayers {
		return -1
	}

	return limit
}

// Subscriber is one receiver of a forwarder's stream, with its own layer
// and its own numbering.
type Subscriber struct {
	f    *Forwarder
	sink Sink
	ssrc uint32

	mu           sync.Mutex
	target       Layer
	started      bool
	rid          string // the simulcast layer forwarded now
	temporal     int    // the highest temporal layer forwarded now
	spatial      int    // the highest spatial layer forwarded now
	decodeTarget int    // the AV1 decode target forwarded now, -1 before one was chosen
	upSwitch     bool   // the last frame forwarded lets the next one add temporal layers (VP9's U)

	// The input layer's numbers mapped to the output's: out = in + offset.
	seqOffset, picOffset, tl0Offset int32
	tsOffset                        uint32
	newestSeq                       uint16 // the newest sequence number of the layer
	offsetFrom                      uint16 // seqOffset holds from this one on
	droppedPic                      int32  // the picture id last dropped
	lastTS                          uint32 // the input timestamp of the layer's newest frame
	frameTicks                      uint32 // the layer's timestamp step between frames

	// What was sent last.
	seq        uint16
	ts         uint32
	pic, tl0   int32
	sentAny    bool
	payload    []byte
	extensions []rtp.Extension // the header's, reused
	header     rtp.Header
	outgoing   rtp.Packet

	auto autoLayer // the layer chosen from the bandwidth (autolayer.go)
}

func newSubscriber(f *Forwarder, sink Sink, l Layer) *Subscriber {
	ssrc := rand.Uint32() //nolint:gosec // G404: an SSRC tells streams apart, it guards nothing

	return &Subscriber{
		f: f, sink: sink, ssrc: ssrc, target: l, frameTicks: defaultFrameTicks, droppedPic: -1, decodeTarget: -1,
		auto: autoLayer{policy: NewPolicy()},
	}
}

// SetLayer selects the layer to receive: a temporal or spatial layer down
// at the next frame (picture), a temporal layer up at the next frame that
// allows it (layer sync, VP9's switching up point, an AV1 switch
// indication or keyframe), a spatial layer up at the next keyframe or
// switch indication, a simulcast layer at its next keyframe; keyframes are
// asked for upstream. With SetAuto on, l is the highest layer chosen.
func (s *Subscriber) SetLayer(l Layer) {
	s.setTarget(s.limitTo(l))
}

// setTarget switches to l.
func (s *Subscriber) setTarget(l Layer) {
	s.mu.Lock()
	s.target = l
	ask := l.RID != "" && (!s.started || l.RID != s.rid) || s.started && l.maxSpatial() > s.spatial
	rid := l.RID
	if rid == "" {
		rid = s.rid
	}
	s.mu.Unlock()
	if ask {
		s.f.askKeyframe(rid)
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

	return Layer{RID: s.rid, Temporal: shown(s.temporal), Spatial: shown(s.spatial)}, true
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
		switch {
		case usable && d.FrameStart:
			s.frameStarts(p.Timestamp, d)
		case usable && d.LayerFrameStart && d.DTIs != nil:
			s.chooseTarget(d, false)
		}
		if !usable || !s.takes(d) {
			s.drop(seq, d, !usable || d.Temporal > s.temporal)

			return
		}
	} else if int16(seq-s.offsetFrom) < 0 || !usable || !s.takes(d) { //nolint:gosec // G115: as above
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
	s.decodeTarget = -1
}

// takes reports whether the layers forwarded now include d's frame.
func (s *Subscriber) takes(d *Descriptor) bool {
	if d.DTIs != nil {
		return s.decodeTarget >= 0 && s.decodeTarget < len(d.DTIs) && d.DTIs[s.decodeTarget] != svc.DTINotPresent
	}

	return d.Spatial <= s.spatial && d.Temporal <= s.temporal
}

// frameStarts applies a temporal layer change at the start of a frame of
// the layer forwarded.
func (s *Subscriber) frameStarts(ts uint32, d *Descriptor) {
	if step := ts - s.lastTS; step > 0 && step < 1<<30 {
		s.frameTicks = step
	}
	s.lastTS = ts
	if d.DTIs != nil {
		s.chooseTarget(d, true)

		return
	}
	limit := s.target.maxTemporal()
	switch {
	case d.Keyframe || limit < s.temporal:
		s.temporal = limit
	case d.Switch && d.Temporal > s.temporal && d.Temporal <= limit:
		s.temporal = d.Temporal
	case s.upSwitch && limit > s.temporal:
		s.temporal = limit
	}
	s.upSwitch = d.SwitchAfter && d.Temporal <= s.temporal
	spatial := s.target.maxSpatial()
	switch {
	case d.Keyframe || spatial < s.spatial:
		s.spatial = spatial
	case spatial > s.spatial:
		s.f.askKeyframe(s.rid)
	}
}

// chooseTarget moves to the AV1 decode target of the layers asked for, or
// failing that the nearest one below them: down at once, up where the frame
// is a switch indication for it or a keyframe. Within a temporal unit (at a
// frame of a higher spatial layer) only the temporal layers may change, as
// the marker of the unit's top layer may be out already.
func (s *Subscriber) chooseTarget(d *Descriptor, unitStart bool) {
	spatial, temporal := s.target.maxSpatial(), s.target.maxTemporal()
	want := decodeTarget(d, spatial, temporal)
	for _, dt := range []int{want, decodeTarget(d, min(spatial, s.spatial), temporal), decodeTarget(d, min(spatial, s.spatial), min(temporal, s.temporal))} {
		if dt < 0 || dt == s.decodeTarget {
			break
		}
		down := s.decodeTarget >= 0 && d.TargetSpatial[dt] <= s.spatial && d.TargetTemporal[dt] <= s.temporal
		if (unitStart || d.TargetSpatial[dt] == s.spatial) && (d.Keyframe || down || d.DTIs[dt] == svc.DTISwitch) {
			s.decodeTarget, s.spatial, s.temporal = dt, d.TargetSpatial[dt], d.TargetTemporal[dt]

			break
		}
	}
	if unitStart && want >= 0 && d.TargetSpatial[want] > s.spatial {
		s.f.askKeyframe(s.rid)
	}
}

// drop leaves out the layer's packet seq, closing the numbers it leaves;
// the picture id too when the whole picture goes (not only spatial layers
// of it).
func (s *Subscriber) drop(seq uint16, d *Descriptor, wholePicture bool) {
	s.seqOffset--
	s.offsetFrom = seq + 1
	if wholePicture && d.PictureID >= 0 && d.PictureID != s.droppedPic {
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
	// mean nothing on this one; the sender adds its own. The dependency
	// descriptor is the receiver's only view of AV1's layers: it goes on,
	// under the id the subscriber's hop negotiated.
	h.Extension, h.Extensions, h.ExtensionProfile = false, nil, 0
	if dd, ok := s.sink.(DependencyDescriptorSink); ok && d.DependencyDescriptor != nil && dd.DependencyDescriptorID() != 0 {
		s.keepExtension(dd.DependencyDescriptorID(), d.DependencyDescriptor)
	}
	// With spatial layers dropped, the picture ends for this subscriber
	// with the highest layer it keeps.
	h.Marker = p.Marker || d.EndOfFrame && d.Spatial == s.spatial
	s.payload = append(s.payload[:0], p.Payload...)
	pic, tl0 := d.PictureID+s.picOffset, d.TL0PicIdx+s.tl0Offset
	parser.Renumber(s.payload, d, pic, tl0)
	if !s.sentAny || int16(h.SequenceNumber-s.seq) > 0 { //nolint:gosec // G115: the serial-number distance
		s.seq, s.ts, s.pic, s.tl0, s.sentAny = h.SequenceNumber, h.Timestamp, pic, tl0, true
	}
	s.outgoing = rtp.Packet{Header: *h, Payload: s.payload}
	_ = s.sink.WriteRTP(&s.outgoing) // a closed track: its peer's end removes the subscriber
}

// keepExtension puts one header extension on the packet being sent, in the
// profile it fits (RFC 8285: one byte for ids up to 14 and up to 16 bytes).
func (s *Subscriber) keepExtension(id uint8, payload []byte) {
	h := &s.header
	h.Extension, h.Extensions, h.ExtensionProfile = true, s.extensions[:0], rtp.ExtensionProfileOneByte
	if id > 14 || len(payload) > 16 {
		h.ExtensionProfile = rtp.ExtensionProfileTwoByte
	}
	if h.SetExtension(id, payload) != nil { // longer than a header extension can be: not forwarded
		h.Extension, h.Extensions, h.ExtensionProfile = false, nil, 0
	}
	s.extensions = h.Extensions
}
