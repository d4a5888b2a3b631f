/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * cclm-sim's controllers against its store, without the server: objects are loaded as the fleet
 * loader does (or created through admission as the API does), then the main loop runs until
 * the expected state is reached (polled, never slept for).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sim-fleet.h"
#include "sim-generate.h"
#include "sim-json-util.h"
#include "sim-quantity.h"
#include "sim-store.h"

#define MI ((gint64)1024 * 1024)
#define GI (MI * 1024)

typedef struct {
	SimCluster *cluster;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	fx->cluster = sim_cluster_new("test");
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_clear_pointer(&fx->cluster, sim_cluster_free);
}

/* Creates the YAML documents' objects, as loaded from a fleet (@load) or through the API. */
static void
apply(Fixture *fx, const gchar *yaml, gboolean load)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) docs = sim_yaml_parse(yaml, strlen(yaml), "test", &error);

	g_assert_no_error(error);
	for (guint i = 0; i < docs->len; i++) {
		JsonObject *o;
		const SimResource *res;
		g_autoptr(SimObject) obj = NULL;

		if (!JSON_NODE_HOLDS_OBJECT((JsonNode *)docs->pdata[i]))
			continue; /* the empty document after a final --- */
		o = json_node_get_object(docs->pdata[i]);
		res = sim_cluster_lookup_kind(fx->cluster, sim_json_string(o, "apiVersion"),
					      sim_json_string(o, "kind"));

		g_assert_nonnull(res);
		obj = sim_cluster_create(fx->cluster, res, sim_json_object_dup(o),
					 load ? SIM_WRITE_LOAD : SIM_WRITE_NONE, &error);
		g_assert_no_error(error);
	}
}

static SimObject *
get(Fixture *fx, const gchar *resource, const gchar *ns, const gchar *name)
{
	return sim_cluster_get(fx->cluster, sim_cluster_resource(fx->cluster, resource), ns, name);
}

static gboolean
timed_out_cb(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

typedef gboolean (*Check)(Fixture *fx, gconstpointer data);

/* Runs the main loop until @check holds (fails after 10 s). */
static void
wait_for(Fixture *fx, Check check, gconstpointer data, const gchar *what)
{
	gboolean timed_out = FALSE;
	guint id = g_timeout_add_seconds(10, timed_out_cb, &timed_out);

	while (!check(fx, data) && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	if (timed_out) {
		g_autoptr(GPtrArray) all = sim_cluster_list_resources(fx->cluster);

		/* show the cluster as it stands */
		for (guint r = 0; r < all->len; r++) {
			g_autoptr(GPtrArray) objs =
			    sim_cluster_list(fx->cluster, all->pdata[r], NULL, NULL);

			for (guint i = 0; i < objs->len; i++) {
				GBytes *b = sim_object_get_bytes(objs->pdata[i]);

				g_test_message("%.*s", (int)g_bytes_get_size(b),
					       (const gchar *)g_bytes_get_data(b, NULL));
			}
		}
		g_error("timed out waiting for %s", what);
	}
	g_source_remove(id);
}

/* "resource ns/name path=value": the string at a dotted path; list[X] picks the element whose
 * type or key is X */
typedef struct {
	const gchar *resource, *ns, *name, *path, *value;
} Expect;

static const gchar *
lookup(JsonObject *o, const gchar *path)
{
	/* '>' separates when keys hold dots ("status>hard>requests.memory") */
	g_auto(GStrv) parts = g_strsplit(path, strchr(path, '>') != NULL ? ">" : ".", -1);

	for (guint i = 0; parts[i] != NULL && o != NULL; i++) {
		gchar *br = strchr(parts[i], '[');

		if (parts[i + 1] == NULL && br == NULL)
			return sim_json_string(o, parts[i]);
		if (br != NULL) {
			JsonArray *a;
			gchar *type = br + 1;
			JsonObject *found = NULL;

			*br = '\0';
			type[strlen(type) - 1] = '\0';
			a = sim_json_array(o, parts[i]);
			for (guint j = 0; a != NULL && j < json_array_get_length(a); j++) {
				JsonObject *e = json_array_get_object_element(a, j);

				if (g_strcmp0(sim_json_string(e, "type"), type) == 0 ||
				    g_strcmp0(sim_json_string(e, "key"), type) == 0)
					found = e;
			}
			o = found;
			continue;
		}
		o = sim_json_object(o, parts[i]);
	}
	return NULL;
}

static gboolean
check_expect(Fixture *fx, gconstpointer data)
{
	const Expect *e = data;
	g_autoptr(SimObject) obj = get(fx, e->resource, e->ns, e->name);

	return obj != NULL && g_strcmp0(lookup(sim_object_get_json(obj), e->path), e->value) == 0;
}

static void
expect(Fixture *fx,
       const gchar *resource,
       const gchar *ns,
       const gchar *name,
       const gchar *path,
       const gchar *value)
{
	Expect e = {resource, ns, name, path, value};
	g_autofree gchar *what =
	    g_strdup_printf("%s %s/%s %s == %s", resource, ns, name, path, value);

	wait_for(fx, check_expect, &e, what);
}

#define NODE(name, cpu, mem, extra_labels)                                                        \
	"apiVersion: v1\nkind: Node\nmetadata:\n  name: " name "\n  labels:\n"                    \
	"    kubernetes.io/hostname: " name "\n    kubevirt.io/schedulable: \"true\"\n"           \
	"    kubernetes.io/arch: amd64\n" extra_labels "status:\n  allocatable:\n    cpu: \"" cpu \
	"\"\n    memory: " mem                                                                    \
	"\n    pods: \"110\"\n    ephemeral-storage: 100Gi\n    devices.kubevirt.io/kvm: 1k\n"    \
	"    devices.kubevirt.io/tun: 1k\n    devices.kubevirt.io/vhost-net: 1k\n"                \
	"  conditions:\n  - type: Ready\n    status: \"True\"\n---\n"

#define POD(name, mem, extra)                                                                   \
	"apiVersion: v1\nkind: Pod\nmetadata:\n  name: " name "\n  namespace: default\nspec:\n" \
	"  containers:\n  - name: c\n    image: registry.example.com/app:1\n    resources:\n"   \
	"      requests:\n        memory: " mem "\n" extra "---\n"

static void
test_schedule(Fixture *fx, gconstpointer data)
{
	apply(fx, NODE("n1", "4", "8Gi", "") POD("fits", "2Gi", "") POD("big", "20Gi", ""), TRUE);
	sim_controllers_register(fx->cluster);
	expect(fx, "pods", "default", "fits", "spec.nodeName", "n1");
	expect(fx, "pods", "default", "fits", "status.phase", "Running");
	expect(fx, "pods", "default", "fits", "status.conditions[PodScheduled].status", "True");
	expect(fx, "pods", "default", "big", "status.conditions[PodScheduled].reason",
	       "Unschedulable");
	expect(fx, "pods", "default", "big", "status.conditions[PodScheduled].message",
	       "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are "
	       "available: 1 No preemption victims found for incoming pod.");
	expect(fx, "pods", "default", "big", "status.phase", "Pending");
	/* a node that fits it joins: the pod is retried and bound */
	apply(fx, NODE("n2", "8", "64Gi", ""), FALSE);
	expect(fx, "pods", "default", "big", "spec.nodeName", "n2");
}

static void
test_schedule_taints(Fixture *fx, gconstpointer data)
{
	apply(fx,
	      NODE("gpu", "32", "128Gi", "") POD("p", "1Gi", "")
		  POD("tol", "1Gi", "  tolerations:\n  - key: dedicated\n    operator: Exists\n"),
	      TRUE);
	{
		/* taint the node before the controllers see it */
		g_autoptr(SimObject) n = get(fx, "nodes", "", "gpu");
		g_autoptr(JsonObject) copy = sim_object_dup_json(n);
		g_autoptr(GError) error = NULL;
		g_autoptr(SimObject) stored = NULL;
		JsonObject *t = json_object_new();
		JsonArray *taints = json_array_new();

		json_object_set_string_member(t, "key", "dedicated");
		json_object_set_string_member(t, "value", "gpu");
		json_object_set_string_member(t, "effect", "NoSchedule");
		json_array_add_object_element(taints, t);
		json_object_set_array_member(sim_json_ensure(copy, "spec", NULL), "taints", taints);
		stored = sim_cluster_update(fx->cluster, sim_cluster_resource(fx->cluster, "nodes"),
					    g_steal_pointer(&copy), SIM_WRITE_FORCE, &error);
		g_assert_no_error(error);
	}
	sim_controllers_register(fx->cluster);
	expect(fx, "pods", "default", "tol", "spec.nodeName", "gpu");
	expect(fx, "pods", "default", "p", "status.conditions[PodScheduled].message",
	       "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. "
	       "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
}

static void
test_node_lifecycle(Fixture *fx, gconstpointer data)
{
	apply(fx,
	      "apiVersion: v1\nkind: Node\nmetadata:\n  name: down\nstatus:\n  conditions:\n"
	      "  - type: Ready\n    status: Unknown\n---\n"
	      "apiVersion: v1\nkind: Node\nmetadata:\n  name: sick\nstatus:\n  conditions:\n"
	      "  - type: Ready\n    status: \"False\"\n  - type: DiskPressure\n    status: "
	      "\"True\"\n",
	      TRUE);
	sim_controllers_register(fx->cluster);
	expect(fx, "nodes", "", "down", "spec>taints[node.kubernetes.io/unreachable]>effect",
	       "NoExecute");
	expect(fx, "nodes", "", "sick", "spec>taints[node.kubernetes.io/disk-pressure]>effect",
	       "NoSchedule");
	expect(fx, "nodes", "", "sick", "spec>taints[node.kubernetes.io/not-ready]>effect",
	       "NoExecute");
	{
		g_autoptr(SimObject) n = get(fx, "nodes", "", "down");
		JsonArray *taints =
		    sim_json_array(sim_json_object(sim_object_get_json(n), "spec"), "taints");

		/* NoSchedule (TaintNodesByCondition) then NoExecute (with timeAdded) */
		g_assert_cmpuint(json_array_get_length(taints), ==, 2);
		g_assert_cmpstr(sim_json_string(json_array_get_object_element(taints, 0), "effect"),
				==, "NoSchedule");
		g_assert_nonnull(
		    sim_json_string(json_array_get_object_element(taints, 1), "timeAdded"));
	}
}

static void
test_quota(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimObject) obj = NULL;
	const gchar *p2 = POD("p2", "3Gi", "");
	g_autoptr(GPtrArray) docs = sim_yaml_parse(p2, strlen(p2), "p2", &error);

	apply(fx,
	      NODE("n1", "16", "64Gi", "") POD(
		  "p1", "2Gi", "") "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: "
				   "compute\n  namespace: default\n"
				   "spec:\n  hard:\n    requests.memory: 4Gi\n    pods: \"10\"\n",
	      TRUE);
	sim_controllers_register(fx->cluster);
	/* the controller fills status from spec and counts what exists */
	expect(fx, "resourcequotas", "default", "compute", "status>hard>requests.memory", "4Gi");
	expect(fx, "resourcequotas", "default", "compute", "status>used>requests.memory", "2Gi");
	expect(fx, "resourcequotas", "default", "compute", "status.used.pods", "1");
	obj = sim_cluster_create(fx->cluster, sim_cluster_resource(fx->cluster, "pods"),
				 sim_json_object_dup(json_node_get_object(docs->pdata[0])),
				 SIM_WRITE_NONE, &error);
	g_assert_null(obj);
	g_assert_error(error, SIM_ERROR, SIM_ERROR_FORBIDDEN);
	g_assert_cmpstr(error->message, ==,
			"pods \"p2\" is forbidden: exceeded quota: compute, requested: "
			"requests.memory=3Gi, used: requests.memory=2Gi, limited: "
			"requests.memory=4Gi");
	g_assert_cmpuint(sim_error_http_status(error), ==, 403);
	/* exactly at the limit passes, and is charged at once */
	apply(fx, POD("p3", "2Gi", ""), FALSE);
	expect(fx, "resourcequotas", "default", "compute", "status>used>requests.memory", "4Gi");
	expect(fx, "resourcequotas", "default", "compute", "status.used.pods", "2");
	/* a deletion gives its share back */
	{
		g_autoptr(GError) local = NULL;
		g_autoptr(SimObject) gone =
		    sim_cluster_delete(fx->cluster, sim_cluster_resource(fx->cluster, "pods"),
				       "default", "p1", &local);

		g_assert_no_error(local);
	}
	expect(fx, "resourcequotas", "default", "compute", "status>used>requests.memory", "2Gi");
	expect(fx, "resourcequotas", "default", "compute", "status.used.pods", "1");
}

#define STORAGE                                                                                  \
	"apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata:\n  name: local.csi\n"         \
	"spec:\n  storageCapacity: true\n---\n"                                                  \
	"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: local\n"          \
	"provisioner: local.csi\nvolumeBindingMode: WaitForFirstConsumer\n---\n"                 \
	"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: pool\n"           \
	"provisioner: local.csi\nvolumeBindingMode: Immediate\n---\n"                            \
	"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: nfs\n"            \
	"provisioner: nfs.csi\n---\n"                                                            \
	"apiVersion: storage.k8s.io/v1\nkind: CSIStorageCapacity\nmetadata:\n  name: cap-n1\n"   \
	"  namespace: kube-system\nstorageClassName: local\ncapacity: 10Gi\nnodeTopology:\n"     \
	"  matchLabels:\n    kubernetes.io/hostname: n1\n---\n"                                  \
	"apiVersion: storage.k8s.io/v1\nkind: CSIStorageCapacity\nmetadata:\n  name: cap-n2\n"   \
	"  namespace: kube-system\nstorageClassName: local\ncapacity: 100Gi\nnodeTopology:\n"    \
	"  matchLabels:\n    kubernetes.io/hostname: n2\n---\n"                                  \
	"apiVersion: storage.k8s.io/v1\nkind: CSIStorageCapacity\nmetadata:\n  name: cap-pool\n" \
	"  namespace: kube-system\nstorageClassName: pool\ncapacity: 100Gi\nnodeTopology: "      \
	"{}\n---\n"

#define PVC(name, klass, size)                                                                    \
	"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: " name "\n"              \
	"  namespace: default\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: " klass \
	"\n  resources:\n    requests:\n      storage: " size "\n---\n"

#define POD_PVC(name, claim)                                                                  \
	POD(name, "1Gi",                                                                      \
	    "  volumes:\n  - name: disk\n    persistentVolumeClaim:\n      claimName: " claim \
	    "\n")

static void
test_storage_immediate(Fixture *fx, gconstpointer data)
{
	apply(fx, STORAGE PVC("a", "pool", "60Gi") PVC("b", "pool", "60Gi") PVC("c", "nfs", "1Ti"),
	      TRUE);
	sim_controllers_register(fx->cluster);
	expect(fx, "persistentvolumeclaims", "default", "a", "status.phase", "Bound");
	expect(fx, "csistoragecapacities.storage.k8s.io", "kube-system", "cap-pool", "capacity",
	       "40Gi");
	/* a driver that publishes nothing is not checked */
	expect(fx, "persistentvolumeclaims", "default", "c", "status.phase", "Bound");
	{
		g_autoptr(SimObject) b = get(fx, "persistentvolumeclaims", "default", "b");
		g_autoptr(GPtrArray) events = sim_cluster_list(
		    fx->cluster, sim_cluster_resource(fx->cluster, "events"), "default", NULL);
		gboolean failed = FALSE;

		g_assert_null(
		    sim_json_string(sim_json_object(sim_object_get_json(b), "spec"), "volumeName"));
		for (guint i = 0; i < events->len; i++) {
			JsonObject *e = sim_object_get_json(events->pdata[i]);

			failed = failed || (g_strcmp0(sim_json_string(e, "reason"),
						      "ProvisioningFailed") == 0 &&
					    g_strcmp0(lookup(e, "involvedObject.name"), "b") == 0);
		}
		g_assert_true(failed);
	}
	{
		g_autoptr(SimObject) a = get(fx, "persistentvolumeclaims", "default", "a");
		g_autofree gchar *pv = g_strdup(
		    sim_json_string(sim_json_object(sim_object_get_json(a), "spec"), "volumeName"));

		expect(fx, "persistentvolumes", "", pv, "status.phase", "Bound");
		expect(fx, "persistentvolumes", "", pv, "spec.claimRef.name", "a");
	}
}

static void
test_storage_wffc(Fixture *fx, gconstpointer data)
{
	apply(fx,
	      NODE("n1", "8", "32Gi", "") NODE("n2", "8", "32Gi", "")
		  STORAGE PVC("d1", "local", "50Gi") PVC("d2", "local", "500Gi")
		      PVC("d3", "pool", "500Gi") POD_PVC("uses-d1", "d1") POD_PVC("uses-d2", "d2")
			  POD_PVC("uses-d3", "d3") POD_PVC("uses-none", "nope"),
	      TRUE);
	sim_controllers_register(fx->cluster);
	expect(fx, "pods", "default", "uses-d1", "spec.nodeName", "n2");
	expect(fx, "persistentvolumeclaims", "default", "d1", "status.phase", "Bound");
	expect(fx, "persistentvolumeclaims", "default", "d1",
	       "metadata>annotations>volume.kubernetes.io/selected-node", "n2");
	expect(fx, "csistoragecapacities.storage.k8s.io", "kube-system", "cap-n2", "capacity",
	       "50Gi");
	expect(fx, "pods", "default", "uses-d2", "status.conditions[PodScheduled].message",
	       "0/2 nodes are available: 2 node(s) did not have enough free storage. preemption: "
	       "0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
	expect(fx, "pods", "default", "uses-d3", "status.conditions[PodScheduled].message",
	       "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
	       "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
	expect(fx, "pods", "default", "uses-none", "status.conditions[PodScheduled].message",
	       "0/2 nodes are available: persistentvolumeclaim \"nope\" not found. preemption: 0/2 "
	       "nodes are available: 2 Preemption is not helpful for scheduling.");
	{
		g_autoptr(SimObject) d1 = get(fx, "persistentvolumeclaims", "default", "d1");
		const gchar *pv =
		    sim_json_string(sim_json_object(sim_object_get_json(d1), "spec"), "volumeName");
		g_autoptr(SimObject) pvo = get(fx, "persistentvolumes", "", pv);
		JsonObject *term = json_array_get_object_element(
		    sim_json_array(sim_json_path_object(sim_object_get_json(pvo), "spec",
							"nodeAffinity", "required", NULL),
				   "nodeSelectorTerms"),
		    0);
		JsonObject *e =
		    json_array_get_object_element(sim_json_array(term, "matchExpressions"), 0);

		g_assert_cmpstr(sim_json_string(e, "key"), ==, "kubernetes.io/hostname");
		g_assert_cmpstr(json_array_get_string_element(sim_json_array(e, "values"), 0), ==,
				"n2");
	}
}

#define STATIC_STORAGE                                                                           \
	"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: local\n"          \
	"provisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n"   \
	"---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: local-now\n" \
	"provisioner: kubernetes.io/no-provisioner\n---\n"                                      \
	"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: zonal\n"          \
	"provisioner: nfs.csi\nvolumeBindingMode: WaitForFirstConsumer\nallowedTopologies:\n"    \
	"- matchLabelExpressions:\n  - key: kubernetes.io/hostname\n    values: [n2]\n---\n"     \
	"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: zonal-now\n"      \
	"provisioner: nfs.csi\nallowedTopologies:\n- matchLabelExpressions:\n"                   \
	"  - key: kubernetes.io/hostname\n    values: [n1]\n---\n"

#define PV(name, klass, size, node, phase, extra)                                                 \
	"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: " name "\nspec:\n"            \
	"  storageClassName: " klass "\n  capacity:\n    storage: " size "\n"                     \
	"  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Retain\n"               \
	"  local:\n    path: /mnt/disks/" name "\n  nodeAffinity:\n    required:\n"               \
	"      nodeSelectorTerms:\n      - matchExpressions:\n        - key: kubernetes.io/hostname\n" \
	"          operator: In\n          values: [" node "]\n" extra "status:\n  phase: " phase  \
	"\n---\n"

/* The PV controller and the scheduler's volume binding with volumes made by hand: the smallest
 * Available volume of the class that holds the claim, on a node its affinity allows (Released
 * and Block ones never); Immediate claims bind at once and pin their pod; allowedTopologies
 * limit where a class provisions */
static void
test_storage_static(Fixture *fx, gconstpointer data)
{
	apply(fx,
	      NODE("n1", "8", "32Gi", "") NODE("n2", "8", "32Gi", "") STATIC_STORAGE
		  PV("pv-small", "local", "10Gi", "n1", "Available", "")
		      PV("pv-mid", "local", "20Gi", "n2", "Available", "")
			  PV("pv-big", "local", "40Gi", "n1", "Released", "")
			      PV("pv-block", "local", "60Gi", "n1", "Available", "  volumeMode: Block\n")
				  PV("pv-n1", "local-now", "8Gi", "n1", "Available", "")
				      PV("pv-n2", "local-now", "6Gi", "n2", "Available", "")
					  PVC("d1", "local", "15Gi") PVC("d2", "local", "30Gi")
					      PVC("i1", "local-now", "5Gi") PVC("i2", "local-now", "50Gi")
						  PVC("z1", "zonal", "1Gi") PVC("zn", "zonal-now", "1Gi")
						      POD_PVC("uses-d1", "d1") POD_PVC("uses-d2", "d2")
							  POD_PVC("uses-i1", "i1") POD_PVC("uses-z1", "z1")
							      POD_PVC("uses-zn", "zn"),
	      TRUE);
	sim_controllers_register(fx->cluster);
	/* WaitForFirstConsumer: only pv-mid holds 15Gi, so the pod goes to n2 */
	expect(fx, "pods", "default", "uses-d1", "spec.nodeName", "n2");
	expect(fx, "persistentvolumeclaims", "default", "d1", "spec.volumeName", "pv-mid");
	expect(fx, "persistentvolumeclaims", "default", "d1", "status.phase", "Bound");
	expect(fx, "persistentvolumeclaims", "default", "d1", "status.capacity.storage", "20Gi");
	expect(fx, "persistentvolumes", "", "pv-mid", "status.phase", "Bound");
	expect(fx, "persistentvolumes", "", "pv-mid", "spec.claimRef.name", "d1");
	expect(fx, "pods", "default", "uses-d2", "status.conditions[PodScheduled].message",
	       "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. "
	       "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
	/* Immediate: bound at once to the smallest volume that holds it, which pins the pod */
	expect(fx, "persistentvolumeclaims", "default", "i1", "spec.volumeName", "pv-n2");
	expect(fx, "pods", "default", "uses-i1", "spec.nodeName", "n2");
	expect(fx, "persistentvolumes", "", "pv-n1", "status.phase", "Available");
	{
		g_autoptr(SimObject) i2 = get(fx, "persistentvolumeclaims", "default", "i2");

		g_assert_null(
		    sim_json_string(sim_json_object(sim_object_get_json(i2), "spec"), "volumeName"));
	}
	/* allowedTopologies: the WaitForFirstConsumer class provisions on n2 only, the Immediate
	 * one makes a volume reachable from n1 only */
	expect(fx, "pods", "default", "uses-z1", "spec.nodeName", "n2");
	expect(fx, "pods", "default", "uses-zn", "spec.nodeName", "n1");

	/* the volume d1 took is gone for the next claim */
	apply(fx, PVC("d3", "local", "15Gi") POD_PVC("uses-d3", "d3"), FALSE);
	expect(fx, "pods", "default", "uses-d3", "status.conditions[PodScheduled].message",
	       "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. "
	       "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
	/* a volume added later binds the waiting Immediate claim */
	apply(fx, PV("pv-late", "local-now", "64Gi", "n1", "Available", ""), FALSE);
	expect(fx, "persistentvolumeclaims", "default", "i2", "spec.volumeName", "pv-late");
	/* Retain: the claim's deletion leaves its volume Released, never bound again */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(SimObject) gone = sim_cluster_delete(
		    fx->cluster, sim_cluster_resource(fx->cluster, "pods"), "default", "uses-d1", &error);
		g_autoptr(SimObject) gone_pvc =
		    sim_cluster_delete(fx->cluster, sim_cluster_resource(fx->cluster, "persistentvolumeclaims"),
				       "default", "d1", &error);

		g_assert_no_error(error);
	}
	expect(fx, "persistentvolumes", "", "pv-mid", "status.phase", "Released");
	expect(fx, "pods", "default", "uses-d3", "status.conditions[PodScheduled].reason", "Unschedulable");
}

/* One pod, two claims of a class with volumes made by hand: the claims take volumes by
 * increasing request (binder.go findMatchingVolumes), each the smallest left */
static void
test_storage_static_order(Fixture *fx, gconstpointer data)
{
	apply(fx,
	      NODE("n1", "8", "32Gi", "") STATIC_STORAGE PV("pv-16", "local", "16Gi", "n1", "Available", "")
		  PV("pv-20", "local", "20Gi", "n1", "Available", "") PVC("big", "local", "15Gi")
		      PVC("small", "local", "5Gi")
			  POD("two", "1Gi",
			      "  volumes:\n  - name: a\n    persistentVolumeClaim:\n      claimName: big\n"
			      "  - name: b\n    persistentVolumeClaim:\n      claimName: small\n"),
	      TRUE);
	sim_controllers_register(fx->cluster);
	expect(fx, "pods", "default", "two", "spec.nodeName", "n1");
	expect(fx, "persistentvolumeclaims", "default", "small", "spec.volumeName", "pv-16");
	expect(fx, "persistentvolumeclaims", "default", "big", "spec.volumeName", "pv-20");
}

#define KUBEVIRT(ratio)                                                                 \
	"apiVersion: kubevirt.io/v1\nkind: KubeVirt\nmetadata:\n  name: kubevirt\n"     \
	"  namespace: kubevirt\nspec:\n  configuration:\n    developerConfiguration:\n" \
	"      cpuAllocationRatio: " ratio "\nstatus:\n  observedKubeVirtVersion: v1.6.0\n---\n"

#define VM(name, cores, mem)                                                              \
	"apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: " name "\n" \
	"  namespace: default\nspec:\n  runStrategy: Always\n  template:\n    spec:\n"    \
	"      domain:\n        cpu:\n          cores: " cores "\n        memory:\n"      \
	"          guest: " mem "\n        devices: {}\n---\n"

static void
test_kubevirt_start(Fixture *fx, gconstpointer data)
{
	gint64 guest = 8 * GI;
	/* v1.6.0: pagetables + 220Mi fixed + 8Mi x 4 vCPU + 8Mi IOThread + 32Mi video */
	gint64 overhead = ((guest + 999) / 1000 * 1000) / 512 + (220 + 32 + 8 + 32) * MI;
	g_autofree gchar *want_mem = sim_quantity_format_value(guest + overhead, TRUE);
	g_autoptr(SimObject) vmi = NULL;
	g_autoptr(GPtrArray) pods = NULL;
	JsonObject *req;

	apply(fx, NODE("n1", "16", "64Gi", "") KUBEVIRT("4") VM("vm1", "4", "8Gi"), TRUE);
	sim_controllers_register(fx->cluster);
	expect(fx, "virtualmachineinstances.kubevirt.io", "default", "vm1", "status.phase",
	       "Running");
	expect(fx, "virtualmachineinstances.kubevirt.io", "default", "vm1", "status.nodeName",
	       "n1");
	expect(fx, "virtualmachines.kubevirt.io", "default", "vm1", "status.printableStatus",
	       "Running");
	vmi = get(fx, "virtualmachineinstances.kubevirt.io", "default", "vm1");
	pods = sim_cluster_list(fx->cluster, sim_cluster_resource(fx->cluster, "pods"), "default",
				NULL);
	g_assert_cmpuint(pods->len, ==, 1);
	g_assert_cmpstr(
	    lookup(sim_object_get_json(pods->pdata[0]), "metadata>labels>kubevirt.io/created-by"),
	    ==, sim_object_get_uid(vmi));
	g_assert_cmpstr(lookup(sim_object_get_json(pods->pdata[0]), "spec.nodeName"), ==, "n1");
	req = sim_json_object(
	    sim_json_object(
		json_array_get_object_element(
		    sim_json_array(sim_json_object(sim_object_get_json(pods->pdata[0]), "spec"),
				   "containers"),
		    0),
		"resources"),
	    "requests");
	g_assert_cmpstr(sim_json_string(req, "cpu"), ==, "1"); /* 4 vCPU / ratio 4 */
	g_assert_cmpstr(sim_json_string(req, "memory"), ==, want_mem);
	g_assert_cmpstr(want_mem, ==, "8500Mi"); /* 8Gi/512 is exactly 16Mi */
}

static void
test_kubevirt_unschedulable(Fixture *fx, gconstpointer data)
{
	apply(fx, NODE("n1", "16", "16Gi", "") KUBEVIRT("10") VM("huge", "4", "64Gi"), TRUE);
	sim_controllers_register(fx->cluster);
	expect(fx, "virtualmachineinstances.kubevirt.io", "default", "huge", "status.phase",
	       "Scheduling");
	expect(fx, "virtualmachineinstances.kubevirt.io", "default", "huge",
	       "status.conditions[PodScheduled].reason", "Unschedulable");
	expect(fx, "virtualmachines.kubevirt.io", "default", "huge", "status.printableStatus",
	       "ErrorUnschedulable");
	{
		g_autoptr(SimObject) vmi =
		    get(fx, "virtualmachineinstances.kubevirt.io", "default", "huge");

		g_assert_true(g_str_has_prefix(
		    lookup(sim_object_get_json(vmi), "status.conditions[PodScheduled].message"),
		    "0/1 nodes are available: 1 Insufficient memory."));
	}
}

static void
test_kubevirt_quota(Fixture *fx, gconstpointer data)
{
	apply(fx,
	      NODE("n1", "16", "64Gi", "") KUBEVIRT("10")
		  VM("vm1", "2", "8Gi") "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: "
					"mem\n  namespace: default\n"
					"spec:\n  hard:\n    requests.memory: 4Gi\n",
	      TRUE);
	sim_controllers_register(fx->cluster);
	expect(fx, "virtualmachineinstances.kubevirt.io", "default", "vm1",
	       "status.conditions[Synchronized].reason", "FailedCreate");
	expect(fx, "virtualmachines.kubevirt.io", "default", "vm1", "status.printableStatus",
	       "FailedCreate");
	{
		g_autoptr(SimObject) vmi =
		    get(fx, "virtualmachineinstances.kubevirt.io", "default", "vm1");

		g_assert_nonnull(strstr(
		    lookup(sim_object_get_json(vmi), "status.conditions[Synchronized].message"),
		    "is forbidden: exceeded quota: mem, requested: requests.memory="));
	}
}

static gboolean
marker_cb(SimCluster *cluster, gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

static gboolean
check_flag(Fixture *fx, gconstpointer data)
{
	return *(const gboolean *)data;
}

/* A generated fleet is served as generated: the controllers find nothing to do. */
static void
test_adopt_generated(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *dir = g_dir_make_tmp("sim-adopt-XXXXXX", NULL);
	gchar *argv[] = {"cclm-sim", "generate", "--clusters", "3",	"--nodes",
			 "12",	     "--pods",	 "200",	       "--vms", "30",
			 "--seed",   "5",	 "--out",      dir,	NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) clusters = NULL;

	g_assert_cmpint(sim_generate_main(G_N_ELEMENTS(argv) - 1, argv), ==, 0);
	clusters = sim_fleet_load(dir, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(clusters->len, ==, 3);
	for (guint i = 0; i < clusters->len; i++) {
		SimCluster *c = clusters->pdata[i];
		guint64 rv = sim_cluster_get_resource_version(c);
		guint pods = sim_cluster_count(c, sim_cluster_resource(c, "pods"));
		gboolean done = FALSE;

		g_assert_cmpuint(pods, ==, 200);
		g_assert_cmpuint(sim_cluster_count(c, sim_cluster_resource(c, "nodes")), ==, 12);
		g_assert_cmpuint(
		    sim_cluster_count(c, sim_cluster_resource(c, "virtualmachines.kubevirt.io")),
		    ==, 30);
		sim_controllers_register(c);
		/* every controller's first pass is due before this */
		sim_cluster_add_timer(c, 100, marker_cb, &done, NULL);
		wait_for(fx, check_flag, &done, "the controllers' first pass");
		g_assert_cmpuint(sim_cluster_get_resource_version(c), ==, rv);
		g_assert_cmpuint(sim_cluster_count(c, sim_cluster_resource(c, "pods")), ==, pods);
	}
	g_ptr_array_set_size(clusters, 0);
	{
		/* remove what generate wrote */
		g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
		const gchar *cl;

		while ((cl = g_dir_read_name(d)) != NULL) {
			g_autofree gchar *sub = g_build_filename(dir, cl, NULL);
			g_autoptr(GDir) sd = g_dir_open(sub, 0, NULL);
			const gchar *f;

			while ((f = g_dir_read_name(sd)) != NULL) {
				g_autofree gchar *p = g_build_filename(sub, f, NULL);

				g_unlink(p);
			}
			g_rmdir(sub);
		}
		g_rmdir(dir);
	}
}

static SimCluster *
find_cluster(GPtrArray *clusters, const gchar *name)
{
	for (guint i = 0; i < clusters->len; i++) {
		if (g_strcmp0(sim_cluster_get_name(clusters->pdata[i]), name) == 0)
			return clusters->pdata[i];
	}
	g_assert_not_reached();
}

typedef struct {
	SimCluster *cluster;
	const gchar *phase;
} VmiPhase;

static gboolean
check_vmi_phase(Fixture *fx, gconstpointer data)
{
	const VmiPhase *w = data;
	g_autoptr(SimObject) vmi = sim_cluster_get(
	    w->cluster, sim_cluster_resource(w->cluster, "virtualmachineinstances.kubevirt.io"),
	    "vm-prod", "db-01");

	return vmi != NULL &&
	       g_strcmp0(lookup(sim_object_get_json(vmi), "status.phase"), w->phase) == 0 &&
	       (strcmp(w->phase, "Scheduling") != 0 ||
		lookup(sim_object_get_json(vmi), "status.conditions[PodScheduled].message") !=
		    NULL);
}

/* examples/fleet (README's demo, issue 5): served as given, and the demo VM vm-prod/db-01 of
 * east, recreated on each target, meets the verdict its README promises. */
static void
test_example_fleet(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *dir = g_test_build_filename(G_TEST_DIST, "..", "examples", "fleet", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) clusters = sim_fleet_load(dir, &error);
	SimCluster *east;
	g_autoptr(SimObject) vm = NULL;
	static const struct {
		const gchar *cluster, *phase, *message;
	} targets[] = {
	    {"west", "Running", NULL},
	    {"north", "Scheduling",
	     "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are "
	     "available: 3 No preemption victims found for incoming pod."},
	    {"south", "Scheduling",
	     "0/3 nodes are available: 3 node(s) did not have enough free storage. preemption: 0/3 "
	     "nodes are available: 3 Preemption is not helpful for scheduling."},
	    {"central", "Scheduling",
	     "0/6 nodes are available: 1 node(s) had untolerated taint "
	     "{node.kubernetes.io/unreachable: }, 5 Insufficient memory. preemption: 0/6 nodes are "
	     "available: 1 Preemption is not helpful for scheduling, 5 No preemption victims found "
	     "for incoming pod."},
	};

	g_assert_no_error(error);
	g_assert_cmpuint(clusters->len, ==, 5);
	for (guint i = 0; i < clusters->len; i++) {
		SimCluster *c = clusters->pdata[i];
		guint64 rv = sim_cluster_get_resource_version(c);
		gboolean done = FALSE;

		sim_controllers_register(c);
		sim_cluster_add_timer(c, 100, marker_cb, &done, NULL);
		wait_for(fx, check_flag, &done, "the controllers' first pass");
		g_assert_cmpuint(sim_cluster_get_resource_version(c), ==, rv);
	}
	east = find_cluster(clusters, "east");
	vm = sim_cluster_get(east, sim_cluster_resource(east, "virtualmachines.kubevirt.io"),
			     "vm-prod", "db-01");
	g_assert_nonnull(vm);
	g_assert_cmpstr(lookup(sim_object_get_json(vm), "status.printableStatus"), ==, "Running");
	for (gsize i = 0; i < G_N_ELEMENTS(targets); i++) {
		SimCluster *c = find_cluster(clusters, targets[i].cluster);
		JsonObject *copy = sim_object_dup_json(vm);
		JsonObject *meta = sim_json_object(copy, "metadata");
		const gchar *const server_owned[] = {"uid", "resourceVersion", "creationTimestamp",
						     "generation"};
		g_autoptr(SimObject) created = NULL;
		g_autoptr(SimObject) vmi = NULL;
		VmiPhase w = {c, targets[i].phase};

		for (gsize k = 0; k < G_N_ELEMENTS(server_owned); k++)
			json_object_remove_member(meta, server_owned[k]);
		json_object_remove_member(copy, "status");
		created =
		    sim_cluster_create(c, sim_cluster_resource(c, "virtualmachines.kubevirt.io"),
				       copy, SIM_WRITE_NONE, &error);
		g_assert_no_error(error);
		wait_for(fx, check_vmi_phase, &w, targets[i].cluster);
		vmi = sim_cluster_get(
		    c, sim_cluster_resource(c, "virtualmachineinstances.kubevirt.io"), "vm-prod",
		    "db-01");
		g_assert_cmpstr(
		    lookup(sim_object_get_json(vmi), "status.conditions[PodScheduled].message"), ==,
		    targets[i].message);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/sim/ctl/schedule/fit-and-retry", test_schedule);
	ADD("/sim/ctl/schedule/taints", test_schedule_taints);
	ADD("/sim/ctl/node-lifecycle/taints", test_node_lifecycle);
	ADD("/sim/ctl/quota/403-and-usage", test_quota);
	ADD("/sim/ctl/storage/immediate", test_storage_immediate);
	ADD("/sim/ctl/storage/wait-for-first-consumer", test_storage_wffc);
	ADD("/sim/ctl/storage/static-volumes", test_storage_static);
	ADD("/sim/ctl/storage/static-volumes-order", test_storage_static_order);
	ADD("/sim/ctl/kubevirt/start", test_kubevirt_start);
	ADD("/sim/ctl/kubevirt/unschedulable", test_kubevirt_unschedulable);
	ADD("/sim/ctl/kubevirt/quota", test_kubevirt_quota);
	ADD("/sim/ctl/adopt-generated", test_adopt_generated);
	ADD("/sim/ctl/example-fleet", test_example_fleet);
	return g_test_run();
}
