package core

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/sdp/v3"
)

// Capabilities mirrors W3C RTCRtpCapabilities.
type Capabilities struct {
	Codecs           []CodecCapability           `json:"codecs"`
	HeaderExtensions []HeaderExtensionCapability `json:"headerExtensions"`
}

// CodecCapability mirrors W3C RTCRtpCodec, with webrtc-svc's
// scalabilityModes: the modes the codec can send, absent for none.
type CodecCapability struct {
	MimeType         string   `json:"mimeType"`
	ClockRate        uint32   `json:"clockRate"`
	Channels         uint16   `json:"channels,omitempty"`
	SDPFmtpLine      string   `json:"sdpFmtpLine,omitempty"`
	ScalabilityModes []string `json:"scalabilityModes,omitempty"`
}

// HeaderExtensionCapability mirrors W3C RTCRtpHeaderExtensionCapability.
type HeaderExtensionCapability struct {
	URI string `json:"uri"`
}

// offered holds each kind's capabilities, read once: they are fixed for the
// process, and reading them makes a peer connection.
var offered = map[string]func() (Capabilities, error){
	"audio": sync.OnceValues(func() (Capabilities, error) { return readCapabilities("audio") }),
	"video": sync.OnceValues(func() (Capabilities, error) { return readCapabilities("video") }),
}

// RTPCapabilities is what a default peer connection offers for kind ("audio"
// or "video"), sender and receiver alike (webrtc-pc 5.2 getCapabilities).
func RTPCapabilities(kind string) (Capabilities, error) {
	read, ok := offered[kind]
	if !ok {
		return Capabilities{}, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("kind must be \"audio\" or \"video\""))
	}
	c, err := read()

	return Capabilities{Codecs: slices.Clone(c.Codecs), HeaderExtensions: slices.Clone(c.HeaderExtensions)}, err
}

// readCapabilities reads them from the offer of a peer connection with the
// default configuration, so they cannot drift from what is negotiated.
func readCapabilities(kind string) (Capabilities, error) {
	cfg, err := ParseConfiguration([]byte(`{"omnirtc":{"mdns":"disabled"}}`))
	if err != nil {
		return Capabilities{}, err
	}
	p, err := NewPeerConnection(cfg, NewLogSink(), func(*Event) {})
	if err != nil {
		return Capabilities{}, err
	}
	defer func() { _ = p.Close() }()
	if _, err = p.AddTransceiver(kind, nil, TransceiverInit{Direction: "sendrecv"}); err != nil {
		return Capabilities{}, err
	}
	offer, err := p.CreateOffer(OfferOptions{})
	if err != nil {
		return Capabilities{}, err
	}
	var d sdp.SessionDescription
	if err = d.UnmarshalString(offer); err != nil || len(d.MediaDescriptions) != 1 {
		return Capabilities{}, rtcerr.Wrap(rtcerr.ErrOperation, errors.New("cannot read the offer's media section"))
	}

	return capabilitiesOf(d.MediaDescriptions[0]), nil
}

// capabilitiesOf lists a media section's codecs, in order, with RTX once, and
// its header extensions.
func capabilitiesOf(m *sdp.MediaDescription) Capabilities {
	c := Capabilities{Codecs: []CodecCapability{}, HeaderExtensions: []HeaderExtensionCapability{}}
	fmtp := map[string]string{}
	rtx := false
	for _, a := range m.Attributes {
		if pt, line, ok := strings.Cut(a.Value, " "); a.Key == "fmtp" && ok {
			fmtp[pt] = line
		}
	}
	for _, a := range m.Attributes {
		switch a.Key {
		case "rtpmap": // <pt> <name>/<clock rate>[/<channels>]
			pt, encoding, _ := strings.Cut(a.Value, " ")
			parts := strings.Split(encoding, "/")
			codec := CodecCapability{MimeType: m.MediaName.Media + "/" + parts[0], SDPFmtpLine: fmtp[pt]}
			codec.ScalabilityModes = codecScalabilityModes(codec.MimeType)
			if len(parts) > 1 {
				rate, _ := strconv.ParseUint(parts[1], 10, 32)
				codec.ClockRate = uint32(rate)
			}
			if len(parts) > 2 {
				channels, _ := strconv.ParseUint(parts[2], 10, 16)
				codec.Channels = uint16(channels)
			}
			if strings.EqualFold(parts[0], "rtx") { // one entry: its apt pairs it with each codec
				if rtx {
					continue
				}
				rtx, codec.SDPFmtpLine = true, ""
			}
			c.Codecs = append(c.Codecs, codec)
		case "extmap": // <id>[/<direction>] <uri>
			if _, uri, ok := strings.Cut(a.Value, " "); ok {
				c.HeaderExtensions = append(c.HeaderExtensions, HeaderExtensionCapability{URI: strings.Fields(uri)[0]})
			}
		}
	}
	// pion writes the extensions in map order: sorted, every call gives the same list
	slices.SortFunc(c.HeaderExtensions, func(a, b HeaderExtensionCapability) int { return strings.Compare(a.URI, b.URI) })

	return c
}
