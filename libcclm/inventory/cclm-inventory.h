/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <gio/gio.h>

#include "cclm-version-macros.h"

G_BEGIN_DECLS

#define CCLM_TYPE_INVENTORY (cclm_inventory_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmInventory, cclm_inventory, CCLM, INVENTORY, GObject)

CCLM_AVAILABLE_IN_0_1
CclmInventory *
cclm_inventory_new(const gchar *cluster_name);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_inventory_get_cluster_name(CclmInventory *self);
CCLM_AVAILABLE_IN_0_1
guint
cclm_inventory_get_n_nodes(CclmInventory *self);
CCLM_AVAILABLE_IN_0_1
guint
cclm_inventory_get_n_pods(CclmInventory *self);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_inventory_load(CclmInventory *self,
		    const gchar *kind,
		    GInputStream *stream,
		    GCancellable *cancellable,
		    GError **error);

G_END_DECLS
