package core

import (
	"encoding/binary"
	"math/rand"
	"net"
	"os"
	"strconv"
	"testing"
)

// srtpShaped is a datagram SRTP or SRTCP would take for its own: RTP with
// a's real SSRCs and sequence numbers near and far from the live ones, RTCP
// of every type, each with a random "auth tag", and their truncations and
// lying header lengths.
func srtpShaped(r *rand.Rand, ssrcs []uint32) []byte {
	ssrc := r.Uint32()
	if len(ssrcs) > 0 && r.Intn(4) > 0 {
		ssrc = ssrcs[r.Intn(len(ssrcs))]
	}
	switch r.Intn(6) {
	case 0, 1: // RTP: V=2, random P/X/CC, M/PT, sequence number, timestamp, SSRC, payload, tag
		h := make([]byte, 12)
		h[0] = 0x80 | byte(r.Intn(64))
		h[1] = byte(r.Intn(256))
		if h[1]&0x7f >= 72 && h[1]&0x7f <= 79 { // stay out of the RTCP range
			h[1] = 96 | (h[1] & 0x80)
		}
		binary.BigEndian.PutUint16(h[2:], uint16(r.Intn(65536)))
		binary.BigEndian.PutUint32(h[4:], r.Uint32())
		binary.BigEndian.PutUint32(h[8:], ssrc)

		return append(h, randomBytes(r, r.Intn(1200)+10)...) //nolint:makezero // the payload follows the 12-byte header
	case 2: // RTP with a header extension whose length lies
		h := []byte{
			0x90, 96, byte(r.Intn(256)), byte(r.Intn(256)), 0, 0, 0, 1, 0, 0, 0, 0, 0xbe, 0xde,
			byte(r.Intn(256)), byte(r.Intn(256)),
		}
		binary.BigEndian.PutUint32(h[8:], ssrc)

		return append(h, randomBytes(r, r.Intn(64))...)
	case 3, 4: // SRTCP: type 200..207, length, SSRC, body, E|index, tag
		h := []byte{0x80 | byte(r.Intn(32)), byte(200 + r.Intn(8)), byte(r.Intn(4)), byte(r.Intn(256))}
		h = binary.BigEndian.AppendUint32(h, ssrc)
		h = append(h, randomBytes(r, r.Intn(80))...)
		h = binary.BigEndian.AppendUint32(h, r.Uint32()) // E flag and SRTCP index

		return append(h, randomBytes(r, 10)...)
	default: // truncated: shorter than a header or a tag
		return append([]byte{0x80 | byte(r.Intn(64)), byte(r.Intn(256))}, randomBytes(r, r.Intn(14))...)
	}
}

// mediaAddrs are the two ends of the media pair's selected candidate pair.
func (mp *mediaPair) addrs(t testing.TB) *livePair {
	t.Helper()
	for _, tr := range mp.b.pc.GetTransceivers() {
		if tr.Receiver() == nil || tr.Receiver().Transport() == nil {
			continue
		}
		pair, err := tr.Receiver().Transport().ICETransport().GetSelectedCandidatePair()
		if err != nil || pair == nil {
			continue
		}

		return &livePair{
			bAddr: &net.UDPAddr{IP: net.ParseIP(pair.Local.Address), Port: int(pair.Local.Port)},
			aAddr: &net.UDPAddr{IP: net.ParseIP(pair.Remote.Address), Port: int(pair.Remote.Port)},
		}
	}
	t.Fatal("no selected candidate pair")

	return nil
}

// TestHostilePacketsAtLiveMediaPeer sends OMNIRTC_HOSTILE_MEDIA_PACKETS
// (default 2000) datagrams at a pair sending media: SRTP/SRTCP-shaped with
// the pair's real SSRCs, and the mixed shapes of TestHostilePacketsAtLivePeer;
// from a stranger and spoofed from each peer's own address to the other.
// After every 100, a probe frame must still arrive and both peers must
// still be connected.
func TestHostilePacketsAtLiveMediaPeer(t *testing.T) {
	total := 2000
	if n, err := strconv.Atoi(os.Getenv("OMNIRTC_HOSTILE_MEDIA_PACKETS")); err == nil {
		total = n
	}
	mp := newMediaPair(t)
	defer mp.close()
	mp.stillFlows(t)
	lp := mp.addrs(t)
	var ssrcs []uint32
	for _, tr := range mp.a.pc.GetTransceivers() {
		for _, e := range tr.Sender().GetParameters().Encodings {
			ssrcs = append(ssrcs, uint32(e.SSRC))
		}
	}
	stranger, sp := hostileTools(t)
	defer func() { _ = stranger.Close() }()
	defer sp.close()
	r := rand.New(rand.NewSource(2))
	for i := 0; i < total; i++ {
		p := srtpShaped(r, ssrcs)
		if i%4 == 3 {
			p = hostilePacket(r)
		}
		lp.sendHostile(t, stranger, sp, i%3, p)
		if i%100 == 99 {
			mp.stillFlows(t)
		}
	}
	mp.stillFlows(t)
	t.Logf("hostile media packets: %d at a media pair (3/4 SRTP/SRTCP-shaped with its %d real SSRCs; stranger and "+
		"spoofed both ways), %d probe frames delivered", total, len(ssrcs), mp.probes)
}
