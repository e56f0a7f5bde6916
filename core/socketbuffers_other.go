//go:build !linux

package core

import "syscall"

func forceSocketBuffers(syscall.RawConn, int) bool { return false }
