package core

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtp"
)

const (
	redConfig   = `{"omnirtc":{"includeLoopback":true,"mdns":"disabled","interceptors":["rtcpReports","stats","red"]}}`
	noREDConfig = `{"omnirtc":{"includeLoopback":true,"mdns":"disabled","interceptors":["rtcpReports","stats"]}}`
)

// statsOfType returns the first entry of the given type in pc's stats.
func statsOfType(t *testing.T, pc *PeerConnection, typ string) map[string]any {
	t.Helper()
	text, err := pc.Stats()
	must(t, err)
	var report map[string]map[string]any
	must(t, json.Unmarshal(text, &report))
	for _, s := range report {
		if s["type"] == typ {
			return s
		}
	}
	t.Fatalf("no %s stats: %s", typ, text)

	return nil
}

// sendOpusRTP connects a (sending Opus RTP) to b (taking RTP), writes n
// packets 20 ms apart and returns what b received, once the last arrived.
func sendOpusRTP(t *testing.T, aConfig, bConfig string, n int) (a, b *PeerConnection, received []rtp.Packet) {
	t.Helper()
	packets := make([]rtp.Packet, n)
	for i := range packets {
		packets[i] = rtp.Packet{
			Header:  rtp.Header{Version: 2, SequenceNumber: uint16(100 + i), Timestamp: uint32(960 * i)}, //nolint:gosec // small
			Payload: bytes.Repeat([]byte{byte(i)}, 40+i),
		}
	}

	return sendRTP(t, "opus", aConfig, bConfig, packets)
}

// sendRTP connects a (sending RTP of codec) to b (taking RTP), writes the
// packets and returns those b received with a payload, once as many
// arrived.
func sendRTP(t *testing.T, codec, aConfig, bConfig string, packets []rtp.Packet) (a, b *PeerConnection, received []rtp.Packet) {
	t.Helper()
	ra, rb := newRecorder(), newRecorder()
	a, b = newPeer(t, aConfig, ra), newPeer(t, bConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	track, err := NewLocalTrack(TrackInit{Codec: codec, ID: "media", Mode: "rtp"})
	must(t, err)
	_, err = a.AddTrack(track)
	must(t, err)
	connect(t, a, b, ra, rb)
	rb.waitFor(t, 10*time.Second, ofType(EventTrack)).RemoteTrack.SetReceiveOptions(ReceiveOptions{Mode: "rtp"})
	for _, p := range packets {
		raw, err := p.Marshal()
		must(t, err)
		must(t, track.WriteRTP("", raw))
	}
	withPayload := func(e *Event) bool {
		var p rtp.Packet

		return e.Type == EventTrackRTP && p.Unmarshal(append([]byte(nil), e.Data...)) == nil && len(p.Payload) > 0
	}
	for _, e := range rb.waitN(t, 10*time.Second, withPayload, len(packets)) {
		var p rtp.Packet
		must(t, p.Unmarshal(append([]byte(nil), e.Data...)))
		received = append(received, p)
	}

	return a, b, received
}

// With "red" on both peers the offer carries red/48000/2 for Opus, the
// sender wraps each packet with the one before, and the receiver hands on
// the Opus packets as written, each once, counting the redundancy it did
// not need (nothing is lost on this path).
func TestREDIsNegotiatedAndUnwrapped(t *testing.T) {
	const n = 20
	a, b, received := sendOpusRTP(t, redConfig, redConfig, n)
	sdp := a.pc.LocalDescription().SDP
	if !strings.Contains(sdp, "a=rtpmap:63 red/48000/2") || !strings.Contains(sdp, "a=fmtp:63 111/111") {
		t.Fatalf("offer without RED for Opus:\n%s", sdp)
	}
	if len(received) != n {
		t.Fatalf("received %d packets, want %d", len(received), n)
	}
	for i, p := range received {
		if p.PayloadType != 111 || p.SequenceNumber != uint16(100+i) || p.Timestamp != uint32(960*i) || //nolint:gosec // small
			!bytes.Equal(p.Payload, bytes.Repeat([]byte{byte(i)}, 40+i)) {
			t.Fatalf("packet %d: %v", i, p)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		in, out := statsOfType(t, b, "inbound-rtp"), statsOfType(t, a, "outbound-rtp")
		if in["fecPacketsReceived"] == float64(n-1) && out["fecPacketsSent"] == float64(n-1) {
			if in["fecPacketsDiscarded"] != float64(n-1) || in["fecPacketsRecovered"] != 0.0 || in["fecBytesReceived"] != out["fecBytesSent"] {
				t.Fatalf("inbound-rtp %v, outbound-rtp %v", in, out)
			}

			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("inbound-rtp %v, outbound-rtp %v: want %d RED packets with redundancy", in, out, n-1)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// When the answerer has no "red", RED is not negotiated: Opus goes plain,
// with no FEC stats on either side.
func TestREDNeedsBothPeers(t *testing.T) {
	a, b, received := sendOpusRTP(t, redConfig, noREDConfig, 5)
	if len(received) != 5 || received[0].PayloadType != 111 {
		t.Fatalf("received %v", received)
	}
	if strings.Contains(b.pc.LocalDescription().SDP, "red/48000") {
		t.Fatal("the answer accepts RED")
	}
	if out := statsOfType(t, a, "outbound-rtp"); out["fecPacketsSent"] != nil {
		t.Fatalf("outbound-rtp %v", out)
	}
	if in := statsOfType(t, b, "inbound-rtp"); in["fecPacketsReceived"] != nil {
		t.Fatalf("inbound-rtp %v", in)
	}
}

// With "ulpfec" on both peers the offer carries video RED and ULPFEC as
// Chromium offers them; the sender wraps VP8 in RED and, before the first
// receiver report, sends a ULPFEC packet per 2 packets at each frame's end;
// the receiver hands on the VP8 packets as written (numbered on past the
// ULPFEC packets) and counts the ULPFEC packets it did not need.
func TestULPFECIsNegotiatedAndUnwrapped(t *testing.T) {
	const n = 12
	config := `{"omnirtc":{"includeLoopback":true,"mdns":"disabled","interceptors":["rtcpReports","stats","ulpfec"],"ulpfec":{"groupSize":2}}}`
	packets := make([]rtp.Packet, n)
	for i := range packets {
		packets[i] = rtp.Packet{
			Header: rtp.Header{
				Version: 2, SequenceNumber: uint16(100 + i), Timestamp: uint32(3000 * (i / 2)), Marker: i%2 == 1, //nolint:gosec // small
			},
			Payload: append([]byte{0x10, 0, 0, 0}, bytes.Repeat([]byte{byte(i)}, 40+i)...),
		}
	}
	a, b, received := sendRTP(t, "vp8", config, config, packets)
	sdp := a.pc.LocalDescription().SDP
	if !strings.Contains(sdp, "a=rtpmap:121 red/90000") || !strings.Contains(sdp, "a=rtpmap:122 ulpfec/90000") {
		t.Fatalf("offer without video RED and ULPFEC:\n%s", sdp)
	}
	for i, p := range received {
		if p.PayloadType != 96 || p.Marker != packets[i].Marker || p.Timestamp != packets[i].Timestamp || !bytes.Equal(p.Payload, packets[i].Payload) {
			t.Fatalf("packet %d: %v", i, p)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		in, out := statsOfType(t, b, "inbound-rtp"), statsOfType(t, a, "outbound-rtp")
		if in["fecPacketsReceived"] == float64(n/2) && out["fecPacketsSent"] == float64(n/2) {
			if in["fecPacketsDiscarded"] != float64(n/2) || in["fecPacketsRecovered"] != 0.0 || in["fecBytesReceived"] != out["fecBytesSent"] {
				t.Fatalf("inbound-rtp %v, outbound-rtp %v", in, out)
			}

			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("inbound-rtp %v, outbound-rtp %v: want %d ULPFEC packets", in, out, n/2)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
