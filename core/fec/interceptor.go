package fec

import (
	"io"
	"strings"
	"sync"

	"github.com/pion/interceptor"
)

// recoveredKey marks the attributes of a read that returns a rebuilt packet.
type recoveredKey struct{}

// Recovered reports whether a read's attributes carry a rebuilt packet, one
// that never arrived (transport-wide feedback must not report it received).
func Recovered(a interceptor.Attributes) bool {
	v, ok := a[recoveredKey{}].(bool)

	return ok && v
}

// InterceptorFactory makes the FlexFEC decoder of each peer connection.
type InterceptorFactory struct {
	onNew func(*Interceptor)
}

// NewInterceptorFactory returns a factory; onNew receives each decoder (for
// its Stats).
func NewInterceptorFactory(onNew func(*Interceptor)) *InterceptorFactory {
	return &InterceptorFactory{onNew: onNew}
}

// NewInterceptor makes the decoder of one peer connection.
func (f *InterceptorFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	i := &Interceptor{bySSRC: map[uint32]*stream{}, byRepairSSRC: map[uint32]*stream{}}
	if f.onNew != nil {
		f.onNew(i)
	}

	return i, nil
}

// Interceptor rebuilds lost media packets from the FlexFEC-03 repair stream
// that protects them (the stream whose SSRC the media stream's
// SSRCForwardErrorCorrection names) and hands each rebuilt packet on as the
// media stream's next read, before the interceptors after it (the NACK
// generator, which so never asks for it) and the track's jitter buffer. A
// packet rebuilt while the media stream's reader waits is read after the
// next packet that arrives.
type Interceptor struct {
	interceptor.NoOp
	mu           sync.Mutex
	bySSRC       map[uint32]*stream
	byRepairSSRC map[uint32]*stream
}

type stream struct {
	window *Window
	ready  [][]byte // rebuilt, not read yet
}

// Stats returns the repair counts of the media stream ssrc; false when that
// stream has no repair stream.
func (i *Interceptor) Stats(ssrc uint32) (Stats, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	s, ok := i.bySSRC[ssrc]
	if !ok {
		return Stats{}, false
	}

	return s.window.Stats(), true
}

// BindRemoteStream keeps the packets of a protected media stream, and feeds
// a repair stream's packets to the window of the stream they protect.
func (i *Interceptor) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	i.mu.Lock()
	defer i.mu.Unlock()
	if strings.Contains(strings.ToLower(info.MimeType), "flexfec") {
		s, ok := i.byRepairSSRC[info.SSRC]
		if !ok {
			return reader
		}

		return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
			n, attr, err := reader.Read(b, a)
			if err == nil {
				i.mu.Lock()
				s.ready = append(s.ready, s.window.AddRepair(b[:n])...)
				i.mu.Unlock()
			}

			return n, attr, err
		})
	}
	if info.SSRCForwardErrorCorrection == 0 {
		return reader
	}
	s := &stream{window: NewWindow(info.SSRC)}
	i.bySSRC[info.SSRC] = s
	i.byRepairSSRC[info.SSRCForwardErrorCorrection] = s

	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		if pkt := i.next(s); pkt != nil {
			if len(b) < len(pkt) {
				return 0, nil, io.ErrShortBuffer
			}

			return copy(b, pkt), interceptor.Attributes{recoveredKey{}: true}, nil
		}
		n, attr, err := reader.Read(b, a)
		if err == nil {
			i.mu.Lock()
			s.ready = append(s.ready, s.window.AddMedia(b[:n])...)
			i.mu.Unlock()
		}

		return n, attr, err
	})
}

// UnbindRemoteStream forgets a media stream and its repair stream.
func (i *Interceptor) UnbindRemoteStream(info *interceptor.StreamInfo) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if s, ok := i.bySSRC[info.SSRC]; ok {
		delete(i.bySSRC, info.SSRC)
		for k, v := range i.byRepairSSRC {
			if v == s {
				delete(i.byRepairSSRC, k)
			}
		}
	}
}

func (i *Interceptor) next(s *stream) []byte {
	i.mu.Lock()
	defer i.mu.Unlock()
	if len(s.ready) == 0 {
		return nil
	}
	pkt := s.ready[0]
	s.ready = s.ready[1:]

	return pkt
}
