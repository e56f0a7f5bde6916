package core

// EventType names an event; the values are the C API's OMNIRTC_EVENT_*.
type EventType int32

// Peer connection and data channel events.
const (
	EventICECandidate       EventType = 1
	EventICEGatheringState  EventType = 2
	EventICEConnectionState EventType = 3
	EventConnectionState    EventType = 4
	EventSignalingState     EventType = 5
	EventNegotiationNeeded  EventType = 6
	EventDataChannel        EventType = 7
	EventPeerClosed         EventType = 8
	EventChannelOpen        EventType = 20
	EventChannelMessage     EventType = 21
	EventChannelBufferedLow EventType = 22
	EventChannelError       EventType = 23
	EventChannelClosing     EventType = 24
	EventChannelClose       EventType = 25
)

// Event is one notification from a peer connection or one of its channels.
// Data is owned by the handler once delivered.
type Event struct {
	Type    EventType
	Channel *DataChannel // channel events and EventDataChannel

	State     int32  // state events: the new state
	StateName string // state events: the W3C name of the new state

	Candidate     string // EventICECandidate; "" means end of candidates
	SDPMid        string
	SDPMLineIndex int32

	Data   []byte // EventChannelMessage
	Binary bool

	Message string // EventChannelError
}

// Handler receives a peer connection's events, one at a time, in order, on a
// goroutine owned by the peer connection.
type Handler func(*Event)
