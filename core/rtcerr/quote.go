package rtcerr

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// maxQuoted is how much of an input an error message repeats: enough to
// recognize it, never the megabytes a bad input may carry.
const maxQuoted = 64

// Quote returns s quoted for an error message. Input longer than maxQuoted
// bytes is cut and its length given instead.
func Quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}

	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(CutUTF8(s, maxQuoted)), len(s))
}

// Brief returns a dependency's error message for one of ours, cut like
// quoted input: pion's may repeat the whole input (netip's ParseAddr does).
func Brief(err error) string {
	msg := err.Error()
	if len(msg) <= 2*maxQuoted {
		return msg
	}

	return CutUTF8(msg, 2*maxQuoted) + "…"
}

// CutUTF8 returns the longest prefix of s of at most n bytes that does not
// split a character.
func CutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}

	return s[:n]
}
