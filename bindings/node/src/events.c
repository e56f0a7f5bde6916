/*
 * A peer's events, from the library's queue to JavaScript. Every peer is a
 * polled one (omnirtc_peer_create_polled). Its notify callback, on a Go
 * thread, only wakes the main thread through a thread-safe function; the
 * library notifies once per burst (again only after a poll found the queue
 * empty). On the main thread the drain takes the events in batches of BATCH,
 * hands each batch to onEvents in one call, and goes on until a poll returns
 * fewer than BATCH, or, after TURN batches, lets the event loop have a turn
 * (setImmediate) before it goes on: a remote that keeps the queue full must
 * not starve timers and I/O. The queue and its backpressure are the library's: while
 * JavaScript falls behind, its byte budget fills, the channels stop reading
 * and SCTP pushes the sender back, so nothing is queued here. The function
 * keeps the event loop alive until PEER_CLOSED has been polled, then is
 * released, so a process with no open peer connection can exit.
 *
 * onEvents(batch): batch holds STRIDE values per event: type, channel, data,
 * fields. Consecutive messages of one channel are one entry whose data is an
 * array of their payloads, a string for text, else an ArrayBuffer. For the
 * other events channel is the channel's handle (0 for none), data the packet
 * or frame of TRACK_RTP and TRACK_FRAME (an ArrayBuffer), and fields the
 * event's union member with the header's field names in camelCase, less
 * those in channel and data (undefined for the types without one).
 */
#include "addon.h"

#define BATCH 256
#define TURN 16 /* batches taken before the event loop gets a turn */
#define STRIDE 4

struct peer_events {
	napi_threadsafe_function tsfn;
	bool resuming;       /* a drain waits for its setImmediate */
	bool finalized;      /* the function is gone: the waiting drain frees this */
	omnirtc_peer_t peer; /* 0 before omnirtc_peer_create_polled returned and after PEER_CLOSED */
	omnirtc_event_t batch[BATCH];
};

void events_notify(void *user_data, omnirtc_peer_t peer) {
	(void)peer;
	peer_events *events = user_data;
	napi_call_threadsafe_function(events->tsfn, NULL, napi_tsfn_nonblocking);
}

static void put(napi_env env, napi_value object, const char *name, napi_value v) {
	napi_set_named_property(env, object, name, v);
}

static napi_value int32(napi_env env, int32_t i) {
	napi_value v;
	napi_create_int32(env, i, &v);
	return v;
}

static napi_value number(napi_env env, double d) {
	napi_value v;
	napi_create_double(env, d, &v);
	return v;
}

static napi_value boolean(napi_env env, int32_t b) {
	napi_value v;
	napi_get_boolean(env, b != 0, &v);
	return v;
}

static napi_value payload(napi_env env, const struct omnirtc_event_message *m) {
	napi_value v;
	if (m->binary)
		return from_bytes(env, m->data, m->size);
	napi_create_string_utf8(env, m->size > 0 ? (const char *)m->data : "", m->size, &v);
	return v;
}

/* Sets the data and fields of e at batch[at] (see onEvents above). */
static void set_fields(napi_env env, napi_value batch, uint32_t at, const omnirtc_event_t *e) {
	napi_value f;
	napi_create_object(env, &f);
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_CANDIDATE:
		put(env, f, "candidate", from_string(env, e->ice_candidate.candidate));
		put(env, f, "sdpMid", from_string(env, e->ice_candidate.sdp_mid));
		put(env, f, "sdpMLineIndex", int32(env, e->ice_candidate.sdp_mline_index));
		break;
	case OMNIRTC_EVENT_ICE_GATHERING_STATE:
	case OMNIRTC_EVENT_ICE_CONNECTION_STATE:
	case OMNIRTC_EVENT_CONNECTION_STATE:
	case OMNIRTC_EVENT_SIGNALING_STATE:
		put(env, f, "value", int32(env, e->state.value));
		put(env, f, "name", from_string(env, e->state.name));
		put(env, f, "gathering", number(env, (double)e->state.gathering));
		break;
	case OMNIRTC_EVENT_TRANSPORT_STATE:
		put(env, f, "transport", int32(env, e->transport_state.transport));
		put(env, f, "value", int32(env, e->transport_state.value));
		put(env, f, "name", from_string(env, e->transport_state.name));
		break;
	case OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR:
		put(env, f, "local", from_string(env, e->selected_pair.local));
		put(env, f, "remote", from_string(env, e->selected_pair.remote));
		break;
	case OMNIRTC_EVENT_DATA_CHANNEL:
	case OMNIRTC_EVENT_CHANNEL_OPEN: put(env, f, "infoJson", from_string(env, e->channel.info_json)); break;
	case OMNIRTC_EVENT_CHANNEL_ERROR: put(env, f, "message", from_string(env, e->channel_error.message)); break;
	case OMNIRTC_EVENT_TRACK:
		put(env, f, "track", from_handle(env, e->track.track));
		put(env, f, "transceiver", from_handle(env, e->track.transceiver));
		put(env, f, "rid", from_string(env, e->track.rid));
		put(env, f, "infoJson", from_string(env, e->track.info_json));
		break;
	case OMNIRTC_EVENT_TRACK_FRAME:
		put(env, f, "keyframe", boolean(env, e->frame.keyframe));
		put(env, f, "packetsDropped", number(env, (double)e->frame.packets_dropped));
		/* fall through - frame begins with rtp's members (a common initial sequence, C11 6.5.2.3) */
	case OMNIRTC_EVENT_TRACK_RTP:
		napi_set_element(env, batch, at + 2, from_bytes(env, e->rtp.data, e->rtp.size));
		put(env, f, "track", from_handle(env, e->rtp.track));
		put(env, f, "rtpTimestamp", number(env, e->rtp.rtp_timestamp));
		if (e->type == OMNIRTC_EVENT_TRACK_RTP) { /* a frame's bytes there are its own members */
			put(env, f, "spatialId", int32(env, e->rtp.spatial_id));
			put(env, f, "temporalId", int32(env, e->rtp.temporal_id));
			put(env, f, "layerKeyframe", int32(env, e->rtp.keyframe));
			put(env, f, "switchPoint", int32(env, e->rtp.switch_point));
		}
		break;
	case OMNIRTC_EVENT_TRACK_ENDED: put(env, f, "track", from_handle(env, e->track_ended.track)); break;
	case OMNIRTC_EVENT_TRACK_MUTE:
	case OMNIRTC_EVENT_TRACK_UNMUTE: put(env, f, "track", from_handle(env, e->track_mute.track)); break;
	case OMNIRTC_EVENT_KEYFRAME_REQUEST:
		put(env, f, "transceiver", from_handle(env, e->keyframe_request.transceiver));
		put(env, f, "rid", from_string(env, e->keyframe_request.rid));
		put(env, f, "kind", int32(env, e->keyframe_request.kind));
		break;
	case OMNIRTC_EVENT_TARGET_BITRATE:
		put(env, f, "bitsPerSecond", number(env, (double)e->target_bitrate.bits_per_second));
		put(env, f, "source", int32(env, e->target_bitrate.source));
		put(env, f, "streamsJson", from_string(env, e->target_bitrate.streams_json));
		break;
	case OMNIRTC_EVENT_DTMF_TONE_CHANGE:
		put(env, f, "transceiver", from_handle(env, e->dtmf_tone_change.transceiver));
		put(env, f, "tone", from_string(env, e->dtmf_tone_change.tone));
		break;
	case OMNIRTC_EVENT_DTMF_TONE:
		put(env, f, "track", from_handle(env, e->dtmf_tone.track));
		put(env, f, "tone", from_string(env, e->dtmf_tone.tone));
		put(env, f, "durationMs", int32(env, e->dtmf_tone.duration_ms));
		break;
	default: return; /* other channel events, NEGOTIATION_NEEDED, PEER_CLOSED: only the type and channel */
	}
	napi_set_element(env, batch, at + 3, f);
}

/* Fills batch with the events e[0..n) (see onEvents above). */
static void convert(napi_env env, napi_value batch, const omnirtc_event_t *e, size_t n) {
	uint32_t at = 0;
	for (size_t i = 0; i < n; at += STRIDE) {
		omnirtc_channel_t channel = omnirtc_event_channel_of(&e[i]);
		napi_set_element(env, batch, at, int32(env, e[i].type));
		napi_set_element(env, batch, at + 1, from_handle(env, channel));
		if (e[i].type == OMNIRTC_EVENT_CHANNEL_MESSAGE) {
			napi_value payloads;
			napi_create_array(env, &payloads);
			uint32_t count = 0;
			for (; i < n && e[i].type == OMNIRTC_EVENT_CHANNEL_MESSAGE && e[i].message.channel == channel;
			     i++)
				napi_set_element(env, payloads, count++, payload(env, &e[i].message));
			napi_set_element(env, batch, at + 2, payloads);
			continue;
		}
		set_fields(env, batch, at, &e[i]);
		i++;
	}
}

/* Hands n polled events to onEvents; an exception it lets through is
 * reported as uncaught, as Node does for a callback. */
static void deliver(napi_env env, napi_value on_events, const omnirtc_event_t *e, size_t n) {
	napi_handle_scope scope;
	napi_open_handle_scope(env, &scope);
	napi_value batch, undefined, error;
	napi_create_array(env, &batch);
	convert(env, batch, e, n);
	napi_get_undefined(env, &undefined);
	bool thrown = false;
	if (napi_call_function(env, undefined, on_events, 1, &batch, NULL) != napi_ok &&
	    napi_is_exception_pending(env, &thrown) == napi_ok && thrown &&
	    napi_get_and_clear_last_exception(env, &error) == napi_ok)
		napi_fatal_exception(env, error);
	napi_close_handle_scope(env, scope);
}

static napi_value resume(napi_env env, napi_callback_info info);

/* Polls until the queue is empty, which arms the notify again, or until TURN
 * batches were taken: then the drain goes on from setImmediate. */
static void take(napi_env env, napi_value on_events, peer_events *events) {
	size_t n = BATCH;
	for (int taken = 0; n == BATCH && events->peer != 0; taken++) {
		if (taken == TURN) {
			napi_value global, set_immediate, args[2];
			if (events->resuming || napi_get_global(env, &global) != napi_ok ||
			    napi_get_named_property(env, global, "setImmediate", &set_immediate) != napi_ok ||
			    napi_create_function(env, "resume", NAPI_AUTO_LENGTH, resume, events, &args[0]) != napi_ok)
				return;
			args[1] = on_events;
			events->resuming = napi_call_function(env, global, set_immediate, 2, args, NULL) == napi_ok;
			return;
		}
		if (omnirtc_peer_poll_events(events->peer, events->batch, BATCH, &n) != OMNIRTC_OK || n == 0)
			return;
		bool closed = events->batch[n - 1].type == OMNIRTC_EVENT_PEER_CLOSED; /* alone, and last */
		if (closed)
			events->peer = 0;
		deliver(env, on_events, events->batch, n);
		if (closed)
			napi_release_threadsafe_function(events->tsfn, napi_tsfn_release);
	}
}

/* A drain after the event loop's turn: setImmediate(resume, onEvents). */
static napi_value resume(napi_env env, napi_callback_info info) {
	size_t argc = 1;
	napi_value on_events;
	void *data;
	if (napi_get_cb_info(env, info, &argc, &on_events, NULL, &data) != napi_ok)
		return NULL;
	peer_events *events = data;
	events->resuming = false;
	if (events->finalized)
		free(events);
	else
		take(env, on_events, events);
	return NULL;
}

/* On the main thread, after a notify. */
static void drain(napi_env env, napi_value on_events, void *context, void *data) {
	(void)data;
	if (env != NULL) /* else the environment is going away: finalize closes the peer */
		take(env, on_events, context);
}

/* After the last call of the function. A peer still open here (the
 * environment is torn down) is closed and polled to PEER_CLOSED, after which
 * the library runs no notify with this pointer. */
static void finalize(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	peer_events *events = data;
	if (events->peer != 0) {
		omnirtc_peer_close(events->peer);
		size_t n = 0;
		while (omnirtc_peer_poll_events(events->peer, events->batch, BATCH, &n) == OMNIRTC_OK &&
		       (n == 0 || events->batch[n - 1].type != OMNIRTC_EVENT_PEER_CLOSED)) {}
	}
	if (events->resuming)
		events->finalized = true;
	else
		free(events);
}

peer_events *events_open(napi_env env, napi_value on_events) {
	peer_events *events = calloc(1, sizeof *events);
	napi_value name;
	napi_create_string_utf8(env, "omnirtc-events", NAPI_AUTO_LENGTH, &name);
	if (events == NULL || napi_create_threadsafe_function(env, on_events, NULL, name, 0, 1, events, finalize,
	                                                      events, drain, &events->tsfn) != napi_ok) {
		free(events);
		throw_internal(env, "cannot create the event function");
		return NULL;
	}
	return events;
}

void events_started(peer_events *events, omnirtc_peer_t peer) { events->peer = peer; }

void events_abandon(peer_events *events) { napi_release_threadsafe_function(events->tsfn, napi_tsfn_release); }

void events_register(napi_env env, napi_value exports) {
	napi_value stride;
	napi_create_uint32(env, STRIDE, &stride);
	napi_set_named_property(env, exports, "eventStride", stride);
}
