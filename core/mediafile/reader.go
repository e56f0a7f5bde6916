package mediafile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/omnirtc/omnirtc/core/codec"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/webrtc/v4/pkg/media/h264reader"
	"github.com/pion/webrtc/v4/pkg/media/ivfreader"
)

// Frame is one frame (or audio packet) read from a file.
type Frame struct {
	Data     []byte        // the frame as a track's WriteSample takes it (H.264: Annex-B)
	Duration time.Duration // until the next frame
	Keyframe bool          // decodable on its own
}

// Info describes an opened media file.
type Info struct {
	Format     string `json:"format"`
	Codec      string `json:"codec"` // MIME type, as a track takes it
	Width      uint16 `json:"width,omitempty"`
	Height     uint16 `json:"height,omitempty"`
	FrameCount uint32 `json:"frameCount,omitempty"`
	Channels   uint8  `json:"channels,omitempty"`
	SampleRate uint32 `json:"sampleRate,omitempty"`
}

// Reader reads frames from an IVF, Ogg/Opus or H.264 Annex-B file.
type Reader struct {
	f    *os.File
	info Info
	next func() (Frame, error) // io.EOF at the end
}

// OpenReader opens path for reading frames.
func OpenReader(path string, o Options) (*Reader, error) {
	format, err := formatOf(path, o.Format)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	r := &Reader{f: f, info: Info{Format: format}}
	in := bufio.NewReaderSize(f, 64<<10)
	switch format {
	case "ivf":
		err = r.openIVF(in)
	case "ogg":
		err = r.openOgg(in)
	default:
		err = r.openH264(in, o.FPS)
	}
	if err != nil {
		_ = f.Close()

		return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("%s: %w", path, err))
	}

	return r, nil
}

// Info describes the file.
func (r *Reader) Info() Info { return r.info }

// Next returns the next frame; ok is false at the end of the file.
func (r *Reader) Next() (frame Frame, ok bool, err error) {
	frame, err = r.next()
	if errors.Is(err, io.EOF) {
		return frame, false, nil
	}
	if err != nil {
		return frame, false, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("%s: %w", r.f.Name(), err))
	}

	return frame, true, nil
}

// Close closes the file.
func (r *Reader) Close() error { return rtcerr.Wrap(rtcerr.ErrOperation, r.f.Close()) }

var ivfCodecs = map[string]string{"VP80": "video/VP8", "VP90": "video/VP9", "AV01": "video/AV1"}

func (r *Reader) openIVF(in io.Reader) error {
	ivf, header, err := ivfreader.NewWith(in)
	if err != nil {
		return err
	}
	mime, ok := ivfCodecs[header.FourCC]
	if !ok {
		return fmt.Errorf("IVF codec %q is not VP80, VP90 or AV01", header.FourCC)
	}
	r.info.Codec, r.info.Width, r.info.Height, r.info.FrameCount = mime, header.Width, header.Height, header.NumFrames
	// One tick of the timebase: the duration of a frame until the next
	// frame's timestamp says otherwise.
	tick := time.Duration(float64(time.Second) * float64(header.TimebaseNumerator) / float64(header.TimebaseDenominator))
	var pending *Frame
	var pendingPTS uint64
	r.next = func() (Frame, error) {
		for {
			data, fh, err := ivf.ParseNextFrame()
			if err != nil || fh == nil {
				if pending == nil {
					return Frame{}, io.EOF
				}
				out := *pending
				pending = nil

				return out, nil
			}
			// ivfreader scales pts by rate/scale; undo it to get ticks.
			pts := fh.Timestamp * uint64(header.TimebaseNumerator) / uint64(header.TimebaseDenominator)
			frame := Frame{Data: data, Duration: tick, Keyframe: codec.IsKeyframe(mime, data)}
			if pending == nil {
				pending, pendingPTS = &frame, pts

				continue
			}
			out := *pending
			if pts > pendingPTS {
				out.Duration = time.Duration(pts-pendingPTS) * tick //nolint:gosec // G115: the file's own timestamps; a gap past 2^63 ticks gives a wrong duration, no more
			}
			pending, pendingPTS = &frame, pts

			return out, nil
		}
	}

	return nil
}

// openH264 groups the NAL units of an Annex-B stream into access units,
// each returned as Annex-B with 4-byte start codes.
func (r *Reader) openH264(in io.Reader, fps uint32) error {
	h, err := h264reader.NewReader(in)
	if err != nil {
		return err
	}
	if fps == 0 {
		fps = 30
	}
	r.info.Codec = "video/H264"
	duration := time.Second / time.Duration(fps)
	var held *h264reader.NAL
	r.next = func() (Frame, error) {
		frame := Frame{Duration: duration}
		hasVCL := false
		for {
			nal := held
			held = nil
			if nal == nil {
				nal, err = h.NextNAL()
				if err != nil {
					if errors.Is(err, io.EOF) && len(frame.Data) > 0 {
						return frame, nil
					}

					return frame, err
				}
			}
			t := nal.UnitType
			vcl := t == h264reader.NalUnitTypeCodedSliceNonIdr || t == h264reader.NalUnitTypeCodedSliceIdr
			firstSlice := vcl && len(nal.Data) > 1 && nal.Data[1]&0x80 != 0
			if hasVCL && (!vcl || firstSlice) {
				held = nal

				return frame, nil
			}
			hasVCL = hasVCL || vcl
			frame.Keyframe = frame.Keyframe || t == h264reader.NalUnitTypeCodedSliceIdr
			frame.Data = append(append(frame.Data, 0, 0, 0, 1), nal.Data...)
		}
	}

	return nil
}
