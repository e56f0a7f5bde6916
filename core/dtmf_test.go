package core

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// audioCall connects a, which sends an Opus track, to b, and feeds the
// track 20 ms packets numbered in their payload until the test ends.
func audioCall(t *testing.T) (a *PeerConnection, ra, rb *recorder, tr *Transceiver) {
	t.Helper()
	ra, rb = newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	track, err := NewLocalTrack(TrackInit{Codec: "opus", ID: "mic", StreamID: "s"})
	must(t, err)
	tr, err = a.AddTrack(track)
	must(t, err)
	dtmf := tr.DTMF()
	if dtmf == nil || dtmf.CanInsertDTMF() {
		t.Fatal("before negotiation: want a DTMF sender that cannot insert (webrtc-pc 7.2 canInsertDTMF)")
	}
	if err := dtmf.InsertDTMF("1", DTMFDefaultDuration, DTMFDefaultInterToneGap); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("insertDTMF before negotiation: %v, want InvalidStateError", err)
	}
	connect(t, a, b, ra, rb)
	stop := make(chan struct{})
	done := make(chan struct{})
	t.Cleanup(func() { close(stop); <-done; must(t, a.Close()); must(t, b.Close()) })
	go func() {
		defer close(done)
		ticker := time.NewTicker(20 * time.Millisecond)
		defer ticker.Stop()
		for i := 0; ; i++ {
			_ = track.WriteSample("", opusPacket(i), 20*time.Millisecond)
			select {
			case <-ticker.C:
			case <-stop:
				return
			}
		}
	}()

	return a, ra, rb, tr
}

// opusPacket is a fake Opus packet that says which one it is.
func opusPacket(i int) []byte { return []byte(fmt.Sprintf("opus-%06d", i)) }

// tones lists the received DTMF events as "tone:ms".
func tones(r *recorder) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if e.Type == EventDTMFTone {
			out = append(out, fmt.Sprintf("%s:%d", e.Tone, e.Duration))
		}
	}

	return out
}

// webrtc-pc 7.2 (RTCDTMFSender): tones are sent as RFC 4733 events on the
// audio sender's stream and the receiver reports each once, with its
// duration (clamped to 40..6000 ms); tonechange fires per tone and "" at the
// end; the audio around them arrives whole and in order.
func TestDTMFSentAndReceived(t *testing.T) {
	_, ra, rb, tr := audioCall(t)
	rb.waitFor(t, 10*time.Second, ofType(EventTrackFrame))
	dtmf := tr.DTMF()
	if !dtmf.CanInsertDTMF() {
		t.Fatal("canInsertDTMF false on a negotiated audio sender")
	}
	if err := dtmf.InsertDTMF("12x", DTMFDefaultDuration, DTMFDefaultInterToneGap); !errors.Is(err, rtcerr.ErrInvalidCharacter) {
		t.Fatalf("insertDTMF(\"12x\"): %v, want InvalidCharacterError", err)
	}
	// the buffer a tonechange handler reads has lost its tone: in the spec
	// both are one task (7.2 Playout task steps 6-7)
	var seenInHandler []string
	ra.mu.Lock()
	ra.hook = func(e *Event) {
		if e.Type == EventDTMFToneChange {
			seenInHandler = append(seenInHandler, e.Tone+"|"+dtmf.ToneBuffer())
		}
	}
	ra.mu.Unlock()
	must(t, dtmf.InsertDTMF("1a#*", DTMFDefaultDuration, DTMFDefaultInterToneGap))
	if got := dtmf.ToneBuffer(); got != "1A#*" && got != "A#*" {
		t.Fatalf("toneBuffer %q, want the tones upper-cased", got)
	}
	end := func(e *Event) bool { return e.Type == EventDTMFToneChange && e.Tone == "" }
	ra.waitFor(t, 10*time.Second, end)
	ra.mu.Lock()
	ra.hook = nil
	ra.mu.Unlock()
	if got := strings.Join(seenInHandler, " "); got != "1|A#* A|#* #|* *| |" {
		t.Fatalf("tone|toneBuffer in each tonechange handler: %s", got)
	}
	// a tone clamped to 40 ms, one past a 48 kHz duration field (1365 ms) in two segments
	must(t, dtmf.InsertDTMF("9", 10*time.Millisecond, 0))
	ra.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventDTMFToneChange && e.Tone == "9" })
	must(t, dtmf.InsertDTMF("D", 1500*time.Millisecond, 0))
	rb.waitFor(t, 20*time.Second, func(e *Event) bool { return e.Type == EventDTMFTone && e.Tone == "D" })
	want := "1:100 A:100 #:100 *:100 9:40 D:1500"
	if got := strings.Join(tones(rb), " "); got != want {
		t.Fatalf("received %q, want %q", got, want)
	}
	var changes []string
	ra.mu.Lock()
	for _, e := range ra.events {
		if e.Type == EventDTMFToneChange {
			changes = append(changes, fmt.Sprintf("%q", e.Tone))
		}
	}
	ra.mu.Unlock()
	if got := strings.Join(changes, " "); !strings.HasPrefix(got, `"1" "A" "#" "*" "" "9"`) {
		t.Fatalf("tonechange events %s", got)
	}
	// the audio: every frame an Opus packet, in order, none dropped
	rb.mu.Lock()
	defer rb.mu.Unlock()
	last := -1
	for _, e := range rb.events {
		if e.Type != EventTrackFrame {
			continue
		}
		var i int
		if _, err := fmt.Sscanf(string(e.Data), "opus-%06d", &i); err != nil || !bytes.HasPrefix(e.Data, []byte("opus-")) {
			t.Fatalf("a frame that is not audio: %q", e.Data)
		}
		if last >= 0 && (i != last+1 || e.PacketsDropped != 0) {
			t.Fatalf("audio frame %d after %d, %d dropped", i, last, e.PacketsDropped)
		}
		last = i
	}
}
