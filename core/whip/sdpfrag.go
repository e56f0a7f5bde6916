package whip

import (
	"errors"
	"fmt"
	"strings"
)

// errFragment marks a malformed SDP fragment (RFC 8840) or description.
var errFragment = errors.New("malformed SDP fragment")

// Fragment is the ICE part of a description that a PATCH carries
// (application/trickle-ice-sdpfrag, RFC 8840 and RFC 9725 section 4.3):
// the credentials and each media section's candidates.
type Fragment struct {
	Ufrag, Pwd string
	Media      []FragmentMedia
}

// FragmentMedia is one media section of a Fragment.
type FragmentMedia struct {
	MLine      string // the "m=" line, value only
	Mid        string
	Candidates []string // "candidate:..." attribute values
	Complete   bool     // a=end-of-candidates
}

// ParseFragment reads the ICE lines of an SDP fragment or of a whole
// description; other lines are skipped.
func ParseFragment(text string) (Fragment, error) {
	var f Fragment
	for line := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if line == "" {
			continue
		}
		if len(line) < 2 || line[1] != '=' {
			return f, fmt.Errorf("%w: line %q", errFragment, line)
		}
		key, value, _ := strings.Cut(line[2:], ":")
		if line[0] == 'm' {
			f.Media = append(f.Media, FragmentMedia{MLine: line[2:]})

			continue
		}
		if line[0] != 'a' {
			continue
		}
		switch key {
		case "ice-ufrag":
			f.Ufrag = firstOf(f.Ufrag, value)
		case "ice-pwd":
			f.Pwd = firstOf(f.Pwd, value)
		}
		if len(f.Media) == 0 {
			continue
		}
		m := &f.Media[len(f.Media)-1]
		switch key {
		case "mid":
			m.Mid = value
		case "candidate":
			m.Candidates = append(m.Candidates, "candidate:"+value)
		case "end-of-candidates":
			m.Complete = true
		}
	}

	return f, nil
}

func firstOf(current, value string) string {
	if current != "" {
		return current
	}

	return value
}

// Bundled keeps only the first media section: with BUNDLE, which WHIP
// uses, its candidates serve every section.
func (f Fragment) Bundled() Fragment {
	if len(f.Media) > 1 {
		f.Media = f.Media[:1]
	}

	return f
}

// String formats the fragment as RFC 8840 does.
func (f Fragment) String() string {
	var b strings.Builder
	if f.Ufrag != "" {
		fmt.Fprintf(&b, "a=ice-ufrag:%s\r\na=ice-pwd:%s\r\n", f.Ufrag, f.Pwd)
	}
	for _, m := range f.Media {
		fmt.Fprintf(&b, "m=%s\r\na=mid:%s\r\n", m.MLine, m.Mid)
		for _, c := range m.Candidates {
			fmt.Fprintf(&b, "a=%s\r\n", c)
		}
		if m.Complete {
			b.WriteString("a=end-of-candidates\r\n")
		}
	}

	return b.String()
}

// withICE returns the description desc with the credentials and candidates
// of f in place of its own: the remote description after an ICE restart
// that a PATCH negotiated. Candidates go to the section of their mid; with
// BUNDLE, those of the first section to every section.
func withICE(desc string, f Fragment) string {
	candidates := map[string]FragmentMedia{}
	for _, m := range f.Media {
		candidates[m.Mid] = m
	}
	var out []string
	var section *FragmentMedia
	flush := func() {
		if section != nil {
			for _, c := range section.Candidates {
				out = append(out, "a="+c)
			}
			if section.Complete {
				out = append(out, "a=end-of-candidates")
			}
		}
		section = nil
	}
	for line := range strings.SplitSeq(strings.TrimRight(strings.ReplaceAll(desc, "\r\n", "\n"), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "m="):
			flush()
		case strings.HasPrefix(line, "a=ice-ufrag:"):
			line = "a=ice-ufrag:" + f.Ufrag
		case strings.HasPrefix(line, "a=ice-pwd:"):
			line = "a=ice-pwd:" + f.Pwd
		case strings.HasPrefix(line, "a=candidate:"), line == "a=end-of-candidates":
			continue
		case strings.HasPrefix(line, "a=mid:"):
			if m, ok := candidates[strings.TrimPrefix(line, "a=mid:")]; ok {
				section = &m
			} else if len(f.Media) == 1 {
				section = &f.Media[0]
			}
		}
		out = append(out, line)
	}
	flush()

	return strings.Join(out, "\r\n") + "\r\n"
}
