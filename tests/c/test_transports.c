/* omnirtc_peer_get_transports and the transport events (webrtc-pc 5.4
 * RTCDtlsTransport, 5.6 RTCIceTransport, 6.1.1 RTCSctpTransport). */
#include <string.h>

#include "harness.h"

static char *transports(peer_t *p) {
	char *json = NULL;
	OK(omnirtc_peer_get_transports(p->id, &json));
	CHECK(json != NULL);
	return json;
}

static const record_t *transport_event(peer_t *p, size_t n) {
	return nth_event(p, OMNIRTC_EVENT_TRANSPORT_STATE, 0, n);
}

TEST(transports_before_negotiation_have_no_sctp) {
	peer_t a;
	peer_open(&a, "a", NULL);
	char *json = transports(&a);
	CHECK(strstr(json, "\"sctp\":null") != NULL);
	CHECK(strstr(json, "\"dtls\":{\"state\":\"new\",\"remoteCertificates\":[]}") != NULL);
	CHECK(strstr(json, "\"selectedPair\":null") != NULL);
	omnirtc_free(json);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_get_transports(a.id, NULL));
	omnirtc_peer_t id = a.id;
	OK(omnirtc_peer_close(a.id));
	char *out = NULL;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_get_transports(id, &out));
	CHECK(out == NULL);
	peer_free(&a);
}

TEST(transports_connect_in_order_and_report_their_state) {
	peer_t a, b;
	connected_channel(&a, &b, "c", NULL);
	/* SCTP's "connected" comes before any channel opens, after DTLS's */
	CHECK(count_events(&a, OMNIRTC_EVENT_TRANSPORT_STATE, 0) == 3);
	CHECK(transport_event(&a, 0)->transport_state.transport == OMNIRTC_TRANSPORT_DTLS);
	CHECK(transport_event(&a, 0)->transport_state.value == OMNIRTC_DTLS_TRANSPORT_CONNECTING);
	CHECK(strcmp(transport_event(&a, 0)->transport_state.name, "connecting") == 0);
	CHECK(transport_event(&a, 1)->transport_state.value == OMNIRTC_DTLS_TRANSPORT_CONNECTED);
	CHECK(transport_event(&a, 2)->transport_state.transport == OMNIRTC_TRANSPORT_SCTP);
	CHECK(transport_event(&a, 2)->transport_state.value == OMNIRTC_SCTP_TRANSPORT_CONNECTED);
	CHECK(strcmp(transport_event(&a, 2)->transport_state.name, "connected") == 0);

	wait_events(&a, OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR, 0, 1, 10000);
	const record_t *pair = nth_event(&a, OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR, 0, 0);
	CHECK(strncmp(pair->selected_pair.local, "candidate:", 10) == 0);
	CHECK(strncmp(pair->selected_pair.remote, "candidate:", 10) == 0);

	char *json = transports(&a);
	CHECK(strstr(json, "\"role\":\"controlling\"") != NULL);
	CHECK(strstr(json, "\"selectedPair\":{\"local\":\"candidate:") != NULL);
	CHECK(strstr(json, "\"dtls\":{\"state\":\"connected\",\"remoteCertificates\":[\"MI") != NULL); /* base64 DER */
	CHECK(strstr(json, "\"sctp\":{\"state\":\"connected\",\"maxMessageSize\":") != NULL);
	CHECK(strstr(json, "\"maxChannels\":65535") != NULL);
	omnirtc_free(json);
	json = transports(&b);
	CHECK(strstr(json, "\"role\":\"controlled\"") != NULL);
	omnirtc_free(json);

	/* b closes: its close_notify closes a's DTLS and SCTP, with their events */
	OK(omnirtc_peer_close(b.id));
	peer_free(&b);
	wait_events(&a, OMNIRTC_EVENT_TRANSPORT_STATE, 0, 5, 10000);
	int dtls_closed = 0, sctp_closed = 0;
	for (size_t i = 3; i < 5; i++) {
		const record_t *e = transport_event(&a, i);
		dtls_closed |= e->transport_state.transport == OMNIRTC_TRANSPORT_DTLS &&
		               e->transport_state.value == OMNIRTC_DTLS_TRANSPORT_CLOSED;
		sctp_closed |= e->transport_state.transport == OMNIRTC_TRANSPORT_SCTP &&
		               e->transport_state.value == OMNIRTC_SCTP_TRANSPORT_CLOSED;
	}
	CHECK(dtls_closed && sctp_closed);
	OK(omnirtc_peer_close(a.id));
	peer_free(&a);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
