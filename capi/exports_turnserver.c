/* The public TURN server functions of include/omnirtc.h and the trampolines
 * through which Go calls the host's TURN callbacks. */
#include "_cgo_export.h"
#include "bridge.h"

void ortc_bridge_turn_emit(omnirtc_turn_event_cb cb, uintptr_t user_data, omnirtc_turn_event_t event) {
	cb((void *)user_data, &event);
}

/* The "" of empty event fields: static, so an event with one points into no batch and costs no allocation. */
char *ortc_empty_string(void) {
	static char empty[1];
	return empty;
}

void ortc_bridge_turn_notify(omnirtc_turn_notify_cb cb, uintptr_t user_data, omnirtc_turn_server_t server) {
	cb((void *)user_data, server);
}

int32_t ortc_bridge_turn_auth(omnirtc_turn_auth_cb cb, uintptr_t user_data, const char *username, const char *realm,
                              const char *client_address, char *password_out, size_t password_capacity) {
	return cb((void *)user_data, username, realm, client_address, password_out, password_capacity);
}

static omnirtc_status_t turn_forked_error(void) {
	static const char message[] = "OmniRTC cannot be used in a process forked after it was loaded; "
	                              "start the child with spawn/exec instead of fork";
	ortc_bridge_set_error(message, sizeof message - 1);
	return OMNIRTC_ERR_FORKED;
}

#define TURN_FORWARD(call) return ortc_bridge_forked ? turn_forked_error() : (call)

omnirtc_status_t omnirtc_turn_server_start(const char *config_json, omnirtc_turn_event_cb cb,
                                           omnirtc_turn_auth_cb auth_cb, void *user_data,
                                           omnirtc_turn_server_t *server_out) {
	TURN_FORWARD(ortc_go_turn_server_start(config_json, cb, auth_cb, user_data, server_out));
}

omnirtc_status_t omnirtc_turn_server_start_polled(const char *config_json, omnirtc_turn_notify_cb notify,
                                                  omnirtc_turn_auth_cb auth_cb, void *user_data,
                                                  omnirtc_turn_server_t *server_out) {
	TURN_FORWARD(ortc_go_turn_server_start_polled(config_json, notify, auth_cb, user_data, server_out));
}

omnirtc_status_t omnirtc_turn_server_poll_events(omnirtc_turn_server_t server, omnirtc_turn_event_t *events,
                                                 size_t capacity, size_t *count_out) {
	TURN_FORWARD(ortc_go_turn_server_poll_events(server, events, capacity, count_out));
}

omnirtc_status_t omnirtc_turn_server_stats(omnirtc_turn_server_t server, char **json_out) {
	TURN_FORWARD(ortc_go_turn_server_stats(server, json_out));
}

omnirtc_status_t omnirtc_turn_server_close(omnirtc_turn_server_t server) {
	TURN_FORWARD(ortc_go_turn_server_close(server));
}

omnirtc_status_t omnirtc_turn_rest_credential(const char *secret, const char *user, int64_t ttl_seconds,
                                              char **username_out, char **password_out) {
	TURN_FORWARD(ortc_go_turn_rest_credential(secret, user, ttl_seconds, username_out, password_out));
}
