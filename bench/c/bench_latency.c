/* The C ABI side of `./build.sh bench latency`; bench/pion/latency.go and
 * bench/node/latency.js run the same workload on native pion and on
 * node-datachannel.
 *
 *   bench_latency PAIRS [rtp]
 *
 * PAIRS connected pairs in one process (one UDP socket per peer), each
 * sending a 100-byte message every 20 ms on a reliable, ordered channel, a
 * pair's phase spread evenly over the 20 ms; with rtp, each pair also sends
 * a 100-byte RTP packet (opus) every 20 ms.  One thread sends for every pair.
 * Each message carries the time it was due to be sent (so a sender that
 * falls behind shows as latency, not as fewer samples) and the time it was
 * sent; one-way latency is the receiving callback's clock minus the first,
 * send_lag the second minus the first, in_stack the clock minus the second
 * (the library's share, whatever the sending thread's luck).  After WARMUP seconds, the
 * messages due in the next SECONDS seconds (BENCH_SECONDS, default 20) are
 * measured.  BENCH_GC="PERCENT,LIMIT_BYTES" calls omnirtc_set_gc first.
 *
 * Output: one "name value" line per result: latency percentiles, the share
 * delivered, the process's CPU (percent of one core) and RSS, and the Go
 * collector's stop-the-world pauses in the window (omnirtc_debug_counters
 * "gcPauses", bucket upper bounds). */
#define _GNU_SOURCE
#include "bench.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"networkTypes\":[\"udp4\"]}}"
#define MESSAGE 100
#define PERIOD_NS 20000000ll
#define WARMUP_S 3
#define WINDOW 32 /* pairs connecting at once */
#define MAX_BUCKETS 512

struct pair {
	side_t a, b;
	omnirtc_channel_t local;
	omnirtc_track_t track;
	atomic_int opened;
};

/* One-way latencies in ms of what was due in [window_start, window_end). */
typedef struct {
	float *ms;
	atomic_size_t n;
	size_t cap;
} samples_t;

/* send_lag: when sent minus when due; in_stack: received minus when sent */
static samples_t channel_samples, rtp_samples, send_lag, in_stack;
static int64_t window_start, window_end;
static atomic_long pairs_open, tracks_seen;

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* record adds now - since for what was due at due. */
static void record_since(samples_t *s, int64_t due, int64_t since) {
	if (due < window_start || due >= window_end)
		return;
	size_t i = atomic_fetch_add(&s->n, 1);
	if (i < s->cap)
		s->ms[i] = (float)((double)(now_ns() - since) / 1e6);
}

static void record(samples_t *s, int64_t due) { record_since(s, due, due); }

static int64_t stamp_at(const uint8_t *p) {
	int64_t t;
	memcpy(&t, p, sizeof t);
	return t;
}

static void on_event(void *user_data, const omnirtc_event_t *e) {
	side_t *s = user_data;
	pair_t *p = s->pair;
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_CANDIDATE: trickle(*s->other, e); break;
	case OMNIRTC_EVENT_CHANNEL_OPEN:
		if (atomic_fetch_add(&p->opened, 1) == 1)
			atomic_fetch_add(&pairs_open, 1);
		break;
	case OMNIRTC_EVENT_CHANNEL_MESSAGE:
		if (e->message.size >= 2 * sizeof(int64_t)) { /* when due, when sent */
			record(&channel_samples, stamp_at(e->message.data));
			record_since(&in_stack, stamp_at(e->message.data),
			             stamp_at((const uint8_t *)e->message.data + 8));
		}
		break;
	case OMNIRTC_EVENT_TRACK:
		OK(omnirtc_track_set_receive(e->track.track, "{\"mode\":\"rtp\"}"));
		atomic_fetch_add(&tracks_seen, 1);
		break;
	case OMNIRTC_EVENT_TRACK_RTP: /* the stamp is the packet's last 8 bytes */
		if (e->rtp.size >= 12 + sizeof(int64_t))
			record(&rtp_samples, stamp_at((const uint8_t *)e->rtp.data + e->rtp.size - sizeof(int64_t)));
		break;
	}
}

static pair_t *pair_start(int rtp) {
	pair_t *p = calloc(1, sizeof *p);
	p->a = (side_t){p, 0, &p->b.self};
	p->b = (side_t){p, 0, &p->a.self};
	OK(omnirtc_peer_create(CONFIG, on_event, &p->a, &p->a.self));
	OK(omnirtc_peer_create(CONFIG, on_event, &p->b, &p->b.self));
	OK(omnirtc_channel_create(p->a.self, "latency", NULL, &p->local));
	if (rtp) {
		omnirtc_transceiver_t tr;
		OK(omnirtc_track_create("{\"codec\":\"opus\",\"mode\":\"rtp\"}", &p->track));
		OK(omnirtc_peer_add_transceiver(p->a.self, NULL, p->track, "{\"direction\":\"sendonly\"}", &tr));
	}
	negotiate(p->a.self, p->b.self);
	return p;
}

static double cpu_seconds(void) { return cpu_seconds_of(RUSAGE_SELF); }

/* The collector's pause histogram: bucket upper bounds (s) and counts. */
typedef struct {
	double upper[MAX_BUCKETS];
	double count[MAX_BUCKETS];
	int n;
} pauses_t;

static void read_pauses(pauses_t *h) {
	char *json;
	OK(omnirtc_debug_counters(&json));
	h->n = 0;
	const char *s = strstr(json, "\"gcPauses\":[");
	if (s != NULL) {
		s += strlen("\"gcPauses\":[");
		while (*s == '[' && h->n < MAX_BUCKETS) {
			char *end;
			h->upper[h->n] = strtod(s + 1, &end);
			h->count[h->n] = strtod(end + 1, &end);
			h->n++;
			s = end + 1; /* past ']' */
			if (*s == ',')
				s++;
		}
	}
	omnirtc_free(json);
}

/* pause_stats prints the p99 and max of the pauses between two readings. */
static void pause_stats(const pauses_t *before, const pauses_t *after) {
	double diff[MAX_BUCKETS], total = 0;
	for (int i = 0; i < after->n; i++) {
		diff[i] = after->count[i];
		for (int j = 0; j < before->n; j++)
			if (before->upper[j] == after->upper[i])
				diff[i] -= before->count[j];
		total += diff[i];
	}
	double p99 = 0, max = 0, seen = 0;
	for (int i = 0; i < after->n; i++) {
		if (diff[i] <= 0)
			continue;
		if (seen < 0.99 * total)
			p99 = after->upper[i];
		seen += diff[i];
		max = after->upper[i];
	}
	printf("gc_pauses %.0f\ngc_pause_p99_ms %.3f\ngc_pause_max_ms %.3f\n", total, p99 * 1e3, max * 1e3);
}

static int cmp_float(const void *x, const void *y) {
	float a = *(const float *)x, b = *(const float *)y;
	return (a > b) - (a < b);
}

static void report(const char *name, samples_t *s, long expected) {
	size_t n = atomic_load(&s->n);
	if (n > s->cap)
		n = s->cap;
	qsort(s->ms, n, sizeof *s->ms, cmp_float);
	printf("%s_delivered_pct %.2f\n", name, 100.0 * (double)n / (double)expected);
	if (n == 0)
		return;
	printf("%s_p50_ms %.3f\n%s_p99_ms %.3f\n%s_p999_ms %.3f\n%s_max_ms %.3f\n", name, s->ms[n / 2], name,
	       s->ms[(size_t)((double)n * 0.99)], name, s->ms[(size_t)((double)n * 0.999)], name, s->ms[n - 1]);
}

static void sleep_until(int64_t t) {
	struct timespec ts = {(time_t)(t / 1000000000ll), (long)(t % 1000000000ll)};
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

int main(int argc, char **argv) {
	if (argc < 2 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: bench_latency PAIRS [rtp]\n");
		return 2;
	}
	int pairs = atoi(argv[1]);
	int rtp = argc > 2 && !strcmp(argv[2], "rtp");
	const char *seconds_env = getenv("BENCH_SECONDS"), *gc = getenv("BENCH_GC");
	int seconds = seconds_env ? atoi(seconds_env) : 20;
	if (gc != NULL) {
		long long limit = 0;
		int percent = 100;
		sscanf(gc, "%d,%lld", &percent, &limit);
		OK(omnirtc_set_gc(percent, limit));
	}
	struct rlimit nofile;
	getrlimit(RLIMIT_NOFILE, &nofile);
	nofile.rlim_cur = nofile.rlim_max;
	setrlimit(RLIMIT_NOFILE, &nofile);

	pair_t **all = calloc((size_t)pairs, sizeof *all);
	int64_t t0 = now_ns();
	for (int i = 0; i < pairs; i++) {
		while (i - atomic_load(&pairs_open) >= WINDOW)
			usleep(100);
		all[i] = pair_start(rtp);
	}
	while (atomic_load(&pairs_open) < pairs) {
		if (now_ns() - t0 > (60 + pairs / 10) * 1000000000ll) {
			fprintf(stderr, "only %ld of %d pairs connected\n", atomic_load(&pairs_open), pairs);
			return 1;
		}
		usleep(1000);
	}
	printf("pairs %d\nconnect_s %.1f\n", pairs, (double)(now_ns() - t0) / 1e9);

	long per_pair = seconds * (1000000000ll / PERIOD_NS);
	channel_samples.cap = rtp_samples.cap = send_lag.cap = in_stack.cap = (size_t)pairs * (size_t)per_pair + 1;
	channel_samples.ms = calloc(channel_samples.cap, sizeof(float));
	send_lag.ms = calloc(send_lag.cap, sizeof(float));
	in_stack.ms = calloc(in_stack.cap, sizeof(float));
	rtp_samples.ms = rtp ? calloc(rtp_samples.cap, sizeof(float)) : NULL;
	int64_t start = now_ns() + 100000000ll;
	window_start = start + WARMUP_S * 1000000000ll;
	window_end = window_start + seconds * 1000000000ll;
	int64_t step = PERIOD_NS / pairs;
	pauses_t before, after;
	double cpu0 = 0;
	int measuring = 0;
	int64_t in_send = 0, in_write_rtp = 0, slots = 0; /* ns in the calls, in the window */
	int64_t send_max = 0, write_rtp_max = 0;          /* the longest calls of the whole run */
	uint8_t msg[MESSAGE] = {0}, packet[12 + MESSAGE] = {0x80, 111};
	for (int64_t k = 0;; k++) { /* slot k: pair k % pairs, due at start + k * step */
		int64_t due = start + (k / pairs) * PERIOD_NS + (k % pairs) * step;
		/* A sender that fell behind stops 2 s after the window all the same:
		 * what it did not send counts as not delivered. */
		if (due >= window_end + 1000000000ll || now_ns() > window_end + 2000000000ll)
			break;
		if (!measuring && due >= window_start) {
			measuring = 1;
			read_pauses(&before);
			cpu0 = cpu_seconds();
		}
		if (due > now_ns() + 50000)
			sleep_until(due);
		pair_t *p = all[k % pairs];
		record(&send_lag, due);
		int64_t sent = now_ns();
		memcpy(msg, &due, sizeof due);
		memcpy(msg + sizeof due, &sent, sizeof sent);
		OK(omnirtc_channel_send(p->local, msg, sizeof msg, 1));
		int64_t after_send = now_ns();
		if (rtp) {
			uint16_t seq = (uint16_t)(k / pairs);
			uint32_t ts = (uint32_t)(k / pairs) * 960;
			packet[2] = (uint8_t)(seq >> 8), packet[3] = (uint8_t)seq;
			packet[4] = (uint8_t)(ts >> 24), packet[5] = (uint8_t)(ts >> 16);
			packet[6] = (uint8_t)(ts >> 8), packet[7] = (uint8_t)ts;
			memcpy(packet + sizeof packet - sizeof due, &due, sizeof due);
			OK(omnirtc_track_write_rtp(p->track, NULL, packet, sizeof packet));
		}
		if (after_send - sent > send_max)
			send_max = after_send - sent;
		if (now_ns() - after_send > write_rtp_max)
			write_rtp_max = now_ns() - after_send;
		if (measuring == 1) {
			slots++;
			in_send += after_send - sent;
			in_write_rtp += now_ns() - after_send;
		}
		if (measuring == 1 && (due >= window_end || now_ns() > window_end + 1000000000ll)) {
			measuring = 2;
			double cpu = cpu_seconds() - cpu0;
			read_pauses(&after);
			printf("cpu_pct %.1f\nrss_mib %.0f\n", 100.0 * cpu / seconds, (double)rss_kib() / 1024);
			printf("send_call_us %.1f\n", (double)in_send / 1e3 / (double)slots);
			if (rtp)
				printf("write_rtp_call_us %.1f\n", (double)in_write_rtp / 1e3 / (double)slots);
			pause_stats(&before, &after);
		}
	}
	sleep(1); /* the last second's stragglers */
	printf("send_call_max_ms %.3f\n", (double)send_max / 1e6);
	if (rtp)
		printf("write_rtp_call_max_ms %.3f\n", (double)write_rtp_max / 1e6);
	report("send_lag", &send_lag, pairs * per_pair);
	report("latency", &channel_samples, pairs * per_pair);
	report("in_stack", &in_stack, pairs * per_pair);
	if (rtp) {
		printf("rtp_tracks %ld\n", atomic_load(&tracks_seen));
		report("rtp", &rtp_samples, pairs * per_pair);
	}
	fflush(stdout);
	_exit(0); /* tearing down thousands of peers is not what is measured */
}
