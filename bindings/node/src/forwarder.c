/* The forwarder's functions (include/omnirtc.h, "Forwarder"); lib/forwarder.js has the JS shape. */
#include "addon.h"

/* forwarderCreate(remoteTrack | 0, transceiver | 0) -> handle: one of the two is given */
static napi_value forwarder_create(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	uint64_t track = to_handle(env, argv[0]), transceiver = to_handle(env, argv[1]);
	omnirtc_forwarder_t forwarder = 0;
	CALL(track != 0 ? omnirtc_forwarder_create(track, &forwarder)
	                : omnirtc_forwarder_create_group(transceiver, &forwarder));
	return from_handle(env, forwarder);
}

/* forwarderSetLayer(forwarder, track, layer JSON, add): add a subscriber, or set its layer */
static napi_value forwarder_set_layer(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	bool add = false;
	napi_get_value_bool(env, argv[3], &add);
	char *layer = to_string(env, argv[2]);
	uint64_t forwarder = to_handle(env, argv[0]), track = to_handle(env, argv[1]);
	omnirtc_status_t s = add ? omnirtc_forwarder_add_subscriber_json(forwarder, track, layer)
	                         : omnirtc_forwarder_set_layer_json(forwarder, track, layer);
	free(layer);
	CALL(s);
	return NULL;
}

/* forwarderGetLayer(forwarder, track) -> JSON text */
static napi_value forwarder_get_layer(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	char *json = NULL;
	CALL(omnirtc_forwarder_get_layer(to_handle(env, argv[0]), to_handle(env, argv[1]), &json));
	return take_string(env, json);
}

/* forwarderSetAuto(forwarder, track, enabled) */
static napi_value forwarder_set_auto(napi_env env, napi_callback_info info) {
	napi_value argv[3];
	args(env, info, 3, argv);
	bool enabled = false;
	napi_get_value_bool(env, argv[2], &enabled);
	CALL(omnirtc_forwarder_set_auto(to_handle(env, argv[0]), to_handle(env, argv[1]), enabled ? 1 : 0));
	return NULL;
}

TWO_HANDLE_CALL(forwarder_remove_subscriber, omnirtc_forwarder_remove_subscriber)
HANDLE_CALL(forwarder_free, omnirtc_forwarder_free)

void forwarder_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"forwarderCreate", forwarder_create},      {"forwarderSetLayer", forwarder_set_layer},
	    {"forwarderGetLayer", forwarder_get_layer}, {"forwarderRemoveSubscriber", forwarder_remove_subscriber},
	    {"forwarderSetAuto", forwarder_set_auto},   {"forwarderFree", forwarder_free},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
