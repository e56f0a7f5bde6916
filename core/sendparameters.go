package core

import (
	"errors"
	"fmt"
	"slices"

	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// SendParameters is the part of W3C RTCRtpSendParameters that setParameters
// may change: each encoding's active, maxBitrate and scaleResolutionDownBy
// (webrtc-pc 5.2) and scalabilityMode (webrtc-svc). The transaction rules
// (transactionId) are the binding's: they are about its language's tasks.
type SendParameters struct {
	Encodings []Encoding `json:"encodings"`
}

// ParseSendParameters decodes SendParameters JSON strictly.
func ParseSendParameters(text []byte) (SendParameters, error) {
	var params SendParameters
	if err := strictjson.Decode(text, &params); err != nil {
		return params, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("send parameters: %w", err))
	}
	for _, e := range params.Encodings {
		if e.ScaleResolutionDownBy != nil && *e.ScaleResolutionDownBy < 1 {
			return params, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("send parameters: scaleResolutionDownBy must be >= 1"))
		}
	}

	return params, nil
}

// SetParameters applies params to the sender's encodings, which it may not
// add, remove or rename: active:false stops a layer at once, maxBitrate,
// scaleResolutionDownBy and scalabilityMode are kept for the application's
// encoder (Info).
func (tr *Transceiver) SetParameters(params SendParameters) error {
	if err := tr.pc.checkOpen(); err != nil {
		return err
	}
	if tr.stopped.Load() {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("transceiver is stopped"))
	}
	current := tr.Info().Encodings
	if len(params.Encodings) != len(current) {
		return rtcerr.Wrap(rtcerr.ErrInvalidModification, fmt.Errorf(
			"send parameters: %d encodings where the sender has %d; they cannot be added or removed", len(params.Encodings), len(current)))
	}
	for i, e := range params.Encodings {
		if e.RID != current[i].RID {
			return rtcerr.Wrap(rtcerr.ErrInvalidModification, fmt.Errorf(
				"send parameters: encoding %d has rid %s, not %s; rids cannot change", i, rtcerr.Quote(e.RID), rtcerr.Quote(current[i].RID)))
		}
	}
	if err := checkScalabilityModes(params.Encodings, sendableMimeTypes(tr.t.Kind().String(), tr.localTrack())); err != nil {
		return err
	}
	tr.mu.Lock()
	track := tr.track
	tr.encodings = slices.Clone(params.Encodings)
	tr.mu.Unlock()
	for _, e := range params.Encodings {
		if e.Active != nil && track != nil {
			if err := track.SetActive(e.RID, *e.Active); err != nil {
				return err
			}
		}
	}

	return nil
}
