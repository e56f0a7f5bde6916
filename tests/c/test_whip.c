/* The WHIP section of the C ABI: a client session publishing to our server
 * on loopback (pushed and polled events), trickle, refusals and misuse, and
 * DELETE with an ICE restart. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

/* One recorded WHIP event. */
typedef struct {
	int32_t type, status;
	uint64_t session;
	char reason[256], path[64], resource[256], sdp[8192];
} whip_record_t;

/* Records a handle's events; a server's answers each SESSION with a new
 * loopback peer, or refuses it when refuse is set. */
typedef struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	whip_record_t events[64];
	size_t count;
	int refuse;          /* a refusal status for SESSION, or 0 */
	omnirtc_whip_t whip; /* set by polled handles' pump */
	peer_t peers[4];     /* a server's peers, one per session */
	size_t npeers;
} whip_events_t;

static whip_events_t *new_events(void) {
	whip_events_t *r = calloc(1, sizeof *r);
	CHECK(r != NULL);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	return r;
}

static void record(whip_events_t *r, const omnirtc_whip_event_t *e) {
	CHECK(e->whip != 0 && e->type >= 1 && e->type <= 6);
	if (e->type == OMNIRTC_WHIP_EVENT_SESSION) {
		CHECK(strncmp(e->sdp, "v=0", 3) == 0);
		if (r->refuse) {
			OK(omnirtc_whip_server_reject(e->whip, e->session, r->refuse, "not today"));
		} else {
			CHECK(r->npeers < 4);
			peer_t *p = &r->peers[r->npeers++];
			peer_open(p, "served", NULL);
			OK(omnirtc_whip_server_answer(e->whip, e->session, p->id));
		}
	}
	pthread_mutex_lock(&r->mu);
	CHECK(r->count < 64);
	whip_record_t *w = &r->events[r->count++];
	w->type = e->type;
	w->status = e->status;
	w->session = e->session;
	snprintf(w->reason, sizeof w->reason, "%s", e->reason);
	snprintf(w->path, sizeof w->path, "%s", e->path);
	snprintf(w->resource, sizeof w->resource, "%s", e->resource);
	snprintf(w->sdp, sizeof w->sdp, "%s", e->sdp);
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

static void on_whip_event(void *user_data, const omnirtc_whip_event_t *e) { record(user_data, e); }

/* A polled handle's notify drains it on the library thread: the host's pump. */
static void on_whip_notify(void *user_data, omnirtc_whip_t whip) {
	omnirtc_whip_event_t batch[4];
	size_t count = 4;
	while (count == 4) {
		omnirtc_status_t s = omnirtc_whip_poll_events(whip, batch, 4, &count);
		if (s == OMNIRTC_ERR_INVALID_HANDLE)
			return; /* CLOSED was polled */
		CHECK(s == OMNIRTC_OK);
		for (size_t i = 0; i < count; i++)
			record(user_data, &batch[i]);
	}
}

/* Waits for the n-th (1-based) event of type and returns it. */
static whip_record_t *wait_whip(whip_events_t *r, int32_t type, int n) {
	struct timespec until = deadline(20000);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		int seen = 0;
		for (size_t i = 0; i < r->count; i++)
			if (r->events[i].type == type && ++seen == n) {
				pthread_mutex_unlock(&r->mu);
				return &r->events[i];
			}
		if (pthread_cond_timedwait(&r->cv, &r->mu, &until) != 0) {
			fprintf(stderr, "timed out waiting for WHIP event %d (#%d)\n", type, n);
			exit(1);
		}
	}
}

static size_t count_whip(whip_events_t *r, int32_t type) {
	pthread_mutex_lock(&r->mu);
	size_t n = 0;
	for (size_t i = 0; i < r->count; i++)
		n += r->events[i].type == type;
	pthread_mutex_unlock(&r->mu);
	return n;
}

/* A loopback peer with a data channel, so its offer has a section. */
static void open_publisher(peer_t *p) {
	peer_open(p, "publisher", NULL);
	omnirtc_channel_t ch;
	OK(omnirtc_channel_create(p->id, "whip", NULL, &ch));
}

static void free_events(whip_events_t *r) {
	for (size_t i = 0; i < r->npeers; i++) {
		OK(omnirtc_peer_close(r->peers[i].id));
		peer_free(&r->peers[i]);
	}
	free(r);
}

/* A publisher reaches our server with a token: CONNECTED with a resource
 * under the server's URL, both peers connected; close delivers CLOSED before
 * it returns, DELETEs the resource (SESSION_ENDED "deleted") and closes both
 * peers; the handles are stale afterwards. */
TEST(publish_to_our_server) {
	whip_events_t *server_events = new_events(), *client_events = new_events();
	omnirtc_whip_t server, client;
	char *url;
	OK(omnirtc_whip_server_start("{\"token\":\"secret\"}", on_whip_event, NULL, server_events, &server, &url));
	CHECK(strncmp(url, "http://127.0.0.1:", 17) == 0);
	char endpoint[128];
	snprintf(endpoint, sizeof endpoint, "%s/whip/room", url);
	peer_t pub;
	open_publisher(&pub);
	OK(omnirtc_whip_client_start(pub.id, endpoint, "secret", on_whip_event, NULL, client_events, &client));
	whip_record_t *connected = wait_whip(client_events, OMNIRTC_WHIP_EVENT_CONNECTED, 1);
	CHECK(strncmp(connected->resource, url, strlen(url)) == 0);
	CHECK(strcmp(wait_whip(server_events, OMNIRTC_WHIP_EVENT_SESSION, 1)->path, "/whip/room") == 0);
	wait_connection_state(&pub, OMNIRTC_PEER_CONNECTED, 20000);
	wait_connection_state(&server_events->peers[0], OMNIRTC_PEER_CONNECTED, 20000);

	OK(omnirtc_whip_close(client));
	CHECK(count_whip(client_events, OMNIRTC_WHIP_EVENT_CLOSED) == 1);
	CHECK(strcmp(wait_whip(server_events, OMNIRTC_WHIP_EVENT_SESSION_ENDED, 1)->reason, "deleted") == 0);
	wait_events(&server_events->peers[0], OMNIRTC_EVENT_PEER_CLOSED, 0, 1, 20000);
	wait_events(&pub, OMNIRTC_EVENT_PEER_CLOSED, 0, 1, 20000);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_whip_close(client));
	OK(omnirtc_whip_close(server));
	CHECK(count_whip(server_events, OMNIRTC_WHIP_EVENT_CLOSED) == 1);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_whip_close(server));
	OK(omnirtc_peer_close(pub.id));
	peer_free(&pub);
	omnirtc_free(url);
	free_events(server_events);
	free(client_events);
}

/* A polled client refused by a polled server gets ERROR with the status,
 * then CLOSED, and its peer is closed: nothing of a refused publish stays
 * open. A wrong token is 401. Misuse is refused with a message. */
TEST(refusal_and_misuse) {
	whip_events_t *server_events = new_events(), *client_events = new_events();
	server_events->refuse = 403;
	omnirtc_whip_t server, client;
	char *url;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_whip_server_start("{}", on_whip_event, on_whip_notify, NULL, &server, &url));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_whip_server_start("{}", NULL, NULL, NULL, &server, &url));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG,
	              omnirtc_whip_server_start("{\"tokn\":1}", on_whip_event, NULL, NULL, &server, &url));
	OK(omnirtc_whip_server_start("{\"token\":\"secret\"}", NULL, on_whip_notify, server_events, &server, &url));
	peer_t pub;
	open_publisher(&pub);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_whip_client_start(pub.id, NULL, NULL, on_whip_event, NULL, NULL, &client));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE,
	              omnirtc_whip_client_start(0, url, NULL, on_whip_event, NULL, NULL, &client));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_whip_server_answer(server, 99, pub.id));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_whip_server_reject(server, 1, 302, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_whip_client_restart_ice(server));

	OK(omnirtc_whip_client_start(pub.id, url, "secret", NULL, on_whip_notify, client_events, &client));
	whip_record_t *error = wait_whip(client_events, OMNIRTC_WHIP_EVENT_ERROR, 1);
	CHECK(error->status == 403 && strstr(error->reason, "not today") != NULL);
	CHECK(strcmp(wait_whip(client_events, OMNIRTC_WHIP_EVENT_CLOSED, 1)->reason, "failed") == 0);
	wait_events(&pub, OMNIRTC_EVENT_PEER_CLOSED, 0, 1, 20000);
	CHECK(strcmp(wait_whip(server_events, OMNIRTC_WHIP_EVENT_SESSION_ENDED, 1)->reason, "refused") == 0);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_whip_close(client));
	OK(omnirtc_peer_close(pub.id));
	peer_free(&pub);

	peer_t wrong;
	open_publisher(&wrong);
	OK(omnirtc_whip_client_start(wrong.id, url, "wrong", on_whip_event, NULL, client_events, &client));
	CHECK(wait_whip(client_events, OMNIRTC_WHIP_EVENT_ERROR, 2)->status == 401);
	wait_whip(client_events, OMNIRTC_WHIP_EVENT_CLOSED, 2);
	OK(omnirtc_peer_close(wrong.id));
	peer_free(&wrong);

	OK(omnirtc_whip_close(server));
	wait_whip(server_events, OMNIRTC_WHIP_EVENT_CLOSED, 1);
	omnirtc_whip_event_t e[2];
	size_t count;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_whip_poll_events(server, e, 2, &count));
	omnirtc_free(url);
	free_events(server_events);
	free(client_events);
}

/* A STUN server on loopback that answers binding requests only once opened,
 * so a peer using it gathers its server-reflexive candidate when the test
 * says. */
typedef struct {
	int fd, opened;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
} gated_stun_t;

static void *answer_stun(void *arg) {
	gated_stun_t *g = arg;
	unsigned char req[1500];
	struct sockaddr_in from;
	for (;;) {
		socklen_t len = sizeof from;
		ssize_t n = recvfrom(g->fd, req, sizeof req, 0, (struct sockaddr *)&from, &len);
		if (n <= 0)
			return NULL; /* shut down */
		if (n < 20 || req[0] != 0x00 || req[1] != 0x01)
			continue; /* not a binding request */
		wait_flag(&g->mu, &g->cv, &g->opened, 1, 20000);
		/* Binding success: the request's cookie and transaction id, and
		 * XOR-MAPPED-ADDRESS (RFC 8489 section 14.2) of the sender. */
		unsigned char res[32] = {0x01, 0x01, 0x00, 12};
		memcpy(res + 4, req + 4, 16);
		uint16_t port = ntohs(from.sin_port) ^ 0x2112;
		uint32_t ip = ntohl(from.sin_addr.s_addr) ^ 0x2112A442u;
		unsigned char attr[12] = {0x00,
		                          0x20,
		                          0x00,
		                          8,
		                          0x00,
		                          0x01,
		                          port >> 8,
		                          port & 0xff,
		                          ip >> 24,
		                          (ip >> 16) & 0xff,
		                          (ip >> 8) & 0xff,
		                          ip & 0xff};
		memcpy(res + 20, attr, sizeof attr);
		sendto(g->fd, res, sizeof res, 0, (struct sockaddr *)&from, len);
	}
}

/* Starts g and writes a peer configuration using it into config. */
static void gated_stun_start(gated_stun_t *g, char *config, size_t cap) {
	memset(g, 0, sizeof *g);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(g->fd >= 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof addr;
	CHECK(bind(g->fd, (struct sockaddr *)&addr, len) == 0);
	CHECK(getsockname(g->fd, (struct sockaddr *)&addr, &len) == 0);
	snprintf(config, cap,
	         "{\"iceServers\":[{\"urls\":\"stun:127.0.0.1:%d\"}],"
	         "\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}",
	         ntohs(addr.sin_port));
	CHECK(pthread_create(&g->thread, NULL, answer_stun, g) == 0);
}

static void gated_stun_stop(gated_stun_t *g) {
	bump(&g->mu, &g->cv, &g->opened); /* a request still waiting is answered */
	shutdown(g->fd, SHUT_RDWR);
	pthread_join(g->thread, NULL);
	close(g->fd);
}

/* Waits until peer's remote description contains text. */
static void wait_remote_description(peer_t *p, const char *text) {
	for (int tries = 0; tries < 1000; tries++) {
		char *sdp = NULL;
		OK(omnirtc_peer_get_description(p->id, OMNIRTC_DESCRIPTION_REMOTE, NULL, &sdp));
		int found = sdp != NULL && strstr(sdp, text) != NULL;
		omnirtc_free(sdp);
		if (found)
			return;
		sleep_ms(20);
	}
	fprintf(stderr, "%s's remote description never contained %s\n", p->name, text);
	exit(1);
}

/* With "trickle", the offer reaches the server before gathering is complete
 * (no end-of-candidates, no server-reflexive candidate: its STUN server
 * answers only after the SESSION), and the late candidate follows in a
 * PATCH that adds it to the served peer's remote description; both peers
 * connect.  Misuse of the options is refused with a message naming the key. */
TEST(trickle_patches_late_candidates) {
	whip_events_t *server_events = new_events(), *client_events = new_events();
	omnirtc_whip_t server, client;
	char *url, config[256];
	OK(omnirtc_whip_server_start("{\"token\":\"secret\"}", on_whip_event, NULL, server_events, &server, &url));
	gated_stun_t stun;
	gated_stun_start(&stun, config, sizeof config);
	peer_t pub;
	peer_open(&pub, "publisher", config);
	omnirtc_channel_t ch;
	OK(omnirtc_channel_create(pub.id, "whip", NULL, &ch));

	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG,
	              omnirtc_whip_client_start_with_options(pub.id, url, "{\"trickle\":tru", on_whip_event, NULL, NULL,
	                                                     &client));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG,
	              omnirtc_whip_client_start_with_options(pub.id, url, "{\"trikle\":true}", on_whip_event, NULL,
	                                                     NULL, &client));
	CHECK(strstr(omnirtc_last_error(), "trikle") != NULL);
	EXPECT_STATUS(
	    OMNIRTC_ERR_INVALID_CONFIG,
	    omnirtc_whip_client_start_with_options(pub.id, url, "{\"trickle\":1}", on_whip_event, NULL, NULL, &client));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_whip_client_start_with_options(pub.id, NULL, "{}", on_whip_event, NULL, NULL, &client));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_whip_client_start_with_options(pub.id, url, "{}", on_whip_event, NULL, NULL, NULL));

	OK(omnirtc_whip_client_start_with_options(pub.id, url, "{\"token\":\"secret\",\"trickle\":true}", on_whip_event,
	                                          NULL, client_events, &client));
	whip_record_t *offer = wait_whip(server_events, OMNIRTC_WHIP_EVENT_SESSION, 1);
	CHECK(strstr(offer->sdp, "a=end-of-candidates") == NULL && strstr(offer->sdp, "typ srflx") == NULL);
	bump(&stun.mu, &stun.cv, &stun.opened);
	wait_whip(client_events, OMNIRTC_WHIP_EVENT_CONNECTED, 1);
	wait_remote_description(&server_events->peers[0], "typ srflx");
	wait_connection_state(&pub, OMNIRTC_PEER_CONNECTED, 20000);
	wait_connection_state(&server_events->peers[0], OMNIRTC_PEER_CONNECTED, 20000);
	CHECK(count_whip(client_events, OMNIRTC_WHIP_EVENT_ERROR) == 0);

	OK(omnirtc_whip_close(client));
	OK(omnirtc_whip_close(server));
	gated_stun_stop(&stun);
	OK(omnirtc_peer_close(pub.id));
	peer_free(&pub);
	omnirtc_free(url);
	free_events(server_events);
	free(client_events);
}

/* An ICE restart through PATCH (ICE_RESTARTED), then close: the server's
 * session ends "deleted" and its peer closes; a server closed with a session
 * open ends it "closed". */
TEST(restart_and_delete) {
	whip_events_t *server_events = new_events(), *client_events = new_events();
	omnirtc_whip_t server, client, second;
	char *url;
	OK(omnirtc_whip_server_start("{}", on_whip_event, NULL, server_events, &server, &url));
	peer_t pub, pub2;
	open_publisher(&pub);
	OK(omnirtc_whip_client_start(pub.id, url, NULL, on_whip_event, NULL, client_events, &client));
	wait_whip(client_events, OMNIRTC_WHIP_EVENT_CONNECTED, 1);
	wait_connection_state(&pub, OMNIRTC_PEER_CONNECTED, 20000);
	OK(omnirtc_whip_client_restart_ice(client));
	wait_whip(client_events, OMNIRTC_WHIP_EVENT_ICE_RESTARTED, 1);
	CHECK(count_whip(client_events, OMNIRTC_WHIP_EVENT_ERROR) == 0);
	OK(omnirtc_whip_close(client));
	whip_record_t *ended = wait_whip(server_events, OMNIRTC_WHIP_EVENT_SESSION_ENDED, 1);
	CHECK(strcmp(ended->reason, "deleted") == 0 && ended->session == 1);
	wait_events(&server_events->peers[0], OMNIRTC_EVENT_PEER_CLOSED, 0, 1, 20000);

	open_publisher(&pub2);
	OK(omnirtc_whip_client_start(pub2.id, url, NULL, on_whip_event, NULL, client_events, &second));
	wait_whip(client_events, OMNIRTC_WHIP_EVENT_CONNECTED, 2);
	OK(omnirtc_whip_close(server));
	ended = wait_whip(server_events, OMNIRTC_WHIP_EVENT_SESSION_ENDED, 2);
	CHECK(strcmp(ended->reason, "closed") == 0 && ended->session == 2);
	wait_events(&server_events->peers[1], OMNIRTC_EVENT_PEER_CLOSED, 0, 1, 20000);
	OK(omnirtc_whip_close(second));
	OK(omnirtc_peer_close(pub.id));
	OK(omnirtc_peer_close(pub2.id));
	peer_free(&pub);
	peer_free(&pub2);
	omnirtc_free(url);
	free_events(server_events);
	free(client_events);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
