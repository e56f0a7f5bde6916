/* Rollback (W3C webrtc-pc 4.4.1.6 "set the RTCSessionDescription") and the
 * transceiver direction setter (5.4). */
#include <string.h>

#include "harness.h"

static int32_t signaling(peer_t *p) {
	int32_t state = -1;
	OK(omnirtc_peer_get_signaling_state(p->id, &state));
	return state;
}

/* has_description reports whether description `which` of p is set. */
static int has_description(peer_t *p, int32_t which) {
	char *type = NULL, *sdp = NULL;
	OK(omnirtc_peer_get_description(p->id, which, &type, &sdp));
	int set = sdp != NULL;
	omnirtc_free(type);
	omnirtc_free(sdp);
	return set;
}

/* 4.4.1.6: "rollback" with no pending offer is an InvalidStateError, through
 * either method. */
TEST(rollback_without_a_pending_offer_is_a_state_error) {
	peer_t a;
	peer_open(&a, "a", NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_set_local_description(a.id, "rollback", NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_set_remote_description(a.id, "rollback", NULL));
	CHECK(signaling(&a) == OMNIRTC_SIGNALING_STABLE);
	OK(omnirtc_peer_close(a.id));
	peer_free(&a);
}

/* 4.4.1.6: rolling back a local offer returns to stable with its state event,
 * drops the pending description and the mid the offer gave; the sdp of a
 * rollback is ignored. */
TEST(local_offer_rolls_back_to_stable) {
	peer_t a;
	peer_open(&a, "a", NULL);
	omnirtc_transceiver_t t;
	OK(omnirtc_peer_add_transceiver(a.id, "audio", 0, NULL, &t));
	OK(omnirtc_peer_set_local_description(a.id, NULL, NULL));
	CHECK(signaling(&a) == OMNIRTC_SIGNALING_HAVE_LOCAL_OFFER);
	char info[4096];
	transceiver_info(t, info, sizeof info);
	CHECK(strstr(info, "\"mid\":\"0\"") != NULL);
	OK(omnirtc_peer_set_local_description(a.id, "rollback", "not SDP"));
	CHECK(signaling(&a) == OMNIRTC_SIGNALING_STABLE);
	CHECK(!has_description(&a, OMNIRTC_DESCRIPTION_LOCAL));
	CHECK(!has_description(&a, OMNIRTC_DESCRIPTION_PENDING_LOCAL));
	transceiver_info(t, info, sizeof info);
	CHECK(strstr(info, "\"mid\":null") != NULL);
	wait_events(&a, OMNIRTC_EVENT_SIGNALING_STATE, 0, 2, 5000);
	CHECK(nth_event(&a, OMNIRTC_EVENT_SIGNALING_STATE, 0, 1)->state.value == OMNIRTC_SIGNALING_STABLE);
	OK(omnirtc_peer_close(a.id));
	peer_free(&a);
}

/* 4.4.1.6: rolling back a remote offer in a renegotiation restores the
 * current remote description and removes the transceiver the offer made;
 * an offer in have-local-offer rolls the local one back first. */
TEST(remote_offer_rolls_back_and_an_offer_rolls_back_a_local_one) {
	peer_t a, b;
	connected_channel(&a, &b, "first", NULL);
	omnirtc_transceiver_t t;
	OK(omnirtc_peer_add_transceiver(a.id, "video", 0, NULL, &t));
	char *offer = NULL;
	OK(omnirtc_peer_create_offer(a.id, NULL, &offer));
	OK(omnirtc_peer_set_local_description(a.id, "offer", offer));
	OK(omnirtc_peer_set_remote_description(b.id, "offer", offer));
	omnirtc_free(offer);
	CHECK(signaling(&b) == OMNIRTC_SIGNALING_HAVE_REMOTE_OFFER);
	OK(omnirtc_peer_set_remote_description(b.id, "rollback", NULL));
	CHECK(signaling(&b) == OMNIRTC_SIGNALING_STABLE);
	CHECK(!has_description(&b, OMNIRTC_DESCRIPTION_PENDING_REMOTE));
	char *type = NULL, *remote = NULL;
	OK(omnirtc_peer_get_description(b.id, OMNIRTC_DESCRIPTION_REMOTE, &type, &remote));
	CHECK(remote != NULL && strstr(remote, "m=video") == NULL);
	omnirtc_free(type);
	omnirtc_free(remote);

	/* b offers; a, with its own offer pending, takes b's. */
	char *b_offer = NULL;
	OK(omnirtc_peer_create_offer(b.id, NULL, &b_offer));
	CHECK(strstr(b_offer, "m=video") == NULL); /* the rolled-back offer's transceiver is gone */
	OK(omnirtc_peer_set_local_description(b.id, "offer", b_offer));
	/* a's events so far: its first offer and answer, then its pending offer */
	wait_events(&a, OMNIRTC_EVENT_SIGNALING_STATE, 0, 3, 5000);
	size_t before = count_events(&a, OMNIRTC_EVENT_SIGNALING_STATE, 0);
	CHECK(before == 3);
	OK(omnirtc_peer_set_remote_description(a.id, "offer", b_offer));
	omnirtc_free(b_offer);
	CHECK(signaling(&a) == OMNIRTC_SIGNALING_HAVE_REMOTE_OFFER);
	wait_events(&a, OMNIRTC_EVENT_SIGNALING_STATE, 0, before + 2, 5000);
	CHECK(nth_event(&a, OMNIRTC_EVENT_SIGNALING_STATE, 0, before)->state.value == OMNIRTC_SIGNALING_STABLE);
	CHECK(nth_event(&a, OMNIRTC_EVENT_SIGNALING_STATE, 0, before + 1)->state.value ==
	      OMNIRTC_SIGNALING_HAVE_REMOTE_OFFER);
	OK(omnirtc_peer_set_local_description(a.id, NULL, NULL));
	char *answer_type = NULL, *answer = NULL;
	OK(omnirtc_peer_get_description(a.id, OMNIRTC_DESCRIPTION_LOCAL, &answer_type, &answer));
	OK(omnirtc_peer_set_remote_description(b.id, answer_type, answer));
	omnirtc_free(answer_type);
	omnirtc_free(answer);
	CHECK(signaling(&a) == OMNIRTC_SIGNALING_STABLE && signaling(&b) == OMNIRTC_SIGNALING_STABLE);
	close_pair(&a, &b);
}

/* 5.4: the direction setter changes direction and asks for negotiation;
 * currentDirection follows only once negotiated. */
TEST(direction_setter_asks_for_negotiation) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_transceiver_t t;
	OK(omnirtc_peer_add_transceiver(a.id, "audio", 0, NULL, &t));
	negotiate(&a, &b);
	char info[4096];
	transceiver_info(t, info, sizeof info);
	CHECK(strstr(info, "\"currentDirection\":\"sendonly\"") != NULL);
	size_t needed = count_events(&a, OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0);
	OK(omnirtc_transceiver_set_direction(t, "inactive"));
	wait_events(&a, OMNIRTC_EVENT_NEGOTIATION_NEEDED, 0, needed + 1, 5000);
	transceiver_info(t, info, sizeof info);
	CHECK(strstr(info, "\"direction\":\"inactive\"") != NULL);
	CHECK(strstr(info, "\"currentDirection\":\"sendonly\"") != NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_transceiver_set_direction(t, "upwards"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_transceiver_set_direction(t, NULL));
	negotiate(&a, &b);
	transceiver_info(t, info, sizeof info);
	CHECK(strstr(info, "\"currentDirection\":\"inactive\"") != NULL);
	OK(omnirtc_transceiver_stop(t));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_transceiver_set_direction(t, "sendrecv"));
	close_pair(&a, &b);
}

/* 4.4.1.5: omnirtc_peer_set_description reports the signaling state events
 * the call queued: the implicit rollback's stable, then have-remote-offer;
 * last_event numbers them among the peer's signaling events; a call that
 * changes nothing reports none. */
TEST(set_description_reports_the_signaling_events_it_queued) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "a", NULL, &c));
	OK(omnirtc_channel_create(b.id, "b", NULL, &c));
	omnirtc_signaling_changes_t changes;
	OK(omnirtc_peer_set_description(a.id, 1, NULL, NULL, &changes));
	CHECK(changes.count == 1 && changes.states[0] == OMNIRTC_SIGNALING_HAVE_LOCAL_OFFER && changes.last_event == 1);
	char *offer = NULL;
	OK(omnirtc_peer_create_offer(b.id, NULL, &offer));
	OK(omnirtc_peer_set_description(a.id, 0, "offer", offer, &changes));
	CHECK(changes.count == 2 && changes.states[0] == OMNIRTC_SIGNALING_STABLE &&
	      changes.states[1] == OMNIRTC_SIGNALING_HAVE_REMOTE_OFFER && changes.last_event == 3);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_set_description(a.id, 0, "answer", offer, &changes));
	CHECK(changes.count == 0 && changes.last_event == 3);
	OK(omnirtc_peer_set_description(a.id, 1, NULL, NULL, NULL)); /* the answer; changes_out may be NULL */
	CHECK(signaling(&a) == OMNIRTC_SIGNALING_STABLE);
	omnirtc_free(offer);
	close_pair(&a, &b);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
