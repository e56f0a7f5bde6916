package core

import (
	"net"

	"github.com/omnirtc/omnirtc/core/internal/sockbuf"
	"github.com/pion/transport/v5"
	"github.com/pion/transport/v5/stdnet"
)

// defaultUDPBufferSize is the socket buffer OmniRTC asks for (see
// sockbuf.DefaultSize).
const defaultUDPBufferSize = sockbuf.DefaultSize

// bufferedNet is the host network with larger UDP socket buffers (size 0:
// the OS default) whose unicast UDP reads skip invalid DTLS datagrams (validDatagram).
type bufferedNet struct {
	transport.Net
	size int
}

func newBufferedNet(size int) (transport.Net, error) {
	n, err := stdnet.NewNet()
	if err != nil {
		return nil, err
	}

	return &bufferedNet{Net: n, size: size}, nil
}

func (n *bufferedNet) ListenUDP(network string, addr *net.UDPAddr) (transport.UDPConn, error) {
	c, err := n.Net.ListenUDP(network, addr)
	if err != nil {
		return nil, err
	}
	n.grow(c)
	if addr != nil && addr.IP.IsMulticast() {
		// pion's mDNS socket: golang.org/x/net/ipv4 reads only from a
		// *net.UDPConn itself, and mDNS is not DTLS.
		return c, nil
	}

	return newFilteredConn(c), nil
}

func (n *bufferedNet) ListenPacket(network, address string) (net.PacketConn, error) {
	c, err := n.Net.ListenPacket(network, address)
	if err != nil {
		return nil, err
	}
	n.grow(c)
	if udp, ok := c.(*net.UDPConn); ok {
		return newFilteredConn(udp), nil
	}

	return filteredPacketConn{c}, nil
}

// grow asks for the buffer size (sockbuf.Grow).
func (n *bufferedNet) grow(c any) { sockbuf.Grow(c, n.size) }
