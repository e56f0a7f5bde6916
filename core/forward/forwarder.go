package forward

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
)

// KeyframeInterval is the least time between two keyframe requests the
// forwarder sends upstream for one layer, however many subscribers ask.
const KeyframeInterval = 500 * time.Millisecond

// Upstream is where the forwarder's packets come from: it asks the sender
// of the layer rid ("" for a single track) for a keyframe (a PLI).
type Upstream interface {
	RequestKeyframe(rid string) error
}

// Sink takes a subscriber's packets, valid only during the call (a local
// track of kind "rtp", which also sets the negotiated payload type).
type Sink interface {
	WriteRTP(p *rtp.Packet) error
}

// DependencyDescriptorSink is a Sink whose hop negotiated the AV1
// Dependency Descriptor extension: forwarded AV1 packets carry it under
// that id (0: not negotiated, left out).
type DependencyDescriptorSink interface {
	Sink
	DependencyDescriptorID() uint8
}

// Forwarder forwards one stream's layers to its subscribers.
type Forwarder struct {
	upstream Upstream
	now      func() time.Time

	mu          sync.Mutex // serializes changes of subscribers
	subscribers atomic.Pointer[[]*Subscriber]

	askedMu sync.Mutex
	asked   map[string]time.Time // the last keyframe request, by rid

	streams  sync.Map     // rid → *stream: each layer's parser, used by its pushing goroutine only
	rates    layerRates   // what each layer receives, for the subscribers' policies
	policyAt atomic.Int64 // when the policies choose next (autolayer.go), in Unix nanoseconds
	autos    atomic.Int32 // subscribers with SetAuto on: the layers are measured only for them
}

// stream is one received layer's source and the parser of its packets.
type stream struct {
	source Source
	parser Parser
}

// New makes a forwarder whose keyframe requests go to upstream.
func New(upstream Upstream) *Forwarder {
	return newForwarder(upstream, time.Now)
}

func newForwarder(upstream Upstream, now func() time.Time) *Forwarder {
	f := &Forwarder{upstream: upstream, now: now, asked: map[string]time.Time{}}
	f.subscribers.Store(&[]*Subscriber{})

	return f
}

// Push forwards one received packet of the layer src.RID to every
// subscriber that takes it. packet is not kept. Packets of one layer are
// pushed in the order received, from one goroutine at a time; layers may be
// pushed from different goroutines.
func (f *Forwarder) Push(src Source, packet []byte) {
	subscribers := *f.subscribers.Load()
	if len(subscribers) == 0 {
		return
	}
	var p rtp.Packet
	if p.Unmarshal(packet) != nil {
		return
	}
	parser := f.parser(src)
	var d Descriptor
	usable := parser.Parse(&p, &d)
	if f.autos.Load() > 0 {
		now := f.now()
		if usable {
			f.rates.add(src.RID, d.Temporal, len(packet), now)
		}
		f.applyPolicies(now, subscribers)
	}
	for _, s := range subscribers {
		s.push(src.RID, &p, usable, &d, parser)
	}
}

// parser returns the parser of src's layer, a new one when its codec or
// extension id changed.
func (f *Forwarder) parser(src Source) Parser {
	if v, ok := f.streams.Load(src.RID); ok {
		if st, _ := v.(*stream); st.source == src {
			return st.parser
		}
	}
	st := &stream{source: src, parser: newParser(src)}
	f.streams.Store(src.RID, st)

	return st.parser
}

// AddSubscriber adds a subscriber whose packets go to sink, starting with
// the layer l at the next keyframe of that layer.
func (f *Forwarder) AddSubscriber(sink Sink, l Layer) *Subscriber {
	s := newSubscriber(f, sink, l)
	f.mu.Lock()
	defer f.mu.Unlock()
	list := append(append([]*Subscriber(nil), *f.subscribers.Load()...), s)
	f.subscribers.Store(&list)
	s.SetLayer(l)

	return s
}

// RemoveSubscriber stops forwarding to s; a packet being forwarded to it
// may still reach its sink.
func (f *Forwarder) RemoveSubscriber(s *Subscriber) {
	s.stopAuto()
	f.mu.Lock()
	defer f.mu.Unlock()
	old := *f.subscribers.Load()
	list := make([]*Subscriber, 0, len(old))
	for _, o := range old {
		if o != s {
			list = append(list, o)
		}
	}
	f.subscribers.Store(&list)
}

// Subscribers returns how many subscribers the forwarder has.
func (f *Forwarder) Subscribers() int { return len(*f.subscribers.Load()) }

// askKeyframe sends a PLI upstream for the layer rid unless one was sent
// less than KeyframeInterval ago.
func (f *Forwarder) askKeyframe(rid string) {
	now := f.now()
	f.askedMu.Lock()
	if last, ok := f.asked[rid]; ok && now.Sub(last) < KeyframeInterval {
		f.askedMu.Unlock()

		return
	}
	f.asked[rid] = now
	f.askedMu.Unlock()
	_ = f.upstream.RequestKeyframe(rid) // a layer not received yet: the next packet asks again
}
