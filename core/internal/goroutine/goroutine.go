// Package goroutine identifies the calling goroutine, so that a close called
// from inside an event handler (which must not wait for the goroutine that
// runs the handler) can be told from any other.
package goroutine

import (
	"bytes"
	"runtime"
	"strconv"
)

// ID identifies the calling goroutine. It reads the runtime's stack header,
// so callers read it when a delivery goroutine starts and when something
// closes, never per event.
func ID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)

	return id
}
