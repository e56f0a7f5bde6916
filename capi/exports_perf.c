/* Public functions for hosts that care about the cost of calling in
 * (include/omnirtc.h: omnirtc_set_engine_threads in Library,
 * omnirtc_channel_send_batch in Data channel). Like those in exports.c, they
 * refuse a forked child before entering Go. */
#include "_cgo_export.h"
#include "bridge.h"

static omnirtc_status_t refuse_forked(void) {
	static const char message[] = "OmniRTC cannot be used in a process forked after it was loaded";
	ortc_bridge_set_error(message, sizeof message - 1);
	return OMNIRTC_ERR_FORKED;
}

omnirtc_status_t omnirtc_set_engine_threads(int32_t threads, int32_t *previous_out) {
	if (ortc_bridge_forked)
		return refuse_forked();
	return ortc_go_set_engine_threads(threads, previous_out);
}

omnirtc_status_t omnirtc_channel_send_batch(omnirtc_channel_t channel, const omnirtc_message_t *messages, size_t count,
                                            size_t *sent_out) {
	if (ortc_bridge_forked) {
		if (sent_out != NULL)
			*sent_out = 0;
		return refuse_forked();
	}
	return ortc_go_channel_send_batch(channel, messages, count, sent_out);
}
