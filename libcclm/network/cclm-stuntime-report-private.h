/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "cclm-stuntime-probe.h"
#include "cclm-stuntime-report.h"

/* One probe slot of a run, CLOCK_MONOTONIC microseconds (g_get_monotonic_time()); 0 means "not
 * sent" (a slot skipped because the loop woke up more than an interval late) or "no reply". */
typedef struct {
	gint64 sent;
	gint64 reply;
} CclmStuntimeSample;

/* What a run measured; the report derives every figure from it. */
typedef struct {
	gchar *target;
	gchar *address; /* the resolved address, with the port for udp and tcp */
	CclmStuntimeMode mode;
	guint interval; /* ms */
	gint64 start;	/* monotonic time slot 0 was planned for */
	gint64 start_real; /* wall clock at @start, microseconds since the epoch */
	gint64 end;	   /* monotonic time the next slot would have been planned for */
	GArray *samples;   /* of CclmStuntimeSample, slot i planned at start + i * interval */
	guint send_errors;
	guint duplicates;
	gint64 timer_resolution_ns;
	/* of gint64: how long each reply waited for the loop after the kernel stamped it (us);
	 * NULL when replies carry no kernel timestamp (tcp) */
	GArray *receive_delays;
	gboolean stopped; /* ended early by cclm_stuntime_probe_stop() */
} CclmStuntimeRun;

void
cclm_stuntime_run_clear(CclmStuntimeRun *run);
CclmStuntimeReport *
cclm_stuntime_report_new(CclmStuntimeRun *run);
const gchar *
cclm_stuntime_mode_to_string(CclmStuntimeMode mode);
