package core

import (
	"sync"
	"sync/atomic"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
)

// lazyRTCPFactory makes interceptors whose RTCP loop starts with the first
// media stream instead of with the peer connection. Reports, the NACK
// generator and TWCC feedback each run a ticking goroutine from
// BindRTCPWriter on; a peer with data channels only never needs one
// (issue 24: goroutines per idle peer).
type lazyRTCPFactory struct {
	inner interceptor.Factory
}

// NewInterceptor wraps the inner factory's interceptor.
func (f lazyRTCPFactory) NewInterceptor(id string) (interceptor.Interceptor, error) {
	i, err := f.inner.NewInterceptor(id)
	if err != nil {
		return nil, err
	}

	return &lazyRTCP{Interceptor: i}, nil
}

// lazyRTCP holds back its interceptor's BindRTCPWriter until a stream binds.
type lazyRTCP struct {
	interceptor.Interceptor

	mu     sync.Mutex
	writer interceptor.RTCPWriter // what BindRTCPWriter was given
	bound  bool
	closed bool
	out    atomic.Pointer[interceptor.RTCPWriter] // the inner's writer once bound
}

// BindRTCPWriter keeps writer for the first stream and returns a writer that
// goes through the inner interceptor's once that is bound.
func (l *lazyRTCP) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	l.mu.Lock()
	l.writer = writer
	l.mu.Unlock()

	return interceptor.RTCPWriterFunc(func(pkts []rtcp.Packet, attributes interceptor.Attributes) (int, error) {
		if out := l.out.Load(); out != nil {
			return (*out).Write(pkts, attributes)
		}

		return writer.Write(pkts, attributes)
	})
}

// bind hands the inner interceptor its writer, once, unless closed.
func (l *lazyRTCP) bind() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bound || l.closed || l.writer == nil {
		return
	}
	l.bound = true
	out := l.Interceptor.BindRTCPWriter(l.writer)
	l.out.Store(&out)
}

// BindLocalStream starts the RTCP loop, then binds the stream.
func (l *lazyRTCP) BindLocalStream(info *interceptor.StreamInfo, writer interceptor.RTPWriter) interceptor.RTPWriter {
	l.bind()

	return l.Interceptor.BindLocalStream(info, writer)
}

// BindRemoteStream starts the RTCP loop, then binds the stream.
func (l *lazyRTCP) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	l.bind()

	return l.Interceptor.BindRemoteStream(info, reader)
}

// Close closes the inner interceptor; a loop not started never starts.
func (l *lazyRTCP) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()

	return l.Interceptor.Close()
}
