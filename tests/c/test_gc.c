/* omnirtc_set_gc / omnirtc_get_gc: Go's GOGC and GOMEMLIMIT for a host that
 * cannot set the library's environment before it loads, and the collector's
 * pause histogram in omnirtc_debug_counters. */
#include <string.h>

#include "harness.h"

static void expect_message(const char *fragment) {
	if (strstr(omnirtc_last_error(), fragment) == NULL) {
		fprintf(stderr, "last error \"%s\" does not mention \"%s\"\n", omnirtc_last_error(), fragment);
		exit(1);
	}
}

static void expect_gc(int32_t percent, int64_t limit) {
	int32_t p = 12345;
	int64_t l = 12345;
	OK(omnirtc_get_gc(&p, &l));
	if (p != percent || l != limit) {
		fprintf(stderr, "gc is %d %lld, want %d %lld\n", p, (long long)l, percent, (long long)limit);
		exit(1);
	}
}

TEST(gc_settings_are_read_back) {
	expect_gc(100, 0); /* Go's defaults: the suite sets no GOGC or GOMEMLIMIT */
	OK(omnirtc_set_gc(400, 512ll << 20));
	expect_gc(400, 512ll << 20);
	OK(omnirtc_set_gc(-1, 1ll << 30)); /* off, collecting only near the limit */
	expect_gc(-1, 1ll << 30);
	OK(omnirtc_set_gc(1000000, 0));
	expect_gc(1000000, 0);
	OK(omnirtc_get_gc(NULL, NULL));
	OK(omnirtc_set_gc(100, 0));
	expect_gc(100, 0);
}

TEST(bad_gc_settings_are_invalid_and_change_nothing) {
	OK(omnirtc_set_gc(250, 64ll << 20));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_gc(0, 0));
	expect_message("percent 0");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_gc(-2, 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_gc(1000001, 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_gc(INT32_MIN, 0));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_gc(100, -1));
	expect_message("memory_limit_bytes -1");
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_set_gc(100, INT64_MIN));
	expect_gc(250, 64ll << 20);
	OK(omnirtc_set_gc(100, 0));
}

TEST(debug_counters_carry_the_gc_pause_histogram) {
	OK(omnirtc_set_gc(1, 0)); /* collect at every 1% of growth: pauses happen */
	peer_t a, b;
	connected_channel(&a, &b, "gc", NULL);
	close_pair(&a, &b);
	OK(omnirtc_set_gc(100, 0));
	char *json;
	OK(omnirtc_debug_counters(&json));
	const char *h = strstr(json, "\"gcPauses\":[[");
	if (h == NULL) {
		fprintf(stderr, "no pauses in %s\n", json);
		exit(1);
	}
	double upper = strtod(h + strlen("\"gcPauses\":[["), NULL);
	CHECK(upper > 0 && upper < 10);
	omnirtc_free(json);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
