/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <cclm.h>
#include <unistd.h>

#include "cclm-stuntime-report-private.h"
#include "cclm-test-async.h"

#define INTERVAL 10 /* ms */
/* How much longer than the outage the measured gap may be: the probe spacing on both ends of
 * the outage plus scheduling on a shared, loaded CI machine. A functional bound, not a timing
 * benchmark (bench/ has those). */
#define MARGIN_US ((3 * INTERVAL + 100) * 1000)

static CclmStuntimeReport *
run_probe(CclmStuntimeProbe *probe, GCancellable *cancellable, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	cclm_stuntime_probe_run_async(probe, cancellable, store_result_cb, &result);
	wait_result(&result);
	return cclm_stuntime_probe_run_finish(probe, result, error);
}

/* Every slot of the run was either sent or skipped (the prober woke up more than an interval
 * late, which a loaded machine may cause: the report counts it as an accuracy figure). */
static void
assert_slots(CclmStuntimeReport *report, guint slots)
{
	g_autoptr(JsonNode) node = cclm_stuntime_report_to_json(report);
	JsonObject *accuracy =
	    json_object_get_object_member(json_node_get_object(node), "accuracy");

	g_assert_cmpint(cclm_stuntime_report_get_sent(report) +
			    json_object_get_int_member(accuracy, "skipped_slots"),
			==, slots);
}

static CclmStuntimeProbe *
new_udp_probe(CclmStuntimeResponder *responder, guint duration)
{
	g_autofree gchar *target =
	    g_strdup_printf("127.0.0.1:%u", cclm_stuntime_responder_get_port(responder));
	CclmStuntimeProbe *probe = cclm_stuntime_probe_new(target, CCLM_STUNTIME_MODE_UDP);

	cclm_stuntime_probe_set_interval(probe, INTERVAL);
	cclm_stuntime_probe_set_duration(probe, duration);
	return probe;
}

static void
test_udp_no_outage(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeResponder) responder = cclm_stuntime_responder_new("127.0.0.1", 0,
										  &error);
	g_autoptr(CclmStuntimeProbe) probe = NULL;
	g_autoptr(CclmStuntimeReport) report = NULL;

	g_assert_no_error(error);
	probe = new_udp_probe(responder, 1000);
	report = run_probe(probe, NULL, &error);
	g_assert_no_error(error);
	assert_slots(report, 100);
	g_assert_cmpuint(cclm_stuntime_report_get_received(report), ==,
			 cclm_stuntime_report_get_sent(report));
	g_assert_cmpuint(cclm_stuntime_report_get_lost(report), ==, 0);
	g_assert_cmpint(cclm_stuntime_report_get_first_lost(report), ==, -1);
	g_assert_cmpint(cclm_stuntime_report_get_last_lost(report), ==, -1);
	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), <, MARGIN_US);
	g_assert_cmpuint(cclm_stuntime_responder_get_echoed(responder), ==,
			 cclm_stuntime_report_get_sent(report));
}

typedef struct {
	CclmStuntimeResponder *responder;
	guint outage_ms;
	GDateTime *off;
	GDateTime *on;
	gint64 off_mono;
	gint64 on_mono;
	guint lost_signals;
	guint recovered_signals;
	gint64 recovered_gap;
} Outage;

static gboolean
outage_on_cb(gpointer user_data)
{
	Outage *outage = user_data;

	cclm_stuntime_responder_set_active(outage->responder, TRUE);
	outage->on_mono = g_get_monotonic_time();
	outage->on = g_date_time_new_now_utc();
	return G_SOURCE_REMOVE;
}

static gboolean
outage_off_cb(gpointer user_data)
{
	Outage *outage = user_data;

	cclm_stuntime_responder_set_active(outage->responder, FALSE);
	outage->off_mono = g_get_monotonic_time();
	outage->off = g_date_time_new_now_utc();
	g_timeout_add(outage->outage_ms, outage_on_cb, outage);
	return G_SOURCE_REMOVE;
}

static void
outage_lost_cb(CclmStuntimeProbe *probe, gint64 since, Outage *outage)
{
	outage->lost_signals++;
}

static void
outage_recovered_cb(CclmStuntimeProbe *probe, gint64 gap, Outage *outage)
{
	outage->recovered_signals++;
	outage->recovered_gap = MAX(outage->recovered_gap, gap);
}

static void
assert_json_number(JsonObject *object, const gchar *member)
{
	JsonNode *node = json_object_get_member(object, member);

	g_assert_nonnull(node);
	g_assert_true(JSON_NODE_HOLDS_VALUE(node));
	g_assert_true(json_node_get_value_type(node) == G_TYPE_INT64 ||
		      json_node_get_value_type(node) == G_TYPE_DOUBLE);
}

/* The responder stops answering for 200 ms: the gap covers it, the lost probes are those sent
 * meanwhile, the phases given by wall-clock time line up with it. */
static void
test_udp_outage(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeResponder) responder = cclm_stuntime_responder_new("127.0.0.1", 0,
										  &error);
	g_autoptr(CclmStuntimeProbe) probe = NULL;
	g_autoptr(CclmStuntimeReport) report = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *root, *gap, *accuracy, *phase;
	JsonArray *gaps, *phases;
	Outage outage = {0};
	gint64 outage_us, expected_lost;
	guint lost;

	g_assert_no_error(error);
	outage.responder = responder;
	outage.outage_ms = 200;
	probe = new_udp_probe(responder, 1000);
	g_signal_connect(probe, "lost", G_CALLBACK(outage_lost_cb), &outage);
	g_signal_connect(probe, "recovered", G_CALLBACK(outage_recovered_cb), &outage);
	g_timeout_add(300, outage_off_cb, &outage);
	report = run_probe(probe, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(outage.on);
	outage_us = outage.on_mono - outage.off_mono;

	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), >=, outage_us);
	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), <, outage_us + MARGIN_US);
	/* the probes sent while the responder was off, give or take the one in flight */
	lost = cclm_stuntime_report_get_lost(report);
	expected_lost = outage_us / (INTERVAL * 1000);
	g_assert_cmpint(lost, >=, expected_lost - 1);
	g_assert_cmpint(lost, <=, expected_lost + 2);
	assert_slots(report, 100);
	g_assert_cmpuint(cclm_stuntime_report_get_received(report) + lost, ==,
			 cclm_stuntime_report_get_sent(report));
	/* the first and last lost probes sit within an interval of the outage's ends, plus the
	 * send jitter of a loaded machine (up to an interval each side, bench-stuntime-jitter) */
	g_assert_cmpint(cclm_stuntime_report_get_last_lost(report) -
			    cclm_stuntime_report_get_first_lost(report),
			>=, outage_us - 4 * INTERVAL * 1000);
	/* one pair for the outage; a loaded machine may stall the responder for three intervals
	 * elsewhere, which the signals rightly report too */
	g_assert_cmpuint(outage.lost_signals, >=, 1);
	g_assert_cmpuint(outage.recovered_signals, ==, outage.lost_signals);
	g_assert_cmpint(outage.recovered_gap, ==, cclm_stuntime_report_get_longest_gap(report));

	cclm_stuntime_report_add_phase(report, "outage", outage.off);
	cclm_stuntime_report_add_phase(report, "restored", outage.on);
	g_assert_true(cclm_stuntime_report_add_phase_from_string(report, "begin=0ms", &error));
	g_assert_no_error(error);
	node = cclm_stuntime_report_to_json(report);
	root = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(root, "mode"), ==, "udp");
	g_assert_cmpint(json_object_get_int_member(root, "interval_ms"), ==, INTERVAL);
	g_assert_cmpint(json_object_get_int_member(root, "lost"), ==, lost);
	for (guint i = 0; i < 4; i++)
		assert_json_number(root, (const gchar *[]){"longest_gap_ms", "first_lost_ms",
							   "last_lost_ms", "duration_ms"}[i]);
	g_assert_cmpfloat(json_object_get_double_member(root, "longest_gap_ms"), ==,
			  cclm_stuntime_report_get_longest_gap(report) / 1000.0);

	/* one outage lost probes, all of them; a stall elsewhere may only add a short gap */
	gaps = json_object_get_array_member(root, "gaps");
	gap = NULL;
	for (guint i = 0; i < json_array_get_length(gaps); i++) {
		JsonObject *g = json_array_get_object_element(gaps, i);
		if (json_object_get_int_member(g, "lost") == 0)
			continue;
		g_assert_null(gap);
		gap = g;
	}
	g_assert_nonnull(gap);
	g_assert_cmpint(json_object_get_int_member(gap, "lost"), ==, lost);
	g_assert_cmpfloat(json_object_get_double_member(gap, "duration_ms"), ==,
			  json_object_get_double_member(root, "longest_gap_ms"));
	g_assert_false(json_object_get_boolean_member(gap, "open"));
	/* the gap began with the last reply before the responder went off */
	g_assert_cmpstr(json_object_get_string_member(gap, "phase"), ==, "begin");

	accuracy = json_object_get_object_member(root, "accuracy");
	g_assert_cmpint(json_object_get_int_member(accuracy, "timer_resolution_ns"), >, 0);
	g_assert_cmpint(json_object_get_int_member(accuracy, "send_jitter_p50_us"), <=,
			json_object_get_int_member(accuracy, "send_jitter_p99_us"));
	g_assert_cmpint(json_object_get_int_member(accuracy, "send_jitter_p99_us"), <=,
			json_object_get_int_member(accuracy, "send_jitter_max_us"));
	/* udp replies are timed by the kernel; how long they waited to be read is stated */
	g_assert_cmpstr(json_object_get_string_member(accuracy, "receive_timestamps"), ==,
			"kernel");
	g_assert_cmpint(json_object_get_int_member(accuracy, "receive_delay_p50_us"), >=, 0);
	g_assert_cmpint(json_object_get_int_member(accuracy, "receive_delay_p50_us"), <=,
			json_object_get_int_member(accuracy, "receive_delay_max_us"));

	phases = json_object_get_array_member(root, "phases");
	g_assert_cmpuint(json_array_get_length(phases), ==, 3);
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(phases, 0),
						      "name"),
			==, "begin");
	phase = json_array_get_object_element(phases, 1);
	g_assert_cmpstr(json_object_get_string_member(phase, "name"), ==, "outage");
	g_assert_cmpfloat(json_object_get_double_member(phase, "at_ms"), >=, 250);
	g_assert_cmpfloat(json_object_get_double_member(phase, "longest_gap_ms"), ==,
			  json_object_get_double_member(root, "longest_gap_ms"));
	g_assert_cmpint(json_object_get_int_member(phase, "lost"), >=, lost - 1);
	phase = json_array_get_object_element(phases, 2);
	g_assert_cmpstr(json_object_get_string_member(phase, "name"), ==, "restored");
	g_assert_cmpint(json_object_get_int_member(phase, "lost"), <=, 1);

	g_date_time_unref(outage.off);
	g_date_time_unref(outage.on);
}

/* A responder that answers every probe 25 ms late: each reply comes after the next probe left,
 * yet closes its gap when it arrives, so the gaps stay at the probe spacing. */
typedef struct {
	GSocket *socket;
	GSocketAddress *from;
	gchar buf[64];
	gssize len;
} Delayed;

static gboolean
delayed_send_cb(gpointer user_data)
{
	Delayed *d = user_data;

	g_socket_send_to(d->socket, d->from, d->buf, d->len, NULL, NULL);
	g_object_unref(d->socket);
	g_object_unref(d->from);
	g_free(d);
	return G_SOURCE_REMOVE;
}

static gboolean
delayed_receive_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	Delayed *d = g_new0(Delayed, 1);

	d->len = g_socket_receive_from(socket, &d->from, d->buf, sizeof(d->buf), NULL, NULL);
	if (d->len <= 0) {
		g_clear_object(&d->from);
		g_free(d);
		return G_SOURCE_CONTINUE;
	}
	d->socket = g_object_ref(socket);
	g_timeout_add(25, delayed_send_cb, d);
	return G_SOURCE_CONTINUE;
}

/* Echoes every datagram with its send time altered: a reply must carry its probe's own. */
static gboolean
forging_receive_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	g_autoptr(GSocketAddress) from = NULL;
	gchar buf[64];
	gssize len = g_socket_receive_from(socket, &from, buf, sizeof(buf), NULL, NULL);

	if (len >= 24) {
		buf[23] ^= 1;
		g_socket_send_to(socket, from, buf, len, NULL, NULL);
	}
	return G_SOURCE_CONTINUE;
}

static CclmStuntimeReport *
run_against_local_responder(GSocketSourceFunc func, guint duration)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) socket = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
						 G_SOCKET_PROTOCOL_UDP, &error);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GSource) source = NULL;
	g_autoptr(CclmStuntimeProbe) probe = NULL;
	g_autofree gchar *target = NULL;
	CclmStuntimeReport *report;

	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, address, TRUE, &error));
	bound = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	source = g_socket_create_source(socket, G_IO_IN, NULL);
	g_source_set_callback(source, G_SOURCE_FUNC(func), NULL, NULL);
	g_source_attach(source, NULL);
	target = g_strdup_printf("127.0.0.1:%u",
				 g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound)));
	probe = cclm_stuntime_probe_new(target, CCLM_STUNTIME_MODE_UDP);
	cclm_stuntime_probe_set_interval(probe, INTERVAL);
	cclm_stuntime_probe_set_duration(probe, duration);
	report = run_probe(probe, NULL, &error);
	g_source_destroy(source);
	g_assert_no_error(error);
	return report;
}

static void
test_udp_forged_replies(void)
{
	g_autoptr(CclmStuntimeReport) report = run_against_local_responder(forging_receive_cb, 200);

	g_assert_cmpuint(cclm_stuntime_report_get_sent(report), >, 0);
	g_assert_cmpuint(cclm_stuntime_report_get_received(report), ==, 0);
}

static void
test_udp_late_replies(void)
{
	g_autoptr(CclmStuntimeReport) report = run_against_local_responder(delayed_receive_cb, 500);
	g_autoptr(JsonNode) node = NULL;
	JsonObject *root;

	g_assert_cmpuint(cclm_stuntime_report_get_lost(report), ==, 0);
	assert_slots(report, 50);
	node = cclm_stuntime_report_to_json(report);
	root = json_node_get_object(node);
	g_assert_cmpint(json_object_get_int_member(root, "late"), ==,
			cclm_stuntime_report_get_sent(report));
	g_assert_cmpfloat(
	    json_object_get_double_member(json_object_get_object_member(root, "rtt_ms"), "min"), >=,
	    25);
	/* the first gap lasts until the first (late) reply; none after it is an outage */
	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), >=, 25000);
	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), <, 25000 + MARGIN_US);
}

/* TCP: a refused connection proves the peer reachable as much as an accepted one does, so
 * closing the listener for a while is no outage. */
typedef struct {
	GSocket *listener;
	GSource *source;
	guint16 port;
	guint accepted;
} Listener;

static gboolean
listener_accept_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	Listener *l = user_data;
	g_autoptr(GSocket) client = g_socket_accept(socket, NULL, NULL);

	if (client != NULL)
		l->accepted++;
	return G_SOURCE_CONTINUE;
}

static void
listener_open(Listener *l)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address = g_inet_socket_address_new(loopback, l->port);
	g_autoptr(GSocketAddress) bound = NULL;

	l->listener = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
				   G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(l->listener, address, TRUE, &error));
	g_assert_true(g_socket_listen(l->listener, &error));
	g_socket_set_blocking(l->listener, FALSE);
	bound = g_socket_get_local_address(l->listener, &error);
	g_assert_no_error(error);
	l->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	l->source = g_socket_create_source(l->listener, G_IO_IN, NULL);
	g_source_set_callback(l->source, G_SOURCE_FUNC(listener_accept_cb), l, NULL);
	g_source_attach(l->source, NULL);
}

static void
listener_close(Listener *l)
{
	g_source_destroy(l->source);
	g_clear_pointer(&l->source, g_source_unref);
	g_socket_close(l->listener, NULL);
	g_clear_object(&l->listener);
}

static gboolean
listener_reopen_cb(gpointer user_data)
{
	listener_open(user_data);
	return G_SOURCE_REMOVE;
}

static gboolean
listener_close_cb(gpointer user_data)
{
	listener_close(user_data);
	g_timeout_add(200, listener_reopen_cb, user_data);
	return G_SOURCE_REMOVE;
}

static void
test_tcp_refused_is_reachable(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeProbe) probe = NULL;
	g_autoptr(CclmStuntimeReport) report = NULL;
	g_autofree gchar *target = NULL;
	Listener l = {0};

	listener_open(&l);
	target = g_strdup_printf("127.0.0.1:%u", l.port);
	probe = cclm_stuntime_probe_new(target, CCLM_STUNTIME_MODE_TCP);
	cclm_stuntime_probe_set_interval(probe, INTERVAL);
	cclm_stuntime_probe_set_duration(probe, 800);
	g_timeout_add(300, listener_close_cb, &l);
	report = run_probe(probe, NULL, &error);
	g_assert_no_error(error);
	assert_slots(report, 80);
	g_assert_cmpuint(cclm_stuntime_report_get_lost(report), ==, 0);
	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), <, MARGIN_US);
	/* both kinds of answer were seen: some accepted, the others (while closed) refused */
	g_assert_cmpuint(l.accepted, >, 0);
	g_assert_cmpuint(l.accepted, <, 80 - 200 / INTERVAL / 2);
	listener_close(&l);
}

static void
test_icmp_loopback(gconstpointer data)
{
	const gchar *target = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeProbe) probe =
	    cclm_stuntime_probe_new(target, CCLM_STUNTIME_MODE_ICMP);
	g_autoptr(CclmStuntimeReport) report = NULL;

	cclm_stuntime_probe_set_interval(probe, INTERVAL);
	cclm_stuntime_probe_set_duration(probe, 500);
	report = run_probe(probe, NULL, &error);
	if (g_error_matches(error, CCLM_ERROR, CCLM_ERROR_FORBIDDEN)) {
		g_test_skip(error->message);
		return;
	}
	g_assert_no_error(error);
	assert_slots(report, 50);
	g_assert_cmpuint(cclm_stuntime_report_get_lost(report), ==, 0);
	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), <, MARGIN_US);
}

static void
test_invalid(void)
{
	static const struct {
		const gchar *target;
		CclmStuntimeMode mode;
		guint interval;
		guint duration;
		const gchar *message;
	} cases[] = {
	    {"", CCLM_STUNTIME_MODE_ICMP, 10, 100, "no target"},
	    {"not a host!", CCLM_STUNTIME_MODE_ICMP, 10, 100, "neither an IP address"},
	    {"127.0.0.1", CCLM_STUNTIME_MODE_UDP, 10, 100, "needs a port"},
	    {"::1", CCLM_STUNTIME_MODE_TCP, 10, 100, "needs a port"},
	    {"127.0.0.1:7", CCLM_STUNTIME_MODE_ICMP, 10, 100, "takes no port"},
	    {"127.0.0.1:0", CCLM_STUNTIME_MODE_UDP, 10, 100, "port \"0\""},
	    {"127.0.0.1:70000", CCLM_STUNTIME_MODE_UDP, 10, 100, "port \"70000\""},
	    {"[::1]", CCLM_STUNTIME_MODE_UDP, 10, 100, "[IPV6-ADDRESS]:PORT"},
	    {"[127.0.0.1]:7", CCLM_STUNTIME_MODE_UDP, 10, 100, "not an IPv6 address"},
	    {"127.0.0.1", CCLM_STUNTIME_MODE_ICMP, 0, 100, "interval: 0 ms"},
	    {"127.0.0.1", CCLM_STUNTIME_MODE_ICMP, 20000, 30000, "interval: 20000 ms"},
	    {"127.0.0.1", CCLM_STUNTIME_MODE_ICMP, 10, 5, "duration: 5 ms"},
	    {"127.0.0.1", CCLM_STUNTIME_MODE_ICMP, 10, 3600001, "duration: 3600001 ms"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(CclmStuntimeProbe) probe =
		    cclm_stuntime_probe_new(cases[i].target, cases[i].mode);
		g_autoptr(CclmStuntimeReport) report = NULL;

		cclm_stuntime_probe_set_interval(probe, cases[i].interval);
		cclm_stuntime_probe_set_duration(probe, cases[i].duration);
		report = run_probe(probe, NULL, &error);
		g_assert_null(report);
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, cases[i].message));
	}
}

static void
test_responder_invalid(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeResponder) responder = NULL;
	g_autoptr(CclmStuntimeResponder) second = NULL;

	g_assert_null(cclm_stuntime_responder_new("not-an-address", 4000, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_null(cclm_stuntime_responder_new("127.0.0.1", 70000, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	responder = cclm_stuntime_responder_new("127.0.0.1", 0, &error);
	g_assert_no_error(error);
	second = cclm_stuntime_responder_new("127.0.0.1",
					     cclm_stuntime_responder_get_port(responder), &error);
	g_assert_null(second);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK);
}

static gboolean
stop_cb(gpointer user_data)
{
	cclm_stuntime_probe_stop(user_data);
	return G_SOURCE_REMOVE;
}

static gboolean
cancel_cb(gpointer user_data)
{
	g_cancellable_cancel(user_data);
	return G_SOURCE_REMOVE;
}

/* Stopping ends a long run early with the report of what was measured. */
static void
test_stop(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeResponder) responder = cclm_stuntime_responder_new("127.0.0.1", 0,
										  &error);
	g_autoptr(CclmStuntimeProbe) probe = new_udp_probe(responder, CCLM_STUNTIME_DURATION_MAX);
	g_autoptr(CclmStuntimeReport) report = NULL;
	g_autoptr(JsonNode) node = NULL;
	gint64 start = g_get_monotonic_time();

	g_timeout_add(300, stop_cb, probe);
	report = run_probe(probe, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	g_assert_cmpuint(cclm_stuntime_report_get_sent(report), >=, 20);
	g_assert_cmpuint(cclm_stuntime_report_get_sent(report), <=, 300);
	g_assert_cmpuint(cclm_stuntime_report_get_lost(report), ==, 0);
	node = cclm_stuntime_report_to_json(report);
	g_assert_true(json_object_get_boolean_member(json_node_get_object(node), "stopped"));
}

static void
test_cancel(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeResponder) responder = cclm_stuntime_responder_new("127.0.0.1", 0,
										  &error);
	g_autoptr(CclmStuntimeProbe) probe = new_udp_probe(responder, CCLM_STUNTIME_DURATION_MAX);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(CclmStuntimeReport) report = NULL;

	g_timeout_add(100, cancel_cb, cancellable);
	report = run_probe(probe, cancellable, &error);
	g_assert_null(report);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
progress_cb(CclmStuntimeProbe *probe, guint sent, guint received, gint64 longest_gap,
	    guint *calls)
{
	/* 300 ms of probes are over when the first progress comes, a second into the run */
	g_assert_cmpuint(sent + received, >, 0);
	g_assert_cmpuint(received, ==, 0);
	/* no reply at all: the gap is the whole measurement */
	g_assert_cmpint(longest_gap, ==, 300000);
	(*calls)++;
}

/* The duration bounds a run against a target that never answers. */
static void
test_duration_bound(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeResponder) responder = cclm_stuntime_responder_new("127.0.0.1", 0,
										  &error);
	g_autoptr(CclmStuntimeProbe) probe = new_udp_probe(responder, 300);
	g_autoptr(CclmStuntimeReport) report = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonArray *gaps;
	gint64 start = g_get_monotonic_time();
	guint progress_calls = 0;

	cclm_stuntime_responder_set_active(responder, FALSE);
	g_signal_connect(probe, "progress", G_CALLBACK(progress_cb), &progress_calls);
	report = run_probe(probe, NULL, &error);
	g_assert_no_error(error);
	/* 300 ms of probes, then at most the one-second wait for late replies */
	g_assert_cmpint(g_get_monotonic_time() - start, <, 300000 + G_USEC_PER_SEC + MARGIN_US);
	g_assert_cmpuint(cclm_stuntime_report_get_received(report), ==, 0);
	/* the one-second wait for late replies outlasts the first progress report */
	g_assert_cmpuint(progress_calls, ==, 1);
	assert_slots(report, 30);
	g_assert_cmpuint(cclm_stuntime_report_get_lost(report), ==,
			 cclm_stuntime_report_get_sent(report));
	g_assert_cmpint(cclm_stuntime_report_get_first_lost(report), <, INTERVAL * 1000);
	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), ==, 300000);
	node = cclm_stuntime_report_to_json(report);
	g_assert_true(json_node_is_null(
	    json_object_get_member(json_node_get_object(node), "rtt_ms")));
	gaps = json_object_get_array_member(json_node_get_object(node), "gaps");
	g_assert_cmpuint(json_array_get_length(gaps), ==, 1);
	g_assert_true(
	    json_object_get_boolean_member(json_array_get_object_element(gaps, 0), "open"));
}

/* Gaps and lost probes derived from hand-made samples: no timing involved. */
static void
test_report_synthetic(void)
{
	/* slots at 0, 10, ..., 90 ms; 3, 4 and 5 lost; 6 answered after 7 was due; 7 skipped */
	static const gint64 replies[] = {1, 11, 21, 0, 0, 0, 71, -1, 82, 92};
	CclmStuntimeRun run = {0};
	g_autoptr(CclmStuntimeReport) report = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;
	JsonObject *root, *gap, *phase;

	run.target = g_strdup("192.0.2.1");
	run.address = g_strdup("192.0.2.1");
	run.mode = CCLM_STUNTIME_MODE_ICMP;
	run.interval = 10;
	run.start = 1000000;
	run.start_real = 1795417245000000;
	run.end = run.start + 100000;
	run.timer_resolution_ns = 1;
	run.samples = g_array_new(FALSE, FALSE, sizeof(CclmStuntimeSample));
	for (guint i = 0; i < G_N_ELEMENTS(replies); i++) {
		CclmStuntimeSample s = {0, 0};
		if (replies[i] >= 0) {
			s.sent = run.start + i * 10000 + 100;
			s.reply = replies[i] > 0 ? run.start + replies[i] * 1000 : 0;
		}
		g_array_append_val(run.samples, s);
	}
	report = cclm_stuntime_report_new(&run);
	g_assert_cmpuint(cclm_stuntime_report_get_sent(report), ==, 9);
	g_assert_cmpuint(cclm_stuntime_report_get_received(report), ==, 6);
	g_assert_cmpuint(cclm_stuntime_report_get_lost(report), ==, 3);
	g_assert_cmpint(cclm_stuntime_report_get_first_lost(report), ==, 30100);
	g_assert_cmpint(cclm_stuntime_report_get_last_lost(report), ==, 50100);
	/* replies at 21 and 71 ms bound the outage */
	g_assert_cmpint(cclm_stuntime_report_get_longest_gap(report), ==, 50000);

	g_assert_true(
	    cclm_stuntime_report_add_phase_from_string(report, "switchover=+25ms", &error));
	g_assert_true(cclm_stuntime_report_add_phase_from_string(report, "pre=@1795417245.001",
								 &error));
	g_assert_true(cclm_stuntime_report_add_phase_from_string(
	    report, "done=2026-11-23 07:00:45.070000+00:00", &error));
	g_assert_no_error(error);
	node = cclm_stuntime_report_to_json(report);
	root = json_node_get_object(node);
	g_assert_cmpint(json_object_get_int_member(root, "late"), ==, 1);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "gaps")), ==, 1);
	gap = json_array_get_object_element(json_object_get_array_member(root, "gaps"), 0);
	g_assert_cmpfloat(json_object_get_double_member(gap, "start_ms"), ==, 21);
	g_assert_cmpfloat(json_object_get_double_member(gap, "end_ms"), ==, 71);
	g_assert_cmpint(json_object_get_int_member(gap, "lost"), ==, 3);
	g_assert_cmpstr(json_object_get_string_member(gap, "phase"), ==, "pre");
	phase = json_array_get_object_element(json_object_get_array_member(root, "phases"), 1);
	g_assert_cmpstr(json_object_get_string_member(phase, "name"), ==, "switchover");
	g_assert_cmpfloat(json_object_get_double_member(phase, "at_ms"), ==, 25);
	g_assert_cmpfloat(json_object_get_double_member(phase, "longest_gap_ms"), ==, 50);
	g_assert_cmpint(json_object_get_int_member(phase, "lost"), ==, 3);
	phase = json_array_get_object_element(json_object_get_array_member(root, "phases"), 2);
	g_assert_cmpstr(json_object_get_string_member(phase, "name"), ==, "done");
	g_assert_cmpfloat(json_object_get_double_member(phase, "at_ms"), ==, 70);
	g_assert_cmpstr(json_object_get_string_member(phase, "time"), ==,
			"2026-11-23T07:00:45.070000Z");
	g_assert_cmpint(json_object_get_int_member(phase, "lost"), ==, 0);
}

static void
test_report_bad_phases(void)
{
	static const gchar *const specs[] = {
	    "nothing", "=1s", "x=", "x=soon", "x=1h", "x=@", "x=@-5", "x=2026-13-45T00:00:00Z",
	};
	CclmStuntimeRun run = {0};
	g_autoptr(CclmStuntimeReport) report = NULL;

	run.target = g_strdup("192.0.2.1");
	run.address = g_strdup("192.0.2.1");
	run.interval = 10;
	run.samples = g_array_new(FALSE, FALSE, sizeof(CclmStuntimeSample));
	report = cclm_stuntime_report_new(&run);
	for (guint i = 0; i < G_N_ELEMENTS(specs); i++) {
		g_autoptr(GError) error = NULL;

		g_assert_false(
		    cclm_stuntime_report_add_phase_from_string(report, specs[i], &error));
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "phase \""));
	}
}

int
main(int argc, char **argv)
{
	/* no G_TEST_OPTION_ISOLATE_DIRS: nothing here reads a user directory, and GLib 2.74's
	 * g_set_user_dirs() leaks once per test under LeakSanitizer */
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/stuntime/udp/no-outage", test_udp_no_outage);
	g_test_add_func("/stuntime/udp/outage", test_udp_outage);
	g_test_add_func("/stuntime/udp/late-replies", test_udp_late_replies);
	g_test_add_func("/stuntime/udp/forged-replies", test_udp_forged_replies);
	g_test_add_func("/stuntime/udp/duration-bound", test_duration_bound);
	g_test_add_func("/stuntime/tcp/refused-is-reachable", test_tcp_refused_is_reachable);
	g_test_add_data_func("/stuntime/icmp/ipv4", "127.0.0.1", test_icmp_loopback);
	g_test_add_data_func("/stuntime/icmp/ipv6", "::1", test_icmp_loopback);
	g_test_add_func("/stuntime/invalid", test_invalid);
	g_test_add_func("/stuntime/responder/invalid", test_responder_invalid);
	g_test_add_func("/stuntime/stop", test_stop);
	g_test_add_func("/stuntime/cancel", test_cancel);
	g_test_add_func("/stuntime/report/synthetic", test_report_synthetic);
	g_test_add_func("/stuntime/report/bad-phases", test_report_bad_phases);
	return g_test_run();
}
