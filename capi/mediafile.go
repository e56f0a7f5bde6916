package main

/*
#include "bridge.h"
*/
import "C"

import (
	"fmt"
	"sync"

	"github.com/omnirtc/omnirtc/core/mediafile"
)

// mediaReader and mediaWriter serialize the calls on one handle: a file is
// not safe for concurrent use, and of several closes racing only the first
// closes it (the others get OMNIRTC_ERR_INVALID_HANDLE, as after it).
type mediaReader struct {
	mu     sync.Mutex
	r      *mediafile.Reader
	closed bool
}

func (*mediaReader) kind() string { return "media reader" }

type mediaWriter struct {
	mu     sync.Mutex
	w      *mediafile.Writer
	closed bool
}

func (*mediaWriter) kind() string { return "media writer" }

func errClosed(h uint64) error { return fmt.Errorf("%w: handle %d was closed", errInvalidHandle, h) }

// mediaFileArgs reads the path and options of a reader or writer.
func mediaFileArgs(path, optionsJSON *C.omnirtc_cchar_t) (string, mediafile.Options, error) {
	name, err := goString(path, "path")
	if err != nil {
		return "", mediafile.Options{}, err
	}
	opts, err := mediafile.ParseOptions([]byte(optString(optionsJSON)))

	return name, opts, err
}

//export ortc_go_media_reader_open
func ortc_go_media_reader_open(path, optionsJSON *C.omnirtc_cchar_t, out *C.omnirtc_media_reader_t,
	infoOut **C.char,
) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "reader_out"); err != nil {
			return err
		}
		name, opts, err := mediaFileArgs(path, optionsJSON)
		if err != nil {
			return err
		}
		r, err := mediafile.OpenReader(name, opts)
		if err != nil {
			return err
		}
		if infoOut != nil {
			if err := putJSON(infoOut, r.Info()); err != nil {
				_ = r.Close()

				return err
			}
		}
		*out = C.omnirtc_media_reader_t(handles.add(&mediaReader{r: r}))

		return nil
	})
}

//export ortc_go_media_reader_next
func ortc_go_media_reader_next(h C.omnirtc_media_reader_t, dataOut **C.uint8_t, sizeOut *C.size_t,
	durationOut *C.uint64_t, keyframeOut *C.int32_t,
) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(dataOut, "data_out"); err != nil {
			return err
		}
		if err := needOut(sizeOut, "size_out"); err != nil {
			return err
		}
		r, err := lookup[*mediaReader](uint64(h))
		if err != nil {
			return err
		}
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()

			return errClosed(uint64(h))
		}
		frame, ok, err := r.r.Next()
		r.mu.Unlock()
		if err != nil {
			return err
		}
		*dataOut, *sizeOut = nil, 0
		if !ok {
			return nil
		}
		if len(frame.Data) > 0 {
			*dataOut = (*C.uint8_t)(C.CBytes(frame.Data))
			*sizeOut = C.size_t(len(frame.Data))
		}
		if durationOut != nil {
			*durationOut = C.uint64_t(frame.Duration.Microseconds())
		}
		if keyframeOut != nil {
			*keyframeOut = 0
			if frame.Keyframe {
				*keyframeOut = 1
			}
		}

		return nil
	})
}

//export ortc_go_media_reader_close
func ortc_go_media_reader_close(h C.omnirtc_media_reader_t) C.omnirtc_status_t {
	return with(uint64(h), func(r *mediaReader) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.closed {
			return errClosed(uint64(h))
		}
		r.closed = true
		handles.remove(uint64(h))

		return r.r.Close()
	})
}

//export ortc_go_media_writer_open
func ortc_go_media_writer_open(path, optionsJSON *C.omnirtc_cchar_t, out *C.omnirtc_media_writer_t) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "writer_out"); err != nil {
			return err
		}
		name, opts, err := mediaFileArgs(path, optionsJSON)
		if err != nil {
			return err
		}
		w, err := mediafile.OpenWriter(name, opts)
		if err != nil {
			return err
		}
		*out = C.omnirtc_media_writer_t(handles.add(&mediaWriter{w: w}))

		return nil
	})
}

//export ortc_go_media_writer_write_rtp
func ortc_go_media_writer_write_rtp(h C.omnirtc_media_writer_t, packet *C.omnirtc_cvoid_t, size C.size_t) C.omnirtc_status_t {
	return with(uint64(h), func(w *mediaWriter) error {
		b, err := borrowBytes(packet, size, "packet")
		if err != nil {
			return err
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.closed {
			return errClosed(uint64(h))
		}

		return w.w.WriteRTP(b)
	})
}

//export ortc_go_media_writer_close
func ortc_go_media_writer_close(h C.omnirtc_media_writer_t) C.omnirtc_status_t {
	return with(uint64(h), func(w *mediaWriter) error {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.closed {
			return errClosed(uint64(h))
		}
		w.closed = true
		handles.remove(uint64(h))

		return w.w.Close()
	})
}
