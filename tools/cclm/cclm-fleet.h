/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <cclm.h>

/* One cluster of the fleet after a load: its inventory, or why there is none. */
typedef struct {
	gchar *context;
	CclmInventory *inventory; /* NULL when @error is set */
	GError *error;
} CclmFleetMember;

/* Loads the inventories of @contexts (NULL: every context of @kubeconfig) concurrently, with a
 * progress bar when @progress; a cluster that cannot be loaded carries its error. Returns the
 * members in @contexts' order (element type CclmFleetMember). */
GPtrArray *
cclm_fleet_load(CclmKubeconfig *kubeconfig, const gchar *const *contexts, gboolean progress);
/* The member of @context, or NULL. */
CclmFleetMember *
cclm_fleet_find(GPtrArray *fleet, const gchar *context);
/* {"domain": ..., "code": "<CclmError nick>", "message": ...} */
JsonNode *
cclm_fleet_error_to_json(const GError *error);
/* Checks that @context names a context of @kubeconfig (option @option names it in the error). */
gboolean
cclm_fleet_check_context(CclmKubeconfig *kubeconfig,
			 const gchar *option,
			 const gchar *context,
			 GError **error);
