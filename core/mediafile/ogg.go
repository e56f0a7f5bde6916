package mediafile

import (
	"encoding/binary"
	"errors"
	"io"
	"time"
)

// openOgg reads Opus packets from Ogg pages, joining packets that span
// pages and splitting pages that hold several.
func (r *Reader) openOgg(in io.Reader) error {
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
	r.next = func() (Frame, error) {
		p, err := pages.packet()
		if err != nil {
			return Frame{}, err
		}

		return Frame{Data: p, Duration: opusDuration(p), Keyframe: true}, nil
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
