/* The public functions of the Forwarder section of include/omnirtc.h; see exports.c. */
#include "_cgo_export.h"
#include "bridge.h"

omnirtc_status_t omnirtc_forwarder_create(omnirtc_track_t remote_track, omnirtc_forwarder_t *forwarder_out) {
	FORWARD(ortc_go_forwarder_create(remote_track, forwarder_out));
}

omnirtc_status_t omnirtc_forwarder_create_group(omnirtc_transceiver_t transceiver, omnirtc_forwarder_t *forwarder_out) {
	FORWARD(ortc_go_forwarder_create_group(transceiver, forwarder_out));
}

omnirtc_status_t omnirtc_forwarder_add_subscriber(omnirtc_forwarder_t forwarder, omnirtc_track_t track, const char *rid,
                                                  int32_t temporal) {
	FORWARD(ortc_go_forwarder_add_subscriber(forwarder, track, rid, temporal));
}

omnirtc_status_t omnirtc_forwarder_add_subscriber_json(omnirtc_forwarder_t forwarder, omnirtc_track_t track,
                                                       const char *layer_json) {
	FORWARD(ortc_go_forwarder_add_subscriber_json(forwarder, track, layer_json));
}

omnirtc_status_t omnirtc_forwarder_set_layer_json(omnirtc_forwarder_t forwarder, omnirtc_track_t track,
                                                  const char *layer_json) {
	FORWARD(ortc_go_forwarder_set_layer_json(forwarder, track, layer_json));
}

omnirtc_status_t omnirtc_forwarder_remove_subscriber(omnirtc_forwarder_t forwarder, omnirtc_track_t track) {
	FORWARD(ortc_go_forwarder_remove_subscriber(forwarder, track));
}

omnirtc_status_t omnirtc_forwarder_set_layer(omnirtc_forwarder_t forwarder, omnirtc_track_t track, const char *rid,
                                             int32_t temporal) {
	FORWARD(ortc_go_forwarder_set_layer(forwarder, track, rid, temporal));
}

omnirtc_status_t omnirtc_forwarder_get_layer(omnirtc_forwarder_t forwarder, omnirtc_track_t track, char **json_out) {
	FORWARD(ortc_go_forwarder_get_layer(forwarder, track, json_out));
}

omnirtc_status_t omnirtc_forwarder_set_auto(omnirtc_forwarder_t forwarder, omnirtc_track_t track, int32_t enabled) {
	FORWARD(ortc_go_forwarder_set_auto(forwarder, track, enabled));
}

omnirtc_status_t omnirtc_forwarder_free(omnirtc_forwarder_t forwarder) { FORWARD(ortc_go_forwarder_free(forwarder)); }
