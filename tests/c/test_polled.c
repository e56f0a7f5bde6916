/* Polled peers (omnirtc_peer_create_polled + omnirtc_peer_poll_events): the
 * same events as a callback peer, bounded memory for a slow poller, notify
 * arming, close from inside notify, and misuse. */
#include <string.h>

#include "harness.h"

/* The channel events b records for: open a channel from a, send `n`
 * numbered messages, close.  Written as "type:payload;" into out. */
static void channel_transcript(int polled, char *out, size_t cap) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	if (polled)
		peer_open_polled(&b, "b", NULL);
	else
		peer_open(&b, "b", NULL);
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "seq", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	char msg[32];
	for (int i = 0; i < 50; i++) {
		snprintf(msg, sizeof msg, "m%d", i);
		OK(omnirtc_channel_send(ca, msg, strlen(msg), i % 2));
	}
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 50, 10000);
	OK(omnirtc_peer_close(b.id));
	OK(omnirtc_peer_close(a.id));
	wait_events(&b, OMNIRTC_EVENT_PEER_CLOSED, 0, 1, 10000); /* polled: close does not wait for the pump */
	peer_free(&a);
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < b.count; i++) {
		record_t *r = &b.events[i];
		if (r->type != OMNIRTC_EVENT_DATA_CHANNEL && r->type != OMNIRTC_EVENT_CHANNEL_OPEN &&
		    r->type != OMNIRTC_EVENT_CHANNEL_MESSAGE && r->type != OMNIRTC_EVENT_PEER_CLOSED)
			continue;
		int message = r->type == OMNIRTC_EVENT_CHANNEL_MESSAGE && r->message.data != NULL;
		at += snprintf(out + at, cap - at, "%d:%d:%.*s;", r->type,
		               r->type == OMNIRTC_EVENT_CHANNEL_MESSAGE ? r->message.binary : 0,
		               message ? (int)r->message.size : 0, message ? (const char *)r->message.data : "");
		CHECK(at < cap);
	}
	CHECK(b.events[b.count - 1].type == OMNIRTC_EVENT_PEER_CLOSED);
	peer_free(&b);
}

TEST(polled_peer_sees_the_same_events_as_a_callback_peer) {
	counters_t base = read_counters();
	static char pushed[8192], polled[8192];
	channel_transcript(0, pushed, sizeof pushed);
	channel_transcript(1, polled, sizeof polled);
	if (strcmp(pushed, polled) != 0) {
		fprintf(stderr, "pushed: %s\npolled: %s\n", pushed, polled);
		exit(1);
	}
	wait_counters_back(base, 10, 10000);
}

/* A slow poller: waits for a queue to form, sleeps now and then, and checks
 * the queue stays bounded. */
static long max_queued;
static void slow(peer_t *p, const omnirtc_event_t *e) {
	(void)p;
	if (e->type != OMNIRTC_EVENT_CHANNEL_MESSAGE)
		return;
	uint32_t seq;
	CHECK(e->message.size >= sizeof seq);
	memcpy(&seq, e->message.data, sizeof seq);
	CHECK(seq == (uint32_t)p->messages); /* in order, none lost */
	if (seq == 0) {
		/* Held until messages queue behind it, so the poller is slower than
		 * the sender however fast it runs (under qemu it was not). */
		int waited = 0;
		while (read_counters().queued == 0 && waited++ < 30000)
			sleep_ms(1);
	}
	if (seq % 32 == 0) {
		sleep_ms(2);
		counters_t c = read_counters();
		if (c.queued > max_queued)
			max_queued = c.queued;
		CHECK(c.held_batches <= 1);
	}
}

TEST(slow_poller_gets_20_mb_in_order_with_a_bounded_queue) {
	counters_t base = read_counters();
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open_polled(&b, "b", NULL);
	b.keep_payloads = 0;
	b.hook = slow;
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "bulk", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	enum { size = 60000, count = 20000000 / size + 1 };
	static uint8_t buf[size];
	for (uint32_t i = 0; i < count; i++) {
		memcpy(buf, &i, sizeof i);
		omnirtc_status_t s;
		/* the sender's own buffer is bounded too: wait for it to drain */
		while ((s = omnirtc_channel_send(ca, buf, size, 1)) == OMNIRTC_ERR_INVALID_STATE)
			sleep_ms(1);
		OK(s);
		uint64_t buffered = 0;
		for (;;) {
			char *info = NULL;
			OK(omnirtc_channel_get_info(ca, &info));
			const char *at = strstr(info, "\"bufferedAmount\":");
			buffered = at != NULL ? strtoull(at + 17, NULL, 10) : 0;
			omnirtc_free(info);
			if (buffered < 8u << 20)
				break;
			sleep_ms(5);
		}
	}
	wait_message_bytes(&b, (uint64_t)size * count, 120000);
	CHECK(b.messages == count);
	/* the 4 MiB budget over 60 kB messages, and a control event or two */
	CHECK(max_queued > 0 && max_queued <= (4 << 20) / size + 4);
	close_pair(&a, &b);
	wait_counters_back(base, 10, 10000);
}

/* Closes its peer from inside notify, then polls until PEER_CLOSED. Notify
 * runs on a library thread: the NEGOTIATION_NEEDED that
 * omnirtc_channel_create queues may reach it before that call has returned
 * (seen under qemu-user), and a close then would make the create fail as a
 * close from any other thread does. So it first waits for the create to
 * return; the test waits for it to be done. */
static pthread_mutex_t notify_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notify_cv = PTHREAD_COND_INITIALIZER;
static int created, notified, closed_in_notify;
static void close_in_notify(void *user_data, omnirtc_peer_t id) {
	(void)user_data;
	if (__atomic_exchange_n(&notified, 1, __ATOMIC_SEQ_CST))
		return;
	CHECK(wait_flag(&notify_mu, &notify_cv, &created, 1, 10000));
	OK(omnirtc_peer_close(id));
	omnirtc_event_t e[4];
	size_t n = 0;
	/* inside notify: PEER_CLOSED is there at once, alone */
	OK(omnirtc_peer_poll_events(id, e, 4, &n));
	CHECK(n == 1 && e[0].type == OMNIRTC_EVENT_PEER_CLOSED && e[0].peer == id);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_poll_events(id, e, 4, &n));
	bump(&notify_mu, &notify_cv, &closed_in_notify);
}

TEST(close_from_inside_notify_then_poll_peer_closed) {
	counters_t base = read_counters();
	omnirtc_peer_t id;
	OK(omnirtc_peer_create_polled(LOOPBACK_CONFIG, close_in_notify, NULL, &id));
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(id, "x", NULL, &c)); /* NEGOTIATION_NEEDED: a notify */
	bump(&notify_mu, &notify_cv, &created);
	CHECK(wait_flag(&notify_mu, &notify_cv, &closed_in_notify, 1, 10000));
	wait_counters_back(base, 10, 10000);
}

/* Notify re-arms only after a short poll. */
static int notifies;
static void count_notify(void *user_data, omnirtc_peer_t id) {
	(void)user_data;
	(void)id;
	__atomic_add_fetch(&notifies, 1, __ATOMIC_SEQ_CST);
}

TEST(notify_fires_once_per_burst_and_rearms_after_a_short_poll) {
	omnirtc_peer_t id;
	OK(omnirtc_peer_create_polled(LOOPBACK_CONFIG, count_notify, NULL, &id));
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(id, "x", NULL, &c));
	for (int i = 0; i < 500 && __atomic_load_n(&notifies, __ATOMIC_SEQ_CST) == 0; i++)
		sleep_ms(10);
	CHECK(notifies == 1);
	omnirtc_event_t e[8];
	size_t n = 0;
	OK(omnirtc_peer_poll_events(id, e, 8, &n));
	CHECK(n == 1 && e[0].type == OMNIRTC_EVENT_NEGOTIATION_NEEDED && e[0].peer == id);
	/* short poll: armed again, so the close's PEER_CLOSED notifies */
	OK(omnirtc_peer_close(id));
	for (int i = 0; i < 500 && __atomic_load_n(&notifies, __ATOMIC_SEQ_CST) < 2; i++)
		sleep_ms(10);
	CHECK(notifies == 2);
	OK(omnirtc_peer_poll_events(id, e, 8, &n));
	CHECK(n == 1 && e[0].type == OMNIRTC_EVENT_PEER_CLOSED);
}

/* omnirtc_shutdown is what a host calls before it exits: once it returns no
 * notify starts, not even for the PEER_CLOSED it queued, which stays there to
 * be polled.  (A notify after it reached Python as it finalized: SIGSEGV.) */
TEST(no_notify_after_shutdown_returns) {
	omnirtc_peer_t id;
	__atomic_store_n(&notifies, 0, __ATOMIC_SEQ_CST);
	OK(omnirtc_peer_create_polled(LOOPBACK_CONFIG, count_notify, NULL, &id));
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(id, "x", NULL, &c));
	for (int i = 0; i < 500 && __atomic_load_n(&notifies, __ATOMIC_SEQ_CST) == 0; i++)
		sleep_ms(10);
	omnirtc_event_t e[8];
	size_t n = 0;
	OK(omnirtc_peer_poll_events(id, e, 8, &n)); /* short poll: armed */
	CHECK(n == 1);
	OK(omnirtc_shutdown());
	int at_return = __atomic_load_n(&notifies, __ATOMIC_SEQ_CST);
	sleep_ms(300);
	CHECK(__atomic_load_n(&notifies, __ATOMIC_SEQ_CST) == at_return);
	OK(omnirtc_peer_poll_events(id, e, 8, &n));
	CHECK(n == 1 && e[0].type == OMNIRTC_EVENT_PEER_CLOSED);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_poll_events(id, e, 8, &n));
}

/* Holds b's pump inside its batch at the channel's BUFFERED_AMOUNT_LOW (an
 * event that points to no batch memory), so the test thread polls instead. */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_held, gate_open;
static void hold_pump(peer_t *p, const omnirtc_event_t *e) {
	(void)p;
	if (e->type != OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW)
		return;
	bump(&gate_mu, &gate_cv, &gate_held);
	CHECK(wait_flag(&gate_mu, &gate_cv, &gate_open, 1, 30000));
}

/* W3C webrtc-pc 6.2: readyState becomes closed in the task that fires close.
 * A channel the library closed reads CLOSING until the poll that returns its
 * CHANNEL_CLOSE, which starts that batch and releases the handle. */
TEST(polled_channel_reads_closing_until_its_close_is_polled) {
	counters_t base = read_counters();
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open_polled(&b, "b", NULL);
	pthread_mutex_lock(&b.mu);
	b.hook = hold_pump;
	pthread_mutex_unlock(&b.mu);
	omnirtc_channel_t cb;
	OK(omnirtc_channel_create(b.id, "x", NULL, &cb));
	connect_pair(&b, &a);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, cb, 1, 10000);
	OK(omnirtc_channel_set_buffered_amount_low_threshold(cb, 1));
	static uint8_t payload[65536];
	OK(omnirtc_channel_send(cb, payload, sizeof payload, 1));
	CHECK(wait_flag(&gate_mu, &gate_cv, &gate_held, 1, 10000));
	OK(omnirtc_channel_close(cb));
	omnirtc_event_t e[8];
	size_t n = 0;
	int32_t state = -1;
	for (;;) {
		OK(omnirtc_channel_get_ready_state(cb, &state));
		if (state != OMNIRTC_CHANNEL_CLOSING) {
			fprintf(stderr, "channel state %d before its CHANNEL_CLOSE was polled\n", state);
			exit(1);
		}
		OK(omnirtc_peer_poll_events(b.id, e, 8, &n));
		if (n > 0 && e[0].type == OMNIRTC_EVENT_CHANNEL_CLOSE && e[0].channel.channel == cb)
			break;
		for (size_t i = 0; i < n; i++)
			CHECK(e[i].type != OMNIRTC_EVENT_CHANNEL_CLOSE || e[i].channel.channel != cb);
		if (n < 8) { /* armed: wait for the next notify */
			CHECK(wait_flag(&b.mu, &b.cv, &b.wake, 1, 10000));
			pthread_mutex_lock(&b.mu);
			b.wake = 0;
			pthread_mutex_unlock(&b.mu);
		}
	}
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_get_ready_state(cb, &state));
	/* the pump goes on: one poll from it finds the queue as this left it */
	bump(&b.mu, &b.cv, &b.wake);
	bump(&gate_mu, &gate_cv, &gate_open);
	close_pair(&a, &b);
	wait_counters_back(base, 10, 10000);
}

static void ignore_event(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	(void)e;
}

TEST(polled_misuse_is_reported) {
	counters_t base = read_counters();
	omnirtc_peer_t id, push;
	omnirtc_event_t e[4];
	size_t n = 0;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_create_polled(NULL, NULL, NULL, &id));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_create_polled(NULL, count_notify, NULL, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG, omnirtc_peer_create_polled("{\"x\":1}", count_notify, NULL, &id));
	OK(omnirtc_peer_create_polled(LOOPBACK_CONFIG, count_notify, NULL, &id));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_poll_events(id, NULL, 4, &n));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_poll_events(id, e, 4, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_poll_events(id, e, 0, &n));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_poll_events(0, e, 4, &n));
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(id, "x", NULL, &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_channel_set_callback(c, ignore_event, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_track_receive(id, "{\"mode\":\"bogus\"}"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_set_track_receive(0, NULL));
	OK(omnirtc_peer_set_track_receive(id, "{\"mode\":\"rtp\"}"));
	OK(omnirtc_peer_set_track_receive(id, NULL));
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, ignore_event, NULL, &push));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_poll_events(push, e, 4, &n));
	OK(omnirtc_peer_close(push));
	OK(omnirtc_peer_close(id));
	do
		OK(omnirtc_peer_poll_events(id, e, 4, &n));
	while (n == 0 || e[n - 1].type != OMNIRTC_EVENT_PEER_CLOSED);
	CHECK(n == 1);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_poll_events(id, e, 4, &n));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(id));
	wait_counters_back(base, 10, 10000);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
