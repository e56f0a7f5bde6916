package turnserver

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omnirtc/omnirtc/core/internal/eventqueue"
	"github.com/omnirtc/omnirtc/core/internal/sockbuf"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/logging"
	"github.com/pion/turn/v5"
)

// AuthFunc is an optional host-supplied credential lookup: it returns the
// password of username, or ok = false to refuse. It runs on a server
// goroutine while that listener waits, so it must return quickly. None runs
// after Close returns: Close waits for one in flight, so it must not be
// called from inside the function.
type AuthFunc func(username, realm, clientAddress string) (password string, ok bool)

// Server is a running TURN/STUN server on pion/turn.
type Server struct {
	cfg       Config
	auth      AuthFunc
	server    *turn.Server
	listeners []ListenerAddress
	events    *eventQueue

	bytesToPeers    atomic.Uint64
	bytesFromPeers  atomic.Uint64
	allocsCreated   atomic.Uint64
	authFailures    atomic.Uint64
	quotaRejections atomic.Uint64

	// authMu lets Close wait for a host auth call in flight; none starts after.
	authMu     sync.RWMutex
	authClosed bool

	mu        sync.Mutex
	perUser   map[string]int
	live      map[string]*Event // allocations by client protocol and address
	closeOnce sync.Once
	closeErr  error
}

// ListenerAddress is where one listener listens: its transport and its
// actual address (the port a port 0 picked).
type ListenerAddress struct {
	Transport string `json:"transport"`
	Address   string `json:"address"`
}

// New starts listening as cfg says. auth may be nil. handler
// receives the server's events one at a time, in order, on a goroutine of the
// server's own, ending with EventClosed; it may be nil.
func New(cfg Config, auth AuthFunc, handler func(*Event),
	logs logging.LoggerFactory,
) (*Server, error) {
	return start(cfg, auth, func() *eventQueue { return eventqueue.New(handler) }, logs)
}

// NewPolled is New for a host that takes the events with TakeEvents: notify
// runs on a goroutine of the server's own when an event was queued while the
// host was armed (see eventQueue). A server that fails to start notifies
// nothing.
func NewPolled(cfg Config, auth AuthFunc, notify func(), logs logging.LoggerFactory) (*Server, error) {
	return start(cfg, auth, func() *eventQueue { return eventqueue.NewPolled[*Event](notify) }, logs)
}

// TakeEvents appends up to maxEvents queued events of a polled server to
// dst, in order; EventClosed comes alone and last, after which nothing more
// comes.
func (s *Server) TakeEvents(dst []*Event, maxEvents int) []*Event {
	return s.events.Take(dst, maxEvents)
}

// WaitNotifier returns once no notify of a polled server runs or will run:
// call it after taking EventClosed (at once from inside notify).
func (s *Server) WaitNotifier() { s.events.WaitNotifier() }

// StopNotifying tells a polled server's host nothing more: no notify starts
// after it returns (from inside notify: none after the running one). Queued
// events stay to be polled.
func (s *Server) StopNotifying() { s.events.StopNotifying() }

func start(cfg Config, auth AuthFunc, queue func() *eventQueue, logs logging.LoggerFactory) (*Server, error) {
	s := &Server{cfg: cfg, auth: auth, perUser: map[string]int{}, live: map[string]*Event{}}
	relayIP, bindIP := net.ParseIP(cfg.Relay.Address), cfg.Relay.BindAddress
	relay := func() turn.RelayAddressGenerator {
		return &countingRelay{
			RelayAddressGeneratorPortRange: &turn.RelayAddressGeneratorPortRange{
				RelayAddress: relayIP, Address: bindIP,
				MinPort: *cfg.Relay.MinPort, MaxPort: *cfg.Relay.MaxPort,
				// Random picks: in a small range most tries of a busy server
				// collide, so try often before reporting no capacity.
				MaxRetries: 100,
			},
			server: s,
		}
	}
	var packetConns []turn.PacketConnConfig
	var listeners []turn.ListenerConfig
	closeAll := func() {
		for _, c := range packetConns {
			_ = c.PacketConn.Close()
		}
		for _, l := range listeners {
			_ = l.Listener.Close()
		}
	}
	for i, l := range cfg.Listeners {
		var addr net.Addr
		switch l.Transport {
		case transportUDP:
			pc, err := net.ListenPacket("udp", l.Address) //nolint:noctx
			if err != nil {
				closeAll()

				return nil, rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf("TURN listeners[%d]: %w", i, err))
			}
			// Every client's requests and relayed data share this socket:
			// with the OS default buffer a burst (a flood of bad requests)
			// drops the one deallocating Refresh a closing client sends.
			sockbuf.Grow(pc, sockbuf.DefaultSize)
			packetConns = append(packetConns, turn.PacketConnConfig{PacketConn: pc, RelayAddressGenerator: relay()})
			addr = pc.LocalAddr()
		default:
			ln, err := net.Listen("tcp", l.Address) //nolint:noctx
			if err != nil {
				closeAll()

				return nil, rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf("TURN listeners[%d]: %w", i, err))
			}
			addr = ln.Addr()
			if l.Transport == transportTLS {
				// Checked by the configuration parser.
				cert, _ := tls.X509KeyPair([]byte(l.Certificate), []byte(l.PrivateKey))
				ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
			}
			listeners = append(listeners, turn.ListenerConfig{Listener: ln, RelayAddressGenerator: relay()})
		}
		s.listeners = append(s.listeners, ListenerAddress{Transport: l.Transport, Address: addr.String()})
	}
	s.events = queue()
	server, err := turn.NewServer(turn.ServerConfig{
		PacketConnConfigs:  packetConns,
		ListenerConfigs:    listeners,
		LoggerFactory:      logs,
		Realm:              cfg.Realm,
		AuthHandler:        s.authenticate,
		QuotaHandler:       s.withinQuota,
		AllocationLifetime: time.Duration(*cfg.AllocationLifetimeSec) * time.Second,
		EventHandler: turn.EventHandler{
			OnAuth: func(_, _ net.Addr, _, _, _, _ string, verdict bool) {
				if !verdict {
					s.authFailures.Add(1)
				}
			},
			OnAllocationCreated: s.allocationCreated,
			OnAllocationDeleted: s.allocationDeleted,
		},
	})
	if err != nil {
		closeAll()
		s.events.Silence()
		s.events.Finish(&Event{Type: EventClosed})

		return nil, rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf("TURN server: %w", err))
	}
	s.server = server

	return s, nil
}

// authenticate finds the password of a request's username: static users
// first, then REST credentials, then the host's callback. The user id it
// returns is what quotas and events count.
func (s *Server) authenticate(ra *turn.RequestAttributes) (string, []byte, bool) {
	key := func(user, password string) (string, []byte, bool) {
		return user, turn.GenerateAuthKey(ra.Username, ra.Realm, password), true
	}
	if password, ok := s.cfg.Users[ra.Username]; ok {
		return key(ra.Username, password)
	}
	if expiry, user, ok := splitRESTUsername(ra.Username); ok && s.cfg.SharedSecret != "" {
		if expiry < time.Now().Unix() {
			s.authFailures.Add(1)

			return "", nil, false
		}
		if user == "" {
			user = ra.Username
		}

		return key(user, RESTPassword(s.cfg.SharedSecret, ra.Username))
	}
	if s.auth != nil {
		client := ""
		if ra.SrcAddr != nil {
			client = ra.SrcAddr.String()
		}
		s.authMu.RLock()
		password, ok := "", false
		if !s.authClosed {
			password, ok = s.auth(ra.Username, ra.Realm, client)
		}
		s.authMu.RUnlock()
		if ok {
			return key(ra.Username, password)
		}
	}
	s.authFailures.Add(1)

	return "", nil, false
}

func (s *Server) withinQuota(userID, _ string, _ net.Addr) bool {
	if s.cfg.UserQuota == 0 {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.perUser[userID] >= s.cfg.UserQuota {
		s.quotaRejections.Add(1)

		return false
	}

	return true
}

// clientTransport is the transport of the listener an allocation came in on:
// "TCP" or "UDP". pion/turn v5 reports every allocation's protocol as UDP, so
// it is taken from the 5-tuple's server side instead: that is the socket of
// the listener the request arrived on (the UDP listener's PacketConn, or the
// TCP connection accepted from a tcp/tls listener), and its network says
// which. TLS runs over TCP, so a tls listener's allocations say "TCP".
func clientTransport(server net.Addr) string {
	if server != nil && strings.HasPrefix(server.Network(), "tcp") {
		return "TCP"
	}

	return "UDP"
}

func (s *Server) allocationCreated(src, dst net.Addr, _, userID, realm string, relay net.Addr, _ int) {
	protocol := clientTransport(dst)
	e := &Event{
		Type: EventAllocationCreated, Username: userID, Realm: realm,
		ClientAddress: addrString(src), RelayAddress: addrString(relay), Protocol: protocol,
	}
	s.allocsCreated.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.perUser[userID]++
	s.live[protocol+" "+e.ClientAddress] = e
	s.events.Post(e) // under mu: before its deletion's, which forget queues under mu
}

func (s *Server) allocationDeleted(src, dst net.Addr, _, _, _ string) {
	s.forget(clientTransport(dst) + " " + addrString(src))
}

// forget drops a live allocation and reports its deletion, once. The event
// is queued under mu: a client's own deletion racing Close is then either
// in Close's list or queued before it, never after EventClosed (where it
// was dropped).
func (s *Server) forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	created, ok := s.live[key]
	if !ok {
		return
	}
	delete(s.live, key)
	if s.perUser[created.Username]--; s.perUser[created.Username] <= 0 {
		delete(s.perUser, created.Username)
	}
	s.events.Post(&Event{
		Type: EventAllocationDeleted, Username: created.Username, Realm: created.Realm,
		ClientAddress: created.ClientAddress, Protocol: created.Protocol,
	})
}

func addrString(a net.Addr) string {
	if a == nil {
		return ""
	}

	return a.String()
}

// Stats is what Stats reports.
type Stats struct {
	Allocations        int               `json:"allocations"`
	AllocationsCreated uint64            `json:"allocationsCreated"`
	BytesRelayed       uint64            `json:"bytesRelayed"`
	BytesToPeers       uint64            `json:"bytesToPeers"`
	BytesFromPeers     uint64            `json:"bytesFromPeers"`
	AuthFailures       uint64            `json:"authFailures"`
	QuotaRejections    uint64            `json:"quotaRejections"`
	EventsDropped      uint64            `json:"eventsDropped"`
	Listeners          []ListenerAddress `json:"listeners"`
}

// Stats reports the server's counters as JSON: current allocations, bytes
// relayed (sent to plus received from peers on relay sockets) and the
// listeners' actual addresses.
func (s *Server) Stats() ([]byte, error) {
	to, from := s.bytesToPeers.Load(), s.bytesFromPeers.Load()

	return json.Marshal(Stats{
		Allocations:        s.server.AllocationCount(),
		AllocationsCreated: s.allocsCreated.Load(),
		BytesRelayed:       to + from,
		BytesToPeers:       to,
		BytesFromPeers:     from,
		AuthFailures:       s.authFailures.Load(),
		QuotaRejections:    s.quotaRejections.Load(),
		EventsDropped:      s.events.Dropped(),
		Listeners:          s.listeners,
	})
}

// Close stops the listeners and frees every allocation; their deletion
// events, then EventClosed, are delivered. Called from outside the
// handler it returns once EventClosed was delivered; from inside, at once.
// A polled server's Close returns once EventClosed is queued.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.authMu.Lock()
		s.authClosed = true
		s.authMu.Unlock()
		s.closeErr = s.server.Close()
		// pion frees allocations on close without reporting them.
		s.mu.Lock()
		keys := make([]string, 0, len(s.live))
		for key := range s.live {
			keys = append(keys, key)
		}
		s.mu.Unlock()
		for _, key := range keys {
			s.forget(key)
		}
		s.events.Finish(&Event{Type: EventClosed})
	})

	return s.closeErr
}
