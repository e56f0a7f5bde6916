package turnserver

import (
	"net"

	"github.com/pion/turn/v5"
)

// countingRelay opens relay sockets that count the bytes they carry.
type countingRelay struct {
	*turn.RelayAddressGeneratorPortRange
	server *Server
}

func (r *countingRelay) AllocatePacketConn(c turn.AllocateListenerConfig) (net.PacketConn, net.Addr, error) {
	conn, addr, err := r.RelayAddressGeneratorPortRange.AllocatePacketConn(c)
	if err != nil {
		return nil, nil, err
	}

	return &countingPacketConn{PacketConn: conn, server: r.server}, addr, nil
}

type countingPacketConn struct {
	net.PacketConn
	server *Server
}

func (c *countingPacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, addr, err := c.PacketConn.ReadFrom(b)
	c.server.bytesFromPeers.Add(uint64(max(n, 0)))

	return n, addr, err
}

func (c *countingPacketConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	n, err := c.PacketConn.WriteTo(b, addr)
	c.server.bytesToPeers.Add(uint64(max(n, 0)))

	return n, err
}
