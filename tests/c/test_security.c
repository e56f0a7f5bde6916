/* Security: the DTLS identity in the SDP is enforced, configured
 * certificates are the ones used (SDP and getStats agree), and a message over
 * the receiver's max-message-size is refused without taking anything down. */
#include <ctype.h>
#include <string.h>

#include "harness.h"

/* The local description of p once gathering is complete (candidates inline). */
static char *gathered_description(peer_t *p) {
	wait_events(p, OMNIRTC_EVENT_ICE_CANDIDATE, 0, 1, 10000);
	for (int waited = 0;; waited += 10) {
		int32_t st;
		OK(omnirtc_peer_get_ice_gathering_state(p->id, &st));
		if (st == OMNIRTC_ICE_GATHERING_COMPLETE)
			break;
		CHECK(waited < 10000);
		sleep_ms(10);
	}
	char *sdp = NULL;
	OK(omnirtc_peer_get_description(p->id, OMNIRTC_DESCRIPTION_LOCAL, NULL, &sdp));
	CHECK(sdp != NULL);
	return sdp;
}

/* Flips one hex digit of the a=fingerprint line, in place. */
static void tamper_fingerprint(char *sdp) {
	char *fp = strstr(sdp, "a=fingerprint:sha-256 ");
	CHECK(fp != NULL);
	char *digit = fp + strlen("a=fingerprint:sha-256 ");
	CHECK(isxdigit((unsigned char)*digit));
	*digit = *digit == 'A' ? 'B' : 'A';
}

/* Full-gathering negotiation (no trickle) where `tamper_answer` or the offer
 * has its fingerprint changed on the way. */
static void negotiate_tampered(peer_t *a, peer_t *b, int tamper_answer) {
	char *offer = NULL, *answer = NULL;
	OK(omnirtc_peer_create_offer(a->id, NULL, &offer));
	OK(omnirtc_peer_set_local_description(a->id, "offer", offer));
	omnirtc_free(offer);
	offer = gathered_description(a);
	if (!tamper_answer)
		tamper_fingerprint(offer);
	OK(omnirtc_peer_set_remote_description(b->id, "offer", offer));
	OK(omnirtc_peer_create_answer(b->id, NULL, &answer));
	OK(omnirtc_peer_set_local_description(b->id, "answer", answer));
	omnirtc_free(answer);
	answer = gathered_description(b);
	if (tamper_answer)
		tamper_fingerprint(answer);
	OK(omnirtc_peer_set_remote_description(a->id, "answer", answer));
	omnirtc_free(offer);
	omnirtc_free(answer);
}

static void refuse_wrong_fingerprint(int tamper_answer) {
	counters_t base = read_counters();
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "secret", NULL, &c));
	negotiate_tampered(&a, &b, tamper_answer);
	/* The side that checks the tampered fingerprint fails the handshake, and
	 * so does the other on its fatal alert: "failed", never "closed" (pion
	 * closing itself when the failed handshake closes its DTLS connection). */
	wait_connection_state(&a, OMNIRTC_PEER_FAILED, 30000);
	wait_connection_state(&b, OMNIRTC_PEER_FAILED, 30000);
	CHECK(count_connection_states(&a, OMNIRTC_PEER_CLOSED) + count_connection_states(&b, OMNIRTC_PEER_CLOSED) == 0);
	CHECK(count_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, 0) == 0);
	CHECK(count_events(&b, OMNIRTC_EVENT_DATA_CHANNEL, 0) == 0);
	CHECK(count_events(&a, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0) + count_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0) ==
	      0);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_channel_send(c, "leak?", 5, 0));
	close_pair(&a, &b);
	wait_counters_back(base, 3, 10000);
}

TEST(offerer_refuses_an_answerer_whose_fingerprint_does_not_match) { refuse_wrong_fingerprint(1); }
TEST(answerer_refuses_an_offerer_whose_fingerprint_does_not_match) { refuse_wrong_fingerprint(0); }

/* Does the stats JSON have a "certificate" whose fingerprint is fp? */
static int stats_have_fingerprint(const char *stats, const char *fp) {
	for (const char *at = strstr(stats, "\"fingerprint\":\""); at != NULL;
	     at = strstr(at + 1, "\"fingerprint\":\"")) {
		const char *v = at + strlen("\"fingerprint\":\"");
		if (strncasecmp(v, fp, strlen(fp)) == 0)
			return 1;
	}
	return 0;
}

/* (pion's stats list only local certificates; that the wire identity matches
 * the SDP is what the two tests above prove.) */
TEST(configured_certificates_are_the_ones_in_sdp_and_stats) {
	char *pem_a = NULL, *pem_b = NULL;
	OK(omnirtc_generate_certificate(&pem_a));
	OK(omnirtc_generate_certificate(&pem_b));
	char *ea = json_escape_newlines(pem_a), *eb = json_escape_newlines(pem_b);
	char *config_a = malloc(strlen(ea) + 200), *config_b = malloc(strlen(eb) + 200);
	sprintf(config_a, "{\"certificates\":[\"%s\"],\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}",
	        ea);
	sprintf(config_b, "{\"certificates\":[\"%s\"],\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}",
	        eb);
	peer_t a, b;
	peer_open(&a, "a", config_a);
	peer_open(&b, "b", config_b);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "c", NULL, &c));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, c, 1, 10000);
	char *local_a = NULL, *local_b = NULL, *stats_a = NULL, *stats_b = NULL;
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_LOCAL, NULL, &local_a));
	OK(omnirtc_peer_get_description(b.id, OMNIRTC_DESCRIPTION_LOCAL, NULL, &local_b));
	char fa[128], fb[128];
	sdp_fingerprint(local_a, fa, sizeof fa);
	sdp_fingerprint(local_b, fb, sizeof fb);
	CHECK(strcmp(fa, fb) != 0);
	OK(omnirtc_peer_get_stats(a.id, &stats_a));
	OK(omnirtc_peer_get_stats(b.id, &stats_b));
	/* each side's stats name its own certificate, the one its SDP announced */
	CHECK(stats_have_fingerprint(stats_a, fa));
	CHECK(stats_have_fingerprint(stats_b, fb));
	/* and a second peer made from the same config announces the same identity */
	peer_t a2;
	peer_open(&a2, "a2", config_a);
	omnirtc_channel_t c2;
	OK(omnirtc_channel_create(a2.id, "c", NULL, &c2));
	char *offer2 = NULL, f2[128];
	OK(omnirtc_peer_create_offer(a2.id, NULL, &offer2));
	sdp_fingerprint(offer2, f2, sizeof f2);
	CHECK(strcmp(fa, f2) == 0);
	OK(omnirtc_peer_close(a2.id));
	peer_free(&a2);
	omnirtc_free(offer2);
	omnirtc_free(local_a);
	omnirtc_free(local_b);
	omnirtc_free(stats_a);
	omnirtc_free(stats_b);
	free(config_a);
	free(config_b);
	free(ea);
	free(eb);
	omnirtc_free(pem_a);
	omnirtc_free(pem_b);
	close_pair(&a, &b);
}

/* A receiver with a small max-message-size: the sender refuses bigger
 * messages (TOO_LARGE) and what arrives is never over the limit. */
TEST(message_over_the_receivers_max_size_is_refused_at_the_sender) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b",
	          "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"sctpMaxMessageSize\":1024}}");
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "small", NULL, &c));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, c, 1, 10000);
	uint64_t max = 0;
	OK(omnirtc_peer_get_max_message_size(a.id, &max));
	CHECK(max == 1024);
	static uint8_t buf[4096];
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send(c, buf, 1025, 1));
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send(c, buf, sizeof buf, 1));
	OK(omnirtc_channel_send(c, buf, 1024, 1));
	omnirtc_channel_t cb = remote_channel(&b, 0);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1, 10000);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 0)->message.size == 1024);
	close_pair(&a, &b);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
