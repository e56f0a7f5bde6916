// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

//go:build !linux

package ice

import "syscall"

func newSocketReadableWaiter(syscall.Conn) func() error {
	return nil // the read itself waits
}
