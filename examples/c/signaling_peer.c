/*
 * One side of a two-process call: the offerer and the answerer exchange their
 * session descriptions through files in a shared directory (the simplest real
 * signaling channel), then talk over a data channel.
 *
 *   signaling_peer offer  DIR     writes DIR/offer.sdp, reads DIR/answer.sdp
 *   signaling_peer answer DIR     reads DIR/offer.sdp, writes DIR/answer.sdp
 *
 * No trickle here: each side waits for ICE gathering to complete, so its
 * description carries every candidate (what a file or a copy-paste needs).
 */
#define _POSIX_C_SOURCE 200809L
#include <omnirtc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}"
#define ROUNDS 5

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int gathered, open_channel, replies, remote_closed;
static omnirtc_channel_t channel;
static int offerer;

static void check(omnirtc_status_t status, const char *what) {
	if (status != OMNIRTC_OK) {
		fprintf(stderr, "%s failed: %s: %s\n", what, omnirtc_status_string(status), omnirtc_last_error());
		exit(1);
	}
}

static void on_event(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	const char *me = offerer ? "offerer" : "answerer";
	pthread_mutex_lock(&mu);
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_GATHERING_STATE: gathered = e->state.value == OMNIRTC_ICE_GATHERING_COMPLETE; break;
	case OMNIRTC_EVENT_CONNECTION_STATE: printf("%s: connection %s\n", me, e->state.name); break;
	case OMNIRTC_EVENT_DATA_CHANNEL: channel = e->channel.channel; break;
	case OMNIRTC_EVENT_CHANNEL_OPEN: open_channel = 1; break;
	case OMNIRTC_EVENT_CHANNEL_MESSAGE:
		printf("%s: received \"%.*s\"\n", me, (int)e->message.size, (const char *)e->message.data);
		if (offerer) {
			replies++;
		} else { /* the answerer echoes */
			char reply[64];
			int n = snprintf(reply, sizeof reply, "echo: %.*s", (int)e->message.size,
			                 (const char *)e->message.data);
			check(omnirtc_channel_send(e->message.channel, reply, (size_t)n, 0), "send echo");
		}
		break;
	case OMNIRTC_EVENT_CHANNEL_CLOSE: remote_closed = 1; break;
	}
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
}

static void wait_until(const int *flag, int value) {
	pthread_mutex_lock(&mu);
	while (*flag < value)
		pthread_cond_wait(&changed, &mu);
	pthread_mutex_unlock(&mu);
}

/* Publishes atomically: write a temporary file, then rename it. */
static void write_file(const char *dir, const char *name, const char *text) {
	char tmp[4096], path[4096];
	snprintf(tmp, sizeof tmp, "%s/.%s", dir, name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(tmp, "w");
	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0 || rename(tmp, path) != 0) {
		perror(path);
		exit(1);
	}
}

static char *read_file_when_present(const char *dir, const char *name) {
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f;
	for (int tries = 0; (f = fopen(path, "r")) == NULL; tries++) {
		if (tries > 3000) {
			fprintf(stderr, "%s never appeared\n", path);
			exit(1);
		}
		nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
	}
	static char text[65536];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* Applies the local description, waits for every candidate, publishes it. */
static void publish_local(omnirtc_peer_t peer, const char *dir, const char *name) {
	check(omnirtc_peer_set_local_description(peer, NULL, NULL), "set_local_description");
	wait_until(&gathered, 1);
	char *sdp;
	check(omnirtc_peer_get_description(peer, OMNIRTC_DESCRIPTION_LOCAL, NULL, &sdp), "get_description");
	write_file(dir, name, sdp);
	omnirtc_free(sdp);
}

int main(int argc, char **argv) {
	if (argc != 3 || (strcmp(argv[1], "offer") != 0 && strcmp(argv[1], "answer") != 0)) {
		fprintf(stderr, "usage: %s offer|answer DIR\n", argv[0]);
		return 2;
	}
	offerer = strcmp(argv[1], "offer") == 0;
	const char *dir = argv[2];
	omnirtc_peer_t peer;
	check(omnirtc_peer_create(CONFIG, on_event, NULL, &peer), "peer_create");
	if (offerer) {
		check(omnirtc_channel_create(peer, "chat", NULL, &channel), "channel_create");
		publish_local(peer, dir, "offer.sdp");
		check(omnirtc_peer_set_remote_description(peer, "answer", read_file_when_present(dir, "answer.sdp")),
		      "set_remote_description");
	} else {
		check(omnirtc_peer_set_remote_description(peer, "offer", read_file_when_present(dir, "offer.sdp")),
		      "set_remote_description");
		publish_local(peer, dir, "answer.sdp");
	}
	wait_until(&open_channel, 1);
	if (offerer) {
		for (int i = 1; i <= ROUNDS; i++) {
			char text[32];
			int n = snprintf(text, sizeof text, "ping %d", i);
			check(omnirtc_channel_send(channel, text, (size_t)n, 0), "send");
			wait_until(&replies, i);
		}
		check(omnirtc_channel_close(channel), "channel_close");
	}
	wait_until(&remote_closed, 1); /* the offerer's close reaches both sides */
	check(omnirtc_peer_close(peer), "peer_close");
	printf("%s: done\n", offerer ? "offerer" : "answerer");
	return 0;
}
