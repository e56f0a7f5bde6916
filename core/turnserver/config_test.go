package turnserver

import (
	"errors"
	"strings"
	"testing"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

func TestParseConfigDefaultsAndErrors(t *testing.T) {
	cfg, err := ParseConfig([]byte(`{"listeners":[{"transport":"udp","address":"127.0.0.1:0"}],
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
		_, err := ParseConfig([]byte(text))
		if !errors.Is(err, rtcerr.ErrInvalidConfig) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: got %v, want an invalid-config error naming %s", text, err, key)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"listeners":[{"transport":"udp","address":"127.0.0.1:0"}],"relay":{"address":"127.0.0.1"}}`))
	f.Add([]byte(`{"listeners":[{"transport":"tls","address":"[::1]:0","certificate":"x","privateKey":"y"}],` +
		`"relay":{"address":"::1","minPort":1,"maxPort":2},"users":{"a":"b"},"sharedSecret":"s","userQuota":3}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		cfg, err := ParseConfig(text)
		if err != nil && !rtcerr.HasKind(err) {
			t.Fatalf("error without a kind: %v", err)
		}
		if err == nil && (cfg.Realm == "" || *cfg.AllocationLifetimeSec < 1 || *cfg.Relay.MinPort == 0 ||
			*cfg.Relay.MaxPort < *cfg.Relay.MinPort || len(cfg.Listeners) == 0) {
			t.Fatalf("accepted without defaults or checks: %+v", cfg)
		}
	})
}
