/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sim-controllers.h"

#include "sim-json-util.h"

#include <string.h>

void
sim_ctl_soon(SimCtl *ctl, guint *timer, SimTimerFunc func)
{
	/* a few milliseconds: a burst of changes is handled in one pass */
	if (*timer == 0)
		*timer = sim_cluster_add_timer(ctl->cluster, 5, func, ctl, NULL);
}

gchar *
sim_ctl_suffix(SimCtl *ctl)
{
	static const gchar alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	guint64 v = ++ctl->name_seq * 0x9e3779b97f4a7c15ULL ^ g_str_hash(sim_cluster_get_name(ctl->cluster));
	gchar out[6];

	for (gsize i = 0; i < 5; i++) {
		out[i] = alphabet[v % (sizeof(alphabet) - 1)];
		v /= sizeof(alphabet) - 1;
	}
	out[5] = '\0';
	return g_strdup(out);
}

SimObject *
sim_ctl_write(SimCtl *ctl, const SimResource *res, JsonObject *json)
{
	g_autoptr(GError) error = NULL;
	SimObject *obj = sim_cluster_update(ctl->cluster, res, json, SIM_WRITE_FORCE, &error);

	if (obj == NULL)
		g_debug("%s: %s", sim_cluster_get_name(ctl->cluster), error->message);
	return obj;
}

SimObject *
sim_ctl_write_status(SimCtl *ctl, const SimResource *res, JsonObject *json)
{
	g_autoptr(GError) error = NULL;
	SimObject *obj = sim_cluster_update(ctl->cluster, res, json,
					    SIM_WRITE_FORCE | SIM_WRITE_STATUS, &error);

	if (obj == NULL)
		g_debug("%s: %s", sim_cluster_get_name(ctl->cluster), error->message);
	return obj;
}

void
sim_ctl_set_condition(JsonObject *status,
		      const gchar *type,
		      const gchar *cond_status,
		      const gchar *reason,
		      const gchar *message)
{
	JsonArray *conds = sim_json_ensure_array(status, "conditions");
	JsonObject *cond = NULL;
	g_autofree gchar *now = sim_now_rfc3339();

	for (guint i = 0; i < json_array_get_length(conds); i++) {
		JsonObject *c = json_array_get_object_element(conds, i);

		if (g_strcmp0(sim_json_string(c, "type"), type) == 0)
			cond = c;
	}
	if (cond == NULL) {
		cond = json_object_new();
		json_array_add_object_element(conds, cond);
		json_object_set_string_member(cond, "type", type);
	}
	if (g_strcmp0(sim_json_string(cond, "status"), cond_status) != 0)
		json_object_set_string_member(cond, "lastTransitionTime", now);
	json_object_set_null_member(cond, "lastProbeTime");
	json_object_set_string_member(cond, "status", cond_status);
	if (reason != NULL)
		json_object_set_string_member(cond, "reason", reason);
	else
		json_object_remove_member(cond, "reason");
	if (message != NULL)
		json_object_set_string_member(cond, "message", message);
	else
		json_object_remove_member(cond, "message");
}

void
sim_ctl_event(SimCtl *ctl,
	      JsonObject *obj,
	      const gchar *type,
	      const gchar *reason,
	      const gchar *component,
	      const gchar *message)
{
	JsonObject *meta = sim_json_object(obj, "metadata");
	const gchar *ns = sim_json_string(meta, "namespace") ?: "default";
	const gchar *name = sim_json_string(meta, "name") ?: "";
	JsonObject *ev, *emeta, *ref, *src;
	g_autofree gchar *evname = NULL;
	g_autofree gchar *now = sim_now_rfc3339();
	g_autoptr(GError) error = NULL;
	g_autoptr(SimObject) stored = NULL;

	if (ctl->r.events == NULL)
		return;
	evname = g_strdup_printf("%s.%016" G_GINT64_MODIFIER "x", name,
				 (guint64)++ctl->event_seq + (guint64)g_get_real_time() * 1000);
	ev = json_object_new();
	json_object_set_string_member(ev, "apiVersion", "v1");
	json_object_set_string_member(ev, "kind", "Event");
	emeta = sim_json_ensure(ev, "metadata", NULL);
	json_object_set_string_member(emeta, "name", evname);
	json_object_set_string_member(emeta, "namespace", ns);
	ref = sim_json_ensure(ev, "involvedObject", NULL);
	json_object_set_string_member(ref, "apiVersion", sim_json_string(obj, "apiVersion") ?: "v1");
	json_object_set_string_member(ref, "kind", sim_json_string(obj, "kind") ?: "");
	json_object_set_string_member(ref, "name", name);
	json_object_set_string_member(ref, "namespace", ns);
	if (sim_json_string(meta, "uid") != NULL)
		json_object_set_string_member(ref, "uid", sim_json_string(meta, "uid"));
	json_object_set_int_member(ev, "count", 1);
	json_object_set_string_member(ev, "firstTimestamp", now);
	json_object_set_string_member(ev, "lastTimestamp", now);
	json_object_set_string_member(ev, "message", message);
	json_object_set_string_member(ev, "reason", reason);
	json_object_set_string_member(ev, "reportingComponent", component);
	json_object_set_string_member(ev, "reportingInstance", "");
	src = sim_json_ensure(ev, "source", NULL);
	json_object_set_string_member(src, "component", component);
	json_object_set_string_member(ev, "type", type);
	stored = sim_cluster_create(ctl->cluster, ctl->r.events, ev, SIM_WRITE_NONE, &error);
	if (stored == NULL)
		g_debug("%s: event: %s", sim_cluster_get_name(ctl->cluster), error->message);
}

static void
sim_ctl_free(SimCtl *ctl)
{
	sim_sched_free(ctl->sched);
	g_hash_table_unref(ctl->sched_queue);
	g_hash_table_unref(ctl->sched_parked);
	g_hash_table_unref(ctl->quota_dirty);
	g_hash_table_unref(ctl->pvc_queue);
	g_free(ctl);
}

void
sim_controllers_register(SimCluster *cluster)
{
	SimCtl *ctl = g_new0(SimCtl, 1);
	SimCtlResources *r = &ctl->r;

	ctl->cluster = cluster;
	r->nodes = sim_cluster_resource(cluster, "nodes");
	r->pods = sim_cluster_resource(cluster, "pods");
	r->pvcs = sim_cluster_resource(cluster, "persistentvolumeclaims");
	r->pvs = sim_cluster_resource(cluster, "persistentvolumes");
	r->storageclasses = sim_cluster_resource(cluster, "storageclasses.storage.k8s.io");
	r->csidrivers = sim_cluster_resource(cluster, "csidrivers.storage.k8s.io");
	r->capacities = sim_cluster_resource(cluster, "csistoragecapacities.storage.k8s.io");
	r->quotas = sim_cluster_resource(cluster, "resourcequotas");
	r->limitranges = sim_cluster_resource(cluster, "limitranges");
	r->events = sim_cluster_resource(cluster, "events");
	r->namespaces = sim_cluster_resource(cluster, "namespaces");
	r->vms = sim_cluster_resource(cluster, "virtualmachines.kubevirt.io");
	r->vmis = sim_cluster_resource(cluster, "virtualmachineinstances.kubevirt.io");
	r->kubevirts = sim_cluster_resource(cluster, "kubevirts.kubevirt.io");
	r->datavolumes = sim_cluster_resource(cluster, "datavolumes.cdi.kubevirt.io");
	r->nads = sim_cluster_resource(cluster, "network-attachment-definitions.k8s.cni.cncf.io");
	ctl->sched = sim_sched_new();
	ctl->sched_queue = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ctl->sched_parked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ctl->quota_dirty = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ctl->pvc_queue = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	sim_kubevirt_config_init(&ctl->kv);
	sim_cluster_set_data(cluster, "sim-ctl", ctl, (GDestroyNotify)sim_ctl_free);

	/* admission order as in kube-apiserver: LimitRanger before ResourceQuota */
	sim_quota_register(ctl);
	sim_nodelifecycle_register(ctl);
	sim_storage_register(ctl);
	sim_scheduler_register(ctl);
	sim_kubevirt_register(ctl);
}
