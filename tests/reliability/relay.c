#include "relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MAX_FACES = 64, MAX_QUEUED = 8192, MAX_PACKET = 2048, MAX_CAPTURED = 256, FACE_BUFFER = 4 << 20 };

/* A face stands for one real candidate (address:port of a peer) towards the
 * other peer: what arrives on it is forwarded to that real address. */
typedef struct {
	struct sockaddr_in real, face;
	int fd, dead;
} face_t;

typedef struct {
	int64_t due_ns;
	uint64_t order; /* sequence of arrival, to count overtakes */
	int out_fd;
	struct sockaddr_in to;
	size_t len;
	uint8_t data[MAX_PACKET];
} queued_t;

struct relay {
	pthread_mutex_t mu;
	face_t faces[MAX_FACES];
	int nfaces;
	impairment_t imp;
	relay_stats_t stats;
	queued_t *queue;
	int nqueued;
	queued_t held; /* swap_min_size: waits for the next datagram that large */
	int holding;
	uint64_t arrivals, last_sent_order;
	unsigned seed;
	queued_t *captured; /* relay_capture: copies of forwarded RTP */
	int ncaptured, capture_left;
	atomic_int stop;
	pthread_t thread;
};

static int64_t now_ns(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static double uniform(relay_t *r) { return (double)rand_r(&r->seed) / ((double)RAND_MAX + 1); }

static int same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b) {
	return a->sin_addr.s_addr == b->sin_addr.s_addr && a->sin_port == b->sin_port;
}

/* The newest live face standing for real address a (locked). */
static face_t *face_for(relay_t *r, const struct sockaddr_in *a) {
	for (int i = r->nfaces - 1; i >= 0; i--)
		if (!r->faces[i].dead && same_addr(&r->faces[i].real, a))
			return &r->faces[i];
	return NULL;
}

/* Queues the held datagram to leave at due_ns (locked). */
static void release_held(relay_t *r, int64_t due_ns) {
	if (!r->holding || r->nqueued == MAX_QUEUED)
		return;
	r->queue[r->nqueued] = r->held;
	r->queue[r->nqueued++].due_ns = due_ns;
	r->holding = 0;
}

static void receive(relay_t *r, face_t *in) {
	uint8_t buf[MAX_PACKET];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	ssize_t n = recvfrom(in->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
	if (n < 0)
		return;
	face_t *back = face_for(r, &from); /* the face that stands for the sender */
	if (in->dead || back == NULL) {
		r->stats.unknown++;
		return;
	}
	if (r->imp.blackhole || (r->imp.drop_min_size > 0 && n >= r->imp.drop_min_size) || uniform(r) < r->imp.loss) {
		r->stats.dropped++;
		return;
	}
	int swap = r->imp.swap_min_size > 0 && n >= r->imp.swap_min_size;
	if (swap && !r->holding) {
		r->held.order = r->arrivals++;
		r->held.out_fd = back->fd;
		r->held.to = in->real;
		r->held.len = (size_t)n;
		memcpy(r->held.data, buf, (size_t)n);
		r->holding = 1;
		r->stats.held++;
		return;
	}
	int rtp = n >= 12 && buf[0] >= 128 && buf[0] <= 191 && !(buf[1] >= 192 && buf[1] <= 223);
	int copies = uniform(r) < r->imp.duplicate ? 2 : 1;
	if (copies == 2) {
		r->stats.duplicated++;
		r->stats.rtp_duplicated += rtp;
	}
	if (rtp && r->capture_left > 0 && r->ncaptured < MAX_CAPTURED) {
		queued_t *c = &r->captured[r->ncaptured++];
		c->out_fd = back->fd;
		c->to = in->real;
		c->len = (size_t)n;
		memcpy(c->data, buf, (size_t)n);
		r->capture_left--;
		r->stats.captured++;
	}
	uint64_t order = r->arrivals++;
	int64_t last_due = now_ns();
	for (int c = 0; c < copies && r->nqueued < MAX_QUEUED; c++) {
		queued_t *q = &r->queue[r->nqueued++];
		int extra = r->imp.jitter_ms > 0 ? rand_r(&r->seed) % (r->imp.jitter_ms + 1) : 0;
		q->due_ns = now_ns() + (int64_t)(r->imp.delay_ms + extra) * 1000000;
		q->order = order;
		q->out_fd = back->fd;
		q->to = in->real;
		q->len = (size_t)n;
		memcpy(q->data, buf, (size_t)n);
		if (q->due_ns > last_due)
			last_due = q->due_ns;
	}
	if (swap)
		release_held(r, last_due + 1); /* right after this one */
}

/* Sends every due packet, earliest first (equal delays keep arrival order);
 * returns ms until the next one (-1: none). */
static int flush_due(relay_t *r) {
	int64_t now = now_ns();
	for (;;) {
		int first = -1;
		for (int i = 0; i < r->nqueued; i++) {
			queued_t *q = &r->queue[i];
			if (q->due_ns <= now && (first < 0 || q->due_ns < r->queue[first].due_ns ||
			                         (q->due_ns == r->queue[first].due_ns && q->order < r->queue[first].order)))
				first = i;
		}
		if (first < 0)
			break;
		queued_t *q = &r->queue[first];
		sendto(q->out_fd, q->data, q->len, 0, (struct sockaddr *)&q->to, sizeof q->to);
		r->stats.forwarded++;
		if (q->order < r->last_sent_order)
			r->stats.reordered++;
		r->last_sent_order = q->order;
		r->queue[first] = r->queue[--r->nqueued];
	}
	int64_t next = -1;
	for (int i = 0; i < r->nqueued; i++)
		if (next < 0 || r->queue[i].due_ns < next)
			next = r->queue[i].due_ns;
	return next < 0 ? -1 : (int)((next - now) / 1000000) + 1;
}

static void *run(void *arg) {
	relay_t *r = arg;
	while (!atomic_load(&r->stop)) {
		struct pollfd fds[MAX_FACES];
		pthread_mutex_lock(&r->mu);
		int n = r->nfaces;
		for (int i = 0; i < n; i++)
			fds[i] = (struct pollfd){.fd = r->faces[i].fd, .events = POLLIN};
		int wait = flush_due(r);
		pthread_mutex_unlock(&r->mu);
		if (wait < 0 || wait > 20)
			wait = 20; /* also picks up new faces */
		if (poll(fds, (nfds_t)n, wait) <= 0)
			continue;
		pthread_mutex_lock(&r->mu);
		for (int i = 0; i < n; i++)
			if (fds[i].revents & POLLIN)
				receive(r, &r->faces[i]);
		pthread_mutex_unlock(&r->mu);
	}
	return NULL;
}

relay_t *relay_start(void) {
	relay_t *r = calloc(1, sizeof *r);
	r->queue = calloc(MAX_QUEUED, sizeof(queued_t));
	r->captured = calloc(MAX_CAPTURED, sizeof(queued_t));
	if (r == NULL || r->queue == NULL || r->captured == NULL)
		abort();
	pthread_mutex_init(&r->mu, NULL);
	r->seed = 4242;
	if (pthread_create(&r->thread, NULL, run, r) != 0)
		abort();
	return r;
}

void relay_set(relay_t *r, impairment_t imp) {
	pthread_mutex_lock(&r->mu);
	r->imp = imp;
	if (imp.swap_min_size == 0)
		release_held(r, now_ns());
	pthread_mutex_unlock(&r->mu);
}

/* A new face for real address ip:port; returns its port (locked). */
static int new_face(relay_t *r, const char *ip, int port) {
	if (r->nfaces == MAX_FACES)
		abort();
	face_t *f = &r->faces[r->nfaces];
	memset(f, 0, sizeof *f);
	f->real.sin_family = AF_INET;
	f->real.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &f->real.sin_addr);
	f->fd = socket(AF_INET, SOCK_DGRAM, 0);
	/* A data channel's burst (hundreds of datagrams at once) overflows the
	 * default 208 KiB and the kernel drops what the impairment did not ask for. */
	int buffer = FACE_BUFFER;
	setsockopt(f->fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
	setsockopt(f->fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
	f->face.sin_family = AF_INET;
	f->face.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof f->face;
	if (f->fd < 0 || bind(f->fd, (struct sockaddr *)&f->face, sizeof f->face) != 0 ||
	    getsockname(f->fd, (struct sockaddr *)&f->face, &len) != 0)
		abort();
	r->nfaces++;
	return ntohs(f->face.sin_port);
}

/* "a=candidate:F C udp P 127.0.0.1 PORT typ host …" with PORT replaced by a
 * face's, appended to out; other candidates are left out. */
static void rewrite_line(relay_t *r, const char *line, size_t len, char *out) {
	char copy[1024], foundation[64], comp[16], proto[16], prio[32], ip[64], rest[900];
	int port;
	if (len >= sizeof copy)
		return;
	memcpy(copy, line, len);
	copy[len] = '\0';
	rest[0] = '\0';
	if (sscanf(copy, "a=candidate:%63s %15s %15s %31s %63s %d %899[^\n]", foundation, comp, proto, prio, ip, &port,
	           rest) < 6)
		return;
	if (strcasecmp(proto, "udp") != 0 || strcmp(ip, "127.0.0.1") != 0)
		return;
	int face = new_face(r, ip, port);
	sprintf(out + strlen(out), "a=candidate:%s %s %s %s %s %d %s\r\n", foundation, comp, proto, prio, ip, face, rest);
}

char *relay_rewrite_sdp(relay_t *r, const char *sdp) {
	char *out = calloc(1, strlen(sdp) * 2 + 1024);
	pthread_mutex_lock(&r->mu);
	for (const char *line = sdp; *line;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (strncmp(line, "a=candidate:", 12) == 0)
			rewrite_line(r, line, len, out);
		else
			sprintf(out + strlen(out), "%.*s\r\n", (int)len, line);
		line += len + (end ? 2 : 0);
	}
	pthread_mutex_unlock(&r->mu);
	return out;
}

void relay_move(relay_t *r) {
	pthread_mutex_lock(&r->mu);
	for (int i = 0; i < r->nfaces; i++)
		r->faces[i].dead = 1;
	r->nqueued = 0; /* what was in flight on the old path is lost with it */
	r->holding = 0;
	pthread_mutex_unlock(&r->mu);
}

relay_stats_t relay_stats(relay_t *r) {
	pthread_mutex_lock(&r->mu);
	relay_stats_t s = r->stats;
	pthread_mutex_unlock(&r->mu);
	return s;
}

void relay_capture(relay_t *r, int n) {
	pthread_mutex_lock(&r->mu);
	r->capture_left = n;
	pthread_mutex_unlock(&r->mu);
}

int relay_replay(relay_t *r) {
	pthread_mutex_lock(&r->mu);
	int n = 0;
	for (int i = 0; i < r->ncaptured; i++) {
		queued_t *c = &r->captured[i];
		if (sendto(c->out_fd, c->data, c->len, 0, (struct sockaddr *)&c->to, sizeof c->to) == (ssize_t)c->len)
			n++;
	}
	r->stats.replayed += (uint64_t)n;
	pthread_mutex_unlock(&r->mu);
	return n;
}

void relay_stop(relay_t *r) {
	atomic_store(&r->stop, 1);
	pthread_join(r->thread, NULL);
	for (int i = 0; i < r->nfaces; i++)
		close(r->faces[i].fd);
	pthread_mutex_destroy(&r->mu);
	free(r->queue);
	free(r->captured);
	free(r);
}
