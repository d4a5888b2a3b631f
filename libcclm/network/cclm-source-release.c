/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cluster-private.h"
#include "cclm-error.h"
#include "cclm-source-release.h"

/* The source side of a decentralized migration's network handover, as far as the Kubernetes
 * API reaches: once the target provably runs the guest, the source virt-launcher pods go, so
 * that OVN-Kubernetes removes their logical switch ports (docs/localnet-handover.md). */

typedef struct {
	gchar *name;
	gchar *uid;
} CclmReleasePod;

static void
cclm_release_pod_free(CclmReleasePod *pod)
{
	g_free(pod->name);
	g_free(pod->uid);
	g_free(pod);
}

typedef struct {
	CclmCluster *source;
	CclmCluster *target;
	gchar *source_namespace;
	gchar *source_vmi;
	gchar *target_namespace;
	gchar *target_vmi;
	gchar *target_uid;
	gchar *target_peer_uid; /* the source VMI the target says it came from, if it says */
	gchar *source_uid;
	GPtrArray *pods; /* CclmReleasePod, the source VMI's launcher pods to delete */
	guint next;
	GPtrArray *deleted; /* names, NULL-terminated at the end */
} CclmReleaseData;

static void
cclm_release_data_free(CclmReleaseData *data)
{
	g_clear_object(&data->source);
	g_clear_object(&data->target);
	g_free(data->source_namespace);
	g_free(data->source_vmi);
	g_free(data->target_namespace);
	g_free(data->target_vmi);
	g_free(data->target_uid);
	g_free(data->target_peer_uid);
	g_free(data->source_uid);
	g_ptr_array_unref(data->pods);
	g_ptr_array_unref(data->deleted);
	g_free(data);
}

static JsonObject *
cclm_release_object(JsonObject *object, const gchar *member)
{
	JsonNode *node = object != NULL ? json_object_get_member(object, member) : NULL;

	return node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

static const gchar *
cclm_release_string(JsonObject *object, const gchar *member)
{
	JsonNode *node = object != NULL ? json_object_get_member(object, member) : NULL;

	if (node == NULL || json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

static gboolean
cclm_release_true(JsonObject *object, const gchar *member)
{
	JsonNode *node = object != NULL ? json_object_get_member(object, member) : NULL;

	return node != NULL && json_node_get_value_type(node) == G_TYPE_BOOLEAN &&
	       json_node_get_boolean(node);
}

/* The part both sides share: a VMI whose status.migrationState records a migration that
 * completed and neither failed nor was aborted. Returns the migrationState. */
static JsonObject *
cclm_release_check_completed(CclmCluster *cluster,
			     const gchar *ns,
			     const gchar *name,
			     JsonObject *vmi,
			     GError **error)
{
	JsonObject *state =
	    cclm_release_object(cclm_release_object(vmi, "status"), "migrationState");
	const gchar *abort_status = cclm_release_string(state, "abortStatus");

	if (state == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_NOT_READY,
			    "cluster \"%s\": VirtualMachineInstance \"%s/%s\": "
			    "status.migrationState: absent, no migration reached this VMI",
			    cclm_cluster_get_name(cluster), ns, name);
		return NULL;
	}
	if (cclm_release_true(state, "failed") || abort_status != NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_FAILED,
			    "cluster \"%s\": VirtualMachineInstance \"%s/%s\": "
			    "status.migrationState: "
			    "the migration failed or was aborted (failed: %s, abortStatus: %s, "
			    "failureReason: %s)",
			    cclm_cluster_get_name(cluster), ns, name,
			    cclm_release_true(state, "failed") ? "true" : "false",
			    abort_status != NULL ? abort_status : "none",
			    cclm_release_string(state, "failureReason") ?: "none");
		return NULL;
	}
	if (!cclm_release_true(state, "completed") ||
	    cclm_release_string(state, "endTimestamp") == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_NOT_READY,
			    "cluster \"%s\": VirtualMachineInstance \"%s/%s\": "
			    "status.migrationState: "
			    "the migration has not completed (completed: %s, endTimestamp: %s)",
			    cclm_cluster_get_name(cluster), ns, name,
			    cclm_release_true(state, "completed") ? "true" : "false",
			    cclm_release_string(state, "endTimestamp") ?: "unset");
		return NULL;
	}
	return state;
}

/* The target runs the guest: Running, the migration completed, and the node the migration
 * went to is the node the VMI runs on. */
static gboolean
cclm_release_check_target(CclmReleaseData *data, JsonObject *vmi, GError **error)
{
	JsonObject *status = cclm_release_object(vmi, "status");
	const gchar *phase = cclm_release_string(status, "phase");
	const gchar *node = cclm_release_string(status, "nodeName");
	const gchar *target = cclm_release_string(cclm_release_object(vmi, "metadata"), "uid");
	JsonObject *state;
	const gchar *migrated_to;

	if (g_strcmp0(phase, "Running") != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_NOT_READY,
			    "cluster \"%s\": VirtualMachineInstance \"%s/%s\": status.phase is "
			    "\"%s\", not \"Running\"",
			    cclm_cluster_get_name(data->target), data->target_namespace,
			    data->target_vmi, phase != NULL ? phase : "");
		return FALSE;
	}
	state = cclm_release_check_completed(data->target, data->target_namespace, data->target_vmi,
					     vmi, error);
	if (state == NULL)
		return FALSE;
	/* targetState is the decentralized form; sync.go copies it into the legacy field */
	migrated_to = cclm_release_string(cclm_release_object(state, "targetState"), "node");
	if (migrated_to == NULL)
		migrated_to = cclm_release_string(state, "targetNode");
	if (migrated_to == NULL || migrated_to[0] == '\0' || g_strcmp0(migrated_to, node) != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_NOT_READY,
			    "cluster \"%s\": VirtualMachineInstance \"%s/%s\": "
			    "status.migrationState.targetState.node \"%s\" is not status.nodeName "
			    "\"%s\"",
			    cclm_cluster_get_name(data->target), data->target_namespace,
			    data->target_vmi, migrated_to != NULL ? migrated_to : "",
			    node != NULL ? node : "");
		return FALSE;
	}
	data->target_uid = g_strdup(target);
	data->target_peer_uid =
	    g_strdup(cclm_release_string(cclm_release_object(state, "sourceState"),
					 "virtualMachineInstanceUID"));
	return TRUE;
}

/* Where one side names its peer's VMI uid (@named, from status.migrationState.@side), it must
 * be the other side's VMI: the two VMIs are the two ends of one migration. */
static gboolean
cclm_release_check_peer(CclmCluster *cluster,
			const gchar *ns,
			const gchar *name,
			const gchar *side,
			const gchar *named,
			CclmCluster *peer,
			const gchar *peer_ns,
			const gchar *peer_name,
			const gchar *peer_uid,
			GError **error)
{
	if (named == NULL || g_strcmp0(named, peer_uid) == 0)
		return TRUE;
	g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
		    "cluster \"%s\": VirtualMachineInstance \"%s/%s\": "
		    "status.migrationState.%s.virtualMachineInstanceUID %s is not the uid %s of "
		    "\"%s/%s\" on cluster \"%s\"",
		    cclm_cluster_get_name(cluster), ns, name, side, named, peer_uid, peer_ns,
		    peer_name, cclm_cluster_get_name(peer));
	return FALSE;
}

/* The source agrees: its own record says the outgoing migration completed (with post-copy the
 * target runs while the source still serves memory pages), and both sides name each other
 * where they say whom they migrated with. */
static gboolean
cclm_release_check_source(CclmReleaseData *data, JsonObject *vmi, GError **error)
{
	JsonObject *meta = cclm_release_object(vmi, "metadata");
	const gchar *uid = cclm_release_string(meta, "uid");
	JsonObject *state;
	const gchar *peer;

	if (uid == NULL || uid[0] == '\0') {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
			    "cluster \"%s\": VirtualMachineInstance \"%s/%s\": metadata.uid: "
			    "absent",
			    cclm_cluster_get_name(data->source), data->source_namespace,
			    data->source_vmi);
		return FALSE;
	}
	if (g_strcmp0(uid, data->target_uid) == 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "VirtualMachineInstance \"%s/%s\" (uid %s) is both the source and the "
			    "target: its launcher pods include the one running the guest",
			    data->source_namespace, data->source_vmi, uid);
		return FALSE;
	}
	if (!cclm_release_check_peer(data->target, data->target_namespace, data->target_vmi,
				     "sourceState", data->target_peer_uid, data->source,
				     data->source_namespace, data->source_vmi, uid, error))
		return FALSE;
	state = cclm_release_check_completed(data->source, data->source_namespace, data->source_vmi,
					     vmi, error);
	if (state == NULL)
		return FALSE;
	peer = cclm_release_string(cclm_release_object(state, "targetState"),
				   "virtualMachineInstanceUID");
	if (!cclm_release_check_peer(data->source, data->source_namespace, data->source_vmi,
				     "targetState", peer, data->target, data->target_namespace,
				     data->target_vmi, data->target_uid, error))
		return FALSE;
	data->source_uid = g_strdup(uid);
	return TRUE;
}

static void
cclm_release_delete_next(GTask *task);

static void
cclm_release_delete_cb(GObject *object, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmReleaseData *data = g_task_get_task_data(task);
	CclmReleasePod *pod = g_ptr_array_index(data->pods, data->next);
	g_autoptr(JsonNode) reply = NULL;
	g_autoptr(GError) error = NULL;

	reply = cclm_cluster_delete_finish(CCLM_CLUSTER(object), res, &error);
	if (reply != NULL) {
		g_ptr_array_add(data->deleted, g_strdup(pod->name));
	} else if (!g_error_matches(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND) &&
		   !g_error_matches(error, CCLM_ERROR, CCLM_ERROR_CONFLICT)) {
		/* 404 (gone already) and 409 (uid precondition: replaced by another pod) both
		 * mean ours is not there any more and are skipped; anything else stops here */
		g_autofree gchar *done = NULL;

		g_ptr_array_add(data->deleted, NULL);
		done = g_strjoinv(", ", (gchar **)data->deleted->pdata);
		g_prefix_error(&error, "cluster \"%s\": pod \"%s/%s\" (deleted before: %s): ",
			       cclm_cluster_get_name(data->source), data->source_namespace,
			       pod->name, done[0] != '\0' ? done : "none");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	data->next++;
	cclm_release_delete_next(g_steal_pointer(&task));
}

/* OVN-Kubernetes removes a pod's logical switch port when it handles the pod's delete event,
 * or an update to a terminal phase (its retry framework handles a completed pod as deleted:
 * ovn-kubernetes@8871cd9 go-controller/pkg/retry/obj_retry.go, isObjectInTerminalState =
 * util.PodCompleted in go-controller/pkg/ovn/base_event_handler.go). A graceful delete only sets
 * deletionTimestamp, which it does not act on: the port would stay until the kubelet has stopped
 * virt-launcher (up to its terminationGracePeriodSeconds) — the very window to close.
 * gracePeriodSeconds 0 removes the object at once, so the delete event comes now; the kubelet still
 * stops the containers afterwards, and after a completed migration they hold no guest. The uid
 * precondition deletes the pod that was checked, never a later one of the same name. */
static void
cclm_release_delete_next(GTask *task)
{
	CclmReleaseData *data = g_task_get_task_data(task);
	g_autoptr(JsonObject) options = NULL;
	g_autoptr(JsonObject) preconditions = NULL;
	g_autofree gchar *path = NULL;
	CclmReleasePod *pod;

	if (g_task_return_error_if_cancelled(task)) {
		g_object_unref(task);
		return;
	}
	if (data->next >= data->pods->len) {
		g_ptr_array_add(data->deleted, NULL);
		g_task_return_pointer(task, g_ptr_array_steal(data->deleted, NULL),
				      (GDestroyNotify)g_strfreev);
		g_object_unref(task);
		return;
	}
	pod = g_ptr_array_index(data->pods, data->next);
	path = cclm_cluster_build_path(NULL, "v1", "pods", data->source_namespace, pod->name);
	options = json_object_new();
	json_object_set_int_member(options, "gracePeriodSeconds", 0);
	preconditions = json_object_new();
	json_object_set_string_member(preconditions, "uid", pod->uid);
	json_object_set_object_member(options, "preconditions", g_steal_pointer(&preconditions));
	cclm_cluster_delete_with_options_async(data->source, path, options,
					       g_task_get_cancellable(task), cclm_release_delete_cb,
					       task);
}

static gboolean
cclm_release_page(JsonArray *items, gpointer user_data)
{
	CclmReleaseData *data = user_data;

	for (guint i = 0; i < json_array_get_length(items); i++) {
		JsonObject *pod = json_array_get_object_element(items, i);
		JsonObject *meta = cclm_release_object(pod, "metadata");
		const gchar *phase =
		    cclm_release_string(cclm_release_object(pod, "status"), "phase");
		CclmReleasePod *entry;

		/* a terminal pod has no port left (see cclm_release_delete_next) */
		if (g_strcmp0(phase, "Succeeded") == 0 || g_strcmp0(phase, "Failed") == 0)
			continue;
		if (cclm_release_string(meta, "name") == NULL ||
		    cclm_release_string(meta, "uid") == NULL)
			continue;
		entry = g_new0(CclmReleasePod, 1);
		entry->name = g_strdup(cclm_release_string(meta, "name"));
		entry->uid = g_strdup(cclm_release_string(meta, "uid"));
		g_ptr_array_add(data->pods, entry);
	}
	return TRUE;
}

static void
cclm_release_list_cb(GObject *object, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autofree gchar *version = NULL;
	g_autoptr(GError) error = NULL;

	version = cclm_cluster_list_finish(CCLM_CLUSTER(object), res, &error);
	if (version == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	cclm_release_delete_next(g_steal_pointer(&task));
}

/* The VirtualMachine that controls @vmi, if one does. */
static const gchar *
cclm_release_owner_vm(JsonObject *vmi)
{
	JsonObject *meta = cclm_release_object(vmi, "metadata");
	JsonArray *owners = NULL;

	if (meta != NULL && json_object_has_member(meta, "ownerReferences") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(meta, "ownerReferences")))
		owners = json_object_get_array_member(meta, "ownerReferences");
	for (guint i = 0; owners != NULL && i < json_array_get_length(owners); i++) {
		JsonNode *node = json_array_get_element(owners, i);
		JsonObject *owner = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		if (owner != NULL && g_strcmp0(cclm_release_string(owner, "kind"), "VirtualMachine") == 0 &&
		    json_object_get_boolean_member_with_default(owner, "controller", FALSE))
			return cclm_release_string(owner, "name");
	}
	return NULL;
}

/* A source VM that still wants to run would start a new VMI, on the source, with the same MAC,
 * once the launcher pod is gone: the VM would run twice. KubeVirt sets it to Halted after a
 * successful decentralized migration (kubevirt.md 1.8, pkg/virt-controller/watch/vm/vm.go), or
 * the driver does; until then this is not ready. */
static gboolean
cclm_release_check_source_vm(CclmReleaseData *data, JsonObject *vm, GError **error)
{
	JsonObject *spec = cclm_release_object(vm, "spec");
	const gchar *strategy = cclm_release_string(spec, "runStrategy");
	const gchar *name = cclm_release_string(cclm_release_object(vm, "metadata"), "name");

	if (strategy != NULL ? g_strcmp0(strategy, "Halted") == 0
			     : spec != NULL && json_object_has_member(spec, "running") &&
				   !json_object_get_boolean_member_with_default(spec, "running", TRUE))
		return TRUE;
	g_set_error(error, CCLM_ERROR, CCLM_ERROR_NOT_READY,
		    "cluster \"%s\": VirtualMachine \"%s/%s\": %s \"%s\" would start the VM again on "
		    "the source once its launcher pod is gone; waiting until it is Halted",
		    cclm_cluster_get_name(data->source), data->source_namespace,
		    name != NULL ? name : "?", strategy != NULL ? "spec.runStrategy" : "spec.running",
		    strategy != NULL ? strategy : "true");
	return FALSE;
}

/* the labels virt-controller puts on a VMI's launcher pods (and only those: hotplug attachment
 * pods carry kubevirt.io=hotplug-disk) */
static void
cclm_release_list_pods(GTask *task)
{
	CclmReleaseData *data = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	g_autofree gchar *collection = NULL;
	g_autoptr(GString) path = NULL;

	collection = cclm_cluster_build_path(NULL, "v1", "pods", data->source_namespace, NULL);
	path = g_string_new(collection);
	g_string_append(path, "?labelSelector=");
	g_string_append_uri_escaped(path, "kubevirt.io=virt-launcher,kubevirt.io/created-by=", NULL,
				    FALSE);
	g_string_append_uri_escaped(path, data->source_uid, NULL, FALSE);
	cclm_cluster_list_async(data->source, path->str, 0, cclm_release_page, data, NULL,
				cancellable, cclm_release_list_cb, task);
}

/* The JSON object a GET returned, or NULL with @error saying which cluster and what. */
static JsonNode *
cclm_release_get_finish(CclmCluster *cluster, GAsyncResult *res, const gchar *what, GError **error)
{
	g_autoptr(JsonNode) node = cclm_cluster_get_finish(cluster, res, error);

	if (node != NULL && !JSON_NODE_HOLDS_OBJECT(node))
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_PARSE, "not a JSON object");
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_prefix_error(error, "cluster \"%s\": %s: ", cclm_cluster_get_name(cluster), what);
		return NULL;
	}
	return g_steal_pointer(&node);
}

static void
cclm_release_vm_cb(GObject *object, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmReleaseData *data = g_task_get_task_data(task);
	g_autoptr(JsonNode) vm = NULL;
	g_autoptr(GError) error = NULL;

	vm = cclm_release_get_finish(CCLM_CLUSTER(object), res, "the source VMI's VirtualMachine",
				     &error);
	if (vm == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!cclm_release_check_source_vm(data, json_node_get_object(vm), &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (g_task_return_error_if_cancelled(task))
		return;
	cclm_release_list_pods(g_steal_pointer(&task));
}

static void
cclm_release_source_cb(GObject *object, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmReleaseData *data = g_task_get_task_data(task);
	g_autoptr(JsonNode) vmi = NULL;
	g_autoptr(GError) error = NULL;
	GCancellable *cancellable = g_task_get_cancellable(task);
	g_autofree gchar *path = NULL;
	g_autofree gchar *what = NULL;
	const gchar *owner;

	what = g_strdup_printf("VirtualMachineInstance \"%s/%s\"", data->source_namespace,
			       data->source_vmi);
	vmi = cclm_release_get_finish(CCLM_CLUSTER(object), res, what, &error);
	if (vmi == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!cclm_release_check_source(data, json_node_get_object(vmi), &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (g_task_return_error_if_cancelled(task))
		return;
	owner = cclm_release_owner_vm(json_node_get_object(vmi));
	if (owner == NULL) {
		cclm_release_list_pods(g_steal_pointer(&task));
		return;
	}
	path = cclm_cluster_build_path("kubevirt.io", "v1", "virtualmachines",
				       data->source_namespace, owner);
	cclm_cluster_get_async(data->source, path, cancellable, cclm_release_vm_cb,
			       g_steal_pointer(&task));
}

static void
cclm_release_target_cb(GObject *object, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmReleaseData *data = g_task_get_task_data(task);
	g_autoptr(JsonNode) vmi = NULL;
	g_autoptr(GError) error = NULL;
	GCancellable *cancellable = g_task_get_cancellable(task);
	g_autofree gchar *path = NULL;
	g_autofree gchar *what = NULL;

	what = g_strdup_printf("VirtualMachineInstance \"%s/%s\" (target)",
			       data->target_namespace, data->target_vmi);
	vmi = cclm_release_get_finish(CCLM_CLUSTER(object), res, what, &error);
	if (vmi == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!cclm_release_check_target(data, json_node_get_object(vmi), &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (g_task_return_error_if_cancelled(task))
		return;
	path = cclm_cluster_build_path("kubevirt.io", "v1", "virtualmachineinstances",
				       data->source_namespace, data->source_vmi);
	cclm_cluster_get_async(data->source, path, cancellable, cclm_release_source_cb,
			       g_steal_pointer(&task));
}

/**
 * cclm_source_release_async:
 * @source: the cluster the VM migrated from
 * @source_namespace: the namespace of the source VMI
 * @source_vmi: the name of the source VirtualMachineInstance
 * @target: the cluster the VM migrated to
 * @target_namespace: the namespace of the target VMI
 * @target_vmi: the name of the target VirtualMachineInstance (it may differ from @source_vmi)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Releases the source side of a decentralized live migration at the switchover: deletes the
 * source VMI's virt-launcher pods (labels `kubevirt.io=virt-launcher` and
 * `kubevirt.io/created-by=<source VMI uid>`) at once (grace period 0, uid precondition), so
 * that OVN-Kubernetes deletes their logical switch ports: peers on the source node stop being
 * delivered to the dead port and the source node stops announcing the VM's MAC on a localnet
 * network. See [func@source_release_finish].
 *
 * It refuses, deleting nothing, unless the target provably runs the guest and the source
 * agrees: the target VMI is `Running`, both VMIs' `status.migrationState` say `completed`
 * with an `endTimestamp` and neither `failed` nor an `abortStatus`, the target's
 * `targetState.node` (or `targetNode`) is its `status.nodeName`, and where either side names
 * its peer's VMI uid (`sourceState`/`targetState.virtualMachineInstanceUID`) it names the
 * other, and the VirtualMachine that controls the source VMI, if any, is `Halted` (a VM that
 * still wants to run would start again on the source once its pod is gone). Not ready yet is %CCLM_ERROR_NOT_READY (call again on the next VMI update), a failed
 * or aborted migration %CCLM_ERROR_FAILED, a missing VMI %CCLM_ERROR_NOT_FOUND, the same VMI
 * as source and target %CCLM_ERROR_INVALID_ARGUMENT.
 *
 * Since: 0.1
 */
void
cclm_source_release_async(CclmCluster *source,
			  const gchar *source_namespace,
			  const gchar *source_vmi,
			  CclmCluster *target,
			  const gchar *target_namespace,
			  const gchar *target_vmi,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autofree gchar *path = NULL;
	CclmReleaseData *data;

	g_return_if_fail(CCLM_IS_CLUSTER(source));
	g_return_if_fail(CCLM_IS_CLUSTER(target));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(NULL, cancellable, callback, user_data);
	g_task_set_source_tag(task, cclm_source_release_async);
	if (source_namespace == NULL || source_namespace[0] == '\0' || source_vmi == NULL ||
	    source_vmi[0] == '\0' || target_namespace == NULL || target_namespace[0] == '\0' ||
	    target_vmi == NULL || target_vmi[0] == '\0') {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
					"source release: namespace and VMI name are needed on both "
					"sides (source \"%s/%s\", target \"%s/%s\")",
					source_namespace ?: "", source_vmi ?: "",
					target_namespace ?: "", target_vmi ?: "");
		return;
	}
	data = g_new0(CclmReleaseData, 1);
	data->source = g_object_ref(source);
	data->target = g_object_ref(target);
	data->source_namespace = g_strdup(source_namespace);
	data->source_vmi = g_strdup(source_vmi);
	data->target_namespace = g_strdup(target_namespace);
	data->target_vmi = g_strdup(target_vmi);
	data->pods = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_release_pod_free);
	data->deleted = g_ptr_array_new_with_free_func(g_free);
	g_task_set_task_data(task, data, (GDestroyNotify)cclm_release_data_free);
	if (g_task_return_error_if_cancelled(task))
		return;
	path = cclm_cluster_build_path("kubevirt.io", "v1", "virtualmachineinstances",
				       target_namespace, target_vmi);
	cclm_cluster_get_async(target, path, cancellable, cclm_release_target_cb,
			       g_steal_pointer(&task));
}

/**
 * cclm_source_release_finish:
 * @result: the #GAsyncResult given to the callback of [func@source_release_async]
 * @error: return location for a #GError
 *
 * Finishes [func@source_release_async].
 *
 * Returns: (transfer full) (array zero-terminated=1): the names of the source pods deleted,
 *   empty when none was left (already terminal or gone), or %NULL with @error set
 *
 * Since: 0.1
 */
gchar **
cclm_source_release_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == cclm_source_release_async,
			     NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
