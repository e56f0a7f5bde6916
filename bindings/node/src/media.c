/*
 * The addon's media functions (include/omnirtc.h, "Track"), registered by
 * addon.c's init. As there, a thin synchronous mirror: lib/media.js has the
 * W3C behaviour.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <omnirtc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "media.h"

/* The bytes of a Uint8Array argument (lib/ converts every binary input). */
static int bytes_of(napi_env env, napi_value v, void **data, size_t *size) {
	napi_typedarray_type type;
	napi_value buffer;
	size_t offset;
	if (napi_get_typedarray_info(env, v, &type, size, data, &buffer, &offset) != napi_ok ||
	    type != napi_uint8_array) {
		napi_throw_type_error(env, "OMNIRTC_ERR_INVALID_ARGUMENT", "data must be a Uint8Array");
		return 0;
	}
	return 1;
}

/* trackCreate(initJson) -> handle */
static napi_value track_create(napi_env env, napi_callback_info info) {
	napi_value argv[1];
	args(env, info, 1, argv);
	char *init = to_string(env, argv[0]);
	omnirtc_track_t track = 0;
	omnirtc_status_t s = omnirtc_track_create(init, &track);
	free(init);
	CALL(s);
	return from_handle(env, track);
}

/* trackWrite(track, rid, Uint8Array, durationUs | -1 for RTP) */
static napi_value track_write(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	void *data;
	size_t size;
	if (!bytes_of(env, argv[2], &data, &size))
		return NULL;
	double duration = -1;
	napi_get_value_double(env, argv[3], &duration);
	char *rid = to_string(env, argv[1]);
	uint64_t track = to_handle(env, argv[0]);
	omnirtc_status_t s = duration < 0 ? omnirtc_track_write_rtp(track, rid, data, size)
	                                  : omnirtc_track_write_sample(track, rid, data, size, (uint64_t)duration);
	free(rid);
	CALL(s);
	return NULL;
}

/* Calls of the shape NAME(handle, string) -> undefined. */
#define HANDLE_STRING_CALL(name, call)                                    \
	static napi_value name(napi_env env, napi_callback_info info) {   \
		napi_value argv[2];                                       \
		args(env, info, 2, argv);                                 \
		char *text = to_string(env, argv[1]);                     \
		omnirtc_status_t s = call(to_handle(env, argv[0]), text); \
		free(text);                                               \
		CALL(s);                                                  \
		return NULL;                                              \
	}
/* NAME(handle, handle) -> undefined */
#define TWO_HANDLE_CALL(name, call)                                           \
	static napi_value name(napi_env env, napi_callback_info info) {       \
		napi_value argv[2];                                           \
		args(env, info, 2, argv);                                     \
		CALL(call(to_handle(env, argv[0]), to_handle(env, argv[1]))); \
		return NULL;                                                  \
	}

HANDLE_STRING_CALL(track_set_receive, omnirtc_track_set_receive)
HANDLE_STRING_CALL(set_codec_preferences, omnirtc_transceiver_set_codec_preferences)
HANDLE_STRING_CALL(transceiver_set_direction, omnirtc_transceiver_set_direction)
TWO_HANDLE_CALL(remove_track, omnirtc_peer_remove_track)
TWO_HANDLE_CALL(replace_track, omnirtc_transceiver_replace_track)
JSON_GETTER(track_info, omnirtc_track_get_info)
JSON_GETTER(transceiver_info, omnirtc_transceiver_get_info)
HANDLE_CALL(track_close, omnirtc_track_close)
HANDLE_CALL(transceiver_stop, omnirtc_transceiver_stop)

/* trackRequestKeyframe(track, fir) */
static napi_value track_request_keyframe(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	bool fir = false;
	napi_get_value_bool(env, argv[1], &fir);
	CALL(omnirtc_track_request_keyframe(to_handle(env, argv[0]), fir ? 1 : 0));
	return NULL;
}

/* trackRequestBitrate(track, bitrate) */
static napi_value track_request_bitrate(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	int64_t bitrate = 0;
	napi_get_value_int64(env, argv[1], &bitrate);
	CALL(omnirtc_track_request_bitrate(to_handle(env, argv[0]), bitrate));
	return NULL;
}

/* addTransceiver(peer, kind | null, track | 0, initJson) -> transceiver handle;
 * with kind undefined and no init it is addTrack. */
static napi_value add_transceiver(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	char *kind = to_string(env, argv[1]), *init = to_string(env, argv[3]);
	uint64_t peer = to_handle(env, argv[0]), track = to_handle(env, argv[2]);
	omnirtc_transceiver_t transceiver = 0;
	omnirtc_status_t s = init == NULL && kind == NULL
	                         ? omnirtc_peer_add_track(peer, track, &transceiver)
	                         : omnirtc_peer_add_transceiver(peer, kind, track, init, &transceiver);
	free(kind);
	free(init);
	CALL(s);
	return from_handle(env, transceiver);
}

/* mediaReaderOpen(path, optionsJson) -> [handle, infoJson] */
static napi_value reader_open(napi_env env, napi_callback_info info) {
	napi_value argv[2], result;
	args(env, info, 2, argv);
	char *path = to_string(env, argv[0]), *options = to_string(env, argv[1]), *json = NULL;
	omnirtc_media_reader_t reader = 0;
	omnirtc_status_t s = omnirtc_media_reader_open(path, options, &reader, &json);
	free(path);
	free(options);
	CALL(s);
	napi_create_array_with_length(env, 2, &result);
	napi_set_element(env, result, 0, from_handle(env, reader));
	napi_set_element(env, result, 1, take_string(env, json));
	return result;
}

static void free_frame(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	omnirtc_free(data);
}

/* mediaReaderNext(reader) -> {data: ArrayBuffer, duration: microseconds, keyframe} | null */
static napi_value reader_next(napi_env env, napi_callback_info info) {
	napi_value argv[1], result, v;
	args(env, info, 1, argv);
	uint8_t *data = NULL;
	size_t size = 0;
	uint64_t duration = 0;
	int32_t keyframe = 0;
	CALL(omnirtc_media_reader_next(to_handle(env, argv[0]), &data, &size, &duration, &keyframe));
	if (data == NULL) {
		napi_get_null(env, &result);
		return result;
	}
	napi_create_object(env, &result);
	napi_create_external_arraybuffer(env, data, size, free_frame, NULL, &v); /* no copy */
	napi_set_named_property(env, result, "data", v);
	napi_create_double(env, (double)duration, &v);
	napi_set_named_property(env, result, "duration", v);
	napi_get_boolean(env, keyframe != 0, &v);
	napi_set_named_property(env, result, "keyframe", v);
	return result;
}

/* mediaWriterOpen(path, optionsJson) -> handle */
static napi_value writer_open(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	char *path = to_string(env, argv[0]), *options = to_string(env, argv[1]);
	omnirtc_media_writer_t writer = 0;
	omnirtc_status_t s = omnirtc_media_writer_open(path, options, &writer);
	free(path);
	free(options);
	CALL(s);
	return from_handle(env, writer);
}

/* mediaWriterWriteRtp(writer, Uint8Array) */
static napi_value writer_write(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	void *data;
	size_t size;
	if (!bytes_of(env, argv[1], &data, &size))
		return NULL;
	CALL(omnirtc_media_writer_write_rtp(to_handle(env, argv[0]), data, size));
	return NULL;
}

HANDLE_CALL(reader_close, omnirtc_media_reader_close)
HANDLE_CALL(writer_close, omnirtc_media_writer_close)

/* Receive options each peer applies to its new remote tracks, inside the
 * track event on the library's thread, so they hold from the first packet. */
#define MAX_RECEIVE 256
static struct {
	omnirtc_peer_t peer;
	char *options;
} receive_options[MAX_RECEIVE];
static pthread_mutex_t receive_mu = PTHREAD_MUTEX_INITIALIZER;

void media_on_event(const omnirtc_event_t *e) {
	if (e->type != OMNIRTC_EVENT_TRACK && e->type != OMNIRTC_EVENT_PEER_CLOSED)
		return;
	pthread_mutex_lock(&receive_mu);
	for (int i = 0; i < MAX_RECEIVE; i++) {
		if (receive_options[i].peer != e->peer)
			continue;
		if (e->type == OMNIRTC_EVENT_TRACK) {
			omnirtc_track_set_receive(e->track, receive_options[i].options);
		} else {
			free(receive_options[i].options);
			receive_options[i].peer = 0;
			receive_options[i].options = NULL;
		}
		break;
	}
	pthread_mutex_unlock(&receive_mu);
}

/* peerSetTrackReceive(peer, optionsJson) */
static napi_value peer_set_track_receive(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	uint64_t peer = to_handle(env, argv[0]);
	char *options = to_string(env, argv[1]);
	pthread_mutex_lock(&receive_mu);
	int slot = -1;
	for (int i = 0; i < MAX_RECEIVE && slot < 0; i++)
		if (receive_options[i].peer == peer)
			slot = i;
	for (int i = 0; i < MAX_RECEIVE && slot < 0; i++)
		if (receive_options[i].peer == 0)
			slot = i;
	if (slot >= 0) {
		free(receive_options[slot].options);
		receive_options[slot].peer = peer;
		receive_options[slot].options = options;
	}
	pthread_mutex_unlock(&receive_mu);
	if (slot < 0) {
		free(options);
		napi_throw_error(env, "OMNIRTC_ERR_TOO_LARGE", "too many peers with track receive options");
	}
	return NULL;
}

void media_register(napi_env env, napi_value exports) {
	static const struct {
		const char *name;
		napi_callback fn;
	} functions[] = {
	    {"trackCreate", track_create},
	    {"trackWrite", track_write},
	    {"trackSetReceive", track_set_receive},
	    {"trackRequestKeyframe", track_request_keyframe},
	    {"trackRequestBitrate", track_request_bitrate},
	    {"trackInfo", track_info},
	    {"trackClose", track_close},
	    {"addTransceiver", add_transceiver},
	    {"removeTrack", remove_track},
	    {"replaceTrack", replace_track},
	    {"setCodecPreferences", set_codec_preferences},
	    {"transceiverInfo", transceiver_info},
	    {"transceiverStop", transceiver_stop},
	    {"transceiverSetDirection", transceiver_set_direction},
	    {"peerSetTrackReceive", peer_set_track_receive},
	    {"mediaReaderOpen", reader_open},
	    {"mediaReaderNext", reader_next},
	    {"mediaReaderClose", reader_close},
	    {"mediaWriterOpen", writer_open},
	    {"mediaWriterWriteRtp", writer_write},
	    {"mediaWriterClose", writer_close},
	};
	for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
		napi_value fn;
		napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].fn, NULL, &fn);
		napi_set_named_property(env, exports, functions[i].name, fn);
	}
}
