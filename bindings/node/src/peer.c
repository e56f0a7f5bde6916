/* The peer connection's functions (include/omnirtc.h, "Peer connection"). */
#include "addon.h"

/* peerCreate(configJson, onEvents) -> handle; onEvents: see events.c */
static napi_value peer_create(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	peer_events *events = events_open(env, argv[1]);
	if (events == NULL)
		return NULL;
	char *config = to_string(env, argv[0]);
	omnirtc_peer_t peer = 0;
	omnirtc_status_t s = omnirtc_peer_create_polled(config, events_notify, events, &peer);
	free(config);
	if (s != OMNIRTC_OK) {
		events_abandon(events);
		return throw_status(env, s);
	}
	events_started(events, peer);
	return from_handle(env, peer);
}

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

/* setLocalDescription / setRemoteDescription(peer, type, sdp) -> {states, last, tracks}:
 * the signaling states the call queued, the number of its last such event and
 * the number of track events queued up to its end (omnirtc_peer_set_description). */
static napi_value set_description(napi_env env, napi_callback_info info, int local) {
	napi_value argv[3];
	args(env, info, 3, argv);
	char *type = to_string(env, argv[1]), *sdp = to_string(env, argv[2]);
	omnirtc_signaling_changes_t changes;
	omnirtc_status_t s = omnirtc_peer_set_description(to_handle(env, argv[0]), local, type, sdp, &changes);
	free(type);
	free(sdp);
	CALL(s);
	napi_value result, states, value;
	napi_create_object(env, &result);
	napi_create_array_with_length(env, changes.count, &states);
	for (uint32_t i = 0; i < changes.count; i++) {
		napi_create_int32(env, changes.states[i], &value);
		napi_set_element(env, states, i, value);
	}
	napi_set_named_property(env, result, "states", states);
	napi_create_double(env, (double)changes.last_event, &value);
	napi_set_named_property(env, result, "last", value);
	napi_create_double(env, (double)changes.track_events, &value);
	napi_set_named_property(env, result, "tracks", value);
	return result;
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

HANDLE_CALL(peer_close, omnirtc_peer_close)
HANDLE_CALL(restart_ice, omnirtc_peer_restart_ice)
JSON_GETTER(get_stats, omnirtc_peer_get_stats)
JSON_GETTER(get_transports, omnirtc_peer_get_transports)
JSON_GETTER(get_configuration, omnirtc_peer_get_configuration)
HANDLE_STRING_CALL(set_configuration, omnirtc_peer_set_configuration)
NUMBER_GETTER(max_message_size, omnirtc_peer_get_max_message_size, uint64_t)
NUMBER_GETTER(signaling_state, omnirtc_peer_get_signaling_state, int32_t)
NUMBER_GETTER(gathering_state, omnirtc_peer_get_ice_gathering_state, int32_t)
NUMBER_GETTER(ice_state, omnirtc_peer_get_ice_connection_state, int32_t)
NUMBER_GETTER(connection_state, omnirtc_peer_get_connection_state, int32_t)
HANDLE_STRING_CALL(set_track_receive, omnirtc_peer_set_track_receive)

void peer_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
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
	    {"getTransports", get_transports},
	    {"getConfiguration", get_configuration},
	    {"setConfiguration", set_configuration},
	    {"maxMessageSize", max_message_size},
	    {"signalingState", signaling_state},
	    {"iceGatheringState", gathering_state},
	    {"iceConnectionState", ice_state},
	    {"connectionState", connection_state},
	    {"peerSetTrackReceive", set_track_receive},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
