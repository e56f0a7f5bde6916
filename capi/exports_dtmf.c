/* The DTMF functions of the Track section of include/omnirtc.h; see exports.c. */
#include "_cgo_export.h"
#include "bridge.h"

omnirtc_status_t omnirtc_transceiver_insert_dtmf(omnirtc_transceiver_t transceiver, const char *tones,
                                                 uint32_t duration_ms, uint32_t inter_tone_gap_ms) {
	FORWARD(ortc_go_transceiver_insert_dtmf(transceiver, tones, duration_ms, inter_tone_gap_ms));
}

omnirtc_status_t omnirtc_transceiver_get_dtmf(omnirtc_transceiver_t transceiver, char **tone_buffer_out,
                                              int32_t *can_insert_out) {
	FORWARD(ortc_go_transceiver_get_dtmf(transceiver, tone_buffer_out, can_insert_out));
}
