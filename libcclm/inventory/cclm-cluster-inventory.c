/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cluster-inventory.h"
#include "cclm-cluster-private.h"
#include "cclm-error-private.h"
#include "cclm-inventory-private.h"
#include "cclm-watch-private.h"

/* Pages are streamed through yajl, so their size costs no memory: large pages only save
 * round trips (and tokens of the client's rate limit). */
#define CCLM_SYNC_PAGE_SIZE 10000
#define CCLM_SYNC_READ_SIZE (64 * 1024)
/* One inventory is a reflector per kind: a list and a watch each, all at once. client-go's
 * default budget (5/s, burst 10) would spread them over seconds; kubectl runs at 50/s. */
#define CCLM_SYNC_QPS 50.0
#define CCLM_SYNC_BURST (4 * CCLM_INVENTORY_N_KINDS)
/* One-shot loads: chunks handed to the parsing thread before reading pauses (4 MiB) */
#define CCLM_SYNC_MAX_QUEUED 64

typedef struct _CclmSync CclmSync;

/* One kind: a paged, streamed LIST, then a CclmWatch from the list's resourceVersion. */
typedef struct {
	CclmSync *sync; /* borrowed: the sync outlives its kinds' operations (they hold refs) */
	CclmInventoryKind kind;
	CclmJsonStream *parser;
	GInputStream *stream;
	gchar *continue_token;
	gboolean restarted;
	gboolean listing;
	CclmWatch *watch;
	/* one-shot loads */
	gint failed;	    /* atomic: the parsing thread met an error; stop reading */
	gboolean paused;    /* under queue_lock: reading waits for the parsing thread */
	GError *page_error; /* the page's first failure, read once the page is parsed */
	gchar *page_resource_version;
} CclmSyncKind;

/* The loading and watching state of one inventory, kept on it as object data: the inventory
 * stays watched as long as it lives, or until the load's cancellable is cancelled. Reference
 * counted because pending reads and requests outlive the inventory's finalization. */
struct _CclmSync {
	gint ref_count;
	CclmInventory *inventory; /* borrowed; NULL once the inventory is gone */
	CclmRestClient *rest;
	gchar *name;
	gboolean watch;
	GCancellable *cancellable; /* ours: cancelled by the caller's or by finalization */
	GCancellable *caller_cancellable;
	gulong caller_cancel_id;
	GTask *task; /* while loading */
	guint pending;
	GError *error; /* the first failure of the load */
	guint8 *buf;   /* one read buffer per kind, in a block */
	/* One-shot loads (no watch) parse on a thread of their own, so that the clusters of a
	 * fleet parse on every core while this thread only moves bytes. Every use of the
	 * inventory holds inventory_lock: the parsing thread's, and this thread's between pages
	 * (relists, ::changed). A watched inventory is parsed here, where its events land too. */
	GMainContext *context;	/* the loading thread's */
	GThreadPool *parse_pool; /* one thread, so chunks are parsed in order; NULL when watching */
	GMutex inventory_lock;
	GMutex queue_lock; /* guards queued, n_paused, resume_scheduled and the kinds' paused */
	guint queued;
	guint n_paused;
	gboolean resume_scheduled;
	CclmSyncKind kinds[CCLM_INVENTORY_N_KINDS];
};

/* Work for the parsing thread: a chunk of a page's body, or (no @bytes) the page's end, with
 * the transfer's @error if it failed. */
typedef struct {
	CclmSyncKind *k;
	GBytes *bytes;
	GError *error;
} CclmSyncJob;

static void
cclm_sync_list_page(CclmSyncKind *k);

static CclmSync *
cclm_sync_ref(CclmSync *sync)
{
	g_atomic_int_inc(&sync->ref_count);
	return sync;
}

static void
cclm_sync_stop_watch(CclmSyncKind *k)
{
	if (k->watch == NULL)
		return;
	g_signal_handlers_disconnect_by_data(k->watch, k);
	cclm_watch_stop(k->watch);
	g_clear_object(&k->watch);
}

static void
cclm_sync_unref(CclmSync *sync)
{
	if (!g_atomic_int_dec_and_test(&sync->ref_count))
		return;
	/* every page handed over was parsed before its kind let go of the sync */
	if (sync->parse_pool != NULL)
		g_thread_pool_free(sync->parse_pool, FALSE, TRUE);
	for (guint i = 0; i < CCLM_INVENTORY_N_KINDS; i++) {
		CclmSyncKind *k = &sync->kinds[i];

		cclm_sync_stop_watch(k);
		g_clear_pointer(&k->parser, cclm_json_stream_free);
		g_clear_object(&k->stream);
		g_free(k->continue_token);
		g_clear_error(&k->page_error);
		g_free(k->page_resource_version);
	}
	g_mutex_clear(&sync->inventory_lock);
	g_mutex_clear(&sync->queue_lock);
	g_main_context_unref(sync->context);
	g_cancellable_disconnect(sync->caller_cancellable, sync->caller_cancel_id);
	g_clear_object(&sync->caller_cancellable);
	g_clear_object(&sync->cancellable);
	g_clear_object(&sync->rest);
	g_clear_error(&sync->error);
	g_free(sync->buf);
	g_free(sync->name);
	g_free(sync);
}

/* The inventory went away (or the caller cancelled): stop every request and watch. */
static void
cclm_sync_shutdown(CclmSync *sync)
{
	g_cancellable_cancel(sync->cancellable);
	for (guint i = 0; i < CCLM_INVENTORY_N_KINDS; i++)
		cclm_sync_stop_watch(&sync->kinds[i]);
}

static void
cclm_sync_inventory_gone(gpointer data)
{
	CclmSync *sync = data;

	sync->inventory = NULL;
	cclm_sync_shutdown(sync);
	cclm_sync_unref(sync);
}

/* Runs in the thread that cancels, which must be the one that loaded (the watches' owner). */
static void
cclm_sync_caller_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	cclm_sync_shutdown(user_data);
}

static void
cclm_sync_kind_done(CclmSync *sync, GError *error)
{
	g_autoptr(GTask) task = NULL;

	if (error != NULL && sync->error == NULL)
		sync->error = error;
	else if (error != NULL)
		g_error_free(error);
	/* the first failure cancels the rest of the load */
	if (error != NULL)
		g_cancellable_cancel(sync->cancellable);
	if (--sync->pending > 0 || sync->task == NULL)
		return;
	task = g_steal_pointer(&sync->task);
	if (!sync->watch)
		g_clear_pointer(&sync->buf, g_free);
	if (sync->error != NULL) {
		cclm_sync_shutdown(sync);
		g_task_return_error(task, g_steal_pointer(&sync->error));
		return;
	}
	g_task_return_pointer(task, g_object_ref(sync->inventory), g_object_unref);
}

/* ---- watching ------------------------------------------------------------------------------- */

static void
cclm_sync_relist(CclmSyncKind *k);

static void
cclm_sync_watch_event_cb(CclmWatch *watch,
			 CclmWatchEventType type,
			 JsonObject *object,
			 gpointer user_data)
{
	CclmSyncKind *k = user_data;
	g_autoptr(GError) error = NULL;

	if (k->sync->inventory == NULL)
		return;
	if (type == CCLM_WATCH_EVENT_DELETED) {
		cclm_inventory_remove(k->sync->inventory, k->kind, object);
		return;
	}
	if (!cclm_inventory_apply(k->sync->inventory, k->kind, object, &error))
		g_warning("cluster \"%s\": %s: %s", k->sync->name,
			  cclm_inventory_kind_get_name(k->kind), error->message);
}

/* The watch emits ::synced only after it relisted by itself, on a 410 Gone: its differences
 * are computed against the objects it saw, not against our streamed list, so deletions during
 * the gap may be missing. Relist ourselves (streamed) and watch again from there. */
static void
cclm_sync_watch_synced_cb(CclmWatch *watch, gpointer user_data)
{
	CclmSyncKind *k = user_data;

	g_debug("cluster \"%s\": %s: watch expired; relisting", k->sync->name,
		cclm_inventory_kind_get_name(k->kind));
	cclm_sync_relist(k);
}

static void
cclm_sync_watch_failed_cb(CclmWatch *watch, const GError *error, gpointer user_data)
{
	CclmSyncKind *k = user_data;

	/* not fatal: the inventory keeps what it has; the caller sees it stop changing */
	g_warning("cluster \"%s\": %s: the watch stopped: %s", k->sync->name,
		  cclm_inventory_kind_get_name(k->kind), error->message);
	cclm_sync_stop_watch(k);
}

static void
cclm_sync_start_watch(CclmSyncKind *k, const gchar *resource_version)
{
	g_debug("cluster \"%s\": watching %s from %s", k->sync->name,
		cclm_inventory_kind_get_list_path(k->kind), resource_version);
	k->watch = cclm_rest_client_watch(k->sync->rest, cclm_inventory_kind_get_list_path(k->kind),
					  resource_version != NULL ? resource_version : "0");
	g_signal_connect(k->watch, "event", G_CALLBACK(cclm_sync_watch_event_cb), k);
	g_signal_connect(k->watch, "synced", G_CALLBACK(cclm_sync_watch_synced_cb), k);
	g_signal_connect(k->watch, "failed", G_CALLBACK(cclm_sync_watch_failed_cb), k);
	cclm_watch_start(k->watch);
}

/* ---- listing -------------------------------------------------------------------------------- */

/* Runs @func(@data) in the loading thread, from its main loop: never in the caller's thread,
 * even when that one could acquire the context (g_main_context_invoke() would). */
static void
cclm_sync_invoke(CclmSync *sync, GSourceFunc func, gpointer data)
{
	g_autoptr(GSource) source = g_idle_source_new();

	g_source_set_callback(source, func, data, NULL);
	g_source_attach(source, sync->context);
}

static void
cclm_sync_begin_relist(CclmSyncKind *k)
{
	g_mutex_lock(&k->sync->inventory_lock);
	cclm_inventory_begin_relist(k->sync->inventory, k->kind);
	g_mutex_unlock(&k->sync->inventory_lock);
}

/* Ends the list of one kind: with @error (owned) on failure. */
static void
cclm_sync_list_done(CclmSyncKind *k, const gchar *resource_version, GError *error)
{
	CclmSync *sync = k->sync;
	gboolean initial = sync->task != NULL;

	k->listing = FALSE;
	g_clear_pointer(&k->continue_token, g_free);
	if (error == NULL && sync->inventory != NULL) {
		g_mutex_lock(&sync->inventory_lock);
		cclm_inventory_end_relist(sync->inventory, k->kind);
		g_mutex_unlock(&sync->inventory_lock);
	}
	if (error == NULL && sync->watch && resource_version != NULL && sync->inventory != NULL &&
	    !g_cancellable_is_cancelled(sync->cancellable))
		cclm_sync_start_watch(k, resource_version);
	if (initial) {
		if (error != NULL)
			g_prefix_error(&error, "cluster \"%s\": ", sync->name);
		cclm_sync_kind_done(sync, error);
	} else if (error != NULL) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_warning("cluster \"%s\": %s: relist failed: %s", sync->name,
				  cclm_inventory_kind_get_name(k->kind), error->message);
		g_error_free(error);
	}
	cclm_sync_unref(sync);
}

/* The end of a page's body, parsed: records the List's resourceVersion and continue token, or
 * the first failure, in @k. In the parsing thread of a one-shot load. */
static void
cclm_sync_page_parsed(CclmSyncKind *k, GError *error)
{
	g_mutex_lock(&k->sync->inventory_lock);
	if (error == NULL && k->sync->inventory == NULL)
		g_set_error_literal(&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "inventory finalized");
	if (error == NULL && k->page_error == NULL &&
	    cclm_json_stream_finish(k->parser, &error)) {
		const gchar *cont = cclm_json_stream_get_continue(k->parser);

		k->page_resource_version = g_strdup(cclm_json_stream_get_resource_version(k->parser));
		g_free(k->continue_token);
		k->continue_token = cont != NULL && cont[0] != '\0' ? g_strdup(cont) : NULL;
	}
	g_mutex_unlock(&k->sync->inventory_lock);
	if (error != NULL && k->page_error == NULL)
		k->page_error = error;
	else if (error != NULL)
		g_error_free(error);
}

/* After cclm_sync_page_parsed(), in the loading thread: the next page, or the list's end. */
static gboolean
cclm_sync_page_next(gpointer user_data)
{
	CclmSyncKind *k = user_data;
	g_autofree gchar *rv = g_steal_pointer(&k->page_resource_version);
	GError *error = g_steal_pointer(&k->page_error);

	g_mutex_lock(&k->sync->inventory_lock);
	if (k->sync->inventory != NULL)
		cclm_inventory_list_parser_done(k->sync->inventory, k->kind);
	g_clear_pointer(&k->parser, cclm_json_stream_free);
	g_mutex_unlock(&k->sync->inventory_lock);
	if (error != NULL) {
		g_prefix_error(&error, "%s: ", cclm_inventory_kind_get_list_path(k->kind));
		cclm_sync_list_done(k, NULL, error);
	} else if (k->continue_token != NULL) {
		cclm_sync_list_page(k);
	} else {
		cclm_sync_list_done(k, rv, NULL);
	}
	return G_SOURCE_REMOVE;
}

/* The transfer of a page's body ended (@error owned: NULL at its end) */
static void
cclm_sync_page_end(CclmSyncKind *k, GError *error)
{
	g_clear_object(&k->stream);
	if (k->sync->parse_pool != NULL) {
		CclmSyncJob *job = g_new0(CclmSyncJob, 1);

		job->k = k;
		job->error = error;
		g_thread_pool_push(k->sync->parse_pool, job, NULL);
		return;
	}
	cclm_sync_page_parsed(k, error);
	cclm_sync_page_next(k);
}

static void
cclm_sync_read_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
cclm_sync_read(CclmSyncKind *k)
{
	g_input_stream_read_async(k->stream, k->sync->buf + (gsize)k->kind * CCLM_SYNC_READ_SIZE,
				  CCLM_SYNC_READ_SIZE, G_PRIORITY_DEFAULT, k->sync->cancellable,
				  cclm_sync_read_cb, k);
}

/* Resumes the reads that waited for the parsing thread to catch up. */
static gboolean
cclm_sync_resume_cb(gpointer user_data)
{
	CclmSync *sync = user_data;
	CclmSyncKind *resume[CCLM_INVENTORY_N_KINDS];
	guint n = 0;

	g_mutex_lock(&sync->queue_lock);
	sync->resume_scheduled = FALSE;
	for (guint i = 0; i < CCLM_INVENTORY_N_KINDS; i++) {
		if (sync->kinds[i].paused) {
			sync->kinds[i].paused = FALSE;
			resume[n++] = &sync->kinds[i];
		}
	}
	sync->n_paused = 0;
	g_mutex_unlock(&sync->queue_lock);
	for (guint i = 0; i < n; i++)
		cclm_sync_read(resume[i]);
	cclm_sync_unref(sync);
	return G_SOURCE_REMOVE;
}

/* The parsing thread's work: a chunk, or a page's end */
static void
cclm_sync_parse_job(gpointer data, gpointer user_data)
{
	CclmSyncJob *job = data;
	CclmSyncKind *k = job->k;
	CclmSync *sync = user_data;

	if (job->bytes == NULL) {
		cclm_sync_page_parsed(k, job->error);
		g_free(job);
		cclm_sync_invoke(sync, cclm_sync_page_next, k);
		return;
	}
	if (!g_atomic_int_get(&k->failed) && !g_cancellable_is_cancelled(sync->cancellable)) {
		gsize n;
		const guint8 *data = g_bytes_get_data(job->bytes, &n);
		gboolean ok;

		g_mutex_lock(&sync->inventory_lock);
		ok = cclm_json_stream_feed(k->parser, data, n, &k->page_error);
		g_mutex_unlock(&sync->inventory_lock);
		if (!ok)
			g_atomic_int_set(&k->failed, TRUE);
	}
	g_bytes_unref(job->bytes);
	g_free(job);
	g_mutex_lock(&sync->queue_lock);
	sync->queued--;
	if (sync->n_paused > 0 && !sync->resume_scheduled && sync->queued <= CCLM_SYNC_MAX_QUEUED / 2) {
		sync->resume_scheduled = TRUE;
		cclm_sync_invoke(sync, cclm_sync_resume_cb, cclm_sync_ref(sync));
	}
	g_mutex_unlock(&sync->queue_lock);
}

/* Hands a chunk to the parsing thread; FALSE when reading must pause until it catches up */
static gboolean
cclm_sync_queue_chunk(CclmSyncKind *k, const guint8 *data, gsize n)
{
	CclmSync *sync = k->sync;
	CclmSyncJob *job = g_new0(CclmSyncJob, 1);
	gboolean go_on = TRUE;

	job->k = k;
	job->bytes = g_bytes_new(data, n);
	g_mutex_lock(&sync->queue_lock);
	if (++sync->queued >= CCLM_SYNC_MAX_QUEUED) {
		k->paused = TRUE;
		sync->n_paused++;
		go_on = FALSE;
	}
	g_mutex_unlock(&sync->queue_lock);
	g_thread_pool_push(sync->parse_pool, job, NULL);
	return go_on;
}

static void
cclm_sync_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CclmSyncKind *k = user_data;
	guint8 *buf = k->sync->buf + (gsize)k->kind * CCLM_SYNC_READ_SIZE;
	GError *error = NULL;
	gssize n;

	n = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &error);
	if (n > 0 && k->sync->parse_pool != NULL && !g_atomic_int_get(&k->failed)) {
		if (cclm_sync_queue_chunk(k, buf, n))
			cclm_sync_read(k);
		return;
	}
	if (n > 0 && k->sync->parse_pool == NULL && cclm_json_stream_feed(k->parser, buf, n, &error)) {
		cclm_sync_read(k);
		return;
	}
	if (error != NULL)
		cclm_error_convert(&error);
	cclm_sync_page_end(k, error);
}

static void
cclm_sync_send_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CclmSyncKind *k = user_data;
	GError *error = NULL;

	k->stream = cclm_rest_client_send_finish(CCLM_REST_CLIENT(source), res, &error);
	if (k->stream != NULL && k->sync->inventory == NULL) {
		g_clear_object(&k->stream);
		g_set_error_literal(&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "inventory finalized");
	}
	if (k->stream == NULL) {
		if (g_error_matches(error, CCLM_ERROR, CCLM_ERROR_EXPIRED) &&
		    k->continue_token != NULL && !k->restarted) {
			/* client-go's pager: an expired continue token means start over */
			g_clear_error(&error);
			g_clear_pointer(&k->continue_token, g_free);
			k->restarted = TRUE;
			cclm_sync_begin_relist(k);
			cclm_sync_list_page(k);
			return;
		}
		if (g_error_matches(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND) &&
		    k->continue_token == NULL) {
			/* the cluster does not serve this kind (no KubeVirt, no CSIStorageCapacity):
			 * it has none of it, and there is nothing to watch */
			g_clear_error(&error);
			cclm_sync_list_done(k, NULL, NULL);
			return;
		}
		cclm_sync_page_end(k, error);
		return;
	}
	k->parser = cclm_inventory_list_parser_new(k->sync->inventory, k->kind);
	g_atomic_int_set(&k->failed, FALSE);
	cclm_sync_read(k);
}

static void
cclm_sync_list_page(CclmSyncKind *k)
{
	g_autoptr(GString) path = g_string_new(cclm_inventory_kind_get_list_path(k->kind));

	g_string_append_printf(path, "?limit=%u", CCLM_SYNC_PAGE_SIZE);
	if (k->continue_token != NULL) {
		g_autofree gchar *escaped = g_uri_escape_string(k->continue_token, NULL, FALSE);

		g_string_append_printf(path, "&continue=%s", escaped);
	}
	cclm_rest_client_send_async(k->sync->rest, "GET", path->str, k->sync->cancellable,
				    cclm_sync_send_cb, k);
}

/* A full LIST of one kind; holds a reference on the sync until cclm_sync_list_done(). */
static void
cclm_sync_relist(CclmSyncKind *k)
{
	cclm_sync_stop_watch(k);
	if (k->listing || k->sync->inventory == NULL ||
	    g_cancellable_is_cancelled(k->sync->cancellable))
		return;
	k->listing = TRUE;
	k->restarted = FALSE;
	cclm_sync_ref(k->sync);
	cclm_sync_begin_relist(k);
	cclm_sync_list_page(k);
}

/**
 * cclm_cluster_load_inventory_async:
 * @self: a #CclmCluster
 * @watch: whether to keep the inventory up to date after loading it
 * @cancellable: (nullable): a #GCancellable: cancels the load, and later the watches
 * @callback: (scope async): called when every kind is loaded, or on the first failure
 * @user_data: (closure): data for @callback
 *
 * Loads what capacity decisions read (nodes, pods, PersistentVolumeClaims, StorageClasses,
 * CSIDrivers, CSIStorageCapacities, ResourceQuotas, LimitRanges, namespaces, VMs, VMIs, the
 * KubeVirt CR, NetworkAttachmentDefinitions) into a new [class@Inventory] named after the
 * cluster. Every kind is listed concurrently, in pages whose bodies are parsed as they arrive
 * and never held whole; a kind the cluster does not serve (no KubeVirt, say) is empty. Since
 * that opens two requests per kind at once, the cluster's client-side rate limit is raised to
 * kubectl's 50 requests per second (burst 52). Without @watch, the bodies are parsed on a
 * thread of the load's own, one per cluster, so that loading several clusters at once uses
 * every core; @callback still runs in the thread-default main context of the caller.
 *
 * With @watch, each kind is then watched from its list's resource version, and
 * [signal@Inventory::changed] fires whenever an event changes what capacity reads; when the
 * server has compacted past that version (410 Gone) the kind is listed again. The inventory
 * stays watched for as long as it lives, or until @cancellable is cancelled.
 *
 * See [method@Cluster.load_inventory_finish].
 *
 * Since: 0.1
 */
void
cclm_cluster_load_inventory_async(CclmCluster *self,
				  gboolean watch,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autoptr(CclmInventory) inventory = NULL;
	CclmSync *sync;

	g_return_if_fail(CCLM_IS_CLUSTER(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	if (g_cancellable_is_cancelled(cancellable)) {
		g_task_report_new_error(self, callback, user_data,
					cclm_cluster_load_inventory_async, G_IO_ERROR,
					G_IO_ERROR_CANCELLED, "the load was cancelled");
		return;
	}
	inventory = cclm_inventory_new(cclm_cluster_get_name(self));
	sync = g_new0(CclmSync, 1);
	sync->ref_count = 1;
	sync->inventory = inventory;
	sync->rest = g_object_ref(cclm_cluster_get_rest_client(self));
	cclm_rest_client_set_rate_limit(sync->rest, CCLM_SYNC_QPS, CCLM_SYNC_BURST);
	sync->name = g_strdup(cclm_cluster_get_name(self));
	sync->watch = watch;
	sync->cancellable = g_cancellable_new();
	sync->buf = g_malloc((gsize)CCLM_INVENTORY_N_KINDS * CCLM_SYNC_READ_SIZE);
	sync->context = g_main_context_ref_thread_default();
	g_mutex_init(&sync->inventory_lock);
	g_mutex_init(&sync->queue_lock);
	if (!watch)
		sync->parse_pool = g_thread_pool_new(cclm_sync_parse_job, sync, 1, FALSE, NULL);
	sync->task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(sync->task, cclm_cluster_load_inventory_async);
	/* the task keeps the inventory alive while it loads; the inventory owns the sync */
	g_task_set_task_data(sync->task, g_object_ref(inventory), g_object_unref);
	g_object_set_data_full(G_OBJECT(inventory), "cclm-sync", sync, cclm_sync_inventory_gone);
	if (cancellable != NULL) {
		sync->caller_cancellable = g_object_ref(cancellable);
		sync->caller_cancel_id = g_cancellable_connect(
		    cancellable, G_CALLBACK(cclm_sync_caller_cancelled_cb), sync, NULL);
	}
	for (guint i = 0; i < CCLM_INVENTORY_N_KINDS; i++) {
		sync->kinds[i].sync = sync;
		sync->kinds[i].kind = i;
	}
	sync->pending = CCLM_INVENTORY_N_KINDS;
	for (guint i = 0; i < CCLM_INVENTORY_N_KINDS; i++)
		cclm_sync_relist(&sync->kinds[i]);
}

/**
 * cclm_cluster_load_inventory_finish:
 * @self: a #CclmCluster
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Cluster.load_inventory_async]. The error of an unreachable cluster or of a
 * refused list names the cluster and the collection.
 *
 * Returns: (transfer full): the loaded inventory, or %NULL with @error set
 *
 * Since: 0.1
 */
CclmInventory *
cclm_cluster_load_inventory_finish(CclmCluster *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(g_async_result_is_tagged(result, cclm_cluster_load_inventory_async),
			     NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}
