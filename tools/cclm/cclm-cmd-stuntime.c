/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>

#include "cclm-cmd.h"
#include "cclm-progress.h"

typedef struct {
	GMainLoop *loop;
	CclmStuntimeProbe *probe;
	GAsyncResult *result;
	CclmProgress *progress;
} CclmStuntimeCli;

/* "10", "10ms", "1.5s", "2m", "1h": a time in milliseconds; a bare number is in @bare_unit_ms. */
static gboolean
cclm_cmd_stuntime_parse_ms(const gchar *option,
			   const gchar *str,
			   guint bare_unit_ms,
			   guint *ms,
			   GError **error)
{
	static const struct {
		const gchar *suffix;
		guint ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
	gchar *end = NULL;
	gdouble value = g_ascii_strtod(str, &end);
	gdouble factor = 0;

	if (end != str && *end == '\0')
		factor = bare_unit_ms;
	for (guint i = 0; end != str && i < G_N_ELEMENTS(units); i++) {
		if (g_strcmp0(end, units[i].suffix) == 0)
			factor = units[i].ms;
	}
	value *= factor;
	if (factor == 0 || !isfinite(value) || value < 1 || value > G_MAXUINT ||
	    fabs(value - round(value)) > 1e-6) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "%s \"%s\": expected a whole number of milliseconds such as 10ms, "
			    "1.5s, 2m or 1h",
			    option, str);
		return FALSE;
	}
	*ms = (guint)round(value);
	return TRUE;
}

static gboolean
cclm_cmd_stuntime_parse_mode(const gchar *str, CclmStuntimeMode *mode, GError **error)
{
	g_autoptr(GEnumClass) klass = g_type_class_ref(CCLM_TYPE_STUNTIME_MODE);
	GEnumValue *value = g_enum_get_value_by_nick(klass, str);

	if (value == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "--mode \"%s\": expected icmp, udp or tcp", str);
		return FALSE;
	}
	*mode = value->value;
	return TRUE;
}

static gboolean
cclm_cmd_stuntime_signal_cb(gpointer user_data)
{
	CclmStuntimeCli *cli = user_data;

	/* the first signal ends the run early with a report; it stays installed, so a second
	 * one does not kill the process before the report is out */
	if (cli->probe != NULL)
		cclm_stuntime_probe_stop(cli->probe);
	else
		g_main_loop_quit(cli->loop);
	return G_SOURCE_CONTINUE;
}

static void
cclm_cmd_stuntime_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	CclmStuntimeCli *cli = user_data;

	cli->result = g_object_ref(result);
	g_main_loop_quit(cli->loop);
}

static void
cclm_cmd_stuntime_progress_cb(CclmStuntimeProbe *probe,
			      guint sent,
			      guint received,
			      gint64 longest_gap,
			      gpointer user_data)
{
	CclmStuntimeCli *cli = user_data;
	/* the last probes are in flight: "answered so far", not "lost" */
	g_autofree gchar *detail = g_strdup_printf("answered %u, longest gap %.1f ms", received,
						   (gdouble)longest_gap / 1000.0);

	cclm_progress_update(cli->progress, sent, detail);
}

/* NAME=TIME lines; blank lines and # comments are skipped. */
static gboolean
cclm_cmd_stuntime_read_phases(CclmStuntimeReport *report, const gchar *path, GError **error)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GError) local_error = NULL;

	if (!g_file_get_contents(path, &contents, NULL, &local_error)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT, "--phase-file: %s",
			    local_error->message);
		return FALSE;
	}
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);

		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (!cclm_stuntime_report_add_phase_from_string(report, line, &local_error)) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "--phase-file \"%s\": line %u: %s", path, i + 1,
				    local_error->message);
			return FALSE;
		}
	}
	return TRUE;
}

/* --listen [ADDR:]PORT: the UDP responder, until a signal or --duration. */
static JsonNode *
cclm_cmd_stuntime_listen(const CclmCmdGlobals *globals,
			 const gchar *listen,
			 guint duration,
			 GError **error)
{
	g_autoptr(CclmStuntimeResponder) responder = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autofree gchar *address = NULL;
	CclmStuntimeCli cli = {loop, NULL, NULL, NULL};
	const gchar *colon = strrchr(listen, ':');
	const gchar *port_str = colon != NULL ? colon + 1 : listen;
	guint64 port;
	guint sources[3];

	if (colon != NULL)
		address = listen[0] == '[' && colon > listen && colon[-1] == ']'
			      ? g_strndup(listen + 1, colon - listen - 2)
			      : g_strndup(listen, colon - listen);
	if (!g_ascii_string_to_unsigned(port_str, 10, 1, 65535, &port, NULL)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "--listen \"%s\": expected [ADDRESS:]PORT with a port from 1 to 65535",
			    listen);
		return NULL;
	}
	responder = cclm_stuntime_responder_new(address, (guint)port, error);
	if (responder == NULL)
		return NULL;
	if (globals->progress)
		g_printerr("answering stuntime probes on UDP %s port %u\n",
			   address != NULL ? address : "*", (guint)port);
	sources[0] = g_unix_signal_add(SIGINT, cclm_cmd_stuntime_signal_cb, &cli);
	sources[1] = g_unix_signal_add(SIGTERM, cclm_cmd_stuntime_signal_cb, &cli);
	sources[2] = duration > 0 ? g_timeout_add(duration, cclm_cmd_stuntime_signal_cb, &cli) : 0;
	g_main_loop_run(loop);
	for (guint i = 0; i < G_N_ELEMENTS(sources); i++) {
		if (sources[i] != 0)
			g_source_remove(sources[i]);
	}

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "address");
	json_builder_add_string_value(builder, listen);
	json_builder_set_member_name(builder, "mode");
	json_builder_add_string_value(builder, "udp-responder");
	json_builder_set_member_name(builder, "port");
	json_builder_add_int_value(builder, (gint64)port);
	/* as the probe's counters: what reached the responder, and what it sent back */
	json_builder_set_member_name(builder, "received");
	json_builder_add_int_value(builder,
				   (gint64)cclm_stuntime_responder_get_received(responder));
	json_builder_set_member_name(builder, "sent");
	json_builder_add_int_value(builder, (gint64)cclm_stuntime_responder_get_echoed(responder));
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static JsonNode *
cmd_stuntime(const CclmCmdGlobals *globals, gint argc, gchar **argv, gint *exit_status,
	     GError **error)
{
	g_autofree gchar *interval_str = NULL;
	g_autofree gchar *duration_str = NULL;
	g_autofree gchar *mode_str = NULL;
	g_autofree gchar *listen = NULL;
	g_autofree gchar *phase_file = NULL;
	g_auto(GStrv) phases = NULL;
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(CclmStuntimeProbe) probe = NULL;
	g_autoptr(CclmStuntimeReport) report = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) local_error = NULL;
	g_autoptr(CclmProgress) progress = NULL;
	CclmStuntimeMode mode = CCLM_STUNTIME_MODE_ICMP;
	guint interval = CCLM_STUNTIME_INTERVAL_DEFAULT;
	guint duration = CCLM_STUNTIME_DURATION_DEFAULT;
	CclmStuntimeCli cli = {0};
	guint sources[2];
	const GOptionEntry entries[] = {
	    {"interval", 'i', 0, G_OPTION_ARG_STRING, &interval_str,
	     "Time between probes (default 10ms; 1ms to 10s)", "TIME"},
	    {"duration", 'd', 0, G_OPTION_ARG_STRING, &duration_str,
	     "How long to probe, seconds unless a unit is given (default 30s, at most 1h); with "
	     "--listen, how long to answer (default: until interrupted)",
	     "TIME"},
	    {"mode", 'm', 0, G_OPTION_ARG_STRING, &mode_str,
	     "icmp (default; ping socket or root), udp (needs a responder on TARGET:PORT) or tcp "
	     "(connections to TARGET:PORT; a refused one counts as reachable)",
	     "MODE"},
	    {"phase", 0, 0, G_OPTION_ARG_STRING_ARRAY, &phases,
	     "A migration phase to align the gaps with: NAME=RFC3339, NAME=@UNIX-SECONDS or "
	     "NAME=OFFSET from the start (+1.5s, 1500ms); repeatable",
	     "NAME=TIME"},
	    {"phase-file", 0, 0, G_OPTION_ARG_FILENAME, &phase_file,
	     "Read phases (NAME=TIME lines) from FILE when the run ends, so that a migration "
	     "driver may write it meanwhile",
	     "FILE"},
	    {"listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
	     "Answer udp probes on [ADDRESS:]PORT instead of probing", "[ADDRESS:]PORT"},
	    {NULL},
	};

	context = g_option_context_new("stuntime TARGET | stuntime --listen [ADDRESS:]PORT");
	g_option_context_set_summary(
	    context, "Measure a target's network interruption (\"stuntime\") during a migration.");
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_help_enabled(context, TRUE);
	if (!g_option_context_parse(context, &argc, &argv, &local_error)) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    local_error->message);
		return NULL;
	}
	if (duration_str != NULL &&
	    !cclm_cmd_stuntime_parse_ms("--duration", duration_str, 1000, &duration, error))
		return NULL;
	if (listen != NULL) {
		if (argc > 1) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "--listen takes no TARGET (got \"%s\")", argv[1]);
			return NULL;
		}
		return cclm_cmd_stuntime_listen(globals, listen,
						duration_str != NULL ? duration : 0, error);
	}
	if (argc != 2) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    argc < 2 ? "expected a TARGET (or --listen [ADDRESS:]PORT)"
				     : "expected one TARGET, got \"%s\" too",
			    argc > 2 ? argv[2] : "");
		return NULL;
	}
	if (interval_str != NULL &&
	    !cclm_cmd_stuntime_parse_ms("--interval", interval_str, 1, &interval, error))
		return NULL;
	if (mode_str != NULL && !cclm_cmd_stuntime_parse_mode(mode_str, &mode, error))
		return NULL;

	probe = cclm_stuntime_probe_new(argv[1], mode);
	cclm_stuntime_probe_set_interval(probe, interval);
	cclm_stuntime_probe_set_duration(probe, duration);
	progress = cclm_progress_new(globals->progress, "probing",
				     (duration + interval - 1) / interval);
	g_signal_connect(probe, "progress", G_CALLBACK(cclm_cmd_stuntime_progress_cb), &cli);

	loop = g_main_loop_new(NULL, FALSE);
	cli.loop = loop;
	cli.probe = probe;
	cli.progress = progress;
	sources[0] = g_unix_signal_add(SIGINT, cclm_cmd_stuntime_signal_cb, &cli);
	sources[1] = g_unix_signal_add(SIGTERM, cclm_cmd_stuntime_signal_cb, &cli);
	cclm_stuntime_probe_run_async(probe, NULL, cclm_cmd_stuntime_done_cb, &cli);
	g_main_loop_run(loop);
	for (guint i = 0; i < G_N_ELEMENTS(sources); i++)
		g_source_remove(sources[i]);
	result = g_steal_pointer(&cli.result);
	g_clear_pointer(&progress, cclm_progress_free);

	report = cclm_stuntime_probe_run_finish(probe, result, error);
	if (report == NULL)
		return NULL;
	for (guint i = 0; phases != NULL && phases[i] != NULL; i++) {
		if (!cclm_stuntime_report_add_phase_from_string(report, phases[i], error))
			return NULL;
	}
	if (phase_file != NULL && !cclm_cmd_stuntime_read_phases(report, phase_file, error))
		return NULL;
	/* a target that never answered is the command's negative answer */
	*exit_status = cclm_stuntime_report_get_received(report) == 0 ? 1 : 0;
	return cclm_stuntime_report_to_json(report);
}

static const CclmOutputColumn cclm_cmd_stuntime_summary[] = {
    {"TARGET", "address"},
    {"MODE", "mode"},
    {"INTERVAL MS", "interval_ms"},
    {"SENT", "sent"},
    {"RECEIVED", "received"},
    {"LOST", "lost"},
    {"LONGEST GAP MS", "longest_gap_ms"},
    {"FIRST LOST MS", "first_lost_ms"},
    {"LAST LOST MS", "last_lost_ms"},
    {NULL, NULL},
};

static const CclmOutputColumn cclm_cmd_stuntime_gaps[] = {
    {"START MS", "start_ms"}, {"END MS", "end_ms"}, {"DURATION MS", "duration_ms"},
    {"LOST", "lost"},	      {"PHASE", "phase"},   {NULL, NULL},
};

static const CclmOutputColumn cclm_cmd_stuntime_phases[] = {
    {"PHASE", "name"},
    {"AT MS", "at_ms"},
    {"LONGEST GAP MS", "longest_gap_ms"},
    {"LOST", "lost"},
    {NULL, NULL},
};

static const CclmOutputColumn cclm_cmd_stuntime_accuracy[] = {
    {"TIMER RESOLUTION NS", "timer_resolution_ns"},
    {"SEND JITTER P50 US", "send_jitter_p50_us"},
    {"P99 US", "send_jitter_p99_us"},
    {"MAX US", "send_jitter_max_us"},
    {"SKIPPED", "skipped_slots"},
    {NULL, NULL},
};

static const CclmOutputTable cclm_cmd_stuntime_tables[] = {
    {NULL, "", cclm_cmd_stuntime_summary},
    {"Outages", "gaps.*", cclm_cmd_stuntime_gaps},
    {"Phases", "phases.*", cclm_cmd_stuntime_phases},
    {"Accuracy", "accuracy", cclm_cmd_stuntime_accuracy},
    {NULL},
};

const CclmCmd cclm_cmd_stuntime = {
    "stuntime",
    "TARGET [--interval 10ms] [--duration S] [--mode icmp|udp|tcp] [--phase NAME=TIME]... | "
    "--listen [ADDRESS:]PORT",
    "Measure a target's network interruption during a migration",
    cmd_stuntime,
    cclm_cmd_stuntime_tables,
};
