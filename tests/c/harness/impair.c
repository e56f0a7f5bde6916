#include "impair.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define QUEUE 8192
#define MTU 1500

typedef struct {
	uint64_t due_ns;
	int side; /* 0: arrived from a, goes to b; 1: the other way */
	size_t size;
	uint8_t data[MTU];
} packet_t;

struct impair {
	int sock[2];                /* sock[0] faces a (a sends to it), sock[1] faces b */
	struct sockaddr_in peer[2]; /* the real addresses of a and b */
	pthread_mutex_t mu;
	double loss;
	uint64_t delay_ns;
	unsigned seed;
	volatile int stop;
	pthread_t thread;
	packet_t *queue;
	size_t head, count, dropped;
	impair_rtp_t rtp;
	uint8_t (*seen)[65536 / 8]; /* per payload type, the sequence numbers seen */
};

static uint64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int udp_socket(void) {
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	CHECK(bind(s, (struct sockaddr *)&addr, sizeof addr) == 0);
	int size = 4 << 20;
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	return s;
}

static int port_of(int s) {
	struct sockaddr_in addr;
	socklen_t len = sizeof addr;
	CHECK(getsockname(s, (struct sockaddr *)&addr, &len) == 0);
	return ntohs(addr.sin_port);
}

/* Tallies an RTP packet from a to b (RFC 7983: first byte 128-191; RTCP has
 * packet types 192-223 in the second). */
static void tally_rtp(impair_t *r, const uint8_t *p, size_t n, int dropped) {
	if (n < 12 || p[0] < 128 || p[0] > 191 || (p[1] >= 192 && p[1] <= 223))
		return;
	int pt = p[1] & 0x7f;
	uint16_t seq = (uint16_t)(p[2] << 8 | p[3]);
	r->rtp.packets[pt]++;
	r->rtp.dropped[pt] += (size_t)dropped;
	r->rtp.ssrc[pt] = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11];
	if (r->seen[pt][seq / 8] & (1u << (seq % 8)))
		r->rtp.repeats[pt]++;
	r->seen[pt][seq / 8] |= (uint8_t)(1u << (seq % 8));
}

void impair_rtp_seen(impair_t *r, impair_rtp_t *out) {
	pthread_mutex_lock(&r->mu);
	*out = r->rtp;
	pthread_mutex_unlock(&r->mu);
}

static void *relay(void *arg) {
	impair_t *r = arg;
	struct pollfd fds[2] = {{.fd = r->sock[0], .events = POLLIN}, {.fd = r->sock[1], .events = POLLIN}};
	while (!r->stop) {
		poll(fds, 2, 1);
		for (int side = 0; side < 2; side++) {
			if (!(fds[side].revents & POLLIN))
				continue;
			uint8_t buf[MTU];
			ssize_t n = recv(r->sock[side], buf, sizeof buf, MSG_DONTWAIT);
			if (n <= 0)
				continue;
			pthread_mutex_lock(&r->mu);
			int drop = (double)rand_r(&r->seed) / RAND_MAX * 100.0 < r->loss || r->count == QUEUE;
			if (side == 0)
				tally_rtp(r, buf, (size_t)n, drop);
			if (drop) {
				r->dropped++;
			} else {
				packet_t *p = &r->queue[(r->head + r->count++) % QUEUE];
				p->due_ns = now_ns() + r->delay_ns;
				p->side = side;
				p->size = (size_t)n;
				memcpy(p->data, buf, (size_t)n);
			}
			pthread_mutex_unlock(&r->mu);
		}
		uint64_t now = now_ns();
		pthread_mutex_lock(&r->mu);
		while (r->count > 0 && r->queue[r->head].due_ns <= now) {
			packet_t *p = &r->queue[r->head];
			int to = 1 - p->side; /* from a's socket side to b, out of the socket facing b */
			sendto(r->sock[to], p->data, p->size, 0, (struct sockaddr *)&r->peer[to], sizeof r->peer[to]);
			r->head = (r->head + 1) % QUEUE;
			r->count--;
		}
		pthread_mutex_unlock(&r->mu);
	}
	return NULL;
}

impair_t *impair_start(double loss_percent, int delay_ms, unsigned seed) {
	impair_t *r = calloc(1, sizeof *r);
	CHECK(r != NULL);
	r->queue = calloc(QUEUE, sizeof(packet_t));
	r->seen = calloc(128, sizeof *r->seen);
	CHECK(r->queue != NULL && r->seen != NULL);
	r->loss = loss_percent;
	r->delay_ns = (uint64_t)delay_ms * 1000000u;
	r->seed = seed;
	pthread_mutex_init(&r->mu, NULL);
	r->sock[0] = udp_socket();
	r->sock[1] = udp_socket();
	CHECK(pthread_create(&r->thread, NULL, relay, r) == 0);
	return r;
}

size_t impair_stop(impair_t *r) {
	r->stop = 1;
	pthread_join(r->thread, NULL);
	close(r->sock[0]);
	close(r->sock[1]);
	size_t dropped = r->dropped;
	free(r->queue);
	free(r->seen);
	free(r);
	return dropped;
}

/* Rewrites the udp 127.0.0.1 host candidates of sdp to relay_port, records
 * the real port in *real, and drops every other candidate. */
static char *rewrite(const char *sdp, int relay_port, struct sockaddr_in *real) {
	size_t cap = strlen(sdp) + 4096, len = 0;
	char *out = malloc(cap);
	CHECK(out != NULL);
	const char *line = sdp;
	int found = 0;
	while (*line) {
		const char *end = strstr(line, "\r\n");
		size_t n = end ? (size_t)(end - line) + 2 : strlen(line);
		if (strncmp(line, "a=candidate:", 12) == 0) {
			char foundation[64], transport[16], ip[64], rest[512];
			unsigned component, port;
			unsigned long priority;
			char copy[700];
			snprintf(copy, sizeof copy, "%.*s", (int)(end ? (size_t)(end - line) : n), line);
			if (sscanf(copy, "a=candidate:%63s %u %15s %lu %63s %u %511[^\n]", foundation, &component,
			           transport, &priority, ip, &port, rest) == 7 &&
			    strcmp(transport, "udp") == 0 && strcmp(ip, "127.0.0.1") == 0 && component == 1) {
				real->sin_family = AF_INET;
				real->sin_port = htons((uint16_t)port);
				real->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
				len += (size_t)snprintf(out + len, cap - len,
				                        "a=candidate:%s %u udp %lu 127.0.0.1 %d %s\r\n", foundation,
				                        component, priority, relay_port, rest);
				found = 1;
			}
		} else {
			memcpy(out + len, line, n);
			len += n;
		}
		line += n;
	}
	out[len] = '\0';
	if (!found)
		fprintf(stderr, "%s", sdp);
	CHECK(found && "no udp 127.0.0.1 host candidate to relay");
	return out;
}

static void wait_gathered(peer_t *p) {
	for (int i = 0; i < 500; i++) {
		int32_t state;
		OK(omnirtc_peer_get_ice_gathering_state(p->id, &state));
		if (state == OMNIRTC_ICE_GATHERING_COMPLETE)
			return;
		sleep_ms(10);
	}
	CHECK(!"ICE gathering did not complete");
}

/* Sets from's complete local description (rewritten) as to's remote one. */
static void hand_over(impair_t *r, peer_t *from, peer_t *to, int from_side, const char *type) {
	wait_gathered(from);
	char *sdp = NULL;
	OK(omnirtc_peer_get_description(from->id, OMNIRTC_DESCRIPTION_LOCAL, NULL, &sdp));
	pthread_mutex_lock(&r->mu);
	/* `to` reaches `from` through the socket facing `to` */
	char *relayed = rewrite(sdp, port_of(r->sock[1 - from_side]), &r->peer[from_side]);
	pthread_mutex_unlock(&r->mu);
	OK(omnirtc_peer_set_remote_description(to->id, type, relayed));
	free(relayed);
	omnirtc_free(sdp);
}

void impair_connect(impair_t *r, peer_t *a, peer_t *b) {
	OK(omnirtc_peer_set_local_description(a->id, NULL, NULL));
	hand_over(r, a, b, 0, "offer");
	OK(omnirtc_peer_set_local_description(b->id, NULL, NULL));
	hand_over(r, b, a, 1, "answer");
	wait_connection_state(a, OMNIRTC_PEER_CONNECTED, 30000);
	wait_connection_state(b, OMNIRTC_PEER_CONNECTED, 30000);
}
