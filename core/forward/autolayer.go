package forward

import (
	"sync"
	"time"
)

// policyInterval is how often the forwarder lets each subscriber's policy
// choose again, from the packets' clock.
const policyInterval = 100 * time.Millisecond

// autoLayer is a subscriber's bandwidth policy. While on, the layer the
// application sets is the highest the policy may choose.
type autoLayer struct {
	mu     sync.Mutex
	on     bool
	limit  Layer // the application's layer
	policy *Policy
}

// SetAuto turns the choice of layer from the subscriber's bandwidth
// estimate (SetEstimate) on or off. While on, the layer set by SetLayer is
// the highest chosen; turned off, the subscriber returns to that layer.
func (s *Subscriber) SetAuto(on bool) {
	a := &s.auto
	a.mu.Lock()
	defer a.mu.Unlock()
	if on == a.on {
		return
	}
	a.on = on
	if on {
		s.f.autos.Add(1)
	} else {
		s.f.autos.Add(-1)
	}
	if on {
		a.limit = s.targetLayer() // the application's while the policy was off
		now := s.f.now()
		s.setTarget(a.choose(s.f.rates.rates(now), now))
	} else {
		s.setTarget(a.limit)
	}
}

// stopAuto turns the policy off for a subscriber removed, without
// switching its layer: its layers need measuring no more.
func (s *Subscriber) stopAuto() {
	a := &s.auto
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.on {
		a.on = false
		s.f.autos.Add(-1)
	}
}

// SetEstimate records the subscriber's estimated available bitrate, in
// bits per second (its peer's congestion control or the receiver's REMB).
func (s *Subscriber) SetEstimate(bps int64) {
	a := &s.auto
	a.mu.Lock()
	defer a.mu.Unlock()
	a.policy.Estimate(s.f.now(), bps)
}

// Auto reports whether the policy chooses the layer, the layer the
// subscriber is switching to or receives (the policy's or the one set), and
// the latest estimate (0 before the first).
func (s *Subscriber) Auto() (on bool, target Layer, estimate int64) {
	s.auto.mu.Lock()
	on, estimate = s.auto.on, s.auto.policy.Latest()
	s.auto.mu.Unlock()

	return on, s.targetLayer(), estimate
}

// limitTo makes l the limit of the policy when it is on, and returns the
// layer to receive under it.
func (s *Subscriber) limitTo(l Layer) Layer {
	a := &s.auto
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.on {
		return l
	}
	a.limit = l
	now := s.f.now()

	return a.choose(s.f.rates.rates(now), now)
}

// choose is the layer under the limit at the rates measured, the limit
// itself while the policy has no estimate or no layer; a.mu is held.
func (a *autoLayer) choose(rates map[string][temporalIDs]int64, now time.Time) Layer {
	if l, ok := a.policy.Choose(now, ladder(rates, a.limit)); ok {
		l.Spatial = a.limit.Spatial // it chooses among rids and temporal layers only

		return l
	}

	return a.limit
}

// applyPolicies lets the policy of each subscriber that has it on choose
// again, once every policyInterval.
func (f *Forwarder) applyPolicies(now time.Time, subscribers []*Subscriber) {
	next := f.policyAt.Load()
	if now.UnixNano() < next || !f.policyAt.CompareAndSwap(next, now.Add(policyInterval).UnixNano()) {
		return
	}
	var rates map[string][temporalIDs]int64
	for _, s := range subscribers {
		a := &s.auto
		a.mu.Lock()
		if a.on {
			if rates == nil {
				rates = f.rates.rates(now)
			}
			if l := a.choose(rates, now); s.targetLayer() != l {
				s.setTarget(l)
			}
		}
		a.mu.Unlock()
	}
}

// targetLayer is the layer the subscriber switches to or receives.
func (s *Subscriber) targetLayer() Layer {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.target
}
