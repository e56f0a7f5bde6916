package fec

import (
	"bytes"
	"testing"
)

// A RED payload parses back into the blocks it was built from.
func TestREDRoundTrip(t *testing.T) {
	redundant := []Block{
		{PayloadType: 111, TimestampOffset: 1920, Payload: []byte("two before")},
		{PayloadType: 111, TimestampOffset: 960, Payload: []byte("one before")},
	}
	primary := Block{PayloadType: 111, Payload: []byte("now")}
	b := AppendRED(nil, redundant, primary)
	if len(b) != 4+4+1+10+10+3 {
		t.Fatalf("length %d", len(b))
	}
	gotRed, gotPrimary, err := ParseRED(b)
	if err != nil || len(gotRed) != 2 || gotPrimary.PayloadType != 111 || string(gotPrimary.Payload) != "now" {
		t.Fatalf("%v %+v %+v", err, gotRed, gotPrimary)
	}
	for i := range redundant {
		if gotRed[i].PayloadType != 111 || gotRed[i].TimestampOffset != redundant[i].TimestampOffset ||
			!bytes.Equal(gotRed[i].Payload, redundant[i].Payload) {
			t.Fatalf("block %d: %+v", i, gotRed[i])
		}
	}
	// No redundancy: one byte of header, as libwebrtc sends the first packet.
	if b := AppendRED(nil, nil, primary); !bytes.Equal(b, append([]byte{111}, "now"...)) {
		t.Fatalf("% x", b)
	}
}

// The largest block length and offset the header holds round-trip; one more
// does not fit.
func TestREDBlockLimits(t *testing.T) {
	big := Block{PayloadType: 111, TimestampOffset: MaxREDTimestampOffset, Payload: make([]byte, MaxREDBlockLength)}
	if !REDFits(big) {
		t.Fatal("the largest block does not fit")
	}
	red, _, err := ParseRED(AppendRED(nil, []Block{big}, Block{PayloadType: 111, Payload: []byte{1}}))
	if err != nil || len(red[0].Payload) != MaxREDBlockLength || red[0].TimestampOffset != MaxREDTimestampOffset {
		t.Fatalf("%v %d %d", err, len(red[0].Payload), red[0].TimestampOffset)
	}
	for name, b := range map[string]Block{
		"1024 bytes":        {TimestampOffset: 960, Payload: make([]byte, MaxREDBlockLength+1)},
		"offset 2^14":       {TimestampOffset: MaxREDTimestampOffset + 1, Payload: []byte{1}},
		"offset 0":          {Payload: []byte{1}},
		"after the primary": {TimestampOffset: 1 << 31, Payload: []byte{1}}, // a negative difference
	} {
		if REDFits(b) {
			t.Errorf("%s fits", name)
		}
	}
}

// Malformed payloads are errors, never a panic or a block past the end.
func TestREDMalformed(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":               {},
		"header only":         {0x80 | 111, 0, 0x3c, 0x0a},
		"truncated header":    {0x80 | 111, 0, 0x3c},
		"block past the end":  {0x80 | 111, 0, 0x3c, 0x0a, 111, 1, 2, 3},
		"all headers, no end": bytes.Repeat([]byte{0xff}, 64),
	} {
		if _, _, err := ParseRED(b); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// FuzzParseRED: any payload parses or fails without panicking; what parses
// is built back into the same bytes when its blocks fit.
func FuzzParseRED(f *testing.F) {
	f.Add(AppendRED(nil, []Block{{PayloadType: 111, TimestampOffset: 960, Payload: []byte("a")}}, Block{PayloadType: 111, Payload: []byte("b")}))
	f.Add([]byte{111})
	f.Add([]byte{0x80 | 111, 0xff, 0xff, 0xff, 111})
	f.Fuzz(func(t *testing.T, b []byte) {
		NewWindow(1).AddRED(b) // as a whole packet
		red, primary, err := ParseRED(b)
		if err != nil {
			return
		}
		for _, r := range red {
			if !REDFits(r) {
				return
			}
		}
		if out := AppendRED(nil, red, primary); !bytes.Equal(out, b) {
			t.Fatalf("rebuilt % x from % x", out, b)
		}
		w := NewWindow(1)
		pkt := append([]byte{0x80, 63, 0, 1, 0, 0, 0, 9, 0, 0, 0, 1}, b...)
		w.AddRED(pkt)
		w.AddRED(pkt)
	})
}
