package core

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/omnirtc/omnirtc/core/forward"
	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/rtp"
)

// Forwarder forwards what a remote track, or every simulcast layer of a
// transceiver, receives to local tracks of mode "rtp" (its subscribers),
// each with a layer of its own (see package forward). A subscriber's PLI
// or FIR becomes a PLI upstream for its layer; its NACKs are answered by
// its own sender; receiver reports stay on their hop.
type Forwarder struct {
	track       *RemoteTrack // nil: the transceiver's group
	transceiver *Transceiver
	f           *forward.Forwarder

	mu          sync.Mutex
	subscribers map[*LocalTrack]*forward.Subscriber
	closed      bool
}

// Forwarder errors.
var (
	errForwarded       = errors.New("it is forwarded already")
	errNotRTPTrack     = errors.New("a subscriber is a local track of mode \"rtp\"")
	errSubscribed      = errors.New("the track is a forwarder's subscriber already")
	errNotSubscriber   = errors.New("the track is not a subscriber of this forwarder")
	errForwarderClosed = errors.New("the forwarder is closed")
	errTemporalLayer   = errors.New("temporal layer must be -1 (all) or 0 to 7")
	errSpatialLayer    = errors.New("spatial layer must be -1 (all) or 0 to 7")
)

// NewTrackForwarder forwards one remote track.
func NewTrackForwarder(r *RemoteTrack) (*Forwarder, error) {
	fw := &Forwarder{track: r, transceiver: r.transceiver, subscribers: map[*LocalTrack]*forward.Subscriber{}}
	fw.f = forward.New(fw)
	if !r.forwarder.CompareAndSwap(nil, fw) {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("the remote track: %w", errForwarded))
	}

	return fw, nil
}

// NewGroupForwarder forwards every remote track of a transceiver, the
// layers of a simulcast group told apart by rid.
func NewGroupForwarder(tr *Transceiver) (*Forwarder, error) {
	fw := &Forwarder{transceiver: tr, subscribers: map[*LocalTrack]*forward.Subscriber{}}
	fw.f = forward.New(fw)
	if !tr.forwarder.CompareAndSwap(nil, fw) {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("the transceiver: %w", errForwarded))
	}

	return fw, nil
}

// forwarderOf is the forwarder r's packets go to, if any.
func (r *RemoteTrack) forwarderOf() *Forwarder {
	if f := r.forwarder.Load(); f != nil {
		return f
	}

	return r.transceiver.forwarder.Load()
}

// RequestKeyframe sends a PLI to the sender of the layer rid (forward.Upstream).
func (fw *Forwarder) RequestKeyframe(rid string) error {
	r := fw.track
	if r == nil {
		fw.transceiver.mu.Lock()
		r = fw.transceiver.remotes[rid]
		fw.transceiver.mu.Unlock()
	}
	if r == nil {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("no remote track has rid %s", rtcerr.Quote(rid)))
	}

	return r.RequestKeyframe(false)
}

// checkLayer refuses a rid the forwarder cannot receive and a temporal or
// spatial layer out of range (the descriptors carry 3 bits of each).
func (fw *Forwarder) checkLayer(l forward.Layer) error {
	if l.Temporal < forward.AllTemporal || l.Temporal > 7 {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, errTemporalLayer)
	}
	if l.Spatial < forward.AllSpatial || l.Spatial > 7 {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, errSpatialLayer)
	}
	if l.RID == "" {
		return nil
	}
	var known bool
	if fw.track != nil {
		known = l.RID == fw.track.Info().RID
	} else {
		fw.transceiver.mu.Lock()
		_, known = fw.transceiver.remotes[l.RID]
		fw.transceiver.mu.Unlock()
	}
	if !known {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("%w: %s", errNoLayer, rtcerr.Quote(l.RID)))
	}

	return nil
}

// AddSubscriber forwards to t, a local track of mode "rtp" with the
// source's codec, the layer l from its next keyframe on.
func (fw *Forwarder) AddSubscriber(t *LocalTrack, l forward.Layer) error {
	if !t.rtp {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, errNotRTPTrack)
	}
	if t.closed.Load() {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errTrackClosed)
	}
	if err := fw.checkLayer(l); err != nil {
		return err
	}
	if mime := fw.sourceMime(); mime != "" && !strings.EqualFold(mime, t.codec.MimeType) {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("the track sends %s, the forwarder receives %s", t.codec.MimeType, mime))
	}
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.closed {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errForwarderClosed)
	}
	if !t.forwarded.CompareAndSwap(nil, fw) {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errSubscribed)
	}
	fw.subscribers[t] = fw.f.AddSubscriber(trackSink{t}, l)

	return nil
}

// sourceMime is the codec the forwarder receives, "" while unknown.
func (fw *Forwarder) sourceMime() string {
	if fw.track != nil {
		return fw.track.Info().Codec.MimeType
	}
	fw.transceiver.mu.Lock()
	defer fw.transceiver.mu.Unlock()
	for _, r := range fw.transceiver.remotes {
		if t := r.t.Load(); t != nil {
			return t.Codec().MimeType
		}
	}

	return ""
}

// RemoveSubscriber stops forwarding to t.
func (fw *Forwarder) RemoveSubscriber(t *LocalTrack) error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	s, ok := fw.subscribers[t]
	if !ok {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, errNotSubscriber)
	}
	fw.remove(t, s)

	return nil
}

// remove detaches the subscriber t; the caller holds fw.mu.
func (fw *Forwarder) remove(t *LocalTrack, s *forward.Subscriber) {
	fw.f.RemoveSubscriber(s)
	delete(fw.subscribers, t)
	t.forwarded.CompareAndSwap(fw, nil)
}

// subscriber returns t's subscriber.
func (fw *Forwarder) subscriber(t *LocalTrack) (*forward.Subscriber, error) {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	s, ok := fw.subscribers[t]
	if !ok {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errNotSubscriber)
	}

	return s, nil
}

// SetLayer selects the layer t receives (see forward.Subscriber.SetLayer).
func (fw *Forwarder) SetLayer(t *LocalTrack, l forward.Layer) error {
	if err := fw.checkLayer(l); err != nil {
		return err
	}
	s, err := fw.subscriber(t)
	if err != nil {
		return err
	}
	s.SetLayer(l)

	return nil
}

// SubscriberLayer describes the layer a subscriber receives.
type SubscriberLayer struct {
	RID      string      `json:"rid"`
	Temporal int         `json:"temporal"` // -1: all
	Spatial  int         `json:"spatial"`  // -1: all
	Started  bool        `json:"started"`  // a packet was forwarded; until then the fields are the layer asked for
	Auto     bool        `json:"auto"`     // the layer is chosen from the subscriber's bandwidth (SetAuto)
	Target   TargetLayer `json:"target"`   // the layer it switches to, or receives
	Estimate int64       `json:"estimate"` // the latest estimated available bitrate of its peer, b/s; 0: none yet
}

// TargetLayer is a layer a subscriber is switching to.
type TargetLayer struct {
	RID      string `json:"rid"`
	Temporal int    `json:"temporal"` // -1: all
	Spatial  int    `json:"spatial"`  // -1: all
}

// ParseSubscriberLayer reads a layer asked for in JSON,
// {"rid","temporal","spatial"}: an absent rid is "" (for a group, the first
// layer to start), an absent temporal or spatial layer all of them.
func ParseSubscriberLayer(text []byte) (forward.Layer, error) {
	in := struct {
		RID      string `json:"rid"`
		Temporal *int   `json:"temporal"`
		Spatial  *int   `json:"spatial"`
	}{}
	if err := strictjson.Decode(text, &in); err != nil {
		return forward.Layer{}, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("layer: %w", err))
	}
	l := forward.Layer{RID: in.RID, Temporal: forward.AllTemporal, Spatial: forward.AllSpatial}
	if in.Temporal != nil {
		l.Temporal = *in.Temporal
	}
	if in.Spatial != nil {
		l.Spatial = *in.Spatial
	}

	return l, nil
}

// Layer returns the layer t receives now.
func (fw *Forwarder) Layer(t *LocalTrack) (SubscriberLayer, error) {
	s, err := fw.subscriber(t)
	if err != nil {
		return SubscriberLayer{}, err
	}
	l, started := s.Layer()
	auto, target, estimate := s.Auto()

	return SubscriberLayer{
		RID: l.RID, Temporal: l.Temporal, Spatial: l.Spatial, Started: started, Auto: auto,
		Target: TargetLayer{RID: target.RID, Temporal: target.Temporal, Spatial: target.Spatial}, Estimate: estimate,
	}, nil
}

// SetAuto turns on or off the choice of t's layer from the bandwidth
// estimate of the peer sending it (see forward.Subscriber.SetAuto): the
// layer set becomes the highest chosen.
func (fw *Forwarder) SetAuto(t *LocalTrack, on bool) error {
	s, err := fw.subscriber(t)
	if err != nil {
		return err
	}
	s.SetAuto(on)

	return nil
}

// estimate passes the estimated available bitrate of the peer sending t
// to t's subscriber.
func (fw *Forwarder) estimate(t *LocalTrack, bps int64) {
	if s, err := fw.subscriber(t); err == nil {
		s.SetEstimate(bps)
	}
}

// Close stops forwarding: the source's packets and the subscribers are
// let go, and each subscriber track may join another forwarder.
func (fw *Forwarder) Close() {
	if fw.track != nil {
		fw.track.forwarder.CompareAndSwap(fw, nil)
	} else {
		fw.transceiver.forwarder.CompareAndSwap(fw, nil)
	}
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.closed = true
	for t, s := range fw.subscribers {
		fw.remove(t, s)
	}
}

// keyframeRequested passes a subscriber's PLI or FIR upstream.
func (fw *Forwarder) keyframeRequested(t *LocalTrack) {
	if s, err := fw.subscriber(t); err == nil {
		s.RequestKeyframe()
	}
}

// trackSink writes a subscriber's packets to its local track.
type trackSink struct{ t *LocalTrack }

func (s trackSink) WriteRTP(p *rtp.Packet) error { return s.t.writePacket("", p) }

// DependencyDescriptorID carries the forwarded AV1 Dependency Descriptor to
// each sender of the track, which moves it to the id its peer negotiated
// (sendWriter): one track may be sent to peers with different ids.
func (trackSink) DependencyDescriptorID() uint8 { return forwardedDDID }
