package main

/*
#include "bridge.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime/debug"
	"unsafe"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

var (
	errNullArg  = errors.New("a required pointer argument is NULL")
	errInternal = errors.New("internal error")
)

var kinds = []struct {
	kind   error
	status C.omnirtc_status_t
}{
	{errInvalidHandle, C.OMNIRTC_ERR_INVALID_HANDLE},
	{errNullArg, C.OMNIRTC_ERR_INVALID_ARGUMENT},
	{errInternal, C.OMNIRTC_ERR_INTERNAL},
	{rtcerr.ErrInvalidArgument, C.OMNIRTC_ERR_INVALID_ARGUMENT},
	{rtcerr.ErrInvalidState, C.OMNIRTC_ERR_INVALID_STATE},
	{rtcerr.ErrInvalidConfig, C.OMNIRTC_ERR_INVALID_CONFIG},
	{rtcerr.ErrInvalidSDP, C.OMNIRTC_ERR_INVALID_SDP},
	{rtcerr.ErrInvalidCandidate, C.OMNIRTC_ERR_INVALID_CANDIDATE},
	{rtcerr.ErrTooLarge, C.OMNIRTC_ERR_TOO_LARGE},
	{rtcerr.ErrOperation, C.OMNIRTC_ERR_OPERATION},
	{rtcerr.ErrNotSupported, C.OMNIRTC_ERR_NOT_SUPPORTED},
	{rtcerr.ErrInvalidSyntax, C.OMNIRTC_ERR_INVALID_SYNTAX},
	{rtcerr.ErrInvalidAccess, C.OMNIRTC_ERR_INVALID_ACCESS},
	{rtcerr.ErrInvalidModification, C.OMNIRTC_ERR_INVALID_MODIFICATION},
	{rtcerr.ErrInvalidCharacter, C.OMNIRTC_ERR_INVALID_CHARACTER},
}

// maxErrorMessage bounds a last-error message, in bytes (omnirtc_last_error).
const maxErrorMessage = 1024

// fail records err as this thread's last error and returns its status.
func fail(err error) C.omnirtc_status_t {
	if err == nil {
		return C.OMNIRTC_OK
	}
	status := C.omnirtc_status_t(C.OMNIRTC_ERR_INTERNAL)
	for _, k := range kinds {
		if errors.Is(err, k.kind) {
			status = k.status

			break
		}
	}
	msg := err.Error()
	if msg == "" {
		msg = "unknown error"
	}
	// Our messages quote input by a short prefix (rtcerr.Quote); one of
	// pion's that we pass on may still repeat it whole.
	if len(msg) > maxErrorMessage {
		msg = rtcerr.CutUTF8(msg, maxErrorMessage) + "… (message cut)"
	}
	// Runs on the caller's thread: cgo keeps an exported call on it.
	C.ortc_bridge_set_error((*C.char)(unsafe.Pointer(unsafe.StringData(msg))), C.size_t(len(msg)))

	return status
}

// call runs an export's body: it turns a panic into OMNIRTC_ERR_INTERNAL and
// maps the error to a status. (exports.c has refused forked children before.)
// Hot exports inline the same with guard, to save the closure.
func call(body func() error) (status C.omnirtc_status_t) {
	defer guard(&status)

	return fail(body())
}

// guard, deferred first in an export, turns a panic into OMNIRTC_ERR_INTERNAL.
func guard(status *C.omnirtc_status_t) {
	if r := recover(); r != nil {
		*status = fail(fmt.Errorf("%w: %v\n%s", errInternal, r, debug.Stack()))
	}
}

// goString copies a borrowed C string; NULL is an error naming the argument.
func goString(s *C.omnirtc_cchar_t, name string) (string, error) {
	if s == nil {
		return "", fmt.Errorf("%w: %s", errNullArg, name)
	}

	return C.GoString(s), nil
}

// optString copies a borrowed C string; NULL is "".
func optString(s *C.omnirtc_cchar_t) string {
	if s == nil {
		return ""
	}

	return C.GoString(s)
}

// needOut checks an out-parameter before any work is done.
func needOut[T any](out *T, name string) error {
	if out == nil {
		return fmt.Errorf("%w: %s", errNullArg, name)
	}

	return nil
}

func errNullArgf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errNullArg}, args...)...)
}
