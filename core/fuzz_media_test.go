package core

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/internal/rtptest"
	"github.com/pion/rtcp"
)

// Fuzz targets for the media entry points that take outside input: RTP
// packets and samples written by the caller (sent through a live, SRTP
// protected pair so the receiver's depacketizers see them too), RTCP that
// reaches a sender, and track / transceiver / codec-preference / receive
// options. The media file targets are mediafile's.

// mediaPair is a connected pair in which a sends one track per codec shape
// plus a probe track, and b receives them.
type mediaPair struct {
	a, b   *PeerConnection
	ra, rb *recorder
	tracks []*LocalTrack // fuzzed: vp8, h264, opus samples; vp8 RTP
	probe  *LocalTrack
	probes int
	inputs int
}

var (
	mediaPairOnce sync.Once
	sharedMedia   *mediaPair
)

// openMediaPair connects one media pair per fuzz worker process; every
// input of that worker is sent through it.
func openMediaPair(t testing.TB) *mediaPair {
	t.Helper()
	mediaPairOnce.Do(func() { sharedMedia = newMediaPair(t) })
	if sharedMedia == nil {
		t.Fatal("no media pair")
	}

	return sharedMedia
}

// mediaPairConfig adds "remb" to the default interceptors, so fuzzed REMBs
// reach the sender's REMB handling.
const mediaPairConfig = `{"omnirtc":{"includeLoopback":true,"mdns":"disabled",` +
	`"interceptors":["nack","rtx","rtcpReports","twcc","stats","remb"]}}`

// newMediaPair connects a media pair.
func newMediaPair(t testing.TB) *mediaPair {
	t.Helper()
	mp := &mediaPair{ra: newRecorder(), rb: newRecorder()}
	mp.a = newPeer(t, mediaPairConfig, mp.ra)
	mp.b = newPeer(t, mediaPairConfig, mp.rb)
	for _, init := range []TrackInit{
		{Codec: "vp8", ID: "vp8"},
		{Codec: "h264", ID: "h264"},
		{Codec: "opus", ID: "opus"},
		{Codec: "vp8", ID: "rtp", Mode: "rtp"},
	} {
		track, err := NewLocalTrack(init)
		must(t, err)
		_, err = mp.a.AddTrack(track)
		must(t, err)
		mp.tracks = append(mp.tracks, track)
	}
	var err error
	mp.probe, err = NewLocalTrack(TrackInit{Codec: "vp8", ID: "probe"})
	must(t, err)
	_, err = mp.a.AddTrack(mp.probe)
	must(t, err)
	connect(t, mp.a, mp.b, mp.ra, mp.rb)

	return mp
}

func (mp *mediaPair) close() {
	_ = mp.a.Close()
	_ = mp.b.Close()
}

// stillFlows sends a probe keyframe and waits for b to deliver it, and
// fails on any connection state but connected.
func (mp *mediaPair) stillFlows(t testing.TB) {
	t.Helper()
	mp.probes++
	frame := vp8Frame(0, 200)
	copy(frame[1:], fmt.Sprintf("probe-%06d", mp.probes))
	deadline := time.Now().Add(10 * time.Second)
	for {
		must(t, mp.probe.WriteSample("", frame, 33*time.Millisecond))
		if mp.rb.count(func(e *Event) bool { return e.Type == EventTrackFrame && bytes.Equal(e.Data, frame) }) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("probe %d did not arrive", mp.probes)
		}
		time.Sleep(20 * time.Millisecond)
	}
	bad := func(e *Event) bool {
		return e.Type == EventConnectionState && e.StateName != "connected" && e.StateName != "connecting" &&
			e.StateName != "new"
	}
	if mp.ra.count(bad) > 0 || mp.rb.count(bad) > 0 {
		t.Fatal("the media pair left the connected state")
	}
	// keep the recorders small: drop delivered frames and RTP
	for _, r := range []*recorder{mp.ra, mp.rb} {
		r.mu.Lock()
		kept := r.events[:0]
		for _, e := range r.events {
			if e.Type != EventTrackFrame && e.Type != EventTrackRTP && e.Type != EventKeyframeRequest {
				kept = append(kept, e)
			}
		}
		r.events = kept
		r.mu.Unlock()
	}
}

// FuzzTrackWrite writes a fuzzed sample (vp8, h264, opus tracks) or RTP
// packet (the RTP-mode track) with a fuzzed rid through a live pair; the
// write either fails with a kind or is sent, and media keeps flowing.
func FuzzTrackWrite(f *testing.F) {
	f.Add(uint8(0), "", vp8Frame(0, 100))
	f.Add(uint8(0), "", vp8Frame(3, 1500))
	f.Add(uint8(1), "", []byte{0, 0, 0, 1, 0x67, 0x42, 0, 0x1f, 0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80, 0, 0, 1, 0x65, 0x88, 0x84})
	f.Add(uint8(1), "", []byte{0, 0, 1, 0x7c, 0x85, 1, 2, 3}) // FU-A inside a sample
	f.Add(uint8(2), "", []byte{0xfc, 0xff, 0xfe})
	f.Add(uint8(3), "", rtptest.Packet(1, vp8Frame(0, 50)))
	f.Add(uint8(3), "", rtptest.Packet(65535, []byte{0x90, 0x80, 0x80, 0x01}))
	f.Add(uint8(3), "h", rtptest.Packet(2, nil))
	f.Add(uint8(3), "", []byte{0xb0, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xbe, 0xde, 0, 1, 0x10, 0xff, 0, 0}) // extension
	f.Fuzz(func(t *testing.T, which uint8, rid string, data []byte) {
		mp := openMediaPair(t)
		track := mp.tracks[int(which)%len(mp.tracks)]
		if track.rtp {
			checkKind(t, track.WriteRTP(rid, data))
		} else {
			checkKind(t, track.WriteSample(rid, data, 20*time.Millisecond))
		}
		mp.inputs++
		if mp.inputs%200 == 1 {
			mp.stillFlows(t)
		}
	})
}

// FuzzRTCPAtSender has b send fuzzed RTCP (SRTCP protected, so as an
// authenticated but misbehaving peer) to a, whose senders read it for
// keyframe requests; a keeps sending.
func FuzzRTCPAtSender(f *testing.F) {
	pli, _ := (&rtcp.PictureLossIndication{SenderSSRC: 1, MediaSSRC: 2}).Marshal()
	fir, _ := (&rtcp.FullIntraRequest{SenderSSRC: 1, FIR: []rtcp.FIREntry{{SSRC: 2, SequenceNumber: 1}}}).Marshal()
	rr, _ := (&rtcp.ReceiverReport{SSRC: 1, Reports: []rtcp.ReceptionReport{{SSRC: 2}}}).Marshal()
	nack, _ := (&rtcp.TransportLayerNack{SenderSSRC: 1, MediaSSRC: 2, Nacks: []rtcp.NackPair{{PacketID: 1, LostPackets: 3}}}).Marshal()
	remb, _ := (&rtcp.ReceiverEstimatedMaximumBitrate{SenderSSRC: 1, Bitrate: 1e6, SSRCs: []uint32{2}}).Marshal()
	f.Add(pli, true)
	f.Add(fir, true)
	f.Add(append(rr, nack...), false)
	f.Add(remb, true)
	f.Add([]byte{0x81, 206, 0, 2, 0, 0, 0, 1}, true) // PLI with a lying length
	f.Fuzz(func(t *testing.T, data []byte, useSenderSSRC bool) {
		mp := openMediaPair(t)
		if useSenderSSRC && len(data) >= 12 {
			// aim it at a real sender: a's first video SSRC as media SSRC
			// (and as a REMB's first listed SSRC)
			for _, tr := range mp.a.pc.GetTransceivers() {
				if s := tr.Sender(); s != nil && len(s.GetParameters().Encodings) > 0 {
					data = append([]byte{}, data...)
					ssrc := uint32(s.GetParameters().Encodings[0].SSRC)
					binary.BigEndian.PutUint32(data[8:12], ssrc)
					if len(data) >= 24 && string(data[12:16]) == "REMB" {
						binary.BigEndian.PutUint32(data[20:24], ssrc)
					}

					break
				}
			}
		}
		_ = mp.b.pc.WriteRTCP([]rtcp.Packet{rawRTCP(data)})
		mp.inputs++
		if mp.inputs%200 == 1 {
			mp.stillFlows(t)
		}
	})
}

// rawRTCP is an RTCP packet that marshals to exactly the given bytes.
type rawRTCP []byte

func (r rawRTCP) Marshal() ([]byte, error)  { return r, nil }
func (r rawRTCP) Unmarshal(b []byte) error  { return nil }
func (r rawRTCP) MarshalSize() int          { return len(r) }
func (r rawRTCP) DestinationSSRC() []uint32 { return nil }

// FuzzTrackInit parses track options (codec names included) and writes a
// sample and an RTP packet to the unbound track.
func FuzzTrackInit(f *testing.F) {
	f.Add([]byte(`{"codec":"video/VP8","id":"cam","streamId":"s"}`), []byte{1, 2, 3})
	f.Add([]byte(`{"codec":"opus","mode":"rtp"}`), rtptest.Packet(1, []byte{1}))
	f.Add([]byte(`{"codec":"H264","rids":["h","m","l"]}`), []byte{0, 0, 0, 1, 0x65})
	f.Add([]byte(`{"codec":"audio/pcmu","rids":[""]}`), []byte{})
	f.Add([]byte(`{"codec":"av1","mode":"sample","rids":["a","a"]}`), []byte{0x0a})
	f.Fuzz(func(t *testing.T, text, data []byte) {
		init, err := ParseTrackInit(text)
		checkKind(t, err)
		if err != nil {
			return
		}
		track, err := NewLocalTrack(init)
		checkKind(t, err)
		if err != nil {
			return
		}
		for _, rid := range append([]string{"", "nope"}, init.RIDs...) {
			checkKind(t, track.WriteSample(rid, data, time.Millisecond))
			checkKind(t, track.WriteRTP(rid, data))
			checkKind(t, track.SetActive(rid, false))
		}
		info := track.Info()
		if info.Kind != "audio" && info.Kind != "video" {
			t.Fatalf("track kind %q", info.Kind)
		}
		track.Close()
	})
}

// FuzzAddTransceiver parses a kind and RTCRtpTransceiverInit (direction,
// streams, sendEncodings) and adds a transceiver with or without a
// simulcast track, then offers.
func FuzzAddTransceiver(f *testing.F) {
	f.Add("video", []byte(`{"direction":"sendonly","streams":["s"],"sendEncodings":[{"rid":"h"},{"rid":"l","scaleResolutionDownBy":2}]}`), uint8(1))
	f.Add("audio", []byte(`{"direction":"recvonly"}`), uint8(0))
	f.Add("video", []byte(`{"sendEncodings":[{"rid":"h","active":false,"maxBitrate":100000}]}`), uint8(2))
	f.Add("data", []byte(`{}`), uint8(0))
	f.Fuzz(func(t *testing.T, kind string, text []byte, which uint8) {
		init, err := ParseTransceiverInit(text)
		checkKind(t, err)
		if err != nil {
			return
		}
		pc := newPeerTB(t)
		defer func() { _ = pc.Close() }()
		var track *LocalTrack
		switch which % 3 {
		case 1:
			track, err = NewLocalTrack(TrackInit{Codec: "vp8", RIDs: []string{"h", "l"}})
		case 2:
			track, err = NewLocalTrack(TrackInit{Codec: "opus"})
		}
		must(t, err)
		tr, err := pc.AddTransceiver(kind, track, init)
		checkKind(t, err)
		if err != nil {
			return
		}
		_ = tr.Info()
		_, err = pc.CreateOffer(OfferOptions{})
		checkKind(t, err)
	})
}

// FuzzCodecPreferences parses setCodecPreferences JSON and applies it to an
// audio and a video transceiver, then offers.
func FuzzCodecPreferences(f *testing.F) {
	f.Add([]byte(`[{"mimeType":"video/VP8"},{"mimeType":"video/H264","sdpFmtpLine":"level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"}]`))
	f.Add([]byte(`[{"mimeType":"audio/opus","clockRate":48000,"channels":2}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"mimeType":"video/rtx"}]`))
	f.Fuzz(func(t *testing.T, text []byte) {
		prefs, err := ParseCodecPreferences(text)
		checkKind(t, err)
		if err != nil {
			return
		}
		pc := newPeerTB(t)
		defer func() { _ = pc.Close() }()
		for _, kind := range []string{"audio", "video"} {
			tr, addErr := pc.AddTransceiver(kind, nil, TransceiverInit{})
			must(t, addErr)
			checkKind(t, tr.SetCodecPreferences(prefs))
		}
		_, err = pc.CreateOffer(OfferOptions{})
		checkKind(t, err)
	})
}

// FuzzReceiveOptions parses receive options.
func FuzzReceiveOptions(f *testing.F) {
	f.Add([]byte(`{"mode":"frames","maxLate":100,"maxDelayMs":500}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		_, err := ParseReceiveOptions(text)
		checkKind(t, err)
	})
}
