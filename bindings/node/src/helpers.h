/* The argument and result helpers of addon.c, shared with media.c. */
#ifndef OMNIRTC_NODE_HELPERS_H
#define OMNIRTC_NODE_HELPERS_H

#include <node_api.h>
#include <omnirtc.h>

/* Throws the library's error for status (code, message, .status); returns NULL. */
napi_value throw_status(napi_env env, omnirtc_status_t status);
/* Fills argv with `want` arguments, undefined for missing ones. */
napi_value *args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);
uint64_t to_handle(napi_env env, napi_value v);
/* A copy of a JS string, or NULL for anything else; free() it. */
char *to_string(napi_env env, napi_value v);
napi_value from_handle(napi_env env, uint64_t h);
napi_value from_string(napi_env env, const char *s);
/* A library-allocated string as a JS string (null for NULL), freed. */
napi_value take_string(napi_env env, char *s);

#define CALL(expr)                                    \
	do {                                          \
		omnirtc_status_t s_ = (expr);         \
		if (s_ != OMNIRTC_OK)                 \
			return throw_status(env, s_); \
	} while (0)

/* NAME(handle) -> undefined */
#define HANDLE_CALL(name, call)                                         \
	static napi_value name(napi_env env, napi_callback_info info) { \
		napi_value argv[1];                                     \
		args(env, info, 1, argv);                               \
		CALL(call(to_handle(env, argv[0])));                    \
		return NULL;                                            \
	}
/* NAME(handle) -> JSON text */
#define JSON_GETTER(name, getter)                                       \
	static napi_value name(napi_env env, napi_callback_info info) { \
		napi_value argv[1];                                     \
		args(env, info, 1, argv);                               \
		char *json = NULL;                                      \
		CALL(getter(to_handle(env, argv[0]), &json));           \
		return take_string(env, json);                          \
	}

#endif
