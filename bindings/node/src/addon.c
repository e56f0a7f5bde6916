/*
 * The N-API addon: a thin, synchronous mirror of include/omnirtc.h for the
 * JavaScript layer in lib/. All W3C behaviour lives in JavaScript.
 *
 * Events: each peer connection has a thread-safe function and a queue. The
 * library's callback (on a Go thread) copies the event onto the queue without
 * blocking and wakes JavaScript only when the queue was idle, so a burst costs
 * one wake-up; on the main thread the whole queue is handed over, consecutive
 * messages of one channel in a single call. The function keeps the event loop
 * alive until OMNIRTC_EVENT_PEER_CLOSED, then is released, so a process with
 * no open peer connection can exit. When JavaScript falls HIGH_WATER messages
 * or HIGH_BYTES bytes behind, the channels that feed it are paused (SCTP flow
 * control pushes back) until it is below LOW_WATER and LOW_BYTES again.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <omnirtc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "media.h"

#define HIGH_WATER 65536
#define LOW_WATER 16384
#define HIGH_BYTES (16u << 20)
#define LOW_BYTES (4u << 20)
#define MAX_PAUSED 64
/* Messages up to INLINE bytes are stored with their event and copied into a
 * JavaScript ArrayBuffer; larger ones are handed over without a copy. */
#define INLINE 4096

typedef struct event_copy event_copy;

typedef struct {
	napi_threadsafe_function tsfn;
	pthread_mutex_t mu;
	event_copy *head, *tail;              /* queued, not yet taken by JavaScript */
	int scheduled;                        /* a call of tsfn is on its way to drain the queue */
	long pending;                         /* messages queued or being delivered */
	size_t pending_bytes;                 /* their bytes */
	omnirtc_channel_t paused[MAX_PAUSED]; /* channels paused by this peer's backlog */
	int npaused;
} peer_ctx;

struct event_copy {
	event_copy *next;
	int32_t type, state, sdp_mline_index, binary;
	omnirtc_channel_t channel;
	char *text, *sdp_mid;
	void *data; /* points at inline, or a malloc'd block over INLINE bytes */
	size_t size;
	omnirtc_track_t track; /* media events */
	omnirtc_transceiver_t transceiver;
	char *rid;
	uint32_t rtp_timestamp;
	int32_t keyframe;
	int64_t value;
	unsigned char inline_data[];
};

/* --- errors ---------------------------------------------------------------- */

napi_value throw_status(napi_env env, omnirtc_status_t status) {
	napi_value message, code, error, number;
	napi_create_string_utf8(env, omnirtc_last_error(), NAPI_AUTO_LENGTH, &message);
	napi_create_string_utf8(env, omnirtc_status_string(status), NAPI_AUTO_LENGTH, &code);
	napi_create_error(env, code, message, &error);
	napi_create_int32(env, status, &number);
	napi_set_named_property(env, error, "status", number);
	napi_throw(env, error);
	return NULL;
}

/* --- argument helpers (lib/ validates types; these only convert) -------------- */

napi_value *args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
	size_t argc = want;
	napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
	for (size_t i = argc; i < want; i++)
		napi_get_undefined(env, &argv[i]);
	return argv;
}

uint64_t to_handle(napi_env env, napi_value v) {
	double d = 0;
	napi_get_value_double(env, v, &d);
	return d > 0 ? (uint64_t)d : 0;
}

/* A copy of a JS string, or NULL for null/undefined. Free with free(). */
char *to_string(napi_env env, napi_value v) {
	napi_valuetype t;
	napi_typeof(env, v, &t);
	if (t != napi_string)
		return NULL;
	size_t n = 0;
	napi_get_value_string_utf8(env, v, NULL, 0, &n);
	char *s = malloc(n + 1);
	if (s != NULL)
		napi_get_value_string_utf8(env, v, s, n + 1, &n);
	return s;
}

napi_value from_handle(napi_env env, uint64_t h) {
	napi_value v;
	napi_create_double(env, (double)h, &v);
	return v;
}

napi_value from_string(napi_env env, const char *s) {
	napi_value v;
	if (s == NULL)
		napi_get_null(env, &v);
	else
		napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
	return v;
}

/* Returns a library string as a JS string and frees it. */
napi_value take_string(napi_env env, char *s) {
	napi_value v = from_string(env, s);
	omnirtc_free(s);
	return v;
}

/* --- events ------------------------------------------------------------------ */

static char *dup_or_null(const char *s) { return s != NULL ? strdup(s) : NULL; }

static void free_event(event_copy *e) {
	free(e->text);
	free(e->sdp_mid);
	free(e->rid);
	if (e->data != e->inline_data)
		free(e->data);
	free(e);
}

static void free_external(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	free(data);
}

/* On a Go thread: copy, account, queue without blocking. */
static void on_event(void *user_data, const omnirtc_event_t *e) {
	peer_ctx *ctx = user_data;
	media_on_event(e);
	int message = e->type == OMNIRTC_EVENT_CHANNEL_MESSAGE;
	int carries_data = message || e->type == OMNIRTC_EVENT_TRACK_RTP || e->type == OMNIRTC_EVENT_TRACK_FRAME;
	size_t inline_size = carries_data && e->size <= INLINE ? e->size : 0;
	event_copy *copy = calloc(1, sizeof *copy + inline_size);
	if (copy == NULL)
		return;
	copy->type = e->type;
	copy->state = e->state;
	copy->channel = e->channel;
	copy->sdp_mline_index = e->sdp_mline_index;
	copy->binary = e->binary;
	copy->text = dup_or_null(e->text);
	copy->sdp_mid = dup_or_null(e->sdp_mid);
	copy->track = e->track;
	copy->transceiver = e->transceiver;
	copy->rid = dup_or_null(e->rid);
	copy->rtp_timestamp = e->rtp_timestamp;
	copy->keyframe = e->keyframe;
	copy->value = e->value;
	if (carries_data) {
		copy->size = e->size;
		copy->data = e->size <= INLINE ? copy->inline_data : malloc(e->size);
		if (e->size > 0 && copy->data != NULL)
			memcpy(copy->data, e->data, e->size);
	}
	int pause = 0, wake = 0;
	pthread_mutex_lock(&ctx->mu);
	if (ctx->tail != NULL)
		ctx->tail->next = copy;
	else
		ctx->head = copy;
	ctx->tail = copy;
	if (!ctx->scheduled)
		ctx->scheduled = wake = 1;
	if (message) {
		ctx->pending++;
		ctx->pending_bytes += e->size;
		if ((ctx->pending > HIGH_WATER || ctx->pending_bytes > HIGH_BYTES) && ctx->npaused < MAX_PAUSED) {
			pause = 1;
			for (int i = 0; i < ctx->npaused; i++)
				pause = pause && ctx->paused[i] != e->channel;
			if (pause)
				ctx->paused[ctx->npaused++] = e->channel;
		}
	}
	pthread_mutex_unlock(&ctx->mu);
	if (pause)
		omnirtc_channel_set_paused(e->channel, 1);
	if (wake)
		napi_call_threadsafe_function(ctx->tsfn, NULL, napi_tsfn_nonblocking);
	if (e->type == OMNIRTC_EVENT_PEER_CLOSED) /* the last event: let the loop go */
		napi_release_threadsafe_function(ctx->tsfn, napi_tsfn_release);
}

/* Accounts for delivered messages; resumes the paused channels once the
 * backlog is low again. */
static void delivered(peer_ctx *ctx, long messages, size_t bytes) {
	omnirtc_channel_t resume[MAX_PAUSED];
	int nresume = 0;
	pthread_mutex_lock(&ctx->mu);
	ctx->pending -= messages;
	ctx->pending_bytes -= bytes;
	if (ctx->pending < LOW_WATER && ctx->pending_bytes < LOW_BYTES && ctx->npaused > 0) {
		nresume = ctx->npaused;
		memcpy(resume, ctx->paused, sizeof(omnirtc_channel_t) * (size_t)nresume);
		ctx->npaused = 0;
	}
	pthread_mutex_unlock(&ctx->mu);
	for (int i = 0; i < nresume; i++)
		omnirtc_channel_set_paused(resume[i], 0);
}

/* An event's bytes as an ArrayBuffer (a large one handed over without a copy). */
static napi_value buffer(napi_env env, event_copy *e) {
	napi_value v;
	if (e->data == e->inline_data) {
		void *bytes = NULL;
		napi_create_arraybuffer(env, e->size, &bytes, &v);
		if (e->size > 0)
			memcpy(bytes, e->data, e->size);
	} else if (e->data != NULL) {
		napi_create_external_arraybuffer(env, e->data, e->size, free_external, NULL, &v);
		e->data = NULL;
	} else {
		napi_create_arraybuffer(env, 0, NULL, &v);
	}
	return v;
}

/* A message's payload for JavaScript: a string for text, else an ArrayBuffer. */
static napi_value payload(napi_env env, event_copy *e) {
	napi_value v;
	if (e->binary)
		return buffer(env, e);
	napi_create_string_utf8(env, e->data != NULL ? e->data : "", e->size, &v);
	return v;
}

/* The media fields of a track event: {track, transceiver, rid, timestamp, keyframe, value}. */
static napi_value media_fields(napi_env env, event_copy *e) {
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

/*
 * On the main thread: hand the queued events to lib/'s dispatcher in order,
 * as onEvent(type, state, channel, text, sdpMid, sdpMLineIndex, binary, data, media);
 * for messages type is MESSAGE and data an array of the payloads of
 * consecutive messages on that channel (a string for text); for track events
 * data is the packet or frame (an ArrayBuffer, if any) and media their fields.
 */
static void call_js(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)data;
	peer_ctx *ctx = context;
	pthread_mutex_lock(&ctx->mu);
	event_copy *e = ctx->head;
	ctx->head = ctx->tail = NULL;
	ctx->scheduled = 0;
	pthread_mutex_unlock(&ctx->mu);
	while (e != NULL) {
		long messages = 0;
		size_t bytes = 0;
		napi_handle_scope scope = NULL;
		if (env != NULL)
			napi_open_handle_scope(env, &scope);
		napi_value argv[9], undefined = NULL;
		if (env != NULL) {
			napi_get_undefined(env, &undefined);
			napi_create_int32(env, e->type, &argv[0]);
			napi_create_int32(env, e->state, &argv[1]);
			argv[2] = from_handle(env, e->channel);
			argv[3] = from_string(env, e->text);
			argv[4] = from_string(env, e->sdp_mid);
			napi_create_int32(env, e->sdp_mline_index, &argv[5]);
			napi_get_boolean(env, e->binary != 0, &argv[6]);
			argv[7] = undefined;
			argv[8] = undefined;
		}
		event_copy *next = e->next;
		if (e->type == OMNIRTC_EVENT_CHANNEL_MESSAGE) {
			omnirtc_channel_t channel = e->channel;
			if (env != NULL)
				napi_create_array(env, &argv[7]);
			uint32_t n = 0;
			for (; e != NULL && e->type == OMNIRTC_EVENT_CHANNEL_MESSAGE && e->channel == channel;
			     e = next) {
				next = e->next;
				if (env != NULL)
					napi_set_element(env, argv[7], n++, payload(env, e));
				messages++;
				bytes += e->size;
				free_event(e);
			}
		} else {
			if (env != NULL && e->type >= OMNIRTC_EVENT_TRACK) {
				if (e->data != NULL)
					argv[7] = buffer(env, e);
				argv[8] = media_fields(env, e);
			}
			free_event(e);
			e = next;
		}
		if (env != NULL) { /* NULL: the function is being torn down */
			napi_call_function(env, undefined, js_cb, 9, argv, NULL);
			bool thrown = false;
			napi_value error;
			/* as Node does for one call: report it, and go on with the next event */
			if (napi_is_exception_pending(env, &thrown) == napi_ok && thrown &&
			    napi_get_and_clear_last_exception(env, &error) == napi_ok)
				napi_fatal_exception(env, error);
			napi_close_handle_scope(env, scope);
		}
		if (messages > 0)
			delivered(ctx, messages, bytes);
	}
}

static void finalize_ctx(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	peer_ctx *ctx = data;
	pthread_mutex_destroy(&ctx->mu);
	free(ctx);
}

/* peerCreate(configJson, onEvent) -> handle */
static napi_value peer_create(napi_env env, napi_callback_info info) {
	napi_value argv[2], name;
	args(env, info, 2, argv);
	peer_ctx *ctx = calloc(1, sizeof *ctx);
	pthread_mutex_init(&ctx->mu, NULL);
	napi_create_string_utf8(env, "omnirtc-events", NAPI_AUTO_LENGTH, &name);
	if (napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, ctx, finalize_ctx, ctx, call_js,
	                                    &ctx->tsfn) != napi_ok) {
		finalize_ctx(env, ctx, NULL);
		napi_throw_error(env, "OMNIRTC_ERR_INTERNAL", "cannot create the event function");
		return NULL;
	}
	char *config = to_string(env, argv[0]);
	omnirtc_peer_t peer = 0;
	omnirtc_status_t s = omnirtc_peer_create(config, on_event, ctx, &peer);
	free(config);
	if (s != OMNIRTC_OK) {
		napi_release_threadsafe_function(ctx->tsfn, napi_tsfn_release);
		return throw_status(env, s);
	}
	return from_handle(env, peer);
}

/* --- simple forwards ------------------------------------------------------------ */

static napi_value create_description(napi_env env, napi_callback_info info, int offer) {
	napi_value argv[2];
	args(env, info, 2, argv);
	char *options = to_string(env, argv[1]), *sdp = NULL;
	uint64_t peer = to_handle(env, argv[0]);
	omnirtc_status_t s =
	    offer ? omnirtc_peer_create_offer(peer, options, &sdp) : omnirtc_peer_create_answer(peer, options, &sdp);
	free(options);
	CALL(s);
	return take_string(env, sdp);
}

static napi_value create_offer(napi_env env, napi_callback_info info) { return create_description(env, info, 1); }
static napi_value create_answer(napi_env env, napi_callback_info info) { return create_description(env, info, 0); }

static napi_value set_description(napi_env env, napi_callback_info info, int local) {
	napi_value argv[3];
	args(env, info, 3, argv);
	char *type = to_string(env, argv[1]), *sdp = to_string(env, argv[2]);
	uint64_t peer = to_handle(env, argv[0]);
	omnirtc_status_t s = local ? omnirtc_peer_set_local_description(peer, type, sdp)
	                           : omnirtc_peer_set_remote_description(peer, type, sdp);
	free(type);
	free(sdp);
	CALL(s);
	return NULL;
}

static napi_value set_local(napi_env env, napi_callback_info info) { return set_description(env, info, 1); }
static napi_value set_remote(napi_env env, napi_callback_info info) { return set_description(env, info, 0); }

/* getDescription(peer, which) -> {type, sdp} | null */
static napi_value get_description(napi_env env, napi_callback_info info) {
	napi_value argv[2], result;
	args(env, info, 2, argv);
	int32_t which = 0;
	napi_get_value_int32(env, argv[1], &which);
	char *type = NULL, *sdp = NULL;
	CALL(omnirtc_peer_get_description(to_handle(env, argv[0]), which, &type, &sdp));
	if (sdp == NULL) {
		napi_get_null(env, &result);
		return result;
	}
	napi_create_object(env, &result);
	napi_set_named_property(env, result, "type", take_string(env, type));
	napi_set_named_property(env, result, "sdp", take_string(env, sdp));
	return result;
}

static napi_value add_candidate(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	char *candidate = to_string(env, argv[1]), *mid = to_string(env, argv[2]);
	int32_t index = -1;
	napi_get_value_int32(env, argv[3], &index);
	omnirtc_status_t s = omnirtc_peer_add_ice_candidate(to_handle(env, argv[0]), candidate, mid, index);
	free(candidate);
	free(mid);
	CALL(s);
	return NULL;
}

/* NAME(handle) -> number, from a getter writing a T; HANDLE_CALL and
 * JSON_GETTER are in helpers.h. */
#define NUMBER_GETTER(name, getter, T)                                  \
	static napi_value name(napi_env env, napi_callback_info info) { \
		napi_value argv[1], v;                                  \
		args(env, info, 1, argv);                               \
		T n = 0;                                                \
		CALL(getter(to_handle(env, argv[0]), &n));              \
		napi_create_double(env, (double)n, &v);                 \
		return v;                                               \
	}

HANDLE_CALL(peer_close, omnirtc_peer_close)
HANDLE_CALL(restart_ice, omnirtc_peer_restart_ice)
HANDLE_CALL(channel_close, omnirtc_channel_close)
JSON_GETTER(get_stats, omnirtc_peer_get_stats)
NUMBER_GETTER(max_message_size, omnirtc_peer_get_max_message_size, uint64_t)
JSON_GETTER(channel_info, omnirtc_channel_get_info)
NUMBER_GETTER(channel_buffered, omnirtc_channel_get_buffered_amount, uint64_t)
NUMBER_GETTER(signaling_state, omnirtc_peer_get_signaling_state, int32_t)
NUMBER_GETTER(gathering_state, omnirtc_peer_get_ice_gathering_state, int32_t)
NUMBER_GETTER(ice_state, omnirtc_peer_get_ice_connection_state, int32_t)
NUMBER_GETTER(connection_state, omnirtc_peer_get_connection_state, int32_t)
NUMBER_GETTER(channel_state, omnirtc_channel_get_ready_state, int32_t)

static napi_value channel_create(napi_env env, napi_callback_info info) {
	napi_value argv[3];
	args(env, info, 3, argv);
	char *label = to_string(env, argv[1]), *init = to_string(env, argv[2]);
	omnirtc_channel_t channel = 0;
	omnirtc_status_t s = omnirtc_channel_create(to_handle(env, argv[0]), label, init, &channel);
	free(label);
	free(init);
	CALL(s);
	return from_handle(env, channel);
}

/* channelSend(channel, string | Uint8Array): a string is sent as text */
static napi_value channel_send(napi_env env, napi_callback_info info) {
	napi_value argv[3];
	args(env, info, 3, argv);
	uint64_t channel = to_handle(env, argv[0]);
	napi_valuetype t;
	napi_typeof(env, argv[1], &t);
	if (t == napi_string) {
		char *text = to_string(env, argv[1]);
		omnirtc_status_t s = omnirtc_channel_send(channel, text, text != NULL ? strlen(text) : 0, 0);
		free(text);
		CALL(s);
		return NULL;
	}
	/* lib/ passes every binary payload as a Uint8Array */
	void *data = NULL;
	size_t size = 0;
	napi_typedarray_type type;
	napi_value buffer;
	size_t offset;
	if (napi_get_typedarray_info(env, argv[1], &type, &size, &data, &buffer, &offset) != napi_ok ||
	    type != napi_uint8_array) {
		napi_throw_type_error(env, "OMNIRTC_ERR_INVALID_ARGUMENT", "binary data must be a Uint8Array");
		return NULL;
	}
	CALL(omnirtc_channel_send(channel, data, size, 1));
	return NULL;
}

/* channelSendBatch(channel, Uint8Array bytes, Int32Array sizes, count) -> count:
 * message i is the next sizes[i] bytes, or ~sizes[i] bytes sent as text when
 * sizes[i] < 0. A failure throws with the error of the message that failed and
 * `sent`, the number queued before it. */
static napi_value channel_send_batch(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	uint64_t channel = to_handle(env, argv[0]);
	napi_typedarray_type type, sizes_type;
	size_t length = 0, nsizes = 0, offset;
	void *bytes = NULL, *sizes_data = NULL;
	napi_value buffer;
	uint32_t count = 0;
	napi_get_value_uint32(env, argv[3], &count);
	if (napi_get_typedarray_info(env, argv[1], &type, &length, &bytes, &buffer, &offset) != napi_ok ||
	    type != napi_uint8_array ||
	    napi_get_typedarray_info(env, argv[2], &sizes_type, &nsizes, &sizes_data, &buffer, &offset) != napi_ok ||
	    sizes_type != napi_int32_array || count > nsizes) {
		napi_throw_type_error(env, "OMNIRTC_ERR_INVALID_ARGUMENT", "a batch is a Uint8Array and an Int32Array");
		return NULL;
	}
	const int32_t *sizes = sizes_data;
	omnirtc_message_t stack[256], *messages = count <= 256 ? stack : malloc(sizeof *messages * count);
	if (messages == NULL) {
		napi_throw_error(env, "OMNIRTC_ERR_INTERNAL", "out of memory");
		return NULL;
	}
	size_t at = 0;
	for (uint32_t i = 0; i < count; i++) {
		int32_t text = sizes[i] < 0;
		size_t size = (size_t)(text ? ~sizes[i] : sizes[i]);
		if (size > length - at) { /* lib/ never does this; refuse rather than read past the end */
			count = i;
			break;
		}
		messages[i] = (omnirtc_message_t){(const uint8_t *)bytes + at, size, !text};
		at += size;
	}
	size_t sent = 0;
	omnirtc_status_t s = omnirtc_channel_send_batch(channel, messages, count, &sent);
	if (messages != stack)
		free(messages);
	if (s != OMNIRTC_OK) {
		throw_status(env, s);
		napi_value error, n;
		if (napi_get_and_clear_last_exception(env, &error) == napi_ok) {
			napi_create_double(env, (double)sent, &n);
			napi_set_named_property(env, error, "sent", n);
			napi_throw(env, error);
		}
		return NULL;
	}
	napi_value result;
	napi_create_double(env, (double)sent, &result);
	return result;
}

static napi_value channel_set_threshold(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	double threshold = 0;
	napi_get_value_double(env, argv[1], &threshold);
	CALL(omnirtc_channel_set_buffered_amount_low_threshold(to_handle(env, argv[0]), (uint64_t)threshold));
	return NULL;
}

/* setEngineThreads(n) -> the previous number */
static napi_value set_engine_threads(napi_env env, napi_callback_info info) {
	napi_value argv[1], v;
	args(env, info, 1, argv);
	int32_t threads = 0, previous = 0;
	napi_get_value_int32(env, argv[0], &threads);
	CALL(omnirtc_set_engine_threads(threads, &previous));
	napi_create_int32(env, previous, &v);
	return v;
}

static napi_value debug_counters(napi_env env, napi_callback_info info) {
	(void)info;
	char *json = NULL;
	CALL(omnirtc_debug_counters(&json));
	return take_string(env, json);
}

static napi_value version(napi_env env, napi_callback_info info) {
	(void)info;
	return from_string(env, omnirtc_version());
}

/* --- TURN server ------------------------------------------------------------------ */

/* A TURN server's thread-safe functions. Events go to JavaScript as
 * onEvent(type, username, realm, clientAddress, relayAddress, protocol); both
 * functions keep the loop alive until OMNIRTC_TURN_EVENT_CLOSED. The optional
 * auth function is asked onAuth(username, realm, clientAddress) -> password |
 * null on the main thread while the library thread waits, at most
 * AUTH_TIMEOUT_MS (the main thread may be busy, even inside close). */
#define AUTH_TIMEOUT_MS 2000

typedef struct {
	napi_threadsafe_function events, auth; /* auth may be NULL */
} turn_ctx;

typedef struct {
	int32_t type;
	char *fields[5];
} turn_event_copy;

/* One auth question; freed by whichever side finishes with it last. */
typedef struct {
	char *username, *realm, *client;
	char password[1024];
	int answered, accepted, abandoned;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} auth_request;

static void free_auth_request(auth_request *r) {
	free(r->username);
	free(r->realm);
	free(r->client);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
}

static void on_turn_event(void *user_data, const omnirtc_turn_event_t *e) {
	turn_ctx *ctx = user_data;
	turn_event_copy *copy = calloc(1, sizeof *copy);
	if (copy != NULL) {
		copy->type = e->type;
		const char *fields[5] = {e->username, e->realm, e->client_address, e->relay_address, e->protocol};
		for (int i = 0; i < 5; i++)
			copy->fields[i] = dup_or_null(fields[i]);
		napi_call_threadsafe_function(ctx->events, copy, napi_tsfn_nonblocking);
	}
	if (e->type == OMNIRTC_TURN_EVENT_CLOSED) { /* the library calls neither function again */
		if (ctx->auth != NULL)
			napi_release_threadsafe_function(ctx->auth, napi_tsfn_release);
		napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
	}
}

static void call_js_turn(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)context;
	turn_event_copy *e = data;
	if (env != NULL) {
		napi_value argv[6], undefined;
		napi_get_undefined(env, &undefined);
		napi_create_int32(env, e->type, &argv[0]);
		for (int i = 0; i < 5; i++)
			argv[i + 1] = from_string(env, e->fields[i]);
		napi_call_function(env, undefined, js_cb, 6, argv, NULL);
	}
	for (int i = 0; i < 5; i++)
		free(e->fields[i]);
	free(e);
}

/* On a library thread: ask JavaScript, wait for the answer or the timeout. */
static int32_t on_turn_auth(void *user_data, const char *username, const char *realm, const char *client,
                            char *password_out, size_t capacity) {
	turn_ctx *ctx = user_data;
	auth_request *r = calloc(1, sizeof *r);
	if (r == NULL)
		return 0;
	r->username = strdup(username);
	r->realm = strdup(realm);
	r->client = strdup(client);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if (napi_call_threadsafe_function(ctx->auth, r, napi_tsfn_nonblocking) != napi_ok) {
		free_auth_request(r);
		return 0;
	}
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += AUTH_TIMEOUT_MS / 1000;
	int32_t accepted = 0;
	pthread_mutex_lock(&r->mu);
	while (!r->answered && pthread_cond_timedwait(&r->cv, &r->mu, &deadline) == 0) {}
	if (r->answered && r->accepted && strlen(r->password) < capacity) {
		memcpy(password_out, r->password, strlen(r->password) + 1);
		accepted = 1;
	}
	int last = r->answered;
	r->abandoned = 1;
	pthread_mutex_unlock(&r->mu);
	if (last)
		free_auth_request(r);
	return accepted;
}

/* On the main thread: run onAuth and hand the answer back. */
static void call_js_auth(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)context;
	auth_request *r = data;
	int accepted = 0;
	char password[sizeof r->password] = "";
	if (env != NULL) {
		napi_value argv[3], undefined, result;
		napi_get_undefined(env, &undefined);
		argv[0] = from_string(env, r->username);
		argv[1] = from_string(env, r->realm);
		argv[2] = from_string(env, r->client);
		napi_valuetype t = napi_undefined;
		size_t n = 0;
		if (napi_call_function(env, undefined, js_cb, 3, argv, &result) == napi_ok &&
		    napi_typeof(env, result, &t) == napi_ok && t == napi_string &&
		    napi_get_value_string_utf8(env, result, password, sizeof password, &n) == napi_ok &&
		    n < sizeof password - 1)
			accepted = 1;
	}
	pthread_mutex_lock(&r->mu);
	r->answered = 1;
	r->accepted = accepted;
	memcpy(r->password, password, sizeof password);
	int last = r->abandoned;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	if (last)
		free_auth_request(r);
}

static void finalize_turn_ctx(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	free(data);
}

/* turnServerStart(configJson, onEvent, onAuth?) -> handle */
static napi_value turn_server_start(napi_env env, napi_callback_info info) {
	napi_value argv[3], name;
	args(env, info, 3, argv);
	turn_ctx *ctx = calloc(1, sizeof *ctx);
	napi_valuetype auth_type;
	napi_typeof(env, argv[2], &auth_type);
	napi_create_string_utf8(env, "omnirtc-turn-events", NAPI_AUTO_LENGTH, &name);
	if (ctx == NULL || napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, ctx, finalize_turn_ctx, NULL,
	                                                   call_js_turn, &ctx->events) != napi_ok) {
		free(ctx);
		napi_throw_error(env, "OMNIRTC_ERR_INTERNAL", "cannot create the event function");
		return NULL;
	}
	if (auth_type == napi_function && napi_create_threadsafe_function(env, argv[2], NULL, name, 0, 1, NULL, NULL,
	                                                                  NULL, call_js_auth, &ctx->auth) != napi_ok) {
		napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
		napi_throw_error(env, "OMNIRTC_ERR_INTERNAL", "cannot create the auth function");
		return NULL;
	}
	char *config = to_string(env, argv[0]);
	omnirtc_turn_server_t server = 0;
	omnirtc_status_t s =
	    omnirtc_turn_server_start(config, on_turn_event, ctx->auth != NULL ? on_turn_auth : NULL, ctx, &server);
	free(config);
	if (s != OMNIRTC_OK) { /* no event, not even CLOSED, follows a failed start */
		if (ctx->auth != NULL)
			napi_release_threadsafe_function(ctx->auth, napi_tsfn_release);
		napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
		return throw_status(env, s);
	}
	return from_handle(env, server);
}

HANDLE_CALL(turn_server_close, omnirtc_turn_server_close)
JSON_GETTER(turn_server_stats, omnirtc_turn_server_stats)

static napi_value init(napi_env env, napi_value exports) {
	static const struct {
		const char *name;
		napi_callback fn;
	} functions[] = {
	    {"peerCreate", peer_create},
	    {"peerClose", peer_close},
	    {"createOffer", create_offer},
	    {"createAnswer", create_answer},
	    {"setLocalDescription", set_local},
	    {"setRemoteDescription", set_remote},
	    {"getDescription", get_description},
	    {"addIceCandidate", add_candidate},
	    {"restartIce", restart_ice},
	    {"getStats", get_stats},
	    {"maxMessageSize", max_message_size},
	    {"channelCreate", channel_create},
	    {"channelSend", channel_send},
	    {"channelSendBatch", channel_send_batch},
	    {"channelInfo", channel_info},
	    {"channelReadyState", channel_state},
	    {"signalingState", signaling_state},
	    {"iceGatheringState", gathering_state},
	    {"iceConnectionState", ice_state},
	    {"connectionState", connection_state},
	    {"channelBufferedAmount", channel_buffered},
	    {"channelSetThreshold", channel_set_threshold},
	    {"channelClose", channel_close},
	    {"debugCounters", debug_counters},
	    {"setEngineThreads", set_engine_threads},
	    {"version", version},
	    {"turnServerStart", turn_server_start},
	    {"turnServerStats", turn_server_stats},
	    {"turnServerClose", turn_server_close},
	};
	for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
		napi_value fn;
		napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].fn, NULL, &fn);
		napi_set_named_property(env, exports, functions[i].name, fn);
	}
	media_register(env, exports);
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
