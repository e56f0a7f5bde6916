/* Every RTCDataChannelInit option, negotiated channels, bulk transfer. */
#include <string.h>

#include "harness.h"

static char *info(omnirtc_channel_t c) {
	char *json = NULL;
	OK(omnirtc_channel_get_info(c, &json));
	return json;
}

/* Each option arrives at the remote as the same attribute, and messages flow. */
TEST(every_channel_option_reaches_the_remote) {
	static const struct {
		const char *init, *expect[3];
	} cases[] = {
	    {"{\"ordered\":false}", {"\"ordered\":false", "\"maxRetransmits\":null", "\"maxPacketLifeTime\":null"}},
	    {"{\"maxRetransmits\":0}", {"\"ordered\":true", "\"maxRetransmits\":0", "\"maxPacketLifeTime\":null"}},
	    {"{\"ordered\":false,\"maxPacketLifeTime\":150}",
	     {"\"ordered\":false", "\"maxPacketLifeTime\":150", "\"maxRetransmits\":null"}},
	    {"{\"protocol\":\"chat.v2\"}", {"\"protocol\":\"chat.v2\"", "\"ordered\":true", "\"negotiated\":false"}},
	};
	const size_t n = sizeof cases / sizeof cases[0];
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t local[8];
	for (size_t i = 0; i < n; i++) {
		char label[16];
		snprintf(label, sizeof label, "c%zu", i);
		OK(omnirtc_channel_create(a.id, label, cases[i].init, &local[i]));
	}
	connect_pair(&a, &b);
	int wrong = 0; /* every case is checked, so one run shows each option that is lost */
	for (size_t i = 0; i < n; i++) {
		omnirtc_channel_t remote = remote_channel(&b, i);
		wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, remote, 1, 10000);
		char *json = info(remote);
		char label[24];
		snprintf(label, sizeof label, "\"label\":\"c%zu\"", i);
		/* remote channels arrive in creation order on one SCTP association */
		CHECK(strstr(json, label) != NULL);
		for (int k = 0; k < 3; k++) {
			if (strstr(json, cases[i].expect[k]) == NULL) {
				fprintf(stderr, "case %s: %s not in %s\n", cases[i].init, cases[i].expect[k], json);
				wrong++;
			}
		}
		omnirtc_free(json);
		wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, local[i], 1, 10000);
		OK(omnirtc_channel_send(local[i], "x", 1, 0));
		wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, remote, 1, 10000);
	}
	CHECK(wrong == 0);
	close_pair(&a, &b);
}

/* Negotiated channels: both sides create id 7 out of band; no DATA_CHANNEL event. */
TEST(negotiated_channels_pair_by_id) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t ca, cb;
	OK(omnirtc_channel_create(a.id, "neg", "{\"negotiated\":true,\"id\":7}", &ca));
	OK(omnirtc_channel_create(b.id, "neg", "{\"negotiated\":true,\"id\":7}", &cb));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, cb, 1, 10000);
	OK(omnirtc_channel_send(ca, "ping", 4, 0));
	OK(omnirtc_channel_send(cb, "pong", 4, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1, 10000);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_MESSAGE, ca, 1, 10000);
	CHECK(memcmp(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 0)->message.data, "ping", 4) == 0);
	CHECK(count_events(&b, OMNIRTC_EVENT_DATA_CHANNEL, 0) == 0);
	char *json = info(ca);
	CHECK(strstr(json, "\"id\":7") && strstr(json, "\"negotiated\":true"));
	omnirtc_free(json);
	close_pair(&a, &b);
}

/* --- 16 MiB in 64 KiB messages, checked byte by byte in order ----------- */

#define CHUNK (64 * 1024)
#define TOTAL (16u * 1024 * 1024)

static uint8_t pattern(uint64_t offset) { return (uint8_t)((offset * 2654435761u) >> 13); }

/* Sends the CHUNK bytes of the pattern from offset on. */
static omnirtc_status_t send_pattern(omnirtc_channel_t channel, uint64_t offset) {
	static uint8_t chunk[CHUNK];
	for (size_t i = 0; i < CHUNK; i++)
		chunk[i] = pattern(offset + i);
	return omnirtc_channel_send(channel, chunk, CHUNK, 1);
}

typedef struct {
	uint64_t offset; /* next expected byte */
	int bad;
} stream_check_t;

static void check_stream(peer_t *p, const omnirtc_event_t *e) {
	if (e->type != OMNIRTC_EVENT_CHANNEL_MESSAGE)
		return;
	stream_check_t *s = p->test_data;
	for (size_t i = 0; i < e->message.size; i++) {
		if (e->message.data[i] != pattern(s->offset + i)) {
			s->bad = 1;
			break;
		}
	}
	s->offset += e->message.size;
}

TEST(sixteen_mib_in_64k_messages_arrive_byte_identical_and_in_order) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	stream_check_t check = {0};
	b.keep_payloads = 0;
	b.test_data = &check;
	b.hook = check_stream;
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "bulk", NULL, &ca));
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	OK(omnirtc_channel_set_buffered_amount_low_threshold(ca, 1 << 20));

	size_t lows = 0;
	for (uint64_t sent = 0; sent < TOTAL; sent += CHUNK) {
		uint64_t buffered = 0;
		OK(omnirtc_channel_get_buffered_amount(ca, &buffered));
		if (buffered > 4u << 20) /* flow control: wait for the low-water event */
			wait_events(&a, OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW, ca, ++lows, 20000);
		OK(send_pattern(ca, sent));
	}
	wait_message_bytes(&b, TOTAL, 60000);
	CHECK(b.messages == TOTAL / CHUNK);
	CHECK(check.offset == TOTAL && !check.bad);
	CHECK(lows > 0); /* the flow control really ran */
	close_pair(&a, &b);
}

/* A message of exactly the maximum size passes; one byte more is refused. */
TEST(max_message_size_is_enforced_at_send) {
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "big", NULL);
	uint64_t max = 0;
	OK(omnirtc_peer_get_max_message_size(a.id, &max));
	CHECK(max == 256 * 1024); /* what the remote (OmniRTC's default) advertised */
	uint8_t *big = calloc(1, max + 1);
	CHECK(big != NULL);
	big[0] = 42;
	big[max - 1] = 43;
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send(ca, big, max + 1, 1));
	OK(omnirtc_channel_send(ca, big, max, 1));
	omnirtc_channel_t cb = remote_channel(&b, 0);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1, 10000);
	record_t *m = nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 0);
	CHECK(m->message.size == max && m->message.data[0] == 42 && m->message.data[max - 1] == 43);
	free(big);
	close_pair(&a, &b);
}

/* While paused, nothing is delivered and nothing is lost; resume delivers all. */
TEST(paused_channel_holds_messages_until_resumed) {
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "slow", NULL);
	wait_events(&b, OMNIRTC_EVENT_DATA_CHANNEL, 0, 1, 10000);
	omnirtc_channel_t cb = nth_event(&b, OMNIRTC_EVENT_DATA_CHANNEL, 0, 0)->channel.channel;
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, cb, 1, 10000);
	OK(omnirtc_channel_send(ca, "first", 5, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1, 10000);
	OK(omnirtc_channel_set_paused(cb, 1));
	/* The reader may already wait inside SCTP for the next message: that one
	 * is delivered; everything after it is held. */
	static uint8_t chunk[16384];
	for (int i = 0; i < 200; i++) {
		chunk[0] = (uint8_t)i;
		OK(omnirtc_channel_send(ca, chunk, sizeof chunk, 1));
	}
	sleep_ms(300);
	size_t held = count_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb);
	CHECK(held <= 2);
	uint64_t buffered = 0;
	OK(omnirtc_channel_get_buffered_amount(ca, &buffered));
	CHECK(buffered > 0); /* backpressure reached the sender */
	OK(omnirtc_channel_set_paused(cb, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 201, 20000);
	for (int i = 0; i < 200; i++)
		CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, (size_t)i + 1)->message.data[0] == (uint8_t)i);
	close_pair(&a, &b);
}

/* W3C send(): OperationError when the data cannot be queued.  A send that
 * would take the buffered amount past OMNIRTC_MAX_BUFFERED_AMOUNT is refused;
 * everything queued before it is still delivered, and once the queue drains
 * sending works again. */
TEST(send_past_the_buffered_amount_limit_is_refused_and_loses_nothing) {
	peer_t a, b;
	omnirtc_channel_t ca = connected_channel(&a, &b, "full", NULL);
	omnirtc_channel_t cb = remote_channel(&b, 0);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, cb, 1, 10000);
	stream_check_t check = {0};
	b.keep_payloads = 0;
	b.test_data = &check;
	b.hook = check_stream;
	OK(omnirtc_channel_set_paused(cb, 1)); /* b stops reading: the data stays queued at a */

	uint64_t sent = 0;
	omnirtc_status_t status;
	while ((status = send_pattern(ca, sent)) == OMNIRTC_OK && sent <= (64u << 20))
		sent += CHUNK;
	CHECK(status == OMNIRTC_ERR_OPERATION);
	CHECK(strstr(omnirtc_last_error(), "bufferedAmount") != NULL);
	uint64_t buffered = 0;
	OK(omnirtc_channel_get_buffered_amount(ca, &buffered));
	CHECK(buffered <= OMNIRTC_MAX_BUFFERED_AMOUNT);
	/* refused when what was queued and not yet taken by b (its SCTP window
	 * and the library's queue budget, a few MiB) reached the limit */
	CHECK(sent + CHUNK > OMNIRTC_MAX_BUFFERED_AMOUNT && sent < OMNIRTC_MAX_BUFFERED_AMOUNT + (12u << 20));

	OK(omnirtc_channel_set_paused(cb, 0));
	wait_message_bytes(&b, sent, 60000);
	CHECK(check.offset == sent && !check.bad);
	OK(send_pattern(ca, sent));
	wait_message_bytes(&b, sent + CHUNK, 10000);
	CHECK(check.offset == sent + CHUNK && !check.bad);
	close_pair(&a, &b);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
