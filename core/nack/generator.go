// Package nack wraps pion's NACK generator so that it learns of the packets
// repaired through RTX.
package nack

import (
	"encoding/binary"
	"sync"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
)

// pion hands a packet repaired through RTX to the track past the media
// stream's interceptors, so pion's NACK generator never learns that it
// arrived and NACKs it again every interval until it leaves the receive
// log: each lost packet was retransmitted a dozen times and more.
// Generator wraps the generator so that the track's read loop reports
// repaired packets to it (Repaired).

// headerSize is the fixed part of an RTP header.
const headerSize = 12

// GeneratorFactory builds pion's generator wrapped, one per peer
// connection, and hands each to onNew.
type GeneratorFactory struct {
	inner interceptor.Factory
	onNew func(*Generator)
}

// NewGeneratorFactory returns a factory of pion's generator with its
// default options; onNew receives each Generator it makes.
func NewGeneratorFactory(onNew func(*Generator)) (*GeneratorFactory, error) {
	inner, err := nack.NewGeneratorInterceptor()
	if err != nil {
		return nil, err
	}

	return &GeneratorFactory{inner: inner, onNew: onNew}, nil
}

// NewInterceptor makes the generator of one peer connection.
func (f *GeneratorFactory) NewInterceptor(id string) (interceptor.Interceptor, error) {
	i, err := f.inner.NewInterceptor(id)
	if err != nil {
		return nil, err
	}
	g := &Generator{Interceptor: i}
	f.onNew(g)

	return g, nil
}

// Generator is pion's NACK generator of one peer connection.
type Generator struct {
	interceptor.Interceptor
	streams sync.Map // SSRC → the generator's interceptor.RTPReader of the stream
}

// repairedSeq is the attribute of a read that reports a repaired packet:
// the read returns a bare header with that sequence number, reading nothing.
type repairedSeq struct{}

// BindRemoteStream binds pion's generator to a reader that also answers
// Repaired's reads.
func (g *Generator) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	bound := g.Interceptor.BindRemoteStream(info, interceptor.RTPReaderFunc(
		func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
			if seq, ok := a[repairedSeq{}].(uint16); ok && len(b) >= headerSize {
				clear(b[:headerSize])
				b[0] = 0x80 // version 2
				binary.BigEndian.PutUint16(b[2:], seq)

				return headerSize, a, nil
			}

			return reader.Read(b, a)
		}))
	g.streams.Store(info.SSRC, bound)

	return bound
}

// UnbindRemoteStream forgets the stream.
func (g *Generator) UnbindRemoteStream(info *interceptor.StreamInfo) {
	g.streams.Delete(info.SSRC)
	g.Interceptor.UnbindRemoteStream(info)
}

// Repaired tells the generator that packet seq of stream ssrc arrived.
func (g *Generator) Repaired(ssrc uint32, seq uint16) {
	if r, ok := g.streams.Load(ssrc); ok {
		if reader, ok := r.(interceptor.RTPReader); ok {
			var header [headerSize]byte
			_, _, _ = reader.Read(header[:], interceptor.Attributes{repairedSeq{}: seq})
		}
	}
}
