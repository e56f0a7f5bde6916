package core

import (
	"fmt"
	"strings"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/sdp/v3"
)

// checkRTCPMux refuses a remote description with an RTP media section
// without a=rtcp-mux: "require" is the only RTCRtcpMuxPolicy (W3C webrtc-pc
// 4.2.4), and under it such a description is an InvalidAccessError (JSEP
// 5.8). Rejected sections (port 0) and data sections carry no RTP.
func checkRTCPMux(d *sdp.SessionDescription) error {
	for i, m := range d.MediaDescriptions {
		if m.MediaName.Port.Value == 0 || !strings.Contains(strings.Join(m.MediaName.Protos, "/"), "RTP") {
			continue
		}
		if _, ok := m.Attribute("rtcp-mux"); !ok {
			return rtcerr.Wrap(rtcerr.ErrInvalidAccess, fmt.Errorf(
				"m-section %d (%s) has no a=rtcp-mux, which rtcpMuxPolicy \"require\" needs", i, m.MediaName.Media))
		}
	}

	return nil
}
