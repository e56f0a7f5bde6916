/* Close under races (issue 18): closes from inside callbacks that close one
 * another's peers in a cycle, several threads closing one peer, and the calls
 * a channel gets right after the remote closed.  Each case is forced into its
 * race by rendezvous inside the callbacks, not by timing luck; a deadlock
 * fails by a watchdog, never by hanging the suite. */
#include <unistd.h>

#include "harness.h"

static int peer_closed(peer_t *p) {
	pthread_mutex_lock(&p->mu);
	int closed = p->closed;
	pthread_mutex_unlock(&p->mu);
	return closed;
}

/* ---- a cycle of closes from callbacks --------------------------------- */

enum { MAX_CYCLE = 3 };

/* n peers; peer i's callback closes peer (i+1) % n once all n callbacks are
 * running at the same time. */
typedef struct {
	int n;
	peer_t peers[MAX_CYCLE];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int inside;   /* callbacks at the rendezvous */
	int returned; /* closes that returned */
	int entered[MAX_CYCLE];
	omnirtc_status_t status[MAX_CYCLE];
} cycle_t;

static void close_next_in_cycle(peer_t *p, const omnirtc_event_t *e) {
	cycle_t *c = p->test_data;
	int i = (int)(p - c->peers);
	if (e->type != OMNIRTC_EVENT_NEGOTIATION_NEEDED || c->entered[i]++)
		return;
	bump(&c->mu, &c->cv, &c->inside);
	CHECK(wait_flag(&c->mu, &c->cv, &c->inside, c->n, 10000)); /* all n are inside a callback */
	sleep_ms(1);                                               /* a little work, as a real callback does */
	omnirtc_status_t s = omnirtc_peer_close(c->peers[(i + 1) % c->n].id);
	pthread_mutex_lock(&c->mu);
	c->status[i] = s;
	pthread_mutex_unlock(&c->mu);
	bump(&c->mu, &c->cv, &c->returned);
}

static void close_cycle(int n) {
	counters_t base = read_counters();
	static const char *names[MAX_CYCLE] = {"a", "b", "c"};
	cycle_t c = {.n = n};
	pthread_mutex_init(&c.mu, NULL);
	pthread_cond_init(&c.cv, NULL);
	for (int i = 0; i < n; i++) {
		peer_open(&c.peers[i], names[i], NULL);
		c.peers[i].test_data = &c;
		c.peers[i].hook = close_next_in_cycle;
	}
	for (int i = 0; i < n; i++) {
		omnirtc_channel_t ch;
		OK(omnirtc_channel_create(c.peers[i].id, "nn", NULL, &ch)); /* NEGOTIATION_NEEDED follows */
	}
	if (!wait_flag(&c.mu, &c.cv, &c.returned, n, 10000)) {
		fprintf(stderr, "deadlock: %d of %d closes made inside callbacks returned within 10 s\n", c.returned,
		        n);
		_exit(1);
	}
	for (int i = 0; i < n; i++) {
		CHECK(c.status[i] == OMNIRTC_OK);
		wait_events(&c.peers[i], OMNIRTC_EVENT_PEER_CLOSED, 0, 1, 10000);
		/* one more close waits for PEER_CLOSED's callback to return; after it the handle is stale */
		omnirtc_status_t s = omnirtc_peer_close(c.peers[i].id);
		CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE);
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(c.peers[i].id));
	}
	for (int i = 0; i < n; i++) {
		size_t last = c.peers[i].count - 1; /* nothing after PEER_CLOSED */
		CHECK(c.peers[i].events[last].type == OMNIRTC_EVENT_PEER_CLOSED);
		CHECK(count_events(&c.peers[i], OMNIRTC_EVENT_PEER_CLOSED, 0) == 1);
		peer_free(&c.peers[i]);
	}
	wait_counters_back(base, 3, 10000);
}

/* A's callback closes B while B's callback closes A. */
TEST(two_peers_closing_each_other_from_callbacks_both_finish) {
	for (int round = 0; round < 5; round++)
		close_cycle(2);
}

/* A closes B, B closes C, C closes A, all from callbacks. */
TEST(a_cycle_of_three_closes_from_callbacks_finishes) {
	for (int round = 0; round < 3; round++)
		close_cycle(3);
}

/* ---- two threads closing one peer ------------------------------------- */

/* The first close waits for a callback in flight; that callback lets the
 * second close start once the first has begun (the handle is gone), and stays
 * until the second returns (or half a second passed). */
typedef struct {
	peer_t peer;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int inside, second_go, second_returned, entered;
	int closed_at_return[2];
	omnirtc_status_t status[2];
} twice_t;

static void hold_until_second_close(peer_t *p, const omnirtc_event_t *e) {
	twice_t *t = p->test_data;
	if (e->type != OMNIRTC_EVENT_NEGOTIATION_NEEDED || t->entered++)
		return;
	bump(&t->mu, &t->cv, &t->inside);
	int32_t state;
	for (int waited = 0; omnirtc_peer_get_signaling_state(p->id, &state) == OMNIRTC_OK; waited++) {
		CHECK(waited < 10000); /* the first close began */
		sleep_ms(1);
	}
	bump(&t->mu, &t->cv, &t->second_go);
	wait_flag(&t->mu, &t->cv, &t->second_returned, 1, 500);
}

typedef struct {
	twice_t *t;
	int second;
} closer_arg_t;

static void *close_peer_thread(void *arg) {
	closer_arg_t *a = arg;
	twice_t *t = a->t;
	if (a->second)
		CHECK(wait_flag(&t->mu, &t->cv, &t->second_go, 1, 10000));
	omnirtc_status_t s = omnirtc_peer_close(t->peer.id);
	int closed = peer_closed(&t->peer);
	pthread_mutex_lock(&t->mu);
	t->status[a->second] = s;
	t->closed_at_return[a->second] = closed;
	pthread_mutex_unlock(&t->mu);
	if (a->second)
		bump(&t->mu, &t->cv, &t->second_returned);
	return NULL;
}

/* Every close of one peer, from any thread, returns only once PEER_CLOSED
 * was delivered: the first with OK, a concurrent one with OK too (or
 * INVALID_HANDLE if it came after that delivery). */
TEST(a_second_thread_closing_the_same_peer_returns_after_peer_closed) {
	counters_t base = read_counters();
	for (int round = 0; round < 5; round++) {
		twice_t t = {0};
		pthread_mutex_init(&t.mu, NULL);
		pthread_cond_init(&t.cv, NULL);
		peer_open(&t.peer, "p", NULL);
		t.peer.test_data = &t;
		t.peer.hook = hold_until_second_close;
		omnirtc_channel_t ch;
		OK(omnirtc_channel_create(t.peer.id, "nn", NULL, &ch));
		CHECK(wait_flag(&t.mu, &t.cv, &t.inside, 1, 10000));
		closer_arg_t first = {&t, 0}, second = {&t, 1};
		pthread_t th[2];
		CHECK(pthread_create(&th[0], NULL, close_peer_thread, &first) == 0);
		CHECK(pthread_create(&th[1], NULL, close_peer_thread, &second) == 0);
		pthread_join(th[0], NULL);
		pthread_join(th[1], NULL);
		CHECK(t.status[0] == OMNIRTC_OK);
		CHECK(t.status[1] == OMNIRTC_OK || t.status[1] == OMNIRTC_ERR_INVALID_HANDLE);
		if (!t.closed_at_return[0] || !t.closed_at_return[1]) {
			fprintf(stderr, "round %d: a close returned %s before PEER_CLOSED was delivered\n", round,
			        omnirtc_status_string(t.status[t.closed_at_return[0] ? 1 : 0]));
			exit(1);
		}
		CHECK(count_events(&t.peer, OMNIRTC_EVENT_PEER_CLOSED, 0) == 1);
		peer_free(&t.peer);
	}
	wait_counters_back(base, 3, 10000);
}

/* ---- calls racing with the remote's close ------------------------------ */

/* The remote closes while a's end of the channel is paused, so a has not yet
 * read the end of its stream: its channel is still open, its SCTP
 * association is gone.  Send is then a state error, close succeeds, and so
 * does closing the peer pion closed on the remote's close_notify. */
TEST(calls_right_after_the_remote_closed_give_documented_codes) {
	counters_t base = read_counters();
	for (int round = 0; round < 3; round++) {
		peer_t a, b;
		omnirtc_channel_t ca = connected_channel(&a, &b, "c", NULL);
		omnirtc_channel_t cb = remote_channel(&b, 0);
		wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, cb, 1, 10000);
		OK(omnirtc_channel_set_paused(ca, 1));
		/* the read in progress when pausing ends with this message; then a stops reading */
		OK(omnirtc_channel_send(cb, "last", 4, 0));
		wait_events(&a, OMNIRTC_EVENT_CHANNEL_MESSAGE, ca, 1, 10000);
		OK(omnirtc_peer_close(b.id));
		omnirtc_status_t s;
		for (int waited = 0; (s = omnirtc_channel_send(ca, "x", 1, 0)) == OMNIRTC_OK; waited++) {
			CHECK(waited < 10000);
			sleep_ms(1);
		}
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, s);
		OK(omnirtc_channel_close(ca));
		/* closing a closing channel is no error; with the association gone the
		 * first close may already have ended it (seen under qemu): then the
		 * handle is stale */
		s = omnirtc_channel_close(ca);
		CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE);
		wait_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSE, ca, 1, 10000);
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_close(ca));
		wait_connection_state(&a, OMNIRTC_PEER_CLOSED, 10000);
		omnirtc_channel_t late;
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_channel_create(a.id, "late", NULL, &late));
		OK(omnirtc_peer_close(a.id));
		peer_free(&a);
		peer_free(&b);
	}
	wait_counters_back(base, 3, 10000);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
