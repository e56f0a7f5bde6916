package sockbuf

import "syscall"

// force sets both buffers past net.core.[rw]mem_max, which
// Linux allows with CAP_NET_ADMIN; it reports whether that worked.
func force(raw syscall.RawConn, size int) bool {
	ok := false
	_ = raw.Control(func(fd uintptr) {
		ok = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, size) == nil &&
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUFFORCE, size) == nil
	})

	return ok
}
