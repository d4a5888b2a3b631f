/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "cclm-version-macros.h"

G_BEGIN_DECLS

#define CCLM_TYPE_STUNTIME_REPORT (cclm_stuntime_report_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmStuntimeReport, cclm_stuntime_report, CCLM, STUNTIME_REPORT, GObject)

CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_stuntime_report_get_target(CclmStuntimeReport *self);
CCLM_AVAILABLE_IN_0_1
guint
cclm_stuntime_report_get_sent(CclmStuntimeReport *self);
CCLM_AVAILABLE_IN_0_1
guint
cclm_stuntime_report_get_received(CclmStuntimeReport *self);
CCLM_AVAILABLE_IN_0_1
guint
cclm_stuntime_report_get_lost(CclmStuntimeReport *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_stuntime_report_get_longest_gap(CclmStuntimeReport *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_stuntime_report_get_first_lost(CclmStuntimeReport *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_stuntime_report_get_last_lost(CclmStuntimeReport *self);
CCLM_AVAILABLE_IN_0_1
GDateTime *
cclm_stuntime_report_get_start_time(CclmStuntimeReport *self);
CCLM_AVAILABLE_IN_0_1
void
cclm_stuntime_report_add_phase(CclmStuntimeReport *self, const gchar *name, GDateTime *time);
CCLM_AVAILABLE_IN_0_1
void
cclm_stuntime_report_add_phase_at_offset(CclmStuntimeReport *self,
					 const gchar *name,
					 gint64 offset);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_stuntime_report_add_phase_from_string(CclmStuntimeReport *self,
					   const gchar *spec,
					   GError **error);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_stuntime_report_to_json(CclmStuntimeReport *self);

G_END_DECLS
