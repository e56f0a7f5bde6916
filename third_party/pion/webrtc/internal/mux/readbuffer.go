// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package mux

import "sync"

// readBufferPool holds the read loops' buffers between packets (OmniRTC
// patch): an idle connection's loop waits without one.
var readBufferPool sync.Pool //nolint:gochecknoglobals

// readPacket waits for a packet where nextConn can wait without a buffer
// (ice.Conn), then reads it into a pooled buffer of m.bufferSize bytes, which
// the caller puts back; on an error the buffer is already back.
func (m *Mux) readPacket() (*[]byte, int, error) {
	if waiter, ok := m.nextConn.(interface{ WaitReadable() error }); ok {
		if err := waiter.WaitReadable(); err != nil {
			return nil, 0, err
		}
	}
	bufPtr, ok := readBufferPool.Get().(*[]byte)
	if !ok || len(*bufPtr) != m.bufferSize {
		buf := make([]byte, m.bufferSize)
		bufPtr = &buf
	}
	n, err := m.nextConn.Read(*bufPtr)
	if err != nil {
		readBufferPool.Put(bufPtr)

		return nil, 0, err
	}

	return bufPtr, n, nil
}
