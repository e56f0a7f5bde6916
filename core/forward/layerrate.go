package forward

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// The layers' bitrates are measured over rateBuckets buckets of
// rateBucket; the bucket being filled is left out, so a rate is that of
// the last whole second.
const (
	rateBucket  = 100 * time.Millisecond
	rateBuckets = 10
	temporalIDs = 8 // VP8 has 4, the SVC codecs 8
)

// layerRates measures the bitrate of each simulcast layer's temporal
// layers from the packets the forwarder sees.
type layerRates struct {
	mu   sync.Mutex
	rids map[string]*ridRate
}

// ridRate is one simulcast layer's bytes per bucket and temporal layer.
type ridRate struct {
	first  int64                  // the bucket of the first packet
	bucket [rateBuckets + 1]int64 // which bucket (time / rateBucket) each slot counts, one being filled
	bytes  [rateBuckets + 1][temporalIDs]int64
}

// add counts a packet of size bytes of the layer rid and temporal layer
// tid, seen at now.
func (r *layerRates) add(rid string, tid, size int, now time.Time) {
	n := now.UnixNano() / int64(rateBucket)
	slot := n % (rateBuckets + 1)
	tid = min(max(tid, 0), temporalIDs-1)
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.rids[rid]
	if l == nil {
		if r.rids == nil {
			r.rids = map[string]*ridRate{}
		}
		l = &ridRate{first: n}
		r.rids[rid] = l
	}
	if l.bucket[slot] != n {
		l.bucket[slot], l.bytes[slot] = n, [temporalIDs]int64{}
	}
	l.bytes[slot][tid] += int64(size)
}

// rates returns each layer's bitrate per temporal layer (not
// cumulative) in bits per second over the last whole window.
func (r *layerRates) rates(now time.Time) map[string][temporalIDs]int64 {
	n := now.UnixNano() / int64(rateBucket)
	out := map[string][temporalIDs]int64{}
	r.mu.Lock()
	defer r.mu.Unlock()
	for rid, l := range r.rids {
		span := min(n-l.first, rateBuckets)
		if span == 0 {
			continue
		}
		var sum [temporalIDs]int64
		for slot, b := range l.bucket {
			if b < n && b >= n-rateBuckets {
				for t, bytes := range l.bytes[slot] {
					sum[t] += bytes
				}
			}
		}
		for t := range sum {
			sum[t] = sum[t] * 8 * int64(time.Second) / (span * int64(rateBucket))
		}
		out[rid] = sum
	}

	return out
}

// ladder is the layers allowed under limit, in ascending order of
// bitrate: of each simulcast layer received at most as fast as limit's
// (any, when limit.RID is ""), each temporal layer received up to
// limit's, with the layers below it. The highest of a simulcast layer is
// AllTemporal when limit allows all.
func ladder(rates map[string][temporalIDs]int64, limit Layer) []LayerRate {
	total := func(rid string) (sum int64) {
		for _, bps := range rates[rid] {
			sum += bps
		}

		return sum
	}
	var out []LayerRate
	for rid, perTID := range rates {
		if limit.RID != "" && rid != limit.RID && total(rid) >= total(limit.RID) {
			continue
		}
		top := -1
		for t, bps := range perTID {
			if bps > 0 && t <= limit.maxTemporal() {
				top = t
			}
		}
		var sum int64
		for t := 0; t <= top; t++ {
			sum += perTID[t]
			if perTID[t] == 0 {
				continue
			}
			l := Layer{RID: rid, Temporal: t}
			if t == top && limit.Temporal == AllTemporal {
				l.Temporal = AllTemporal
			}
			out = append(out, LayerRate{Layer: l, Bitrate: sum})
		}
	}
	slices.SortFunc(out, func(a, b LayerRate) int {
		return cmp.Or(cmp.Compare(a.Bitrate, b.Bitrate), cmp.Compare(a.Layer.RID, b.Layer.RID), cmp.Compare(a.Layer.Temporal, b.Layer.Temporal))
	})

	return out
}
