package svc

import (
	"errors"
	"fmt"
)

// DependencyDescriptorURI names the AV1 Dependency Descriptor RTP header
// extension in SDP (a=extmap).
const DependencyDescriptorURI = "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension"

var (
	errDDNoStructure = errors.New("svc: dependency descriptor refers to a structure not received")
	errDDTemplate    = errors.New("svc: dependency descriptor names no template of its structure")
	errDDLimits      = errors.New("svc: dependency structure exceeds the limits of the specification")
)

// DependencyDescriptor is one parsed AV1 Dependency Descriptor, its frame
// description resolved against the structure in force.
type DependencyDescriptor struct {
	StartOfFrame bool
	EndOfFrame   bool
	TemplateID   int
	FrameNumber  int
	// Structure is the one this descriptor carried, nil when it carried none.
	Structure *DependencyStructure
	// ActiveDecodeTargets is a bitmask (bit i: decode target i), nil when the
	// descriptor does not change which targets are active.
	ActiveDecodeTargets *uint32

	SpatialID, TemporalID int
	DTIs                  []DTI
	FrameDiffs            []int
	ChainDiffs            []int
	// Resolution is the frame's render size, nil when the structure has none.
	Resolution *Resolution

	inForce *DependencyStructure // the structure the frame was read against
}

// ParseDependencyDescriptor reads one descriptor. structure is the one
// received last for the stream (nil if none): descriptors without their own
// structure are read against it. DependencyDescriptorReader keeps it.
func ParseDependencyDescriptor(data []byte, structure *DependencyStructure) (DependencyDescriptor, error) {
	var d DependencyDescriptor
	r := &bitReader{data: data}
	head, err := r.bits(24)
	if err != nil {
		return d, err
	}
	d.StartOfFrame = head&0x800000 != 0
	d.EndOfFrame = head&0x400000 != 0
	d.TemplateID = int(head >> 16 & 0x3f)
	d.FrameNumber = int(head & 0xffff)
	var custom customFields
	if len(data) > 3 {
		if custom, err = d.readExtended(r, structure); err != nil {
			return d, err
		}
		if d.Structure != nil {
			structure = d.Structure
		}
	}
	if structure == nil {
		return d, errDDNoStructure
	}

	return d, d.readFrame(r, structure, custom)
}

// customFields says which parts of the frame description the descriptor
// gives itself instead of taking them from its template.
type customFields struct {
	dtis, fdiffs, chains bool
}

func (d *DependencyDescriptor) readExtended(r *bitReader, structure *DependencyStructure) (customFields, error) {
	var c customFields
	flags, err := r.bits(5)
	if err != nil {
		return c, err
	}
	c.dtis, c.fdiffs, c.chains = flags&0x04 != 0, flags&0x02 != 0, flags&0x01 != 0
	if flags&0x10 != 0 {
		if d.Structure, err = readDependencyStructure(r); err != nil {
			return c, err
		}
		structure = d.Structure
		all := uint32(1)<<structure.DecodeTargets - 1
		d.ActiveDecodeTargets = &all
	}
	if flags&0x08 != 0 {
		if structure == nil {
			return c, errDDNoStructure
		}
		mask, err := r.bits(structure.DecodeTargets)
		if err != nil {
			return c, err
		}
		d.ActiveDecodeTargets = &mask
	}

	return c, nil
}

// readFrame resolves the frame's layer, DTIs, frame diffs and chain diffs:
// from its template unless the descriptor gives its own.
func (d *DependencyDescriptor) readFrame(r *bitReader, s *DependencyStructure, c customFields) error {
	t, ok := s.template(d.TemplateID)
	if !ok {
		return fmt.Errorf("%w: id %d", errDDTemplate, d.TemplateID)
	}
	d.inForce = s
	d.SpatialID, d.TemporalID = t.SpatialID, t.TemporalID
	d.DTIs, d.FrameDiffs, d.ChainDiffs = t.DTIs, t.FrameDiffs, t.ChainDiffs
	var err error
	if c.dtis {
		if d.DTIs, err = readDTIs(r, s.DecodeTargets); err != nil {
			return err
		}
	}
	if c.fdiffs {
		if d.FrameDiffs, err = readFrameDiffs(r); err != nil {
			return err
		}
	}
	if c.chains {
		d.ChainDiffs = make([]int, 0, len(t.ChainDiffs))
		for range t.ChainDiffs {
			v, err := r.bits(8)
			if err != nil {
				return err
			}
			d.ChainDiffs = append(d.ChainDiffs, int(v))
		}
	}
	if d.SpatialID < len(s.Resolutions) {
		res := s.Resolutions[d.SpatialID]
		d.Resolution = &res
	}

	return nil
}

func readDTIs(r *bitReader, n int) ([]DTI, error) {
	dtis := make([]DTI, 0, n)
	for range n {
		v, err := r.bits(2)
		if err != nil {
			return nil, err
		}
		dtis = append(dtis, DTI(v)) //nolint:gosec // G115: v has 2 bits
	}

	return dtis, nil
}

// readFrameDiffs reads frame_fdiffs: each diff is preceded by its size in
// nibbles, 0 ending the list.
func readFrameDiffs(r *bitReader) ([]int, error) {
	var diffs []int
	for {
		size, err := r.bits(2)
		if err != nil {
			return nil, err
		}
		if size == 0 {
			return diffs, nil
		}
		v, err := r.bits(4 * int(size))
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, int(v)+1)
	}
}

// Layer is the packet's place in the stream. A frame that refers to no
// earlier frame is a keyframe; a frame is a switch point when it is a
// Switch indication for a decode target whose top layers are its own.
func (d DependencyDescriptor) Layer() Layer {
	if d.inForce == nil {
		return NoLayer()
	}
	s := d.inForce
	l := Layer{
		SpatialID:    d.SpatialID,
		TemporalID:   d.TemporalID,
		FrameNumber:  d.FrameNumber,
		StartOfFrame: d.StartOfFrame,
		EndOfFrame:   d.EndOfFrame,
		Keyframe:     len(d.FrameDiffs) == 0,
	}
	l.SwitchPoint = l.Keyframe
	for i, dti := range d.DTIs {
		if dti == DTISwitch && i < len(s.MaxSpatialID) &&
			s.MaxSpatialID[i] == d.SpatialID && s.MaxTemporalID[i] == d.TemporalID {
			l.SwitchPoint = true
		}
	}

	return l
}
