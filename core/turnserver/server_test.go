package turnserver

import (
	"encoding/json"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/logging"
	"github.com/pion/turn/v5"
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type recordedEvents struct {
	mu     sync.Mutex
	events []Event
}

func (r *recordedEvents) handle(e *Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, *e)
}

func (r *recordedEvents) count(typ EventType) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.Type == typ {
			n++
		}
	}

	return n
}

func startTestServer(t *testing.T, extra string, auth AuthFunc, events *recordedEvents) (*Server, string) {
	t.Helper()
	cfg, err := ParseConfig([]byte(`{"listeners":[{"transport":"udp","address":"127.0.0.1:0"}],
		"relay":{"address":"127.0.0.1","minPort":50000,"maxPort":50999},"users":{"alice":"wonder"},
		"sharedSecret":"north"` + extra + `}`))
	must(t, err)
	server, err := New(cfg, auth, events.handle, logging.NewDefaultLoggerFactory())
	must(t, err)
	t.Cleanup(func() { _ = server.Close() })

	return server, server.listeners[0].Address
}

// allocate runs one TURN client allocation; the returned close frees it.
func allocate(t *testing.T, server, username, password string) (net.PacketConn, error) {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0") //nolint:noctx
	must(t, err)
	client, err := turn.NewClient(&turn.ClientConfig{
		STUNServerAddr: server, TURNServerAddr: server, Conn: conn,
		Username: username, Password: password, Realm: "omnirtc", RTO: 200 * time.Millisecond,
	})
	must(t, err)
	must(t, client.Listen())
	relay, err := client.Allocate()
	if err != nil {
		client.Close()
		_ = conn.Close()

		return nil, err
	}
	t.Cleanup(func() {
		_ = relay.Close()
		client.Close()
		_ = conn.Close()
	})

	return relay, nil
}

func TestServerAuthenticatesAndCounts(t *testing.T) {
	events := &recordedEvents{}
	hostAuth := func(username, realm, _ string) (string, bool) {
		return "from-host", username == "carol" && realm == "omnirtc"
	}
	server, addr := startTestServer(t, `,"userQuota":1`, hostAuth, events)

	// STUN binding: the server reports our address.
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0") //nolint:noctx
	must(t, err)
	defer func() { _ = conn.Close() }()
	stunClient, err := turn.NewClient(&turn.ClientConfig{STUNServerAddr: addr, Conn: conn})
	must(t, err)
	must(t, stunClient.Listen())
	mapped, err := stunClient.SendBindingRequest()
	must(t, err)
	if mapped.String() != conn.LocalAddr().String() {
		t.Fatalf("binding: %v, want %v", mapped, conn.LocalAddr())
	}
	stunClient.Close()

	if _, err = allocate(t, addr, "alice", "wonder"); err != nil {
		t.Fatalf("static user: %v", err)
	}
	if _, err = allocate(t, addr, "alice", "wonder"); err == nil {
		t.Fatal("a second allocation over alice's quota of 1 was granted")
	}
	if _, err = allocate(t, addr, "bob", "wonder"); err == nil {
		t.Fatal("an unknown user got an allocation")
	}
	if _, err = allocate(t, addr, "carol", "wrong"); err == nil {
		t.Fatal("a wrong password got an allocation")
	}
	if _, err = allocate(t, addr, "carol", "from-host"); err != nil {
		t.Fatalf("host-authenticated user: %v", err)
	}
	username, password, err := RESTCredential("north", "dave", time.Minute)
	must(t, err)
	if _, err = allocate(t, addr, username, password); err != nil {
		t.Fatalf("REST credential: %v", err)
	}
	username, password, err = RESTCredential("north", "erin", -time.Minute)
	must(t, err)
	if _, err = allocate(t, addr, username, password); err == nil {
		t.Fatal("an expired REST credential got an allocation")
	}

	var stats Stats
	b, err := server.Stats()
	must(t, err)
	must(t, json.Unmarshal(b, &stats))
	if stats.Allocations != 3 || stats.AllocationsCreated != 3 || stats.QuotaRejections != 1 || stats.AuthFailures < 3 {
		t.Fatalf("stats: %s", b)
	}
	must(t, server.Close())
	if events.count(EventAllocationCreated) != 3 || events.count(EventAllocationDeleted) != 3 ||
		events.count(EventClosed) != 1 {
		t.Fatalf("events: %+v", events.events)
	}
}

func TestServerRelaysAndCountsBytes(t *testing.T) {
	server, addr := startTestServer(t, "", nil, &recordedEvents{})
	relay, err := allocate(t, addr, "alice", "wonder")
	must(t, err)
	peer, err := net.ListenPacket("udp4", "127.0.0.1:0") //nolint:noctx
	must(t, err)
	defer func() { _ = peer.Close() }()
	// A permission for the peer comes with the first send through the relay.
	_, err = relay.WriteTo([]byte("ping"), peer.LocalAddr())
	must(t, err)
	buf := make([]byte, 64)
	_ = peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from, err := peer.ReadFrom(buf)
	must(t, err)
	if string(buf[:n]) != "ping" {
		t.Fatalf("peer got %q", buf[:n])
	}
	_, err = peer.WriteTo([]byte("pong"), from)
	must(t, err)
	_ = relay.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err = relay.ReadFrom(buf)
	must(t, err)
	if string(buf[:n]) != "pong" {
		t.Fatalf("client got %q", buf[:n])
	}
	// A relay socket counts a write once it returns, and the peer's answer
	// can arrive back before that goroutine gets there: wait for the count.
	var stats Stats
	var b []byte
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		b, err = server.Stats()
		must(t, err)
		must(t, json.Unmarshal(b, &stats))
		if stats.BytesToPeers == 4 || time.Now().After(deadline) {
			break
		}
	}
	if stats.BytesToPeers != 4 || stats.BytesFromPeers != 4 || stats.BytesRelayed != 8 {
		t.Fatalf("stats: %s", b)
	}
}

func TestServerStartFailsCleanly(t *testing.T) {
	taken, err := net.ListenPacket("udp4", "127.0.0.1:0") //nolint:noctx
	must(t, err)
	defer func() { _ = taken.Close() }()
	cfg, err := ParseConfig([]byte(`{"listeners":[{"transport":"tcp","address":"127.0.0.1:0"},
		{"transport":"udp","address":"` + taken.LocalAddr().String() + `"}],"relay":{"address":"127.0.0.1"}}`))
	must(t, err)
	events := &recordedEvents{}
	if _, err := New(cfg, nil, events.handle, logging.NewDefaultLoggerFactory()); !errors.Is(err, rtcerr.ErrOperation) {
		t.Fatalf("address in use: %v", err)
	}
	if len(events.events) != 0 {
		t.Fatalf("a server that never started reported %+v", events.events)
	}
}

func TestServerAllocationLifetimeExpires(t *testing.T) {
	events := &recordedEvents{}
	server, addr := startTestServer(t, `,"allocationLifetimeSec":2`, nil, events)
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0") //nolint:noctx
	must(t, err)
	client, err := turn.NewClient(&turn.ClientConfig{
		STUNServerAddr: addr, TURNServerAddr: addr, Conn: conn, Username: "alice", Password: "wonder",
	})
	must(t, err)
	defer client.Close()
	must(t, client.Listen())
	_, err = client.Allocate()
	must(t, err)
	start := time.Now()
	_ = conn.Close() // the client can no longer refresh
	for server.server.AllocationCount() != 0 {
		if time.Since(start) > 10*time.Second {
			t.Fatal("an unrefreshed allocation outlived its 2 s lifetime by 8 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Fatalf("the allocation ended after %v, before its lifetime", elapsed)
	}
	deadline := time.Now().Add(5 * time.Second)
	for events.count(EventAllocationDeleted) != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if events.count(EventAllocationDeleted) != 1 {
		t.Fatalf("events: %+v", events.events)
	}
}
