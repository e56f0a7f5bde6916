package whip

import "github.com/omnirtc/omnirtc/core/internal/eventqueue"

// EventType names a WHIP server event; the values are the C API's
// OMNIRTC_WHIP_EVENT_*.
type EventType int32

// WHIP server events.
const (
	// EventSession is an offer that waits for Server.Answer or Server.Reject.
	EventSession EventType = 1
	// EventSessionEnded is a session that ended: its DELETE came, or it was
	// not answered; the server closed its peer connection, if any.
	EventSessionEnded EventType = 2
	// EventClosed is the last event of a closed server.
	EventClosed EventType = 3
)

// Event is one notification from a WHIP server.
type Event struct {
	Type    EventType
	Session uint64 // the session's id, from 1
	Path    string // Session: the request path, which names the endpoint
	Offer   string // Session: the offer, application/sdp
	Reason  string // SessionEnded: "deleted", "refused", "timeout", "failed", "closed"
}

type eventQueue = eventqueue.Queue[*Event]
