package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// offerWithCandidates is an offer of a fresh peer with n host candidates
// 10.g.x.y added, g telling generations apart; it closes that peer.
func offerWithCandidates(t testing.TB, n, g int) string {
	t.Helper()
	a := newPeer(t, loopbackConfig, newRecorder())
	defer func() { _ = a.Close() }()
	_, err := a.CreateDataChannel("x", DataChannelInit{})
	must(t, err)
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)

	return strings.Replace(offer, "a=sctp-port", candidateLines(n, g)+"a=sctp-port", 1)
}

func candidateLine(i, g int) string {
	return fmt.Sprintf("candidate:%d 1 udp 2130706431 10.%d.%d.%d 9 typ host", i, g, i>>8, i&255)
}

func candidateLines(n, g int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("a=" + candidateLine(i, g) + "\r\n")
	}

	return b.String()
}

// remoteCandidatesInStats counts the remote candidates pion's agent holds.
func remoteCandidatesInStats(t *testing.T, p *PeerConnection) int {
	t.Helper()
	b, err := p.Stats()
	must(t, err)
	var report map[string]struct {
		Type string `json:"type"`
	}
	must(t, json.Unmarshal(b, &report))
	n := 0
	for _, s := range report {
		if s.Type == "remote-candidate" {
			n++
		}
	}

	return n
}

func TestRemoteCandidatesAreCappedPerICEGeneration(t *testing.T) {
	b := newPeer(t, loopbackConfig, newRecorder())
	defer func() { _ = b.Close() }()
	err := b.SetRemoteDescription("offer", offerWithCandidates(t, MaxRemoteCandidates+1, 0))
	if !errors.Is(err, rtcerr.ErrTooLarge) || !strings.Contains(err.Error(), "remote ICE candidates") {
		t.Fatalf("an offer with %d candidates: got %v, want a too-large error", MaxRemoteCandidates+1, err)
	}
	must(t, b.SetRemoteDescription("offer", offerWithCandidates(t, MaxRemoteCandidates, 0)))
	must(t, b.AddICECandidate(candidateLine(0, 0), "", 0)) // a duplicate takes no room
	if err := b.AddICECandidate(candidateLine(0, 1), "", 0); !errors.Is(err, rtcerr.ErrTooLarge) {
		t.Fatalf("candidate %d: got %v, want a too-large error", MaxRemoteCandidates+1, err)
	}
	must(t, b.AddICECandidate("", "", 0)) // end of candidates
	must(t, b.SetLocalDescription("", ""))
	// What pion's agent pairs and checks, at a cost that grows with the
	// square of it, stays bounded.
	if n := remoteCandidatesInStats(t, b); n > MaxRemoteCandidates {
		t.Fatalf("the agent holds %d remote candidates", n)
	}
	// A remote ICE restart (new credentials) starts a new generation.
	restart := strings.NewReplacer("a=ice-ufrag:", "a=ice-ufrag:R", "a=ice-pwd:", "a=ice-pwd:R").
		Replace(offerWithCandidates(t, MaxRemoteCandidates, 2))
	must(t, b.SetRemoteDescription("offer", restart))
}

func TestRemoteCandidatesAcrossTrickleAndRenegotiation(t *testing.T) {
	b := newPeer(t, loopbackConfig, newRecorder())
	defer func() { _ = b.Close() }()
	offer := offerWithCandidates(t, 0, 0)
	must(t, b.SetRemoteDescription("offer", offer))
	for i := range MaxRemoteCandidates {
		must(t, b.AddICECandidate(candidateLine(i, 0), "", 0))
	}
	if err := b.AddICECandidate(candidateLine(0, 1), "", 0); !errors.Is(err, rtcerr.ErrTooLarge) {
		t.Fatalf("trickled candidate %d: got %v, want a too-large error", MaxRemoteCandidates+1, err)
	}
	must(t, b.SetLocalDescription("", ""))
	// The same offer again, now listing the trickled candidates, as a
	// remote's renegotiation does: no new candidate, nothing refused.
	again := strings.Replace(offer, "a=sctp-port", candidateLines(MaxRemoteCandidates, 0)+"a=sctp-port", 1)
	must(t, b.SetRemoteDescription("offer", again))
	withOneMore := strings.Replace(offer, "a=sctp-port", candidateLines(MaxRemoteCandidates+1, 0)+"a=sctp-port", 1)
	must(t, b.SetLocalDescription("", ""))
	if err := b.SetRemoteDescription("offer", withOneMore); !errors.Is(err, rtcerr.ErrTooLarge) {
		t.Fatalf("a renegotiation adding candidate %d: got %v, want a too-large error", MaxRemoteCandidates+1, err)
	}
}

// BenchmarkRemoteCandidateFlood times a remote that sends n candidates, in
// its offer or trickled: the adds, the answer (set_local_description) and
// the slowest of three stats calls while ICE checks run (the agent serves
// stats between checks). With the limit, all but the first
// MaxRemoteCandidates are refused.
//
//	scripts/netns-run.sh go test -run '^$' -bench RemoteCandidateFlood -benchtime 1x ./core/
func BenchmarkRemoteCandidateFlood(b *testing.B) {
	for _, trickle := range []bool{false, true} {
		for _, n := range []int{10000, 20000} {
			name := fmt.Sprintf("sdp/%d", n)
			if trickle {
				name = fmt.Sprintf("trickle/%d", n)
			}
			b.Run(name, func(b *testing.B) {
				offer, bare := offerWithCandidates(b, n, 0), offerWithCandidates(b, 0, 0)
				var add, answer, stats time.Duration
				for range b.N {
					p := newPeer(b, loopbackConfig, newRecorder())
					start := time.Now()
					if trickle || p.SetRemoteDescription("offer", offer) != nil {
						must(b, p.SetRemoteDescription("offer", bare))
						for i := range n {
							_ = p.AddICECandidate(candidateLine(i, 0), "", 0)
						}
					}
					add += time.Since(start)
					start = time.Now()
					must(b, p.SetLocalDescription("", ""))
					answer += time.Since(start)
					var slowest time.Duration
					for range 3 {
						time.Sleep(200 * time.Millisecond) // the checks run meanwhile
						start = time.Now()
						_, err := p.Stats()
						must(b, err)
						slowest = max(slowest, time.Since(start))
					}
					stats += slowest
					must(b, p.Close())
				}
				b.ReportMetric(float64(add.Microseconds())/1000/float64(b.N), "add-ms")
				b.ReportMetric(float64(answer.Microseconds())/1000/float64(b.N), "answer-ms")
				b.ReportMetric(float64(stats.Microseconds())/1000/float64(b.N), "stats-ms")
			})
		}
	}
}
