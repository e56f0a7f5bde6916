/* The public functions of include/omnirtc.h.
 *
 * Each enters Go through its ortc_go_* export, except in a child forked after
 * load: the Go runtime's threads did not survive fork(), entering it there can
 * hang, so the call fails here, in C, first. The few functions that need no Go
 * are plain C. */
#include <string.h>

#include "_cgo_export.h"
#include "bridge.h"

omnirtc_status_t ortc_forked_error(void) {
	static const char message[] = "OmniRTC cannot be used in a process forked after it was loaded; "
	                              "start the child with spawn/exec instead of fork";
	ortc_bridge_set_error(message, sizeof message - 1);
	return OMNIRTC_ERR_FORKED;
}

/* Library */

const char *omnirtc_version(void) { return OMNIRTC_VERSION; }

const char *omnirtc_status_string(omnirtc_status_t status) {
	switch (status) {
	case OMNIRTC_OK: return "OMNIRTC_OK";
	case OMNIRTC_ERR_INVALID_ARGUMENT: return "OMNIRTC_ERR_INVALID_ARGUMENT";
	case OMNIRTC_ERR_INVALID_HANDLE: return "OMNIRTC_ERR_INVALID_HANDLE";
	case OMNIRTC_ERR_INVALID_STATE: return "OMNIRTC_ERR_INVALID_STATE";
	case OMNIRTC_ERR_INVALID_CONFIG: return "OMNIRTC_ERR_INVALID_CONFIG";
	case OMNIRTC_ERR_INVALID_SDP: return "OMNIRTC_ERR_INVALID_SDP";
	case OMNIRTC_ERR_INVALID_CANDIDATE: return "OMNIRTC_ERR_INVALID_CANDIDATE";
	case OMNIRTC_ERR_TOO_LARGE: return "OMNIRTC_ERR_TOO_LARGE";
	case OMNIRTC_ERR_OPERATION: return "OMNIRTC_ERR_OPERATION";
	case OMNIRTC_ERR_FORKED: return "OMNIRTC_ERR_FORKED";
	case OMNIRTC_ERR_INTERNAL: return "OMNIRTC_ERR_INTERNAL";
	case OMNIRTC_ERR_NOT_SUPPORTED: return "OMNIRTC_ERR_NOT_SUPPORTED";
	case OMNIRTC_ERR_INVALID_SYNTAX: return "OMNIRTC_ERR_INVALID_SYNTAX";
	case OMNIRTC_ERR_INVALID_ACCESS: return "OMNIRTC_ERR_INVALID_ACCESS";
	case OMNIRTC_ERR_INVALID_MODIFICATION: return "OMNIRTC_ERR_INVALID_MODIFICATION";
	case OMNIRTC_ERR_INVALID_CHARACTER: return "OMNIRTC_ERR_INVALID_CHARACTER";
	default: return "OMNIRTC_ERR_UNKNOWN";
	}
}

const char *omnirtc_last_error(void) { return ortc_bridge_last_error(); }

void omnirtc_free(void *ptr) { free(ptr); }

omnirtc_status_t omnirtc_set_log_callback(int32_t level, omnirtc_log_cb cb, void *user_data) {
	FORWARD(ortc_go_set_log_callback(level, cb, user_data));
}

omnirtc_status_t omnirtc_debug_counters(char **json_out) { FORWARD(ortc_go_debug_counters(json_out)); }

omnirtc_status_t omnirtc_generate_certificate(char **pem_out) { FORWARD(ortc_go_generate_certificate(pem_out)); }

omnirtc_status_t omnirtc_certificate_generate(const char *keygen_json, char **pem_out) {
	FORWARD(ortc_go_certificate_generate(keygen_json, pem_out));
}

omnirtc_status_t omnirtc_certificate_info(const char *pem, char **json_out) {
	FORWARD(ortc_go_certificate_info(pem, json_out));
}

omnirtc_status_t omnirtc_shutdown(void) { FORWARD(ortc_go_shutdown()); }

omnirtc_status_t omnirtc_set_engine_threads(int32_t threads, int32_t *previous_out) {
	FORWARD(ortc_go_set_engine_threads(threads, previous_out));
}

omnirtc_status_t omnirtc_set_gc(int32_t percent, int64_t memory_limit_bytes) {
	FORWARD(ortc_go_set_gc(percent, memory_limit_bytes));
}

omnirtc_status_t omnirtc_get_gc(int32_t *percent_out, int64_t *memory_limit_bytes_out) {
	FORWARD(ortc_go_get_gc(percent_out, memory_limit_bytes_out));
}

/* Peer connection */

omnirtc_status_t omnirtc_peer_create(const char *config_json, omnirtc_event_cb cb, void *user_data,
                                     omnirtc_peer_t *peer_out) {
	FORWARD(ortc_go_peer_create(config_json, cb, user_data, peer_out));
}

omnirtc_status_t omnirtc_peer_create_polled(const char *config_json, omnirtc_notify_cb notify, void *user_data,
                                            omnirtc_peer_t *peer_out) {
	FORWARD(ortc_go_peer_create_polled(config_json, notify, user_data, peer_out));
}

omnirtc_status_t omnirtc_peer_poll_events(omnirtc_peer_t peer, omnirtc_event_t *events, size_t capacity,
                                          size_t *count_out) {
	FORWARD(ortc_go_peer_poll_events(peer, events, capacity, count_out));
}

omnirtc_status_t omnirtc_peer_set_track_receive(omnirtc_peer_t peer, const char *receive_json) {
	FORWARD(ortc_go_peer_set_track_receive(peer, receive_json));
}

omnirtc_status_t omnirtc_peer_close(omnirtc_peer_t peer) { FORWARD(ortc_go_peer_close(peer)); }

omnirtc_status_t omnirtc_peer_create_offer(omnirtc_peer_t peer, const char *options_json, char **sdp_out) {
	FORWARD(ortc_go_peer_create_offer(peer, options_json, sdp_out));
}

omnirtc_status_t omnirtc_peer_create_answer(omnirtc_peer_t peer, const char *options_json, char **sdp_out) {
	FORWARD(ortc_go_peer_create_answer(peer, options_json, sdp_out));
}

omnirtc_status_t omnirtc_peer_set_local_description(omnirtc_peer_t peer, const char *type, const char *sdp) {
	FORWARD(ortc_go_peer_set_local_description(peer, type, sdp));
}

omnirtc_status_t omnirtc_peer_set_remote_description(omnirtc_peer_t peer, const char *type, const char *sdp) {
	FORWARD(ortc_go_peer_set_remote_description(peer, type, sdp));
}

omnirtc_status_t omnirtc_peer_set_description(omnirtc_peer_t peer, int32_t local, const char *type, const char *sdp,
                                              omnirtc_signaling_changes_t *changes_out) {
	FORWARD(ortc_go_peer_set_description(peer, local, type, sdp, changes_out));
}

omnirtc_status_t omnirtc_peer_get_description(omnirtc_peer_t peer, int32_t which, char **type_out, char **sdp_out) {
	FORWARD(ortc_go_peer_get_description(peer, which, type_out, sdp_out));
}

omnirtc_status_t omnirtc_peer_add_ice_candidate(omnirtc_peer_t peer, const char *candidate, const char *sdp_mid,
                                                int32_t sdp_mline_index) {
	FORWARD(ortc_go_peer_add_ice_candidate(peer, candidate, sdp_mid, sdp_mline_index));
}

omnirtc_status_t omnirtc_peer_restart_ice(omnirtc_peer_t peer) { FORWARD(ortc_go_peer_restart_ice(peer)); }

omnirtc_status_t omnirtc_peer_get_stats(omnirtc_peer_t peer, char **json_out) {
	FORWARD(ortc_go_peer_get_stats(peer, json_out));
}

omnirtc_status_t omnirtc_peer_get_configuration(omnirtc_peer_t peer, char **json_out) {
	FORWARD(ortc_go_peer_get_configuration(peer, json_out));
}

omnirtc_status_t omnirtc_peer_set_configuration(omnirtc_peer_t peer, const char *config_json) {
	FORWARD(ortc_go_peer_set_configuration(peer, config_json));
}

omnirtc_status_t omnirtc_peer_get_signaling_state(omnirtc_peer_t peer, int32_t *state_out) {
	FORWARD(ortc_go_peer_get_signaling_state(peer, state_out));
}

omnirtc_status_t omnirtc_peer_get_ice_gathering_state(omnirtc_peer_t peer, int32_t *state_out) {
	FORWARD(ortc_go_peer_get_ice_gathering_state(peer, state_out));
}

omnirtc_status_t omnirtc_peer_get_gatherings(omnirtc_peer_t peer, int64_t *count_out) {
	FORWARD(ortc_go_peer_get_gatherings(peer, count_out));
}

omnirtc_status_t omnirtc_peer_get_ice_connection_state(omnirtc_peer_t peer, int32_t *state_out) {
	FORWARD(ortc_go_peer_get_ice_connection_state(peer, state_out));
}

omnirtc_status_t omnirtc_peer_get_connection_state(omnirtc_peer_t peer, int32_t *state_out) {
	FORWARD(ortc_go_peer_get_connection_state(peer, state_out));
}

omnirtc_status_t omnirtc_peer_get_max_message_size(omnirtc_peer_t peer, uint64_t *size_out) {
	FORWARD(ortc_go_peer_get_max_message_size(peer, size_out));
}

omnirtc_status_t omnirtc_peer_get_transports(omnirtc_peer_t peer, char **json_out) {
	FORWARD(ortc_go_peer_get_transports(peer, json_out));
}

/* Data channel */

omnirtc_status_t omnirtc_channel_create(omnirtc_peer_t peer, const char *label, const char *init_json,
                                        omnirtc_channel_t *channel_out) {
	FORWARD(ortc_go_channel_create(peer, label, init_json, channel_out));
}

omnirtc_status_t omnirtc_channel_set_callback(omnirtc_channel_t channel, omnirtc_event_cb cb, void *user_data) {
	FORWARD(ortc_go_channel_set_callback(channel, cb, user_data));
}

omnirtc_status_t omnirtc_channel_send(omnirtc_channel_t channel, const void *data, size_t size, int32_t binary) {
	FORWARD(ortc_go_channel_send(channel, data, size, binary));
}

omnirtc_status_t omnirtc_channel_get_info(omnirtc_channel_t channel, char **json_out) {
	FORWARD(ortc_go_channel_get_info(channel, json_out));
}

omnirtc_status_t omnirtc_channel_get_ready_state(omnirtc_channel_t channel, int32_t *state_out) {
	FORWARD(ortc_go_channel_get_ready_state(channel, state_out));
}

omnirtc_status_t omnirtc_channel_get_buffered_amount(omnirtc_channel_t channel, uint64_t *amount_out) {
	FORWARD(ortc_go_channel_get_buffered_amount(channel, amount_out));
}

omnirtc_status_t omnirtc_channel_set_buffered_amount_low_threshold(omnirtc_channel_t channel, uint64_t threshold) {
	FORWARD(ortc_go_channel_set_buffered_amount_low_threshold(channel, threshold));
}

omnirtc_status_t omnirtc_channel_get_buffered_amount_low_threshold(omnirtc_channel_t channel, uint64_t *threshold_out) {
	FORWARD(ortc_go_channel_get_buffered_amount_low_threshold(channel, threshold_out));
}

omnirtc_status_t omnirtc_channel_set_paused(omnirtc_channel_t channel, int32_t paused) {
	FORWARD(ortc_go_channel_set_paused(channel, paused));
}

omnirtc_status_t omnirtc_channel_close(omnirtc_channel_t channel) { FORWARD(ortc_go_channel_close(channel)); }

omnirtc_status_t omnirtc_channel_send_batch(omnirtc_channel_t channel, const omnirtc_message_t *messages, size_t count,
                                            size_t *sent_out) {
	if (ortc_bridge_forked && sent_out != NULL)
		*sent_out = 0;
	FORWARD(ortc_go_channel_send_batch(channel, messages, count, sent_out));
}
