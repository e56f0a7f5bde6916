package core

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/ice/v4"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// endOfCandidates is the attribute line of the empty candidate (RFC 8840).
const endOfCandidates = "a=end-of-candidates"

// allSections marks a line for every media section: an end of candidates
// with neither sdpMid nor sdpMLineIndex.
const allSections = -1

var errUnknownSection = errors.New("the remote description has no such media section")

// addedCandidates holds the "a=candidate" and "a=end-of-candidates" lines
// addIceCandidate added to the remote descriptions (W3C webrtc-pc 4.4.1.6
// addIceCandidate, JSEP 5.8): pion keeps the descriptions as they were set,
// so each is shown with its lines added when read. Keyed by pion's
// description, which stays the same object when a pending description
// becomes the current one.
type addedCandidates struct {
	mu    sync.Mutex
	added map[*webrtc.SessionDescription][]sectionLine
}

// sectionLine is one added line and the index of its media section, or
// allSections.
type sectionLine struct {
	section int
	line    string
}

// mediaSection resolves a candidate's media section in a remote description
// by sdpMid, else by sdpMLineIndex; allSections when it has neither (an end
// of candidates for all of them).
func mediaSection(d *sdp.SessionDescription, mid string, mlineIndex int32) (int, error) {
	switch {
	case mid != "":
		for i, m := range d.MediaDescriptions {
			if v, ok := m.Attribute("mid"); ok && v == mid {
				return i, nil
			}
		}

		return 0, rtcerr.Wrap(rtcerr.ErrInvalidCandidate, fmt.Errorf("sdpMid %s: %w", rtcerr.Quote(mid), errUnknownSection))
	case mlineIndex >= 0:
		if int(mlineIndex) >= len(d.MediaDescriptions) {
			return 0, rtcerr.Wrap(rtcerr.ErrInvalidCandidate, fmt.Errorf("sdpMLineIndex %d: %w", mlineIndex, errUnknownSection))
		}

		return int(mlineIndex), nil
	}

	return allSections, nil
}

// parseStored parses a description pion holds. Its Unmarshal would replace
// the parsed form pion's own goroutines read.
func parseStored(d *webrtc.SessionDescription) (*sdp.SessionDescription, error) {
	var parsed sdp.SessionDescription
	if err := parsed.UnmarshalString(d.SDP); err != nil {
		return nil, rtcerr.Wrap(rtcerr.ErrOperation, err)
	}

	return &parsed, nil
}

// sectionUfrag is the ICE username fragment of media section i (its own,
// else the session's).
func sectionUfrag(d *sdp.SessionDescription, i int) string {
	if i >= 0 && i < len(d.MediaDescriptions) {
		if u, ok := d.MediaDescriptions[i].Attribute("ice-ufrag"); ok {
			return u
		}
	}
	if u, ok := d.Attribute("ice-ufrag"); ok {
		return u
	}

	return descriptionUfrag(d)
}

// candidateUfrag is the "ufrag" extension of a candidate line, "" without.
func candidateUfrag(candidate string) string {
	c, err := ice.UnmarshalCandidate(strings.TrimPrefix(candidate, "candidate:"))
	if err != nil {
		return ""
	}
	if e, ok := c.GetExtension("ufrag"); ok {
		return e.Value
	}

	return ""
}

// add records the line of candidate (an "a=candidate" value, with or without
// its "candidate:", "" for the end of candidates) in media section `section` of each of pion's pending and
// current remote descriptions that is of the candidate's ICE generation: the
// one whose ufrag the candidate names, else the newest and any older one with
// the same credentials.
func (c *addedCandidates) add(pending, current *webrtc.SessionDescription, candidate string, section int) {
	line := endOfCandidates
	if value := strings.TrimPrefix(candidate, "candidate:"); value != "" {
		line = "a=candidate:" + value
	}
	ufrag := candidateUfrag(candidate)
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := map[*webrtc.SessionDescription][]sectionLine{}
	newest := ""
	for _, d := range []*webrtc.SessionDescription{pending, current} {
		if d == nil {
			continue
		}
		kept[d] = c.added[d]
		parsed, err := parseStored(d)
		if err != nil {
			continue
		}
		u := sectionUfrag(parsed, section)
		if newest == "" {
			newest = u
		}
		if (ufrag != "" && u != ufrag) || (ufrag == "" && u != newest) {
			continue
		}
		if !slices.Contains(kept[d], sectionLine{section, line}) {
			kept[d] = append(kept[d], sectionLine{section, line})
		}
	}
	c.added = kept // forgets the descriptions pion no longer has
}

// text is d's SDP with the lines added to it, each at the end of its media
// section unless that section has it already.
func (c *addedCandidates) text(d *webrtc.SessionDescription) string {
	c.mu.Lock()
	added := c.added[d]
	c.mu.Unlock()
	if len(added) == 0 {
		return d.SDP
	}
	eol := "\r\n"
	if !strings.Contains(d.SDP, eol) {
		eol = "\n"
	}
	lines := strings.Split(strings.TrimSuffix(d.SDP, eol), eol)
	var out []string
	section, start := -1, 0 // the session part; where the current section starts in out
	flush := func() {
		if section < 0 {
			return
		}
		for _, a := range added {
			if (a.section == section || a.section == allSections) && !slices.Contains(out[start:], a.line) {
				out = append(out, a.line)
			}
		}
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "m=") {
			flush()
			section, start = section+1, len(out)
		}
		out = append(out, l)
	}
	flush()

	return strings.Join(out, eol) + eol
}
