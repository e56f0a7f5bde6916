package forward

import (
	"slices"
	"testing"
	"time"
)

// testLadder is three simulcast layers of two temporal layers each.
var testLadder = []LayerRate{
	{Layer{"q", 0, 0}, 100_000},
	{Layer{"q", AllTemporal, 0}, 150_000},
	{Layer{"h", 0, 0}, 300_000},
	{Layer{"h", AllTemporal, 0}, 500_000},
	{Layer{"f", 0, 0}, 900_000},
	{Layer{"f", AllTemporal, 0}, 1_500_000},
}

// policyStep gives the policy an estimate (unless 0) at ms milliseconds,
// then asks it for a layer.
type policyStep struct {
	ms   int
	bps  int64
	want Layer
}

func TestPolicyFollowsScriptedEstimates(t *testing.T) {
	q0, h0, h, f0, f := Layer{"q", 0, 0}, Layer{"h", 0, 0}, Layer{"h", AllTemporal, 0}, Layer{"f", 0, 0}, Layer{"f", AllTemporal, 0}
	cases := map[string][]policyStep{
		"the first estimate takes the highest layer that fits": {{0, 600_000, h}},
		"nothing fits: the lowest layer":                       {{0, 50_000, q0}},
		"down at once, to the highest layer that fits": {
			{0, 2_000_000, f}, {100, 1_200_000, f0}, {200, 400_000, h0},
		},
		"down only below the layer's own bitrate, not its headroom": {
			{0, 600_000, h}, {100, 510_000, h},
		},
		"up only after the estimate held for the hold time": {
			{0, 400_000, h0}, {1000, 2_000_000, h0}, {2900, 0, h0}, {3000, 0, f},
		},
		"a dip during the hold starts it again": {
			{0, 400_000, h0},
			{500, 2_000_000, h0},
			{1500, 700_000, h0},
			{1600, 2_000_000, h0},
			{2600, 0, h},
			{3599, 0, h},
			{3600, 0, f},
		},
		"up needs the margin": {
			// f0 needs 900k·1.1/0.9 = 1.1M held; 1.05M is not enough.
			{0, 700_000, h}, {100, 1_050_000, h}, {5000, 0, h}, {5100, 1_200_000, h}, {7099, 0, h}, {7100, 0, f0},
		},
	}
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) {
			p := NewPolicy()
			start := time.Unix(1000, 0)
			for _, s := range steps {
				now := start.Add(time.Duration(s.ms) * time.Millisecond)
				if s.bps != 0 {
					p.Estimate(now, s.bps)
				}
				if got, ok := p.Choose(now, testLadder); !ok || got != s.want {
					t.Fatalf("at %d ms: chose %v (%v), want %v", s.ms, got, ok, s.want)
				}
			}
		})
	}
}

func TestPolicyDoesNotFlapAroundABoundary(t *testing.T) {
	// After a steady estimate, estimates alternating between low and high
	// every 50 ms for 30 s: across h's bitrate (one switch down, none back
	// up), and across the bitrate f0 needs to go up (no switch).
	cases := []struct{ steady, low, high int64 }{
		{600_000, 470_000, 570_000},
		{700_000, 1_000_000, 1_200_000},
	}
	for _, c := range cases {
		p := NewPolicy()
		now := time.Unix(1000, 0)
		p.Estimate(now, c.steady)
		first, _ := p.Choose(now, testLadder)
		switches := []Layer{first}
		for i := range 600 {
			now = now.Add(50 * time.Millisecond)
			p.Estimate(now, []int64{c.low, c.high}[i%2])
			if l, _ := p.Choose(now, testLadder); switches[len(switches)-1] != l {
				switches = append(switches, l)
			}
		}
		if len(switches) > 2 {
			t.Errorf("between %d and %d b/s the policy switched %d times: %v", c.low, c.high, len(switches)-1, switches)
		}
	}
}

func TestPolicyWithoutEstimateOrLayersHasNoChoice(t *testing.T) {
	p := NewPolicy()
	now := time.Unix(1000, 0)
	if _, ok := p.Choose(now, testLadder); ok {
		t.Fatal("chose without an estimate")
	}
	p.Estimate(now, 1_000_000)
	if _, ok := p.Choose(now, nil); ok {
		t.Fatal("chose without layers")
	}
}

func TestLadderKeepsUnderTheLimit(t *testing.T) {
	rates := map[string][temporalIDs]int64{
		"q": {100_000, 50_000},
		"h": {300_000, 200_000},
		"f": {900_000, 600_000},
		"x": {}, // announced, nothing received
	}
	cases := []struct {
		limit Layer
		want  []Layer
	}{
		{Layer{"", AllTemporal, 0}, []Layer{{"q", 0, 0}, {"q", AllTemporal, 0}, {"h", 0, 0}, {"h", AllTemporal, 0}, {"f", 0, 0}, {"f", AllTemporal, 0}}},
		{Layer{"h", AllTemporal, 0}, []Layer{{"q", 0, 0}, {"q", AllTemporal, 0}, {"h", 0, 0}, {"h", AllTemporal, 0}}},
		{Layer{"h", 0, 0}, []Layer{{"q", 0, 0}, {"h", 0, 0}}},
		{Layer{"q", 1, 0}, []Layer{{"q", 0, 0}, {"q", 1, 0}}},
		{Layer{"x", AllTemporal, 0}, nil},
	}
	for _, c := range cases {
		var got []Layer
		for _, l := range ladder(rates, c.limit) {
			got = append(got, l.Layer)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("under %v: %v, want %v", c.limit, got, c.want)
		}
	}
	// The policy never leaves the ladder it is given, whatever the estimate.
	p := NewPolicy()
	now := time.Unix(1000, 0)
	p.Estimate(now, 100_000_000)
	if l, _ := p.Choose(now.Add(time.Minute), ladder(rates, Layer{"h", 0, 0})); l != (Layer{"h", 0, 0}) {
		t.Fatalf("under h/0 chose %v", l)
	}
}

func TestPolicyWaitsTheHoldForALayerThatAppears(t *testing.T) {
	// f is not received yet when the estimate comes: it is taken only
	// once the estimate held for the hold time.
	p := NewPolicy()
	start := time.Unix(1000, 0)
	p.Estimate(start, 2_000_000)
	for _, s := range []struct {
		ms     int
		layers int
		want   Layer
	}{{0, 4, Layer{"h", AllTemporal, 0}}, {100, 6, Layer{"h", AllTemporal, 0}}, {1999, 6, Layer{"h", AllTemporal, 0}}, {2000, 6, Layer{"f", AllTemporal, 0}}} {
		if got, _ := p.Choose(start.Add(time.Duration(s.ms)*time.Millisecond), testLadder[:s.layers]); got != s.want {
			t.Fatalf("at %d ms: %v, want %v", s.ms, got, s.want)
		}
	}
}
