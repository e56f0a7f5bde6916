package core

import (
	"testing"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
)

// countingFactory makes recordingInterceptors and counts them.
type countingFactory struct {
	made []*recordingInterceptor
}

func (f *countingFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	i := &recordingInterceptor{}
	f.made = append(f.made, i)

	return i, nil
}

// recordingInterceptor counts what passes through it and what it was bound to.
type recordingInterceptor struct {
	interceptor.NoOp
	readers, writers, streams, read, written int
	closed                                   bool
}

func (r *recordingInterceptor) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	r.readers++

	return interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		r.read++

		return reader.Read(b, a)
	})
}

func (r *recordingInterceptor) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	r.writers++

	return interceptor.RTCPWriterFunc(func(p []rtcp.Packet, a interceptor.Attributes) (int, error) {
		r.written++

		return writer.Write(p, a)
	})
}

func (r *recordingInterceptor) BindLocalStream(_ *interceptor.StreamInfo, w interceptor.RTPWriter) interceptor.RTPWriter {
	r.streams++

	return w
}

func (r *recordingInterceptor) BindRemoteStream(_ *interceptor.StreamInfo, rd interceptor.RTPReader) interceptor.RTPReader {
	r.streams++

	return rd
}

func (r *recordingInterceptor) Close() error {
	r.closed = true

	return nil
}

func TestLazyInterceptorIsCreatedWithTheFirstStream(t *testing.T) {
	f := &countingFactory{}
	l, err := lazyFactory{f}.NewInterceptor("")
	must(t, err)
	reads, writes := 0, 0
	reader := l.BindRTCPReader(interceptor.RTCPReaderFunc(func([]byte, interceptor.Attributes) (int, interceptor.Attributes, error) {
		reads++

		return 0, nil, nil
	}))
	writer := l.BindRTCPWriter(interceptor.RTCPWriterFunc(func([]rtcp.Packet, interceptor.Attributes) (int, error) {
		writes++

		return 0, nil
	}))
	rtcpRoundTrip(t, reader, writer)
	if len(f.made) != 0 || reads != 1 || writes != 1 {
		t.Fatalf("before any stream: %d made, %d read, %d written; want 0, 1, 1", len(f.made), reads, writes)
	}

	l.BindRemoteStream(&interceptor.StreamInfo{}, nil)
	l.BindLocalStream(&interceptor.StreamInfo{}, nil)
	if len(f.made) != 1 {
		t.Fatalf("%d interceptors made for two streams, want 1", len(f.made))
	}
	inner := f.made[0]
	if inner.readers != 1 || inner.writers != 1 || inner.streams != 2 {
		t.Fatalf("the interceptor got %d readers, %d writers, %d streams; want 1, 1, 2", inner.readers, inner.writers, inner.streams)
	}
	rtcpRoundTrip(t, reader, writer)
	if inner.read != 1 || inner.written != 1 || reads != 2 || writes != 2 {
		t.Fatalf("after the stream, RTCP did not go through the interceptor: %d/%d through, %d/%d in all",
			inner.read, inner.written, reads, writes)
	}
	// A reader bound now (a new sender) goes through it at once.
	l.BindRTCPReader(interceptor.RTCPReaderFunc(func([]byte, interceptor.Attributes) (int, interceptor.Attributes, error) {
		return 0, nil, nil
	}))
	if inner.readers != 2 {
		t.Fatalf("a reader bound after creation: %d readers, want 2", inner.readers)
	}
	must(t, l.Close())
	if !inner.closed {
		t.Fatal("close did not close the interceptor")
	}
}

// rtcpRoundTrip reads and writes once through reader and writer.
func rtcpRoundTrip(t *testing.T, reader interceptor.RTCPReader, writer interceptor.RTCPWriter) {
	t.Helper()
	if _, _, err := reader.Read(nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := writer.Write(nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestLazyInterceptorIsNeverCreatedAfterClose(t *testing.T) {
	f := &countingFactory{}
	l, err := lazyFactory{f}.NewInterceptor("")
	must(t, err)
	l.BindRTCPWriter(interceptor.RTCPWriterFunc(func([]rtcp.Packet, interceptor.Attributes) (int, error) { return 0, nil }))
	must(t, l.Close())
	l.BindLocalStream(&interceptor.StreamInfo{}, nil)
	if len(f.made) != 0 {
		t.Fatal("an interceptor was made after close")
	}
}
