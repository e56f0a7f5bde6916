package core

// watchBandwidth forwards GCC's target bitrate, when the "gcc" interceptor
// runs, as EventTargetBitrate.
func (p *PeerConnection) watchBandwidth() {
	if p.engine.estimator == nil {
		return
	}
	p.engine.estimator.OnTargetBitrateChange(func(bitrate int) {
		if !p.closed.Load() {
			p.events.post(BitrateTarget{Source: "gcc"}.event(BitrateSourceGCC, int64(bitrate)))
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
