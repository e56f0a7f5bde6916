// Package core is OmniRTC's WebRTC engine: peer connections and data channels
// on pion/webrtc, with events delivered in order through one dispatcher per
// peer. It has no cgo; capi/ exposes it through the C ABI.
package core

import (
	"errors"
	"io"

	"github.com/pion/sctp"
)

// Error kinds. Every error core returns wraps exactly one of them, so the C
// ABI can map it to a status code with errors.Is.
var (
	ErrInvalidArgument  = errors.New("invalid argument")
	ErrInvalidState     = errors.New("invalid state")
	ErrInvalidConfig    = errors.New("invalid configuration")
	ErrInvalidSDP       = errors.New("invalid session description")
	ErrInvalidCandidate = errors.New("invalid ICE candidate")
	ErrTooLarge         = errors.New("too large")
	ErrOperation        = errors.New("operation failed")
	ErrNotSupported     = errors.New("not supported")
)

// kindError wraps an underlying error with one of the kinds above while
// keeping the underlying message first, which is what a user reads.
type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string { return e.err.Error() }

func (e *kindError) Is(target error) bool { return target == e.kind }

func (e *kindError) Unwrap() error { return e.err }

func wrap(kind, err error) error {
	if err == nil {
		return nil
	}

	return &kindError{kind: kind, err: err}
}

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
