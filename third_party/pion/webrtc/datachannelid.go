// SPDX-FileCopyrightText: 2023 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package webrtc

// assignDataChannelIDs gives each data channel without an id one by the DTLS
// role the answer negotiated, in the order they were created, and makes
// channels created from now on take one at once (W3C webrtc-pc 4.4.1.6: "If
// description negotiates the DTLS role of the SCTP transport, then for each
// RTCDataChannel, channel, with a null id, give channel a new ID generated
// according to the rules of RFC 8832": the DTLS client takes even ids, the
// server odd). The release gave ids only once SCTP ran. local says whether
// the answer is this peer's.
func (pc *PeerConnection) assignDataChannelIDs(answer *SessionDescription, local bool) {
	role := dtlsRoleFromSDP(answer.parsed)
	switch {
	case role != DTLSRoleClient && role != DTLSRoleServer:
		return
	case !local && role == DTLSRoleClient:
		role = DTLSRoleServer
	case !local:
		role = DTLSRoleClient
	}
	pc.sctpTransport.lock.Lock()
	pc.sctpTransport.negotiatedRole = role
	channels := append([]*DataChannel{}, pc.sctpTransport.dataChannels...)
	pc.sctpTransport.lock.Unlock()
	for _, d := range channels {
		d.assignID(pc.sctpTransport, role)
	}
}

// negotiatedDataChannelRole is the DTLS role an answer gave the data
// channels, DTLSRoleUnknown before one did.
func (r *SCTPTransport) negotiatedDataChannelRole() DTLSRole {
	r.lock.RLock()
	defer r.lock.RUnlock()

	return r.negotiatedRole
}

// assignID gives the channel an id of transport for the DTLS role unless it
// has one.
func (d *DataChannel) assignID(transport *SCTPTransport, role DTLSRole) {
	d.mu.RLock()
	hasID := d.id != nil
	d.mu.RUnlock()
	if hasID {
		return
	}
	var id *uint16
	if err := transport.generateAndSetDataChannelID(role, &id); err != nil {
		return // no id left: open fails as in the release
	}
	d.mu.Lock()
	if d.id == nil {
		d.id = id
	}
	d.mu.Unlock()
}
