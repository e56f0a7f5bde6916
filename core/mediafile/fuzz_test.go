package mediafile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/omnirtc/omnirtc/core/internal/rtptest"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// Fuzz targets for the media file options, readers and writers on
// arbitrary bytes: each returns an error of one of rtcerr's kinds or works,
// never panics or hangs.

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func checkKind(t *testing.T, err error) {
	t.Helper()
	if err != nil && !rtcerr.HasKind(err) {
		t.Fatalf("error without a kind: %v", err)
	}
}

// FuzzOptions parses media file options and finds their format.
func FuzzOptions(f *testing.F) {
	f.Add([]byte(`{"format":"ivf","codec":"vp9","width":640,"height":480}`))
	f.Add([]byte(`{"format":"ogg","sampleRate":48000,"channels":2}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		o, err := ParseOptions(text)
		checkKind(t, err)
		if err == nil {
			_, err = formatOf("x.bin", o.Format)
			checkKind(t, err)
		}
	})
}

// fileSeeds makes a small valid file of each format with the writers.
func fileSeeds(f *testing.F) map[string][]byte {
	f.Helper()
	dir := f.TempDir()
	seeds := map[string][]byte{}
	for _, c := range []struct {
		format  string
		payload []byte
	}{
		{"ivf", []byte{0x90, 0x80, 0x80, 0x01, 0x10, 0x02, 0x9d, 0x01, 0x2a, 1, 2, 3}}, // VP8 descriptor + keyframe
		{"ogg", []byte{0xfc, 1, 2, 3, 4}},
		{"h264", []byte{0x78, 0, 4, 0x67, 0x42, 0, 0x1f, 0, 3, 0x68, 0xce, 0x3c, 0, 3, 0x65, 0x88, 0x84}}, // STAP-A
	} {
		path := filepath.Join(dir, "seed."+c.format)
		w, err := OpenWriter(path, Options{Format: c.format})
		must(f, err)
		for i := range uint16(4) {
			must(f, w.WriteRTP(rtptest.Packet(i, c.payload)))
		}
		must(f, w.Close())
		data, err := os.ReadFile(path)
		must(f, err)
		seeds[c.format] = data
	}

	return seeds
}

var formats = []string{"ivf", "ogg", "h264"}

// FuzzReader opens arbitrary bytes as an IVF, Ogg/Opus or H.264
// Annex-B file and reads every frame: an error with a kind, never a panic
// or a hang.
func FuzzReader(f *testing.F) {
	for i, format := range formats {
		f.Add(uint8(i), fileSeeds(f)[format])
	}
	f.Add(uint8(0), []byte("DKIF\x00\x00\x20\x00VP80\x80\x02\xe0\x01\x1e\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"))
	f.Add(uint8(2), []byte{0, 0, 1, 9, 0, 0, 1})
	path := filepath.Join(f.TempDir(), "in") // one per worker process: inputs run one at a time
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		format := formats[int(which)%len(formats)]
		must(t, os.WriteFile(path, data, 0o600))
		r, err := OpenReader(path, Options{Format: format})
		checkKind(t, err)
		if err != nil {
			return
		}
		defer func() { must(t, r.Close()) }()
		total := 0
		for i := 0; ; i++ {
			frame, ok, err := r.Next()
			checkKind(t, err)
			if err != nil || !ok {
				return
			}
			total += len(frame.Data)
			if i > len(data)+2 || total > 2*len(data)+64 {
				t.Fatalf("%s: %d frames, %d bytes from a %d-byte file", format, i+1, total, len(data))
			}
		}
	})
}

// FuzzWriter writes fuzzed RTP packets into each writer and closes it.
func FuzzWriter(f *testing.F) {
	f.Add(uint8(0), rtptest.Packet(1, []byte{0x90, 0x80, 0x80, 0x01, 0x10, 0x02, 0x9d, 0x01, 0x2a}))
	f.Add(uint8(1), rtptest.Packet(1, []byte{0xfc, 1}))
	f.Add(uint8(2), rtptest.Packet(1, []byte{0x7c, 0x85, 1, 2}))
	f.Add(uint8(2), rtptest.Packet(1, []byte{0x78, 0, 9}))
	f.Fuzz(func(t *testing.T, which uint8, packet []byte) {
		format := formats[int(which)%len(formats)]
		w, err := OpenWriter(filepath.Join(t.TempDir(), "out"), Options{Format: format})
		must(t, err)
		checkKind(t, w.WriteRTP(packet))
		checkKind(t, w.WriteRTP(packet))
		checkKind(t, w.Close())
	})
}
