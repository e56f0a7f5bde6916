package core

import (
	"strings"

	"github.com/omnirtc/omnirtc/core/svc"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// layerReader finds the layer of each packet of one received stream: from
// the VP9 payload descriptor, or from AV1's Dependency Descriptor header
// extension, whose structure it keeps for the packets that refer to it.
type layerReader struct {
	ddID uint8 // the extension's negotiated id, 0 if not negotiated
	dd   svc.DependencyDescriptorReader
}

// newLayerReader reads the layers of the packets receiver receives.
func newLayerReader(receiver *webrtc.RTPReceiver) *layerReader {
	l := &layerReader{}
	if receiver == nil {
		return l
	}
	for _, e := range receiver.GetParameters().HeaderExtensions {
		if e.URI == svc.DependencyDescriptorURI {
			l.ddID = uint8(e.ID) //nolint:gosec // G115: header extension ids are 1..255 (RFC 8285)
		}
	}

	return l
}

// read returns packet's layer, false when it describes none (another codec,
// AV1 without the extension, a malformed descriptor).
func (l *layerReader) read(mime string, packet []byte) (svc.Layer, bool) {
	unknown := svc.NoLayer()
	vp9 := strings.EqualFold(mime, webrtc.MimeTypeVP9)
	if !vp9 && (l.ddID == 0 || !strings.EqualFold(mime, webrtc.MimeTypeAV1)) {
		return unknown, false
	}
	var h rtp.Header
	n, err := h.Unmarshal(packet)
	if err != nil {
		return unknown, false
	}
	if vp9 {
		d, _, vp9Err := svc.ParseVP9(packet[n:])
		if vp9Err != nil {
			return unknown, false
		}

		return d.Layer(), true
	}
	ext := h.GetExtension(l.ddID)
	if ext == nil {
		return unknown, false
	}
	d, err := l.dd.Read(ext)
	if err != nil {
		return unknown, false
	}

	return d.Layer(), true
}
