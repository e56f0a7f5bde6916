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

/* setGc(percent, memoryLimitBytes): lib/gc.js checks they are integers */
static napi_value set_gc(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	int64_t percent = 0, limit = 0;
	napi_get_value_int64(env, argv[0], &percent);
	napi_get_value_int64(env, argv[1], &limit);
	/* past int32 is out of range, not its low 32 bits */
	CALL(omnirtc_set_gc(percent < INT32_MIN || percent > INT32_MAX ? INT32_MIN : (int32_t)percent, limit));
	return NULL;
}

/* getGc() -> [percent, memoryLimitBytes] */
static napi_value get_gc(napi_env env, napi_callback_info info) {
	(void)info;
	int32_t percent = 0;
	int64_t limit = 0;
	CALL(omnirtc_get_gc(&percent, &limit));
	napi_value array, v;
	napi_create_array_with_length(env, 2, &array);
	napi_create_int32(env, percent, &v);
	napi_set_element(env, array, 0, v);
	napi_create_int64(env, limit, &v);
	napi_set_element(env, array, 1, v);
	return array;
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
	    {"debugCounters", debug_counters},        {"getGc", get_gc},    {"setGc", set_gc},
	    {"setEngineThreads", set_engine_threads}, {"version", version},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
	peer_register(env, exports);
	events_register(env, exports);
	channel_register(env, exports);
	track_register(env, exports);
	transceiver_register(env, exports);
	dtmf_register(env, exports);
	mediafile_register(env, exports);
	turnserver_register(env, exports);
	whip_register(env, exports);
	forwarder_register(env, exports);
	certificate_register(env, exports);
	logs_register(env, exports);
	napi_set_named_property(env, exports, "constants", constants(env));
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
