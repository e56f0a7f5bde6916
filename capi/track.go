package main

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"time"
	"unsafe"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// localTrack is the table entry of a local track; it belongs to no peer.
type localTrack struct{ t *core.LocalTrack }

func (*localTrack) kind() string { return "track" }

// remoteTrack is the table entry of a remote track, owned by its peer.
type remoteTrack struct {
	id uint64
	r  *core.RemoteTrack
}

func (*remoteTrack) kind() string { return "remote track" }

// transceiver is the table entry of a transceiver, owned by its peer.
type transceiver struct {
	id   uint64
	t    *core.Transceiver
	peer *peer
}

func (*transceiver) kind() string { return "transceiver" }

// peerMedia holds a peer's media handles; guarded by the peer's mutex.
type peerMedia struct {
	transceivers map[*core.Transceiver]*transceiver
	remotes      map[*core.RemoteTrack]*remoteTrack
}

func (m *peerMedia) release() {
	for _, t := range m.transceivers {
		handles.remove(t.id)
	}
	for _, r := range m.remotes {
		handles.remove(r.id)
	}
	m.transceivers, m.remotes = nil, nil
}

// adopt returns the entry of key in *m, making it (and its handle) with
// newEntry the first time; ok is false once the peer is closed.
func adopt[K comparable, V any](p *peer, m *map[K]V, key K, newEntry func() V) (entry V, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return entry, false
	}
	if *m == nil {
		*m = map[K]V{}
	}
	if e, found := (*m)[key]; found {
		return e, true
	}
	entry = newEntry()
	(*m)[key] = entry

	return entry, true
}

// transceiverFor returns the entry of a core transceiver; nil once the
// peer is closed.
func (p *peer) transceiverFor(t *core.Transceiver) *transceiver {
	e, _ := adopt(p, &p.media.transceivers, t, func() *transceiver {
		e := &transceiver{t: t, peer: p}
		e.id = handles.add(e)

		return e
	})

	return e
}

func (p *peer) remoteFor(r *core.RemoteTrack) *remoteTrack {
	e, _ := adopt(p, &p.media.remotes, r, func() *remoteTrack {
		e := &remoteTrack{r: r}
		e.id = handles.add(e)

		return e
	})

	return e
}

// mediaIDs are the handles an event refers to.
type mediaIDs struct{ track, transceiver uint64 }

// mediaIDs resolves an event's transceiver and remote track to handles,
// releasing the track's handle before its final event; ok is false once the
// peer is closed.
func (p *peer) mediaIDs(e *core.Event) (ids mediaIDs, ok bool) {
	if e.Transceiver != nil {
		t := p.transceiverFor(e.Transceiver)
		if t == nil {
			return ids, false
		}
		ids.transceiver = t.id
	}
	if e.RemoteTrack != nil {
		r := p.remoteFor(e.RemoteTrack)
		if r == nil {
			return ids, false
		}
		ids.track = r.id
		if e.Type == core.EventTrackEnded {
			p.mu.Lock()
			delete(p.media.remotes, e.RemoteTrack)
			p.mu.Unlock()
			handles.remove(r.id)
		}
	}

	return ids, true
}

// with runs body on the object behind a handle, as one export.
func with[T any](h uint64, body func(T) error) C.omnirtc_status_t {
	return call(func() error {
		obj, err := lookup[T](h)
		if err != nil {
			return err
		}

		return body(obj)
	})
}

func lookupLocal(h C.omnirtc_track_t) (*core.LocalTrack, error) {
	t, err := lookup[*localTrack](uint64(h))
	if err != nil {
		return nil, err
	}

	return t.t, nil
}

func lookupTransceiver(h C.omnirtc_transceiver_t) (*core.Transceiver, error) {
	t, err := lookup[*transceiver](uint64(h))
	if err != nil {
		return nil, err
	}

	return t.t, nil
}

// putJSON marshals v into a library-allocated C string.
func putJSON(out **C.char, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	*out = C.CString(string(b))

	return nil
}

// borrowBytes views C memory as a slice for the duration of a call.
func borrowBytes(data *C.omnirtc_cvoid_t, size C.size_t, name string) ([]byte, error) {
	if data == nil {
		if size > 0 {
			return nil, errNullArgf("%s is NULL but size is %d", name, size)
		}

		return nil, nil
	}
	if size > 1<<30 {
		return nil, fmt.Errorf("%w: %s of %d bytes", rtcerr.ErrTooLarge, name, size)
	}

	return unsafe.Slice((*byte)(unsafe.Pointer(data)), int(size)), nil
}

//export ortc_go_track_create
func ortc_go_track_create(initJSON *C.omnirtc_cchar_t, out *C.omnirtc_track_t) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "track_out"); err != nil {
			return err
		}
		init, err := core.ParseTrackInit([]byte(optString(initJSON)))
		if err != nil {
			return err
		}
		t, err := core.NewLocalTrack(init)
		if err != nil {
			return err
		}
		*out = C.omnirtc_track_t(handles.add(&localTrack{t: t}))

		return nil
	})
}

// writeTrack is the body of both track writes.
func writeTrack(h C.omnirtc_track_t, data *C.omnirtc_cvoid_t, size C.size_t, name string,
	write func(*core.LocalTrack, []byte) error,
) (status C.omnirtc_status_t) {
	defer guard(&status)
	t, err := lookupLocal(h)
	if err != nil {
		return fail(err)
	}
	b, err := borrowBytes(data, size, name)
	if err != nil {
		return fail(err)
	}

	return fail(write(t, b))
}

//export ortc_go_track_write_sample
func ortc_go_track_write_sample(h C.omnirtc_track_t, rid *C.omnirtc_cchar_t, data *C.omnirtc_cvoid_t, size C.size_t,
	durationUs C.uint64_t,
) C.omnirtc_status_t {
	return writeTrack(h, data, size, "data", func(t *core.LocalTrack, b []byte) error {
		return t.WriteSample(optString(rid), b, time.Duration(durationUs)*time.Microsecond)
	})
}

//export ortc_go_track_write_rtp
func ortc_go_track_write_rtp(h C.omnirtc_track_t, rid *C.omnirtc_cchar_t, packet *C.omnirtc_cvoid_t,
	size C.size_t,
) C.omnirtc_status_t {
	return writeTrack(h, packet, size, "packet", func(t *core.LocalTrack, b []byte) error {
		return t.WriteRTP(optString(rid), b)
	})
}

//export ortc_go_track_set_receive
func ortc_go_track_set_receive(h C.omnirtc_track_t, optionsJSON *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return with(uint64(h), func(r *remoteTrack) error {
		o, err := core.ParseReceiveOptions([]byte(optString(optionsJSON)))
		if err != nil {
			return err
		}
		r.r.SetReceiveOptions(o)

		return nil
	})
}

//export ortc_go_track_request_keyframe
func ortc_go_track_request_keyframe(h C.omnirtc_track_t, fir C.int32_t) C.omnirtc_status_t {
	return with(uint64(h), func(r *remoteTrack) error { return r.r.RequestKeyframe(fir != 0) })
}

//export ortc_go_track_request_bitrate
func ortc_go_track_request_bitrate(h C.omnirtc_track_t, bitrate C.int64_t) C.omnirtc_status_t {
	return with(uint64(h), func(r *remoteTrack) error { return r.r.RequestBitrate(int64(bitrate)) })
}

//export ortc_go_track_get_info
func ortc_go_track_get_info(h C.omnirtc_track_t, jsonOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		if r, err := lookup[*remoteTrack](uint64(h)); err == nil {
			return putJSON(jsonOut, r.r.Info())
		}
		t, err := lookupLocal(h)
		if err != nil {
			return err
		}

		return putJSON(jsonOut, t.Info())
	})
}

//export ortc_go_track_close
func ortc_go_track_close(h C.omnirtc_track_t) C.omnirtc_status_t {
	return with(uint64(h), func(t *localTrack) error {
		handles.remove(uint64(h))
		t.t.Close()

		return nil
	})
}

//export ortc_go_peer_add_track
func ortc_go_peer_add_track(h C.omnirtc_peer_t, track C.omnirtc_track_t, out *C.omnirtc_transceiver_t) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "transceiver_out"); err != nil {
			return err
		}
		p, err := lookup[*peer](uint64(h))
		if err != nil {
			return err
		}
		t, err := lookupLocal(track)
		if err != nil {
			return err
		}
		tr, err := p.pc.AddTrack(t)
		if err != nil {
			return err
		}

		return p.putTransceiver(tr, out)
	})
}

func (p *peer) putTransceiver(tr *core.Transceiver, out *C.omnirtc_transceiver_t) error {
	e := p.transceiverFor(tr)
	if e == nil {
		return fmt.Errorf("%w: peer connection is closed", rtcerr.ErrInvalidState)
	}
	*out = C.omnirtc_transceiver_t(e.id)

	return nil
}

//export ortc_go_peer_add_transceiver
func ortc_go_peer_add_transceiver(h C.omnirtc_peer_t, kind *C.omnirtc_cchar_t, track C.omnirtc_track_t,
	initJSON *C.omnirtc_cchar_t, out *C.omnirtc_transceiver_t,
) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "transceiver_out"); err != nil {
			return err
		}
		p, err := lookup[*peer](uint64(h))
		if err != nil {
			return err
		}
		var t *core.LocalTrack
		if track != 0 {
			if t, err = lookupLocal(track); err != nil {
				return err
			}
		} else if kind == nil {
			return fmt.Errorf("%w: kind is NULL and track is 0", errNullArg)
		}
		init, err := core.ParseTransceiverInit([]byte(optString(initJSON)))
		if err != nil {
			return err
		}
		tr, err := p.pc.AddTransceiver(optString(kind), t, init)
		if err != nil {
			return err
		}

		return p.putTransceiver(tr, out)
	})
}

//export ortc_go_peer_remove_track
func ortc_go_peer_remove_track(h C.omnirtc_peer_t, th C.omnirtc_transceiver_t) C.omnirtc_status_t {
	return call(func() error {
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		tr, err := lookupTransceiver(th)
		if err != nil {
			return err
		}

		return pc.RemoveTrack(tr)
	})
}

//export ortc_go_transceiver_replace_track
func ortc_go_transceiver_replace_track(th C.omnirtc_transceiver_t, track C.omnirtc_track_t) C.omnirtc_status_t {
	return with(uint64(th), func(tr *transceiver) error {
		var t *core.LocalTrack
		if track != 0 {
			var err error
			if t, err = lookupLocal(track); err != nil {
				return err
			}
		}

		return tr.t.ReplaceTrack(t)
	})
}

//export ortc_go_transceiver_set_codec_preferences
func ortc_go_transceiver_set_codec_preferences(th C.omnirtc_transceiver_t, codecsJSON *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return with(uint64(th), func(tr *transceiver) error {
		text, err := goString(codecsJSON, "codecs_json")
		if err != nil {
			return err
		}
		prefs, err := core.ParseCodecPreferences([]byte(text))
		if err != nil {
			return err
		}

		return tr.t.SetCodecPreferences(prefs)
	})
}

//export ortc_go_transceiver_get_info
func ortc_go_transceiver_get_info(th C.omnirtc_transceiver_t, jsonOut **C.char) C.omnirtc_status_t {
	return with(uint64(th), func(tr *transceiver) error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}

		return putJSON(jsonOut, tr.t.Info())
	})
}

//export ortc_go_transceiver_set_direction
func ortc_go_transceiver_set_direction(th C.omnirtc_transceiver_t, direction *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return with(uint64(th), func(tr *transceiver) error {
		text, err := goString(direction, "direction")
		if err != nil {
			return err
		}

		return tr.t.SetDirection(text)
	})
}

//export ortc_go_transceiver_set_parameters
func ortc_go_transceiver_set_parameters(th C.omnirtc_transceiver_t, paramsJSON *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return with(uint64(th), func(tr *transceiver) error {
		text, err := goString(paramsJSON, "params_json")
		if err != nil {
			return err
		}
		params, err := core.ParseSendParameters([]byte(text))
		if err != nil {
			return err
		}

		return tr.t.SetParameters(params)
	})
}

//export ortc_go_rtp_capabilities
func ortc_go_rtp_capabilities(kind *C.omnirtc_cchar_t, jsonOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		text, err := goString(kind, "kind")
		if err != nil {
			return err
		}
		capabilities, err := core.RTPCapabilities(text)
		if err != nil {
			return err
		}

		return putJSON(jsonOut, capabilities)
	})
}

//export ortc_go_transceiver_stop
func ortc_go_transceiver_stop(th C.omnirtc_transceiver_t) C.omnirtc_status_t {
	return with(uint64(th), func(tr *transceiver) error { return tr.t.Stop() })
}
