package turnserver

import "github.com/omnirtc/omnirtc/core/internal/eventqueue"

// EventType names a TURN server event; the values are the C API's
// OMNIRTC_TURN_EVENT_*.
type EventType int32

// TURN server events.
const (
	EventAllocationCreated EventType = 1
	EventAllocationDeleted EventType = 2
	EventClosed            EventType = 3
)

// Event is one notification from a TURN server.
type Event struct {
	Type          EventType
	Username      string // the authenticated user (for REST credentials, the part after "expiry:")
	Realm         string
	ClientAddress string // the client's transport address, "ip:port"
	RelayAddress  string // AllocationCreated: the relayed transport address
	Protocol      string // the client's transport: "UDP", "TCP" (TLS runs over TCP)
}

// eventQueue holds a TURN server's events for its host (see eventqueue).
type eventQueue = eventqueue.Queue[*Event]
