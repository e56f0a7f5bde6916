package core

import (
	"testing"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
)

// rtcpLoop stands for an interceptor that starts a loop in BindRTCPWriter.
type rtcpLoop struct {
	interceptor.NoOp
	bindings int
	writer   interceptor.RTCPWriter
}

func (r *rtcpLoop) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	r.bindings++
	r.writer = writer

	return writer
}

func TestLazyRTCPBindsWithTheFirstStream(t *testing.T) {
	inner := &rtcpLoop{}
	l := &lazyRTCP{Interceptor: inner}
	written := 0
	w := l.BindRTCPWriter(interceptor.RTCPWriterFunc(func([]rtcp.Packet, interceptor.Attributes) (int, error) {
		written++

		return 0, nil
	}))
	if _, err := w.Write(nil, nil); err != nil || written != 1 {
		t.Fatalf("a write before any stream: err %v, %d written", err, written)
	}
	if inner.bindings != 0 {
		t.Fatal("the loop started before any stream")
	}
	l.BindRemoteStream(&interceptor.StreamInfo{}, nil)
	l.BindLocalStream(&interceptor.StreamInfo{}, nil)
	if inner.bindings != 1 {
		t.Fatalf("the loop was bound %d times for two streams, want 1", inner.bindings)
	}
	if _, err := inner.writer.Write(nil, nil); err != nil || written != 2 {
		t.Fatalf("the loop's writer: err %v, %d written", err, written)
	}
	if _, err := w.Write(nil, nil); err != nil || written != 3 {
		t.Fatalf("a write after binding: err %v, %d written", err, written)
	}
}

func TestLazyRTCPNeverBindsAfterClose(t *testing.T) {
	inner := &rtcpLoop{}
	l := &lazyRTCP{Interceptor: inner}
	l.BindRTCPWriter(interceptor.RTCPWriterFunc(func([]rtcp.Packet, interceptor.Attributes) (int, error) { return 0, nil }))
	must(t, l.Close())
	l.BindLocalStream(&interceptor.StreamInfo{}, nil)
	if inner.bindings != 0 {
		t.Fatal("the loop started after close")
	}
}
