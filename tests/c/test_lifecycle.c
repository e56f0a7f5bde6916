/* Nothing leaks: handles, goroutines, sockets and queued events return to
 * their baseline after many connect/exchange/close cycles. */
#include <string.h>

#include "harness.h"

/* a uses config (NULL: LOOPBACK_CONFIG), b the default. */
static void cycle(const char *config) {
	peer_t a, b;
	peer_open(&a, "a", config);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "c", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	OK(omnirtc_channel_send(ca, "ping", 4, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1, 10000);
	close_pair(&a, &b);
}

TEST(two_hundred_connect_close_cycles_leak_nothing) {
	cycle(NULL); /* warm up pools that live for the process */
	counters_t base = read_counters();
	for (int i = 0; i < 200; i++)
		cycle(NULL);
	wait_counters_back(base, 3, 15000);
}

/* Server style: every "a" shares one UDP port. (Its remote peers need ports
 * of their own: a mux tells connections apart by remote address.) */
TEST(cycles_on_a_shared_udp_mux_leak_nothing) {
	const char *config = "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"udpMuxPort\":47001}}";
	counters_t base = read_counters();
	for (int i = 0; i < 30; i++)
		cycle(config);
	wait_counters_back(base, 3, 15000); /* the mux socket closes with its last peer */
}

TEST(closing_a_channel_is_seen_by_both_sides_and_releases_it) {
	counters_t base = read_counters();
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "c", NULL);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, 0, 1, 10000);
	omnirtc_channel_t cb = nth_event(&b, OMNIRTC_EVENT_DATA_CHANNEL, 0, 0)->channel.channel;
	/* Data sent right before close still arrives. */
	for (int i = 0; i < 50; i++)
		OK(omnirtc_channel_send(ca, "last words", 10, 0));
	OK(omnirtc_channel_close(ca));
	OK(omnirtc_channel_close(ca)); /* a no-op while closing */
	int32_t state = -1;
	OK(omnirtc_channel_get_ready_state(ca, &state));
	CHECK(state == OMNIRTC_CHANNEL_CLOSING || state == OMNIRTC_CHANNEL_CLOSED);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_channel_send(ca, "late", 4, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_CLOSE, cb, 1, 10000);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSE, ca, 1, 10000);
	CHECK(count_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb) == 50);
	CHECK(count_events(&b, OMNIRTC_EVENT_CHANNEL_CLOSING, cb) == 1); /* remote-initiated */
	CHECK(count_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSING, ca) == 0); /* local close() fires none */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_close(ca));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_get_ready_state(cb, &state));
	close_pair(&a, &b);
	wait_counters_back(base, 3, 10000);
}

TEST(closing_a_peer_is_seen_by_the_other) {
	peer_t a, b;
	peer_open(&a, "a",
	          "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\","
	          "\"iceDisconnectedTimeoutMs\":1000,\"iceFailedTimeoutMs\":2000}}");
	peer_open(&b, "b", NULL);
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "c", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	OK(omnirtc_peer_close(b.id));
	/* DTLS close_notify and the SCTP abort reach a: its channel closes and
	 * the connection leaves "connected". */
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSE, ca, 1, 10000);
	size_t before = count_events(&a, OMNIRTC_EVENT_CONNECTION_STATE, 0);
	wait_events(&a, OMNIRTC_EVENT_CONNECTION_STATE, 0, before, 10000);
	OK(omnirtc_peer_close(a.id));
	peer_free(&a);
	peer_free(&b);
}

TEST(shutdown_closes_every_peer) {
	counters_t base = read_counters();
	peer_t p[4];
	for (int i = 0; i < 4; i++)
		peer_open(&p[i], "p", NULL);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(p[0].id, "c", NULL, &c));
	connect_pair(&p[0], &p[1]);
	OK(omnirtc_shutdown());
	for (int i = 0; i < 4; i++) {
		CHECK(p[i].closed);
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(p[i].id));
		peer_free(&p[i]);
	}
	wait_counters_back(base, 3, 10000);
	OK(omnirtc_shutdown()); /* again: harmless */
	peer_t q;
	peer_open(&q, "q", NULL); /* still usable */
	OK(omnirtc_peer_close(q.id));
	peer_free(&q);
}

/* Logging reaches the host's callback, with levels. */
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int log_lines, log_bad_level;

static void on_log(void *user_data, int32_t level, const char *scope, const char *message) {
	(void)user_data;
	pthread_mutex_lock(&log_mu);
	log_lines++;
	if (level < OMNIRTC_LOG_ERROR || level > OMNIRTC_LOG_DEBUG || scope[0] == '\0' || message == NULL)
		log_bad_level = 1;
	pthread_mutex_unlock(&log_mu);
}

TEST(log_callback_receives_engine_logs) {
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_log_callback(9, on_log, NULL));
	OK(omnirtc_set_log_callback(OMNIRTC_LOG_DEBUG, on_log, NULL));
	cycle(NULL);
	OK(omnirtc_set_log_callback(OMNIRTC_LOG_NONE, NULL, NULL));
	pthread_mutex_lock(&log_mu);
	int lines = log_lines;
	pthread_mutex_unlock(&log_mu);
	CHECK(lines > 0 && !log_bad_level);
	cycle(NULL);
	CHECK(log_lines == lines); /* silenced */
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
