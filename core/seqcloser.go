package core

// seqCloser renumbers the audio packets of a stream from which the
// telephone-event packets are taken out (RFC 4733 events share the audio's
// sequence numbers), so they leave no gap for the frame assembler to wait on
// or count as lost. Counting every event packet is not enough: a repeated
// one would shift all later audio by one more, and a late one would give a
// later audio packet the number of one already delivered.
type seqCloser struct {
	started bool
	highest uint16               // the newest sequence number seen
	skipped uint16               // event packets closed up, up to highest
	events  [closerWindow]uint16 // the newest of them, to number late audio
	n, next int
}

// closerWindow is how many event packets a late audio packet may be behind:
// 16 at one event packet per 50 ms is later than any frame assembler waits.
const closerWindow = 16

// newer reports whether sequence number a comes after b.
func newer(a, b uint16) bool { return a != b && a-b < 1<<15 }

// event takes an event packet's sequence number. One that is not the
// newest (repeated, or later than audio already numbered) leaves its gap:
// closing it would renumber packets already delivered.
func (c *seqCloser) event(seq uint16) {
	if c.started && !newer(seq, c.highest) {
		return
	}
	c.started, c.highest = true, seq
	c.skipped++
	c.events[c.next] = seq
	c.next = (c.next + 1) % closerWindow
	c.n = min(c.n+1, closerWindow)
}

// audio returns an audio packet's sequence number with the event packets
// before it closed up.
func (c *seqCloser) audio(seq uint16) uint16 {
	if !c.started || newer(seq, c.highest) {
		c.started, c.highest = true, seq

		return seq - c.skipped
	}
	skipped := c.skipped
	for _, e := range c.events[:c.n] {
		if newer(e, seq) {
			skipped-- // closed up after this late packet's place
		}
	}

	return seq - skipped
}
