// Package notifier holds the rule by which a polling host learns that events
// wait for it (omnirtc_notify_cb), for polled peer connections and polled
// TURN servers alike: one wake-up per burst, none after the final event.
package notifier

import (
	"sync"

	"github.com/omnirtc/omnirtc/core/internal/goroutine"
)

// Notifier calls notify once when its owner's queue goes from empty to
// non-empty while it is armed; a take that leaves the queue empty arms it
// again. So a host that takes until it gets fewer events than it asked for
// after each notify misses none and gets one wake-up per burst. notify runs
// on a goroutine started for the burst, which ends once no notify is owed:
// an idle owner holds none (issue 24). Taking the final event, or Stop,
// ends notifying.
//
// The owner's mutex guards it: every method but Wait is called with it
// held, and notify runs without it.
type Notifier struct {
	notify     func()
	ended      func()     // called once, with the mutex held, when notifying is over
	idle       *sync.Cond // on the owner's mutex: the goroutine returned
	armed      bool
	due        bool // notify is owed: the goroutine calls it
	running    bool // a notify goroutine runs
	finalTaken bool
	quiet      bool   // Stop was called: the host is told nothing more
	runner     uint64 // goroutine id of the running notify goroutine
}

// New returns an armed Notifier guarded by mu. ended, if not nil, is called
// once, with mu held, when no notify runs or will start again (after
// TookFinal or Stop).
func New(mu *sync.Mutex, notify, ended func()) *Notifier {
	return &Notifier{notify: notify, ended: ended, idle: sync.NewCond(mu), armed: true}
}

// run calls notify while one is owed, then returns.
func (n *Notifier) run() {
	n.idle.L.Lock()
	n.runner = goroutine.ID()
	for n.due && !n.finalTaken && !n.quiet {
		n.due = false
		n.idle.L.Unlock()
		n.notify()
		n.idle.L.Lock()
	}
	n.running, n.runner = false, 0
	n.idle.Broadcast()
	n.over()
	n.idle.L.Unlock()
}

// over calls ended once notifying is over and no goroutine runs.
func (n *Notifier) over() {
	if (n.finalTaken || n.quiet) && !n.running && n.ended != nil {
		ended := n.ended
		n.ended = nil
		ended()
	}
}

// Queued notes that an event (or the final one) was queued: an armed
// Notifier disarms and owes the host a notify.
func (n *Notifier) Queued() {
	if n.armed {
		n.armed = false
		n.due = true
		if !n.running && !n.finalTaken && !n.quiet {
			n.running = true
			go n.run()
		}
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
// tells its host nothing, that there is none to take): notifying ends.
func (n *Notifier) TookFinal() {
	n.finalTaken = true
	n.over()
}

// FinalTaken reports whether TookFinal was called.
func (n *Notifier) FinalTaken() bool { return n.finalTaken }

// Stop ends notifying without a final event, so no notify starts once
// the running one (if any) returned; Wait waits for that.
func (n *Notifier) Stop() {
	n.quiet = true
	n.over()
}

// Wait returns once no notify runs, so after TookFinal or Stop none runs
// again; at once when called from inside notify.
func (n *Notifier) Wait() {
	n.idle.L.Lock()
	defer n.idle.L.Unlock()
	if n.runner == goroutine.ID() {
		return
	}
	for n.running {
		n.idle.Wait()
	}
}
