/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "cclm-fit-verdict.h"
#include "cclm-inventory.h"
#include "cclm-version-macros.h"

G_BEGIN_DECLS

/**
 * CCLM_CAPACITY_SCHEMA:
 *
 * The `schema` of the `cclm capacity -o json` document, whose `clusters` members are
 * [method@Capacity.to_json] objects.
 *
 * Since: 0.1
 */
#define CCLM_CAPACITY_SCHEMA "cclm.capacity/v1"

#define CCLM_TYPE_CAPACITY (cclm_capacity_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmCapacity, cclm_capacity, CCLM, CAPACITY, GObject)

CCLM_AVAILABLE_IN_0_1
CclmCapacity *
cclm_capacity_new(CclmInventory *inventory);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_capacity_get_cluster_name(CclmCapacity *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_capacity_get_free_cpu(CclmCapacity *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_capacity_get_free_memory(CclmCapacity *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_capacity_get_node_free(CclmCapacity *self, const gchar *node, const gchar *resource);
CCLM_AVAILABLE_IN_0_1
CclmFitVerdict *
cclm_capacity_fit(CclmCapacity *self,
		  CclmInventory *source,
		  const gchar *vm,
		  const gchar *const *storage_map,
		  GError **error);
CCLM_AVAILABLE_IN_0_1
GPtrArray *
cclm_capacity_suggest(CclmInventory *source,
		      CclmInventory **targets,
		      guint n_targets,
		      const gchar *const *vms,
		      const gchar *const *storage_map,
		      GError **error);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_capacity_to_json(CclmCapacity *self);

G_END_DECLS
