package core

import (
	"slices"
	"strings"
)

// RTCIceTransport.getLocalCandidates() and getRemoteCandidates() (W3C
// webrtc-pc 5.6): the candidates this side gathered and sent in
// icecandidate, and those the remote gave (in its description or through
// addIceCandidate). Everything is bundled on one ICE transport, so they are
// the "a=candidate" lines of the local and remote descriptions as their
// getters report them (the remote with the candidates addIceCandidate added),
// each line once, in order. An ICE restart's new descriptions replace them.

// transportCandidates returns the local and remote candidate lines
// ("candidate:…"), never nil.
func (p *PeerConnection) transportCandidates() (local, remote []string) {
	_, localSDP, _ := p.SessionDescription(DescriptionLocal)
	_, remoteSDP, _ := p.SessionDescription(DescriptionRemote)

	return descriptionCandidates(localSDP), descriptionCandidates(remoteSDP)
}

// descriptionCandidates returns the distinct candidate lines of a
// description text, those of component 1 only: RTCP is muxed
// (rtcpMuxPolicy "require"), and pion also lists each candidate for
// component 2 in its local description, which icecandidate never sent.
func descriptionCandidates(text string) []string {
	lines := []string{}
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		value, ok := strings.CutPrefix(line, "a=")
		if !ok || !strings.HasPrefix(value, "candidate:") || slices.Contains(lines, value) {
			continue
		}
		if fields := strings.Fields(value); len(fields) > 1 && fields[1] != "1" {
			continue
		}
		lines = append(lines, value)
	}

	return lines
}
