/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

/* A one-line progress bar on stderr, drawn only when stderr is a terminal. */
typedef struct _CclmProgress CclmProgress;

CclmProgress *
cclm_progress_new(gboolean enabled, const gchar *label, guint total);
void
cclm_progress_update(CclmProgress *self, guint done, const gchar *detail);
void
cclm_progress_free(CclmProgress *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CclmProgress, cclm_progress_free)
