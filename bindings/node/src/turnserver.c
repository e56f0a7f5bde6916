/*
 * The built-in TURN server (include/omnirtc.h, "TURN server"), polled as a
 * peer is (events.c): its notify callback, on a Go thread, only wakes the
 * main thread through a thread-safe function; there the drain polls the
 * library's queue until a poll returns fewer than BATCH and hands each event
 * to onEvent(type, username, realm, clientAddress, relayAddress, protocol).
 * Nothing is queued here. The function keeps the event loop alive until
 * OMNIRTC_TURN_EVENT_CLOSED has been polled. (A server's events are a few per
 * allocation, so unlike a peer's drain this one never yields mid-burst.)
 * The optional auth function is asked onAuth(username, realm, clientAddress)
 * -> password | null on the main thread while the library thread waits, at
 * most AUTH_TIMEOUT_MS (the main thread may be busy, even inside close): the
 * server needs the password to answer the request, so the library asks it
 * synchronously and it cannot come through the queue.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "addon.h"

#define AUTH_TIMEOUT_MS 2000
#define BATCH 64

typedef struct {
	napi_threadsafe_function events, auth; /* auth may be NULL */
	omnirtc_turn_server_t server;          /* 0 before start returned and after CLOSED */
	omnirtc_turn_event_t batch[BATCH];
} turn_ctx;

/* One auth question; freed by whichever side finishes with it last. */
typedef struct {
	char *username, *realm, *client;
	char password[1024];
	int answered, accepted, abandoned;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} auth_request;

static void free_auth_request(auth_request *r) {
	free(r->username);
	free(r->realm);
	free(r->client);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
}

static void on_turn_notify(void *user_data, omnirtc_turn_server_t server) {
	(void)server;
	turn_ctx *ctx = user_data;
	napi_call_threadsafe_function(ctx->events, NULL, napi_tsfn_nonblocking);
}

/* The functions are released at CLOSED: the library calls neither again. */
static void release_functions(turn_ctx *ctx) {
	if (ctx->auth != NULL)
		napi_release_threadsafe_function(ctx->auth, napi_tsfn_release);
	napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
}

/* On the main thread, after a notify: polls until the queue is empty. */
static void drain_turn(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)data;
	turn_ctx *ctx = context;
	if (env == NULL) /* the environment is going away: finalize closes the server */
		return;
	size_t n = BATCH;
	while (n == BATCH && ctx->server != 0) {
		if (omnirtc_turn_server_poll_events(ctx->server, ctx->batch, BATCH, &n) != OMNIRTC_OK)
			return;
		for (size_t i = 0; i < n; i++) {
			const omnirtc_turn_event_t *e = &ctx->batch[i];
			if (e->type == OMNIRTC_TURN_EVENT_CLOSED) /* alone, and last */
				ctx->server = 0;
			napi_handle_scope scope;
			napi_open_handle_scope(env, &scope);
			napi_value argv[6], undefined, error;
			napi_get_undefined(env, &undefined);
			napi_create_int32(env, e->type, &argv[0]);
			const char *fields[5] = {e->username, e->realm, e->client_address, e->relay_address,
			                         e->protocol};
			for (int f = 0; f < 5; f++)
				argv[f + 1] = from_string(env, fields[f]);
			bool thrown = false;
			if (napi_call_function(env, undefined, js_cb, 6, argv, NULL) != napi_ok &&
			    napi_is_exception_pending(env, &thrown) == napi_ok && thrown &&
			    napi_get_and_clear_last_exception(env, &error) == napi_ok)
				napi_fatal_exception(env, error);
			napi_close_handle_scope(env, scope);
		}
		if (ctx->server == 0)
			release_functions(ctx);
	}
}

/* On a library thread: ask JavaScript, wait for the answer or the timeout. */
static int32_t on_turn_auth(void *user_data, const char *username, const char *realm, const char *client,
                            char *password_out, size_t capacity) {
	turn_ctx *ctx = user_data;
	auth_request *r = calloc(1, sizeof *r);
	if (r == NULL)
		return 0;
	r->username = strdup(username);
	r->realm = strdup(realm);
	r->client = strdup(client);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if (napi_call_threadsafe_function(ctx->auth, r, napi_tsfn_nonblocking) != napi_ok) {
		free_auth_request(r);
		return 0;
	}
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += AUTH_TIMEOUT_MS / 1000;
	int32_t accepted = 0;
	pthread_mutex_lock(&r->mu);
	while (!r->answered && pthread_cond_timedwait(&r->cv, &r->mu, &deadline) == 0) {}
	if (r->answered && r->accepted && strlen(r->password) < capacity) {
		memcpy(password_out, r->password, strlen(r->password) + 1);
		accepted = 1;
	}
	int last = r->answered;
	r->abandoned = 1;
	pthread_mutex_unlock(&r->mu);
	if (last)
		free_auth_request(r);
	return accepted;
}

/* On the main thread: run onAuth and hand the answer back. */
static void call_js_auth(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)context;
	auth_request *r = data;
	int accepted = 0;
	char password[sizeof r->password] = "";
	if (env != NULL) {
		napi_value argv[3], undefined, result;
		napi_get_undefined(env, &undefined);
		argv[0] = from_string(env, r->username);
		argv[1] = from_string(env, r->realm);
		argv[2] = from_string(env, r->client);
		napi_valuetype t = napi_undefined;
		size_t n = 0;
		if (napi_call_function(env, undefined, js_cb, 3, argv, &result) == napi_ok &&
		    napi_typeof(env, result, &t) == napi_ok && t == napi_string &&
		    napi_get_value_string_utf8(env, result, password, sizeof password, &n) == napi_ok &&
		    n < sizeof password - 1)
			accepted = 1;
	}
	pthread_mutex_lock(&r->mu);
	r->answered = 1;
	r->accepted = accepted;
	memcpy(r->password, password, sizeof password);
	int last = r->abandoned;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	if (last)
		free_auth_request(r);
}

/* After the last call of the event function. A server still open here (the
 * environment is torn down) is closed and polled to CLOSED, after which the
 * library runs no notify with this pointer. */
static void finalize_turn_ctx(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	turn_ctx *ctx = data;
	if (ctx->server != 0) {
		omnirtc_turn_server_close(ctx->server);
		size_t n = 0;
		while (omnirtc_turn_server_poll_events(ctx->server, ctx->batch, BATCH, &n) == OMNIRTC_OK &&
		       (n == 0 || ctx->batch[n - 1].type != OMNIRTC_TURN_EVENT_CLOSED)) {}
	}
	free(ctx);
}

/* turnServerStart(configJson, onEvent, onAuth?) -> handle */
static napi_value turn_server_start(napi_env env, napi_callback_info info) {
	napi_value argv[3], name;
	args(env, info, 3, argv);
	turn_ctx *ctx = calloc(1, sizeof *ctx);
	napi_valuetype auth_type;
	napi_typeof(env, argv[2], &auth_type);
	napi_create_string_utf8(env, "omnirtc-turn-events", NAPI_AUTO_LENGTH, &name);
	if (ctx == NULL || napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, ctx, finalize_turn_ctx, ctx,
	                                                   drain_turn, &ctx->events) != napi_ok) {
		free(ctx);
		return throw_internal(env, "cannot create the event function");
	}
	if (auth_type == napi_function && napi_create_threadsafe_function(env, argv[2], NULL, name, 0, 1, NULL, NULL,
	                                                                  NULL, call_js_auth, &ctx->auth) != napi_ok) {
		napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
		return throw_internal(env, "cannot create the auth function");
	}
	char *config = to_string(env, argv[0]);
	omnirtc_turn_server_t server = 0;
	omnirtc_status_t s = omnirtc_turn_server_start_polled(config, on_turn_notify,
	                                                      ctx->auth != NULL ? on_turn_auth : NULL, ctx, &server);
	free(config);
	if (s != OMNIRTC_OK) { /* nothing is notified after a failed start */
		release_functions(ctx);
		return throw_status(env, s);
	}
	ctx->server = server;
	return from_handle(env, server);
}

HANDLE_CALL(turn_server_close, omnirtc_turn_server_close)
JSON_GETTER(turn_server_stats, omnirtc_turn_server_stats)

void turnserver_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"turnServerStart", turn_server_start},
	    {"turnServerStats", turn_server_stats},
	    {"turnServerClose", turn_server_close},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
