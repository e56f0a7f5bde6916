/*
 * A selective forwarding server in one process: a publisher sends three
 * simulcast layers, the server forwards to each of two viewers the one layer
 * it chooses, and moves a viewer to another layer during the call (after that
 * layer's next keyframe: the forwarder waits for it and asks the publisher
 * for one). Each frame ends with its layer's rid, so a viewer can tell.
 * Build: cc forward.c $(pkg-config --cflags --libs omnirtc) -lpthread
 */
#define _POSIX_C_SOURCE 200809L
#include <omnirtc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}"
static const char *const RIDS[] = {"q", "h", "f"}; /* quarter, half and full resolution */
#define SIMULCAST "{\"direction\":\"sendonly\",\"sendEncodings\":[{\"rid\":\"q\"},{\"rid\":\"h\"},{\"rid\":\"f\"}]}"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static omnirtc_transceiver_t published; /* the server's transceiver of the publisher's track, once announced */

/* What a viewer received: the rid of each frame, in order. */
typedef struct {
	char tags[4096];
	size_t n;
} viewer_t;

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

/* The server's events, on a library thread: it only forwards, so it
 * assembles no frames of the publisher's track. */
static void on_server(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	if (e->type != OMNIRTC_EVENT_TRACK)
		return;
	check(omnirtc_track_set_receive(e->track.track, "{\"mode\":\"none\"}"), "server receive mode");
	pthread_mutex_lock(&mu);
	published = e->track.transceiver;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
}

/* A viewer's events, on a library thread. */
static void on_viewer(void *user_data, const omnirtc_event_t *e) {
	viewer_t *v = user_data;
	if (e->type != OMNIRTC_EVENT_TRACK_FRAME || e->frame.size == 0)
		return;
	pthread_mutex_lock(&mu);
	if (v->n < sizeof v->tags - 1)
		v->tags[v->n++] = (char)e->frame.data[e->frame.size - 1];
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

static void connect_peers(omnirtc_peer_t offerer, omnirtc_peer_t answerer) {
	check(omnirtc_peer_set_local_description(offerer, NULL, NULL), "offer");
	hand_over(offerer, answerer);
	check(omnirtc_peer_set_local_description(answerer, NULL, NULL), "answer");
	hand_over(answerer, offerer);
}

/* Stands in for an encoder: frame i of each layer, a keyframe every 10. */
static void *camera(void *arg) {
	omnirtc_track_t track = *(omnirtc_track_t *)arg;
	for (unsigned i = 0;; i++) {
		for (size_t l = 0; l < 3; l++) {
			uint8_t frame[300] = {i % 10 == 0 ? 0x00 : 0x01};
			frame[sizeof frame - 1] = (uint8_t)RIDS[l][0];
			if (omnirtc_track_write_sample(track, RIDS[l], frame, sizeof frame, 33333) != OMNIRTC_OK)
				return NULL; /* the track was closed */
		}
		sleep_us(33333);
	}
}

/* Waits for a viewer's next n frames and returns their rids. */
static const char *next_frames(viewer_t *v, size_t n, char *out) {
	pthread_mutex_lock(&mu);
	size_t from = v->n;
	while (v->n < from + n)
		pthread_cond_wait(&changed, &mu);
	memcpy(out, v->tags + from, n);
	out[n] = 0;
	pthread_mutex_unlock(&mu);
	return out;
}

int main(void) {
	omnirtc_peer_t publisher, server, outs[2], viewers[2];
	viewer_t seen[2] = {{.n = 0}, {.n = 0}};
	const char *names[2] = {"small viewer", "large viewer"}, *layers[2] = {"q", "f"};
	check(omnirtc_peer_create(CONFIG, NULL, NULL, &publisher), "create publisher");
	check(omnirtc_peer_create(CONFIG, on_server, NULL, &server), "create server");
	omnirtc_track_t source, forwarded[2];
	omnirtc_transceiver_t transceiver;
	check(omnirtc_track_create("{\"codec\":\"vp8\",\"rids\":[\"q\",\"h\",\"f\"]}", &source), "create track");
	check(omnirtc_peer_add_transceiver(publisher, NULL, source, SIMULCAST, &transceiver), "add transceiver");
	connect_peers(publisher, server);
	pthread_mutex_lock(&mu);
	while (published == 0)
		pthread_cond_wait(&changed, &mu);
	pthread_mutex_unlock(&mu);
	pthread_t sending;
	pthread_create(&sending, NULL, camera, &source);

	omnirtc_forwarder_t forwarder;
	check(omnirtc_forwarder_create_group(published, &forwarder), "create forwarder");
	for (int v = 0; v < 2; v++) {
		/* The server's side of each viewer's call carries a track the forwarder writes RTP packets to. */
		check(omnirtc_peer_create(CONFIG, NULL, NULL, &outs[v]), "create server side");
		check(omnirtc_peer_create(CONFIG, on_viewer, &seen[v], &viewers[v]), "create viewer");
		check(omnirtc_track_create("{\"codec\":\"vp8\",\"mode\":\"rtp\"}", &forwarded[v]),
		      "create forwarded track");
		check(omnirtc_peer_add_track(outs[v], forwarded[v], &transceiver), "add forwarded track");
		connect_peers(outs[v], viewers[v]);
		check(omnirtc_forwarder_add_subscriber(forwarder, forwarded[v], layers[v], OMNIRTC_TEMPORAL_ALL),
		      "add subscriber");
	}

	char tags[16];
	for (int v = 0; v < 2; v++)
		printf("%s receives: %s\n", names[v], next_frames(&seen[v], 10, tags));
	check(omnirtc_forwarder_set_layer(forwarder, forwarded[0], "h", OMNIRTC_TEMPORAL_ALL), "set layer");
	while (strcmp(next_frames(&seen[0], 1, tags), "h") != 0)
		; /* frames of q until h's next keyframe */
	printf("%s, moved to h, receives: %s\n", names[0], next_frames(&seen[0], 10, tags));
	char *layer;
	check(omnirtc_forwarder_get_layer(forwarder, forwarded[0], &layer), "get layer");
	printf("%s's layer: %s\n", names[0], layer);
	omnirtc_free(layer);

	check(omnirtc_forwarder_free(forwarder), "free forwarder");
	check(omnirtc_track_close(source), "close track");
	pthread_join(sending, NULL);
	for (int v = 0; v < 2; v++) {
		check(omnirtc_track_close(forwarded[v]), "close forwarded track");
		check(omnirtc_peer_close(outs[v]), "close server side");
		check(omnirtc_peer_close(viewers[v]), "close viewer");
	}
	check(omnirtc_peer_close(publisher), "close publisher");
	check(omnirtc_peer_close(server), "close server");
	return 0;
}
