/*
 * WHIP and WHEP (include/omnirtc.h, "WHIP and WHEP"), polled as a TURN server
 * is (turnserver.c): the notify callback, on a Go thread, only wakes the main
 * thread through a thread-safe function; there the drain polls the library's
 * queue until a poll returns fewer than BATCH and hands each event to
 * onEvent(type, session, status, path, sdp, resource, reason). Nothing is
 * queued here. The function keeps the event loop alive until
 * OMNIRTC_WHIP_EVENT_CLOSED has been polled; a session ends by itself when
 * refused, so a refused publish leaves nothing to keep the process alive.
 */
#include "addon.h"

#define BATCH 16

typedef struct {
	napi_threadsafe_function events;
	omnirtc_whip_t whip; /* 0 before start returned and after CLOSED */
	omnirtc_whip_event_t batch[BATCH];
} whip_ctx;

static void on_whip_notify(void *user_data, omnirtc_whip_t whip) {
	(void)whip;
	whip_ctx *ctx = user_data;
	napi_call_threadsafe_function(ctx->events, NULL, napi_tsfn_nonblocking);
}

/* On the main thread, after a notify: polls until the queue is empty. */
static void drain_whip(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)data;
	whip_ctx *ctx = context;
	if (env == NULL) /* the environment is going away: finalize closes the handle */
		return;
	size_t n = BATCH;
	while (n == BATCH && ctx->whip != 0) {
		if (omnirtc_whip_poll_events(ctx->whip, ctx->batch, BATCH, &n) != OMNIRTC_OK)
			return;
		for (size_t i = 0; i < n; i++) {
			const omnirtc_whip_event_t *e = &ctx->batch[i];
			if (e->type == OMNIRTC_WHIP_EVENT_CLOSED) /* alone, and last */
				ctx->whip = 0;
			napi_handle_scope scope;
			napi_open_handle_scope(env, &scope);
			napi_value argv[7], undefined, error;
			napi_get_undefined(env, &undefined);
			napi_create_int32(env, e->type, &argv[0]);
			napi_create_double(env, (double)e->session, &argv[1]);
			napi_create_int32(env, e->status, &argv[2]);
			const char *fields[4] = {e->path, e->sdp, e->resource, e->reason};
			for (int f = 0; f < 4; f++)
				argv[f + 3] = from_string(env, fields[f]);
			bool thrown = false;
			if (napi_call_function(env, undefined, js_cb, 7, argv, NULL) != napi_ok &&
			    napi_is_exception_pending(env, &thrown) == napi_ok && thrown &&
			    napi_get_and_clear_last_exception(env, &error) == napi_ok)
				napi_fatal_exception(env, error);
			napi_close_handle_scope(env, scope);
		}
		if (ctx->whip == 0) /* the library calls notify no more */
			napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
	}
}

/* After the last call of the event function. A handle still open here (the
 * environment is torn down) is closed and polled to CLOSED, after which the
 * library runs no notify with this pointer. */
static void finalize_whip_ctx(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	whip_ctx *ctx = data;
	if (ctx->whip != 0) {
		omnirtc_whip_close(ctx->whip);
		size_t n = 0;
		while (omnirtc_whip_poll_events(ctx->whip, ctx->batch, BATCH, &n) == OMNIRTC_OK &&
		       (n == 0 || ctx->batch[n - 1].type != OMNIRTC_WHIP_EVENT_CLOSED)) {}
	}
	free(ctx);
}

/* The context of a new handle, its event function made of on_event. */
static whip_ctx *new_whip_ctx(napi_env env, napi_value on_event) {
	napi_value name;
	napi_create_string_utf8(env, "omnirtc-whip-events", NAPI_AUTO_LENGTH, &name);
	whip_ctx *ctx = calloc(1, sizeof *ctx);
	if (ctx == NULL || napi_create_threadsafe_function(env, on_event, NULL, name, 0, 1, ctx, finalize_whip_ctx, ctx,
	                                                   drain_whip, &ctx->events) != napi_ok) {
		free(ctx);
		throw_internal(env, "cannot create the event function");
		return NULL;
	}
	return ctx;
}

/* Ends a start: the handle, or the start's error (nothing is notified after it). */
static napi_value started(napi_env env, whip_ctx *ctx, omnirtc_status_t s, omnirtc_whip_t whip) {
	if (s != OMNIRTC_OK) {
		napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
		return throw_status(env, s);
	}
	ctx->whip = whip;
	return from_handle(env, whip);
}

/* whipClientStart(peer, url, token | null, onEvent) -> handle */
static napi_value whip_client_start(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	whip_ctx *ctx = new_whip_ctx(env, argv[3]);
	if (ctx == NULL)
		return NULL;
	char *url = to_string(env, argv[1]), *token = to_string(env, argv[2]);
	omnirtc_whip_t whip = 0;
	omnirtc_status_t s =
	    omnirtc_whip_client_start(to_handle(env, argv[0]), url, token, NULL, on_whip_notify, ctx, &whip);
	free(url);
	free(token);
	return started(env, ctx, s, whip);
}

/* whipServerStart(configJson, onEvent) -> [handle, url] */
static napi_value whip_server_start(napi_env env, napi_callback_info info) {
	napi_value argv[2], result;
	args(env, info, 2, argv);
	whip_ctx *ctx = new_whip_ctx(env, argv[1]);
	if (ctx == NULL)
		return NULL;
	char *config = to_string(env, argv[0]), *url = NULL;
	omnirtc_whip_t whip = 0;
	omnirtc_status_t s = omnirtc_whip_server_start(config, NULL, on_whip_notify, ctx, &whip, &url);
	free(config);
	napi_value handle = started(env, ctx, s, whip);
	if (handle == NULL)
		return NULL;
	napi_create_array_with_length(env, 2, &result);
	napi_set_element(env, result, 0, handle);
	napi_set_element(env, result, 1, take_string(env, url));
	return result;
}

/* whipServerAnswer(server, session, peer) */
static napi_value whip_server_answer(napi_env env, napi_callback_info info) {
	napi_value argv[3];
	args(env, info, 3, argv);
	CALL(omnirtc_whip_server_answer(to_handle(env, argv[0]), to_handle(env, argv[1]), to_handle(env, argv[2])));
	return NULL;
}

/* whipServerReject(server, session, status, reason) */
static napi_value whip_server_reject(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	int32_t status = 0;
	napi_get_value_int32(env, argv[2], &status);
	char *reason = to_string(env, argv[3]);
	omnirtc_status_t s =
	    omnirtc_whip_server_reject(to_handle(env, argv[0]), to_handle(env, argv[1]), status, reason);
	free(reason);
	CALL(s);
	return NULL;
}

HANDLE_CALL(whip_client_restart_ice, omnirtc_whip_client_restart_ice)
HANDLE_CALL(whip_close, omnirtc_whip_close)

void whip_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"whipClientStart", whip_client_start},   {"whipClientRestartIce", whip_client_restart_ice},
	    {"whipServerStart", whip_server_start},   {"whipServerAnswer", whip_server_answer},
	    {"whipServerReject", whip_server_reject}, {"whipClose", whip_close},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
