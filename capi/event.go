package main

/*
#include "bridge.h"
*/
import "C"

import (
	"unsafe"

	"github.com/omnirtc/omnirtc/core"
)

// cMemory places an event's strings and payload where C reads them.
type cMemory interface {
	str(s string) *C.char
	payload(b []byte) *C.uint8_t
}

// member is the union member of c as T (cgo sees the anonymous union as bytes).
func member[T any](c *C.omnirtc_event_t) *T {
	return (*T)(unsafe.Pointer(&c.anon0))
}

// fill writes the C event of d, the one place that knows which union member
// each event type has (the header's event table).
func fill(c *C.omnirtc_event_t, d delivered, peerID uint64, mem cMemory) {
	e := d.e
	*c = C.omnirtc_event_t{_type: C.int32_t(e.Type), peer: C.omnirtc_peer_t(peerID)}
	channel := C.omnirtc_channel_t(d.channelID)
	track := C.omnirtc_track_t(d.ids.track)
	switch e.Type {
	case core.EventICECandidate:
		*member[C.struct_omnirtc_event_ice_candidate](c) = C.struct_omnirtc_event_ice_candidate{
			candidate: mem.str(e.Candidate), sdp_mid: mem.str(e.SDPMid), sdp_mline_index: C.int32_t(e.SDPMLineIndex),
		}
	case core.EventICEGatheringState, core.EventICEConnectionState, core.EventConnectionState,
		core.EventSignalingState:
		*member[C.struct_omnirtc_event_state](c) = C.struct_omnirtc_event_state{
			value: C.int32_t(e.State), name: mem.str(e.StateName), gathering: C.int64_t(e.Gathering),
		}
	case core.EventTransportState:
		*member[C.struct_omnirtc_event_transport_state](c) = C.struct_omnirtc_event_transport_state{
			transport: C.int32_t(e.Transport), value: C.int32_t(e.State), name: mem.str(e.StateName),
		}
	case core.EventSelectedCandidatePair:
		*member[C.struct_omnirtc_event_selected_pair](c) = C.struct_omnirtc_event_selected_pair{
			local: mem.str(e.LocalCandidate), remote: mem.str(e.RemoteCandidate),
		}
	case core.EventDataChannel, core.EventChannelOpen, core.EventChannelBufferedLow, core.EventChannelClosing,
		core.EventChannelClose:
		*member[C.struct_omnirtc_event_channel](c) = C.struct_omnirtc_event_channel{
			channel: channel, info_json: strOrEmpty(mem, e.ChannelInfo), // "" but at DATA_CHANNEL and OPEN
		}
	case core.EventChannelMessage:
		*member[C.struct_omnirtc_event_message](c) = C.struct_omnirtc_event_message{
			channel: channel, data: mem.payload(e.Data), size: C.size_t(len(e.Data)), binary: cBool(e.Binary),
		}
	case core.EventChannelError:
		*member[C.struct_omnirtc_event_channel_error](c) = C.struct_omnirtc_event_channel_error{
			channel: channel, message: mem.str(e.Error),
		}
	case core.EventTrack:
		*member[C.struct_omnirtc_event_track](c) = C.struct_omnirtc_event_track{
			track: track, transceiver: C.omnirtc_transceiver_t(d.ids.transceiver), rid: mem.str(e.RID),
			info_json: mem.str(e.TrackInfo),
		}
	case core.EventTrackRTP:
		*member[C.struct_omnirtc_event_rtp](c) = C.struct_omnirtc_event_rtp{
			track: track, data: mem.payload(e.Data), size: C.size_t(len(e.Data)), rtp_timestamp: C.uint32_t(e.Timestamp),
			spatial_id: C.int16_t(e.Layer.SpatialID), temporal_id: C.int16_t(e.Layer.TemporalID), //nolint:gosec // G115: layer ids are at most 7
			keyframe: layerFlag(e.LayerDescribed, e.Layer.Keyframe), switch_point: layerFlag(e.LayerDescribed, e.Layer.SwitchPoint),
		}
	case core.EventTrackFrame:
		*member[C.struct_omnirtc_event_frame](c) = C.struct_omnirtc_event_frame{
			track: track, data: mem.payload(e.Data), size: C.size_t(len(e.Data)), rtp_timestamp: C.uint32_t(e.Timestamp),
			keyframe: cBool(e.Keyframe), packets_dropped: C.int64_t(e.PacketsDropped),
		}
	case core.EventTrackEnded:
		member[C.struct_omnirtc_event_track_ended](c).track = track
	case core.EventTrackMute, core.EventTrackUnmute:
		member[C.struct_omnirtc_event_track_mute](c).track = track
	case core.EventKeyframeRequest:
		*member[C.struct_omnirtc_event_keyframe_request](c) = C.struct_omnirtc_event_keyframe_request{
			transceiver: C.omnirtc_transceiver_t(d.ids.transceiver), rid: mem.str(e.RID), kind: C.int32_t(e.KeyframeKind),
		}
	case core.EventTargetBitrate:
		*member[C.struct_omnirtc_event_target_bitrate](c) = C.struct_omnirtc_event_target_bitrate{
			bits_per_second: C.int64_t(e.BitsPerSecond), source: C.int32_t(e.BitrateSource),
			streams_json: mem.str(e.Streams),
		}
	case core.EventDTMFToneChange:
		*member[C.struct_omnirtc_event_dtmf_tone_change](c) = C.struct_omnirtc_event_dtmf_tone_change{
			transceiver: C.omnirtc_transceiver_t(d.ids.transceiver), tone: mem.str(e.Tone),
		}
	case core.EventDTMFTone:
		*member[C.struct_omnirtc_event_dtmf_tone](c) = C.struct_omnirtc_event_dtmf_tone{
			track: track, tone: mem.str(e.Tone), duration_ms: C.int32_t(e.Duration),
		}
	case core.EventNegotiationNeeded, core.EventPeerClosed: // type and peer only
	}
}

// callMemory is the memory of a pushed event: C strings freed after the
// callback; the payload stays Go memory, which cgo lets C read during the
// call but not find inside the event, so the trampoline sets it.
type callMemory struct {
	strs [5]*C.char // a TURN event has five
	n    int
}

func (m *callMemory) str(s string) *C.char {
	c := C.CString(s)
	m.strs[m.n] = c
	m.n++

	return c
}

func (*callMemory) payload([]byte) *C.uint8_t { return nil }

func (m *callMemory) free() {
	for _, s := range m.strs[:m.n] {
		C.free(unsafe.Pointer(s))
	}
}

// emit calls the C callback of d.
func emit(d delivered, peerID uint64) {
	var c C.omnirtc_event_t
	var mem callMemory
	fill(&c, d, peerID, &mem)
	var payload unsafe.Pointer
	if len(d.e.Data) > 0 {
		payload = unsafe.Pointer(&d.e.Data[0]) // Go memory without pointers, used only during the call
	}
	C.ortc_bridge_emit(d.target.fn, d.target.userData, c, payload)
	mem.free()
}

// arenaSize counts the bytes a batch's strings and payloads take.
type arenaSize struct{ n int }

func (a *arenaSize) str(s string) *C.char {
	a.n += len(s) + 1

	return nil
}

func (a *arenaSize) payload(b []byte) *C.uint8_t {
	a.n += len(b)

	return nil
}

// arena copies a batch's strings and payloads into one C allocation.
type arena struct {
	buf []byte
	at  int
}

func (a *arena) str(s string) *C.char {
	start := unsafe.Pointer(&a.buf[a.at])
	a.at += copy(a.buf[a.at:], s)
	a.buf[a.at] = 0
	a.at++

	return (*C.char)(start)
}

func (a *arena) payload(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	start := unsafe.Pointer(&a.buf[a.at])
	a.at += copy(a.buf[a.at:], b)

	return (*C.uint8_t)(start)
}

func cBool(b bool) C.int32_t {
	if b {
		return 1
	}

	return 0
}

// layerFlag is a flag of a packet's layer: -1 when the packet describes no
// layer.
func layerFlag(described, b bool) C.int32_t {
	if !described {
		return -1
	}

	return cBool(b)
}

// emptyString is the "" of empty event fields (strOrEmpty): static C
// memory, so an event with one points into no batch and costs no allocation.
var emptyString = C.ortc_empty_string()

// strOrEmpty places s by mem, or gives emptyString for "".
func strOrEmpty(mem cMemory, s string) *C.char {
	if s == "" {
		return emptyString
	}

	return mem.str(s)
}
