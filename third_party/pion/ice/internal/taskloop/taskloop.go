// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

// Package taskloop implements a task loop to run
// tasks sequentially, each on the goroutine that submits it.
package taskloop

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrClosed indicates that the loop has been stopped.
var ErrClosed = errors.New("the agent is closed")

// Loop runs submitted tasks serially, each on its caller's goroutine, one at
// a time: a goroutine per agent waiting for tasks cost an idle agent its
// stack.
type Loop struct {
	slot chan struct{} // holds one token while a task (or the close) runs

	// State for closing
	done         chan struct{}
	taskLoopDone chan struct{}
	closeOnce    sync.Once
	onClose      func()

	afterMu sync.Mutex
	after   map[*afterFunc]struct{} // nil once closed
}

type afterFunc struct{ f func() }

// New creates a new task loop.
func New(onClose func()) *Loop {
	return &Loop{
		slot:         make(chan struct{}, 1),
		done:         make(chan struct{}),
		taskLoopDone: make(chan struct{}),
		onClose:      onClose,
		after:        map[*afterFunc]struct{}{},
	}
}

// Close stops the loop after finishing the execution of the current task.
// Other pending tasks will not be executed.
func (l *Loop) Close() {
	l.CloseWithPreStop(nil)
}

// CloseWithPreStop stops the loop after finishing the execution of the current task.
// It calls preStop after the loop is marked closed and before waiting for the
// current task to return.
func (l *Loop) CloseWithPreStop(preStop func()) {
	l.closeOnce.Do(func() {
		close(l.done)
		l.afterMu.Lock()
		after := l.after
		l.after = nil
		l.afterMu.Unlock()
		for a := range after {
			go a.f()
		}
		if preStop != nil {
			preStop()
		}
		l.slot <- struct{}{} // held for good: no task runs after
		l.onClose()
		close(l.taskLoopDone)
	})
	<-l.taskLoopDone
}

// Run serially executes the submitted callback.
// Blocking tasks must be cancelable by context.
func (l *Loop) Run(ctx context.Context, t func(context.Context)) error {
	if err := l.Err(); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-l.done:
		return ErrClosed
	case l.slot <- struct{}{}:
	}
	defer func() { <-l.slot }()
	// The slot and a close may have been ready at once.
	if err := l.Err(); err != nil {
		return err
	}
	t(l)

	return nil
}

// The following methods implement context.Context for TaskLoop

// Done returns a channel that's closed when the task loop has been stopped.
func (l *Loop) Done() <-chan struct{} {
	return l.done
}

// Err returns nil if the task loop is still running.
// Otherwise it return errClosed if the loop has been closed/stopped.
func (l *Loop) Err() error {
	select {
	case <-l.done:
		return ErrClosed
	default:
		return nil
	}
}

// AfterFunc calls f on its own goroutine once the loop is stopped, as
// context.AfterFunc does; stop reports whether it kept f from being called.
// A context derived from the loop (context.WithCancel) uses it instead of a
// goroutine that waits for the loop to stop.
func (l *Loop) AfterFunc(f func()) (stop func() bool) {
	l.afterMu.Lock()
	defer l.afterMu.Unlock()
	if l.after == nil {
		go f()

		return func() bool { return false }
	}
	a := &afterFunc{f}
	l.after[a] = struct{}{}

	return func() bool {
		l.afterMu.Lock()
		defer l.afterMu.Unlock()
		_, ok := l.after[a]
		delete(l.after, a)

		return ok
	}
}

// Deadline returns the no valid time as task loops have no deadline.
func (l *Loop) Deadline() (deadline time.Time, ok bool) {
	return time.Time{}, false
}

// Value is not supported for task loops.
func (l *Loop) Value(any) any {
	return nil
}
