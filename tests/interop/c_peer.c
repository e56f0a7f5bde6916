/* The library-side interop agent in C: libomnirtc's C API speaking the
 * interop protocol (PROTOCOL.md) as JSON lines on stdin and stdout.
 * The main thread runs operations in order; events are written from the
 * library's callback thread.  Build: cc c_peer.c $(pkg-config --cflags --libs omnirtc) */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <omnirtc.h>

#define MAX_CHANNELS 64
#define HIGH_WATER (1u << 20)

/* ---- a little JSON: reading top-level fields, writing escaped strings ---- */

static const char *skip_ws(const char *p) {
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

static const char *skip_string(const char *p) { /* p at the opening quote */
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

static const char *skip_value(const char *p) {
	p = skip_ws(p);
	if (*p == '"')
		return skip_string(p);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (*p) {
			if (*p == '"') {
				p = skip_string(p);
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			if (*p == '}' || *p == ']') {
				if (--depth == 0)
					return p + 1;
			}
			p++;
		}
		return p;
	}
	while (*p && *p != ',' && *p != '}' && *p != ']')
		p++;
	return p;
}

/* The value of `key` in the top-level object `obj`, or NULL. */
static const char *json_find(const char *obj, const char *key) {
	const char *p = skip_ws(obj);
	if (*p != '{')
		return NULL;
	p++;
	size_t klen = strlen(key);
	for (;;) {
		p = skip_ws(p);
		if (*p != '"')
			return NULL;
		const char *k = p + 1, *kend = skip_string(p) - 1;
		p = skip_ws(kend + 1);
		if (*p != ':')
			return NULL;
		const char *value = skip_ws(p + 1);
		if ((size_t)(kend - k) == klen && memcmp(k, key, klen) == 0)
			return value;
		p = skip_ws(skip_value(value));
		if (*p != ',')
			return NULL;
		p++;
	}
}

static void put_utf8(char **out, unsigned cp) {
	char *o = *out;
	if (cp < 0x80)
		*o++ = (char)cp;
	else if (cp < 0x800)
		*o++ = (char)(0xc0 | cp >> 6), *o++ = (char)(0x80 | (cp & 0x3f));
	else if (cp < 0x10000)
		*o++ = (char)(0xe0 | cp >> 12), *o++ = (char)(0x80 | ((cp >> 6) & 0x3f)),
		*o++ = (char)(0x80 | (cp & 0x3f));
	else
		*o++ = (char)(0xf0 | cp >> 18), *o++ = (char)(0x80 | ((cp >> 12) & 0x3f)),
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f)), *o++ = (char)(0x80 | (cp & 0x3f));
	*out = o;
}

/* The string value of `key`, unescaped and malloc'd, or NULL. */
static char *json_string(const char *obj, const char *key) {
	const char *p = json_find(obj, key);
	if (!p || *p != '"')
		return NULL;
	const char *end = skip_string(p);
	char *s = malloc((size_t)(end - p) + 1), *o = s;
	for (p++; p < end - 1; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u': {
			unsigned cp = (unsigned)strtoul((char[5]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p[1] == '\\' && p[2] == 'u') {
				unsigned lo = (unsigned)strtoul((char[5]){p[3], p[4], p[5], p[6], 0}, NULL, 16);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			}
			put_utf8(&o, cp);
			break;
		}
		default: *o++ = *p; /* \" \\ \/ */
		}
	}
	*o = 0;
	return s;
}

/* The raw text of an object value of `key` (malloc'd), or NULL. */
static char *json_object(const char *obj, const char *key) {
	const char *p = json_find(obj, key);
	if (!p || *p != '{')
		return NULL;
	const char *end = skip_value(p);
	return strndup(p, (size_t)(end - p));
}

static long json_long(const char *obj, const char *key, long fallback) {
	const char *p = json_find(obj, key);
	return p && (isdigit((unsigned char)*p) || *p == '-') ? strtol(p, NULL, 10) : fallback;
}

static int json_true(const char *obj, const char *key) {
	const char *p = json_find(obj, key);
	return p && strncmp(p, "true", 4) == 0;
}

static void put_json_string(const char *s) {
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\r')
			fputs("\\r", stdout);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/* ---- message tallies ---------------------------------------------------- */

static uint32_t crc_table[256];

static void crc_init(void) {
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc) {
	uint32_t c = ~crc;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

/* Count, bytes, stream CRC (order-sensitive), sum of message CRCs. */
typedef struct {
	uint64_t count, bytes, text, binary;
	uint32_t crc, sum;
} tally_t;

static void tally_add(tally_t *t, const uint8_t *data, size_t size, int binary) {
	t->count++;
	t->bytes += size;
	t->crc = crc32(data, size, t->crc);
	t->sum += crc32(data, size, 0);
	if (binary)
		t->binary++;
	else
		t->text++;
}

/* Writes `"id":N,"ok":true,...` for a tally; the caller holds stdout. */
static void put_tally(long id, const tally_t *t) {
	printf(
	    "{\"id\":%ld,\"ok\":true,\"count\":%llu,\"bytes\":%llu,\"crc\":%u,\"sum\":%u,\"text\":%llu,\"binary\":%llu}\n",
	    id, (unsigned long long)t->count, (unsigned long long)t->bytes, t->crc, t->sum, (unsigned long long)t->text,
	    (unsigned long long)t->binary);
	fflush(stdout);
}

/* ---- the agent ---------------------------------------------------------- */

typedef struct {
	char *label;
	omnirtc_channel_t handle; /* 0 once closed */
	tally_t received;
	long expect_count, expect_id; /* a pending "expect", expect_id 0 if none */
} channel_t;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static channel_t channels[MAX_CHANNELS];
static int nchannels;
static omnirtc_peer_t pc;
/* perfect-negotiation mode (the "perfect" op; main thread only) */
static int perfect, polite, explicit_rollback, ignore_offer;

static const char *SIGNALING[] = {
    "stable", "have-local-offer", "have-remote-offer", "have-local-pranswer", "have-remote-pranswer", "closed"};
static const char *ICE[] = {"new", "checking", "connected", "completed", "disconnected", "failed", "closed"};
static const char *CONNECTION[] = {"new", "connecting", "connected", "disconnected", "failed", "closed"};
static const char *READY[] = {"connecting", "open", "closing", "closed"};

static void emit(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	flockfile(stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	funlockfile(stdout);
	va_end(ap);
}

static void emit_error(long id, const char *what, omnirtc_status_t s) {
	flockfile(stdout);
	printf("{\"id\":%ld,\"error\":", id);
	char msg[1024];
	snprintf(msg, sizeof msg, "%s: %s: %s", what, omnirtc_status_string(s), omnirtc_last_error());
	put_json_string(msg);
	puts("}");
	fflush(stdout);
	funlockfile(stdout);
}

/* Under mu: the channel with this label, or with this handle. */
static channel_t *by_label(const char *label) {
	for (int i = 0; i < nchannels; i++)
		if (strcmp(channels[i].label, label) == 0)
			return &channels[i];
	return NULL;
}

static channel_t *by_handle(omnirtc_channel_t h) {
	for (int i = 0; i < nchannels; i++)
		if (channels[i].handle == h)
			return &channels[i];
	return NULL;
}

static channel_t *add_channel(const char *label, omnirtc_channel_t h) {
	channel_t *c = by_label(label);
	if (!c && nchannels < MAX_CHANNELS)
		c = &channels[nchannels++];
	if (!c)
		return NULL;
	free(c->label);
	*c = (channel_t){.label = strdup(label), .handle = h};
	return c;
}

/* Under mu, holding stdout: answers a pending expect once it is met. */
static void settle(channel_t *c) {
	if (c->expect_id && c->received.count >= (uint64_t)c->expect_count) {
		put_tally(c->expect_id, &c->received);
		c->expect_id = 0;
	}
}

static void emit_label_event(const char *ev, omnirtc_channel_t h) {
	pthread_mutex_lock(&mu);
	channel_t *c = by_handle(h);
	if (c) {
		flockfile(stdout);
		printf("{\"ev\":\"%s\",\"label\":", ev);
		put_json_string(c->label);
		puts("}");
		fflush(stdout);
		funlockfile(stdout);
		if (strcmp(ev, "close") == 0)
			c->handle = 0;
	}
	pthread_mutex_unlock(&mu);
}

/* ---- media: received tracks counted and checked, files sent ------------ */

#define MAX_TRACKS 16
#define MAX_SENDERS 4

/* One received track: its frames as reassembled by the library, each
 * checked against its codec's bitstream (see frame_ok). */
typedef struct {
	omnirtc_track_t handle; /* 0 once ended */
	char kind[8], rid[32], mime[32];
	uint64_t frames, keyframes, bytes, lost, valid, idr;
	int width, height; /* VP8: from the last keyframe's header */
} rtrack_t;

static rtrack_t rtracks[MAX_TRACKS];
static int nrtracks;

/* The target-bitrate events, as the "targets" reply's JSON array items. */
/* DTMF: the tones received (DTMF_TONE), and the tonechanges of the insertDTMF
 * that waits for its "" (dtmf_reply, 0 if none). */
#define MAX_TONES 64
static struct {
	char tone[4];
	int32_t duration;
} tones_received[MAX_TONES];
static int ntones_received;
static char tone_changes[MAX_TONES][4];
static int ntone_changes, can_insert_before;
static long dtmf_reply;

#define MAX_TARGETS 256
static char *targets[MAX_TARGETS];
static int ntargets;

/* A file played to the peer in real time, looped, by its own thread. */
typedef struct {
	char *path;
	omnirtc_track_t track;
	omnirtc_transceiver_t transceiver;
	pthread_t thread;
	uint64_t frames;
} sender_t;

static sender_t senders[MAX_SENDERS];
static int nsenders;
static volatile int stopping;

static int has_start_code(const uint8_t *p, size_t n, size_t i) {
	return i + 3 <= n && p[i] == 0 && p[i + 1] == 0 &&
	       (p[i + 2] == 1 || (i + 4 <= n && p[i + 2] == 0 && p[i + 3] == 1));
}

/* Under mu: checks one frame's bitstream and counts it. VP8: the frame tag's
 * first partition fits, and a keyframe has the start code and a size (RFC
 * 6386 9.1). H264: Annex-B NAL units; a keyframe carries an SPS and an IDR
 * slice. Opus: at least the TOC byte. */
static void count_frame(rtrack_t *t, const uint8_t *p, size_t n, int keyframe, int64_t dropped) {
	t->frames++;
	t->bytes += n;
	t->lost += (uint64_t)(dropped > 0 ? dropped : 0);
	if (keyframe)
		t->keyframes++;
	int ok = 0;
	if (strcasecmp(t->mime, "video/VP8") == 0 && n >= 3) {
		uint32_t tag = p[0] | p[1] << 8 | (uint32_t)p[2] << 16;
		int key = !(tag & 1);
		size_t first = (tag >> 5) & 0x7ffff;
		ok = first <= n - 3;
		if (key) {
			ok = ok && n >= 10 && p[3] == 0x9d && p[4] == 0x01 && p[5] == 0x2a;
			if (ok) {
				t->width = (p[6] | p[7] << 8) & 0x3fff;
				t->height = (p[8] | p[9] << 8) & 0x3fff;
				ok = t->width > 0 && t->height > 0;
			}
		}
	} else if (strcasecmp(t->mime, "video/H264") == 0) {
		int sps = 0, idr = 0, nals = 0;
		for (size_t i = 0; i < n; i++) {
			if (!has_start_code(p, n, i))
				continue;
			i += p[i + 2] == 1 ? 3 : 4;
			if (i >= n || (p[i] & 0x80)) {
				nals = -1000; /* forbidden_zero_bit set, or nothing after a start code */
				break;
			}
			nals++;
			if ((p[i] & 0x1f) == 7)
				sps = 1;
			if ((p[i] & 0x1f) == 5)
				idr = 1;
		}
		ok = nals > 0 && has_start_code(p, n, 0);
		if (keyframe && sps && idr)
			t->idr++;
	} else if (strcasecmp(t->mime, "audio/opus") == 0) {
		ok = n >= 1;
	}
	if (ok)
		t->valid++;
}

static rtrack_t *track_by_handle(omnirtc_track_t h) {
	for (int i = 0; i < nrtracks; i++)
		if (rtracks[i].handle == h)
			return &rtracks[i];
	return NULL;
}

static void copy_field(char *dst, size_t cap, const char *json, const char *key) {
	char *v = json ? json_string(json, key) : NULL;
	snprintf(dst, cap, "%s", v ? v : "");
	free(v);
}

static void on_track(const omnirtc_event_t *e) {
	omnirtc_track_set_receive(e->track.track, "{\"mode\":\"frames\"}");
	char *codec = json_object(e->track.info_json, "codec");
	pthread_mutex_lock(&mu);
	if (nrtracks < MAX_TRACKS) {
		rtrack_t *t = &rtracks[nrtracks++];
		*t = (rtrack_t){.handle = e->track.track};
		copy_field(t->kind, sizeof t->kind, e->track.info_json, "kind");
		snprintf(t->rid, sizeof t->rid, "%s", e->track.rid);
		copy_field(t->mime, sizeof t->mime, codec, "mimeType");
	}
	pthread_mutex_unlock(&mu);
	free(codec);
	emit("{\"ev\":\"track\",%s", e->track.info_json + 1); /* the track's info fields */
}

/* A tonechange of our DTMF sender; "" ends the pending insertDTMF's reply. */
static void on_tone_change(const char *tone) {
	pthread_mutex_lock(&mu);
	if (ntone_changes < MAX_TONES)
		snprintf(tone_changes[ntone_changes++], sizeof tone_changes[0], "%s", tone);
	if (!tone[0] && dtmf_reply) {
		flockfile(stdout);
		printf("{\"id\":%ld,\"ok\":true,\"canInsertDTMF\":%s,\"tones\":[", dtmf_reply,
		       can_insert_before ? "true" : "false");
		for (int i = 0; i < ntone_changes; i++) {
			if (i)
				putchar(',');
			put_json_string(tone_changes[i]);
		}
		puts("]}");
		fflush(stdout);
		funlockfile(stdout);
		dtmf_reply = 0;
	}
	pthread_mutex_unlock(&mu);
}

static void on_event(void *user_data, const omnirtc_event_t *e) {
	(void)user_data;
	switch (e->type) {
	case OMNIRTC_EVENT_ICE_CANDIDATE:
		if (!e->ice_candidate.candidate[0])
			break;
		flockfile(stdout);
		fputs("{\"ev\":\"signal\",\"signal\":{\"type\":\"candidate\",\"candidate\":", stdout);
		put_json_string(e->ice_candidate.candidate);
		fputs(",\"sdpMid\":", stdout);
		put_json_string(e->ice_candidate.sdp_mid);
		printf(",\"sdpMLineIndex\":%d}}\n", e->ice_candidate.sdp_mline_index);
		fflush(stdout);
		funlockfile(stdout);
		break;
	case OMNIRTC_EVENT_SIGNALING_STATE: emit("{\"ev\":\"signaling\",\"state\":\"%s\"}", e->state.name); break;
	case OMNIRTC_EVENT_NEGOTIATION_NEEDED: emit("{\"ev\":\"negotiationneeded\"}"); break;
	case OMNIRTC_EVENT_ICE_CONNECTION_STATE: emit("{\"ev\":\"ice\",\"state\":\"%s\"}", e->state.name); break;
	case OMNIRTC_EVENT_CONNECTION_STATE: emit("{\"ev\":\"connection\",\"state\":\"%s\"}", e->state.name); break;
	case OMNIRTC_EVENT_DATA_CHANNEL: {
		char *info = NULL;
		if (omnirtc_channel_get_info(e->channel.channel, &info) != OMNIRTC_OK)
			break;
		char *label = json_string(info, "label");
		pthread_mutex_lock(&mu);
		add_channel(label, e->channel.channel);
		pthread_mutex_unlock(&mu);
		emit("{\"ev\":\"channel\",%s", info + 1); /* the info object's fields, label included */
		free(label);
		omnirtc_free(info);
		break;
	}
	case OMNIRTC_EVENT_CHANNEL_OPEN: emit_label_event("open", e->channel.channel); break;
	case OMNIRTC_EVENT_CHANNEL_CLOSE: emit_label_event("close", e->channel.channel); break;
	case OMNIRTC_EVENT_CHANNEL_MESSAGE: {
		pthread_mutex_lock(&mu);
		channel_t *c = by_handle(e->message.channel);
		if (c) {
			tally_add(&c->received, e->message.data, e->message.size, e->message.binary);
			flockfile(stdout);
			settle(c);
			funlockfile(stdout);
		}
		pthread_mutex_unlock(&mu);
		break;
	}
	case OMNIRTC_EVENT_TRACK: on_track(e); break;
	case OMNIRTC_EVENT_TARGET_BITRATE: { /* streams_json: {"source",…} */
		char *item = NULL;
		if (asprintf(&item, "{\"bitrate\":%lld,%s", (long long)e->target_bitrate.bits_per_second,
		             e->target_bitrate.streams_json + 1) < 0)
			break;
		pthread_mutex_lock(&mu);
		if (ntargets < MAX_TARGETS)
			targets[ntargets++] = item;
		else
			free(item);
		pthread_mutex_unlock(&mu);
		break;
	}
	case OMNIRTC_EVENT_TRACK_FRAME: {
		pthread_mutex_lock(&mu);
		rtrack_t *t = track_by_handle(e->frame.track);
		if (t)
			count_frame(t, e->frame.data, e->frame.size, e->frame.keyframe, e->frame.packets_dropped);
		pthread_mutex_unlock(&mu);
		break;
	}
	case OMNIRTC_EVENT_DTMF_TONE:
		pthread_mutex_lock(&mu);
		if (ntones_received < MAX_TONES) {
			snprintf(tones_received[ntones_received].tone, sizeof tones_received[0].tone, "%s",
			         e->dtmf_tone.tone);
			tones_received[ntones_received++].duration = e->dtmf_tone.duration_ms;
		}
		pthread_mutex_unlock(&mu);
		break;
	case OMNIRTC_EVENT_DTMF_TONE_CHANGE: on_tone_change(e->dtmf_tone_change.tone); break;
	case OMNIRTC_EVENT_TRACK_UNMUTE: { /* its first packet: the received codec (the track event's is the description's first) */
		char *info = NULL;
		if (omnirtc_track_get_info(e->track_mute.track, &info) != OMNIRTC_OK)
			break;
		char *codec = json_object(info, "codec");
		pthread_mutex_lock(&mu);
		rtrack_t *t = track_by_handle(e->track_mute.track);
		if (t)
			copy_field(t->mime, sizeof t->mime, codec, "mimeType");
		pthread_mutex_unlock(&mu);
		free(codec);
		omnirtc_free(info);
		break;
	}
	case OMNIRTC_EVENT_TRACK_ENDED: {
		pthread_mutex_lock(&mu);
		rtrack_t *t = track_by_handle(e->track_ended.track);
		if (t)
			t->handle = 0;
		pthread_mutex_unlock(&mu);
		break;
	}
	default: break;
	}
}

static void payload(uint8_t *buf, size_t size, int binary, long i) {
	if (!binary) { /* UTF-8 with two- and three-byte characters, whole units only */
		static const char unit[] = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 ";
		size_t u = sizeof unit - 1;
		for (size_t k = 0; k < size; k++)
			buf[k] = (uint8_t)unit[k % u];
		return;
	}
	uint32_t x = (uint32_t)(0x9e3779b9u ^ (uint32_t)(i + 1) * 0x85ebca6bu);
	if (!x)
		x = 1;
	for (size_t k = 0; k < size; k++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[k] = (uint8_t)x;
	}
}

static void sleep_ms(long ms) { nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL); }

/* INTEROP_C_REGISTER_DELAY_MS widens the gap between creating a channel and
 * adding its handle, so a case can show that no event of it is lost there. */
static void register_delay(void) {
	const char *ms = getenv("INTEROP_C_REGISTER_DELAY_MS");
	if (ms)
		sleep_ms(atol(ms));
}

static void op_send(const char *m, long id) {
	char *label = json_string(m, "label");
	int binary = json_true(m, "binary"), pace = json_true(m, "pace");
	long size = json_long(m, "size", 0), count = json_long(m, "count", 0);
	if (!binary)
		size -= size % 18; /* whole text units */
	if (!binary && size == 0)
		size = 18;
	pthread_mutex_lock(&mu);
	channel_t *c = by_label(label);
	omnirtc_channel_t h = c ? c->handle : 0;
	pthread_mutex_unlock(&mu);
	free(label);
	uint8_t *buf = malloc((size_t)size + 1);
	tally_t sent = {0};
	for (long i = 0; i < count; i++) {
		uint64_t buffered = 0;
		if (pace)
			sleep_ms(2);
		while (omnirtc_channel_get_buffered_amount(h, &buffered) == OMNIRTC_OK && buffered > HIGH_WATER)
			sleep_ms(5);
		payload(buf, (size_t)size, binary, i);
		omnirtc_status_t s = omnirtc_channel_send(h, buf, (size_t)size, binary);
		if (s != OMNIRTC_OK) {
			emit_error(id, "omnirtc_channel_send", s);
			free(buf);
			return;
		}
		tally_add(&sent, buf, (size_t)size, binary);
	}
	free(buf);
	flockfile(stdout);
	put_tally(id, &sent);
	funlockfile(stdout);
}

static void op_state(long id) {
	int32_t sig = 0, ice = 0, conn = 0;
	uint64_t max = 0;
	omnirtc_status_t s = omnirtc_peer_get_signaling_state(pc, &sig);
	if (s == OMNIRTC_OK)
		s = omnirtc_peer_get_ice_connection_state(pc, &ice);
	if (s == OMNIRTC_OK)
		s = omnirtc_peer_get_connection_state(pc, &conn);
	if (s == OMNIRTC_OK)
		s = omnirtc_peer_get_max_message_size(pc, &max);
	if (s != OMNIRTC_OK) {
		emit_error(id, "state", s);
		return;
	}
	pthread_mutex_lock(&mu);
	flockfile(stdout);
	printf(
	    "{\"id\":%ld,\"ok\":true,\"signaling\":\"%s\",\"ice\":\"%s\",\"connection\":\"%s\",\"maxMessageSize\":%llu,"
	    "\"channels\":{",
	    id, SIGNALING[sig], ICE[ice], CONNECTION[conn], (unsigned long long)max);
	for (int i = 0; i < nchannels; i++) {
		int32_t ready = OMNIRTC_CHANNEL_CLOSED;
		if (channels[i].handle)
			omnirtc_channel_get_ready_state(channels[i].handle, &ready);
		put_json_string(channels[i].label);
		printf(":\"%s\"%s", READY[ready], i + 1 < nchannels ? "," : "");
	}
	puts("}}");
	fflush(stdout);
	funlockfile(stdout);
	pthread_mutex_unlock(&mu);
}

/* Creates and applies a local offer or answer, then sends it. */
static omnirtc_status_t describe(int offer, const char *options) {
	char *sdp = NULL, *type = NULL;
	omnirtc_status_t s;
	if (perfect) { /* the implicit form, as the example */
		s = omnirtc_peer_set_local_description(pc, NULL, NULL);
	} else {
		s = offer ? omnirtc_peer_create_offer(pc, options, &sdp) : omnirtc_peer_create_answer(pc, NULL, &sdp);
		if (s == OMNIRTC_OK)
			s = omnirtc_peer_set_local_description(pc, offer ? "offer" : "answer", sdp);
	}
	omnirtc_free(sdp);
	sdp = NULL;
	if (s == OMNIRTC_OK)
		s = omnirtc_peer_get_description(pc, OMNIRTC_DESCRIPTION_LOCAL, &type, &sdp);
	if (s == OMNIRTC_OK) {
		flockfile(stdout);
		printf("{\"ev\":\"signal\",\"signal\":{\"type\":\"%s\",\"sdp\":", type);
		put_json_string(sdp);
		puts("}}");
		fflush(stdout);
		funlockfile(stdout);
	}
	omnirtc_free(type);
	omnirtc_free(sdp);
	return s;
}

static void reply_status(long id, const char *what, omnirtc_status_t s) {
	if (s == OMNIRTC_OK)
		emit("{\"id\":%ld,\"ok\":true}", id);
	else
		emit_error(id, what, s);
}

static void op_tracks(long id) {
	pthread_mutex_lock(&mu);
	flockfile(stdout);
	printf("{\"id\":%ld,\"ok\":true,\"tracks\":[", id);
	for (int i = 0; i < nrtracks; i++) {
		const rtrack_t *t = &rtracks[i];
		printf(
		    "%s{\"kind\":\"%s\",\"rid\":\"%s\",\"mimeType\":\"%s\",\"frames\":%llu,\"keyframes\":%llu,\"bytes\":%llu,"
		    "\"lost\":%llu,\"valid\":%llu,\"idrKeyframes\":%llu,\"width\":%d,\"height\":%d,\"ended\":%s}",
		    i ? "," : "", t->kind, t->rid, t->mime, (unsigned long long)t->frames,
		    (unsigned long long)t->keyframes, (unsigned long long)t->bytes, (unsigned long long)t->lost,
		    (unsigned long long)t->valid, (unsigned long long)t->idr, t->width, t->height,
		    t->handle ? "false" : "true");
	}
	puts("]}");
	fflush(stdout);
	funlockfile(stdout);
	pthread_mutex_unlock(&mu);
}

static void op_targets(long id) {
	pthread_mutex_lock(&mu);
	flockfile(stdout);
	printf("{\"id\":%ld,\"ok\":true,\"targets\":[", id);
	for (int i = 0; i < ntargets; i++)
		printf("%s%s", i ? "," : "", targets[i]);
	puts("]}");
	fflush(stdout);
	funlockfile(stdout);
	pthread_mutex_unlock(&mu);
}

/* A REMB of `bitrate` for every received video track. */
static void op_request_bitrate(const char *m, long id) {
	omnirtc_track_t video[MAX_TRACKS];
	int n = 0;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < nrtracks; i++)
		if (rtracks[i].handle && strcmp(rtracks[i].kind, "video") == 0)
			video[n++] = rtracks[i].handle;
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < n; i++) {
		omnirtc_status_t s = omnirtc_track_request_bitrate(video[i], json_long(m, "bitrate", 0));
		if (s != OMNIRTC_OK) {
			emit_error(id, "omnirtc_track_request_bitrate", s);
			return;
		}
	}
	emit("{\"id\":%ld,\"ok\":true,\"tracks\":%d}", id, n);
}

static uint64_t now_us(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Plays one file to its track in real time until stopping, from the start
 * again at its end. */
static void *play_file(void *arg) {
	sender_t *snd = arg;
	uint64_t due = now_us();
	while (!stopping) {
		omnirtc_media_reader_t reader = 0;
		if (omnirtc_media_reader_open(snd->path, NULL, &reader, NULL) != OMNIRTC_OK)
			break;
		while (!stopping) {
			uint8_t *data = NULL;
			size_t size = 0;
			uint64_t duration = 0;
			if (omnirtc_media_reader_next(reader, &data, &size, &duration, NULL) != OMNIRTC_OK || !data)
				break;
			omnirtc_status_t s = omnirtc_track_write_sample(snd->track, NULL, data, size, duration);
			omnirtc_free(data);
			if (s != OMNIRTC_OK) {
				stopping = 1;
				break;
			}
			snd->frames++;
			due += duration ? duration : 20000;
			uint64_t now = now_us();
			if (due > now)
				sleep_ms((long)((due - now) / 1000));
		}
		omnirtc_media_reader_close(reader);
	}
	return NULL;
}

static void stop_senders(void) {
	stopping = 1;
	for (int i = 0; i < nsenders; i++) {
		pthread_join(senders[i].thread, NULL);
		omnirtc_track_close(senders[i].track);
		free(senders[i].path);
	}
	nsenders = 0;
	stopping = 0;
}

/* sendMedia {"files":[path…]}: a track per file, added to the peer; each is
 * played once the call is up (samples before that are dropped). */
static void op_send_media(const char *m, long id) {
	const char *p = json_find(m, "files");
	if (!p || *p != '[') {
		emit_error(id, "sendMedia: files", OMNIRTC_ERR_INVALID_ARGUMENT);
		return;
	}
	p = skip_ws(p + 1);
	while (*p == '"' && nsenders < MAX_SENDERS) {
		char *wrapped = NULL;
		const char *end = skip_string(p);
		if (asprintf(&wrapped, "{\"f\":%.*s}", (int)(end - p), p) < 0)
			break;
		sender_t *snd = &senders[nsenders];
		*snd = (sender_t){.path = json_string(wrapped, "f")};
		free(wrapped);
		omnirtc_media_reader_t reader = 0;
		char *info = NULL, *codec = NULL, *init = NULL;
		omnirtc_transceiver_t transceiver = 0;
		omnirtc_status_t s = omnirtc_media_reader_open(snd->path, NULL, &reader, &info);
		if (s == OMNIRTC_OK) {
			omnirtc_media_reader_close(reader);
			codec = json_string(info, "codec");
			if (asprintf(&init, "{\"codec\":\"%s\",\"streamId\":\"omnirtc-interop\"}", codec) < 0)
				init = NULL;
			s = omnirtc_track_create(init, &snd->track);
		}
		if (s == OMNIRTC_OK)
			s = omnirtc_peer_add_track(pc, snd->track, &transceiver);
		omnirtc_free(info);
		free(codec);
		free(init);
		if (s != OMNIRTC_OK) {
			emit_error(id, snd->path, s);
			free(snd->path);
			return;
		}
		snd->transceiver = transceiver;
		pthread_create(&snd->thread, NULL, play_file, snd);
		nsenders++;
		p = skip_ws(end);
		if (*p == ',')
			p = skip_ws(p + 1);
	}
	reply_status(id, "sendMedia", OMNIRTC_OK);
}

/* insertDTMF {tones, duration, interToneGap} on the first audio sender; the
 * reply waits for its tonechange "" (on_tone_change). */
static void op_insert_dtmf(const char *m, long id) {
	char *tones = json_string(m, "tones");
	omnirtc_transceiver_t transceiver = 0;
	int32_t can_insert = 0;
	for (int i = 0; i < nsenders && !transceiver; i++) {
		char *buffer = NULL;
		if (omnirtc_transceiver_get_dtmf(senders[i].transceiver, &buffer, &can_insert) == OMNIRTC_OK)
			transceiver = senders[i].transceiver; /* video transceivers refuse: INVALID_ARGUMENT */
		omnirtc_free(buffer);
	}
	pthread_mutex_lock(&mu);
	ntone_changes = 0;
	can_insert_before = can_insert;
	dtmf_reply = id;
	pthread_mutex_unlock(&mu);
	omnirtc_status_t s = transceiver ? omnirtc_transceiver_insert_dtmf(transceiver, tones ? tones : "",
	                                                                   (uint32_t)json_long(m, "duration", 100),
	                                                                   (uint32_t)json_long(m, "interToneGap", 70))
	                                 : OMNIRTC_ERR_INVALID_STATE;
	free(tones);
	if (s != OMNIRTC_OK) {
		pthread_mutex_lock(&mu);
		dtmf_reply = 0;
		pthread_mutex_unlock(&mu);
		emit_error(id, "omnirtc_transceiver_insert_dtmf", s);
	}
}

/* dtmf: the tones received so far, {tone, duration} in order. */
static void op_dtmf(long id) {
	pthread_mutex_lock(&mu);
	flockfile(stdout);
	printf("{\"id\":%ld,\"ok\":true,\"tones\":[", id);
	for (int i = 0; i < ntones_received; i++) {
		printf("%s{\"tone\":", i ? "," : "");
		put_json_string(tones_received[i].tone);
		printf(",\"duration\":%d}", tones_received[i].duration);
	}
	puts("]}");
	fflush(stdout);
	funlockfile(stdout);
	pthread_mutex_unlock(&mu);
}

static void op_stats(long id) {
	char *report = NULL;
	omnirtc_status_t s = omnirtc_peer_get_stats(pc, &report);
	if (s != OMNIRTC_OK) {
		emit_error(id, "omnirtc_peer_get_stats", s);
		return;
	}
	emit("{\"id\":%ld,\"ok\":true,\"report\":%s}", id, report);
	omnirtc_free(report);
}

static void handle(const char *m) {
	long id = json_long(m, "id", 0);
	char *op = json_string(m, "op");
	if (!op)
		return;
	if (strcmp(op, "create") == 0) {
		char *config = json_object(m, "config");
		reply_status(id, "omnirtc_peer_create", omnirtc_peer_create(config, on_event, NULL, &pc));
		free(config);
	} else if (strcmp(op, "channel") == 0) {
		char *label = json_string(m, "label"), *init = json_object(m, "init");
		omnirtc_channel_t h = 0;
		/* On a connected peer the channel opens at once, and its OPEN may reach
		 * on_event (on a library thread) before the create call returns: the
		 * handle is added under mu, which on_event takes to find it. */
		pthread_mutex_lock(&mu);
		omnirtc_status_t s = omnirtc_channel_create(pc, label, init, &h);
		register_delay();
		if (s == OMNIRTC_OK)
			add_channel(label, h);
		pthread_mutex_unlock(&mu);
		reply_status(id, "omnirtc_channel_create", s);
		free(label);
		free(init);
	} else if (strcmp(op, "offer") == 0) {
		int32_t sig = 0;
		omnirtc_status_t s = omnirtc_peer_get_signaling_state(pc, &sig);
		if (s == OMNIRTC_OK && perfect && sig != 0) /* made on negotiationneeded: none unless stable */
			emit("{\"ev\":\"skipped\"}");
		else if (s == OMNIRTC_OK)
			s = describe(1, json_true(m, "iceRestart") ? "{\"iceRestart\":true}" : NULL);
		reply_status(id, "offer", s);
	} else if (strcmp(op, "setConfiguration") == 0) {
		char *config = json_object(m, "config");
		reply_status(id, "omnirtc_peer_set_configuration", omnirtc_peer_set_configuration(pc, config));
		free(config);
	} else if (strcmp(op, "perfect") == 0) {
		char *rollback = json_string(m, "rollback");
		perfect = 1;
		polite = json_true(m, "polite");
		explicit_rollback = rollback && strcmp(rollback, "explicit") == 0;
		free(rollback);
		reply_status(id, "perfect", OMNIRTC_OK);
	} else if (strcmp(op, "signal") == 0) {
		char *type = json_string(m, "type");
		omnirtc_status_t s;
		if (strcmp(type, "candidate") == 0) {
			char *candidate = json_string(m, "candidate"), *mid = json_string(m, "sdpMid");
			s = omnirtc_peer_add_ice_candidate(pc, candidate, mid,
			                                   (int32_t)json_long(m, "sdpMLineIndex", -1));
			if (s != OMNIRTC_OK && ignore_offer)
				s = OMNIRTC_OK;
			free(candidate);
			free(mid);
		} else {
			char *sdp = json_string(m, "sdp");
			int32_t sig = 0;
			s = omnirtc_peer_get_signaling_state(pc, &sig);
			/* W3C webrtc-pc 10.7: ops run one at a time here, so "making an
			 * offer" is having one applied, a signaling state not stable. */
			int collision = perfect && strcmp(type, "offer") == 0 && sig != 0;
			ignore_offer = collision && !polite;
			if (s == OMNIRTC_OK && ignore_offer)
				emit("{\"ev\":\"ignored\",\"type\":\"offer\"}");
			if (s == OMNIRTC_OK && !ignore_offer && collision && explicit_rollback) {
				s = omnirtc_peer_set_local_description(pc, "rollback", NULL);
				if (s == OMNIRTC_OK && omnirtc_peer_get_signaling_state(pc, &sig) == OMNIRTC_OK)
					emit("{\"ev\":\"rolledBack\",\"state\":\"%s\"}", SIGNALING[sig]);
			}
			if (s == OMNIRTC_OK && !ignore_offer)
				s = omnirtc_peer_set_remote_description(pc, type, sdp);
			if (s == OMNIRTC_OK && !ignore_offer && strcmp(type, "offer") == 0)
				s = describe(0, NULL);
			free(sdp);
		}
		reply_status(id, "signal", s);
		free(type);
	} else if (strcmp(op, "send") == 0) {
		op_send(m, id);
	} else if (strcmp(op, "expect") == 0) {
		char *label = json_string(m, "label");
		pthread_mutex_lock(&mu);
		channel_t *c = by_label(label);
		if (!c)
			c = add_channel(label, 0);
		c->expect_count = json_long(m, "count", 0);
		c->expect_id = id;
		flockfile(stdout);
		settle(c);
		funlockfile(stdout);
		pthread_mutex_unlock(&mu);
		free(label);
	} else if (strcmp(op, "close") == 0) {
		char *label = json_string(m, "label");
		pthread_mutex_lock(&mu);
		channel_t *c = by_label(label);
		omnirtc_channel_t h = c ? c->handle : 0;
		pthread_mutex_unlock(&mu);
		reply_status(id, "omnirtc_channel_close", omnirtc_channel_close(h));
		free(label);
	} else if (strcmp(op, "closePeer") == 0) {
		stop_senders();
		reply_status(id, "omnirtc_peer_close", omnirtc_peer_close(pc));
	} else if (strcmp(op, "state") == 0) {
		op_state(id);
	} else if (strcmp(op, "tracks") == 0) {
		op_tracks(id);
	} else if (strcmp(op, "targets") == 0) {
		op_targets(id);
	} else if (strcmp(op, "requestBitrate") == 0) {
		op_request_bitrate(m, id);
	} else if (strcmp(op, "stats") == 0) {
		op_stats(id);
	} else if (strcmp(op, "sendMedia") == 0) {
		op_send_media(m, id);
	} else if (strcmp(op, "insertDTMF") == 0) {
		op_insert_dtmf(m, id);
	} else if (strcmp(op, "dtmf") == 0) {
		op_dtmf(id);
	} else {
		emit_error(id, op, OMNIRTC_ERR_NOT_SUPPORTED);
	}
	free(op);
}

int main(void) {
	crc_init();
	emit("{\"ev\":\"hello\",\"userAgent\":\"omnirtc-c/%s\"}", omnirtc_version());
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, stdin) > 0)
		handle(line);
	free(line);
	stop_senders();
	if (pc)
		omnirtc_peer_close(pc); /* INVALID_HANDLE if already closed */
	omnirtc_shutdown();
	return 0;
}
