/* The track's functions (include/omnirtc.h, "Track"); lib/media.js has the W3C behaviour. */
#include "addon.h"

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
	if (!to_bytes(env, argv[2], &data, &size))
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

HANDLE_STRING_CALL(track_set_receive, omnirtc_track_set_receive)
JSON_GETTER(track_info, omnirtc_track_get_info)
HANDLE_CALL(track_close, omnirtc_track_close)

void track_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"trackCreate", track_create},
	    {"trackWrite", track_write},
	    {"trackSetReceive", track_set_receive},
	    {"trackRequestKeyframe", track_request_keyframe},
	    {"trackRequestBitrate", track_request_bitrate},
	    {"trackInfo", track_info},
	    {"trackClose", track_close},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
