package codec

import (
	"strings"

	"github.com/pion/webrtc/v4"
)

// IsKeyframe tells whether a reassembled frame of the codec of MIME type
// mime can be decoded on its own. Audio frames always can.
func IsKeyframe(mime string, frame []byte) bool {
	if len(frame) == 0 {
		return false
	}
	switch strings.ToLower(mime) {
	case strings.ToLower(webrtc.MimeTypeVP8):
		return frame[0]&0x01 == 0
	case strings.ToLower(webrtc.MimeTypeVP9):
		return vp9Keyframe(frame[0])
	case strings.ToLower(webrtc.MimeTypeH264):
		return annexBHas(frame, func(h byte) bool { return h&0x1f == 5 })
	case strings.ToLower(webrtc.MimeTypeH265):
		return annexBHas(frame, func(h byte) bool {
			t := (h >> 1) & 0x3f

			return t >= 16 && t <= 21
		})
	case strings.ToLower(webrtc.MimeTypeAV1):
		return av1HasSequenceHeader(frame)
	}

	return Kind(mime) == webrtc.RTPCodecTypeAudio
}

// vp9Keyframe reads frame_type from the first byte of a VP9 uncompressed
// header: frame_marker(2) profile(2) [reserved(1) if profile 3]
// show_existing_frame(1) frame_type(1).
func vp9Keyframe(b byte) bool {
	profile := (b>>5)&1 | (b>>3)&2
	bit := 3
	if profile == 3 {
		bit = 2
	}
	if (b>>bit)&1 == 1 { // show_existing_frame
		return false
	}

	return (b>>(bit-1))&1 == 0
}

// annexBHas reports whether an Annex-B stream has a NAL unit whose first
// header byte satisfies match.
func annexBHas(b []byte, match func(byte) bool) bool {
	zeros := 0
	for i, c := range b {
		switch {
		case c == 0:
			zeros++
		case c == 1 && zeros >= 2 && i+1 < len(b):
			if match(b[i+1]) {
				return true
			}
			zeros = 0
		default:
			zeros = 0
		}
	}

	return false
}

// av1HasSequenceHeader reports whether the temporal unit's first OBU is a
// sequence header (type 1), which starts every AV1 keyframe.
func av1HasSequenceHeader(b []byte) bool {
	for len(b) > 0 {
		obuType := (b[0] >> 3) & 0x0f
		if obuType == 1 {
			return true
		}
		if b[0]&0x02 == 0 { // no size field: the OBU runs to the end
			return false
		}
		off := 1
		if b[0]&0x04 != 0 {
			off++ // the extension byte
		}
		if off > len(b) {
			return false
		}
		// size is the remote's: compared and used as a uint64, it cannot wrap as an int
		size, n := leb128(b[off:])
		rest := b[off+n:]
		if n == 0 || size > uint64(len(rest)) {
			return false
		}
		b = rest[size:]
	}

	return false
}

func leb128(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 8; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}

	return 0, 0
}
