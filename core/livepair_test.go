package core

import (
	"fmt"
	"net"
	"testing"
	"time"
)

// livePair is two connected peers with an open channel a->b.
type livePair struct {
	a, b   *PeerConnection
	ra, rb *recorder
	ca     *DataChannel
	aAddr  *net.UDPAddr // a's end of the selected candidate pair
	bAddr  *net.UDPAddr
	probes int
}

func openLivePair(t testing.TB) *livePair {
	t.Helper()
	lp := &livePair{ra: newRecorder(), rb: newRecorder()}
	lp.a = newPeer(t, loopbackConfig, lp.ra)
	lp.b = newPeer(t, loopbackConfig, lp.rb)
	var err error
	lp.ca, err = lp.a.CreateDataChannel("target", DataChannelInit{})
	must(t, err)
	connect(t, lp.a, lp.b, lp.ra, lp.rb)
	lp.ra.waitFor(t, 10*time.Second, ofType(EventChannelOpen))
	pair, err := lp.b.pc.SCTP().Transport().ICETransport().GetSelectedCandidatePair()
	if err != nil || pair == nil {
		t.Fatalf("no selected candidate pair: %v", err)
	}
	lp.bAddr = &net.UDPAddr{IP: net.ParseIP(pair.Local.Address), Port: int(pair.Local.Port)}
	lp.aAddr = &net.UDPAddr{IP: net.ParseIP(pair.Remote.Address), Port: int(pair.Remote.Port)}

	return lp
}

func (lp *livePair) close() {
	_ = lp.a.Close()
	_ = lp.b.Close()
}

// stillWorks sends a probe each way and waits for it; any connection state
// but connected fails the test.
func (lp *livePair) stillWorks(t testing.TB) {
	t.Helper()
	lp.probes++
	probe := fmt.Sprintf("probe %d", lp.probes)
	must(t, lp.ca.Send([]byte(probe), false))
	lp.rb.waitFor(t, 10*time.Second, func(e *Event) bool {
		return e.Type == EventChannelMessage && string(e.Data) == probe
	})
	cb := lp.rb.waitFor(t, time.Second, ofType(EventDataChannel)).Channel
	must(t, cb.Send([]byte(probe), false))
	lp.ra.waitFor(t, 10*time.Second, func(e *Event) bool {
		return e.Type == EventChannelMessage && string(e.Data) == probe
	})
	bad := func(e *Event) bool {
		return e.Type == EventConnectionState && e.StateName != "connected" && e.StateName != "connecting" &&
			e.StateName != "new"
	}
	if lp.ra.count(bad)+lp.rb.count(bad) > 0 {
		t.Fatal("a connection left the connected state")
	}
}
