package core

import (
	"net"
	"strconv"
	"sync"

	"github.com/pion/ice/v4"
	"github.com/pion/transport/v5"
)

// sharedSockets holds the ICE UDP and TCP muxes that peer connections share
// by port. Each is reference-counted and closed with its last user, so a
// process that closes every peer holds no socket.
var sharedSockets = &muxRegistry{entries: map[string]*muxEntry{}}

type muxRegistry struct {
	mu      sync.Mutex
	entries map[string]*muxEntry
}

type muxEntry struct {
	refs  int
	mux   any
	close func()
}

func (r *muxRegistry) acquire(key string, open func() (any, func(), error)) (any, func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	entry, ok := r.entries[key]
	if !ok {
		mux, closeFn, err := open()
		if err != nil {
			return nil, nil, err
		}
		entry = &muxEntry{mux: mux, close: closeFn}
		r.entries[key] = entry
	}
	entry.refs++
	var once sync.Once

	return entry.mux, func() { once.Do(func() { r.releaseEntry(key, entry) }) }, nil
}

func (r *muxRegistry) releaseEntry(key string, entry *muxEntry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	entry.refs--
	if entry.refs == 0 {
		delete(r.entries, key)
		entry.close()
	}
}

func (r *muxRegistry) udpMux(port int, hostNet transport.Net, loopback bool, interfaces func(string) bool, ips func(net.IP) bool,
	logs *LogSink,
) (ice.UDPMux, func(), error) {
	mux, release, err := r.acquire("udp/"+strconv.Itoa(port), func() (any, func(), error) {
		opts := []ice.UDPMuxFromPortOption{ice.UDPMuxFromPortWithLogger(logs.NewLogger("ice"))}
		if hostNet != nil {
			opts = append(opts, ice.UDPMuxFromPortWithNet(hostNet))
		}
		if loopback {
			opts = append(opts, ice.UDPMuxFromPortWithLoopback())
		}
		if interfaces != nil {
			opts = append(opts, ice.UDPMuxFromPortWithInterfaceFilter(interfaces))
		}
		if ips != nil {
			opts = append(opts, ice.UDPMuxFromPortWithIPFilter(ips))
		}
		m, err := ice.NewMultiUDPMuxFromPort(port, opts...)
		if err != nil {
			return nil, nil, err
		}

		return m, func() { _ = m.Close() }, nil
	})
	if err != nil {
		return nil, nil, err
	}

	return mux.(ice.UDPMux), release, nil //nolint:forcetypeassert // the "udp/" keys hold only UDP muxes
}

func (r *muxRegistry) tcpMux(port int, logs *LogSink) (ice.TCPMux, func(), error) {
	mux, release, err := r.acquire("tcp/"+strconv.Itoa(port), func() (any, func(), error) {
		listener, err := net.ListenTCP("tcp", &net.TCPAddr{Port: port})
		if err != nil {
			return nil, nil, err
		}
		m := ice.NewTCPMuxDefault(ice.TCPMuxParams{
			Listener: listener, Logger: logs.NewLogger("ice"), ReadBufferSize: 32,
			WriteBufferSize: 4 << 20,
		})

		return m, func() { _ = m.Close() }, nil
	})
	if err != nil {
		return nil, nil, err
	}

	return mux.(ice.TCPMux), release, nil //nolint:forcetypeassert // the "tcp/" keys hold only TCP muxes
}
