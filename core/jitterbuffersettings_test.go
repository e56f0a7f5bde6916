package core

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/jitterbuffer"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

func TestJitterBufferConfiguration(t *testing.T) {
	good := `{"omnirtc":{"interceptors":["nack","jitterBuffer"],"jitterBuffer":{"targetDelayMs":50,"maxPackets":100}}}`
	cfg, err := ParseConfiguration([]byte(good))
	must(t, err)
	if c := cfg.Engine.jitterBuffer(); c == nil || c.Delay != 50*time.Millisecond || c.MaxPackets != 100 {
		t.Fatalf("jitter buffer config %+v", c)
	}
	cfg, err = ParseConfiguration([]byte(`{"omnirtc":{"interceptors":["jitterBuffer"]}}`))
	must(t, err)
	if c := cfg.Engine.jitterBuffer(); c == nil || c.Delay != jitterbuffer.DefaultDelay || c.MaxPackets != jitterbuffer.DefaultMaxPackets {
		t.Fatalf("default jitter buffer config %+v", c)
	}
	cfg, err = ParseConfiguration(nil)
	must(t, err)
	if c := cfg.Engine.jitterBuffer(); c != nil {
		t.Fatal("the jitter buffer is on by default")
	}
	for text, key := range map[string]string{
		`{"omnirtc":{"interceptors":["jitterBuffer"],"jitterBuffer":{"targetDelayMs":0}}}`:     "targetDelayMs",
		`{"omnirtc":{"interceptors":["jitterBuffer"],"jitterBuffer":{"targetDelayMs":10001}}}`: "targetDelayMs",
		`{"omnirtc":{"interceptors":["jitterBuffer"],"jitterBuffer":{"maxPackets":0}}}`:        "maxPackets",
		`{"omnirtc":{"interceptors":["jitterBuffer"],"jitterBuffer":{"maxPackets":2049}}}`:     "maxPackets",
		`{"omnirtc":{"interceptors":["jitterBuffer"],"jitterBuffer":{"maxPackets":-1}}}`:       "maxPackets",
		`{"omnirtc":{"interceptors":["jitterBuffer"],"jitterBuffer":{"delay":5}}}`:             "delay",
		`{"omnirtc":{"jitterBuffer":{"maxPackets":10}}}`:                                       "not in",
	} {
		_, err := ParseConfiguration([]byte(text))
		if !errors.Is(err, rtcerr.ErrInvalidConfig) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: %v, want an invalid-config error naming %q", text, err, key)
		}
	}
}
