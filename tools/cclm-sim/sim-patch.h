/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Patches (JSON merge, JSON patch, strategic merge) and server-side apply field ownership.
 */
#pragma once

#include "sim-store.h"

G_BEGIN_DECLS

/* RFC 7386, in place. */
void
sim_merge_patch(JsonObject *target, JsonObject *patch);
/* RFC 6902 on a copy of `target`; returns the result or NULL with SIM_ERROR_INVALID/BAD_REQUEST. */
JsonObject *
sim_json_patch(JsonObject *target, JsonArray *ops, GError **error);
/* Strategic merge patch for built-in kinds, in place: merge keys of the core types, $patch,
 * $retainKeys, $deleteFromPrimitiveList, $setElementOrder. */
gboolean
sim_strategic_patch(JsonObject *target, JsonObject *patch, GError **error);

/* Server-side apply of `applied` by `manager` onto `current` (NULL: create). On success returns
 * the new object with metadata.managedFields updated; on a conflict with another manager's
 * fields (and !force) returns NULL with SIM_ERROR_CONFLICT, whose causes are in `*conflicts`
 * (JsonArray of {reason,message,field}). */
JsonObject *
sim_apply(JsonObject *current,
	  JsonObject *applied,
	  const char *manager,
	  gboolean force,
	  gboolean builtin,
	  const char *subresource,
	  JsonArray **conflicts,
	  GError **error);
/* Records an Update by `manager` in new_obj's managedFields: it takes the fields that differ
 * from old_obj (all of them on create); other managers lose them. */
void
sim_managed_fields_update(JsonObject *old_obj,
			  JsonObject *new_obj,
			  const char *manager,
			  gboolean builtin,
			  const char *subresource);

G_END_DECLS
