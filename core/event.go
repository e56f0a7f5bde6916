package core

import "github.com/omnirtc/omnirtc/core/svc"

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

// Transport events (transports.go).
const (
	EventTransportState        EventType = 9  // the DTLS or SCTP transport's state changed
	EventSelectedCandidatePair EventType = 10 // the ICE transport selected a candidate pair
)

// Media events.
const (
	EventTrack           EventType = 40 // a remote track arrived
	EventTrackRTP        EventType = 41 // one RTP packet of a remote track (receive mode "rtp")
	EventTrackFrame      EventType = 42 // one frame of a remote track (receive mode "frames")
	EventTrackEnded      EventType = 43 // a remote track ended; its final event
	EventKeyframeRequest EventType = 44 // the remote asked a sender for a keyframe
	EventTargetBitrate   EventType = 45 // a new send bitrate target
	EventDTMFToneChange  EventType = 46 // an RTCDTMFSender started a tone, or ran out of them (dtmf.go)
	EventDTMFTone        EventType = 47 // a remote audio track received a DTMF tone (RFC 4733)
	EventTrackMute       EventType = 48 // a remote track was muted: its remote stopped sending it
	EventTrackUnmute     EventType = 49 // a remote track was unmuted: its first packet arrived
)

// KeyframeRequest kinds: how the remote asked for a keyframe.
const (
	KeyframePLI int32 = 0 // Picture Loss Indication
	KeyframeFIR int32 = 1 // Full Intra Request
)

// Event is one notification from a peer connection or one of its channels.
// Each field has one meaning and is set only for the types its comment
// names; the C header's event table maps them to the union members.
// Data is owned by the handler once delivered, except that EventTrackRTP and
// EventTrackFrame (the event and its Data) are valid only during the handler
// call: the track's reader reuses them for the next packet. A polled peer
// connection queues copies of those, so every taken event is the host's.
type Event struct {
	Type        EventType
	Channel     *DataChannel // EventDataChannel and the channel events
	ChannelInfo string       // EventDataChannel, EventChannelOpen: the channel's Info JSON as it opened

	State     int32  // state events: the new state
	StateName string // state events: the W3C name of the new state
	Gathering int64  // EventICEGatheringState: the gathering's number (Gatherings)

	Candidate     string // EventICECandidate: the candidate line; "" means end of candidates
	SDPMid        string // EventICECandidate
	SDPMLineIndex int32  // EventICECandidate

	Data   []byte // EventChannelMessage: the message; EventTrackRTP: one packet; EventTrackFrame: one frame
	Binary bool   // EventChannelMessage

	Error string // EventChannelError: what failed

	Transport       int32  // EventTransportState: TransportDTLS or TransportSCTP (State, StateName: its state)
	LocalCandidate  string // EventSelectedCandidatePair: the local candidate's line
	RemoteCandidate string // EventSelectedCandidatePair: the remote candidate's line

	RemoteTrack    *RemoteTrack // EventTrack, EventTrackRTP, EventTrackFrame, EventTrackEnded, EventTrackMute, EventTrackUnmute
	Transceiver    *Transceiver // EventTrack, EventKeyframeRequest
	RID            string       // EventTrack, EventKeyframeRequest: the simulcast layer
	TrackInfo      string       // EventTrack: the track's info JSON
	Timestamp      uint32       // EventTrackRTP, EventTrackFrame: the RTP timestamp
	Keyframe       bool         // EventTrackFrame
	Layer          svc.Layer    // EventTrackRTP: the packet's layer (VP9, AV1 with the dependency descriptor; else SpatialID, TemporalID -1)
	LayerDescribed bool         // EventTrackRTP: the packet describes its layer (Layer's Keyframe and SwitchPoint mean something)
	PacketsDropped int64        // EventTrackFrame: received packets the sample builder discarded since the previous frame
	KeyframeKind   int32        // EventKeyframeRequest: KeyframePLI or KeyframeFIR

	Tone     string // EventDTMFToneChange: the tone starting, "" when the buffer ran empty; EventDTMFTone: the tone
	Duration int32  // EventDTMFTone: how long it lasted, in milliseconds

	BitsPerSecond int64  // EventTargetBitrate
	BitrateSource int32  // EventTargetBitrate: BitrateSource*
	Streams       string // EventTargetBitrate: BitrateTarget JSON

	taken     func() // run as the host takes it, before the handler
	delivered func() // run after the handler returned
	cost      int    // bytes of the message budget it holds
}

// Handler receives a peer connection's events, one at a time, in order, on a
// goroutine owned by the peer connection.
type Handler func(*Event)
