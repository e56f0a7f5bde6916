/* The public batch send (include/omnirtc.h, Data channel), a C wrapper like
 * those in exports.c: it refuses a forked child before entering Go. */
#include "_cgo_export.h"
#include "bridge.h"

omnirtc_status_t omnirtc_channel_send_batch(omnirtc_channel_t channel, const omnirtc_message_t *messages,
                                            size_t count, size_t *sent_out) {
	if (ortc_bridge_forked) {
		static const char message[] = "OmniRTC cannot be used in a process forked after it was loaded";
		ortc_bridge_set_error(message, sizeof message - 1);
		if (sent_out != NULL)
			*sent_out = 0;
		return OMNIRTC_ERR_FORKED;
	}
	return ortc_go_channel_send_batch(channel, messages, count, sent_out);
}
