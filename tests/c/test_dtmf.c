/* DTMF through the C API (W3C webrtc-pc 7, RTCDTMFSender; RFC 4733): an
 * audio sender's tones reach another peer once each, with their durations,
 * and the sender reports each tone's start and the empty buffer. */
#include <string.h>

#include "harness.h"

typedef struct {
	omnirtc_track_t track;
	pthread_mutex_t mu;
	int stop;
} feeder_t;

/* Writes a 20 ms Opus-like packet every 20 ms until told to stop (pacing, as a microphone would). */
static void *feed(void *arg) {
	feeder_t *f = arg;
	for (int i = 0;; i++) {
		pthread_mutex_lock(&f->mu);
		int stop = f->stop;
		pthread_mutex_unlock(&f->mu);
		if (stop)
			return NULL;
		char packet[16];
		int n = snprintf(packet, sizeof packet, "opus-%06d", i);
		omnirtc_track_write_sample(f->track, NULL, packet, (size_t)n, 20000);
		sleep_ms(20);
	}
}

/* 7.2 insertDTMF: refused before negotiation (InvalidStateError), for a
 * character outside 0-9 A-D # * , (InvalidCharacterError) and on video;
 * then tones upper-cased into the tone buffer, durations clamped to 40 ms,
 * one DTMF_TONE_CHANGE per tone and "" at the end, and one DTMF_TONE per
 * tone at the remote. */
TEST(dtmf_tones_reach_the_remote_once_each_with_their_durations) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	feeder_t f = {.mu = PTHREAD_MUTEX_INITIALIZER};
	omnirtc_transceiver_t audio = 0, video = 0;
	OK(omnirtc_track_create("{\"codec\":\"opus\"}", &f.track));
	OK(omnirtc_peer_add_track(a.id, f.track, &audio));
	OK(omnirtc_peer_add_transceiver(a.id, "video", 0, "{\"direction\":\"recvonly\"}", &video));
	char *buffer = NULL;
	int32_t can_insert = -1;
	OK(omnirtc_transceiver_get_dtmf(audio, &buffer, &can_insert));
	CHECK(can_insert == 0 && strcmp(buffer, "") == 0);
	omnirtc_free(buffer);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_transceiver_insert_dtmf(audio, "1", 100, 70));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_transceiver_insert_dtmf(video, "1", 100, 70));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_transceiver_get_dtmf(video, &buffer, &can_insert));
	connect_pair(&a, &b);
	pthread_t feeder;
	CHECK(pthread_create(&feeder, NULL, feed, &f) == 0);
	wait_events(&b, OMNIRTC_EVENT_TRACK_FRAME, 0, 1, 10000);
	OK(omnirtc_transceiver_get_dtmf(audio, &buffer, &can_insert));
	CHECK(can_insert == 1);
	omnirtc_free(buffer);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CHARACTER, omnirtc_transceiver_insert_dtmf(audio, "12e", 100, 70));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_transceiver_insert_dtmf(audio, NULL, 100, 70));
	OK(omnirtc_transceiver_insert_dtmf(audio, "b#7", 1, 1));
	OK(omnirtc_transceiver_get_dtmf(audio, &buffer, &can_insert));
	/* upper-cased; a tone leaves it when its DTMF_TONE_CHANGE is taken, which a callback may do at once */
	CHECK(strcmp(buffer, "B#7") == 0 || strcmp(buffer, "#7") == 0 || strcmp(buffer, "7") == 0);
	omnirtc_free(buffer);
	wait_events(&a, OMNIRTC_EVENT_DTMF_TONE_CHANGE, 0, 4, 10000);
	const char *want[] = {"B", "#", "7", ""};
	for (size_t i = 0; i < 4; i++) {
		record_t *e = nth_event(&a, OMNIRTC_EVENT_DTMF_TONE_CHANGE, 0, i);
		CHECK(e->dtmf_tone_change.transceiver == audio && strcmp(e->dtmf_tone_change.tone, want[i]) == 0);
	}
	wait_events(&b, OMNIRTC_EVENT_DTMF_TONE, 0, 3, 10000);
	CHECK(count_events(&b, OMNIRTC_EVENT_DTMF_TONE, 0) == 3);
	omnirtc_track_t remote = nth_event(&b, OMNIRTC_EVENT_TRACK, 0, 0)->track.track;
	for (size_t i = 0; i < 3; i++) {
		record_t *e = nth_event(&b, OMNIRTC_EVENT_DTMF_TONE, 0, i);
		CHECK(e->dtmf_tone.track == remote && strcmp(e->dtmf_tone.tone, want[i]) == 0);
		CHECK(e->dtmf_tone.duration_ms == 40);
	}
	pthread_mutex_lock(&f.mu);
	f.stop = 1;
	pthread_mutex_unlock(&f.mu);
	CHECK(pthread_join(feeder, NULL) == 0);
	OK(omnirtc_track_close(f.track));
	close_pair(&a, &b);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
