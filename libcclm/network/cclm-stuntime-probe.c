/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* ppoll() */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cclm-enum-types.h"
#include "cclm-error.h"
#include "cclm-stuntime-report-private.h"
#include "cclm-stuntime-wire-private.h"

/**
 * CclmStuntimeProbe:
 *
 * Measures the network interruption ("stuntime") of a target as its users feel it, e.g. a VM
 * while it migrates: probes at a fixed short interval, the time of each reply, and from them a
 * [class@StuntimeReport] with the longest gap between replies, the lost probes and the
 * probe's own accuracy.
 *
 * ```python
 * probe = Cclm.StuntimeProbe.new('10.0.0.5:7777', Cclm.StuntimeMode.UDP)
 * probe.props.duration = 60000
 * report = probe.run_sync(None)
 * print(report.get_longest_gap() / 1000, 'ms')
 * ```
 *
 * Since: 0.1
 */
struct _CclmStuntimeProbe {
	GObject parent_instance;
	gchar *target;
	CclmStuntimeMode mode;
	guint interval; /* ms */
	guint duration; /* ms */
	GCancellable *stop; /* cancelled by cclm_stuntime_probe_stop(), renewed per run */
	gboolean running;
};

G_DEFINE_FINAL_TYPE(CclmStuntimeProbe, cclm_stuntime_probe, G_TYPE_OBJECT)

enum { PROP_0, PROP_TARGET, PROP_MODE, PROP_INTERVAL, PROP_DURATION, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { SIGNAL_LOST, SIGNAL_RECOVERED, SIGNAL_PROGRESS, N_SIGNALS };
static guint signals[N_SIGNALS];

/* A peer counts as lost (for the CclmStuntimeProbe::lost signal only) after this many intervals
 * without a reply; the report itself works from the raw timestamps. */
#define CCLM_STUNTIME_LOST_INTERVALS 3
/* Replies are awaited this long after the last probe (and TCP attempts abandoned after it): a
 * reply slower than that is no use to someone measuring an outage in milliseconds. */
#define CCLM_STUNTIME_REPLY_TIMEOUT (1 * G_USEC_PER_SEC)
/* Attempts a TCP probe keeps open at most: bounds the descriptors a long outage costs. */
#define CCLM_STUNTIME_TCP_MAX_PENDING 256

typedef struct {
	int fd;
	guint64 seq;
	gint64 deadline;
} CclmStuntimeAttempt;

/* Everything the probing thread owns; only the signal emissions go back to the caller's
 * context. */
typedef struct {
	GTask *task;
	CclmStuntimeProbe *probe;
	GMainContext *context;
	GCancellable *cancellable;
	GCancellable *stop;
	CclmStuntimeMode mode;
	gchar *host;
	guint port;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	int fd; /* icmp and udp: the one connected socket */
	gboolean raw; /* icmp over a raw socket: the IPv4 header comes with each reply */
	guint16 ident;
	guint32 token;
	gint64 interval; /* us */
	guint n_slots;
	GArray *attempts; /* tcp: of CclmStuntimeAttempt */
	CclmStuntimeRun run;
	guint sent;
	guint received;
	gint64 last_reply;
	gint64 longest_gap;
	gboolean down;
} CclmStuntimeWorker;

static void
cclm_stuntime_attempt_clear(gpointer data)
{
	CclmStuntimeAttempt *attempt = data;

	if (attempt->fd >= 0)
		close(attempt->fd);
}

static void
cclm_stuntime_worker_free(CclmStuntimeWorker *worker)
{
	if (worker->fd >= 0)
		close(worker->fd);
	g_clear_pointer(&worker->attempts, g_array_unref);
	cclm_stuntime_run_clear(&worker->run);
	g_free(worker->host);
	g_clear_object(&worker->probe);
	g_clear_object(&worker->stop);
	g_clear_object(&worker->cancellable);
	g_main_context_unref(worker->context);
	g_free(worker);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CclmStuntimeWorker, cclm_stuntime_worker_free)

/* A signal emission carried from the probing thread to the caller's context. */
typedef struct {
	CclmStuntimeProbe *probe;
	guint signal;
	gint64 value;
	guint sent;
	guint received;
} CclmStuntimeEmission;

static void
cclm_stuntime_emission_free(gpointer data)
{
	CclmStuntimeEmission *emission = data;

	g_object_unref(emission->probe);
	g_free(emission);
}

static gboolean
cclm_stuntime_emission_dispatch(gpointer data)
{
	CclmStuntimeEmission *e = data;

	if (e->signal == SIGNAL_PROGRESS)
		g_signal_emit(e->probe, signals[SIGNAL_PROGRESS], 0, e->sent, e->received,
			      e->value);
	else
		g_signal_emit(e->probe, signals[e->signal], 0, e->value);
	return G_SOURCE_REMOVE;
}

static void
cclm_stuntime_worker_emit(CclmStuntimeWorker *worker, guint signal, gint64 value)
{
	CclmStuntimeEmission *e = g_new0(CclmStuntimeEmission, 1);

	e->probe = g_object_ref(worker->probe);
	e->signal = signal;
	e->value = value;
	e->sent = worker->sent;
	e->received = worker->received;
	g_main_context_invoke_full(worker->context, G_PRIORITY_DEFAULT,
				   cclm_stuntime_emission_dispatch, e, cclm_stuntime_emission_free);
}

static guint16
cclm_stuntime_checksum(const guint8 *buf, gsize len)
{
	guint32 sum = 0;

	for (gsize i = 0; i + 1 < len; i += 2)
		sum += (guint32)buf[i] << 8 | buf[i + 1];
	if (len % 2 == 1)
		sum += (guint32)buf[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return GUINT16_TO_BE((guint16)~sum);
}

/* Records a reply to @seq arriving at @now; the first one counts, later ones are duplicates. */
static void
cclm_stuntime_worker_reply(CclmStuntimeWorker *worker, guint64 seq, gint64 now)
{
	CclmStuntimeSample *sample;

	if (seq >= worker->run.samples->len)
		return;
	sample = &g_array_index(worker->run.samples, CclmStuntimeSample, seq);
	if (sample->sent == 0)
		return;
	if (sample->reply != 0) {
		worker->run.duplicates++;
		return;
	}
	sample->reply = now;
	worker->received++;
	if (worker->down)
		cclm_stuntime_worker_emit(worker, SIGNAL_RECOVERED, now - worker->last_reply);
	worker->longest_gap = MAX(worker->longest_gap, now - worker->last_reply);
	worker->down = FALSE;
	worker->last_reply = MAX(worker->last_reply, now);
}

static gboolean
cclm_stuntime_worker_open_socket(CclmStuntimeWorker *worker, GError **error)
{
	int family = worker->addr.ss_family;
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int saved;

	if (worker->mode == CCLM_STUNTIME_MODE_TCP)
		return TRUE;
	if (worker->mode == CCLM_STUNTIME_MODE_UDP) {
		worker->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	} else {
		/* an unprivileged ping socket first; the raw socket needs CAP_NET_RAW */
		worker->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
		if (worker->fd < 0) {
			worker->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
			worker->raw = worker->fd >= 0;
		}
		if (worker->fd < 0 && (errno == EACCES || errno == EPERM)) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_FORBIDDEN,
				    "stuntime \"%s\": mode icmp needs a ping socket (one of this "
				    "user's groups in net.ipv4.ping_group_range) or CAP_NET_RAW; "
				    "use --mode udp or --mode tcp instead",
				    worker->run.target);
			return FALSE;
		}
	}
	if (worker->fd < 0) {
		saved = errno;
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK, "stuntime \"%s\": socket: %s",
			    worker->run.target, g_strerror(saved));
		return FALSE;
	}
	/* replies are timed by the kernel as they arrive (see cclm_stuntime_kernel_time()) */
	if (setsockopt(worker->fd, SOL_SOCKET, SO_TIMESTAMPNS, &(int){1}, sizeof(int)) == 0)
		worker->run.receive_delays = g_array_new(FALSE, FALSE, sizeof(gint64));
	/* connected: the kernel then only hands over the target's replies, and reports ICMP
	 * errors of a UDP socket instead of dropping them silently */
	if (connect(worker->fd, (struct sockaddr *)&worker->addr, worker->addr_len) < 0) {
		saved = errno;
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK, "stuntime \"%s\": connect: %s",
			    worker->run.target, g_strerror(saved));
		return FALSE;
	}
	return TRUE;
}

static gboolean
cclm_stuntime_worker_send_tcp(CclmStuntimeWorker *worker, guint64 seq, gint64 now)
{
	struct linger linger = {1, 0};
	CclmStuntimeAttempt attempt = {-1, seq, now + MAX(CCLM_STUNTIME_REPLY_TIMEOUT,
							  2 * worker->interval)};

	if (worker->attempts->len >= CCLM_STUNTIME_TCP_MAX_PENDING)
		g_array_remove_index(worker->attempts, 0);
	attempt.fd = socket(worker->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (attempt.fd < 0)
		return FALSE;
	/* closing with a reset leaves no TIME_WAIT behind, however many probes were made */
	setsockopt(attempt.fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
	if (connect(attempt.fd, (struct sockaddr *)&worker->addr, worker->addr_len) == 0 ||
	    errno == ECONNREFUSED) {
		close(attempt.fd);
		cclm_stuntime_worker_reply(worker, seq, g_get_monotonic_time());
		return TRUE;
	}
	if (errno != EINPROGRESS) {
		close(attempt.fd);
		return FALSE;
	}
	g_array_append_val(worker->attempts, attempt);
	return TRUE;
}

static gboolean
cclm_stuntime_worker_send(CclmStuntimeWorker *worker, guint64 seq, gint64 now)
{
	guint8 buf[8 + CCLM_STUNTIME_PAYLOAD_SIZE] = {0};
	CclmStuntimePayload payload = {worker->token, seq, now};
	guint8 *data = buf;
	gsize len = CCLM_STUNTIME_PAYLOAD_SIZE;

	if (worker->mode == CCLM_STUNTIME_MODE_TCP)
		return cclm_stuntime_worker_send_tcp(worker, seq, now);
	if (worker->mode == CCLM_STUNTIME_MODE_ICMP) {
		guint16 ident = GUINT16_TO_BE(worker->ident);
		guint16 seq16 = GUINT16_TO_BE((guint16)seq);

		buf[0] = worker->addr.ss_family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
		memcpy(buf + 4, &ident, 2);
		memcpy(buf + 6, &seq16, 2);
		len += 8;
		data = buf + 8;
	}
	cclm_stuntime_payload_write(&payload, data);
	/* ping sockets and ICMPv6 raw sockets fill the checksum in; an IPv4 raw socket does not */
	if (worker->raw && worker->addr.ss_family == AF_INET) {
		guint16 sum = cclm_stuntime_checksum(buf, len);
		memcpy(buf + 2, &sum, 2);
	}
	return send(worker->fd, worker->mode == CCLM_STUNTIME_MODE_ICMP ? buf : data, len, 0) ==
	       (gssize)len;
}

/* When the kernel received the datagram of @msg, on the monotonic clock, or @now when it
 * carries no usable timestamp: a reply then counts from when it reached the host, not from
 * when this thread got to read it. */
static gint64
cclm_stuntime_kernel_time(struct msghdr *msg, gint64 now)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		struct timespec ts;
		gint64 mono;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		/* SO_TIMESTAMPNS stamps CLOCK_REALTIME: map it through the clocks' offset now */
		mono = (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000 -
		       (g_get_real_time() - g_get_monotonic_time());
		/* a wall clock stepped meanwhile gives nonsense: fall back on the reading time */
		return mono <= now && mono > now - 10 * G_USEC_PER_SEC ? mono : now;
	}
	return now;
}

static void
cclm_stuntime_worker_receive(CclmStuntimeWorker *worker)
{
	guint8 buf[2048];
	union {
		struct cmsghdr align;
		gchar buf[CMSG_SPACE(sizeof(struct timespec))];
	} control;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr msg = {0};
	gssize len;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	for (;;) {
		gint64 now, at;
		CclmStuntimePayload payload;
		const guint8 *data = buf;
		gsize size;

		msg.msg_control = &control;
		msg.msg_controllen = sizeof(control);
		len = recvmsg(worker->fd, &msg, 0);
		if (len < 0 && errno == ECONNREFUSED)
			continue; /* a UDP probe's port unreachable: no reply, nothing to read */
		if (len < 0)
			break;
		now = g_get_monotonic_time();
		size = (gsize)len;
		if (worker->mode == CCLM_STUNTIME_MODE_ICMP) {
			guint8 reply = worker->addr.ss_family == AF_INET ? ICMP_ECHOREPLY
									   : ICMP6_ECHO_REPLY;
			guint16 ident;

			if (worker->raw && worker->addr.ss_family == AF_INET) {
				gsize header = size > 0 ? (gsize)(buf[0] & 0x0f) * 4 : 0;
				if (header >= size)
					continue;
				data += header;
				size -= header;
			}
			if (size < 8 || data[0] != reply)
				continue;
			memcpy(&ident, data + 4, 2);
			/* a ping socket's kernel rewrites the identifier; the token tells anyway */
			if (worker->raw && GUINT16_FROM_BE(ident) != worker->ident)
				continue;
			data += 8;
			size -= 8;
		}
		/* a reply must echo its probe's token and exact send time, so that nothing but our
		 * own probes (not a stray or corrupted datagram) closes a gap */
		if (!cclm_stuntime_payload_read(data, size, &payload) ||
		    payload.token != worker->token || payload.seq >= worker->run.samples->len ||
		    g_array_index(worker->run.samples, CclmStuntimeSample, payload.seq).sent !=
			payload.sent)
			continue;
		at = cclm_stuntime_kernel_time(&msg, now);
		if (worker->run.receive_delays != NULL) {
			gint64 delay = now - at;
			g_array_append_val(worker->run.receive_delays, delay);
		}
		cclm_stuntime_worker_reply(worker, payload.seq, at);
	}
}

/* Collects the outcome of pending TCP attempts: connected or refused means reachable. */
static void
cclm_stuntime_worker_check_attempts(CclmStuntimeWorker *worker,
				    const struct pollfd *fds,
				    guint first,
				    gint64 now)
{
	g_autoptr(GArray) kept = g_array_sized_new(FALSE, FALSE, sizeof(CclmStuntimeAttempt),
						    worker->attempts->len);

	g_array_set_clear_func(kept, cclm_stuntime_attempt_clear);
	for (guint i = 0; i < worker->attempts->len; i++) {
		CclmStuntimeAttempt *attempt =
		    &g_array_index(worker->attempts, CclmStuntimeAttempt, i);
		int err = 0;
		socklen_t err_len = sizeof(err);

		if (fds[first + i].fd == attempt->fd && fds[first + i].revents != 0) {
			getsockopt(attempt->fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
			if (err == 0 || err == ECONNREFUSED)
				cclm_stuntime_worker_reply(worker, attempt->seq, now);
			continue; /* answered or failed (unreachable): closed by the clear func */
		}
		if (attempt->deadline <= now)
			continue;
		g_array_append_val(kept, *attempt);
		attempt->fd = -1; /* moved */
	}
	g_array_unref(worker->attempts);
	worker->attempts = g_steal_pointer(&kept);
}

/* Sends the probes on their deadlines and collects the replies until the run is over, stopped
 * or cancelled. */
static void
cclm_stuntime_worker_loop(CclmStuntimeWorker *worker, GError **error)
{
	GPollFD cancel_fd = {-1, 0, 0};
	GPollFD stop_fd = {-1, 0, 0};
	g_autofree struct pollfd *fds = g_new0(struct pollfd, 3 + CCLM_STUNTIME_TCP_MAX_PENDING);
	gint64 start = worker->run.start;
	gint64 progress_next = start + G_USEC_PER_SEC;
	gint64 drain_until = G_MAXINT64;
	gboolean has_cancel;
	guint slot = 0;

	has_cancel = g_cancellable_make_pollfd(worker->cancellable, &cancel_fd);
	g_cancellable_make_pollfd(worker->stop, &stop_fd);
	for (;;) {
		gint64 now = g_get_monotonic_time();
		gint64 wake = G_MAXINT64;
		struct timespec timeout;
		guint nfds = 0;

		if (g_cancellable_is_cancelled(worker->cancellable))
			break;
		if (slot < worker->n_slots && g_cancellable_is_cancelled(worker->stop)) {
			worker->n_slots = slot;
			worker->run.stopped = TRUE;
		}
		/* slots the loop woke up too late for are skipped, not sent in a burst */
		while (slot < worker->n_slots &&
		       now >= start + (gint64)(slot + 1) * worker->interval) {
			CclmStuntimeSample skipped = {0, 0};
			g_array_append_val(worker->run.samples, skipped);
			slot++;
		}
		if (slot < worker->n_slots && now >= start + (gint64)slot * worker->interval) {
			CclmStuntimeSample sample = {now, 0};

			g_array_append_val(worker->run.samples, sample);
			worker->sent++;
			if (!cclm_stuntime_worker_send(worker, slot, now))
				worker->run.send_errors++;
			slot++;
			continue;
		}
		if (slot == worker->n_slots && drain_until == G_MAXINT64) {
			worker->run.end = start + (gint64)slot * worker->interval;
			drain_until = MAX(now, worker->run.end) +
				      MAX(CCLM_STUNTIME_REPLY_TIMEOUT, 2 * worker->interval);
		}
		if (slot == worker->n_slots &&
		    (now >= drain_until ||
		     worker->received + worker->run.send_errors == worker->sent ||
		     (worker->mode == CCLM_STUNTIME_MODE_TCP && worker->attempts->len == 0)))
			break;
		/* once probing is over, silence is the end of the run, not an outage */
		if (!worker->down && slot < worker->n_slots &&
		    now - worker->last_reply > CCLM_STUNTIME_LOST_INTERVALS * worker->interval) {
			worker->down = TRUE;
			cclm_stuntime_worker_emit(worker, SIGNAL_LOST, worker->last_reply - start);
		}
		if (now >= progress_next) {
			/* the gap still open counts, up to the end of the measurement */
			gint64 ongoing =
			    (drain_until != G_MAXINT64 ? MIN(now, worker->run.end) : now) -
			    worker->last_reply;
			cclm_stuntime_worker_emit(worker, SIGNAL_PROGRESS,
						  MAX(worker->longest_gap, ongoing));
			progress_next += G_USEC_PER_SEC;
		}

		if (slot < worker->n_slots)
			wake = start + (gint64)slot * worker->interval;
		wake = MIN(wake, drain_until);
		wake = MIN(wake, progress_next);
		if (!worker->down && slot < worker->n_slots)
			wake = MIN(wake, worker->last_reply +
					     CCLM_STUNTIME_LOST_INTERVALS * worker->interval + 1);
		for (guint i = 0; i < worker->attempts->len; i++) {
			CclmStuntimeAttempt *a = &g_array_index(worker->attempts, CclmStuntimeAttempt, i);
			wake = MIN(wake, a->deadline);
		}

		fds[nfds++] = (struct pollfd){stop_fd.fd, POLLIN, 0};
		if (has_cancel)
			fds[nfds++] = (struct pollfd){cancel_fd.fd, POLLIN, 0};
		if (worker->fd >= 0)
			fds[nfds++] = (struct pollfd){worker->fd, POLLIN, 0};
		for (guint i = 0; i < worker->attempts->len; i++)
			fds[nfds + i] = (struct pollfd){
			    g_array_index(worker->attempts, CclmStuntimeAttempt, i).fd, POLLOUT, 0};

		wake = MAX(wake - g_get_monotonic_time(), 0);
		timeout.tv_sec = wake / G_USEC_PER_SEC;
		timeout.tv_nsec = (wake % G_USEC_PER_SEC) * 1000;
		if (ppoll(fds, nfds + worker->attempts->len, &timeout, NULL) < 0 &&
		    errno != EINTR) {
			int saved = errno;
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_FAILED,
				    "stuntime \"%s\": poll: %s", worker->run.target,
				    g_strerror(saved));
			break;
		}
		now = g_get_monotonic_time();
		if (worker->fd >= 0)
			cclm_stuntime_worker_receive(worker);
		if (worker->mode == CCLM_STUNTIME_MODE_TCP)
			cclm_stuntime_worker_check_attempts(worker, fds, nfds, now);
		/* a stopped run still waits for the replies in flight; stop_fd stays readable */
		if (stop_fd.fd >= 0 && g_cancellable_is_cancelled(worker->stop)) {
			g_cancellable_release_fd(worker->stop);
			stop_fd.fd = -1;
			fds[0].fd = -1;
		}
	}
	if (has_cancel)
		g_cancellable_release_fd(worker->cancellable);
	if (stop_fd.fd >= 0)
		g_cancellable_release_fd(worker->stop);
}

/* Resolves the target; blocking is fine on the probing thread. */
static gboolean
cclm_stuntime_worker_resolve(CclmStuntimeWorker *worker, GError **error)
{
	g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(worker->host);
	g_autoptr(GSocketAddress) address = NULL;
	g_autofree gchar *inet_str = NULL;

	if (inet == NULL) {
		g_autoptr(GResolver) resolver = g_resolver_get_default();
		g_autoptr(GError) local_error = NULL;
		GList *list = g_resolver_lookup_by_name(resolver, worker->host, worker->cancellable,
							&local_error);

		if (list == NULL) {
			if (g_error_matches(local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&local_error));
				return FALSE;
			}
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK,
				    "stuntime \"%s\": cannot resolve \"%s\": %s",
				    worker->run.target, worker->host, local_error->message);
			return FALSE;
		}
		inet = g_object_ref(list->data);
		g_resolver_free_addresses(list);
	}
	address = g_inet_socket_address_new(inet, (guint16)worker->port);
	worker->addr_len = (socklen_t)g_socket_address_get_native_size(address);
	if (!g_socket_address_to_native(address, &worker->addr, sizeof(worker->addr), error))
		return FALSE;
	inet_str = g_inet_address_to_string(inet);
	if (worker->mode == CCLM_STUNTIME_MODE_ICMP)
		worker->run.address = g_steal_pointer(&inet_str);
	else if (g_inet_address_get_family(inet) == G_SOCKET_FAMILY_IPV6)
		worker->run.address = g_strdup_printf("[%s]:%u", inet_str, worker->port);
	else
		worker->run.address = g_strdup_printf("%s:%u", inet_str, worker->port);
	return TRUE;
}

static gpointer
cclm_stuntime_worker_thread(gpointer data)
{
	g_autoptr(CclmStuntimeWorker) worker = data;
	g_autoptr(GTask) task = g_steal_pointer(&worker->task);
	g_autoptr(GError) error = NULL;
	struct timespec res;

	/* the kernel's default 50 us timer slack would be most of the send jitter */
	prctl(PR_SET_TIMERSLACK, 1UL);
	clock_getres(CLOCK_MONOTONIC, &res);
	worker->run.timer_resolution_ns = (gint64)res.tv_sec * 1000000000 + res.tv_nsec;

	if (!cclm_stuntime_worker_resolve(worker, &error) ||
	    !cclm_stuntime_worker_open_socket(worker, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return NULL;
	}
	worker->run.samples = g_array_sized_new(FALSE, FALSE, sizeof(CclmStuntimeSample),
						worker->n_slots);
	worker->run.start = g_get_monotonic_time();
	worker->run.start_real = g_get_real_time();
	worker->last_reply = worker->run.start;
	cclm_stuntime_worker_loop(worker, &error);
	if (error == NULL)
		g_cancellable_set_error_if_cancelled(worker->cancellable, &error);
	if (error != NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return NULL;
	}
	g_task_return_pointer(task, cclm_stuntime_report_new(&worker->run), g_object_unref);
	return NULL;
}

/* HOST, IPv4, IPv6, HOST:PORT, IPv4:PORT or [IPv6]:PORT. */
static gboolean
cclm_stuntime_parse_target(const gchar *target,
			   CclmStuntimeMode mode,
			   gchar **host,
			   guint *port,
			   GError **error)
{
	g_autoptr(GInetAddress) literal = NULL;
	g_autofree gchar *name = NULL;
	const gchar *port_str = NULL;
	const gchar *colon;
	guint64 value = 0;

	if (target == NULL || *target == '\0') {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "stuntime: no target given");
		return FALSE;
	}
	literal = g_inet_address_new_from_string(target);
	colon = strrchr(target, ':');
	if (literal != NULL) {
		name = g_strdup(target);
	} else if (target[0] == '[') {
		const gchar *close = strchr(target, ']');
		if (close == NULL || close[1] != ':') {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "stuntime \"%s\": expected [IPV6-ADDRESS]:PORT", target);
			return FALSE;
		}
		name = g_strndup(target + 1, close - target - 1);
		g_clear_object(&literal);
		literal = g_inet_address_new_from_string(name);
		if (literal == NULL || g_inet_address_get_family(literal) != G_SOCKET_FAMILY_IPV6) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "stuntime \"%s\": \"%s\" is not an IPv6 address", target, name);
			return FALSE;
		}
		port_str = close + 2;
	} else if (colon != NULL) {
		name = g_strndup(target, colon - target);
		port_str = colon + 1;
	} else {
		name = g_strdup(target);
	}
	if (literal == NULL) {
		gboolean valid =
		    name[0] != '\0' && strlen(name) <= 253 && strchr(name, ':') == NULL;
		for (const gchar *c = name; valid && *c != '\0'; c++)
			valid = g_ascii_isalnum(*c) || *c == '-' || *c == '.' || *c == '_';
		if (!valid) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "stuntime \"%s\": \"%s\" is neither an IP address nor a "
				    "host name",
				    target, name);
			return FALSE;
		}
	}
	if (port_str != NULL &&
	    (!g_ascii_string_to_unsigned(port_str, 10, 1, 65535, &value, NULL))) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "stuntime \"%s\": port \"%s\" is not a number from 1 to 65535", target,
			    port_str);
		return FALSE;
	}
	if (mode == CCLM_STUNTIME_MODE_ICMP && port_str != NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "stuntime \"%s\": mode icmp takes no port", target);
		return FALSE;
	}
	if (mode != CCLM_STUNTIME_MODE_ICMP && port_str == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "stuntime \"%s\": mode %s needs a port (HOST:PORT, [IPV6]:PORT)",
			    target, cclm_stuntime_mode_to_string(mode));
		return FALSE;
	}
	*host = g_steal_pointer(&name);
	*port = (guint)value;
	return TRUE;
}

static gboolean
cclm_stuntime_probe_check(CclmStuntimeProbe *self, GError **error)
{
	if (self->interval < 1 || self->interval > CCLM_STUNTIME_INTERVAL_MAX) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "stuntime \"%s\": interval: %u ms is not from 1 to %u ms",
			    self->target != NULL ? self->target : "", self->interval,
			    CCLM_STUNTIME_INTERVAL_MAX);
		return FALSE;
	}
	if (self->duration < self->interval || self->duration > CCLM_STUNTIME_DURATION_MAX) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "stuntime \"%s\": duration: %u ms is not from one interval (%u ms) to "
			    "%u ms",
			    self->target != NULL ? self->target : "", self->duration,
			    self->interval, CCLM_STUNTIME_DURATION_MAX);
		return FALSE;
	}
	if (self->mode > CCLM_STUNTIME_MODE_TCP) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "stuntime \"%s\": mode %d is unknown", self->target, self->mode);
		return FALSE;
	}
	return TRUE;
}

/**
 * cclm_stuntime_probe_new:
 * @target: the host to probe: an IPv4 or IPv6 address or a host name, with `:PORT` for the
 *   udp and tcp modes (`[IPV6]:PORT` for IPv6)
 * @mode: how to probe it
 *
 * Creates a probe with the default [property@StuntimeProbe:interval] and
 * [property@StuntimeProbe:duration]. The target is checked when the probe runs.
 *
 * Returns: (transfer full): a new #CclmStuntimeProbe
 *
 * Since: 0.1
 */
CclmStuntimeProbe *
cclm_stuntime_probe_new(const gchar *target, CclmStuntimeMode mode)
{
	return g_object_new(CCLM_TYPE_STUNTIME_PROBE, "target", target, "mode", mode, NULL);
}

/**
 * cclm_stuntime_probe_run_async:
 * @self: a #CclmStuntimeProbe
 * @cancellable: (nullable): a #GCancellable; cancelling it discards the measurement
 * @callback: (scope async): called with the report when the run ends
 * @user_data: (closure): data for @callback
 *
 * Probes the target every [property@StuntimeProbe:interval] for
 * [property@StuntimeProbe:duration], then waits up to one second for the replies still in
 * flight, and reports; see [method@StuntimeProbe.run_finish].
 *
 * Probes leave on absolute deadlines (slot N at start + N × interval on the monotonic clock) so
 * that late wake-ups do not accumulate; a slot the prober woke up more than an interval late for
 * is skipped rather than sent in a burst, and counted in the report's accuracy. The probing runs
 * on a thread of its own with a nanosecond poll timeout, since a #GMainContext wakes up with
 * millisecond granularity; the signals are emitted in the thread-default main context of the
 * caller.
 *
 * A probe runs once at a time; it may be run again after [method@StuntimeProbe.run_finish].
 *
 * Since: 0.1
 */
void
cclm_stuntime_probe_run_async(CclmStuntimeProbe *self,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(CclmStuntimeWorker) worker = NULL;
	g_autoptr(GError) error = NULL;

	g_return_if_fail(CCLM_IS_STUNTIME_PROBE(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));
	g_return_if_fail(!self->running);

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, cclm_stuntime_probe_run_async);

	worker = g_new0(CclmStuntimeWorker, 1);
	worker->fd = -1;
	worker->probe = g_object_ref(self);
	worker->context = g_main_context_ref_thread_default();
	worker->mode = self->mode;
	worker->run.target = g_strdup(self->target);
	worker->run.mode = self->mode;
	worker->run.interval = self->interval;
	worker->attempts = g_array_new(FALSE, FALSE, sizeof(CclmStuntimeAttempt));
	g_array_set_clear_func(worker->attempts, cclm_stuntime_attempt_clear);
	if (!cclm_stuntime_probe_check(self, &error) ||
	    !cclm_stuntime_parse_target(self->target, self->mode, &worker->host, &worker->port,
					&error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	worker->interval = (gint64)self->interval * 1000;
	worker->n_slots = (self->duration + self->interval - 1) / self->interval;
	worker->ident = (guint16)g_random_int_range(1, 0x10000);
	worker->token = g_random_int();
	worker->cancellable = cancellable != NULL ? g_object_ref(cancellable) : g_cancellable_new();
	g_set_object(&self->stop, NULL);
	self->stop = g_cancellable_new();
	worker->stop = g_object_ref(self->stop);
	self->running = TRUE;
	worker->task = g_steal_pointer(&task);
	g_thread_unref(g_thread_new("cclm-stuntime", cclm_stuntime_worker_thread,
				    g_steal_pointer(&worker)));
}

/**
 * cclm_stuntime_probe_run_finish:
 * @self: a #CclmStuntimeProbe
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@StuntimeProbe.run_async].
 *
 * Returns: (transfer full): the report, or %NULL with @error set: %CCLM_ERROR_INVALID_ARGUMENT
 *   for a bad target, interval or duration, %CCLM_ERROR_FORBIDDEN when ICMP is not permitted,
 *   %CCLM_ERROR_NETWORK when the target cannot be resolved, %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
CclmStuntimeReport *
cclm_stuntime_probe_run_finish(CclmStuntimeProbe *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_PROBE(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self->running = FALSE;
	return g_task_propagate_pointer(G_TASK(result), error);
}

/**
 * cclm_stuntime_probe_stop:
 * @self: a #CclmStuntimeProbe
 *
 * Ends a run early: no more probes are sent, the replies in flight are awaited, and
 * [method@StuntimeProbe.run_finish] returns the report of what was measured (unlike
 * cancelling, which discards it). Does nothing when the probe is not running.
 *
 * Since: 0.1
 */
void
cclm_stuntime_probe_stop(CclmStuntimeProbe *self)
{
	g_return_if_fail(CCLM_IS_STUNTIME_PROBE(self));

	if (self->stop != NULL)
		g_cancellable_cancel(self->stop);
}

/**
 * cclm_stuntime_probe_get_target:
 * @self: a #CclmStuntimeProbe
 *
 * Gets [property@StuntimeProbe:target].
 *
 * Returns: (nullable): the target
 *
 * Since: 0.1
 */
const gchar *
cclm_stuntime_probe_get_target(CclmStuntimeProbe *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_PROBE(self), NULL);
	return self->target;
}

/**
 * cclm_stuntime_probe_get_mode:
 * @self: a #CclmStuntimeProbe
 *
 * Gets [property@StuntimeProbe:mode].
 *
 * Returns: the mode
 *
 * Since: 0.1
 */
CclmStuntimeMode
cclm_stuntime_probe_get_mode(CclmStuntimeProbe *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_PROBE(self), CCLM_STUNTIME_MODE_ICMP);
	return self->mode;
}

/**
 * cclm_stuntime_probe_get_interval:
 * @self: a #CclmStuntimeProbe
 *
 * Gets [property@StuntimeProbe:interval].
 *
 * Returns: the interval, in milliseconds
 *
 * Since: 0.1
 */
guint
cclm_stuntime_probe_get_interval(CclmStuntimeProbe *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_PROBE(self), 0);
	return self->interval;
}

/**
 * cclm_stuntime_probe_set_interval:
 * @self: a #CclmStuntimeProbe
 * @interval: milliseconds between probes, 1 to %CCLM_STUNTIME_INTERVAL_MAX
 *
 * Sets [property@StuntimeProbe:interval]; a run started with a value out of range fails with
 * %CCLM_ERROR_INVALID_ARGUMENT.
 *
 * Since: 0.1
 */
void
cclm_stuntime_probe_set_interval(CclmStuntimeProbe *self, guint interval)
{
	g_return_if_fail(CCLM_IS_STUNTIME_PROBE(self));

	if (self->interval == interval)
		return;
	self->interval = interval;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_INTERVAL]);
}

/**
 * cclm_stuntime_probe_get_duration:
 * @self: a #CclmStuntimeProbe
 *
 * Gets [property@StuntimeProbe:duration].
 *
 * Returns: the duration, in milliseconds
 *
 * Since: 0.1
 */
guint
cclm_stuntime_probe_get_duration(CclmStuntimeProbe *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_PROBE(self), 0);
	return self->duration;
}

/**
 * cclm_stuntime_probe_set_duration:
 * @self: a #CclmStuntimeProbe
 * @duration: how long to send probes, in milliseconds: one interval to
 *   %CCLM_STUNTIME_DURATION_MAX
 *
 * Sets [property@StuntimeProbe:duration]; a run started with a value out of range fails with
 * %CCLM_ERROR_INVALID_ARGUMENT.
 *
 * Since: 0.1
 */
void
cclm_stuntime_probe_set_duration(CclmStuntimeProbe *self, guint duration)
{
	g_return_if_fail(CCLM_IS_STUNTIME_PROBE(self));

	if (self->duration == duration)
		return;
	self->duration = duration;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_DURATION]);
}

static void
cclm_stuntime_probe_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	CclmStuntimeProbe *self = CCLM_STUNTIME_PROBE(object);

	switch (prop_id) {
	case PROP_TARGET:
		g_value_set_string(value, self->target);
		break;
	case PROP_MODE:
		g_value_set_enum(value, self->mode);
		break;
	case PROP_INTERVAL:
		g_value_set_uint(value, self->interval);
		break;
	case PROP_DURATION:
		g_value_set_uint(value, self->duration);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
cclm_stuntime_probe_set_property(GObject *object,
				 guint prop_id,
				 const GValue *value,
				 GParamSpec *pspec)
{
	CclmStuntimeProbe *self = CCLM_STUNTIME_PROBE(object);

	switch (prop_id) {
	case PROP_TARGET:
		g_free(self->target);
		self->target = g_value_dup_string(value);
		break;
	case PROP_MODE:
		self->mode = g_value_get_enum(value);
		break;
	case PROP_INTERVAL:
		cclm_stuntime_probe_set_interval(self, g_value_get_uint(value));
		break;
	case PROP_DURATION:
		cclm_stuntime_probe_set_duration(self, g_value_get_uint(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
cclm_stuntime_probe_finalize(GObject *object)
{
	CclmStuntimeProbe *self = CCLM_STUNTIME_PROBE(object);

	g_free(self->target);
	g_clear_object(&self->stop);
	G_OBJECT_CLASS(cclm_stuntime_probe_parent_class)->finalize(object);
}

static void
cclm_stuntime_probe_class_init(CclmStuntimeProbeClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = cclm_stuntime_probe_finalize;
	object_class->get_property = cclm_stuntime_probe_get_property;
	object_class->set_property = cclm_stuntime_probe_set_property;

	/**
	 * CclmStuntimeProbe:target:
	 *
	 * The host to probe: an IPv4 or IPv6 address or a host name, with `:PORT` for the udp and
	 * tcp modes (`[IPV6]:PORT` for IPv6).
	 *
	 * Since: 0.1
	 */
	props[PROP_TARGET] = g_param_spec_string(
	    "target", NULL, NULL, NULL,
	    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

	/**
	 * CclmStuntimeProbe:mode:
	 *
	 * How the target is probed.
	 *
	 * Since: 0.1
	 */
	props[PROP_MODE] = g_param_spec_enum(
	    "mode", NULL, NULL, CCLM_TYPE_STUNTIME_MODE, CCLM_STUNTIME_MODE_ICMP,
	    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

	/**
	 * CclmStuntimeProbe:interval:
	 *
	 * Milliseconds between two probes, 1 to %CCLM_STUNTIME_INTERVAL_MAX; the resolution of
	 * the measured gaps.
	 *
	 * Since: 0.1
	 */
	props[PROP_INTERVAL] = g_param_spec_uint(
	    "interval", NULL, NULL, 0, G_MAXUINT, CCLM_STUNTIME_INTERVAL_DEFAULT,
	    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

	/**
	 * CclmStuntimeProbe:duration:
	 *
	 * How long to send probes, in milliseconds, from one interval to
	 * %CCLM_STUNTIME_DURATION_MAX; the run always ends by itself.
	 *
	 * Since: 0.1
	 */
	props[PROP_DURATION] = g_param_spec_uint(
	    "duration", NULL, NULL, 0, G_MAXUINT, CCLM_STUNTIME_DURATION_DEFAULT,
	    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, props);

	/**
	 * CclmStuntimeProbe::lost:
	 * @self: the probe
	 * @since: when the last reply came, in microseconds after the start of the run
	 *
	 * Emitted while running when no reply came for three intervals.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_LOST] = g_signal_new("lost", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
					    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

	/**
	 * CclmStuntimeProbe::recovered:
	 * @self: the probe
	 * @gap: how long the target was silent, in microseconds
	 *
	 * Emitted when a reply comes after [signal@StuntimeProbe::lost].
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_RECOVERED] =
	    g_signal_new("recovered", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

	/**
	 * CclmStuntimeProbe::progress:
	 * @self: the probe
	 * @sent: probes sent so far
	 * @received: probes answered so far
	 * @longest_gap: the longest gap between replies so far, the one still open included, in
	 *   microseconds
	 *
	 * Emitted about once a second while running.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_PROGRESS] =
	    g_signal_new("progress", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_INT64);
}

static void
cclm_stuntime_probe_init(CclmStuntimeProbe *self)
{
	self->interval = CCLM_STUNTIME_INTERVAL_DEFAULT;
	self->duration = CCLM_STUNTIME_DURATION_DEFAULT;
}
