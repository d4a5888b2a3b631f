/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-fleet-private.h"

#include "cclm-candidate-private.h"
#include "cclm-capacity.h"
#include "cclm-cluster-inventory.h"
#include "cclm-cluster.h"
#include "cclm-error-private.h"

typedef enum {
	CCLM_FLEET_MEMBER_NEW,	   /* never asked for, or its only loads were cancelled */
	CCLM_FLEET_MEMBER_LOADING, /* inventory NULL, or a one-shot one serving until the
				    * watched load under way replaces it */
	CCLM_FLEET_MEMBER_LOADED,  /* inventory or error set */
} CclmFleetMemberState;

typedef struct {
	CclmFleet *fleet; /* not a reference: the fleet owns its members */
	gchar *context;
	CclmFleetMemberState state;
	gboolean watch; /* of the load under way, or of the one that ended */
	CclmInventory *inventory;
	GError *error;
	/* the member's own: one load serves every fleet load waiting for it, and is cancelled
	 * only when none waits any more */
	GCancellable *cancellable;
	GPtrArray *waiters; /* GTask of the fleet loads waiting for this member */
} CclmFleetMember;

struct _CclmFleet {
	GObject parent_instance;
	CclmKubeconfig *kubeconfig;
	GPtrArray *members; /* CclmFleetMember, in the order first asked for */
};

G_DEFINE_FINAL_TYPE(CclmFleet, cclm_fleet, G_TYPE_OBJECT)

enum { PROP_0, PROP_KUBECONFIG, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { SIGNAL_MEMBER_LOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The task data of a fleet load. */
typedef struct {
	guint pending; /* members not loaded yet, plus one while the load starts them */
	gboolean done;
	GSource *cancel_source;
} CclmFleetLoad;

/* The task data of a fit or a suggestion. */
typedef struct {
	gchar *source;
	gchar *target; /* NULL: suggest */
	GStrv vms;
	GStrv storage_map;
} CclmFleetQuery;

static void
cclm_fleet_member_free(CclmFleetMember *member)
{
	g_free(member->context);
	g_clear_object(&member->inventory);
	g_clear_error(&member->error);
	g_clear_object(&member->cancellable);
	g_ptr_array_unref(member->waiters);
	g_free(member);
}

static void
cclm_fleet_load_free(CclmFleetLoad *load)
{
	if (load->cancel_source != NULL) {
		g_source_destroy(load->cancel_source);
		g_source_unref(load->cancel_source);
	}
	g_free(load);
}

static void
cclm_fleet_query_free(CclmFleetQuery *query)
{
	g_free(query->source);
	g_free(query->target);
	g_strfreev(query->vms);
	g_strfreev(query->storage_map);
	g_free(query);
}

static CclmFleetMember *
cclm_fleet_find(CclmFleet *self, const gchar *context)
{
	for (guint i = 0; i < self->members->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(self->members, i);

		if (g_strcmp0(member->context, context) == 0)
			return member;
	}
	return NULL;
}

/* Whether callers see the member: once its first load ended, through any reload */
static gboolean
cclm_fleet_member_ready(const CclmFleetMember *member)
{
	return member->state == CCLM_FLEET_MEMBER_LOADED || member->inventory != NULL;
}

/* A member as a caller sees it: NULL until its first load ended. */
static CclmFleetMember *
cclm_fleet_find_loaded(CclmFleet *self, const gchar *context)
{
	CclmFleetMember *member = cclm_fleet_find(self, context);

	return member != NULL && cclm_fleet_member_ready(member) ? member : NULL;
}

/* One member of a fleet load ended; the last one completes it. */
static void
cclm_fleet_load_step(GTask *task)
{
	CclmFleetLoad *load = g_task_get_task_data(task);

	if (--load->pending > 0 || load->done)
		return;
	load->done = TRUE;
	g_task_return_boolean(task, TRUE);
}

static void
cclm_fleet_member_done(CclmFleet *self, CclmFleetMember *member)
{
	g_autoptr(GPtrArray) waiters = g_steal_pointer(&member->waiters);

	member->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	member->state = CCLM_FLEET_MEMBER_LOADED;
	g_signal_emit(self, signals[SIGNAL_MEMBER_LOADED], 0, member->context);
	for (guint i = 0; i < waiters->len; i++)
		cclm_fleet_load_step(g_ptr_array_index(waiters, i));
}

static void
cclm_fleet_member_start(CclmFleet *self, CclmFleetMember *member);

static void
cclm_fleet_member_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CclmFleetMember *member = user_data;
	g_autoptr(CclmFleet) self = member->fleet; /* the reference the load took */
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmInventory) inventory =
	    cclm_cluster_load_inventory_finish(CCLM_CLUSTER(source), res, &error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* every load that waited for it was cancelled; one that came since starts afresh.
		 * A cancelled watched reload leaves the one-shot inventory as it was. */
		if (member->waiters->len > 0) {
			cclm_fleet_member_start(self, member);
		} else if (member->inventory != NULL) {
			member->state = CCLM_FLEET_MEMBER_LOADED;
			member->watch = FALSE;
		} else {
			member->state = CCLM_FLEET_MEMBER_NEW;
		}
		return;
	}
	g_set_object(&member->inventory, inventory);
	member->error = g_steal_pointer(&error);
	cclm_fleet_member_done(self, member);
}

static void
cclm_fleet_member_start(CclmFleet *self, CclmFleetMember *member)
{
	g_autoptr(CclmCluster) cluster =
	    cclm_cluster_new(self->kubeconfig, member->context, &member->error);

	if (cluster == NULL) {
		/* the error replaces it, as a failed load's does */
		g_clear_object(&member->inventory);
		cclm_fleet_member_done(self, member);
		return;
	}
	member->state = CCLM_FLEET_MEMBER_LOADING;
	g_clear_object(&member->cancellable);
	member->cancellable = g_cancellable_new();
	g_object_ref(self); /* released by cclm_fleet_member_loaded_cb() */
	cclm_cluster_load_inventory_async(cluster, member->watch, member->cancellable,
					  cclm_fleet_member_loaded_cb, member);
}

static gboolean
cclm_fleet_load_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	g_autoptr(GTask) task = g_object_ref(G_TASK(user_data));
	CclmFleet *self = g_task_get_source_object(task);
	CclmFleetLoad *load = g_task_get_task_data(task);

	if (load->done)
		return G_SOURCE_REMOVE;
	load->done = TRUE;
	for (guint i = 0; i < self->members->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(self->members, i);

		if (g_ptr_array_remove(member->waiters, task) &&
		    member->state == CCLM_FLEET_MEMBER_LOADING && member->waiters->len == 0)
			g_cancellable_cancel(member->cancellable);
	}
	g_task_return_error_if_cancelled(task);
	return G_SOURCE_REMOVE;
}

/* Checks @contexts against the kubeconfig before anything starts. */
static gboolean
cclm_fleet_check_contexts(CclmFleet *self, const gchar *const *contexts, GError **error)
{
	g_auto(GStrv) known = cclm_kubeconfig_get_contexts(self->kubeconfig);

	for (guint i = 0; contexts[i] != NULL; i++) {
		if (!g_strv_contains((const gchar *const *)known, contexts[i])) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "context \"%s\": the kubeconfig has no such context",
				    contexts[i]);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * cclm_fleet_new:
 * @kubeconfig: the kubeconfig whose contexts are the clusters of the fleet
 *
 * A fleet: the clusters of @kubeconfig, one per context, whose inventories are loaded together
 * (see [method@Fleet.load_async]) and judged together (see [method@Fleet.fit_async] and
 * [method@Fleet.suggest_async]). A cluster that cannot be read stays a member carrying its
 * error, so that a report about the fleet always says what happened to every cluster.
 *
 * Returns: (transfer full): a new #CclmFleet with no member loaded
 *
 * Since: 0.1
 */
CclmFleet *
cclm_fleet_new(CclmKubeconfig *kubeconfig)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(kubeconfig), NULL);
	return g_object_new(CCLM_TYPE_FLEET, "kubeconfig", kubeconfig, NULL);
}

/**
 * cclm_fleet_get_kubeconfig:
 * @self: a #CclmFleet
 *
 * Returns: (transfer none): the kubeconfig the fleet was made from
 *
 * Since: 0.1
 */
CclmKubeconfig *
cclm_fleet_get_kubeconfig(CclmFleet *self)
{
	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);
	return self->kubeconfig;
}

/**
 * cclm_fleet_load_async:
 * @self: a #CclmFleet
 * @contexts: (nullable) (array zero-terminated=1): the contexts to load, or %NULL for every
 *   context of the kubeconfig
 * @watch: whether to keep the loaded inventories up to date (see
 *   [method@Cluster.load_inventory_async])
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when every member asked for is loaded or failed
 * @user_data: (closure): data for @callback
 *
 * Loads the inventories of @contexts concurrently. A cluster that cannot be read (unreachable,
 * refused credentials, a broken kubeconfig entry) does not fail the load: its member carries
 * the error (see [method@Fleet.get_error]). [signal@Fleet::member-loaded] fires as each member
 * ends.
 *
 * Members loaded before, or being loaded by another call, are reused: a member is loaded once
 * per fleet (a new #CclmFleet reads the clusters again), except that asking for @watch loads a
 * member read without a watch again, watched: its one-shot inventory serves until the watched
 * one replaces it (or an error does, if the cluster cannot be read any more). A member being
 * loaded keeps the @watch of the call that started it. Cancelling
 * @cancellable fails this call with %G_IO_ERROR_CANCELLED at once and stops the loads no
 * other call waits for; those members stay unloaded.
 *
 * See [method@Fleet.load_finish].
 *
 * Since: 0.1
 */
void
cclm_fleet_load_async(CclmFleet *self,
		      const gchar *const *contexts,
		      gboolean watch,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_auto(GStrv) all = NULL;
	g_autoptr(GError) error = NULL;
	CclmFleetLoad *load;

	g_return_if_fail(CCLM_IS_FLEET(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, cclm_fleet_load_async);
	if (g_task_return_error_if_cancelled(task))
		return;
	if (contexts == NULL) {
		all = cclm_kubeconfig_get_contexts(self->kubeconfig);
		contexts = (const gchar *const *)all;
	} else if (!cclm_fleet_check_contexts(self, contexts, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	load = g_new0(CclmFleetLoad, 1);
	load->pending = 1;
	g_task_set_task_data(task, load, (GDestroyNotify)cclm_fleet_load_free);
	if (cancellable != NULL) {
		/* a source, not a handler: the handler would run in the thread that cancels */
		load->cancel_source = g_cancellable_source_new(cancellable);
		g_source_set_callback(load->cancel_source,
				      G_SOURCE_FUNC(cclm_fleet_load_cancelled_cb), task, NULL);
		g_source_attach(load->cancel_source, g_task_get_context(task));
	}
	for (guint i = 0; contexts[i] != NULL; i++) {
		CclmFleetMember *member = cclm_fleet_find(self, contexts[i]);

		if (member == NULL) {
			member = g_new0(CclmFleetMember, 1);
			member->fleet = self;
			member->context = g_strdup(contexts[i]);
			member->waiters = g_ptr_array_new_with_free_func(g_object_unref);
			g_ptr_array_add(self->members, member);
		}
		/* a live inventory asked for where a one-shot one was loaded: load it again */
		if (member->state == CCLM_FLEET_MEMBER_LOADED && watch && !member->watch &&
		    member->inventory != NULL)
			member->state = CCLM_FLEET_MEMBER_NEW;
		if (member->state == CCLM_FLEET_MEMBER_LOADED ||
		    g_ptr_array_find(member->waiters, task, NULL))
			continue;
		g_ptr_array_add(member->waiters, g_object_ref(task));
		load->pending++;
		if (member->state == CCLM_FLEET_MEMBER_NEW) {
			member->watch = watch;
			cclm_fleet_member_start(self, member);
		}
	}
	cclm_fleet_load_step(task);
}

/**
 * cclm_fleet_load_finish:
 * @self: a #CclmFleet
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Fleet.load_async]. Clusters that could not be read are not errors here:
 * ask each member with [method@Fleet.get_error].
 *
 * Returns: %TRUE when every member asked for has ended; %FALSE with @error set when the call
 *   was cancelled (%G_IO_ERROR_CANCELLED) or a context is not in the kubeconfig
 *   (%CCLM_ERROR_KUBECONFIG)
 *
 * Since: 0.1
 */
gboolean
cclm_fleet_load_finish(CclmFleet *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(CCLM_IS_FLEET(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	g_return_val_if_fail(g_async_result_is_tagged(result, cclm_fleet_load_async), FALSE);

	return g_task_propagate_boolean(G_TASK(result), error);
}

/* Whether a member load is under way, cancelled ones winding down included. */
gboolean
cclm_fleet_is_loading(CclmFleet *self)
{
	for (guint i = 0; i < self->members->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(self->members, i);

		if (member->state == CCLM_FLEET_MEMBER_LOADING)
			return TRUE;
	}
	return FALSE;
}

/**
 * cclm_fleet_get_contexts:
 * @self: a #CclmFleet
 *
 * The members whose load has ended, with an inventory or an error (those being loaded again
 * with a watch included).
 *
 * Returns: (transfer full): their contexts, in the order they were first asked for
 *
 * Since: 0.1
 */
GStrv
cclm_fleet_get_contexts(CclmFleet *self)
{
	GPtrArray *contexts = g_ptr_array_new();

	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);

	for (guint i = 0; i < self->members->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(self->members, i);

		if (cclm_fleet_member_ready(member))
			g_ptr_array_add(contexts, g_strdup(member->context));
	}
	g_ptr_array_add(contexts, NULL);
	return (GStrv)g_ptr_array_free(contexts, FALSE);
}

/**
 * cclm_fleet_get_inventory:
 * @self: a #CclmFleet
 * @context: a context of the fleet
 *
 * Returns: (nullable) (transfer none): the inventory of @context, or %NULL when it is not
 *   loaded or could not be read (see [method@Fleet.get_error])
 *
 * Since: 0.1
 */
CclmInventory *
cclm_fleet_get_inventory(CclmFleet *self, const gchar *context)
{
	CclmFleetMember *member;

	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);
	g_return_val_if_fail(context != NULL, NULL);

	member = cclm_fleet_find_loaded(self, context);
	return member != NULL ? member->inventory : NULL;
}

/**
 * cclm_fleet_get_error:
 * @self: a #CclmFleet
 * @context: a context of the fleet
 *
 * Why the cluster of @context could not be read: the error of its connection, of a refused
 * list or of its kubeconfig entry, which names the cluster.
 *
 * Returns: (nullable) (transfer none): the error, or %NULL when its inventory loaded or its load
 *   has not ended
 *
 * Since: 0.1
 */
const GError *
cclm_fleet_get_error(CclmFleet *self, const gchar *context)
{
	CclmFleetMember *member;

	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);
	g_return_val_if_fail(context != NULL, NULL);

	member = cclm_fleet_find_loaded(self, context);
	return member != NULL ? member->error : NULL;
}

/* Starts a fit or a suggestion: the members it reads are loaded first (without watches) unless
 * they are already. */
static void
cclm_fleet_query_start(CclmFleet *self,
		       CclmFleetQuery *query,
		       gpointer source_tag,
		       GAsyncReadyCallback loaded_cb,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	const gchar *pair[] = {query->source, query->target, NULL};

	g_autoptr(GError) error = NULL;

	g_task_set_source_tag(task, source_tag);
	g_task_set_task_data(task, query, (GDestroyNotify)cclm_fleet_query_free);
	if (query->vms[0] == NULL) {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
					"no VM to place");
		return;
	}
	/* a suggestion loads every context: the source must be one of them */
	if (!cclm_fleet_check_contexts(self, pair, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	cclm_fleet_load_async(self, query->target != NULL ? pair : NULL, FALSE, cancellable,
			      loaded_cb, g_steal_pointer(&task));
}

/* After the load: the member of @context's inventory, or %NULL with its error copied (an
 * unreachable cluster leaves no verdict to give: an error, not "does not fit"). */
static CclmInventory *
cclm_fleet_query_inventory(CclmFleet *self, const gchar *context, GError **error)
{
	CclmFleetMember *member = cclm_fleet_find_loaded(self, context);

	if (member->error != NULL) {
		g_propagate_error(error, g_error_copy(member->error));
		return NULL;
	}
	return member->inventory;
}

static void
cclm_fleet_fit_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmFleet *self = CCLM_FLEET(source);
	CclmFleetQuery *query = g_task_get_task_data(task);
	g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(CclmCapacity) capacity = NULL;
	g_autoptr(GError) error = NULL;
	CclmInventory *from, *to;

	if (!cclm_fleet_load_finish(self, res, &error) ||
	    (from = cclm_fleet_query_inventory(self, query->source, &error)) == NULL ||
	    (to = cclm_fleet_query_inventory(self, query->target, &error)) == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	/* one snapshot: each VM that fits consumes capacity for the next */
	capacity = cclm_capacity_new(to);
	for (guint i = 0; query->vms[i] != NULL; i++) {
		CclmFitVerdict *verdict =
		    cclm_capacity_fit(capacity, from, query->vms[i],
				      (const gchar *const *)query->storage_map, &error);

		if (verdict == NULL) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		g_ptr_array_add(verdicts, verdict);
	}
	g_task_return_pointer(task, g_steal_pointer(&verdicts), (GDestroyNotify)g_ptr_array_unref);
}

/**
 * cclm_fleet_fit_async:
 * @self: a #CclmFleet
 * @source_context: the context of the cluster the VMs are on
 * @vms: (array zero-terminated=1): the VMs as `namespace/name`, judged together as a batch
 * @target_context: the context of the cluster to judge
 * @storage_map: (nullable) (array zero-terminated=1): `SOURCECLASS=TARGETCLASS` entries; disks
 *   keep their StorageClass name otherwise
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the verdicts are ready
 * @user_data: (closure): data for @callback
 *
 * Judges whether @vms fit the cluster of @target_context, loading the two clusters first if
 * they are not members yet. The VMs are placed one after the other on one snapshot of the
 * target (see [method@Capacity.fit]), so that the verdicts are those of the batch.
 *
 * See [method@Fleet.fit_finish].
 *
 * Since: 0.1
 */
void
cclm_fleet_fit_async(CclmFleet *self,
		     const gchar *source_context,
		     const gchar *const *vms,
		     const gchar *target_context,
		     const gchar *const *storage_map,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data)
{
	CclmFleetQuery *query;

	g_return_if_fail(CCLM_IS_FLEET(self));
	g_return_if_fail(source_context != NULL);
	g_return_if_fail(vms != NULL);
	g_return_if_fail(target_context != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	query = g_new0(CclmFleetQuery, 1);
	query->source = g_strdup(source_context);
	query->target = g_strdup(target_context);
	query->vms = g_strdupv((GStrv)vms);
	query->storage_map = g_strdupv((GStrv)storage_map);
	cclm_fleet_query_start(self, query, cclm_fleet_fit_async, cclm_fleet_fit_loaded_cb,
			       cancellable, callback, user_data);
}

/**
 * cclm_fleet_fit_finish:
 * @self: a #CclmFleet
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Fleet.fit_async].
 *
 * Returns: (transfer container) (element-type CclmFitVerdict): one verdict per VM, in the
 *   order asked, or %NULL with @error set: the error of a cluster that could not be read (it
 *   names the cluster), %CCLM_ERROR_NOT_FOUND for a VM missing on the source (naming both),
 *   %CCLM_ERROR_KUBECONFIG for a context the kubeconfig lacks, %CCLM_ERROR_INVALID_ARGUMENT
 *   for no VM or a bad name or map entry, %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
GPtrArray *
cclm_fleet_fit_finish(CclmFleet *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(g_async_result_is_tagged(result, cclm_fleet_fit_async), NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
cclm_fleet_suggest_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmFleet *self = CCLM_FLEET(source);
	CclmFleetQuery *query = g_task_get_task_data(task);
	g_autoptr(GPtrArray) targets = g_ptr_array_new();
	g_autoptr(GPtrArray) candidates = NULL;
	g_autoptr(GError) error = NULL;
	CclmInventory *from;

	if (!cclm_fleet_load_finish(self, res, &error) ||
	    (from = cclm_fleet_query_inventory(self, query->source, &error)) == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	for (guint i = 0; i < self->members->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(self->members, i);

		if (member->inventory != NULL)
			g_ptr_array_add(targets, member->inventory);
	}
	candidates = cclm_capacity_suggest(from, (CclmInventory **)targets->pdata, targets->len,
					   (const gchar *const *)query->vms,
					   (const gchar *const *)query->storage_map, &error);
	if (candidates == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	/* the clusters that could not be read come last, never dropped */
	for (guint i = 0; i < self->members->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(self->members, i);

		if (member->error != NULL)
			g_ptr_array_add(candidates, cclm_candidate_new_unreachable(member->context,
										   member->error));
	}
	g_task_return_pointer(task, g_steal_pointer(&candidates),
			      (GDestroyNotify)g_ptr_array_unref);
}

/**
 * cclm_fleet_suggest_async:
 * @self: a #CclmFleet
 * @source_context: the context of the cluster the VMs are on
 * @vms: (array zero-terminated=1): the VMs as `namespace/name`, judged together as a batch
 * @storage_map: (nullable) (array zero-terminated=1): `SOURCECLASS=TARGETCLASS` entries
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the ranking is ready
 * @user_data: (closure): data for @callback
 *
 * Ranks the other clusters of the fleet for @vms (see [func@Capacity.suggest]), loading every
 * context of the kubeconfig first unless it is a member already. The source is never a
 * candidate.
 *
 * See [method@Fleet.suggest_finish].
 *
 * Since: 0.1
 */
void
cclm_fleet_suggest_async(CclmFleet *self,
			 const gchar *source_context,
			 const gchar *const *vms,
			 const gchar *const *storage_map,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	CclmFleetQuery *query;

	g_return_if_fail(CCLM_IS_FLEET(self));
	g_return_if_fail(source_context != NULL);
	g_return_if_fail(vms != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	query = g_new0(CclmFleetQuery, 1);
	query->source = g_strdup(source_context);
	query->vms = g_strdupv((GStrv)vms);
	query->storage_map = g_strdupv((GStrv)storage_map);
	cclm_fleet_query_start(self, query, cclm_fleet_suggest_async, cclm_fleet_suggest_loaded_cb,
			       cancellable, callback, user_data);
}

/**
 * cclm_fleet_suggest_finish:
 * @self: a #CclmFleet
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Fleet.suggest_async].
 *
 * Returns: (transfer container) (element-type CclmCandidate): the candidates: those where the
 *   whole batch fits first, best first, then the others, then the clusters that could not be
 *   read (not fitting, with [method@Candidate.get_error] set); or %NULL with @error set: the
 *   source's own error when it could not be read, %CCLM_ERROR_NOT_FOUND for a VM missing on
 *   the source, %CCLM_ERROR_KUBECONFIG for a source the kubeconfig lacks,
 *   %CCLM_ERROR_INVALID_ARGUMENT for no VM or a bad name or map entry, %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
GPtrArray *
cclm_fleet_suggest_finish(CclmFleet *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(g_async_result_is_tagged(result, cclm_fleet_suggest_async), NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}

/**
 * cclm_fleet_capacity_to_json:
 * @self: a #CclmFleet
 *
 * The `cclm.capacity/v1` document (%CCLM_CAPACITY_SCHEMA, docs/capacity-schema.md) of the
 * loaded members: `{"schema": ..., "clusters": {"<context>": ...}}`, each cluster as
 * [method@Capacity.to_json] gives it, or, for a cluster that could not be read,
 * `{"cluster": "<context>", "error": {"domain", "code", "message"}}`.
 *
 * Returns: (transfer full): the document
 *
 * Since: 0.1
 */
JsonNode *
cclm_fleet_capacity_to_json(CclmFleet *self)
{
	g_autoptr(JsonObject) result = json_object_new();
	JsonObject *clusters = json_object_new();

	g_return_val_if_fail(CCLM_IS_FLEET(self), NULL);

	json_object_set_string_member(result, "schema", CCLM_CAPACITY_SCHEMA);
	json_object_set_object_member(result, "clusters", clusters);
	for (guint i = 0; i < self->members->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(self->members, i);
		JsonObject *entry;

		if (!cclm_fleet_member_ready(member))
			continue;
		if (member->inventory != NULL) {
			g_autoptr(CclmCapacity) capacity = cclm_capacity_new(member->inventory);

			json_object_set_member(clusters, member->context,
					       cclm_capacity_to_json(capacity));
			continue;
		}
		entry = json_object_new();
		json_object_set_string_member(entry, "cluster", member->context);
		json_object_set_member(entry, "error", cclm_error_to_json(member->error));
		json_object_set_object_member(clusters, member->context, entry);
	}
	return json_node_init_object(json_node_alloc(), result);
}

static void
cclm_fleet_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	CclmFleet *self = CCLM_FLEET(object);

	switch (prop_id) {
	case PROP_KUBECONFIG:
		g_value_set_object(value, self->kubeconfig);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
cclm_fleet_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	CclmFleet *self = CCLM_FLEET(object);

	switch (prop_id) {
	case PROP_KUBECONFIG:
		self->kubeconfig = g_value_dup_object(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
cclm_fleet_finalize(GObject *object)
{
	CclmFleet *self = CCLM_FLEET(object);

	g_clear_object(&self->kubeconfig);
	g_ptr_array_unref(self->members);
	G_OBJECT_CLASS(cclm_fleet_parent_class)->finalize(object);
}

static void
cclm_fleet_class_init(CclmFleetClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = cclm_fleet_finalize;
	object_class->get_property = cclm_fleet_get_property;
	object_class->set_property = cclm_fleet_set_property;

	/**
	 * CclmFleet:kubeconfig:
	 *
	 * The kubeconfig whose contexts are the clusters of the fleet.
	 *
	 * Since: 0.1
	 */
	props[PROP_KUBECONFIG] = g_param_spec_object("kubeconfig", NULL, NULL, CCLM_TYPE_KUBECONFIG,
						     G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
							 G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);

	/**
	 * CclmFleet::member-loaded:
	 * @self: the #CclmFleet
	 * @context: the member's context
	 *
	 * A member's load ended, with an inventory or an error (see [method@Fleet.get_inventory]
	 * and [method@Fleet.get_error]), for progress bars and GUIs that show the fleet as it
	 * arrives. Emitted in the thread-default main context of the load.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_MEMBER_LOADED] =
	    g_signal_new("member-loaded", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cclm_fleet_init(CclmFleet *self)
{
	self->members = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_fleet_member_free);
}
