// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package ice

import (
	"context"
	"io"
	"net"
	"syscall"
)

// newReadableWaiter returns how recvLoop waits for a packet on conn without
// holding a read buffer, or nil where it cannot (ICE-TCP, TURN), and the read
// itself waits (OmniRTC patch). An established idle candidate waits for all
// its idle time. A syscall.Conn is a UDP socket, or a wrapper that reads from
// the socket it names; only the read takes a datagram.
func newReadableWaiter(conn net.PacketConn) func() error {
	switch conn := conn.(type) {
	case syscall.Conn:
		return newSocketReadableWaiter(conn)
	case interface{ readableWaiter() func() error }: // a UDP mux's
		return conn.readableWaiter()
	}

	return nil
}

// readableWaiter waits as ReadFrom would read, under the wrapper's context
// and read deadline, where the muxed conn can wait without a buffer.
func (s *sharedPacketConn) readableWaiter() func() error {
	underlying, ok := s.underlying.(interface {
		waitReadableContext(ctx context.Context) error
	})
	if !ok {
		return nil
	}

	return func() error {
		ctx, cancel, err := s.readContext()
		if err != nil {
			return err
		}
		if cancel != nil {
			defer cancel()
		}

		return mapContextError(underlying.waitReadableContext(ctx))
	}
}

// waitReadableContext blocks until a packet is queued, returning nil, or until
// readPacket would fail, returning its error, without taking the packet.
func (c *udpMuxedConn) waitReadableContext(ctx context.Context) error {
	for {
		c.mu.Lock()
		readable, closed := c.bufTail != nil, c.closed
		if !readable && !closed {
			c.readWaiting.Add(1)
		}
		c.mu.Unlock()
		switch {
		case readable:
			return nil
		case closed:
			return io.EOF
		}

		var err error
		select {
		case <-c.notify:
		case <-c.closedChan:
			err = io.EOF
		case <-ctx.Done():
			err = ctx.Err()
		}

		c.readWaiting.Add(-1)

		if err != nil {
			return err
		}
	}
}
