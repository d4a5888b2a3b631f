/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "cclm-candidate.h"

G_BEGIN_DECLS

CclmCandidate *
cclm_candidate_new_unreachable(const gchar *cluster, const GError *error);

G_END_DECLS
