/* The C ABI side of `./build.sh bench media`; bench/pion-media/main.go runs
 * the same workloads on native pion.
 *
 *   bench_media rtp PACKETS           one RTP track a -> b, 1200-byte packets
 *                                     written as fast as the API takes them;
 *                                     the read phase's CPU but the writing
 *                                     thread's, per delivered packet
 *   bench_media forward STREAMS SECS  a sends STREAMS 2.5 Mbit/s RTP streams to
 *                                     b, b forwards each to c (all SRTP); CPU
 *                                     of the whole process per stream
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

/* Like for like with the pion program: the system's socket buffers (OmniRTC's
 * default of 4 MiB lets the receiver take in more of an unpaced burst, and so
 * spend more of the shared CPU, which slows the writer being measured). */
#define CONFIG                                                                                      \
	"{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\",\"networkTypes\":[\"udp4\"]," \
	"\"udpBufferSize\":0}}"
#define PAYLOAD 1200
#define STREAM_BPS 2500000
#define MAX_STREAMS 1024

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void) { return cpu_seconds_of(RUSAGE_SELF); }

/* What the receiving and forwarding callbacks share. */
static atomic_ullong received;
static atomic_int tracks_seen;
static _Atomic omnirtc_track_t first_remote; /* the rtp workload's remote track */
static double first_rx, last_rx;
static omnirtc_track_t forward_to[MAX_STREAMS]; /* b: stream index -> outgoing track */
static omnirtc_track_t remote_of[MAX_STREAMS];  /* b: stream index -> incoming track */
static atomic_int forwarding;

static int stream_index(const char *info) {
	const char *id = strstr(info, "\"id\":\"s");
	return id != NULL ? atoi(id + 7) : -1;
}

/* c (and b in the rtp workload): counts packets. */
static void on_sink(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	if (e->type == OMNIRTC_EVENT_TRACK) {
		OK(omnirtc_track_set_receive(e->track.track, "{\"mode\":\"rtp\"}"));
		atomic_store(&first_remote, e->track.track);
		atomic_fetch_add(&tracks_seen, 1);
	} else if (e->type == OMNIRTC_EVENT_TRACK_RTP) {
		double t = now();
		if (atomic_fetch_add(&received, 1) == 0)
			first_rx = t;
		last_rx = t;
	}
}

/* b in the forward workload: every packet of stream i goes out on forward_to[i]. */
static void on_forwarder(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	if (e->type == OMNIRTC_EVENT_TRACK) {
		int i = stream_index(e->track.info_json);
		if (i >= 0 && i < MAX_STREAMS)
			remote_of[i] = e->track.track;
		OK(omnirtc_track_set_receive(e->track.track, "{\"mode\":\"rtp\"}"));
	} else if (e->type == OMNIRTC_EVENT_TRACK_RTP && atomic_load(&forwarding)) {
		for (int i = 0; i < MAX_STREAMS; i++) {
			if (remote_of[i] == e->rtp.track) {
				omnirtc_track_write_rtp(forward_to[i], NULL, e->rtp.data, e->rtp.size);
				break;
			}
		}
	}
}

/* Offer/answer without trickle, then both connected. */
static void connect_peers(omnirtc_peer_t a, omnirtc_peer_t b) {
	omnirtc_peer_t order[2][2] = {{a, b}, {b, a}};
	for (int k = 0; k < 2; k++) {
		omnirtc_peer_t from = order[k][0], to = order[k][1];
		OK(omnirtc_peer_set_local_description(from, NULL, NULL));
		for (int32_t g = 0; g != OMNIRTC_ICE_GATHERING_COMPLETE; usleep(2000))
			OK(omnirtc_peer_get_ice_gathering_state(from, &g));
		char *type, *sdp;
		OK(omnirtc_peer_get_description(from, OMNIRTC_DESCRIPTION_LOCAL, &type, &sdp));
		OK(omnirtc_peer_set_remote_description(to, type, sdp));
		omnirtc_free(type);
		omnirtc_free(sdp);
	}
	for (int32_t sa = 0, sb = 0; sa != OMNIRTC_PEER_CONNECTED || sb != OMNIRTC_PEER_CONNECTED; usleep(2000)) {
		OK(omnirtc_peer_get_connection_state(a, &sa));
		OK(omnirtc_peer_get_connection_state(b, &sb));
	}
}

static omnirtc_track_t rtp_track(omnirtc_peer_t peer, int index) {
	char init[96];
	snprintf(init, sizeof init, "{\"codec\":\"vp8\",\"mode\":\"rtp\",\"id\":\"s%d\"}", index);
	omnirtc_track_t t;
	omnirtc_transceiver_t tr;
	OK(omnirtc_track_create(init, &t));
	OK(omnirtc_peer_add_transceiver(peer, NULL, t, "{\"direction\":\"sendonly\"}", &tr));
	return t;
}

static void packet(uint8_t *p, uint16_t seq, uint32_t ts) {
	memset(p, 0, 12 + PAYLOAD);
	p[0] = 0x80;
	p[1] = 96;
	p[2] = (uint8_t)(seq >> 8);
	p[3] = (uint8_t)seq;
	p[4] = (uint8_t)(ts >> 24);
	p[5] = (uint8_t)(ts >> 16);
	p[6] = (uint8_t)(ts >> 8);
	p[7] = (uint8_t)ts;
	p[12] = 0x10; /* a VP8 descriptor: start of partition */
}

static void bench_rtp(long count) {
	omnirtc_peer_t a, b;
	OK(omnirtc_peer_create(CONFIG, NULL, NULL, &a));
	OK(omnirtc_peer_create(CONFIG, on_sink, NULL, &b));
	omnirtc_track_t t = rtp_track(a, 0);
	connect_peers(a, b);
	uint8_t p[12 + PAYLOAD];
	for (int i = 0; atomic_load(&tracks_seen) == 0; i++) { /* until b reads the track */
		packet(p, (uint16_t)i, 0);
		OK(omnirtc_track_write_rtp(t, NULL, p, sizeof p));
		usleep(1000);
	}
	usleep(100000);
	/* The write path, with the receiver reading and dropping in the library
	 * (as the pion program's reader does) so it does not compete for CPU
	 * with callbacks; then the read path, every packet to the callback. */
	OK(omnirtc_track_set_receive(atomic_load(&first_remote), "{\"mode\":\"none\"}"));
	double start = now();
	for (long i = 0; i < count; i++) {
		packet(p, (uint16_t)(1000 + i), (uint32_t)(i / 4) * 3000);
		OK(omnirtc_track_write_rtp(t, NULL, p, sizeof p));
	}
	double written = now() - start;
	usleep(500000);
	OK(omnirtc_track_set_receive(atomic_load(&first_remote), "{\"mode\":\"rtp\"}"));
	atomic_store(&received, 0);
	/* The CPU of the read phase but this (the writing) thread's, which
	 * other processes' load does not change as it changes read_pps. */
	double cpu0 = cpu_seconds(), writer0 = cpu_seconds_of(RUSAGE_THREAD);
	for (long i = 0; i < count; i++) {
		packet(p, (uint16_t)(1000 + count + i), (uint32_t)((count + i) / 4) * 3000);
		OK(omnirtc_track_write_rtp(t, NULL, p, sizeof p));
	}
	usleep(1000000);
	double rest = cpu_seconds() - cpu0 - (cpu_seconds_of(RUSAGE_THREAD) - writer0);
	unsigned long long got = atomic_load(&received);
	printf("write_pps %.0f\n", (double)count / written);
	printf("read_pps %.0f\n", got > 1 ? (double)(got - 1) / (last_rx - first_rx) : 0.0);
	printf("delivered_pct %.1f\n", 100.0 * (double)got / (double)count);
	printf("read_cpu_us_per_packet %.2f\n", got > 0 ? 1e6 * rest / (double)got : 0.0);
	OK(omnirtc_peer_close(a));
	OK(omnirtc_peer_close(b));
}

static void bench_forward(int streams, int seconds) {
	omnirtc_peer_t a, b1, b2, c;
	OK(omnirtc_peer_create(CONFIG, NULL, NULL, &a));
	OK(omnirtc_peer_create(CONFIG, on_forwarder, NULL, &b1));
	OK(omnirtc_peer_create(CONFIG, NULL, NULL, &b2));
	OK(omnirtc_peer_create(CONFIG, on_sink, NULL, &c));
	omnirtc_track_t *in = calloc((size_t)streams, sizeof *in);
	for (int i = 0; i < streams; i++) {
		in[i] = rtp_track(a, i);
		forward_to[i] = rtp_track(b2, i);
	}
	connect_peers(a, b1);
	connect_peers(b2, c);
	atomic_store(&forwarding, 1);
	uint8_t p[12 + PAYLOAD];
	double pps = (double)STREAM_BPS / 8.0 / (12 + PAYLOAD), due = 0;
	double start = now(), measure_from = start + 1.0, end = measure_from + seconds, cpu0 = 0;
	unsigned long long rx0 = 0;
	uint32_t seq = 0;
	int measuring = 0;
	while (now() < end) {
		if (!measuring && now() >= measure_from) { /* one second of warm-up first */
			measuring = 1;
			cpu0 = cpu_seconds();
			rx0 = atomic_load(&received);
		}
		due += pps * 0.005;
		for (; due >= 1; due -= 1, seq++) {
			packet(p, (uint16_t)seq, seq * 3000);
			for (int i = 0; i < streams; i++)
				OK(omnirtc_track_write_rtp(in[i], NULL, p, sizeof p));
		}
		usleep(5000);
	}
	double cpu = cpu_seconds() - cpu0;
	unsigned long long forwarded = atomic_load(&received) - rx0;
	printf("cpu_pct_per_stream %.2f\n", 100.0 * cpu / seconds / streams);
	printf("forwarded_pct %.1f\n", 100.0 * (double)forwarded / (pps * seconds * streams));
	OK(omnirtc_peer_close(a));
	OK(omnirtc_peer_close(b1));
	OK(omnirtc_peer_close(b2));
	OK(omnirtc_peer_close(c));
	free(in);
}

int main(int argc, char **argv) {
	if (argc >= 3 && strcmp(argv[1], "rtp") == 0) {
		bench_rtp(atol(argv[2]));
	} else if (argc >= 4 && strcmp(argv[1], "forward") == 0) {
		int streams = atoi(argv[2]);
		if (streams < 1 || streams > MAX_STREAMS)
			return 2;
		bench_forward(streams, atoi(argv[3]));
	} else {
		fprintf(stderr, "usage: %s rtp PACKETS | forward STREAMS SECONDS\n", argv[0]);
		return 2;
	}
	return 0;
}
