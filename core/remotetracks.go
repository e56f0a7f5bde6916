package core

import (
	"strconv"
	"strings"
	"sync"

	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// announceRemoteTracks applies W3C webrtc-pc 4.4.1.6 "set the remote
// description" to the remote tracks, from the media sections of d: a
// section the remote sends on announces its tracks (EventTrack, the tracks
// muted until their first packet), again when it had stopped sending; one
// it no longer sends on mutes them; a rejected one (port 0) stops its
// transceiver (step 8.1.12), which ends them. It runs before
// SetRemoteDescription returns, so the events are queued before the call's
// end (SignalingChanges.Tracks counts them). An offer's changes are noted
// first, for a rollback to undo.
func (p *PeerConnection) announceRemoteTracks(d *sdp.SessionDescription, offer bool) {
	if offer {
		p.offerTracks.save(p.transceiverList())
	}
	var rejected []*Transceiver
	p.eachSection(d, func(m *sdp.MediaDescription, tr *Transceiver) {
		switch {
		case m.MediaName.Port.Value == 0:
			rejected = append(rejected, tr)
		case remoteSends(m):
			kind := tr.t.Kind()
			for _, info := range describedTracks(d, m, kind, tr.t.Mid()) {
				if r := tr.remotes[info.RID]; r == nil {
					tr.newRemoteTrack(info).announce()
				} else if !r.sending {
					r.announce()
				}
			}
		default: // step 8.1.9: process the removal of a remote track
			tr.stopReceivingLocked()
		}
	})
	for _, tr := range rejected {
		tr.stopRejected()
	}
}

// localDescriptionApplied applies W3C webrtc-pc 4.4.1.6 "set the local
// description" to the remote tracks, from our own answer or pranswer
// (step 7.1.6): a section whose direction no longer receives mutes them
// (process the removal of a remote track), and one it rejects stops its
// transceiver, which ends them. An answer settles the remote offer: there
// is nothing left to roll back.
func (p *PeerConnection) localDescriptionApplied(t webrtc.SDPType) {
	if t != webrtc.SDPTypeAnswer && t != webrtc.SDPTypePranswer {
		return
	}
	if t == webrtc.SDPTypeAnswer {
		p.offerTracks.clear()
	}
	local := p.pc.LocalDescription()
	if local == nil {
		return
	}
	// The text, not local: Unmarshal caches into it, and pion reads it.
	var d sdp.SessionDescription
	if d.UnmarshalString(local.SDP) != nil {
		return
	}
	var rejected []*Transceiver
	p.eachSection(&d, func(m *sdp.MediaDescription, tr *Transceiver) {
		if m.MediaName.Port.Value == 0 {
			rejected = append(rejected, tr)
		} else if !localReceives(m) {
			tr.stopReceivingLocked()
		}
	})
	for _, tr := range rejected {
		tr.stopRejected()
	}
}

// eachSection calls fn for each media section of d with its transceiver,
// under the transceiver's mu; stopped transceivers are skipped (4.4.1.6:
// "if transceiver.[[Stopped]] is true, abort these sub steps").
func (p *PeerConnection) eachSection(d *sdp.SessionDescription, fn func(*sdp.MediaDescription, *Transceiver)) {
	byMid := map[string]*webrtc.RTPTransceiver{}
	for _, t := range p.pc.GetTransceivers() {
		if mid := t.Mid(); mid != "" {
			byMid[mid] = t
		}
	}
	for i, m := range d.MediaDescriptions {
		mid, ok := m.Attribute(sdp.AttrKeyMID)
		if !ok { // pion rejects a section without its mid: the offer's section i has it
			mid = p.offeredMid(i)
		}
		t := byMid[mid]
		if kind := webrtc.NewRTPCodecType(m.MediaName.Media); kind == 0 || t == nil || t.Kind() != kind {
			continue
		}
		tr := p.transceiverFor(t)
		if tr.rejected.Load() {
			continue
		}
		tr.mu.Lock()
		fn(m, tr)
		tr.mu.Unlock()
	}
}

// offeredMid is the mid of media section i of the offer being answered,
// ours or the remote's: pending while the answer is applied, current after.
func (p *PeerConnection) offeredMid(i int) string {
	for _, d := range []*webrtc.SessionDescription{
		p.pc.PendingLocalDescription(), p.pc.PendingRemoteDescription(),
		p.pc.CurrentLocalDescription(), p.pc.CurrentRemoteDescription(),
	} {
		if d == nil || d.Type != webrtc.SDPTypeOffer {
			continue
		}
		var parsed sdp.SessionDescription // the text: Unmarshal caches into d, which pion reads
		if parsed.UnmarshalString(d.SDP) != nil || i >= len(parsed.MediaDescriptions) {
			return ""
		}
		mid, _ := parsed.MediaDescriptions[i].Attribute(sdp.AttrKeyMID)

		return mid
	}

	return ""
}

// stopRejectedSenders stops, before a remote answer is applied, the
// transceivers whose sections it rejects: pion would start their senders
// with no codec and refuse the answer.
func (p *PeerConnection) stopRejectedSenders(answer *sdp.SessionDescription) {
	var rejected []*Transceiver
	p.eachSection(answer, func(m *sdp.MediaDescription, tr *Transceiver) {
		if m.MediaName.Port.Value == 0 {
			rejected = append(rejected, tr)
		}
	})
	for _, tr := range rejected {
		tr.stopRejected()
	}
}

// stopReceivingLocked mutes the remote tracks of a transceiver whose
// negotiated direction no longer receives (webrtc-pc 4.4.1.6 "process the
// removal of a remote track"); the caller holds tr.mu.
func (tr *Transceiver) stopReceivingLocked() {
	for _, r := range tr.remotes {
		r.sending = false
		r.setMuted(true)
	}
}

// stopRejected is webrtc-pc "stop the RTCRtpTransceiver" for a transceiver
// whose media section a description rejected: [[Stopped]] (direction and
// currentDirection "stopped"), its remote tracks ended.
func (tr *Transceiver) stopRejected() {
	if tr.rejected.Swap(true) {
		return
	}
	tr.stopped.Store(true)
	tr.endRemoteTracks()
	_ = tr.t.Stop() // only fails on a sender or receiver already stopped
}

// rolledBack applies the rollback steps of W3C webrtc-pc 4.4.1.6 (step 9)
// to the remote tracks once a rollback returned to stable: the
// transceivers the remote offer created, which pion stopped and removed,
// end their tracks; the others' tracks get back the state they had before
// the offer, and the tracks it announced on them are muted again.
func (p *PeerConnection) rolledBack() {
	saved, ok := p.offerTracks.take()
	if !ok {
		return
	}
	live := map[*webrtc.RTPTransceiver]bool{}
	for _, t := range p.pc.GetTransceivers() {
		live[t] = true
	}
	for _, tr := range p.transceiverList() {
		if !live[tr.t] {
			tr.endRemoteTracks()
			p.mu.Lock()
			delete(p.transceivers, tr.t)
			p.mu.Unlock()

			continue
		}
		tr.mu.Lock()
		for _, r := range tr.remotes {
			before, existed := saved[r]
			if !existed { // announced by the offer
				before = trackState{muted: true}
			}
			r.sending = before.sending
			r.setMuted(before.muted)
		}
		tr.mu.Unlock()
	}
}

// offerTracks keeps the state of the remote tracks from before the pending
// remote offer, for a rollback to restore.
type offerTracks struct {
	mu      sync.Mutex
	pending bool
	tracks  map[*RemoteTrack]trackState
}

type trackState struct{ sending, muted bool }

// save notes the tracks' state unless an earlier offer of the same
// negotiation did (a rollback returns to the last stable state).
func (o *offerTracks) save(trs []*Transceiver) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pending {
		return
	}
	o.pending, o.tracks = true, map[*RemoteTrack]trackState{}
	for _, tr := range trs {
		tr.mu.Lock()
		for _, r := range tr.remotes {
			o.tracks[r] = trackState{sending: r.sending, muted: r.muted}
		}
		tr.mu.Unlock()
	}
}

func (o *offerTracks) clear() { o.take() }

// take returns and forgets the saved state; ok is false when no remote
// offer was pending.
func (o *offerTracks) take() (map[*RemoteTrack]trackState, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	tracks, ok := o.tracks, o.pending
	o.pending, o.tracks = false, nil

	return tracks, ok
}

// endAllRemoteTracks ends every remote track of the peer connection, as pion
// closes it on the remote's DTLS close_notify.
func (p *PeerConnection) endAllRemoteTracks() {
	for _, tr := range p.transceiverList() {
		tr.endRemoteTracks()
	}
}

// endRemoteTracks ends the transceiver's remote tracks as it stops.
func (tr *Transceiver) endRemoteTracks() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.endRemoteTracksLocked()
}

func (tr *Transceiver) endRemoteTracksLocked() {
	for _, r := range tr.remotes {
		r.end()
	}
}

// localReceives reports whether our own media section m receives: its
// direction is sendrecv (also when it has none, RFC 4566) or recvonly.
func localReceives(m *sdp.MediaDescription) bool { return !hasDirection(m, "sendonly", "inactive") }

// remoteSends reports whether the remote sends on media section m: its
// direction is sendrecv (also when it has none) or sendonly.
func remoteSends(m *sdp.MediaDescription) bool { return !hasDirection(m, "recvonly", "inactive") }

func hasDirection(m *sdp.MediaDescription, directions ...string) bool {
	for _, dir := range directions {
		if _, ok := m.Attribute(dir); ok {
			return true
		}
	}

	return false
}

// describedTracks are the tracks media section m announces: one per rid it
// sends, else one, as far as the description tells (its first SSRC, its
// first codec; the first packet tells the rest).
func describedTracks(d *sdp.SessionDescription, m *sdp.MediaDescription, kind webrtc.RTPCodecType, mid string) []RemoteInfo {
	base := RemoteInfo{Kind: kind.String(), StreamIDs: []string{}, Mid: mid}
	if msid, ok := m.Attribute("msid"); ok {
		fields := strings.Fields(msid)
		if len(fields) > 0 && fields[0] != "-" {
			base.StreamIDs = append(base.StreamIDs, fields[0])
		}
		if len(fields) > 1 {
			base.ID = fields[1]
		}
	}
	if ssrc, ok := m.Attribute("ssrc"); ok {
		if n, err := strconv.ParseUint(strings.Fields(ssrc + " ")[0], 10, 32); err == nil {
			base.SSRC = uint32(n)
		}
	}
	if len(m.MediaName.Formats) > 0 {
		if pt, err := strconv.ParseUint(m.MediaName.Formats[0], 10, 8); err == nil {
			if c, err := d.GetCodecForPayloadType(uint8(pt)); err == nil {
				channels, _ := strconv.ParseUint(c.EncodingParameters, 10, 16)
				base.Codec = CodecInfo{PayloadType: uint8(pt), CodecCapability: CodecCapability{
					MimeType: kind.String() + "/" + c.Name, ClockRate: c.ClockRate, Channels: uint16(channels), SDPFmtpLine: c.Fmtp,
				}}
			}
		}
	}
	var tracks []RemoteInfo
	for _, a := range m.Attributes {
		if fields := strings.Fields(a.Value); a.Key == "rid" && len(fields) > 1 && fields[1] == "send" {
			info := base
			info.RID, info.SSRC = fields[0], 0
			tracks = append(tracks, info)
		}
	}
	if len(tracks) == 0 {
		tracks = append(tracks, base)
	}

	return tracks
}
