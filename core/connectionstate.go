package core

import "github.com/pion/webrtc/v4"

// A DTLS handshake that fails closes its own connection (pion/dtls's read
// loop does, on the remote's fatal alert or when the failed handshake stops
// it), and pion closes the whole peer connection whenever its DTLS connection
// closes. That close races the "failed" pion would report; when it wins, pion
// reports "closed" and never "failed". A close before DTLS ever connected is
// the handshake failing (a fingerprint that does not match, the remote's
// alert, a timeout), so it is reported as "failed", every time.

// watchConnectionState forwards the connection state as connectionState
// reports it.
func (p *PeerConnection) watchConnectionState() {
	p.pc.SCTP().Transport().OnStateChange(p.onDTLSState)
	p.pc.OnConnectionStateChange(func(pion webrtc.PeerConnectionState) {
		s := p.connectionState(pion)
		if webrtc.PeerConnectionState(p.lastConnectionState.Swap(int32(s))) == s { //nolint:gosec // G115: a pion state enum, 0..7
			return // pion's own "failed", then its close
		}
		p.postState(EventConnectionState, int32(s)-1, s.String()) //nolint:gosec // G115: a pion state enum, 0..7
		if pion == webrtc.PeerConnectionStateClosed && !p.closed.Load() {
			p.endAllRemoteTracks() // pion closed itself: nothing revives them
		}
	})
}

// connectionState is pion's state, except that pion closing itself before
// DTLS connected is "failed".
func (p *PeerConnection) connectionState(s webrtc.PeerConnectionState) webrtc.PeerConnectionState {
	if s == webrtc.PeerConnectionStateClosed && !p.closed.Load() && !p.dtlsConnected.Load() {
		return webrtc.PeerConnectionStateFailed
	}

	return s
}
