package core

import (
	"sync/atomic"

	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// ridTrack wraps one simulcast layer's pion track so that every packet it
// sends carries the mid and rid header extensions, by which the receiver
// tells the layers apart (pion's sender leaves them to the application).
type ridTrack struct {
	webrtc.TrackLocal
	mid atomic.Pointer[func() string] // the transceiver's mid, set when attached
}

// Bind hands pion's track a context whose writer adds the extensions.
func (t *ridTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	return t.TrackLocal.Bind(&ridContext{TrackLocalContext: ctx, track: t})
}

type ridContext struct {
	webrtc.TrackLocalContext
	track *ridTrack
}

func (c *ridContext) WriteStream() webrtc.TrackLocalWriter {
	w := &ridWriter{TrackLocalWriter: c.TrackLocalContext.WriteStream(), rid: []byte(c.track.RID())}
	if mid := c.track.mid.Load(); mid != nil {
		w.mid = []byte((*mid)())
	}
	for _, e := range c.HeaderExtensions() {
		switch e.URI {
		case sdp.SDESMidURI:
			w.midID = uint8(e.ID)
		case sdp.SDESRTPStreamIDURI:
			w.ridID = uint8(e.ID)
		}
	}

	return w
}

type ridWriter struct {
	webrtc.TrackLocalWriter
	mid, rid     []byte
	midID, ridID uint8
}

func (w *ridWriter) WriteRTP(header *rtp.Header, payload []byte) (int, error) {
	if w.midID != 0 && len(w.mid) > 0 {
		if err := header.SetExtension(w.midID, w.mid); err != nil {
			return 0, err
		}
	}
	if w.ridID != 0 {
		if err := header.SetExtension(w.ridID, w.rid); err != nil {
			return 0, err
		}
	}

	return w.TrackLocalWriter.WriteRTP(header, payload)
}
