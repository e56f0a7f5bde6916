package core

import "github.com/pion/webrtc/v4"

// GatheringComplete returns a channel closed once ICE gathering of the
// current local description is complete (at once if it already is), for
// signaling without trickle, such as WHIP, which sends every candidate in
// one description.
func (p *PeerConnection) GatheringComplete() <-chan struct{} {
	return webrtc.GatheringCompletePromise(p.pc)
}
