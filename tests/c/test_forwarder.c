/* omnirtc_forwarder_*: a remote VP8 track forwarded through a server peer to
 * a subscriber peer arrives as one continuous stream; misuse is refused. */
#include <string.h>

#include "harness.h"

#define FRAMES 150
/* forwarded at least: every frame of the first half, the even ones of the second */
#define WANT (FRAMES * 3 / 4 - 10)

/* The forwarded packets the subscriber was delivered. */
typedef struct {
	pthread_mutex_t mu;
	uint16_t seq[2 * FRAMES];
	uint16_t pic[2 * FRAMES];
	size_t n;
} arrivals_t;

static void record_rtp(peer_t *p, const omnirtc_event_t *e) {
	arrivals_t *a = p->test_data;
	if (e->type == OMNIRTC_EVENT_TRACK)
		OK(omnirtc_track_set_receive(e->track.track, "{\"mode\":\"rtp\"}"));
	if (e->type != OMNIRTC_EVENT_TRACK_RTP || e->rtp.size < 12 + 5)
		return;
	size_t h = 12 + 4u * (e->rtp.data[0] & 0x0f);
	if (e->rtp.data[0] & 0x10) /* header extension */
		h += 4 + 4u * (size_t)(e->rtp.data[h + 2] << 8 | e->rtp.data[h + 3]);
	if (e->rtp.size < h + 4)
		return;
	pthread_mutex_lock(&a->mu);
	if (a->n < 2 * FRAMES) {
		a->seq[a->n] = (uint16_t)(e->rtp.data[2] << 8 | e->rtp.data[3]);
		a->pic[a->n++] = (uint16_t)((e->rtp.data[h + 2] & 0x7f) << 8 | e->rtp.data[h + 3]);
	}
	pthread_mutex_unlock(&a->mu);
}

/* A one-packet VP8 frame: picture id i, a keyframe every 30 frames, the
 * odd frames on temporal layer 1. */
static void send_frame(omnirtc_track_t t, uint16_t i) {
	uint8_t pkt[12 + 6 + 20] = {0x80, 0x80 | 96, (uint8_t)(i >> 8), (uint8_t)i};
	uint32_t ts = (uint32_t)i * 3000;
	for (int b = 0; b < 4; b++)
		pkt[4 + b] = (uint8_t)(ts >> (24 - 8 * b));
	uint8_t *d = pkt + 12;
	d[0] = 0x90;                              /* X, S, partition 0 */
	d[1] = 0xa0;                              /* I, T */
	d[2] = (uint8_t)(0x80 | (i >> 8 & 0x7f)); /* 15-bit picture id */
	d[3] = (uint8_t)i;
	d[4] = (uint8_t)((i % 30 == 0 ? 0 : (i & 1) << 6) | 0x20); /* TID, Y */
	d[5] = i % 30 == 0 ? 0x00 : 0x01;                          /* P: 0 on keyframes */
	OK(omnirtc_track_write_rtp(t, NULL, pkt, sizeof pkt));
}

TEST(forwarder_sends_a_remote_track_on_as_one_stream) {
	peer_t pub, server, out, sub;
	arrivals_t got = {.n = 0};
	pthread_mutex_init(&got.mu, NULL);
	peer_open(&pub, "publisher", NULL);
	peer_open(&server, "server", NULL);
	peer_open(&out, "server-out", NULL);
	peer_open(&sub, "subscriber", NULL);
	sub.test_data = &got;
	sub.hook = record_rtp;

	omnirtc_track_t source, forwarded, sample_track;
	omnirtc_transceiver_t tr;
	OK(omnirtc_track_create("{\"codec\":\"vp8\",\"mode\":\"rtp\"}", &source));
	OK(omnirtc_peer_add_track(pub.id, source, &tr));
	OK(omnirtc_track_create("{\"codec\":\"vp8\",\"mode\":\"rtp\"}", &forwarded));
	OK(omnirtc_track_create("{\"codec\":\"vp8\"}", &sample_track));
	OK(omnirtc_peer_add_track(out.id, forwarded, &tr));
	connect_pair(&pub, &server);
	connect_pair(&out, &sub);
	wait_events(&server, OMNIRTC_EVENT_TRACK, 0, 1, 10000);
	omnirtc_track_t remote = nth_event(&server, OMNIRTC_EVENT_TRACK, 0, 0)->track.track;
	OK(omnirtc_track_set_receive(remote, "{\"mode\":\"none\"}"));

	omnirtc_forwarder_t fw, second;
	OK(omnirtc_forwarder_create(remote, &fw));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_forwarder_create(remote, &second));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_forwarder_create(source, &second));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_forwarder_add_subscriber(fw, sample_track, NULL, 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_forwarder_add_subscriber(fw, forwarded, "nope", 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_forwarder_add_subscriber(fw, forwarded, NULL, 9));
	/* The layer as JSON: spatial 0..7 or -1, known keys only. */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_forwarder_add_subscriber_json(fw, forwarded, "{\"spatial\":8}"));
	CHECK(strstr(omnirtc_last_error(), "spatial layer must be -1 (all) or 0 to 7") != NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_forwarder_add_subscriber_json(fw, forwarded, "{\"spatial\":-2}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_forwarder_add_subscriber_json(fw, forwarded, "{\"spatail\":1}"));
	CHECK(strstr(omnirtc_last_error(), "spatail") != NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_forwarder_add_subscriber_json(fw, forwarded, "{\"spatial\":\"1\"}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_forwarder_add_subscriber_json(fw, forwarded, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_forwarder_set_layer_json(fw, forwarded, "{}")); /* no subscriber */
	OK(omnirtc_forwarder_add_subscriber_json(fw, forwarded, "{\"rid\":\"\"}"));
	char *layer = NULL;
	OK(omnirtc_forwarder_get_layer(fw, forwarded, &layer));
	CHECK(strcmp(layer, "{\"rid\":\"\",\"temporal\":-1,\"spatial\":-1,\"started\":false,\"auto\":false,"
	                    "\"target\":{\"rid\":\"\",\"temporal\":-1,\"spatial\":-1},\"estimate\":0}") == 0);
	omnirtc_free(layer);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_forwarder_set_layer_json(fw, forwarded, "{\"spatial\":8}"));
	OK(omnirtc_forwarder_remove_subscriber(fw, forwarded));
	OK(omnirtc_forwarder_add_subscriber(fw, forwarded, NULL, OMNIRTC_TEMPORAL_ALL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_forwarder_add_subscriber(fw, forwarded, NULL, 0));

	/* Temporal layer 0 only for the second half: the odd frames go, and
	 * the numbers close up behind them. */
	for (uint16_t i = 0; i < FRAMES; i++) {
		if (i == FRAMES / 2)
			OK(omnirtc_forwarder_set_layer_json(fw, forwarded, "{\"temporal\":0,\"spatial\":0}"));
		send_frame(source, i);
		sleep_ms(5);
	}
	/* one more than checked: events come one at a time, so the hook of the
	 * one before has returned */
	wait_events(&sub, OMNIRTC_EVENT_TRACK_RTP, 0, WANT + 1, 10000);
	OK(omnirtc_forwarder_get_layer(fw, forwarded, &layer));
	CHECK(strcmp(layer, "{\"rid\":\"\",\"temporal\":0,\"spatial\":0,\"started\":true,\"auto\":false,"
	                    "\"target\":{\"rid\":\"\",\"temporal\":0,\"spatial\":0},\"estimate\":0}") == 0);
	omnirtc_free(layer);
	/* Chosen from the bandwidth, never above the layer set: without an
	 * estimate (no "gcc" or "remb" interceptor), that layer. */
	OK(omnirtc_forwarder_set_auto(fw, forwarded, 1));
	OK(omnirtc_forwarder_get_layer(fw, forwarded, &layer));
	CHECK(strcmp(layer, "{\"rid\":\"\",\"temporal\":0,\"spatial\":0,\"started\":true,\"auto\":true,"
	                    "\"target\":{\"rid\":\"\",\"temporal\":0,\"spatial\":0},\"estimate\":0}") == 0);
	omnirtc_free(layer);
	OK(omnirtc_forwarder_set_auto(fw, forwarded, 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_forwarder_set_auto(fw, sample_track, 1));

	pthread_mutex_lock(&got.mu);
	CHECK(got.n >= WANT);
	for (size_t i = 1; i < got.n; i++) {
		CHECK(got.seq[i] == (uint16_t)(got.seq[i - 1] + 1));
		CHECK(got.pic[i] == ((got.pic[i - 1] + 1) & 0x7fff));
	}
	pthread_mutex_unlock(&got.mu);

	OK(omnirtc_forwarder_remove_subscriber(fw, forwarded));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_forwarder_remove_subscriber(fw, forwarded));
	OK(omnirtc_forwarder_free(fw));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_forwarder_free(fw));
	OK(omnirtc_forwarder_create(remote, &fw)); /* the track may feed another */
	OK(omnirtc_forwarder_free(fw));
	OK(omnirtc_track_close(source));
	OK(omnirtc_track_close(forwarded));
	OK(omnirtc_track_close(sample_track));
	close_pair(&pub, &server);
	close_pair(&out, &sub);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
