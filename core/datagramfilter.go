package core

import (
	"encoding/binary"
	"net"
	"net/netip"

	"github.com/omnirtc/omnirtc/core/twcc"
	"github.com/pion/transport/v5"
)

// validDatagram reports whether a received datagram may go on to ICE, DTLS
// and SCTP. A datagram that demultiplexes to DTLS (RFC 7983: first byte 20
// to 63) must be DTLS 1.x records of the four content types DTLS 1.2 knows,
// with no application data in epoch 0, change_cipher_spec only as the one
// byte 1 in epoch 0, and plaintext alerts of two bytes. pion/dtls hands such records' errors
// to the reader, and SCTP closes the association on any read error, so one
// spoofed datagram with the remote's address could end a connection (found
// by TestHostilePacketsAtLivePeer). RFC 6347 section 4.1.2.7: invalid records
// are silently discarded. Everything else passes unchanged.
func validDatagram(b []byte) bool {
	if len(b) == 0 || b[0] < 20 || b[0] > 63 {
		return true
	}
	for off := 0; off < len(b); {
		if len(b)-off < 13 {
			return false
		}
		contentType, major, minor := b[off], b[off+1], b[off+2]
		epochZero := b[off+3] == 0 && b[off+4] == 0
		length := int(binary.BigEndian.Uint16(b[off+11:]))
		switch {
		case contentType < 20 || contentType > 23: // change_cipher_spec, alert, handshake, application_data
			return false
		case major != 0xfe || (minor != 0xfd && minor != 0xff): // DTLS 1.2 or 1.0
			return false
		case contentType == 23 && epochZero:
			return false
		case contentType == 20 && (!epochZero || length != 1 || len(b) < off+14 || b[off+13] != 1):
			return false
		case contentType == 21 && epochZero && length != 2:
			return false
		}
		off += 13 + length
	}

	return true
}

// accept reports whether a datagram read from a socket goes on (validDatagram)
// and notes when it arrived if it is RTP (twcc.RecordArrival).
func accept(datagram []byte) bool {
	if !validDatagram(datagram) {
		return false
	}
	twcc.RecordArrival(datagram)

	return true
}

// filteredConn is a UDP socket whose reads skip datagrams validDatagram
// refuses and time the RTP ones.
type filteredConn struct {
	transport.UDPConn
	raw *net.UDPConn // for the allocation-free path ICE uses when it can; may be nil
}

func newFilteredConn(c transport.UDPConn) *filteredConn {
	raw, _ := c.(*net.UDPConn)

	return &filteredConn{UDPConn: c, raw: raw}
}

func (c *filteredConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.UDPConn.ReadFrom(b)
		if err != nil || accept(b[:n]) {
			return n, addr, err
		}
	}
}

func (c *filteredConn) ReadFromUDP(b []byte) (int, *net.UDPAddr, error) {
	for {
		n, addr, err := c.UDPConn.ReadFromUDP(b)
		if err != nil || accept(b[:n]) {
			return n, addr, err
		}
	}
}

// ReadFromAddrPort and WriteToAddrPort are ice.AddrPortReaderWriter.
func (c *filteredConn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	if c.raw == nil {
		n, addr, err := c.ReadFromUDP(b)
		if err != nil {
			return n, netip.AddrPort{}, err
		}

		return n, addr.AddrPort(), nil
	}
	for {
		n, addr, err := c.raw.ReadFromUDPAddrPort(b)
		if err != nil || accept(b[:n]) {
			return n, addr, err
		}
	}
}

func (c *filteredConn) WriteToAddrPort(b []byte, addr netip.AddrPort) (int, error) {
	if c.raw == nil {
		return c.WriteTo(b, net.UDPAddrFromAddrPort(addr))
	}

	return c.raw.WriteToUDPAddrPort(b, addr)
}

// filteredPacketConn is filteredConn for a plain net.PacketConn.
type filteredPacketConn struct{ net.PacketConn }

func (c filteredPacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.PacketConn.ReadFrom(b)
		if err != nil || accept(b[:n]) {
			return n, addr, err
		}
	}
}
