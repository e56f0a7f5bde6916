/*
 * WHIP and WHEP (include/omnirtc.h, "WHIP and WHEP"), polled as a TURN server
 * is (polled.c): each event goes to onEvent(type, session, status, path, sdp,
 * resource, reason). A session ends by itself when refused, so a refused
 * publish leaves nothing to keep the process alive.
 */
#include "addon.h"

static omnirtc_status_t poll_whip(uint64_t whip, void *events, size_t capacity, size_t *n) {
	return omnirtc_whip_poll_events(whip, events, capacity, n);
}

static bool whip_final(const void *event) {
	return ((const omnirtc_whip_event_t *)event)->type == OMNIRTC_WHIP_EVENT_CLOSED;
}

static size_t whip_args(napi_env env, const void *event, napi_value *argv) {
	const omnirtc_whip_event_t *e = event;
	napi_create_int32(env, e->type, &argv[0]);
	napi_create_double(env, (double)e->session, &argv[1]);
	napi_create_int32(env, e->status, &argv[2]);
	const char *fields[4] = {e->path, e->sdp, e->resource, e->reason};
	for (int f = 0; f < 4; f++)
		argv[f + 3] = from_string(env, fields[f]);
	return 7;
}

static const polled_kind whip_kind = {
    .name = "omnirtc-whip-events",
    .event_size = sizeof(omnirtc_whip_event_t),
    .poll = poll_whip,
    .close = omnirtc_whip_close,
    .final = whip_final,
    .to_args = whip_args,
};

/* whipClientStart(peer, url, optionsJson, onEvent) -> handle */
static napi_value whip_client_start(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	polled *events = polled_open(env, &whip_kind, argv[3]);
	if (events == NULL)
		return NULL;
	char *url = to_string(env, argv[1]), *options = to_string(env, argv[2]);
	omnirtc_whip_t whip = 0;
	omnirtc_status_t s = omnirtc_whip_client_start_with_options(to_handle(env, argv[0]), url, options, NULL,
	                                                            polled_notify, events, &whip);
	free(url);
	free(options);
	return polled_started(env, events, s, whip);
}

/* whipServerStart(configJson, onEvent) -> [handle, url] */
static napi_value whip_server_start(napi_env env, napi_callback_info info) {
	napi_value argv[2], result;
	args(env, info, 2, argv);
	polled *events = polled_open(env, &whip_kind, argv[1]);
	if (events == NULL)
		return NULL;
	char *config = to_string(env, argv[0]), *url = NULL;
	omnirtc_whip_t whip = 0;
	omnirtc_status_t s = omnirtc_whip_server_start(config, NULL, polled_notify, events, &whip, &url);
	free(config);
	napi_value handle = polled_started(env, events, s, whip);
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
