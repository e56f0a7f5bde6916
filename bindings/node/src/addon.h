/*
 * The N-API addon: a thin, synchronous mirror of include/omnirtc.h for the
 * JavaScript layer in lib/, one file per object of the header; all W3C
 * behaviour lives in JavaScript. This header holds what the files share: the
 * conversions (convert.c), the errors (errors.c), the call shapes and each
 * file's registration.
 */
#ifndef OMNIRTC_NODE_ADDON_H
#define OMNIRTC_NODE_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <omnirtc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* --- errors.c ----------------------------------------------------------------- */

/* Throws the library's error for status (code, message, .status); returns NULL. */
napi_value throw_status(napi_env env, omnirtc_status_t status);
/* Throws an OMNIRTC_ERR_INTERNAL error (no library call failed); returns NULL. */
napi_value throw_internal(napi_env env, const char *message);
/* Throws a TypeError for an argument lib/ never passes; returns 0. */
int throw_argument(napi_env env, const char *message);

#define CALL(expr)                                    \
	do {                                          \
		omnirtc_status_t s_ = (expr);         \
		if (s_ != OMNIRTC_OK)                 \
			return throw_status(env, s_); \
	} while (0)

/* --- convert.c (lib/ validates types; these only convert) ------------------------ */

/* Fills argv with `want` arguments, undefined for missing ones. */
napi_value *args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);
uint64_t to_handle(napi_env env, napi_value v);
/* A copy of a JS string, or NULL for anything else; free() it. */
char *to_string(napi_env env, napi_value v);
/* The bytes of a Uint8Array (lib/ converts every binary input); else throws and returns 0. */
int to_bytes(napi_env env, napi_value v, void **data, size_t *size);
napi_value from_handle(napi_env env, uint64_t h);
napi_value from_string(napi_env env, const char *s);
/* A library-allocated string as a JS string (null for NULL), freed. */
napi_value take_string(napi_env env, char *s);
/* A copy of size bytes as an ArrayBuffer. */
napi_value from_bytes(napi_env env, const void *data, size_t size);

/* --- call shapes ------------------------------------------------------------------ */

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
/* NAME(handle) -> number, from a getter writing a T */
#define NUMBER_GETTER(name, getter, T)                                  \
	static napi_value name(napi_env env, napi_callback_info info) { \
		napi_value argv[1], v;                                  \
		args(env, info, 1, argv);                               \
		T n = 0;                                                \
		CALL(getter(to_handle(env, argv[0]), &n));              \
		napi_create_double(env, (double)n, &v);                 \
		return v;                                               \
	}
/* NAME(handle, string | null) -> undefined */
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
/* NAME(string | null) -> string, from a call that takes a text and gives one */
#define STRING_TO_STRING(name, call)                                    \
	static napi_value name(napi_env env, napi_callback_info info) { \
		napi_value argv[1];                                     \
		args(env, info, 1, argv);                               \
		char *in = to_string(env, argv[0]), *out = NULL;        \
		omnirtc_status_t s = call(in, &out);                    \
		free(in);                                               \
		CALL(s);                                                \
		return take_string(env, out);                           \
	}
/* NAME(handle, handle) -> undefined */
#define TWO_HANDLE_CALL(name, call)                                           \
	static napi_value name(napi_env env, napi_callback_info info) {       \
		napi_value argv[2];                                           \
		args(env, info, 2, argv);                                     \
		CALL(call(to_handle(env, argv[0]), to_handle(env, argv[1]))); \
		return NULL;                                                  \
	}

/* --- registration: each file adds its functions to the exports ------------------------ */

typedef struct {
	const char *name;
	napi_callback fn;
} function_entry;

/* Adds n functions to exports under their names. */
void export_functions(napi_env env, napi_value exports, const function_entry *functions, size_t n);
#define EXPORT_FUNCTIONS(env, exports, table) export_functions(env, exports, table, sizeof table / sizeof table[0])

void peer_register(napi_env env, napi_value exports);
void channel_register(napi_env env, napi_value exports);
void track_register(napi_env env, napi_value exports);
void transceiver_register(napi_env env, napi_value exports);
void dtmf_register(napi_env env, napi_value exports);
void mediafile_register(napi_env env, napi_value exports);
void turnserver_register(napi_env env, napi_value exports);
void whip_register(napi_env env, napi_value exports);
void forwarder_register(napi_env env, napi_value exports);
void certificate_register(napi_env env, napi_value exports);
void logs_register(napi_env env, napi_value exports);

/* --- events.c: a polled peer's events, drained on the main thread ----------------------- */

typedef struct peer_events peer_events;

/* A peer's event delivery to the JS function onEvents, or NULL (an error thrown). */
peer_events *events_open(napi_env env, napi_value on_events);
/* The notify callback of omnirtc_peer_create_polled, user_data the peer_events. */
void events_notify(void *user_data, omnirtc_peer_t peer);
/* The peer the events come from, once omnirtc_peer_create_polled returned it. */
void events_started(peer_events *events, omnirtc_peer_t peer);
/* Gives up the delivery of a peer that was never made. */
void events_abandon(peer_events *events);
/* Exports eventStride, the values per event in a batch given to onEvents. */
void events_register(napi_env env, napi_value exports);

/* --- polled.c: objects with few events (TURN server, WHIP), drained on the main thread -- */

#define POLLED_MAX_ARGS 8

/* What differs between the kinds of polled object; one static instance per kind. */
typedef struct {
	const char *name;  /* of the thread-safe function */
	size_t event_size; /* sizeof the kind's event struct */
	/* The kind's poll_events and close, its events written into a void batch. */
	omnirtc_status_t (*poll)(uint64_t handle, void *events, size_t capacity, size_t *n);
	omnirtc_status_t (*close)(uint64_t handle);
	/* Whether event is the object's last (CLOSED), after which nothing is notified. */
	bool (*final)(const void *event);
	/* Sets onEvent's arguments for event (at most POLLED_MAX_ARGS); returns their number. */
	size_t (*to_args)(napi_env env, const void *event, napi_value *argv);
} polled_kind;

typedef struct polled polled;

/* The event delivery of a new object to the JS function onEvent, or NULL (an error thrown). */
polled *polled_open(napi_env env, const polled_kind *kind, napi_value on_event);
/* The notify callback of the kind's start functions, user_data the polled. */
void polled_notify(void *user_data, uint64_t handle);
/* Another thread-safe function, released with the event function (the TURN auth function). */
void polled_also_release(polled *p, napi_threadsafe_function fn);
napi_threadsafe_function polled_also(const polled *p);
/* Gives up the delivery of an object that was never made. */
void polled_abandon(polled *p);
/* Ends a start: the handle as a JS value, or the start's error thrown (nothing is notified after it). */
napi_value polled_started(napi_env env, polled *p, omnirtc_status_t status, uint64_t handle);

/* --- waiter.c: a lock and a condition (Windows' or pthreads') --------------------------- */

typedef struct waiter waiter;

/* A new waiter, or NULL when out of memory. */
waiter *waiter_new(void);
void waiter_free(waiter *w);
void waiter_lock(waiter *w);
void waiter_unlock(waiter *w);
/* Wakes a thread in waiter_wait; call with the lock held. */
void waiter_signal(waiter *w);
/* The time ms milliseconds from now, for waiter_wait. */
uint64_t waiter_deadline(uint32_t ms);
/* With the lock held: sleeps until signalled (or woken spuriously: true) or
 * until deadline (false). */
bool waiter_wait(waiter *w, uint64_t deadline);

#endif
