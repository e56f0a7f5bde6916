/* A small harness for OmniRTC's C tests: peers whose events are recorded,
 * trickle ICE between two of them, and waiting with a deadline. */
#ifndef OMNIRTC_TEST_HARNESS_H
#define OMNIRTC_TEST_HARNESS_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <omnirtc.h>

/* Peers see 127.0.0.1 and nothing leaves the test's network namespace. */
#define LOOPBACK_CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}"

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			exit(1);                                                                 \
		}                                                                                \
	} while (0)

/* OK(call) requires OMNIRTC_OK; EXPECT_STATUS(code, call) requires that code
 * and a non-empty last-error message. */
#define OK(call) EXPECT_STATUS(OMNIRTC_OK, call)
#define EXPECT_STATUS(code, call)                                                                              \
	do {                                                                                                   \
		omnirtc_status_t s_ = (call);                                                                  \
		if (s_ != (code)) {                                                                            \
			fprintf(stderr, "%s:%d: %s returned %s, want %s: %s\n", __FILE__, __LINE__, #call,     \
			        omnirtc_status_string(s_), omnirtc_status_string(code), omnirtc_last_error()); \
			exit(1);                                                                               \
		}                                                                                              \
		if ((code) != OMNIRTC_OK && omnirtc_last_error()[0] == '\0') {                                 \
			fprintf(stderr, "%s:%d: %s gave no error message\n", __FILE__, __LINE__, #call);       \
			exit(1);                                                                               \
		}                                                                                              \
	} while (0)

/* One recorded event: a deep copy of an omnirtc_event_t, its strings and
 * message data owned by the harness (media payloads are not kept: NULL). */
typedef omnirtc_event_t record_t;

typedef struct peer peer_t;

/* Called on the library's thread for every event, after it is recorded. */
typedef void (*peer_hook)(peer_t *p, const omnirtc_event_t *e);

struct peer {
	omnirtc_peer_t id;
	const char *name;
	peer_t *remote;    /* trickle target */
	peer_hook hook;    /* optional */
	void *test_data;   /* for hooks */
	int keep_payloads; /* record message bytes (off for bulk tests) */

	pthread_mutex_t mu;
	pthread_cond_t cv;
	record_t *events;
	size_t count, cap;
	int remote_described; /* remote description set: candidates can be added */
	char **pending;       /* candidates that arrived before that */
	size_t npending;
	uint64_t message_bytes, messages;
	int closed; /* PEER_CLOSED seen */

	int polled;     /* made by peer_open_polled */
	int wake;       /* notify fired, the pump has not drained yet */
	pthread_t pump; /* polls and records, as the callback would */
};

/* Creates a peer with `config` (NULL: LOOPBACK_CONFIG); aborts on failure. */
void peer_open(peer_t *p, const char *name, const char *config);
/* peer_open with omnirtc_peer_create_polled: a thread of the harness polls
 * the events in batches after each notify and records them as on_event does. */
void peer_open_polled(peer_t *p, const char *name, const char *config);
/* Frees the recorded events (the peer must be closed). */
void peer_free(peer_t *p);

/* Offer from a, answer from b, trickling candidates both ways; returns once
 * both have applied both descriptions (not yet connected). */
void negotiate(peer_t *a, peer_t *b);
/* p has its remote description: the candidates parked for it go in, and
 * later ones go straight in (negotiate() calls it). */
void remote_described(peer_t *p);
/* negotiate, then wait until both are connected. */
void connect_pair(peer_t *a, peer_t *b);

/* Opens a and b with the default config, creates channel `label` (init JSON
 * or NULL) on a, connects them and waits until it is open on a. */
omnirtc_channel_t connected_channel(peer_t *a, peer_t *b, const char *label, const char *init);
/* The handle of the n-th (0-based) channel the remote opened on p; waits. */
omnirtc_channel_t remote_channel(peer_t *p, size_t n);
/* Closes both peers and frees their records. */
void close_pair(peer_t *a, peer_t *b);

/* Waits until `count` events of `type` (for `channel`, 0 = any) were
 * recorded; aborts after timeout_ms. Returns the index of the last one. */
size_t wait_events(peer_t *p, int32_t type, omnirtc_channel_t channel, size_t count, int timeout_ms);
/* Waits for a CONNECTION_STATE event with `state`. */
void wait_connection_state(peer_t *p, int32_t state, int timeout_ms);
/* Waits until p has had `times` events of `type` (a *_STATE event) with `state`. */
void wait_state_times(peer_t *p, int32_t type, int32_t state, size_t times, int timeout_ms);
/* Waits until the peer received at least `bytes` of message payload. */
void wait_message_bytes(peer_t *p, uint64_t bytes, int timeout_ms);
/* Number of recorded events of type for channel (0 = any). */
size_t count_events(peer_t *p, int32_t type, omnirtc_channel_t channel);
/* Number of recorded CONNECTION_STATE events with `state`. */
size_t count_connection_states(peer_t *p, int32_t state);
/* The n-th (0-based) recorded event of type for channel; aborts if missing. */
record_t *nth_event(peer_t *p, int32_t type, omnirtc_channel_t channel, size_t n);

/* {"handles":{"peer":N,"channel":N},"goroutines":N,"sockets":N,...} parsed. */
typedef struct {
	long peers, channels, goroutines, sockets, live_peers, queued, held_batches;
} counters_t;
counters_t read_counters(void);
/* Waits up to timeout_ms until the counters are back to `base` (goroutines
 * within slack); aborts and prints both otherwise. */
void wait_counters_back(counters_t base, long goroutine_slack, int timeout_ms);

/* The pair ICE selected (nominated and succeeded), from p's stats. Its
 * local candidate's id tells a new path from the old one after an ICE
 * restart (a restart gathers new candidates); its port shows a UDP mux. */
typedef struct {
	char local_id[64];
	long local_port;
} selected_pair_t;
/* Waits up to timeout_ms for a selected pair; aborts without one. */
selected_pair_t selected_pair(peer_t *p, int timeout_ms);

/* s with each newline written as the JSON escape \n (a PEM text inside a
 * JSON string); release with free(). */
char *json_escape_newlines(const char *s);
/* The "AB:CD:…" sha-256 fingerprint of an SDP, uppercased into out (n >= 96). */
void sdp_fingerprint(const char *sdp, char *out, size_t n);

void sleep_ms(int ms);

/* The transceiver's omnirtc_transceiver_get_info JSON, cut to cap bytes. */
void transceiver_info(omnirtc_transceiver_t t, char *out, size_t cap);
/* CLOCK_REALTIME timeout_ms from now, for pthread_cond_timedwait. */
struct timespec deadline(int timeout_ms);
/* A rendezvous between threads: bump adds one to *flag (under mu) and wakes
 * cv's waiters; wait_flag waits on cv until *flag reaches want, and returns
 * 0 if it did not within timeout_ms. */
void bump(pthread_mutex_t *mu, pthread_cond_t *cv, int *flag);
int wait_flag(pthread_mutex_t *mu, pthread_cond_t *cv, const int *flag, int want, int timeout_ms);

/* In getStats JSON, the number `key` of the first entry whose "type", or
 * else whose "id", is `entry` (entries are flat objects); -1 when there is
 * no such entry or key or it is not a number. */
double stat_number(const char *stats, const char *entry, const char *key);
/* The same entry's string `key` copied into out; 0 when missing. */
int stat_string(const char *stats, const char *entry, const char *key, char *out, size_t cap);

/* Test registry: TEST(name) { ... } and RUN_TESTS() in main. */
typedef void (*test_fn)(void);
void register_test(const char *name, test_fn fn);
int run_tests(int argc, char **argv);
#define TEST(name)                                                                                     \
	static void name(void);                                                                        \
	__attribute__((constructor)) static void register_##name(void) { register_test(#name, name); } \
	static void name(void)

#endif
