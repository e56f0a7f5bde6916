#include <pthread.h>
#include <string.h>
#include "bridge.h"

/* Set in a child forked after load: the Go runtime's threads did not come
 * along, so every export refuses to run there. Read directly from Go. */
int ortc_bridge_forked;

static void mark_forked(void) { ortc_bridge_forked = 1; }

__attribute__((constructor)) static void watch_fork(void) { pthread_atfork(NULL, NULL, mark_forked); }

/* The last error message of each thread (see omnirtc_last_error), kept
 * under a key whose destructor frees it when the thread exits: host threads
 * come and go, and a __thread pointer would leak each one's message.
 * live_messages counts them, for omnirtc_debug_counters. */
static pthread_key_t last_error_key;
static int have_last_error_key;
static long live_messages;

static void free_message(void *message) {
	free(message);
	__atomic_sub_fetch(&live_messages, 1, __ATOMIC_RELAXED);
}

__attribute__((constructor)) static void make_last_error_key(void) {
	have_last_error_key = pthread_key_create(&last_error_key, free_message) == 0;
}

void ortc_bridge_set_error(const char *message, size_t length) {
	if (!have_last_error_key)
		return;
	char *copy = malloc(length + 1);
	if (copy == NULL)
		return; /* keep the previous message rather than lose the status */
	memcpy(copy, message, length);
	copy[length] = '\0';
	char *previous = pthread_getspecific(last_error_key);
	if (pthread_setspecific(last_error_key, copy) != 0) {
		free(copy);
		return;
	}
	if (previous != NULL)
		free(previous);
	else
		__atomic_add_fetch(&live_messages, 1, __ATOMIC_RELAXED);
}

const char *ortc_bridge_last_error(void) {
	const char *message = have_last_error_key ? pthread_getspecific(last_error_key) : NULL;
	return message != NULL ? message : "";
}

long ortc_bridge_live_error_messages(void) { return __atomic_load_n(&live_messages, __ATOMIC_RELAXED); }

void ortc_bridge_emit(omnirtc_event_cb cb, uintptr_t user_data, omnirtc_event_t event, const void *payload) {
	switch (event.type) {
	case OMNIRTC_EVENT_CHANNEL_MESSAGE: event.message.data = payload; break;
	case OMNIRTC_EVENT_TRACK_RTP: event.rtp.data = payload; break;
	case OMNIRTC_EVENT_TRACK_FRAME: event.frame.data = payload; break;
	default: break;
	}
	cb((void *)user_data, &event);
}

/* Set on the thread running the host's log callback, so that
 * omnirtc_set_log_callback called from it does not wait for that very call. */
static _Thread_local int in_log_callback;

void ortc_bridge_log(omnirtc_log_cb cb, uintptr_t user_data, int32_t level, const char *scope, const char *message) {
	in_log_callback++;
	cb((void *)user_data, level, scope, message);
	in_log_callback--;
}

int ortc_bridge_in_log_callback(void) { return in_log_callback; }

void ortc_bridge_notify(omnirtc_notify_cb cb, uintptr_t user_data, omnirtc_peer_t peer) { cb((void *)user_data, peer); }
