package forward

import (
	"strings"

	"github.com/omnirtc/omnirtc/core/svc"
	"github.com/pion/rtp"
)

// Descriptor is what a codec's payload tells the forwarder of one packet:
// its layers, and whether a receiver can start or switch there. A codec
// with spatial layers (VP9 SVC, AV1 with a dependency descriptor) fills
// Spatial; simulcast layers are told apart by rid instead.
type Descriptor struct {
	Spatial    int  // spatial layer (0 without SVC)
	Temporal   int  // temporal layer id (0 when the codec carries none)
	FrameStart bool // the first packet of a frame (of a picture's lowest layer, with spatial layers)
	// LayerFrameStart and EndOfFrame: the first and the last packet of
	// its spatial layer's frame (VP9 B and E, AV1 start_ and end_of_frame).
	LayerFrameStart bool
	EndOfFrame      bool
	Keyframe        bool // starts a frame every layer can be decoded from
	Switch          bool // a temporal up-switch point (VP8's layer sync bit)
	// SwitchAfter: the frames after this one do not refer to frames of
	// higher temporal layers before it (VP9's U bit), so a receiver can take
	// them from the next frame on.
	SwitchAfter bool

	// Decode targets (AV1's dependency descriptor), nil for other codecs:
	// how the frame matters to each target, and each target's top layers.
	DTIs                          []svc.DTI
	TargetSpatial, TargetTemporal []int
	// DependencyDescriptor is the extension as received, forwarded with the
	// packet.
	DependencyDescriptor []byte

	// Picture numbering, rewritten per subscriber; -1 when absent.
	PictureID int32 // VP8, VP9: 7 or 15 bits
	TL0PicIdx int32 // VP8, VP9 non-flexible: 8 bits
}

// Parser reads the descriptors of one stream's packets.
type Parser interface {
	// Parse describes p; false when the packet carries nothing a receiver
	// decodes (padding) or is malformed.
	Parse(p *rtp.Packet, d *Descriptor) bool
	// Renumber writes picture numbering into payload, which Parse
	// described in d; only the fields d has are written.
	Renumber(payload []byte, d *Descriptor, pictureID int32, tl0PicIdx int32)
}

// Source names the stream a packet came on: its simulcast layer (rid, ""
// for a single track), codec (MIME type) and the id its hop negotiated for
// the AV1 Dependency Descriptor extension (0: none).
type Source struct {
	RID                    string
	MimeType               string
	DependencyDescriptorID uint8
}

// newParser returns the parser of a stream; codecs it does not know are
// passed whole, every packet a switch point (audio, AV1 without the
// dependency descriptor).
func newParser(s Source) Parser {
	switch {
	case strings.EqualFold(s.MimeType, "video/VP8"):
		return vp8Parser{}
	case strings.EqualFold(s.MimeType, "video/VP9"):
		return vp9Parser{}
	case strings.EqualFold(s.MimeType, "video/AV1") && s.DependencyDescriptorID != 0:
		return &av1Parser{id: s.DependencyDescriptorID}
	}

	return wholeParser{}
}

// wholeParser describes packets of codecs without layers: each one can be
// started from.
type wholeParser struct{}

func (wholeParser) Parse(p *rtp.Packet, d *Descriptor) bool {
	*d = Descriptor{FrameStart: true, Keyframe: true, PictureID: -1, TL0PicIdx: -1}

	return len(p.Payload) > 0
}

func (wholeParser) Renumber([]byte, *Descriptor, int32, int32) {}
