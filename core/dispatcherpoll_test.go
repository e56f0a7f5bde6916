package core

import (
	"errors"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// notifies is a notify function that counts into a channel.
func notifies() (func(), chan struct{}) {
	ch := make(chan struct{}, 1024)

	return func() { ch <- struct{}{} }, ch
}

// quiet reports whether no notify is due or running: what a test checks
// instead of waiting to see none arrive.
func quiet(d *dispatcher) bool {
	d.mu.Lock()
	defer d.mu.Unlock()

	return !d.polled.notifier.Due()
}

// A channel reads closed from the take of its EventChannelClose on: that
// take starts with it, so a host handling the batch before in order never
// sees the channel closed before its close event; the host that stopped at
// the short take is notified of the rest.
func TestPolledDispatcherStartsABatchWithAChannelClose(t *testing.T) {
	notify, notified := notifies()
	d := newPolledDispatcher(notify)
	closes := 0
	d.post(&Event{Type: EventChannelMessage})
	d.post(&Event{Type: EventChannelClose, taken: func() { closes++ }})
	d.post(&Event{Type: EventChannelMessage})
	<-notified
	batch, err := d.take(nil, 8)
	must(t, err)
	if len(batch) != 1 || closes != 0 {
		t.Fatalf("first take: %d events, close taken %d times", len(batch), closes)
	}
	<-notified
	batch, err = d.take(nil, 8)
	must(t, err)
	if len(batch) != 2 || batch[0].Type != EventChannelClose || closes != 1 {
		t.Fatalf("second take: %d events, close taken %d times", len(batch), closes)
	}
	d.release()
	closePolled(t, d)
}

func TestPolledDispatcherKeepsOrderInBatches(t *testing.T) {
	notify, _ := notifies()
	d := newPolledDispatcher(notify)
	for i := range 10 {
		d.post(&Event{Type: EventNegotiationNeeded, State: int32(i)})
		if i%2 == 0 {
			must(t, d.postMark(i))
		}
	}
	var got []*Event
	for {
		batch, err := d.take(nil, 3)
		must(t, err)
		got = append(got, batch...)
		d.release()
		if len(batch) < 3 {
			break
		}
	}
	if len(got) != 15 {
		t.Fatalf("took %d events, want 15", len(got))
	}
	// each message follows the control event with its mark
	next := 0
	for _, e := range got {
		want := next
		if e.Type == EventChannelMessage {
			want--
		}
		if e.State != int32(want) {
			t.Fatalf("event %+v out of order, want mark %d", e, want)
		}
		if e.Type == EventNegotiationNeeded {
			next++
		}
	}
	closePolled(t, d)
}

// closePolled finishes d and takes its final event, which ends its goroutine.
func closePolled(t *testing.T, d *dispatcher) {
	t.Helper()
	d.finish(&Event{Type: EventPeerClosed})
	batch, err := d.take(nil, 1)
	must(t, err)
	if len(batch) != 1 || batch[0].Type != EventPeerClosed {
		t.Fatalf("took %+v, want PEER_CLOSED alone", batch)
	}
	d.waitNotifier()
}

// postMark queues a message whose State is i (its order mark).
func (d *dispatcher) postMark(i int) error {
	if !d.postMessage(&Event{Type: EventChannelMessage, State: int32(i), Data: []byte{byte(i)}}) {
		return errors.New("postMessage refused")
	}

	return nil
}

func TestPolledDispatcherArming(t *testing.T) {
	notify, got := notifies()
	d := newPolledDispatcher(notify)
	d.post(&Event{Type: EventNegotiationNeeded})
	<-got // a peer starts armed
	d.post(&Event{Type: EventNegotiationNeeded})
	if !quiet(d) {
		t.Fatal("a second event before any take is due a notify")
	}
	batch, err := d.take(nil, 2)
	must(t, err)
	if len(batch) != 2 {
		t.Fatalf("took %d, want 2", len(batch))
	}
	// A full batch does not arm: the host takes again.
	d.post(&Event{Type: EventNegotiationNeeded})
	if !quiet(d) {
		t.Fatal("a take that filled its batch armed the notify")
	}
	batch, err = d.take(batch[:0], 2)
	must(t, err)
	if len(batch) != 1 {
		t.Fatalf("took %d, want 1", len(batch))
	}
	// Short batch: armed, so the next event notifies once.
	d.post(&Event{Type: EventNegotiationNeeded})
	<-got
	d.post(&Event{Type: EventNegotiationNeeded})
	if !quiet(d) {
		t.Fatal("notified twice in one burst")
	}
	closePolled(t, d)
	if len(got) != 0 {
		t.Fatalf("%d notifies for a disarmed peer's close", len(got))
	}
}

func TestPolledSlowHostHoldsAtMostTheBudgetAndLosesNothing(t *testing.T) {
	notify, got := notifies()
	d := newPolledDispatcher(notify)
	const messages = 200
	size := messageBudget / 16
	go func() {
		for i := range messages {
			data := make([]byte, size)
			data[0], data[1] = byte(i), byte(i>>8)
			if !d.postMessage(&Event{Type: EventChannelMessage, Data: data}) {
				return
			}
		}
	}()
	next := 0
	var batch []*Event
	for next < messages {
		<-got
		for {
			d.release()
			var err error
			batch, err = d.take(batch[:0], 4)
			must(t, err)
			d.mu.Lock()
			spent := d.budget
			d.mu.Unlock()
			if spent > messageBudget {
				t.Fatalf("queued and held %d bytes, over the budget %d", spent, messageBudget)
			}
			for _, e := range batch {
				if i := int(e.Data[0]) | int(e.Data[1])<<8; i != next {
					t.Fatalf("message %d arrived as #%d", i, next)
				}
				next++
			}
			time.Sleep(time.Millisecond) // a slow host: the readers fill the budget
			if len(batch) < 4 {
				break
			}
		}
	}
	closePolled(t, d)
}

func TestPolledHostHoldingTheBudgetIsNotifiedToRelease(t *testing.T) {
	notify, got := notifies()
	d := newPolledDispatcher(notify)
	big := make([]byte, messageBudget-messageOverhead)
	posted := make(chan bool, 2)
	go func() {
		posted <- d.postMessage(&Event{Type: EventChannelMessage, Data: big})
		posted <- d.postMessage(&Event{Type: EventChannelMessage, Data: big})
	}()
	<-posted
	<-got
	batch, err := d.take(nil, 8) // short: armed, and holds the whole budget
	must(t, err)
	if len(batch) != 1 {
		t.Fatalf("took %d, want 1", len(batch))
	}
	// The second message waits for the budget this batch holds; without a
	// notify the host would wait for an event that never comes.
	<-got
	d.release()
	if !<-posted {
		t.Fatal("post refused")
	}
	closePolled(t, d)
}

func TestPolledCloseQueuesPeerClosedAloneAndLast(t *testing.T) {
	notify, got := notifies()
	d := newPolledDispatcher(notify)
	d.post(&Event{Type: EventNegotiationNeeded})
	<-got
	must(t, d.postMark(1))
	// finish never waits for the host, and drops what is pending.
	d.finish(&Event{Type: EventPeerClosed})
	if n := queuedEvents.Load(); n != 0 {
		t.Fatalf("%d events still counted as queued", n)
	}
	batch, err := d.take(nil, 8)
	must(t, err)
	if len(batch) != 1 || batch[0].Type != EventPeerClosed {
		t.Fatalf("took %+v, want PEER_CLOSED alone", batch)
	}
	d.waitNotifier() // returns: taking PEER_CLOSED ends the notify goroutine
	if _, err := d.take(nil, 8); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("take after PEER_CLOSED: %v", err)
	}
	if d.postMessage(&Event{Type: EventChannelMessage}) {
		t.Fatal("post accepted after finish")
	}
}

func TestPolledCloseNotifiesAnArmedHost(t *testing.T) {
	notify, got := notifies()
	d := newPolledDispatcher(notify)
	d.finish(&Event{Type: EventPeerClosed})
	<-got
	batch, err := d.take(nil, 8)
	must(t, err)
	if len(batch) != 1 || batch[0].Type != EventPeerClosed {
		t.Fatalf("took %+v", batch)
	}
}

func TestPolledCloseAndTakeInsideNotifyReturn(t *testing.T) {
	var d *dispatcher
	took := make(chan []*Event, 1)
	failed := make(chan error, 1)
	d = newPolledDispatcher(func() {
		d.finish(&Event{Type: EventPeerClosed}) // inside notify: must not wait for itself
		batch, err := d.take(nil, 8)
		failed <- err
		took <- batch
	})
	d.post(&Event{Type: EventNegotiationNeeded})
	must(t, <-failed)
	batch := <-took
	if len(batch) != 1 || batch[0].Type != EventPeerClosed {
		t.Fatalf("took %+v", batch)
	}
	<-d.done
}

func TestTakeFromAPushDispatcherIsAStateError(t *testing.T) {
	d := newDispatcher(func(*Event) {})
	defer d.finish(&Event{Type: EventPeerClosed})
	if _, err := d.take(nil, 1); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("take on a push dispatcher: %v", err)
	}
}

func TestPolledMediaIsQueuedAsACopyUnderTheBudget(t *testing.T) {
	notify, got := notifies()
	d := newPolledDispatcher(notify)
	buf := []byte{1, 2, 3}
	e := &Event{Type: EventTrackRTP, Data: buf}
	if !d.deliver(1, e) {
		t.Fatal("deliver refused")
	}
	buf[0] = 9 // the reader reuses its buffer
	<-got
	batch, err := d.take(nil, 8)
	must(t, err)
	if len(batch) != 1 || batch[0] == e || batch[0].Data[0] != 1 || batch[0].cost == 0 {
		t.Fatalf("took %+v, want a costed copy", batch)
	}
	closePolled(t, d)
}

func TestTrackReceiveDefaultAppliesFromTheFirstPacket(t *testing.T) {
	_, b, _, rb, track, _ := videoCall(t) //nolint:dogsled // only the receiving side matters
	b.SetTrackReceive(&ReceiveOptions{Mode: "rtp"})
	go func() {
		for i := range 30 {
			_ = track.WriteSample("", vp8Frame(i, 1000), 33*time.Millisecond)
			time.Sleep(5 * time.Millisecond)
		}
	}()
	rb.waitFor(t, 10*time.Second, ofType(EventTrack))
	rb.waitFor(t, 10*time.Second, ofType(EventTrackRTP))
	if n := rb.count(ofType(EventTrackFrame)); n != 0 {
		t.Fatalf("%d frames before the default rtp mode applied", n)
	}
}
