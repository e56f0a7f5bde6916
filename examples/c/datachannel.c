/*
 * Two OmniRTC peers in one process: they negotiate over loopback with trickle
 * ICE, open a data channel, exchange messages and a 4 MiB "file", and print
 * each step with its time.  Build: cc datachannel.c $(pkg-config --cflags --libs omnirtc)
 */
#define _POSIX_C_SOURCE 200809L
#include <omnirtc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}"
#define FILE_SIZE (4 * 1024 * 1024)
#define CHUNK (64 * 1024)

typedef struct peer {
	const char *name;
	omnirtc_peer_t id;
	struct peer *remote;
	omnirtc_channel_t channel; /* the one data channel, once known */
	int open, connected;
	size_t file_bytes; /* binary bytes received */
	uint32_t checksum;
	int low; /* bufferedamountlow events */
} peer;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static struct timespec start;

static double ms(void) {
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start.tv_sec) * 1e3 + (now.tv_nsec - start.tv_nsec) / 1e6;
}

static void check(omnirtc_status_t status, const char *what) {
	if (status != OMNIRTC_OK) {
		fprintf(stderr, "%s failed: %s: %s\n", what, omnirtc_status_string(status), omnirtc_last_error());
		exit(1);
	}
}

/* Runs on a library thread, one event at a time per peer. */
static void on_event(void *user_data, const omnirtc_event_t *e) {
	peer *p = user_data;
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_CANDIDATE:
		if (e->ice_candidate.candidate[0] != '\0') /* "" marks the end of candidates */
			check(omnirtc_peer_add_ice_candidate(p->remote->id, e->ice_candidate.candidate,
			                                     e->ice_candidate.sdp_mid,
			                                     e->ice_candidate.sdp_mline_index),
			      "add_ice_candidate");
		return;
	case OMNIRTC_EVENT_CONNECTION_STATE:
		printf("%8.1f ms  %s: connection %s\n", ms(), p->name, e->state.name);
		pthread_mutex_lock(&mu);
		p->connected = e->state.value == OMNIRTC_PEER_CONNECTED;
		break;
	case OMNIRTC_EVENT_DATA_CHANNEL:
		printf("%8.1f ms  %s: remote opened a channel\n", ms(), p->name);
		pthread_mutex_lock(&mu);
		p->channel = e->channel.channel;
		break;
	case OMNIRTC_EVENT_CHANNEL_OPEN:
		printf("%8.1f ms  %s: channel open\n", ms(), p->name);
		pthread_mutex_lock(&mu);
		p->open = 1;
		break;
	case OMNIRTC_EVENT_CHANNEL_MESSAGE:
		if (!e->message.binary) {
			printf("%8.1f ms  %s: got text \"%.*s\"\n", ms(), p->name, (int)e->message.size,
			       (const char *)e->message.data);
			return;
		}
		pthread_mutex_lock(&mu);
		for (size_t i = 0; i < e->message.size; i++)
			p->checksum = p->checksum * 31 + e->message.data[i];
		p->file_bytes += e->message.size;
		break;
	case OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW:
		pthread_mutex_lock(&mu);
		p->low++;
		break;
	default: return;
	}
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
}

/* Waits until *flag becomes at least value. */
static void wait_for(const void *flag, size_t width, size_t value) {
	pthread_mutex_lock(&mu);
	for (;;) {
		size_t now = width == sizeof(int) ? (size_t) * (const int *)flag : *(const size_t *)flag;
		if (now >= value)
			break;
		pthread_cond_wait(&changed, &mu);
	}
	pthread_mutex_unlock(&mu);
}

int main(void) {
	clock_gettime(CLOCK_MONOTONIC, &start);
	printf("OmniRTC %s\n", omnirtc_version());
	peer alice = {.name = "alice"}, bob = {.name = "bob"};
	alice.remote = &bob;
	bob.remote = &alice;
	check(omnirtc_peer_create(CONFIG, on_event, &alice, &alice.id), "create alice");
	check(omnirtc_peer_create(CONFIG, on_event, &bob, &bob.id), "create bob");
	check(omnirtc_channel_create(alice.id, "files", "{\"ordered\":true}", &alice.channel), "create channel");

	/* Signaling, in-process: the offer and answer are passed directly.  Each
	 * side hands its description to the other before applying it locally,
	 * since applying it starts gathering and so the trickled candidates. */
	char *offer, *answer;
	check(omnirtc_peer_create_offer(alice.id, NULL, &offer), "create_offer");
	check(omnirtc_peer_set_remote_description(bob.id, "offer", offer), "bob remote");
	check(omnirtc_peer_set_local_description(alice.id, "offer", offer), "alice local");
	check(omnirtc_peer_create_answer(bob.id, NULL, &answer), "create_answer");
	check(omnirtc_peer_set_remote_description(alice.id, "answer", answer), "alice remote");
	check(omnirtc_peer_set_local_description(bob.id, "answer", answer), "bob local");
	printf("%8.1f ms  offer/answer exchanged (%zu + %zu bytes of SDP)\n", ms(), strlen(offer), strlen(answer));
	omnirtc_free(offer);
	omnirtc_free(answer);

	wait_for(&alice.open, sizeof(int), 1);
	wait_for(&bob.open, sizeof(int), 1);
	check(omnirtc_channel_send(alice.channel, "hello bob", 9, 0), "send");
	check(omnirtc_channel_send(bob.channel, "hello alice", 11, 0), "send");

	/* The file: 64 KiB messages, paced by the buffered-amount-low event. */
	double file_start = ms();
	uint8_t *file = malloc(FILE_SIZE);
	uint32_t sum = 0;
	for (size_t i = 0; i < FILE_SIZE; i++) {
		file[i] = (uint8_t)(i * 7 + i / 4096);
		sum = sum * 31 + file[i];
	}
	check(omnirtc_channel_set_buffered_amount_low_threshold(alice.channel, 512 * 1024), "threshold");
	int lows = 0;
	for (size_t off = 0; off < FILE_SIZE; off += CHUNK) {
		uint64_t buffered;
		check(omnirtc_channel_get_buffered_amount(alice.channel, &buffered), "buffered_amount");
		if (buffered > 2 * 1024 * 1024)
			wait_for(&alice.low, sizeof(int), (size_t)++lows);
		check(omnirtc_channel_send(alice.channel, file + off, CHUNK, 1), "send file");
	}
	size_t want = FILE_SIZE;
	wait_for(&bob.file_bytes, sizeof(size_t), want);
	double took = ms() - file_start;
	printf("%8.1f ms  bob received the %d MiB file in %.1f ms (%.0f MiB/s), checksum %s\n", ms(), FILE_SIZE >> 20,
	       took, (FILE_SIZE / 1048576.0) / (took / 1e3), bob.checksum == sum ? "ok" : "BAD");
	free(file);

	char *stats;
	check(omnirtc_peer_get_stats(alice.id, &stats), "get_stats");
	printf("%8.1f ms  alice's stats report: %zu bytes of JSON\n", ms(), strlen(stats));
	omnirtc_free(stats);
	check(omnirtc_peer_close(alice.id), "close alice");
	check(omnirtc_peer_close(bob.id), "close bob");
	printf("%8.1f ms  closed\n", ms());
	return bob.checksum == sum ? 0 : 1;
}
