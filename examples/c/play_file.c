/*
 * Plays a media file (VP8/VP9/AV1 IVF, Opus Ogg or H264 Annex-B) from one
 * OmniRTC peer to another in the same process, at real-time pace, and
 * prints what the viewer received, frame for frame.
 *   play_file FILE
 * Build: cc play_file.c $(pkg-config --cflags --libs omnirtc) -lpthread
 */
#define _POSIX_C_SOURCE 200809L
#include <omnirtc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int connected;              /* viewer connected */
static size_t frames, bytes, keys; /* what the viewer received */

static void check(omnirtc_status_t status, const char *what) {
	if (status != OMNIRTC_OK) {
		fprintf(stderr, "%s failed: %s: %s\n", what, omnirtc_status_string(status), omnirtc_last_error());
		exit(1);
	}
}

static void sleep_us(uint64_t us) {
	struct timespec ts = {.tv_sec = (time_t)(us / 1000000), .tv_nsec = (long)(us % 1000000) * 1000};
	nanosleep(&ts, NULL);
}

/* The viewer's events, on a library thread. */
static void on_viewer(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	pthread_mutex_lock(&mu);
	switch (e->type) {
	case OMNIRTC_EVENT_TRACK: printf("viewer: track %s\n", e->track.info_json); break;
	case OMNIRTC_EVENT_TRACK_FRAME:
		frames++;
		bytes += e->frame.size;
		keys += (size_t)e->frame.keyframe;
		break;
	case OMNIRTC_EVENT_CONNECTION_STATE: connected = e->state.value == OMNIRTC_PEER_CONNECTED; break;
	}
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
}

/* Applies `from`'s description at `to` once `from` gathered every candidate
 * (no trickle needed over loopback). */
static void hand_over(omnirtc_peer_t from, omnirtc_peer_t to) {
	int32_t state = OMNIRTC_ICE_GATHERING_NEW;
	while (state != OMNIRTC_ICE_GATHERING_COMPLETE) {
		sleep_us(5000);
		check(omnirtc_peer_get_ice_gathering_state(from, &state), "gathering state");
	}
	char *type, *sdp;
	check(omnirtc_peer_get_description(from, OMNIRTC_DESCRIPTION_LOCAL, &type, &sdp), "get description");
	check(omnirtc_peer_set_remote_description(to, type, sdp), "set remote description");
	omnirtc_free(type);
	omnirtc_free(sdp);
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.ivf|FILE.ogg|FILE.h264\n", argv[0]);
		return 2;
	}
	omnirtc_media_reader_t reader;
	char *info;
	check(omnirtc_media_reader_open(argv[1], NULL, &reader, &info), "open file");
	printf("file: %s\n", info);
	char codec[64] = "", init[128];
	const char *c = strstr(info, "\"codec\":\"");
	if (c != NULL)
		sscanf(c + 9, "%63[^\"]", codec);
	omnirtc_free(info);

	omnirtc_peer_t player, viewer;
	check(omnirtc_peer_create(CONFIG, NULL, NULL, &player), "create player");
	check(omnirtc_peer_create(CONFIG, on_viewer, NULL, &viewer), "create viewer");
	omnirtc_track_t track;
	omnirtc_transceiver_t transceiver;
	snprintf(init, sizeof init, "{\"codec\":\"%s\",\"streamId\":\"file\"}", codec);
	check(omnirtc_track_create(init, &track), "create track");
	check(omnirtc_peer_add_transceiver(player, NULL, track, "{\"direction\":\"sendonly\"}", &transceiver),
	      "add transceiver");
	check(omnirtc_peer_set_local_description(player, NULL, NULL), "player offer");
	hand_over(player, viewer);
	check(omnirtc_peer_set_local_description(viewer, NULL, NULL), "viewer answer");
	hand_over(viewer, player);
	pthread_mutex_lock(&mu);
	while (!connected)
		pthread_cond_wait(&changed, &mu);
	pthread_mutex_unlock(&mu);
	/* The player too: what a sender writes before its side is connected is dropped. */
	for (int32_t state = 0; state != OMNIRTC_PEER_CONNECTED; sleep_us(2000))
		check(omnirtc_peer_get_connection_state(player, &state), "player state");

	size_t played = 0, size = 0;
	uint8_t *data = NULL;
	uint64_t duration_us = 0;
	for (;;) {
		uint8_t *next;
		size_t next_size;
		check(omnirtc_media_reader_next(reader, &next, &next_size, &duration_us, NULL), "read frame");
		if (next == NULL)
			break;
		omnirtc_free(data);
		data = next;
		size = next_size;
		check(omnirtc_track_write_sample(track, NULL, data, size, duration_us), "write sample");
		played++;
		sleep_us(duration_us);
	}
	/* The viewer releases a frame once the next one starts: repeat the last. */
	check(omnirtc_track_write_sample(track, NULL, data, size, duration_us), "write sample");
	omnirtc_free(data);
	sleep_us(300000);
	pthread_mutex_lock(&mu);
	size_t received = frames < played ? frames : played;
	printf("played %zu frames, viewer received %zu frames (%zu keyframes, %zu bytes)\n", played, received, keys,
	       bytes);
	int ok = received == played;
	pthread_mutex_unlock(&mu);
	check(omnirtc_media_reader_close(reader), "close file");
	check(omnirtc_track_close(track), "close track");
	check(omnirtc_peer_close(player), "close player");
	check(omnirtc_peer_close(viewer), "close viewer");
	printf(ok ? "all frames arrived\n" : "frames missing\n");
	return ok ? 0 : 1;
}
