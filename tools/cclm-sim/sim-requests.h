/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "sim-json-util.h"

G_BEGIN_DECLS

/*
 * A resource list as the scheduler counts it: name -> gint64, CPU in millicores, everything else
 * (memory, ephemeral-storage, hugepages-*, pods, extended resources) in whole units (bytes),
 * rounded up as Quantity.MilliValue()/Value() do.
 */
typedef GHashTable SimResources;

SimResources *
sim_resources_new(void);
SimResources *
sim_resources_copy(SimResources *r);
gint64
sim_resources_get(SimResources *r, const gchar *name);
void
sim_resources_set(SimResources *r, const gchar *name, gint64 value);
void
sim_resources_add(SimResources *r, const gchar *name, gint64 value);
void
sim_resources_add_all(SimResources *into, SimResources *r, gint sign);
gboolean
sim_resources_parse(JsonObject *list, SimResources *into, const gchar *where, GError **error);
gchar *
sim_resources_format(const gchar *name, gint64 value);
gboolean
sim_resources_is_binary(const gchar *name);

SimResources *
sim_pod_requests(JsonObject *pod, GError **error);
SimResources *
sim_pod_limits(JsonObject *pod, GError **error);
gboolean
sim_pod_is_terminal(JsonObject *pod);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimResources, g_hash_table_unref)

G_END_DECLS
