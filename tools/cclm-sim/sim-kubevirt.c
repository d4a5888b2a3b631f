/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * virt-controller's VM and VMI controllers (kubevirt pkg/virt-controller/watch/vm/vm.go,
 * watch/vmi/vmi.go), reduced to what a fleet needs to behave:
 * - a VM whose runStrategy is Always or RerunOnFailure, or with running: true, gets a VMI from
 *   its template (with virt-api's defaults), and its dataVolumeTemplates their DataVolumes; a
 *   stopped VM loses its VMI;
 * - a VMI gets its virt-launcher pod (sim-launcher.c renders it with the cluster's KubeVirt
 *   configuration) and follows it: Scheduling while the pod is unscheduled (with the pod's
 *   PodScheduled condition copied), Running with nodeName once bound, Failed when it is gone.
 * VMIs and launcher pods loaded from the fleet are adopted through the kubevirt.io/created-by
 * label, never re-created. The VMI phase handling is one function per phase step
 * (sim_kubevirt_sync_vmi), where a migration controller can add its target-pod steps.
 */
#include "config.h"

#include "sim-controllers.h"
#include "sim-json-util.h"
#include "sim-quantity.h"

#include <string.h>

static void
sim_kubevirt_load_config(SimCtl *ctl)
{
	g_autoptr(GPtrArray) kvs = NULL;

	sim_kubevirt_config_init(&ctl->kv);
	if (ctl->r.kubevirts == NULL)
		return;
	kvs = sim_cluster_list(ctl->cluster, ctl->r.kubevirts, NULL, NULL);
	if (kvs->len > 0)
		sim_kubevirt_config_from_cr(&ctl->kv, sim_object_get_json(kvs->pdata[0]));
}

static gboolean
sim_kubevirt_wants_running(JsonObject *vm)
{
	JsonObject *spec = sim_json_object(vm, "spec");
	const gchar *strategy = sim_json_string(spec, "runStrategy");

	if (strategy != NULL)
		return strcmp(strategy, "Always") == 0 || strcmp(strategy, "RerunOnFailure") == 0;
	return sim_json_bool(spec, "running", FALSE);
}

static SimObject *
sim_kubevirt_launcher_pod(SimCtl *ctl, SimObject *vmi)
{
	g_autofree gchar *text =
	    g_strdup_printf("kubevirt.io/created-by=%s", sim_object_get_uid(vmi));
	g_autoptr(SimSelector) sel = sim_selector_new_labels(text, NULL);
	g_autoptr(GPtrArray) pods = NULL;

	if (sel == NULL)
		return NULL;
	pods = sim_cluster_list(ctl->cluster, ctl->r.pods, sim_object_get_namespace(vmi), sel);
	/* the newest one is the live one (a migration target would be the second) */
	return pods->len > 0 ? sim_object_ref(pods->pdata[pods->len - 1]) : NULL;
}

static void
sim_kubevirt_owner(JsonObject *meta,
		   const gchar *api_version,
		   const gchar *kind,
		   const gchar *name,
		   const gchar *uid)
{
	JsonArray *owners = json_array_new();
	JsonObject *o = json_object_new();

	json_object_set_string_member(o, "apiVersion", api_version);
	json_object_set_boolean_member(o, "blockOwnerDeletion", TRUE);
	json_object_set_boolean_member(o, "controller", TRUE);
	json_object_set_string_member(o, "kind", kind);
	json_object_set_string_member(o, "name", name);
	json_object_set_string_member(o, "uid", uid);
	json_array_add_object_element(owners, o);
	json_object_set_array_member(meta, "ownerReferences", owners);
}

/* virt-api's VMI defaults that sizing depends on (vmi-mutator.go setDefaultResourceRequests,
 * setDefaultCPUModel, architecture) */
static void
sim_kubevirt_default_vmi_spec(SimCtl *ctl, JsonObject *spec)
{
	JsonObject *domain = sim_json_ensure(spec, "domain", NULL);
	JsonObject *requests = sim_json_ensure(domain, "resources", "requests", NULL);
	JsonObject *mem = sim_json_object(domain, "memory");

	if (!json_object_has_member(requests, "memory") && mem != NULL &&
	    json_object_has_member(mem, "guest")) {
		if (ctl->kv.memory_overcommit == 100) {
			json_object_set_member(
			    requests, "memory",
			    sim_json_node_dup(json_object_get_member(mem, "guest")));
		} else {
			SimQuantity q;

			if (sim_quantity_from_node(json_object_get_member(mem, "guest"), &q,
						   NULL)) {
				g_autofree gchar *v = sim_quantity_format_value(
				    sim_quantity_value(&q) * 100 / ctl->kv.memory_overcommit,
				    q.binary);

				json_object_set_string_member(requests, "memory", v);
			}
		}
	}
	if (sim_json_string(sim_json_object(domain, "cpu"), "model") == NULL)
		json_object_set_string_member(sim_json_ensure(domain, "cpu", NULL), "model",
					      "host-model");
	if (sim_json_string(spec, "architecture") == NULL)
		json_object_set_string_member(spec, "architecture", "amd64");
}

static void
sim_kubevirt_create_datavolumes(SimCtl *ctl, SimObject *vm)
{
	JsonArray *tmpls =
	    sim_json_array(sim_json_object(sim_object_get_json(vm), "spec"), "dataVolumeTemplates");

	for (guint i = 0;
	     ctl->r.datavolumes != NULL && tmpls != NULL && i < json_array_get_length(tmpls); i++) {
		JsonObject *t = json_array_get_object_element(tmpls, i);
		const gchar *name = sim_json_string(sim_json_object(t, "metadata"), "name");
		g_autoptr(SimObject) have = NULL;
		JsonObject *dv, *meta;
		g_autoptr(SimObject) stored = NULL;
		g_autoptr(GError) error = NULL;

		if (name == NULL)
			continue;
		have = sim_cluster_get(ctl->cluster, ctl->r.datavolumes,
				       sim_object_get_namespace(vm), name);
		if (have != NULL)
			continue;
		dv = json_object_new();
		json_object_set_string_member(dv, "apiVersion", "cdi.kubevirt.io/v1beta1");
		json_object_set_string_member(dv, "kind", "DataVolume");
		meta = sim_json_ensure(dv, "metadata", NULL);
		json_object_set_string_member(meta, "name", name);
		json_object_set_string_member(meta, "namespace", sim_object_get_namespace(vm));
		sim_kubevirt_owner(meta, "kubevirt.io/v1", "VirtualMachine",
				   sim_object_get_name(vm), sim_object_get_uid(vm));
		if (sim_json_object(t, "spec") != NULL)
			json_object_set_member(
			    dv, "spec", sim_json_node_dup(json_object_get_member(t, "spec")));
		stored = sim_cluster_create(ctl->cluster, ctl->r.datavolumes, dv, SIM_WRITE_NONE,
					    &error);
		if (stored == NULL)
			sim_ctl_event(ctl, sim_object_get_json(vm), "Warning", "FailedCreate",
				      "virtualmachine-controller", error->message);
	}
}

static void
sim_kubevirt_create_vmi(SimCtl *ctl, SimObject *vm)
{
	JsonObject *tmpl = sim_json_path_object(sim_object_get_json(vm), "spec", "template", NULL);
	JsonObject *vmi = json_object_new();
	JsonObject *meta = sim_json_ensure(vmi, "metadata", NULL);
	JsonObject *tmeta = sim_json_object(tmpl, "metadata");
	JsonObject *spec;
	g_autoptr(SimObject) stored = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *const copy[] = {"labels", "annotations"};

	json_object_set_string_member(vmi, "apiVersion", "kubevirt.io/v1");
	json_object_set_string_member(vmi, "kind", "VirtualMachineInstance");
	json_object_set_string_member(meta, "name", sim_object_get_name(vm));
	json_object_set_string_member(meta, "namespace", sim_object_get_namespace(vm));
	for (gsize i = 0; i < G_N_ELEMENTS(copy); i++) {
		if (sim_json_object(tmeta, copy[i]) != NULL)
			json_object_set_member(
			    meta, copy[i],
			    sim_json_node_dup(json_object_get_member(tmeta, copy[i])));
	}
	json_object_set_string_member(sim_json_ensure(meta, "annotations", NULL),
				      "kubevirt.io/vm-generation", "1");
	json_array_add_string_element(sim_json_ensure_array(meta, "finalizers"),
				      "kubevirt.io/virtualMachineControllerFinalize");
	sim_kubevirt_owner(meta, "kubevirt.io/v1", "VirtualMachine", sim_object_get_name(vm),
			   sim_object_get_uid(vm));
	spec = sim_json_object(tmpl, "spec") != NULL
		   ? sim_json_object_dup(sim_json_object(tmpl, "spec"))
		   : json_object_new();
	sim_kubevirt_default_vmi_spec(ctl, spec);
	json_object_set_object_member(vmi, "spec", spec);
	json_object_set_string_member(sim_json_ensure(vmi, "status", NULL), "phase", "Pending");
	stored = sim_cluster_create(ctl->cluster, ctl->r.vmis, vmi, SIM_WRITE_NONE, &error);
	if (stored == NULL)
		sim_ctl_event(ctl, sim_object_get_json(vm), "Warning", "FailedCreate",
			      "virtualmachine-controller", error->message);
	else
		sim_ctl_event(ctl, sim_object_get_json(vm), "Normal", "SuccessfulCreate",
			      "virtualmachine-controller",
			      "Started the virtual machine by creating the new virtual machine "
			      "instance");
}

/* The namespace facts the launcher renderer needs: limits-quotas and SR-IOV NADs. */
static void
sim_kubevirt_namespace(SimCtl *ctl, const gchar *ns, SimLauncherNamespace *out)
{
	g_autoptr(GPtrArray) quotas = NULL;

	memset(out, 0, sizeof(*out));
	out->nad_resources = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (ctl->r.quotas != NULL) {
		quotas = sim_cluster_list(ctl->cluster, ctl->r.quotas, ns, NULL);
		for (guint i = 0; i < quotas->len; i++) {
			JsonObject *hard = sim_json_path_object(
			    sim_object_get_json(quotas->pdata[i]), "spec", "hard", NULL);

			out->cpu_limits =
			    out->cpu_limits ||
			    (hard != NULL && json_object_has_member(hard, "limits.cpu"));
			out->memory_limits =
			    out->memory_limits ||
			    (hard != NULL && json_object_has_member(hard, "limits.memory"));
		}
	}
	if (ctl->r.nads != NULL) {
		g_autoptr(GPtrArray) nads = sim_cluster_list(ctl->cluster, ctl->r.nads, NULL, NULL);

		for (guint i = 0; i < nads->len; i++) {
			const gchar *rn = sim_json_string(
			    sim_json_path_object(sim_object_get_json(nads->pdata[i]), "metadata",
						 "annotations", NULL),
			    "k8s.v1.cni.cncf.io/resourceName");

			/* bridge CNI "resources" are not devices a pod requests */
			if (rn == NULL || g_str_has_prefix(rn, "bridge.network.kubevirt.io/"))
				continue;
			g_hash_table_insert(
			    out->nad_resources,
			    g_strdup_printf("%s/%s", sim_object_get_namespace(nads->pdata[i]),
					    sim_object_get_name(nads->pdata[i])),
			    g_strdup(rn));
		}
	}
}

static void
sim_kubevirt_set_phase(JsonObject *vmi, const gchar *phase)
{
	JsonObject *status = sim_json_ensure(vmi, "status", NULL);
	JsonArray *pts = sim_json_ensure_array(status, "phaseTransitionTimestamps");
	JsonObject *pt = json_object_new();
	g_autofree gchar *now = sim_now_rfc3339();

	json_object_set_string_member(status, "phase", phase);
	json_object_set_string_member(pt, "phase", phase);
	json_object_set_string_member(pt, "phaseTransitionTimestamp", now);
	json_array_add_object_element(pts, pt);
}

/* A pod creation failure with the generated pod name left out: every attempt draws a new
 * name, so two refusals for the same reason (quota, an invalid pod...) must compare equal, or
 * writing the condition again would trigger the next attempt forever. */
static gchar *
sim_kubevirt_failure_key(const gchar *message, const gchar *vmi_name)
{
	g_autofree gchar *prefix = g_strdup_printf("virt-launcher-%s-", vmi_name);
	GString *key = g_string_new(NULL);
	const gchar *p = message != NULL ? message : "";
	const gchar *hit;

	while ((hit = strstr(p, prefix)) != NULL) {
		g_string_append_len(key, p, hit - p);
		g_string_append(key, prefix);
		p = hit + strlen(prefix);
		while (g_ascii_isalnum(*p))
			p++;
	}
	g_string_append(key, p);
	return g_string_free(key, FALSE);
}

/* Pending: no launcher pod yet, render and create it. A refusal (quota, LimitRange) is reported
 * on the VMI and retried when the namespace's quotas or LimitRanges change. */
static void
sim_kubevirt_vmi_start(SimCtl *ctl, SimObject *vmi_obj)
{
	SimLauncherNamespace ns;
	g_autofree gchar *sfx = sim_ctl_suffix(ctl);
	g_autofree gchar *pod_name =
	    g_strdup_printf("virt-launcher-%s-%s", sim_object_get_name(vmi_obj), sfx);
	g_autoptr(GError) error = NULL;
	g_autoptr(SimObject) pod = NULL;
	g_autoptr(SimObject) stored = NULL;
	g_autoptr(JsonObject) vmi = sim_object_dup_json(vmi_obj);
	JsonObject *json;
	JsonObject *status = sim_json_ensure(vmi, "status", NULL);

	sim_kubevirt_namespace(ctl, sim_object_get_namespace(vmi_obj), &ns);
	json = sim_launcher_pod_new(sim_object_get_json(vmi_obj), &ctl->kv, &ns, pod_name, &error);
	g_hash_table_unref(ns.nad_resources);
	if (json != NULL) {
		/* fresh object: the renderer's status is the pod's initial one */
		pod = sim_cluster_create(ctl->cluster, ctl->r.pods, json, SIM_WRITE_NONE, &error);
	}
	if (pod == NULL) {
		g_autofree gchar *msg =
		    g_strdup_printf("failed to create virtual machine pod: %s", error->message);
		JsonArray *conds = sim_json_array(
		    sim_json_object(sim_object_get_json(vmi_obj), "status"), "conditions");

		g_autofree gchar *key = sim_kubevirt_failure_key(msg, sim_object_get_name(vmi_obj));

		for (guint i = 0; conds != NULL && i < json_array_get_length(conds); i++) {
			JsonObject *c = json_array_get_object_element(conds, i);
			g_autofree gchar *said = NULL;

			if (g_strcmp0(sim_json_string(c, "type"), "Synchronized") != 0)
				continue;
			/* already said (the pod's generated name differs between attempts) */
			said = sim_kubevirt_failure_key(sim_json_string(c, "message"),
							sim_object_get_name(vmi_obj));
			if (g_strcmp0(said, key) == 0)
				return;
		}
		sim_ctl_set_condition(status, "Synchronized", "False", "FailedCreate", msg);
		sim_ctl_event(ctl, vmi, "Warning", "FailedCreate", "virtualmachine-controller",
			      error->message);
		stored = sim_ctl_write(ctl, ctl->r.vmis, g_steal_pointer(&vmi));
		return;
	}
	sim_ctl_event(ctl, vmi, "Normal", "SuccessfulCreate", "virtualmachine-controller",
		      "Created virtual machine pod");
	json_object_remove_member(status, "conditions");
	sim_kubevirt_set_phase(vmi, "Scheduling");
	stored = sim_ctl_write(ctl, ctl->r.vmis, g_steal_pointer(&vmi));
}

/* Scheduling/Scheduled/Running: follow the launcher pod. */
static void
sim_kubevirt_vmi_follow(SimCtl *ctl, SimObject *vmi_obj, SimObject *pod_obj)
{
	JsonObject *cur = sim_object_get_json(vmi_obj);
	JsonObject *pod = sim_object_get_json(pod_obj);
	const gchar *phase = sim_json_string(sim_json_object(cur, "status"), "phase") ?: "";
	const gchar *pod_phase = sim_json_string(sim_json_object(pod, "status"), "phase") ?: "";
	const gchar *node = sim_json_string(sim_json_object(pod, "spec"), "nodeName");
	g_autoptr(JsonObject) vmi = NULL;
	g_autoptr(SimObject) stored = NULL;
	JsonObject *status;

	if (g_strcmp0(pod_phase, "Failed") == 0 || g_strcmp0(pod_phase, "Succeeded") == 0) {
		if (strcmp(phase, pod_phase) == 0)
			return;
		vmi = sim_object_dup_json(vmi_obj);
		sim_kubevirt_set_phase(vmi, pod_phase);
	} else if (node != NULL && *node != '\0' && strcmp(pod_phase, "Running") == 0) {
		const gchar *pod_ip = sim_json_string(sim_json_object(pod, "status"), "podIP");
		JsonObject *iface;
		JsonArray *ifaces;

		if (strcmp(phase, "Running") == 0 &&
		    g_strcmp0(sim_json_string(sim_json_object(cur, "status"), "nodeName"), node) ==
			0)
			return; /* adopted as it is */
		vmi = sim_object_dup_json(vmi_obj);
		status = sim_json_ensure(vmi, "status", NULL);
		json_object_set_string_member(sim_json_ensure(vmi, "metadata", "labels", NULL),
					      "kubevirt.io/nodeName", node);
		json_object_set_object_member(status, "activePods", json_object_new());
		json_object_set_string_member(sim_json_object(status, "activePods"),
					      sim_object_get_uid(pod_obj), node);
		json_object_set_object_member(status, "guestOSInfo", json_object_new());
		ifaces = json_array_new();
		iface = json_object_new();
		json_object_set_string_member(iface, "name", "default");
		if (pod_ip != NULL)
			json_object_set_string_member(iface, "ipAddress", pod_ip);
		json_array_add_object_element(ifaces, iface);
		json_object_set_array_member(status, "interfaces", ifaces);
		json_object_set_string_member(status, "migrationTransport", "Unix");
		json_object_set_string_member(status, "nodeName", node);
		json_object_set_string_member(
		    status, "qosClass",
		    sim_json_string(sim_json_object(pod, "status"), "qosClass") ?: "Burstable");
		sim_ctl_set_condition(status, "Ready", "True", NULL, NULL);
		sim_ctl_set_condition(status, "LiveMigratable", "True", NULL, NULL);
		{
			JsonArray *conds = sim_json_array(status, "conditions");

			/* the scheduling trouble is over */
			for (guint i = conds != NULL ? json_array_get_length(conds) : 0; i > 0;
			     i--) {
				JsonObject *c = json_array_get_object_element(conds, i - 1);

				if (g_strcmp0(sim_json_string(c, "type"), "PodScheduled") == 0 ||
				    g_strcmp0(sim_json_string(c, "type"), "Synchronized") == 0)
					json_array_remove_element(conds, i - 1);
			}
		}
		sim_kubevirt_set_phase(vmi, "Scheduled");
		sim_kubevirt_set_phase(vmi, "Running");
	} else {
		/* not bound yet: Scheduling, with the pod's PodScheduled condition */
		JsonArray *conds = sim_json_array(sim_json_object(pod, "status"), "conditions");
		JsonObject *ps = NULL;
		JsonArray *vconds = sim_json_array(sim_json_object(cur, "status"), "conditions");
		JsonObject *vps = NULL;

		for (guint i = 0; conds != NULL && i < json_array_get_length(conds); i++) {
			JsonObject *c = json_array_get_object_element(conds, i);

			if (g_strcmp0(sim_json_string(c, "type"), "PodScheduled") == 0)
				ps = c;
		}
		for (guint i = 0; vconds != NULL && i < json_array_get_length(vconds); i++) {
			JsonObject *c = json_array_get_object_element(vconds, i);

			if (g_strcmp0(sim_json_string(c, "type"), "PodScheduled") == 0)
				vps = c;
		}
		if (strcmp(phase, "Scheduling") == 0 &&
		    g_strcmp0(sim_json_string(ps, "message"), sim_json_string(vps, "message")) == 0)
			return;
		vmi = sim_object_dup_json(vmi_obj);
		status = sim_json_ensure(vmi, "status", NULL);
		if (ps != NULL && g_strcmp0(sim_json_string(ps, "status"), "False") == 0)
			sim_ctl_set_condition(status, "PodScheduled", "False",
					      sim_json_string(ps, "reason"),
					      sim_json_string(ps, "message"));
		if (strcmp(phase, "Scheduling") != 0)
			sim_kubevirt_set_phase(vmi, "Scheduling");
	}
	stored = sim_ctl_write(ctl, ctl->r.vmis, g_steal_pointer(&vmi));
}

/* The VMI phase machine. A VMI in a final phase is left alone; a migration controller would
 * add its target pod steps next to vmi_follow. */
static void
sim_kubevirt_sync_vmi(SimCtl *ctl, SimObject *vmi_obj)
{
	const gchar *phase =
	    sim_json_string(sim_json_object(sim_object_get_json(vmi_obj), "status"), "phase") ?: "";
	g_autoptr(SimObject) pod = NULL;

	if (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0 ||
	    sim_json_string(sim_json_object(sim_object_get_json(vmi_obj), "metadata"),
			    "deletionTimestamp") != NULL)
		return;
	pod = sim_kubevirt_launcher_pod(ctl, vmi_obj);
	if (pod != NULL) {
		sim_kubevirt_vmi_follow(ctl, vmi_obj, pod);
	} else if (*phase == '\0' || strcmp(phase, "Pending") == 0) {
		sim_kubevirt_vmi_start(ctl, vmi_obj);
	} else {
		/* its pod is gone: the VMI has failed */
		g_autoptr(JsonObject) vmi = sim_object_dup_json(vmi_obj);
		g_autoptr(SimObject) stored = NULL;

		sim_kubevirt_set_phase(vmi, "Failed");
		stored = sim_ctl_write(ctl, ctl->r.vmis, g_steal_pointer(&vmi));
	}
}

static const gchar *
sim_kubevirt_printable(SimObject *vmi)
{
	JsonObject *status = sim_json_object(sim_object_get_json(vmi), "status");
	const gchar *phase = sim_json_string(status, "phase") ?: "";
	JsonArray *conds = sim_json_array(status, "conditions");

	for (guint i = 0; conds != NULL && i < json_array_get_length(conds); i++) {
		JsonObject *c = json_array_get_object_element(conds, i);

		if (g_strcmp0(sim_json_string(c, "type"), "PodScheduled") == 0 &&
		    g_strcmp0(sim_json_string(c, "reason"), "Unschedulable") == 0)
			return "ErrorUnschedulable";
		if (g_strcmp0(sim_json_string(c, "type"), "Synchronized") == 0 &&
		    g_strcmp0(sim_json_string(c, "status"), "False") == 0)
			return "FailedCreate";
	}
	if (strcmp(phase, "Running") == 0)
		return "Running";
	if (strcmp(phase, "Failed") == 0 || strcmp(phase, "Succeeded") == 0)
		return "Stopped";
	return "Starting";
}

/* Starts or stops the VM's VMI as its run strategy says; @refresh_status (from VMI events)
 * also derives status.printableStatus from the VMI, so that a VM loaded from the fleet keeps
 * the status it was given until its VMI changes. */
static void
sim_kubevirt_sync_vm(SimCtl *ctl, SimObject *vm_obj, gboolean refresh_status)
{
	JsonObject *vm = sim_object_get_json(vm_obj);
	g_autoptr(SimObject) vmi =
	    sim_cluster_get(ctl->cluster, ctl->r.vmis, sim_object_get_namespace(vm_obj),
			    sim_object_get_name(vm_obj));
	gboolean run = sim_kubevirt_wants_running(vm);
	const gchar *printable;
	JsonObject *cur = sim_json_object(vm, "status");
	g_autoptr(JsonObject) copy = NULL;
	g_autoptr(SimObject) stored = NULL;
	JsonObject *status;

	if (sim_json_string(sim_json_object(vm, "metadata"), "deletionTimestamp") != NULL)
		return;
	if (run && vmi == NULL) {
		sim_kubevirt_create_datavolumes(ctl, vm_obj);
		sim_kubevirt_create_vmi(ctl, vm_obj);
		return; /* the VMI's ADDED event brings us back */
	}
	if (run && vmi != NULL) {
		const gchar *phase =
		    sim_json_string(sim_json_object(sim_object_get_json(vmi), "status"), "phase");

		/* Always and RerunOnFailure restart a failed VMI */
		if (g_strcmp0(phase, "Failed") == 0) {
			g_autoptr(SimObject) gone = sim_cluster_delete(
			    ctl->cluster, ctl->r.vmis, sim_object_get_namespace(vmi),
			    sim_object_get_name(vmi), NULL);
			return;
		}
	}
	if (!run && vmi != NULL) {
		g_autoptr(SimObject) gone =
		    sim_cluster_delete(ctl->cluster, ctl->r.vmis, sim_object_get_namespace(vmi),
				       sim_object_get_name(vmi), NULL);
		return; /* the VMI's DELETED event brings us back */
	}
	if (!refresh_status)
		return;
	printable = vmi != NULL ? sim_kubevirt_printable(vmi) : "Stopped";
	if (g_strcmp0(sim_json_string(cur, "printableStatus"), printable) == 0 &&
	    sim_json_bool(cur, "created", FALSE) == (vmi != NULL))
		return;
	copy = sim_object_dup_json(vm_obj);
	status = sim_json_ensure(copy, "status", NULL);
	json_object_set_string_member(status, "printableStatus", printable);
	json_object_set_boolean_member(status, "created", vmi != NULL);
	json_object_set_boolean_member(status, "ready", g_strcmp0(printable, "Running") == 0);
	sim_ctl_set_condition(status, "Ready",
			      g_strcmp0(printable, "Running") == 0 ? "True" : "False", NULL, NULL);
	stored = sim_ctl_write_status(ctl, ctl->r.vms, g_steal_pointer(&copy));
}

static SimObject *
sim_kubevirt_vm_of(SimCtl *ctl, SimObject *vmi)
{
	return sim_cluster_get(ctl->cluster, ctl->r.vms, sim_object_get_namespace(vmi),
			       sim_object_get_name(vmi));
}

static void
sim_kubevirt_vm_changed(SimCluster *cluster,
			SimEventType type,
			SimObject *old_obj,
			SimObject *new_obj,
			gpointer user_data)
{
	SimCtl *ctl = user_data;

	if (type == SIM_EVENT_DELETED) {
		/* the VMI goes with its VM (garbage collection) */
		g_autoptr(SimObject) gone =
		    sim_cluster_delete(cluster, ctl->r.vmis, sim_object_get_namespace(new_obj),
				       sim_object_get_name(new_obj), NULL);
		return;
	}
	sim_kubevirt_sync_vm(ctl, new_obj, FALSE);
}

static void
sim_kubevirt_vmi_changed(SimCluster *cluster,
			 SimEventType type,
			 SimObject *old_obj,
			 SimObject *new_obj,
			 gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(SimObject) vm = sim_kubevirt_vm_of(ctl, new_obj);

	if (type == SIM_EVENT_DELETED) {
		g_autoptr(SimObject) pod = NULL;

		while ((pod = sim_kubevirt_launcher_pod(ctl, new_obj)) != NULL) {
			g_autoptr(SimObject) gone =
			    sim_cluster_delete(cluster, ctl->r.pods, sim_object_get_namespace(pod),
					       sim_object_get_name(pod), NULL);

			g_clear_pointer(&pod, sim_object_unref);
			if (gone == NULL)
				break;
		}
	} else {
		sim_kubevirt_sync_vmi(ctl, new_obj);
	}
	if (vm != NULL)
		sim_kubevirt_sync_vm(ctl, vm, TRUE);
}

static void
sim_kubevirt_pod_changed(SimCluster *cluster,
			 SimEventType type,
			 SimObject *old_obj,
			 SimObject *new_obj,
			 gpointer user_data)
{
	SimCtl *ctl = user_data;
	JsonObject *labels = sim_object_get_labels(new_obj);
	JsonArray *owners = sim_json_array(
	    sim_json_object(sim_object_get_json(new_obj), "metadata"), "ownerReferences");
	g_autoptr(SimObject) vmi = NULL;

	if (g_strcmp0(sim_json_string(labels, "kubevirt.io"), "virt-launcher") != 0)
		return;
	for (guint i = 0; owners != NULL && i < json_array_get_length(owners); i++) {
		JsonObject *o = json_array_get_object_element(owners, i);

		if (g_strcmp0(sim_json_string(o, "kind"), "VirtualMachineInstance") == 0)
			vmi =
			    sim_cluster_get(cluster, ctl->r.vmis, sim_object_get_namespace(new_obj),
					    sim_json_string(o, "name"));
	}
	if (vmi != NULL && g_strcmp0(sim_object_get_uid(vmi),
				     sim_json_string(labels, "kubevirt.io/created-by")) == 0)
		sim_kubevirt_sync_vmi(ctl, vmi);
}

/* Quotas changed (usage went down, limits went up): retry VMIs whose pod was refused. */
static void
sim_kubevirt_quota_changed(SimCluster *cluster,
			   SimEventType type,
			   SimObject *old_obj,
			   SimObject *new_obj,
			   gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) vmis =
	    sim_cluster_list(cluster, ctl->r.vmis, sim_object_get_namespace(new_obj), NULL);

	for (guint i = 0; i < vmis->len; i++) {
		const gchar *phase = sim_json_string(
		    sim_json_object(sim_object_get_json(vmis->pdata[i]), "status"), "phase");

		if (phase == NULL || strcmp(phase, "Pending") == 0)
			sim_kubevirt_sync_vmi(ctl, vmis->pdata[i]);
	}
}

static void
sim_kubevirt_config_changed(SimCluster *cluster,
			    SimEventType type,
			    SimObject *old_obj,
			    SimObject *new_obj,
			    gpointer user_data)
{
	sim_kubevirt_load_config(user_data);
}

static gboolean
sim_kubevirt_initial(SimCluster *cluster, gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) vms = sim_cluster_list(cluster, ctl->r.vms, NULL, NULL);
	g_autoptr(GPtrArray) vmis = sim_cluster_list(cluster, ctl->r.vmis, NULL, NULL);
	g_autoptr(SimSelector) sel = sim_selector_new_labels("kubevirt.io=virt-launcher", NULL);
	g_autoptr(GPtrArray) pods = sim_cluster_list(cluster, ctl->r.pods, NULL, sel);
	g_autoptr(GHashTable) by_vmi = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) has_vmi =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	/* adoption by labels alone (the store keeps them parsed): a VMI labelled with the node
	 * its launcher pod is labelled with is running as the files say */
	for (guint i = 0; i < pods->len; i++) {
		const gchar *uid = sim_json_string(sim_object_get_labels(pods->pdata[i]),
						   "kubevirt.io/created-by");

		if (uid != NULL)
			g_hash_table_insert(by_vmi, (gpointer)uid, pods->pdata[i]);
	}
	for (guint i = 0; i < vmis->len; i++) {
		SimObject *pod = g_hash_table_lookup(by_vmi, sim_object_get_uid(vmis->pdata[i]));
		const gchar *node =
		    sim_json_string(sim_object_get_labels(vmis->pdata[i]), "kubevirt.io/nodeName");

		g_hash_table_add(has_vmi,
				 g_strdup_printf("%s/%s", sim_object_get_namespace(vmis->pdata[i]),
						 sim_object_get_name(vmis->pdata[i])));
		if (node != NULL && pod != NULL &&
		    g_strcmp0(sim_json_string(sim_object_get_labels(pod), "kubevirt.io/nodeName"),
			      node) == 0)
			continue;
		sim_kubevirt_sync_vmi(ctl, vmis->pdata[i]);
	}
	/* only VMs without a VMI can need one; a VM and its VMI from the files stand as given */
	for (guint i = 0; i < vms->len; i++) {
		g_autofree gchar *key =
		    g_strdup_printf("%s/%s", sim_object_get_namespace(vms->pdata[i]),
				    sim_object_get_name(vms->pdata[i]));

		if (!g_hash_table_contains(has_vmi, key))
			sim_kubevirt_sync_vm(ctl, vms->pdata[i], FALSE);
	}
	return G_SOURCE_REMOVE;
}

void
sim_kubevirt_register(SimCtl *ctl)
{
	if (ctl->r.vms == NULL || ctl->r.vmis == NULL || ctl->r.pods == NULL)
		return;
	sim_kubevirt_load_config(ctl);
	if (ctl->r.kubevirts != NULL)
		sim_cluster_connect_changes(ctl->cluster, ctl->r.kubevirts,
					    sim_kubevirt_config_changed, ctl, NULL);
	sim_cluster_connect_changes(ctl->cluster, ctl->r.vms, sim_kubevirt_vm_changed, ctl, NULL);
	sim_cluster_connect_changes(ctl->cluster, ctl->r.vmis, sim_kubevirt_vmi_changed, ctl, NULL);
	sim_cluster_connect_changes(ctl->cluster, ctl->r.pods, sim_kubevirt_pod_changed, ctl, NULL);
	if (ctl->r.quotas != NULL)
		sim_cluster_connect_changes(ctl->cluster, ctl->r.quotas, sim_kubevirt_quota_changed,
					    ctl, NULL);
	/* a LimitRange that refused a launcher pod may be relaxed, as a quota may */
	if (ctl->r.limitranges != NULL)
		sim_cluster_connect_changes(ctl->cluster, ctl->r.limitranges,
					    sim_kubevirt_quota_changed, ctl, NULL);
	sim_cluster_add_timer(ctl->cluster, 3, sim_kubevirt_initial, ctl, NULL);
}
