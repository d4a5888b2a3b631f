/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-faults.h"
#include "sim-store.h"

#define SIM_FAULT_ALWAYS G_MAXUINT

static gboolean
sim_faults_number(const char *text, const char *fault, guint *out, gboolean star,
		  GError **error)
{
	guint64 v;

	if (star && g_strcmp0(text, "*") == 0) {
		*out = SIM_FAULT_ALWAYS;
		return TRUE;
	}
	if (text == NULL || !g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT - 1, &v, NULL)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "fault \"%s\": \"%s\" is not a %s",
			    fault, text != NULL ? text : "", star ? "count or '*'" : "number");
		return FALSE;
	}
	*out = v;
	return TRUE;
}

/* "COUNT[/SECOND]" */
static gboolean
sim_faults_pair(const char *value, const char *fault, guint *count, guint *second,
		guint default_second, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(value != NULL ? value : "", "/", 2);

	*second = default_second;
	return sim_faults_number(parts[0], fault, count, TRUE, error) &&
	       (parts[0] == NULL || parts[1] == NULL ||
		sim_faults_number(parts[1], fault, second, FALSE, error));
}

gboolean
sim_faults_parse_clause(SimFaults *faults, const char *text, GError **error)
{
	g_auto(GStrv) items = g_strsplit(text, ",", -1);

	for (guint i = 0; items[i] != NULL; i++) {
		char *item = g_strstrip(items[i]);
		char *eq = strchr(item, '=');
		const char *value = eq != NULL ? eq + 1 : NULL;
		gboolean ok;

		if (*item == '\0')
			continue;
		if (eq != NULL)
			*eq = '\0';
		if (g_str_equal(item, "latency")) {
			ok = sim_faults_number(value, item, &faults->latency_ms, FALSE, error);
		} else if (g_str_equal(item, "429")) {
			ok = sim_faults_pair(value, item, &faults->throttle, &faults->retry_after_s,
					     1, error);
		} else if (g_str_equal(item, "5xx")) {
			ok = sim_faults_pair(value, item, &faults->errors, &faults->error_code, 500,
					     error);
			if (ok && (faults->error_code < 500 || faults->error_code > 599)) {
				g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
					    "fault \"5xx\": code %u is not a 5xx", faults->error_code);
				ok = FALSE;
			}
		} else if (g_str_equal(item, "drop-list")) {
			ok = sim_faults_pair(value, item, &faults->drop_list, &faults->drop_list_after,
					     1, error);
		} else if (g_str_equal(item, "drop-watch")) {
			ok = sim_faults_pair(value, item, &faults->drop_watch,
					     &faults->drop_watch_after, 1, error);
		} else if (g_str_equal(item, "expire-watch")) {
			ok = sim_faults_number(value, item, &faults->expire_watch, TRUE, error);
		} else if (g_str_equal(item, "compact") && value == NULL) {
			faults->compact = TRUE;
			ok = TRUE;
		} else if (g_str_equal(item, "restart")) {
			faults->restart = TRUE;
			faults->restart_down_ms = 500;
			ok = value == NULL ||
			     sim_faults_number(value, item, &faults->restart_down_ms, FALSE, error);
		} else if (g_str_equal(item, "clear") && value == NULL) {
			memset(faults, 0, sizeof(*faults));
			ok = TRUE;
		} else {
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "unknown fault \"%s\" (see cclm-sim --help)", item);
			ok = FALSE;
		}
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

GPtrArray *
sim_faults_split_spec(const char *spec, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) clauses = g_strsplit(spec, ";", -1);

	for (guint i = 0; clauses[i] != NULL; i++) {
		char *clause = g_strstrip(clauses[i]);
		char *colon = strchr(clause, ':');
		SimFaults check = {0};

		if (*clause == '\0')
			continue;
		if (colon != NULL) {
			*colon = '\0';
			g_ptr_array_add(out, g_strdup(g_strstrip(clause)));
			clause = colon + 1;
		} else {
			g_ptr_array_add(out, g_strdup("*"));
		}
		if (!sim_faults_parse_clause(&check, clause, error))
			return NULL;
		g_ptr_array_add(out, g_strdup(clause));
	}
	return g_steal_pointer(&out);
}

gboolean
sim_faults_take(guint *counter)
{
	if (*counter == 0)
		return FALSE;
	if (*counter != SIM_FAULT_ALWAYS)
		(*counter)--;
	return TRUE;
}

char *
sim_faults_describe(const SimFaults *f)
{
	return g_strdup_printf("{\"latencyMs\":%u,\"throttle\":%d,\"retryAfterSeconds\":%u,"
			       "\"errors\":%d,\"errorCode\":%u,\"dropList\":%d,"
			       "\"dropListAfter\":%u,\"dropWatch\":%d,\"dropWatchAfter\":%u,"
			       "\"expireWatch\":%d}",
			       f->latency_ms, f->throttle == SIM_FAULT_ALWAYS ? -1 : (int)f->throttle,
			       f->retry_after_s, f->errors == SIM_FAULT_ALWAYS ? -1 : (int)f->errors,
			       f->error_code,
			       f->drop_list == SIM_FAULT_ALWAYS ? -1 : (int)f->drop_list,
			       f->drop_list_after,
			       f->drop_watch == SIM_FAULT_ALWAYS ? -1 : (int)f->drop_watch,
			       f->drop_watch_after,
			       f->expire_watch == SIM_FAULT_ALWAYS ? -1 : (int)f->expire_watch);
}
