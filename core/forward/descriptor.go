package forward

import "strings"

// Descriptor is what a codec's payload tells the forwarder of one packet:
// its layers, and whether a receiver can start or switch there. A codec
// with spatial layers (VP9 SVC, AV1 with a dependency descriptor) fills
// Spatial; simulcast layers are told apart by rid instead.
type Descriptor struct {
	Spatial    int  // spatial layer (0 without SVC)
	Temporal   int  // temporal layer id (0 when the codec carries none)
	FrameStart bool // the first packet of a frame
	Keyframe   bool // starts a frame every layer can be decoded from
	Switch     bool // a temporal up-switch point (VP8's layer sync bit)

	// Picture numbering, rewritten per subscriber; -1 when absent.
	PictureID int32 // VP8: 7 or 15 bits
	TL0PicIdx int32 // VP8: 8 bits
}

// Parser reads a codec's payload descriptor.
type Parser interface {
	// Parse describes payload; false when the packet carries nothing a
	// receiver decodes (padding) or is malformed.
	Parse(payload []byte, d *Descriptor) bool
	// Renumber writes picture numbering into payload, which Parse
	// described in d; only the fields d has are written.
	Renumber(payload []byte, d *Descriptor, pictureID int32, tl0PicIdx int32)
}

// ParserFor returns the parser of a codec (by MIME type); codecs it does
// not know are passed whole, every packet a switch point (audio).
func ParserFor(mimeType string) Parser {
	if strings.EqualFold(mimeType, "video/VP8") {
		return vp8Parser{}
	}

	return wholeParser{}
}

// wholeParser describes packets of codecs without layers: each one can be
// started from.
type wholeParser struct{}

func (wholeParser) Parse(payload []byte, d *Descriptor) bool {
	*d = Descriptor{FrameStart: true, Keyframe: true, PictureID: -1, TL0PicIdx: -1}

	return len(payload) > 0
}

func (wholeParser) Renumber([]byte, *Descriptor, int32, int32) {}
