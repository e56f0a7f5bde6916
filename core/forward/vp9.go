package forward

import (
	"github.com/omnirtc/omnirtc/core/svc"
	"github.com/pion/rtp"
)

// vp9Parser reads the VP9 payload descriptor (RFC 9628 section 4.2): one
// SSRC carries every spatial layer of a picture, lowest first.
type vp9Parser struct{}

func (vp9Parser) Parse(p *rtp.Packet, d *Descriptor) bool {
	*d = Descriptor{PictureID: -1, TL0PicIdx: -1}
	v, n, err := svc.ParseVP9(p.Payload)
	if err != nil || n >= len(p.Payload) {
		return false
	}
	l := v.Layer()
	d.Spatial, d.Temporal = max(l.SpatialID, 0), max(l.TemporalID, 0)
	// A picture starts with its lowest layer's frame; only there can a
	// receiver's layers change without cutting a picture in two.
	d.FrameStart = l.StartOfFrame && d.Spatial == 0
	d.LayerFrameStart, d.EndOfFrame = l.StartOfFrame, l.EndOfFrame
	d.Keyframe = d.FrameStart && l.Keyframe
	d.SwitchAfter = l.TemporalUpSwitch
	d.PictureID = int32(v.PictureID) //nolint:gosec // G115: 15 bits at most
	if !v.FlexibleMode {
		d.TL0PicIdx = int32(v.TL0PicIdx) //nolint:gosec // G115: 8 bits
	}

	return true
}

// Renumber rewrites the picture id (kept in its width) and TL0PICIDX, which
// follow the flags byte and the layer indices byte.
func (vp9Parser) Renumber(payload []byte, d *Descriptor, pictureID, tl0PicIdx int32) {
	i := 1
	if payload[0]&0x80 != 0 { // I
		if d.PictureID >= 0 {
			if payload[i]&0x80 != 0 {
				payload[i] = 0x80 | byte(pictureID>>8)&0x7f //nolint:gosec // G115: the field keeps the low 15 bits
				payload[i+1] = byte(pictureID)              //nolint:gosec // G115: as above
			} else {
				payload[i] = byte(pictureID) & 0x7f //nolint:gosec // G115: the field keeps the low 7 bits
			}
		}
		i += 1 + int(payload[i]>>7)
	}
	if payload[0]&0x20 != 0 && d.TL0PicIdx >= 0 { // L, non-flexible: TL0PICIDX after the layer indices
		payload[i+1] = byte(tl0PicIdx) //nolint:gosec // G115: TL0PICIDX wraps at 8 bits
	}
}
