// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package netctx

import (
	"context"
	"io"
	"net"
	"sync"
	"time"
)

// ReaderFrom is an interface for context controlled packet reader.
type ReaderFrom interface {
	ReadFromContext(context.Context, []byte) (int, net.Addr, error)
}

// WriterTo is an interface for context controlled packet writer.
type WriterTo interface {
	WriteToContext(context.Context, []byte, net.Addr) (int, error)
}

// PacketConn is a wrapper of net.PacketConn using context.Context.
type PacketConn interface {
	ReaderFrom
	WriterTo
	io.Closer
	LocalAddr() net.Addr
	Conn() net.PacketConn
}

type packetConn struct {
	nextConn   net.PacketConn
	closed     chan struct{}
	closeOnce  sync.Once
	readMu     sync.Mutex
	writeMu    sync.Mutex
	readWatch  deadlineWatch // held with readMu
	writeWatch deadlineWatch // held with writeMu
}

// NewPacketConn creates a new PacketConn wrapping the given net.PacketConn.
func NewPacketConn(pconn net.PacketConn) PacketConn {
	p := &packetConn{
		nextConn:   pconn,
		closed:     make(chan struct{}),
		readWatch:  deadlineWatch{setDeadline: pconn.SetReadDeadline},
		writeWatch: deadlineWatch{setDeadline: pconn.SetWriteDeadline},
	}

	return p
}

// ReadFromContext reads a packet from the connection,
// copying the payload into p. It returns the number of
// bytes copied into p and the return address that
// was on the packet.
// It returns the number of bytes read (0 <= n <= len(p))
// and any error encountered. Callers should always process
// the n > 0 bytes returned before considering the error err.
// Unlike net.PacketConn.ReadFrom(), the provided context is
// used to control timeout.
func (p *packetConn) ReadFromContext(ctx context.Context, b []byte) (int, net.Addr, error) { //nolint:cyclop
	p.readMu.Lock()
	defer p.readMu.Unlock()

	select {
	case <-p.closed:
		return 0, nil, net.ErrClosed
	default:
	}

	p.readWatch.begin(ctx)
	n, raddr, err := p.nextConn.ReadFrom(b)
	errSetDeadline := p.readWatch.end()
	if e := ctx.Err(); e != nil && n == 0 {
		err = e
	}
	if err == nil && errSetDeadline != nil {
		err = errSetDeadline
	}

	return n, raddr, err
}

// ReadableWaiter is a connection that can wait for a packet without taking it
// (OmniRTC patch): packetio.Buffer and the connections that read from one.
type ReadableWaiter interface {
	WaitReadable() error
}

// WaitReadableContext waits, under ctx as ReadFromContext would read, until
// the wrapped connection has a packet to read, so that the caller takes its
// read buffer only then (OmniRTC patch). Over a connection that is not a
// ReadableWaiter it returns nil at once, and the read itself waits.
func (p *packetConn) WaitReadableContext(ctx context.Context) error {
	waiter, ok := p.nextConn.(ReadableWaiter)
	if !ok {
		return nil
	}
	p.readMu.Lock()
	defer p.readMu.Unlock()

	select {
	case <-p.closed:
		return net.ErrClosed
	default:
	}

	p.readWatch.begin(ctx)
	err := waiter.WaitReadable()
	errSetDeadline := p.readWatch.end()
	if e := ctx.Err(); e != nil {
		err = e
	}
	if err == nil && errSetDeadline != nil {
		err = errSetDeadline
	}

	return err
}

// WriteToContext writes a packet with payload p to addr.
// Unlike net.PacketConn.WriteTo(), the provided context
// is used to control timeout.
// On packet-oriented connections, write timeouts are rare.
func (p *packetConn) WriteToContext(ctx context.Context, b []byte, raddr net.Addr) (int, error) { //nolint:cyclop
	p.writeMu.Lock()
	defer p.writeMu.Unlock()

	select {
	case <-p.closed:
		return 0, ErrClosing
	default:
	}

	p.writeWatch.begin(ctx)
	n, err := p.nextConn.WriteTo(b, raddr)
	errSetDeadline := p.writeWatch.end()
	if e := ctx.Err(); e != nil && n == 0 {
		err = e
	}
	if err == nil && errSetDeadline != nil {
		err = errSetDeadline
	}

	return n, err
}

// Close closes the connection.
// Any blocked ReadFromContext or WriteToContext operations will be unblocked
// and return errors.
func (p *packetConn) Close() error {
	err := p.nextConn.Close()
	p.closeOnce.Do(func() {
		p.writeMu.Lock()
		p.readMu.Lock()
		close(p.closed)
		p.readMu.Unlock()
		p.writeMu.Unlock()
	})

	return err
}

// LocalAddr returns the local network address, if known.
func (p *packetConn) LocalAddr() net.Addr {
	return p.nextConn.LocalAddr()
}

// Conn returns the underlying net.PacketConn.
func (p *packetConn) Conn() net.PacketConn {
	return p.nextConn
}

// deadlineWatch (OmniRTC patch) makes the end of a call's context interrupt
// the I/O in progress by moving the connection's deadline into the past, and
// clears the deadline after that I/O, as a goroutine per call did before. It
// registers with context.AfterFunc once per context and keeps the
// registration while calls pass the same one (dtls passes one per connection
// for reads, one per write deadline for writes), so a call allocates nothing.
// The deadline moves only while an I/O is in progress. begin and end are
// called with the direction's mutex held.
type deadlineWatch struct {
	setDeadline func(time.Time) error
	ctx         context.Context //nolint:containedctx
	stop        func() bool

	mu          sync.Mutex
	generation  uint64 // of ctx, so that a stale AfterFunc does nothing
	done        bool   // ctx has ended
	inIO        bool
	interrupted bool  // the deadline was moved during this I/O
	err         error // from moving it
}

// begin is called before the I/O, with its context.
func (w *deadlineWatch) begin(ctx context.Context) {
	if ctx != w.ctx {
		if w.stop != nil {
			w.stop()
		}
		w.mu.Lock()
		w.generation++
		generation := w.generation
		w.done = false
		w.mu.Unlock()
		w.ctx, w.stop = ctx, nil
		if ctx.Done() != nil {
			w.stop = context.AfterFunc(ctx, func() { w.ended(generation) })
		}
	}
	w.mu.Lock()
	w.inIO = true
	if w.done {
		w.interrupt()
	}
	w.mu.Unlock()
}

func (w *deadlineWatch) ended(generation uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if generation != w.generation {
		return
	}
	w.done = true
	if w.inIO {
		w.interrupt()
	}
}

// interrupt moves the deadline into the past, once per I/O; w.mu is held.
func (w *deadlineWatch) interrupt() {
	if !w.interrupted {
		w.interrupted = true
		w.err = w.setDeadline(veryOld)
	}
}

// end is called after the I/O. If the deadline was moved, it clears it again
// (unless moving it failed) and returns the first error.
func (w *deadlineWatch) end() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inIO = false
	if !w.interrupted {
		return nil
	}
	w.interrupted = false
	if err := w.err; err != nil {
		w.err = nil

		return err
	}

	return w.setDeadline(time.Time{})
}
