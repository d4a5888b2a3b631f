/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cclm-error.h"
#include "cclm-inventory-private.h"
#include "cclm-quantity-private.h"
#include "cclm-strpool-private.h"

/* A pod's container as its spec asks (requests), or its status reports (requests: what it runs
 * with, allocated: what the kubelet admitted), for in-place resizes */
typedef struct {
	gchar *name;
	gboolean init;
	gboolean restartable;	/* an init container with restartPolicy Always: a sidecar */
	gboolean has_resources; /* a status with a resources object */
	CclmResources requests;
	CclmResources allocated;
} CclmPodContainer;

/* The state of one object being read from events; reset at each ITEM_BEGIN. */
typedef struct {
	CclmInventoryKind kind;
	gpointer rec;
	gchar *namespace_;
	gchar *name;
	GError *pending; /* first bad field, reported with the object's name at ITEM_END */
	/* pods: containers and their statuses, aggregated at the object's end */
	CclmPodContainer container; /* the one being read */
	GArray *containers;	    /* CclmPodContainer, spec order */
	GArray *statuses;	    /* CclmPodContainer, from status.(init)containerStatuses */
	gboolean resize_condition;  /* the condition being read is PodResizePending */
	gboolean infeasible;	    /* ... with reason Infeasible */
	gboolean resize_infeasible;
	CclmResources pod_level, overhead;
	gboolean has_pod_level;
	/* nodes */
	GArray *labels;
	GArray *taints;
	CclmTaint taint;
	const gchar *cond_type;
	const gchar *cond_status;
	/* selectors, tolerations, VM parts */
	CclmSelectorTerm term;
	CclmRequirement req;
	CclmToleration toleration;
	CclmVolumeRef volume;
	CclmDataVolumeTemplate dvt;
	const gchar *feature_name;
	const gchar *feature_policy;
	CclmLimitRangeItem limit;
	const gchar *limit_type;
	const gchar *iface_name; /* the interface or network being read */
	gboolean iface_sriov;
	const gchar *network_target;
	CclmKubevirtConfig kubevirt; /* the KubeVirt CR being read, swapped in once it is whole */
	GPtrArray *strs;	     /* pooled strings the object being read holds */
} CclmParse;

struct _CclmInventory {
	GObject parent_instance;
	gchar *cluster_name;
	GHashTable *tables[CCLM_INVENTORY_N_KINDS];
	guint32 gen[CCLM_INVENTORY_N_KINDS];
	guint64 node_serial; /* bumped whenever a node record is replaced or removed */
	guint64 serial[CCLM_INVENTORY_N_KINDS]; /* bumped whenever a table changes */
	GHashTable *requested; /* pooled node name (a reference) -> CclmResources* of its active pods */
	CclmKubevirtConfig kubevirt;
	gboolean changed;
};

G_DEFINE_FINAL_TYPE(CclmInventory, cclm_inventory, G_TYPE_OBJECT)

/* One reader's state: each List parser and each watch object has its own, so that a page
 * arriving in chunks and watch events of other kinds can interleave. */
typedef struct {
	CclmInventory *self; /* a reference */
	CclmParse parse;
} CclmFeed;

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const struct {
	const gchar *name;
	const gchar *list_path;
	gboolean namespaced;
} cclm_inventory_kinds[CCLM_INVENTORY_N_KINDS] = {
    [CCLM_INVENTORY_KIND_NODE] = {"Node", "/api/v1/nodes", FALSE},
    [CCLM_INVENTORY_KIND_POD] = {"Pod", "/api/v1/pods", TRUE},
    [CCLM_INVENTORY_KIND_NAMESPACE] = {"Namespace", "/api/v1/namespaces", FALSE},
    [CCLM_INVENTORY_KIND_PERSISTENT_VOLUME_CLAIM] = {"PersistentVolumeClaim",
						     "/api/v1/persistentvolumeclaims", TRUE},
    [CCLM_INVENTORY_KIND_STORAGE_CLASS] = {"StorageClass",
					   "/apis/storage.k8s.io/v1/storageclasses", FALSE},
    [CCLM_INVENTORY_KIND_CSI_DRIVER] = {"CSIDriver", "/apis/storage.k8s.io/v1/csidrivers",
					FALSE},
    [CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY] = {"CSIStorageCapacity",
						  "/apis/storage.k8s.io/v1/csistoragecapacities",
						  TRUE},
    [CCLM_INVENTORY_KIND_RESOURCE_QUOTA] = {"ResourceQuota", "/api/v1/resourcequotas", TRUE},
    [CCLM_INVENTORY_KIND_LIMIT_RANGE] = {"LimitRange", "/api/v1/limitranges", TRUE},
    [CCLM_INVENTORY_KIND_VIRTUAL_MACHINE] = {"VirtualMachine",
					     "/apis/kubevirt.io/v1/virtualmachines", TRUE},
    [CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE] =
	{"VirtualMachineInstance", "/apis/kubevirt.io/v1/virtualmachineinstances", TRUE},
    [CCLM_INVENTORY_KIND_KUBEVIRT] = {"KubeVirt", "/apis/kubevirt.io/v1/kubevirts", TRUE},
    [CCLM_INVENTORY_KIND_NETWORK_ATTACHMENT_DEFINITION] =
	{"NetworkAttachmentDefinition", "/apis/k8s.cni.cncf.io/v1/network-attachment-definitions",
	 TRUE},
    [CCLM_INVENTORY_KIND_PERSISTENT_VOLUME] = {"PersistentVolume", "/api/v1/persistentvolumes",
					       FALSE},
};

/* The cluster-wide path to LIST (with ?limit=&continue=) and then WATCH for @kind. */
const gchar *
cclm_inventory_kind_get_list_path(CclmInventoryKind kind)
{
	g_return_val_if_fail(kind < CCLM_INVENTORY_N_KINDS, NULL);
	return cclm_inventory_kinds[kind].list_path;
}

const gchar *
cclm_inventory_kind_get_name(CclmInventoryKind kind)
{
	g_return_val_if_fail(kind < CCLM_INVENTORY_N_KINDS, NULL);
	return cclm_inventory_kinds[kind].name;
}

/* From an object's "kind" ("Pod"), e.g. to route watch events. */
gboolean
cclm_inventory_kind_from_name(const gchar *name, CclmInventoryKind *out_kind)
{
	for (guint k = 0; k < CCLM_INVENTORY_N_KINDS; k++) {
		if (g_strcmp0(name, cclm_inventory_kinds[k].name) == 0) {
			*out_kind = k;
			return TRUE;
		}
	}
	return FALSE;
}

/* Parts of objects no kind reads: parsed, not reported, which saves most of the work on nodes
 * (images) and the rest */
static const gchar *const cclm_inventory_skip_common[] = {
    "metadata.managedFields", "metadata.ownerReferences", "metadata.finalizers", NULL};
static const gchar *const cclm_inventory_skip_node[] = {
    "metadata.managedFields", "metadata.ownerReferences", "metadata.annotations",
    "status.images", "status.nodeInfo", "status.addresses", "status.daemonEndpoints",
    "status.volumesAttached", "status.volumesInUse", "status.capacity", "status.config", NULL};
/* Pods, the bulk of a cluster, by what is read: everything else is skipped as it opens */
static const gchar *const cclm_inventory_only_pod[] = {
    "metadata.name", "metadata.namespace", "spec.nodeName", "spec.overhead",
    "spec.resources.requests", "spec.containers[].name", "spec.containers[].resources.requests",
    "spec.initContainers[].name", "spec.initContainers[].resources.requests",
    "spec.initContainers[].restartPolicy", "status.phase", "status.conditions[].type",
    "status.conditions[].reason", "status.containerStatuses[].name",
    "status.containerStatuses[].resources.requests", "status.containerStatuses[].allocatedResources",
    "status.initContainerStatuses[].name", "status.initContainerStatuses[].resources.requests",
    "status.initContainerStatuses[].allocatedResources", NULL};

static const CclmJsonFilter cclm_inventory_filter_common = {NULL, cclm_inventory_skip_common};
static const CclmJsonFilter cclm_inventory_filter_node = {NULL, cclm_inventory_skip_node};
static const CclmJsonFilter cclm_inventory_filter_pod = {cclm_inventory_only_pod, NULL};

static const CclmJsonFilter *
cclm_inventory_kind_filter(CclmInventoryKind kind)
{
	switch (kind) {
	case CCLM_INVENTORY_KIND_POD:
		return &cclm_inventory_filter_pod;
	case CCLM_INVENTORY_KIND_NODE:
		return &cclm_inventory_filter_node;
	default:
		return &cclm_inventory_filter_common;
	}
}

/* Records */

static void
cclm_selector_term_clear(CclmSelectorTerm *term)
{
	if (term->reqs == NULL)
		return;
	for (guint i = 0; i < term->reqs->len; i++)
		g_clear_pointer(&g_array_index(term->reqs, CclmRequirement, i).values,
				g_ptr_array_unref);
	g_clear_pointer(&term->reqs, g_array_unref);
}

static void
cclm_limit_range_item_clear(gpointer data)
{
	CclmLimitRangeItem *item = data;

	cclm_resources_clear(&item->max);
	cclm_resources_clear(&item->min);
	cclm_resources_clear(&item->default_limit);
}

static void
cclm_selector_term_clear_cb(gpointer data)
{
	cclm_selector_term_clear(data);
}

static void
cclm_record_free(CclmInventoryKind kind, gpointer data)
{
	CclmRecord *rec = data;

	switch (kind) {
	case CCLM_INVENTORY_KIND_NODE: {
		CclmNodeRecord *n = data;

		cclm_resources_clear(&n->allocatable);
		g_free(n->labels);
		g_free(n->taints);
		break;
	}
	case CCLM_INVENTORY_KIND_POD: {
		CclmPodRecord *pod = data;

		cclm_resources_clear(&pod->requests);
		cclm_str_release(pod->namespace_);
		cclm_str_release(pod->node);
		break;
	}
	case CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY:
		cclm_selector_term_clear(&((CclmStorageCapacityRecord *)data)->topology);
		break;
	case CCLM_INVENTORY_KIND_STORAGE_CLASS:
		g_clear_pointer(&((CclmStorageClassRecord *)data)->allowed_topologies, g_array_unref);
		break;
	case CCLM_INVENTORY_KIND_PERSISTENT_VOLUME:
		g_clear_pointer(&((CclmPvRecord *)data)->affinity, g_array_unref);
		break;
	case CCLM_INVENTORY_KIND_LIMIT_RANGE:
		g_clear_pointer(&((CclmLimitRangeRecord *)data)->items, g_array_unref);
		break;
	case CCLM_INVENTORY_KIND_RESOURCE_QUOTA:
		g_clear_pointer(&((CclmQuotaRecord *)data)->hard, g_hash_table_unref);
		g_clear_pointer(&((CclmQuotaRecord *)data)->used, g_hash_table_unref);
		break;
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE:
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE: {
		CclmVmRecord *vm = data;

		g_clear_pointer(&vm->cpu_features, g_ptr_array_unref);
		g_clear_pointer(&vm->devices, g_ptr_array_unref);
		g_clear_pointer(&vm->bindings, g_ptr_array_unref);
		g_clear_pointer(&vm->sriov, g_ptr_array_unref);
		g_clear_pointer(&vm->networks, g_array_unref);
		g_clear_pointer(&vm->node_selector, g_array_unref);
		g_clear_pointer(&vm->tolerations, g_array_unref);
		g_clear_pointer(&vm->affinity, g_array_unref);
		g_clear_pointer(&vm->volumes, g_array_unref);
		g_clear_pointer(&vm->data_volume_templates, g_array_unref);
		break;
	}
	default:
		break;
	}
	for (guint i = 0; rec->strs != NULL && rec->strs[i] != NULL; i++)
		cclm_str_release(rec->strs[i]);
	g_free(rec->strs);
	g_free(rec->key);
	g_free(rec);
}

#define DEFINE_RECORD_FREE(fn, kind)                                                              \
	static void fn(gpointer data)                                                              \
	{                                                                                          \
		cclm_record_free(kind, data);                                                      \
	}
DEFINE_RECORD_FREE(cclm_node_record_free, CCLM_INVENTORY_KIND_NODE)
DEFINE_RECORD_FREE(cclm_pod_record_free, CCLM_INVENTORY_KIND_POD)
DEFINE_RECORD_FREE(cclm_plain_record_free, CCLM_INVENTORY_KIND_NAMESPACE)
DEFINE_RECORD_FREE(cclm_capacity_record_free, CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY)
DEFINE_RECORD_FREE(cclm_quota_record_free, CCLM_INVENTORY_KIND_RESOURCE_QUOTA)
DEFINE_RECORD_FREE(cclm_limit_range_record_free, CCLM_INVENTORY_KIND_LIMIT_RANGE)
DEFINE_RECORD_FREE(cclm_vm_record_free, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE)
DEFINE_RECORD_FREE(cclm_storage_class_record_free, CCLM_INVENTORY_KIND_STORAGE_CLASS)
DEFINE_RECORD_FREE(cclm_pv_record_free, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME)

static gsize
cclm_record_size(CclmInventoryKind kind)
{
	switch (kind) {
	case CCLM_INVENTORY_KIND_NODE:
		return sizeof(CclmNodeRecord);
	case CCLM_INVENTORY_KIND_POD:
		return sizeof(CclmPodRecord);
	case CCLM_INVENTORY_KIND_PERSISTENT_VOLUME_CLAIM:
		return sizeof(CclmPvcRecord);
	case CCLM_INVENTORY_KIND_STORAGE_CLASS:
		return sizeof(CclmStorageClassRecord);
	case CCLM_INVENTORY_KIND_CSI_DRIVER:
		return sizeof(CclmCsiDriverRecord);
	case CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY:
		return sizeof(CclmStorageCapacityRecord);
	case CCLM_INVENTORY_KIND_RESOURCE_QUOTA:
		return sizeof(CclmQuotaRecord);
	case CCLM_INVENTORY_KIND_LIMIT_RANGE:
		return sizeof(CclmLimitRangeRecord);
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE:
		return sizeof(CclmVmRecord);
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE:
		return sizeof(CclmVmiRecord);
	case CCLM_INVENTORY_KIND_NETWORK_ATTACHMENT_DEFINITION:
		return sizeof(CclmNetworkRecord);
	case CCLM_INVENTORY_KIND_PERSISTENT_VOLUME:
		return sizeof(CclmPvRecord);
	default:
		return sizeof(CclmRecord);
	}
}

static gpointer
cclm_record_new(CclmInventoryKind kind)
{
	gpointer rec = g_malloc0(cclm_record_size(kind));

	switch (kind) {
	case CCLM_INVENTORY_KIND_NODE:
		((CclmNodeRecord *)rec)->ready = -1;
		break;
	case CCLM_INVENTORY_KIND_POD:
		((CclmPodRecord *)rec)->active = TRUE;
		break;
	case CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY:
		((CclmStorageCapacityRecord *)rec)->capacity = -1;
		((CclmStorageCapacityRecord *)rec)->maximum_volume_size = -1;
		break;
	case CCLM_INVENTORY_KIND_LIMIT_RANGE:
		((CclmLimitRangeRecord *)rec)->items = g_array_new(FALSE, TRUE, sizeof(CclmLimitRangeItem));
		g_array_set_clear_func(((CclmLimitRangeRecord *)rec)->items, cclm_limit_range_item_clear);
		break;
	case CCLM_INVENTORY_KIND_RESOURCE_QUOTA:
		((CclmQuotaRecord *)rec)->hard = g_hash_table_new_full(NULL, NULL, NULL, g_free);
		((CclmQuotaRecord *)rec)->used = g_hash_table_new_full(NULL, NULL, NULL, g_free);
		break;
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE:
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE: {
		CclmVmRecord *vm = rec;

		vm->guest_memory = vm->request_memory = vm->limit_memory = -1;
		vm->request_cpu = vm->limit_cpu = -1;
		vm->autoattach_graphics = TRUE;
		vm->cpu_features = g_ptr_array_new();
		vm->devices = g_ptr_array_new();
		vm->bindings = g_ptr_array_new();
		vm->sriov = g_ptr_array_new();
		vm->networks = g_array_new(FALSE, FALSE, sizeof(CclmLabel));
		vm->reserved_overhead = -1;
		vm->node_selector = g_array_new(FALSE, FALSE, sizeof(CclmLabel));
		vm->tolerations = g_array_new(FALSE, FALSE, sizeof(CclmToleration));
		vm->volumes = g_array_new(FALSE, FALSE, sizeof(CclmVolumeRef));
		vm->data_volume_templates =
		    g_array_new(FALSE, FALSE, sizeof(CclmDataVolumeTemplate));
		break;
	}
	default:
		break;
	}
	return rec;
}

/* Per-node requested resources, kept up to date as pods come and go */
static void
cclm_inventory_account_pod(CclmInventory *self, const CclmPodRecord *pod, gint sign)
{
	CclmResources *req;

	if (pod->node == NULL || !pod->active)
		return;
	req = g_hash_table_lookup(self->requested, pod->node);
	if (req == NULL) {
		req = g_new0(CclmResources, 1);
		g_hash_table_insert(self->requested, (gpointer)cclm_str_intern(pod->node), req);
	}
	cclm_resources_add(req, &pod->requests, sign);
	req->pods += sign;
	/* a node's last pod gone: forget the node name, which may never come back */
	if (req->pods == 0)
		g_hash_table_remove(self->requested, pod->node);
}

static void
cclm_inventory_emit_changed(CclmInventory *self)
{
	if (!self->changed)
		return;
	self->changed = FALSE;
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
cclm_inventory_remove_key(CclmInventory *self, CclmInventoryKind kind, const gchar *key)
{
	GHashTable *table = self->tables[kind];
	gpointer old = g_hash_table_lookup(table, key);

	if (old == NULL)
		return FALSE;
	if (kind == CCLM_INVENTORY_KIND_POD)
		cclm_inventory_account_pod(self, old, -1);
	if (kind == CCLM_INVENTORY_KIND_NODE)
		self->node_serial++;
	self->serial[kind]++;
	g_hash_table_remove(table, key);
	self->changed = TRUE;
	return TRUE;
}

/* Whether a new version of a pod or node changes nothing capacity reads: status heartbeats
 * and the like, the bulk of watch traffic, then neither emit ::changed nor churn records. */
static gboolean
cclm_record_same(CclmInventoryKind kind, gconstpointer a, gconstpointer b)
{
	if (kind == CCLM_INVENTORY_KIND_POD) {
		const CclmPodRecord *x = a, *y = b;

		return x->namespace_ == y->namespace_ && x->node == y->node && x->active == y->active &&
		       cclm_resources_equal(&x->requests, &y->requests);
	}
	if (kind == CCLM_INVENTORY_KIND_NODE) {
		const CclmNodeRecord *x = a, *y = b;

		return cclm_resources_equal(&x->allocatable, &y->allocatable) &&
		       x->n_labels == y->n_labels && x->n_taints == y->n_taints &&
		       (x->n_labels == 0 || memcmp(x->labels, y->labels, x->n_labels * sizeof(CclmLabel)) == 0) &&
		       (x->n_taints == 0 || memcmp(x->taints, y->taints, x->n_taints * sizeof(CclmTaint)) == 0) &&
		       x->unschedulable == y->unschedulable && x->ready == y->ready &&
		       x->memory_pressure == y->memory_pressure && x->disk_pressure == y->disk_pressure &&
		       x->pid_pressure == y->pid_pressure;
	}
	return FALSE;
}

static void
cclm_inventory_store(CclmInventory *self, CclmInventoryKind kind, gpointer data)
{
	CclmRecord *rec = data;
	CclmRecord *old = g_hash_table_lookup(self->tables[kind], rec->key);

	rec->gen = self->gen[kind];
	if (old != NULL && cclm_record_same(kind, old, rec)) {
		old->gen = rec->gen;
		cclm_record_free(kind, rec);
		return;
	}
	cclm_inventory_remove_key(self, kind, rec->key);
	if (kind == CCLM_INVENTORY_KIND_POD)
		cclm_inventory_account_pod(self, data, +1);
	g_hash_table_insert(self->tables[kind], rec->key, rec);
	self->serial[kind]++;
	self->changed = TRUE;
}

static void
cclm_pod_container_clear(gpointer data)
{
	CclmPodContainer *c = data;

	g_free(c->name);
	cclm_resources_clear(&c->requests);
	cclm_resources_clear(&c->allocated);
	memset(c, 0, sizeof *c);
}

static void
cclm_kubevirt_config_init(CclmKubevirtConfig *kv)
{
	memset(kv, 0, sizeof *kv);
	kv->cpu_allocation_ratio = 10.0; /* pkg/virt-config/virt-config.go */
	kv->memory_overcommit = 100;
	kv->overhead_ratio = 1.0;
	kv->node_selectors = g_array_new(FALSE, FALSE, sizeof(CclmLabel));
	kv->binding_overheads = g_array_new(FALSE, FALSE, sizeof(CclmScalar));
}

static void
cclm_kubevirt_config_clear(CclmKubevirtConfig *kv)
{
	g_clear_pointer(&kv->node_selectors, g_array_unref);
	g_clear_pointer(&kv->binding_overheads, g_array_unref);
	g_clear_pointer(&kv->strs, g_ptr_array_unref);
}

/* No KubeVirt CR (any more): KubeVirt's defaults */
static void
cclm_inventory_reset_kubevirt(CclmInventory *self)
{
	cclm_kubevirt_config_clear(&self->kubevirt);
	cclm_kubevirt_config_init(&self->kubevirt);
	self->changed = TRUE;
}

/* Parsing helpers */

static void
cclm_parse_reset(CclmParse *p)
{
	if (p->rec != NULL)
		cclm_record_free(p->kind, g_steal_pointer(&p->rec));
	g_clear_pointer(&p->namespace_, g_free);
	g_clear_pointer(&p->name, g_free);
	g_clear_error(&p->pending);
	cclm_pod_container_clear(&p->container);
	g_clear_pointer(&p->containers, g_array_unref);
	g_clear_pointer(&p->statuses, g_array_unref);
	p->resize_condition = p->infeasible = p->resize_infeasible = FALSE;
	cclm_resources_clear(&p->pod_level);
	cclm_resources_clear(&p->overhead);
	p->has_pod_level = FALSE;
	g_clear_pointer(&p->labels, g_array_unref);
	g_clear_pointer(&p->taints, g_array_unref);
	cclm_selector_term_clear(&p->term);
	g_clear_pointer(&p->req.values, g_ptr_array_unref);
	memset(&p->req, 0, sizeof p->req);
	memset(&p->taint, 0, sizeof p->taint);
	memset(&p->toleration, 0, sizeof p->toleration);
	memset(&p->volume, 0, sizeof p->volume);
	memset(&p->dvt, 0, sizeof p->dvt);
	p->cond_type = p->cond_status = p->feature_name = p->feature_policy = NULL;
	cclm_limit_range_item_clear(&p->limit);
	p->limit_type = NULL;
	p->iface_name = p->network_target = NULL;
	p->iface_sriov = FALSE;
	g_clear_pointer(&p->strs, g_ptr_array_unref);
	cclm_kubevirt_config_clear(&p->kubevirt);
}

/* Parses a quantity into @r, remembering the first failure with its field. */
static void
cclm_parse_quantity(CclmParse *p, CclmResources *r, const gchar *path, const gchar *name, const gchar *value)
{
	g_autoptr(GError) error = NULL;

	if (cclm_resources_set_quantity(r, name, value, &error) || p->pending != NULL)
		return;
	g_prefix_error(&error, "%s: ", path);
	p->pending = g_steal_pointer(&error);
}

static gint64
cclm_parse_bytes(CclmParse *p, const gchar *path, const gchar *value)
{
	g_autoptr(GError) error = NULL;
	gint64 v = -1;

	if (value == NULL || cclm_quantity_parse_value(value, &v, &error) || p->pending != NULL)
		return v;
	g_prefix_error(&error, "%s: ", path);
	p->pending = g_steal_pointer(&error);
	return -1;
}

static gboolean
cclm_str_equal(const gchar *a, const gchar *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

/* @s pooled, held by the object being read */
static const gchar *
cclm_intern(CclmParse *p, const gchar *s)
{
	if (s == NULL)
		return NULL;
	s = cclm_str_intern(s);
	if (p->strs == NULL)
		p->strs = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_str_release);
	g_ptr_array_add(p->strs, (gpointer)s);
	return s;
}

/* "prefix.key" → "key" when @path is directly under @prefix */
static const gchar *
cclm_path_child(const gchar *path, const gchar *prefix)
{
	gsize n = strlen(prefix);

	if (strncmp(path, prefix, n) != 0 || path[n] != '.')
		return NULL;
	return path + n + 1;
}

static CclmSelectorOp
cclm_selector_op_from_string(const gchar *op)
{
	static const gchar *names[] = {"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (g_strcmp0(op, names[i]) == 0)
			return i;
	}
	return CCLM_SELECTOR_INVALID;
}

static void
cclm_term_append(CclmSelectorTerm *term, CclmRequirement *req)
{
	if (term->reqs == NULL)
		term->reqs = g_array_new(FALSE, TRUE, sizeof(CclmRequirement));
	if (req->values == NULL)
		req->values = g_ptr_array_new();
	g_array_append_val(term->reqs, *req);
	memset(req, 0, sizeof *req);
}

/* Events of a node selector term or label selector object, @rel relative to it. */
static void
cclm_parse_selector(CclmParse *p, CclmSelectorTerm *term, CclmJsonEventType type, const gchar *rel, const gchar *value)
{
	const gchar *k;

	/* matchLabelExpressions (a StorageClass's allowedTopologies) have no operator: In */
	if (g_str_equal(rel, "matchExpressions[]") || g_str_equal(rel, "matchFields[]") ||
	    g_str_equal(rel, "matchLabelExpressions[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_END) {
			p->req.field = rel[5] == 'F';
			cclm_term_append(term, &p->req);
		}
	} else if ((k = cclm_path_child(rel, "matchExpressions[]")) != NULL ||
		   (k = cclm_path_child(rel, "matchFields[]")) != NULL ||
		   (k = cclm_path_child(rel, "matchLabelExpressions[]")) != NULL) {
		if (g_str_equal(k, "key")) {
			p->req.key = cclm_intern(p, value);
		} else if (g_str_equal(k, "operator")) {
			p->req.op = cclm_selector_op_from_string(value);
		} else if (g_str_equal(k, "values[]") && value != NULL) {
			if (p->req.values == NULL)
				p->req.values = g_ptr_array_new();
			g_ptr_array_add(p->req.values, (gpointer)cclm_intern(p, value));
		}
	} else if ((k = cclm_path_child(rel, "matchLabels")) != NULL &&
		   type == CCLM_JSON_EVENT_VALUE) {
		CclmRequirement req = {cclm_intern(p, k), CCLM_SELECTOR_IN, FALSE,
				       g_ptr_array_new()};

		g_ptr_array_add(req.values, (gpointer)cclm_intern(p, value ? value : ""));
		cclm_term_append(term, &req);
	}
}

/* "" when @path is @prefix, the rest when it lies under it, else NULL */
static const gchar *
cclm_path_under(const gchar *path, const gchar *prefix)
{
	return g_str_equal(path, prefix) ? "" : cclm_path_child(path, prefix);
}

/* One event of a list of ORed terms (nodeSelectorTerms, allowedTopologies), @rel relative to
 * a term ("" for the term itself); *@terms is created by the first term when NULL */
static void
cclm_parse_terms(CclmParse *p, GArray **terms, CclmJsonEventType type, const gchar *rel, const gchar *value)
{
	if (*rel != '\0') {
		cclm_parse_selector(p, &p->term, type, rel, value);
	} else if (type == CCLM_JSON_EVENT_OBJECT_END) {
		if (*terms == NULL) {
			*terms = g_array_new(FALSE, TRUE, sizeof(CclmSelectorTerm));
			g_array_set_clear_func(*terms, cclm_selector_term_clear_cb);
		}
		if (p->term.reqs == NULL)
			p->term.reqs = g_array_new(FALSE, TRUE, sizeof(CclmRequirement));
		g_array_append_val(*terms, p->term);
		memset(&p->term, 0, sizeof p->term);
	}
}

static void
cclm_parse_toleration(CclmParse *p, GArray *out, CclmJsonEventType type, const gchar *k, const gchar *value)
{
	if (k == NULL) {
		if (type == CCLM_JSON_EVENT_OBJECT_END) {
			if (p->toleration.op == NULL)
				p->toleration.op = cclm_intern(p, "Equal");
			g_array_append_val(out, p->toleration);
			memset(&p->toleration, 0, sizeof p->toleration);
		}
	} else if (g_str_equal(k, "key")) {
		p->toleration.key = cclm_intern(p, value);
	} else if (g_str_equal(k, "operator")) {
		p->toleration.op = cclm_intern(p, value && *value ? value : "Equal");
	} else if (g_str_equal(k, "value")) {
		p->toleration.value = cclm_intern(p, value);
	} else if (g_str_equal(k, "effect")) {
		p->toleration.effect = value && *value ? cclm_intern(p, value) : NULL;
	}
}

/* A JSON map member: a repeated key replaces the earlier value, as in json-glib */
static void
cclm_labels_set(CclmParse *p, GArray *labels, const gchar *key, const gchar *value)
{
	CclmLabel l = {cclm_intern(p, key), cclm_intern(p, value ? value : "")};

	for (guint i = 0; i < labels->len; i++) {
		if (g_array_index(labels, CclmLabel, i).key == l.key) {
			g_array_index(labels, CclmLabel, i).value = l.value;
			return;
		}
	}
	g_array_append_val(labels, l);
}

/* Per-kind event handlers; @path is relative to the object */

/* Ends the container or container status being read, keeping it in @list */
static void
cclm_pod_container_end(CclmParse *p, GArray **list)
{
	if (*list == NULL) {
		*list = g_array_new(FALSE, TRUE, sizeof(CclmPodContainer));
		g_array_set_clear_func(*list, cclm_pod_container_clear);
	}
	g_array_append_val(*list, p->container);
	memset(&p->container, 0, sizeof p->container);
}

static void
cclm_parse_pod(CclmParse *p, CclmJsonEventType type, const gchar *path, const gchar *key, const gchar *value)
{
	CclmPodRecord *pod = p->rec;
	const gchar *k;

	if (g_str_equal(path, "spec.containers[]") || g_str_equal(path, "spec.initContainers[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_BEGIN) {
			cclm_pod_container_clear(&p->container);
			p->container.init = path[5] == 'i';
		} else if (type == CCLM_JSON_EVENT_OBJECT_END) {
			cclm_pod_container_end(p, &p->containers);
		}
	} else if (g_str_equal(path, "status.containerStatuses[]") ||
		   g_str_equal(path, "status.initContainerStatuses[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_BEGIN)
			cclm_pod_container_clear(&p->container);
		else if (type == CCLM_JSON_EVENT_OBJECT_END)
			cclm_pod_container_end(p, &p->statuses);
	} else if (g_str_equal(path, "status.containerStatuses[].resources") ||
		   g_str_equal(path, "status.initContainerStatuses[].resources")) {
		p->container.has_resources = TRUE;
	} else if (g_str_equal(path, "status.conditions[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_BEGIN)
			p->resize_condition = p->infeasible = FALSE;
		else if (type == CCLM_JSON_EVENT_OBJECT_END && p->resize_condition)
			p->resize_infeasible = p->infeasible;
	} else if (type != CCLM_JSON_EVENT_VALUE) {
		return;
	} else if ((k = cclm_path_child(path, "spec.containers[].resources.requests")) != NULL ||
		   (k = cclm_path_child(path, "spec.initContainers[].resources.requests")) != NULL ||
		   (k = cclm_path_child(path, "status.containerStatuses[].resources.requests")) != NULL ||
		   (k = cclm_path_child(path, "status.initContainerStatuses[].resources.requests")) != NULL) {
		cclm_parse_quantity(p, &p->container.requests, path, k, value);
	} else if ((k = cclm_path_child(path, "status.containerStatuses[].allocatedResources")) != NULL ||
		   (k = cclm_path_child(path, "status.initContainerStatuses[].allocatedResources")) != NULL) {
		cclm_parse_quantity(p, &p->container.allocated, path, k, value);
	} else if (g_str_equal(path, "spec.containers[].name") || g_str_equal(path, "spec.initContainers[].name") ||
		   g_str_equal(path, "status.containerStatuses[].name") ||
		   g_str_equal(path, "status.initContainerStatuses[].name")) {
		g_free(p->container.name);
		p->container.name = g_strdup(value);
	} else if (g_str_equal(path, "spec.initContainers[].restartPolicy")) {
		p->container.restartable = cclm_str_equal(value, "Always");
	} else if (g_str_equal(path, "status.conditions[].type")) {
		p->resize_condition = cclm_str_equal(value, "PodResizePending");
	} else if (g_str_equal(path, "status.conditions[].reason")) {
		p->infeasible = cclm_str_equal(value, "Infeasible");
	} else if ((k = cclm_path_child(path, "spec.resources.requests")) != NULL) {
		p->has_pod_level = TRUE;
		cclm_parse_quantity(p, &p->pod_level, path, k, value);
	} else if ((k = cclm_path_child(path, "spec.overhead")) != NULL) {
		cclm_parse_quantity(p, &p->overhead, path, k, value);
	} else if (g_str_equal(path, "spec.nodeName")) {
		cclm_str_release(pod->node);
		pod->node = value && *value ? cclm_str_intern(value) : NULL;
	} else if (g_str_equal(path, "status.phase")) {
		pod->active = !cclm_str_equal(value, "Succeeded") && !cclm_str_equal(value, "Failed");
	}
}

/* What a container counts for (component-helpers resource/helpers.go determineContainerReqs,
 * Kubernetes 1.33, InPlacePodVerticalScaling on): while a resize is pending or in progress, the
 * larger of what the spec asks, what the container runs with and what the kubelet allocated;
 * when the resize was found infeasible, what it runs with. */
static void
cclm_pod_container_requests(CclmParse *p, const CclmPodContainer *c, CclmResources *out)
{
	const CclmPodContainer *status = NULL;

	for (guint i = 0; p->statuses != NULL && i < p->statuses->len && c->name != NULL; i++) {
		const CclmPodContainer *s = &g_array_index(p->statuses, CclmPodContainer, i);

		if (g_strcmp0(s->name, c->name) == 0)
			status = s;
	}
	/* init containers other than sidecars have run to completion: their spec counts */
	if (status == NULL || !status->has_resources || (c->init && !c->restartable)) {
		cclm_resources_copy(out, &c->requests);
		return;
	}
	cclm_resources_copy(out, p->resize_infeasible ? &status->requests : &c->requests);
	if (!p->resize_infeasible)
		cclm_resources_max(out, &status->requests);
	cclm_resources_max(out, &status->allocated);
}

static void
cclm_finish_pod(CclmParse *p)
{
	CclmPodRecord *pod = p->rec;
	CclmResources *r = &pod->requests;
	CclmResources sidecars = {0}, init_max = {0}, c = {0};

	/* component-helpers resource/helpers.go AggregateContainerRequests: app containers and
	 * sidecars add up; each other init container needs the sidecars started before it */
	for (guint i = 0; p->containers != NULL && i < p->containers->len; i++) {
		const CclmPodContainer *spec = &g_array_index(p->containers, CclmPodContainer, i);

		cclm_pod_container_requests(p, spec, &c);
		if (!spec->init) {
			cclm_resources_add(r, &c, +1);
		} else if (spec->restartable) {
			cclm_resources_add(r, &c, +1);
			cclm_resources_add(&sidecars, &c, +1);
			cclm_resources_max(&init_max, &sidecars);
		} else {
			cclm_resources_add(&c, &sidecars, +1);
			cclm_resources_max(&init_max, &c);
		}
		cclm_resources_clear(&c);
	}
	cclm_resources_max(r, &init_max);
	cclm_resources_clear(&sidecars);
	cclm_resources_clear(&init_max);
	/* pod-level requests replace the aggregate for cpu, memory and hugepages only */
	if (p->has_pod_level) {
		if (p->pod_level.cpu > 0)
			r->cpu = p->pod_level.cpu;
		if (p->pod_level.memory > 0)
			r->memory = p->pod_level.memory;
		for (guint i = 0; i < p->pod_level.n_scalars; i++) {
			if (cclm_resource_is_hugepages(p->pod_level.scalars[i].name))
				cclm_resources_set(r, p->pod_level.scalars[i].name,
						   p->pod_level.scalars[i].value);
		}
	}
	cclm_resources_add(r, &p->overhead, +1);
	r->pods = 0;
	pod->namespace_ = cclm_str_intern(p->namespace_);
}

static void
cclm_parse_node(CclmParse *p, CclmJsonEventType type, const gchar *path, const gchar *key, const gchar *value)
{
	CclmNodeRecord *node = p->rec;
	const gchar *k;

	if (g_str_equal(path, "spec.taints[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_END) {
			g_array_append_val(p->taints, p->taint);
			memset(&p->taint, 0, sizeof p->taint);
		}
	} else if (g_str_equal(path, "status.conditions[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_BEGIN) {
			p->cond_type = p->cond_status = NULL;
		} else if (type == CCLM_JSON_EVENT_OBJECT_END) {
			gboolean is_true = cclm_str_equal(p->cond_status, "True");

			if (cclm_str_equal(p->cond_type, "Ready"))
				node->ready = is_true ? 1 : cclm_str_equal(p->cond_status, "False") ? 0 : -1;
			else if (cclm_str_equal(p->cond_type, "MemoryPressure"))
				node->memory_pressure = is_true;
			else if (cclm_str_equal(p->cond_type, "DiskPressure"))
				node->disk_pressure = is_true;
			else if (cclm_str_equal(p->cond_type, "PIDPressure"))
				node->pid_pressure = is_true;
		}
	} else if (type != CCLM_JSON_EVENT_VALUE) {
		return;
	} else if ((k = cclm_path_child(path, "metadata.labels")) != NULL) {
		cclm_labels_set(p, p->labels, k, value);
	} else if ((k = cclm_path_child(path, "spec.taints[]")) != NULL) {
		if (g_str_equal(k, "key"))
			p->taint.key = cclm_intern(p, value);
		else if (g_str_equal(k, "value"))
			p->taint.value = cclm_intern(p, value);
		else if (g_str_equal(k, "effect"))
			p->taint.effect = cclm_intern(p, value);
	} else if ((k = cclm_path_child(path, "status.conditions[]")) != NULL) {
		if (g_str_equal(k, "type"))
			p->cond_type = cclm_intern(p, value);
		else if (g_str_equal(k, "status"))
			p->cond_status = cclm_intern(p, value);
	} else if ((k = cclm_path_child(path, "status.allocatable")) != NULL) {
		cclm_parse_quantity(p, &node->allocatable, path, k, value);
	} else if (g_str_equal(path, "spec.unschedulable")) {
		node->unschedulable = cclm_str_equal(value, "true");
	}
}

#define AFFINITY "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"

/* What only a VM has (run strategy, instancetype, dataVolumeTemplates) and only a VMI has (where
 * it runs); TRUE when @path was one of them. */
static gboolean
cclm_parse_vm_outer(CclmParse *p, CclmJsonEventType type, const gchar *path, const gchar *value)
{
	CclmVmRecord *vm = p->rec;

	if (p->kind == CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE) {
		CclmVmiRecord *vmi = p->rec;

		if (g_str_equal(path, "status.nodeName"))
			vmi->node = cclm_intern(p, value);
		else if (g_str_equal(path, "status.phase"))
			vmi->running = vm->running = cclm_str_equal(value, "Running");
		else
			return FALSE;
		return TRUE;
	}
	if (g_str_equal(path, "spec.dataVolumeTemplates[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_END) {
			g_array_append_val(vm->data_volume_templates, p->dvt);
			memset(&p->dvt, 0, sizeof p->dvt);
		}
	} else if (type != CCLM_JSON_EVENT_VALUE) {
		return FALSE;
	} else if (g_str_equal(path, "spec.running")) {
		vm->running = cclm_str_equal(value, "true");
	} else if (g_str_equal(path, "spec.runStrategy")) {
		vm->running = cclm_str_equal(value, "Always") || cclm_str_equal(value, "RerunOnFailure") ||
			      cclm_str_equal(value, "Once");
	} else if (g_str_equal(path, "spec.instancetype.name")) {
		vm->instancetype = cclm_intern(p, value);
	} else if (g_str_equal(path, "spec.dataVolumeTemplates[].metadata.name")) {
		p->dvt.name = cclm_intern(p, value);
	} else if (g_str_equal(path, "spec.dataVolumeTemplates[].spec.storage.storageClassName") ||
		   g_str_equal(path, "spec.dataVolumeTemplates[].spec.pvc.storageClassName")) {
		p->dvt.storage_class = cclm_intern(p, value);
	} else if (g_str_equal(path,
			       "spec.dataVolumeTemplates[].spec.storage.resources.requests.storage") ||
		   g_str_equal(path,
			       "spec.dataVolumeTemplates[].spec.pvc.resources.requests.storage")) {
		p->dvt.size = cclm_parse_bytes(p, path, value);
	} else {
		return FALSE;
	}
	return TRUE;
}

/* A VM's spec.template.spec or a VMI's spec: @path is relative to it (@full for errors) */
static void
cclm_parse_vm_spec(CclmParse *p, CclmJsonEventType type, const gchar *path, const gchar *full, const gchar *value)
{
	CclmVmRecord *vm = p->rec;
	const gchar *k;

	if (g_str_equal(path, AFFINITY)) {
		if (type == CCLM_JSON_EVENT_OBJECT_BEGIN && vm->affinity == NULL) {
			vm->affinity = g_array_new(FALSE, TRUE, sizeof(CclmSelectorTerm));
			g_array_set_clear_func(vm->affinity, cclm_selector_term_clear_cb);
		}
	} else if ((k = cclm_path_under(path, AFFINITY ".nodeSelectorTerms[]")) != NULL) {
		cclm_parse_terms(p, &vm->affinity, type, k, value);
	} else if (g_str_equal(path, "tolerations[]")) {
		cclm_parse_toleration(p, vm->tolerations, type, NULL, value);
	} else if ((k = cclm_path_child(path, "tolerations[]")) != NULL) {
		cclm_parse_toleration(p, vm->tolerations, type, k, value);
	} else if (g_str_equal(path, "volumes[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_END) {
			g_array_append_val(vm->volumes, p->volume);
			memset(&p->volume, 0, sizeof p->volume);
		}
	} else if (g_str_equal(path, "domain.devices.interfaces[]") || g_str_equal(path, "networks[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_BEGIN) {
			p->iface_name = p->network_target = NULL;
			p->iface_sriov = FALSE;
		} else if (type == CCLM_JSON_EVENT_OBJECT_END && p->iface_name != NULL) {
			if (path[0] == 'd' && p->iface_sriov) {
				g_ptr_array_add(vm->sriov, (gpointer)p->iface_name);
			} else if (path[0] == 'n' && p->network_target != NULL) {
				CclmLabel l = {p->iface_name, p->network_target};

				g_array_append_val(vm->networks, l);
			}
		}
	} else if (g_str_equal(path, "domain.devices.interfaces[].sriov") &&
		   type == CCLM_JSON_EVENT_OBJECT_BEGIN) {
		p->iface_sriov = TRUE;
	} else if (g_str_equal(path, "domain.devices.interfaces[].name") ||
		   g_str_equal(path, "networks[].name")) {
		p->iface_name = cclm_intern(p, value);
	} else if (g_str_equal(path, "networks[].multus.networkName")) {
		p->network_target = cclm_intern(p, value);
	} else if (g_str_equal(path, "domain.cpu.features[]")) {
		if (type == CCLM_JSON_EVENT_OBJECT_BEGIN)
			p->feature_name = p->feature_policy = NULL;
		else if (type == CCLM_JSON_EVENT_OBJECT_END && p->feature_name != NULL &&
			 (p->feature_policy == NULL || g_str_equal(p->feature_policy, "require")))
			g_ptr_array_add(vm->cpu_features, (gpointer)p->feature_name);
	} else if (type == CCLM_JSON_EVENT_OBJECT_BEGIN) {
		if (g_str_equal(path, "domain.devices.tpm"))
			vm->tpm = TRUE;
		else if (g_str_equal(path, "domain.launchSecurity.sev") ||
			 g_str_equal(path, "domain.launchSecurity.snp"))
			vm->sev = TRUE;
		else if (g_str_equal(path, "volumes[].downwardMetrics"))
			vm->downward_metrics = TRUE;
		else if (g_str_equal(path, "domain.devices.interfaces[].passtBinding"))
			vm->passt = TRUE;
		else if (g_str_equal(path, "livenessProbe.exec") || g_str_equal(path, "readinessProbe.exec"))
			vm->exec_probes++;
	} else if (type != CCLM_JSON_EVENT_VALUE) {
		return;
	} else if ((k = cclm_path_child(path, "domain.cpu.features[]")) != NULL) {
		if (g_str_equal(k, "name"))
			p->feature_name = cclm_intern(p, value);
		else if (g_str_equal(k, "policy"))
			p->feature_policy = cclm_intern(p, value);
	} else if ((k = cclm_path_child(path, "domain.cpu")) != NULL) {
		if (g_str_equal(k, "sockets"))
			vm->sockets = value ? atoi(value) : 0;
		else if (g_str_equal(k, "cores"))
			vm->cores = value ? atoi(value) : 0;
		else if (g_str_equal(k, "threads"))
			vm->threads = value ? atoi(value) : 0;
		else if (g_str_equal(k, "model"))
			vm->cpu_model = cclm_str_equal(value, "host-model") ? NULL : cclm_intern(p, value);
		else if (g_str_equal(k, "dedicatedCpuPlacement"))
			vm->dedicated_cpu = cclm_str_equal(value, "true");
		else if (g_str_equal(k, "isolateEmulatorThread"))
			vm->isolate_emulator_thread = cclm_str_equal(value, "true");
	} else if (g_str_equal(path, "domain.memory.guest")) {
		vm->guest_memory = cclm_parse_bytes(p, full, value);
	} else if (g_str_equal(path, "domain.memory.reservedOverhead.addedOverhead")) {
		vm->reserved_overhead = cclm_parse_bytes(p, full, value);
	} else if (g_str_equal(path, "architecture")) {
		vm->architecture = value && *value ? cclm_intern(p, value) : NULL;
	} else if (g_str_equal(path, "domain.devices.interfaces[].binding.name") && value != NULL) {
		const gchar *name = cclm_intern(p, value);

		if (!g_ptr_array_find(vm->bindings, name, NULL))
			g_ptr_array_add(vm->bindings, (gpointer)name);
	} else if (g_str_equal(path, "domain.memory.hugepages.pageSize")) {
		vm->hugepages = cclm_intern(p, value);
	} else if (g_str_equal(path, "domain.resources.requests.memory")) {
		vm->request_memory = cclm_parse_bytes(p, full, value);
	} else if (g_str_equal(path, "domain.resources.limits.memory")) {
		vm->limit_memory = cclm_parse_bytes(p, full, value);
	} else if (g_str_equal(path, "domain.resources.requests.cpu") ||
		   g_str_equal(path, "domain.resources.limits.cpu")) {
		g_autoptr(GError) error = NULL;
		gint64 *dst = strstr(path, "requests") ? &vm->request_cpu : &vm->limit_cpu;

		if (value != NULL && !cclm_quantity_parse_milli_value(value, dst, &error) &&
		    p->pending == NULL) {
			g_prefix_error(&error, "%s: ", full);
			p->pending = g_steal_pointer(&error);
		}
	} else if (g_str_equal(path, "domain.resources.overcommitGuestOverhead")) {
		vm->overcommit_guest_overhead = cclm_str_equal(value, "true");
	} else if (g_str_equal(path, "domain.devices.autoattachGraphicsDevice")) {
		vm->autoattach_graphics = !cclm_str_equal(value, "false");
	} else if (g_str_equal(path, "domain.devices.gpus[].deviceName") ||
		   g_str_equal(path, "domain.devices.hostDevices[].deviceName")) {
		vm->host_devices = TRUE;
		if (value != NULL)
			/* a resource name, compared with node allocatable's: GLib's quark table (a
			 * small, fixed vocabulary) as in cclm-resources.c */
			g_ptr_array_add(vm->devices, (gpointer)g_intern_string(value));
	} else if ((k = cclm_path_child(path, "nodeSelector")) != NULL) {
		cclm_labels_set(p, vm->node_selector, k, value);
	} else if (g_str_equal(path, "volumes[].name")) {
		p->volume.name = cclm_intern(p, value);
	} else if (g_str_equal(path, "volumes[].persistentVolumeClaim.claimName") ||
		   g_str_equal(path, "volumes[].dataVolume.name")) {
		p->volume.claim = cclm_intern(p, value);
	}
}

static void
cclm_parse_vm(CclmParse *p, CclmJsonEventType type, const gchar *path, const gchar *key, const gchar *value)
{
	const gchar *spec = p->kind == CCLM_INVENTORY_KIND_VIRTUAL_MACHINE ? "spec.template.spec" : "spec";
	const gchar *rel;

	if (cclm_parse_vm_outer(p, type, path, value))
		return;
	if ((rel = cclm_path_child(path, spec)) != NULL)
		cclm_parse_vm_spec(p, type, rel, path, value);
}

static void
cclm_parse_quota_value(CclmParse *p, GHashTable *table, const gchar *path, const gchar *name, const gchar *value)
{
	g_autoptr(GError) error = NULL;
	gint64 v;
	gboolean ok;

	if (value == NULL)
		return;
	/* cpu-like quota resources count millicores, like the pod's requests they limit */
	ok = strstr(name, "cpu") != NULL ? cclm_quantity_parse_milli_value(value, &v, &error)
					 : cclm_quantity_parse_value(value, &v, &error);
	if (ok) {
		g_hash_table_insert(table, (gpointer)g_intern_string(name), g_memdup2(&v, sizeof v));
	} else if (p->pending == NULL) {
		g_prefix_error(&error, "%s: ", path);
		p->pending = g_steal_pointer(&error);
	}
}

static void
cclm_parse_other(CclmParse *p, CclmInventory *self, CclmJsonEventType type, const gchar *path, const gchar *value)
{
	const gchar *k;

	switch (p->kind) {
	case CCLM_INVENTORY_KIND_PERSISTENT_VOLUME_CLAIM: {
		CclmPvcRecord *pvc = p->rec;

		if (g_str_equal(path, "spec.storageClassName"))
			pvc->storage_class = cclm_intern(p, value);
		else if (g_str_equal(path, "spec.resources.requests.storage"))
			pvc->request = cclm_parse_bytes(p, path, value);
		else if (g_str_equal(path, "status.capacity.storage"))
			pvc->capacity = cclm_parse_bytes(p, path, value);
		else if (g_str_equal(path, "status.phase"))
			pvc->bound = cclm_str_equal(value, "Bound");
		break;
	}
	case CCLM_INVENTORY_KIND_STORAGE_CLASS: {
		CclmStorageClassRecord *sc = p->rec;

		if (g_str_equal(path, "provisioner"))
			sc->provisioner = cclm_intern(p, value);
		else if (g_str_equal(path, "volumeBindingMode"))
			sc->wait_for_first_consumer = cclm_str_equal(value, "WaitForFirstConsumer");
		else if (g_str_equal(path, "metadata.annotations.storageclass.kubernetes.io/"
					   "is-default-class"))
			sc->is_default = cclm_str_equal(value, "true");
		else if ((k = cclm_path_under(path, "allowedTopologies[]")) != NULL)
			cclm_parse_terms(p, &sc->allowed_topologies, type, k, value);
		break;
	}
	case CCLM_INVENTORY_KIND_PERSISTENT_VOLUME: {
		CclmPvRecord *pv = p->rec;

		if (g_str_equal(path, "spec.nodeAffinity.required")) {
			/* required with no terms selects no node */
			if (type == CCLM_JSON_EVENT_OBJECT_BEGIN && pv->affinity == NULL) {
				pv->affinity = g_array_new(FALSE, TRUE, sizeof(CclmSelectorTerm));
				g_array_set_clear_func(pv->affinity, cclm_selector_term_clear_cb);
			}
		} else if ((k = cclm_path_under(path, "spec.nodeAffinity.required.nodeSelectorTerms[]")) !=
			   NULL) {
			cclm_parse_terms(p, &pv->affinity, type, k, value);
		} else if (g_str_equal(path, "spec.claimRef")) {
			pv->taken = pv->taken || type == CCLM_JSON_EVENT_OBJECT_BEGIN;
		} else if (type != CCLM_JSON_EVENT_VALUE) {
			break;
		} else if (g_str_equal(path, "spec.storageClassName")) {
			pv->storage_class = value && *value ? cclm_intern(p, value) : NULL;
		} else if (g_str_equal(path, "spec.capacity.storage")) {
			pv->capacity = cclm_parse_bytes(p, path, value);
		} else if (g_str_equal(path, "spec.volumeMode")) {
			pv->block = cclm_str_equal(value, "Block");
		} else if (g_str_equal(path, "status.phase")) {
			pv->available = cclm_str_equal(value, "Available");
		} else if (g_str_equal(path, "metadata.deletionTimestamp")) {
			pv->taken = pv->taken || value != NULL;
		}
		break;
	}
	case CCLM_INVENTORY_KIND_NETWORK_ATTACHMENT_DEFINITION:
		if (g_str_equal(path, "metadata.annotations.k8s.v1.cni.cncf.io/resourceName"))
			((CclmNetworkRecord *)p->rec)->resource = value && *value ? cclm_intern(p, value) : NULL;
		break;
	case CCLM_INVENTORY_KIND_CSI_DRIVER:
		if (g_str_equal(path, "spec.storageCapacity"))
			((CclmCsiDriverRecord *)p->rec)->storage_capacity = cclm_str_equal(value, "true");
		break;
	case CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY: {
		CclmStorageCapacityRecord *cap = p->rec;

		if (g_str_equal(path, "storageClassName"))
			cap->storage_class = cclm_intern(p, value);
		else if (g_str_equal(path, "capacity"))
			cap->capacity = cclm_parse_bytes(p, path, value);
		else if (g_str_equal(path, "maximumVolumeSize"))
			cap->maximum_volume_size = cclm_parse_bytes(p, path, value);
		else if (g_str_equal(path, "nodeTopology") && type == CCLM_JSON_EVENT_OBJECT_BEGIN)
			cap->has_topology = TRUE;
		else if ((k = cclm_path_child(path, "nodeTopology")) != NULL)
			cclm_parse_selector(p, &cap->topology, type, k, value);
		break;
	}
	case CCLM_INVENTORY_KIND_LIMIT_RANGE: {
		CclmLimitRangeRecord *lr = p->rec;

		if (g_str_equal(path, "spec.limits[]")) {
			if (type == CCLM_JSON_EVENT_OBJECT_END) {
				p->limit.pod = cclm_str_equal(p->limit_type, "Pod");
				if (p->limit.pod || cclm_str_equal(p->limit_type, "Container"))
					g_array_append_val(lr->items, p->limit);
				else
					cclm_limit_range_item_clear(&p->limit);
				memset(&p->limit, 0, sizeof p->limit);
				p->limit_type = NULL;
			}
		} else if (type != CCLM_JSON_EVENT_VALUE) {
			break;
		} else if (g_str_equal(path, "spec.limits[].type")) {
			p->limit_type = cclm_intern(p, value);
		} else if ((k = cclm_path_child(path, "spec.limits[].max")) != NULL) {
			cclm_parse_quantity(p, &p->limit.max, path, k, value);
		} else if ((k = cclm_path_child(path, "spec.limits[].min")) != NULL) {
			cclm_parse_quantity(p, &p->limit.min, path, k, value);
		} else if ((k = cclm_path_child(path, "spec.limits[].default")) != NULL) {
			cclm_parse_quantity(p, &p->limit.default_limit, path, k, value);
		}
		break;
	}
	case CCLM_INVENTORY_KIND_RESOURCE_QUOTA: {
		CclmQuotaRecord *q = p->rec;

		if (type != CCLM_JSON_EVENT_VALUE)
			break;
		if ((k = cclm_path_child(path, "status.hard")) != NULL)
			cclm_parse_quota_value(p, q->hard, path, k, value);
		else if ((k = cclm_path_child(path, "status.used")) != NULL)
			cclm_parse_quota_value(p, q->used, path, k, value);
		break;
	}
	case CCLM_INVENTORY_KIND_KUBEVIRT: {
		CclmKubevirtConfig *kv = &p->kubevirt;

		if (type != CCLM_JSON_EVENT_VALUE || value == NULL)
			break;
		if (g_str_equal(path, "spec.configuration.developerConfiguration.cpuAllocationRatio"))
			kv->cpu_allocation_ratio = MAX(g_ascii_strtod(value, NULL), 1.0);
		else if (g_str_equal(path,
				     "spec.configuration.developerConfiguration.memoryOvercommit"))
			kv->memory_overcommit = MAX(g_ascii_strtoll(value, NULL, 10), 10);
		else if (g_str_equal(path, "spec.configuration.additionalGuestMemoryOverheadRatio"))
			kv->overhead_ratio = MAX(g_ascii_strtod(value, NULL), 1.0);
		else if (g_str_equal(path, "status.observedKubeVirtVersion"))
			kv->version = cclm_intern(p, value);
		else if ((k = cclm_path_child(path, "spec.configuration.network.binding")) != NULL &&
			 g_str_has_suffix(k, ".computeResourceOverhead.requests.memory")) {
			g_autofree gchar *name =
			    g_strndup(k, strlen(k) - strlen(".computeResourceOverhead.requests.memory"));
			CclmScalar overhead = {cclm_intern(p, name), cclm_parse_bytes(p, path, value)};

			g_array_append_val(kv->binding_overheads, overhead);
		} else if ((k = cclm_path_child(
				path, "spec.configuration.developerConfiguration.nodeSelectors")) !=
			   NULL) {
			cclm_labels_set(p, kv->node_selectors, k, value);
		}
		break;
	}
	default:
		break;
	}
}

static gboolean
cclm_inventory_item_begin(CclmFeed *feed)
{
	CclmParse *p = &feed->parse;

	cclm_parse_reset(p);
	/* a single CR: each version read whole replaces the config */
	if (p->kind == CCLM_INVENTORY_KIND_KUBEVIRT)
		cclm_kubevirt_config_init(&p->kubevirt);
	p->rec = cclm_record_new(p->kind);
	if (p->kind == CCLM_INVENTORY_KIND_NODE) {
		p->labels = g_array_new(FALSE, FALSE, sizeof(CclmLabel));
		p->taints = g_array_new(FALSE, FALSE, sizeof(CclmTaint));
	}
	return TRUE;
}

static gboolean
cclm_inventory_item_end(CclmFeed *feed, GError **error)
{
	CclmInventory *self = feed->self;
	CclmParse *p = &feed->parse;
	CclmRecord *rec = p->rec;
	const gchar *kind_name = cclm_inventory_kinds[p->kind].name;

	if (p->name == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE, "%s without metadata.name",
			    kind_name);
		return FALSE;
	}
	rec->key = p->namespace_ != NULL ? g_strconcat(p->namespace_, "/", p->name, NULL)
					 : g_strdup(p->name);
	if (p->pending != NULL) {
		g_propagate_prefixed_error(error, g_steal_pointer(&p->pending), "%s \"%s\": ",
					   kind_name, rec->key);
		return FALSE;
	}
	switch (p->kind) {
	case CCLM_INVENTORY_KIND_POD:
		cclm_finish_pod(p);
		break;
	case CCLM_INVENTORY_KIND_NODE: {
		CclmNodeRecord *node = p->rec;

		node->name = cclm_intern(p, p->name);
		node->n_labels = p->labels->len;
		node->labels = (CclmLabel *)g_array_free(g_steal_pointer(&p->labels), FALSE);
		node->n_taints = p->taints->len;
		node->taints = (CclmTaint *)g_array_free(g_steal_pointer(&p->taints), FALSE);
		break;
	}
	case CCLM_INVENTORY_KIND_PERSISTENT_VOLUME_CLAIM:
		((CclmPvcRecord *)rec)->namespace_ = cclm_intern(p, p->namespace_ ? p->namespace_ : "");
		break;
	case CCLM_INVENTORY_KIND_PERSISTENT_VOLUME:
		((CclmPvRecord *)rec)->name = cclm_intern(p, p->name);
		break;
	case CCLM_INVENTORY_KIND_RESOURCE_QUOTA:
		((CclmQuotaRecord *)rec)->namespace_ = cclm_intern(p, p->namespace_);
		((CclmQuotaRecord *)rec)->name = cclm_intern(p, p->name);
		break;
	case CCLM_INVENTORY_KIND_LIMIT_RANGE:
		((CclmLimitRangeRecord *)rec)->namespace_ = cclm_intern(p, p->namespace_);
		((CclmLimitRangeRecord *)rec)->name = cclm_intern(p, p->name);
		break;
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE:
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE:
		((CclmVmRecord *)rec)->namespace_ = cclm_intern(p, p->namespace_);
		((CclmVmRecord *)rec)->name = cclm_intern(p, p->name);
		break;
	case CCLM_INVENTORY_KIND_KUBEVIRT:
		cclm_kubevirt_config_clear(&self->kubevirt);
		self->kubevirt = p->kubevirt;
		self->kubevirt.present = TRUE;
		self->kubevirt.strs = g_steal_pointer(&p->strs);
		memset(&p->kubevirt, 0, sizeof p->kubevirt);
		self->changed = TRUE;
		break;
	default:
		break;
	}
	if (p->strs != NULL) {
		g_ptr_array_add(p->strs, NULL);
		/* the record holds the references now: free the array, not the strings */
		rec->strs = (const gchar **)g_ptr_array_free(g_steal_pointer(&p->strs), FALSE);
	}
	cclm_inventory_store(self, p->kind, g_steal_pointer(&p->rec));
	cclm_parse_reset(p);
	return TRUE;
}

static gboolean
cclm_inventory_event_cb(gpointer user_data,
			CclmJsonEventType type,
			const gchar *path,
			const gchar *key,
			const gchar *value,
			GError **error)
{
	CclmFeed *feed = user_data;
	CclmInventory *self = feed->self;
	CclmParse *p = &feed->parse;

	if (type == CCLM_JSON_EVENT_ITEM_BEGIN)
		return cclm_inventory_item_begin(feed);
	if (type == CCLM_JSON_EVENT_ITEM_END)
		return cclm_inventory_item_end(feed, error);
	if (p->rec == NULL)
		return TRUE;
	if (type == CCLM_JSON_EVENT_VALUE && path[0] == 'm' && value != NULL) {
		if (g_str_equal(path, "metadata.name")) {
			g_free(p->name);
			p->name = g_strdup(value);
			return TRUE;
		}
		if (g_str_equal(path, "metadata.namespace") &&
		    cclm_inventory_kinds[p->kind].namespaced) {
			g_free(p->namespace_);
			p->namespace_ = g_strdup(value);
			return TRUE;
		}
	}
	switch (p->kind) {
	case CCLM_INVENTORY_KIND_POD:
		cclm_parse_pod(p, type, path, key, value);
		break;
	case CCLM_INVENTORY_KIND_NODE:
		cclm_parse_node(p, type, path, key, value);
		break;
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE:
	case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE:
		cclm_parse_vm(p, type, path, key, value);
		break;
	default:
		cclm_parse_other(p, self, type, path, value);
		break;
	}
	return TRUE;
}

/* Feeding */

static CclmFeed *
cclm_feed_new(CclmInventory *self, CclmInventoryKind kind)
{
	CclmFeed *feed = g_new0(CclmFeed, 1);

	feed->self = g_object_ref(self);
	feed->parse.kind = kind;
	return feed;
}

static void
cclm_feed_free(gpointer data)
{
	CclmFeed *feed = data;

	cclm_parse_reset(&feed->parse);
	g_object_unref(feed->self);
	g_free(feed);
}

/*
 * cclm_inventory_list_parser_new:
 * A push parser for one List page of @kind: feed it the body's bytes as they arrive
 * (cclm_json_stream_feed), then cclm_json_stream_finish(); objects are stored as each one
 * ends. Call cclm_inventory_list_parser_done() after the page to emit ::changed.
 */
CclmJsonStream *
cclm_inventory_list_parser_new(CclmInventory *self, CclmInventoryKind kind)
{
	g_return_val_if_fail(CCLM_IS_INVENTORY(self), NULL);
	g_return_val_if_fail(kind < CCLM_INVENTORY_N_KINDS, NULL);

	return cclm_json_stream_new(cclm_inventory_event_cb, cclm_feed_new(self, kind), cclm_feed_free,
				    cclm_inventory_kind_filter(kind));
}

void
cclm_inventory_list_parser_done(CclmInventory *self, CclmInventoryKind kind)
{
	cclm_inventory_emit_changed(self);
}

/*
 * cclm_inventory_load_page:
 * Reads one List body (a page or a whole list) of @kind from @stream, blocking, in 64 KiB
 * reads; returns the List's metadata.resourceVersion and metadata.continue.
 */
gboolean
cclm_inventory_load_page(CclmInventory *self,
			 CclmInventoryKind kind,
			 GInputStream *stream,
			 gchar **out_resource_version,
			 gchar **out_continue,
			 GCancellable *cancellable,
			 GError **error)
{
	g_autoptr(CclmJsonStream) parser = NULL;
	g_autofree guint8 *buf = g_malloc(64 * 1024);
	gssize n;
	gboolean ok = TRUE;

	g_return_val_if_fail(G_IS_INPUT_STREAM(stream), FALSE);

	parser = cclm_inventory_list_parser_new(self, kind);
	while (ok && (n = g_input_stream_read(stream, buf, 64 * 1024, cancellable, error)) > 0)
		ok = cclm_json_stream_feed(parser, buf, n, error);
	ok = ok && n == 0 && cclm_json_stream_finish(parser, error);
	cclm_inventory_list_parser_done(self, kind);
	if (!ok)
		return FALSE;
	if (out_resource_version != NULL)
		*out_resource_version = g_strdup(cclm_json_stream_get_resource_version(parser));
	if (out_continue != NULL)
		*out_continue = g_strdup(cclm_json_stream_get_continue(parser));
	return TRUE;
}

/*
 * cclm_inventory_apply:
 * Stores @object (a watch ADDED or MODIFIED object) of @kind, replacing its previous version.
 */
gboolean
cclm_inventory_apply(CclmInventory *self, CclmInventoryKind kind, JsonObject *object, GError **error)
{
	CclmFeed *feed;
	gboolean ok;

	g_return_val_if_fail(CCLM_IS_INVENTORY(self), FALSE);
	g_return_val_if_fail(kind < CCLM_INVENTORY_N_KINDS, FALSE);

	feed = cclm_feed_new(self, kind);
	ok = cclm_json_walk_object(object, cclm_inventory_event_cb, feed, cclm_inventory_kind_filter(kind),
				   error);
	cclm_feed_free(feed);
	cclm_inventory_emit_changed(self);
	return ok;
}

/*
 * cclm_inventory_remove:
 * Forgets @object (a watch DELETED object); FALSE when it was not known.
 */
gboolean
cclm_inventory_remove(CclmInventory *self, CclmInventoryKind kind, JsonObject *object)
{
	JsonObject *meta;
	const gchar *ns, *name;
	g_autofree gchar *key = NULL;
	gboolean removed;

	g_return_val_if_fail(CCLM_IS_INVENTORY(self), FALSE);
	g_return_val_if_fail(kind < CCLM_INVENTORY_N_KINDS, FALSE);

	meta = json_object_get_object_member(object, "metadata");
	if (meta == NULL || (name = json_object_get_string_member_with_default(meta, "name", NULL)) == NULL)
		return FALSE;
	ns = json_object_get_string_member_with_default(meta, "namespace", NULL);
	key = ns != NULL && cclm_inventory_kinds[kind].namespaced
		  ? g_strconcat(ns, "/", name, NULL)
		  : g_strdup(name);
	removed = cclm_inventory_remove_key(self, kind, key);
	if (kind == CCLM_INVENTORY_KIND_KUBEVIRT)
		cclm_inventory_reset_kubevirt(self);
	cclm_inventory_emit_changed(self);
	return removed;
}

/*
 * cclm_inventory_begin_relist:
 * Starts a full LIST of @kind (first sync, or after 410 Gone): objects not seen again before
 * cclm_inventory_end_relist() are dropped then.
 */
void
cclm_inventory_begin_relist(CclmInventory *self, CclmInventoryKind kind)
{
	self->gen[kind]++;
}

void
cclm_inventory_end_relist(CclmInventory *self, CclmInventoryKind kind)
{
	GHashTableIter iter;
	CclmRecord *rec;
	g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func(g_free);

	g_hash_table_iter_init(&iter, self->tables[kind]);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&rec)) {
		if (rec->gen != self->gen[kind])
			g_ptr_array_add(stale, g_strdup(rec->key));
	}
	for (guint i = 0; i < stale->len; i++)
		cclm_inventory_remove_key(self, kind, stale->pdata[i]);
	if (kind == CCLM_INVENTORY_KIND_KUBEVIRT && stale->len > 0 &&
	    g_hash_table_size(self->tables[kind]) == 0)
		cclm_inventory_reset_kubevirt(self);
	cclm_inventory_emit_changed(self);
}

GHashTable *
cclm_inventory_get_table(CclmInventory *self, CclmInventoryKind kind)
{
	return self->tables[kind];
}

/* What the active pods bound to @node request (pods included); NULL when none. */
const CclmResources *
cclm_inventory_get_node_requested(CclmInventory *self, const gchar *node)
{
	return g_hash_table_lookup(self->requested, node);
}

/* Changes whenever a node record may have been freed: lets readers cache record pointers */
guint64
cclm_inventory_get_node_serial(CclmInventory *self)
{
	return self->node_serial;
}

/* Changes whenever a record of @kind is stored or removed: lets readers cache what they
 * derive from a table */
guint64
cclm_inventory_get_serial(CclmInventory *self, CclmInventoryKind kind)
{
	return self->serial[kind];
}

const CclmKubevirtConfig *
cclm_inventory_get_kubevirt_config(CclmInventory *self)
{
	return &self->kubevirt;
}

/* Heap bytes the pod table holds: records, keys, scalars and the table's own arrays
 * (GHashTable keeps hashes, keys and values in three arrays sized to a power of two). */
gsize
cclm_inventory_get_pod_bytes(CclmInventory *self)
{
	GHashTable *pods = self->tables[CCLM_INVENTORY_KIND_POD];
	GHashTableIter iter;
	CclmPodRecord *pod;
	gsize bytes = 0, buckets = 8;

	g_hash_table_iter_init(&iter, pods);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&pod)) {
		bytes += sizeof *pod + strlen(pod->rec.key) + 1 + 2 * sizeof(gsize);
		bytes += pod->requests.n_scalars * sizeof(CclmScalar);
	}
	while (buckets < g_hash_table_size(pods) * 4 / 3)
		buckets *= 2;
	return bytes + buckets * (sizeof(guint) + 2 * sizeof(gpointer));
}

/* @key must be pooled: labels compare by pointer, which keeps fit decisions fast */
gboolean
cclm_labels_lookup(const CclmLabel *labels, guint n_labels, const gchar *key, const gchar **value)
{
	for (guint i = 0; i < n_labels; i++) {
		if (labels[i].key == key) {
			if (value != NULL)
				*value = labels[i].value;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
cclm_requirement_int(const CclmRequirement *req, const gchar *s, gint64 *a, gint64 *b)
{
	gchar *end;

	if (req->values->len != 1 || s == NULL)
		return FALSE;
	*a = g_ascii_strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0')
		return FALSE;
	*b = g_ascii_strtoll(req->values->pdata[0], &end, 10);
	return *end == '\0';
}

/* labels.Requirement.Matches (apimachinery pkg/labels/selector.go), plus matchFields on
 * metadata.name (component-helpers nodeaffinity.go) */
static gboolean
cclm_requirement_matches(const CclmRequirement *req, const gchar *name, const CclmLabel *labels, guint n_labels)
{
	const gchar *v = NULL;
	gboolean has;
	gint64 a, b;

	if (req->field) {
		if (g_strcmp0(req->key, "metadata.name") != 0 || req->values->len != 1)
			return FALSE;
		has = TRUE;
		v = name; /* node names are pooled */
	} else {
		has = req->key != NULL && cclm_labels_lookup(labels, n_labels, req->key, &v);
	}
	switch (req->op) {
	case CCLM_SELECTOR_IN:
	case CCLM_SELECTOR_NOT_IN: {
		gboolean in = FALSE;

		for (guint i = 0; has && i < req->values->len; i++)
			in = in || req->values->pdata[i] == (gpointer)v;
		return req->op == CCLM_SELECTOR_IN ? in : !in;
	}
	case CCLM_SELECTOR_EXISTS:
		return has;
	case CCLM_SELECTOR_DOES_NOT_EXIST:
		return !has;
	case CCLM_SELECTOR_GT:
		return has && cclm_requirement_int(req, v, &a, &b) && a > b;
	case CCLM_SELECTOR_LT:
		return has && cclm_requirement_int(req, v, &a, &b) && a < b;
	default:
		return FALSE;
	}
}

/* ANDed requirements; an empty term matches nothing (nodeaffinity.go drops empty terms) */
gboolean
cclm_selector_term_matches(const CclmSelectorTerm *term, const gchar *name, const CclmLabel *labels, guint n_labels)
{
	if (term->reqs == NULL || term->reqs->len == 0)
		return FALSE;
	for (guint i = 0; i < term->reqs->len; i++) {
		if (!cclm_requirement_matches(&g_array_index(term->reqs, CclmRequirement, i), name,
					      labels, n_labels))
			return FALSE;
	}
	return TRUE;
}

/* GObject */

/**
 * cclm_inventory_new:
 * @cluster_name: the name the cluster is known by (its kubeconfig context)
 *
 * Creates an empty inventory: the compact state of one cluster that capacity decisions
 * read. [class@Cluster] fills it from its list and watch streams.
 *
 * Returns: (transfer full): a new #CclmInventory
 *
 * Since: 0.1
 */
CclmInventory *
cclm_inventory_new(const gchar *cluster_name)
{
	CclmInventory *self;

	g_return_val_if_fail(cluster_name != NULL, NULL);

	self = g_object_new(CCLM_TYPE_INVENTORY, NULL);
	self->cluster_name = g_strdup(cluster_name);
	return self;
}

/**
 * cclm_inventory_get_cluster_name:
 * @self: a #CclmInventory
 *
 * Returns: the cluster's name, as given to [ctor@Inventory.new]
 *
 * Since: 0.1
 */
const gchar *
cclm_inventory_get_cluster_name(CclmInventory *self)
{
	g_return_val_if_fail(CCLM_IS_INVENTORY(self), NULL);
	return self->cluster_name;
}

/**
 * cclm_inventory_get_n_nodes:
 * @self: a #CclmInventory
 *
 * Returns: how many nodes the inventory holds
 *
 * Since: 0.1
 */
guint
cclm_inventory_get_n_nodes(CclmInventory *self)
{
	g_return_val_if_fail(CCLM_IS_INVENTORY(self), 0);
	return g_hash_table_size(self->tables[CCLM_INVENTORY_KIND_NODE]);
}

/**
 * cclm_inventory_get_n_pods:
 * @self: a #CclmInventory
 *
 * Returns: how many pods the inventory holds, terminated ones included
 *
 * Since: 0.1
 */
guint
cclm_inventory_get_n_pods(CclmInventory *self)
{
	g_return_val_if_fail(CCLM_IS_INVENTORY(self), 0);
	return g_hash_table_size(self->tables[CCLM_INVENTORY_KIND_POD]);
}

/**
 * cclm_inventory_load:
 * @self: a #CclmInventory
 * @kind: the kind of the List's items: `Node`, `Pod`, `Namespace`, `PersistentVolumeClaim`,
 *   `PersistentVolume`, `StorageClass`, `CSIDriver`, `CSIStorageCapacity`, `ResourceQuota`,
 *   `LimitRange`, `VirtualMachine`, `VirtualMachineInstance` or `KubeVirt`
 * @stream: a JSON List, as the API server or `kubectl get -o json` writes it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds the List's objects to the inventory, reading @stream as it goes without building a
 * document (blocking: call it from a thread, or on small inputs). This is how saved lists are
 * planned against offline; [class@Cluster] feeds its inventories from list and watch streams.
 *
 * Returns: %TRUE on success; %FALSE with %CCLM_ERROR_INVALID_ARGUMENT for an unknown @kind,
 *   %CCLM_ERROR_PARSE for input that is not such a List (objects complete before the fault
 *   are kept), or an I/O error
 *
 * Since: 0.1
 */
gboolean
cclm_inventory_load(CclmInventory *self,
		    const gchar *kind,
		    GInputStream *stream,
		    GCancellable *cancellable,
		    GError **error)
{
	CclmInventoryKind k;

	g_return_val_if_fail(CCLM_IS_INVENTORY(self), FALSE);
	g_return_val_if_fail(kind != NULL, FALSE);
	g_return_val_if_fail(G_IS_INPUT_STREAM(stream), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!cclm_inventory_kind_from_name(kind, &k)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "inventory \"%s\": \"%s\" is not a kind the inventory keeps",
			    self->cluster_name, kind);
		return FALSE;
	}
	return cclm_inventory_load_page(self, k, stream, NULL, NULL, cancellable, error);
}

static void
cclm_inventory_finalize(GObject *object)
{
	CclmInventory *self = CCLM_INVENTORY(object);

	for (guint k = 0; k < CCLM_INVENTORY_N_KINDS; k++)
		g_hash_table_unref(self->tables[k]);
	g_hash_table_unref(self->requested);
	cclm_kubevirt_config_clear(&self->kubevirt);
	g_free(self->cluster_name);
	G_OBJECT_CLASS(cclm_inventory_parent_class)->finalize(object);
}

static void
cclm_inventory_class_init(CclmInventoryClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = cclm_inventory_finalize;

	/**
	 * CclmInventory::changed:
	 * @self: the #CclmInventory
	 *
	 * Emitted, in the thread that fed the inventory, after a list page or a watch event
	 * changed what capacity decisions read.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
					       G_TYPE_NONE, 0);
}

static void
cclm_inventory_resources_free(gpointer data)
{
	cclm_resources_clear(data);
	g_free(data);
}

static void
cclm_inventory_init(CclmInventory *self)
{
	for (guint k = 0; k < CCLM_INVENTORY_N_KINDS; k++) {
		GDestroyNotify free_func;

		switch (k) {
		case CCLM_INVENTORY_KIND_NODE:
			free_func = cclm_node_record_free;
			break;
		case CCLM_INVENTORY_KIND_POD:
			free_func = cclm_pod_record_free;
			break;
		case CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY:
			free_func = cclm_capacity_record_free;
			break;
		case CCLM_INVENTORY_KIND_RESOURCE_QUOTA:
			free_func = cclm_quota_record_free;
			break;
		case CCLM_INVENTORY_KIND_LIMIT_RANGE:
			free_func = cclm_limit_range_record_free;
			break;
		case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE:
		case CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE:
			free_func = cclm_vm_record_free;
			break;
		case CCLM_INVENTORY_KIND_STORAGE_CLASS:
			free_func = cclm_storage_class_record_free;
			break;
		case CCLM_INVENTORY_KIND_PERSISTENT_VOLUME:
			free_func = cclm_pv_record_free;
			break;
		default:
			free_func = cclm_plain_record_free;
			break;
		}
		/* the key is the record's own rec.key, freed with it */
		self->tables[k] = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_func);
	}
	self->requested = g_hash_table_new_full(NULL, NULL, (GDestroyNotify)cclm_str_release,
						cclm_inventory_resources_free);
	cclm_kubevirt_config_init(&self->kubevirt);
}
