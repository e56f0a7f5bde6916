package core

import "testing"

// TestSeqCloserNumbersAudioAsIfNoEventWasSent feeds audio ("a") and
// telephone-event ("e") packets in arrival order and checks the numbers the
// audio packets get.
func TestSeqCloserNumbersAudioAsIfNoEventWasSent(t *testing.T) {
	type packet struct {
		kind byte
		seq  uint16
	}
	for _, tc := range []struct {
		name    string
		arrival []packet
		want    []uint16 // the audio packets' numbers, in arrival order
	}{
		{"in order", []packet{{'a', 10}, {'a', 11}, {'e', 12}, {'e', 13}, {'a', 14}, {'a', 15}}, []uint16{10, 11, 12, 13}},
		{"a repeated event packet", []packet{{'a', 10}, {'e', 11}, {'e', 11}, {'a', 12}, {'a', 13}}, []uint16{10, 11, 12}},
		{"audio late past an event", []packet{{'a', 10}, {'e', 11}, {'a', 13}, {'a', 12}, {'a', 14}}, []uint16{10, 12, 11, 13}},
		{"audio late before an event", []packet{{'a', 10}, {'e', 12}, {'a', 13}, {'a', 11}, {'a', 14}}, []uint16{10, 12, 11, 13}},
		// The late event packet's gap stays: 12 and 13 keep distinct numbers.
		{"a late event packet", []packet{{'a', 10}, {'a', 12}, {'e', 11}, {'a', 13}}, []uint16{10, 12, 13}},
		{"across the wrap", []packet{{'a', 65534}, {'e', 65535}, {'e', 0}, {'a', 2}, {'a', 1}}, []uint16{65534, 0, 65535}},
		{"an event first", []packet{{'e', 5}, {'a', 6}, {'a', 7}}, []uint16{5, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c seqCloser
			var got []uint16
			for _, p := range tc.arrival {
				if p.kind == 'e' {
					c.event(p.seq)
				} else {
					got = append(got, c.audio(p.seq))
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
