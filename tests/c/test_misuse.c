/* ABI misuse: every public function with NULLs, zero, stale, wrong-kind and
 * random handles, lengths of 0 and near SIZE_MAX, invalid UTF-8 and
 * out-of-range numbers; many threads on the same handles; close racing with
 * send and with every callback. Each gets a documented status, never a
 * crash, a hang or a leak. The reliability suite also runs this file built
 * with AddressSanitizer. */
#include <stdatomic.h>
#include <string.h>

#include "harness.h"

#define BAD_UTF8 "\xc3\x28\xff\xfe"

/* A status any call may give for a handle that is not a live object of its kind. */
static void expect_handle_error(omnirtc_status_t s, const char *what, uint64_t h) {
	if (s != OMNIRTC_ERR_INVALID_HANDLE) {
		fprintf(stderr, "%s(%llu) returned %s, want OMNIRTC_ERR_INVALID_HANDLE\n", what, (unsigned long long)h,
		        omnirtc_status_string(s));
		exit(1);
	}
	CHECK(omnirtc_last_error()[0] != '\0');
}

/* Every function taking a peer handle, called with h. */
static void peer_calls_with(omnirtc_peer_t h) {
	char *s = NULL, *t = NULL;
	int32_t st;
	uint64_t u;
	omnirtc_channel_t c = 0;
#define H(call) expect_handle_error((call), #call, h)
	H(omnirtc_peer_close(h));
	H(omnirtc_peer_create_offer(h, NULL, &s));
	H(omnirtc_peer_create_answer(h, NULL, &s));
	H(omnirtc_peer_set_local_description(h, "offer", "v=0\r\n"));
	H(omnirtc_peer_set_local_description(h, NULL, NULL));
	H(omnirtc_peer_set_remote_description(h, "offer", "v=0\r\n"));
	H(omnirtc_peer_get_description(h, OMNIRTC_DESCRIPTION_LOCAL, &t, &s));
	H(omnirtc_peer_add_ice_candidate(h, "candidate:1 1 udp 1 127.0.0.1 9 typ host", "0", 0));
	H(omnirtc_peer_restart_ice(h));
	H(omnirtc_peer_get_stats(h, &s));
	H(omnirtc_peer_get_signaling_state(h, &st));
	H(omnirtc_peer_get_ice_gathering_state(h, &st));
	H(omnirtc_peer_get_ice_connection_state(h, &st));
	H(omnirtc_peer_get_connection_state(h, &st));
	H(omnirtc_peer_get_max_message_size(h, &u));
	H(omnirtc_channel_create(h, "x", NULL, &c));
	CHECK(s == NULL && t == NULL && c == 0); /* out-parameters untouched on failure */
}

/* Every function taking a channel handle, called with h. */
static void channel_calls_with(omnirtc_channel_t h) {
	char *s = NULL;
	int32_t st;
	uint64_t u;
	H(omnirtc_channel_set_callback(h, NULL, NULL));
	H(omnirtc_channel_send(h, "x", 1, 0));
	H(omnirtc_channel_send(h, NULL, 0, 1));
	H(omnirtc_channel_get_info(h, &s));
	H(omnirtc_channel_get_ready_state(h, &st));
	H(omnirtc_channel_get_buffered_amount(h, &u));
	H(omnirtc_channel_set_buffered_amount_low_threshold(h, 1));
	H(omnirtc_channel_get_buffered_amount_low_threshold(h, &u));
	H(omnirtc_channel_set_paused(h, 1));
	H(omnirtc_channel_close(h));
	CHECK(s == NULL);
#undef H
}

TEST(every_function_refuses_zero_stale_random_and_wrong_kind_handles) {
	counters_t base = read_counters();
	omnirtc_peer_t live, stale;
	omnirtc_channel_t live_c, stale_c;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &stale));
	OK(omnirtc_channel_create(stale, "s", NULL, &stale_c));
	OK(omnirtc_peer_close(stale));
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &live));
	OK(omnirtc_channel_create(live, "l", NULL, &live_c));
	uint64_t fixed[] = {
	    0, 1, 2, stale, stale_c, live + 1000, UINT64_MAX, UINT64_MAX - 1, 1ull << 63, 0x8000000000000001ull};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		peer_calls_with(fixed[i]);
		channel_calls_with(fixed[i]);
	}
	srand(12345);
	for (int i = 0; i < 2000; i++) {
		uint64_t r = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
		if (r == live || r == live_c || r < 3)
			continue;
		peer_calls_with(r);
		channel_calls_with(r);
	}
	peer_calls_with(live_c);  /* a channel is not a peer */
	channel_calls_with(live); /* nor a peer a channel */
	int32_t st;
	OK(omnirtc_peer_get_signaling_state(live, &st)); /* still alive and well */
	OK(omnirtc_channel_get_ready_state(live_c, &st));
	OK(omnirtc_peer_close(live));
	peer_calls_with(live);
	channel_calls_with(live_c);
	wait_counters_back(base, 3, 5000);
}

TEST(every_out_parameter_and_required_string_may_be_null) {
	counters_t base = read_counters();
	omnirtc_peer_t p;
	omnirtc_channel_t c;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &p));
	OK(omnirtc_channel_create(p, "c", NULL, &c));
#define A(call) EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, call)
	A(omnirtc_debug_counters(NULL));
	A(omnirtc_generate_certificate(NULL));
	A(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, NULL));
	A(omnirtc_peer_create_offer(p, NULL, NULL));
	A(omnirtc_peer_create_answer(p, NULL, NULL));
	A(omnirtc_peer_set_remote_description(p, NULL, NULL));
	A(omnirtc_peer_set_remote_description(p, "offer", NULL));
	A(omnirtc_peer_get_description(p, 0, NULL, NULL));
	A(omnirtc_peer_get_stats(p, NULL));
	A(omnirtc_peer_get_signaling_state(p, NULL));
	A(omnirtc_peer_get_ice_gathering_state(p, NULL));
	A(omnirtc_peer_get_ice_connection_state(p, NULL));
	A(omnirtc_peer_get_connection_state(p, NULL));
	A(omnirtc_peer_get_max_message_size(p, NULL));
	A(omnirtc_channel_create(p, NULL, NULL, &c));
	A(omnirtc_channel_create(p, "x", NULL, NULL));
	A(omnirtc_channel_get_info(c, NULL));
	A(omnirtc_channel_get_ready_state(c, NULL));
	A(omnirtc_channel_get_buffered_amount(c, NULL));
	A(omnirtc_channel_get_buffered_amount_low_threshold(c, NULL));
	A(omnirtc_channel_send(c, NULL, 1, 1));
	A(omnirtc_channel_send(c, NULL, SIZE_MAX, 0));
	/* NULL where documented as allowed */
	char *sdp = (char *)1;
	OK(omnirtc_peer_get_description(p, OMNIRTC_DESCRIPTION_REMOTE, NULL, &sdp));
	CHECK(sdp == NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_add_ice_candidate(p, NULL, NULL, -1));
	OK(omnirtc_channel_set_callback(c, NULL, NULL));
	OK(omnirtc_set_log_callback(OMNIRTC_LOG_DEBUG, NULL, NULL));
	OK(omnirtc_set_log_callback(OMNIRTC_LOG_NONE, NULL, NULL));
	omnirtc_free(NULL);
	OK(omnirtc_peer_close(p));
	wait_counters_back(base, 3, 5000);
}

TEST(out_of_range_numbers_are_refused) {
	omnirtc_peer_t p;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &p));
	char *type = NULL, *sdp = NULL;
	int32_t bad_which[] = {-1, 6, 1000, INT32_MIN, INT32_MAX};
	for (size_t i = 0; i < sizeof bad_which / sizeof bad_which[0]; i++)
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_get_description(p, bad_which[i], &type, &sdp));
	CHECK(type == NULL && sdp == NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_log_callback(-1, NULL, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_log_callback(6, NULL, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_log_callback(INT32_MIN, NULL, NULL));
	int32_t codes[] = {1, OMNIRTC_ERR_INVALID_CHARACTER - 1, -100, INT32_MIN, INT32_MAX};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		CHECK(strcmp(omnirtc_status_string(codes[i]), "OMNIRTC_ERR_UNKNOWN") == 0);
	omnirtc_channel_t c;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_channel_create(p, "x", "{\"id\":65535,\"negotiated\":true}", &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, "x", "{\"maxRetransmits\":-1}", &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_channel_create(p, "x", "{\"maxPacketLifeTime\":99999999999999999999}", &c));
	OK(omnirtc_peer_close(p));
}

/* A label of exactly 65535 bytes is fine, one more is not; near-SIZE_MAX
 * lengths are refused without reading the buffer. */
TEST(lengths_zero_at_the_limit_and_near_size_max) {
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "len", NULL);
	omnirtc_channel_t cb = remote_channel(&b, 0);
	char tiny[1] = {'x'};
	size_t huge[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX / 2, (size_t)1 << 40, ((size_t)1 << 32) + 1};
	for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
		EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send(ca, tiny, huge[i], 1));
		EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send(ca, tiny, huge[i], 0));
	}
	OK(omnirtc_channel_send(ca, NULL, 0, 1)); /* empty binary and text messages */
	OK(omnirtc_channel_send(ca, "", 0, 0));
	OK(omnirtc_channel_send(ca, "end", 3, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 3, 10000);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 0)->message.size == 0);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 0)->message.binary == 1);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1)->message.size == 0);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1)->message.binary == 0);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 2)->message.size == 3);
	char *label = malloc(65537);
	memset(label, 'l', 65536);
	label[65536] = '\0';
	omnirtc_channel_t c;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(a.id, label, NULL, &c));
	label[65535] = '\0';
	OK(omnirtc_channel_create(a.id, label, NULL, &c));
	OK(omnirtc_channel_create(a.id, "", NULL, &c)); /* an empty label is allowed (W3C) */
	free(label);
	close_pair(&a, &b);
}

TEST(invalid_utf8_in_every_string_is_refused) {
	counters_t base = read_counters();
	omnirtc_peer_t p, q;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG,
	              omnirtc_peer_create("{\"iceServers\":[{\"urls\":\"turn:127.0.0.1\",\"username\":\"" BAD_UTF8
	                                  "\",\"credential\":\"c\"}]}",
	                                  NULL, NULL, &p));
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &p));
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &q));
	omnirtc_channel_t c;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, BAD_UTF8, NULL, &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_channel_create(p, "x", "{\"protocol\":\"" BAD_UTF8 "\"}", &c));
	OK(omnirtc_channel_create(p, "x", NULL, &c));
	char *offer = NULL;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_create_offer(p, "{\"" BAD_UTF8 "\":1}", &offer));
	OK(omnirtc_peer_create_offer(p, NULL, &offer));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_local_description(p, BAD_UTF8, offer));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_remote_description(q, "offer" BAD_UTF8, offer));
	/* the SDP with a bad byte in a session name */
	size_t n = strlen(offer);
	char *bad = malloc(n + 8);
	memcpy(bad, offer, n + 1);
	char *sname = strstr(bad, "s=-");
	CHECK(sname != NULL);
	sname[2] = (char)0xff;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_SDP, omnirtc_peer_set_remote_description(q, "offer", bad));
	OK(omnirtc_peer_set_remote_description(q, "offer", offer));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CANDIDATE,
	              omnirtc_peer_add_ice_candidate(q, "candidate:1 1 udp 1 127.0.0.1 9 typ host" BAD_UTF8, "0", 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CANDIDATE,
	              omnirtc_peer_add_ice_candidate(q, "candidate:1 1 udp 1 127.0.0.1 9 typ host", BAD_UTF8, 0));
	char *answer = NULL;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_create_answer(q, BAD_UTF8, &answer));
	free(bad);
	omnirtc_free(offer);
	OK(omnirtc_peer_close(p));
	OK(omnirtc_peer_close(q));
	wait_counters_back(base, 3, 5000);
}

/* ---- many threads at once on the same handles ---- */

typedef struct {
	omnirtc_peer_t peer;
	omnirtc_channel_t channel;
	atomic_int stop;
	atomic_long calls, bad;
} shared_t;

static int acceptable(omnirtc_status_t s) {
	return s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE || s == OMNIRTC_ERR_INVALID_STATE;
}

static void *hammer(void *arg) {
	shared_t *sh = arg;
	unsigned seed = (unsigned)(uintptr_t)pthread_self();
	while (!atomic_load(&sh->stop)) {
		char *s = NULL, *t = NULL;
		int32_t st;
		uint64_t u;
		omnirtc_channel_t c;
		omnirtc_status_t r = OMNIRTC_OK;
		switch (rand_r(&seed) % 12) {
		case 0: r = omnirtc_channel_send(sh->channel, "hammer", 6, 0); break;
		case 1: r = omnirtc_peer_get_stats(sh->peer, &s); break;
		case 2: r = omnirtc_peer_get_connection_state(sh->peer, &st); break;
		case 3: r = omnirtc_channel_get_info(sh->channel, &s); break;
		case 4: r = omnirtc_channel_get_buffered_amount(sh->channel, &u); break;
		case 5: r = omnirtc_channel_set_buffered_amount_low_threshold(sh->channel, rand_r(&seed)); break;
		case 6: r = omnirtc_channel_create(sh->peer, "h", NULL, &c); break;
		case 7: r = omnirtc_peer_get_description(sh->peer, rand_r(&seed) % 6, &t, &s); break;
		case 8: r = omnirtc_peer_create_offer(sh->peer, NULL, &s); break;
		case 9: r = omnirtc_channel_set_paused(sh->channel, rand_r(&seed) % 2); break;
		case 10: r = omnirtc_peer_get_max_message_size(sh->peer, &u); break;
		case 11: r = omnirtc_channel_send(sh->channel, &seed, sizeof seed, 1); break;
		}
		omnirtc_free(s);
		omnirtc_free(t);
		atomic_fetch_add(&sh->calls, 1);
		if (!acceptable(r)) {
			fprintf(stderr, "unexpected %s: %s\n", omnirtc_status_string(r), omnirtc_last_error());
			atomic_fetch_add(&sh->bad, 1);
		}
	}
	return NULL;
}

enum { THREADS = 8 };

static void run_hammer(shared_t *sh, pthread_t *ts) {
	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_create(&ts[i], NULL, hammer, sh) == 0);
}

static void stop_hammer(shared_t *sh, pthread_t *ts) {
	atomic_store(&sh->stop, 1);
	for (int i = 0; i < THREADS; i++)
		pthread_join(ts[i], NULL);
	CHECK(atomic_load(&sh->bad) == 0);
}

TEST(eight_threads_on_the_same_handles_while_the_peer_closes) {
	counters_t base = read_counters();
	for (int round = 0; round < 6; round++) {
		peer_t a, b;
		shared_t sh = {0};
		sh.channel = connected_channel(&a, &b, "shared", NULL);
		sh.peer = a.id;
		pthread_t ts[THREADS];
		run_hammer(&sh, ts);
		sleep_ms(50 + round * 40);
		if (round % 2)
			OK(omnirtc_channel_close(sh.channel)); /* then the peer, with threads still going */
		OK(omnirtc_peer_close(a.id));
		sleep_ms(50);
		stop_hammer(&sh, ts);
		CHECK(atomic_load(&sh.calls) > 100);
		OK(omnirtc_peer_close(b.id));
		peer_free(&a);
		peer_free(&b);
	}
	wait_counters_back(base, 3, 15000);
}

/* Many threads close the same handle at once: at least one close succeeds
 * (closes that overlap the first one may succeed too: they wait for the same
 * close), every other one finds the handle gone, the final event comes
 * exactly once and the handle is stale afterwards.  Every peer close, OK or
 * not, returns after PEER_CLOSED. */
typedef struct {
	uint64_t handle;
	peer_t *peer; /* NULL: handle is a channel */
	atomic_int *go, *ok;
} closer_t;

static void *close_once(void *arg) {
	closer_t *c = arg;
	while (!atomic_load(c->go))
		;
	omnirtc_status_t s = c->peer == NULL ? omnirtc_channel_close(c->handle) : omnirtc_peer_close(c->handle);
	CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE);
	if (c->peer != NULL) {
		pthread_mutex_lock(&c->peer->mu);
		CHECK(c->peer->closed);
		pthread_mutex_unlock(&c->peer->mu);
	}
	if (s == OMNIRTC_OK)
		atomic_fetch_add(c->ok, 1);
	return NULL;
}

static void close_from_threads(uint64_t handle, peer_t *peer) {
	atomic_int go = 0, ok = 0;
	closer_t arg = {handle, peer, &go, &ok};
	pthread_t ts[THREADS];
	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_create(&ts[i], NULL, close_once, &arg) == 0);
	atomic_store(&go, 1);
	for (int i = 0; i < THREADS; i++)
		pthread_join(ts[i], NULL);
	CHECK(atomic_load(&ok) >= 1);
}

TEST(concurrent_closes_of_one_handle_end_it_once) {
	counters_t base = read_counters();
	for (int round = 0; round < 10; round++) {
		peer_t a, b;
		omnirtc_channel_t c = connected_channel(&a, &b, "c", NULL);
		close_from_threads(c, NULL);
		wait_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSE, c, 1, 10000);
		close_from_threads(a.id, &a);
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(a.id));
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_close(c));
		CHECK(count_events(&a, OMNIRTC_EVENT_PEER_CLOSED, 0) == 1);
		CHECK(count_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSE, c) == 1);
		OK(omnirtc_peer_close(b.id));
		peer_free(&a);
		peer_free(&b);
	}
	wait_counters_back(base, 3, 15000);
}

/* Close from another thread the moment each kind of event is being
 * delivered: the callback may be running while close is called. */
typedef struct {
	int32_t type;
	atomic_int seen;
} race_t;

static void note_event(peer_t *p, const omnirtc_event_t *e) {
	race_t *r = p->test_data;
	if (e->type == r->type && !atomic_exchange(&r->seen, 1))
		sleep_ms(2); /* stay inside the callback while the closer runs */
}

static void close_racing(int32_t type, int close_channel) {
	counters_t base = read_counters();
	race_t race = {type, 0};
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	a.hook = b.hook = note_event;
	a.test_data = b.test_data = &race;
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "race", NULL, &c));
	OK(omnirtc_channel_set_buffered_amount_low_threshold(c, 10));
	negotiate(&a, &b);
	for (int waited = 0; !atomic_load(&race.seen); waited++) {
		/* traffic so that message and buffered-low events happen */
		omnirtc_status_t s = omnirtc_channel_send(c, "0123456789abcdef", 16, 0);
		CHECK(acceptable(s));
		CHECK(waited < 10000);
		sleep_ms(1);
	}
	if (close_channel > 0) {
		omnirtc_status_t s = omnirtc_channel_close(c);
		CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE);
	}
	OK(omnirtc_peer_close(a.id));
	OK(omnirtc_peer_close(b.id));
	CHECK(a.closed && b.closed); /* PEER_CLOSED delivered before close returned */
	peer_free(&a);
	peer_free(&b);
	wait_counters_back(base, 3, 10000);
}

TEST(close_races_with_every_callback) {
	int32_t types[] = {OMNIRTC_EVENT_ICE_CANDIDATE,
	                   OMNIRTC_EVENT_ICE_GATHERING_STATE,
	                   OMNIRTC_EVENT_ICE_CONNECTION_STATE,
	                   OMNIRTC_EVENT_CONNECTION_STATE,
	                   OMNIRTC_EVENT_SIGNALING_STATE,
	                   OMNIRTC_EVENT_DATA_CHANNEL,
	                   OMNIRTC_EVENT_CHANNEL_OPEN,
	                   OMNIRTC_EVENT_CHANNEL_MESSAGE,
	                   OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		close_racing(types[i], 0);
		close_racing(types[i], 1);
	}
}

/* The two ends of omnirtc_peer_add_ice_candidate's closing contract (the
 * harness's trickle meets the middle of it in the test above): a peer pion
 * closed on the remote's close_notify gives a state error, a released handle
 * a handle error; a well-formed candidate never gets an error of its own. */
TEST(candidates_for_a_closed_peer_get_a_state_or_a_handle_error) {
	const char *candidate = "candidate:1 1 udp 2130706431 127.0.0.1 9 typ host";
	peer_t a, b;
	connected_channel(&a, &b, "c", NULL);
	OK(omnirtc_peer_close(b.id));
	wait_connection_state(&a, OMNIRTC_PEER_CLOSED, 15000);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_add_ice_candidate(a.id, candidate, "0", 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_add_ice_candidate(a.id, "", NULL, -1));
	OK(omnirtc_peer_close(a.id));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_add_ice_candidate(a.id, candidate, "0", 0));
	peer_free(&a);
	peer_free(&b);
}

/* Senders on several threads while the channel, then the peer, close. */
static void *send_until_refused(void *arg) {
	shared_t *sh = arg;
	for (;;) {
		omnirtc_status_t s = omnirtc_channel_send(sh->channel, "racing", 6, 0);
		atomic_fetch_add(&sh->calls, 1);
		if (s == OMNIRTC_ERR_INVALID_HANDLE)
			return NULL;
		if (!acceptable(s))
			atomic_fetch_add(&sh->bad, 1);
	}
}

TEST(close_races_with_send) {
	counters_t base = read_counters();
	for (int round = 0; round < 8; round++) {
		peer_t a, b;
		a.keep_payloads = 0;
		shared_t sh = {0};
		sh.channel = connected_channel(&a, &b, "c", NULL);
		b.keep_payloads = 0;
		sh.peer = a.id;
		pthread_t ts[4];
		for (int i = 0; i < 4; i++)
			CHECK(pthread_create(&ts[i], NULL, send_until_refused, &sh) == 0);
		sleep_ms(20 + 10 * round);
		if (round % 2)
			OK(omnirtc_channel_close(sh.channel));
		else
			OK(omnirtc_peer_close(a.id));
		for (int i = 0; i < 4; i++)
			pthread_join(ts[i], NULL); /* every sender sees the handle go away */
		CHECK(atomic_load(&sh.bad) == 0);
		omnirtc_status_t s = omnirtc_peer_close(a.id);
		CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE);
		OK(omnirtc_peer_close(b.id));
		peer_free(&a);
		peer_free(&b);
	}
	wait_counters_back(base, 3, 15000);
}

/* After shutdown every old handle is stale and the library is usable again. */
TEST(handles_after_shutdown_are_stale) {
	peer_t a, b;
	omnirtc_channel_t c = connected_channel(&a, &b, "c", NULL);
	OK(omnirtc_shutdown());
	peer_calls_with(a.id);
	channel_calls_with(c);
	OK(omnirtc_shutdown());
	peer_free(&a);
	peer_free(&b);
	peer_t x, y;
	omnirtc_channel_t d = connected_channel(&x, &y, "again", NULL);
	OK(omnirtc_channel_send(d, "hi", 2, 0));
	wait_events(&y, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1, 10000);
	close_pair(&x, &y);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
