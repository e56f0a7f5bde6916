// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package webrtc

import (
	"strings"

	"github.com/pion/interceptor"
	"github.com/pion/srtp/v3"
)

// fecStreams is the FlexFEC repair stream of a track (omnirtc patch): the
// release never reads it, so its packets reach no interceptor and an FEC
// decoder among them cannot see them.
type fecStreams struct {
	info           *interceptor.StreamInfo
	rtpReadStream  *srtp.ReadStreamSRTP
	rtcpReadStream *srtp.ReadStreamSRTCP
}

// receiveForFEC binds the repair stream ssrc to the interceptors and reads it
// until the receiver stops; what the interceptors do with it is theirs.
// The caller must hold r.mu.
func (r *RTPReceiver) receiveForFEC(track *trackStreams, ssrc SSRC, params RTPParameters) error {
	var codec *RTPCodecParameters
	for i := range params.Codecs {
		if strings.Contains(strings.ToLower(params.Codecs[i].MimeType), MimeTypeFlexFEC) {
			codec = &params.Codecs[i]
		}
	}
	if codec == nil {
		return nil
	}
	info := createStreamInfo("", ssrc, 0, 0, codec.PayloadType, 0, 0, codec.RTPCodecCapability, params.HeaderExtensions)
	result, err := r.transport.streamsForSSRC(ssrc, *info)
	if err != nil {
		return err
	}
	track.fec = &fecStreams{info: info, rtpReadStream: result.rtpReadStream, rtcpReadStream: result.rtcpReadStream}
	go func() {
		b := make([]byte, r.api.settingEngine.getReceiveMTU())
		for {
			if _, _, err := result.rtpInterceptor.Read(b, nil); err != nil {
				return
			}
		}
	}()

	return nil
}

// close stops the repair stream's reader and unbinds it.
func (f *fecStreams) close(i interceptor.Interceptor) []error {
	if f == nil {
		return nil
	}
	errs := []error{f.rtpReadStream.Close(), f.rtcpReadStream.Close()}
	i.UnbindRemoteStream(f.info)

	return errs
}
