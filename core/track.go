package core

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omnirtc/omnirtc/core/codec"
	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
)

// TrackInit describes a local track: what it carries and how it is fed.
type TrackInit struct {
	Codec    string   `json:"codec"`    // "video/VP8", "vp8", "opus"…
	ID       string   `json:"id"`       // track id (default: random)
	StreamID string   `json:"streamId"` // media stream id (default: "omnirtc")
	RIDs     []string `json:"rids"`     // simulcast layers, one pion track each
	Mode     string   `json:"mode"`     // "sample" (default): encoded frames; "rtp": the caller's packets
}

// ParseTrackInit decodes TrackInit JSON strictly.
func ParseTrackInit(text []byte) (TrackInit, error) {
	var init TrackInit
	if err := strictjson.Decode(text, &init); err != nil {
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("track options: %w", err))
	}
	if init.Codec == "" {
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New(`track options: key "codec" is required`))
	}
	if init.Mode != "" && init.Mode != "sample" && init.Mode != "rtp" {
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("track options: mode %s is not sample or rtp", rtcerr.Quote(init.Mode)))
	}

	return init, nil
}

// trackWriter is what both kinds of pion local track have.
type trackWriter = webrtc.TrackLocal

// layer is one encoding of a local track: the whole track, or one rid.
type layer struct {
	rid    string
	track  trackWriter // written to; each sender gets it wrapped in a sendTrack
	active atomic.Bool
}

// LocalTrack is a MediaStreamTrack fed with encoded media: samples that pion
// packetizes, or RTP packets that pion rewrites to the negotiated payload
// type and SSRC.
type LocalTrack struct {
	codec  webrtc.RTPCodecCapability
	rtp    bool
	id     string
	stream string
	layers []*layer
	closed atomic.Bool
	source sourceStats

	forwarded atomic.Pointer[Forwarder] // the forwarder feeding the track, if any
}

// sourceStats count what the application fed the track's first layer
// (its source; simulcast layers are encodings of the same frames), for the
// media-source stats.
type sourceStats struct {
	frames   atomic.Uint64
	duration atomic.Int64 // time.Duration
}

func (s *sourceStats) add(duration time.Duration) {
	s.frames.Add(1)
	s.duration.Add(int64(duration))
}

// addTo adds the W3C media-source counters: frames for video, and for
// audio totalSamplesDuration (seconds).
func (s *sourceStats) addTo(entry map[string]any, kind webrtc.RTPCodecType) {
	if kind == webrtc.RTPCodecTypeVideo {
		entry["frames"] = s.frames.Load()
	} else {
		entry["totalSamplesDuration"] = time.Duration(s.duration.Load()).Seconds()
	}
}

var (
	errTrackClosed = errors.New("the track is closed")
	errNoLayer     = errors.New("the track has no such simulcast layer")
)

// NewLocalTrack creates a local track from its options.
func NewLocalTrack(init TrackInit) (*LocalTrack, error) {
	capability, err := codec.Lookup(init.Codec)
	if err != nil {
		return nil, err
	}
	t := &LocalTrack{codec: capability, rtp: init.Mode == "rtp", id: init.ID, stream: init.StreamID}
	if t.id == "" {
		t.id = fmt.Sprintf("omnirtc-%d", trackIDs.Add(1))
	}
	if t.stream == "" {
		t.stream = "omnirtc"
	}
	rids := init.RIDs
	if len(rids) == 0 {
		rids = []string{""}
	}
	seen := map[string]bool{}
	for _, rid := range rids {
		if seen[rid] || (len(init.RIDs) > 0 && (rid == "" || len(rid) > 16)) {
			return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("track options: rids must be distinct, 1 to 16 characters, got %s", rtcerr.Quote(rid)))
		}
		seen[rid] = true
		l, err := t.newLayer(rid)
		if err != nil {
			return nil, err
		}
		t.layers = append(t.layers, l)
	}

	return t, nil
}

var trackIDs atomic.Int64

// packets recycles the parsed form of written RTP packets.
var packets = sync.Pool{New: func() any { return &rtp.Packet{} }}

func (t *LocalTrack) newLayer(rid string) (*layer, error) {
	var opts []func(*webrtc.TrackLocalStaticRTP)
	if rid != "" {
		opts = append(opts, webrtc.WithRTPStreamID(rid))
	}
	l := &layer{rid: rid}
	l.active.Store(true)
	var err error
	if t.rtp {
		l.track, err = webrtc.NewTrackLocalStaticRTP(t.codec, t.id, t.stream, opts...)
	} else {
		l.track, err = webrtc.NewTrackLocalStaticSample(t.codec, t.id, t.stream, opts...)
	}

	if err != nil {
		return nil, rtcerr.Wrap(rtcerr.ErrOperation, err)
	}

	return l, nil
}

// forSender wraps each layer for one sender (see sendTrack).
func (t *LocalTrack) forSender() []*sendTrack {
	out := make([]*sendTrack, len(t.layers))
	for i, l := range t.layers {
		out[i] = &sendTrack{TrackLocal: l.track, local: t}
	}

	return out
}

// Kind is "audio" or "video".
func (t *LocalTrack) Kind() string { return codec.Kind(t.codec.MimeType).String() }

// ID is the track id.
func (t *LocalTrack) ID() string { return t.id }

func (t *LocalTrack) layer(rid string) (*layer, error) {
	if t.closed.Load() {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidState, errTrackClosed)
	}
	if rid == "" && len(t.layers) > 0 {
		return t.layers[0], nil
	}
	for _, l := range t.layers {
		if l.rid == rid {
			return l, nil
		}
	}

	return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("%w: %s", errNoLayer, rtcerr.Quote(rid)))
}

// WriteSample sends one encoded frame (or audio packet) lasting duration on
// the layer rid ("" for the first).
func (t *LocalTrack) WriteSample(rid string, data []byte, duration time.Duration) error {
	if t.rtp {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("the track was created with mode \"rtp\": write RTP packets"))
	}
	l, err := t.layer(rid)
	if err != nil || !l.active.Load() {
		return err
	}
	if len(data) == 0 {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("a sample needs at least one byte"))
	}
	s, _ := l.track.(*webrtc.TrackLocalStaticSample)
	if err := s.WriteSample(media.Sample{Data: data, Duration: duration}); err != nil {
		return rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	if l == t.layers[0] {
		t.source.add(duration)
	}

	return nil
}

// WriteRTP sends one RTP packet on the layer rid; pion sets the payload
// type and SSRC negotiated for it.
func (t *LocalTrack) WriteRTP(rid string, packet []byte) error {
	if !t.rtp {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("the track was created with mode \"sample\": write samples"))
	}
	l, err := t.layer(rid)
	if err != nil || !l.active.Load() {
		return err
	}
	p, _ := packets.Get().(*rtp.Packet)
	defer func() {
		*p = rtp.Packet{}
		packets.Put(p)
	}()
	if err := p.Unmarshal(packet); err != nil {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("malformed RTP packet: %w", err))
	}
	if p.Version != 2 {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("malformed RTP packet: version %d, not 2", p.Version))
	}

	return l.write(p)
}

// writePacket sends a parsed RTP packet on the layer rid of a track of
// mode "rtp" (a forwarder's subscriber).
func (t *LocalTrack) writePacket(rid string, p *rtp.Packet) error {
	l, err := t.layer(rid)
	if err != nil || !l.active.Load() {
		return err
	}

	return l.write(p)
}

// write sends p on a layer of a track of mode "rtp".
func (l *layer) write(p *rtp.Packet) error {
	s, _ := l.track.(*webrtc.TrackLocalStaticRTP)

	return rtcerr.Wrap(rtcerr.ErrOperation, s.WriteRTP(p))
}

// SetActive pauses (false) or resumes one layer: writes to a paused layer
// are dropped, as an inactive encoding sends nothing.
func (t *LocalTrack) SetActive(rid string, active bool) error {
	l, err := t.layer(rid)
	if err != nil {
		return err
	}
	l.active.Store(active)

	return nil
}

// Close ends the track: later writes fail.
func (t *LocalTrack) Close() { t.closed.Store(true) }

// LocalTrackInfo describes a local track.
type LocalTrackInfo struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"`
	Codec    string   `json:"codec"`
	StreamID string   `json:"streamId"`
	Mode     string   `json:"mode"`
	RIDs     []string `json:"rids"`
}

// Info describes the track.
func (t *LocalTrack) Info() LocalTrackInfo {
	info := LocalTrackInfo{
		ID: t.id, Kind: t.Kind(), Codec: t.codec.MimeType, StreamID: t.stream, Mode: "sample",
		RIDs: []string{},
	}
	if t.rtp {
		info.Mode = "rtp"
	}
	for _, l := range t.layers {
		if l.rid != "" {
			info.RIDs = append(info.RIDs, l.rid)
		}
	}

	return info
}
