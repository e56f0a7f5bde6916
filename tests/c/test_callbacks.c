/* Calling into the library from inside callbacks: close from every kind of
 * event, channel callbacks, and the delivery guarantees around close. */
#include <string.h>

#include "harness.h"

/* Closes its own peer when the event of the test's type arrives. */
static void close_peer_on(peer_t *p, const omnirtc_event_t *e) {
	int32_t want = *(int32_t *)p->test_data;
	if (e->type == want) {
		omnirtc_status_t s = omnirtc_peer_close(p->id);
		/* several events of the type may be in flight: only the first closes */
		CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE);
	}
}

/* Closes the channel the event is about. */
static void close_channel_on(peer_t *p, const omnirtc_event_t *e) {
	int32_t want = *(int32_t *)p->test_data;
	if (e->type == want && omnirtc_event_channel_of(e) != 0) {
		omnirtc_status_t s = omnirtc_channel_close(omnirtc_event_channel_of(e));
		CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE);
	}
}

/* negotiate() that stops quietly once the victim closed itself. */
static int step(omnirtc_status_t s) {
	/* INVALID_STATE: the call raced with the close and lost */
	if (s != OMNIRTC_OK && s != OMNIRTC_ERR_INVALID_HANDLE && s != OMNIRTC_ERR_INVALID_STATE) {
		fprintf(stderr, "unexpected %s: %s\n", omnirtc_status_string(s), omnirtc_last_error());
		exit(1);
	}
	return s == OMNIRTC_OK;
}

static void try_negotiate(peer_t *a, peer_t *b) {
	a->remote = b;
	b->remote = a;
	char *offer = NULL, *answer = NULL;
	if (step(omnirtc_peer_create_offer(a->id, NULL, &offer)) &&
	    step(omnirtc_peer_set_local_description(a->id, "offer", offer)) &&
	    step(omnirtc_peer_set_remote_description(b->id, "offer", offer)) && (remote_described(b), 1) &&
	    step(omnirtc_peer_create_answer(b->id, NULL, &answer)) &&
	    step(omnirtc_peer_set_local_description(b->id, "answer", answer)) &&
	    step(omnirtc_peer_set_remote_description(a->id, "answer", answer)))
		remote_described(a);
	omnirtc_free(offer);
	omnirtc_free(answer);
}

/* Drives a pair until `victim` sees `type`, with `hook` installed on it. */
static void run_close_case(int32_t type, int victim_is_b, peer_hook hook) {
	counters_t base = read_counters();
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	peer_t *victim = victim_is_b ? &b : &a;
	int32_t want = type;
	victim->test_data = &want;
	victim->hook = hook;
	omnirtc_channel_t ca;
	if (type == OMNIRTC_EVENT_NEGOTIATION_NEEDED) {
		/* The event, and the close inside it, may beat the create's return:
		 * then the create lost a race with close, a state error. */
		omnirtc_status_t s = omnirtc_channel_create(a.id, "c", NULL, &ca);
		CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_STATE);
		/* pion fires it only while stable, so negotiating first could
		 * satisfy the need before it is ever announced. */
		wait_events(victim, type, 0, 1, 15000);
	} else {
		OK(omnirtc_channel_create(a.id, "c", NULL, &ca));
		OK(omnirtc_channel_set_buffered_amount_low_threshold(ca, 1));
	}
	if (type >= OMNIRTC_EVENT_DATA_CHANNEL)
		negotiate(&a, &b);
	else
		try_negotiate(&a, &b); /* the victim may close during negotiation */
	if (type >= OMNIRTC_EVENT_CHANNEL_MESSAGE) {
		wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
		wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, 0, 1, 10000);
		omnirtc_channel_t cb = nth_event(&b, OMNIRTC_EVENT_DATA_CHANNEL, 0, 0)->channel.channel;
		if (type == OMNIRTC_EVENT_CHANNEL_CLOSING || type == OMNIRTC_EVENT_CHANNEL_CLOSE)
			OK(omnirtc_channel_close(cb)); /* a sees closing, then close */
		else
			/* b gets a message; a a low event: 2 bytes fall below the threshold of 1 */
			OK(omnirtc_channel_send(ca, "mm", 2, 1));
	}
	wait_events(victim, type, 0, 1, 15000);
	if (hook == close_peer_on) {
		/* the close started inside the callback finishes right after it */
		wait_events(victim, OMNIRTC_EVENT_PEER_CLOSED, 0, 1, 10000);
		CHECK(count_events(victim, OMNIRTC_EVENT_PEER_CLOSED, 0) == 1);
		size_t last = victim->count - 1;
		CHECK(victim->events[last].type == OMNIRTC_EVENT_PEER_CLOSED);
		/* a close while PEER_CLOSED's callback runs waits for it; after it the handle is stale */
		omnirtc_status_t s = omnirtc_peer_close(victim->id);
		CHECK(s == OMNIRTC_OK || s == OMNIRTC_ERR_INVALID_HANDLE);
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(victim->id));
	}
	peer_t *other = victim_is_b ? &a : &b;
	if (!victim->closed)
		OK(omnirtc_peer_close(victim->id));
	OK(omnirtc_peer_close(other->id));
	wait_counters_back(base, 2, 10000);
	peer_free(&a);
	peer_free(&b);
}

TEST(close_peer_inside_ice_candidate) { run_close_case(OMNIRTC_EVENT_ICE_CANDIDATE, 0, close_peer_on); }
TEST(close_peer_inside_ice_gathering_state) { run_close_case(OMNIRTC_EVENT_ICE_GATHERING_STATE, 0, close_peer_on); }
TEST(close_peer_inside_ice_connection_state) { run_close_case(OMNIRTC_EVENT_ICE_CONNECTION_STATE, 1, close_peer_on); }
TEST(close_peer_inside_connection_state) { run_close_case(OMNIRTC_EVENT_CONNECTION_STATE, 1, close_peer_on); }
TEST(close_peer_inside_signaling_state) { run_close_case(OMNIRTC_EVENT_SIGNALING_STATE, 1, close_peer_on); }
TEST(close_peer_inside_negotiation_needed) { run_close_case(OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0, close_peer_on); }
TEST(close_peer_inside_data_channel) { run_close_case(OMNIRTC_EVENT_DATA_CHANNEL, 1, close_peer_on); }
TEST(close_peer_inside_channel_open) { run_close_case(OMNIRTC_EVENT_CHANNEL_OPEN, 1, close_peer_on); }
TEST(close_peer_inside_channel_message) { run_close_case(OMNIRTC_EVENT_CHANNEL_MESSAGE, 1, close_peer_on); }
TEST(close_peer_inside_buffered_amount_low) {
	run_close_case(OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW, 0, close_peer_on);
}
TEST(close_peer_inside_channel_closing) { run_close_case(OMNIRTC_EVENT_CHANNEL_CLOSING, 0, close_peer_on); }
TEST(close_peer_inside_channel_close) { run_close_case(OMNIRTC_EVENT_CHANNEL_CLOSE, 0, close_peer_on); }
TEST(close_channel_inside_channel_open) { run_close_case(OMNIRTC_EVENT_CHANNEL_CLOSE, 1, close_channel_on); }
TEST(close_channel_inside_channel_message) { run_close_case(OMNIRTC_EVENT_CHANNEL_MESSAGE, 1, close_channel_on); }
TEST(close_channel_inside_channel_closing) { run_close_case(OMNIRTC_EVENT_CHANNEL_CLOSING, 0, close_channel_on); }

/* close() from another thread returns only after PEER_CLOSED was delivered,
 * and no callback for the peer starts after it. */
TEST(close_from_another_thread_delivers_closed_before_returning) {
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "c", NULL);
	wait_events(&b, OMNIRTC_EVENT_DATA_CHANNEL, 0, 1, 10000);
	for (int i = 0; i < 100; i++)
		OK(omnirtc_channel_send(ca, "x", 1, 0)); /* b is busy delivering while we close it */
	OK(omnirtc_peer_close(b.id));
	CHECK(b.closed);
	size_t n = b.count;
	sleep_ms(200);
	CHECK(b.count == n);
	EXPECT_STATUS(
	    OMNIRTC_ERR_INVALID_HANDLE,
	    omnirtc_channel_send(nth_event(&b, OMNIRTC_EVENT_DATA_CHANNEL, 0, 0)->channel.channel, "x", 1, 0));
	OK(omnirtc_peer_close(a.id));
	peer_free(&a);
	peer_free(&b);
}

/* A channel with its own callback gets its events there, with its user data. */
typedef struct {
	pthread_mutex_t mu;
	int messages;
	int wrong_user_data;
} own_sink_t;

static own_sink_t own_sink = {PTHREAD_MUTEX_INITIALIZER, 0, 0};

static void own_callback(void *user_data, const omnirtc_event_t *e) {
	pthread_mutex_lock(&own_sink.mu);
	if (user_data != &own_sink)
		own_sink.wrong_user_data = 1;
	if (e->type == OMNIRTC_EVENT_CHANNEL_MESSAGE)
		own_sink.messages++;
	pthread_mutex_unlock(&own_sink.mu);
}

static void adopt_channel(peer_t *p, const omnirtc_event_t *e) {
	(void)p;
	if (e->type == OMNIRTC_EVENT_DATA_CHANNEL)
		OK(omnirtc_channel_set_callback(e->channel.channel, own_callback, &own_sink));
}

TEST(channel_callback_receives_its_events) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	b.hook = adopt_channel;
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "c", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	for (int i = 0; i < 10; i++)
		OK(omnirtc_channel_send(ca, "x", 1, 0));
	for (int waited = 0; waited < 10000; waited += 20) {
		pthread_mutex_lock(&own_sink.mu);
		int got = own_sink.messages;
		pthread_mutex_unlock(&own_sink.mu);
		if (got == 10)
			break;
		sleep_ms(20);
	}
	CHECK(own_sink.messages == 10 && !own_sink.wrong_user_data);
	CHECK(count_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0) == 0);
	close_pair(&a, &b);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
