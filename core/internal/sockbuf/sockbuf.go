// Package sockbuf grows UDP socket buffers, for the peers' sockets and the
// TURN server's listeners alike.
package sockbuf

import "syscall"

// DefaultSize is the socket buffer OmniRTC asks for. Linux's default
// (208 KiB) overflows under bulk data channel traffic, and every overflow
// costs SCTP a retransmission timeout: a 30x throughput loss on loopback. A
// TURN server's listener, which every client's requests and relayed data
// share, overflows under a flood of requests too, and loses the one
// deallocating Refresh a closing client sends (scripts/test-nat.sh, flood).
const DefaultSize = 4 << 20

// Grow asks for both buffers of c (a socket: a syscall.Conn, or anything
// with SetReadBuffer and SetWriteBuffer) to be size bytes: above the system's
// maximum when the process may (CAP_NET_ADMIN), else up to that maximum. Any
// failure only costs speed, so none is reported; size <= 0 does nothing.
func Grow(c any, size int) {
	if size <= 0 {
		return
	}
	if sc, ok := c.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil && force(raw, size) {
			return
		}
	}
	if b, ok := c.(interface {
		SetReadBuffer(int) error
		SetWriteBuffer(int) error
	}); ok {
		_ = b.SetReadBuffer(size)
		_ = b.SetWriteBuffer(size)
	}
}
