/*
 * The addon's entry point: the library-wide functions, every object's
 * functions (each file's *_register) and `constants`, the header's numeric
 * constants by name without the OMNIRTC_ prefix (constants.inc, generated
 * from include/omnirtc.h by scripts/gen-node-constants.js).
 */
#include "addon.h"

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

static napi_value constants(napi_env env) {
	napi_value object, v;
	napi_create_object(env, &object);
#define CONSTANT(name)                    \
	napi_create_int64(env, name, &v); \
	napi_set_named_property(env, object, &#name[sizeof "OMNIRTC_" - 1], v);
#include "constants.inc"
#undef CONSTANT
	return object;
}

static napi_value init(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"debugCounters", debug_counters},
	    {"setEngineThreads", set_engine_threads},
	    {"version", version},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
	peer_register(env, exports);
	events_register(env, exports);
	channel_register(env, exports);
	track_register(env, exports);
	transceiver_register(env, exports);
	mediafile_register(env, exports);
	turnserver_register(env, exports);
	certificate_register(env, exports);
	napi_set_named_property(env, exports, "constants", constants(env));
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
