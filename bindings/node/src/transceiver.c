/* The transceiver's functions and a peer's senders (include/omnirtc.h, "Track"). */
#include "addon.h"

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

HANDLE_STRING_CALL(set_codec_preferences, omnirtc_transceiver_set_codec_preferences)
HANDLE_STRING_CALL(transceiver_set_direction, omnirtc_transceiver_set_direction)
TWO_HANDLE_CALL(remove_track, omnirtc_peer_remove_track)
TWO_HANDLE_CALL(replace_track, omnirtc_transceiver_replace_track)
JSON_GETTER(transceiver_info, omnirtc_transceiver_get_info)
HANDLE_CALL(transceiver_stop, omnirtc_transceiver_stop)
HANDLE_STRING_CALL(transceiver_set_parameters, omnirtc_transceiver_set_parameters)

/* rtpCapabilities(kind) -> JSON text */
STRING_TO_STRING(rtp_capabilities, omnirtc_rtp_capabilities)

void transceiver_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"addTransceiver", add_transceiver},
	    {"removeTrack", remove_track},
	    {"replaceTrack", replace_track},
	    {"setCodecPreferences", set_codec_preferences},
	    {"transceiverInfo", transceiver_info},
	    {"transceiverStop", transceiver_stop},
	    {"transceiverSetDirection", transceiver_set_direction},
	    {"transceiverSetParameters", transceiver_set_parameters},
	    {"rtpCapabilities", rtp_capabilities},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
