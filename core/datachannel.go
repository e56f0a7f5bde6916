package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/datachannel"
	"github.com/pion/sctp"
	"github.com/pion/webrtc/v4"
)

// ChannelState is W3C RTCDataChannelState; the values are OMNIRTC_CHANNEL_*.
type ChannelState int32

// Data channel states.
const (
	ChannelConnecting ChannelState = iota
	ChannelOpen
	ChannelClosing
	ChannelClosed
)

var channelStateNames = [...]string{"connecting", "open", "closing", "closed"}

func (s ChannelState) String() string { return channelStateNames[s] }

// initialReadBuffer is a reader's first buffer; it grows to the largest
// message seen, so idle channels stay small.
const initialReadBuffer = 1 << 10

// DataChannelInit mirrors W3C RTCDataChannelInit.
type DataChannelInit struct {
	Ordered           *bool   `json:"ordered"`
	MaxPacketLifeTime *uint16 `json:"maxPacketLifeTime"`
	MaxRetransmits    *uint16 `json:"maxRetransmits"`
	Protocol          string  `json:"protocol"`
	Negotiated        bool    `json:"negotiated"`
	ID                *uint16 `json:"id"`
}

// ParseDataChannelInit decodes RTCDataChannelInit JSON strictly and checks
// the rules createDataChannel enforces.
func ParseDataChannelInit(text []byte) (DataChannelInit, error) {
	var init DataChannelInit
	if err := strictjson.Decode(text, &init); err != nil {
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("data channel options: %w", err))
	}
	switch {
	case init.MaxPacketLifeTime != nil && init.MaxRetransmits != nil:
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument,
			errors.New("data channel options: maxPacketLifeTime and maxRetransmits are exclusive"))
	case init.Negotiated && init.ID == nil:
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("data channel options: negotiated requires id"))
	case init.ID != nil && *init.ID > 65534:
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("data channel options: id %d is over 65534", *init.ID))
	case len(init.Protocol) > 65535 || !utf8.ValidString(init.Protocol):
		return init, rtcerr.Wrap(rtcerr.ErrInvalidArgument,
			errors.New("data channel options: protocol must be UTF-8 of at most 65535 bytes"))
	}

	return init, nil
}

// DataChannel is an RTCDataChannel. Its events go through its peer
// connection's dispatcher.
type DataChannel struct {
	pc *PeerConnection
	dc *webrtc.DataChannel

	state atomic.Int32
	ended atomic.Bool // finish ran
	// unannounced: a remote's channel not yet announced (announcer.go), so
	// none of its events may reach the host.
	unannounced atomic.Bool

	mu     sync.Mutex
	resume *sync.Cond
	paused bool
	raw    datachannel.ReadWriteCloser
}

// newDataChannel wraps dc; remote says the remote peer opened it.
func newDataChannel(pc *PeerConnection, dc *webrtc.DataChannel, remote bool) *DataChannel {
	c := &DataChannel{pc: pc, dc: dc}
	c.unannounced.Store(remote)
	c.resume = sync.NewCond(&c.mu)
	dc.OnOpen(c.handleOpen)
	dc.OnBufferedAmountLow(func() { pc.events.post(&Event{Type: EventChannelBufferedLow, Channel: c}) })

	return c
}

func (c *DataChannel) handleOpen() {
	raw, err := c.dc.Detach()
	c.mu.Lock()
	closing := c.ReadyState() != ChannelConnecting
	if err == nil {
		c.raw = raw
	}
	c.mu.Unlock()
	remote := c.unannounced.Load()
	switch {
	case err != nil:
		if remote {
			c.pc.announcer.settle(c, nil)
		} else {
			c.pc.events.post(&Event{Type: EventChannelError, Channel: c, Error: err.Error()})
		}
		c.finish()
	case closing: // closed while connecting
		if remote {
			c.pc.announcer.settle(c, nil)
		}
		_ = raw.Close()
		c.finish()
	case remote:
		c.state.Store(int32(ChannelOpen))
		c.pc.announcer.settle(c, raw)
	default:
		c.state.Store(int32(ChannelOpen))
		c.pc.events.post(c.opened(EventChannelOpen))
		go c.readLoop(raw)
	}
}

// announce posts a remote's open channel (see announcer), then reads it.
func (c *DataChannel) announce(raw datachannel.ReadWriteCloser) {
	c.unannounced.Store(false)
	c.pc.events.post(c.opened(EventDataChannel))
	c.pc.events.post(c.opened(EventChannelOpen))
	go c.readLoop(raw)
}

// opened is the event of type t that tells the channel is open. It carries
// the channel's properties, its id now known among them, since the channel
// may close and its handle be gone before the host takes the event.
func (c *DataChannel) opened(t EventType) *Event {
	info, _ := json.Marshal(c.Info()) // plain fields: never fails

	return &Event{Type: t, Channel: c, ChannelInfo: string(info)}
}

// readLoop moves messages from SCTP to the dispatcher. It stops reading while
// paused or while the peer's message budget is spent, which is what gives a
// slow consumer backpressure instead of an unbounded queue.
func (c *DataChannel) readLoop(raw datachannel.ReadWriteCloser) {
	buf := make([]byte, initialReadBuffer)
	for {
		c.mu.Lock()
		for c.paused && c.ReadyState() == ChannelOpen {
			c.resume.Wait()
		}
		c.mu.Unlock()

		n, isString, err := raw.ReadDataChannel(buf)
		if errors.Is(err, io.ErrShortBuffer) && len(buf) < int(c.pc.engine.maxMsg) {
			// The message waits in SCTP until a buffer holds it whole.
			buf = make([]byte, min(2*len(buf), int(c.pc.engine.maxMsg)))

			continue
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && c.ReadyState() == ChannelOpen && c.pc.sctpRunning() {
				c.pc.events.post(&Event{Type: EventChannelError, Channel: c, Error: err.Error()})
			}

			break
		}
		msg := make([]byte, n)
		copy(msg, buf[:n])
		if !c.pc.events.postMessage(&Event{Type: EventChannelMessage, Channel: c, Data: msg, Binary: !isString}) {
			return
		}
	}
	if c.state.CompareAndSwap(int32(ChannelOpen), int32(ChannelClosing)) {
		c.pc.events.post(&Event{Type: EventChannelClosing, Channel: c})
	}
	_ = raw.Close() // answer the remote's stream reset with ours
	c.finish()
}

// finish ends the channel once and posts its final event. W3C webrtc-pc 6.2:
// readyState becomes closed in the task that fires close, so the channel
// reads closing until the host takes EventChannelClose (its taken hook), in
// every language alike.
func (c *DataChannel) finish() {
	if c.ended.Swap(true) {
		return
	}
	announced := !c.unannounced.Load()
	if announced {
		c.state.Store(int32(ChannelClosing))
	} else {
		c.state.Store(int32(ChannelClosed)) // no close event: nobody saw it
	}
	c.mu.Lock()
	c.resume.Broadcast()
	c.mu.Unlock()
	c.pc.forgetChannel(c)
	if announced {
		c.pc.events.post(&Event{Type: EventChannelClose, Channel: c, taken: func() { c.state.Store(int32(ChannelClosed)) }})
	}
}

// MaxBufferedAmount bounds a channel's BufferedAmount: a Send that would
// pass it fails with ErrOperation (W3C: the data cannot be queued, an
// OperationError). Chromium's limit: code written for the browser already
// waits for bufferedamountlow well before it, and a send loop that does not
// wait meets an error instead of growing the process without bound.
const MaxBufferedAmount = 16 << 20

// Send queues one message; binary false sends UTF-8 text.
func (c *DataChannel) Send(data []byte, binary bool) error {
	if !binary && !utf8.Valid(data) {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, errors.New("text message is not valid UTF-8"))
	}
	if state := c.ReadyState(); state != ChannelOpen {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("data channel is %s, not open", state))
	}
	if err := c.CheckMessageSize(uint64(len(data))); err != nil {
		return err
	}
	if buffered := c.BufferedAmount(); buffered+uint64(len(data)) > MaxBufferedAmount {
		return rtcerr.Wrap(rtcerr.ErrOperation, fmt.Errorf(
			"send queue is full: bufferedAmount is %d bytes and %d more would pass the limit of %d bytes "+
				"(wait for bufferedamountlow)", buffered, len(data), MaxBufferedAmount))
	}
	c.mu.Lock()
	raw := c.raw
	c.mu.Unlock()
	if _, err := raw.WriteDataChannel(data, !binary); err != nil {
		if state := c.ReadyState(); state != ChannelOpen {
			return rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("data channel is %s: %w", state, err))
		}
		if transportEnded(err) { // its end is not read yet
			return rtcerr.Wrap(rtcerr.ErrInvalidState, fmt.Errorf("data channel is closing: %w", err))
		}

		return rtcerr.Wrap(rtcerr.ErrOperation, err)
	}

	return nil
}

// CheckMessageSize reports whether a message of n bytes may be sent now.
func (c *DataChannel) CheckMessageSize(n uint64) error {
	if limit := c.pc.MaxMessageSize(); n > limit {
		return rtcerr.Wrap(rtcerr.ErrTooLarge, fmt.Errorf("message of %d bytes is over the maximum message size of %d bytes",
			n, limit))
	}

	return nil
}

// Close starts closing the channel: data already sent is still delivered and
// EventChannelClose follows. Closing a closing or closed channel does nothing,
// nor does closing one whose association is going away: its end is read like
// any other, so EventChannelClose follows all the same.
func (c *DataChannel) Close() error {
	c.mu.Lock()
	if !c.state.CompareAndSwap(int32(ChannelOpen), int32(ChannelClosing)) &&
		!c.state.CompareAndSwap(int32(ChannelConnecting), int32(ChannelClosing)) {
		c.mu.Unlock()

		return nil
	}
	raw := c.raw
	c.resume.Broadcast()
	c.mu.Unlock()
	if raw == nil { // never opened: no stream to reset
		err := c.dc.Close()
		c.finish()

		return closeOutcome(err)
	}

	return closeOutcome(raw.Close())
}

// closeOutcome is what Close reports for a close error of pion's: nothing
// when the stream or association is going away anyway.
func closeOutcome(err error) error {
	if transportEnded(err) {
		return nil
	}

	return rtcerr.Wrap(rtcerr.ErrOperation, err)
}

// channelPauses counts the times any channel went from reading to paused:
// a binding's tests see their automatic backpressure engage through it.
var channelPauses atomic.Int64

// ChannelPauses counts the times any channel was paused since the library loaded.
func ChannelPauses() int64 { return channelPauses.Load() }

// SetPaused stops (true) or resumes (false) reading messages from the network.
func (c *DataChannel) SetPaused(paused bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if paused && !c.paused {
		channelPauses.Add(1)
	}
	c.paused = paused
	c.resume.Broadcast()
}

// ReadyState is the W3C readyState.
func (c *DataChannel) ReadyState() ChannelState { return ChannelState(c.state.Load()) }

// BufferedAmount is the number of bytes queued by Send and not yet sent.
func (c *DataChannel) BufferedAmount() uint64 { return c.dc.BufferedAmount() }

// BufferedAmountLowThreshold is the level at or below which
// EventChannelBufferedLow fires.
func (c *DataChannel) BufferedAmountLowThreshold() uint64 { return c.dc.BufferedAmountLowThreshold() }

// SetBufferedAmountLowThreshold sets BufferedAmountLowThreshold.
func (c *DataChannel) SetBufferedAmountLowThreshold(v uint64) { c.dc.SetBufferedAmountLowThreshold(v) }

// DataChannelInfo is a snapshot of a channel's W3C attributes.
type DataChannelInfo struct {
	Label                      string  `json:"label"`
	Protocol                   string  `json:"protocol"`
	ID                         *uint16 `json:"id"`
	Ordered                    bool    `json:"ordered"`
	MaxPacketLifeTime          *uint16 `json:"maxPacketLifeTime"`
	MaxRetransmits             *uint16 `json:"maxRetransmits"`
	Negotiated                 bool    `json:"negotiated"`
	ReadyState                 string  `json:"readyState"`
	BufferedAmount             uint64  `json:"bufferedAmount"`
	BufferedAmountLowThreshold uint64  `json:"bufferedAmountLowThreshold"`
}

// Info returns the channel's attributes.
func (c *DataChannel) Info() DataChannelInfo {
	return DataChannelInfo{
		Label: c.dc.Label(), Protocol: c.dc.Protocol(), ID: c.dc.ID(), Ordered: c.dc.Ordered(),
		MaxPacketLifeTime: c.dc.MaxPacketLifeTime(), MaxRetransmits: c.dc.MaxRetransmits(),
		Negotiated: c.dc.Negotiated(), ReadyState: c.ReadyState().String(),
		BufferedAmount: c.BufferedAmount(), BufferedAmountLowThreshold: c.BufferedAmountLowThreshold(),
	}
}

// channelCounters is what pion/datachannel counts per channel.
type channelCounters interface {
	MessagesSent() uint32
	MessagesReceived() uint32
	BytesSent() uint64
	BytesReceived() uint64
}

// stats is the channel's W3C RTCDataChannelStats; ok is false before it has
// an SCTP stream id.
func (c *DataChannel) stats() (webrtc.DataChannelStats, bool) {
	id := c.dc.ID()
	if id == nil {
		return webrtc.DataChannelStats{}, false
	}
	s := webrtc.DataChannelStats{
		Timestamp: webrtc.StatsTimestamp(time.Now().UnixNano() / int64(time.Millisecond)), Type: webrtc.StatsTypeDataChannel,
		ID: fmt.Sprintf("DataChannel-%d", *id), Label: c.dc.Label(), Protocol: c.dc.Protocol(),
		DataChannelIdentifier: int32(*id), State: webrtc.DataChannelState(c.ReadyState() + 1), // pion's enum starts with Unknown
	}
	c.mu.Lock()
	counters, ok := c.raw.(channelCounters)
	c.mu.Unlock()
	if ok {
		s.MessagesSent, s.BytesSent = counters.MessagesSent(), counters.BytesSent()
		s.MessagesReceived, s.BytesReceived = counters.MessagesReceived(), counters.BytesReceived()
	}

	return s, true
}

// PeerConnection returns the channel's peer connection.
func (c *DataChannel) PeerConnection() *PeerConnection { return c.pc }

// transportEnded reports whether err is pion's way of saying that the SCTP
// association or the channel's stream is closing or closed: a call that meets
// one lost a race with a close, ours or the remote's. Every such call is a
// state error (a close a success), whichever of pion's words it got.
func transportEnded(err error) bool {
	for _, ended := range []error{
		sctp.ErrStreamClosed, sctp.ErrAssociationClosed, sctp.ErrAssociationClosedBeforeConn,
		sctp.ErrResetPacketInStateNotExist, sctp.ErrPayloadDataStateNotExist, io.ErrClosedPipe,
	} {
		if errors.Is(err, ended) {
			return true
		}
	}

	return false
}
