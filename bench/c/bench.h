/* What the C benchmarks share: the OK check, a pair's offer/answer with
 * trickled candidates, and the process's CPU time and RSS. */
#ifndef OMNIRTC_BENCH_H
#define OMNIRTC_BENCH_H

#include <omnirtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define OK(call)                                                                         \
	do {                                                                             \
		if ((call) != OMNIRTC_OK) {                                              \
			fprintf(stderr, "%s failed: %s\n", #call, omnirtc_last_error()); \
			exit(1);                                                         \
		}                                                                        \
	} while (0)

/* One end of a benchmark's pair (each program defines struct pair): its
 * peer, and where the other end's peer is, for trickling. */
typedef struct pair pair_t;

typedef struct {
	pair_t *pair;
	omnirtc_peer_t self;
	omnirtc_peer_t *other;
} side_t;

/* negotiate: a offers, b answers; each side has the remote description
 * before its own is set, so before the other's candidates can arrive. */
static inline void negotiate(omnirtc_peer_t a, omnirtc_peer_t b) {
	char *offer, *answer;
	OK(omnirtc_peer_create_offer(a, NULL, &offer));
	OK(omnirtc_peer_set_remote_description(b, "offer", offer));
	OK(omnirtc_peer_set_local_description(a, "offer", offer));
	OK(omnirtc_peer_create_answer(b, NULL, &answer));
	OK(omnirtc_peer_set_remote_description(a, "answer", answer));
	OK(omnirtc_peer_set_local_description(b, "answer", answer));
	omnirtc_free(offer);
	omnirtc_free(answer);
}

/* trickle gives an ICE_CANDIDATE event's candidate to the other peer. */
static inline void trickle(omnirtc_peer_t to, const omnirtc_event_t *e) {
	if (e->ice_candidate.candidate[0])
		omnirtc_peer_add_ice_candidate(to, e->ice_candidate.candidate, e->ice_candidate.sdp_mid,
		                               e->ice_candidate.sdp_mline_index);
}

/* CPU time of the process (RUSAGE_SELF) or of the calling thread (RUSAGE_THREAD). */
static inline double cpu_seconds_of(int who) {
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec / 1e6;
}

static inline long rss_kib(void) {
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = atol(line + 6);
	fclose(f);
	return kib;
}

#endif
