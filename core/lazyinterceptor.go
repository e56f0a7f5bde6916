package core

import (
	"sync"
	"sync/atomic"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
)

// lazyFactory makes interceptors that are created with the first media
// stream instead of with the peer connection. A peer with data channels only
// never needs the NACK responder's packet pools, the reports' and NACK
// generator's state or their ticking RTCP loops, which start in
// BindRTCPWriter (issue 24: goroutines and memory per idle peer).
type lazyFactory struct {
	inner interceptor.Factory
}

// NewInterceptor returns the lazy shell of the inner factory's interceptor.
func (f lazyFactory) NewInterceptor(id string) (interceptor.Interceptor, error) {
	return &lazyInterceptor{factory: f.inner, id: id}, nil
}

// lazyInterceptor passes RTCP through until a stream binds; then it creates
// its interceptor and binds to it the RTCP writer and the readers it was
// given, in order, so everything after goes through it.
type lazyInterceptor struct {
	factory interceptor.Factory
	id      string

	mu      sync.Mutex
	inner   interceptor.Interceptor // nil until the first stream, or after close
	pending []func(interceptor.Interceptor)
	closed  bool
}

// created returns the interceptor, created (once, unless closed) now if it
// was not yet; nil after close or when the factory fails (the factories made
// lazy take no options, so they do not).
func (l *lazyInterceptor) created() interceptor.Interceptor {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inner == nil && !l.closed {
		inner, err := l.factory.NewInterceptor(l.id)
		if err != nil {
			return nil
		}
		l.inner = inner
		for _, bind := range l.pending {
			bind(inner)
		}
		l.pending = nil
	}

	return l.inner
}

// current returns the interceptor if it exists, without creating it.
func (l *lazyInterceptor) current() interceptor.Interceptor {
	l.mu.Lock()
	defer l.mu.Unlock()

	return l.inner
}

// bindLater runs bind with the interceptor once it exists (at once if it does).
func (l *lazyInterceptor) bindLater(bind func(interceptor.Interceptor)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inner != nil {
		bind(l.inner)
	} else if !l.closed {
		l.pending = append(l.pending, bind)
	}
}

// BindRTCPReader returns a reader that goes through the interceptor's once
// it exists, and straight to reader before.
func (l *lazyInterceptor) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	var bound atomic.Pointer[interceptor.RTCPReader]
	l.bindLater(func(inner interceptor.Interceptor) {
		r := inner.BindRTCPReader(reader)
		bound.Store(&r)
	})

	return interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		if r := bound.Load(); r != nil {
			return (*r).Read(b, a)
		}

		return reader.Read(b, a)
	})
}

// BindRTCPWriter returns a writer that goes through the interceptor's once
// it exists, and straight to writer before.
func (l *lazyInterceptor) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	var bound atomic.Pointer[interceptor.RTCPWriter]
	l.bindLater(func(inner interceptor.Interceptor) {
		w := inner.BindRTCPWriter(writer)
		bound.Store(&w)
	})

	return interceptor.RTCPWriterFunc(func(pkts []rtcp.Packet, a interceptor.Attributes) (int, error) {
		if w := bound.Load(); w != nil {
			return (*w).Write(pkts, a)
		}

		return writer.Write(pkts, a)
	})
}

// BindLocalStream creates the interceptor if needed and binds the stream.
func (l *lazyInterceptor) BindLocalStream(info *interceptor.StreamInfo, writer interceptor.RTPWriter) interceptor.RTPWriter {
	if inner := l.created(); inner != nil {
		return inner.BindLocalStream(info, writer)
	}

	return writer
}

// UnbindLocalStream unbinds the stream from the interceptor, if any.
func (l *lazyInterceptor) UnbindLocalStream(info *interceptor.StreamInfo) {
	if inner := l.current(); inner != nil {
		inner.UnbindLocalStream(info)
	}
}

// BindRemoteStream creates the interceptor if needed and binds the stream.
func (l *lazyInterceptor) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	if inner := l.created(); inner != nil {
		return inner.BindRemoteStream(info, reader)
	}

	return reader
}

// UnbindRemoteStream unbinds the stream from the interceptor, if any.
func (l *lazyInterceptor) UnbindRemoteStream(info *interceptor.StreamInfo) {
	if inner := l.current(); inner != nil {
		inner.UnbindRemoteStream(info)
	}
}

// Close closes the interceptor if it was created; none is created after.
func (l *lazyInterceptor) Close() error {
	l.mu.Lock()
	inner := l.inner
	l.closed, l.pending = true, nil
	l.mu.Unlock()
	if inner == nil {
		return nil
	}

	return inner.Close()
}
