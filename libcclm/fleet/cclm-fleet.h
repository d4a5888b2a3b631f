/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cclm-inventory.h"
#include "cclm-kubeconfig.h"
#include "cclm-version-macros.h"

G_BEGIN_DECLS

#define CCLM_TYPE_FLEET (cclm_fleet_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmFleet, cclm_fleet, CCLM, FLEET, GObject)

CCLM_AVAILABLE_IN_0_1
CclmFleet *
cclm_fleet_new(CclmKubeconfig *kubeconfig);
CCLM_AVAILABLE_IN_0_1
CclmKubeconfig *
cclm_fleet_get_kubeconfig(CclmFleet *self);

CCLM_AVAILABLE_IN_0_1
void
cclm_fleet_load_async(CclmFleet *self,
		      const gchar *const *contexts,
		      gboolean watch,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_fleet_load_finish(CclmFleet *self, GAsyncResult *result, GError **error);

CCLM_AVAILABLE_IN_0_1
gboolean
cclm_fleet_load_sync(CclmFleet *self,
		     const gchar *const *contexts,
		     GCancellable *cancellable,
		     GError **error);

CCLM_AVAILABLE_IN_0_1
GStrv
cclm_fleet_get_contexts(CclmFleet *self);
CCLM_AVAILABLE_IN_0_1
CclmInventory *
cclm_fleet_get_inventory(CclmFleet *self, const gchar *context);
CCLM_AVAILABLE_IN_0_1
const GError *
cclm_fleet_get_error(CclmFleet *self, const gchar *context);

CCLM_AVAILABLE_IN_0_1
void
cclm_fleet_fit_async(CclmFleet *self,
		     const gchar *source_context,
		     const gchar *const *vms,
		     const gchar *target_context,
		     const gchar *const *storage_map,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data);
CCLM_AVAILABLE_IN_0_1
GPtrArray *
cclm_fleet_fit_finish(CclmFleet *self, GAsyncResult *result, GError **error);
CCLM_AVAILABLE_IN_0_1
GPtrArray *
cclm_fleet_fit_sync(CclmFleet *self,
		    const gchar *source_context,
		    const gchar *const *vms,
		    const gchar *target_context,
		    const gchar *const *storage_map,
		    GCancellable *cancellable,
		    GError **error);

CCLM_AVAILABLE_IN_0_1
void
cclm_fleet_suggest_async(CclmFleet *self,
			 const gchar *source_context,
			 const gchar *const *vms,
			 const gchar *const *storage_map,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
CCLM_AVAILABLE_IN_0_1
GPtrArray *
cclm_fleet_suggest_finish(CclmFleet *self, GAsyncResult *result, GError **error);
CCLM_AVAILABLE_IN_0_1
GPtrArray *
cclm_fleet_suggest_sync(CclmFleet *self,
			const gchar *source_context,
			const gchar *const *vms,
			const gchar *const *storage_map,
			GCancellable *cancellable,
			GError **error);

CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_fleet_capacity_to_json(CclmFleet *self);

G_END_DECLS
