/* The "jitterBuffer" interceptor through the C ABI: RTP sent out of order
 * reaches the application in order, counted in inbound-rtp. */
#include <string.h>

#include "harness.h"
#include "impair.h"

#define PACKETS 100
#define CONFIG(interceptors)                                                                                \
	"{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"interceptors\":[" interceptors "]," \
	"\"jitterBuffer\":{\"targetDelayMs\":5000,\"maxPackets\":256}}}"

/* The sequence numbers a receiver was delivered, in order. */
typedef struct {
	pthread_mutex_t mu;
	uint16_t seq[2 * PACKETS];
	size_t n;
} arrivals_t;

static void record_rtp(peer_t *p, const omnirtc_event_t *e) {
	arrivals_t *a = p->test_data;
	if (e->type == OMNIRTC_EVENT_TRACK)
		OK(omnirtc_track_set_receive(e->track.track, "{\"mode\":\"rtp\"}"));
	if (e->type != OMNIRTC_EVENT_TRACK_RTP || e->rtp.size < 14)
		return;
	uint16_t seq = (uint16_t)(e->rtp.data[2] << 8 | e->rtp.data[3]);
	/* only a packet delivered whole counts: it ends with send_packet's payload */
	if (e->rtp.data[e->rtp.size - 2] != 0x10 || e->rtp.data[e->rtp.size - 1] != (uint8_t)seq)
		return;
	pthread_mutex_lock(&a->mu);
	if (a->n < 2 * PACKETS)
		a->seq[a->n++] = seq;
	pthread_mutex_unlock(&a->mu);
}

static size_t arrived(arrivals_t *a) {
	pthread_mutex_lock(&a->mu);
	size_t n = a->n;
	pthread_mutex_unlock(&a->mu);
	return n;
}

/* A one-packet VP8 frame numbered seq. */
static void send_packet(omnirtc_track_t t, uint16_t seq) {
	uint8_t pkt[14] = {0x80, 0x80 | 96, (uint8_t)(seq >> 8), (uint8_t)seq};
	uint32_t ts = (uint32_t)seq * 3000;
	for (int i = 0; i < 4; i++)
		pkt[4 + i] = (uint8_t)(ts >> (24 - 8 * i));
	pkt[12] = 0x10; /* VP8 descriptor: start of a partition */
	pkt[13] = (uint8_t)seq;
	OK(omnirtc_track_write_rtp(t, NULL, pkt, sizeof pkt));
}

/* Two peers with config, a VP8 "rtp" track from a to b, b recording. */
typedef struct {
	peer_t a, b;
	omnirtc_track_t track;
	arrivals_t got;
} rtp_call_t;

/* Connects the call directly, or through relay if not NULL. */
static rtp_call_t *rtp_call_open(const char *config, impair_t *relay) {
	rtp_call_t *c = calloc(1, sizeof *c);
	CHECK(c != NULL);
	pthread_mutex_init(&c->got.mu, NULL);
	peer_open(&c->a, "a", config);
	peer_open(&c->b, "b", config);
	c->b.test_data = &c->got;
	c->b.hook = record_rtp;
	omnirtc_transceiver_t tr;
	OK(omnirtc_track_create("{\"codec\":\"vp8\",\"mode\":\"rtp\"}", &c->track));
	OK(omnirtc_peer_add_track(c->a.id, c->track, &tr));
	if (relay != NULL)
		impair_connect(relay, &c->a, &c->b);
	else
		connect_pair(&c->a, &c->b);
	return c;
}

/* Waits until b was delivered `want` packets (at most 10 s), closes the call
 * and returns b's stats. */
static char *rtp_call_close(rtp_call_t *c, size_t want) {
	for (int waited = 0; arrived(&c->got) < want && waited < 10000; waited += 10)
		sleep_ms(10);
	char *stats = NULL;
	OK(omnirtc_peer_get_stats(c->b.id, &stats));
	OK(omnirtc_track_close(c->track));
	close_pair(&c->a, &c->b);
	return stats;
}

/* Sends packets 0, 1, then in swapped pairs (3 2 5 4 …) from a to b with
 * config; returns the closed call (what b was delivered) and b's stats. */
static rtp_call_t *send_swapped(const char *config, char **stats) {
	rtp_call_t *c = rtp_call_open(config, NULL);
	send_packet(c->track, 0);
	send_packet(c->track, 1);
	for (uint16_t i = 2; i + 1 < PACKETS; i += 2) {
		send_packet(c->track, i + 1);
		send_packet(c->track, i);
	}
	*stats = rtp_call_close(c, PACKETS);
	return c;
}

TEST(jitter_buffer_delivers_rtp_in_order) {
	char *stats;
	rtp_call_t *c = send_swapped(CONFIG("\"nack\",\"rtx\",\"stats\",\"jitterBuffer\""), &stats);
	CHECK(c->got.n == PACKETS);
	for (size_t i = 0; i < c->got.n; i++)
		CHECK(c->got.seq[i] == i);
	CHECK(strstr(stats, "\"jitterBufferEmittedCount\":100") != NULL);
	CHECK(strstr(stats, "\"packetsDiscarded\":0") != NULL);
	CHECK(strstr(stats, "\"jitterBufferTargetDelay\":500") != NULL);
	CHECK(strstr(stats, "\"jitterBufferDelay\":") != NULL);
	omnirtc_free(stats);
	free(c);
}

TEST(without_jitter_buffer_reordering_reaches_the_application) {
	char *stats;
	rtp_call_t *c = send_swapped("{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\","
	                             "\"interceptors\":[\"stats\"]}}",
	                             &stats);
	CHECK(c->got.n >= PACKETS);
	int inverted = 0;
	for (size_t i = 1; i < c->got.n; i++)
		inverted |= c->got.seq[i] < c->got.seq[i - 1];
	CHECK(inverted);
	CHECK(strstr(stats, "\"inbound-rtp\"") != NULL && strstr(stats, "jitterBuffer") == NULL);
	omnirtc_free(stats);
	free(c);
}

/* Over 5% loss and 30 ms delay each way, packets behind a gap wait for its
 * RTX retransmission: from the first packet received on, every one arrives
 * once and in order, and the waits show in jitterBufferDelay. */
TEST(jitter_buffer_waits_for_retransmissions_under_loss) {
	const char *config = "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"networkTypes\":[\"udp4\"],"
	                     "\"interceptors\":[\"nack\",\"rtx\",\"stats\",\"jitterBuffer\"],"
	                     "\"jitterBuffer\":{\"targetDelayMs\":5000}}}";
	impair_t *relay = impair_start(5.0, 30, 4242);
	rtp_call_t *c = rtp_call_open(config, relay);
	/* A tail after PACKETS: a lost packet is only missed once a later one comes. */
	for (uint16_t i = 0; i < PACKETS + 40; i++) {
		send_packet(c->track, i);
		sleep_ms(5);
	}
	char *stats = rtp_call_close(c, PACKETS);
	size_t dropped = impair_stop(relay);
	fprintf(stderr, "relay dropped %zu packets; delivered %zu, from %u\n", dropped, c->got.n, c->got.seq[0]);
	CHECK(dropped > 5);
	CHECK(c->got.n >= PACKETS && c->got.seq[0] < 20);
	for (size_t i = 0; i < c->got.n; i++)
		CHECK(c->got.seq[i] == c->got.seq[0] + i);
	const char *delay = strstr(stats, "\"jitterBufferDelay\":");
	CHECK(delay != NULL && strtod(delay + 20, NULL) > 0);
	CHECK(strstr(stats, "\"packetsDiscarded\":0") != NULL);
	omnirtc_free(stats);
	free(c);
}

TEST(bad_jitter_buffer_options_name_the_key) {
	struct {
		const char *config, *key;
	} cases[] = {
	    {"{\"omnirtc\":{\"interceptors\":[\"jitterBuffer\"],\"jitterBuffer\":{\"targetDelayMs\":0}}}",
	     "targetDelayMs"},
	    {"{\"omnirtc\":{\"interceptors\":[\"jitterBuffer\"],\"jitterBuffer\":{\"maxPackets\":5000}}}",
	     "maxPackets"},
	    {"{\"omnirtc\":{\"interceptors\":[\"jitterBuffer\"],\"jitterBuffer\":{\"size\":1}}}", "size"},
	    {"{\"omnirtc\":{\"interceptors\":[\"jitterBuffer\"],\"jitterBuffer\":[]}}", "jitterBuffer"},
	    {"{\"omnirtc\":{\"jitterBuffer\":{}}}", "not in"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		omnirtc_peer_t unused;
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG, omnirtc_peer_create(cases[i].config, NULL, NULL, &unused));
		if (strstr(omnirtc_last_error(), cases[i].key) == NULL) {
			fprintf(stderr, "%s: %s lacks %s\n", cases[i].config, omnirtc_last_error(), cases[i].key);
			exit(1);
		}
	}
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
