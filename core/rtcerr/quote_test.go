package rtcerr

import (
	"errors"
	"strings"
	"testing"
)

func TestQuoteKeepsAShortPrefixOfLongInput(t *testing.T) {
	if got := Quote("vp8"); got != `"vp8"` {
		t.Fatalf("short input: %s", got)
	}
	long := strings.Repeat("é", 4<<20) // 8 MiB, two bytes a character
	got := Quote(long)
	if len(got) > 2*maxQuoted || !strings.HasPrefix(got, `"éé`) || !strings.HasSuffix(got, "(8388608 bytes)") {
		t.Fatalf("long input quoted as %d bytes: %.200s", len(got), got)
	}
	if got := Brief(errors.New("ParseAddr(" + long + ")")); len(got) > 3*maxQuoted || !strings.HasSuffix(got, "é…") {
		t.Fatalf("a long message of a dependency came through as %d bytes: %.200s", len(got), got)
	}
}
