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
 * onEvents(batch): batch holds STRIDE values per event: type, state, channel,
 * text, sdpMid, sdpMLineIndex, binary, data, media. Consecutive messages of
 * one channel are one entry (type, channel and data only) whose data is an
 * array of their payloads, a string for text, else an ArrayBuffer. For track
 * events data is the packet or frame (an ArrayBuffer) and media their fields
 * {track, transceiver, rid, timestamp, keyframe, value}.
 */
#include "addon.h"

#define BATCH 256
#define TURN 16 /* batches taken before the event loop gets a turn */
#define STRIDE 9

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

static bool is_media(int32_t type) {
	switch (type) {
	case OMNIRTC_EVENT_TRACK:
	case OMNIRTC_EVENT_TRACK_RTP:
	case OMNIRTC_EVENT_TRACK_FRAME:
	case OMNIRTC_EVENT_TRACK_ENDED:
	case OMNIRTC_EVENT_KEYFRAME_REQUEST:
	case OMNIRTC_EVENT_TARGET_BITRATE: return true;
	default: return false;
	}
}

static napi_value media_fields(napi_env env, const omnirtc_event_t *e) {
	napi_value media, v;
	napi_create_object(env, &media);
	napi_set_named_property(env, media, "track", from_handle(env, e->track));
	napi_set_named_property(env, media, "transceiver", from_handle(env, e->transceiver));
	napi_set_named_property(env, media, "rid", from_string(env, e->rid));
	napi_create_uint32(env, e->rtp_timestamp, &v);
	napi_set_named_property(env, media, "timestamp", v);
	napi_get_boolean(env, e->keyframe != 0, &v);
	napi_set_named_property(env, media, "keyframe", v);
	napi_create_double(env, (double)e->value, &v);
	napi_set_named_property(env, media, "value", v);
	return media;
}

static napi_value payload(napi_env env, const omnirtc_event_t *e) {
	napi_value v;
	if (e->binary)
		return from_bytes(env, e->data, e->size);
	napi_create_string_utf8(env, e->size > 0 ? (const char *)e->data : "", e->size, &v);
	return v;
}

/* Fills batch with the events e[0..n) (see onEvents above). */
static void convert(napi_env env, napi_value batch, const omnirtc_event_t *e, size_t n) {
	uint32_t at = 0;
	napi_value v;
	for (size_t i = 0; i < n; at += STRIDE) {
		napi_create_int32(env, e[i].type, &v);
		napi_set_element(env, batch, at, v);
		napi_set_element(env, batch, at + 2, from_handle(env, e[i].channel));
		if (e[i].type == OMNIRTC_EVENT_CHANNEL_MESSAGE) {
			napi_value payloads;
			napi_create_array(env, &payloads);
			uint32_t count = 0;
			omnirtc_channel_t channel = e[i].channel;
			for (; i < n && e[i].type == OMNIRTC_EVENT_CHANNEL_MESSAGE && e[i].channel == channel; i++)
				napi_set_element(env, payloads, count++, payload(env, &e[i]));
			napi_set_element(env, batch, at + 7, payloads);
			continue;
		}
		napi_create_int32(env, e[i].state, &v);
		napi_set_element(env, batch, at + 1, v);
		napi_set_element(env, batch, at + 3, from_string(env, e[i].text));
		napi_set_element(env, batch, at + 4, from_string(env, e[i].sdp_mid));
		napi_create_int32(env, e[i].sdp_mline_index, &v);
		napi_set_element(env, batch, at + 5, v);
		napi_get_boolean(env, e[i].binary != 0, &v);
		napi_set_element(env, batch, at + 6, v);
		if (is_media(e[i].type)) {
			if (e[i].data != NULL)
				napi_set_element(env, batch, at + 7, from_bytes(env, e[i].data, e[i].size));
			napi_set_element(env, batch, at + 8, media_fields(env, &e[i]));
		}
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
