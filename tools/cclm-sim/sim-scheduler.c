/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The default scheduler (and the kubelet's part of starting a bound pod): pending pods of
 * schedulerName default-scheduler are placed by the filters in sim-sched.c plus volume binding
 * (sim-storage.c). A pod that fits nowhere stays Pending with PodScheduled=False, reason
 * Unschedulable and kube-scheduler's message, and is retried when nodes, pods or volumes change,
 * as the scheduling queue moves unschedulable pods back on cluster events.
 */
#include "config.h"

#include "sim-controllers.h"
#include "sim-json-util.h"

#include <string.h>

static gboolean
sim_scheduler_is_pending(JsonObject *pod)
{
	JsonObject *spec = sim_json_object(pod, "spec");
	const gchar *node = sim_json_string(spec, "nodeName");
	const gchar *sched = sim_json_string(spec, "schedulerName");
	const gchar *phase = sim_json_string(sim_json_object(pod, "status"), "phase");

	return (node == NULL || *node == '\0') &&
	       (sched == NULL || strcmp(sched, "default-scheduler") == 0) &&
	       (phase == NULL || strcmp(phase, "Pending") == 0) &&
	       sim_json_string(sim_json_object(pod, "metadata"), "deletionTimestamp") == NULL;
}

static gchar *
sim_scheduler_key(SimObject *obj)
{
	return g_strdup_printf("%s/%s", sim_object_get_namespace(obj), sim_object_get_name(obj));
}

static const gchar *
sim_scheduler_node_ip(SimCtl *ctl, const gchar *node)
{
	g_autoptr(SimObject) obj = sim_cluster_get(ctl->cluster, ctl->r.nodes, "", node);
	JsonArray *addrs;

	if (obj == NULL)
		return NULL;
	addrs = sim_json_array(sim_json_object(sim_object_get_json(obj), "status"), "addresses");
	for (guint i = 0; addrs != NULL && i < json_array_get_length(addrs); i++) {
		JsonObject *a = json_array_get_object_element(addrs, i);

		/* interned: the node object may go away before the caller uses it */
		if (g_strcmp0(sim_json_string(a, "type"), "InternalIP") == 0)
			return g_intern_string(sim_json_string(a, "address"));
	}
	return NULL;
}

/* What the kubelet reports once it runs the pod's containers. */
static void
sim_scheduler_run_status(SimCtl *ctl, JsonObject *pod)
{
	JsonObject *spec = sim_json_object(pod, "spec");
	JsonObject *status = sim_json_ensure(pod, "status", NULL);
	JsonArray *containers = sim_json_array(spec, "containers");
	JsonArray *st = json_array_new();
	g_autofree gchar *now = sim_now_rfc3339();
	const gchar *host_ip = sim_scheduler_node_ip(ctl, sim_json_string(spec, "nodeName"));
	g_autofree gchar *pod_ip = g_strdup_printf("10.128.%u.%u", (guint)(ctl->name_seq / 250) % 256,
						   (guint)(ctl->name_seq % 250) + 2);
	const gchar *const types[] = {"PodReadyToStartContainers", "Initialized", "Ready",
				      "ContainersReady", "PodScheduled"};

	ctl->name_seq++;
	for (gsize i = 0; i < G_N_ELEMENTS(types); i++)
		sim_ctl_set_condition(status, types[i], "True", NULL, NULL);
	for (guint i = 0; containers != NULL && i < json_array_get_length(containers); i++) {
		JsonObject *c = json_array_get_object_element(containers, i);
		JsonObject *s = json_object_new();
		JsonObject *running = sim_json_ensure(s, "state", "running", NULL);

		json_object_set_string_member(s, "image", sim_json_string(c, "image") ?: "");
		json_object_set_string_member(s, "imageID", sim_json_string(c, "image") ?: "");
		json_object_set_object_member(s, "lastState", json_object_new());
		json_object_set_string_member(s, "name", sim_json_string(c, "name") ?: "");
		json_object_set_boolean_member(s, "ready", TRUE);
		json_object_set_int_member(s, "restartCount", 0);
		json_object_set_boolean_member(s, "started", TRUE);
		json_object_set_string_member(running, "startedAt", now);
		json_array_add_object_element(st, s);
	}
	json_object_set_array_member(status, "containerStatuses", st);
	if (host_ip != NULL)
		json_object_set_string_member(status, "hostIP", host_ip);
	json_object_set_string_member(status, "phase", "Running");
	json_object_set_string_member(status, "podIP", pod_ip);
	json_object_set_string_member(status, "startTime", now);
}

static void
sim_scheduler_bind(SimCtl *ctl, SimObject *obj, const gchar *node)
{
	g_autoptr(JsonObject) pod = sim_object_dup_json(obj);
	g_autoptr(GError) error = NULL;
	g_autoptr(SimObject) stored = NULL;
	g_autofree gchar *msg = NULL;
	JsonObject *status;

	/* volume binding's PreBind: provision what waited for this pod */
	if (!sim_storage_bind_pod_volumes(ctl, pod, node, &error)) {
		status = sim_json_ensure(pod, "status", NULL);
		json_object_set_string_member(status, "phase", "Pending");
		sim_ctl_set_condition(status, "PodScheduled", "False", "SchedulerError",
				      error->message);
		stored = sim_ctl_write_status(ctl, ctl->r.pods, g_steal_pointer(&pod));
		return;
	}
	json_object_set_string_member(sim_json_ensure(pod, "spec", NULL), "nodeName", node);
	sim_scheduler_run_status(ctl, pod);
	msg = g_strdup_printf("Successfully assigned %s/%s to %s", sim_object_get_namespace(obj),
			      sim_object_get_name(obj), node);
	sim_ctl_event(ctl, pod, "Normal", "Scheduled", "default-scheduler", msg);
	stored = sim_ctl_write(ctl, ctl->r.pods, g_steal_pointer(&pod));
	/* account at once: the next pod of this pass must see the capacity gone */
	if (stored != NULL)
		sim_sched_update_pod(ctl->sched, sim_object_get_json(stored));
}

static void
sim_scheduler_unschedulable(SimCtl *ctl, SimObject *obj, const gchar *message)
{
	JsonObject *cur = sim_json_object(sim_object_get_json(obj), "status");
	JsonArray *conds = sim_json_array(cur, "conditions");
	g_autoptr(JsonObject) pod = NULL;
	g_autoptr(SimObject) stored = NULL;
	JsonObject *status;

	for (guint i = 0; conds != NULL && i < json_array_get_length(conds); i++) {
		JsonObject *c = json_array_get_object_element(conds, i);

		if (g_strcmp0(sim_json_string(c, "type"), "PodScheduled") == 0 &&
		    g_strcmp0(sim_json_string(c, "status"), "False") == 0 &&
		    g_strcmp0(sim_json_string(c, "message"), message) == 0)
			return; /* nothing new to say */
	}
	pod = sim_object_dup_json(obj);
	status = sim_json_ensure(pod, "status", NULL);
	json_object_set_string_member(status, "phase", "Pending");
	sim_ctl_set_condition(status, "PodScheduled", "False", "Unschedulable", message);
	sim_ctl_event(ctl, pod, "Warning", "FailedScheduling", "default-scheduler", message);
	stored = sim_ctl_write_status(ctl, ctl->r.pods, g_steal_pointer(&pod));
}

static gint
sim_scheduler_key_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar **)a, *(const gchar **)b);
}

static gboolean
sim_scheduler_run(SimCluster *cluster, gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k;

	ctl->sched_timer = 0;
	g_hash_table_iter_init(&it, ctl->sched_queue);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		g_ptr_array_add(keys, k);
		g_hash_table_iter_steal(&it);
	}
	/* a stable order, as reproducible as the fleet */
	g_ptr_array_sort(keys, sim_scheduler_key_cmp);
	for (guint i = 0; i < keys->len; i++) {
		g_auto(GStrv) parts = g_strsplit(keys->pdata[i], "/", 2);
		g_autoptr(SimObject) obj = sim_cluster_get(cluster, ctl->r.pods, parts[0], parts[1]);
		g_autofree gchar *node = NULL;
		g_autofree gchar *message = NULL;
		g_autoptr(GError) error = NULL;

		if (obj == NULL || !sim_scheduler_is_pending(sim_object_get_json(obj)))
			continue;
		if (sim_sched_schedule(ctl->sched, sim_object_get_json(obj), &node, &message,
				       &error)) {
			g_hash_table_remove(ctl->sched_parked, keys->pdata[i]);
			sim_scheduler_bind(ctl, obj, node);
			continue;
		}
		g_hash_table_add(ctl->sched_parked, g_strdup(keys->pdata[i]));
		sim_scheduler_unschedulable(ctl, obj, error != NULL ? error->message : message);
	}
	return G_SOURCE_REMOVE;
}

void
sim_scheduler_enqueue(SimCtl *ctl, const gchar *ns, const gchar *name)
{
	g_hash_table_add(ctl->sched_queue, g_strdup_printf("%s/%s", ns, name));
	sim_ctl_soon(ctl, &ctl->sched_timer, sim_scheduler_run);
}

void
sim_scheduler_requeue_all(SimCtl *ctl)
{
	GHashTableIter it;
	gpointer k;

	if (g_hash_table_size(ctl->sched_parked) == 0)
		return;
	g_hash_table_iter_init(&it, ctl->sched_parked);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_hash_table_add(ctl->sched_queue, g_strdup(k));
	sim_ctl_soon(ctl, &ctl->sched_timer, sim_scheduler_run);
}

/* The kubelet's side: a pod created already bound (spec.nodeName) starts running. */
static void
sim_scheduler_kubelet_start(SimCtl *ctl, SimObject *obj)
{
	JsonObject *json = sim_object_get_json(obj);
	const gchar *node = sim_json_string(sim_json_object(json, "spec"), "nodeName");
	g_autoptr(JsonObject) pod = NULL;
	g_autoptr(SimObject) stored = NULL;

	if (node == NULL || *node == '\0' ||
	    sim_json_string(sim_json_object(json, "status"), "phase") != NULL)
		return;
	pod = sim_object_dup_json(obj);
	sim_scheduler_run_status(ctl, pod);
	stored = sim_ctl_write_status(ctl, ctl->r.pods, g_steal_pointer(&pod));
}

static void
sim_scheduler_pod_changed(SimCluster *cluster, SimEventType type, SimObject *old_obj,
			  SimObject *new_obj, gpointer user_data)
{
	SimCtl *ctl = user_data;
	JsonObject *json = sim_object_get_json(new_obj);
	g_autofree gchar *key = sim_scheduler_key(new_obj);

	if (type == SIM_EVENT_DELETED) {
		sim_sched_remove_pod(ctl->sched, sim_object_get_namespace(new_obj),
				     sim_object_get_name(new_obj));
		g_hash_table_remove(ctl->sched_parked, key);
		sim_scheduler_requeue_all(ctl);
		return;
	}
	sim_sched_update_pod(ctl->sched, json);
	if (sim_scheduler_is_pending(json)) {
		if (!g_hash_table_contains(ctl->sched_parked, key) || type == SIM_EVENT_ADDED)
			sim_scheduler_enqueue(ctl, sim_object_get_namespace(new_obj),
					      sim_object_get_name(new_obj));
	} else if (type == SIM_EVENT_ADDED) {
		sim_scheduler_kubelet_start(ctl, new_obj);
	} else if (sim_pod_is_terminal(json) && old_obj != NULL &&
		   !sim_pod_is_terminal(sim_object_get_json(old_obj))) {
		sim_scheduler_requeue_all(ctl);
	}
}

static void
sim_scheduler_node_changed(SimCluster *cluster, SimEventType type, SimObject *old_obj,
			   SimObject *new_obj, gpointer user_data)
{
	SimCtl *ctl = user_data;

	if (type == SIM_EVENT_DELETED)
		sim_sched_remove_node(ctl->sched, sim_object_get_name(new_obj));
	else
		sim_sched_update_node(ctl->sched, sim_object_get_json(new_obj));
	sim_scheduler_requeue_all(ctl);
}

static gboolean
sim_scheduler_initial(SimCluster *cluster, gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) pods = sim_cluster_list(cluster, ctl->r.pods, NULL, NULL);

	for (guint i = 0; i < pods->len; i++) {
		JsonObject *json = sim_object_get_json(pods->pdata[i]);

		if (sim_scheduler_is_pending(json))
			sim_scheduler_enqueue(ctl, sim_object_get_namespace(pods->pdata[i]),
					      sim_object_get_name(pods->pdata[i]));
	}
	return G_SOURCE_REMOVE;
}

void
sim_scheduler_register(SimCtl *ctl)
{
	g_autoptr(GPtrArray) nodes = NULL;
	g_autoptr(GPtrArray) pods = NULL;

	if (ctl->r.nodes == NULL || ctl->r.pods == NULL)
		return;
	/* the cache first, synchronously: what the fleet files bound counts from the start */
	nodes = sim_cluster_list(ctl->cluster, ctl->r.nodes, NULL, NULL);
	for (guint i = 0; i < nodes->len; i++)
		sim_sched_update_node(ctl->sched, sim_object_get_json(nodes->pdata[i]));
	pods = sim_cluster_list(ctl->cluster, ctl->r.pods, NULL, NULL);
	for (guint i = 0; i < pods->len; i++)
		sim_sched_update_pod(ctl->sched, sim_object_get_json(pods->pdata[i]));
	sim_sched_add_filter(ctl->sched, sim_storage_prefilter, sim_storage_filter, ctl);
	sim_cluster_connect_changes(ctl->cluster, ctl->r.pods, sim_scheduler_pod_changed, ctl, NULL);
	sim_cluster_connect_changes(ctl->cluster, ctl->r.nodes, sim_scheduler_node_changed, ctl,
				    NULL);
	/* after the node lifecycle controller's first pass has tainted what is down */
	sim_cluster_add_timer(ctl->cluster, 10, sim_scheduler_initial, ctl, NULL);
}
