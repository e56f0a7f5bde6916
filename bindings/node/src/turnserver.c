/*
 * The built-in TURN server (include/omnirtc.h, "TURN server"), polled as
 * polled.c describes: each event goes to onEvent(type, username, realm,
 * clientAddress, relayAddress, protocol). The optional auth function is asked
 * onAuth(username, realm, clientAddress) -> password | null on the main
 * thread while the library thread waits, at most AUTH_TIMEOUT_MS (the main
 * thread may be busy, even inside close): the server needs the password to
 * answer the request, so the library asks it synchronously and it cannot come
 * through the queue.
 */
#include <string.h>

#include "addon.h"

#define AUTH_TIMEOUT_MS 2000
/* One auth question; freed by whichever side finishes with it last. */
typedef struct {
	char *username, *realm, *client;
	char password[1024];
	int answered, accepted, abandoned;
	waiter *w;
} auth_request;

static void free_auth_request(auth_request *r) {
	free(r->username);
	free(r->realm);
	free(r->client);
	if (r->w != NULL)
		waiter_free(r->w);
	free(r);
}

static omnirtc_status_t poll_turn(uint64_t server, void *events, size_t capacity, size_t *n) {
	return omnirtc_turn_server_poll_events(server, events, capacity, n);
}

static bool turn_final(const void *event) {
	return ((const omnirtc_turn_event_t *)event)->type == OMNIRTC_TURN_EVENT_CLOSED;
}

static size_t turn_args(napi_env env, const void *event, napi_value *argv) {
	const omnirtc_turn_event_t *e = event;
	napi_create_int32(env, e->type, &argv[0]);
	const char *fields[5] = {e->username, e->realm, e->client_address, e->relay_address, e->protocol};
	for (int f = 0; f < 5; f++)
		argv[f + 1] = from_string(env, fields[f]);
	return 6;
}

static const polled_kind turn_kind = {
    .name = "omnirtc-turn-events",
    .event_size = sizeof(omnirtc_turn_event_t),
    .poll = poll_turn,
    .close = omnirtc_turn_server_close,
    .final = turn_final,
    .to_args = turn_args,
};

/* On a library thread: ask JavaScript, wait for the answer or the timeout. */
static int32_t on_turn_auth(void *user_data, const char *username, const char *realm, const char *client,
                            char *password_out, size_t capacity) {
	napi_threadsafe_function auth = polled_also(user_data);
	auth_request *r = calloc(1, sizeof *r);
	if (r == NULL)
		return 0;
	r->username = strdup(username);
	r->realm = strdup(realm);
	r->client = strdup(client);
	r->w = waiter_new();
	if (r->w == NULL || napi_call_threadsafe_function(auth, r, napi_tsfn_nonblocking) != napi_ok) {
		free_auth_request(r);
		return 0;
	}
	uint64_t deadline = waiter_deadline(AUTH_TIMEOUT_MS);
	int32_t accepted = 0;
	waiter_lock(r->w);
	while (!r->answered && waiter_wait(r->w, deadline)) {}
	if (r->answered && r->accepted && strlen(r->password) < capacity) {
		memcpy(password_out, r->password, strlen(r->password) + 1);
		accepted = 1;
	}
	int last = r->answered;
	r->abandoned = 1;
	waiter_unlock(r->w);
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
	waiter_lock(r->w);
	r->answered = 1;
	r->accepted = accepted;
	memcpy(r->password, password, sizeof password);
	int last = r->abandoned;
	waiter_signal(r->w);
	waiter_unlock(r->w);
	if (last)
		free_auth_request(r);
}

/* turnServerStart(configJson, onEvent, onAuth?) -> handle */
static napi_value turn_server_start(napi_env env, napi_callback_info info) {
	napi_value argv[3], name;
	args(env, info, 3, argv);
	polled *events = polled_open(env, &turn_kind, argv[1]);
	if (events == NULL)
		return NULL;
	napi_valuetype auth_type;
	napi_typeof(env, argv[2], &auth_type);
	napi_threadsafe_function auth = NULL;
	napi_create_string_utf8(env, "omnirtc-turn-auth", NAPI_AUTO_LENGTH, &name);
	if (auth_type == napi_function && napi_create_threadsafe_function(env, argv[2], NULL, name, 0, 1, NULL, NULL,
	                                                                  NULL, call_js_auth, &auth) != napi_ok) {
		polled_abandon(events);
		return throw_internal(env, "cannot create the auth function");
	}
	polled_also_release(events, auth);
	char *config = to_string(env, argv[0]);
	omnirtc_turn_server_t server = 0;
	omnirtc_status_t s = omnirtc_turn_server_start_polled(config, polled_notify, auth != NULL ? on_turn_auth : NULL,
	                                                      events, &server);
	free(config);
	return polled_started(env, events, s, server);
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
