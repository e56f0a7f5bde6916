package main

/*
#include "bridge.h"

typedef const omnirtc_message_t omnirtc_cmessage_t;
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"

	"github.com/omnirtc/omnirtc/core"
)

// maxEngineThreads bounds omnirtc_set_engine_threads.
const maxEngineThreads = 1024

//export ortc_go_set_engine_threads
func ortc_go_set_engine_threads(threads C.int32_t, previousOut *C.int32_t) C.omnirtc_status_t {
	return call(func() error {
		if threads < 0 || threads > maxEngineThreads {
			return fmt.Errorf("%w: threads %d is outside 0..%d", core.ErrInvalidArgument, threads, maxEngineThreads)
		}
		n := int(threads)
		if n == 0 {
			n = defaultEngineThreads()
		}
		previous := runtime.GOMAXPROCS(n)
		if previousOut != nil {
			*previousOut = C.int32_t(previous)
		}

		return nil
	})
}

// maxBatch bounds count so that a wild value is refused before the array is
// read (an unsafe.Slice of it would not fit in memory anyway).
const maxBatch = 1 << 40 / C.sizeof_omnirtc_message_t

//export ortc_go_channel_send_batch
func ortc_go_channel_send_batch(h C.omnirtc_channel_t, messages *C.omnirtc_cmessage_t, count C.size_t,
	sentOut *C.size_t,
) (status C.omnirtc_status_t) {
	defer guard(&status)
	sent := 0
	defer func() {
		if sentOut != nil {
			*sentOut = C.size_t(sent)
		}
	}()
	dc, err := lookupChannel(h)
	if err != nil {
		return fail(err)
	}
	switch {
	case count == 0:
		return C.OMNIRTC_OK
	case messages == nil:
		return fail(errNullArgf("messages is NULL but count is %d", count))
	case uint64(count) > maxBatch:
		return fail(fmt.Errorf("%w: count %d is more than an array can hold", core.ErrInvalidArgument, count))
	}
	for i, m := range unsafe.Slice(messages, int(count)) {
		if m.data == nil && m.size > 0 {
			return fail(errNullArgf("messages[%d].data is NULL but size is %d", i, m.size))
		}
		// Checked before touching the memory, so a wild size is never read.
		if err := dc.CheckMessageSize(uint64(m.size)); err != nil {
			return fail(fmt.Errorf("messages[%d]: %w", i, err))
		}
		var payload []byte
		if m.size > 0 {
			// Borrowed for the call: pion copies it into its send queue.
			payload = unsafe.Slice((*byte)(m.data), int(m.size))
		}
		if err := dc.Send(payload, m.binary != 0); err != nil {
			return fail(fmt.Errorf("messages[%d]: %w", i, err))
		}
		sent++
	}

	return C.OMNIRTC_OK
}
