/* The "jitterBuffer" interceptor through the C ABI: RTP sent out of order
 * reaches the application in order, counted in inbound-rtp. */
#include <string.h>

#include "harness.h"

#define PACKETS 100
#define CONFIG(interceptors)                                                                         \
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
		OK(omnirtc_track_set_receive(e->track, "{\"mode\":\"rtp\"}"));
	if (e->type != OMNIRTC_EVENT_TRACK_RTP || e->size < 4)
		return;
	pthread_mutex_lock(&a->mu);
	if (a->n < 2 * PACKETS)
		a->seq[a->n++] = (uint16_t)(e->data[2] << 8 | e->data[3]);
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

/* Sends packets 0, 1, then in swapped pairs (3 2 5 4 …) from a to b with
 * config; fills *a with what b was delivered and returns b's stats. */
static char *send_swapped(const char *config, arrivals_t *a) {
	peer_t pa, pb;
	memset(a, 0, sizeof *a);
	pthread_mutex_init(&a->mu, NULL);
	peer_open(&pa, "a", config);
	peer_open(&pb, "b", config);
	pb.test_data = a;
	pb.hook = record_rtp;
	omnirtc_track_t track;
	omnirtc_transceiver_t tr;
	OK(omnirtc_track_create("{\"codec\":\"vp8\",\"mode\":\"rtp\"}", &track));
	OK(omnirtc_peer_add_track(pa.id, track, &tr));
	connect_pair(&pa, &pb);
	send_packet(track, 0);
	send_packet(track, 1);
	for (uint16_t i = 2; i + 1 < PACKETS; i += 2) {
		send_packet(track, i + 1);
		send_packet(track, i);
	}
	for (int waited = 0; arrived(a) < PACKETS && waited < 10000; waited += 10)
		sleep_ms(10);
	char *stats = NULL;
	OK(omnirtc_peer_get_stats(pb.id, &stats));
	OK(omnirtc_track_close(track));
	close_pair(&pa, &pb);
	return stats;
}

TEST(jitter_buffer_delivers_rtp_in_order) {
	arrivals_t a;
	char *stats = send_swapped(CONFIG("\"nack\",\"rtx\",\"stats\",\"jitterBuffer\""), &a);
	CHECK(a.n == PACKETS);
	for (size_t i = 0; i < a.n; i++)
		CHECK(a.seq[i] == i);
	CHECK(strstr(stats, "\"jitterBufferEmittedCount\":100") != NULL);
	CHECK(strstr(stats, "\"packetsDiscarded\":0") != NULL);
	CHECK(strstr(stats, "\"jitterBufferTargetDelay\":500") != NULL);
	CHECK(strstr(stats, "\"jitterBufferDelay\":") != NULL);
	omnirtc_free(stats);
}

TEST(without_jitter_buffer_reordering_reaches_the_application) {
	arrivals_t a;
	char *stats = send_swapped("{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\","
	                           "\"interceptors\":[\"stats\"]}}",
	                           &a);
	CHECK(a.n >= PACKETS);
	int inverted = 0;
	for (size_t i = 1; i < a.n; i++)
		inverted |= a.seq[i] < a.seq[i - 1];
	CHECK(inverted);
	CHECK(strstr(stats, "\"inbound-rtp\"") != NULL && strstr(stats, "jitterBuffer") == NULL);
	omnirtc_free(stats);
}

TEST(bad_jitter_buffer_options_name_the_key) {
	struct {
		const char *config, *key;
	} cases[] = {
	    {"{\"omnirtc\":{\"interceptors\":[\"jitterBuffer\"],\"jitterBuffer\":{\"targetDelayMs\":0}}}", "targetDelayMs"},
	    {"{\"omnirtc\":{\"interceptors\":[\"jitterBuffer\"],\"jitterBuffer\":{\"maxPackets\":5000}}}", "maxPackets"},
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
