package main

/*
#include "bridge.h"
*/
import "C"

import (
	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/forward"
)

// forwarder is the table entry of a forwarder, owned by the host.
type forwarder struct{ f *core.Forwarder }

func (*forwarder) kind() string { return "forwarder" }

// putForwarder makes the handle of a new forwarder.
func putForwarder(f *core.Forwarder, err error, out *C.omnirtc_forwarder_t) error {
	if err != nil {
		return err
	}
	*out = C.omnirtc_forwarder_t(handles.add(&forwarder{f: f}))

	return nil
}

//export ortc_go_forwarder_create
func ortc_go_forwarder_create(track C.omnirtc_track_t, out *C.omnirtc_forwarder_t) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "forwarder_out"); err != nil {
			return err
		}
		r, err := lookup[*remoteTrack](uint64(track))
		if err != nil {
			return err
		}
		f, err := core.NewTrackForwarder(r.r)

		return putForwarder(f, err, out)
	})
}

//export ortc_go_forwarder_create_group
func ortc_go_forwarder_create_group(th C.omnirtc_transceiver_t, out *C.omnirtc_forwarder_t) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(out, "forwarder_out"); err != nil {
			return err
		}
		tr, err := lookupTransceiver(th)
		if err != nil {
			return err
		}
		f, err := core.NewGroupForwarder(tr)

		return putForwarder(f, err, out)
	})
}

// withSubscriber runs body on a forwarder and one of its subscriber tracks.
func withSubscriber(h C.omnirtc_forwarder_t, track C.omnirtc_track_t, body func(*core.Forwarder, *core.LocalTrack) error) C.omnirtc_status_t {
	return with(uint64(h), func(f *forwarder) error {
		t, err := lookupLocal(track)
		if err != nil {
			return err
		}

		return body(f.f, t)
	})
}

func layerOf(rid *C.omnirtc_cchar_t, temporal C.int32_t) forward.Layer {
	return forward.Layer{RID: optString(rid), Temporal: int(temporal), Spatial: forward.AllSpatial}
}

//export ortc_go_forwarder_add_subscriber
func ortc_go_forwarder_add_subscriber(h C.omnirtc_forwarder_t, track C.omnirtc_track_t, rid *C.omnirtc_cchar_t,
	temporal C.int32_t,
) C.omnirtc_status_t {
	return withSubscriber(h, track, func(f *core.Forwarder, t *core.LocalTrack) error {
		return f.AddSubscriber(t, layerOf(rid, temporal))
	})
}

// withLayerJSON runs apply on a forwarder, one of its subscriber tracks and
// a layer asked for as JSON (core.ParseSubscriberLayer).
func withLayerJSON(h C.omnirtc_forwarder_t, track C.omnirtc_track_t, layer *C.omnirtc_cchar_t,
	apply func(*core.Forwarder, *core.LocalTrack, forward.Layer) error,
) C.omnirtc_status_t {
	return withSubscriber(h, track, func(f *core.Forwarder, t *core.LocalTrack) error {
		text, err := goString(layer, "layer_json")
		if err != nil {
			return err
		}
		l, err := core.ParseSubscriberLayer([]byte(text))
		if err != nil {
			return err
		}

		return apply(f, t, l)
	})
}

//export ortc_go_forwarder_add_subscriber_json
func ortc_go_forwarder_add_subscriber_json(h C.omnirtc_forwarder_t, track C.omnirtc_track_t, layer *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return withLayerJSON(h, track, layer, (*core.Forwarder).AddSubscriber)
}

//export ortc_go_forwarder_set_layer_json
func ortc_go_forwarder_set_layer_json(h C.omnirtc_forwarder_t, track C.omnirtc_track_t, layer *C.omnirtc_cchar_t) C.omnirtc_status_t {
	return withLayerJSON(h, track, layer, (*core.Forwarder).SetLayer)
}

//export ortc_go_forwarder_remove_subscriber
func ortc_go_forwarder_remove_subscriber(h C.omnirtc_forwarder_t, track C.omnirtc_track_t) C.omnirtc_status_t {
	return withSubscriber(h, track, (*core.Forwarder).RemoveSubscriber)
}

//export ortc_go_forwarder_set_layer
func ortc_go_forwarder_set_layer(h C.omnirtc_forwarder_t, track C.omnirtc_track_t, rid *C.omnirtc_cchar_t,
	temporal C.int32_t,
) C.omnirtc_status_t {
	return withSubscriber(h, track, func(f *core.Forwarder, t *core.LocalTrack) error {
		return f.SetLayer(t, layerOf(rid, temporal))
	})
}

//export ortc_go_forwarder_get_layer
func ortc_go_forwarder_get_layer(h C.omnirtc_forwarder_t, track C.omnirtc_track_t, jsonOut **C.char) C.omnirtc_status_t {
	return withSubscriber(h, track, func(f *core.Forwarder, t *core.LocalTrack) error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		l, err := f.Layer(t)
		if err != nil {
			return err
		}

		return putJSON(jsonOut, l)
	})
}

//export ortc_go_forwarder_set_auto
func ortc_go_forwarder_set_auto(h C.omnirtc_forwarder_t, track C.omnirtc_track_t, enabled C.int32_t) C.omnirtc_status_t {
	return withSubscriber(h, track, func(f *core.Forwarder, t *core.LocalTrack) error {
		return f.SetAuto(t, enabled != 0)
	})
}

//export ortc_go_forwarder_free
func ortc_go_forwarder_free(h C.omnirtc_forwarder_t) C.omnirtc_status_t {
	return with(uint64(h), func(f *forwarder) error {
		handles.remove(uint64(h))
		f.f.Close()

		return nil
	})
}
