/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-stuntime-probe.h"

static void
cclm_stuntime_probe_sync_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(result);
}

/**
 * cclm_stuntime_probe_run_sync:
 * @self: a #CclmStuntimeProbe
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the probe and waits for its report, the blocking twin of
 * [method@StuntimeProbe.run_async] for callers without a main loop. The signals are emitted
 * in the calling thread while it waits; [method@StuntimeProbe.stop] may be called from one
 * of their handlers or from another thread.
 *
 * Returns: (transfer full): the report, or %NULL with @error set, as
 *   [method@StuntimeProbe.run_finish]
 *
 * Since: 0.1
 */
CclmStuntimeReport *
cclm_stuntime_probe_run_sync(CclmStuntimeProbe *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GAsyncResult) result = NULL;

	g_return_val_if_fail(CCLM_IS_STUNTIME_PROBE(self), NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* a context of its own: the caller's sources must not run while it blocks */
	g_main_context_push_thread_default(context);
	cclm_stuntime_probe_run_async(self, cancellable, cclm_stuntime_probe_sync_cb, &result);
	while (result == NULL)
		g_main_context_iteration(context, TRUE);
	g_main_context_pop_thread_default(context);
	return cclm_stuntime_probe_run_finish(self, result, error);
}
