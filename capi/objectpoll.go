package main

/*
#include "bridge.h"
*/
import "C"

import (
	"fmt"
	"math"
	"sync"
	"unsafe"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// objectPoll is the poll state of a polled object whose events come from a
// core event queue (a TURN server, a WHIP server or session): E is the core
// event, CE the C struct a poll fills.
type objectPoll[E, CE any] struct {
	mu       sync.Mutex // serializes polls
	taken    []E
	arena    batchArena // the last batch's strings
	finished bool       // the final event was polled

	take  func(dst []E, maxEvents int) []E
	fill  func(c *CE, e E, mem cMemory) // the one place a C event is made, pushed or polled
	final func(E) bool
	wait  func() // returns once no notify runs (after the final event was taken)
	done  func() // the final event was taken: forget the object
}

// pollInto frees the previous batch and writes up to capacity events into
// events, their strings in one C allocation the next poll frees.
func (s *objectPoll[E, CE]) pollInto(events *CE, capacity int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return 0, fmt.Errorf("%w: the final event was polled", errInvalidHandle)
	}
	s.arena.free()
	s.taken = s.take(s.taken[:0], capacity)
	var size arenaSize
	var scratch CE
	for _, e := range s.taken {
		s.fill(&scratch, e, &size)
		if s.final(e) {
			s.finished = true
			s.done()
		}
	}
	mem := s.arena.alloc(size.n)
	for i, e := range s.taken {
		s.fill((*CE)(unsafe.Add(unsafe.Pointer(events), uintptr(i)*unsafe.Sizeof(scratch))), e, &mem)
	}

	return len(s.taken), nil
}

// pollObject is the body of a poll_events export: it checks the arguments,
// finds the object's poll state (find) and polls it; after the final event,
// outside notify, it returns once no notify runs, so none uses user_data.
func pollObject[E, CE any](find func() (*objectPoll[E, CE], error), events *CE, capacity C.size_t,
	countOut *C.size_t,
) C.omnirtc_status_t {
	var finished *objectPoll[E, CE]
	status := call(func() error {
		if events == nil || countOut == nil {
			return errNullArgf("events and count_out must not be NULL")
		}
		if capacity == 0 {
			return fmt.Errorf("%w: capacity is 0", rtcerr.ErrInvalidArgument)
		}
		s, err := find()
		if err != nil {
			return err
		}
		n, err := s.pollInto(events, int(min(uint64(capacity), math.MaxInt32)))
		if err != nil {
			return err
		}
		if s.finished {
			finished = s
		}
		*countOut = C.size_t(n)

		return nil
	})
	if finished != nil {
		finished.wait()
	}

	return status
}
