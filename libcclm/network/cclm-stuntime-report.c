/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cclm-error.h"
#include "cclm-stuntime-report-private.h"

/* A stretch of time between two consecutive replies (or between the first planned probe and the
 * first reply, or the last reply and the end of the run). */
typedef struct {
	gint64 start;
	gint64 end;
	guint lost; /* probes sent during it that were never answered */
	gboolean open; /* still running when the measurement ended */
} CclmStuntimeGap;

typedef struct {
	gchar *name;
	gint64 offset; /* microseconds after the report's start */
} CclmStuntimePhase;

/**
 * CclmStuntimeReport:
 *
 * What a [class@StuntimeProbe] run measured: probes sent and answered, the gaps between
 * replies, the lost probes, the accuracy of the measurement, and, once the phases of a
 * migration are added, the gaps aligned with them. [method@StuntimeReport.to_json] gives all of
 * it, as `cclm stuntime -o json` prints it.
 *
 * Since: 0.1
 */
struct _CclmStuntimeReport {
	GObject parent_instance;
	CclmStuntimeRun run;
	guint sent;
	guint received;
	guint late;
	gint64 longest_gap;
	gint64 first_lost; /* offset, -1 when nothing was lost */
	gint64 last_lost;
	GArray *gaps;	/* of CclmStuntimeGap, every gap in time order */
	GArray *phases; /* of CclmStuntimePhase, sorted when the JSON is built */
};

G_DEFINE_FINAL_TYPE(CclmStuntimeReport, cclm_stuntime_report, G_TYPE_OBJECT)

/* A gap is an outage worth listing when a probe went unanswered during it or when it lasted three
 * intervals: shorter ones are the ordinary spacing of replies plus scheduling noise. */
#define CCLM_STUNTIME_OUTAGE_INTERVALS 3

const gchar *
cclm_stuntime_mode_to_string(CclmStuntimeMode mode)
{
	switch (mode) {
	case CCLM_STUNTIME_MODE_ICMP:
		return "icmp";
	case CCLM_STUNTIME_MODE_UDP:
		return "udp";
	case CCLM_STUNTIME_MODE_TCP:
		return "tcp";
	default:
		return "unknown";
	}
}

void
cclm_stuntime_run_clear(CclmStuntimeRun *run)
{
	g_clear_pointer(&run->target, g_free);
	g_clear_pointer(&run->address, g_free);
	g_clear_pointer(&run->samples, g_array_unref);
	g_clear_pointer(&run->receive_delays, g_array_unref);
}

static gint
cclm_stuntime_compare_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a;
	gint64 y = *(const gint64 *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of a sorted array. */
static gint64
cclm_stuntime_percentile(const GArray *sorted, guint percent)
{
	guint rank;

	if (sorted->len == 0)
		return 0;
	rank = (guint)(((guint64)sorted->len * percent + 99) / 100);
	return g_array_index(sorted, gint64, MAX(rank, 1) - 1);
}

static void
cclm_stuntime_report_add_gap(CclmStuntimeReport *self, gint64 start, gint64 end, gboolean open)
{
	CclmStuntimeGap gap = {start, end, 0, open};

	if (end - start > self->longest_gap)
		self->longest_gap = end - start;
	g_array_append_val(self->gaps, gap);
}

/* Derives the figures from the raw samples: the gaps between consecutive replies in the order
 * they arrived (a late reply still closes its gap when it arrives), and the lost probes. */
static void
cclm_stuntime_report_compute(CclmStuntimeReport *self)
{
	const CclmStuntimeRun *run = &self->run;
	g_autoptr(GArray) replies = g_array_new(FALSE, FALSE, sizeof(gint64));
	gint64 interval = (gint64)run->interval * 1000;
	gint64 last;
	guint next_lost = 0;

	self->first_lost = -1;
	self->last_lost = -1;
	for (guint i = 0; i < run->samples->len; i++) {
		const CclmStuntimeSample *s = &g_array_index(run->samples, CclmStuntimeSample, i);

		if (s->sent == 0)
			continue;
		self->sent++;
		if (s->reply != 0) {
			self->received++;
			g_array_append_val(replies, s->reply);
			if (s->reply > run->start + (gint64)(i + 1) * interval)
				self->late++;
			continue;
		}
		if (self->first_lost < 0)
			self->first_lost = s->sent - run->start;
		self->last_lost = s->sent - run->start;
	}
	g_array_sort(replies, cclm_stuntime_compare_gint64);

	/* the gaps cover the measurement, [start, end]: a reply awaited after it still counts as
	 * received, but says nothing about the time after the end, which nothing probed */
	last = run->start;
	for (guint i = 0; i < replies->len; i++) {
		gint64 reply = g_array_index(replies, gint64, i);
		if (reply > run->end)
			break;
		cclm_stuntime_report_add_gap(self, last, reply, FALSE);
		last = reply;
	}
	if (run->end > last)
		cclm_stuntime_report_add_gap(self, last, run->end, TRUE);

	/* both the gaps and the slots are in time order: one pass attributes each lost probe */
	for (guint g = 0; g < self->gaps->len; g++) {
		CclmStuntimeGap *gap = &g_array_index(self->gaps, CclmStuntimeGap, g);

		for (; next_lost < run->samples->len; next_lost++) {
			const CclmStuntimeSample *s =
			    &g_array_index(run->samples, CclmStuntimeSample, next_lost);

			if (s->sent >= gap->end && !gap->open)
				break;
			if (s->sent != 0 && s->reply == 0 && s->sent >= gap->start)
				gap->lost++;
		}
	}
}

/* GLib 2.74 has no g_date_time_new_from_unix_utc_usec() */
static GDateTime *
cclm_stuntime_date_time_new(gint64 unix_usec)
{
	g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc(unix_usec / G_USEC_PER_SEC);

	return g_date_time_add(seconds, unix_usec % G_USEC_PER_SEC);
}

CclmStuntimeReport *
cclm_stuntime_report_new(CclmStuntimeRun *run)
{
	CclmStuntimeReport *self = g_object_new(CCLM_TYPE_STUNTIME_REPORT, NULL);

	self->run = *run;
	memset(run, 0, sizeof(*run));
	cclm_stuntime_report_compute(self);
	return self;
}

/**
 * cclm_stuntime_report_get_target:
 * @self: a #CclmStuntimeReport
 *
 * Gets the target the probe was given, as given.
 *
 * Returns: the target
 *
 * Since: 0.1
 */
const gchar *
cclm_stuntime_report_get_target(CclmStuntimeReport *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), NULL);
	return self->run.target;
}

/**
 * cclm_stuntime_report_get_sent:
 * @self: a #CclmStuntimeReport
 *
 * Gets how many probes were sent.
 *
 * Returns: the number of probes sent
 *
 * Since: 0.1
 */
guint
cclm_stuntime_report_get_sent(CclmStuntimeReport *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), 0);
	return self->sent;
}

/**
 * cclm_stuntime_report_get_received:
 * @self: a #CclmStuntimeReport
 *
 * Gets how many probes were answered (late answers included, duplicates not).
 *
 * Returns: the number of probes answered
 *
 * Since: 0.1
 */
guint
cclm_stuntime_report_get_received(CclmStuntimeReport *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), 0);
	return self->received;
}

/**
 * cclm_stuntime_report_get_lost:
 * @self: a #CclmStuntimeReport
 *
 * Gets how many probes were never answered.
 *
 * Returns: the number of lost probes
 *
 * Since: 0.1
 */
guint
cclm_stuntime_report_get_lost(CclmStuntimeReport *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), 0);
	return self->sent - self->received;
}

/**
 * cclm_stuntime_report_get_longest_gap:
 * @self: a #CclmStuntimeReport
 *
 * Gets the longest time between two consecutive replies, the interruption a user of the target
 * felt. The first gap starts when the first probe was planned, the last one ends when the run
 * did.
 *
 * Returns: the longest gap, in microseconds
 *
 * Since: 0.1
 */
gint64
cclm_stuntime_report_get_longest_gap(CclmStuntimeReport *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), 0);
	return self->longest_gap;
}

/**
 * cclm_stuntime_report_get_first_lost:
 * @self: a #CclmStuntimeReport
 *
 * Gets when the first probe that was never answered was sent.
 *
 * Returns: microseconds after [method@StuntimeReport.get_start_time], or -1 when no probe
 *   was lost
 *
 * Since: 0.1
 */
gint64
cclm_stuntime_report_get_first_lost(CclmStuntimeReport *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), -1);
	return self->first_lost;
}

/**
 * cclm_stuntime_report_get_last_lost:
 * @self: a #CclmStuntimeReport
 *
 * Gets when the last probe that was never answered was sent.
 *
 * Returns: microseconds after [method@StuntimeReport.get_start_time], or -1 when no probe
 *   was lost
 *
 * Since: 0.1
 */
gint64
cclm_stuntime_report_get_last_lost(CclmStuntimeReport *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), -1);
	return self->last_lost;
}

/**
 * cclm_stuntime_report_get_start_time:
 * @self: a #CclmStuntimeReport
 *
 * Gets the wall-clock time the first probe was planned for; every offset of the report counts
 * from it.
 *
 * Returns: (transfer full): the start time, in UTC
 *
 * Since: 0.1
 */
GDateTime *
cclm_stuntime_report_get_start_time(CclmStuntimeReport *self)
{
	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), NULL);
	return cclm_stuntime_date_time_new(self->run.start_real);
}

/**
 * cclm_stuntime_report_add_phase_at_offset:
 * @self: a #CclmStuntimeReport
 * @name: the phase's name, e.g. `switchover`
 * @offset: when the phase began, in microseconds after
 *   [method@StuntimeReport.get_start_time] (negative: before the run)
 *
 * Records that a phase of a migration began at @offset, on the monotonic clock of the run; the
 * JSON then shows the gaps aligned with the phases (see [method@StuntimeReport.to_json]).
 *
 * Since: 0.1
 */
void
cclm_stuntime_report_add_phase_at_offset(CclmStuntimeReport *self,
					 const gchar *name,
					 gint64 offset)
{
	CclmStuntimePhase phase;

	g_return_if_fail(CCLM_IS_STUNTIME_REPORT(self));
	g_return_if_fail(name != NULL);

	phase.name = g_strdup(name);
	phase.offset = offset;
	g_array_append_val(self->phases, phase);
}

/**
 * cclm_stuntime_report_add_phase:
 * @self: a #CclmStuntimeReport
 * @name: the phase's name, e.g. `switchover`
 * @time: when the phase began, on the wall clock
 *
 * Records that a phase of a migration began at @time, as another program's clock saw it
 * (e.g. a migration driver's timestamps); see
 * [method@StuntimeReport.add_phase_at_offset]. The wall clock of this host maps @time to the
 * run's monotonic clock, so the alignment is as good as the two clocks agree.
 *
 * Since: 0.1
 */
void
cclm_stuntime_report_add_phase(CclmStuntimeReport *self, const gchar *name, GDateTime *time)
{
	gint64 unix_usec;

	g_return_if_fail(CCLM_IS_STUNTIME_REPORT(self));
	g_return_if_fail(time != NULL);

	unix_usec = g_date_time_to_unix(time) * G_USEC_PER_SEC + g_date_time_get_microsecond(time);
	cclm_stuntime_report_add_phase_at_offset(self, name, unix_usec - self->run.start_real);
}

/* "1.5", "+1.5s", "-200ms", "750us": an offset from the start of the run. */
static gboolean
cclm_stuntime_parse_offset(const gchar *str, gint64 *offset)
{
	static const struct {
		const gchar *unit;
		gdouble usec;
	} units[] = {{"", G_USEC_PER_SEC}, {"s", G_USEC_PER_SEC}, {"ms", 1000}, {"us", 1}};
	gchar *end = NULL;
	gdouble value;

	if (!g_ascii_isdigit(str[0]) && str[0] != '+' && str[0] != '-' && str[0] != '.')
		return FALSE;
	value = g_ascii_strtod(str, &end);
	if (end == str || !isfinite(value) || fabs(value) > 1e7)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
		if (g_strcmp0(end, units[i].unit) == 0) {
			*offset = (gint64)llround(value * units[i].usec);
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * cclm_stuntime_report_add_phase_from_string:
 * @self: a #CclmStuntimeReport
 * @spec: `NAME=TIME`
 * @error: return location for a #GError
 *
 * Records a phase written as `NAME=TIME`, the form `cclm stuntime --phase` takes. TIME is an
 * RFC 3339 time (`2026-11-23T07:00:45.123+00:00`; a space may replace the `T`, as in
 * `date --rfc-3339=ns`; UTC when it has no offset), `@` and Unix seconds (`@1795417245.123`, as
 * `date +@%s.%N` prints), or an offset from the start of the run in seconds, milliseconds or
 * microseconds (`+1.5s`, `1.5`, `1500ms`, `-200ms`, `750us`).
 *
 * Returns: %TRUE, or %FALSE with @error set (%CCLM_ERROR_INVALID_ARGUMENT)
 *
 * Since: 0.1
 */
gboolean
cclm_stuntime_report_add_phase_from_string(CclmStuntimeReport *self,
					   const gchar *spec,
					   GError **error)
{
	g_autofree gchar *name = NULL;
	g_autofree gchar *iso = NULL;
	g_autoptr(GTimeZone) utc = NULL;
	g_autoptr(GDateTime) time = NULL;
	const gchar *eq;
	const gchar *value;
	gint64 offset;

	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), FALSE);
	g_return_val_if_fail(spec != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	eq = strchr(spec, '=');
	if (eq == NULL || eq == spec) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "phase \"%s\": expected NAME=TIME", spec);
		return FALSE;
	}
	name = g_strndup(spec, eq - spec);
	value = eq + 1;
	if (value[0] == '@') {
		gchar *end = NULL;
		gdouble seconds = g_ascii_strtod(value + 1, &end);

		if (end == value + 1 || *end != '\0' || !isfinite(seconds) || seconds < 0 ||
		    seconds > 1e11) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "phase \"%s\": \"%s\" is not a number of Unix seconds", name,
				    value);
			return FALSE;
		}
		cclm_stuntime_report_add_phase_at_offset(
		    self, name, (gint64)llround(seconds * G_USEC_PER_SEC) - self->run.start_real);
		return TRUE;
	}
	if (cclm_stuntime_parse_offset(value, &offset)) {
		cclm_stuntime_report_add_phase_at_offset(self, name, offset);
		return TRUE;
	}
	iso = g_strdup(value);
	g_strdelimit(iso, " ", 'T');
	utc = g_time_zone_new_utc();
	time = g_date_time_new_from_iso8601(iso, utc);
	if (time == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "phase \"%s\": \"%s\" is neither an RFC 3339 time, @UNIX-SECONDS "
			    "nor an offset such as +1.5s or 1500ms",
			    name, value);
		return FALSE;
	}
	cclm_stuntime_report_add_phase(self, name, time);
	return TRUE;
}

static gint
cclm_stuntime_phase_compare(gconstpointer a, gconstpointer b)
{
	return cclm_stuntime_compare_gint64(&((const CclmStuntimePhase *)a)->offset,
					    &((const CclmStuntimePhase *)b)->offset);
}

static gdouble
cclm_stuntime_ms(gint64 usec)
{
	return (gdouble)usec / 1000.0;
}

static void
cclm_stuntime_set_ms_or_null(JsonBuilder *builder, const gchar *member, gint64 usec)
{
	json_builder_set_member_name(builder, member);
	if (usec < 0)
		json_builder_add_null_value(builder);
	else
		json_builder_add_double_value(builder, cclm_stuntime_ms(usec));
}

static gboolean
cclm_stuntime_gap_is_outage(const CclmStuntimeReport *self, const CclmStuntimeGap *gap)
{
	return gap->lost > 0 ||
	       gap->end - gap->start >=
		   (gint64)self->run.interval * 1000 * CCLM_STUNTIME_OUTAGE_INTERVALS;
}

/* The name of the phase in effect at @offset, NULL before the first one. */
static const gchar *
cclm_stuntime_phase_at(GArray *sorted, gint64 offset)
{
	const gchar *name = NULL;

	for (guint i = 0; i < sorted->len; i++) {
		const CclmStuntimePhase *p = &g_array_index(sorted, CclmStuntimePhase, i);
		if (p->offset > offset)
			break;
		name = p->name;
	}
	return name;
}

static void
cclm_stuntime_report_build_gaps(CclmStuntimeReport *self, JsonBuilder *builder, GArray *phases)
{
	json_builder_set_member_name(builder, "gaps");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->gaps->len; i++) {
		const CclmStuntimeGap *gap = &g_array_index(self->gaps, CclmStuntimeGap, i);
		gint64 start = gap->start - self->run.start;
		const gchar *phase;

		if (!cclm_stuntime_gap_is_outage(self, gap))
			continue;
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "start_ms");
		json_builder_add_double_value(builder, cclm_stuntime_ms(start));
		json_builder_set_member_name(builder, "end_ms");
		json_builder_add_double_value(builder,
					      cclm_stuntime_ms(gap->end - self->run.start));
		json_builder_set_member_name(builder, "duration_ms");
		json_builder_add_double_value(builder, cclm_stuntime_ms(gap->end - gap->start));
		json_builder_set_member_name(builder, "lost");
		json_builder_add_int_value(builder, gap->lost);
		json_builder_set_member_name(builder, "open");
		json_builder_add_boolean_value(builder, gap->open);
		phase = cclm_stuntime_phase_at(phases, start);
		if (phase != NULL) {
			json_builder_set_member_name(builder, "phase");
			json_builder_add_string_value(builder, phase);
		}
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

/* Each phase lasts until the next one begins (the last one until the run ends); its gap is the
 * longest one overlapping that window, so a gap that began just before a switchover counts for
 * the switchover. */
static void
cclm_stuntime_report_build_phases(CclmStuntimeReport *self, JsonBuilder *builder, GArray *phases)
{
	json_builder_set_member_name(builder, "phases");
	json_builder_begin_array(builder);
	for (guint i = 0; i < phases->len; i++) {
		const CclmStuntimePhase *p = &g_array_index(phases, CclmStuntimePhase, i);
		gint64 from = self->run.start + p->offset;
		gint64 until = i + 1 < phases->len
				   ? self->run.start +
					 g_array_index(phases, CclmStuntimePhase, i + 1).offset
				   : G_MAXINT64;
		g_autoptr(GDateTime) time =
		    cclm_stuntime_date_time_new(self->run.start_real + p->offset);
		g_autofree gchar *iso = g_date_time_format_iso8601(time);
		gint64 longest = 0;
		guint lost = 0;

		for (guint g = 0; g < self->gaps->len; g++) {
			const CclmStuntimeGap *gap = &g_array_index(self->gaps, CclmStuntimeGap, g);
			if (gap->end > from && gap->start < until)
				longest = MAX(longest, gap->end - gap->start);
		}
		for (guint s = 0; s < self->run.samples->len; s++) {
			const CclmStuntimeSample *sample =
			    &g_array_index(self->run.samples, CclmStuntimeSample, s);
			if (sample->sent >= from && sample->sent < until && sample->reply == 0)
				lost++;
		}
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "name");
		json_builder_add_string_value(builder, p->name);
		json_builder_set_member_name(builder, "at_ms");
		json_builder_add_double_value(builder, cclm_stuntime_ms(p->offset));
		json_builder_set_member_name(builder, "time");
		json_builder_add_string_value(builder, iso);
		json_builder_set_member_name(builder, "longest_gap_ms");
		json_builder_add_double_value(builder, cclm_stuntime_ms(longest));
		json_builder_set_member_name(builder, "lost");
		json_builder_add_int_value(builder, lost);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

static void
cclm_stuntime_report_build_accuracy(CclmStuntimeReport *self, JsonBuilder *builder)
{
	g_autoptr(GArray) jitter = g_array_new(FALSE, FALSE, sizeof(gint64));
	gint64 interval = (gint64)self->run.interval * 1000;
	guint skipped = 0;

	for (guint i = 0; i < self->run.samples->len; i++) {
		const CclmStuntimeSample *s =
		    &g_array_index(self->run.samples, CclmStuntimeSample, i);
		gint64 late;

		if (s->sent == 0) {
			skipped++;
			continue;
		}
		late = s->sent - (self->run.start + (gint64)i * interval);
		g_array_append_val(jitter, late);
	}
	g_array_sort(jitter, cclm_stuntime_compare_gint64);

	json_builder_set_member_name(builder, "accuracy");
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "timer_resolution_ns");
	json_builder_add_int_value(builder, self->run.timer_resolution_ns);
	json_builder_set_member_name(builder, "send_jitter_p50_us");
	json_builder_add_int_value(builder, cclm_stuntime_percentile(jitter, 50));
	json_builder_set_member_name(builder, "send_jitter_p99_us");
	json_builder_add_int_value(builder, cclm_stuntime_percentile(jitter, 99));
	json_builder_set_member_name(builder, "send_jitter_max_us");
	json_builder_add_int_value(builder,
				   jitter->len > 0 ? g_array_index(jitter, gint64, jitter->len - 1)
						   : 0);
	json_builder_set_member_name(builder, "skipped_slots");
	json_builder_add_int_value(builder, skipped);
	json_builder_set_member_name(builder, "receive_timestamps");
	json_builder_add_string_value(builder,
				      self->run.receive_delays != NULL ? "kernel" : "user");
	if (self->run.receive_delays != NULL) {
		GArray *delays = self->run.receive_delays;

		g_array_sort(delays, cclm_stuntime_compare_gint64);
		json_builder_set_member_name(builder, "receive_delay_p50_us");
		json_builder_add_int_value(builder, cclm_stuntime_percentile(delays, 50));
		json_builder_set_member_name(builder, "receive_delay_p99_us");
		json_builder_add_int_value(builder, cclm_stuntime_percentile(delays, 99));
		json_builder_set_member_name(builder, "receive_delay_max_us");
		json_builder_add_int_value(
		    builder, delays->len > 0 ? g_array_index(delays, gint64, delays->len - 1) : 0);
	}
	json_builder_end_object(builder);
}

static void
cclm_stuntime_report_build_rtt(CclmStuntimeReport *self, JsonBuilder *builder)
{
	g_autoptr(GArray) rtt = g_array_new(FALSE, FALSE, sizeof(gint64));

	for (guint i = 0; i < self->run.samples->len; i++) {
		const CclmStuntimeSample *s =
		    &g_array_index(self->run.samples, CclmStuntimeSample, i);
		gint64 value = s->reply - s->sent;

		if (s->sent != 0 && s->reply != 0)
			g_array_append_val(rtt, value);
	}
	g_array_sort(rtt, cclm_stuntime_compare_gint64);

	json_builder_set_member_name(builder, "rtt_ms");
	if (rtt->len == 0) {
		json_builder_add_null_value(builder);
		return;
	}
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "min");
	json_builder_add_double_value(builder, cclm_stuntime_ms(g_array_index(rtt, gint64, 0)));
	json_builder_set_member_name(builder, "p50");
	json_builder_add_double_value(builder, cclm_stuntime_ms(cclm_stuntime_percentile(rtt, 50)));
	json_builder_set_member_name(builder, "p99");
	json_builder_add_double_value(builder, cclm_stuntime_ms(cclm_stuntime_percentile(rtt, 99)));
	json_builder_set_member_name(builder, "max");
	json_builder_add_double_value(builder,
				      cclm_stuntime_ms(g_array_index(rtt, gint64, rtt->len - 1)));
	json_builder_end_object(builder);
}

/**
 * cclm_stuntime_report_to_json:
 * @self: a #CclmStuntimeReport
 *
 * Builds the report as JSON, the form `cclm stuntime -o json` prints. Times are milliseconds
 * (with microsecond decimals) after `started`, the wall-clock time the first probe was planned
 * for:
 *
 * - `target`, `address` (resolved, with the port), `mode` (`icmp`, `udp`, `tcp`),
 *   `interval_ms`, `started` (RFC 3339), `duration_ms` (how long probes were sent),
 *   `stopped` (ended early on request);
 * - `sent`, `received`, `lost`, `late` (answered after the next probe was due),
 *   `duplicates`, `send_errors` (probes the local stack refused, e.g. no route: counted lost);
 * - `longest_gap_ms`: the longest time between consecutive replies, the outage users felt;
 * - `first_lost_ms`, `last_lost_ms`: when the first and last unanswered probes were sent, or
 *   null;
 * - `rtt_ms`: `min`, `p50`, `p99`, `max` round-trip times, or null without replies;
 * - `gaps`: the outages, gaps with a lost probe or lasting at least three intervals, each with
 *   `start_ms`, `end_ms`, `duration_ms`, `lost`, `open` (no reply came before the end) and
 *   `phase` (the phase in effect when it began, when phases were given);
 * - `accuracy`: `timer_resolution_ns` (clock_getres() of CLOCK_MONOTONIC), and how late probes
 *   left compared with their plan, `send_jitter_p50_us`, `send_jitter_p99_us`,
 *   `send_jitter_max_us`, with `skipped_slots` (slots not sent because the loop woke up more
 *   than an interval late), and `receive_timestamps`: `kernel` when replies are timed by the
 *   kernel as they arrive (icmp, udp), with how long they then waited to be read,
 *   `receive_delay_p50_us`, `receive_delay_p99_us`, `receive_delay_max_us`, or `user` when
 *   they are timed as the prober reads them (tcp);
 * - `phases`, when phases were added: sorted by time, each with `name`, `at_ms`, `time`,
 *   `longest_gap_ms` (the longest gap overlapping the phase, which lasts until the next one
 *   begins) and `lost` (unanswered probes sent during it).
 *
 * Returns: (transfer full): the report as a JSON object
 *
 * Since: 0.1
 */
JsonNode *
cclm_stuntime_report_to_json(CclmStuntimeReport *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	GArray *phases = self->phases;
	g_autoptr(GDateTime) started = NULL;
	g_autofree gchar *started_iso = NULL;

	g_return_val_if_fail(CCLM_IS_STUNTIME_REPORT(self), NULL);

	g_array_sort(phases, cclm_stuntime_phase_compare);
	started = cclm_stuntime_date_time_new(self->run.start_real);
	started_iso = g_date_time_format_iso8601(started);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "target");
	json_builder_add_string_value(builder, self->run.target);
	json_builder_set_member_name(builder, "address");
	json_builder_add_string_value(builder, self->run.address);
	json_builder_set_member_name(builder, "mode");
	json_builder_add_string_value(builder, cclm_stuntime_mode_to_string(self->run.mode));
	json_builder_set_member_name(builder, "interval_ms");
	json_builder_add_int_value(builder, self->run.interval);
	json_builder_set_member_name(builder, "started");
	json_builder_add_string_value(builder, started_iso);
	json_builder_set_member_name(builder, "duration_ms");
	json_builder_add_double_value(builder, cclm_stuntime_ms(self->run.end - self->run.start));
	json_builder_set_member_name(builder, "stopped");
	json_builder_add_boolean_value(builder, self->run.stopped);
	json_builder_set_member_name(builder, "sent");
	json_builder_add_int_value(builder, self->sent);
	json_builder_set_member_name(builder, "received");
	json_builder_add_int_value(builder, self->received);
	json_builder_set_member_name(builder, "lost");
	json_builder_add_int_value(builder, self->sent - self->received);
	json_builder_set_member_name(builder, "late");
	json_builder_add_int_value(builder, self->late);
	json_builder_set_member_name(builder, "duplicates");
	json_builder_add_int_value(builder, self->run.duplicates);
	json_builder_set_member_name(builder, "send_errors");
	json_builder_add_int_value(builder, self->run.send_errors);
	json_builder_set_member_name(builder, "longest_gap_ms");
	json_builder_add_double_value(builder, cclm_stuntime_ms(self->longest_gap));
	cclm_stuntime_set_ms_or_null(builder, "first_lost_ms", self->first_lost);
	cclm_stuntime_set_ms_or_null(builder, "last_lost_ms", self->last_lost);
	cclm_stuntime_report_build_rtt(self, builder);
	cclm_stuntime_report_build_gaps(self, builder, phases);
	cclm_stuntime_report_build_accuracy(self, builder);
	if (phases->len > 0)
		cclm_stuntime_report_build_phases(self, builder, phases);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static void
cclm_stuntime_phase_clear(gpointer data)
{
	g_free(((CclmStuntimePhase *)data)->name);
}

static void
cclm_stuntime_report_finalize(GObject *object)
{
	CclmStuntimeReport *self = CCLM_STUNTIME_REPORT(object);

	cclm_stuntime_run_clear(&self->run);
	g_array_unref(self->gaps);
	g_array_unref(self->phases);
	G_OBJECT_CLASS(cclm_stuntime_report_parent_class)->finalize(object);
}

static void
cclm_stuntime_report_class_init(CclmStuntimeReportClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = cclm_stuntime_report_finalize;
}

static void
cclm_stuntime_report_init(CclmStuntimeReport *self)
{
	self->gaps = g_array_new(FALSE, FALSE, sizeof(CclmStuntimeGap));
	self->phases = g_array_new(FALSE, FALSE, sizeof(CclmStuntimePhase));
	g_array_set_clear_func(self->phases, cclm_stuntime_phase_clear);
}
