/*
 * The cross-language event sequence (tests/sequence/README.md): two peers in
 * one process, a opens a channel and sends three messages, b closes it after
 * the third; prints the events b sees, one name a line.
 */
#include <omnirtc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define CONFIG "{\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}"

static const char *const ready_states[] = {"connecting", "open", "closing", "closed"};
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static omnirtc_peer_t a, b;
static int done;

static void check(omnirtc_status_t status, const char *what) {
	if (status != OMNIRTC_OK) {
		fprintf(stderr, "%s: %s: %s\n", what, omnirtc_status_string(status), omnirtc_last_error());
		exit(1);
	}
}

static void on_a(void *user_data, const omnirtc_event_t *e) {
	omnirtc_channel_t *channel = user_data;
	if (e->type == OMNIRTC_EVENT_ICE_CANDIDATE && e->ice_candidate.candidate[0] != '\0')
		check(omnirtc_peer_add_ice_candidate(b, e->ice_candidate.candidate, e->ice_candidate.sdp_mid,
		                                     e->ice_candidate.sdp_mline_index),
		      "candidate to b");
	if (e->type == OMNIRTC_EVENT_CHANNEL_OPEN) {
		for (int i = 1; i <= 3; i++) {
			char text[8];
			int n = snprintf(text, sizeof text, "m%d", i);
			check(omnirtc_channel_send(*channel, text, (size_t)n, 0), "send");
		}
	}
}

static void on_b(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	int32_t state = 0;
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_CANDIDATE:
		if (e->ice_candidate.candidate[0] != '\0')
			check(omnirtc_peer_add_ice_candidate(a, e->ice_candidate.candidate, e->ice_candidate.sdp_mid,
			                                     e->ice_candidate.sdp_mline_index),
			      "candidate to a");
		return;
	case OMNIRTC_EVENT_DATA_CHANNEL:
		check(omnirtc_channel_get_ready_state(e->channel.channel, &state), "ready state");
		printf("datachannel %s\n", ready_states[state]);
		return;
	case OMNIRTC_EVENT_CHANNEL_OPEN: puts("open"); return;
	case OMNIRTC_EVENT_CHANNEL_MESSAGE:
		printf("message %.*s\n", (int)e->message.size, (const char *)e->message.data);
		if (e->message.size == 2 && ((const char *)e->message.data)[1] == '3')
			check(omnirtc_channel_close(e->message.channel), "close");
		return;
	case OMNIRTC_EVENT_CHANNEL_CLOSING: puts("closing"); return;
	case OMNIRTC_EVENT_CHANNEL_CLOSE:
		puts("close");
		pthread_mutex_lock(&mu);
		done = 1;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&mu);
		return;
	default: return;
	}
}

int main(void) {
	omnirtc_channel_t channel;
	check(omnirtc_peer_create(CONFIG, on_a, &channel, &a), "create a");
	check(omnirtc_peer_create(CONFIG, on_b, NULL, &b), "create b");
	check(omnirtc_channel_create(a, "chat", NULL, &channel), "create channel");
	char *offer, *answer;
	check(omnirtc_peer_create_offer(a, NULL, &offer), "offer");
	check(omnirtc_peer_set_remote_description(b, "offer", offer), "b remote");
	check(omnirtc_peer_set_local_description(a, "offer", offer), "a local");
	check(omnirtc_peer_create_answer(b, NULL, &answer), "answer");
	check(omnirtc_peer_set_remote_description(a, "answer", answer), "a remote");
	check(omnirtc_peer_set_local_description(b, "answer", answer), "b local");
	omnirtc_free(offer);
	omnirtc_free(answer);
	pthread_mutex_lock(&mu);
	while (!done)
		pthread_cond_wait(&changed, &mu);
	pthread_mutex_unlock(&mu);
	fflush(stdout);
	check(omnirtc_peer_close(a), "close a");
	check(omnirtc_peer_close(b), "close b");
	return 0;
}
