/* ABI misuse of the media and TURN server sections: every track,
 * transceiver, media reader/writer and TURN server function with zero,
 * stale, random and wrong-kind handles (a channel as a track, a track as a
 * peer, a TURN server as a transceiver…), NULL out-parameters, sizes 0 and
 * near SIZE_MAX, invalid UTF-8; track close racing with write_sample and
 * write_rtp from several threads, and peer close racing with transceiver
 * calls. Each gets a documented status, never a crash, a hang or a leak.
 * The reliability suite also runs this file built with AddressSanitizer. */
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define BAD_UTF8 "\xc3\x28\xff\xfe"
#define TURN_CONFIG                                                             \
	"{\"listeners\":[{\"transport\":\"udp\",\"address\":\"127.0.0.1:0\"}]," \
	"\"relay\":{\"address\":\"127.0.0.1\",\"minPort\":52000,\"maxPort\":52999},\"users\":{\"a\":\"b\"}}"

/* Live handles of one kind in omnirtc_debug_counters (absent: 0). */
static long live_handles(const char *kind) {
	char *json = NULL, key[64];
	OK(omnirtc_debug_counters(&json));
	snprintf(key, sizeof key, "\"%s\":", kind);
	const char *at = strstr(json, key);
	long n = at != NULL ? strtol(at + strlen(key), NULL, 10) : 0;
	omnirtc_free(json);
	return n;
}

/* wait_counters_back, and every media and TURN handle released too. */
static void wait_all_back(counters_t base) {
	wait_counters_back(base, 3, 8000);
	const char *kinds[] = {"track", "remote track", "transceiver", "media reader", "media writer", "turnServer"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (live_handles(kinds[i]) != 0) {
			fprintf(stderr, "%ld %s handles still live\n", live_handles(kinds[i]), kinds[i]);
			exit(1);
		}
	}
}

static void expect_handle_error(omnirtc_status_t s, const char *what, uint64_t h) {
	if (s != OMNIRTC_ERR_INVALID_HANDLE) {
		fprintf(stderr, "%s(%llu) returned %s, want OMNIRTC_ERR_INVALID_HANDLE: %s\n", what,
		        (unsigned long long)h, omnirtc_status_string(s), omnirtc_last_error());
		exit(1);
	}
	CHECK(omnirtc_last_error()[0] != '\0');
}

/* Live objects of every kind, for the calls that need one valid handle
 * next to the one under test. */
typedef struct {
	omnirtc_peer_t peer;
	omnirtc_channel_t channel;
	omnirtc_track_t track, rtp_track;
	omnirtc_transceiver_t transceiver;
	omnirtc_media_reader_t reader;
	omnirtc_media_writer_t writer;
	omnirtc_turn_server_t turn;
	char dir[64];
} world_t;

static const uint8_t rtp_packet[] = {0x80, 0xe0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x90, 0x80, 0x80, 0x01, 0x10};

/* Every media/TURN function taking a handle, called with h in that place. */
static void media_calls_with(world_t *w, uint64_t h) {
	char *s = NULL, *u = NULL;
	omnirtc_transceiver_t tr = 0;
	uint8_t *data = NULL;
	size_t size = 7;
	uint64_t dur = 7;
	int32_t key = 7;
#define H(call) expect_handle_error((call), #call, h)
	/* as a local track */
	H(omnirtc_track_write_sample(h, NULL, "x", 1, 1000));
	H(omnirtc_track_write_sample(h, "r", NULL, 0, 0));
	H(omnirtc_track_write_rtp(h, NULL, rtp_packet, sizeof rtp_packet));
	H(omnirtc_track_get_info(h, &s));
	H(omnirtc_track_close(h));
	/* as a remote track */
	H(omnirtc_track_set_receive(h, "{\"mode\":\"rtp\"}"));
	H(omnirtc_track_request_keyframe(h, 0));
	H(omnirtc_track_request_keyframe(h, 1));
	H(omnirtc_track_request_bitrate(h, 500000));
	/* as a peer, with a live track / transceiver */
	H(omnirtc_peer_add_track(h, w->track, &tr));
	H(omnirtc_peer_add_transceiver(h, "video", 0, NULL, &tr));
	H(omnirtc_peer_add_transceiver(h, NULL, w->track, NULL, &tr));
	H(omnirtc_peer_remove_track(h, w->transceiver));
	/* as a track or transceiver of a live peer */
	H(omnirtc_peer_add_track(w->peer, h, &tr));
	H(omnirtc_peer_remove_track(w->peer, h));
	if (h != 0) { /* track 0 means "no track" there */
		H(omnirtc_peer_add_transceiver(w->peer, NULL, h, NULL, &tr));
		H(omnirtc_peer_add_transceiver(w->peer, "video", h, "{}", &tr));
		H(omnirtc_transceiver_replace_track(w->transceiver, h));
	}
	/* as a transceiver */
	H(omnirtc_transceiver_replace_track(h, 0));
	H(omnirtc_transceiver_replace_track(h, w->track));
	H(omnirtc_transceiver_set_codec_preferences(h, "[]"));
	H(omnirtc_transceiver_get_info(h, &s));
	H(omnirtc_transceiver_stop(h));
	/* as a media reader / writer */
	H(omnirtc_media_reader_next(h, &data, &size, &dur, &key));
	H(omnirtc_media_reader_close(h));
	H(omnirtc_media_writer_write_rtp(h, rtp_packet, sizeof rtp_packet));
	H(omnirtc_media_writer_close(h));
	/* as a TURN server */
	H(omnirtc_turn_server_stats(h, &s));
	H(omnirtc_turn_server_close(h));
#undef H
	CHECK(s == NULL && u == NULL && tr == 0 && data == NULL); /* out-parameters untouched */
}

static void open_world(world_t *w) {
	memset(w, 0, sizeof *w);
	OK(omnirtc_peer_create(LOOPBACK_CONFIG, NULL, NULL, &w->peer));
	OK(omnirtc_channel_create(w->peer, "c", NULL, &w->channel));
	OK(omnirtc_track_create("{\"codec\":\"vp8\"}", &w->track));
	OK(omnirtc_track_create("{\"codec\":\"vp8\",\"mode\":\"rtp\"}", &w->rtp_track));
	OK(omnirtc_peer_add_transceiver(w->peer, "video", 0, "{\"direction\":\"recvonly\"}", &w->transceiver));
	snprintf(w->dir, sizeof w->dir, "/tmp/omnirtc-misuse-media-XXXXXX");
	CHECK(mkdtemp(w->dir) != NULL);
	char path[128];
	snprintf(path, sizeof path, "%s/w.ivf", w->dir);
	OK(omnirtc_media_writer_open(path, NULL, &w->writer));
	OK(omnirtc_media_writer_write_rtp(w->writer, rtp_packet, sizeof rtp_packet));
	snprintf(path, sizeof path, "%s/r.ivf", w->dir);
	omnirtc_media_writer_t tmp;
	OK(omnirtc_media_writer_open(path, NULL, &tmp));
	OK(omnirtc_media_writer_write_rtp(tmp, rtp_packet, sizeof rtp_packet));
	OK(omnirtc_media_writer_close(tmp));
	OK(omnirtc_media_reader_open(path, NULL, &w->reader, NULL));
	OK(omnirtc_turn_server_start(TURN_CONFIG, NULL, NULL, NULL, &w->turn));
}

static void close_world(world_t *w) {
	OK(omnirtc_turn_server_close(w->turn));
	OK(omnirtc_media_reader_close(w->reader));
	OK(omnirtc_media_writer_close(w->writer));
	OK(omnirtc_track_close(w->track));
	OK(omnirtc_track_close(w->rtp_track));
	OK(omnirtc_peer_close(w->peer));
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", w->dir);
	CHECK(system(cmd) == 0);
}

TEST(media_and_turn_functions_refuse_zero_stale_random_and_wrong_kind_handles) {
	counters_t base = read_counters();
	world_t stale, w;
	open_world(&stale);
	omnirtc_transceiver_t stale_tr = stale.transceiver;
	close_world(&stale);
	open_world(&w);
	uint64_t fixed[] = {0,
	                    1,
	                    2,
	                    stale.peer,
	                    stale.channel,
	                    stale.track,
	                    stale.rtp_track,
	                    stale_tr,
	                    stale.reader,
	                    stale.writer,
	                    stale.turn,
	                    w.turn + 100000,
	                    UINT64_MAX,
	                    UINT64_MAX - 1,
	                    1ull << 63,
	                    0x8000000000000001ull};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		media_calls_with(&w, fixed[i]);
	srand(4242);
	for (int i = 0; i < 2000; i++) {
		uint64_t r = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
		if (r <= w.turn + 16)
			continue;
		media_calls_with(&w, r);
	}
	/* wrong kinds: a channel as a track, a peer as a transceiver, a TURN
	 * server as a transceiver, a reader as a writer, a track as a peer… */
	char *s = NULL;
	omnirtc_transceiver_t tr = 0;
	uint8_t *data = NULL;
	size_t size;
#define H(call, h) expect_handle_error((call), #call, (h))
	H(omnirtc_track_write_sample(w.channel, NULL, "x", 1, 1000), w.channel);
	H(omnirtc_track_write_rtp(w.channel, NULL, rtp_packet, sizeof rtp_packet), w.channel);
	H(omnirtc_track_close(w.peer), w.peer);
	H(omnirtc_track_get_info(w.transceiver, &s), w.transceiver);
	H(omnirtc_track_set_receive(w.track, "{}"), w.track); /* local, not remote */
	H(omnirtc_track_request_keyframe(w.track, 0), w.track);
	H(omnirtc_track_request_bitrate(w.track, 500000), w.track);
	H(omnirtc_peer_add_track(w.track, w.track, &tr), w.track);
	H(omnirtc_peer_add_track(w.peer, w.channel, &tr), w.channel);
	H(omnirtc_peer_add_track(w.peer, w.transceiver, &tr), w.transceiver);
	H(omnirtc_peer_add_transceiver(w.turn, "audio", 0, NULL, &tr), w.turn);
	H(omnirtc_peer_add_transceiver(w.peer, NULL, w.reader, NULL, &tr), w.reader);
	H(omnirtc_peer_remove_track(w.peer, w.track), w.track);
	H(omnirtc_peer_remove_track(w.transceiver, w.transceiver), w.transceiver);
	H(omnirtc_transceiver_get_info(w.turn, &s), w.turn);
	H(omnirtc_transceiver_stop(w.turn), w.turn);
	H(omnirtc_transceiver_stop(w.peer), w.peer);
	H(omnirtc_transceiver_set_codec_preferences(w.track, "[]"), w.track);
	H(omnirtc_transceiver_replace_track(w.transceiver, w.writer), w.writer);
	H(omnirtc_transceiver_replace_track(w.channel, w.track), w.channel);
	H(omnirtc_media_reader_next(w.writer, &data, &size, NULL, NULL), w.writer);
	H(omnirtc_media_reader_close(w.writer), w.writer);
	H(omnirtc_media_writer_write_rtp(w.reader, rtp_packet, sizeof rtp_packet), w.reader);
	H(omnirtc_media_writer_close(w.track), w.track);
	H(omnirtc_turn_server_stats(w.transceiver, &s), w.transceiver);
	H(omnirtc_turn_server_close(w.peer), w.peer);
	H(omnirtc_turn_server_close(w.reader), w.reader);
	/* and the data-channel and peer functions with media/TURN handles */
	H(omnirtc_channel_send(w.track, "x", 1, 0), w.track);
	H(omnirtc_channel_close(w.turn), w.turn);
	H(omnirtc_peer_close(w.transceiver), w.transceiver);
	H(omnirtc_peer_close(w.turn), w.turn);
	H(omnirtc_peer_get_stats(w.reader, &s), w.reader);
#undef H
	CHECK(s == NULL && tr == 0 && data == NULL);
	/* everything still alive and well */
	OK(omnirtc_track_get_info(w.track, &s));
	CHECK(strstr(s, "\"video\"") != NULL);
	omnirtc_free(s);
	OK(omnirtc_transceiver_get_info(w.transceiver, &s));
	omnirtc_free(s);
	OK(omnirtc_turn_server_stats(w.turn, &s));
	omnirtc_free(s);
	OK(omnirtc_media_writer_write_rtp(w.writer, rtp_packet, sizeof rtp_packet));
	uint8_t *frame;
	OK(omnirtc_media_reader_next(w.reader, &frame, &size, NULL, NULL));
	omnirtc_free(frame);
	close_world(&w);
	media_calls_with(&w, w.track); /* now stale too */
	media_calls_with(&w, w.turn);
	wait_all_back(base);
}

TEST(media_out_parameters_and_required_strings_may_not_be_null) {
	counters_t base = read_counters();
	world_t w;
	open_world(&w);
	char path[128];
	snprintf(path, sizeof path, "%s/r.ivf", w.dir);
	omnirtc_track_t t;
	omnirtc_media_reader_t r;
	omnirtc_media_writer_t wr;
	omnirtc_turn_server_t srv;
	char *user, *pass;
#define A(call) EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, call)
	A(omnirtc_track_create("{\"codec\":\"vp8\"}", NULL));
	A(omnirtc_track_get_info(w.track, NULL));
	A(omnirtc_transceiver_get_info(w.transceiver, NULL));
	A(omnirtc_peer_add_transceiver(w.peer, NULL, 0, NULL, &w.transceiver)); /* neither kind nor track */
	A(omnirtc_media_reader_open(NULL, NULL, &r, NULL));
	A(omnirtc_media_reader_open(path, NULL, NULL, NULL));
	A(omnirtc_media_reader_next(w.reader, NULL, NULL, NULL, NULL));
	A(omnirtc_media_writer_open(NULL, NULL, &wr));
	A(omnirtc_media_writer_open(path, NULL, NULL));
	A(omnirtc_turn_server_start(NULL, NULL, NULL, NULL, &srv));
	A(omnirtc_turn_server_start(TURN_CONFIG, NULL, NULL, NULL, NULL));
	A(omnirtc_turn_server_stats(w.turn, NULL));
	A(omnirtc_turn_rest_credential(NULL, "u", 60, &user, &pass));
	A(omnirtc_turn_rest_credential("s", NULL, 60, &user, &pass));
	A(omnirtc_turn_rest_credential("s", "u", 60, NULL, &pass));
	A(omnirtc_turn_rest_credential("s", "u", 60, &user, NULL));
	/* NULL data with a size */
	A(omnirtc_track_write_sample(w.track, NULL, NULL, 1, 1000));
	A(omnirtc_track_write_rtp(w.rtp_track, NULL, NULL, 12));
	A(omnirtc_media_writer_write_rtp(w.writer, NULL, 12));
#undef A
	/* the codec is required: leaving it out is an argument error naming it */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_create(NULL, &t));
	CHECK(strstr(omnirtc_last_error(), "\"codec\"") != NULL);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_create("{}", &t));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_create("{\"codec\":null}", &t));
	CHECK(strstr(omnirtc_last_error(), "\"codec\"") != NULL);
	/* an unknown one is not supported, and the message lists the known ones */
	EXPECT_STATUS(OMNIRTC_ERR_NOT_SUPPORTED, omnirtc_track_create("{\"codec\":\"video/MPEG2\"}", &t));
	CHECK(strstr(omnirtc_last_error(), "vp8") != NULL);
	/* documented optional outputs */
	char *info = (char *)1;
	OK(omnirtc_media_reader_open(path, NULL, &r, NULL));
	uint8_t *data;
	size_t size;
	OK(omnirtc_media_reader_next(r, &data, &size, NULL, NULL));
	CHECK(data != NULL && size > 0);
	omnirtc_free(data);
	OK(omnirtc_media_reader_next(r, &data, &size, NULL, NULL)); /* end of file */
	CHECK(data == NULL && size == 0);
	OK(omnirtc_media_reader_next(r, &data, &size, NULL, NULL)); /* and again */
	CHECK(data == NULL && size == 0);
	OK(omnirtc_media_reader_close(r));
	(void)info;
	close_world(&w);
	wait_all_back(base);
}

TEST(media_sizes_zero_and_near_size_max) {
	world_t w;
	open_world(&w);
	char tiny[16] = {0};
	size_t huge[] = {SIZE_MAX,        SIZE_MAX - 1,          SIZE_MAX / 2,
	                 (size_t)1 << 40, ((size_t)1 << 32) + 1, ((size_t)1 << 30) + 1};
	for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
		EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_track_write_sample(w.track, NULL, tiny, huge[i], 1000));
		EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_track_write_rtp(w.rtp_track, NULL, tiny, huge[i]));
		EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_media_writer_write_rtp(w.writer, tiny, huge[i]));
	}
	/* empty: a sample needs a byte, an RTP packet its 12-byte header */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_write_sample(w.track, NULL, tiny, 0, 1000));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_write_sample(w.track, NULL, NULL, 0, 1000));
	for (size_t n = 0; n < 12; n++) {
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_write_rtp(w.rtp_track, NULL, rtp_packet, n));
		EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_media_writer_write_rtp(w.writer, rtp_packet, n));
	}
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_write_rtp(w.rtp_track, NULL, NULL, 0));
	/* RTP version 0, and a header whose CSRC count runs past the end */
	uint8_t v0[12] = {0x00, 0x60};
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_write_rtp(w.rtp_track, NULL, v0, sizeof v0));
	uint8_t csrc[12] = {0x8f, 0x60};
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_write_rtp(w.rtp_track, NULL, csrc, sizeof csrc));
	/* the smallest valid ones, and durations at the extremes (unbound track: dropped) */
	OK(omnirtc_track_write_sample(w.track, NULL, tiny, 1, 0));
	OK(omnirtc_track_write_sample(w.track, NULL, tiny, 1, UINT64_MAX));
	OK(omnirtc_track_write_rtp(w.rtp_track, NULL, rtp_packet, 12));
	/* options far over any sane size: the TURN config has a 1 MiB limit; the
	 * JSON options of tracks, transceivers and codecs are parsed and refused */
	size_t big = (1u << 20) + 16;
	char *json = malloc(big + 1);
	memset(json, ' ', big);
	memcpy(json, "{\"realm\":\"", 10);
	memcpy(json + big - 2, "\"}", 2);
	json[big] = '\0';
	omnirtc_turn_server_t srv;
	EXPECT_STATUS(OMNIRTC_ERR_TOO_LARGE, omnirtc_turn_server_start(json, NULL, NULL, NULL, &srv));
	memcpy(json, "{\"codec\":\"", 10);
	omnirtc_track_t t;
	EXPECT_STATUS(OMNIRTC_ERR_NOT_SUPPORTED, omnirtc_track_create(json, &t)); /* a 1 MiB codec name */
	memcpy(json, "[{\"mime\":\"", 10);
	json[big - 1] = ']';
	json[big - 2] = '}';
	json[big - 3] = '"';
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_transceiver_set_codec_preferences(w.transceiver, json));
	free(json);
	/* out-of-range numbers */
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_turn_rest_credential("s", "a:b", 60, &(char *){0}, &(char *){0}));
	close_world(&w);
}

TEST(invalid_utf8_in_every_media_string_is_refused) {
	counters_t base = read_counters();
	world_t w;
	open_world(&w);
	omnirtc_track_t t;
	omnirtc_transceiver_t tr;
	omnirtc_media_reader_t r;
	omnirtc_media_writer_t wr;
	omnirtc_turn_server_t srv;
	char path[128];
	snprintf(path, sizeof path, "%s/r.ivf", w.dir);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_track_create("{\"codec\":\"vp8\",\"id\":\"" BAD_UTF8 "\"}", &t));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_create("{\"codec\":\"" BAD_UTF8 "\"}", &t));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_track_create("{\"codec\":\"vp8\",\"rids\":[\"" BAD_UTF8 "\"]}", &t));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_write_sample(w.track, BAD_UTF8, "x", 1, 1000));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_track_write_rtp(w.rtp_track, BAD_UTF8, rtp_packet, 12));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_peer_add_transceiver(w.peer, BAD_UTF8, 0, NULL, &tr));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_peer_add_transceiver(w.peer, "video", 0, "{\"streams\":[\"" BAD_UTF8 "\"]}", &tr));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_peer_add_transceiver(w.peer, "video", 0, "{\"direction\":\"" BAD_UTF8 "\"}", &tr));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_transceiver_set_codec_preferences(w.transceiver, "[{\"mimeType\":\"" BAD_UTF8 "\"}]"));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_media_reader_open(path, "{\"format\":\"" BAD_UTF8 "\"}", &r, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT,
	              omnirtc_media_writer_open(path, "{\"codec\":\"" BAD_UTF8 "\"}", &wr));
	EXPECT_STATUS(
	    OMNIRTC_ERR_INVALID_CONFIG,
	    omnirtc_turn_server_start("{\"listeners\":[],\"realm\":\"" BAD_UTF8 "\"}", NULL, NULL, NULL, &srv));
	/* a REST credential is bytes in, bytes out: the user is kept as given, not altered */
	char *user = NULL, *pass = NULL;
	OK(omnirtc_turn_rest_credential("s", BAD_UTF8, 60, &user, &pass));
	CHECK(strlen(user) > 5 && strcmp(strchr(user, ':') + 1, BAD_UTF8) == 0 && pass[0] != '\0');
	omnirtc_free(user);
	omnirtc_free(pass);
	/* a file name that is not UTF-8 is still a Linux file name: it just does not exist */
	char bad_path[160];
	snprintf(bad_path, sizeof bad_path, "%s/" BAD_UTF8 ".ivf", w.dir);
	EXPECT_STATUS(OMNIRTC_ERR_OPERATION, omnirtc_media_reader_open(bad_path, NULL, &r, NULL));
	close_world(&w);
	wait_all_back(base);
}

/* A connected pair with a sample track and an RTP track from a to b. */
typedef struct {
	omnirtc_track_t sample, rtp;
	atomic_int stop;
	atomic_long ok, refused;
	int id;
} writers_t;

static void *write_loop(void *arg) {
	writers_t *w = arg;
	uint8_t frame[600];
	uint8_t pkt[200];
	memcpy(pkt, rtp_packet, sizeof rtp_packet);
	memset(frame, 0x11, sizeof frame);
	for (uint32_t i = 0; !atomic_load(&w->stop); i++) {
		frame[0] = i % 30 ? 1 : 0;
		pkt[2] = (uint8_t)(i >> 8);
		pkt[3] = (uint8_t)i;
		omnirtc_status_t s1 = omnirtc_track_write_sample(w->sample, NULL, frame, sizeof frame, 33000);
		omnirtc_status_t s2 = omnirtc_track_write_rtp(w->rtp, i % 2 ? NULL : "", pkt, sizeof pkt);
		omnirtc_status_t ss[2] = {s1, s2};
		for (int k = 0; k < 2; k++) {
			if (ss[k] == OMNIRTC_OK)
				atomic_fetch_add(&w->ok, 1);
			else if (ss[k] == OMNIRTC_ERR_INVALID_HANDLE || ss[k] == OMNIRTC_ERR_INVALID_STATE ||
			         ss[k] == OMNIRTC_ERR_OPERATION)
				atomic_fetch_add(&w->refused, 1);
			else {
				fprintf(stderr, "write during close: %s: %s\n", omnirtc_status_string(ss[k]),
				        omnirtc_last_error());
				exit(1);
			}
		}
		if (i % 64 == 0)
			usleep(500);
	}
	return NULL;
}

static void *info_loop(void *arg) {
	omnirtc_transceiver_t *tr = arg;
	for (int i = 0; i < 4000; i++) {
		char *s = NULL;
		omnirtc_status_t st = omnirtc_transceiver_get_info(*tr, &s);
		CHECK(st == OMNIRTC_OK || st == OMNIRTC_ERR_INVALID_HANDLE);
		omnirtc_free(s);
		st = omnirtc_transceiver_set_codec_preferences(*tr, "[]");
		CHECK(st == OMNIRTC_OK || st == OMNIRTC_ERR_INVALID_HANDLE || st == OMNIRTC_ERR_INVALID_STATE ||
		      st == OMNIRTC_ERR_INVALID_ARGUMENT);
		if (st == OMNIRTC_ERR_INVALID_HANDLE)
			break;
	}
	return NULL;
}

TEST(track_close_races_with_writers_on_several_threads) {
	counters_t base = read_counters();
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	writers_t w = {0};
	OK(omnirtc_track_create("{\"codec\":\"vp8\"}", &w.sample));
	OK(omnirtc_track_create("{\"codec\":\"vp8\",\"mode\":\"rtp\"}", &w.rtp));
	omnirtc_transceiver_t tr1, tr2;
	OK(omnirtc_peer_add_track(a.id, w.sample, &tr1));
	OK(omnirtc_peer_add_track(a.id, w.rtp, &tr2));
	connect_pair(&a, &b);
	enum { N = 6 };
	pthread_t th[N], info[2];
	for (int i = 0; i < N; i++)
		CHECK(pthread_create(&th[i], NULL, write_loop, &w) == 0);
	CHECK(pthread_create(&info[0], NULL, info_loop, &tr1) == 0);
	CHECK(pthread_create(&info[1], NULL, info_loop, &tr2) == 0);
	wait_events(&b, OMNIRTC_EVENT_TRACK, 0, 2, 10000); /* media is flowing */
	sleep_ms(300);
	/* close one track while six threads write to it, then the peer under
	 * the other track, then that track */
	OK(omnirtc_track_close(w.sample));
	sleep_ms(100);
	OK(omnirtc_peer_close(a.id));
	sleep_ms(100);
	OK(omnirtc_track_close(w.rtp));
	sleep_ms(50);
	atomic_store(&w.stop, 1);
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	pthread_join(info[0], NULL);
	pthread_join(info[1], NULL);
	CHECK(atomic_load(&w.ok) > 0 && atomic_load(&w.refused) > 0);
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_track_write_sample(w.sample, NULL, "x", 1, 1));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_HANDLE, omnirtc_track_close(w.rtp));
	printf("  writes: %ld sent, %ld refused after close\n", atomic_load(&w.ok), atomic_load(&w.refused));
	OK(omnirtc_peer_close(b.id));
	peer_free(&a);
	peer_free(&b);
	wait_all_back(base);
}

/* Several threads reading, writing and closing the same track, reader,
 * writer and TURN server: each call succeeds or finds the handle closed. */
typedef struct {
	world_t *w;
	atomic_int ok;
	atomic_int go;
} closers_t;

static void *close_all(void *arg) {
	closers_t *c = arg;
	while (!atomic_load(&c->go))
		;
	/* reads and writes on the same reader and writer, racing the closes */
	for (int i = 0; i < 20; i++) {
		uint8_t *data = NULL;
		size_t size;
		omnirtc_status_t r = omnirtc_media_reader_next(c->w->reader, &data, &size, NULL, NULL);
		omnirtc_free(data);
		omnirtc_status_t w = omnirtc_media_writer_write_rtp(c->w->writer, rtp_packet, sizeof rtp_packet);
		if ((r != OMNIRTC_OK && r != OMNIRTC_ERR_INVALID_HANDLE) ||
		    (w != OMNIRTC_OK && w != OMNIRTC_ERR_INVALID_HANDLE)) {
			fprintf(stderr, "next %s, write %s during close\n", omnirtc_status_string(r),
			        omnirtc_status_string(w));
			exit(1);
		}
	}
	omnirtc_status_t s[] = {omnirtc_track_close(c->w->track), omnirtc_media_reader_close(c->w->reader),
	                        omnirtc_media_writer_close(c->w->writer), omnirtc_turn_server_close(c->w->turn)};
	for (int i = 0; i < 4; i++) {
		if (s[i] != OMNIRTC_OK && s[i] != OMNIRTC_ERR_INVALID_HANDLE) {
			fprintf(stderr, "close %d of 4: %s: %s\n", i, omnirtc_status_string(s[i]),
			        omnirtc_last_error());
			exit(1);
		}
		if (s[i] == OMNIRTC_OK)
			atomic_fetch_add(&c->ok, 1);
	}
	return NULL;
}

TEST(concurrent_closes_of_media_and_turn_handles) {
	counters_t base = read_counters();
	for (int round = 0; round < 5; round++) {
		world_t w;
		open_world(&w);
		closers_t c = {.w = &w};
		pthread_t th[8];
		for (int i = 0; i < 8; i++)
			CHECK(pthread_create(&th[i], NULL, close_all, &c) == 0);
		atomic_store(&c.go, 1);
		for (int i = 0; i < 8; i++)
			pthread_join(th[i], NULL);
		CHECK(atomic_load(&c.ok) >= 4); /* each closed at least once… */
		media_calls_with(&w, w.track);  /* …and stale afterwards */
		media_calls_with(&w, w.turn);
		OK(omnirtc_track_close(w.rtp_track));
		OK(omnirtc_peer_close(w.peer));
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", w.dir);
		CHECK(system(cmd) == 0);
	}
	wait_all_back(base);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
