package core

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4/pkg/media"
	"github.com/pion/webrtc/v4/pkg/media/h264reader"
	"github.com/pion/webrtc/v4/pkg/media/h264writer"
	"github.com/pion/webrtc/v4/pkg/media/ivfreader"
	"github.com/pion/webrtc/v4/pkg/media/ivfwriter"
	"github.com/pion/webrtc/v4/pkg/media/oggwriter"
)

// MediaFileOptions open a media file reader or writer.
type MediaFileOptions struct {
	Format     string `json:"format"`     // "ivf", "ogg" or "h264"; default from the file extension
	Codec      string `json:"codec"`      // writer, ivf: "vp8" (default), "vp9" or "av1"
	Width      uint16 `json:"width"`      // writer, ivf
	Height     uint16 `json:"height"`     // writer, ivf
	FPS        uint32 `json:"fps"`        // h264 reader: frame rate for durations (default 30)
	SampleRate uint32 `json:"sampleRate"` // writer, ogg (default 48000)
	Channels   uint16 `json:"channels"`   // writer, ogg (default 2)
}

// ParseMediaFileOptions decodes MediaFileOptions JSON strictly.
func ParseMediaFileOptions(text []byte) (MediaFileOptions, error) {
	var o MediaFileOptions
	if err := decodeStrict(text, &o); err != nil {
		return o, wrap(ErrInvalidArgument, fmt.Errorf("media file options: %w", err))
	}

	return o, nil
}

func mediaFormat(path, format string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".ivf":
			format = "ivf"
		case ".ogg", ".opus", ".oga":
			format = "ogg"
		case ".h264", ".264":
			format = "h264"
		}
	}
	switch format {
	case "ivf", "ogg", "h264":
		return format, nil
	case "":
		return "", wrap(ErrInvalidArgument, fmt.Errorf("cannot tell the format of %s: pass \"format\"", quote(path)))
	}

	return "", wrap(ErrNotSupported, fmt.Errorf("media file format %s is not ivf, ogg or h264", quote(format)))
}

// MediaFrame is one frame (or audio packet) read from a file.
type MediaFrame struct {
	Data     []byte
	Duration time.Duration
	Keyframe bool
}

// MediaInfo describes an opened media file.
type MediaInfo struct {
	Format     string `json:"format"`
	Codec      string `json:"codec"` // MIME type, as a track takes it
	Width      uint16 `json:"width,omitempty"`
	Height     uint16 `json:"height,omitempty"`
	FrameCount uint32 `json:"frameCount,omitempty"`
	Channels   uint8  `json:"channels,omitempty"`
	SampleRate uint32 `json:"sampleRate,omitempty"`
}

// MediaReader reads frames from an IVF, Ogg/Opus or H.264 Annex-B file.
type MediaReader struct {
	f    *os.File
	info MediaInfo
	next func() (MediaFrame, error) // io.EOF at the end
}

// OpenMediaReader opens path for reading frames.
func OpenMediaReader(path string, o MediaFileOptions) (*MediaReader, error) {
	format, err := mediaFormat(path, o.Format)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, wrap(ErrOperation, err)
	}
	r := &MediaReader{f: f, info: MediaInfo{Format: format}}
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

		return nil, wrap(ErrInvalidArgument, fmt.Errorf("%s: %w", path, err))
	}

	return r, nil
}

// Info describes the file.
func (r *MediaReader) Info() MediaInfo { return r.info }

// Next returns the next frame; ok is false at the end of the file.
func (r *MediaReader) Next() (frame MediaFrame, ok bool, err error) {
	frame, err = r.next()
	if errors.Is(err, io.EOF) {
		return frame, false, nil
	}
	if err != nil {
		return frame, false, wrap(ErrInvalidArgument, fmt.Errorf("%s: %w", r.f.Name(), err))
	}

	return frame, true, nil
}

// Close closes the file.
func (r *MediaReader) Close() error { return wrap(ErrOperation, r.f.Close()) }

var ivfCodecs = map[string]string{"VP80": "video/VP8", "VP90": "video/VP9", "AV01": "video/AV1"}

func (r *MediaReader) openIVF(in io.Reader) error {
	ivf, header, err := ivfreader.NewWith(in)
	if err != nil {
		return err
	}
	codec, ok := ivfCodecs[header.FourCC]
	if !ok {
		return fmt.Errorf("IVF codec %q is not VP80, VP90 or AV01", header.FourCC)
	}
	r.info.Codec, r.info.Width, r.info.Height, r.info.FrameCount = codec, header.Width, header.Height, header.NumFrames
	// One tick of the timebase: the duration of a frame until the next
	// frame's timestamp says otherwise.
	tick := time.Duration(float64(time.Second) * float64(header.TimebaseNumerator) / float64(header.TimebaseDenominator))
	var pending *MediaFrame
	var pendingPTS uint64
	r.next = func() (MediaFrame, error) {
		for {
			data, fh, err := ivf.ParseNextFrame()
			if err != nil || fh == nil {
				if pending == nil {
					return MediaFrame{}, io.EOF
				}
				out := *pending
				pending = nil

				return out, nil
			}
			// ivfreader scales pts by rate/scale; undo it to get ticks.
			pts := fh.Timestamp * uint64(header.TimebaseNumerator) / uint64(header.TimebaseDenominator)
			frame := MediaFrame{Data: data, Duration: tick, Keyframe: isKeyframe(codec, data)}
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

// openOgg reads Opus packets from Ogg pages, joining packets that span
// pages and splitting pages that hold several.
func (r *MediaReader) openOgg(in io.Reader) error {
	pages := &oggPackets{in: in}
	head, err := pages.packet()
	if err != nil {
		return err
	}
	if len(head) < 19 || string(head[:8]) != "OpusHead" {
		return errors.New("not an Ogg Opus file (no OpusHead)")
	}
	r.info.Codec, r.info.Channels = "audio/opus", head[9]
	r.info.SampleRate = binary.LittleEndian.Uint32(head[12:16])
	if _, err := pages.packet(); err != nil { // OpusTags
		return err
	}
	r.next = func() (MediaFrame, error) {
		p, err := pages.packet()
		if err != nil {
			return MediaFrame{}, err
		}

		return MediaFrame{Data: p, Duration: opusDuration(p), Keyframe: true}, nil
	}

	return nil
}

// oggPackets splits an Ogg stream into packets by the pages' lacing values.
type oggPackets struct {
	in      io.Reader
	lacing  []byte
	body    []byte
	partial []byte
}

func (o *oggPackets) packet() ([]byte, error) {
	for {
		for len(o.lacing) > 0 {
			n := int(o.lacing[0])
			o.lacing = o.lacing[1:]
			o.partial = append(o.partial, o.body[:n]...)
			o.body = o.body[n:]
			if n < 255 {
				p := o.partial
				o.partial = nil

				return p, nil
			}
		}
		var header [27]byte
		if _, err := io.ReadFull(o.in, header[:]); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, errors.New("truncated Ogg page header")
			}

			return nil, err
		}
		if string(header[:4]) != "OggS" {
			return nil, errors.New("ogg page signature mismatch")
		}
		o.lacing = make([]byte, header[26])
		if _, err := io.ReadFull(o.in, o.lacing); err != nil {
			return nil, errors.New("truncated Ogg segment table")
		}
		size := 0
		for _, l := range o.lacing {
			size += int(l)
		}
		o.body = make([]byte, size)
		if _, err := io.ReadFull(o.in, o.body); err != nil {
			return nil, errors.New("truncated Ogg page")
		}
	}
}

// opusDuration reads an Opus packet's duration from its TOC byte (RFC 6716
// section 3.1).
func opusDuration(p []byte) time.Duration {
	if len(p) == 0 {
		return 0
	}
	config := p[0] >> 3
	var frame time.Duration
	switch {
	case config < 12:
		frame = time.Duration([]int64{10, 20, 40, 60}[config%4]) * time.Millisecond
	case config < 16:
		frame = time.Duration([]int64{10, 20}[config%2]) * time.Millisecond
	default:
		frame = time.Duration([]int64{2500, 5000, 10000, 20000}[config%4]) * time.Microsecond
	}
	frames := 1
	switch p[0] & 3 {
	case 1, 2:
		frames = 2
	case 3:
		if len(p) > 1 {
			frames = int(p[1] & 0x3f)
		}
	}

	return frame * time.Duration(frames)
}

// openH264 groups the NAL units of an Annex-B stream into access units,
// each returned as Annex-B with 4-byte start codes.
func (r *MediaReader) openH264(in io.Reader, fps uint32) error {
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
	r.next = func() (MediaFrame, error) {
		frame := MediaFrame{Duration: duration}
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

// MediaWriter records RTP packets to an IVF, Ogg/Opus or H.264 Annex-B
// file, depacketized by pion's writers.
type MediaWriter struct {
	rtp media.Writer
}

// OpenMediaWriter creates path for writing. The file is created here, before
// any writer is built, so a path that cannot be created fails at open with
// ErrOperation naming the path; a writer that then rejects its options closes
// and removes the file it was given.
func OpenMediaWriter(path string, o MediaFileOptions) (*MediaWriter, error) {
	format, err := mediaFormat(path, o.Format)
	if err != nil {
		return nil, err
	}
	var ivfOpts []ivfwriter.Option
	if format == "ivf" {
		codec := o.Codec
		if codec == "" {
			codec = "vp8"
		}
		c, lookupErr := lookupCodec(codec)
		if lookupErr != nil {
			return nil, lookupErr
		}
		if _, ok := map[string]bool{"video/VP8": true, "video/VP9": true, "video/AV1": true}[c.MimeType]; !ok {
			return nil, wrap(ErrInvalidArgument, fmt.Errorf("IVF holds VP8, VP9 or AV1, not %s", c.MimeType))
		}
		ivfOpts = []ivfwriter.Option{ivfwriter.WithCodec(c.MimeType)}
		if o.Width > 0 && o.Height > 0 {
			ivfOpts = append(ivfOpts, ivfwriter.WithWidthAndHeight(o.Width, o.Height))
		}
	}
	f, err := os.Create(path) //nolint:gosec // the caller names the file
	if err != nil {
		return nil, wrap(ErrOperation, fmt.Errorf("cannot create %s: %w", quote(path), err))
	}
	w := &MediaWriter{}
	switch format {
	case "ivf":
		w.rtp, err = ivfwriter.NewWith(f, ivfOpts...)
	case "ogg":
		rate, channels := o.SampleRate, o.Channels
		if rate == 0 {
			rate = 48000
		}
		if channels == 0 {
			channels = 2
		}
		w.rtp, err = oggwriter.NewWith(f, rate, channels)
	default:
		w.rtp = h264writer.NewWith(f)
	}
	if err != nil {
		_ = f.Close()
		_ = os.Remove(path)

		return nil, wrap(ErrOperation, fmt.Errorf("cannot start %s file %s: %w", format, quote(path), err))
	}

	return w, nil
}

// WriteRTP depacketizes one RTP packet into the file.
func (w *MediaWriter) WriteRTP(packet []byte) error {
	var p rtp.Packet
	if err := p.Unmarshal(packet); err != nil {
		return wrap(ErrInvalidArgument, fmt.Errorf("malformed RTP packet: %w", err))
	}

	return wrap(ErrOperation, w.rtp.WriteRTP(&p))
}

// Close finishes the file (IVF frame count, Ogg end of stream).
func (w *MediaWriter) Close() error { return wrap(ErrOperation, w.rtp.Close()) }
