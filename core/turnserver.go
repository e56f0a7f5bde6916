package core

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // RFC 5389 long-term and coturn REST credentials are defined on SHA-1
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v5"
)

// TURNEventType names a TURN server event; the values are the C API's
// OMNIRTC_TURN_EVENT_*.
type TURNEventType int32

// TURN server events.
const (
	TURNEventAllocationCreated TURNEventType = 1
	TURNEventAllocationDeleted TURNEventType = 2
	TURNEventClosed            TURNEventType = 3
)

// TURNEvent is one notification from a TURN server.
type TURNEvent struct {
	Type          TURNEventType
	Username      string // the authenticated user (for REST credentials, the part after "expiry:")
	Realm         string
	ClientAddress string // the client's transport address, "ip:port"
	RelayAddress  string // AllocationCreated: the relayed transport address
	Protocol      string // the client's transport: "UDP", "TCP" (TLS runs over TCP)
}

// TURNAuthFunc is an optional host-supplied credential lookup: it returns the
// password of username, or ok = false to refuse. It runs on a server
// goroutine while that listener waits, so it must return quickly. None runs
// after Close returns: Close waits for one in flight, so it must not be
// called from inside the function.
type TURNAuthFunc func(username, realm, clientAddress string) (password string, ok bool)

// TURNServer is a running TURN/STUN server on pion/turn.
type TURNServer struct {
	cfg       TURNServerConfig
	auth      TURNAuthFunc
	server    *turn.Server
	listeners []listenerInfo
	events    *turnEventQueue

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
	live      map[string]*TURNEvent // allocations by client protocol and address
	closeOnce sync.Once
	closeErr  error
}

type listenerInfo struct {
	Transport string `json:"transport"`
	Address   string `json:"address"`
}

// NewTURNServer starts listening as cfg says. auth may be nil. handler
// receives the server's events one at a time, in order, on a goroutine of the
// server's own, ending with TURNEventClosed; it may be nil.
func NewTURNServer(cfg TURNServerConfig, auth TURNAuthFunc, handler func(*TURNEvent),
	logs logging.LoggerFactory,
) (*TURNServer, error) {
	s := &TURNServer{cfg: cfg, auth: auth, perUser: map[string]int{}, live: map[string]*TURNEvent{}}
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
		case turnTransportUDP:
			pc, err := net.ListenPacket("udp", l.Address) //nolint:noctx
			if err != nil {
				closeAll()

				return nil, wrap(ErrOperation, fmt.Errorf("TURN listeners[%d]: %w", i, err))
			}
			packetConns = append(packetConns, turn.PacketConnConfig{PacketConn: pc, RelayAddressGenerator: relay()})
			addr = pc.LocalAddr()
		default:
			ln, err := net.Listen("tcp", l.Address) //nolint:noctx
			if err != nil {
				closeAll()

				return nil, wrap(ErrOperation, fmt.Errorf("TURN listeners[%d]: %w", i, err))
			}
			addr = ln.Addr()
			if l.Transport == turnTransportTLS {
				// Checked by the configuration parser.
				cert, _ := tls.X509KeyPair([]byte(l.Certificate), []byte(l.PrivateKey))
				ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
			}
			listeners = append(listeners, turn.ListenerConfig{Listener: ln, RelayAddressGenerator: relay()})
		}
		s.listeners = append(s.listeners, listenerInfo{Transport: l.Transport, Address: addr.String()})
	}
	s.events = newTURNEventQueue(handler)
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
		s.events.silence()
		s.events.finish(&TURNEvent{Type: TURNEventClosed})

		return nil, wrap(ErrOperation, fmt.Errorf("TURN server: %w", err))
	}
	s.server = server

	return s, nil
}

// RESTPassword is the password of a time-limited username under secret, as
// coturn's use-auth-secret defines it: base64(HMAC-SHA1(secret, username)).
func RESTPassword(secret, username string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(username))

	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// RESTCredential makes a time-limited username "<now+ttl>:user" and its
// password under secret.
func RESTCredential(secret, user string, ttl time.Duration) (username, password string, err error) {
	if strings.Contains(user, ":") {
		return "", "", wrap(ErrInvalidArgument, fmt.Errorf("user %s: a REST user name may not contain ':'", quote(user)))
	}
	username = strconv.FormatInt(time.Now().Add(ttl).Unix(), 10) + ":" + user

	return username, RESTPassword(secret, username), nil
}

// authenticate finds the password of a request's username: static users
// first, then REST credentials, then the host's callback. The user id it
// returns is what quotas and events count.
func (s *TURNServer) authenticate(ra *turn.RequestAttributes) (string, []byte, bool) {
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

func (s *TURNServer) withinQuota(userID, _ string, _ net.Addr) bool {
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

func (s *TURNServer) allocationCreated(src, dst net.Addr, _, userID, realm string, relay net.Addr, _ int) {
	protocol := clientTransport(dst)
	e := &TURNEvent{
		Type: TURNEventAllocationCreated, Username: userID, Realm: realm,
		ClientAddress: addrString(src), RelayAddress: addrString(relay), Protocol: protocol,
	}
	s.mu.Lock()
	s.perUser[userID]++
	s.live[protocol+" "+e.ClientAddress] = e
	s.mu.Unlock()
	s.allocsCreated.Add(1)
	s.events.post(e)
}

func (s *TURNServer) allocationDeleted(src, dst net.Addr, _, _, _ string) {
	s.forget(clientTransport(dst) + " " + addrString(src))
}

// forget drops a live allocation and reports its deletion, once.
func (s *TURNServer) forget(key string) {
	s.mu.Lock()
	created, ok := s.live[key]
	if ok {
		delete(s.live, key)
		if s.perUser[created.Username]--; s.perUser[created.Username] <= 0 {
			delete(s.perUser, created.Username)
		}
	}
	s.mu.Unlock()
	if ok {
		s.events.post(&TURNEvent{
			Type: TURNEventAllocationDeleted, Username: created.Username, Realm: created.Realm,
			ClientAddress: created.ClientAddress, Protocol: created.Protocol,
		})
	}
}

func addrString(a net.Addr) string {
	if a == nil {
		return ""
	}

	return a.String()
}

// TURNServerStats is what Stats reports.
type TURNServerStats struct {
	Allocations        int            `json:"allocations"`
	AllocationsCreated uint64         `json:"allocationsCreated"`
	BytesRelayed       uint64         `json:"bytesRelayed"`
	BytesToPeers       uint64         `json:"bytesToPeers"`
	BytesFromPeers     uint64         `json:"bytesFromPeers"`
	AuthFailures       uint64         `json:"authFailures"`
	QuotaRejections    uint64         `json:"quotaRejections"`
	EventsDropped      uint64         `json:"eventsDropped"`
	Listeners          []listenerInfo `json:"listeners"`
}

// Stats reports the server's counters as JSON: current allocations, bytes
// relayed (sent to plus received from peers on relay sockets) and the
// listeners' actual addresses.
func (s *TURNServer) Stats() ([]byte, error) {
	to, from := s.bytesToPeers.Load(), s.bytesFromPeers.Load()

	return json.Marshal(TURNServerStats{
		Allocations:        s.server.AllocationCount(),
		AllocationsCreated: s.allocsCreated.Load(),
		BytesRelayed:       to + from,
		BytesToPeers:       to,
		BytesFromPeers:     from,
		AuthFailures:       s.authFailures.Load(),
		QuotaRejections:    s.quotaRejections.Load(),
		EventsDropped:      s.events.droppedCount(),
		Listeners:          s.listeners,
	})
}

// Close stops the listeners and frees every allocation; their deletion
// events, then TURNEventClosed, are delivered. Called from outside the
// handler it returns once TURNEventClosed was delivered; from inside, at once.
func (s *TURNServer) Close() error {
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
		s.events.finish(&TURNEvent{Type: TURNEventClosed})
	})

	return s.closeErr
}

// countingRelay opens relay sockets that count the bytes they carry.
type countingRelay struct {
	*turn.RelayAddressGeneratorPortRange
	server *TURNServer
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
	server *TURNServer
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

// turnEventQueueLimit bounds the events a slow handler leaves queued; past it
// events are dropped and counted, so pion's goroutines never wait on the host.
const turnEventQueueLimit = 4096

// turnEventQueue delivers a TURN server's events to its handler on one
// goroutine, in order.
type turnEventQueue struct {
	handler func(*TURNEvent)

	mu      sync.Mutex
	wake    *sync.Cond
	queue   []*TURNEvent
	final   *TURNEvent
	dropped uint64
	runner  uint64
	done    chan struct{}
}

func newTURNEventQueue(handler func(*TURNEvent)) *turnEventQueue {
	q := &turnEventQueue{handler: handler, done: make(chan struct{})}
	q.wake = sync.NewCond(&q.mu)
	ready := make(chan struct{})
	go q.run(ready)
	<-ready

	return q
}

func (q *turnEventQueue) post(e *TURNEvent) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.final != nil:
	case len(q.queue) >= turnEventQueueLimit:
		q.dropped++
	default:
		q.queue = append(q.queue, e)
		q.wake.Signal()
	}
}

// silence drops the handler: a server that failed to start reports nothing.
func (q *turnEventQueue) silence() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handler = nil
}

func (q *turnEventQueue) droppedCount() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()

	return q.dropped
}

// finish queues final after the pending events and, unless called from the
// handler itself, waits until it was delivered.
func (q *turnEventQueue) finish(final *TURNEvent) {
	q.mu.Lock()
	if q.final == nil {
		q.final = final
	}
	q.wake.Signal()
	own := q.runner == goroutineID()
	q.mu.Unlock()
	if !own {
		<-q.done
	}
}

func (q *turnEventQueue) run(ready chan struct{}) {
	defer close(q.done)
	q.mu.Lock()
	q.runner = goroutineID()
	close(ready)
	for {
		for len(q.queue) == 0 && q.final == nil {
			q.wake.Wait()
		}
		var e *TURNEvent
		if len(q.queue) > 0 {
			e, q.queue = q.queue[0], q.queue[1:]
		} else {
			e = q.final
		}
		handler := q.handler
		q.mu.Unlock()
		if handler != nil {
			handler(e)
		}
		if e.Type == TURNEventClosed {
			return
		}
		q.mu.Lock()
	}
}
