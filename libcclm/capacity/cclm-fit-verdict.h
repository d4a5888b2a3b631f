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

/**
 * CCLM_FIT_SCHEMA:
 *
 * The `schema` of [method@FitVerdict.to_json] and of `cclm fit -o json`.
 *
 * Since: 0.1
 */
#define CCLM_FIT_SCHEMA "cclm.fit/v1"

#define CCLM_TYPE_FIT_VERDICT (cclm_fit_verdict_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmFitVerdict, cclm_fit_verdict, CCLM, FIT_VERDICT, GObject)

CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_fit_verdict_get_vm(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_fit_verdict_get_cluster(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_fit_verdict_get_fits(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_fit_verdict_get_node(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_fit_verdict_get_cpu_request(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_fit_verdict_get_memory_request(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_fit_verdict_get_memory_overhead(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
GPtrArray *
cclm_fit_verdict_get_reasons(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
GPtrArray *
cclm_fit_verdict_get_warnings(CclmFitVerdict *self);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_fit_verdict_to_json(CclmFitVerdict *self);

G_END_DECLS
