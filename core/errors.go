// Package core is OmniRTC's WebRTC engine: peer connections and data channels
// on pion/webrtc, with events delivered in order through one dispatcher per
// peer. It has no cgo; capi/ exposes it through the C ABI.
package core

import (
	"errors"
	"io"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/sctp"
)

// Error kinds (rtcerr's, here so that callers of core need one import).
var (
	ErrInvalidArgument  = rtcerr.ErrInvalidArgument
	ErrInvalidState     = rtcerr.ErrInvalidState
	ErrInvalidConfig    = rtcerr.ErrInvalidConfig
	ErrInvalidSDP       = rtcerr.ErrInvalidSDP
	ErrInvalidCandidate = rtcerr.ErrInvalidCandidate
	ErrTooLarge         = rtcerr.ErrTooLarge
	ErrOperation        = rtcerr.ErrOperation
	ErrNotSupported     = rtcerr.ErrNotSupported
)

func wrap(kind, err error) error { return rtcerr.Wrap(kind, err) }

func quote(s string) string { return rtcerr.Quote(s) }

func brief(err error) string { return rtcerr.Brief(err) }

// transportEnded reports whether err is pion's way of saying that the SCTP
// association or the channel's stream is closing or closed: a call that meets
// one lost a race with a close, ours or the remote's. Every such call is a
// state error (a close a success), whichever of pion's words it got.
func transportEnded(err error) bool {
	for _, ended := range []error{
		sctp.ErrStreamClosed, sctp.ErrAssociationClosed, sctp.ErrAssociationClosedBeforeConn,
		sctp.ErrResetPacketInStateNotExist, sctp.ErrPayloadDataStateNotExist, io.ErrClosedPipe,
	} {
		if errors.Is(err, ended) {
			return true
		}
	}

	return false
}
