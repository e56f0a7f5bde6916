/* The public WHIP functions of include/omnirtc.h and the trampolines through
 * which Go calls the host's WHIP callbacks. */
#include "_cgo_export.h"
#include "bridge.h"

void ortc_bridge_whip_emit(omnirtc_whip_event_cb cb, uintptr_t user_data, omnirtc_whip_event_t event) {
	cb((void *)user_data, &event);
}

void ortc_bridge_whip_notify(omnirtc_whip_notify_cb cb, uintptr_t user_data, omnirtc_whip_t whip) {
	cb((void *)user_data, whip);
}

omnirtc_status_t omnirtc_whip_client_start(omnirtc_peer_t peer, const char *url, const char *token,
                                           omnirtc_whip_event_cb cb, omnirtc_whip_notify_cb notify, void *user_data,
                                           omnirtc_whip_t *whip_out) {
	FORWARD(ortc_go_whip_client_start(peer, url, token, NULL, cb, notify, user_data, whip_out));
}

omnirtc_status_t omnirtc_whip_client_start_with_options(omnirtc_peer_t peer, const char *url, const char *options_json,
                                                        omnirtc_whip_event_cb cb, omnirtc_whip_notify_cb notify,
                                                        void *user_data, omnirtc_whip_t *whip_out) {
	FORWARD(ortc_go_whip_client_start(peer, url, NULL, options_json, cb, notify, user_data, whip_out));
}

omnirtc_status_t omnirtc_whip_client_restart_ice(omnirtc_whip_t session) {
	FORWARD(ortc_go_whip_client_restart_ice(session));
}

omnirtc_status_t omnirtc_whip_server_start(const char *config_json, omnirtc_whip_event_cb cb,
                                           omnirtc_whip_notify_cb notify, void *user_data, omnirtc_whip_t *whip_out,
                                           char **url_out) {
	FORWARD(ortc_go_whip_server_start(config_json, cb, notify, user_data, whip_out, url_out));
}

omnirtc_status_t omnirtc_whip_server_answer(omnirtc_whip_t server, uint64_t session, omnirtc_peer_t peer) {
	FORWARD(ortc_go_whip_server_answer(server, session, peer));
}

omnirtc_status_t omnirtc_whip_server_reject(omnirtc_whip_t server, uint64_t session, int32_t status,
                                            const char *reason) {
	FORWARD(ortc_go_whip_server_reject(server, session, status, reason));
}

omnirtc_status_t omnirtc_whip_poll_events(omnirtc_whip_t whip, omnirtc_whip_event_t *events, size_t capacity,
                                          size_t *count_out) {
	FORWARD(ortc_go_whip_poll_events(whip, events, capacity, count_out));
}

omnirtc_status_t omnirtc_whip_close(omnirtc_whip_t whip) { FORWARD(ortc_go_whip_close(whip)); }
