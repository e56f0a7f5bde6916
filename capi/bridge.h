/* Private glue between Go and C: what Go cannot do itself (call a C
 * function pointer, keep a thread-local) and the const-qualified types that
 * let cgo's generated prototypes match include/omnirtc.h exactly. */
#ifndef OMNIRTC_BRIDGE_H
#define OMNIRTC_BRIDGE_H

#include <stdint.h>
#include <stdlib.h>
#include "../include/omnirtc.h"

typedef const char omnirtc_cchar_t;
typedef const void omnirtc_cvoid_t;
typedef const omnirtc_message_t omnirtc_cmessage_t;

extern int ortc_bridge_forked;

/* Sets the last error for a call made in a forked child (exports.c). */
omnirtc_status_t ortc_forked_error(void);

/* The body of an exported wrapper: refuse in a forked child, else enter Go. */
#define FORWARD(call)                               \
	do {                                        \
		if (ortc_bridge_forked)             \
			return ortc_forked_error(); \
		return call;                        \
	} while (0)

void ortc_bridge_set_error(const char *message, size_t length);
const char *ortc_bridge_last_error(void);
/* The number of threads holding a last-error message. */
long ortc_bridge_live_error_messages(void);

/* Calls cb with event, its payload (Go memory, which cgo forbids inside a
 * struct handed to C) set in the member of its type. */
void ortc_bridge_emit(omnirtc_event_cb cb, uintptr_t user_data, omnirtc_event_t event, const void *payload);

void ortc_bridge_notify(omnirtc_notify_cb cb, uintptr_t user_data, omnirtc_peer_t peer);

void ortc_bridge_log(omnirtc_log_cb cb, uintptr_t user_data, int32_t level, const char *scope, const char *message);
/* Non-zero on a thread inside the host's log callback. */
int ortc_bridge_in_log_callback(void);
/* The static "" of empty event fields. */
char *ortc_empty_string(void);

#endif
