package forward

import (
	"github.com/omnirtc/omnirtc/core/svc"
	"github.com/pion/rtp"
)

// av1Parser reads AV1's layers from the Dependency Descriptor header
// extension (AV1 RTP specification, appendix A), keeping the structure of
// the stream's last keyframe that later descriptors refer to.
type av1Parser struct {
	id     uint8 // the extension's id on the upstream hop
	reader svc.DependencyDescriptorReader
	lastTS uint32 // the timestamp of the newest temporal unit
	seen   bool
}

func (a *av1Parser) Parse(p *rtp.Packet, d *Descriptor) bool {
	*d = Descriptor{PictureID: -1, TL0PicIdx: -1}
	ext := p.GetExtension(a.id)
	if ext == nil || len(p.Payload) == 0 {
		return false
	}
	dd, err := a.reader.Read(ext)
	if err != nil {
		return false
	}
	s := a.reader.Structure()
	l := dd.Layer()
	d.Spatial, d.Temporal = l.SpatialID, l.TemporalID
	// A temporal unit (all spatial layers of one time) starts with the first
	// frame of a new timestamp.
	d.FrameStart = l.StartOfFrame && (!a.seen || p.Timestamp != a.lastTS)
	if d.FrameStart {
		a.lastTS, a.seen = p.Timestamp, true
	}
	d.LayerFrameStart, d.EndOfFrame = l.StartOfFrame, l.EndOfFrame
	d.Keyframe = d.FrameStart && l.Keyframe
	d.DTIs, d.TargetSpatial, d.TargetTemporal = dd.DTIs, s.MaxSpatialID, s.MaxTemporalID
	d.DependencyDescriptor = ext

	return len(d.DTIs) == s.DecodeTargets && len(s.MaxSpatialID) == s.DecodeTargets
}

func (*av1Parser) Renumber([]byte, *Descriptor, int32, int32) {}

// decodeTarget is the decode target that gives the most of the layers
// (spatial first) without exceeding them, -1 when none does.
func decodeTarget(d *Descriptor, spatial, temporal int) int {
	best := -1
	for i, s := range d.TargetSpatial {
		t := d.TargetTemporal[i]
		if s > spatial || t > temporal {
			continue
		}
		if best < 0 || s > d.TargetSpatial[best] || s == d.TargetSpatial[best] && t > d.TargetTemporal[best] {
			best = i
		}
	}

	return best
}
