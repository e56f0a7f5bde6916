/* The log callback may call the library, as every callback may (omnirtc.h):
 * omnirtc_set_log_callback from inside it silences logging at once, without
 * waiting for the very callback it is called from. */
#include <pthread.h>

#include "harness.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int calls;

static void silence_on_first_line(void *user_data, int32_t level, const char *scope, const char *message) {
	(void)user_data;
	(void)level;
	(void)scope;
	(void)message;
	pthread_mutex_lock(&mu);
	calls++;
	pthread_mutex_unlock(&mu);
	omnirtc_set_log_callback(OMNIRTC_LOG_NONE, NULL, NULL);
}

static int calls_now(void) {
	pthread_mutex_lock(&mu);
	int n = calls;
	pthread_mutex_unlock(&mu);
	return n;
}

TEST(set_log_callback_from_the_log_callback_silences_without_deadlock) {
	OK(omnirtc_set_log_callback(OMNIRTC_LOG_TRACE, silence_on_first_line, NULL));
	peer_t a, b;
	peer_open(&a, "a", NULL);
	peer_open(&b, "b", NULL);
	omnirtc_channel_t ca;
	OK(omnirtc_channel_create(a.id, "c", NULL, &ca));
	connect_pair(&a, &b); /* hundreds of trace lines */
	wait_events(&a, OMNIRTC_EVENT_CHANNEL_OPEN, ca, 1, 10000);
	/* the library is still usable from here, its lock free */
	OK(omnirtc_set_log_callback(OMNIRTC_LOG_NONE, NULL, NULL));
	close_pair(&a, &b);
	CHECK(calls_now() == 1); /* the lines queued behind the first were dropped */
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
