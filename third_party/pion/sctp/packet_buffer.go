// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package sctp

import "sync"

// OmniRTC patch: the buffers packets are marshaled into, reused once the
// write loop has written them to a packetTransport instead of one fresh
// allocation per packet.

// maxPooledPacket bounds what releasePacket keeps: packets are at most one MTU.
const maxPooledPacket = 1 << 14

var packetBuffers = sync.Pool{New: func() any { return new([]byte) }} //nolint:gochecknoglobals

// packetBuffer returns an empty slice with room for size bytes.
func packetBuffer(size int) []byte {
	b := *packetBuffers.Get().(*[]byte) //nolint:forcetypeassert
	if cap(b) < size {
		return make([]byte, 0, size)
	}

	return b[:0]
}

// releasePacket hands back a marshaled packet that has been written. Nothing
// may use raw after.
func releasePacket(raw []byte) {
	if cap(raw) == 0 || cap(raw) > maxPooledPacket {
		return
	}
	raw = raw[:0]
	packetBuffers.Put(&raw)
}
