package core

import (
	"net"
	"syscall"

	"github.com/pion/transport/v5"
	"github.com/pion/transport/v5/stdnet"
)

// defaultUDPBufferSize is the socket buffer OmniRTC asks for. Linux's default
// (208 KiB) overflows under bulk data channel traffic, and every overflow
// costs SCTP a retransmission timeout: a 30x throughput loss on loopback.
const defaultUDPBufferSize = 4 << 20

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

// grow asks for the buffer size: above the system's maximum when the process
// may (CAP_NET_ADMIN), else up to that maximum. Failure only costs speed.
func (n *bufferedNet) grow(c any) {
	if n.size <= 0 {
		return
	}
	if sc, ok := c.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil && forceSocketBuffers(raw, n.size) {
			return
		}
	}
	if b, ok := c.(interface {
		SetReadBuffer(int) error
		SetWriteBuffer(int) error
	}); ok {
		_ = b.SetReadBuffer(n.size)
		_ = b.SetWriteBuffer(n.size)
	}
}
