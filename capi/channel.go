package main

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"sync/atomic"
	"unsafe"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// channel is the table entry of a data channel.
type channel struct {
	id   uint64
	dc   *core.DataChannel
	peer *peer
	own  atomic.Pointer[callback] // set by omnirtc_channel_set_callback
}

func (*channel) kind() string { return "channel" }

func (c *channel) callback() callback {
	if cb := c.own.Load(); cb != nil {
		return *cb
	}

	return callback{}
}

func lookupChannel(h C.omnirtc_channel_t) (*core.DataChannel, error) {
	c, err := lookup[*channel](uint64(h))
	if err != nil {
		return nil, err
	}

	return c.dc, nil
}

//export ortc_go_channel_create
func ortc_go_channel_create(h C.omnirtc_peer_t, label, initJSON *C.omnirtc_cchar_t,
	channelOut *C.omnirtc_channel_t,
) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(channelOut, "channel_out"); err != nil {
			return err
		}
		p, err := lookup[*peer](uint64(h))
		if err != nil {
			return err
		}
		l, err := goString(label, "label")
		if err != nil {
			return err
		}
		init, err := core.ParseDataChannelInit([]byte(optString(initJSON)))
		if err != nil {
			return err
		}
		dc, err := p.pc.CreateDataChannel(l, init)
		if err != nil {
			return err
		}
		c := p.channelFor(dc)
		if c == nil {
			return rtcerr.ErrInvalidState
		}
		*channelOut = C.omnirtc_channel_t(c.id)

		return nil
	})
}

//export ortc_go_channel_set_callback
func ortc_go_channel_set_callback(h C.omnirtc_channel_t, cb C.omnirtc_event_cb, userData unsafe.Pointer) C.omnirtc_status_t {
	ud := C.uintptr_t(uintptr(userData))

	return call(func() error {
		c, err := lookup[*channel](uint64(h))
		if err != nil {
			return err
		}
		if c.peer.poll != nil {
			return fmt.Errorf("%w: the channel's peer is polled: its events are taken with "+
				"omnirtc_peer_poll_events", rtcerr.ErrInvalidState)
		}
		if cb == nil {
			c.own.Store(nil)
		} else {
			c.own.Store(&callback{cb, ud})
		}

		return nil
	})
}

// The header's OMNIRTC_MAX_BUFFERED_AMOUNT is the core's limit: this does not compile otherwise.
var _ = [1]struct{}{}[core.MaxBufferedAmount-C.OMNIRTC_MAX_BUFFERED_AMOUNT]

//export ortc_go_channel_send
func ortc_go_channel_send(h C.omnirtc_channel_t, data *C.omnirtc_cvoid_t, size C.size_t, binary C.int32_t) (
	status C.omnirtc_status_t,
) {
	defer guard(&status)
	dc, err := lookupChannel(h)
	if err != nil {
		return fail(err)
	}
	if data == nil && size > 0 {
		return fail(errNullArgf("data is NULL but size is %d", size))
	}
	// Checked before touching the memory, so a wild size is never read.
	if err := dc.CheckMessageSize(uint64(size)); err != nil {
		return fail(err)
	}
	var payload []byte
	if size > 0 {
		// Borrowed for the call: pion copies it into its send queue.
		payload = unsafe.Slice((*byte)(unsafe.Pointer(data)), int(size))
	}

	return fail(dc.Send(payload, binary != 0))
}

//export ortc_go_channel_get_info
func ortc_go_channel_get_info(h C.omnirtc_channel_t, jsonOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		dc, err := lookupChannel(h)
		if err != nil {
			return err
		}
		b, err := json.Marshal(dc.Info())
		if err != nil {
			return err
		}
		*jsonOut = C.CString(string(b))

		return nil
	})
}

//export ortc_go_channel_get_ready_state
func ortc_go_channel_get_ready_state(h C.omnirtc_channel_t, out *C.int32_t) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "state_out"); err != nil {
			return err
		}
		dc, err := lookupChannel(h)
		if err != nil {
			return err
		}
		*out = C.int32_t(dc.ReadyState())

		return nil
	})
}

// getAmount is the body of the two uint64 getters.
func getAmount(h C.omnirtc_channel_t, out *C.uint64_t, get func(*core.DataChannel) uint64) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "out"); err != nil {
			return err
		}
		dc, err := lookupChannel(h)
		if err != nil {
			return err
		}
		*out = C.uint64_t(get(dc))

		return nil
	})
}

//export ortc_go_channel_get_buffered_amount
func ortc_go_channel_get_buffered_amount(h C.omnirtc_channel_t, out *C.uint64_t) C.omnirtc_status_t {
	return getAmount(h, out, (*core.DataChannel).BufferedAmount)
}

//export ortc_go_channel_get_buffered_amount_low_threshold
func ortc_go_channel_get_buffered_amount_low_threshold(h C.omnirtc_channel_t, out *C.uint64_t) C.omnirtc_status_t {
	return getAmount(h, out, (*core.DataChannel).BufferedAmountLowThreshold)
}

//export ortc_go_channel_set_buffered_amount_low_threshold
func ortc_go_channel_set_buffered_amount_low_threshold(h C.omnirtc_channel_t, threshold C.uint64_t) C.omnirtc_status_t {
	return call(func() error {
		dc, err := lookupChannel(h)
		if err != nil {
			return err
		}
		dc.SetBufferedAmountLowThreshold(uint64(threshold))

		return nil
	})
}

//export ortc_go_channel_set_paused
func ortc_go_channel_set_paused(h C.omnirtc_channel_t, paused C.int32_t) C.omnirtc_status_t {
	return call(func() error {
		dc, err := lookupChannel(h)
		if err != nil {
			return err
		}
		dc.SetPaused(paused != 0)

		return nil
	})
}

//export ortc_go_channel_close
func ortc_go_channel_close(h C.omnirtc_channel_t) C.omnirtc_status_t {
	return call(func() error {
		dc, err := lookupChannel(h)
		if err != nil {
			return err
		}

		return dc.Close()
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
		return fail(fmt.Errorf("%w: count %d is more than an array can hold", rtcerr.ErrInvalidArgument, count))
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
