//go:build !linux

package sockbuf

import "syscall"

func force(syscall.RawConn, int) bool { return false }
