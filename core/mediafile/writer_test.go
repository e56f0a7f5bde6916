package mediafile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

func TestMediaWriterOpenFailsForAnUncreatablePath(t *testing.T) {
	for _, name := range []string{"out.ivf", "out.ogg", "out.h264"} {
		path := "/nonexistent/dir/" + name
		w, err := OpenWriter(path, Options{})
		if !errors.Is(err, rtcerr.ErrOperation) || !strings.Contains(err.Error(), path) {
			t.Fatalf("%s: writer %v, error %v", path, w, err)
		}
	}
	// a creatable path: the file exists from open on, with its IVF header
	path := filepath.Join(t.TempDir(), "out.ivf")
	w, err := OpenWriter(path, Options{Codec: "vp8"})
	must(t, err)
	must(t, w.Close())
	data, err := os.ReadFile(path)
	must(t, err)
	if len(data) != 32 || string(data[:4]) != "DKIF" {
		t.Fatalf("IVF file of %d bytes: %q", len(data), data)
	}
}
