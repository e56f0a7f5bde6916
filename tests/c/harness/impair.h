/* A lossy, delaying UDP relay between two peers of one process, for tests on
 * machines whose kernel has no netem: a userspace "tc netem loss P% delay D".
 * Peers negotiate without trickle; their 127.0.0.1 host candidates are
 * rewritten to the relay's two ports, so every packet (ICE, DTLS, SRTP, SCTP)
 * crosses it, in both directions. */
#ifndef OMNIRTC_TEST_IMPAIR_H
#define OMNIRTC_TEST_IMPAIR_H

#include "harness.h"

typedef struct impair impair_t;

/* Starts a relay dropping `loss_percent` of packets at random (seeded) and
 * delaying the rest by delay_ms, each direction. */
impair_t *impair_start(double loss_percent, int delay_ms, unsigned seed);
/* Stops the relay; returns how many packets it dropped. */
size_t impair_stop(impair_t *r);

/* What the relay saw of the RTP going from a to b (SRTP leaves the header in
 * clear), per payload type: packets (dropped or not), those it dropped,
 * packets repeating a sequence number already seen (retransmissions on the
 * stream itself), and the SSRC of the last one. */
typedef struct {
	size_t packets[128];
	size_t dropped[128];
	size_t repeats[128];
	uint32_t ssrc[128];
} impair_rtp_t;

void impair_rtp_seen(impair_t *r, impair_rtp_t *out);

/* Offer from a, answer from b, both with complete gathering, through the
 * relay; waits until both are connected.  Peers need "networkTypes":["udp4"]. */
void impair_connect(impair_t *r, peer_t *a, peer_t *b);

#endif
