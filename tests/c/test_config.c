/* Engine settings from the "omnirtc" section change what the engine does. */
#include <string.h>

#include "harness.h"

/* Candidates gathered by a fresh peer with `config` (after an offer). */
static void gather(peer_t *p, const char *config) {
	peer_open(p, "p", config);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(p->id, "c", NULL, &c));
	OK(omnirtc_peer_set_local_description(p->id, NULL, NULL));
	/* until the end-of-candidates marker (it follows the "complete" state) */
	for (size_t n = 1;; n++) {
		wait_events(p, OMNIRTC_EVENT_ICE_CANDIDATE, 0, n, 10000);
		if (nth_event(p, OMNIRTC_EVENT_ICE_CANDIDATE, 0, n - 1)->ice_candidate.candidate[0] == '\0')
			return;
	}
}

static void close_peer(peer_t *p) {
	OK(omnirtc_peer_close(p->id));
	peer_free(p);
}

TEST(port_range_bounds_host_candidates) {
	peer_t p;
	gather(
	    &p,
	    "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"portRange\":{\"min\":45100,\"max\":45110}}}");
	size_t n = count_events(&p, OMNIRTC_EVENT_ICE_CANDIDATE, 0);
	CHECK(n >= 2); /* one candidate and the end marker */
	for (size_t i = 0; i + 1 < n; i++) {
		const char *c = nth_event(&p, OMNIRTC_EVENT_ICE_CANDIDATE, 0, i)->ice_candidate.candidate;
		unsigned port = 0;
		CHECK(sscanf(c, "candidate:%*s %*s %*s %*s %*s %u", &port) == 1);
		CHECK(port >= 45100 && port <= 45110);
	}
	close_peer(&p);
}

TEST(nat_1to1_ips_replace_host_addresses) {
	peer_t p;
	gather(&p, "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"nat1to1IPs\":[\"203.0.113.7\"]}}");
	const char *c = nth_event(&p, OMNIRTC_EVENT_ICE_CANDIDATE, 0, 0)->ice_candidate.candidate;
	CHECK(strstr(c, " 203.0.113.7 ") != NULL && strstr(c, "typ host") != NULL);
	close_peer(&p);
}

TEST(ip_filter_keeps_only_listed_addresses) {
	peer_t p;
	gather(&p, "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"ips\":[\"192.0.2.1\"]}}");
	/* 127.0.0.1 is filtered out: only the end-of-candidates marker remains */
	CHECK(count_events(&p, OMNIRTC_EVENT_ICE_CANDIDATE, 0) == 1);
	CHECK(nth_event(&p, OMNIRTC_EVENT_ICE_CANDIDATE, 0, 0)->ice_candidate.candidate[0] == '\0');
	close_peer(&p);
}

TEST(relay_policy_gathers_no_host_candidates) {
	peer_t p;
	gather(&p, "{\"iceTransportPolicy\":\"relay\",\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}");
	CHECK(count_events(&p, OMNIRTC_EVENT_ICE_CANDIDATE, 0) == 1);
	close_peer(&p);
}

/* Server style: two connections live at once on one UDP port. (Their remote
 * peers need ports of their own: a mux tells connections apart by remote
 * address.) */
TEST(two_live_peers_share_the_udp_mux_port) {
	const char *config = "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"udpMuxPort\":47001}}";
	peer_t a[2], b[2];
	omnirtc_channel_t ca[2];
	for (int i = 0; i < 2; i++) {
		peer_open(&a[i], "a", config);
		peer_open(&b[i], "b", NULL);
		OK(omnirtc_channel_create(a[i].id, "c", NULL, &ca[i]));
		connect_pair(&a[i], &b[i]);
		wait_events(&a[i], OMNIRTC_EVENT_CHANNEL_OPEN, ca[i], 1, 10000);
	}
	for (int i = 0; i < 2; i++) {
		char text[] = "to peer 0";
		text[8] = (char)('0' + i);
		OK(omnirtc_channel_send(ca[i], text, 9, 0));
		wait_events(&b[i], OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1, 10000);
		record_t *got = nth_event(&b[i], OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 0);
		CHECK(got->message.size == 9 && memcmp(got->message.data, text, 9) == 0);
		CHECK(selected_pair(&a[i], 5000).local_port == 47001);
		CHECK(selected_pair(&b[i], 5000).local_port != 47001);
	}
	for (int i = 0; i < 2; i++)
		close_pair(&a[i], &b[i]);
}

/* ICE-TCP: a passive TCP candidate on a shared port, an active one on the other side. */
TEST(peers_connect_over_ice_tcp_only) {
	peer_t a, b;
	peer_open(&a, "a",
	          "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"networkTypes\":[\"tcp4\"],"
	          "\"tcpMuxPort\":45200}}");
	peer_open(&b, "b",
	          "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"networkTypes\":[\"tcp4\"]}}");
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "c", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	OK(omnirtc_channel_send(ca, "over tcp", 8, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1, 10000);
	CHECK(strstr(nth_event(&a, OMNIRTC_EVENT_ICE_CANDIDATE, 0, 0)->ice_candidate.candidate, "tcp") != NULL);
	char *stats = NULL;
	OK(omnirtc_peer_get_stats(a.id, &stats));
	CHECK(strstr(stats, "\"protocol\":\"tcp\"") != NULL);
	CHECK(strstr(stats, "\"protocol\":\"udp\"") == NULL);
	omnirtc_free(stats);
	close_pair(&a, &b);
}

TEST(interceptor_list_and_timeouts_are_accepted_and_remote_close_is_seen) {
	peer_t a, b;
	peer_open(&a, "a",
	          "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"interceptors\":[],"
	          "\"iceDisconnectedTimeoutMs\":500,\"iceFailedTimeoutMs\":1000,\"iceKeepaliveIntervalMs\":100}}");
	peer_open(&b, "b", NULL);
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "c", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	/* b's DTLS close_notify tells a at once (the timeouts are for silent
	 * paths; tests/reliability cuts the path to exercise them). */
	OK(omnirtc_peer_close(b.id));
	wait_connection_state(&a, OMNIRTC_PEER_CLOSED, 15000);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSE, ca, 1, 10000);
	CHECK(count_events(&a, OMNIRTC_EVENT_CHANNEL_ERROR, ca) == 0); /* a remote close is no error */
	OK(omnirtc_peer_close(a.id));
	peer_free(&a);
	peer_free(&b);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
