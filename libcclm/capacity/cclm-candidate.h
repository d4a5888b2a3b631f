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
 * CCLM_SUGGEST_SCHEMA:
 *
 * The `schema` of the `cclm suggest -o json` document, whose `candidates` are
 * [method@Candidate.to_json] objects.
 *
 * Since: 0.1
 */
#define CCLM_SUGGEST_SCHEMA "cclm.suggest/v1"

#define CCLM_TYPE_CANDIDATE (cclm_candidate_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmCandidate, cclm_candidate, CCLM, CANDIDATE, GObject)

CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_candidate_get_cluster(CclmCandidate *self);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_candidate_get_fits(CclmCandidate *self);
CCLM_AVAILABLE_IN_0_1
gint
cclm_candidate_get_score(CclmCandidate *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_candidate_get_explanation(CclmCandidate *self);
CCLM_AVAILABLE_IN_0_1
GPtrArray *
cclm_candidate_get_verdicts(CclmCandidate *self);
CCLM_AVAILABLE_IN_0_1
const GError *
cclm_candidate_get_error(CclmCandidate *self);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_candidate_to_json(CclmCandidate *self);

G_END_DECLS
