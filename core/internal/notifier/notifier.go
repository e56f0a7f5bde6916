// Package notifier holds the rule by which a polling host learns that events
// wait for it (omnirtc_notify_cb), for polled peer connections and polled
// TURN servers alike: one wake-up per burst, none after the final event.
package notifier

import (
	"sync"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
)

// Notifier calls notify on a goroutine of its own (Run) once when its owner's
// queue goes from empty to non-empty while it is armed; a take that leaves
// the queue empty arms it again. So a host that takes until it gets fewer
// events than it asked for after each notify misses none and gets one
// wake-up per burst. Taking the final event, or Stop, ends the goroutine.
//
// The owner's mutex guards it: every method but Run and Wait is called with
// it held, and notify runs without it.
type Notifier struct {
	notify     func()
	wake       *sync.Cond // on the owner's mutex
	armed      bool
	due        bool // notify is owed: the goroutine calls it
	finalTaken bool
	quiet      bool   // Stop was called: the host is told nothing more
	runner     uint64 // goroutine id of Run
	done       chan struct{}
}

// New returns an armed Notifier guarded by mu; its owner starts Run.
func New(mu *sync.Mutex, notify func()) *Notifier {
	return &Notifier{notify: notify, wake: sync.NewCond(mu), armed: true, done: make(chan struct{})}
}

// Run is the notify goroutine: it closes ready once it runs, then calls
// notify whenever one is due, until the final event was taken or Stop.
func (n *Notifier) Run(ready chan<- struct{}) {
	defer close(n.done)
	n.wake.L.Lock()
	n.runner = goroutine.ID()
	close(ready)
	for {
		for !n.due && !n.finalTaken && !n.quiet {
			n.wake.Wait()
		}
		if n.finalTaken || n.quiet {
			n.wake.L.Unlock()

			return
		}
		n.due = false
		n.wake.L.Unlock()
		n.notify()
		n.wake.L.Lock()
	}
}

// Queued notes that an event (or the final one) was queued: an armed
// Notifier disarms and owes the host a notify.
func (n *Notifier) Queued() {
	if n.armed {
		n.armed = false
		n.due = true
		n.wake.Signal()
	}
}

// Rearm arms the Notifier after a take that left the queue empty (fewer
// events than asked for). owed says the host must be told at once anyway:
// something it has to take or release still waits for it.
func (n *Notifier) Rearm(owed bool) {
	n.armed = true
	if owed {
		n.Queued()
	}
}

// Due reports whether a notify is owed and not yet started.
func (n *Notifier) Due() bool { return n.due }

// TookFinal notes that the host took the final event (or, for an owner that
// tells its host nothing, that there is none to take): the goroutine ends.
func (n *Notifier) TookFinal() {
	n.finalTaken = true
	n.wake.Signal()
}

// FinalTaken reports whether TookFinal was called.
func (n *Notifier) FinalTaken() bool { return n.finalTaken }

// Stop ends the goroutine without a final event, so no notify starts once
// the running one (if any) returned; Wait waits for that.
func (n *Notifier) Stop() {
	n.quiet = true
	n.wake.Signal()
}

// Wait returns once the goroutine ended, after TookFinal or Stop, so no
// notify runs after; at once when called from inside notify. Run must have
// closed ready.
func (n *Notifier) Wait() {
	if n.runner != goroutine.ID() {
		<-n.done
	}
}
