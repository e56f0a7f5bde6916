package svc

import (
	"errors"
	"fmt"
)

var (
	errVP9Empty     = errors.New("svc: empty VP9 payload")
	errVP9TooManyP  = errors.New("svc: VP9 descriptor has more than 3 reference indices")
	errVP9Structure = errors.New("svc: VP9 scalability structure is malformed")
)

// VP9Descriptor is the VP9 RTP payload descriptor (RFC 9628 section 4.2).
// Fields the packet does not carry are -1 (numbers) or empty.
type VP9Descriptor struct {
	PictureIDPresent  bool // I
	InterPicture      bool // P: the frame refers to earlier pictures
	LayerIndices      bool // L
	FlexibleMode      bool // F
	StartOfLayerFrame bool // B
	EndOfLayerFrame   bool // E
	StructurePresent  bool // V
	NotReference      bool // Z: no frame of a higher spatial layer of this picture refers to it

	PictureID     int // 7 or 15 bits (M), -1 if absent
	PictureID15   bool
	TemporalID    int   // TID, -1 if absent
	SwitchingUp   bool  // U: temporal up-switch point
	SpatialID     int   // SID, -1 if absent
	InterLayer    bool  // D: the frame refers to the lower spatial layer of this picture
	TL0PicIdx     int   // non-flexible mode, -1 if absent
	ReferenceDiff []int // flexible mode P_DIFFs

	Structure *VP9Structure // V
}

// VP9Structure is the scalability structure (SS) of RFC 9628 section 4.2.1.
type VP9Structure struct {
	SpatialLayers int             // N_S + 1
	Resolutions   []VP9Resolution // one per spatial layer when Y is set
	Pictures      []VP9GroupPicture
}

// VP9Resolution is one spatial layer's frame size.
type VP9Resolution struct {
	Width, Height int
}

// VP9GroupPicture is one picture of the group of frames a non-flexible
// stream repeats.
type VP9GroupPicture struct {
	TemporalID    int
	SwitchingUp   bool
	ReferenceDiff []int
}

// ParseVP9 reads the payload descriptor at the start of a VP9 RTP payload
// and returns it with the length of the descriptor in bytes (the codec
// data follows it).
func ParseVP9(payload []byte) (VP9Descriptor, int, error) {
	d := VP9Descriptor{PictureID: -1, TemporalID: -1, SpatialID: -1, TL0PicIdx: -1}
	if len(payload) == 0 {
		return d, 0, errVP9Empty
	}
	r := &bitReader{data: payload}
	flags, _ := r.bits(8)
	d.PictureIDPresent = flags&0x80 != 0
	d.InterPicture = flags&0x40 != 0
	d.LayerIndices = flags&0x20 != 0
	d.FlexibleMode = flags&0x10 != 0
	d.StartOfLayerFrame = flags&0x08 != 0
	d.EndOfLayerFrame = flags&0x04 != 0
	d.StructurePresent = flags&0x02 != 0
	d.NotReference = flags&0x01 != 0
	if err := d.readPictureID(r); err != nil {
		return d, 0, err
	}
	if err := d.readLayerIndices(r); err != nil {
		return d, 0, err
	}
	if err := d.readReferences(r); err != nil {
		return d, 0, err
	}
	if d.StructurePresent {
		s, err := readVP9Structure(r)
		if err != nil {
			return d, 0, err
		}
		d.Structure = s
	}

	return d, r.pos / 8, nil
}

func (d *VP9Descriptor) readPictureID(r *bitReader) error {
	if !d.PictureIDPresent {
		return nil
	}
	long, err := r.flag()
	if err != nil {
		return err
	}
	width := 7
	if long {
		width = 15
	}
	id, err := r.bits(width)
	d.PictureID, d.PictureID15 = int(id), long

	return err
}

func (d *VP9Descriptor) readLayerIndices(r *bitReader) error {
	if !d.LayerIndices {
		return nil
	}
	v, err := r.bits(8)
	if err != nil {
		return err
	}
	d.TemporalID = int(v >> 5)
	d.SwitchingUp = v&0x10 != 0
	d.SpatialID = int(v >> 1 & 0x07)
	d.InterLayer = v&0x01 != 0
	if d.FlexibleMode {
		return nil
	}
	tl0, err := r.bits(8)
	d.TL0PicIdx = int(tl0)

	return err
}

// readReferences reads the P_DIFFs of an inter-picture predicted frame in
// flexible mode: each byte says whether another follows (N).
func (d *VP9Descriptor) readReferences(r *bitReader) error {
	if !d.FlexibleMode || !d.InterPicture {
		return nil
	}
	for more := true; more; {
		if len(d.ReferenceDiff) == 3 {
			return errVP9TooManyP
		}
		v, err := r.bits(8)
		if err != nil {
			return err
		}
		d.ReferenceDiff = append(d.ReferenceDiff, int(v>>1))
		more = v&1 == 1
	}

	return nil
}

func readVP9Structure(r *bitReader) (*VP9Structure, error) {
	head, err := r.bits(8)
	if err != nil {
		return nil, err
	}
	s := &VP9Structure{SpatialLayers: int(head>>5) + 1}
	if head&0x10 != 0 { // Y
		for range s.SpatialLayers {
			w, _ := r.bits(16)
			var h uint32
			if h, err = r.bits(16); err != nil {
				return nil, err
			}
			s.Resolutions = append(s.Resolutions, VP9Resolution{Width: int(w), Height: int(h)})
		}
	}
	if head&0x08 == 0 { // G: no group of frames described
		return s, nil
	}
	n, err := r.bits(8)
	if err != nil {
		return nil, err
	}
	for range n {
		v, err := r.bits(8)
		if err != nil {
			return nil, err
		}
		p := VP9GroupPicture{TemporalID: int(v >> 5), SwitchingUp: v&0x10 != 0}
		for range v >> 2 & 0x03 {
			diff, err := r.bits(8)
			if err != nil {
				return nil, err
			}
			if diff == 0 {
				return nil, fmt.Errorf("%w: a P_DIFF of 0", errVP9Structure)
			}
			p.ReferenceDiff = append(p.ReferenceDiff, int(diff))
		}
		s.Pictures = append(s.Pictures, p)
	}

	return s, nil
}

// Layer is the packet's place in the stream. A frame without inter-picture
// prediction (P=0) is where a decoder can move up to its layer; one without
// inter-layer prediction (D=0) as well is a keyframe of its layer.
func (d VP9Descriptor) Layer() Layer {
	return Layer{
		SpatialID:        d.SpatialID,
		TemporalID:       d.TemporalID,
		FrameNumber:      d.PictureID,
		StartOfFrame:     d.StartOfLayerFrame,
		EndOfFrame:       d.EndOfLayerFrame,
		Keyframe:         !d.InterPicture && !d.InterLayer,
		SwitchPoint:      !d.InterPicture,
		TemporalUpSwitch: d.SwitchingUp,
	}
}
