// Package rtcerr holds the kinds of error OmniRTC returns and how its
// messages quote input. Every error the core returns wraps exactly one kind,
// so the C ABI can map it to a status code with errors.Is.
package rtcerr

import "errors"

// Error kinds.
var (
	ErrInvalidArgument  = errors.New("invalid argument")
	ErrInvalidState     = errors.New("invalid state")
	ErrInvalidConfig    = errors.New("invalid configuration")
	ErrInvalidSDP       = errors.New("invalid session description")
	ErrInvalidCandidate = errors.New("invalid ICE candidate")
	ErrTooLarge         = errors.New("too large")
	ErrOperation        = errors.New("operation failed")
	ErrNotSupported     = errors.New("not supported")
	// The W3C names these four; each binding raises the error of that name.
	ErrInvalidSyntax       = errors.New("syntax error")
	ErrInvalidAccess       = errors.New("invalid access")
	ErrInvalidModification = errors.New("invalid modification")
	ErrInvalidCharacter    = errors.New("invalid character")
)

var kinds = []error{
	ErrInvalidArgument, ErrInvalidState, ErrInvalidConfig, ErrInvalidSDP,
	ErrInvalidCandidate, ErrTooLarge, ErrOperation, ErrNotSupported,
	ErrInvalidSyntax, ErrInvalidAccess, ErrInvalidModification, ErrInvalidCharacter,
}

// kindError wraps an underlying error with one of the kinds above while
// keeping the underlying message first, which is what a user reads.
type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string { return e.err.Error() }

func (e *kindError) Is(target error) bool { return target == e.kind }

func (e *kindError) Unwrap() error { return e.err }

// Wrap returns err as one of kind; nil stays nil.
func Wrap(kind, err error) error {
	if err == nil {
		return nil
	}

	return &kindError{kind: kind, err: err}
}

// HasKind reports whether err wraps one of the kinds.
func HasKind(err error) bool {
	return KindOf(err) != nil
}

// KindOf returns the kind err wraps, or nil.
func KindOf(err error) error {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return k
		}
	}

	return nil
}
