package core

import (
	"testing"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// Every parser of outside text either accepts its input or returns one of
// core's error kinds; none may panic or hang.

func checkKind(t *testing.T, err error) {
	t.Helper()
	if err != nil && !rtcerr.HasKind(err) {
		t.Fatalf("error without a kind: %v", err)
	}
}

func FuzzParseConfiguration(f *testing.F) {
	f.Add([]byte(loopbackConfig))
	f.Add([]byte(`{"iceServers":[{"urls":["stun:127.0.0.1:1","turn:127.0.0.1:2?transport=tcp"],"username":"u","credential":"c"}],"iceTransportPolicy":"relay","bundlePolicy":"max-bundle"}`))
	f.Add([]byte(`{"omnirtc":{"portRange":{"min":1,"max":2},"networkTypes":["udp4"],"interceptors":[]}}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		cfg, err := ParseConfiguration(text)
		checkKind(t, err)
		if err != nil || cfg.Engine.UDPMuxPort != nil || cfg.Engine.TCPMuxPort != nil {
			return // muxes bind real ports: not from random input
		}
		eng, err := newEngine(cfg, NewLogSink())
		checkKind(t, err)
		if err == nil {
			pc, err := eng.api.NewPeerConnection(eng.config)
			if err == nil {
				_ = pc.Close()
			}
			eng.release()
		}
	})
}

func FuzzParseDataChannelInit(f *testing.F) {
	f.Add([]byte(`{"ordered":false,"maxRetransmits":2,"protocol":"x"}`))
	f.Add([]byte(`{"negotiated":true,"id":4}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		_, err := ParseDataChannelInit(text)
		checkKind(t, err)
		_, err = ParseOfferOptions(text)
		checkKind(t, err)
	})
}

// sampleOffer is a real offer with a data channel, as a seed.
func sampleOffer(t testing.TB) string {
	t.Helper()
	pc := newPeerTB(t)
	defer func() { _ = pc.Close() }()
	_, err := pc.CreateDataChannel("c", DataChannelInit{})
	if err != nil {
		t.Fatal(err)
	}
	offer, err := pc.CreateOffer(OfferOptions{})
	if err != nil {
		t.Fatal(err)
	}

	return offer
}

func newPeerTB(t testing.TB) *PeerConnection {
	t.Helper()
	cfg, err := ParseConfiguration([]byte(loopbackConfig))
	if err != nil {
		t.Fatal(err)
	}
	pc, err := NewPeerConnection(cfg, NewLogSink(), func(*Event) {})
	if err != nil {
		t.Fatal(err)
	}

	return pc
}

func FuzzSetRemoteDescription(f *testing.F) {
	f.Add("offer", sampleOffer(f))
	f.Add("answer", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n")
	f.Add("rollback", "")
	f.Fuzz(func(t *testing.T, typ, text string) {
		pc := newPeerTB(t)
		defer func() { _ = pc.Close() }()
		checkKind(t, pc.SetRemoteDescription(typ, text))
		if pc.SignalingState() == 2 { // have-remote-offer: answer it too
			_, err := pc.CreateAnswer()
			checkKind(t, err)
		}
	})
}

func FuzzAddICECandidate(f *testing.F) {
	offer := sampleOffer(f)
	f.Add("candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host", "0", int32(0))
	f.Add("candidate:2 1 tcp 1 ::1 9 typ host tcptype passive", "", int32(-1))
	f.Add("candidate:3 1 udp 1 10.0.0.1 3 typ srflx raddr 0.0.0.0 rport 0", "0", int32(70000))
	f.Add("", "", int32(-1))
	f.Fuzz(func(t *testing.T, candidate, mid string, index int32) {
		pc := newPeerTB(t)
		defer func() { _ = pc.Close() }()
		if err := pc.SetRemoteDescription("offer", offer); err != nil {
			t.Fatal(err)
		}
		checkKind(t, pc.AddICECandidate(candidate, mid, index))
	})
}
