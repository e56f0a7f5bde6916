/*
 * The TURN server of the NAT traversal suite (scripts/test-nat.sh) in C:
 * starts omnirtc_turn_server_start with the JSON in CONFIG_FILE, prints each
 * event, writes the stats JSON to STATS_FILE every 100 ms, and closes the
 * server when STOP_FILE appears.
 *
 *   turn_server CONFIG_FILE STATS_FILE STOP_FILE
 */
#define _POSIX_C_SOURCE 200809L
#include <omnirtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void check(omnirtc_status_t status, const char *what) {
	if (status != OMNIRTC_OK) {
		fprintf(stderr, "%s failed: %s: %s\n", what, omnirtc_status_string(status), omnirtc_last_error());
		exit(1);
	}
}

static void on_event(void *user_data, const omnirtc_turn_event_t *e) {
	(void)user_data;
	static const char *names[] = {"?", "allocation-created", "allocation-deleted", "closed"};
	printf("turn: %s user=%s client=%s relay=%s protocol=%s\n", names[e->type >= 1 && e->type <= 3 ? e->type : 0],
	       e->username, e->client_address, e->relay_address, e->protocol);
	fflush(stdout);
}

static char *slurp(const char *path) {
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void write_stats(omnirtc_turn_server_t server, const char *path) {
	char *json, tmp[4096];
	check(omnirtc_turn_server_stats(server, &json), "turn_server_stats");
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL || fputs(json, f) == EOF || fclose(f) != 0 || rename(tmp, path) != 0) {
		perror(path);
		exit(1);
	}
	omnirtc_free(json);
}

int main(int argc, char **argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: %s CONFIG_FILE STATS_FILE STOP_FILE\n", argv[0]);
		return 2;
	}
	omnirtc_turn_server_t server;
	check(omnirtc_turn_server_start(slurp(argv[1]), on_event, NULL, NULL, &server), "turn_server_start");
	while (access(argv[3], F_OK) != 0) {
		write_stats(server, argv[2]);
		nanosleep(&(struct timespec){0, 100 * 1000000L}, NULL);
	}
	write_stats(server, argv[2]);
	check(omnirtc_turn_server_close(server), "turn_server_close");
	return 0;
}
