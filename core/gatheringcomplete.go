package core

import (
	"sync"

	"github.com/pion/webrtc/v4"
)

// GatheringComplete returns a channel closed once ICE gathering of the
// current local description is complete (at once if it already is), for
// signaling without trickle, such as WHIP, which sends every candidate in
// one description.
func (p *PeerConnection) GatheringComplete() <-chan struct{} {
	return webrtc.GatheringCompletePromise(p.pc)
}

// CandidateGathered returns a channel closed at the next local candidate
// gathered (or the end of a gathering), for signaling that trickles in
// batches, such as WHIP's PATCH: take the channel, read the local
// description, then wait on the channel for more.
func (p *PeerConnection) CandidateGathered() <-chan struct{} {
	return p.gathered.next()
}

// candidateSignal closes its channel at each candidate and starts a new one.
type candidateSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

func (s *candidateSignal) next() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}

	return s.ch
}

func (s *candidateSignal) fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}
