// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package ice

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// newSocketReadableWaiter waits in Go's poller until the socket holds a
// datagram, which a zero-byte peek that does not block tells without a buffer.
func newSocketReadableWaiter(conn syscall.Conn) func() error {
	raw, err := conn.SyscallConn()
	if err != nil {
		return nil
	}
	readable := func(fd uintptr) bool {
		_, _, errno := unix.Syscall6(unix.SYS_RECVFROM, fd, 0, 0, unix.MSG_PEEK|unix.MSG_DONTWAIT, 0, 0)

		// Any other error is left for the read to report.
		return errno != unix.EAGAIN
	}

	return func() error { return raw.Read(readable) }
}
