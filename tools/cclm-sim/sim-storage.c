/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * PersistentVolume binding and CSI provisioning, and CDI's DataVolume -> PVC step.
 *
 * Immediate classes provision as soon as a PVC appears, when the driver's published capacity
 * allows (CSIDriver storageCapacity true: some CSIStorageCapacity of the class must hold the
 * request; a driver that publishes nothing is not checked); otherwise the PVC stays Pending
 * with a ProvisioningFailed event and is retried when capacity changes. WaitForFirstConsumer
 * PVCs wait for a pod: the scheduler's volume binding (kubernetes
 * pkg/scheduler/framework/plugins/volumebinding, binder.go hasEnoughCapacity) filters nodes by
 * capacity and topology, and binding the pod provisions the volume on the chosen node.
 * Provisioning takes the volume's size off the capacity object, as the driver's next report
 * would.
 *
 * Before anything is provisioned a claim binds to an existing PersistentVolume when one
 * matches (component-helpers storage/volume/pv_helpers.go FindMatchingVolume): the PV
 * controller does so at once for Immediate claims, the scheduler on the chosen node for
 * WaitForFirstConsumer ones. Classes without a dynamic provisioner (kubernetes.io/no-provisioner:
 * local volumes) have nothing else; other classes provision only inside their
 * allowedTopologies (binder.go checkVolumeProvisions).
 */
#include "config.h"

#include "sim-controllers.h"
#include "sim-json-util.h"
#include "sim-quantity.h"

#include <string.h>

static gint64
sim_storage_request(JsonObject *pvc)
{
	JsonObject *req = sim_json_path_object(pvc, "spec", "resources", "requests", NULL);
	JsonNode *n = req != NULL ? json_object_get_member(req, "storage") : NULL;
	SimQuantity q;

	if (n == NULL || !sim_quantity_from_node(n, &q, NULL))
		return 0;
	return sim_quantity_value(&q);
}

static SimObject *
sim_storage_class(SimCtl *ctl, JsonObject *pvc)
{
	const gchar *name = sim_json_string(sim_json_object(pvc, "spec"), "storageClassName");
	g_autoptr(GPtrArray) all = NULL;

	if (ctl->r.storageclasses == NULL)
		return NULL;
	if (name != NULL)
		return *name != '\0'
			   ? sim_cluster_get(ctl->cluster, ctl->r.storageclasses, "", name)
			   : NULL;
	/* DefaultStorageClass admission */
	all = sim_cluster_list(ctl->cluster, ctl->r.storageclasses, NULL, NULL);
	for (guint i = 0; i < all->len; i++) {
		JsonObject *ann = sim_json_path_object(sim_object_get_json(all->pdata[i]),
						       "metadata", "annotations", NULL);

		if (g_strcmp0(sim_json_string(ann, "storageclass.kubernetes.io/is-default-class"),
			      "true") == 0)
			return sim_object_ref(all->pdata[i]);
	}
	return NULL;
}

static gboolean
sim_storage_is_wffc(SimObject *klass)
{
	return g_strcmp0(sim_json_string(sim_object_get_json(klass), "volumeBindingMode"),
			 "WaitForFirstConsumer") == 0;
}

/* volume.NotSupportedProvisioner: the class's volumes are made by hand, never provisioned */
static gboolean
sim_storage_is_static(SimObject *klass)
{
	const gchar *prov = sim_json_string(sim_object_get_json(klass), "provisioner");

	return prov == NULL || *prov == '\0' || strcmp(prov, "kubernetes.io/no-provisioner") == 0;
}

/* v1helper.MatchTopologySelectorTerms over the class's allowedTopologies: none = anywhere;
 * terms are ORed, a term's matchLabelExpressions (key In values) ANDed, an empty term
 * matches nothing */
static gboolean
sim_storage_allowed_on(SimObject *klass, GHashTable *labels)
{
	JsonArray *terms = sim_json_array(sim_object_get_json(klass), "allowedTopologies");

	if (terms == NULL || json_array_get_length(terms) == 0)
		return TRUE;
	for (guint i = 0; i < json_array_get_length(terms); i++) {
		JsonArray *exprs =
		    sim_json_array(json_array_get_object_element(terms, i), "matchLabelExpressions");
		gboolean ok = exprs != NULL && json_array_get_length(exprs) > 0;

		for (guint j = 0; ok && j < json_array_get_length(exprs); j++) {
			JsonObject *e = json_array_get_object_element(exprs, j);
			JsonArray *values = sim_json_array(e, "values");
			const gchar *v = labels != NULL ? g_hash_table_lookup(labels, sim_json_string(e, "key") ?: "")
						 : NULL;

			ok = FALSE;
			for (guint k = 0; v != NULL && values != NULL && k < json_array_get_length(values); k++)
				ok = ok || g_strcmp0(json_array_get_string_element(values, k), v) == 0;
		}
		if (ok)
			return TRUE;
	}
	return FALSE;
}

/* CSIDriver.spec.storageCapacity: only then does published capacity count */
static gboolean
sim_storage_checks_capacity(SimCtl *ctl, SimObject *klass)
{
	const gchar *prov = sim_json_string(sim_object_get_json(klass), "provisioner");
	g_autoptr(SimObject) drv = NULL;

	if (prov == NULL || ctl->r.csidrivers == NULL)
		return FALSE;
	drv = sim_cluster_get(ctl->cluster, ctl->r.csidrivers, "", prov);
	return drv != NULL && sim_json_bool(sim_json_object(sim_object_get_json(drv), "spec"),
					    "storageCapacity", FALSE);
}

/* metav1.LabelSelector against node labels; NULL selects no node, {} every node */
static gboolean
sim_storage_selector_matches(JsonObject *sel, GHashTable *labels)
{
	JsonObject *ml = sim_json_object(sel, "matchLabels");
	JsonArray *exprs = sim_json_array(sel, "matchExpressions");

	if (sel == NULL)
		return FALSE;
	if (ml != NULL) {
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;

		json_object_iter_init(&it, ml);
		while (json_object_iter_next(&it, &k, &v)) {
			if (labels == NULL ||
			    g_strcmp0(g_hash_table_lookup(labels, k),
				      JSON_NODE_HOLDS_VALUE(v) ? json_node_get_string(v) : NULL) !=
				0)
				return FALSE;
		}
	}
	if (exprs != NULL && json_array_get_length(exprs) > 0) {
		g_autoptr(JsonArray) terms = json_array_new();
		JsonObject *term = json_object_new();
		g_autoptr(GHashTable) none = g_hash_table_new(g_str_hash, g_str_equal);

		json_object_set_array_member(term, "matchExpressions", json_array_ref(exprs));
		json_array_add_object_element(terms, term);
		return sim_sched_match_node_selector_terms(terms, labels ?: none, "");
	}
	return TRUE;
}

/* A CSIStorageCapacity of the class that holds @size, for a node with @labels (NULL: any
 * topology, as an Immediate volume may land anywhere). New reference or NULL. */
static SimObject *
sim_storage_find_capacity(SimCtl *ctl,
			  const gchar *klass,
			  gint64 size,
			  GHashTable *labels,
			  gboolean any_topology)
{
	g_autoptr(GPtrArray) caps = NULL;

	if (ctl->r.capacities == NULL)
		return NULL;
	caps = sim_cluster_list(ctl->cluster, ctl->r.capacities, NULL, NULL);
	for (guint i = 0; i < caps->len; i++) {
		JsonObject *c = sim_object_get_json(caps->pdata[i]);
		JsonNode *n = json_object_get_member(c, "maximumVolumeSize");
		SimQuantity q;

		if (g_strcmp0(sim_json_string(c, "storageClassName"), klass) != 0)
			continue;
		if (n == NULL)
			n = json_object_get_member(c, "capacity");
		if (n == NULL || !sim_quantity_from_node(n, &q, NULL) ||
		    sim_quantity_value(&q) < size)
			continue;
		/* maximumVolumeSize is a per-volume bound: the total must still hold it */
		n = json_object_get_member(c, "capacity");
		if (n == NULL || !sim_quantity_from_node(n, &q, NULL) ||
		    sim_quantity_value(&q) < size)
			continue;
		if (!any_topology &&
		    !sim_storage_selector_matches(sim_json_object(c, "nodeTopology"), labels))
			continue;
		return sim_object_ref(caps->pdata[i]);
	}
	return NULL;
}

static void
sim_storage_take_capacity(SimCtl *ctl, SimObject *cap, gint64 size)
{
	g_autoptr(JsonObject) copy = sim_object_dup_json(cap);
	g_autoptr(SimObject) stored = NULL;
	JsonNode *n = json_object_get_member(copy, "capacity");
	SimQuantity q;
	g_autofree gchar *left = NULL;

	if (n == NULL || !sim_quantity_from_node(n, &q, NULL))
		return;
	left = sim_quantity_format_value(MAX(sim_quantity_value(&q) - size, 0), TRUE);
	json_object_set_string_member(copy, "capacity", left);
	stored = sim_ctl_write(ctl, ctl->r.capacities, g_steal_pointer(&copy));
}

static void
sim_storage_node_affinity(JsonObject *spec, JsonObject *cap)
{
	JsonObject *ml = sim_json_path_object(cap, "nodeTopology", "matchLabels", NULL);
	JsonObjectIter it;
	const gchar *k;
	JsonNode *v;
	JsonArray *exprs;

	if (ml == NULL || json_object_get_size(ml) == 0)
		return;
	exprs = json_array_new();
	json_object_iter_init(&it, ml);
	while (json_object_iter_next(&it, &k, &v)) {
		JsonObject *e = json_object_new();
		JsonArray *values = json_array_new();

		json_object_set_string_member(e, "key", k);
		json_object_set_string_member(e, "operator", "In");
		json_array_add_element(values, sim_json_node_dup(v));
		json_object_set_array_member(e, "values", values);
		json_array_add_object_element(exprs, e);
	}
	{
		JsonObject *term = json_object_new();
		JsonArray *terms = json_array_new();

		json_object_set_array_member(term, "matchExpressions", exprs);
		json_array_add_object_element(terms, term);
		json_object_set_array_member(
		    sim_json_ensure(spec, "nodeAffinity", "required", NULL), "nodeSelectorTerms",
		    terms);
	}
}

static gint64
sim_storage_pv_size(JsonObject *pv)
{
	JsonObject *cap = sim_json_path_object(pv, "spec", "capacity", NULL);
	JsonNode *n = cap != NULL ? json_object_get_member(cap, "storage") : NULL;
	SimQuantity q;

	if (n == NULL || !sim_quantity_from_node(n, &q, NULL))
		return 0;
	return sim_quantity_value(&q);
}

/* Every access mode of the claim is one of the volume's (CheckAccessModes) */
static gboolean
sim_storage_access_modes_ok(JsonObject *pvc, JsonObject *pv)
{
	JsonArray *want = sim_json_array(sim_json_object(pvc, "spec"), "accessModes");
	JsonArray *have = sim_json_array(sim_json_object(pv, "spec"), "accessModes");

	for (guint i = 0; want != NULL && i < json_array_get_length(want); i++) {
		gboolean found = FALSE;

		for (guint j = 0; have != NULL && j < json_array_get_length(have); j++)
			found = found || g_strcmp0(json_array_get_string_element(want, i),
						   json_array_get_string_element(have, j)) == 0;
		if (!found)
			return FALSE;
	}
	return TRUE;
}

/* FindMatchingVolume (kubernetes@109698ca staging/src/k8s.io/component-helpers/storage/
 * volume/pv_helpers.go) for @pvc of class @klass: a volume pre-bound to it, else the smallest
 * Available one of the class that holds the request, has the claim's volumeMode (unset =
 * Filesystem), has the claim's access modes (the PV controller's index.go findByClaim only
 * offers such volumes; the scheduler's path checks them too) and is not being deleted; on the
 * scheduler's path (@node set) its node affinity must match the node. Volumes named in @excluded
 * (taken by the pod's other claims) are skipped. New reference or NULL. */
static SimObject *
sim_storage_match_pv(SimCtl *ctl,
		     SimObject *pvc_obj,
		     const gchar *klass,
		     const gchar *node,
		     GHashTable *labels,
		     GHashTable *excluded)
{
	JsonObject *pvc = sim_object_get_json(pvc_obj);
	const gchar *mode = sim_json_string(sim_json_object(pvc, "spec"), "volumeMode") ?: "Filesystem";
	gint64 want = sim_storage_request(pvc);
	g_autoptr(GPtrArray) pvs = sim_cluster_list(ctl->cluster, ctl->r.pvs, NULL, NULL);
	SimObject *best = NULL;
	gint64 best_size = 0;

	for (guint i = 0; i < pvs->len; i++) {
		JsonObject *pv = sim_object_get_json(pvs->pdata[i]);
		JsonObject *spec = sim_json_object(pv, "spec");
		JsonObject *ref = sim_json_object(spec, "claimRef");
		JsonObject *req = sim_json_path_object(spec, "nodeAffinity", "required", NULL);
		const gchar *name = sim_object_get_name(pvs->pdata[i]);
		const gchar *uid;
		gint64 size = sim_storage_pv_size(pv);
		gboolean reaches;

		if (excluded != NULL && g_hash_table_contains(excluded, name))
			continue;
		uid = sim_json_string(ref, "uid");
		if (ref != NULL &&
		    (g_strcmp0(sim_json_string(ref, "name"), sim_object_get_name(pvc_obj)) != 0 ||
		     g_strcmp0(sim_json_string(ref, "namespace"), sim_object_get_namespace(pvc_obj)) != 0 ||
		     (uid != NULL && *uid != '\0' && g_strcmp0(uid, sim_object_get_uid(pvc_obj)) != 0)))
			continue;
		if (size < want ||
		    g_strcmp0(sim_json_string(spec, "volumeMode") ?: "Filesystem", mode) != 0 ||
		    sim_json_string(sim_json_object(pv, "metadata"), "deletionTimestamp") != NULL)
			continue;
		reaches = node == NULL || req == NULL ||
			  sim_sched_match_node_selector_terms(sim_json_array(req, "nodeSelectorTerms"),
							      labels, node);
		if (ref != NULL) {
			if (best != NULL)
				sim_object_unref(best);
			return reaches ? sim_object_ref(pvs->pdata[i]) : NULL;
		}
		if (g_strcmp0(sim_json_string(sim_json_object(pv, "status"), "phase"), "Available") != 0 ||
		    g_strcmp0(sim_json_string(spec, "storageClassName") ?: "", klass) != 0 || !reaches ||
		    !sim_storage_access_modes_ok(pvc, pv))
			continue;
		/* equal sizes: by name, where upstream takes the informer's order */
		if (best == NULL || size < best_size ||
		    (size == best_size && strcmp(name, sim_object_get_name(best)) < 0)) {
			if (best != NULL)
				sim_object_unref(best);
			best = sim_object_ref(pvs->pdata[i]);
			best_size = size;
		}
	}
	return best;
}

/* Writes @pvc (a copy the caller prepared) bound to @pv_name: the PV controller's
 * bindClaimToVolume and claim status update */
static gboolean
sim_storage_claim_bound(SimCtl *ctl,
			JsonObject *pvc,
			const gchar *pv_name,
			const gchar *capacity,
			const gchar *node,
			GError **error)
{
	JsonObject *pvc_spec = sim_json_ensure(pvc, "spec", NULL);
	JsonObject *ann = sim_json_ensure(pvc, "metadata", "annotations", NULL);
	JsonObject *status;
	g_autoptr(SimObject) stored = NULL;

	json_object_set_string_member(ann, "pv.kubernetes.io/bind-completed", "yes");
	json_object_set_string_member(ann, "pv.kubernetes.io/bound-by-controller", "yes");
	if (node != NULL)
		json_object_set_string_member(ann, "volume.kubernetes.io/selected-node", node);
	json_object_set_string_member(pvc_spec, "volumeName", pv_name);
	if (sim_json_string(pvc_spec, "volumeMode") == NULL)
		json_object_set_string_member(pvc_spec, "volumeMode", "Filesystem");
	status = sim_json_ensure(pvc, "status", NULL);
	if (json_object_has_member(pvc_spec, "accessModes"))
		json_object_set_member(status, "accessModes",
				       sim_json_node_dup(json_object_get_member(pvc_spec, "accessModes")));
	json_object_set_string_member(sim_json_ensure(status, "capacity", NULL), "storage", capacity);
	json_object_set_string_member(status, "phase", "Bound");
	stored = sim_cluster_update(ctl->cluster, ctl->r.pvcs, pvc, SIM_WRITE_FORCE, error);
	return stored != NULL;
}

/* The PV controller's bind of an existing volume: claimRef and phase on the PV, then the claim */
static gboolean
sim_storage_bind_pv(SimCtl *ctl, SimObject *pvc_obj, SimObject *pv_obj, const gchar *node, GError **error)
{
	g_autoptr(JsonObject) pv = sim_object_dup_json(pv_obj);
	JsonObject *ref = sim_json_ensure(pv, "spec", "claimRef", NULL);
	JsonNode *cap = json_object_get_member(sim_json_path_object(pv, "spec", "capacity", NULL) ?: pv,
					       "storage");
	g_autofree gchar *rv =
	    g_strdup_printf("%" G_GUINT64_FORMAT, sim_object_get_resource_version(pvc_obj));
	g_autofree gchar *capacity = NULL;
	g_autoptr(SimObject) stored = NULL;
	JsonObject *pvc;
	SimQuantity q;

	capacity = cap != NULL && sim_quantity_from_node(cap, &q, NULL)
		       ? sim_quantity_format_value(sim_quantity_value(&q), TRUE)
		       : g_strdup("0");
	json_object_set_string_member(ref, "apiVersion", "v1");
	json_object_set_string_member(ref, "kind", "PersistentVolumeClaim");
	json_object_set_string_member(ref, "name", sim_object_get_name(pvc_obj));
	json_object_set_string_member(ref, "namespace", sim_object_get_namespace(pvc_obj));
	json_object_set_string_member(ref, "resourceVersion", rv);
	json_object_set_string_member(ref, "uid", sim_object_get_uid(pvc_obj));
	json_object_set_string_member(sim_json_ensure(pv, "metadata", "annotations", NULL),
				      "pv.kubernetes.io/bound-by-controller", "yes");
	json_object_set_string_member(sim_json_ensure(pv, "status", NULL), "phase", "Bound");
	stored = sim_cluster_update(ctl->cluster, ctl->r.pvs, g_steal_pointer(&pv), SIM_WRITE_FORCE,
				    error);
	if (stored == NULL)
		return FALSE;
	pvc = sim_object_dup_json(pvc_obj);
	return sim_storage_claim_bound(ctl, pvc, sim_object_get_name(pv_obj), capacity, node, error);
}

/* An Immediate volume is made in the class's allowedTopologies (external-provisioner passes
 * them as the requisite topology) and is reachable there only: each topology term becomes a
 * node selector term of In expressions. */
static void
sim_storage_topology_affinity(JsonObject *spec, JsonArray *topologies)
{
	JsonArray *terms;

	if (topologies == NULL || json_array_get_length(topologies) == 0)
		return;
	terms = json_array_new();
	for (guint i = 0; i < json_array_get_length(topologies); i++) {
		JsonArray *exprs = sim_json_array(json_array_get_object_element(topologies, i),
						  "matchLabelExpressions");
		JsonObject *term = json_object_new();
		JsonArray *out = json_array_new();

		for (guint j = 0; exprs != NULL && j < json_array_get_length(exprs); j++) {
			JsonObject *e = json_array_get_object_element(exprs, j);
			JsonObject *o = json_object_new();

			json_object_set_string_member(o, "key", sim_json_string(e, "key") ?: "");
			json_object_set_string_member(o, "operator", "In");
			json_object_set_member(o, "values",
					       sim_json_node_dup(json_object_get_member(e, "values")));
			json_array_add_object_element(out, o);
		}
		json_object_set_array_member(term, "matchExpressions", out);
		json_array_add_object_element(terms, term);
	}
	json_object_set_array_member(sim_json_ensure(spec, "nodeAffinity", "required", NULL),
				     "nodeSelectorTerms", terms);
}

/* The external-provisioner and PV controller: a PV for @pvc, both bound. */
static gboolean
sim_storage_provision(SimCtl *ctl,
		      SimObject *pvc_obj,
		      SimObject *klass,
		      SimObject *cap,
		      const gchar *node,
		      GError **error)
{
	JsonObject *kjson = sim_object_get_json(klass);
	const gchar *prov = sim_json_string(kjson, "provisioner") ?: "";
	g_autoptr(JsonObject) pvc = sim_object_dup_json(pvc_obj);
	JsonObject *pvc_spec = sim_json_ensure(pvc, "spec", NULL);
	JsonObject *ann = sim_json_ensure(pvc, "metadata", "annotations", NULL);
	JsonObject *pv = json_object_new();
	JsonObject *meta, *spec, *ref, *csi, *status;
	JsonArray *modes = sim_json_array(pvc_spec, "accessModes");
	gint64 size = sim_storage_request(pvc);
	g_autofree gchar *pv_name = g_strdup_printf("pvc-%s", sim_object_get_uid(pvc_obj));
	g_autofree gchar *size_text = sim_quantity_format_value(size, TRUE);
	g_autofree gchar *rv =
	    g_strdup_printf("%" G_GUINT64_FORMAT, sim_object_get_resource_version(pvc_obj));
	g_autoptr(SimObject) stored_pv = NULL;

	json_object_set_string_member(pv, "apiVersion", "v1");
	json_object_set_string_member(pv, "kind", "PersistentVolume");
	meta = sim_json_ensure(pv, "metadata", NULL);
	json_object_set_string_member(meta, "name", pv_name);
	json_object_set_string_member(sim_json_ensure(meta, "annotations", NULL),
				      "pv.kubernetes.io/provisioned-by", prov);
	json_array_add_string_element(sim_json_ensure_array(meta, "finalizers"),
				      "kubernetes.io/pv-protection");
	spec = sim_json_ensure(pv, "spec", NULL);
	if (modes == NULL) {
		/* the PVC defaulting the API server would have done */
		modes = json_array_new();
		json_array_add_string_element(modes, "ReadWriteOnce");
		json_object_set_array_member(pvc_spec, "accessModes", modes);
	}
	json_object_set_member(spec, "accessModes",
			       sim_json_node_dup(json_object_get_member(pvc_spec, "accessModes")));
	json_object_set_string_member(sim_json_ensure(spec, "capacity", NULL), "storage",
				      size_text);
	ref = sim_json_ensure(spec, "claimRef", NULL);
	json_object_set_string_member(ref, "apiVersion", "v1");
	json_object_set_string_member(ref, "kind", "PersistentVolumeClaim");
	json_object_set_string_member(ref, "name", sim_object_get_name(pvc_obj));
	json_object_set_string_member(ref, "namespace", sim_object_get_namespace(pvc_obj));
	json_object_set_string_member(ref, "resourceVersion", rv);
	json_object_set_string_member(ref, "uid", sim_object_get_uid(pvc_obj));
	csi = sim_json_ensure(spec, "csi", NULL);
	json_object_set_string_member(csi, "driver", prov);
	json_object_set_string_member(csi, "volumeHandle", sim_object_get_uid(pvc_obj));
	if (cap != NULL)
		sim_storage_node_affinity(spec, sim_object_get_json(cap));
	else if (node == NULL)
		sim_storage_topology_affinity(spec, sim_json_array(kjson, "allowedTopologies"));
	json_object_set_string_member(spec, "persistentVolumeReclaimPolicy",
				      sim_json_string(kjson, "reclaimPolicy") ?: "Delete");
	json_object_set_string_member(spec, "storageClassName", sim_object_get_name(klass));
	json_object_set_string_member(spec, "volumeMode",
				      sim_json_string(pvc_spec, "volumeMode") ?: "Filesystem");
	status = sim_json_ensure(pv, "status", NULL);
	json_object_set_string_member(status, "phase", "Bound");
	stored_pv = sim_cluster_create(ctl->cluster, ctl->r.pvs, pv, SIM_WRITE_NONE, error);
	if (stored_pv == NULL)
		return FALSE;
	if (cap != NULL)
		sim_storage_take_capacity(ctl, cap, size);

	json_object_set_string_member(ann, "volume.beta.kubernetes.io/storage-provisioner", prov);
	json_object_set_string_member(ann, "volume.kubernetes.io/storage-provisioner", prov);
	if (sim_json_string(pvc_spec, "storageClassName") == NULL)
		json_object_set_string_member(pvc_spec, "storageClassName",
					      sim_object_get_name(klass));
	return sim_storage_claim_bound(ctl, g_steal_pointer(&pvc), pv_name, size_text, node, error);
}

/* The pod's PVC objects, in volume order; NULL with @missing set to the first absent claim. */
static GPtrArray *
sim_storage_pod_claims(SimCtl *ctl, JsonObject *pod, const gchar **missing)
{
	JsonArray *vols = sim_json_array(sim_json_object(pod, "spec"), "volumes");
	const gchar *ns = sim_json_string(sim_json_object(pod, "metadata"), "namespace") ?: "";
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)sim_object_unref);

	*missing = NULL;
	for (guint i = 0; vols != NULL && i < json_array_get_length(vols); i++) {
		const gchar *claim =
		    sim_json_string(sim_json_object(json_array_get_object_element(vols, i),
						    "persistentVolumeClaim"),
				    "claimName");
		SimObject *pvc;

		if (claim == NULL || ctl->r.pvcs == NULL)
			continue;
		pvc = sim_cluster_get(ctl->cluster, ctl->r.pvcs, ns, claim);
		if (pvc == NULL) {
			*missing = claim;
			g_ptr_array_unref(out);
			return NULL;
		}
		g_ptr_array_add(out, pvc);
	}
	return out;
}

static gboolean
sim_storage_is_bound(JsonObject *pvc)
{
	const gchar *vn = sim_json_string(sim_json_object(pvc, "spec"), "volumeName");

	return vn != NULL && *vn != '\0';
}

static gint
sim_storage_by_size(gconstpointer a, gconstpointer b)
{
	gint64 x = sim_storage_request(sim_object_get_json(*(SimObject **)a));
	gint64 y = sim_storage_request(sim_object_get_json(*(SimObject **)b));

	return x < y ? -1 : x > y;
}

/* The pod's unbound claims by increasing request, as binder.go findMatchingVolumes takes them
 * (borrowed from @claims) */
static GPtrArray *
sim_storage_unbound_by_size(GPtrArray *claims)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; claims != NULL && i < claims->len; i++) {
		if (!sim_storage_is_bound(sim_object_get_json(claims->pdata[i])))
			g_ptr_array_add(out, claims->pdata[i]);
	}
	g_ptr_array_sort(out, sim_storage_by_size);
	return out;
}

static GHashTable *
sim_storage_node_labels(SimCtl *ctl, const gchar *node)
{
	g_autoptr(SimObject) node_obj = sim_cluster_get(ctl->cluster, ctl->r.nodes, "", node);
	JsonObject *nl = sim_json_path_object(node_obj != NULL ? sim_object_get_json(node_obj) : NULL,
					      "metadata", "labels", NULL);
	GHashTable *labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	JsonObjectIter it;
	const gchar *k;
	JsonNode *v;

	if (nl == NULL)
		return labels;
	json_object_iter_init(&it, nl);
	while (json_object_iter_next(&it, &k, &v)) {
		if (JSON_NODE_HOLDS_VALUE(v))
			g_hash_table_insert(labels, g_strdup(k), g_strdup(json_node_get_string(v)));
	}
	return labels;
}

/* VolumeBinding PreFilter */
gchar *
sim_storage_prefilter(JsonObject *pod, gpointer user_data)
{
	SimCtl *ctl = user_data;
	const gchar *missing = NULL;
	g_autoptr(GPtrArray) claims = sim_storage_pod_claims(ctl, pod, &missing);

	if (claims == NULL)
		return g_strdup_printf("persistentvolumeclaim \"%s\" not found", missing);
	for (guint i = 0; i < claims->len; i++) {
		JsonObject *pvc = sim_object_get_json(claims->pdata[i]);
		g_autoptr(SimObject) klass = NULL;

		if (sim_json_string(sim_json_object(pvc, "metadata"), "deletionTimestamp") != NULL)
			return g_strdup_printf("persistentvolumeclaim \"%s\" is being deleted",
					       sim_object_get_name(claims->pdata[i]));
		if (sim_storage_is_bound(pvc))
			continue;
		klass = sim_storage_class(ctl, pvc);
		if (klass == NULL || !sim_storage_is_wffc(klass))
			return g_strdup("pod has unbound immediate PersistentVolumeClaims");
	}
	return NULL;
}

/* VolumeBinding Filter: bound volumes' node affinity, unbound WFFC volumes' capacity */
SimSchedCode
sim_storage_filter(JsonObject *pod,
		   const SimSchedNode *node,
		   GPtrArray *reasons,
		   gpointer user_data)
{
	SimCtl *ctl = user_data;
	const gchar *missing = NULL;
	g_autoptr(GPtrArray) claims = sim_storage_pod_claims(ctl, pod, &missing);
	g_autoptr(GPtrArray) unbound = sim_storage_unbound_by_size(claims);
	g_autoptr(GHashTable) chosen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gboolean conflict = FALSE, no_space = FALSE, no_volume = FALSE;

	/* findMatchingVolumes first, then what is left is provisioned (checkVolumeProvisions) */
	for (guint i = 0; i < unbound->len; i++) {
		JsonObject *pvc = sim_object_get_json(unbound->pdata[i]);
		g_autoptr(SimObject) klass = sim_storage_class(ctl, pvc);
		g_autoptr(SimObject) pv = NULL;
		g_autoptr(SimObject) cap = NULL;
		gint64 size = sim_storage_request(pvc);

		if (klass == NULL)
			continue;
		pv = sim_storage_match_pv(ctl, unbound->pdata[i], sim_object_get_name(klass),
					  sim_sched_node_name(node), sim_sched_node_labels(node), chosen);
		if (pv != NULL) {
			g_hash_table_add(chosen, g_strdup(sim_object_get_name(pv)));
			continue;
		}
		if (sim_storage_is_static(klass) ||
		    !sim_storage_allowed_on(klass, sim_sched_node_labels(node))) {
			no_volume = TRUE;
			continue;
		}
		if (size == 0 || !sim_storage_checks_capacity(ctl, klass))
			continue;
		cap = sim_storage_find_capacity(ctl, sim_object_get_name(klass), size,
						sim_sched_node_labels(node), FALSE);
		if (cap == NULL)
			no_space = TRUE;
	}
	for (guint i = 0; claims != NULL && i < claims->len; i++) {
		JsonObject *pvc = sim_object_get_json(claims->pdata[i]);

		if (sim_storage_is_bound(pvc)) {
			g_autoptr(SimObject) pv = sim_cluster_get(
			    ctl->cluster, ctl->r.pvs, "",
			    sim_json_string(sim_json_object(pvc, "spec"), "volumeName"));
			JsonObject *req =
			    sim_json_path_object(pv != NULL ? sim_object_get_json(pv) : NULL,
						 "spec", "nodeAffinity", "required", NULL);

			if (req != NULL &&
			    !sim_sched_match_node_selector_terms(
				sim_json_array(req, "nodeSelectorTerms"),
				sim_sched_node_labels(node), sim_sched_node_name(node)))
				conflict = TRUE;
		}
	}
	if (conflict)
		g_ptr_array_add(reasons, g_strdup("node(s) had volume node affinity conflict"));
	if (no_volume)
		g_ptr_array_add(reasons,
				g_strdup("node(s) didn't find available persistent volumes to bind"));
	if (no_space)
		g_ptr_array_add(reasons, g_strdup("node(s) did not have enough free storage"));
	return conflict || no_volume || no_space ? SIM_SCHED_UNSCHEDULABLE_AND_UNRESOLVABLE
						 : SIM_SCHED_OK;
}

/* Volume binding's PreBind: provisions the pod's unbound WFFC claims on @node. */
gboolean
sim_storage_bind_pod_volumes(SimCtl *ctl, JsonObject *pod, const gchar *node, GError **error)
{
	const gchar *missing = NULL;
	g_autoptr(GPtrArray) claims = sim_storage_pod_claims(ctl, pod, &missing);
	g_autoptr(GPtrArray) unbound = NULL;
	g_autoptr(GHashTable) labels = NULL;
	g_autoptr(GHashTable) chosen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	if (claims == NULL)
		return TRUE; /* the prefilter already said so */
	labels = sim_storage_node_labels(ctl, node);
	unbound = sim_storage_unbound_by_size(claims);
	for (guint i = 0; i < unbound->len; i++) {
		JsonObject *pvc = sim_object_get_json(unbound->pdata[i]);
		g_autoptr(SimObject) klass = sim_storage_class(ctl, pvc);
		g_autoptr(SimObject) pv = NULL;
		g_autoptr(SimObject) cap = NULL;

		if (klass == NULL)
			continue;
		pv = sim_storage_match_pv(ctl, unbound->pdata[i], sim_object_get_name(klass), node,
					  labels, chosen);
		if (pv != NULL) {
			g_hash_table_add(chosen, g_strdup(sim_object_get_name(pv)));
			if (!sim_storage_bind_pv(ctl, unbound->pdata[i], pv, node, error))
				return FALSE;
			continue;
		}
		if (sim_storage_is_static(klass) || !sim_storage_allowed_on(klass, labels)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_CONFLICT,
				    "running PreBind plugin \"VolumeBinding\": "
				    "node(s) didn't find available persistent volumes to bind");
			return FALSE;
		}
		if (sim_storage_checks_capacity(ctl, klass)) {
			cap = sim_storage_find_capacity(ctl, sim_object_get_name(klass),
							sim_storage_request(pvc), labels, FALSE);
			if (cap == NULL) {
				g_set_error(error, SIM_ERROR, SIM_ERROR_CONFLICT,
					    "running PreBind plugin \"VolumeBinding\": "
					    "node(s) did not have enough free storage");
				return FALSE;
			}
		}
		if (!sim_storage_provision(ctl, unbound->pdata[i], klass, cap, node, error))
			return FALSE;
	}
	return TRUE;
}

/* Immediate binding: an existing volume, else provision now if capacity allows. */
static void
sim_storage_sync_pvc(SimCtl *ctl, SimObject *obj, gboolean added)
{
	JsonObject *pvc = sim_object_get_json(obj);
	g_autoptr(SimObject) klass = NULL;
	g_autoptr(SimObject) cap = NULL;
	g_autoptr(SimObject) pv = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *name;
	gint64 size;

	if (sim_storage_is_bound(pvc) ||
	    sim_json_string(sim_json_object(pvc, "metadata"), "deletionTimestamp") != NULL)
		return;
	klass = sim_storage_class(ctl, pvc);
	name = sim_json_string(sim_json_object(pvc, "spec"), "storageClassName");
	if (klass == NULL) {
		if (added && name != NULL && *name != '\0') {
			g_autofree gchar *msg =
			    g_strdup_printf("storageclass.storage.k8s.io \"%s\" not found", name);

			sim_ctl_event(ctl, pvc, "Warning", "ProvisioningFailed",
				      "persistentvolume-controller", msg);
		}
		return;
	}
	if (sim_storage_is_wffc(klass)) {
		if (added)
			sim_ctl_event(ctl, pvc, "Normal", "WaitForFirstConsumer",
				      "persistentvolume-controller",
				      "waiting for first consumer to be created before binding");
		return;
	}
	/* syncUnboundClaim: an existing volume first (findBestMatchForClaim), then provisioning */
	pv = sim_storage_match_pv(ctl, obj, sim_object_get_name(klass), NULL, NULL, NULL);
	if (pv != NULL) {
		if (!sim_storage_bind_pv(ctl, obj, pv, NULL, &error))
			g_debug("%s: %s", sim_cluster_get_name(ctl->cluster), error->message);
		return;
	}
	if (sim_storage_is_static(klass)) {
		g_autofree gchar *key =
		    g_strdup_printf("%s/%s", sim_object_get_namespace(obj), sim_object_get_name(obj));
		g_autofree gchar *msg = g_strdup_printf(
		    "waiting for a volume to be created, either by external provisioner \"%s\" or "
		    "manually created by system administrator",
		    sim_json_string(sim_object_get_json(klass), "provisioner") ?: "");

		/* retried when volumes change; one event until it binds */
		if (!g_hash_table_contains(ctl->pvc_queue, key)) {
			sim_ctl_event(ctl, pvc, "Normal", "ExternalProvisioning",
				      "persistentvolume-controller", msg);
			g_hash_table_add(ctl->pvc_queue, g_steal_pointer(&key));
		}
		return;
	}
	size = sim_storage_request(pvc);
	if (sim_storage_checks_capacity(ctl, klass)) {
		cap = sim_storage_find_capacity(ctl, sim_object_get_name(klass), size, NULL, TRUE);
		if (cap == NULL) {
			g_autofree gchar *key = g_strdup_printf(
			    "%s/%s", sim_object_get_namespace(obj), sim_object_get_name(obj));
			g_autofree gchar *want = sim_quantity_format_value(size, TRUE);
			g_autofree gchar *msg = g_strdup_printf(
			    "failed to provision volume with StorageClass \"%s\": rpc error: code "
			    "= "
			    "ResourceExhausted desc = no capacity for %s in any topology segment",
			    sim_object_get_name(klass), want);

			/* one event per PVC until it binds, not one per retry */
			if (!g_hash_table_contains(ctl->pvc_queue, key)) {
				sim_ctl_event(
				    ctl, pvc, "Warning", "ProvisioningFailed",
				    sim_json_string(sim_object_get_json(klass), "provisioner")
					?: "",
				    msg);
				g_hash_table_add(ctl->pvc_queue, g_steal_pointer(&key));
			}
			return;
		}
	}
	if (!sim_storage_provision(ctl, obj, klass, cap, NULL, &error))
		g_debug("%s: %s", sim_cluster_get_name(ctl->cluster), error->message);
}

static gboolean
sim_storage_retry(SimCluster *cluster, gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) pvcs = sim_cluster_list(cluster, ctl->r.pvcs, NULL, NULL);

	ctl->storage_timer = 0;
	for (guint i = 0; i < pvcs->len; i++)
		sim_storage_sync_pvc(ctl, pvcs->pdata[i], FALSE);
	return G_SOURCE_REMOVE;
}

static void
sim_storage_pvc_changed(SimCluster *cluster,
			SimEventType type,
			SimObject *old_obj,
			SimObject *new_obj,
			gpointer user_data)
{
	SimCtl *ctl = user_data;
	JsonObject *pvc = sim_object_get_json(new_obj);
	g_autofree gchar *key = g_strdup_printf("%s/%s", sim_object_get_namespace(new_obj),
						sim_object_get_name(new_obj));

	if (type == SIM_EVENT_DELETED) {
		const gchar *pv = sim_json_string(sim_json_object(pvc, "spec"), "volumeName");
		g_autoptr(SimObject) pv_obj = NULL;
		g_autoptr(SimObject) gone = NULL;

		g_hash_table_remove(ctl->pvc_queue, key);
		if (pv == NULL || (pv_obj = sim_cluster_get(cluster, ctl->r.pvs, "", pv)) == NULL)
			return;
		/* reclaimPolicy Delete: the volume goes with its claim; Retain: it is Released,
		 * kept for its data and bound to nothing new */
		if (g_strcmp0(sim_json_string(sim_json_object(sim_object_get_json(pv_obj), "spec"),
					      "persistentVolumeReclaimPolicy"),
			      "Retain") != 0) {
			gone = sim_cluster_delete(cluster, ctl->r.pvs, "", pv, NULL);
		} else {
			g_autoptr(JsonObject) copy = sim_object_dup_json(pv_obj);

			json_object_set_string_member(sim_json_ensure(copy, "status", NULL), "phase",
						      "Released");
			gone = sim_cluster_update(cluster, ctl->r.pvs, g_steal_pointer(&copy),
						  SIM_WRITE_FORCE, NULL);
		}
		return;
	}
	if (sim_storage_is_bound(pvc)) {
		g_hash_table_remove(ctl->pvc_queue, key);
		/* a bound claim may unblock a pod waiting on "unbound immediate" */
		if (old_obj != NULL && !sim_storage_is_bound(sim_object_get_json(old_obj)))
			sim_scheduler_requeue_all(ctl);
		return;
	}
	sim_storage_sync_pvc(ctl, new_obj, type == SIM_EVENT_ADDED);
	if (type == SIM_EVENT_ADDED)
		sim_scheduler_requeue_all(ctl);
}

/* Capacity, classes or drivers changed: pending claims and pods may fit now. */
static void
sim_storage_topology_changed(SimCluster *cluster,
			     SimEventType type,
			     SimObject *old_obj,
			     SimObject *new_obj,
			     gpointer user_data)
{
	SimCtl *ctl = user_data;

	if (g_hash_table_size(ctl->pvc_queue) > 0)
		sim_ctl_soon(ctl, &ctl->storage_timer, sim_storage_retry);
	sim_scheduler_requeue_all(ctl);
}

/* CDI: a DataVolume gets its PVC (same name, owned by the DV) and follows its phase. */
static void
sim_storage_dv_sync(SimCtl *ctl, SimObject *obj)
{
	JsonObject *dv = sim_object_get_json(obj);
	JsonObject *spec = sim_json_object(dv, "spec");
	JsonObject *storage = sim_json_object(spec, "storage") ?: sim_json_object(spec, "pvc");
	const gchar *ns = sim_object_get_namespace(obj);
	const gchar *name = sim_object_get_name(obj);
	g_autoptr(SimObject) pvc_obj = sim_cluster_get(ctl->cluster, ctl->r.pvcs, ns, name);
	const gchar *want_phase;
	g_autoptr(SimObject) stored = NULL;
	g_autoptr(SimObject) klass = NULL;

	if (pvc_obj == NULL) {
		JsonObject *pvc = json_object_new();
		JsonObject *meta = sim_json_ensure(pvc, "metadata", NULL);
		JsonObject *pspec = sim_json_ensure(pvc, "spec", NULL);
		JsonObject *owner = json_object_new();
		JsonArray *owners = json_array_new();
		g_autoptr(GError) error = NULL;

		json_object_set_string_member(pvc, "apiVersion", "v1");
		json_object_set_string_member(pvc, "kind", "PersistentVolumeClaim");
		json_object_set_string_member(meta, "name", name);
		json_object_set_string_member(meta, "namespace", ns);
		json_object_set_string_member(sim_json_ensure(meta, "labels", NULL), "app",
					      "containerized-data-importer");
		json_object_set_string_member(owner, "apiVersion", "cdi.kubevirt.io/v1beta1");
		json_object_set_boolean_member(owner, "blockOwnerDeletion", TRUE);
		json_object_set_boolean_member(owner, "controller", TRUE);
		json_object_set_string_member(owner, "kind", "DataVolume");
		json_object_set_string_member(owner, "name", name);
		json_object_set_string_member(owner, "uid", sim_object_get_uid(obj));
		json_array_add_object_element(owners, owner);
		json_object_set_array_member(meta, "ownerReferences", owners);
		if (storage != NULL) {
			JsonObjectIter it;
			const gchar *k;
			JsonNode *v;

			json_object_iter_init(&it, storage);
			while (json_object_iter_next(&it, &k, &v))
				json_object_set_member(pspec, k, sim_json_node_dup(v));
		}
		if (!json_object_has_member(pspec, "accessModes")) {
			JsonArray *m = json_array_new();

			json_array_add_string_element(m, "ReadWriteOnce");
			json_object_set_array_member(pspec, "accessModes", m);
		}
		stored = sim_cluster_create(ctl->cluster, ctl->r.pvcs, pvc, SIM_WRITE_NONE, &error);
		if (stored == NULL) {
			g_autoptr(JsonObject) copy = sim_object_dup_json(obj);
			g_autoptr(SimObject) s2 = NULL;
			JsonObject *status = sim_json_ensure(copy, "status", NULL);

			if (g_strcmp0(sim_json_string(sim_json_object(dv, "status"), "phase"),
				      "Pending") == 0)
				return;
			json_object_set_string_member(status, "phase", "Pending");
			sim_ctl_set_condition(status, "Bound", "False", "ErrClaimNotValid",
					      error->message);
			sim_ctl_event(ctl, dv, "Warning", "ErrClaimNotValid",
				      "datavolume-controller", error->message);
			s2 = sim_ctl_write_status(ctl, ctl->r.datavolumes, g_steal_pointer(&copy));
		}
		return;
	}
	klass = sim_storage_class(ctl, sim_object_get_json(pvc_obj));
	want_phase = sim_storage_is_bound(sim_object_get_json(pvc_obj)) ? "Succeeded"
		     : klass != NULL && sim_storage_is_wffc(klass)	? "WaitForFirstConsumer"
									: "Pending";
	if (g_strcmp0(sim_json_string(sim_json_object(dv, "status"), "phase"), want_phase) != 0) {
		g_autoptr(JsonObject) copy = sim_object_dup_json(obj);
		JsonObject *status = sim_json_ensure(copy, "status", NULL);
		gboolean bound = strcmp(want_phase, "Succeeded") == 0;

		json_object_set_string_member(status, "claimName", name);
		json_object_set_string_member(status, "phase", want_phase);
		json_object_set_string_member(status, "progress", bound ? "100.0%" : "N/A");
		sim_ctl_set_condition(status, "Bound", bound ? "True" : "False",
				      bound ? "Bound" : "Pending", NULL);
		sim_ctl_set_condition(status, "Ready", bound ? "True" : "False",
				      bound ? "Ready" : "Pending", NULL);
		stored = sim_ctl_write_status(ctl, ctl->r.datavolumes, g_steal_pointer(&copy));
	}
}

static void
sim_storage_dv_changed(SimCluster *cluster,
		       SimEventType type,
		       SimObject *old_obj,
		       SimObject *new_obj,
		       gpointer user_data)
{
	if (type != SIM_EVENT_DELETED)
		sim_storage_dv_sync(user_data, new_obj);
}

static void
sim_storage_pvc_owner_changed(SimCluster *cluster,
			      SimEventType type,
			      SimObject *old_obj,
			      SimObject *new_obj,
			      gpointer user_data)
{
	SimCtl *ctl = user_data;
	JsonArray *owners = sim_json_array(
	    sim_json_object(sim_object_get_json(new_obj), "metadata"), "ownerReferences");

	if (type == SIM_EVENT_DELETED)
		return;
	for (guint i = 0; owners != NULL && i < json_array_get_length(owners); i++) {
		JsonObject *o = json_array_get_object_element(owners, i);
		g_autoptr(SimObject) dv = NULL;

		if (g_strcmp0(sim_json_string(o, "kind"), "DataVolume") != 0)
			continue;
		dv = sim_cluster_get(cluster, ctl->r.datavolumes, sim_object_get_namespace(new_obj),
				     sim_json_string(o, "name"));
		if (dv != NULL)
			sim_storage_dv_sync(ctl, dv);
	}
}

static gboolean
sim_storage_initial(SimCluster *cluster, gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) pvcs = sim_cluster_list(cluster, ctl->r.pvcs, NULL, NULL);

	for (guint i = 0; i < pvcs->len; i++) {
		if (!sim_ctl_has_string_member(pvcs->pdata[i], "volumeName"))
			sim_storage_sync_pvc(ctl, pvcs->pdata[i], FALSE);
	}
	if (ctl->r.datavolumes != NULL) {
		g_autoptr(GPtrArray) dvs =
		    sim_cluster_list(cluster, ctl->r.datavolumes, NULL, NULL);

		for (guint i = 0; i < dvs->len; i++) {
			g_autoptr(SimObject) pvc = sim_cluster_get(
			    cluster, ctl->r.pvcs, sim_object_get_namespace(dvs->pdata[i]),
			    sim_object_get_name(dvs->pdata[i]));

			/* only what is missing: a DV from the files with its PVC is left as is */
			if (pvc == NULL)
				sim_storage_dv_sync(ctl, dvs->pdata[i]);
		}
	}
	return G_SOURCE_REMOVE;
}

void
sim_storage_register(SimCtl *ctl)
{
	const SimResource *topo[] = {ctl->r.capacities, ctl->r.storageclasses, ctl->r.csidrivers,
				     ctl->r.pvs};

	if (ctl->r.pvcs == NULL || ctl->r.pvs == NULL)
		return;
	sim_cluster_connect_changes(ctl->cluster, ctl->r.pvcs, sim_storage_pvc_changed, ctl, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(topo); i++) {
		if (topo[i] != NULL)
			sim_cluster_connect_changes(ctl->cluster, topo[i],
						    sim_storage_topology_changed, ctl, NULL);
	}
	if (ctl->r.datavolumes != NULL) {
		sim_cluster_connect_changes(ctl->cluster, ctl->r.datavolumes,
					    sim_storage_dv_changed, ctl, NULL);
		sim_cluster_connect_changes(ctl->cluster, ctl->r.pvcs,
					    sim_storage_pvc_owner_changed, ctl, NULL);
	}
	sim_cluster_add_timer(ctl->cluster, 2, sim_storage_initial, ctl, NULL);
}
