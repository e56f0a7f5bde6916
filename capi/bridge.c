#include <pthread.h>
#include <string.h>
#include "bridge.h"

/* Set in a child forked after load: the Go runtime's threads did not come
 * along, so every export refuses to run there. Read directly from Go. */
int ortc_bridge_forked;

static void mark_forked(void) { ortc_bridge_forked = 1; }

__attribute__((constructor)) static void watch_fork(void) { pthread_atfork(NULL, NULL, mark_forked); }

/* The last error message of each thread; see omnirtc_last_error. */
static __thread char *last_error;

void ortc_bridge_set_error(const char *message, size_t length) {
	char *copy = malloc(length + 1);
	if (copy == NULL)
		return; /* keep the previous message rather than lose the status */
	memcpy(copy, message, length);
	copy[length] = '\0';
	free(last_error);
	last_error = copy;
}

const char *ortc_bridge_last_error(void) { return last_error != NULL ? last_error : ""; }

void ortc_bridge_emit(omnirtc_event_cb cb, uintptr_t user_data, int32_t type, int32_t state,
                         uint64_t peer, uint64_t channel, const char *text, const char *sdp_mid,
                         int32_t sdp_mline_index, int32_t binary, const void *data, size_t size,
                         uint64_t track, uint64_t transceiver, const char *rid, uint32_t rtp_timestamp,
                         int32_t keyframe, int64_t value) {
	omnirtc_event_t event = {
	    .type = type,
	    .state = state,
	    .peer = peer,
	    .channel = channel,
	    .text = text,
	    .sdp_mid = sdp_mid,
	    .sdp_mline_index = sdp_mline_index,
	    .binary = binary,
	    .data = data,
	    .size = size,
	    .track = track,
	    .transceiver = transceiver,
	    .rid = rid,
	    .rtp_timestamp = rtp_timestamp,
	    .keyframe = keyframe,
	    .value = value,
	};
	cb((void *)user_data, &event);
}

void ortc_bridge_log(omnirtc_log_cb cb, uintptr_t user_data, int32_t level, const char *scope,
                        const char *message) {
	cb((void *)user_data, level, scope, message);
}
