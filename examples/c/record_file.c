/*
 * Records what a peer sends into a file: a player peer sends IN (VP8/VP9/AV1
 * IVF, Opus Ogg or H264 Annex-B) and a recorder peer in the same process
 * writes the RTP it receives into OUT (same format), then reads OUT back.
 *   record_file IN OUT
 * Build: cc record_file.c $(pkg-config --cflags --libs omnirtc) -lpthread
 */
#define _POSIX_C_SOURCE 200809L
#include <omnirtc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}"

typedef struct {
	omnirtc_media_writer_t writer;
	size_t packets;
	int connected;
	pthread_mutex_t mu;
	pthread_cond_t changed;
} recorder_t;

static void die_unless_ok(omnirtc_status_t status, const char *what) {
	if (status == OMNIRTC_OK)
		return;
	fprintf(stderr, "%s: %s (%s)\n", what, omnirtc_last_error(), omnirtc_status_string(status));
	exit(1);
}

/* The recorder's events: every RTP packet goes to the file. */
static void on_recorder(void *user_data, const omnirtc_event_t *e) {
	recorder_t *r = user_data;
	if (e->type == OMNIRTC_EVENT_TRACK) {
		/* inside the track event, so the mode applies from the first packet */
		die_unless_ok(omnirtc_track_set_receive(e->track.track, "{\"mode\":\"rtp\"}"), "set receive");
		return;
	}
	pthread_mutex_lock(&r->mu);
	if (e->type == OMNIRTC_EVENT_TRACK_RTP) {
		die_unless_ok(omnirtc_media_writer_write_rtp(r->writer, e->rtp.data, e->rtp.size), "record packet");
		r->packets++;
	} else if (e->type == OMNIRTC_EVENT_CONNECTION_STATE && e->state.value == OMNIRTC_PEER_CONNECTED) {
		r->connected = 1;
		pthread_cond_signal(&r->changed);
	}
	pthread_mutex_unlock(&r->mu);
}

static void pause_us(uint64_t us) {
	struct timespec ts = {.tv_sec = (time_t)(us / 1000000), .tv_nsec = (long)(us % 1000000) * 1000};
	nanosleep(&ts, NULL);
}

/* Offer/answer without trickle: each description is passed on complete. */
static void describe_to(omnirtc_peer_t local, omnirtc_peer_t remote) {
	die_unless_ok(omnirtc_peer_set_local_description(local, NULL, NULL), "local description");
	for (int32_t gathering = 0; gathering != OMNIRTC_ICE_GATHERING_COMPLETE; pause_us(5000))
		die_unless_ok(omnirtc_peer_get_ice_gathering_state(local, &gathering), "gathering");
	char *type, *sdp;
	die_unless_ok(omnirtc_peer_get_description(local, OMNIRTC_DESCRIPTION_LOCAL, &type, &sdp), "description");
	die_unless_ok(omnirtc_peer_set_remote_description(remote, type, sdp), "remote description");
	omnirtc_free(type);
	omnirtc_free(sdp);
}

/* Counts the frames of a media file. */
static size_t count_frames(const char *path) {
	omnirtc_media_reader_t reader;
	die_unless_ok(omnirtc_media_reader_open(path, NULL, &reader, NULL), path);
	size_t n = 0;
	for (uint8_t *frame = NULL;; n++) {
		size_t size;
		die_unless_ok(omnirtc_media_reader_next(reader, &frame, &size, NULL, NULL), "read");
		if (frame == NULL)
			break;
		omnirtc_free(frame);
	}
	die_unless_ok(omnirtc_media_reader_close(reader), "close");
	return n;
}

int main(int argc, char **argv) {
	if (argc != 3) {
		fprintf(stderr, "usage: %s IN OUT  (IN and OUT: .ivf, .ogg or .h264)\n", argv[0]);
		return 2;
	}
	recorder_t rec = {.mu = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
	omnirtc_media_reader_t in;
	char *info, codec[64] = "", track_init[128];
	die_unless_ok(omnirtc_media_reader_open(argv[1], NULL, &in, &info), argv[1]);
	sscanf(strstr(info, "\"codec\":\"") + 9, "%63[^\"]", codec);
	omnirtc_free(info);
	char writer_opts[96];
	snprintf(writer_opts, sizeof writer_opts, "{\"codec\":\"%s\"}", codec);
	if (strstr(argv[2], ".ivf") == NULL)
		snprintf(writer_opts, sizeof writer_opts, "{}");
	die_unless_ok(omnirtc_media_writer_open(argv[2], writer_opts, &rec.writer), argv[2]);

	omnirtc_peer_t player, recorder;
	omnirtc_track_t track;
	omnirtc_transceiver_t sender;
	die_unless_ok(omnirtc_peer_create(CONFIG, NULL, NULL, &player), "player");
	die_unless_ok(omnirtc_peer_create(CONFIG, on_recorder, &rec, &recorder), "recorder");
	snprintf(track_init, sizeof track_init, "{\"codec\":\"%s\"}", codec);
	die_unless_ok(omnirtc_track_create(track_init, &track), "track");
	die_unless_ok(omnirtc_peer_add_track(player, track, &sender), "add track");
	describe_to(player, recorder);
	describe_to(recorder, player);
	pthread_mutex_lock(&rec.mu);
	while (!rec.connected)
		pthread_cond_wait(&rec.changed, &rec.mu);
	pthread_mutex_unlock(&rec.mu);
	/* The player too: what a sender writes before its side is connected is dropped. */
	for (int32_t state = 0; state != OMNIRTC_PEER_CONNECTED; pause_us(2000))
		die_unless_ok(omnirtc_peer_get_connection_state(player, &state), "player state");

	size_t sent = 0;
	for (;; sent++) {
		uint8_t *frame;
		size_t size;
		uint64_t duration_us;
		die_unless_ok(omnirtc_media_reader_next(in, &frame, &size, &duration_us, NULL), "read");
		if (frame == NULL)
			break;
		die_unless_ok(omnirtc_track_write_sample(track, NULL, frame, size, duration_us), "send");
		omnirtc_free(frame);
		pause_us(duration_us);
	}
	pause_us(300000);
	die_unless_ok(omnirtc_peer_close(recorder), "close recorder"); /* no packet is recorded after this */
	die_unless_ok(omnirtc_peer_close(player), "close player");
	die_unless_ok(omnirtc_track_close(track), "close track");
	die_unless_ok(omnirtc_media_reader_close(in), "close input");
	die_unless_ok(omnirtc_media_writer_close(rec.writer), "close output");
	size_t recorded = count_frames(argv[2]);
	printf("sent %zu frames in %zu RTP packets; %s holds %zu frames\n", sent, rec.packets, argv[2], recorded);
	return recorded + 1 >= sent && recorded > 0 ? 0 : 1;
}
