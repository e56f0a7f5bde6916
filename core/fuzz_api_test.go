package core

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// The rest of the C entry points that take outside text: offer/answer
// options, description types with local SDP, the description selector, and
// channel labels and options as they come back out of get_info.

func FuzzOfferOptions(f *testing.F) {
	f.Add([]byte(`{"iceRestart":true}`))
	f.Add([]byte(`{"iceRestart":1}`))
	f.Add([]byte("{\"\xff\":1}"))
	f.Fuzz(func(t *testing.T, text []byte) {
		opts, err := ParseOfferOptions(text)
		checkKind(t, err)
		if err != nil {
			return
		}
		if !utf8.Valid(text) {
			t.Fatalf("options that are not UTF-8 were accepted: %q", text)
		}
		pc := newPeerTB(t)
		defer func() { _ = pc.Close() }()
		_, err = pc.CreateOffer(opts)
		checkKind(t, err)
	})
}

func FuzzSetLocalDescription(f *testing.F) {
	offer := sampleOffer(f)
	f.Add("offer", offer, int32(0))
	f.Add("", "", int32(1))
	f.Add("answer", offer, int32(4))
	f.Add("pranswer", "v=0\r\n", int32(-1))
	f.Add("rollback", "", int32(5))
	f.Add("OFFER", offer, int32(6))
	f.Fuzz(func(t *testing.T, typ, text string, which int32) {
		pc := newPeerTB(t)
		defer func() { _ = pc.Close() }()
		if which%2 == 0 { // half the time with a remote offer in place
			if err := pc.SetRemoteDescription("offer", offer); err != nil {
				t.Fatal(err)
			}
		}
		checkKind(t, pc.SetLocalDescription(typ, text))
		for d := Description(0); d <= DescriptionPendingRemote+1; d++ {
			typ, text, ok := pc.SessionDescription(d)
			if ok && (typ == "" || !utf8.ValidString(text)) {
				t.Fatalf("description %d: type %q", d, typ)
			}
		}
		_, _, _ = pc.SessionDescription(Description(which))
	})
}

func FuzzCreateDataChannel(f *testing.F) {
	f.Add("chat", []byte(`{"ordered":false,"maxRetransmits":2,"protocol":"x"}`))
	f.Add("", []byte(`{"negotiated":true,"id":65534}`))
	f.Add("\u00e9\u20ac", []byte(`{"maxPacketLifeTime":65535}`))
	f.Add("x", []byte(`{"maxPacketLifeTime":65536}`))
	f.Fuzz(func(t *testing.T, label string, text []byte) {
		init, err := ParseDataChannelInit(text)
		checkKind(t, err)
		if err != nil {
			return
		}
		pc := newPeerTB(t)
		defer func() { _ = pc.Close() }()
		c, err := pc.CreateDataChannel(label, init)
		checkKind(t, err)
		if err != nil {
			return
		}
		if !utf8.ValidString(label) {
			t.Fatalf("label that is not UTF-8 was accepted: %q", label)
		}
		info, err := json.Marshal(c.Info())
		if err != nil || !json.Valid(info) {
			t.Fatalf("channel info: %v", err)
		}
		var back DataChannelInfo
		if err := json.Unmarshal(info, &back); err != nil || back.Label != label || back.Protocol != init.Protocol {
			t.Fatalf("channel info does not round-trip: %s", info)
		}
	})
}
