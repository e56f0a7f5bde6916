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

// Media events.
const (
	EventTrack           EventType = 40 // a remote track arrived: RemoteTrack, Transceiver, Message = its info JSON
	EventTrackRTP        EventType = 41 // RemoteTrack, Data = one RTP packet
	EventTrackFrame      EventType = 42 // RemoteTrack, Data = one frame, Timestamp, Keyframe
	EventTrackEnded      EventType = 43 // RemoteTrack ended; final event for it
	EventKeyframeRequest EventType = 44 // Transceiver, RID; State 0 = PLI, 1 = FIR
	EventTargetBitrate   EventType = 45 // Value = bits per second, State = BitrateSource*, Message = BitrateTarget JSON
)

// Event is one notification from a peer connection or one of its channels.
// Data is owned by the handler once delivered, except that EventTrackRTP and
// EventTrackFrame (the event and its Data) are valid only during the handler
// call: the track's reader reuses them for the next packet. A polled peer
// connection queues copies of those, so every taken event is the host's.
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

	Message string // EventChannelError, EventTrack

	RemoteTrack *RemoteTrack // track events
	Transceiver *Transceiver // EventTrack, EventKeyframeRequest
	RID         string       // EventTrack, EventKeyframeRequest: the simulcast layer
	Timestamp   uint32       // EventTrackFrame, EventTrackRTP: the RTP timestamp
	Keyframe    bool         // EventTrackFrame
	Value       int64        // EventTargetBitrate; EventTrackFrame: frames lost before this one

	delivered func() // run after the handler returned
	cost      int    // bytes of the message budget it holds
}

// Handler receives a peer connection's events, one at a time, in order, on a
// goroutine owned by the peer connection.
type Handler func(*Event)
