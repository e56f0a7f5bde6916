/* RTCConfiguration as W3C webrtc-pc writes it, through the C ABI: the
 * constructor's kinds (4.2, 4.4.1.1), omnirtc_peer_get_configuration /
 * omnirtc_peer_set_configuration (4.4.1.6, "set a configuration"), and
 * rtcpMuxPolicy "require" against a remote offer (JSEP 5.8). */
#include <string.h>

#include "harness.h"

#define ENGINE "\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}"

/* The constructor's other kinds are in tests/c/test_bad_input.c. */
TEST(turns_with_empty_credentials_is_taken) {
	/* webrtc-pc 4.2.1: empty strings are a username and a credential */
	omnirtc_peer_t p = 0;
	OK(omnirtc_peer_create("{\"iceServers\":[{\"urls\":\"turns:h\",\"username\":\"\",\"credential\":\"\"}]}", NULL,
	                       NULL, &p));
	OK(omnirtc_peer_close(p));
}

/* The configuration JSON a peer reports; released by the caller. */
static char *configuration(omnirtc_peer_t p) {
	char *json = NULL;
	OK(omnirtc_peer_get_configuration(p, &json));
	CHECK(json != NULL);
	return json;
}

TEST(get_configuration_reports_what_was_given_and_the_defaults) {
	omnirtc_peer_t p = 0;
	OK(omnirtc_peer_create(
	    "{\"iceServers\":[{\"urls\":\"stun:stun.example.org\"}],\"bundlePolicy\":\"max-bundle\"," ENGINE "}", NULL,
	    NULL, &p));
	char *json = configuration(p);
	CHECK(strstr(json, "\"iceServers\":[{\"urls\":\"stun:stun.example.org\"}]") != NULL);
	CHECK(strstr(json, "\"bundlePolicy\":\"max-bundle\"") != NULL);
	CHECK(strstr(json, "\"iceTransportPolicy\":\"all\"") != NULL);
	CHECK(strstr(json, "\"rtcpMuxPolicy\":\"require\"") != NULL);
	CHECK(strstr(json, "\"iceCandidatePoolSize\":0") != NULL);
	CHECK(strstr(json, "\"mdns\":\"disabled\"") != NULL);
	omnirtc_free(json);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_get_configuration(p, NULL));
	OK(omnirtc_peer_close(p));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_get_configuration(p, &json));
}

TEST(set_configuration_follows_set_a_configuration) {
	peer_t p;
	peer_open(&p, "p", "{\"bundlePolicy\":\"max-bundle\"," ENGINE "}");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_MODIFICATION, omnirtc_peer_set_configuration(p.id, "{}")); /* balanced */
	EXPECT_STATUS(
	    OMNIRTC_ERR_INVALID_MODIFICATION,
	    omnirtc_peer_set_configuration(p.id, "{\"bundlePolicy\":\"max-bundle\",\"certificates\":[\"x\"]}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_MODIFICATION,
	              omnirtc_peer_set_configuration(p.id, "{\"bundlePolicy\":\"max-bundle\",\"omnirtc\":{}}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_SYNTAX,
	              omnirtc_peer_set_configuration(
	                  p.id, "{\"bundlePolicy\":\"max-bundle\",\"iceServers\":[{\"urls\":\"x\"}]}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_configuration(p.id, NULL));
	OK(omnirtc_peer_set_configuration(p.id, "{\"bundlePolicy\":\"max-bundle\",\"iceCandidatePoolSize\":2}"));
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(p.id, "c", NULL, &c));
	OK(omnirtc_peer_set_local_description(p.id, NULL, NULL));
	EXPECT_STATUS(
	    OMNIRTC_ERR_INVALID_MODIFICATION,
	    omnirtc_peer_set_configuration(p.id, "{\"bundlePolicy\":\"max-bundle\",\"iceCandidatePoolSize\":3}"));
	OK(omnirtc_peer_set_configuration(p.id, "{\"bundlePolicy\":\"max-bundle\",\"iceCandidatePoolSize\":2,"
	                                        "\"iceServers\":[{\"urls\":[\"stun:127.0.0.1:9\"]}]}"));
	char *json = configuration(p.id);
	CHECK(strstr(json, "\"iceServers\":[{\"urls\":[\"stun:127.0.0.1:9\"]}]") != NULL);
	CHECK(strstr(json, "\"mdns\":\"disabled\"") != NULL); /* an omitted omnirtc section is kept */
	omnirtc_free(json);
	OK(omnirtc_peer_close(p.id));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_set_configuration(p.id, "{}"));
	peer_free(&p);
}

/* New ICE servers mid-call, then an ICE restart: the call goes on. */
TEST(set_configuration_then_restart_ice_keeps_the_call) {
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "call", NULL);
	char *before = NULL, *after = NULL;
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_LOCAL, NULL, &before));
	const char *next = "{\"iceServers\":[{\"urls\":\"stun:127.0.0.1:9\"}]}";
	OK(omnirtc_peer_set_configuration(a.id, next));
	OK(omnirtc_peer_set_configuration(b.id, next));
	OK(omnirtc_peer_restart_ice(a.id));
	negotiate(&a, &b);
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_LOCAL, NULL, &after));
	CHECK(strcmp(strstr(before, "a=ice-ufrag:"), strstr(after, "a=ice-ufrag:")) != 0); /* restarted */
	omnirtc_free(before);
	omnirtc_free(after);
	/* connected again after the restart's checking (the first connected was before it) */
	wait_state_times(&a, OMNIRTC_EVENT_ICE_CONNECTION_STATE, OMNIRTC_ICE_CONNECTION_CONNECTED, 2, 10000);
	wait_state_times(&b, OMNIRTC_EVENT_ICE_CONNECTION_STATE, OMNIRTC_ICE_CONNECTION_CONNECTED, 2, 10000);
	omnirtc_channel_t cb = remote_channel(&b, 0);
	OK(omnirtc_channel_send(ca, "after the restart", 17, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1, 10000);
	close_pair(&a, &b);
}

TEST(remote_offer_without_rtcp_mux_is_invalid_access) {
	char fingerprint[96 + 1] = "";
	for (int i = 0; i < 32; i++)
		strcat(fingerprint, i ? ":AB" : "AB");
	char offer[1024];
	snprintf(offer, sizeof offer,
	         "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
	         "c=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
	         "a=fingerprint:sha-256 %s\r\na=setup:actpass\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2\r\n",
	         fingerprint);
	omnirtc_peer_t p = 0;
	OK(omnirtc_peer_create(NULL, NULL, NULL, &p));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ACCESS, omnirtc_peer_set_remote_description(p, "offer", offer));
	CHECK(strstr(omnirtc_last_error(), "rtcp-mux") != NULL);
	strcat(offer, "a=rtcp-mux\r\n");
	OK(omnirtc_peer_set_remote_description(p, "offer", offer));
	OK(omnirtc_peer_close(p));
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
