/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The node lifecycle controller's taints (kubernetes pkg/controller/nodelifecycle): a node whose
 * Ready condition is False gets node.kubernetes.io/not-ready, Unknown (or no Ready condition)
 * node.kubernetes.io/unreachable, each as NoSchedule (TaintNodesByCondition) and NoExecute (with
 * timeAdded); pressure conditions and spec.unschedulable get their NoSchedule taints. Taints
 * it owns are removed when the condition clears; others are left alone.
 */
#include "config.h"

#include "sim-controllers.h"
#include "sim-json-util.h"

#include <string.h>

static const gchar *const sim_lifecycle_keys[] = {
    "node.kubernetes.io/not-ready",	 "node.kubernetes.io/unreachable",
    "node.kubernetes.io/memory-pressure", "node.kubernetes.io/disk-pressure",
    "node.kubernetes.io/pid-pressure",	 "node.kubernetes.io/network-unavailable",
    "node.kubernetes.io/unschedulable",
};

static gboolean
sim_lifecycle_owned(const gchar *key)
{
	for (gsize i = 0; i < G_N_ELEMENTS(sim_lifecycle_keys); i++) {
		if (g_strcmp0(key, sim_lifecycle_keys[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static const gchar *
sim_lifecycle_condition(JsonObject *node, const gchar *type)
{
	JsonArray *conds = sim_json_array(sim_json_object(node, "status"), "conditions");

	for (guint i = 0; conds != NULL && i < json_array_get_length(conds); i++) {
		JsonObject *c = json_array_get_object_element(conds, i);

		if (g_strcmp0(sim_json_string(c, "type"), type) == 0)
			return sim_json_string(c, "status");
	}
	return NULL;
}

/* The taints this controller wants on @node, in the order Kubernetes adds them. */
static GPtrArray *
sim_lifecycle_wanted(JsonObject *node)
{
	GPtrArray *want = g_ptr_array_new_with_free_func(g_free);
	const gchar *ready = sim_lifecycle_condition(node, "Ready");
	static const struct {
		const gchar *cond, *key;
	} pressure[] = {
	    {"MemoryPressure", "node.kubernetes.io/memory-pressure"},
	    {"DiskPressure", "node.kubernetes.io/disk-pressure"},
	    {"PIDPressure", "node.kubernetes.io/pid-pressure"},
	    {"NetworkUnavailable", "node.kubernetes.io/network-unavailable"},
	};
	const gchar *down = NULL;

	if (g_strcmp0(ready, "False") == 0)
		down = "node.kubernetes.io/not-ready";
	else if (g_strcmp0(ready, "True") != 0)
		down = "node.kubernetes.io/unreachable";
	if (down != NULL) {
		g_ptr_array_add(want, g_strdup_printf("%s:NoSchedule", down));
		g_ptr_array_add(want, g_strdup_printf("%s:NoExecute", down));
	}
	for (gsize i = 0; i < G_N_ELEMENTS(pressure); i++) {
		if (g_strcmp0(sim_lifecycle_condition(node, pressure[i].cond), "True") == 0)
			g_ptr_array_add(want, g_strdup_printf("%s:NoSchedule", pressure[i].key));
	}
	if (sim_json_bool(sim_json_object(node, "spec"), "unschedulable", FALSE))
		g_ptr_array_add(want, g_strdup("node.kubernetes.io/unschedulable:NoSchedule"));
	return want;
}

static gboolean
sim_lifecycle_has(GPtrArray *list, const gchar *item)
{
	for (guint i = 0; i < list->len; i++) {
		if (strcmp(list->pdata[i], item) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
sim_lifecycle_sync(SimCtl *ctl, SimObject *obj)
{
	JsonObject *node = sim_object_get_json(obj);
	JsonArray *taints = sim_json_array(sim_json_object(node, "spec"), "taints");
	g_autoptr(GPtrArray) want = sim_lifecycle_wanted(node);
	g_autoptr(GPtrArray) have = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(JsonObject) copy = NULL;
	JsonArray *out;
	gboolean changed = FALSE;
	g_autofree gchar *now = NULL;
	g_autoptr(SimObject) stored = NULL;

	for (guint i = 0; taints != NULL && i < json_array_get_length(taints); i++) {
		JsonObject *t = json_array_get_object_element(taints, i);
		g_autofree gchar *id = g_strdup_printf("%s:%s", sim_json_string(t, "key") ?: "",
						       sim_json_string(t, "effect") ?: "");

		if (sim_lifecycle_owned(sim_json_string(t, "key")) && !sim_lifecycle_has(want, id))
			changed = TRUE;
		g_ptr_array_add(have, g_steal_pointer(&id));
	}
	for (guint i = 0; i < want->len; i++) {
		if (!sim_lifecycle_has(have, want->pdata[i]))
			changed = TRUE;
	}
	if (!changed)
		return;

	copy = sim_object_dup_json(obj);
	out = json_array_new();
	now = sim_now_rfc3339();
	for (guint i = 0; taints != NULL && i < json_array_get_length(taints); i++) {
		JsonObject *t = json_array_get_object_element(taints, i);

		if (sim_lifecycle_owned(sim_json_string(t, "key")) &&
		    !sim_lifecycle_has(want, have->pdata[i]))
			continue;
		json_array_add_element(out, sim_json_node_dup(json_array_get_element(taints, i)));
	}
	for (guint i = 0; i < want->len; i++) {
		g_auto(GStrv) parts = NULL;
		JsonObject *t;

		if (sim_lifecycle_has(have, want->pdata[i]))
			continue;
		parts = g_strsplit(want->pdata[i], ":", 2);
		t = json_object_new();
		json_object_set_string_member(t, "effect", parts[1]);
		json_object_set_string_member(t, "key", parts[0]);
		if (strcmp(parts[1], "NoExecute") == 0)
			json_object_set_string_member(t, "timeAdded", now);
		json_array_add_object_element(out, t);
	}
	if (json_array_get_length(out) > 0)
		json_object_set_array_member(sim_json_ensure(copy, "spec", NULL), "taints", out);
	else {
		json_array_unref(out);
		json_object_remove_member(sim_json_ensure(copy, "spec", NULL), "taints");
	}
	g_clear_pointer(&stored, sim_object_unref);
	stored = sim_ctl_write(ctl, ctl->r.nodes, g_steal_pointer(&copy));
}

static void
sim_lifecycle_changed(SimCluster *cluster, SimEventType type, SimObject *old_obj,
		      SimObject *new_obj, gpointer user_data)
{
	if (type != SIM_EVENT_DELETED)
		sim_lifecycle_sync(user_data, new_obj);
}

static gboolean
sim_lifecycle_initial(SimCluster *cluster, gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) nodes = sim_cluster_list(cluster, ctl->r.nodes, NULL, NULL);

	for (guint i = 0; i < nodes->len; i++)
		sim_lifecycle_sync(ctl, nodes->pdata[i]);
	return G_SOURCE_REMOVE;
}

void
sim_nodelifecycle_register(SimCtl *ctl)
{
	if (ctl->r.nodes == NULL)
		return;
	sim_cluster_connect_changes(ctl->cluster, ctl->r.nodes, sim_lifecycle_changed, ctl, NULL);
	sim_cluster_add_timer(ctl->cluster, 1, sim_lifecycle_initial, ctl, NULL);
}
