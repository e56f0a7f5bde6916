package core

import (
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// announceRemoteTracks applies W3C webrtc-pc 4.4.1.6 "set the remote
// description" to the remote tracks, from the media sections of d: a
// section the remote sends on announces its tracks (EventTrack, the tracks
// muted until their first packet), again when it had stopped sending; one
// it no longer sends on mutes them; a rejected one (port 0) ends them.
// It runs before SetRemoteDescription returns, so the events are queued
// before the call's end (SignalingChanges.Tracks counts them).
func (p *PeerConnection) announceRemoteTracks(d *sdp.SessionDescription) {
	byMid := map[string]*webrtc.RTPTransceiver{}
	for _, t := range p.pc.GetTransceivers() {
		if mid := t.Mid(); mid != "" {
			byMid[mid] = t
		}
	}
	for _, m := range d.MediaDescriptions {
		kind := webrtc.NewRTPCodecType(m.MediaName.Media)
		mid, _ := m.Attribute(sdp.AttrKeyMID)
		t := byMid[mid]
		if kind == 0 || t == nil || t.Kind() != kind {
			continue
		}
		tr := p.transceiverFor(t)
		tr.mu.Lock()
		switch {
		case m.MediaName.Port.Value == 0:
			tr.endRemoteTracksLocked()
		case remoteSends(m):
			for _, info := range describedTracks(d, m, kind, mid) {
				if r := tr.remotes[info.RID]; r == nil {
					tr.newRemoteTrack(info).announce()
				} else if !r.sending {
					r.announce()
				}
			}
		default:
			for _, r := range tr.remotes {
				r.sending = false
				r.setMuted(true)
			}
		}
		tr.mu.Unlock()
	}
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

// remoteSends reports whether the remote sends on media section m: its
// direction is sendrecv (also when it has none, RFC 4566) or sendonly.
func remoteSends(m *sdp.MediaDescription) bool {
	for _, dir := range []string{"recvonly", "inactive"} {
		if _, ok := m.Attribute(dir); ok {
			return false
		}
	}

	return true
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
