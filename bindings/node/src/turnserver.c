/*
 * The built-in TURN server (include/omnirtc.h, "TURN server"). The ABI has no
 * polled TURN server, so its events are pushed: each goes to JavaScript as
 * onEvent(type, username, realm, clientAddress, relayAddress, protocol)
 * through a thread-safe function; both functions keep the loop alive until
 * OMNIRTC_TURN_EVENT_CLOSED. The optional auth function is asked
 * onAuth(username, realm, clientAddress) -> password | null on the main thread
 * while the library thread waits, at most AUTH_TIMEOUT_MS (the main thread may
 * be busy, even inside close).
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "addon.h"

#define AUTH_TIMEOUT_MS 2000

static char *dup_or_null(const char *s) { return s != NULL ? strdup(s) : NULL; }

typedef struct {
	napi_threadsafe_function events, auth; /* auth may be NULL */
} turn_ctx;

typedef struct {
	int32_t type;
	char *fields[5];
} turn_event_copy;

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

static void on_turn_event(void *user_data, const omnirtc_turn_event_t *e) {
	turn_ctx *ctx = user_data;
	turn_event_copy *copy = calloc(1, sizeof *copy);
	if (copy != NULL) {
		copy->type = e->type;
		const char *fields[5] = {e->username, e->realm, e->client_address, e->relay_address, e->protocol};
		for (int i = 0; i < 5; i++)
			copy->fields[i] = dup_or_null(fields[i]);
		napi_call_threadsafe_function(ctx->events, copy, napi_tsfn_nonblocking);
	}
	if (e->type == OMNIRTC_TURN_EVENT_CLOSED) { /* the library calls neither function again */
		if (ctx->auth != NULL)
			napi_release_threadsafe_function(ctx->auth, napi_tsfn_release);
		napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
	}
}

static void call_js_turn(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)context;
	turn_event_copy *e = data;
	if (env != NULL) {
		napi_value argv[6], undefined;
		napi_get_undefined(env, &undefined);
		napi_create_int32(env, e->type, &argv[0]);
		for (int i = 0; i < 5; i++)
			argv[i + 1] = from_string(env, e->fields[i]);
		napi_call_function(env, undefined, js_cb, 6, argv, NULL);
	}
	for (int i = 0; i < 5; i++)
		free(e->fields[i]);
	free(e);
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

static void finalize_turn_ctx(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	free(data);
}

/* turnServerStart(configJson, onEvent, onAuth?) -> handle */
static napi_value turn_server_start(napi_env env, napi_callback_info info) {
	napi_value argv[3], name;
	args(env, info, 3, argv);
	turn_ctx *ctx = calloc(1, sizeof *ctx);
	napi_valuetype auth_type;
	napi_typeof(env, argv[2], &auth_type);
	napi_create_string_utf8(env, "omnirtc-turn-events", NAPI_AUTO_LENGTH, &name);
	if (ctx == NULL || napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, ctx, finalize_turn_ctx, NULL,
	                                                   call_js_turn, &ctx->events) != napi_ok) {
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
	omnirtc_status_t s =
	    omnirtc_turn_server_start(config, on_turn_event, ctx->auth != NULL ? on_turn_auth : NULL, ctx, &server);
	free(config);
	if (s != OMNIRTC_OK) { /* no event, not even CLOSED, follows a failed start */
		if (ctx->auth != NULL)
			napi_release_threadsafe_function(ctx->auth, napi_tsfn_release);
		napi_release_threadsafe_function(ctx->events, napi_tsfn_release);
		return throw_status(env, s);
	}
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
