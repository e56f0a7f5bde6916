package core

import (
	"strings"

	"github.com/pion/ice/v4"
)

// badPorts is the Fetch standard's list of bad ports (fetch.spec.whatwg.org,
// "port blocking"): ports of protocols a connection from a browser must not
// reach, since a peer could aim one at a mail, SIP or NFS server.
var badPorts = map[int]struct{}{
	0: {}, 1: {}, 7: {}, 9: {}, 11: {}, 13: {}, 15: {}, 17: {}, 19: {}, 20: {}, 21: {}, 22: {}, 23: {},
	25: {}, 37: {}, 42: {}, 43: {}, 53: {}, 69: {}, 77: {}, 79: {}, 87: {}, 95: {}, 101: {}, 102: {},
	103: {}, 104: {}, 109: {}, 110: {}, 111: {}, 113: {}, 115: {}, 117: {}, 119: {}, 123: {}, 135: {},
	137: {}, 139: {}, 143: {}, 161: {}, 179: {}, 389: {}, 427: {}, 465: {}, 512: {}, 513: {}, 514: {},
	515: {}, 526: {}, 530: {}, 531: {}, 532: {}, 540: {}, 548: {}, 554: {}, 556: {}, 563: {}, 587: {},
	601: {}, 636: {}, 989: {}, 990: {}, 993: {}, 995: {}, 1719: {}, 1720: {}, 1723: {}, 2049: {},
	3659: {}, 4045: {}, 4190: {}, 5060: {}, 5061: {}, 6000: {}, 6566: {}, 6665: {}, 6666: {}, 6667: {},
	6668: {}, 6669: {}, 6679: {}, 6697: {}, 10080: {},
}

// prohibitedCandidate reports whether a remote candidate ("a=candidate"
// value) is administratively prohibited (W3C webrtc-pc 4.4.1.6
// addIceCandidate): a TCP candidate this peer would connect to at a bad port.
// An active TCP candidate is never connected to (its port is a placeholder,
// RFC 6544 4.5), so it stays. Chromium skips the same candidates.
func prohibitedCandidate(candidate string) bool {
	c, err := ice.UnmarshalCandidate(strings.TrimPrefix(candidate, "candidate:"))
	if err != nil || !c.NetworkType().IsTCP() || c.TCPType() == ice.TCPTypeActive {
		return false
	}
	_, bad := badPorts[c.Port()]

	return bad
}
