package whip

import "github.com/omnirtc/omnirtc/core/internal/eventqueue"

// EventType names a WHIP server or client session event; the values are the
// C API's OMNIRTC_WHIP_EVENT_*.
type EventType int32

// WHIP server and session events.
const (
	// EventSession is an offer that waits for Server.Answer or Server.Reject.
	EventSession EventType = 1
	// EventSessionEnded is a session that ended: its DELETE came, or it was
	// not answered; the server closed its peer connection, if any.
	EventSessionEnded EventType = 2
	// EventClosed is the last event of a closed server or session.
	EventClosed EventType = 3
	// EventConnected is a session's answer, applied (Resource).
	EventConnected EventType = 4
	// EventICERestarted is a session's ICE restart, negotiated.
	EventICERestarted EventType = 5
	// EventError is a session's failed request (Status, Reason); a failed
	// Connect is followed by EventClosed.
	EventError EventType = 6
)

// Event is one notification from a WHIP server or client session.
type Event struct {
	Type     EventType
	Session  uint64 // server events: the session's id, from 1
	Path     string // Session: the request path, which names the endpoint
	Offer    string // Session: the offer, application/sdp
	Resource string // Connected: the resource URL
	Status   int    // Error: the HTTP status, 0 when the request got none
	// Reason is SessionEnded's and Closed's cause ("deleted", "refused",
	// "timeout", "failed", "closed"), and Error's message.
	Reason string
}

type eventQueue = eventqueue.Queue[*Event]
