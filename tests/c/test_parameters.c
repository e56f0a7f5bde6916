/* RTCRtpSender.setParameters and getCapabilities (W3C webrtc-pc 5.2). */
#include <string.h>

#include "harness.h"

/* 5.2 setParameters: encodings keep their number and rids; active, maxBitrate
 * and scaleResolutionDownBy change and are reported. */
TEST(set_parameters_changes_encodings_but_not_their_rids) {
	peer_t a;
	peer_open(&a, "a", NULL);
	omnirtc_track_t track = 0;
	omnirtc_transceiver_t t = 0;
	OK(omnirtc_track_create("{\"codec\":\"vp8\",\"rids\":[\"q\",\"f\"]}", &track));
	OK(omnirtc_peer_add_transceiver(a.id, NULL, track, "{\"sendEncodings\":[{\"rid\":\"q\"},{\"rid\":\"f\"}]}",
	                                &t));
	OK(omnirtc_transceiver_set_parameters(
	    t, "{\"encodings\":[{\"rid\":\"q\"},{\"rid\":\"f\",\"active\":false,\"maxBitrate\":900000,"
	       "\"scaleResolutionDownBy\":2}]}"));
	char info[4096];
	transceiver_info(t, info, sizeof info);
	CHECK(strstr(info, "{\"rid\":\"f\",\"active\":false,\"maxBitrate\":900000,\"scaleResolutionDownBy\":2}") !=
	      NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_MODIFICATION,
	              omnirtc_transceiver_set_parameters(t, "{\"encodings\":[{\"rid\":\"q\"}]}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_MODIFICATION,
	              omnirtc_transceiver_set_parameters(t, "{\"encodings\":[{\"rid\":\"q\"},{\"rid\":\"h\"}]}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_transceiver_set_parameters(
	                  t, "{\"encodings\":[{\"rid\":\"q\"},{\"rid\":\"f\",\"scaleResolutionDownBy\":0.5}]}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_transceiver_set_parameters(t, "{\"encodings\":[],\"x\":1}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_transceiver_set_parameters(t, NULL));
	OK(omnirtc_transceiver_stop(t));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_transceiver_set_parameters(t, "{\"encodings\":[]}"));
	OK(omnirtc_track_close(track));
	OK(omnirtc_peer_close(a.id)); /* returns once its last event was delivered */
	peer_free(&a);
}

/* 5.2 getCapabilities: the codecs offered, RTX once; no capabilities of another kind. */
TEST(rtp_capabilities_list_the_offered_codecs) {
	char *json = NULL;
	OK(omnirtc_rtp_capabilities("video", &json));
	CHECK(strstr(json, "\"mimeType\":\"video/VP8\",\"clockRate\":90000") != NULL);
	const char *rtx = strstr(json, "video/rtx");
	CHECK(rtx != NULL && strstr(rtx + 1, "video/rtx") == NULL);
	CHECK(strstr(json, "\"headerExtensions\":[{\"uri\":") != NULL);
	omnirtc_free(json);
	OK(omnirtc_rtp_capabilities("audio", &json));
	CHECK(strstr(json, "\"mimeType\":\"audio/opus\",\"clockRate\":48000,\"channels\":2") != NULL);
	omnirtc_free(json);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_rtp_capabilities("data", &json));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_rtp_capabilities("video", NULL));
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
