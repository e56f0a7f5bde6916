package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
	pionrtcerr "github.com/pion/webrtc/v4/pkg/rtcerr"
)

// livePeers counts open peer connections, for leak checks.
var livePeers atomic.Int64

// Description selects one of a peer connection's session descriptions; the
// values are OMNIRTC_DESCRIPTION_*.
type Description int32

// Session descriptions.
const (
	DescriptionLocal Description = iota
	DescriptionRemote
	DescriptionCurrentLocal
	DescriptionPendingLocal
	DescriptionCurrentRemote
	DescriptionPendingRemote
)

// PeerConnection is an RTCPeerConnection whose events arrive, in order, at
// the handler given to NewPeerConnection.
type PeerConnection struct {
	pc     *webrtc.PeerConnection
	engine *engine
	events *dispatcher

	closed              atomic.Bool
	restartICE          atomic.Bool
	dtlsConnected       atomic.Bool  // DTLS connected once (connectionstate.go)
	lastConnectionState atomic.Int32 // the last connection state posted
	signalingMu         sync.Mutex   // orders signaling state events (signalingstate.go)
	held                heldEvents   // ICE events that wait for a description call's signaling state
	start               iceStart     // "checking" and "connecting" that wait for a remote candidate
	lastSignaling       webrtc.SignalingState
	signalingLog        signalingLog // the signaling state events posted (signalingstate.go)
	mu                  sync.Mutex
	channels            map[*DataChannel]struct{}
	transceivers        map[*webrtc.RTPTransceiver]*Transceiver
	closeStarted        bool
	done                chan struct{} // closed by Close
	firSeq              atomic.Uint32 // FIR command sequence numbers
	addTrackMu          sync.Mutex    // makes AddTrack's "already sent" check and the add one step
	remoteTracks        sync.Map      // *webrtc.TrackRemote → *RemoteTrack, while it is read (for stats)
	trackEvents         atomic.Uint64 // EventTrack events posted (SignalingChanges.Tracks)
	offerTracks         offerTracks   // the remote tracks' state before a pending remote offer (remotetracks.go)
	rembIn              rembReceiver  // the last REMB received, so only changes are events
	remoteCandidates    remoteCandidates
	addedCandidates     addedCandidates                // addIceCandidate's lines in the remote descriptions
	trackReceive        atomic.Pointer[ReceiveOptions] // applied to new remote tracks (SetTrackReceive)
	announcer           announcer                      // the remote's channels, announced in arrival order once open
	gatherings          atomic.Int64                   // ICE gatherings started (Gatherings)
	gathered            candidateSignal                // CandidateGathered
	transports          transportStates                // DTLS and SCTP states (transports.go)
	configMu            sync.Mutex                     // orders SetConfiguration calls (peerconfiguration.go)
	config              Configuration                  // as given, under configMu
}

// NewPeerConnection creates a peer connection from a parsed configuration.
// handler receives every event of the peer and its channels; the last one is
// EventPeerClosed.
func NewPeerConnection(cfg Configuration, logs *LogSink, handler Handler) (*PeerConnection, error) {
	return newPeerConnection(cfg, logs, func() *dispatcher { return newDispatcher(handler) })
}

// NewPolledPeerConnection creates a peer connection whose events are taken
// with TakeEvents. notify runs on a goroutine of the peer connection when an
// event is queued while the host is armed (see polling); it may call any
// method. The last event is EventPeerClosed.
func NewPolledPeerConnection(cfg Configuration, logs *LogSink, notify func()) (*PeerConnection, error) {
	return newPeerConnection(cfg, logs, func() *dispatcher { return newPolledDispatcher(notify) })
}

func newPeerConnection(cfg Configuration, logs *LogSink, events func() *dispatcher) (*PeerConnection, error) {
	eng, err := newEngine(cfg, logs)
	if err != nil {
		return nil, err
	}
	pion, err := eng.api.NewPeerConnection(eng.config)
	if err != nil {
		eng.release()

		return nil, rtcerr.Wrap(rtcerr.ErrInvalidConfig, fmt.Errorf("configuration: %w", err))
	}
	p := &PeerConnection{
		pc: pion, engine: eng, channels: map[*DataChannel]struct{}{},
		transceivers: map[*webrtc.RTPTransceiver]*Transceiver{}, done: make(chan struct{}),
		lastSignaling: webrtc.SignalingStateStable, config: cfg,
	}
	p.events = events()
	if eng.red != nil {
		eng.red.SetPayloadTypes(p.redPayloadTypes)
		eng.red.SetVideoPayloadTypes(p.videoREDPayloadTypes)
	}
	p.wireEvents()
	p.watchBandwidth()
	livePeers.Add(1)

	return p, nil
}

func (p *PeerConnection) wireEvents() {
	p.pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		e := &Event{Type: EventICECandidate, SDPMLineIndex: 0}
		if c != nil {
			init := c.ToJSON()
			e.Candidate = init.Candidate
			if init.SDPMid != nil {
				e.SDPMid = *init.SDPMid
			}
			if init.SDPMLineIndex != nil {
				e.SDPMLineIndex = int32(*init.SDPMLineIndex)
			}
		}
		p.gathered.fire()
		p.postICE(e)
	})
	// Runs inside the SetLocalDescription that starts a gathering, so
	// Gatherings has grown when that returns.
	p.pc.OnICEGatheringStateChange(func(s webrtc.ICEGatheringState) {
		n := p.gatherings.Load()
		if s == webrtc.ICEGatheringStateGathering {
			n = p.gatherings.Add(1)
		}
		if !p.closed.Load() {
			p.postICE(&Event{
				Type: EventICEGatheringState, State: int32(s) - 1, StateName: s.String(), //nolint:gosec // G115: a pion state enum, 0..7
				Gathering: n,
			})
		}
	})
	p.pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		p.postState(EventICEConnectionState, int32(s)-1, s.String()) //nolint:gosec // G115: a pion state enum, 0..7
	})
	p.watchConnectionState()
	p.watchTransports()
	p.pc.OnSignalingStateChange(func(webrtc.SignalingState) { p.postSignalingState() })
	p.pc.OnNegotiationNeeded(func() {
		if !p.closed.Load() {
			p.events.post(&Event{Type: EventNegotiationNeeded})
		}
	})
	p.pc.OnTrack(p.onTrack)
	// A remote's channel is announced once it opens (announcer.go).
	p.pc.OnDataChannel(func(dc *webrtc.DataChannel) {
		if c := p.adoptChannel(dc, true); c != nil {
			p.announcer.arrive(c)
		}
	})
}

// postState forwards a state change, except the ones close causes: W3C's
// close() fires no state events.
func (p *PeerConnection) postState(t EventType, state int32, name string) {
	if p.closed.Load() {
		return
	}
	e := &Event{Type: t, State: state, StateName: name}
	if t == EventSignalingState {
		p.events.post(e)
	} else {
		p.postStart(e)
	}
}

func (p *PeerConnection) adoptChannel(dc *webrtc.DataChannel, remote bool) *DataChannel {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closeStarted {
		return nil
	}
	c := newDataChannel(p, dc, remote)
	p.channels[c] = struct{}{}

	return c
}

func (p *PeerConnection) forgetChannel(c *DataChannel) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.channels, c)
}

func (p *PeerConnection) checkOpen() error {
	if p.closed.Load() {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("peer connection is closed"))
	}

	return nil
}

// OfferOptions mirrors W3C RTCOfferOptions.
type OfferOptions struct {
	ICERestart bool `json:"iceRestart"`
}

// ParseOfferOptions decodes RTCOfferOptions (or RTCAnswerOptions) JSON.
func ParseOfferOptions(text []byte) (OfferOptions, error) {
	var o OfferOptions
	if err := strictjson.Decode(text, &o); err != nil {
		return o, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("offer options: %w", err))
	}

	return o, nil
}

// CreateOffer returns an SDP offer.
func (p *PeerConnection) CreateOffer(opts OfferOptions) (string, error) {
	if err := p.checkOpen(); err != nil {
		return "", err
	}
	// Before the first local description there are no credentials to
	// replace: a restart is a no-op, as in browsers (pion would fail, with
	// no ICE agent yet to restart).
	requested := p.restartICE.Swap(false) || opts.ICERestart
	restart := requested && p.pc.LocalDescription() != nil
	offer, err := p.pc.CreateOffer(&webrtc.OfferOptions{ICERestart: restart})
	if err != nil {
		return "", p.outcome(err, rtcerr.ErrOperation)
	}
	if restart { // the ICE agent dropped the remote candidates
		p.remoteCandidates.restart()
	}

	return offer.SDP, nil
}

// CreateAnswer returns an SDP answer to the remote offer.
func (p *PeerConnection) CreateAnswer() (string, error) {
	if err := p.checkOpen(); err != nil {
		return "", err
	}
	answer, err := p.pc.CreateAnswer(nil)
	if err != nil {
		return "", p.outcome(err, rtcerr.ErrInvalidState)
	}

	return answer.SDP, nil
}

func parseSDPType(typ string) (webrtc.SDPType, error) {
	t := webrtc.NewSDPType(typ)
	if t == webrtc.SDPTypeUnknown {
		return t, rtcerr.Wrap(rtcerr.ErrInvalidArgument,
			fmt.Errorf("description type %s is not offer, answer, pranswer or rollback", rtcerr.Quote(typ)))
	}

	return t, nil
}

// SetLocalDescription applies a local description. An empty typ is the
// implicit form: it creates whatever offer or answer the signaling state
// calls for. An empty sdp uses the last one created of that type.
func (p *PeerConnection) SetLocalDescription(typ, text string) error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	if typ == "" {
		var err error
		switch p.pc.SignalingState() {
		case webrtc.SignalingStateHaveRemoteOffer, webrtc.SignalingStateHaveLocalPranswer:
			typ = "answer"
			text, err = p.CreateAnswer()
		default:
			typ = "offer"
			text, err = p.CreateOffer(OfferOptions{})
		}
		if err != nil {
			return err
		}
	}
	t, err := parseSDPType(typ)
	if err != nil {
		return err
	}
	if _, err = parseSDPText(t, text, true); err != nil {
		return err
	}

	err = p.describe(func() error { return p.pc.SetLocalDescription(webrtc.SessionDescription{Type: t, SDP: text}) })
	if err != nil {
		return p.outcome(err, rtcerr.ErrInvalidSDP)
	}
	if t == webrtc.SDPTypeRollback {
		p.rolledBack()
	} else {
		p.localDescriptionApplied(t)
	}

	return nil
}

// SetRemoteDescription applies the remote peer's description.
func (p *PeerConnection) SetRemoteDescription(typ, text string) error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	t, err := parseSDPType(typ)
	if err != nil {
		return err
	}
	parsed, err := parseSDPText(t, text, false)
	if err != nil {
		return err
	}
	if parsed != nil {
		if err := checkRTCPMux(parsed); err != nil {
			return err
		}
	}
	apply := func() error {
		before := p.pc.SignalingState()
		err := p.describe(func() error {
			err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: t, SDP: text})
			if err != nil && before == webrtc.SignalingStateStable && p.pc.SignalingState() == webrtc.SignalingStateHaveRemoteOffer {
				// pion checks ICE credentials and mids only after it moved to
				// have-remote-offer; a refused description leaves the state as
				// it was (W3C webrtc-pc 4.4.1.6).
				_ = p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeRollback})
			}

			return err
		})

		return p.outcome(err, rtcerr.ErrInvalidSDP)
	}
	if parsed == nil { // rollback
		if err := apply(); err != nil {
			return err
		}
		p.rolledBack()

		return nil
	}
	if t == webrtc.SDPTypeOffer && p.pc.SignalingState() == webrtc.SignalingStateHaveLocalOffer {
		// The implicit rollback pion would do inside the call, made here so
		// that its "stable" is posted before the offer's state (W3C
		// webrtc-pc 4.4.1.6).
		if err := p.SetLocalDescription(webrtc.SDPTypeRollback.String(), ""); err != nil {
			return err
		}
	}

	if t == webrtc.SDPTypeAnswer || t == webrtc.SDPTypePranswer {
		p.stopRejectedSenders(parsed)
	}
	if err := p.remoteCandidates.addDescription(parsed, t == webrtc.SDPTypeOffer, apply); err != nil {
		return err
	}
	p.announceRemoteTracks(parsed, t == webrtc.SDPTypeOffer)
	if p.remoteCandidates.any() {
		p.remoteCandidateArrived()
	}

	return nil
}

// parseSDPText rejects text that is not SDP before pion sees it, so a
// malformed description is told apart from one in the wrong state. It
// returns nil for a rollback, and for empty text where that is allowed.
func parseSDPText(t webrtc.SDPType, text string, emptyAllowed bool) (*sdp.SessionDescription, error) {
	if t == webrtc.SDPTypeRollback || (text == "" && emptyAllowed) {
		return nil, nil //nolint:nilnil // nothing to parse is no error
	}
	if !utf8.ValidString(text) {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidSDP, errors.New("session description is not valid UTF-8"))
	}
	var parsed sdp.SessionDescription
	if err := parsed.UnmarshalString(text); err != nil {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidSDP, fmt.Errorf("malformed session description: %w", err))
	}

	return &parsed, nil
}

// closedByPion reports whether pion closed the peer itself, as it does on the
// remote's DTLS close_notify. pion sets the signaling state "closed" before it
// stops any transport.
func (p *PeerConnection) closedByPion() bool {
	return p.pc.SignalingState() == webrtc.SignalingStateClosed
}

// outcome classifies an error of a pion call on this peer: one that lost a
// race with Close, with pion closing the peer, or with the association's
// end, is a state error, whatever pion called it.
func (p *PeerConnection) outcome(err error, fallback error) error {
	if err != nil && (p.closed.Load() || p.closedByPion()) {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("peer connection is closed: %w", err))
	}
	if transportEnded(err) {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("peer connection is closing: %w", err))
	}

	return classify(err, fallback)
}

// classify maps pion's W3C error types onto core's kinds; other errors get
// the fallback kind.
func classify(err error, fallback error) error {
	if err == nil {
		return nil
	}
	var stateErr *pionrtcerr.InvalidStateError
	var modErr *pionrtcerr.InvalidModificationError
	var typeErr *pionrtcerr.TypeError
	var syntaxErr *pionrtcerr.SyntaxError
	switch {
	case errors.As(err, &stateErr), errors.As(err, &modErr) && isSignalingTransition(modErr):
		return rtcerr.Wrap(rtcerr.ErrInvalidState, err)
	case errors.As(err, &modErr):
		return rtcerr.Wrap(rtcerr.ErrInvalidModification, err)
	case errors.As(err, &typeErr):
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, err)
	case errors.As(err, &syntaxErr):
		return rtcerr.Wrap(rtcerr.ErrInvalidSDP, err)
	}

	return rtcerr.Wrap(fallback, err)
}

// isSignalingTransition reports whether pion refused a description for the
// signaling state, which it calls an InvalidModificationError and W3C
// webrtc-pc 4.4.1.5 an InvalidStateError. pion's error value is unexported.
func isSignalingTransition(err *pionrtcerr.InvalidModificationError) bool {
	return err.Err != nil && strings.HasPrefix(err.Err.Error(), "invalid proposed signaling state transition")
}

// SessionDescription returns one of the six descriptions; ok is false when
// there is none.
func (p *PeerConnection) SessionDescription(which Description) (typ, text string, ok bool) {
	var d *webrtc.SessionDescription
	switch which {
	case DescriptionLocal:
		d = p.pc.LocalDescription()
	case DescriptionRemote:
		d = p.pc.RemoteDescription()
	case DescriptionCurrentLocal:
		d = p.pc.CurrentLocalDescription()
	case DescriptionPendingLocal:
		d = p.pc.PendingLocalDescription()
	case DescriptionCurrentRemote:
		d = p.pc.CurrentRemoteDescription()
	case DescriptionPendingRemote:
		d = p.pc.PendingRemoteDescription()
	}
	if d == nil {
		return "", "", false
	}
	if which == DescriptionRemote || which == DescriptionCurrentRemote || which == DescriptionPendingRemote {
		return d.Type.String(), p.addedCandidates.text(d), true
	}

	return d.Type.String(), d.SDP, true
}

// AddICECandidate adds a remote candidate; an empty candidate signals the
// end of candidates. mlineIndex < 0 means unknown.
func (p *PeerConnection) AddICECandidate(candidate, mid string, mlineIndex int32) error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	if !utf8.ValidString(candidate) || !utf8.ValidString(mid) {
		return rtcerr.Wrap(rtcerr.ErrInvalidCandidate, errors.New("candidate is not valid UTF-8"))
	}
	init := webrtc.ICECandidateInit{Candidate: strings.TrimPrefix(strings.TrimSpace(candidate), "a=")}
	if mid != "" {
		init.SDPMid = &mid
	}
	if mlineIndex >= 0 {
		if mlineIndex > 65535 {
			return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("sdpMLineIndex %d is out of range", mlineIndex))
		}
		idx := uint16(mlineIndex)
		init.SDPMLineIndex = &idx
	}
	section, err := p.candidateSection(init.Candidate, mid, mlineIndex)
	if err != nil {
		return err
	}
	if p.closedByPion() { // pion would take the candidate and drop it
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("peer connection was closed by the remote"))
	}

	if err := p.remoteCandidates.add(init.Candidate, func() error {
		// A prohibited candidate is not used, yet added to the description.
		if !prohibitedCandidate(init.Candidate) {
			if err := p.outcome(p.pc.AddICECandidate(init), rtcerr.ErrInvalidCandidate); err != nil {
				return err
			}
		}
		p.addedCandidates.add(p.pc.PendingRemoteDescription(), p.pc.CurrentRemoteDescription(), init.Candidate, section)

		return nil
	}); err != nil {
		return err
	}
	if p.remoteCandidates.any() {
		p.remoteCandidateArrived()
	}

	return nil
}

// candidateSection is the media section of the remote description a
// candidate is for (candidatelines.go); a candidate needs sdpMid or
// sdpMLineIndex, an end of candidates without either is for all sections.
func (p *PeerConnection) candidateSection(candidate, mid string, mlineIndex int32) (int, error) {
	d := p.pc.RemoteDescription()
	if d == nil {
		return 0, rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("cannot add an ICE candidate before the remote description"))
	}
	parsed, err := parseStored(d)
	if err != nil {
		return 0, err
	}
	section, err := mediaSection(parsed, mid, mlineIndex)
	if err == nil && section == allSections && strings.TrimPrefix(candidate, "candidate:") != "" {
		err = rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("a candidate needs sdpMid or sdpMLineIndex"))
	}

	return section, err
}

// RestartICE makes the next offer restart ICE and asks for negotiation.
func (p *PeerConnection) RestartICE() error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	p.restartICE.Store(true)
	p.events.post(&Event{Type: EventNegotiationNeeded})

	return nil
}

// Stats returns the RTCStatsReport as JSON, keyed by stats id.
func (p *PeerConnection) Stats() ([]byte, error) {
	if err := p.checkOpen(); err != nil {
		return nil, err
	}
	report := p.pc.GetStats()
	// pion reports only channels it reads itself; OmniRTC detaches them all.
	p.mu.Lock()
	for c := range p.channels {
		if s, ok := c.stats(); ok {
			report[s.ID] = s
		}
	}
	p.mu.Unlock()
	all := p.mediaStats(report)
	for id, s := range report {
		all[id] = s
	}
	b, err := json.Marshal(all)

	return b, rtcerr.Wrap(rtcerr.ErrOperation, err)
}

// SignalingState is the W3C signalingState (OMNIRTC_SIGNALING_*).
func (p *PeerConnection) SignalingState() int32 { return int32(p.pc.SignalingState()) - 1 }

// ICEGatheringState is the W3C iceGatheringState (OMNIRTC_ICE_GATHERING_*).
func (p *PeerConnection) ICEGatheringState() int32 { return int32(p.pc.ICEGatheringState()) - 1 } //nolint:gosec // G115: a pion state enum, 0..7

// Gatherings counts the ICE gatherings this peer started; a
// SetLocalDescription that starts one has counted it when it returns.
func (p *PeerConnection) Gatherings() int64 { return p.gatherings.Load() }

// ICEConnectionState is the W3C iceConnectionState (OMNIRTC_ICE_CONNECTION_*).
func (p *PeerConnection) ICEConnectionState() int32 {
	if p.waitsForCandidate() {
		return int32(webrtc.ICEConnectionStateNew) - 1
	}

	return int32(p.pc.ICEConnectionState()) - 1 //nolint:gosec // G115: a pion state enum, 0..7
}

// ConnectionState is the W3C connectionState (OMNIRTC_PEER_*).
func (p *PeerConnection) ConnectionState() int32 {
	if p.waitsForCandidate() {
		return int32(webrtc.PeerConnectionStateNew) - 1
	}

	return int32(p.connectionState(p.pc.ConnectionState())) - 1 //nolint:gosec // G115: a pion state enum, 0..7
}

// MaxMessageSize is the largest message Send accepts now: the remote's
// max-message-size once SCTP runs, else the SCTP default of 65536.
func (p *PeerConnection) MaxMessageSize() uint64 {
	if s := p.pc.SCTP(); s != nil {
		if size := s.GetCapabilities().MaxMessageSize; size > 0 {
			return uint64(size)
		}
	}

	return 65536
}

// sctpRunning reports whether the SCTP association still runs; a channel
// read error after it ended is the association's end, not a channel error.
// The association says (it ends before it fails its streams' reads); the
// transport's state stays "connected" until this peer closes, after the
// association ended on the remote's ABORT or on its DTLS close_notify.
func (p *PeerConnection) sctpRunning() bool {
	s := p.pc.SCTP()
	if s == nil {
		return false
	}
	_, established := s.Metadata()

	return established
}

// CreateDataChannel is createDataChannel.
func (p *PeerConnection) CreateDataChannel(label string, init DataChannelInit) (*DataChannel, error) {
	if err := p.checkOpen(); err != nil {
		return nil, err
	}
	if len(label) > 65535 || !utf8.ValidString(label) {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("label must be UTF-8 of at most 65535 bytes"))
	}
	opts := &webrtc.DataChannelInit{
		Ordered: init.Ordered, MaxPacketLifeTime: init.MaxPacketLifeTime, MaxRetransmits: init.MaxRetransmits,
		Protocol: &init.Protocol,
	}
	if init.Negotiated {
		opts.Negotiated = &init.Negotiated
		opts.ID = init.ID
	}
	dc, err := p.pc.CreateDataChannel(label, opts)
	if err != nil {
		return nil, p.outcome(err, rtcerr.ErrOperation)
	}
	c := p.adoptChannel(dc, false)
	if c == nil {
		_ = dc.Close()

		return nil, rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("peer connection is closed"))
	}

	return c, nil
}

// Close closes the peer connection and its channels, drops pending events and
// delivers EventPeerClosed last. Every call, also one while another close of
// this peer is under way, returns after that delivery, except from inside
// any peer's handler, where it returns at once (see dispatcher.wait).
func (p *PeerConnection) Close() error {
	p.mu.Lock()
	if p.closeStarted {
		p.mu.Unlock()
		p.events.wait()

		return nil
	}
	p.closeStarted = true
	channels := p.channels
	p.channels = map[*DataChannel]struct{}{}
	p.mu.Unlock()

	p.closed.Store(true)
	close(p.done)
	p.events.stop()
	for c := range channels {
		c.state.Store(int32(ChannelClosed))
		c.SetPaused(false)
	}
	err := p.pc.Close()
	// When the remote's DTLS close_notify has already made pion start closing
	// in a goroutine of its own, Close returns at once, and a process that
	// exits then never sends its TURN deallocation (the allocation would hold
	// the user's quota until it expires). GracefulClose waits for that close;
	// its own errors are of closing what is closed already.
	_ = p.pc.GracefulClose()
	p.engine.release()
	livePeers.Add(-1)
	p.events.finish(&Event{Type: EventPeerClosed})

	return rtcerr.Wrap(rtcerr.ErrOperation, err)
}

// TakeEvents appends up to maxEvents queued events of a polled peer
// connection to dst, in order; EventPeerClosed comes alone and last. The
// events' budget stays spent until ReleaseEvents. rtcerr.ErrInvalidState for a peer
// connection with a handler, or once EventPeerClosed was taken.
func (p *PeerConnection) TakeEvents(dst []*Event, maxEvents int) ([]*Event, error) {
	return p.events.take(dst, maxEvents)
}

// WaitNotifier returns once no notify can run any more: after EventPeerClosed
// was taken, once a notify in flight returned (at once when called from
// inside any handler or notify).
func (p *PeerConnection) WaitNotifier() { p.events.waitNotifier() }

// StopNotifying tells a polled peer's host nothing more: no notify starts
// after it returns, except when called from inside a handler or notify.
// Queued events stay to be polled. A host that is about to exit calls it (by
// omnirtc_shutdown) so that no callback reaches code being torn down.
func (p *PeerConnection) StopNotifying() { p.events.stopNotifying() }

// ReleaseEvents returns the budget of every event taken so far, so the
// channels' readers may queue as much again.
func (p *PeerConnection) ReleaseEvents() { p.events.release() }

// SetTrackReceive sets the receive options of the remote tracks from their
// next first packet on, except those given options of their own
// (RemoteTrack.SetReceiveOptions); nil restores the default.
func (p *PeerConnection) SetTrackReceive(o *ReceiveOptions) { p.trackReceive.Store(o) }

// InHandler reports whether the caller is running inside this peer's handler.
func (p *PeerConnection) InHandler() bool { return p.events.inHandler() }

// LivePeers counts peer connections not yet closed.
func LivePeers() int64 { return livePeers.Load() }

// QueuedEvents counts events waiting in all dispatchers.
func QueuedEvents() int64 { return queuedEvents.Load() }
