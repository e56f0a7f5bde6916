// Package mediafile reads and writes the media files a track sends from or
// records to: IVF (VP8, VP9, AV1), Ogg/Opus and H.264 Annex-B. Readers hand
// out whole frames with their durations and keyframe flags; writers take RTP
// packets and depacketize them with pion's media writers.
package mediafile

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// Options open a media file reader or writer.
type Options struct {
	Format     string `json:"format"`     // "ivf", "ogg" or "h264"; default from the file extension
	Codec      string `json:"codec"`      // writer, ivf: "vp8" (default), "vp9" or "av1"
	Width      uint16 `json:"width"`      // writer, ivf
	Height     uint16 `json:"height"`     // writer, ivf
	FPS        uint32 `json:"fps"`        // h264 reader: frame rate for durations (default 30)
	SampleRate uint32 `json:"sampleRate"` // writer, ogg (default 48000)
	Channels   uint16 `json:"channels"`   // writer, ogg (default 2)
}

// ParseOptions decodes Options JSON strictly.
func ParseOptions(text []byte) (Options, error) {
	var o Options
	if err := strictjson.Decode(text, &o); err != nil {
		return o, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("media file options: %w", err))
	}

	return o, nil
}

// formatOf is the format a file is read or written in: format when given,
// else the one its extension names.
func formatOf(path, format string) (string, error) {
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
		return "", rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("cannot tell the format of %s: pass \"format\"", rtcerr.Quote(path)))
	}

	return "", rtcerr.Wrap(rtcerr.ErrNotSupported, fmt.Errorf("media file format %s is not ivf, ogg or h264", rtcerr.Quote(format)))
}
