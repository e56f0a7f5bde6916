package core

import (
	"math/rand"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrentCallsWhileClosing is the C misuse test's thread storm at the
// Go level, where the race detector sees it: eight goroutines call everything
// on one peer and one channel while two others close them.
func TestConcurrentCallsWhileClosing(t *testing.T) {
	for round := range 4 {
		lp := openLivePair(t)
		var stop atomic.Bool
		var calls atomic.Int64
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func(seed int64) {
				defer wg.Done()
				r := rand.New(rand.NewSource(seed))
				for !stop.Load() {
					calls.Add(1)
					switch r.Intn(11) {
					case 0:
						checkKind(t, lp.ca.Send([]byte("storm"), false))
					case 1:
						_, err := lp.a.Stats()
						checkKind(t, err)
					case 2:
						_ = lp.a.ConnectionState()
					case 3:
						_ = lp.ca.Info()
					case 4:
						_ = lp.ca.BufferedAmount()
					case 5:
						lp.ca.SetBufferedAmountLowThreshold(uint64(r.Intn(1000)))
					case 6:
						_, err := lp.a.CreateDataChannel("storm", DataChannelInit{})
						checkKind(t, err)
					case 7:
						_, _, _ = lp.a.SessionDescription(Description(r.Intn(6)))
					case 8:
						_, err := lp.a.CreateOffer(OfferOptions{})
						checkKind(t, err)
					case 9:
						lp.ca.SetPaused(r.Intn(2) == 0)
					case 10:
						_ = lp.a.MaxMessageSize()
					}
				}
			}(int64(round*10 + g))
		}
		time.Sleep(time.Duration(20+round*30) * time.Millisecond)
		var closers sync.WaitGroup
		for range 2 {
			closers.Go(func() {
				checkKind(t, lp.ca.Close())
				checkKind(t, lp.a.Close())
			})
		}
		closers.Wait()
		time.Sleep(20 * time.Millisecond)
		stop.Store(true)
		wg.Wait()
		lp.close()
		if calls.Load() < 100 {
			t.Fatalf("only %d calls", calls.Load())
		}
	}
}
