package core

import (
	"errors"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/webrtc/v4"
)

// senderFor returns the transceiver's sender, first making one that sends
// layer for a transceiver a remote offer created: pion gives those none,
// where W3C gives every transceiver a sender, and a server that answers an
// offer sends its media by replaceTrack on the offer's transceiver (as
// aiortc's examples do). Setting it makes a recvonly transceiver sendrecv,
// as pion's addTrack does when it takes one.
func (tr *Transceiver) senderFor(layer *sendTrack) (sender *webrtc.RTPSender, made bool, err error) {
	if existing := tr.t.Sender(); existing != nil {
		return existing, false, nil
	}
	if tr.stopped.Load() {
		return nil, false, rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("the transceiver is stopped"))
	}
	sender, err = tr.pc.engine.api.NewRTPSender(layer, tr.pc.pc.SCTP().Transport())
	if err != nil {
		return nil, false, tr.pc.outcome(err, rtcerr.ErrOperation)
	}
	if err := tr.t.SetSender(sender, layer); err != nil {
		_ = sender.Stop()

		return nil, false, tr.pc.outcome(err, rtcerr.ErrOperation)
	}

	return sender, true, nil
}
