package core

import (
	"encoding/json"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/turn/v5"
)

func TestParseTURNServerConfigDefaultsAndErrors(t *testing.T) {
	cfg, err := ParseTURNServerConfig([]byte(`{"listeners":[{"transport":"udp","address":"127.0.0.1:0"}],
		"relay":{"address":"127.0.0.1"},"users":{"a":"b"}}`))
	must(t, err)
	if cfg.Realm != "omnirtc" || *cfg.AllocationLifetimeSec != 600 || cfg.Relay.BindAddress != "127.0.0.1" ||
		*cfg.Relay.MinPort != 49152 || *cfg.Relay.MaxPort != 65535 {
		t.Fatalf("defaults: %+v", cfg)
	}
	relay := `"relay":{"address":"127.0.0.1"}`
	udp := `"listeners":[{"transport":"udp","address":"127.0.0.1:0"}]`
	for text, key := range map[string]string{
		`{` + relay + `}`: `"listeners"`,
		`{"listeners":[{"transport":"sctp","address":"127.0.0.1:0"}],` + relay + `}`:                  `listeners[0].transport`,
		`{"listeners":[{"transport":"udp","address":"nowhere"}],` + relay + `}`:                       `listeners[0].address`,
		`{"listeners":[{"transport":"tls","address":"127.0.0.1:0","certificate":"x"}],` + relay + `}`: `listeners[0].certificate`,
		`{"listeners":[{"transport":"udp","address":"127.0.0.1:0","certificate":"x"}],` + relay + `}`: `listeners[0].certificate`,
		`{` + udp + `}`: `relay.address`,
		`{` + udp + `,"relay":{"address":"127.0.0.1","minPort":5000,"maxPort":4000}}`: `relay.minPort`,
		`{` + udp + `,"relay":{"address":"127.0.0.1","minPort":0,"maxPort":0}}`:       `"relay.minPort": need 0 < minPort <= maxPort, got 0..0`,
		`{` + udp + `,` + relay + `,"userQuota":-1}`:                                  `userQuota`,
		`{` + udp + `,` + relay + `,"allocationLifetimeSec":7200}`:                    `allocationLifetimeSec`,
		`{` + udp + `,` + relay + `,"allocationLifetimeSec":0}`:                       `"allocationLifetimeSec": 0 is outside 1..3600`,
		`{` + udp + `,` + relay + `,"users":{"":"x"}}`:                                `users`,
		`{` + udp + `,` + relay + `,"secret":"x"}`:                                    `"secret"`,
		`{` + udp + `,` + relay + `,"realm":5}`:                                       `realm`,
	} {
		_, err := ParseTURNServerConfig([]byte(text))
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: got %v, want an invalid-config error naming %s", text, err, key)
		}
	}
}

func TestRESTCredentialMatchesCoturn(t *testing.T) {
	// coturn: password = base64(hmac-sha1(secret, "expiry:user")).
	if got := RESTPassword("north", "1700000000:alice"); got != "Cd/49soE35ICqcJF/bCTn8Z4OyE=" {
		t.Fatalf("REST password %q", got)
	}
	username, password, err := RESTCredential("north", "alice", time.Hour)
	must(t, err)
	expiry, user, ok := splitRESTUsername(username)
	if !ok || user != "alice" || expiry < time.Now().Unix() || password != RESTPassword("north", username) {
		t.Fatalf("credential %q %q", username, password)
	}
	if _, _, err := RESTCredential("north", "a:b", time.Hour); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("user with a colon: %v", err)
	}
	for _, name := range []string{"alice", "", ":alice", "12x:alice"} {
		if _, _, ok := splitRESTUsername(name); ok {
			t.Errorf("%q parsed as a REST username", name)
		}
	}
}

type turnEvents struct {
	mu     sync.Mutex
	events []TURNEvent
}

func (r *turnEvents) handle(e *TURNEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, *e)
}

func (r *turnEvents) count(typ TURNEventType) int {
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

func startTestTURNServer(t *testing.T, extra string, auth TURNAuthFunc, events *turnEvents) (*TURNServer, string) {
	t.Helper()
	cfg, err := ParseTURNServerConfig([]byte(`{"listeners":[{"transport":"udp","address":"127.0.0.1:0"}],
		"relay":{"address":"127.0.0.1","minPort":50000,"maxPort":50999},"users":{"alice":"wonder"},
		"sharedSecret":"north"` + extra + `}`))
	must(t, err)
	server, err := NewTURNServer(cfg, auth, events.handle, NewLogSink())
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

func TestTURNServerAuthenticatesAndCounts(t *testing.T) {
	events := &turnEvents{}
	hostAuth := func(username, realm, _ string) (string, bool) {
		return "from-host", username == "carol" && realm == "omnirtc"
	}
	server, addr := startTestTURNServer(t, `,"userQuota":1`, hostAuth, events)

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

	var stats TURNServerStats
	b, err := server.Stats()
	must(t, err)
	must(t, json.Unmarshal(b, &stats))
	if stats.Allocations != 3 || stats.AllocationsCreated != 3 || stats.QuotaRejections != 1 || stats.AuthFailures < 3 {
		t.Fatalf("stats: %s", b)
	}
	must(t, server.Close())
	if events.count(TURNEventAllocationCreated) != 3 || events.count(TURNEventAllocationDeleted) != 3 ||
		events.count(TURNEventClosed) != 1 {
		t.Fatalf("events: %+v", events.events)
	}
}

func TestTURNServerRelaysAndCountsBytes(t *testing.T) {
	server, addr := startTestTURNServer(t, "", nil, &turnEvents{})
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
	var stats TURNServerStats
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

func TestTURNServerStartFailsCleanly(t *testing.T) {
	taken, err := net.ListenPacket("udp4", "127.0.0.1:0") //nolint:noctx
	must(t, err)
	defer func() { _ = taken.Close() }()
	cfg, err := ParseTURNServerConfig([]byte(`{"listeners":[{"transport":"tcp","address":"127.0.0.1:0"},
		{"transport":"udp","address":"` + taken.LocalAddr().String() + `"}],"relay":{"address":"127.0.0.1"}}`))
	must(t, err)
	events := &turnEvents{}
	if _, err := NewTURNServer(cfg, nil, events.handle, NewLogSink()); !errors.Is(err, ErrOperation) {
		t.Fatalf("address in use: %v", err)
	}
	if len(events.events) != 0 {
		t.Fatalf("a server that never started reported %+v", events.events)
	}
}

func FuzzParseTURNServerConfig(f *testing.F) {
	f.Add([]byte(`{"listeners":[{"transport":"udp","address":"127.0.0.1:0"}],"relay":{"address":"127.0.0.1"}}`))
	f.Add([]byte(`{"listeners":[{"transport":"tls","address":"[::1]:0","certificate":"x","privateKey":"y"}],` +
		`"relay":{"address":"::1","minPort":1,"maxPort":2},"users":{"a":"b"},"sharedSecret":"s","userQuota":3}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		cfg, err := ParseTURNServerConfig(text)
		checkKind(t, err)
		if err == nil && (cfg.Realm == "" || *cfg.AllocationLifetimeSec < 1 || *cfg.Relay.MinPort == 0 ||
			*cfg.Relay.MaxPort < *cfg.Relay.MinPort || len(cfg.Listeners) == 0) {
			t.Fatalf("accepted without defaults or checks: %+v", cfg)
		}
	})
}

func TestTURNServerAllocationLifetimeExpires(t *testing.T) {
	events := &turnEvents{}
	server, addr := startTestTURNServer(t, `,"allocationLifetimeSec":2`, nil, events)
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
	for events.count(TURNEventAllocationDeleted) != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if events.count(TURNEventAllocationDeleted) != 1 {
		t.Fatalf("events: %+v", events.events)
	}
}
