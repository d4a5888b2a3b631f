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
#include "cclm-inventory.h"
#include "cclm-version-macros.h"

G_BEGIN_DECLS

CCLM_AVAILABLE_IN_0_1
void
cclm_cluster_load_inventory_async(CclmCluster *self,
				  gboolean watch,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
CCLM_AVAILABLE_IN_0_1
CclmInventory *
cclm_cluster_load_inventory_finish(CclmCluster *self, GAsyncResult *result, GError **error);

G_END_DECLS
