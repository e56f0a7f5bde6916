package forward

import "time"

// The policy's defaults (see Policy).
const (
	DefaultHeadroom = 0.9
	DefaultUpMargin = 0.1
	DefaultHold     = 2 * time.Second
)

// LayerRate is a layer a subscriber may receive and the bitrate it takes,
// in bits per second: its simulcast layer's temporal layers up to Temporal.
type LayerRate struct {
	Layer   Layer
	Bitrate int64
}

// Policy chooses a subscriber's layer from its estimated available
// bitrate. A layer fits an estimate E when its bitrate is at most
// Headroom·E. The policy goes down as soon as the estimate falls below the
// bitrate of the layer it chose, to the highest layer that fits; it goes
// up only to a layer whose bitrate plus UpMargin fits every estimate of
// the last Hold. Between the two thresholds it stays, so an estimate
// wavering around one layer's bitrate does not make it flap.
type Policy struct {
	Headroom float64
	UpMargin float64
	Hold     time.Duration

	estimates []estimate // oldest first: the one in effect Hold ago, then newer ones
	chosen    Layer
	chose     bool
}

// estimate is one estimated available bitrate and when it came.
type estimate struct {
	at  time.Time
	bps int64
}

// NewPolicy returns a policy with the default headroom, margin and hold.
func NewPolicy() *Policy {
	return &Policy{Headroom: DefaultHeadroom, UpMargin: DefaultUpMargin, Hold: DefaultHold}
}

// Estimate records the subscriber's estimated available bitrate at now;
// it holds until the next one.
func (p *Policy) Estimate(now time.Time, bps int64) {
	p.estimates = append(p.estimates, estimate{now, bps})
	p.trim(now)
}

// Latest is the latest estimate, 0 before the first.
func (p *Policy) Latest() int64 {
	if len(p.estimates) == 0 {
		return 0
	}

	return p.estimates[len(p.estimates)-1].bps
}

// trim lets go of the estimates superseded before now-Hold.
func (p *Policy) trim(now time.Time) {
	from := now.Add(-p.Hold)
	i := 0
	for i+1 < len(p.estimates) && !p.estimates[i+1].at.After(from) {
		i++
	}
	p.estimates = append(p.estimates[:0], p.estimates[i:]...)
}

// Choose returns the layer to receive at now among ladder, the layers
// allowed in ascending order of bitrate; false while there is no estimate
// or no layer.
func (p *Policy) Choose(now time.Time, ladder []LayerRate) (Layer, bool) {
	if len(p.estimates) == 0 || len(ladder) == 0 {
		return Layer{}, false
	}
	p.trim(now)
	latest := p.Latest()
	current := -1
	for i, l := range ladder {
		if p.chose && l.Layer == p.chosen {
			current = i
		}
	}
	next := current
	if current < 0 || ladder[current].Bitrate > latest {
		next = p.highestFitting(ladder, latest, 1)
	} else if held, ok := p.held(now); ok {
		next = max(current, p.highestFitting(ladder, held, 1+p.UpMargin))
	}
	p.chosen, p.chose = ladder[next].Layer, true

	return p.chosen, true
}

// highestFitting is the highest layer of ladder whose bitrate times margin
// fits bps, or the lowest layer when none does.
func (p *Policy) highestFitting(ladder []LayerRate, bps int64, margin float64) int {
	best := 0
	for i, l := range ladder {
		if float64(l.Bitrate)*margin <= p.Headroom*float64(bps) {
			best = i
		}
	}

	return best
}

// held is the lowest estimate in effect over the last Hold, false when
// the first estimate is more recent.
func (p *Policy) held(now time.Time) (int64, bool) {
	if p.estimates[0].at.After(now.Add(-p.Hold)) {
		return 0, false
	}
	low := p.estimates[0].bps
	for _, e := range p.estimates[1:] {
		low = min(low, e.bps)
	}

	return low, true
}
