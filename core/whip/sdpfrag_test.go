package whip

import (
	"errors"
	"strings"
	"testing"

	"github.com/omnirtc/omnirtc/core"
)

const description = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:old\r\na=ice-pwd:oldpwd\r\n" +
	"a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\na=end-of-candidates\r\n" +
	"m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=ice-ufrag:old\r\na=ice-pwd:oldpwd\r\n" +
	"a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n"

// A description's ICE lines make a fragment that reads back the same.
func TestFragmentRoundTrip(t *testing.T) {
	f, err := ParseFragment(description)
	if err != nil {
		t.Fatal(err)
	}
	if f.Ufrag != "old" || f.Pwd != "oldpwd" || len(f.Media) != 2 || !f.Media[0].Complete || f.Media[1].Complete ||
		f.Media[1].Mid != "1" || f.Media[0].Candidates[0] != "candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host" {
		t.Fatalf("parsed %+v", f)
	}
	b := f.Bundled()
	want := "a=ice-ufrag:old\r\na=ice-pwd:oldpwd\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n" +
		"a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\na=end-of-candidates\r\n"
	if b.String() != want {
		t.Fatalf("fragment\n%q\nwant\n%q", b.String(), want)
	}
	again, err := ParseFragment(b.String())
	if err != nil || again.String() != want {
		t.Fatalf("read back %+v %v", again, err)
	}
	if _, err = ParseFragment("a=ice-ufrag:x\r\nnonsense\r\n"); !errors.Is(err, errFragment) {
		t.Fatalf("a malformed line: %v", err)
	}
}

// withICE puts a fragment's credentials in every section and its bundled
// candidates in place of the old ones.
func TestWithICE(t *testing.T) {
	f := Fragment{Ufrag: "new", Pwd: "newpwd", Media: []FragmentMedia{{
		MLine: "audio 9 UDP/TLS/RTP/SAVPF 111", Mid: "0", Complete: true,
		Candidates: []string{"candidate:2 1 udp 2130706431 127.0.0.1 6000 typ host"},
	}}}
	got := withICE(description, f)
	if strings.Contains(got, "old") || strings.Count(got, "a=ice-ufrag:new\r\n") != 2 ||
		strings.Count(got, "6000 typ host") != 2 || strings.Contains(got, "5000") ||
		strings.Count(got, "a=end-of-candidates") != 2 || !strings.HasPrefix(got, "v=0\r\n") {
		t.Fatalf("withICE:\n%s", got)
	}
}

// Link headers carry ICE servers with their credentials; other links and
// quoted commas do not confuse the reader.
func TestLinkHeaders(t *testing.T) {
	user, pass := "a,b", "c;d"
	servers := []core.ICEServer{
		{URLs: core.StringList{"stun:127.0.0.1:3478", "stun:127.0.0.1:3479"}},
		{URLs: core.StringList{"turn:127.0.0.1:3478"}, Username: &user, Credential: &pass},
	}
	links := linkHeaders(servers)
	if len(links) != 3 {
		t.Fatalf("links %q", links)
	}
	got := parseICEServers([]string{"<https://127.0.0.1/doc>; rel=\"help\", " + strings.Join(links, ", ")})
	if len(got) != 3 || got[1].URLs[0] != "stun:127.0.0.1:3479" || *got[2].Username != user || *got[2].Credential != pass {
		t.Fatalf("parsed %+v", got)
	}
}
