package svc

// Layer is what one RTP packet tells of its place in a scalable stream.
// SpatialID and TemporalID are -1 when the packet does not say (a VP9
// descriptor without layer indices, a non-scalable stream).
type Layer struct {
	SpatialID  int
	TemporalID int
	// FrameNumber identifies the frame: VP9's picture id (7 or 15 bits),
	// AV1's 16-bit frame_number; -1 when the packet carries none.
	FrameNumber int
	// StartOfFrame and EndOfFrame mark the packet that begins and the one
	// that ends the frame of this layer.
	StartOfFrame bool
	EndOfFrame   bool
	// Keyframe: the frame refers to no earlier frame, so a decoder may start
	// here (for every layer above it once they arrive).
	Keyframe bool
	// SwitchPoint: a decoder that had only lower layers may take this
	// frame's layer from here on: a keyframe, a VP9 frame without
	// inter-picture prediction (P=0), an AV1 frame that is a Switch
	// indication for the decode target of its layers.
	SwitchPoint bool
	// TemporalUpSwitch is VP9's U bit (RFC 9628): no later frame of a
	// higher temporal layer refers to one before this frame, so a decoder of
	// this frame's temporal layer may take the higher ones from their next
	// frame on. AV1 says so through SwitchPoint of those frames instead.
	TemporalUpSwitch bool
}

// NoLayer is the Layer of a packet that says nothing of its layers.
func NoLayer() Layer {
	return Layer{SpatialID: -1, TemporalID: -1, FrameNumber: -1}
}
