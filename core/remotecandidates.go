package core

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/ice/v4"
	"github.com/pion/sdp/v3"
)

// MaxRemoteCandidates bounds the distinct remote ICE candidates a peer
// connection takes per ICE generation (OMNIRTC_MAX_REMOTE_CANDIDATES). pion's
// ICE agent pairs every remote candidate with every local one and scans all
// pairs for each check, so the cost of a candidate list grows with its square:
// 10,000 candidates from a remote stalled negotiation and stats for seconds.
const MaxRemoteCandidates = 100

var errTooManyCandidates = fmt.Errorf("more than %d remote ICE candidates in one ICE generation", MaxRemoteCandidates)

// remoteCandidates is the set of distinct remote candidates given to pion's
// ICE agent since it last dropped them all (at an ICE restart). Its lock is
// held across the pion call that adds candidates, so concurrent adds cannot
// pass the limit together.
type remoteCandidates struct {
	mu    sync.Mutex
	ufrag string // the remote ICE username fragment last applied
	seen  map[candidateKey]struct{}
}

// candidateKey is what pion's agent compares to drop a duplicate candidate.
type candidateKey struct {
	network ice.NetworkType
	typ     ice.CandidateType
	address string
	port    int
	related string
}

func keyOf(c ice.Candidate) candidateKey {
	k := candidateKey{network: c.NetworkType(), typ: c.Type(), address: c.Address(), port: c.Port()}
	if r := c.RelatedAddress(); r != nil {
		k.related = r.String()
	}

	return k
}

// parseCandidate parses an "a=candidate" value. discard is true for a
// candidate pion drops without an error (an unknown type or network).
func parseCandidate(value string) (key candidateKey, discard bool, err error) {
	c, err := ice.UnmarshalCandidate(strings.TrimPrefix(value, "candidate:"))
	switch {
	case errors.Is(err, ice.ErrUnknownCandidateTyp), errors.Is(err, ice.ErrDetermineNetworkType):
		return key, true, nil
	case err != nil:
		// pion's parse errors end with the whole candidate; its reason is
		// the error they wrap.
		if reason := errors.Unwrap(err); reason != nil {
			err = reason
		}

		return key, false, rtcerr.Wrap(rtcerr.ErrInvalidCandidate, fmt.Errorf("malformed candidate %s: %s", rtcerr.Quote(value), rtcerr.Brief(err)))
	}

	return keyOf(c), false, nil
}

// any reports whether a remote candidate was given to the ICE agent.
func (r *remoteCandidates) any() bool {
	r.mu.Lock()
	defer r.mu.Unlock()

	return len(r.seen) > 0
}

// restart forgets the candidates: the ICE agent restarted and dropped them.
func (r *remoteCandidates) restart() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = nil
}

// addDescription runs apply (pion's SetRemoteDescription) for the parsed
// remote description d unless its candidates would take the set over the
// limit. A remote offer with new ICE credentials restarts ICE, so its
// candidates start a new set.
func (r *remoteCandidates) addDescription(d *sdp.SessionDescription, offer bool, apply func() error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ufrag := descriptionUfrag(d)
	seen := r.seen
	if offer && ufrag != r.ufrag {
		seen = nil
	}
	merged := maps.Clone(seen)
	if merged == nil {
		merged = map[candidateKey]struct{}{}
	}
	for _, m := range d.MediaDescriptions {
		for _, a := range m.Attributes {
			if !a.IsICECandidate() {
				continue
			}
			if k, discard, err := parseCandidate(a.Value); err == nil && !discard { // pion skips the others
				merged[k] = struct{}{}
				if len(merged) > MaxRemoteCandidates {
					return rtcerr.Wrap(rtcerr.ErrTooLarge, fmt.Errorf("session description: %w", errTooManyCandidates))
				}
			}
		}
	}
	if err := apply(); err != nil {
		return err
	}
	r.ufrag, r.seen = ufrag, merged

	return nil
}

// add runs apply (pion's AddICECandidate) for one trickled candidate unless
// it is malformed or a new one past the limit. "" (end of candidates) passes.
func (r *remoteCandidates) add(candidate string, apply func() error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if strings.TrimPrefix(candidate, "candidate:") == "" {
		return apply()
	}
	k, discard, err := parseCandidate(candidate)
	if err != nil {
		return err
	}
	if discard {
		return apply()
	}
	if _, dup := r.seen[k]; !dup && len(r.seen) >= MaxRemoteCandidates {
		return rtcerr.Wrap(rtcerr.ErrTooLarge, fmt.Errorf("candidate refused: %w", errTooManyCandidates))
	}
	if err := apply(); err != nil {
		return err
	}
	if r.seen == nil {
		r.seen = map[candidateKey]struct{}{}
	}
	r.seen[k] = struct{}{}

	return nil
}

// descriptionUfrag is the ICE username fragment of a description: at session
// level, else in its first media section that has one.
func descriptionUfrag(d *sdp.SessionDescription) string {
	if u, ok := d.Attribute("ice-ufrag"); ok {
		return u
	}
	for _, m := range d.MediaDescriptions {
		if u, ok := m.Attribute("ice-ufrag"); ok {
			return u
		}
	}

	return ""
}
