/*
 * Objects polled as a peer is, but whose events are few (a TURN server, a
 * WHIP session or server): the notify callback, on a Go thread, only wakes
 * the main thread through a thread-safe function; there the drain polls the
 * library's queue until a poll returns fewer than POLLED_BATCH and hands each
 * event to onEvent(...kind->to_args). Nothing is queued here, and unlike a
 * peer's drain this one never yields mid-burst. The function keeps the event
 * loop alive until the object's final event has been polled.
 */
#include "addon.h"

#define POLLED_BATCH 32

struct polled {
	const polled_kind *kind;
	napi_threadsafe_function events;
	napi_threadsafe_function also; /* released with events at the final event, or NULL */
	uint64_t handle;               /* 0 before start returned and after the final event */
	_Alignas(max_align_t) unsigned char batch[];
};

static const void *event_at(const polled *p, size_t i) { return p->batch + i * p->kind->event_size; }

void polled_notify(void *user_data, uint64_t handle) {
	(void)handle;
	polled *p = user_data;
	napi_call_threadsafe_function(p->events, NULL, napi_tsfn_nonblocking);
}

/* The library calls neither function again after the final event or a failed start. */
void polled_abandon(polled *p) {
	if (p->also != NULL)
		napi_release_threadsafe_function(p->also, napi_tsfn_release);
	napi_release_threadsafe_function(p->events, napi_tsfn_release);
}

/* On the main thread, after a notify: polls until the queue is empty. */
static void drain(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)data;
	polled *p = context;
	if (env == NULL) /* the environment is going away: finalize closes the handle */
		return;
	size_t n = POLLED_BATCH;
	while (n == POLLED_BATCH && p->handle != 0) {
		if (p->kind->poll(p->handle, p->batch, POLLED_BATCH, &n) != OMNIRTC_OK)
			return;
		for (size_t i = 0; i < n; i++) {
			const void *e = event_at(p, i);
			if (p->kind->final(e)) /* alone, and last */
				p->handle = 0;
			napi_handle_scope scope;
			napi_open_handle_scope(env, &scope);
			napi_value argv[POLLED_MAX_ARGS], undefined, error;
			napi_get_undefined(env, &undefined);
			size_t argc = p->kind->to_args(env, e, argv);
			bool thrown = false;
			if (napi_call_function(env, undefined, js_cb, argc, argv, NULL) != napi_ok &&
			    napi_is_exception_pending(env, &thrown) == napi_ok && thrown &&
			    napi_get_and_clear_last_exception(env, &error) == napi_ok)
				napi_fatal_exception(env, error);
			napi_close_handle_scope(env, scope);
		}
		if (p->handle == 0)
			polled_abandon(p);
	}
}

/* After the last call of the event function. A handle still open here (the
 * environment is torn down) is closed and polled to its final event, after
 * which the library runs no notify with this pointer. */
static void finalize(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	polled *p = data;
	if (p->handle != 0) {
		p->kind->close(p->handle);
		size_t n = 0;
		while (p->kind->poll(p->handle, p->batch, POLLED_BATCH, &n) == OMNIRTC_OK &&
		       (n == 0 || !p->kind->final(event_at(p, n - 1)))) {}
	}
	free(p);
}

polled *polled_open(napi_env env, const polled_kind *kind, napi_value on_event) {
	napi_value name;
	napi_create_string_utf8(env, kind->name, NAPI_AUTO_LENGTH, &name);
	polled *p = calloc(1, sizeof *p + POLLED_BATCH * kind->event_size);
	if (p != NULL)
		p->kind = kind;
	if (p == NULL || napi_create_threadsafe_function(env, on_event, NULL, name, 0, 1, p, finalize, p, drain,
	                                                 &p->events) != napi_ok) {
		free(p);
		throw_internal(env, "cannot create the event function");
		return NULL;
	}
	return p;
}

void polled_also_release(polled *p, napi_threadsafe_function fn) { p->also = fn; }

napi_threadsafe_function polled_also(const polled *p) { return p->also; }

napi_value polled_started(napi_env env, polled *p, omnirtc_status_t status, uint64_t handle) {
	if (status != OMNIRTC_OK) {
		polled_abandon(p);
		return throw_status(env, status);
	}
	p->handle = handle;
	return from_handle(env, handle);
}
