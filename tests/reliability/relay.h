/* An impairing UDP relay between two peers on loopback: netem in user space.
 *
 * This kernel (and many CI kernels) has no sch_netem, so the fault tests put
 * the faults on the path themselves: every host candidate a peer announces is
 * rewritten to a "face" socket of the relay, so each packet between the peers
 * crosses the relay, which drops, duplicates, delays (with jitter, which
 * reorders, or by holding one back until the next has passed) or
 * black-holes it. Moving a peer (relay_move) retires every face:
 * the old path is gone and only an ICE restart, whose new candidates get new
 * faces, finds the new one. */
#ifndef OMNIRTC_TEST_RELAY_H
#define OMNIRTC_TEST_RELAY_H

#include <stdint.h>

typedef struct {
	double loss;      /* 0..1: probability a packet is dropped */
	double duplicate; /* 0..1: probability a packet is sent twice */
	int delay_ms;     /* one-way delay */
	int jitter_ms;    /* extra random delay 0..jitter_ms: packets overtake each other */
	int blackhole;    /* 1: drop everything */
	int drop_min_size; /* > 0: drop every datagram of at least this many bytes */
	int swap_min_size; /* > 0: hold a datagram of at least this many bytes until the next such
	                    * one has been sent (each pair arrives swapped, whatever the timing) */
} impairment_t;

typedef struct {
	uint64_t forwarded, dropped, duplicated, reordered, unknown;
	uint64_t held; /* held back by swap_min_size */
	uint64_t rtp_duplicated; /* of duplicated: RTP-shaped (SRTP) packets */
	uint64_t captured, replayed;
} relay_stats_t;

typedef struct relay relay_t;

relay_t *relay_start(void);
/* Sets the impairment; a datagram held by swap_min_size leaves now if it is
 * no longer set. */
void relay_set(relay_t *r, impairment_t imp);
/* Rewrites every a=candidate line of sdp to point at a relay face (non-UDP
 * and non-127.0.0.1 candidates are removed). Returns a malloc'd SDP. */
char *relay_rewrite_sdp(relay_t *r, const char *sdp);
/* Retires every face: the current path stops working for good. */
void relay_move(relay_t *r);
relay_stats_t relay_stats(relay_t *r);
/* Keeps a copy of the next n RTP-shaped datagrams (RFC 7983: first byte
 * 128..191, not RTCP) the relay forwards, up to 256 in all. */
void relay_capture(relay_t *r, int n);
/* Sends every captured datagram again, now, on the path it took; returns
 * how many (an attacker on the path replaying SRTP). */
int relay_replay(relay_t *r);
void relay_stop(relay_t *r);

#endif
