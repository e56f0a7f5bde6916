// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

//go:build !js

package webrtc

import "slices"

// remoteOfferChanges is what applying a remote offer did to the transceivers,
// for a rollback to undo.
type remoteOfferChanges struct {
	created    []*RTPTransceiver
	directions map[*RTPTransceiver][2]RTPTransceiverDirection // direction, remote direction before
}

// recordRemoteOffer notes a transceiver the pending remote offer created, or
// one it is about to change.
func (pc *PeerConnection) recordRemoteOffer(t *RTPTransceiver, created bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if created {
		pc.remoteOffer.created = append(pc.remoteOffer.created, t)

		return
	}
	if pc.remoteOffer.directions == nil {
		pc.remoteOffer.directions = map[*RTPTransceiver][2]RTPTransceiverDirection{}
	}
	if _, ok := pc.remoteOffer.directions[t]; !ok {
		pc.remoteOffer.directions[t] = [2]RTPTransceiverDirection{t.Direction(), t.getCurrentRemoteDirection()}
	}
}

// rollback discards the pending offer, local or remote: the "rollback" steps
// of W3C webrtc-pc 4.4.1.6 "set the RTCSessionDescription". Transceivers the
// remote offer created are stopped and removed unless addTrack took them, the
// directions it changed are restored, and a transceiver that no current
// description associates loses its mid. Caller holds pc.mu.
func (pc *PeerConnection) rollback() {
	for t, saved := range pc.remoteOffer.directions {
		t.setDirection(saved[0])
		t.setCurrentRemoteDirection(saved[1])
	}
	kept := pc.rtpTransceivers[:0]
	for _, t := range pc.rtpTransceivers {
		if slices.Contains(pc.remoteOffer.created, t) && (t.Sender() == nil || t.Sender().Track() == nil) {
			if err := t.Stop(); err != nil {
				pc.log.Warnf("Failed to stop a transceiver being rolled back: %v", err)
			}

			continue
		}
		if pc.currentLocalDescription == nil || getByMid(t.Mid(), pc.currentLocalDescription) == nil {
			t.mid.Store("")
		}
		kept = append(kept, t)
	}
	clear(pc.rtpTransceivers[len(kept):])
	pc.rtpTransceivers = kept
	pc.pendingLocalDescription = nil
	pc.pendingRemoteDescription = nil
}
