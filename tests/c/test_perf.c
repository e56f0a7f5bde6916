/* For hosts that care about the cost of calling in: omnirtc_channel_send_batch
 * (the same result as one omnirtc_channel_send per message, in order, stopping
 * at the first failure, which it names) and omnirtc_set_engine_threads. */
#include <string.h>

#include "harness.h"

static void expect_message(const char *fragment) {
	if (strstr(omnirtc_last_error(), fragment) == NULL) {
		fprintf(stderr, "last error \"%s\" does not mention \"%s\"\n", omnirtc_last_error(), fragment);
		exit(1);
	}
}

TEST(batch_arrives_in_order_byte_identical_with_its_flags) {
	peer_t a, b;
	omnirtc_channel_t c = connected_channel(&a, &b, "batch", NULL);
	enum { N = 1000 };
	static uint8_t payload[N][64];
	omnirtc_message_t messages[N];
	for (int i = 0; i < N; i++) {
		int n = snprintf((char *)payload[i], sizeof payload[i], "message %d", i);
		messages[i] = (omnirtc_message_t){payload[i], (size_t)(i % 7 == 0 ? 0 : n), i % 2};
	}
	size_t sent = 12345;
	OK(omnirtc_channel_send_batch(c, messages, N, &sent));
	CHECK(sent == N);
	OK(omnirtc_channel_send(c, "after", 5, 0)); /* a plain send queues behind the batch */
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, N + 1, 20000);
	for (int i = 0; i < N; i++) {
		record_t *r = nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, (size_t)i);
		CHECK(r->message.size == messages[i].size);
		CHECK(r->message.binary == messages[i].binary);
		CHECK(r->message.size == 0 || memcmp(r->message.data, payload[i], r->message.size) == 0);
	}
	record_t *last = nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, N);
	CHECK(last->message.size == 5 && memcmp(last->message.data, "after", 5) == 0);
	/* count 0 is a no-op, with or without an array, and sent_out may be NULL */
	sent = 7;
	OK(omnirtc_channel_send_batch(c, NULL, 0, &sent));
	CHECK(sent == 0);
	OK(omnirtc_channel_send_batch(c, messages, 0, NULL));
	OK(omnirtc_channel_send_batch(c, messages, 2, NULL));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, N + 3, 10000);
	close_pair(&a, &b);
}

TEST(batch_stops_at_the_first_bad_message_and_says_which) {
	peer_t a, b;
	omnirtc_channel_t c = connected_channel(&a, &b, "bad", NULL);
	size_t sent = 99;
	omnirtc_message_t bad_utf8[] = {{"one", 3, 0}, {"\xc3\x28", 2, 0}, {"three", 5, 0}};
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_send_batch(c, bad_utf8, 3, &sent));
	expect_message("messages[1]");
	expect_message("UTF-8");
	CHECK(sent == 1);
	omnirtc_message_t null_data[] = {{"two", 3, 1}, {NULL, 0, 1}, {NULL, 4, 1}, {"x", 1, 1}};
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_send_batch(c, null_data, 4, &sent));
	expect_message("messages[2].data is NULL");
	CHECK(sent == 2);
	/* A wild size is refused before the memory is touched. */
	omnirtc_message_t wild[] = {{"x", SIZE_MAX, 1}};
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send_batch(c, wild, 1, &sent));
	CHECK(sent == 0);
	uint64_t max = 0;
	OK(omnirtc_peer_get_max_message_size(a.id, &max));
	uint8_t *big = calloc(1, (size_t)max + 1);
	CHECK(big != NULL);
	omnirtc_message_t too_large[] = {{"fits", 4, 0}, {big, (size_t)max + 1, 1}};
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send_batch(c, too_large, 2, &sent));
	CHECK(sent == 1);
	free(big);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_send_batch(c, NULL, 1, &sent));
	expect_message("messages is NULL");
	CHECK(sent == 0);
	/* A count no array can hold is refused before the array is read. */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_send_batch(c, bad_utf8, SIZE_MAX, &sent));
	expect_message("count");
	/* exactly the messages before each failure arrived: one, two, "", fits */
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 4, 10000);
	sleep_ms(200);
	CHECK(count_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0) == 4);
	CHECK(memcmp(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 0)->message.data, "one", 3) == 0);
	CHECK(memcmp(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1)->message.data, "two", 3) == 0);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 2)->message.size == 0);
	CHECK(memcmp(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 3)->message.data, "fits", 4) == 0);
	close_pair(&a, &b);
}

TEST(batch_on_bad_handles_and_channels_not_open_is_refused) {
	omnirtc_message_t one[] = {{"x", 1, 0}};
	size_t sent = 5;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_send_batch(0, one, 1, &sent));
	CHECK(sent == 0);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_send_batch(0xFFFFFFFFFFFFFFFFull, one, 1, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_send_batch(0, NULL, 0, NULL));
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_send_batch(a.id, one, 1, &sent));
	expect_message("is a peer handle, not a channel handle");
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "c", NULL, &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_channel_send_batch(c, one, 1, &sent));
	expect_message("connecting");
	CHECK(sent == 0);
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, c, 1, 10000);
	OK(omnirtc_channel_send_batch(c, one, 1, &sent));
	CHECK(sent == 1);
	OK(omnirtc_channel_close(c));
	omnirtc_status_t s = omnirtc_channel_send_batch(c, one, 1, &sent);
	CHECK(s == OMNIRTC_ERR_INVALID_STATE || s == OMNIRTC_ERR_INVALID_HANDLE);
	CHECK(sent == 0);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSE, c, 1, 10000);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_send_batch(c, one, 1, &sent));
	close_pair(&a, &b);
}

TEST(engine_threads_are_set_restored_and_bounded) {
	int32_t previous = -1, first = -1;
	OK(omnirtc_set_engine_threads(1, &first));
	CHECK(first > 0);
	OK(omnirtc_set_engine_threads(3, &previous));
	CHECK(previous == 1);
	OK(omnirtc_set_engine_threads(0, &previous)); /* back to the default */
	CHECK(previous == 3);
	OK(omnirtc_set_engine_threads(2, &previous));
	CHECK(previous == first); /* the default is what the library started with */
	OK(omnirtc_set_engine_threads(0, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_engine_threads(-1, &previous));
	expect_message("threads -1");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_engine_threads(1025, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_engine_threads(INT32_MIN, NULL));
	/* with one engine thread, a pair still connects and talks */
	OK(omnirtc_set_engine_threads(1, NULL));
	peer_t a, b;
	omnirtc_channel_t c = connected_channel(&a, &b, "one thread", NULL);
	omnirtc_message_t one[] = {{"x", 1, 0}};
	OK(omnirtc_channel_send_batch(c, one, 1, NULL));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1, 10000);
	close_pair(&a, &b);
	OK(omnirtc_set_engine_threads(0, NULL));
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
