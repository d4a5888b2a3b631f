/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-fleet-private.h"

/* The blocking twins run the async call in a main context of their own, so that the caller's
 * sources do not run while it blocks. */

static void
cclm_fleet_sync_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(result);
}

static GMainContext *
cclm_fleet_sync_begin(void)
{
	GMainContext *context = g_main_context_new();

	g_main_context_push_thread_default(context);
	return context;
}

/* Waits for @result, and for the member loads a cancellation stopped: they finish in @context,
 * which nobody iterates afterwards. */
static void
cclm_fleet_sync_end(CclmFleet *self, GMainContext *context, GAsyncResult **result)
{
	while (*result == NULL || cclm_fleet_is_loading(self))
		g_main_context_iteration(context, TRUE);
	g_main_context_pop_thread_default(context);
	g_main_context_unref(context);
}

/**
 * cclm_fleet_load_sync:
 * @self: a #CclmFleet
 * @contexts: (nullable) (array zero-terminated=1): the contexts to load, or %NULL for every
 *   context of the kubeconfig
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads the members, the blocking twin of [method@Fleet.load_async] (without watches: a
 * watch needs a main loop) for callers without a main loop. [signal@Fleet::member-loaded] is
 * emitted in the calling thread while it waits. It must not overlap an asynchronous load of the
 * same fleet.
 *
 * Returns: as [method@Fleet.load_finish]
 *
 * Since: 0.1
 */
gboolean
cclm_fleet_load_sync(CclmFleet *self,
		     const gchar *const *contexts,
		     GCancellable *cancellable,
		     GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;
	GMainContext *context;

	g_return_val_if_fail(CCLM_IS_FLEET(self), FALSE);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	context = cclm_fleet_sync_begin();
	cclm_fleet_load_async(self, contexts, FALSE, cancellable, cclm_fleet_sync_cb, &result);
	cclm_fleet_sync_end(self, context, &result);
	return cclm_fleet_load_finish(self, result, error);
}

/**
 * cclm_fleet_fit_sync:
 * @self: a #CclmFleet
 * @source_context: the context of the cluster the VMs are on
 * @vms: (array zero-terminated=1): the VMs as `namespace/name`, judged together as a batch
 * @target_context: the context of the cluster to judge
 * @storage_map: (nullable) (array zero-terminated=1): `SOURCECLASS=TARGETCLASS` entries
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking twin of [method@Fleet.fit_async], as [method@Fleet.load_sync] is of the load.
 *
 * Returns: (transfer container) (element-type CclmFitVerdict): as
 *   [method@Fleet.fit_finish]
 *
 * Since: 0.1
 */
GPtrArray *
cclm_fleet_fit_sync(CclmFleet *self,
		    const gchar *source_context,
		    const gchar *const *vms,
		    const gchar *target_context,
		    const gchar *const *storage_map,
		    GCancellable *cancellable,
		    GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;
	GMainContext *context;

	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);
	g_return_val_if_fail(source_context != NULL && vms != NULL && target_context != NULL, NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	context = cclm_fleet_sync_begin();
	cclm_fleet_fit_async(self, source_context, vms, target_context, storage_map, cancellable,
			     cclm_fleet_sync_cb, &result);
	cclm_fleet_sync_end(self, context, &result);
	return cclm_fleet_fit_finish(self, result, error);
}

/**
 * cclm_fleet_suggest_sync:
 * @self: a #CclmFleet
 * @source_context: the context of the cluster the VMs are on
 * @vms: (array zero-terminated=1): the VMs as `namespace/name`, judged together as a batch
 * @storage_map: (nullable) (array zero-terminated=1): `SOURCECLASS=TARGETCLASS` entries
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking twin of [method@Fleet.suggest_async], as [method@Fleet.load_sync] is of the
 * load.
 *
 * Returns: (transfer container) (element-type CclmCandidate): as
 *   [method@Fleet.suggest_finish]
 *
 * Since: 0.1
 */
GPtrArray *
cclm_fleet_suggest_sync(CclmFleet *self,
			const gchar *source_context,
			const gchar *const *vms,
			const gchar *const *storage_map,
			GCancellable *cancellable,
			GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;
	GMainContext *context;

	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);
	g_return_val_if_fail(source_context != NULL && vms != NULL, NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	context = cclm_fleet_sync_begin();
	cclm_fleet_suggest_async(self, source_context, vms, storage_map, cancellable,
				 cclm_fleet_sync_cb, &result);
	cclm_fleet_sync_end(self, context, &result);
	return cclm_fleet_suggest_finish(self, result, error);
}
