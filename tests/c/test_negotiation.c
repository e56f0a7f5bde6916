/* Renegotiation, ICE restart, full gathering, descriptions, stats, identity. */
#include <string.h>

#include "harness.h"

TEST(renegotiation_adds_a_channel_to_a_connected_pair) {
	peer_t a, b;
	omnirtc_channel_t first = connected_channel(&a, &b, "first", NULL);
	size_t needed = count_events(&b, OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0);

	/* b adds the first channel of its own: it must ask for negotiation only if
	 * SCTP is not negotiated yet; here it is, so the channel opens directly. */
	omnirtc_channel_t second;
	OK(omnirtc_channel_create(b.id, "second", NULL, &second));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, second, 1, 10000);
	omnirtc_channel_t second_at_a = remote_channel(&a, 0);
	OK(omnirtc_channel_send(second, "over the new channel", 20, 0));
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_MESSAGE, second_at_a, 1, 10000);
	CHECK(count_events(&b, OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0) == needed);

	/* A full offer/answer round on the connected pair keeps everything working. */
	negotiate(&b, &a);
	int32_t state = -1;
	OK(omnirtc_peer_get_signaling_state(a.id, &state));
	CHECK(state == OMNIRTC_SIGNALING_STABLE);
	OK(omnirtc_channel_send(first, "still here", 10, 0));
	omnirtc_channel_t first_at_b = remote_channel(&b, 0);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, first_at_b, 1, 10000);
	close_pair(&a, &b);
}

TEST(renegotiation_adds_data_to_a_connection_that_had_none) {
	/* A connection negotiated with audio only, no SCTP, gets a channel later:
	 * the first channel fires negotiationneeded and opens after the new round. */
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_transceiver_t audio;
	OK(omnirtc_peer_add_transceiver(a.id, "audio", 0, "{\"direction\":\"recvonly\"}", &audio));
	connect_pair(&a, &b);
	size_t before = count_events(&a, OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0);
	omnirtc_channel_t late;
	OK(omnirtc_channel_create(a.id, "late", NULL, &late));
	wait_events(&a, OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0, before + 1, 5000);
	negotiate(&a, &b);
	omnirtc_channel_t late_at_b = remote_channel(&b, 0);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, late, 1, 10000);
	OK(omnirtc_channel_send(late, "hi", 2, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, late_at_b, 1, 10000);
	close_pair(&a, &b);
}

TEST(ice_restart_renews_credentials_and_keeps_the_channel) {
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "c", NULL);
	selected_pair_t old_a = selected_pair(&a, 5000), old_b = selected_pair(&b, 5000);
	char *before = NULL, *after = NULL;
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_LOCAL, NULL, &before));
	size_t needed = count_events(&a, OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0);
	OK(omnirtc_peer_restart_ice(a.id));
	wait_events(&a, OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0, needed + 1, 5000);
	negotiate(&a, &b);
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_LOCAL, NULL, &after));
	const char *u1 = strstr(before, "a=ice-ufrag:"), *u2 = strstr(after, "a=ice-ufrag:");
	CHECK(u1 && u2 && strncmp(u1, u2, 28) != 0);
	omnirtc_free(before);
	omnirtc_free(after);
	OK(omnirtc_channel_send(ca, "after restart", 13, 0));
	omnirtc_channel_t cb = remote_channel(&b, 0);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1, 15000);
	/* A new path: both sides gathered new candidates and
	 * selected a pair of them; a restart that renewed only the credentials
	 * would still send over the old pair. */
	selected_pair_t new_a = selected_pair(&a, 5000), new_b = selected_pair(&b, 5000);
	CHECK(strcmp(new_a.local_id, old_a.local_id) != 0);
	CHECK(strcmp(new_b.local_id, old_b.local_id) != 0);
	close_pair(&a, &b);
}

/* Before the first offer there are no credentials to replace: restart_ice
 * and "iceRestart" are no-ops there, as in browsers, and the offer works. */
TEST(ice_restart_before_the_first_offer_is_a_no_op) {
	omnirtc_peer_t p;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &p));
	OK(omnirtc_peer_restart_ice(p));
	OK(omnirtc_peer_set_local_description(p, NULL, NULL)); /* the implicit offer */
	OK(omnirtc_peer_close(p));

	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "c", NULL, &c));
	char *sdp = NULL;
	OK(omnirtc_peer_create_offer(a.id, "{\"iceRestart\":true}", &sdp));
	omnirtc_free(sdp);
	OK(omnirtc_peer_restart_ice(a.id));
	connect_pair(&a, &b); /* its create_offer follows the pending restart */
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, c, 1, 10000);
	close_pair(&a, &b);
}

/* aiortc style: no trickle; wait for gathering, then send the whole SDP. */
TEST(full_gathering_without_trickle) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "c", NULL, &ca));
	int64_t gatherings = -1;
	OK(omnirtc_peer_get_gatherings(a.id, &gatherings));
	CHECK(gatherings == 0);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_get_gatherings(a.id, NULL));
	OK(omnirtc_peer_set_local_description(a.id, NULL, NULL)); /* implicit offer */
	OK(omnirtc_peer_get_gatherings(a.id, &gatherings));       /* counted before the call returned */
	CHECK(gatherings == 1);
	wait_events(&a, OMNIRTC_EVENT_ICE_CANDIDATE, 0, 1, 5000);
	size_t i = wait_events(&a, OMNIRTC_EVENT_ICE_GATHERING_STATE, 0, 2, 5000);
	CHECK(a.events[i].state.value == OMNIRTC_ICE_GATHERING_COMPLETE &&
	      strcmp(a.events[i].state.name, "complete") == 0);
	CHECK(a.events[i].state.gathering == 1);
	char *type = NULL, *offer = NULL;
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_LOCAL, &type, &offer));
	CHECK(strcmp(type, "offer") == 0 && strstr(offer, "a=candidate:") != NULL);
	char *pending = NULL;
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_PENDING_LOCAL, NULL, &pending));
	CHECK(pending != NULL);
	char *current = (char *)1;
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_CURRENT_LOCAL, NULL, &current));
	CHECK(current == NULL);
	OK(omnirtc_peer_set_remote_description(b.id, "offer", offer));
	OK(omnirtc_peer_set_local_description(b.id, NULL, NULL)); /* implicit answer */
	wait_events(&b, OMNIRTC_EVENT_ICE_GATHERING_STATE, 0, 2, 5000);
	char *answer = NULL;
	OK(omnirtc_peer_get_description(b.id, OMNIRTC_DESCRIPTION_LOCAL, &type, &answer));
	CHECK(strstr(answer, "a=candidate:") != NULL);
	OK(omnirtc_peer_set_remote_description(a.id, "answer", answer));
	wait_connection_state(&a, OMNIRTC_PEER_CONNECTED, 10000);
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_CURRENT_REMOTE, NULL, &current));
	CHECK(current != NULL);
	omnirtc_free(current);
	omnirtc_free(type);
	omnirtc_free(offer);
	omnirtc_free(pending);
	omnirtc_free(answer);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	close_pair(&a, &b);
}

TEST(stats_report_has_the_w3c_types) {
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "c", NULL);
	OK(omnirtc_channel_send(ca, "count me", 8, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1, 10000);
	char *json = NULL;
	OK(omnirtc_peer_get_stats(a.id, &json));
	const char *types[] = {"\"peer-connection\"",  "\"transport\"",    "\"candidate-pair\"", "\"local-candidate\"",
	                       "\"remote-candidate\"", "\"data-channel\"", "\"certificate\"",    "\"messagesSent\":1"};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (strstr(json, types[i]) == NULL) {
			fprintf(stderr, "%s missing from stats: %.2000s\n", types[i], json);
			exit(1);
		}
	}
	omnirtc_free(json);
	close_pair(&a, &b);
}

/* A stored certificate gives the same DTLS fingerprint every time. */
TEST(configured_certificate_is_used) {
	char *pem = NULL;
	OK(omnirtc_generate_certificate(&pem));
	CHECK(strstr(pem, "BEGIN CERTIFICATE") && strstr(pem, "PRIVATE KEY"));
	char *escaped = json_escape_newlines(pem);
	char *config = malloc(strlen(escaped) + 200);
	sprintf(config, "{\"certificates\":[\"%s\"],\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}",
	        escaped);
	char fingerprints[2][128];
	for (int round = 0; round < 2; round++) {
		peer_t a;
		peer_open(&a, "a", config);
		omnirtc_channel_t c;
		OK(omnirtc_channel_create(a.id, "c", NULL, &c));
		char *offer = NULL;
		OK(omnirtc_peer_create_offer(a.id, NULL, &offer));
		const char *fp = strstr(offer, "a=fingerprint:");
		CHECK(fp != NULL);
		snprintf(fingerprints[round], sizeof fingerprints[round], "%.100s", fp);
		omnirtc_free(offer);
		OK(omnirtc_peer_close(a.id));
		peer_free(&a);
	}
	CHECK(strcmp(fingerprints[0], fingerprints[1]) == 0);
	free(config);
	free(escaped);
	omnirtc_free(pem);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
