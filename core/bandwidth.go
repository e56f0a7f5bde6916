package core

import "slices"

// watchBandwidth forwards GCC's target bitrate, when the "gcc" interceptor
// runs, as EventTargetBitrate, and to the forwarders feeding the peer.
func (p *PeerConnection) watchBandwidth() {
	if p.engine.estimator == nil {
		return
	}
	p.engine.estimator.OnTargetBitrateChange(func(bitrate int) {
		if !p.closed.Load() {
			p.events.post(BitrateTarget{Source: "gcc"}.event(BitrateSourceGCC, int64(bitrate)))
			p.estimateForwarded(int64(bitrate), nil)
		}
	})
}

// TargetBitrate is GCC's current estimate in bits per second, or 0 without
// the "gcc" interceptor.
func (p *PeerConnection) TargetBitrate() int64 {
	if p.engine.estimator == nil {
		return 0
	}

	return int64(p.engine.estimator.GetTargetBitrate())
}

// estimateForwarded gives bps, the estimated available bitrate, to the
// forwarder subscribers this peer sends: those sending any of ssrcs, or
// all when ssrcs is nil. Each is measured against the whole estimate.
func (p *PeerConnection) estimateForwarded(bps int64, ssrcs []uint32) {
	p.mu.Lock()
	var sent []*Transceiver
	for _, tr := range p.transceivers {
		sent = append(sent, tr)
	}
	p.mu.Unlock()
	for _, tr := range sent {
		tr.mu.Lock()
		t := tr.track
		tr.mu.Unlock()
		if t == nil {
			continue
		}
		fw := t.forwarded.Load()
		if fw != nil && (ssrcs == nil || tr.sendsAny(ssrcs)) {
			fw.estimate(t, bps)
		}
	}
}

// sendsAny reports whether the transceiver's sender sends any of ssrcs.
func (tr *Transceiver) sendsAny(ssrcs []uint32) bool {
	s := tr.t.Sender()
	if s == nil {
		return false
	}
	for _, e := range s.GetParameters().Encodings {
		if slices.Contains(ssrcs, uint32(e.SSRC)) {
			return true
		}
	}

	return false
}
