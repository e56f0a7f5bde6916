#include "harness.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <time.h>

/* The strings of an event's member, into out; returns how many. */
static size_t strings_of(omnirtc_event_t *e, const char **out[2]) {
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_CANDIDATE:
		out[0] = &e->ice_candidate.candidate;
		out[1] = &e->ice_candidate.sdp_mid;
		return 2;
	case OMNIRTC_EVENT_ICE_GATHERING_STATE:
	case OMNIRTC_EVENT_ICE_CONNECTION_STATE:
	case OMNIRTC_EVENT_CONNECTION_STATE:
	case OMNIRTC_EVENT_SIGNALING_STATE: out[0] = &e->state.name; return 1;
	case OMNIRTC_EVENT_CHANNEL_ERROR: out[0] = &e->channel_error.message; return 1;
	case OMNIRTC_EVENT_TRANSPORT_STATE: out[0] = &e->transport_state.name; return 1;
	case OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR:
		out[0] = &e->selected_pair.local;
		out[1] = &e->selected_pair.remote;
		return 2;
	case OMNIRTC_EVENT_TRACK:
		out[0] = &e->track.rid;
		out[1] = &e->track.info_json;
		return 2;
	case OMNIRTC_EVENT_KEYFRAME_REQUEST: out[0] = &e->keyframe_request.rid; return 1;
	case OMNIRTC_EVENT_TARGET_BITRATE: out[0] = &e->target_bitrate.streams_json; return 1;
	case OMNIRTC_EVENT_DTMF_TONE_CHANGE: out[0] = &e->dtmf_tone_change.tone; return 1;
	case OMNIRTC_EVENT_DTMF_TONE: out[0] = &e->dtmf_tone.tone; return 1;
	default: return 0;
	}
}

static void record(peer_t *p, const omnirtc_event_t *e) {
	record_t r = *e;
	const char **strings[2];
	for (size_t i = 0, n = strings_of(&r, strings); i < n; i++)
		CHECK((*strings[i] = strdup(*strings[i])) != NULL);
	if (e->type == OMNIRTC_EVENT_TRACK_RTP)
		r.rtp.data = NULL;
	if (e->type == OMNIRTC_EVENT_TRACK_FRAME)
		r.frame.data = NULL;
	if (e->type == OMNIRTC_EVENT_CHANNEL_MESSAGE) {
		uint8_t *data = NULL;
		if (p->keep_payloads) {
			data = malloc(e->message.size + 1);
			CHECK(data != NULL);
			if (e->message.size > 0)
				memcpy(data, e->message.data, e->message.size);
		}
		r.message.data = data;
	}
	if (p->count == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->events = realloc(p->events, p->cap * sizeof(record_t));
		CHECK(p->events != NULL);
	}
	p->events[p->count++] = r;
	if (e->type == OMNIRTC_EVENT_CHANNEL_MESSAGE) {
		p->messages++;
		p->message_bytes += e->message.size;
	}
	if (e->type == OMNIRTC_EVENT_PEER_CLOSED)
		p->closed = 1;
}

/* Adds a candidate to r, which may be closing: omnirtc.h lists the three
 * statuses that gives. */
static void add_candidate(peer_t *r, const char *candidate, const char *mid, int32_t index) {
	omnirtc_status_t s = omnirtc_peer_add_ice_candidate(r->id, candidate, mid, index);
	if (s != OMNIRTC_OK && s != OMNIRTC_ERR_INVALID_STATE && s != OMNIRTC_ERR_INVALID_HANDLE) {
		fprintf(stderr, "adding a candidate to %s returned %s: %s\n", r->name, omnirtc_status_string(s),
		        omnirtc_last_error());
		exit(1);
	}
}

/* Trickle: hand the candidate to the remote, or park it until the remote has
 * its remote description. */
static void trickle(peer_t *p, const omnirtc_event_t *e) {
	peer_t *r = p->remote;
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	if (!r->remote_described) {
		r->pending = realloc(r->pending, (r->npending + 1) * sizeof(char *));
		r->pending[r->npending++] = strdup(e->ice_candidate.candidate);
		pthread_mutex_unlock(&r->mu);
		return;
	}
	pthread_mutex_unlock(&r->mu);
	add_candidate(r, e->ice_candidate.candidate, e->ice_candidate.sdp_mid, e->ice_candidate.sdp_mline_index);
}

static void on_event(void *user_data, const omnirtc_event_t *e) {
	peer_t *p = user_data;
	if (getenv("OMNIRTC_TEST_TRACE") != NULL && e->type != OMNIRTC_EVENT_CHANNEL_MESSAGE)
		fprintf(stderr, "[%s] event %d channel %llu\n", p->name, e->type,
		        (unsigned long long)omnirtc_event_channel_of(e));
	CHECK(e->peer == p->id || p->id == 0);
	/* The hook runs first, so a test that waits for an event also sees
	 * everything its hook did with it. */
	if (p->hook != NULL)
		p->hook(p, e);
	if (e->type == OMNIRTC_EVENT_ICE_CANDIDATE)
		trickle(p, e);
	pthread_mutex_lock(&p->mu);
	record(p, e);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void peer_open(peer_t *p, const char *name, const char *config) {
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->keep_payloads = 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	omnirtc_peer_t id = 0;
	OK(omnirtc_peer_create(config != NULL ? config : LOOPBACK_CONFIG, on_event, p, &id));
	CHECK(id != 0);
	pthread_mutex_lock(&p->mu);
	p->id = id;
	pthread_mutex_unlock(&p->mu);
}

static void on_notify(void *user_data, omnirtc_peer_t id) {
	peer_t *p = user_data;
	(void)id;
	pthread_mutex_lock(&p->mu);
	p->wake = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Drains after each notify until a poll comes back short, ends with PEER_CLOSED. */
static void *pump(void *arg) {
	peer_t *p = arg;
	omnirtc_event_t events[256];
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->wake)
			pthread_cond_wait(&p->cv, &p->mu);
		p->wake = 0;
		omnirtc_peer_t id = p->id;
		pthread_mutex_unlock(&p->mu);
		size_t n = 256;
		while (n == 256) {
			OK(omnirtc_peer_poll_events(id, events, 256, &n));
			for (size_t i = 0; i < n; i++) {
				on_event(p, &events[i]);
				if (events[i].type == OMNIRTC_EVENT_PEER_CLOSED) {
					CHECK(n == 1);
					return NULL;
				}
			}
		}
	}
}

void peer_open_polled(peer_t *p, const char *name, const char *config) {
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->keep_payloads = 1;
	p->polled = 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	omnirtc_peer_t id = 0;
	pthread_mutex_lock(&p->mu); /* the pump reads the id only after a notify */
	OK(omnirtc_peer_create_polled(config != NULL ? config : LOOPBACK_CONFIG, on_notify, p, &id));
	CHECK(id != 0);
	p->id = id;
	pthread_mutex_unlock(&p->mu);
	CHECK(pthread_create(&p->pump, NULL, pump, p) == 0);
}

void peer_free(peer_t *p) {
	if (p->polled)
		CHECK(pthread_join(p->pump, NULL) == 0);
	for (size_t i = 0; i < p->count; i++) {
		const char **strings[2];
		for (size_t k = 0, n = strings_of(&p->events[i], strings); k < n; k++)
			free((void *)*strings[k]);
		if (p->events[i].type == OMNIRTC_EVENT_CHANNEL_MESSAGE)
			free((void *)p->events[i].message.data);
	}
	free(p->events);
	for (size_t i = 0; i < p->npending; i++)
		free(p->pending[i]);
	free(p->pending);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
}

void remote_described(peer_t *p) {
	pthread_mutex_lock(&p->mu);
	p->remote_described = 1;
	char **pending = p->pending;
	size_t n = p->npending;
	p->pending = NULL;
	p->npending = 0;
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < n; i++) {
		add_candidate(p, pending[i], "", 0);
		free(pending[i]);
	}
	free(pending);
}

void negotiate(peer_t *a, peer_t *b) {
	a->remote = b;
	b->remote = a;
	char *offer = NULL, *answer = NULL;
	/* Each description reaches the remote before it is applied locally, since
	 * applying it starts gathering: a candidate (of a restarted ICE too) then
	 * never arrives before the description it belongs to. */
	OK(omnirtc_peer_create_offer(a->id, NULL, &offer));
	OK(omnirtc_peer_set_remote_description(b->id, "offer", offer));
	remote_described(b);
	OK(omnirtc_peer_set_local_description(a->id, "offer", offer));
	OK(omnirtc_peer_create_answer(b->id, NULL, &answer));
	OK(omnirtc_peer_set_remote_description(a->id, "answer", answer));
	remote_described(a);
	OK(omnirtc_peer_set_local_description(b->id, "answer", answer));
	omnirtc_free(offer);
	omnirtc_free(answer);
}

void connect_pair(peer_t *a, peer_t *b) {
	negotiate(a, b);
	wait_connection_state(a, OMNIRTC_PEER_CONNECTED, 15000);
	wait_connection_state(b, OMNIRTC_PEER_CONNECTED, 15000);
}

omnirtc_channel_t connected_channel(peer_t *a, peer_t *b, const char *label, const char *init) {
	peer_open(a, "a", NULL);
	peer_open(b, "b", NULL);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(a->id, label, init, &c));
	connect_pair(a, b);
	wait_events(a, OMNIRTC_EVENT_CHANNEL_OPEN, c, 1, 10000);
	return c;
}

omnirtc_channel_t remote_channel(peer_t *p, size_t n) {
	wait_events(p, OMNIRTC_EVENT_DATA_CHANNEL, 0, n + 1, 10000);
	return nth_event(p, OMNIRTC_EVENT_DATA_CHANNEL, 0, n)->channel.channel;
}

void close_pair(peer_t *a, peer_t *b) {
	OK(omnirtc_peer_close(a->id));
	OK(omnirtc_peer_close(b->id));
	peer_free(a);
	peer_free(b);
}

struct timespec deadline(int timeout_ms) {
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += timeout_ms / 1000;
	t.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

int wait_flag(pthread_mutex_t *mu, pthread_cond_t *cv, const int *flag, int want, int timeout_ms) {
	struct timespec until = deadline(timeout_ms);
	int ok = 1;
	pthread_mutex_lock(mu);
	while (*flag < want && ok)
		ok = pthread_cond_timedwait(cv, mu, &until) != ETIMEDOUT;
	ok = *flag >= want;
	pthread_mutex_unlock(mu);
	return ok;
}

void bump(pthread_mutex_t *mu, pthread_cond_t *cv, int *flag) {
	pthread_mutex_lock(mu);
	(*flag)++;
	pthread_cond_broadcast(cv);
	pthread_mutex_unlock(mu);
}

static size_t count_locked(peer_t *p, int32_t type, omnirtc_channel_t channel, size_t *last) {
	size_t n = 0;
	for (size_t i = 0; i < p->count; i++) {
		if (p->events[i].type == type && (channel == 0 || omnirtc_event_channel_of(&p->events[i]) == channel)) {
			n++;
			if (last != NULL)
				*last = i;
		}
	}
	return n;
}

size_t count_events(peer_t *p, int32_t type, omnirtc_channel_t channel) {
	pthread_mutex_lock(&p->mu);
	size_t n = count_locked(p, type, channel, NULL);
	pthread_mutex_unlock(&p->mu);
	return n;
}

size_t count_connection_states(peer_t *p, int32_t state) {
	size_t n = 0;
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < p->count; i++)
		n += p->events[i].type == OMNIRTC_EVENT_CONNECTION_STATE && p->events[i].state.value == state;
	pthread_mutex_unlock(&p->mu);
	return n;
}

size_t wait_events(peer_t *p, int32_t type, omnirtc_channel_t channel, size_t count, int timeout_ms) {
	struct timespec until = deadline(timeout_ms);
	size_t last = 0;
	pthread_mutex_lock(&p->mu);
	while (count_locked(p, type, channel, &last) < count) {
		if (pthread_cond_timedwait(&p->cv, &p->mu, &until) == ETIMEDOUT) {
			size_t have = count_locked(p, type, channel, NULL);
			pthread_mutex_unlock(&p->mu);
			fprintf(stderr, "%s: timed out after %d ms waiting for %zu events of type %d (have %zu)\n",
			        p->name, timeout_ms, count, type, have);
			exit(1);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return last;
}

void wait_connection_state(peer_t *p, int32_t state, int timeout_ms) {
	wait_state_times(p, OMNIRTC_EVENT_CONNECTION_STATE, state, 1, timeout_ms);
}

void wait_state_times(peer_t *p, int32_t type, int32_t state, size_t times, int timeout_ms) {
	struct timespec until = deadline(timeout_ms);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		size_t seen = 0;
		for (size_t i = 0; i < p->count; i++)
			seen += p->events[i].type == type && p->events[i].state.value == state;
		if (seen >= times) {
			pthread_mutex_unlock(&p->mu);
			return;
		}
		if (pthread_cond_timedwait(&p->cv, &p->mu, &until) == ETIMEDOUT) {
			pthread_mutex_unlock(&p->mu);
			fprintf(stderr, "%s: timed out waiting for state %d of event type %d %zu times (seen %zu)\n",
			        p->name, state, type, times, seen);
			exit(1);
		}
	}
}

void wait_message_bytes(peer_t *p, uint64_t bytes, int timeout_ms) {
	struct timespec until = deadline(timeout_ms);
	pthread_mutex_lock(&p->mu);
	while (p->message_bytes < bytes) {
		if (pthread_cond_timedwait(&p->cv, &p->mu, &until) == ETIMEDOUT) {
			uint64_t have = p->message_bytes;
			pthread_mutex_unlock(&p->mu);
			fprintf(stderr, "%s: timed out waiting for %llu message bytes (have %llu)\n", p->name,
			        (unsigned long long)bytes, (unsigned long long)have);
			exit(1);
		}
	}
	pthread_mutex_unlock(&p->mu);
}

record_t *nth_event(peer_t *p, int32_t type, omnirtc_channel_t channel, size_t n) {
	pthread_mutex_lock(&p->mu);
	record_t *found = NULL;
	for (size_t i = 0; i < p->count && found == NULL; i++) {
		if (p->events[i].type == type && (channel == 0 || omnirtc_event_channel_of(&p->events[i]) == channel) &&
		    n-- == 0)
			found = &p->events[i];
	}
	pthread_mutex_unlock(&p->mu);
	if (found == NULL) {
		fprintf(stderr, "%s: no event #%zu of type %d\n", p->name, n, type);
		exit(1);
	}
	return found; /* stable: tests read it after the peer went quiet */
}

static long json_number(const char *json, const char *key) {
	char pattern[64];
	snprintf(pattern, sizeof pattern, "\"%s\":", key);
	const char *at = strstr(json, pattern);
	CHECK(at != NULL);
	return strtol(at + strlen(pattern), NULL, 10);
}

/* The end of the JSON object that starts at `at` (strings may hold braces). */
static const char *object_end(const char *at) {
	int depth = 0, in_string = 0;
	for (; *at != '\0'; at++) {
		if (in_string) {
			if (*at == '\\' && at[1] != '\0')
				at++;
			else if (*at == '"')
				in_string = 0;
		} else if (*at == '"') {
			in_string = 1;
		} else if (*at == '{') {
			depth++;
		} else if (*at == '}' && --depth == 0) {
			return at;
		}
	}
	return NULL;
}

/* The stats entry (an object of the report's top-level map) holding every
 * one of `fields` (each a `"key":value` text), or NULL; *end gets its end. */
static const char *stats_entry(const char *json, const char *const *fields, size_t nfields, const char **end) {
	for (const char *at = strchr(json + 1, '{'); at != NULL; at = strchr(*end, '{')) {
		*end = object_end(at);
		CHECK(*end != NULL);
		size_t found = 0;
		for (; found < nfields; found++) {
			const char *f = strstr(at, fields[found]);
			if (f == NULL || f > *end)
				break;
		}
		if (found == nfields)
			return at;
	}
	return NULL;
}

/* Copies the string value of "key" in [at, end) into out. */
static int string_field(const char *at, const char *end, const char *key, char *out, size_t size) {
	char pattern[64];
	snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
	const char *f = strstr(at, pattern);
	if (f == NULL || f > end)
		return 0;
	f += strlen(pattern);
	const char *q = strchr(f, '"');
	if (q == NULL || (size_t)(q - f) >= size)
		return 0;
	memcpy(out, f, q - f);
	out[q - f] = '\0';
	return 1;
}

static int find_selected_pair(const char *json, selected_pair_t *out) {
	const char *end = NULL;
	const char *pair_fields[] = {"\"type\":\"candidate-pair\"", "\"nominated\":true", "\"state\":\"succeeded\""};
	const char *pair = stats_entry(json, pair_fields, 3, &end);
	if (pair == NULL || !string_field(pair, end, "localCandidateId", out->local_id, sizeof out->local_id))
		return 0;
	char id_field[96];
	snprintf(id_field, sizeof id_field, "\"id\":\"%s\"", out->local_id);
	const char *candidate_fields[] = {"\"type\":\"local-candidate\"", id_field};
	const char *candidate = stats_entry(json, candidate_fields, 2, &end);
	if (candidate == NULL)
		return 0;
	const char *port = strstr(candidate, "\"port\":");
	if (port == NULL || port > end)
		return 0;
	out->local_port = strtol(port + strlen("\"port\":"), NULL, 10);
	return 1;
}

selected_pair_t selected_pair(peer_t *p, int timeout_ms) {
	selected_pair_t pair = {0};
	char *json = NULL;
	for (int waited = 0;; waited += 50) {
		OK(omnirtc_peer_get_stats(p->id, &json));
		int found = find_selected_pair(json, &pair);
		if (found || waited >= timeout_ms) {
			if (!found)
				fprintf(stderr, "%s: no selected candidate pair in %.3000s\n", p->name, json);
			omnirtc_free(json);
			CHECK(found);
			return pair;
		}
		omnirtc_free(json);
		sleep_ms(50);
	}
}

counters_t read_counters(void) {
	char *json = NULL;
	OK(omnirtc_debug_counters(&json));
	counters_t c = {
	    .peers = json_number(json, "peer"),
	    .channels = json_number(json, "channel"),
	    .goroutines = json_number(json, "goroutines"),
	    .sockets = json_number(json, "sockets"),
	    .live_peers = json_number(json, "peers"),
	    .queued = json_number(json, "queuedEvents"),
	    .held_batches = json_number(json, "heldBatches"),
	};
	omnirtc_free(json);
	return c;
}

void wait_counters_back(counters_t base, long goroutine_slack, int timeout_ms) {
	counters_t now = base;
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		now = read_counters();
		if (now.peers == base.peers && now.channels == base.channels && now.sockets <= base.sockets &&
		    now.live_peers == base.live_peers && now.queued == 0 && now.held_batches == 0 &&
		    now.goroutines <= base.goroutines + goroutine_slack)
			return;
		sleep_ms(50);
	}
	fprintf(stderr,
	        "counters not back to baseline: peers %ld->%ld channels %ld->%ld sockets %ld->%ld "
	        "goroutines %ld->%ld live %ld->%ld queued %ld held batches %ld\n",
	        base.peers, now.peers, base.channels, now.channels, base.sockets, now.sockets, base.goroutines,
	        now.goroutines, base.live_peers, now.live_peers, now.queued, now.held_batches);
	exit(1);
}

static struct {
	const char *name;
	test_fn fn;
} tests[128];
static int ntests;

void register_test(const char *name, test_fn fn) {
	CHECK(ntests < 128);
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

/* With no argument: list the tests. With one: run that test. The runner
 * (scripts/test-c.sh) starts one process per test so each is isolated. */
int run_tests(int argc, char **argv) {
	if (argc < 2) {
		for (int i = 0; i < ntests; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	for (int i = 0; i < ntests; i++) {
		if (strcmp(tests[i].name, argv[1]) == 0) {
			tests[i].fn();
			OK(omnirtc_shutdown());
			return 0;
		}
	}
	fprintf(stderr, "no test named %s\n", argv[1]);
	return 2;
}

void sleep_ms(int ms) {
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* The bounds [*start, *end) of the flat entry whose type, or else id, is `entry`. */
static int stat_entry(const char *stats, const char *entry, const char **start, const char **end) {
	char needle[160];
	snprintf(needle, sizeof needle, "\"type\":\"%s\"", entry);
	const char *at = strstr(stats, needle);
	if (at == NULL) {
		snprintf(needle, sizeof needle, "\"id\":\"%s\"", entry);
		at = strstr(stats, needle);
	}
	if (at == NULL)
		return 0;
	for (*start = at; *start > stats && **start != '{'; (*start)--)
		;
	*end = strchr(at, '}');
	return *end != NULL;
}

static const char *stat_value(const char *stats, const char *entry, const char *key) {
	const char *start, *end;
	if (!stat_entry(stats, entry, &start, &end))
		return NULL;
	char needle[96];
	snprintf(needle, sizeof needle, "\"%s\":", key);
	for (const char *at = start; (at = strstr(at, needle)) != NULL && at < end; at++)
		if (at[-1] == '{' || at[-1] == ',')
			return at + strlen(needle);
	return NULL;
}

double stat_number(const char *stats, const char *entry, const char *key) {
	const char *v = stat_value(stats, entry, key);
	char *after;
	double d = v != NULL ? strtod(v, &after) : 0;
	return v != NULL && after != v ? d : -1;
}

int stat_string(const char *stats, const char *entry, const char *key, char *out, size_t cap) {
	const char *v = stat_value(stats, entry, key);
	const char *close = v != NULL && *v == '"' ? strchr(v + 1, '"') : NULL;
	if (close == NULL)
		return 0;
	snprintf(out, cap, "%.*s", (int)(close - v - 1), v + 1);
	return 1;
}

void transceiver_info(omnirtc_transceiver_t t, char *out, size_t cap) {
	char *json = NULL;
	OK(omnirtc_transceiver_get_info(t, &json));
	snprintf(out, cap, "%s", json);
	omnirtc_free(json);
}

char *json_escape_newlines(const char *s) {
	char *out = malloc(2 * strlen(s) + 1), *w = out;
	for (; *s; s++) {
		if (*s == '\n') {
			*w++ = '\\';
			*w++ = 'n';
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return out;
}

void sdp_fingerprint(const char *sdp, char *out, size_t n) {
	const char *fp = strstr(sdp, "a=fingerprint:sha-256 ");
	CHECK(fp != NULL);
	fp += strlen("a=fingerprint:sha-256 ");
	size_t i = 0;
	for (; fp[i] && fp[i] != '\r' && fp[i] != '\n' && i + 1 < n; i++)
		out[i] = (char)toupper((unsigned char)fp[i]);
	out[i] = '\0';
	CHECK(i == 95); /* 32 bytes as hex pairs with colons */
}
