/* The TURN server section of the C ABI: bad configuration, stale and
 * wrong-kind handles, events, the auth callback, and two peers in this
 * process relayed through a server on loopback. (Relaying across network
 * namespaces is scripts/test-nat.sh.) */
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define RELAY "\"relay\":{\"address\":\"127.0.0.1\",\"minPort\":51000,\"maxPort\":51999}"
#define SERVER_CONFIG                                                                 \
	"{\"listeners\":[{\"transport\":\"udp\",\"address\":\"127.0.0.1:0\"}]," RELAY \
	",\"users\":{\"alice\":\"wonder\"}}"

/* Records a server's events. */
typedef struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int counts[4];
	int close_on_create; /* close the server from inside ALLOCATION_CREATED */
	omnirtc_status_t close_status;
	int auth_calls;
	const char *protocol; /* every allocation event's expected protocol; NULL: "UDP" */
} turn_events_t;

static void on_turn_event(void *user_data, const omnirtc_turn_event_t *e) {
	turn_events_t *r = user_data;
	CHECK(e->type >= 1 && e->type <= 3 && e->server != 0);
	if (e->type == OMNIRTC_TURN_EVENT_ALLOCATION_CREATED) {
		CHECK(strncmp(e->relay_address, "127.0.0.1:", 10) == 0);
		CHECK(e->username[0] != '\0' && e->client_address[0] != '\0');
		if (r->close_on_create)
			r->close_status = omnirtc_turn_server_close(e->server);
	}
	if (e->type != OMNIRTC_TURN_EVENT_CLOSED)
		CHECK(strcmp(e->protocol, r->protocol ? r->protocol : "UDP") == 0);
	pthread_mutex_lock(&r->mu);
	r->counts[e->type]++;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

static int32_t carol_only(void *user_data, const char *username, const char *realm, const char *client,
                          char *password_out, size_t capacity) {
	turn_events_t *r = user_data;
	pthread_mutex_lock(&r->mu);
	r->auth_calls++;
	pthread_mutex_unlock(&r->mu);
	CHECK(strcmp(realm, "omnirtc") == 0 && strncmp(client, "127.0.0.1:", 10) == 0);
	if (strcmp(username, "carol") != 0)
		return 0;
	snprintf(password_out, capacity, "%s", "from-host");
	return 1;
}

static void wait_turn_events(turn_events_t *r, int type, int count) {
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&r->mu);
		int n = r->counts[type];
		pthread_mutex_unlock(&r->mu);
		if (n >= count)
			return;
		sleep_ms(10);
	}
	fprintf(stderr, "timed out waiting for %d TURN events of type %d\n", count, type);
	exit(1);
}

static turn_events_t *new_events(void) {
	turn_events_t *r = calloc(1, sizeof *r);
	CHECK(r != NULL);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	return r;
}

/* The server's UDP address, from its stats. */
static void server_address(omnirtc_turn_server_t server, char *out, size_t size) {
	char *json;
	OK(omnirtc_turn_server_stats(server, &json));
	const char *at = strstr(json, "\"address\":\"");
	CHECK(at != NULL);
	at += strlen("\"address\":\"");
	size_t n = strcspn(at, "\"");
	CHECK(n < size);
	memcpy(out, at, n);
	out[n] = '\0';
	omnirtc_free(json);
}

static long stats_number(omnirtc_turn_server_t server, const char *key) {
	char *json, pattern[64];
	OK(omnirtc_turn_server_stats(server, &json));
	snprintf(pattern, sizeof pattern, "\"%s\":", key);
	const char *at = strstr(json, pattern);
	CHECK(at != NULL);
	long n = strtol(at + strlen(pattern), NULL, 10);
	omnirtc_free(json);
	return n;
}

/* A relay-only peer configuration using `server` (its first listener) as
 * user/password; `query` is appended to the turn: URL ("" or "?transport=tcp"). */
static void relay_config(omnirtc_turn_server_t server, const char *query, const char *user, const char *password,
                         char *config, size_t size) {
	char addr[64];
	server_address(server, addr, sizeof addr);
	snprintf(config, size,
	         "{\"iceServers\":[{\"urls\":\"turn:%s%s\",\"username\":\"%s\",\"credential\":\"%s\"}],"
	         "\"iceTransportPolicy\":\"relay\",\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}",
	         addr, query, user, password);
}

/* Two peers relayed through `server` as user/password; returns once connected. */
static void relayed_pair_over(peer_t *a, peer_t *b, omnirtc_turn_server_t server, const char *query, const char *user,
                              const char *password) {
	char config[512];
	relay_config(server, query, user, password, config, sizeof config);
	peer_open(a, "a", config);
	peer_open(b, "b", config);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a->id, "relayed", NULL, &c));
	connect_pair(a, b);
}

static void relayed_pair(peer_t *a, peer_t *b, omnirtc_turn_server_t server, const char *user, const char *password) {
	relayed_pair_over(a, b, server, "", user, password);
}

TEST(bad_config_is_refused_naming_the_key) {
	omnirtc_turn_server_t s = 0;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_turn_server_start(NULL, NULL, NULL, NULL, &s));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_turn_server_start(SERVER_CONFIG, NULL, NULL, NULL, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG, omnirtc_turn_server_start("{", NULL, NULL, NULL, &s));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG, omnirtc_turn_server_start("", NULL, NULL, NULL, &s));
	EXPECT_STATUS(
	    OMNIRTC_ERR_INVALID_CONFIG,
	    omnirtc_turn_server_start("{\"listeners\":[{\"transport\":\"udp\",\"address\":\"127.0.0.1:0\"}]," RELAY
	                              ",\"listen\":true}",
	                              NULL, NULL, NULL, &s));
	CHECK(strstr(omnirtc_last_error(), "\"listen\"") != NULL);
	EXPECT_STATUS(
	    OMNIRTC_ERR_INVALID_CONFIG,
	    omnirtc_turn_server_start("{\"listeners\":[{\"transport\":\"tls\",\"address\":\"127.0.0.1:0\"}]," RELAY "}",
	                              NULL, NULL, NULL, &s));
	CHECK(strstr(omnirtc_last_error(), "listeners[0].certificate") != NULL);
	CHECK(s == 0); /* out-parameters are written only on success */
}

TEST(address_in_use_fails_without_events) {
	turn_events_t *r = new_events();
	omnirtc_turn_server_t first, second = 0;
	OK(omnirtc_turn_server_start(SERVER_CONFIG, on_turn_event, NULL, r, &first));
	char addr[64], config[512];
	server_address(first, addr, sizeof addr);
	snprintf(config, sizeof config, "{\"listeners\":[{\"transport\":\"udp\",\"address\":\"%s\"}]," RELAY "}", addr);
	EXPECT_STATUS(OMNIRTC_ERR_OPERATION, omnirtc_turn_server_start(config, on_turn_event, NULL, r, &second));
	CHECK(second == 0);
	OK(omnirtc_turn_server_close(first));
	CHECK(r->counts[OMNIRTC_TURN_EVENT_CLOSED] == 1); /* only the first server's */
	free(r);
}

TEST(stale_zero_and_wrong_kind_handles) {
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start(SERVER_CONFIG, NULL, NULL, NULL, &s));
	char *json = NULL;
	OK(omnirtc_turn_server_close(s));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_stats(s, &json));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_close(s));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_close(0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_stats(s + 1000000, &json));
	CHECK(json == NULL);

	peer_t p;
	peer_open(&p, "p", NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_close(p.id));
	CHECK(strstr(omnirtc_last_error(), "peer handle") != NULL);
	OK(omnirtc_turn_server_start(SERVER_CONFIG, NULL, NULL, NULL, &s));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(s));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_turn_server_stats(s, NULL));
	OK(omnirtc_turn_server_close(s));
	OK(omnirtc_peer_close(p.id));
	peer_free(&p);
}

/* Opens p relayed through `server` as alice and starts its gathering: one
 * allocation. */
static void gather_relayed(peer_t *p, omnirtc_turn_server_t server) {
	char config[512];
	relay_config(server, "", "alice", "wonder", config, sizeof config);
	peer_open(p, "p", config);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(p->id, "c", NULL, &c));
	OK(omnirtc_peer_set_local_description(p->id, NULL, NULL));
}

TEST(peers_relay_through_the_server_with_events) {
	turn_events_t *r = new_events();
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start(SERVER_CONFIG, on_turn_event, NULL, r, &s));
	peer_t a, b;
	relayed_pair(&a, &b, s, "alice", "wonder");
	wait_turn_events(r, OMNIRTC_TURN_EVENT_ALLOCATION_CREATED, 2);
	CHECK(stats_number(s, "allocations") >= 2);
	CHECK(stats_number(s, "bytesRelayed") > 0);
	close_pair(&a, &b);
	OK(omnirtc_turn_server_close(s));
	/* every allocation's deletion, then the final event, before close returned */
	CHECK(r->counts[OMNIRTC_TURN_EVENT_ALLOCATION_DELETED] == r->counts[OMNIRTC_TURN_EVENT_ALLOCATION_CREATED]);
	CHECK(r->counts[OMNIRTC_TURN_EVENT_CLOSED] == 1);
	free(r);
}

/* Allocations made over a TCP listener say "TCP" in their events (pion
 * itself reports every allocation as UDP). */
TEST(tcp_listener_allocations_say_tcp) {
	turn_events_t *r = new_events();
	r->protocol = "TCP";
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start("{\"listeners\":[{\"transport\":\"tcp\",\"address\":\"127.0.0.1:0\"}]," RELAY
	                             ",\"users\":{\"alice\":\"wonder\"}}",
	                             on_turn_event, NULL, r, &s));
	peer_t a, b;
	relayed_pair_over(&a, &b, s, "?transport=tcp", "alice", "wonder");
	wait_turn_events(r, OMNIRTC_TURN_EVENT_ALLOCATION_CREATED, 2);
	close_pair(&a, &b);
	OK(omnirtc_turn_server_close(s));
	CHECK(r->counts[OMNIRTC_TURN_EVENT_ALLOCATION_DELETED] == r->counts[OMNIRTC_TURN_EVENT_ALLOCATION_CREATED]);
	free(r);
}

TEST(auth_callback_decides_unknown_users) {
	turn_events_t *r = new_events();
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start(SERVER_CONFIG, on_turn_event, carol_only, r, &s));
	peer_t a, b;
	relayed_pair(&a, &b, s, "carol", "from-host");
	CHECK(r->auth_calls > 0);
	close_pair(&a, &b);
	OK(omnirtc_turn_server_close(s));
	free(r);
}

TEST(close_from_inside_the_event_callback) {
	turn_events_t *r = new_events();
	r->close_on_create = 1;
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start(SERVER_CONFIG, on_turn_event, NULL, r, &s));
	peer_t p;
	gather_relayed(&p, s);
	wait_turn_events(r, OMNIRTC_TURN_EVENT_CLOSED, 1);
	CHECK(r->close_status == OMNIRTC_OK);
	char *json;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_stats(s, &json));
	OK(omnirtc_peer_close(p.id));
	peer_free(&p);
	free(r);
}

TEST(shutdown_closes_turn_servers) {
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start(SERVER_CONFIG, NULL, NULL, NULL, &s));
	OK(omnirtc_shutdown());
	char *json;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_stats(s, &json));
}

TEST(rest_credential_matches_the_shared_secret_scheme) {
	char *user = NULL, *password = NULL;
	OK(omnirtc_turn_rest_credential("north", "alice", 3600, &user, &password));
	CHECK(strchr(user, ':') != NULL && strcmp(strchr(user, ':'), ":alice") == 0);
	CHECK(strlen(password) == 28); /* base64 of a 20-byte HMAC-SHA1 */
	omnirtc_free(user);
	omnirtc_free(password);
	/* coturn's vector (core's TestRESTCredentialMatchesCoturn): the ttl that makes the expiry
	 * 1700000000; asked again if the clock's second turned between time() and the library. */
	int matched = 0;
	for (int attempt = 0; attempt < 3 && !matched; attempt++) {
		OK(omnirtc_turn_rest_credential("north", "alice", 1700000000 - (int64_t)time(NULL), &user, &password));
		matched = strcmp(user, "1700000000:alice") == 0;
		if (matched)
			CHECK(strcmp(password, "Cd/49soE35ICqcJF/bCTn8Z4OyE=") == 0);
		omnirtc_free(user);
		omnirtc_free(password);
	}
	CHECK(matched);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_turn_rest_credential("north", "a:b", 60, &user, &password));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_turn_rest_credential(NULL, "alice", 60, &user, &password));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_turn_rest_credential("north", "alice", 60, NULL, &password));
}

TEST(forked_child_gets_a_clear_error) {
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start(SERVER_CONFIG, NULL, NULL, NULL, &s));
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *json = NULL;
		omnirtc_turn_server_t other = 0;
		int ok = omnirtc_turn_server_stats(s, &json) == OMNIRTC_ERR_FORKED &&
		         strstr(omnirtc_last_error(), "fork") != NULL &&
		         omnirtc_turn_server_start(SERVER_CONFIG, NULL, NULL, NULL, &other) == OMNIRTC_ERR_FORKED &&
		         omnirtc_turn_server_close(s) == OMNIRTC_ERR_FORKED;
		_exit(ok ? 0 : 1);
	}
	int status = 0;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(stats_number(s, "allocations") == 0); /* the parent's server is unaffected */
	OK(omnirtc_turn_server_close(s));
}

/* A polled server's host: notify counts wake-ups; the test polls. */
typedef struct {
	pthread_mutex_t mu;
	int notifies;
} turn_notify_t;

static void on_turn_notify(void *user_data, omnirtc_turn_server_t server) {
	turn_notify_t *n = user_data;
	CHECK(server != 0);
	pthread_mutex_lock(&n->mu);
	n->notifies++;
	pthread_mutex_unlock(&n->mu);
}

static int notifies(turn_notify_t *n) {
	pthread_mutex_lock(&n->mu);
	int v = n->notifies;
	pthread_mutex_unlock(&n->mu);
	return v;
}

#define BURST_PEERS 12

/* omnirtc_turn_server_poll_events: a host that polls nothing while a burst of
 * allocations arrives is woken once; after close, it takes every CREATED,
 * then every DELETED, in order (each client's CREATED before its DELETED),
 * then CLOSED alone and last, and nothing after it. */
TEST(polled_server_delivers_a_burst_in_order_and_nothing_after_closed) {
	turn_notify_t n = {.mu = PTHREAD_MUTEX_INITIALIZER};
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start_polled(SERVER_CONFIG, on_turn_notify, NULL, &n, &s));
	peer_t peers[BURST_PEERS];
	for (int i = 0; i < BURST_PEERS; i++)
		gather_relayed(&peers[i], s);
	for (int i = 0; i < 3000 && stats_number(s, "allocations") < BURST_PEERS; i++)
		sleep_ms(10);
	CHECK(stats_number(s, "allocations") >= BURST_PEERS);
	CHECK(notifies(&n) == 1);         /* one wake-up for the whole burst: nobody polled */
	OK(omnirtc_turn_server_close(s)); /* returns without waiting for the host */
	for (int i = 0; i < BURST_PEERS; i++) {
		OK(omnirtc_peer_close(peers[i].id));
		peer_free(&peers[i]);
	}
	char clients[64][64];
	int created = 0, deleted = 0, closed = 0, total = 0;
	for (;;) {
		omnirtc_turn_event_t batch[5];
		size_t count = 99;
		OK(omnirtc_turn_server_poll_events(s, batch, 5, &count));
		for (size_t i = 0; i < count; i++) {
			const omnirtc_turn_event_t *e = &batch[i];
			CHECK(e->server == s && !closed);
			total++;
			if (e->type == OMNIRTC_TURN_EVENT_ALLOCATION_CREATED) {
				CHECK(deleted == 0 && created < 64); /* close deletes after every creation */
				CHECK(strcmp(e->username, "alice") == 0 &&
				      strncmp(e->relay_address, "127.0.0.1:", 10) == 0);
				snprintf(clients[created++], sizeof clients[0], "%s", e->client_address);
			} else if (e->type == OMNIRTC_TURN_EVENT_ALLOCATION_DELETED) {
				int found = 0;
				for (int j = 0; j < created; j++)
					found |= strcmp(clients[j], e->client_address) == 0;
				CHECK(found && strcmp(e->protocol, "UDP") == 0);
				deleted++;
			} else {
				CHECK(e->type == OMNIRTC_TURN_EVENT_CLOSED && count == 1 && e->username[0] == '\0');
				closed = 1;
			}
		}
		if (closed)
			break;
		CHECK(count > 0 || notifies(&n) > 0);
	}
	CHECK(created >= BURST_PEERS && deleted == created && total == 2 * created + 1);
	int after = notifies(&n);
	omnirtc_turn_event_t e;
	size_t count = 0;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_poll_events(s, &e, 1, &count));
	CHECK(notifies(&n) == after); /* no notify once the poll that returned CLOSED returned */
	char *json;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_stats(s, &json));
}

/* close from inside notify returns at once; CLOSED is then polled. Only the
 * first notify closes: CLOSED itself may be notified again. */
static void close_on_notify(void *user_data, omnirtc_turn_server_t server) {
	omnirtc_status_t *status = user_data;
	if (*status == -100)
		*status = omnirtc_turn_server_close(server);
}

/* After omnirtc_shutdown no notify starts; CLOSED waits to be polled. */
TEST(no_notify_of_a_polled_server_after_shutdown) {
	turn_notify_t n = {.mu = PTHREAD_MUTEX_INITIALIZER};
	omnirtc_turn_server_t s;
	OK(omnirtc_turn_server_start_polled(SERVER_CONFIG, on_turn_notify, NULL, &n, &s));
	OK(omnirtc_shutdown());
	int at_return = notifies(&n);
	sleep_ms(300);
	CHECK(notifies(&n) == at_return);
	omnirtc_turn_event_t e[4];
	size_t count = 0;
	OK(omnirtc_turn_server_poll_events(s, e, 4, &count));
	CHECK(count == 1 && e[0].type == OMNIRTC_TURN_EVENT_CLOSED);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_poll_events(s, e, 4, &count));
}

TEST(polled_server_misuse_and_close_inside_notify) {
	omnirtc_turn_server_t s, pushed;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_turn_server_start_polled(SERVER_CONFIG, NULL, NULL, NULL, &s));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG,
	              omnirtc_turn_server_start_polled("{\"nope\":1}", close_on_notify, NULL, NULL, &s));
	OK(omnirtc_turn_server_start(SERVER_CONFIG, NULL, NULL, NULL, &pushed));
	omnirtc_turn_event_t e[2];
	size_t count = 0;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_turn_server_poll_events(pushed, e, 2, &count));
	OK(omnirtc_turn_server_close(pushed));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_poll_events(pushed, e, 2, &count));

	omnirtc_status_t status = -100;
	OK(omnirtc_turn_server_start_polled(SERVER_CONFIG, close_on_notify, NULL, &status, &s));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_turn_server_poll_events(s, e, 0, &count));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_turn_server_poll_events(s, NULL, 2, &count));
	OK(omnirtc_turn_server_poll_events(s, e, 2, &count));
	CHECK(count == 0);
	/* a relayed peer's allocation is the first event: its notify closes the server */
	peer_t p;
	gather_relayed(&p, s);
	int closed = 0;
	for (int i = 0; i < 3000 && !closed; i++) {
		OK(omnirtc_turn_server_poll_events(s, e, 2, &count));
		for (size_t j = 0; j < count; j++)
			closed |= e[j].type == OMNIRTC_TURN_EVENT_CLOSED;
		if (count == 0)
			sleep_ms(10);
	}
	CHECK(closed);
	CHECK(status == OMNIRTC_OK);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_turn_server_poll_events(s, e, 2, &count));
	OK(omnirtc_peer_close(p.id));
	peer_free(&p);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
