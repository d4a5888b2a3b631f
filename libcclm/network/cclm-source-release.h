/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <gio/gio.h>

#include "cclm-cluster.h"
#include "cclm-version-macros.h"

G_BEGIN_DECLS

CCLM_AVAILABLE_IN_0_1
void
cclm_source_release_async(CclmCluster *source,
			  const gchar *source_namespace,
			  const gchar *source_vmi,
			  CclmCluster *target,
			  const gchar *target_namespace,
			  const gchar *target_vmi,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
CCLM_AVAILABLE_IN_0_1
gchar **
cclm_source_release_finish(GAsyncResult *result, GError **error);

G_END_DECLS
