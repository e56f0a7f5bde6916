package core

import (
	"errors"
	"fmt"
	"time"

	"github.com/omnirtc/omnirtc/core/jitterbuffer"
)

// JitterBufferSettings configure the "jitterBuffer" interceptor
// ("omnirtc.jitterBuffer"); unset fields take the defaults.
type JitterBufferSettings struct {
	// TargetDelayMs is how long a packet that follows a gap waits for the
	// missing ones (a retransmission) before the gap is given up.
	TargetDelayMs *uint32 `json:"targetDelayMs"`
	// MaxPackets is how many sequence numbers the buffer spans: a packet
	// further ahead releases the oldest ones at once.
	MaxPackets *uint16 `json:"maxPackets"`
}

// jitterBuffer returns the jitter buffer's configuration, nil when the
// "jitterBuffer" interceptor is not selected.
func (s EngineSettings) jitterBuffer() *jitterbuffer.Config {
	if s.Interceptors == nil || !contains(*s.Interceptors, "jitterBuffer") {
		return nil
	}
	c, _ := s.JitterBuffer.config() // checked by validateJitterBuffer

	return &c
}

func (s EngineSettings) validateJitterBuffer() error {
	if s.JitterBuffer != nil && s.jitterBuffer() == nil {
		return errors.New(`key "omnirtc.jitterBuffer": set, but "jitterBuffer" is not in "omnirtc.interceptors"`)
	}
	_, err := s.JitterBuffer.config()

	return err
}

func (s *JitterBufferSettings) config() (jitterbuffer.Config, error) {
	c := jitterbuffer.Config{Delay: jitterbuffer.DefaultDelay, MaxPackets: jitterbuffer.DefaultMaxPackets}
	if s == nil {
		return c, nil
	}
	if d := s.TargetDelayMs; d != nil {
		if maxMs := jitterbuffer.MaxDelay.Milliseconds(); *d == 0 || int64(*d) > maxMs {
			return c, fmt.Errorf("key \"omnirtc.jitterBuffer.targetDelayMs\": %d is not in 1..%d", *d, maxMs)
		}
		c.Delay = time.Duration(*d) * time.Millisecond
	}
	if n := s.MaxPackets; n != nil {
		if *n == 0 || *n > jitterbuffer.MaxPackets {
			return c, fmt.Errorf("key \"omnirtc.jitterBuffer.maxPackets\": %d is not in 1..%d", *n, jitterbuffer.MaxPackets)
		}
		c.MaxPackets = int(*n)
	}

	return c, nil
}
