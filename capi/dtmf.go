package main

/*
#include "bridge.h"
*/
import "C"

import (
	"errors"
	"time"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

var errNoDTMFSender = errors.New("a video transceiver has no DTMF sender")

// withDTMF runs body on the DTMF sender of a transceiver handle.
func withDTMF(th C.omnirtc_transceiver_t, body func(*core.DTMFSender) error) C.omnirtc_status_t {
	return with(uint64(th), func(tr *transceiver) error {
		d := tr.t.DTMF()
		if d == nil {
			return rtcerr.Wrap(rtcerr.ErrInvalidArgument, errNoDTMFSender)
		}

		return body(d)
	})
}

//export ortc_go_transceiver_insert_dtmf
func ortc_go_transceiver_insert_dtmf(th C.omnirtc_transceiver_t, tones *C.omnirtc_cchar_t, durationMs, gapMs C.uint32_t) C.omnirtc_status_t {
	return withDTMF(th, func(d *core.DTMFSender) error {
		text, err := goString(tones, "tones")
		if err != nil {
			return err
		}

		return d.InsertDTMF(text, time.Duration(durationMs)*time.Millisecond, time.Duration(gapMs)*time.Millisecond)
	})
}

//export ortc_go_transceiver_get_dtmf
func ortc_go_transceiver_get_dtmf(th C.omnirtc_transceiver_t, toneBufferOut **C.char, canInsertOut *C.int32_t) C.omnirtc_status_t {
	return withDTMF(th, func(d *core.DTMFSender) error {
		if err := needOut(toneBufferOut, "tone_buffer_out"); err != nil {
			return err
		}
		if err := needOut(canInsertOut, "can_insert_out"); err != nil {
			return err
		}
		*canInsertOut = cBool(d.CanInsertDTMF())
		*toneBufferOut = C.CString(d.ToneBuffer())

		return nil
	})
}
