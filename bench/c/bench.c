/* The C ABI side of `./build.sh bench`.  bench/pion/main.go runs the same
 * workloads on native pion; scripts/bench.sh compares the two.
 *
 *   bench setup PAIRS          createOffer to both channels open, per pair
 *   bench throughput MIB       one reliable channel, 64 KiB messages
 *   bench rate MESSAGES        100-byte messages on one reliable channel
 *   bench idle PEERS [mux]     RSS, goroutines, heap and stacks per idle connected peer
 *
 * Output: one "name value" line per result. */
#define _GNU_SOURCE
#include "bench.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* BENCH_ENGINE adds engine keys to every peer's "omnirtc" section, for
 * example ',"udpBufferSize":0' to run on the system's socket buffers. */
#define CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"networkTypes\":[\"udp4\"]%s%s}}"
#define BULK_MESSAGE (64 * 1024)
#define SMALL_MESSAGE 100
#define HIGH_WATER (4u << 20)
#define LOW_WATER (1u << 20)

struct pair {
	side_t a, b;
	omnirtc_channel_t local;
	_Atomic omnirtc_channel_t remote;
	atomic_int opened;
	atomic_ullong bytes, messages;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int low; /* BUFFERED_AMOUNT_LOW since the sender last looked */
};

static atomic_long pairs_open; /* pairs whose two channels are open */

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_event(void *user_data, const omnirtc_event_t *e) {
	side_t *s = user_data;
	pair_t *p = s->pair;
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_CANDIDATE: trickle(*s->other, e); break;
	case OMNIRTC_EVENT_DATA_CHANNEL: atomic_store(&p->remote, e->channel.channel); break;
	case OMNIRTC_EVENT_CHANNEL_OPEN:
		if (atomic_fetch_add(&p->opened, 1) == 1)
			atomic_fetch_add(&pairs_open, 1);
		break;
	case OMNIRTC_EVENT_CHANNEL_MESSAGE:
		atomic_fetch_add(&p->bytes, e->message.size);
		atomic_fetch_add(&p->messages, 1);
		break;
	case OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW:
		pthread_mutex_lock(&p->mu);
		p->low = 1;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
		break;
	}
}

/* pair_start creates two peers and a channel and starts negotiating; the
 * remote description reaches each side before its candidates can. */
static pair_t *pair_start(const char *config_a, const char *config_b, double *started) {
	pair_t *p = calloc(1, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->a = (side_t){p, 0, &p->b.self};
	p->b = (side_t){p, 0, &p->a.self};
	OK(omnirtc_peer_create(config_a, on_event, &p->a, &p->a.self));
	OK(omnirtc_peer_create(config_b, on_event, &p->b, &p->b.self));
	OK(omnirtc_channel_create(p->a.self, "bench", NULL, &p->local));
	if (started)
		*started = now();
	negotiate(p->a.self, p->b.self);
	return p;
}

static void wait_open(pair_t *p) {
	for (double deadline = now() + 30; atomic_load(&p->opened) < 2; usleep(50))
		if (now() > deadline) {
			fprintf(stderr, "channels did not open\n");
			exit(1);
		}
}

static void pair_close(pair_t *p) {
	omnirtc_peer_close(p->a.self);
	omnirtc_peer_close(p->b.self);
}

static char *config(const char *extra) {
	static char buf[4][256];
	static int next;
	char *c = buf[next++ % 4];
	const char *engine = getenv("BENCH_ENGINE");
	snprintf(c, sizeof buf[0], CONFIG, extra, engine ? engine : "");
	return c;
}

static int cmp_double(const void *x, const void *y) {
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static void setup(int pairs) {
	double *ms = calloc(pairs, sizeof *ms);
	for (int i = 0; i < pairs; i++) {
		double t0;
		pair_t *p = pair_start(config(""), config(""), &t0);
		wait_open(p);
		ms[i] = (now() - t0) * 1e3;
		pair_close(p);
	}
	qsort(ms, pairs, sizeof *ms, cmp_double);
	printf("setup_median_ms %.2f\nsetup_p95_ms %.2f\n", ms[pairs / 2], ms[(pairs * 95) / 100]);
}

/* send_all sends count messages of size bytes, keeping at most HIGH_WATER
 * buffered, and returns the seconds until the remote received them all. */
static double send_all(size_t size, long count) {
	pair_t *p = pair_start(config(""), config(""), NULL);
	wait_open(p);
	OK(omnirtc_channel_set_buffered_amount_low_threshold(p->local, LOW_WATER));
	unsigned char *msg = malloc(size);
	memset(msg, 'x', size);
	double t0 = now();
	for (long i = 0; i < count; i++) {
		uint64_t buffered;
		OK(omnirtc_channel_get_buffered_amount(p->local, &buffered));
		if (buffered > HIGH_WATER) {
			pthread_mutex_lock(&p->mu);
			p->low = 0;
			OK(omnirtc_channel_get_buffered_amount(p->local, &buffered));
			while (buffered > LOW_WATER && !p->low)
				pthread_cond_wait(&p->cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
		}
		OK(omnirtc_channel_send(p->local, msg, size, 1));
	}
	while (atomic_load(&p->messages) < (unsigned long long)count)
		usleep(100);
	double seconds = now() - t0;
	if (atomic_load(&p->bytes) != (unsigned long long)count * size) {
		fprintf(stderr, "received %llu bytes, sent %llu\n", atomic_load(&p->bytes),
		        (unsigned long long)count * size);
		exit(1);
	}
	free(msg);
	pair_close(p);
	return seconds;
}

/* counter reads one number of omnirtc_debug_counters, -1 if absent. */
static long counter(const char *name) {
	char *json, key[64];
	OK(omnirtc_debug_counters(&json));
	snprintf(key, sizeof key, "\"%s\":", name);
	const char *g = strstr(json, key);
	long n = g ? atol(g + strlen(key)) : -1;
	omnirtc_free(json);
	return n;
}

/* idle connects peers/2 pairs, WINDOW at a time, then measures the process
 * at rest.  With mux, side A's peers share UDP port 50000, as a server's
 * would; side B's stay on their own ports, since a mux tells peers apart by
 * their remote address and B plays many clients.  IPv4 only, one socket per
 * peer without mux: this machine allows 20,000 open files per process. */
#define WINDOW 32
static void idle(int peers, int mux) {
	int pairs = peers / 2;
	struct rlimit nofile;
	getrlimit(RLIMIT_NOFILE, &nofile);
	nofile.rlim_cur = nofile.rlim_max;
	setrlimit(RLIMIT_NOFILE, &nofile);
	const char *ca = config(mux ? ",\"udpMuxPort\":50000" : "");
	const char *cb = config("");
	long base_rss = rss_kib(), base_goroutines = counter("goroutines");
	long base_heap = counter("heapBytes"), base_stack = counter("stackBytes");
	double t0 = now();
	for (int i = 0; i < pairs; i++) {
		while (i - atomic_load(&pairs_open) >= WINDOW)
			usleep(100);
		pair_start(ca, cb, NULL);
	}
	while (atomic_load(&pairs_open) < pairs) {
		if (now() - t0 > 60 + pairs / 10.0) {
			fprintf(stderr, "only %ld of %d pairs connected\n", atomic_load(&pairs_open), pairs);
			exit(1);
		}
		usleep(1000);
	}
	double connect_s = now() - t0;
	sleep(5); /* let start-up garbage be collected */
	peers = 2 * pairs;
	printf("idle_peers %d\nidle_connect_s %.1f\nidle_rss_kib_per_peer %.1f\nidle_goroutines_per_peer %.2f\n"
	       "idle_heap_kib_per_peer %.1f\nidle_stack_kib_per_peer %.1f\n",
	       peers, connect_s, (double)(rss_kib() - base_rss) / peers,
	       (double)(counter("goroutines") - base_goroutines) / peers,
	       (double)(counter("heapBytes") - base_heap) / 1024 / peers,
	       (double)(counter("stackBytes") - base_stack) / 1024 / peers);
	fflush(stdout);
	_exit(0); /* tearing down thousands of peers is not what is measured */
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: bench setup|throughput|rate|idle N [mux]\n");
		return 2;
	}
	long n = atol(argv[2]);
	if (!strcmp(argv[1], "setup")) {
		setup((int)n);
	} else if (!strcmp(argv[1], "throughput")) {
		long count = n * 1024 * 1024 / BULK_MESSAGE;
		printf("throughput_mib_s %.1f\n", n / send_all(BULK_MESSAGE, count));
	} else if (!strcmp(argv[1], "rate")) {
		printf("rate_msgs_s %.0f\n", n / send_all(SMALL_MESSAGE, n));
	} else if (!strcmp(argv[1], "idle")) {
		idle((int)n, argc > 3 && !strcmp(argv[3], "mux"));
	} else {
		fprintf(stderr, "unknown workload %s\n", argv[1]);
		return 2;
	}
	return 0;
}
