package core

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/webrtc/v4"
)

// scalabilityModes are W3C webrtc-svc's modes (section 6), in its order:
// LxTy spatial and temporal layers with inter-layer prediction (_KEY: only
// at keyframes, _KEY_SHIFT: temporal layers shifted between spatial ones),
// SxTy simulcast-like independent spatial layers; "h": spatial ratio 1.5
// instead of 2.
var scalabilityModes = []string{
	"L1T1", "L1T2", "L1T3",
	"L2T1", "L2T1h", "L2T1_KEY", "L2T2", "L2T2h", "L2T2_KEY", "L2T2_KEY_SHIFT", "L2T3", "L2T3h", "L2T3_KEY", "L2T3_KEY_SHIFT",
	"L3T1", "L3T1h", "L3T1_KEY", "L3T2", "L3T2h", "L3T2_KEY", "L3T2_KEY_SHIFT", "L3T3", "L3T3h", "L3T3_KEY", "L3T3_KEY_SHIFT",
	"S2T1", "S2T1h", "S2T2", "S2T2h", "S2T3", "S2T3h",
	"S3T1", "S3T1h", "S3T2", "S3T2h", "S3T3", "S3T3h",
}

// temporalOnlyModes are those of a codec that has temporal layers but no
// spatial ones (VP8 and H.264, as libwebrtc encodes them).
var temporalOnlyModes = scalabilityModes[:3]

// codecScalabilityModes lists the modes a codec can send: every one for VP9
// and AV1, whose payloads carry spatial layers; temporal ones for VP8 and
// H.264; none for the rest.
func codecScalabilityModes(mime string) []string {
	switch {
	case strings.EqualFold(mime, webrtc.MimeTypeVP9), strings.EqualFold(mime, webrtc.MimeTypeAV1):
		return scalabilityModes
	case strings.EqualFold(mime, webrtc.MimeTypeVP8), strings.EqualFold(mime, webrtc.MimeTypeH264):
		return temporalOnlyModes
	}

	return nil
}

var errScalabilityMode = errors.New("scalabilityMode")

// checkScalabilityModes refuses an encoding whose scalabilityMode none of
// codecs (MIME types) can send: OperationError, as webrtc-svc says for
// addTransceiver and setParameters.
func checkScalabilityModes(encodings []Encoding, codecs []string) error {
	for i, e := range encodings {
		if e.ScalabilityMode == "" {
			continue
		}
		if !slices.Contains(scalabilityModes, e.ScalabilityMode) {
			return rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf("%w of encoding %d: %s is not a webrtc-svc mode (%s)",
				errScalabilityMode, i, rtcerr.Quote(e.ScalabilityMode), strings.Join(scalabilityModes, ", ")))
		}
		if !slices.ContainsFunc(codecs, func(mime string) bool { return slices.Contains(codecScalabilityModes(mime), e.ScalabilityMode) }) {
			return rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf("%w of encoding %d: no codec of %s can send %s (VP9 and AV1 send every mode; VP8 and H.264 L1T1-L1T3)",
				errScalabilityMode, i, strings.Join(codecs, ", "), e.ScalabilityMode))
		}
	}

	return nil
}
