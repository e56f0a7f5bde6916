package core

import (
	"encoding/base64"
	"encoding/json"
	"sync/atomic"

	"github.com/pion/webrtc/v4"
)

// The transports of a peer connection (webrtc-pc 5.4 RTCDtlsTransport, 5.6
// RTCIceTransport, 6.1.1 RTCSctpTransport). Everything is bundled on one ICE
// and one DTLS transport, so the ICE transport's state and gathering state are
// the peer's iceConnectionState and iceGatheringState, and its state events
// are EventICEConnectionState and EventICEGatheringState. The DTLS and SCTP
// transports have an EventTransportState of their own.

// Transport kinds of EventTransportState (OMNIRTC_TRANSPORT_*).
const (
	TransportDTLS int32 = 0
	TransportSCTP int32 = 1
)

// transportStates are the DTLS and SCTP states as last posted.
type transportStates struct {
	dtls atomic.Int32 // webrtc.DTLSTransportState
	sctp atomic.Int32 // webrtc.SCTPTransportState; Unknown until SCTP started or ended

	sctpConnected atomic.Bool // SCTP connected once: maxChannels is known
}

// watchTransports forwards the SCTP state and the selected candidate pair;
// the DTLS state comes through onDTLSState (connectionstate.go registers it).
func (p *PeerConnection) watchTransports() {
	p.transports.dtls.Store(int32(webrtc.DTLSTransportStateNew))
	sctp := p.pc.SCTP()
	sctp.OnStateChange(func(s webrtc.SCTPTransportState) { p.setSCTPState(s) })
	// The association ended (the remote's ABORT or DTLS close_notify, or ours).
	sctp.OnClose(func(error) { p.setSCTPState(webrtc.SCTPTransportStateClosed) })
	sctp.Transport().ICETransport().OnSelectedCandidatePairChange(func(pair *webrtc.ICECandidatePair) {
		if pair == nil || p.closed.Load() {
			return
		}
		p.postICE(&Event{
			Type: EventSelectedCandidatePair, LocalCandidate: pairCandidateLine(pair.Local),
			RemoteCandidate: pairCandidateLine(pair.Remote),
		})
	})
}

// onDTLSState posts a DTLS state change. As for the connection state
// (connectionstate.go), pion closing DTLS before it ever connected is the
// handshake failing; "failed" is final. pion calls it holding its DTLS
// transport's lock, so calls never overlap.
func (p *PeerConnection) onDTLSState(s webrtc.DTLSTransportState) {
	if s == webrtc.DTLSTransportStateConnected {
		p.dtlsConnected.Store(true)
	}
	if s == webrtc.DTLSTransportStateClosed && !p.closed.Load() && !p.dtlsConnected.Load() {
		s = webrtc.DTLSTransportStateFailed
	}
	old := webrtc.DTLSTransportState(p.transports.dtls.Load())
	if old == s || old == webrtc.DTLSTransportStateFailed {
		return
	}
	p.transports.dtls.Store(int32(s))                         //nolint:gosec // G115: a pion state enum, 0..5
	p.postTransportState(TransportDTLS, int32(s), s.String()) //nolint:gosec // G115: a pion state enum, 0..5
}

// setSCTPState posts an SCTP state change; "closed" is final.
func (p *PeerConnection) setSCTPState(s webrtc.SCTPTransportState) {
	if s == webrtc.SCTPTransportStateConnected { // before the state, so a reader of "connected" sees maxChannels
		p.transports.sctpConnected.Store(true)
	}
	closed := int32(webrtc.SCTPTransportStateClosed)
	for {
		old := p.transports.sctp.Load()
		if old == int32(s) || old == closed { //nolint:gosec // G115: a pion state enum, 0..3
			return
		}
		if p.transports.sctp.CompareAndSwap(old, int32(s)) { //nolint:gosec // G115: a pion state enum, 0..3
			break
		}
	}
	p.postTransportState(TransportSCTP, int32(s), s.String()) //nolint:gosec // G115: a pion state enum, 0..3
}

// postTransportState posts a pion DTLS or SCTP state as its W3C value (the
// pion enum less its "unknown"), except once close started (W3C close()
// fires no state events).
func (p *PeerConnection) postTransportState(transport, pion int32, name string) {
	if p.closed.Load() {
		return
	}
	p.postICE(&Event{Type: EventTransportState, Transport: transport, State: pion - 1, StateName: name})
}

// pairCandidateLine is a selected pair's candidate as a candidate line of
// component 1. RTCP is muxed, and pion lists each candidate also for
// component 2 in its description (see descriptionCandidates): the agent may
// have taken the remote's component 2 line, the same transport address,
// which getRemoteCandidates() leaves out.
func pairCandidateLine(c *webrtc.ICECandidate) string {
	if c == nil {
		return ""
	}
	rtp := *c
	rtp.Component = uint16(webrtc.ICEComponentRTP)

	return rtp.ToJSON().Candidate
}

// TransportsInfo is the state of a peer connection's transports, as
// omnirtc_peer_get_transports gives it.
type TransportsInfo struct {
	ICE  ICETransportInfo   `json:"ice"`
	DTLS DTLSTransportInfo  `json:"dtls"`
	SCTP *SCTPTransportInfo `json:"sctp"` // nil until an answer negotiated SCTP
}

// ICETransportInfo is an RTCIceTransport.
type ICETransportInfo struct {
	State          string             `json:"state"`
	GatheringState string             `json:"gatheringState"`
	Role           string             `json:"role"`
	SelectedPair   *CandidatePairInfo `json:"selectedPair"`
	// getLocalCandidates() / getRemoteCandidates(): candidate lines
	// (transportcandidates.go).
	LocalCandidates  []string `json:"localCandidates"`
	RemoteCandidates []string `json:"remoteCandidates"`
}

// CandidatePairInfo is an RTCIceCandidatePair: two candidate lines.
type CandidatePairInfo struct {
	Local  string `json:"local"`
	Remote string `json:"remote"`
}

// DTLSTransportInfo is an RTCDtlsTransport.
type DTLSTransportInfo struct {
	State              string   `json:"state"`
	RemoteCertificates []string `json:"remoteCertificates"` // base64 DER
}

// SCTPTransportInfo is an RTCSctpTransport.
type SCTPTransportInfo struct {
	State          string  `json:"state"`
	MaxMessageSize uint64  `json:"maxMessageSize"`
	MaxChannels    *uint16 `json:"maxChannels"` // nil until connected
}

// Transports is the state of the peer's transports now.
func (p *PeerConnection) Transports() ([]byte, error) {
	if err := p.checkOpen(); err != nil {
		return nil, err
	}
	dtls := p.pc.SCTP().Transport()
	ice := dtls.ICETransport()
	info := TransportsInfo{
		ICE: ICETransportInfo{
			State:          webrtc.ICEConnectionState(p.ICEConnectionState() + 1).String(),
			GatheringState: webrtc.ICEGatheringState(p.ICEGatheringState() + 1).String(),
			Role:           "unknown",
		},
		DTLS: DTLSTransportInfo{
			State:              webrtc.DTLSTransportState(p.transports.dtls.Load()).String(),
			RemoteCertificates: []string{},
		},
		SCTP: p.sctpInfo(),
	}
	info.ICE.LocalCandidates, info.ICE.RemoteCandidates = p.transportCandidates()
	if role := ice.Role(); role != webrtc.ICERoleUnknown {
		info.ICE.Role = role.String()
	}
	if pair, err := ice.GetSelectedCandidatePair(); err == nil && pair != nil {
		info.ICE.SelectedPair = &CandidatePairInfo{Local: pairCandidateLine(pair.Local), Remote: pairCandidateLine(pair.Remote)}
	}
	if der := dtls.GetRemoteCertificate(); len(der) > 0 {
		info.DTLS.RemoteCertificates = append(info.DTLS.RemoteCertificates, base64.StdEncoding.EncodeToString(der))
	}

	return json.Marshal(info)
}

// sctpInfo is nil until the current remote description has an application
// section (W3C: an answer negotiated SCTP), then the SCTP transport, which is
// "connecting" until the association is up.
func (p *PeerConnection) sctpInfo() *SCTPTransportInfo {
	state := webrtc.SCTPTransportState(p.transports.sctp.Load())
	if state == webrtc.SCTPTransportStateUnknown {
		if !hasApplicationSection(p.pc.CurrentRemoteDescription()) {
			return nil
		}
		state = webrtc.SCTPTransportStateConnecting
	}
	info := &SCTPTransportInfo{State: state.String(), MaxMessageSize: p.MaxMessageSize()}
	if state != webrtc.SCTPTransportStateConnecting && p.transports.sctpConnected.Load() {
		n := p.pc.SCTP().MaxChannels()
		info.MaxChannels = &n
	}

	return info
}

// hasApplicationSection parses a copy: Unmarshal would write the cache of
// pion's stored description, which pion's goroutines read.
func hasApplicationSection(d *webrtc.SessionDescription) bool {
	if d == nil {
		return false
	}
	parsed, err := parseStored(d)
	if err != nil {
		return false
	}
	for _, m := range parsed.MediaDescriptions {
		if m.MediaName.Media == "application" {
			return true
		}
	}

	return false
}
