/*
 * The engine's log lines to one JavaScript function (lib/logs.js setLogger).
 * omnirtc_set_log_callback calls on_log on a library thread; it copies the
 * line into a thread-safe function's queue without waiting (a full queue
 * drops the line, as the library itself does when its host falls behind) and
 * the main thread calls callback(level, scope, message). The function is
 * unreferenced, so logging never keeps the process alive.
 *
 * setLogCallback(level, callback | null): the library's callback is silenced
 * first, which waits for a line in on_log to be queued, so the previous
 * function has no caller left when it is aborted; the lines still in its
 * queue are freed undelivered, so none arrives once the call returned (also
 * when made from the callback itself).
 */
#include "addon.h"
#include <string.h>

#define LOG_QUEUE 1024

typedef struct {
	int32_t level;
	char *scope, *message; /* in text[] */
	char text[];
} log_line;

typedef struct {
	napi_threadsafe_function tsfn;
} log_sink;

/* The sink the library calls into, for the finalizer to tell whether the
 * library still holds it (each worker thread's addon may set its own). */
static log_sink *current;

static void on_log(void *user_data, int32_t level, const char *scope, const char *message) {
	size_t scope_size = strlen(scope) + 1, message_size = strlen(message) + 1;
	log_line *line = malloc(sizeof *line + scope_size + message_size);
	if (line == NULL)
		return;
	line->level = level;
	line->scope = memcpy(line->text, scope, scope_size);
	line->message = memcpy(line->text + scope_size, message, message_size);
	log_sink *sink = user_data;
	if (napi_call_threadsafe_function(sink->tsfn, line, napi_tsfn_nonblocking) != napi_ok)
		free(line); /* queue full, or the function closing */
}

static void call_log(napi_env env, napi_value callback, void *context, void *data) {
	(void)context;
	log_line *line = data;
	if (env != NULL) { /* else the environment is going away */
		napi_value argv[3], undefined;
		napi_create_int32(env, line->level, &argv[0]);
		napi_create_string_utf8(env, line->scope, NAPI_AUTO_LENGTH, &argv[1]);
		napi_create_string_utf8(env, line->message, NAPI_AUTO_LENGTH, &argv[2]);
		napi_get_undefined(env, &undefined);
		napi_call_function(env, undefined, callback, 3, argv, NULL); /* a throw is an uncaught exception */
	}
	free(line);
}

/* The environment is torn down with the function still set: silence the
 * library before the function is freed. */
static void finalize_log(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	if (current == data) {
		omnirtc_set_log_callback(OMNIRTC_LOG_NONE, NULL, NULL);
		current = NULL;
	}
	free(data);
}

/* setLogCallback(level, callback | null): lib/logs.js checks the level. */
static napi_value set_log_callback(napi_env env, napi_callback_info info) {
	napi_value argv[2], name;
	args(env, info, 2, argv);
	int32_t level = 0;
	napi_get_value_int32(env, argv[0], &level);
	napi_valuetype type;
	napi_typeof(env, argv[1], &type);
	log_sink *previous = current;
	CALL(omnirtc_set_log_callback(OMNIRTC_LOG_NONE, NULL, NULL));
	current = NULL;
	if (previous != NULL)
		napi_release_threadsafe_function(previous->tsfn, napi_tsfn_abort); /* its finalizer frees it */
	if (type != napi_function || level == OMNIRTC_LOG_NONE)
		return NULL;
	log_sink *sink = calloc(1, sizeof *sink);
	napi_create_string_utf8(env, "omnirtc-log", NAPI_AUTO_LENGTH, &name);
	if (sink == NULL || napi_create_threadsafe_function(env, argv[1], NULL, name, LOG_QUEUE, 1, sink, finalize_log,
	                                                    NULL, call_log, &sink->tsfn) != napi_ok) {
		free(sink);
		return throw_internal(env, "cannot create the log function");
	}
	napi_unref_threadsafe_function(env, sink->tsfn);
	current = sink;
	omnirtc_status_t s = omnirtc_set_log_callback(level, on_log, sink);
	if (s != OMNIRTC_OK) {
		current = NULL;
		napi_release_threadsafe_function(sink->tsfn, napi_tsfn_release);
		return throw_status(env, s);
	}
	return NULL;
}

void logs_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {{"setLogCallback", set_log_callback}};
	EXPORT_FUNCTIONS(env, exports, functions);
}
