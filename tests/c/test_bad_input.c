/* Bad input of every class gets its documented status and a message, never
 * a crash, a hang or a leak. */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static void expect_message(const char *fragment) {
	if (strstr(omnirtc_last_error(), fragment) == NULL) {
		fprintf(stderr, "last error \"%s\" does not mention \"%s\"\n", omnirtc_last_error(), fragment);
		exit(1);
	}
}

TEST(null_pointers_are_invalid_arguments) {
	counters_t base = read_counters();
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_create(NULL, NULL, NULL, NULL));
	expect_message("peer_out");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_debug_counters(NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_generate_certificate(NULL));
	omnirtc_peer_t p;
	OK(omnirtc_peer_create(NULL, NULL, NULL, &p)); /* NULL config and callback are fine */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_create_offer(p, NULL, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_get_stats(p, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_get_signaling_state(p, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_get_description(p, 0, NULL, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_remote_description(p, NULL, "v=0"));
	expect_message("type");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_remote_description(p, "offer", NULL));
	omnirtc_channel_t c;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, NULL, NULL, &c));
	expect_message("label");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, "x", NULL, NULL));
	OK(omnirtc_channel_create(p, "x", NULL, &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_send(c, NULL, 5, 1));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_get_info(c, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_get_buffered_amount(c, NULL));
	omnirtc_free(NULL);
	OK(omnirtc_peer_close(p));
	wait_counters_back(base, 3, 5000);
}

TEST(zero_stale_unknown_and_wrong_kind_handles_are_invalid) {
	int32_t state;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(0));
	expect_message("never valid");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_get_connection_state(987654321, &state));
	expect_message("never issued");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_send(0xFFFFFFFFFFFFFFFFull, "x", 1, 0));
	omnirtc_peer_t p;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &p));
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(p, "x", NULL, &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_send(p, "x", 1, 0));
	expect_message("is a peer handle, not a channel handle");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(c));
	expect_message("is a channel handle, not a peer handle");
	OK(omnirtc_peer_close(p));
	/* after close: the peer and its channel are stale, and ids are never reused */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(p));
	expect_message("was closed");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_create_offer(p, NULL, &(char *){NULL}));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_get_ready_state(c, &state));
	omnirtc_peer_t q;
	OK(omnirtc_peer_create(NULL, NULL, NULL, &q));
	CHECK(q != p && q != c && q > c);
	OK(omnirtc_peer_close(q));
}

static void expect_config_error(omnirtc_status_t code, const char *config, const char *mention) {
	omnirtc_peer_t p = 0;
	EXPECT_STATUS(code, omnirtc_peer_create(config, NULL, NULL, &p));
	CHECK(p == 0); /* out-parameters are written only on success */
	expect_message(mention);
}

TEST(malformed_oversize_and_unknown_configuration_is_refused) {
	counters_t base = read_counters();
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{", "malformed JSON");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "[1,2]", "expected a JSON object");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{} trailing", "after the JSON object");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"iceServer\":[]}", "unknown key \"iceServer\"");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"mdsn\":\"disabled\"}}",
	                    "unknown key \"mdsn\"");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"iceCandidatePoolSize\":\"many\"}", "iceCandidatePoolSize");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"iceCandidatePoolSize\":300}", "iceCandidatePoolSize");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"portRange\":{\"min\":\"a\"}}}",
	                    "portRange.min");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"portRange\":{\"min\":9,\"max\":2}}}",
	                    "portRange");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"iceTransportPolicy\":\"none\"}", "iceTransportPolicy");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"bundlePolicy\":1}", "bundlePolicy");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"iceServers\":[{\"urls\":5}]}", "urls");
	/* the kinds W3C webrtc-pc 4.2 / 4.4.1.1 name (tests/c/test_w3c_configuration.c has the rest) */
	expect_config_error(OMNIRTC_ERR_INVALID_SYNTAX, "{\"iceServers\":[{\"urls\":\"http://x\"}]}",
	                    "iceServers[0].urls");
	expect_config_error(OMNIRTC_ERR_INVALID_SYNTAX, "{\"iceServers\":[{\"urls\":\"\"}]}", "iceServers[0].urls");
	expect_config_error(OMNIRTC_ERR_INVALID_SYNTAX, "{\"iceServers\":[{\"urls\":\"stun.example.org\"}]}",
	                    "iceServers[0].urls");
	expect_config_error(
	    OMNIRTC_ERR_INVALID_SYNTAX,
	    "{\"iceServers\":[{\"urls\":\"turn:h?transport=xyz\",\"username\":\"u\",\"credential\":\"c\"}]}",
	    "iceServers[0].urls");
	expect_config_error(OMNIRTC_ERR_INVALID_ACCESS, "{\"iceServers\":[{\"urls\":\"turn:127.0.0.1:3478\"}]}",
	                    "username");
	expect_config_error(OMNIRTC_ERR_INVALID_ACCESS, "{\"iceServers\":[{\"urls\":\"turns:h\",\"username\":\"u\"}]}",
	                    "credential");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"bundlePolicy\":null}", "bundlePolicy");
	expect_config_error(OMNIRTC_ERR_NOT_SUPPORTED, "{\"rtcpMuxPolicy\":\"negotiate\"}", "rtcpMuxPolicy");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"certificates\":[\"not a pem\"]}", "certificates[0]");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"networkTypes\":[\"sctp\"]}}", "networkTypes");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"interceptors\":[\"magic\"]}}", "interceptors");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "\xff\xfe", "malformed JSON");
	size_t n = 2 * 1024 * 1024;
	char *big = malloc(n + 1);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	expect_config_error(OMNIRTC_ERR_TOO_LARGE, big, "limit");
	free(big);
	wait_counters_back(base, 3, 5000);
}

/* Values of the right type that could never work are refused, naming the
 * key and the value, instead of being taken and silently doing nothing. */
TEST(configuration_values_that_never_work_are_refused) {
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"ips\":[\"999.1.1.1\"]}}",
	                    "\"omnirtc.ips\": \"999.1.1.1\"");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"nat1to1IPs\":[\"x\"]}}",
	                    "\"omnirtc.nat1to1IPs\": \"x\"");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"nat1to1IPs\":[\"203.0.113.7/lan\"]}}",
	                    "\"omnirtc.nat1to1IPs\": \"203.0.113.7/lan\"");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, "{\"omnirtc\":{\"interfaces\":[\"\"]}}",
	                    "\"omnirtc.interfaces\": \"\"");
	expect_config_error(OMNIRTC_ERR_INVALID_SYNTAX, "{\"iceServers\":[{\"urls\":\"stun:127.0.0.1:99999\"}]}",
	                    "\"iceServers[0].urls\": \"stun:127.0.0.1:99999\": port 99999");
	omnirtc_peer_t p;
	OK(omnirtc_peer_create("{\"omnirtc\":{\"ips\":[\"::1\"],\"nat1to1IPs\":[\"203.0.113.7/10.0.0.2\"]}}", NULL,
	                       NULL, &p));
	OK(omnirtc_peer_close(p));
	omnirtc_turn_server_t s = 0;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG,
	              omnirtc_turn_server_start("{\"listeners\":[{\"transport\":\"udp\",\"address\":\"127.0.0.1:0\"}],"
	                                        "\"relay\":{\"address\":\"127.0.0.1\"},\"allocationLifetimeSec\":0}",
	                                        NULL, NULL, NULL, &s));
	expect_message("\"allocationLifetimeSec\": 0 is outside 1..3600");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CONFIG,
	              omnirtc_turn_server_start("{\"listeners\":[{\"transport\":\"udp\",\"address\":\"127.0.0.1:0\"}],"
	                                        "\"relay\":{\"address\":\"127.0.0.1\",\"minPort\":0,\"maxPort\":0}}",
	                                        NULL, NULL, NULL, &s));
	expect_message("\"relay.minPort\": need 0 < minPort <= maxPort, got 0..0");
	CHECK(s == 0);
	omnirtc_track_t t = 0;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_create(NULL, &t));
	expect_message("\"codec\" is required");
	CHECK(t == 0);
}

TEST(malformed_sdp_and_wrong_state_are_told_apart) {
	counters_t base = read_counters();
	omnirtc_peer_t p;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &p));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_SDP, omnirtc_peer_set_remote_description(p, "offer", "garbage"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_SDP, omnirtc_peer_set_remote_description(p, "offer", "v=0\r\no=- x\r\n"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_SDP, omnirtc_peer_set_remote_description(p, "offer", "v=0\xff\xfe"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_remote_description(p, "bogus", "v=0"));
	expect_message("bogus");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_local_description(p, "bogus", NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_get_description(p, 17, NULL, &(char *){NULL}));
	char *sdp = NULL;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_create_answer(p, NULL, &sdp));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_create_offer(p, "{\"iceRestrat\":true}", &sdp));
	expect_message("iceRestrat");
	/* a well-formed answer while stable is a state error */
	omnirtc_peer_t q;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &q));
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(q, "c", NULL, &c));
	OK(omnirtc_peer_create_offer(q, NULL, &sdp));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_peer_set_remote_description(p, "answer", sdp));
	OK(omnirtc_peer_set_remote_description(p, "offer", sdp)); /* and still usable */
	omnirtc_free(sdp);
	OK(omnirtc_peer_close(p));
	OK(omnirtc_peer_close(q));
	wait_counters_back(base, 3, 5000);
}

TEST(garbage_candidates_are_refused) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE,
	              omnirtc_peer_add_ice_candidate(a.id, "candidate:1 1 udp 1 127.0.0.1 9 typ host", "0", 0));
	expect_message("remote description");
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "c", NULL, &c));
	connect_pair(&a, &b);
	static const char *garbage[] = {
	    "candidate:garbage",
	    "candidate:1 1 udp notanumber 127.0.0.1 9 typ host",
	    "candidate:1 1 udp 1 300.1.1.1 9 typ host",
	    "candidate:1 1 udp 1 127.0.0.1 99999 typ host",
	    "\xff\xfe",
	};
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_CANDIDATE, omnirtc_peer_add_ice_candidate(a.id, garbage[i], "0", 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_peer_add_ice_candidate(a.id, "candidate:1 1 udp 1 127.0.0.1 9 typ host", "0", 70000));
	OK(omnirtc_peer_add_ice_candidate(a.id, NULL, NULL, -1)); /* end of candidates */
	/* the connection is unharmed */
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, c, 1, 10000);
	OK(omnirtc_channel_send(c, "fine", 4, 0));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1, 10000);
	close_pair(&a, &b);
}

TEST(bad_channel_options_are_type_errors) {
	omnirtc_peer_t p;
	OK(omnirtc_peer_create(NULL, NULL, NULL, &p));
	omnirtc_channel_t c = 0;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_channel_create(p, "x", "{\"maxRetransmits\":1,\"maxPacketLifeTime\":1}", &c));
	expect_message("exclusive");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, "x", "{\"negotiated\":true}", &c));
	expect_message("requires id");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_channel_create(p, "x", "{\"negotiated\":true,\"id\":65535}", &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, "x", "{\"maxRetransmits\":-1}", &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, "x", "{\"reliable\":true}", &c));
	expect_message("reliable");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, "\xc3\x28", NULL, &c));
	char *label = malloc(70000);
	memset(label, 'a', 69999);
	label[69999] = '\0';
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_create(p, label, NULL, &c));
	free(label);
	CHECK(c == 0);
	OK(omnirtc_peer_close(p));
}

TEST(send_before_open_after_close_oversize_and_bad_utf8_is_refused) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "c", NULL, &c));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_STATE, omnirtc_channel_send(c, "early", 5, 0));
	expect_message("connecting");
	connect_pair(&a, &b);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, c, 1, 10000);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_channel_send(c, "\xc3\x28", 2, 0));
	expect_message("UTF-8");
	OK(omnirtc_channel_send(c, "\xc3\x28", 2, 1)); /* the same bytes are fine as binary */
	/* A wild length is refused before the memory is touched. */
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send(c, "x", SIZE_MAX, 1));
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_channel_send(c, "x", SIZE_MAX / 2, 0));
	OK(omnirtc_channel_send(c, "", 0, 0)); /* empty messages are allowed */
	OK(omnirtc_channel_send(c, NULL, 0, 1));
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 3, 10000);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1)->message.size == 0);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1)->message.binary == 0);
	CHECK(nth_event(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 2)->message.binary == 1);
	OK(omnirtc_channel_close(c));
	omnirtc_status_t s = omnirtc_channel_send(c, "late", 4, 0);
	CHECK(s == OMNIRTC_ERR_INVALID_STATE || s == OMNIRTC_ERR_INVALID_HANDLE);
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_CLOSE, c, 1, 10000);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_channel_send(c, "late", 4, 0));
	close_pair(&a, &b);
}

TEST(status_names_and_version) {
	CHECK(strcmp(omnirtc_version(), OMNIRTC_VERSION) == 0);
	CHECK(strcmp(omnirtc_status_string(OMNIRTC_OK), "OMNIRTC_OK") == 0);
	CHECK(strcmp(omnirtc_status_string(OMNIRTC_ERR_TOO_LARGE), "OMNIRTC_ERR_TOO_LARGE") == 0);
	CHECK(strcmp(omnirtc_status_string(-777), "OMNIRTC_ERR_UNKNOWN") == 0);
	CHECK(strcmp(omnirtc_status_string(12), "OMNIRTC_ERR_UNKNOWN") == 0);
	/* every status the header defines has its own name */
	for (omnirtc_status_t s = OMNIRTC_ERR_INVALID_ARGUMENT; s >= OMNIRTC_ERR_INVALID_CHARACTER; s--)
		CHECK(strcmp(omnirtc_status_string(s), "OMNIRTC_ERR_UNKNOWN") != 0);
	CHECK(strcmp(omnirtc_status_string(OMNIRTC_ERR_INVALID_SYNTAX), "OMNIRTC_ERR_INVALID_SYNTAX") == 0);
}

/* The last error is per thread: a failure on one thread is not seen on another. */
static void *fail_on_other_thread(void *arg) {
	(void)arg;
	omnirtc_peer_close(424242);
	return strdup(omnirtc_last_error());
}

TEST(last_error_is_per_thread) {
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_peer_close(0));
	char *mine = strdup(omnirtc_last_error());
	pthread_t t;
	void *theirs = NULL;
	CHECK(pthread_create(&t, NULL, fail_on_other_thread, NULL) == 0);
	CHECK(pthread_join(t, &theirs) == 0);
	CHECK(strstr(theirs, "424242") != NULL);
	CHECK(strcmp(omnirtc_last_error(), mine) == 0);
	free(mine);
	free(theirs);
}

/* n bytes of `fill` between prefix and suffix, NUL-terminated; free it. */
static char *padded(const char *prefix, char fill, size_t n, const char *suffix) {
	size_t a = strlen(prefix), b = strlen(suffix);
	char *s = malloc(a + n + b + 1);
	CHECK(s != NULL);
	memcpy(s, prefix, a);
	memset(s + a, fill, n);
	memcpy(s + a + n, suffix, b + 1);
	return s;
}

/* A message names the bad input by a short prefix, never repeats it whole. */
static void expect_short_message(const char *fragment) {
	expect_message(fragment);
	if (strlen(omnirtc_last_error()) > 300) {
		fprintf(stderr, "a %zu-byte message repeats the input: %.300s…\n", strlen(omnirtc_last_error()),
		        omnirtc_last_error());
		exit(1);
	}
}

TEST(long_input_is_quoted_by_a_short_prefix) {
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a.id, "c", NULL, &c));
	negotiate(&a, &b);
	size_t big = 8u << 20;
	char *candidate = padded("candidate:", 'x', big, " 1 udp 1 127.0.0.1 9 typ host");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CANDIDATE, omnirtc_peer_add_ice_candidate(a.id, candidate, "0", 0));
	expect_short_message("candidate:xxxx");
	free(candidate);
	candidate = padded("candidate:1 1 udp 1 ", '7', big, " 9 typ host"); /* an 8 MiB address */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_CANDIDATE, omnirtc_peer_add_ice_candidate(a.id, candidate, "0", 0));
	expect_short_message("candidate:1 1 udp 1 7777");
	free(candidate);
	char *type = padded("", 'y', big, "");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_set_remote_description(a.id, type, "v=0"));
	expect_short_message("is not offer, answer, pranswer or rollback");
	free(type);
	size_t under_limit = 512u << 10; /* configurations have a 1 MiB limit */
	char *config = padded("{\"bundlePolicy\":\"", 'z', under_limit, "\"}");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, config, "bundlePolicy");
	expect_short_message("bytes)");
	free(config);
	config = padded("{\"", 'k', under_limit, "\":1}");
	expect_config_error(OMNIRTC_ERR_INVALID_CONFIG, config, "unknown key");
	expect_short_message("bytes)");
	free(config);
	omnirtc_track_t t;
	char *init = padded("{\"codec\":\"", 'v', big, "\"}");
	EXPECT_STATUS(OMNIRTC_ERR_NOT_SUPPORTED, omnirtc_track_create(init, &t));
	expect_short_message("use one of");
	free(init);
	close_pair(&a, &b);
}

/* Resident memory in bytes. */
static long rss_bytes(void) {
	long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	CHECK(f != NULL && fscanf(f, "%*s %ld", &pages) == 1);
	fclose(f);
	return pages * sysconf(_SC_PAGESIZE);
}

/* The number of threads holding a last-error message (omnirtc_debug_counters). */
static long error_messages(void) {
	char *json = NULL;
	OK(omnirtc_debug_counters(&json));
	const char *field = strstr(json, "\"errorMessages\":");
	CHECK(field != NULL);
	long n = strtol(field + strlen("\"errorMessages\":"), NULL, 10);
	omnirtc_free(json);
	return n;
}

static void *fail_with_a_long_message(void *config) {
	omnirtc_peer_t p;
	CHECK(omnirtc_peer_create(config, NULL, NULL, &p) == OMNIRTC_ERR_INVALID_CONFIG);
	CHECK(omnirtc_last_error()[0] != '\0');
	return NULL;
}

/* Host threads come and go: each one's last error goes with it. 300 threads
 * failing with an input of 64 KiB grew RSS by 19+ MB when every message was
 * kept whole and never freed. */
TEST(last_error_of_an_exited_thread_is_freed) {
	char *config = padded("{\"bundlePolicy\":\"", 'z', 64 << 10, "\"}");
	long rss = 0;
	for (int i = 0; i < 330; i++) {
		if (i == 30) /* after the runtime's first-use growth */
			rss = rss_bytes();
		pthread_t t;
		CHECK(pthread_create(&t, NULL, fail_with_a_long_message, config) == 0);
		CHECK(pthread_join(t, NULL) == 0);
	}
	long grown = rss_bytes() - rss;
	fprintf(stderr, "RSS grew by %ld KiB\n", grown >> 10);
	CHECK(grown < (8l << 20));
	/* each joined thread ran the destructor of its message */
	CHECK(error_messages() == 0);
	free(config);
}

/* A remote cannot stall a peer with candidates: past
 * OMNIRTC_MAX_REMOTE_CANDIDATES distinct ones of an ICE generation, in the
 * description or trickled, the rest is refused as too large. */
static char *offer_with_candidates(int n) {
	omnirtc_peer_t q;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &q));
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(q, "c", NULL, &c));
	char *offer = NULL;
	OK(omnirtc_peer_create_offer(q, NULL, &offer));
	OK(omnirtc_peer_close(q));
	const char *at = strstr(offer, "a=sctp-port");
	CHECK(at != NULL);
	size_t head = (size_t)(at - offer);
	char *out = malloc(strlen(offer) + (size_t)n * 64 + 1);
	CHECK(out != NULL);
	memcpy(out, offer, head);
	char *w = out + head;
	for (int i = 0; i < n; i++)
		w += sprintf(w, "a=candidate:%d 1 udp 2130706431 10.0.%d.%d 9 typ host\r\n", i, i >> 8, i & 255);
	strcpy(w, at);
	omnirtc_free(offer);
	return out;
}

TEST(remote_candidates_are_capped) {
	counters_t base = read_counters();
	omnirtc_peer_t p;
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &p));
	char *offer = offer_with_candidates(OMNIRTC_MAX_REMOTE_CANDIDATES + 1);
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_peer_set_remote_description(p, "offer", offer));
	expect_message("remote ICE candidates");
	free(offer);
	offer = offer_with_candidates(OMNIRTC_MAX_REMOTE_CANDIDATES);
	OK(omnirtc_peer_set_remote_description(p, "offer", offer));
	free(offer);
	OK(omnirtc_peer_add_ice_candidate(p, "candidate:0 1 udp 2130706431 10.0.0.0 9 typ host", "0", 0)); /* known */
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE,
	              omnirtc_peer_add_ice_candidate(p, "candidate:0 1 udp 2130706431 10.9.9.9 9 typ host", "0", 0));
	expect_message("remote ICE candidates");
	OK(omnirtc_peer_add_ice_candidate(p, NULL, NULL, -1)); /* end of candidates */
	OK(omnirtc_peer_set_local_description(p, NULL, NULL));
	char *stats = NULL;
	OK(omnirtc_peer_get_stats(p, &stats));
	omnirtc_free(stats);
	OK(omnirtc_peer_close(p));
	wait_counters_back(base, 3, 5000);
}

/* A child forked after load gets a clear error instead of a hang. */
TEST(forked_child_gets_a_clear_error) {
	peer_t a, b;
	omnirtc_channel_t c = connected_channel(&a, &b, "c", NULL); /* runtime busy */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		omnirtc_peer_t p = 0;
		omnirtc_status_t s = omnirtc_peer_create(NULL, NULL, NULL, &p);
		int ok = s == OMNIRTC_ERR_FORKED && strstr(omnirtc_last_error(), "fork") != NULL;
		ok = ok && omnirtc_channel_send(c, "x", 1, 0) == OMNIRTC_ERR_FORKED;
		omnirtc_message_t m = {"x", 1, 0};
		size_t sent = 7;
		ok = ok && omnirtc_channel_send_batch(c, &m, 1, &sent) == OMNIRTC_ERR_FORKED && sent == 0;
		ok = ok && omnirtc_set_engine_threads(1, NULL) == OMNIRTC_ERR_FORKED;
		_exit(ok ? 0 : 1);
	}
	int status = 0;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	OK(omnirtc_channel_send(c, "parent still fine", 17, 0)); /* the parent is unaffected */
	wait_events(&b, OMNIRTC_EVENT_CHANNEL_MESSAGE, 0, 1, 10000);
	close_pair(&a, &b);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
