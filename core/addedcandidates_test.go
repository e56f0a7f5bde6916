package core

import (
	"strings"
	"testing"
)

// W3C webrtc-pc 4.4.1.6 addIceCandidate: the candidate's line goes at the end
// of the m-section of its sdpMid, else of its sdpMLineIndex; an end of
// candidates without either goes to every section.
func TestAddedCandidatesInTheirSection(t *testing.T) {
	offerer := newPeer(t, `{}`, newRecorder())
	_, err := offerer.AddTransceiver("audio", nil, TransceiverInit{})
	must(t, err)
	_, err = offerer.CreateDataChannel("d", DataChannelInit{})
	must(t, err)
	offer, err := offerer.CreateOffer(OfferOptions{})
	must(t, err)
	pc := newPeer(t, `{}`, newRecorder())
	must(t, pc.SetRemoteDescription("offer", offer))
	const host = "candidate:1 1 udp 2113937151 192.0.2.1 5000 typ host"
	must(t, pc.AddICECandidate(host, "1", -1))
	must(t, pc.AddICECandidate("1 1 udp 2113937151 192.0.2.2 5000 typ host", "", 0)) // without "candidate:"
	must(t, pc.AddICECandidate("", "", -1))
	_, text, _ := pc.SessionDescription(DescriptionPendingRemote)
	if !strings.HasPrefix(text, strings.SplitN(offer, "m=", 2)[0]) || !strings.HasSuffix(text, "\r\n") {
		t.Fatalf("the session part or the line ends changed:\n%s", text)
	}
	audio, data, _ := strings.Cut(strings.SplitN(text, "m=", 2)[1], "m=")
	for _, c := range []struct {
		section, line string
		want          bool
	}{
		{audio, "a=" + host, false},
		{data, "a=" + host, true},
		{audio, "a=candidate:1 1 udp 2113937151 192.0.2.2", true},
		{data, "192.0.2.2", false},
		{audio, "\r\na=end-of-candidates\r\n", true},
		{data, "\r\na=end-of-candidates\r\n", true},
	} {
		if strings.Contains(c.section, c.line) != c.want {
			t.Errorf("%q in section: %v, want %v:\n%s", c.line, !c.want, c.want, c.section)
		}
	}
	if !strings.HasSuffix(data, "a="+host+"\r\na=end-of-candidates\r\n") {
		t.Errorf("lines not appended in order at the end:\n%s", data)
	}
}

// W3C webrtc-pc 4.4.1.6: TCP candidates this peer would connect to at a
// Fetch bad port are administratively prohibited.
func TestProhibitedCandidates(t *testing.T) {
	for c, want := range map[string]bool{
		"candidate:1 1 tcp 2105524479 10.0.0.1 2049 typ host tcptype passive": true,
		"candidate:1 1 tcp 2105524479 10.0.0.1 25 typ host tcptype so":        true,
		"candidate:1 1 tcp 2105524479 10.0.0.1 10080 typ host":                true,
		"candidate:1 1 tcp 2105524479 10.0.0.1 9 typ host tcptype active":     false,
		"candidate:1 1 tcp 2105524479 10.0.0.1 8001 typ host tcptype passive": false,
		"candidate:1 1 udp 2113937151 10.0.0.1 2049 typ host":                 false,
		"garbage": false,
	} {
		if prohibitedCandidate(c) != want {
			t.Errorf("prohibitedCandidate(%q) = %v", c, !want)
		}
	}
}
