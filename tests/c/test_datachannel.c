/* Two peers in one process: trickle ICE, channels, messages both ways. */
#include <string.h>

#include "harness.h"

TEST(connects_with_trickle_ice_and_exchanges_text_and_binary) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "chat", NULL, &ca));
	connect_pair(&a, &b);
	/* pion announces a gathered candidate from its own goroutine, so the
	 * connection may come first: wait rather than count. */
	wait_events(&a, OMNIRTC_EVENT_ICE_CANDIDATE, 0, 1, 10000);

	omnirtc_channel_t cb = remote_channel(&b, 0);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_OPEN, cb, 1, 10000);

	OK(omnirtc_channel_send(ca, "hello", 5, 0));
	const uint8_t bin[] = {0, 1, 2, 255};
	OK(omnirtc_channel_send(ca, bin, sizeof bin, 1));
	OK(omnirtc_channel_send(cb, "back", 4, 0));

	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 2, 10000);
	record_t *m0 = nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 0);
	CHECK(m0->message.binary == 0 && m0->message.size == 5 && memcmp(m0->message.data, "hello", 5) == 0);
	record_t *m1 = nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, cb, 1);
	CHECK(m1->message.binary == 1 && m1->message.size == 4 && memcmp(m1->message.data, bin, 4) == 0);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_MESSAGE, ca, 1, 10000);
	record_t *m2 = nth_event(&a, OMNIRTC_EVENT_CHANNEL_MESSAGE, ca, 0);
	CHECK(m2->message.binary == 0 && m2->message.size == 4 && memcmp(m2->message.data, "back", 4) == 0);

	char *info = NULL;
	OK(omnirtc_channel_get_info(cb, &info));
	CHECK(strstr(info, "\"label\":\"chat\"") != NULL);
	CHECK(strstr(info, "\"readyState\":\"open\"") != NULL);
	omnirtc_free(info);

	int32_t state = -1;
	OK(omnirtc_peer_get_connection_state(a.id, &state));
	CHECK(state == OMNIRTC_PEER_CONNECTED);
	OK(omnirtc_peer_get_signaling_state(a.id, &state));
	CHECK(state == OMNIRTC_SIGNALING_STABLE);

	OK(omnirtc_peer_close(a.id));
	OK(omnirtc_peer_close(b.id));
	CHECK(a.closed && b.closed);
	peer_free(&a);
	peer_free(&b);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
