/* Soak through the C ABI: CYCLES connect/exchange/close cycles, CONCURRENT
 * pairs at a time, each cycle a fresh pair that opens a channel, sends a
 * checked message each way and closes. Afterwards the debug counters
 * (handles, goroutines, sockets, live peers, queued events) must be back at
 * their baseline, and RSS must neither grow from cycle to cycle (end within
 * 10% + 4 MiB of where it stood half-way) nor end far above the
 * warm baseline (50% + 8 MiB: Go keeps freed heap and the last
 * sockets' buffers for a while).
 * With "media", each cycle instead sends a VP8 track: connect, send frames
 * until three arrive, close the track and the pair; the track, remote
 * track and transceiver handles must be back at their baseline too.
 * Usage: soak [CYCLES [CONCURRENT [media]]]  (default 300 50) */
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static atomic_long next_cycle, done_cycles;
static long total_cycles;
static int media; /* cycles send a track instead of a channel */

/* Live media handles of the kinds in omnirtc_debug_counters (absent: 0). */
static long media_handles(void) {
	char *json = NULL;
	OK(omnirtc_debug_counters(&json));
	long n = 0;
	const char *keys[] = {"\"track\":", "\"remote track\":", "\"transceiver\":"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *at = strstr(json, keys[i]);
		if (at != NULL)
			n += strtol(at + strlen(keys[i]), NULL, 10);
	}
	omnirtc_free(json);
	return n;
}

static void media_cycle(long n) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_track_t track;
	omnirtc_transceiver_t tr;
	OK(omnirtc_track_create("{\"codec\":\"vp8\"}", &track));
	OK(omnirtc_peer_add_track(a.id, track, &tr));
	connect_pair(&a, &b);
	uint8_t frame[300];
	memset(frame, (int)n, sizeof frame);
	for (int i = 0; count_events(&b, OMNIRTC_EVENT_TRACK_FRAME, 0) < 3; i++) {
		CHECK(i < 1500);           /* 30 s */
		frame[0] = i == 0 ? 0 : 1; /* a keyframe, then inter frames */
		OK(omnirtc_track_write_sample(track, NULL, frame, sizeof frame, 20000));
		sleep_ms(20);
	}
	CHECK(count_events(&b, OMNIRTC_EVENT_TRACK, 0) == 1);
	OK(omnirtc_track_close(track));
	close_pair(&a, &b);
}

static void cycle(long n) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "soak", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 30000);
	char msg[64];
	int len = snprintf(msg, sizeof msg, "cycle %ld", n);
	OK(omnirtc_channel_send(ca, msg, (size_t)len, 0));
	omnirtc_channel_t cb = remote_channel(&b, 0);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1, 30000);
	record_t *got = nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 0);
	CHECK(got->message.size == (size_t)len && memcmp(got->message.data, msg, (size_t)len) == 0);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, cb, 1, 30000);
	OK(omnirtc_channel_send(cb, msg, (size_t)len, 1));
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_MESSAGE, ca, 1, 30000);
	CHECK(memcmp(nth_event(&a, OMNIRTC_EVENT_CHANNEL_MESSAGE, ca, 0)->message.data, msg, (size_t)len) == 0);
	close_pair(&a, &b);
}

static void *worker(void *arg) {
	(void)arg;
	for (long n; (n = atomic_fetch_add(&next_cycle, 1)) < total_cycles;) {
		if (media)
			media_cycle(n);
		else
			cycle(n);
		atomic_fetch_add(&done_cycles, 1);
	}
	return NULL;
}

static long rss_kib(void) {
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, resident = 0;
	CHECK(f != NULL && fscanf(f, "%ld %ld", &pages, &resident) == 2);
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static double seconds(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run_cycles(long cycles, int concurrent) {
	total_cycles = cycles;
	atomic_store(&next_cycle, 0);
	pthread_t *ts = calloc((size_t)concurrent, sizeof(pthread_t));
	for (int i = 0; i < concurrent; i++)
		CHECK(pthread_create(&ts[i], NULL, worker, NULL) == 0);
	for (int i = 0; i < concurrent; i++)
		pthread_join(ts[i], NULL);
	free(ts);
}

int main(int argc, char **argv) {
	long cycles = argc > 1 ? atol(argv[1]) : 300;
	int concurrent = argc > 2 ? atoi(argv[2]) : 50;
	media = argc > 3 && strcmp(argv[3], "media") == 0;
	CHECK(cycles > 0 && concurrent > 0);
	/* Warm-up at full concurrency: pools and arenas that live for the
	 * process grow here, so the baseline is the steady state. */
	run_cycles(media ? 10L * concurrent : concurrent, concurrent); /* media peers take longer to settle */
	counters_t base = read_counters();
	for (int waited = 0; waited < 10000 && (base.live_peers || base.peers || base.channels || base.queued);
	     waited += 50) {
		sleep_ms(50);
		base = read_counters();
	}
	sleep_ms(500); /* the last sockets and goroutines of the warm-up wind down */
	base = read_counters();
	long media_base = media_handles();
	long rss_base = rss_kib(), rss_peak = rss_base, rss_half = 0;
	double start = seconds();
	atomic_store(&done_cycles, 0);
	total_cycles = cycles;
	atomic_store(&next_cycle, 0);
	pthread_t *ts = calloc((size_t)concurrent, sizeof(pthread_t));
	for (int i = 0; i < concurrent; i++)
		CHECK(pthread_create(&ts[i], NULL, worker, NULL) == 0);
	for (long reported = 0; atomic_load(&done_cycles) < cycles;) {
		sleep_ms(200);
		long rss = rss_kib();
		rss_peak = rss > rss_peak ? rss : rss_peak;
		long done = atomic_load(&done_cycles);
		if (rss_half == 0 && done >= cycles / 2)
			rss_half = rss;
		if (done - reported >= 1000) {
			fprintf(stderr, "soak: %ld/%ld cycles, %.0f s, RSS %ld KiB\n", done, cycles, seconds() - start,
			        rss);
			reported = done;
		}
	}
	for (int i = 0; i < concurrent; i++)
		pthread_join(ts[i], NULL);
	free(ts);
	double elapsed = seconds() - start;
	wait_counters_back(base, 5, 30000);
	counters_t end = read_counters();
	long media_end = media_handles();
	if (rss_half == 0)
		rss_half = rss_peak;
	long rss_end = rss_kib();
	for (int waited = 0; waited < 20000 && (rss_end > rss_base + rss_base / 2 + 8192 ||
	                                        (cycles >= 1000 && rss_end > rss_half + rss_half / 10 + 4096));
	     waited += 500) {
		sleep_ms(500);
		rss_end = rss_kib();
	}
	printf(
	    "soak%s: %ld cycles, %d concurrent pairs, %.1f s (%.0f cycles/s); handles peer %ld->%ld channel %ld->%ld, "
	    "track/remote track/transceiver %ld->%ld, "
	    "goroutines %ld->%ld, sockets %ld->%ld, live peers %ld->%ld, queued events %ld; RSS %ld KiB baseline, "
	    "%ld half-way, %ld peak, %ld after\n",
	    media ? " (media)" : "", cycles, concurrent, elapsed, (double)cycles / elapsed, base.peers, end.peers,
	    base.channels, end.channels, media_base, media_end, base.goroutines, end.goroutines, base.sockets,
	    end.sockets, base.live_peers, end.live_peers, end.queued, rss_base, rss_half, rss_peak, rss_end);
	CHECK(media_end == media_base);
	CHECK(rss_end <= rss_base + rss_base / 2 + 8192);
	CHECK(cycles < 1000 || rss_end <= rss_half + rss_half / 10 + 4096); /* half of a short run is too early */
	OK(omnirtc_shutdown());
	return 0;
}
