package core

import (
	"sync"

	"github.com/pion/datachannel"
)

// announcer announces the remote's data channels in the order they arrived,
// each once it is open (W3C "announce the RTCDataChannel as open", as
// browsers do): EventDataChannel with the channel open, then its
// EventChannelOpen. pion opens each channel on a goroutine of its own, which
// would mix that order.
type announcer struct {
	mu      sync.Mutex
	arrived []*DataChannel
	settled map[*DataChannel]datachannel.ReadWriteCloser // nil: failed, never announced
}

// arrive queues c; pion calls OnDataChannel in arrival order.
func (a *announcer) arrive(c *DataChannel) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.arrived = append(a.arrived, c)
}

// settle records that c opened (raw) or failed (nil), and announces every
// channel at the head of the queue that has settled.
func (a *announcer) settle(c *DataChannel, raw datachannel.ReadWriteCloser) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.settled == nil {
		a.settled = map[*DataChannel]datachannel.ReadWriteCloser{}
	}
	a.settled[c] = raw
	for len(a.arrived) > 0 {
		head := a.arrived[0]
		opened, ok := a.settled[head]
		if !ok {
			return
		}
		delete(a.settled, head)
		a.arrived = a.arrived[1:]
		if opened != nil {
			head.announce(opened)
		}
	}
}
