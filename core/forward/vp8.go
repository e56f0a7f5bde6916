package forward

import "github.com/pion/rtp"

// vp8Parser reads the VP8 payload descriptor (RFC 7741 section 4.2) and the
// keyframe bit of the VP8 payload header (section 4.3).
type vp8Parser struct{}

// Field offsets are recomputed by Renumber from the same bytes Parse read.
func (vp8Parser) Parse(p *rtp.Packet, d *Descriptor) bool {
	payload := p.Payload
	*d = Descriptor{PictureID: -1, TL0PicIdx: -1}
	f, ok := vp8Fields(payload)
	if !ok || f.header >= len(payload) {
		return false
	}
	start := payload[0]&0x10 != 0 && payload[0]&0x07 == 0 // S bit, partition 0
	d.FrameStart = start
	d.Keyframe = start && payload[f.header]&0x01 == 0 // P bit 0: key frame
	if f.pictureID >= 0 {
		if payload[f.pictureID]&0x80 != 0 {
			d.PictureID = int32(payload[f.pictureID]&0x7f)<<8 | int32(payload[f.pictureID+1])
		} else {
			d.PictureID = int32(payload[f.pictureID])
		}
	}
	if f.tl0 >= 0 {
		d.TL0PicIdx = int32(payload[f.tl0])
	}
	if f.tid >= 0 {
		d.Temporal = int(payload[f.tid] >> 6)
		d.Switch = payload[f.tid]&0x20 != 0
	}

	return true
}

func (vp8Parser) Renumber(payload []byte, d *Descriptor, pictureID, tl0PicIdx int32) {
	f, ok := vp8Fields(payload)
	if !ok {
		return
	}
	if f.pictureID >= 0 && d.PictureID >= 0 {
		if payload[f.pictureID]&0x80 != 0 {
			payload[f.pictureID] = 0x80 | byte(pictureID>>8)&0x7f //nolint:gosec // G115: the field keeps the low 15 bits
			payload[f.pictureID+1] = byte(pictureID)              //nolint:gosec // G115: as above
		} else {
			payload[f.pictureID] = byte(pictureID) & 0x7f //nolint:gosec // G115: the field keeps the low 7 bits
		}
	}
	if f.tl0 >= 0 && d.TL0PicIdx >= 0 {
		payload[f.tl0] = byte(tl0PicIdx) //nolint:gosec // G115: TL0PICIDX wraps at 8 bits
	}
}

// vp8Offsets are where a descriptor's optional fields are; -1 when absent.
type vp8Offsets struct {
	pictureID, tl0, tid int
	header              int // the VP8 payload header after the descriptor
}

func vp8Fields(payload []byte) (vp8Offsets, bool) {
	f := vp8Offsets{pictureID: -1, tl0: -1, tid: -1}
	if len(payload) < 1 {
		return f, false
	}
	if payload[0]&0x80 == 0 { // no X: no extended control bits
		f.header = 1

		return f, true
	}
	if len(payload) < 3 {
		return f, false
	}
	x := payload[1]
	i := 2
	if x&0x80 != 0 { // I: picture id, M: in 15 bits
		f.pictureID = i
		i += 1 + int(payload[i]>>7)
	}
	if x&0x40 != 0 { // L: TL0PICIDX
		f.tl0 = i
		i++
	}
	if x&0x20 != 0 { // T: TID and Y
		f.tid = i
	}
	if x&0x30 != 0 { // T or K: the byte of TID, Y and KEYIDX
		i++
	}
	f.header = i

	return f, len(payload) > i
}
