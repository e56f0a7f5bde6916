package core

import "testing"

func TestValidDatagram(t *testing.T) {
	record := func(contentType byte, epoch byte, body ...byte) []byte {
		return append([]byte{contentType, 0xfe, 0xfd, 0, epoch, 0, 0, 0, 0, 0, 7, 0, byte(len(body))}, body...)
	}
	for _, c := range []struct {
		name string
		b    []byte
		ok   bool
	}{
		{"empty", nil, true},
		{"STUN", []byte{0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42}, true},
		{"RTP", []byte{0x80, 96, 0, 1}, true},
		{"handshake", record(22, 0, 1, 0, 0, 0), true},
		{"change cipher spec", record(20, 0, 1), true},
		{"alert in epoch 0", record(21, 0, 2, 40), true},
		{"application data in epoch 1", record(23, 1, 9, 9, 9, 9), true},
		{"two records", append(record(20, 0, 1), record(22, 1, 5, 5)...), true},
		{"connection-id record (pion passed its error to SCTP)", record(25, 0, 1, 2, 3), false},
		{"application data in epoch 0", record(23, 0, 1), false},
		{"change cipher spec of two bytes (fatal alert in pion)", record(20, 0, 7, 7), false},
		{"change cipher spec of value 2", record(20, 0, 2), false},
		{"change cipher spec in epoch 1", record(20, 1, 1), false},
		{"alert of three bytes in epoch 0", record(21, 0, 2, 40, 0), false},
		{"TLS version", []byte{22, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false},
		{"truncated header", []byte{22, 0xfe, 0xfd, 0}, false},
		{"valid then garbage", append(record(22, 0, 1), 0x30, 1), false},
	} {
		if got := validDatagram(c.b); got != c.ok {
			t.Errorf("%s: validDatagram = %v, want %v", c.name, got, c.ok)
		}
	}
}
