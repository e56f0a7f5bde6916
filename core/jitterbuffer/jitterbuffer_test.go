package jitterbuffer

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"
)

// jitterPacket is a bare RTP header with a sequence number and timestamp.
func jitterPacket(seq uint16, ts uint32) []byte {
	b := make([]byte, headerSize+1)
	b[0] = 0x80
	binary.BigEndian.PutUint16(b[2:], seq)
	binary.BigEndian.PutUint32(b[4:], ts)

	return b
}

// popAll returns the sequence numbers the buffer releases at now.
func popAll(j *Buffer, now time.Time) []uint16 {
	var out []uint16
	for p := j.Pop(now); p != nil; p = j.Pop(now) {
		out = append(out, binary.BigEndian.Uint16(p[2:]))
	}

	return out
}

// pushSeqs pushes packets with the given sequence numbers (timestamp = seq)
// at now and returns what is released.
func pushSeqs(j *Buffer, now time.Time, seqs ...uint16) []uint16 {
	var out []uint16
	for _, s := range seqs {
		j.Push(jitterPacket(s, uint32(s)), now)
		out = append(out, popAll(j, now)...)
	}

	return out
}

func testJitterBuffer(maxPackets int) *Buffer {
	return New(Config{Delay: 100 * time.Millisecond, MaxPackets: maxPackets})
}

func TestJitterBufferReordersWithoutWaitingWhenTheGapFills(t *testing.T) {
	j := testJitterBuffer(64)
	t0 := time.Unix(1000, 0)
	got := pushSeqs(j, t0, 10, 12, 13, 11, 15, 14)
	if want := []uint16{10, 11, 12, 13, 14, 15}; !slices.Equal(got, want) {
		t.Fatalf("released %v, want %v", got, want)
	}
	if !j.Deadline().IsZero() {
		t.Fatal("nothing waits, yet there is a deadline")
	}
}

func TestJitterBufferWraps(t *testing.T) {
	for _, size := range []int{16, 100} { // 100 does not divide 65536
		j := testJitterBuffer(size)
		got := pushSeqs(j, time.Unix(1000, 0), 65533, 65535, 0, 65534, 2, 1, 64)
		if want := []uint16{65533, 65534, 65535, 0, 1, 2}; !slices.Equal(got, want) {
			t.Fatalf("size %d: released %v, want %v", size, got, want)
		}
		// Every number from 65533 to 64 waits in its own place.
		j = testJitterBuffer(size)
		pushSeqs(j, time.Unix(1000, 0), 65500)
		for s := uint16(65502); s != 65500+uint16(size); s++ {
			j.Push(jitterPacket(s, uint32(s)), time.Unix(1000, 0))
		}
		got = pushSeqs(j, time.Unix(1000, 0), 65501)
		if len(got) != size-1 || got[0] != 65501 || got[len(got)-1] != 65500+uint16(size)-1 {
			t.Fatalf("size %d: released %d packets, %v…", size, len(got), got[:min(len(got), 4)])
		}
	}
}

func TestJitterBufferDropsDuplicatesWithoutCountingThem(t *testing.T) {
	j := testJitterBuffer(64)
	t0 := time.Unix(1000, 0)
	// 3 twice while it waits, 1 twice after it was played.
	got := pushSeqs(j, t0, 1, 3, 3, 1, 2, 2, 4)
	if want := []uint16{1, 2, 3, 4}; !slices.Equal(got, want) {
		t.Fatalf("released %v, want %v", got, want)
	}
	if n := j.Stats().discarded.Load(); n != 0 {
		t.Fatalf("duplicates counted as discarded: %d", n)
	}
}

func TestJitterBufferGivesUpAGapAfterTheTargetDelay(t *testing.T) {
	j := testJitterBuffer(64)
	t0 := time.Unix(1000, 0)
	if got := pushSeqs(j, t0, 1, 3, 4); !slices.Equal(got, []uint16{1}) {
		t.Fatalf("released %v before the gap, want [1]", got)
	}
	// 6 arrives later than 3: it alone has not waited long enough.
	j.Push(jitterPacket(6, 6), t0.Add(50*time.Millisecond))
	if d := j.Deadline(); !d.Equal(t0.Add(100 * time.Millisecond)) {
		t.Fatalf("deadline %v, want t0+100ms", d.Sub(t0))
	}
	if got := popAll(j, t0.Add(99*time.Millisecond)); len(got) != 0 {
		t.Fatalf("released %v before the deadline", got)
	}
	if got := popAll(j, t0.Add(100*time.Millisecond)); !slices.Equal(got, []uint16{3, 4}) {
		t.Fatalf("released %v at the deadline, want [3 4]", got)
	}
	if d := j.Deadline(); !d.Equal(t0.Add(150 * time.Millisecond)) {
		t.Fatalf("deadline %v, want t0+150ms (6's)", d.Sub(t0))
	}
	// 2 comes too late: dropped and counted; 5 fills the second gap.
	if got := pushSeqs(j, t0.Add(120*time.Millisecond), 2, 5); !slices.Equal(got, []uint16{5, 6}) {
		t.Fatalf("released %v, want [5 6]", got)
	}
	if n := j.Stats().discarded.Load(); n != 1 {
		t.Fatalf("discarded %d, want 1 (the late 2)", n)
	}
	// 3 and 4 waited 100 ms, 6 waited 70 ms; the others nothing.
	if d := time.Duration(j.Stats().delay.Load()); d != 270*time.Millisecond {
		t.Fatalf("jitterBufferDelay %v, want 270ms", d)
	}
	if n, target := j.Stats().emitted.Load(), time.Duration(j.Stats().target.Load()); n != 5 || target != 500*time.Millisecond {
		t.Fatalf("emitted %d, target %v; want 5, 500ms", n, target)
	}
}

func TestJitterBufferGivesUpEveryGapBeforeTheOldestPacket(t *testing.T) {
	j := testJitterBuffer(64)
	t0 := time.Unix(1000, 0)
	pushSeqs(j, t0, 1)
	j.Push(jitterPacket(5, 5), t0)                          // oldest, behind two gaps
	j.Push(jitterPacket(3, 3), t0.Add(90*time.Millisecond)) // younger, before it
	if got := popAll(j, t0.Add(100*time.Millisecond)); !slices.Equal(got, []uint16{3, 5}) {
		t.Fatalf("released %v, want [3 5]", got)
	}
}

func TestJitterBufferReleasesTheOldestWhenFull(t *testing.T) {
	j := testJitterBuffer(4)
	t0 := time.Unix(1000, 0)
	if got := pushSeqs(j, t0, 0, 2, 3, 4); !slices.Equal(got, []uint16{0}) {
		t.Fatalf("released %v, want [0]", got)
	}
	// 5 does not fit beside 1..4: the gap at 1 is given up at once.
	if got := pushSeqs(j, t0, 5); !slices.Equal(got, []uint16{2, 3, 4, 5}) {
		t.Fatalf("released %v, want [2 3 4 5]", got)
	}
}

func TestJitterBufferStartsOverWhenTheSenderRestartsItsNumbering(t *testing.T) {
	j := testJitterBuffer(64)
	t0 := time.Unix(1000, 0)
	pushSeqs(j, t0, 100, 102)
	if got := pushSeqs(j, t0, 40000, 40001); !slices.Equal(got, []uint16{102, 40000, 40001}) {
		t.Fatalf("released %v, want [102 40000 40001]", got)
	}
	// What was played before the restart is late now, not a duplicate.
	if got := pushSeqs(j, t0, 39999); len(got) != 0 || j.Stats().discarded.Load() != 1 {
		t.Fatalf("released %v, discarded %d; want none, 1", got, j.Stats().discarded.Load())
	}
}

func TestJitterBufferCountsFramesNotPackets(t *testing.T) {
	j := testJitterBuffer(64)
	t0 := time.Unix(1000, 0)
	for seq, ts := range []uint32{0, 0, 0, 3000, 3000, 6000} {
		j.Push(jitterPacket(uint16(seq), ts), t0)
	}
	if got := popAll(j, t0); len(got) != 6 {
		t.Fatalf("released %v", got)
	}
	if n := j.Stats().emitted.Load(); n != 3 {
		t.Fatalf("jitterBufferEmittedCount %d, want 3 frames", n)
	}
}

func TestJitterBufferFlushGivesUpTheGaps(t *testing.T) {
	j := testJitterBuffer(64)
	t0 := time.Unix(1000, 0)
	pushSeqs(j, t0, 1, 4, 3, 7)
	j.Push([]byte{0x80, 0}, t0) // too short for RTP: ignored
	var got []uint16
	for _, p := range j.Flush(t0) {
		got = append(got, binary.BigEndian.Uint16(p[2:]))
	}
	if want := []uint16{3, 4, 7}; !slices.Equal(got, want) {
		t.Fatalf("flushed %v, want %v", got, want)
	}
}

// FuzzJitterBuffer pushes packets of a 256-number window (across the wrap)
// at fuzzed times: whatever the order, each number is released at most
// once, in increasing order, and a flush leaves nothing held.
func FuzzJitterBuffer(f *testing.F) {
	f.Add([]byte{4, 0, 0, 2, 0, 1, 1, 3, 200, 2, 0})
	f.Add([]byte{1, 5, 0, 5, 0, 4, 255, 9, 3})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) < 1 {
			return
		}
		j := testJitterBuffer(int(ops[0]%64) + 1)
		now := time.Unix(1000, 0)
		var released []uint16
		take := func(p []byte) { released = append(released, binary.BigEndian.Uint16(p[2:])) }
		for i := 1; i+1 < len(ops); i += 2 {
			seq := 65400 + uint16(ops[i])
			now = now.Add(time.Duration(ops[i+1]) * time.Millisecond)
			j.Push(jitterPacket(seq, uint32(seq)), now)
			for p := j.Pop(now); p != nil; p = j.Pop(now) {
				take(p)
			}
		}
		for _, p := range j.Flush(now) {
			take(p)
		}
		if j.held != 0 {
			t.Fatalf("%d packets held after a flush", j.held)
		}
		for i := 1; i < len(released); i++ {
			if d := released[i] - released[i-1]; d == 0 || d >= 32768 {
				t.Fatalf("released %v: %d after %d", released, released[i], released[i-1])
			}
		}
	})
}
