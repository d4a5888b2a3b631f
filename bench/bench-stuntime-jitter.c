/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Why CclmStuntimeProbe sends from a thread of its own: the send jitter (actual minus planned
 * send time) of a GMainContext timer, which polls with a millisecond timeout, side by side with
 * the probe's ppoll() loop, both on absolute 10 ms deadlines. Usage: bench-stuntime-jitter [S]
 */
#include "config.h"

#include <cclm.h>
#include <stdlib.h>

#define INTERVAL_US 10000

typedef struct {
	GArray *late;
	gint64 start;
	guint slot;
	guint slots;
	GMainLoop *loop;
} Ticker;

static gint
compare_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

static gint64
percentile(GArray *sorted, guint percent)
{
	guint rank = (guint)(((guint64)sorted->len * percent + 99) / 100);
	return g_array_index(sorted, gint64, MAX(rank, 1) - 1);
}

static gboolean
tick_cb(gpointer user_data)
{
	Ticker *t = user_data;
	gint64 late = g_get_monotonic_time() - (t->start + (gint64)t->slot * INTERVAL_US);
	GSource *source = g_main_current_source();

	g_array_append_val(t->late, late);
	if (++t->slot == t->slots) {
		g_main_loop_quit(t->loop);
		return G_SOURCE_REMOVE;
	}
	g_source_set_ready_time(source, t->start + (gint64)t->slot * INTERVAL_US);
	return G_SOURCE_CONTINUE;
}

static gboolean
idle_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	return callback(user_data);
}

static GSourceFuncs ticker_funcs = {NULL, NULL, idle_dispatch, NULL, NULL, NULL};

static void
bench_main_context(guint slots)
{
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(GSource) source = g_source_new(&ticker_funcs, sizeof(GSource));
	Ticker t = {g_array_new(FALSE, FALSE, sizeof(gint64)), 0, 0, slots, loop};

	t.start = g_get_monotonic_time() + INTERVAL_US;
	g_source_set_callback(source, tick_cb, &t, NULL);
	g_source_set_ready_time(source, t.start);
	g_source_attach(source, NULL);
	g_main_loop_run(loop);
	g_source_destroy(source);
	g_array_sort(t.late, compare_gint64);
	g_print("%-28s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT "\n",
		"GMainContext ready-time", percentile(t.late, 50), percentile(t.late, 99),
		g_array_index(t.late, gint64, t.late->len - 1));
	g_array_unref(t.late);
}

static void
done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(result);
}

static void
bench_probe(guint slots)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmStuntimeResponder) responder = cclm_stuntime_responder_new("127.0.0.1", 0,
										  &error);
	g_autofree gchar *target = NULL;
	g_autoptr(CclmStuntimeProbe) probe = NULL;
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(CclmStuntimeReport) report = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *accuracy;

	if (responder == NULL)
		g_error("%s", error->message);
	target = g_strdup_printf("127.0.0.1:%u", cclm_stuntime_responder_get_port(responder));
	probe = cclm_stuntime_probe_new(target, CCLM_STUNTIME_MODE_UDP);
	cclm_stuntime_probe_set_interval(probe, INTERVAL_US / 1000);
	cclm_stuntime_probe_set_duration(probe, slots * INTERVAL_US / 1000);
	cclm_stuntime_probe_run_async(probe, NULL, done_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	report = cclm_stuntime_probe_run_finish(probe, result, &error);
	if (report == NULL)
		g_error("%s", error->message);
	node = cclm_stuntime_report_to_json(report);
	accuracy = json_object_get_object_member(json_node_get_object(node), "accuracy");
	g_print("%-28s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT
		"   (skipped slots: %" G_GINT64_FORMAT ")\n",
		"CclmStuntimeProbe thread",
		json_object_get_int_member(accuracy, "send_jitter_p50_us"),
		json_object_get_int_member(accuracy, "send_jitter_p99_us"),
		json_object_get_int_member(accuracy, "send_jitter_max_us"),
		json_object_get_int_member(accuracy, "skipped_slots"));
}

int
main(int argc, char **argv)
{
	guint seconds = argc > 1 ? (guint)atoi(argv[1]) : 10;
	guint slots = MAX(seconds, 1) * 1000000 / INTERVAL_US;

	g_print("send jitter at a 10 ms interval, %u slots each (us)\n", slots);
	g_print("%-28s %8s %8s %8s\n", "loop", "p50", "p99", "max");
	bench_main_context(slots);
	bench_probe(slots);
	return 0;
}
