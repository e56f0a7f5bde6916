/* The public functions of the Track section of include/omnirtc.h; see exports.c. */
#include "_cgo_export.h"
#include "bridge.h"

omnirtc_status_t omnirtc_track_create(const char *init_json, omnirtc_track_t *track_out) {
	FORWARD(ortc_go_track_create(init_json, track_out));
}

omnirtc_status_t omnirtc_track_write_sample(omnirtc_track_t track, const char *rid, const void *data, size_t size,
                                            uint64_t duration_us) {
	FORWARD(ortc_go_track_write_sample(track, rid, data, size, duration_us));
}

omnirtc_status_t omnirtc_track_write_rtp(omnirtc_track_t track, const char *rid, const void *packet, size_t size) {
	FORWARD(ortc_go_track_write_rtp(track, rid, packet, size));
}

omnirtc_status_t omnirtc_track_set_receive(omnirtc_track_t track, const char *options_json) {
	FORWARD(ortc_go_track_set_receive(track, options_json));
}

omnirtc_status_t omnirtc_track_request_keyframe(omnirtc_track_t track, int32_t fir) {
	FORWARD(ortc_go_track_request_keyframe(track, fir));
}

omnirtc_status_t omnirtc_track_request_bitrate(omnirtc_track_t track, int64_t bitrate) {
	FORWARD(ortc_go_track_request_bitrate(track, bitrate));
}

omnirtc_status_t omnirtc_track_get_info(omnirtc_track_t track, char **json_out) {
	FORWARD(ortc_go_track_get_info(track, json_out));
}

omnirtc_status_t omnirtc_track_close(omnirtc_track_t track) { FORWARD(ortc_go_track_close(track)); }

omnirtc_status_t omnirtc_peer_add_track(omnirtc_peer_t peer, omnirtc_track_t track,
                                        omnirtc_transceiver_t *transceiver_out) {
	FORWARD(ortc_go_peer_add_track(peer, track, transceiver_out));
}

omnirtc_status_t omnirtc_peer_add_transceiver(omnirtc_peer_t peer, const char *kind, omnirtc_track_t track,
                                              const char *init_json, omnirtc_transceiver_t *transceiver_out) {
	FORWARD(ortc_go_peer_add_transceiver(peer, kind, track, init_json, transceiver_out));
}

omnirtc_status_t omnirtc_peer_remove_track(omnirtc_peer_t peer, omnirtc_transceiver_t transceiver) {
	FORWARD(ortc_go_peer_remove_track(peer, transceiver));
}

omnirtc_status_t omnirtc_transceiver_replace_track(omnirtc_transceiver_t transceiver, omnirtc_track_t track) {
	FORWARD(ortc_go_transceiver_replace_track(transceiver, track));
}

omnirtc_status_t omnirtc_transceiver_set_codec_preferences(omnirtc_transceiver_t transceiver, const char *codecs_json) {
	FORWARD(ortc_go_transceiver_set_codec_preferences(transceiver, codecs_json));
}

omnirtc_status_t omnirtc_transceiver_get_info(omnirtc_transceiver_t transceiver, char **json_out) {
	FORWARD(ortc_go_transceiver_get_info(transceiver, json_out));
}

omnirtc_status_t omnirtc_transceiver_set_direction(omnirtc_transceiver_t transceiver, const char *direction) {
	FORWARD(ortc_go_transceiver_set_direction(transceiver, direction));
}

omnirtc_status_t omnirtc_transceiver_set_parameters(omnirtc_transceiver_t transceiver, const char *params_json) {
	FORWARD(ortc_go_transceiver_set_parameters(transceiver, params_json));
}

omnirtc_status_t omnirtc_rtp_capabilities(const char *kind, char **json_out) {
	FORWARD(ortc_go_rtp_capabilities(kind, json_out));
}

omnirtc_status_t omnirtc_transceiver_stop(omnirtc_transceiver_t transceiver) {
	FORWARD(ortc_go_transceiver_stop(transceiver));
}

omnirtc_status_t omnirtc_media_reader_open(const char *path, const char *options_json,
                                           omnirtc_media_reader_t *reader_out, char **info_json_out) {
	FORWARD(ortc_go_media_reader_open(path, options_json, reader_out, info_json_out));
}

omnirtc_status_t omnirtc_media_reader_next(omnirtc_media_reader_t reader, uint8_t **data_out, size_t *size_out,
                                           uint64_t *duration_us_out, int32_t *keyframe_out) {
	FORWARD(ortc_go_media_reader_next(reader, data_out, size_out, duration_us_out, keyframe_out));
}

omnirtc_status_t omnirtc_media_reader_close(omnirtc_media_reader_t reader) {
	FORWARD(ortc_go_media_reader_close(reader));
}

omnirtc_status_t omnirtc_media_writer_open(const char *path, const char *options_json,
                                           omnirtc_media_writer_t *writer_out) {
	FORWARD(ortc_go_media_writer_open(path, options_json, writer_out));
}

omnirtc_status_t omnirtc_media_writer_write_rtp(omnirtc_media_writer_t writer, const void *packet, size_t size) {
	FORWARD(ortc_go_media_writer_write_rtp(writer, packet, size));
}

omnirtc_status_t omnirtc_media_writer_close(omnirtc_media_writer_t writer) {
	FORWARD(ortc_go_media_writer_close(writer));
}
