/* SVC (W3C webrtc-svc) through the C ABI: scalabilityMode in sendEncodings,
 * and each received RTP packet's layer in omnirtc_event_rtp. */
#include <stddef.h>
#include <string.h>

#include "harness.h"

#define PICTURES 4
#define SPATIAL 3
#define PACKETS (PICTURES * SPATIAL)

/* The layer fields live in bytes the union had spare: the event keeps the
 * size hosts polling into arrays of it were built with. */
TEST(rtp_layer_fields_leave_the_event_size_unchanged) {
	if (sizeof(void *) != 8)
		return; /* the sizes below are LP64's */
	CHECK(sizeof(omnirtc_event_t) == 56);
	CHECK(offsetof(struct omnirtc_event_rtp, spatial_id) == 28);
	CHECK(sizeof(struct omnirtc_event_rtp) <= sizeof(struct omnirtc_event_frame));
}

/* The layers b was delivered, by sequence number (1..PACKETS). */
typedef struct {
	pthread_mutex_t mu;
	struct omnirtc_event_rtp got[PACKETS + 1];
	int n;
} layers_t;

static void record_layers(peer_t *p, const omnirtc_event_t *e) {
	layers_t *l = p->test_data;
	if (e->type == OMNIRTC_EVENT_TRACK)
		OK(omnirtc_track_set_receive(e->track.track, "{\"mode\":\"rtp\"}"));
	if (e->type != OMNIRTC_EVENT_TRACK_RTP || e->rtp.size < 12)
		return;
	int seq = e->rtp.data[2] << 8 | e->rtp.data[3];
	pthread_mutex_lock(&l->mu);
	if (seq >= 1 && seq <= PACKETS) {
		l->got[seq] = e->rtp;
		l->n++;
	}
	pthread_mutex_unlock(&l->mu);
}

/* Packet seq of a VP9 L3T3 stream: a non-flexible descriptor (I L B E, P
 * after the first picture, D above spatial layer 0). */
static void send_vp9(omnirtc_track_t t, int seq, int picture, int spatial, int temporal) {
	uint8_t pkt[17] = {0x80, 98, 0, (uint8_t)seq, 0, 0, 0, (uint8_t)picture};
	pkt[12] = (uint8_t)(0xac | (picture > 0 ? 0x40 : 0));
	pkt[13] = (uint8_t)picture;
	pkt[14] = (uint8_t)(temporal << 5 | spatial << 1 | (spatial > 0));
	pkt[15] = 0; /* TL0PICIDX */
	pkt[16] = 0x82;
	OK(omnirtc_track_write_rtp(t, NULL, pkt, sizeof pkt));
}

TEST(received_vp9_packets_carry_their_layers) {
	peer_t a, b;
	layers_t layers = {.mu = PTHREAD_MUTEX_INITIALIZER};
	const char *config = "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}";
	peer_open(&a, "a", config);
	peer_open(&b, "b", config);
	b.test_data = &layers;
	b.hook = record_layers;
	omnirtc_track_t track;
	omnirtc_transceiver_t tr;
	OK(omnirtc_track_create("{\"codec\":\"vp9\",\"mode\":\"rtp\"}", &track));
	OK(omnirtc_peer_add_transceiver(a.id, NULL, track, "{\"sendEncodings\":[{\"scalabilityMode\":\"L3T3\"}]}",
	                                &tr));
	connect_pair(&a, &b);
	static const int temporal[PICTURES] = {0, 2, 1, 2};
	int seq = 1;
	for (int picture = 0; picture < PICTURES; picture++)
		for (int spatial = 0; spatial < SPATIAL; spatial++)
			send_vp9(track, seq++, picture, spatial, temporal[picture]);
	for (int waited = 0; waited < 10000; waited += 10) {
		pthread_mutex_lock(&layers.mu);
		int n = layers.n;
		pthread_mutex_unlock(&layers.mu);
		if (n >= PACKETS)
			break;
		sleep_ms(10);
	}
	CHECK(layers.n == PACKETS);
	for (int i = 1; i <= PACKETS; i++) {
		int picture = (i - 1) / SPATIAL, spatial = (i - 1) % SPATIAL;
		CHECK(layers.got[i].spatial_id == spatial);
		CHECK(layers.got[i].temporal_id == temporal[picture]);
		CHECK(layers.got[i].keyframe == (i == 1));
		CHECK(layers.got[i].switch_point == (picture == 0));
	}
	OK(omnirtc_track_close(track));
	close_pair(&a, &b);
}

/* webrtc-svc: the mode is reported, and one the codec cannot send is an
 * OperationError; getCapabilities lists each codec's modes. */
TEST(scalability_mode_is_kept_and_checked_against_the_codec) {
	peer_t a;
	peer_open(&a, "a", NULL);
	omnirtc_track_t vp8 = 0;
	omnirtc_transceiver_t t = 0;
	OK(omnirtc_track_create("{\"codec\":\"vp8\"}", &vp8));
	EXPECT_STATUS(OMNIRTC_ERR_OPERATION,
	              omnirtc_peer_add_transceiver(a.id, NULL, vp8,
	                                           "{\"sendEncodings\":[{\"scalabilityMode\":\"L3T3_KEY\"}]}", &t));
	CHECK(strstr(omnirtc_last_error(), "L3T3_KEY") != NULL);
	OK(omnirtc_peer_add_transceiver(a.id, NULL, vp8, "{\"sendEncodings\":[{\"scalabilityMode\":\"L1T3\"}]}", &t));
	char info[4096];
	transceiver_info(t, info, sizeof info);
	CHECK(strstr(info, "\"scalabilityMode\":\"L1T3\"") != NULL);
	EXPECT_STATUS(OMNIRTC_ERR_OPERATION,
	              omnirtc_transceiver_set_parameters(t, "{\"encodings\":[{\"scalabilityMode\":\"L2T2\"}]}"));
	OK(omnirtc_transceiver_set_parameters(t, "{\"encodings\":[{\"scalabilityMode\":\"L1T2\"}]}"));
	transceiver_info(t, info, sizeof info);
	CHECK(strstr(info, "\"scalabilityMode\":\"L1T2\"") != NULL);
	char *caps = NULL;
	OK(omnirtc_rtp_capabilities("video", &caps));
	const char *vp9 = strstr(caps, "\"mimeType\":\"video/VP9\"");
	CHECK(vp9 != NULL && strstr(vp9, "\"L3T3_KEY\"") != NULL);
	CHECK(strstr(caps, "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension") !=
	      NULL);
	omnirtc_free(caps);
	OK(omnirtc_track_close(vp8));
	OK(omnirtc_peer_close(a.id));
	peer_free(&a);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
