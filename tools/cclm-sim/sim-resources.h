/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Server-side printing (meta.k8s.io Table) of the served kinds.
 */
#pragma once

#include "sim-store-private.h"

G_BEGIN_DECLS

/* Table.columnDefinitions of a resource (new array) */
JsonArray *
sim_table_column_definitions(const SimResource *res);
/* One row's cells; `now` in seconds since the epoch renders ages */
JsonArray *
sim_table_cells(const SimResource *res, SimObject *obj, gint64 now);
/* kubectl's duration.HumanDuration */
char *
sim_human_duration(gint64 seconds);
/* The value at "status.conditions[Ready].status", "spec.ports[0].port", ...: [Type] picks the
 * element of a list whose `type` is Type, [N] the N-th. NULL if absent. */
JsonNode *
sim_json_path(JsonObject *obj, const char *path);

G_END_DECLS
