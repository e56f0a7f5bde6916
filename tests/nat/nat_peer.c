/*
 * One peer of the NAT traversal suite (scripts/test-nat.sh), run in its own
 * network namespace.  The two peers exchange complete session descriptions
 * through files in a shared directory (no trickle), then the offerer sends
 * BYTES of a known pattern on a reliable channel and the answerer checks every
 * byte and replies "done".  Each writes its getStats JSON to DIR/<role>.stats.
 *
 *   nat_peer offer|answer DIR CONFIG_JSON BYTES
 *   nat_peer gather DIR CONFIG_JSON COUNT   COUNT peers gather; prints "relay N srflx M"
 */
#define _POSIX_C_SOURCE 200809L
#include <omnirtc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK 65536
#define TIMEOUT_S 60

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int gathered, channel_open, done, failed, low, remote_gone;
static int relay_candidates, srflx_candidates;
static omnirtc_channel_t channel;
static unsigned long long received;
static int offerer;

static void check(omnirtc_status_t status, const char *what) {
	if (status != OMNIRTC_OK) {
		fprintf(stderr, "%s failed: %s: %s\n", what, omnirtc_status_string(status), omnirtc_last_error());
		exit(1);
	}
}

static uint8_t pattern(unsigned long long i) { return (uint8_t)((i * 2654435761ULL) >> 13); }

static void on_event(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	pthread_mutex_lock(&mu);
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_CANDIDATE:
		if (strstr(e->ice_candidate.candidate, " typ relay") != NULL)
			relay_candidates++;
		if (strstr(e->ice_candidate.candidate, " typ srflx") != NULL)
			srflx_candidates++;
		break;
	case OMNIRTC_EVENT_ICE_GATHERING_STATE:
		if (e->state.value == OMNIRTC_ICE_GATHERING_COMPLETE)
			gathered++;
		break;
	case OMNIRTC_EVENT_CONNECTION_STATE:
		fprintf(stderr, "%s: connection %s\n", offerer ? "offerer" : "answerer", e->state.name);
		if (e->state.value == OMNIRTC_PEER_FAILED)
			failed = 1;
		if (e->state.value == OMNIRTC_PEER_CLOSED || e->state.value == OMNIRTC_PEER_DISCONNECTED)
			remote_gone = 1;
		break;
	case OMNIRTC_EVENT_DATA_CHANNEL: channel = e->channel.channel; break;
	case OMNIRTC_EVENT_CHANNEL_OPEN: channel_open = 1; break;
	case OMNIRTC_EVENT_CHANNEL_CLOSE: remote_gone = 1; break;
	case OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW: low = 1; break;
	case OMNIRTC_EVENT_CHANNEL_MESSAGE:
		if (offerer) {
			done = e->message.size == 4 && memcmp(e->message.data, "done", 4) == 0;
			break;
		}
		for (size_t i = 0; i < e->message.size; i++) {
			if (e->message.data[i] != pattern(received + i)) {
				fprintf(stderr, "answerer: byte %llu differs\n", received + i);
				failed = 1;
				break;
			}
		}
		received += e->message.size;
		break;
	}
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&mu);
}

/* Waits until *flag is set or the peer failed; a timeout or failure exits. */
static void wait_for(const int *flag, const char *what) {
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += TIMEOUT_S;
	pthread_mutex_lock(&mu);
	while (!*flag && !failed) {
		if (pthread_cond_timedwait(&changed, &mu, &deadline) != 0) {
			fprintf(stderr, "timed out waiting for %s\n", what);
			exit(1);
		}
	}
	if (failed) {
		fprintf(stderr, "failed while waiting for %s\n", what);
		exit(1);
	}
	pthread_mutex_unlock(&mu);
}

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
		if (tries > TIMEOUT_S * 100) {
			fprintf(stderr, "%s never appeared\n", path);
			exit(1);
		}
		nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
	}
	static char text[1 << 16];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void publish_local(omnirtc_peer_t peer, const char *dir, const char *name) {
	check(omnirtc_peer_set_local_description(peer, NULL, NULL), "set_local_description");
	wait_for(&gathered, "ICE gathering");
	char *sdp;
	check(omnirtc_peer_get_description(peer, OMNIRTC_DESCRIPTION_LOCAL, NULL, &sdp), "get_description");
	write_file(dir, name, sdp);
	omnirtc_free(sdp);
}

static void send_all(unsigned long long total) {
	static uint8_t buf[CHUNK];
	check(omnirtc_channel_set_buffered_amount_low_threshold(channel, 1 << 20), "set threshold");
	for (unsigned long long sent = 0; sent < total;) {
		size_t n = total - sent < CHUNK ? (size_t)(total - sent) : CHUNK;
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(sent + i);
		uint64_t buffered;
		check(omnirtc_channel_get_buffered_amount(channel, &buffered), "buffered amount");
		if (buffered > (4 << 20)) {
			pthread_mutex_lock(&mu);
			low = 0;
			pthread_mutex_unlock(&mu);
			check(omnirtc_channel_get_buffered_amount(channel, &buffered), "buffered amount");
			if (buffered > (4 << 20))
				wait_for(&low, "bufferedamountlow");
			continue;
		}
		check(omnirtc_channel_send(channel, buf, n, 1), "send");
		sent += n;
	}
}

static void save_stats(omnirtc_peer_t peer, const char *dir, const char *name) {
	char *json;
	check(omnirtc_peer_get_stats(peer, &json), "get_stats");
	write_file(dir, name, json);
	omnirtc_free(json);
}

static int gather(const char *config, int count) {
	omnirtc_peer_t peers[64];
	if (count < 1 || count > 64)
		return 2;
	for (int i = 0; i < count; i++) {
		check(omnirtc_peer_create(config, on_event, NULL, &peers[i]), "peer_create");
		omnirtc_channel_t ch;
		check(omnirtc_channel_create(peers[i], "probe", NULL, &ch), "channel_create");
		check(omnirtc_peer_set_local_description(peers[i], NULL, NULL), "set_local_description");
		/* one peer at a time, so the server sees them in order (the quota test) */
		pthread_mutex_lock(&mu);
		while (gathered < i + 1)
			pthread_cond_wait(&changed, &mu);
		pthread_mutex_unlock(&mu);
	}
	printf("relay %d srflx %d\n", relay_candidates, srflx_candidates);
	fflush(stdout);
	for (int i = 0; i < count; i++)
		check(omnirtc_peer_close(peers[i]), "peer_close");
	return 0;
}

int main(int argc, char **argv) {
	if (argc != 5) {
		fprintf(stderr, "usage: %s offer|answer|gather DIR CONFIG_JSON BYTES|COUNT\n", argv[0]);
		return 2;
	}
	const char *dir = argv[2], *config = argv[3];
	unsigned long long bytes = strtoull(argv[4], NULL, 10);
	if (strcmp(argv[1], "gather") == 0)
		return gather(config, (int)bytes);
	offerer = strcmp(argv[1], "offer") == 0;
	omnirtc_peer_t peer;
	check(omnirtc_peer_create(config, on_event, NULL, &peer), "peer_create");
	if (offerer) {
		check(omnirtc_channel_create(peer, "bulk", NULL, &channel), "channel_create");
		publish_local(peer, dir, "offer.sdp");
		check(omnirtc_peer_set_remote_description(peer, "answer", read_file_when_present(dir, "answer.sdp")),
		      "set_remote_description");
		wait_for(&channel_open, "channel open");
		send_all(bytes);
		wait_for(&done, "the answerer's done");
		save_stats(peer, dir, "offer.stats");
		printf("offerer: sent %llu bytes\n", bytes);
	} else {
		check(omnirtc_peer_set_remote_description(peer, "offer", read_file_when_present(dir, "offer.sdp")),
		      "set_remote_description");
		publish_local(peer, dir, "answer.sdp");
		wait_for(&channel_open, "channel open");
		struct timespec start;
		clock_gettime(CLOCK_MONOTONIC, &start);
		pthread_mutex_lock(&mu);
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += TIMEOUT_S;
		while (received < bytes && !failed)
			if (pthread_cond_timedwait(&changed, &mu, &deadline) != 0)
				break;
		unsigned long long got = received;
		int bad = failed;
		pthread_mutex_unlock(&mu);
		if (bad || got != bytes) {
			fprintf(stderr, "answerer: received %llu of %llu bytes%s\n", got, bytes,
			        bad ? " (corrupt)" : "");
			return 1;
		}
		struct timespec end;
		clock_gettime(CLOCK_MONOTONIC, &end);
		double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
		save_stats(peer, dir, "answer.stats");
		check(omnirtc_channel_send(channel, "done", 4, 0), "send done");
		printf("answerer: received %llu bytes intact in %.3f s (%.1f MiB/s)\n", got, seconds,
		       (double)got / 1048576.0 / seconds);
		/* Close only once the offerer has closed (after "done" reached it): a
		 * fixed pause lost "done" on a relay slowed by the flood test. */
		pthread_mutex_lock(&mu);
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += TIMEOUT_S;
		while (!remote_gone && !failed)
			if (pthread_cond_timedwait(&changed, &mu, &deadline) != 0)
				break;
		pthread_mutex_unlock(&mu);
	}
	check(omnirtc_peer_close(peer), "peer_close");
	return 0;
}
