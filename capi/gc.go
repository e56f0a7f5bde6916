package main

/*
#include "bridge.h"
*/
import "C"

import (
	"fmt"
	"math"
	"runtime/debug"
	"runtime/metrics"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// maxGCPercent bounds omnirtc_set_gc's percent (Go's GOGC): past it the
// heap may grow ten thousand times over the live data between collections.
const maxGCPercent = 1_000_000

// gcOff is omnirtc_set_gc's percent for GOGC=off.
const gcOff = -1

//export ortc_go_set_gc
func ortc_go_set_gc(percent C.int32_t, memoryLimit C.int64_t) C.omnirtc_status_t {
	return call(func() error {
		if percent != gcOff && (percent < 1 || percent > maxGCPercent) {
			return fmt.Errorf("%w: percent %d is neither -1 (off) nor in 1..%d", rtcerr.ErrInvalidArgument, percent,
				maxGCPercent)
		}
		if memoryLimit < 0 {
			return fmt.Errorf("%w: memory_limit_bytes %d is negative (0 means no limit)", rtcerr.ErrInvalidArgument,
				memoryLimit)
		}
		limit := int64(memoryLimit)
		if limit == 0 {
			limit = math.MaxInt64 // Go's "no limit"
		}
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(int(percent))

		return nil
	})
}

//export ortc_go_get_gc
func ortc_go_get_gc(percentOut *C.int32_t, memoryLimitOut *C.int64_t) C.omnirtc_status_t {
	return call(func() error {
		percent, limit := gcSettings()
		if percentOut != nil {
			*percentOut = C.int32_t(percent)
		}
		if memoryLimitOut != nil {
			*memoryLimitOut = C.int64_t(limit)
		}

		return nil
	})
}

// gcSettings reads the collector's settings without changing them: the
// percent (-1 when off) and the memory limit (0 when none).
func gcSettings() (percent, limit int64) {
	samples := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(samples)
	percent = int64(samples[0].Value.Uint64()) //nolint:gosec // off is -1 stored as a uint64
	limit = int64(samples[1].Value.Uint64())
	if limit == math.MaxInt64 {
		limit = 0
	}

	return percent, limit
}

// gcPauses is the collector's stop-the-world pause histogram since the
// library loaded (runtime/metrics /sched/pauses/total/gc:seconds), as
// [upper bound in seconds, count] for each non-empty bucket, shortest first.
// A host computes percentiles over a window from two readings' difference.
func gcPauses() [][2]float64 {
	samples := []metrics.Sample{{Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(samples)
	h := samples[0].Value.Float64Histogram()
	out := [][2]float64{} // [] rather than null before the first pause
	for i, n := range h.Counts {
		if n == 0 {
			continue
		}
		upper := h.Buckets[i+1]
		if math.IsInf(upper, 1) {
			upper = h.Buckets[i]
		}
		out = append(out, [2]float64{upper, float64(n)})
	}

	return out
}

// memoryBytes returns the heap bytes live at the last collection and the
// bytes reserved for goroutine stacks, for omnirtc_debug_counters.
func memoryBytes() (heap, stack uint64) {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/stacks:bytes"}}
	metrics.Read(samples)

	return samples[0].Value.Uint64(), samples[1].Value.Uint64()
}
