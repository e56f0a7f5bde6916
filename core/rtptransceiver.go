package core

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/omnirtc/omnirtc/core/codec"
	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/rtcp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// Encoding mirrors W3C RTCRtpEncodingParameters. OmniRTC does not encode:
// maxBitrate and scaleResolutionDownBy are kept for the application's
// encoder; active=false drops what is written to the layer.
type Encoding struct {
	RID                   string   `json:"rid,omitempty"`
	Active                *bool    `json:"active,omitempty"`
	MaxBitrate            *uint64  `json:"maxBitrate,omitempty"`
	ScaleResolutionDownBy *float64 `json:"scaleResolutionDownBy,omitempty"`
	// ScalabilityMode is W3C webrtc-svc's: the layers the application's
	// encoder is to make ("L3T3_KEY"); kept for it and reported, checked
	// against the codecs that can send it.
	ScalabilityMode string `json:"scalabilityMode,omitempty"`
}

// TransceiverInit mirrors W3C RTCRtpTransceiverInit.
type TransceiverInit struct {
	Direction     string     `json:"direction"`
	Streams       []string   `json:"streams"`
	SendEncodings []Encoding `json:"sendEncodings"`
}

// ParseTransceiverInit decodes RTCRtpTransceiverInit JSON strictly.
func ParseTransceiverInit(text []byte) (TransceiverInit, error) {
	var init TransceiverInit
	if err := strictjson.Decode(text, &init); err != nil {
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("transceiver options: %w", err))
	}
	if init.Direction != "" && webrtc.NewRTPTransceiverDirection(init.Direction) == webrtc.RTPTransceiverDirectionUnknown {
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf(
			"transceiver options: direction %s is not sendrecv, sendonly, recvonly or inactive", rtcerr.Quote(init.Direction)))
	}
	for _, e := range init.SendEncodings {
		if e.ScaleResolutionDownBy != nil && *e.ScaleResolutionDownBy < 1 {
			return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("transceiver options: scaleResolutionDownBy must be >= 1"))
		}
	}

	return init, nil
}

// Transceiver is an RTCRtpTransceiver with its sender and receiver.
type Transceiver struct {
	pc *PeerConnection
	t  *webrtc.RTPTransceiver

	mu        sync.Mutex
	track     *LocalTrack
	encodings []Encoding
	rtcpRead  bool                      // the sender's RTCP readers run
	numbers   map[uint32]*numbering     // per SSRC, across replaced tracks
	dtmf      *DTMFSender               // made by DTMF, audio only
	stopped   atomic.Bool               // Stop was called, or rejected: the direction is final
	rejected  atomic.Bool               // W3C [[Stopped]]: a description rejected its section (remotetracks.go)
	remotes   map[string]*RemoteTrack   // the remote tracks not ended, by rid (remotetracks.go)
	forwarder atomic.Pointer[Forwarder] // forwards every remote track's packets
}

// transceiverFor returns the wrapper of a pion transceiver, making it the
// first time it is seen.
func (p *PeerConnection) transceiverFor(t *webrtc.RTPTransceiver) *Transceiver {
	p.mu.Lock()
	defer p.mu.Unlock()
	if tr, ok := p.transceivers[t]; ok {
		return tr
	}
	tr := &Transceiver{pc: p, t: t}
	p.transceivers[t] = tr

	return tr
}

func parseKind(kind string) (webrtc.RTPCodecType, error) {
	k := webrtc.NewRTPCodecType(kind)
	if k == 0 {
		return k, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("kind %s is not audio or video", rtcerr.Quote(kind)))
	}

	return k, nil
}

// AddTrack is addTrack: it sends track on a new (or reusable) transceiver.
func (p *PeerConnection) AddTrack(track *LocalTrack) (*Transceiver, error) {
	if err := p.checkOpen(); err != nil {
		return nil, err
	}
	if track.closed.Load() {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidState, errTrackClosed)
	}
	p.addTrackMu.Lock()
	defer p.addTrackMu.Unlock()
	if p.sends(track) {
		return nil, rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf("addTrack: track %s is already sent on this peer", rtcerr.Quote(track.id)))
	}
	layers := track.forSender()
	sender, err := p.pc.AddTrack(layers[0])
	if err != nil {
		return nil, p.outcome(err, rtcerr.ErrOperation)
	}
	for _, t := range p.pc.GetTransceivers() {
		if t.Sender() == sender {
			tr := p.transceiverFor(t)

			return tr, tr.attach(track, layers, nil)
		}
	}

	return nil, rtcerr.Wrap(rtcerr.ErrOperation, errors.New("the sender's transceiver was not found"))
}

// transceiverList is a snapshot of the peer's transceivers, in no order.
func (p *PeerConnection) transceiverList() []*Transceiver {
	p.mu.Lock()
	defer p.mu.Unlock()
	trs := make([]*Transceiver, 0, len(p.transceivers))
	for _, tr := range p.transceivers {
		trs = append(trs, tr)
	}

	return trs
}

// sends reports whether a sender of this peer already carries track (W3C
// addTrack throws InvalidAccessError then; pion does not check).
func (p *PeerConnection) sends(track *LocalTrack) bool {
	for _, tr := range p.transceiverList() {
		tr.mu.Lock()
		same := tr.track == track
		tr.mu.Unlock()
		if same {
			return true
		}
	}

	return false
}

// AddTransceiver is addTransceiver with a kind (track nil) or a track.
func (p *PeerConnection) AddTransceiver(kind string, track *LocalTrack, init TransceiverInit) (*Transceiver, error) {
	if err := p.checkOpen(); err != nil {
		return nil, err
	}
	if err := checkScalabilityModes(init.SendEncodings, sendableMimeTypes(kind, track)); err != nil {
		return nil, err
	}
	opts := webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendrecv}
	if init.Direction != "" {
		opts.Direction = webrtc.NewRTPTransceiverDirection(init.Direction)
	}
	var t *webrtc.RTPTransceiver
	var layers []*sendTrack
	var err error
	if track == nil {
		t, err = p.addTransceiverFromKind(kind, init.SendEncodings, opts)
	} else {
		t, layers, err = p.addTransceiverFromTrack(track, kind, init.SendEncodings, opts)
	}
	if err != nil {
		return nil, err
	}
	tr := p.transceiverFor(t)
	tr.mu.Lock()
	tr.encodings = init.SendEncodings
	tr.mu.Unlock()
	if track == nil {
		return tr, nil
	}

	return tr, tr.attach(track, layers, init.SendEncodings)
}

func (p *PeerConnection) addTransceiverFromKind(kind string, encodings []Encoding, opts webrtc.RTPTransceiverInit,
) (*webrtc.RTPTransceiver, error) {
	k, err := parseKind(kind)
	if err != nil {
		return nil, err
	}
	if len(encodings) > 1 {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("simulcast sendEncodings need a track created with those rids"))
	}
	t, err := p.pc.AddTransceiverFromKind(k, opts)
	if err != nil {
		return nil, p.outcome(err, rtcerr.ErrOperation)
	}

	return t, nil
}

// addTransceiverFromTrack also returns the layers the sender is to send.
func (p *PeerConnection) addTransceiverFromTrack(track *LocalTrack, kind string, encodings []Encoding,
	opts webrtc.RTPTransceiverInit,
) (*webrtc.RTPTransceiver, []*sendTrack, error) {
	if track.closed.Load() {
		return nil, nil, rtcerr.Wrap(rtcerr.ErrInvalidState, errTrackClosed)
	}
	if kind != "" && kind != track.Kind() {
		return nil, nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("kind %s does not match the %s track", rtcerr.Quote(kind), track.Kind()))
	}
	if err := track.checkEncodings(encodings); err != nil {
		return nil, nil, err
	}
	layers := track.forSender()
	t, err := p.pc.AddTransceiverFromTrack(layers[0], opts)
	if err != nil {
		return nil, nil, p.outcome(err, rtcerr.ErrOperation)
	}

	return t, layers, nil
}

// checkEncodings requires simulcast encodings to name the track's rids.
func (t *LocalTrack) checkEncodings(encodings []Encoding) error {
	if len(encodings) <= 1 && (len(encodings) == 0 || encodings[0].RID == "") {
		return nil
	}
	if len(encodings) != len(t.layers) {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("%d sendEncodings for a track with %d layers", len(encodings), len(t.layers)))
	}
	for i, e := range encodings {
		if e.RID != t.layers[i].rid {
			return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("sendEncodings[%d].rid %s is not the track's rid %q", i, rtcerr.Quote(e.RID),
				t.layers[i].rid))
		}
	}

	return nil
}

// attach adds the track's further simulcast layers to the sender, applies
// the encodings and starts reading the sender's RTCP. layers are the
// track's layers wrapped for this sender; pion binds them later.
func (tr *Transceiver) attach(track *LocalTrack, layers []*sendTrack, encodings []Encoding) error {
	sender := tr.t.Sender()
	for i, l := range layers {
		l.sender.Store(tr)
		if i == 0 {
			continue
		}
		if err := sender.AddEncoding(l); err != nil {
			return tr.pc.outcome(err, rtcerr.ErrOperation)
		}
	}
	for _, e := range encodings {
		if e.Active != nil {
			if err := track.SetActive(e.RID, *e.Active); err != nil {
				return err
			}
		}
	}
	tr.sending(sender, track)

	return nil
}

// sending records the track being sent and, the first time, starts reading
// the sender's RTCP, one reader per layer.
func (tr *Transceiver) sending(sender *webrtc.RTPSender, track *LocalTrack) {
	tr.mu.Lock()
	tr.track = track
	start := !tr.rtcpRead
	tr.rtcpRead = true
	tr.mu.Unlock()
	if start {
		for _, l := range track.layers {
			go tr.readRTCP(sender, l.rid)
		}
	}
}

// readRTCP reads one sender layer's RTCP, which also drives the
// interceptors (NACK responder, reports, GCC), turns PLI and FIR into
// keyframe-request events and REMB into target-bitrate events.
func (tr *Transceiver) readRTCP(sender *webrtc.RTPSender, rid string) {
	for {
		var packets []rtcp.Packet
		var err error
		if rid == "" {
			packets, _, err = sender.ReadRTCP()
		} else {
			packets, _, err = sender.ReadSimulcastRTCP(rid)
		}
		if err != nil {
			return
		}
		for _, pkt := range packets {
			switch pkt := pkt.(type) {
			case *rtcp.PictureLossIndication:
				tr.keyframeRequested()
				tr.pc.events.post(&Event{Type: EventKeyframeRequest, Transceiver: tr, RID: rid, KeyframeKind: KeyframePLI})
			case *rtcp.FullIntraRequest:
				tr.keyframeRequested()
				tr.pc.events.post(&Event{Type: EventKeyframeRequest, Transceiver: tr, RID: rid, KeyframeKind: KeyframeFIR})
			case *rtcp.ReceiverEstimatedMaximumBitrate:
				tr.pc.onREMB(pkt, sender, rid)
			}
		}
	}
}

// keyframeRequested passes a PLI or FIR for the track sent upstream when
// a forwarder feeds it.
func (tr *Transceiver) keyframeRequested() {
	tr.mu.Lock()
	t := tr.track
	tr.mu.Unlock()
	if t == nil {
		return
	}
	if fw := t.forwarded.Load(); fw != nil {
		fw.keyframeRequested(t)
	}
}

// RemoveTrack is removeTrack(sender): the transceiver stops sending.
func (p *PeerConnection) RemoveTrack(tr *Transceiver) error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	if err := p.pc.RemoveTrack(tr.t.Sender()); err != nil {
		return p.outcome(err, rtcerr.ErrInvalidState)
	}
	tr.mu.Lock()
	tr.track = nil
	tr.mu.Unlock()

	return nil
}

// ReplaceTrack is sender.replaceTrack: track nil sends nothing.
func (tr *Transceiver) ReplaceTrack(track *LocalTrack) error {
	if err := tr.pc.checkOpen(); err != nil {
		return err
	}
	if track == nil {
		tr.mu.Lock()
		tr.track = nil
		tr.mu.Unlock()
		if sender := tr.t.Sender(); sender != nil {
			return tr.pc.outcome(sender.ReplaceTrack(nil), rtcerr.ErrOperation)
		}

		return nil
	}
	if track.closed.Load() {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errTrackClosed)
	}
	if track.Kind() != tr.t.Kind().String() {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("cannot send a %s track on a %s transceiver", track.Kind(), tr.t.Kind()))
	}
	if len(track.layers) > 1 {
		return rtcerr.Wrap(rtcerr.ErrNotSupported, errors.New("replaceTrack with a simulcast track"))
	}
	layer := track.forSender()[0]
	layer.sender.Store(tr)
	sender, made, err := tr.senderFor(layer)
	if err != nil {
		return err
	}
	if !made {
		if err := sender.ReplaceTrack(layer); err != nil {
			return tr.pc.outcome(err, rtcerr.ErrOperation)
		}
	}
	tr.sending(sender, track)

	return nil
}

// CodecPreference names one codec for setCodecPreferences.
type CodecPreference struct {
	MimeType    string `json:"mimeType"`
	SDPFmtpLine string `json:"sdpFmtpLine"`
	ClockRate   uint32 `json:"clockRate"`
	Channels    uint16 `json:"channels"`
}

// SetCodecPreferences is setCodecPreferences: the transceiver offers only
// these codecs, in this order (with their RTX when RTX is on). Empty
// restores the defaults.
func (tr *Transceiver) SetCodecPreferences(prefs []CodecPreference) error {
	var codecs []webrtc.RTPCodecParameters
	for _, pref := range prefs {
		matched := false
		for _, c := range offeredCodecs(tr.pc.engine.rtx) {
			if !strings.EqualFold(c.MimeType, pref.MimeType) ||
				(pref.SDPFmtpLine != "" && c.SDPFmtpLine != pref.SDPFmtpLine) {
				continue
			}
			if codec.Kind(c.MimeType) != tr.t.Kind() {
				return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("codec %s does not fit a %s transceiver", pref.MimeType, tr.t.Kind()))
			}
			codecs = append(codecs, c)
			matched = true
		}
		if !matched {
			return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("codec %s %s is not one this peer connection offers", rtcerr.Quote(pref.MimeType),
				rtcerr.Quote(pref.SDPFmtpLine)))
		}
	}

	return tr.pc.outcome(tr.t.SetCodecPreferences(codecs), rtcerr.ErrInvalidArgument)
}

// sendableMimeTypes lists the MIME types a sender of track (nil: none
// yet) for kind may send: the track's codec, fixed when it was made, else
// every codec offered for the kind.
func sendableMimeTypes(kind string, track *LocalTrack) []string {
	if track != nil {
		return []string{track.codec.MimeType}
	}
	var mimes []string
	for _, c := range offeredCodecs(false) {
		if codec.Kind(c.MimeType).String() == kind {
			mimes = append(mimes, c.MimeType)
		}
	}

	return mimes
}

// offeredCodecs lists the registered codecs, each video codec followed by
// its RTX codec when rtx is on.
func offeredCodecs(rtx bool) []webrtc.RTPCodecParameters {
	out := append([]webrtc.RTPCodecParameters{}, audioCodecs...)
	for _, c := range videoCodecs {
		out = append(out, webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: c.mime, ClockRate: 90000, SDPFmtpLine: c.fmtp},
			PayloadType:        c.pt,
		})
		if rtx {
			out = append(out, webrtc.RTPCodecParameters{
				RTPCodecCapability: webrtc.RTPCodecCapability{
					MimeType: webrtc.MimeTypeRTX, ClockRate: 90000,
					SDPFmtpLine: fmt.Sprintf("apt=%d", c.pt),
				},
				PayloadType: c.rtx,
			})
		}
	}

	return out
}

// Stop is transceiver.stop.
func (tr *Transceiver) Stop() error {
	if err := tr.pc.checkOpen(); err != nil {
		return err
	}

	tr.stopped.Store(true)
	tr.endRemoteTracks()

	return tr.pc.outcome(tr.t.Stop(), rtcerr.ErrOperation)
}

// SetDirection is the RTCRtpTransceiver.direction setter: the next offer or
// answer proposes direction, negotiationneeded fires if it changed, and
// currentDirection follows once it is negotiated.
func (tr *Transceiver) SetDirection(direction string) error {
	if err := tr.pc.checkOpen(); err != nil {
		return err
	}
	d := webrtc.NewRTPTransceiverDirection(direction)
	if d == webrtc.RTPTransceiverDirectionUnknown {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument,
			fmt.Errorf("direction %s is not sendrecv, sendonly, recvonly or inactive", rtcerr.Quote(direction)))
	}
	if tr.stopped.Load() {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("transceiver is stopped"))
	}

	return tr.pc.outcome(tr.t.SetDirection(d), rtcerr.ErrInvalidArgument)
}

// TransceiverInfo is what omnirtc_transceiver_get_info reports.
type TransceiverInfo struct {
	Mid              *string      `json:"mid"`
	Kind             string       `json:"kind"`
	Direction        string       `json:"direction"`
	CurrentDirection *string      `json:"currentDirection"`
	SenderTrack      *string      `json:"senderTrackId"`
	Encodings        []Encoding   `json:"sendEncodings"`
	Codecs           []CodecInfo  `json:"codecs"`
	ReceiverTracks   []RemoteInfo `json:"receiverTracks"`
	Stopped          bool         `json:"stopped"`
	Removed          bool         `json:"removed"` // no longer the peer's: a rollback removed it
}

// CodecInfo mirrors W3C RTCRtpCodecParameters: an RTCRtpCodec with its
// payload type.
type CodecInfo struct {
	PayloadType uint8 `json:"payloadType"`
	CodecCapability
}

func codecInfo(c webrtc.RTPCodecParameters) CodecInfo {
	return CodecInfo{PayloadType: uint8(c.PayloadType), CodecCapability: CodecCapability{
		MimeType: c.MimeType, ClockRate: c.ClockRate, Channels: c.Channels, SDPFmtpLine: c.SDPFmtpLine,
	}}
}

// localTrack is the track the transceiver sends, nil if none.
func (tr *Transceiver) localTrack() *LocalTrack {
	tr.mu.Lock()
	defer tr.mu.Unlock()

	return tr.track
}

// Info reports mid, kind, direction, currentDirection, the sender's track
// and encodings, the negotiated codecs and the receiver's tracks.
func (tr *Transceiver) Info() TransceiverInfo {
	info := TransceiverInfo{
		Kind: tr.t.Kind().String(), Direction: tr.t.Direction().String(),
		Encodings: []Encoding{}, Codecs: []CodecInfo{}, ReceiverTracks: []RemoteInfo{},
	}
	if mid := tr.t.Mid(); mid != "" {
		info.Mid = &mid
		info.CurrentDirection = tr.pc.currentDirection(mid)
	}
	// webrtc-pc 5.4: direction reads "stopped" once stop() was called,
	// currentDirection once the transceiver is [[Stopped]].
	if tr.stopped.Load() {
		info.Direction = "stopped"
	}
	tr.pc.mu.Lock()
	info.Removed = tr.pc.transceivers[tr.t] != tr
	tr.pc.mu.Unlock()
	if info.Stopped = tr.rejected.Load(); info.Stopped {
		stopped := "stopped"
		info.CurrentDirection = &stopped
	}
	tr.mu.Lock()
	if tr.track != nil {
		id := tr.track.id
		info.SenderTrack = &id
		for i, l := range tr.track.layers {
			e := Encoding{RID: l.rid}
			if i < len(tr.encodings) {
				e = tr.encodings[i]
			}
			active := l.active.Load()
			e.Active = &active
			info.Encodings = append(info.Encodings, e)
		}
	}
	tr.mu.Unlock()
	if s := tr.t.Sender(); s != nil {
		for _, c := range s.GetParameters().Codecs {
			info.Codecs = append(info.Codecs, codecInfo(c))
		}
	}
	if r := tr.t.Receiver(); r != nil {
		for _, t := range r.Tracks() {
			if t.SSRC() != 0 {
				info.ReceiverTracks = append(info.ReceiverTracks, remoteInfo(t))
			}
		}
	}

	return info
}

// currentDirection is W3C currentDirection: the direction negotiated for
// media section mid by the current offer/answer exchange, seen from this
// peer; nil before negotiation. The answer decides it: when this peer
// answered, it is the direction of its own answer; when this peer offered,
// it is the remote answer's direction reversed (an answer "recvonly" to our
// "sendrecv" makes ours "sendonly").
func (p *PeerConnection) currentDirection(mid string) *string {
	local := p.pc.CurrentLocalDescription()
	if local == nil {
		return nil
	}
	answer, reverse := local, false
	if local.Type == webrtc.SDPTypeOffer {
		if answer = p.pc.CurrentRemoteDescription(); answer == nil {
			return nil
		}
		reverse = true
	}
	dir := mediaDirection(answer, mid)
	if dir == "" {
		return nil
	}
	if reverse {
		switch dir {
		case "sendonly":
			dir = "recvonly"
		case "recvonly":
			dir = "sendonly"
		}
	}

	return &dir
}

// mediaDirection is the direction attribute of media section mid of d
// (sendrecv when it has none, RFC 4566); "" when d has no such section.
func mediaDirection(d *webrtc.SessionDescription, mid string) string {
	// Parse the text, not d: Unmarshal caches into d, which pion reads from
	// its own goroutines (a data race under -race).
	var parsed sdp.SessionDescription
	if err := parsed.UnmarshalString(d.SDP); err != nil {
		return ""
	}
	for _, m := range parsed.MediaDescriptions {
		if v, _ := m.Attribute(sdp.AttrKeyMID); v != mid {
			continue
		}
		for _, dir := range []string{"sendrecv", "sendonly", "recvonly", "inactive"} {
			if _, ok := m.Attribute(dir); ok {
				return dir
			}
		}

		return "sendrecv"
	}

	return ""
}

// ParseCodecPreferences decodes a JSON array of CodecPreference strictly.
func ParseCodecPreferences(text []byte) ([]CodecPreference, error) {
	var prefs []CodecPreference
	if err := strictjson.Decode(text, &prefs); err != nil {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("codec preferences: %w", err))
	}

	return prefs, nil
}
