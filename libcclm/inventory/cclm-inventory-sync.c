/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cluster-private.h"
#include "cclm-error.h"
#include "cclm-inventory-private.h"
#include "cclm-rest-client-private.h"

/* Filling an inventory from a cluster: each kind is LISTed page by page, every page body read
 * as a stream by the yajl parser (big lists never become documents), then WATCHed from the
 * list's resourceVersion; CclmWatch resumes dropped streams and relists on 410 by itself, and
 * its events go to cclm_inventory_apply()/_remove(). */

#define READ_SIZE (64 * 1024)

typedef struct {
	GTask *task; /* returns when every kind is listed */
	guint pending;
} CclmSync;

typedef struct {
	CclmSync *sync;
	CclmInventory *self;
	CclmRestClient *rest;
	CclmInventoryKind kind;
	guint page_size;
	gboolean restarted; /* a continue token expired once already */
	gchar *continue_token;
	GInputStream *body;
	CclmJsonStream *parser;
} CclmKindSync;

static void cclm_kind_sync_page(CclmKindSync *ks);

static void
cclm_kind_sync_free(CclmKindSync *ks)
{
	g_clear_pointer(&ks->parser, cclm_json_stream_free);
	g_clear_object(&ks->body);
	g_clear_object(&ks->rest);
	g_clear_object(&ks->self);
	g_free(ks->continue_token);
	g_free(ks);
}

/* One kind is done (listed, absent, or failed with @error): the first error fails the sync */
static void
cclm_kind_sync_done(CclmKindSync *ks, GError *error)
{
	CclmSync *sync = ks->sync;

	if (error != NULL && !g_task_had_error(sync->task) && sync->pending > 0) {
		g_prefix_error(&error, "%s: ", cclm_inventory_kind_get_list_path(ks->kind));
		g_task_return_error(sync->task, g_steal_pointer(&error));
	}
	g_clear_error(&error);
	cclm_kind_sync_free(ks);
	if (--sync->pending == 0) {
		if (!g_task_had_error(sync->task))
			g_task_return_boolean(sync->task, TRUE);
		g_object_unref(sync->task);
		g_free(sync);
	}
}

static void
cclm_inventory_watch_event_cb(CclmWatch *watch, CclmWatchEventType type, JsonObject *object, gpointer data)
{
	CclmInventory *self = data;
	CclmInventoryKind kind = GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(watch), "cclm-kind"));
	g_autoptr(GError) error = NULL;

	if (type == CCLM_WATCH_EVENT_DELETED)
		cclm_inventory_remove(self, kind, object);
	else if (!cclm_inventory_apply(self, kind, object, &error))
		cclm_inventory_set_sync_error(self, error);
}

static void
cclm_inventory_watch_failed_cb(CclmWatch *watch, const GError *error, gpointer data)
{
	cclm_inventory_set_sync_error(data, error);
}

static void
cclm_kind_sync_listed(CclmKindSync *ks, const gchar *resource_version)
{
	const gchar *path = cclm_inventory_kind_get_list_path(ks->kind);
	g_autoptr(CclmWatch) watch = cclm_rest_client_watch(ks->rest, path, resource_version);

	cclm_inventory_end_relist(ks->self, ks->kind);
	g_object_set_data(G_OBJECT(watch), "cclm-kind", GUINT_TO_POINTER(ks->kind));
	g_signal_connect_object(watch, "event", G_CALLBACK(cclm_inventory_watch_event_cb), ks->self, 0);
	g_signal_connect_object(watch, "failed", G_CALLBACK(cclm_inventory_watch_failed_cb), ks->self, 0);
	cclm_watch_start(watch);
	cclm_inventory_add_watch(ks->self, watch);
	cclm_kind_sync_done(ks, NULL);
}

static void
cclm_kind_sync_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CclmKindSync *ks = user_data;
	g_autoptr(GBytes) bytes = NULL;
	GError *error = NULL;
	g_autofree gchar *rv = NULL;
	const gchar *cont;

	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (bytes == NULL) {
		cclm_inventory_list_parser_done(ks->self, ks->kind);
		cclm_kind_sync_done(ks, error);
		return;
	}
	if (g_bytes_get_size(bytes) > 0) {
		if (!cclm_json_stream_feed(ks->parser, g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
					   &error)) {
			cclm_inventory_list_parser_done(ks->self, ks->kind);
			cclm_kind_sync_done(ks, error);
			return;
		}
		g_input_stream_read_bytes_async(ks->body, READ_SIZE, G_PRIORITY_DEFAULT,
						g_task_get_cancellable(ks->sync->task), cclm_kind_sync_read_cb, ks);
		return;
	}
	/* end of this page */
	if (!cclm_json_stream_finish(ks->parser, &error)) {
		cclm_inventory_list_parser_done(ks->self, ks->kind);
		cclm_kind_sync_done(ks, error);
		return;
	}
	cclm_inventory_list_parser_done(ks->self, ks->kind);
	rv = g_strdup(cclm_json_stream_get_resource_version(ks->parser));
	cont = cclm_json_stream_get_continue(ks->parser);
	g_free(ks->continue_token);
	ks->continue_token = cont != NULL && *cont != '\0' ? g_strdup(cont) : NULL;
	g_clear_pointer(&ks->parser, cclm_json_stream_free);
	g_clear_object(&ks->body);
	if (ks->continue_token != NULL)
		cclm_kind_sync_page(ks);
	else
		cclm_kind_sync_listed(ks, rv);
}

static void
cclm_kind_sync_send_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CclmKindSync *ks = user_data;
	GError *error = NULL;

	ks->body = cclm_rest_client_send_finish(CCLM_REST_CLIENT(source), res, &error);
	if (ks->body == NULL) {
		if (g_error_matches(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND) && ks->continue_token == NULL) {
			/* the API is not served (no KubeVirt, no Multus, ...): nothing of that kind */
			g_clear_error(&error);
			cclm_inventory_end_relist(ks->self, ks->kind);
			cclm_kind_sync_done(ks, NULL);
			return;
		}
		if (g_error_matches(error, CCLM_ERROR, CCLM_ERROR_EXPIRED) && ks->continue_token != NULL &&
		    !ks->restarted) {
			/* the continue token expired: list again from the start, once (client-go pager) */
			g_clear_error(&error);
			ks->restarted = TRUE;
			g_clear_pointer(&ks->continue_token, g_free);
			cclm_inventory_begin_relist(ks->self, ks->kind);
			cclm_kind_sync_page(ks);
			return;
		}
		cclm_kind_sync_done(ks, error);
		return;
	}
	ks->parser = cclm_inventory_list_parser_new(ks->self, ks->kind);
	g_input_stream_read_bytes_async(ks->body, READ_SIZE, G_PRIORITY_DEFAULT,
					g_task_get_cancellable(ks->sync->task), cclm_kind_sync_read_cb, ks);
}

static void
cclm_kind_sync_page(CclmKindSync *ks)
{
	g_autoptr(GString) path = g_string_new(cclm_inventory_kind_get_list_path(ks->kind));

	g_string_append_printf(path, "?limit=%u", ks->page_size);
	if (ks->continue_token != NULL) {
		g_autofree gchar *escaped = g_uri_escape_string(ks->continue_token, NULL, FALSE);

		g_string_append_printf(path, "&continue=%s", escaped);
	}
	cclm_rest_client_send_async(ks->rest, "GET", path->str, g_task_get_cancellable(ks->sync->task),
				    cclm_kind_sync_send_cb, ks);
}

/*
 * cclm_inventory_sync_async:
 * Fills @self from the cluster behind @rest: LISTs each of @kinds (all kinds when @n_kinds is 0)
 * in pages of @page_size through the streaming parser, then keeps them current with watches
 * that live as long as @self. Completes when every kind is listed; a kind whose API the cluster
 * does not serve (404) is left empty. Watch failures after that are kept for
 * cclm_inventory_get_sync_error().
 */
void
cclm_inventory_sync_rest_async(CclmInventory *self,
			  CclmRestClient *rest,
			  const CclmInventoryKind *kinds,
			  guint n_kinds,
			  guint page_size,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	CclmSync *sync;

	g_return_if_fail(CCLM_IS_INVENTORY(self));
	g_return_if_fail(CCLM_IS_REST_CLIENT(rest));

	sync = g_new0(CclmSync, 1);
	sync->task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(sync->task, cclm_inventory_sync_rest_async);
	if (n_kinds == 0)
		n_kinds = CCLM_INVENTORY_N_KINDS;
	/* one extra hold, released below, so that no kind finishes the task while others start */
	sync->pending = n_kinds + 1;
	for (guint i = 0; i < n_kinds; i++) {
		CclmKindSync *ks = g_new0(CclmKindSync, 1);

		ks->sync = sync;
		ks->self = g_object_ref(self);
		ks->rest = g_object_ref(rest);
		ks->kind = kinds != NULL ? kinds[i] : i;
		ks->page_size = page_size > 0 ? page_size : 500;
		cclm_inventory_begin_relist(self, ks->kind);
		cclm_kind_sync_page(ks);
	}
	if (--sync->pending == 0) {
		g_task_return_boolean(sync->task, TRUE);
		g_object_unref(sync->task);
		g_free(sync);
	}
}

/**
 * cclm_inventory_sync_async:
 * @self: a #CclmInventory
 * @cluster: the #CclmCluster to read
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when every kind is listed
 * @user_data: (closure): data for @callback
 *
 * Fills the inventory from @cluster and keeps it current: every kind capacity reads is listed
 * page by page through a streaming parser (big lists never become documents), then watched;
 * the watches live as long as @self and emit [signal@Inventory::changed] as the cluster
 * changes. A kind whose API the cluster does not serve (no KubeVirt, no Multus) stays empty.
 * See [method@Inventory.sync_finish].
 *
 * Since: 0.1
 */
void
cclm_inventory_sync_async(CclmInventory *self,
			  CclmCluster *cluster,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_return_if_fail(CCLM_IS_INVENTORY(self));
	g_return_if_fail(CCLM_IS_CLUSTER(cluster));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	cclm_inventory_sync_rest_async(self, cclm_cluster_get_rest_client(cluster), NULL, 0, 500,
				       cancellable, callback, user_data);
}

/**
 * cclm_inventory_sync_finish:
 * @self: a #CclmInventory
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when every kind was listed; %FALSE with @error set (the first failing list,
 *   its path in the message)
 *
 * Since: 0.1
 */
gboolean
cclm_inventory_sync_finish(CclmInventory *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(CCLM_IS_INVENTORY(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
