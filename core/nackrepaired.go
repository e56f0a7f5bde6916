package core

import (
	"encoding/binary"
	"sync"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
)

// pion hands a packet repaired through RTX to the track past the media
// stream's interceptors, so pion's NACK generator never learns that it
// arrived and NACKs it again every interval until it leaves the receive
// log: each lost packet was retransmitted a dozen times and more.
// nackGenerator wraps the generator so that the track's read loop reports
// repaired packets to it (RemoteTrack.read).

// nackGeneratorFactory builds pion's generator wrapped, one per peer
// connection, and hands it to the engine.
type nackGeneratorFactory struct {
	inner interceptor.Factory
	e     *engine
}

func (f *nackGeneratorFactory) NewInterceptor(id string) (interceptor.Interceptor, error) {
	i, err := f.inner.NewInterceptor(id)
	if err != nil {
		return nil, err
	}
	g := &nackGenerator{Interceptor: i}
	f.e.nackGenerator = g

	return g, nil
}

type nackGenerator struct {
	interceptor.Interceptor
	streams sync.Map // SSRC → the generator's interceptor.RTPReader of the stream
}

// repairedSeq is the attribute of a read that reports a repaired packet:
// the read returns a bare header with that sequence number, reading nothing.
type repairedSeq struct{}

func (g *nackGenerator) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	bound := g.Interceptor.BindRemoteStream(info, interceptor.RTPReaderFunc(
		func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
			if seq, ok := a[repairedSeq{}].(uint16); ok && len(b) >= rtpHeaderSize {
				clear(b[:rtpHeaderSize])
				b[0] = 0x80 // version 2
				binary.BigEndian.PutUint16(b[2:], seq)

				return rtpHeaderSize, a, nil
			}

			return reader.Read(b, a)
		}))
	g.streams.Store(info.SSRC, bound)

	return bound
}

func (g *nackGenerator) UnbindRemoteStream(info *interceptor.StreamInfo) {
	g.streams.Delete(info.SSRC)
	g.Interceptor.UnbindRemoteStream(info)
}

// repaired tells the generator that packet seq of stream ssrc arrived.
func (g *nackGenerator) repaired(ssrc webrtc.SSRC, seq uint16) {
	if r, ok := g.streams.Load(uint32(ssrc)); ok {
		if reader, ok := r.(interceptor.RTPReader); ok {
			var header [rtpHeaderSize]byte
			_, _, _ = reader.Read(header[:], interceptor.Attributes{repairedSeq{}: seq})
		}
	}
}
