package core

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omnirtc/omnirtc/core/codec"
	"github.com/omnirtc/omnirtc/core/forward"
	"github.com/omnirtc/omnirtc/core/internal/goroutine"
	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/jitterbuffer"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"
)

// Receive modes of a remote track.
const (
	receiveFrames int32 = iota // reassembled frames (the default)
	receiveRTP                 // raw RTP packets
	receiveNone                // read and drop (the interceptors still see them)
)

// defaultMaxLate is how many packets the sample builder waits for a missing
// one (a retransmission) before it drops the frame.
const defaultMaxLate = 512

// maxPacket bounds one received RTP packet.
const maxPacket = 1500

// rtpHeaderSize is the fixed part of an RTP header.
const rtpHeaderSize = 12

// keyframeRetry spaces the keyframe requests of a video track that has
// delivered no keyframe yet.
const keyframeRetry = 250 * time.Millisecond

// defaultMaxDelay is how much media time the sample builder waits for a
// missing packet before it drops the frame, when a NACK can bring it back.
const defaultMaxDelay = time.Second

// reorderDelay is that wait when nothing will retransmit a missing packet
// (no NACK generator, or no "nack" feedback negotiated for the codec): only
// a reordered packet can still come, and waiting longer stalls every frame
// behind a lost one.
const reorderDelay = 50 * time.Millisecond

// ReceiveOptions choose how a remote track is delivered.
type ReceiveOptions struct {
	Mode       string `json:"mode"`       // "frames" (default), "rtp" or "none"
	MaxLate    uint16 `json:"maxLate"`    // frames mode: packets to wait for a missing one (default 512)
	MaxDelayMs uint32 `json:"maxDelayMs"` // frames mode: media time to wait for it (default 1000 with NACK, else 50)
}

// ParseReceiveOptions decodes ReceiveOptions JSON strictly.
func ParseReceiveOptions(text []byte) (ReceiveOptions, error) {
	var o ReceiveOptions
	if err := strictjson.Decode(text, &o); err != nil {
		return o, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("receive options: %w", err))
	}
	if o.Mode != "" && o.Mode != "frames" && o.Mode != "rtp" && o.Mode != "none" {
		return o, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("receive options: mode %s is not frames, rtp or none", rtcerr.Quote(o.Mode)))
	}

	return o, nil
}

// RemoteTrack is a track the remote peer sends: one per media section it
// sends on (per rid with simulcast). It arrives in EventTrack while the
// remote description that announces it is applied, muted (W3C webrtc-pc
// 4.4.1.6), and is unmuted (EventTrackUnmute) by its first packet, when pion
// hands over the TrackRemote it reads. A later description in which the
// remote no longer sends mutes it (EventTrackMute); one in which it sends
// again announces it again (EventTrack). It ends (EventTrackEnded) when its
// transceiver stops. Each TrackRemote is read on a goroutine of its own,
// which starts once the track's first EventTrack was delivered (taken, on a
// polled peer connection), so the receive mode set inside that event's
// handler applies from the first packet, as does the peer connection's
// SetTrackReceive. That goroutine runs the handler for the track's
// EventTrackRTP and EventTrackFrame itself, serialized with the peer
// connection's other events, in an Event valid only during the call.
type RemoteTrack struct {
	pc          *PeerConnection
	t           atomic.Pointer[webrtc.TrackRemote] // the one read now; nil while none is
	kind        webrtc.RTPCodecType
	transceiver *Transceiver
	mode        atomic.Int32
	ownOptions  atomic.Bool // SetReceiveOptions was called
	maxLate     atomic.Uint32
	maxDelay    atomic.Int64         // time.Duration; 0: defaultMaxDelay
	jitter      *jitterbuffer.Buffer // with the "jitterBuffer" interceptor
	ready       chan struct{}        // closed once the first EventTrack was delivered
	announced   sync.Once
	frames      atomic.Uint64             // delivered in frames mode, for framesReceived
	forwarder   atomic.Pointer[Forwarder] // forwards the track's packets (or its transceiver's does)

	// Under transceiver.mu:
	described RemoteInfo // what the remote description said of it
	sending   bool       // the last remote description sends it (its EventTrack was posted)
	muted     bool
	ending    bool // its transceiver stopped: the end of its reading ends it
	reading   bool // a TrackRemote is read
	ended     bool // EventTrackEnded was posted
}

// RemoteInfo describes a remote track, as in the track event.
type RemoteInfo struct {
	ID        string    `json:"id"`
	StreamIDs []string  `json:"streamIds"`
	Kind      string    `json:"kind"`
	RID       string    `json:"rid"`
	SSRC      uint32    `json:"ssrc"`
	Codec     CodecInfo `json:"codec"`
	Mid       string    `json:"mid,omitempty"`
}

func remoteInfo(t *webrtc.TrackRemote) RemoteInfo {
	streams := []string{}
	if t.StreamID() != "" {
		streams = append(streams, t.StreamID())
	}

	return RemoteInfo{
		ID: t.ID(), StreamIDs: streams, Kind: t.Kind().String(), RID: t.RID(), SSRC: uint32(t.SSRC()),
		Codec: codecInfo(t.Codec()),
	}
}

// newRemoteTrack makes the remote track described by info, muted; the
// caller holds tr.mu.
func (tr *Transceiver) newRemoteTrack(info RemoteInfo) *RemoteTrack {
	p := tr.pc
	r := &RemoteTrack{pc: p, kind: tr.t.Kind(), transceiver: tr, ready: make(chan struct{}), described: info, muted: true}
	if cfg := p.engine.jitter; cfg != nil {
		r.jitter = jitterbuffer.New(*cfg)
	}
	r.maxLate.Store(defaultMaxLate)
	if tr.remotes == nil {
		tr.remotes = map[string]*RemoteTrack{}
	}
	tr.remotes[info.RID] = r

	return r
}

// announce posts the track's EventTrack; the caller holds
// r.transceiver.mu.
func (r *RemoteTrack) announce() {
	r.sending = true
	text, _ := json.Marshal(r.infoLocked())
	r.pc.trackEvents.Add(1)
	r.pc.events.post(&Event{
		Type: EventTrack, RemoteTrack: r, Transceiver: r.transceiver, RID: r.described.RID,
		TrackInfo: string(text), delivered: func() { r.announced.Do(func() { close(r.ready) }) },
	})
}

// setMuted posts EventTrackMute or EventTrackUnmute when the track's muted
// changes; the caller holds r.transceiver.mu.
func (r *RemoteTrack) setMuted(muted bool) {
	if r.muted == muted || r.ended {
		return
	}
	r.muted = muted
	e := &Event{Type: EventTrackUnmute, RemoteTrack: r}
	if muted {
		e.Type = EventTrackMute
	}
	r.pc.events.post(e)
}

// end ends the track as its transceiver stops: at once when nothing is
// read, else when that reading ends; the caller holds r.transceiver.mu.
func (r *RemoteTrack) end() {
	r.ending = true
	if !r.reading {
		r.finish()
	}
}

// finish posts EventTrackEnded, once; the caller holds r.transceiver.mu.
func (r *RemoteTrack) finish() {
	if r.ended {
		return
	}
	r.ended = true
	delete(r.transceiver.remotes, r.described.RID)
	r.pc.events.post(&Event{Type: EventTrackEnded, RemoteTrack: r})
}

// onTrack takes the TrackRemote pion hands over at its first packet: the
// remote track the description announced for its transceiver and rid is
// unmuted and read. A track no description announced (pion's undeclared
// SSRCs) is announced now.
func (p *PeerConnection) onTrack(t *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
	if p.closed.Load() {
		return
	}
	pt := receiver.RTPTransceiver()
	if pt == nil {
		return
	}
	tr := p.transceiverFor(pt)
	tr.mu.Lock()
	r := tr.remotes[t.RID()]
	if r == nil {
		info := remoteInfo(t)
		info.Mid = pt.Mid()
		r = tr.newRemoteTrack(info)
		r.announce()
	}
	r.reading = true
	r.t.Store(t)
	if o := p.trackReceive.Load(); o != nil && !r.ownOptions.Load() {
		r.setReceiveOptions(*o)
	}
	r.setMuted(false)
	tr.mu.Unlock()
	p.remoteTracks.Store(t, r)
	go r.run(t)
	go r.readRTCP(t, receiver)
}

// readRTCP reads the RTCP that arrives for the track (the sender's
// reports) until the receiver stops. pion passes it through the
// interceptors only when read: unread, the sender reports reached neither
// the stats (remote-outbound-rtp) nor the receiver reports, whose LSR and
// DLSR give the sender its round-trip time.
func (r *RemoteTrack) readRTCP(t *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
	buf := make([]byte, maxPacket)
	for {
		var err error
		if rid := t.RID(); rid == "" {
			_, _, err = receiver.Read(buf)
		} else {
			_, _, err = receiver.ReadSimulcast(buf, rid)
		}
		if err != nil {
			return
		}
	}
}

// SetReceiveOptions sets how packets are delivered from now on; the peer
// connection's SetTrackReceive no longer applies to the track.
func (r *RemoteTrack) SetReceiveOptions(o ReceiveOptions) {
	r.ownOptions.Store(true)
	r.setReceiveOptions(o)
}

func (r *RemoteTrack) setReceiveOptions(o ReceiveOptions) {
	mode := receiveFrames
	switch o.Mode {
	case "rtp":
		mode = receiveRTP
	case "none":
		mode = receiveNone
	}
	if o.MaxLate > 0 {
		r.maxLate.Store(uint32(o.MaxLate))
	}
	if o.MaxDelayMs > 0 {
		r.maxDelay.Store(int64(o.MaxDelayMs) * int64(time.Millisecond))
	}
	r.mode.Store(mode)
}

// Info describes the track: what its remote description said until its
// first packet, then what it receives.
func (r *RemoteTrack) Info() RemoteInfo {
	r.transceiver.mu.Lock()
	defer r.transceiver.mu.Unlock()

	return r.infoLocked()
}

func (r *RemoteTrack) infoLocked() RemoteInfo {
	t := r.t.Load()
	if t == nil {
		return r.described
	}
	info := remoteInfo(t)
	info.Mid = r.described.Mid
	if info.ID == "" {
		info.ID, info.StreamIDs = r.described.ID, r.described.StreamIDs
	}

	return info
}

// Muted is the W3C MediaStreamTrack.muted of the track.
func (r *RemoteTrack) Muted() bool {
	r.transceiver.mu.Lock()
	defer r.transceiver.mu.Unlock()

	return r.muted
}

// remote is the TrackRemote read now, or an error while there is none.
func (r *RemoteTrack) remote() (*webrtc.TrackRemote, error) {
	if t := r.t.Load(); t != nil {
		return t, nil
	}

	return nil, rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("the track is muted: nothing is received"))
}

// run reads t until it ends, which mutes the track, or ends it when its
// transceiver stopped.
func (r *RemoteTrack) run(t *webrtc.TrackRemote) {
	select {
	case <-r.ready:
	case <-r.pc.done:
		return
	}
	defer r.pc.remoteTracks.Delete(t)
	if r.read(t) {
		r.stopped(t)
	}
}

// stopped marks the end of reading t: the track ends if its transceiver
// stopped, else it is muted until pion hands over a TrackRemote again.
func (r *RemoteTrack) stopped(t *webrtc.TrackRemote) {
	r.transceiver.mu.Lock()
	defer r.transceiver.mu.Unlock()
	if !r.t.CompareAndSwap(t, nil) {
		return // a TrackRemote that replaced t is read already
	}
	r.reading = false
	if r.ending {
		r.finish()
	} else {
		r.setMuted(true)
	}
}

// read delivers t's media until t ends (true) or the peer closes (false).
func (r *RemoteTrack) read(t *webrtc.TrackRemote) bool {
	d := &delivery{
		r: r, t: t, reader: goroutine.ID(), e: &Event{}, defaultDelay: int64(r.defaultMaxDelay(t)),
		layers: newLayerReader(r.transceiver.t.Receiver()), mimePT: -1,
	}
	read := r.readDirect
	if r.jitter != nil {
		read = r.readBuffered
	}
	if !read(d) {
		return false
	}
	if d.builder != nil {
		d.builder.Flush()
		d.popFrames()
	}

	return true
}

// readDirect delivers packets as they are read until the track ends (true)
// or the peer closes (false).
func (r *RemoteTrack) readDirect(d *delivery) bool {
	buf := make([]byte, maxPacket)
	for {
		n, err := r.readPacket(d.t, buf)
		if err != nil {
			return true
		}
		if !d.deliver(buf[:n]) {
			return false
		}
	}
}

// readBuffered reads the track through its jitter buffer until the track
// ends (true) or the peer closes (false). Packets are read on a goroutine
// of their own, so that a gap is given up on time while nothing arrives: a
// read deadline would also end pion's RTX reader, which stops at the first
// read error.
func (r *RemoteTrack) readBuffered(d *delivery) bool {
	packets := make(chan []byte, 16)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(packets)
		buf := make([]byte, maxPacket)
		for {
			n, err := r.readPacket(d.t, buf)
			if err != nil {
				return
			}
			select {
			case packets <- append([]byte(nil), buf[:n]...):
			case <-stop:
				return
			}
		}
	}()
	jb := r.jitter
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case packet, ok := <-packets:
			if !ok {
				for _, p := range jb.Flush(time.Now()) {
					if !d.deliver(p) {
						return false
					}
				}

				return true
			}
			jb.Push(packet, time.Now())
		case <-timer.C:
		}
		now := time.Now()
		for p := jb.Pop(now); p != nil; p = jb.Pop(now) {
			if !d.deliver(p) {
				return false
			}
		}
		if deadline := jb.Deadline(); !deadline.IsZero() {
			timer.Reset(deadline.Sub(now))
		}
	}
}

// readPacket reads t's next packet, telling the NACK generator of one repaired
// through RTX (see nack.Generator).
func (r *RemoteTrack) readPacket(t *webrtc.TrackRemote, buf []byte) (int, error) {
	n, attrs, err := t.Read(buf)
	if g := r.pc.engine.nackGenerator.Load(); err == nil && n >= rtpHeaderSize && g != nil &&
		attrs.Get(webrtc.AttributeRtxSequenceNumber) != nil {
		g.Repaired(uint32(t.SSRC()), binary.BigEndian.Uint16(buf[2:]))
	}

	return n, err
}

// delivery hands read packets to the application in the track's receive
// mode, on run's goroutine.
type delivery struct {
	r            *RemoteTrack
	t            *webrtc.TrackRemote
	reader       uint64    // goroutine id of run, which delivers t's media
	keyed        bool      // a keyframe was delivered
	askedAt      time.Time // the last keyframe request awaitKeyframe sent
	e            *Event    // reused: media events are valid only during the handler
	builder      *samplebuilder.SampleBuilder
	built        [2]int64 // the maxLate and maxDelay it was built with
	defaultDelay int64    // the maxDelay unless set: defaultMaxDelay of t
	lastSeq      uint16
	dtmf         dtmfReceiver
	seqs         seqCloser // numbers audio packets as if no telephone-event had been sent
	layers       *layerReader
	mimePT       int    // the payload type mime is of, -1 before the first packet
	mime         string // t's codec for packets of mimePT: Codec() locks and copies, so not per packet
}

// mimeType is the MIME type of packet's codec, asked of pion when the
// payload type changes (pion switches the track's codec on the same one).
func (d *delivery) mimeType(packet []byte) string {
	if len(packet) > 1 && int(packet[1]&0x7f) != d.mimePT {
		d.mimePT, d.mime = int(packet[1]&0x7f), d.t.Codec().MimeType
	}

	return d.mime
}

// deliver hands over one packet, copying what it keeps; false once the peer
// connection is closed.
func (d *delivery) deliver(packet []byte) bool {
	r := d.r
	if f := r.forwarderOf(); f != nil {
		f.f.Push(forward.Source{RID: d.t.RID(), MimeType: d.mimeType(packet), DependencyDescriptorID: d.layers.ddID}, packet)
	}
	mode := r.mode.Load()
	if d.telephoneEvent(packet) && mode == receiveFrames {
		d.seqs.event(binary.BigEndian.Uint16(packet[2:]))

		return true // not audio
	}
	switch mode {
	case receiveRTP:
		var ts uint32
		if len(packet) >= 8 {
			ts = binary.BigEndian.Uint32(packet[4:])
		}
		layer, described := d.layers.read(d.mimeType(packet), packet)
		*d.e = Event{Type: EventTrackRTP, RemoteTrack: r, Data: packet, Timestamp: ts, Layer: layer, LayerDescribed: described}

		return r.pc.events.deliver(d.reader, d.e)
	case receiveFrames:
		maxDelay := r.maxDelay.Load()
		if maxDelay == 0 {
			maxDelay = d.defaultDelay
		}
		if want := [2]int64{int64(r.maxLate.Load()), maxDelay}; d.builder == nil || want != d.built {
			d.builder, d.built = d.newBuilder(uint16(want[0]), time.Duration(want[1])), want //nolint:gosec // G115: maxLate holds a uint16 (RemoteTrackOptions.MaxLate)
		}
		p := &rtp.Packet{}
		if p.Unmarshal(append([]byte(nil), packet...)) != nil {
			return true
		}
		p.SequenceNumber = d.seqs.audio(p.SequenceNumber)
		if gap := p.SequenceNumber - d.lastSeq; gap > jitterbuffer.SeqJump && gap < 65536-jitterbuffer.SeqJump {
			d.builder.Flush()
			if !d.popFrames() {
				return false
			}
			d.builder = d.newBuilder(uint16(d.built[0]), time.Duration(d.built[1])) //nolint:gosec // G115: maxLate holds a uint16 (RemoteTrackOptions.MaxLate)
		}
		d.lastSeq = p.SequenceNumber
		d.builder.Push(p)

		return d.popFrames()
	}

	return true
}

// telephoneEvent reports whether packet is a telephone-event, decoded
// into the track's DTMF events.
func (d *delivery) telephoneEvent(packet []byte) bool {
	if len(packet) < rtpHeaderSize {
		return false
	}
	clock := d.dtmf.telephoneEventClock(d.r, packet[1]&0x7f)
	if clock == 0 {
		return false
	}
	p := &rtp.Packet{}
	if p.Unmarshal(packet) == nil {
		d.dtmf.receive(d.r, p, clock)
	}

	return true
}

// popFrames delivers every frame the builder completed, in d.e; false once
// the peer connection is closed.
func (d *delivery) popFrames() bool {
	r, e := d.r, d.e
	mime := d.t.Codec().MimeType
	av1 := strings.EqualFold(mime, webrtc.MimeTypeAV1)
	for s := d.builder.Pop(); s != nil; s = d.builder.Pop() {
		if av1 {
			s.Data = withTemporalDelimiter(s.Data)
		}
		*e = Event{
			Type: EventTrackFrame, RemoteTrack: r, Data: s.Data, Timestamp: s.PacketTimestamp,
			Keyframe: codec.IsKeyframe(mime, s.Data), PacketsDropped: int64(s.PrevDroppedPackets),
		}
		d.awaitKeyframe(e.Keyframe)
		r.frames.Add(1)
		if !r.pc.events.deliver(d.reader, e) {
			return false
		}
	}

	return true
}

// awaitKeyframe asks the sender for a keyframe (PLI), at most every
// keyframeRetry, while a video track has delivered frames but no keyframe:
// nothing before one can be decoded, and a lost first keyframe is otherwise
// never replaced, as senders need not send keyframes unasked (a simulcast
// layer of Firefox's, started under load, lost its first one that way).
func (d *delivery) awaitKeyframe(keyframe bool) {
	if d.keyed || d.r.kind != webrtc.RTPCodecTypeVideo {
		return
	}
	if keyframe {
		d.keyed = true

		return
	}
	if now := time.Now(); now.Sub(d.askedAt) >= keyframeRetry {
		d.askedAt = now
		_ = d.r.RequestKeyframe(false) // fails only once the peer connection is closed
	}
}

// defaultMaxDelay is defaultMaxDelay when the track's lost packets are
// NACKed, reorderDelay when they never come back.
func (r *RemoteTrack) defaultMaxDelay(t *webrtc.TrackRemote) time.Duration {
	if r.pc.engine.nackGenerator.Load() == nil { // created when the track's stream was bound
		return reorderDelay
	}
	for _, fb := range t.Codec().RTCPFeedback {
		if fb.Type == "nack" && fb.Parameter == "" {
			return defaultMaxDelay
		}
	}

	return reorderDelay
}

func (d *delivery) newBuilder(maxLate uint16, maxDelay time.Duration) *samplebuilder.SampleBuilder {
	c := d.t.Codec()

	return samplebuilder.New(maxLate, depacketizer(c.MimeType), c.ClockRate,
		samplebuilder.WithMaxTimeDelay(maxDelay))
}

// depacketizer returns the payload parser for a codec; unknown audio is
// taken as whole packets.
func depacketizer(mime string) rtp.Depacketizer {
	switch strings.ToLower(mime) {
	case strings.ToLower(webrtc.MimeTypeVP8):
		return &codecs.VP8Packet{}
	case strings.ToLower(webrtc.MimeTypeVP9):
		return &codecs.VP9Packet{}
	case strings.ToLower(webrtc.MimeTypeH264):
		return &codecs.H264Packet{}
	case strings.ToLower(webrtc.MimeTypeH265):
		return &codecs.H265Depacketizer{}
	case strings.ToLower(webrtc.MimeTypeAV1):
		return &codecs.AV1Depacketizer{}
	case strings.ToLower(webrtc.MimeTypeOpus):
		return &codecs.OpusPacket{}
	default:
		return &wholePacket{}
	}
}

// wholePacket depacketizes codecs whose payload is the frame (G.711, G.722).
type wholePacket struct{}

func (*wholePacket) Unmarshal(payload []byte) ([]byte, error) { return payload, nil }
func (*wholePacket) IsPartitionHead([]byte) bool              { return true }
func (*wholePacket) IsPartitionTail(bool, []byte) bool        { return true }

// av1TemporalDelimiter is the OBU that starts every AV1 temporal unit
// (type 2, with an empty size field).
var av1TemporalDelimiter = []byte{0x12, 0x00}

// withTemporalDelimiter starts an AV1 temporal unit with its temporal
// delimiter: senders remove it (AV1 RTP payload format, section 5) and
// pion's depacketizer drops any that arrives, but a temporal unit without
// one is not a conformant bitstream (AV1 spec 7.5), nor what the sender's
// file or encoder had.
func withTemporalDelimiter(tu []byte) []byte {
	if len(tu) > 0 && (tu[0]>>3)&0x0f == 2 {
		return tu
	}

	return append(append(make([]byte, 0, len(av1TemporalDelimiter)+len(tu)), av1TemporalDelimiter...), tu...)
}

// RequestKeyframe sends a PLI (fir false) or a FIR to the track's sender.
func (r *RemoteTrack) RequestKeyframe(fir bool) error {
	if err := r.pc.checkOpen(); err != nil {
		return err
	}
	if r.kind != webrtc.RTPCodecTypeVideo {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("keyframes are requested from video tracks only"))
	}
	t, err := r.remote()
	if err != nil {
		return err
	}
	ssrc := uint32(t.SSRC())
	var pkt rtcp.Packet = &rtcp.PictureLossIndication{MediaSSRC: ssrc}
	if fir {
		seq := uint8(r.pc.firSeq.Add(1)) //nolint:gosec // G115: the FIR sequence number wraps at 8 bits (RFC 5104 4.3.1)
		pkt = &rtcp.FullIntraRequest{MediaSSRC: ssrc, FIR: []rtcp.FIREntry{{SSRC: ssrc, SequenceNumber: seq}}}
	}

	return r.pc.outcome(r.pc.pc.WriteRTCP([]rtcp.Packet{pkt}), rtcerr.ErrOperation)
}
