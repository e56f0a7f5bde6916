// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

//go:build !js

package webrtc

import (
	"maps"
	"slices"
)

// remoteOfferChanges is what applying a remote offer did to the transceivers,
// for a rollback to undo.
type remoteOfferChanges struct {
	created    []*RTPTransceiver
	directions map[*RTPTransceiver][2]RTPTransceiverDirection // direction, remote direction before
	media      *negotiatedMedia                               // the MediaEngine's negotiation before
}

// negotiatedMedia is what remote descriptions negotiated in a MediaEngine.
type negotiatedMedia struct {
	video, audio             bool
	videoCodecs, audioCodecs []RTPCodecParameters
	headerExtensions         map[int]mediaEngineHeaderExtension
}

func (m *MediaEngine) negotiation() *negotiatedMedia {
	m.mu.RLock()
	defer m.mu.RUnlock()

	return &negotiatedMedia{
		video: m.negotiatedVideo, audio: m.negotiatedAudio,
		videoCodecs: slices.Clone(m.negotiatedVideoCodecs), audioCodecs: slices.Clone(m.negotiatedAudioCodecs),
		headerExtensions: maps.Clone(m.negotiatedHeaderExtensions),
	}
}

func (m *MediaEngine) restoreNegotiation(n *negotiatedMedia) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.negotiatedVideo, m.negotiatedAudio = n.video, n.audio
	m.negotiatedVideoCodecs, m.negotiatedAudioCodecs = n.videoCodecs, n.audioCodecs
	m.negotiatedHeaderExtensions = n.headerExtensions
}

// recordRemoteNegotiation keeps the MediaEngine's negotiation as it was
// before the first remote offer since stable, for a rollback to restore: a
// rolled-back offer's codecs must not decide the next offer's answer.
func (pc *PeerConnection) recordRemoteNegotiation() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.remoteOffer.media == nil {
		pc.remoteOffer.media = pc.api.mediaEngine.negotiation()
	}
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
// directions and the codecs it negotiated are restored, and a transceiver that no current
// description associates loses its mid. Caller holds pc.mu.
func (pc *PeerConnection) rollback() {
	if pc.remoteOffer.media != nil {
		pc.api.mediaEngine.restoreNegotiation(pc.remoteOffer.media)
	}
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
