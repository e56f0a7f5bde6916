package mediafile

import (
	"fmt"
	"os"

	"github.com/omnirtc/omnirtc/core/codec"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4/pkg/media"
	"github.com/pion/webrtc/v4/pkg/media/h264writer"
	"github.com/pion/webrtc/v4/pkg/media/ivfwriter"
	"github.com/pion/webrtc/v4/pkg/media/oggwriter"
)

// Writer records RTP packets to an IVF, Ogg/Opus or H.264 Annex-B
// file, depacketized by pion's writers.
type Writer struct {
	rtp media.Writer
}

// OpenWriter creates path for writing. The file is created here, before
// any writer is built, so a path that cannot be created fails at open with
// rtcerr.ErrOperation naming the path; a writer that then rejects its options closes
// and removes the file it was given.
func OpenWriter(path string, o Options) (*Writer, error) {
	format, err := formatOf(path, o.Format)
	if err != nil {
		return nil, err
	}
	var ivfOpts []ivfwriter.Option
	if format == "ivf" {
		name := o.Codec
		if name == "" {
			name = "vp8"
		}
		c, lookupErr := codec.Lookup(name)
		if lookupErr != nil {
			return nil, lookupErr
		}
		if _, ok := map[string]bool{"video/VP8": true, "video/VP9": true, "video/AV1": true}[c.MimeType]; !ok {
			return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("IVF holds VP8, VP9 or AV1, not %s", c.MimeType))
		}
		ivfOpts = []ivfwriter.Option{ivfwriter.WithCodec(c.MimeType)}
		if o.Width > 0 && o.Height > 0 {
			ivfOpts = append(ivfOpts, ivfwriter.WithWidthAndHeight(o.Width, o.Height))
		}
	}
	f, err := os.Create(path) //nolint:gosec // the caller names the file
	if err != nil {
		return nil, rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf("cannot create %s: %w", rtcerr.Quote(path), err))
	}
	w := &Writer{}
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

		return nil, rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf("cannot start %s file %s: %w", format, rtcerr.Quote(path), err))
	}

	return w, nil
}

// WriteRTP depacketizes one RTP packet into the file.
func (w *Writer) WriteRTP(packet []byte) error {
	var p rtp.Packet
	if err := p.Unmarshal(packet); err != nil {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("malformed RTP packet: %w", err))
	}

	return rtcerr.Wrap(rtcerr.ErrOperation, w.rtp.WriteRTP(&p))
}

// Close finishes the file (IVF frame count, Ogg end of stream).
func (w *Writer) Close() error { return rtcerr.Wrap(rtcerr.ErrOperation, w.rtp.Close()) }
