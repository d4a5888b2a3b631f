/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cclm-error.h"
#include "cclm-fit-private.h"
#include "cclm-quantity-private.h"
#include "cclm-strpool-private.h"

/* Free resources of one node, consumed as a batch places VMs. */
typedef struct {
	const gchar *name; /* pooled, a reference: the node may leave the inventory */
	const CclmNodeRecord *rec; /* valid while the inventory's node serial is unchanged */
	CclmResources allocatable;
	CclmResources free; /* allocatable - requested; pods = pod slots left */
	gboolean usable;    /* Ready, not cordoned: counted in the headroom score */
} CclmNodeState;

struct _CclmCapacity {
	GObject parent_instance;
	CclmInventory *inventory;
	GArray *nodes; /* CclmNodeState, by name */
	guint64 node_serial;
	/* what earlier placements of a batch used: "quota\x1fns/q\x1fres" and
	 * "csisc\x1fns/name" -> gint64* */
	GHashTable *consumed;
	GHashTable *bound_pvs; /* names of the PersistentVolumes earlier placements bound */
	struct _CclmPvIndex *pv_index; /* built on demand, for the inventory's pv_serial */
	guint64 pv_serial;
};

G_DEFINE_FINAL_TYPE(CclmCapacity, cclm_capacity, G_TYPE_OBJECT)

#define NOT_READY_TAINT "node.kubernetes.io/not-ready"
#define UNREACHABLE_TAINT "node.kubernetes.io/unreachable"
#define UNSCHEDULABLE_TAINT "node.kubernetes.io/unschedulable"

static gint
cclm_node_state_compare(gconstpointer a, gconstpointer b)
{
	return strcmp(((const CclmNodeState *)a)->name, ((const CclmNodeState *)b)->name);
}

static void
cclm_node_state_clear(gpointer data)
{
	CclmNodeState *n = data;

	cclm_str_release(n->name);
	cclm_resources_clear(&n->allocatable);
	cclm_resources_clear(&n->free);
}

/**
 * cclm_capacity_new:
 * @inventory: the cluster's #CclmInventory
 *
 * Takes a snapshot of the free resources of each node of @inventory (allocatable minus the
 * requests of the pods bound to it that have not terminated), the base of fit decisions.
 * Each VM that [method@Capacity.fit] places consumes capacity of the snapshot, never of the
 * inventory, so a batch is a sequence of fit calls on one snapshot. Labels, taints, storage
 * and quotas are read from @inventory when a fit is evaluated.
 *
 * Returns: (transfer full): a new #CclmCapacity
 *
 * Since: 0.1
 */
CclmCapacity *
cclm_capacity_new(CclmInventory *inventory)
{
	CclmCapacity *self;
	GHashTableIter iter;
	CclmNodeRecord *rec;

	g_return_val_if_fail(CCLM_IS_INVENTORY(inventory), NULL);

	self = g_object_new(CCLM_TYPE_CAPACITY, NULL);
	self->inventory = g_object_ref(inventory);
	g_hash_table_iter_init(&iter, cclm_inventory_get_table(inventory, CCLM_INVENTORY_KIND_NODE));
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&rec)) {
		CclmNodeState n = {cclm_str_intern(rec->name), rec};
		const CclmResources *req = cclm_inventory_get_node_requested(inventory, rec->name);

		cclm_resources_copy(&n.allocatable, &rec->allocatable);
		cclm_resources_copy(&n.free, &rec->allocatable);
		if (req != NULL)
			cclm_resources_add(&n.free, req, -1);
		n.usable = rec->ready == 1 && !rec->unschedulable;
		g_array_append_val(self->nodes, n);
	}
	g_array_sort(self->nodes, cclm_node_state_compare);
	self->node_serial = cclm_inventory_get_node_serial(inventory);
	return self;
}

/**
 * cclm_capacity_get_cluster_name:
 * @self: a #CclmCapacity
 *
 * Returns: the cluster's name
 *
 * Since: 0.1
 */
const gchar *
cclm_capacity_get_cluster_name(CclmCapacity *self)
{
	g_return_val_if_fail(CCLM_IS_CAPACITY(self), NULL);
	return cclm_inventory_get_cluster_name(self->inventory);
}

static gint64
cclm_capacity_sum_free(CclmCapacity *self, const gchar *resource, gboolean usable_only, gboolean allocatable)
{
	gint64 sum = 0;

	for (guint i = 0; i < self->nodes->len; i++) {
		CclmNodeState *n = &g_array_index(self->nodes, CclmNodeState, i);

		if (!usable_only || n->usable)
			sum += MAX(cclm_resources_get(allocatable ? &n->allocatable : &n->free, resource), 0);
	}
	return sum;
}

/**
 * cclm_capacity_get_free_cpu:
 * @self: a #CclmCapacity
 *
 * Returns: the free CPU of the Ready, uncordoned nodes, in millicores, summed (which hides
 *   fragmentation: fit decisions look at each node)
 *
 * Since: 0.1
 */
gint64
cclm_capacity_get_free_cpu(CclmCapacity *self)
{
	g_return_val_if_fail(CCLM_IS_CAPACITY(self), 0);
	return cclm_capacity_sum_free(self, "cpu", TRUE, FALSE);
}

/**
 * cclm_capacity_get_free_memory:
 * @self: a #CclmCapacity
 *
 * Returns: the free memory of the Ready, uncordoned nodes in bytes, summed
 *
 * Since: 0.1
 */
gint64
cclm_capacity_get_free_memory(CclmCapacity *self)
{
	g_return_val_if_fail(CCLM_IS_CAPACITY(self), 0);
	return cclm_capacity_sum_free(self, "memory", TRUE, FALSE);
}

static CclmNodeState *
cclm_capacity_find_node(CclmCapacity *self, const gchar *node)
{
	for (guint i = 0; i < self->nodes->len; i++) {
		CclmNodeState *n = &g_array_index(self->nodes, CclmNodeState, i);

		if (strcmp(n->name, node) == 0)
			return n;
	}
	return NULL;
}

/**
 * cclm_capacity_get_node_free:
 * @self: a #CclmCapacity
 * @node: a node name
 * @resource: a resource name (`cpu`, `memory`, `pods`, `hugepages-1Gi`, `nvidia.com/gpu`, ...)
 *
 * Returns: what is free of @resource on @node in base units (millicores for `cpu`, bytes,
 *   counts), after the placements made so far; 0 for an unknown node
 *
 * Since: 0.1
 */
gint64
cclm_capacity_get_node_free(CclmCapacity *self, const gchar *node, const gchar *resource)
{
	CclmNodeState *n;

	g_return_val_if_fail(CCLM_IS_CAPACITY(self), 0);
	g_return_val_if_fail(node != NULL && resource != NULL, 0);

	n = cclm_capacity_find_node(self, node);
	return n != NULL ? cclm_resources_get(&n->free, resource) : 0;
}

static gint64 *
cclm_capacity_consumed(CclmCapacity *self, const gchar *a, const gchar *b)
{
	g_autofree gchar *key = g_strconcat(a, "\x1f", b, NULL);
	gint64 *v = g_hash_table_lookup(self->consumed, key);

	if (v == NULL) {
		v = g_new0(gint64, 1);
		g_hash_table_insert(self->consumed, g_steal_pointer(&key), v);
	}
	return v;
}

/* Filters */

/* v1.Toleration.ToleratesTaint (api core/v1/toleration.go) */
static gboolean
cclm_tolerates(const GArray *tolerations, const gchar *key, const gchar *value, const gchar *effect)
{
	for (guint i = 0; i < tolerations->len; i++) {
		const CclmToleration *t = &g_array_index(tolerations, CclmToleration, i);

		if (t->effect != NULL && g_strcmp0(t->effect, effect) != 0)
			continue;
		if (t->key != NULL && *t->key != '\0' && g_strcmp0(t->key, key) != 0)
			continue;
		if (g_strcmp0(t->op, "Exists") == 0)
			return TRUE;
		if ((t->key == NULL || *t->key == '\0'))
			continue; /* an empty key needs Exists */
		if (g_strcmp0(t->value ? t->value : "", value ? value : "") == 0)
			return TRUE;
	}
	return FALSE;
}

/* How many nodes failed each kind, with one example for the message. */
typedef struct {
	guint count;
	const gchar *node;
	gchar *detail;
} CclmTally;

#define N_KINDS (CCLM_FIT_REASON_KIND_NAMESPACE + 1)

static void
cclm_tally(CclmTally *tally, CclmFitReasonKind kind, const gchar *node, gchar *detail)
{
	if (tally[kind].count++ == 0) {
		tally[kind].node = node;
		tally[kind].detail = detail;
	} else {
		g_free(detail);
	}
}

static gboolean
cclm_storage_capacity_matches_node(const CclmStorageCapacityRecord *cap, const CclmNodeRecord *node)
{
	if (!cap->has_topology)
		return FALSE;
	if (cap->topology.reqs == NULL || cap->topology.reqs->len == 0)
		return TRUE; /* {} selects every node */
	return cclm_selector_term_matches(&cap->topology, node->name, node->labels, node->n_labels);
}

/* Room left in a CSIStorageCapacity for one volume (volumebinding binder.go hasEnoughCapacity,
 * less what this batch already placed there) */
static gint64
cclm_storage_room(CclmCapacity *self, const CclmStorageCapacityRecord *cap)
{
	gint64 left = cap->capacity >= 0 ? cap->capacity - *cclm_capacity_consumed(self, "csisc", cap->rec.key) : 0;

	if (cap->maximum_volume_size >= 0)
		return cap->capacity >= 0 ? MIN(cap->maximum_volume_size, left) : cap->maximum_volume_size;
	return left;
}

/* The CSIStorageCapacity with the most room for @klass reachable from @node (any node when
 * NULL); NULL when none. */
static const CclmStorageCapacityRecord *
cclm_storage_best(CclmCapacity *self, const gchar *klass, const CclmNodeRecord *node, gint64 *out_room)
{
	GHashTableIter iter;
	const CclmStorageCapacityRecord *cap, *best = NULL;
	gint64 best_room = -1;

	g_hash_table_iter_init(&iter, cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY));
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&cap)) {
		gint64 room;

		if (cap->storage_class != klass)
			continue;
		if (node != NULL && !cclm_storage_capacity_matches_node(cap, node))
			continue;
		room = cclm_storage_room(self, cap);
		if (room > best_room || (room == best_room && best != NULL && strcmp(cap->rec.key, best->rec.key) < 0)) {
			best = cap;
			best_room = room;
		}
	}
	*out_room = MAX(best_room, 0);
	return best;
}

typedef enum {
	CCLM_DISK_UNCHECKED,
	CCLM_DISK_IMMEDIATE, /* checked once for the cluster */
	CCLM_DISK_PER_NODE,  /* WaitForFirstConsumer: checked against each node's topology */
	CCLM_DISK_NO_CLASS,
	CCLM_DISK_STATIC, /* no dynamic provisioner: binds to an existing PersistentVolume */
} CclmDiskCheck;

static CclmDiskCheck
cclm_capacity_disk_check(CclmCapacity *self, const CclmDemandDisk *disk, const CclmStorageClassRecord **out_sc)
{
	const CclmStorageClassRecord *sc = NULL;
	const CclmCsiDriverRecord *driver;

	if (disk->storage_class != NULL)
		sc = g_hash_table_lookup(cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_STORAGE_CLASS),
					 disk->storage_class);
	*out_sc = sc;
	if (sc == NULL)
		return CCLM_DISK_NO_CLASS;
	/* volumebinding binder.go checkVolumeProvisions: "" or kubernetes.io/no-provisioner
	 * cannot provision */
	if (sc->provisioner == NULL || *sc->provisioner == '\0' ||
	    g_str_equal(sc->provisioner, CCLM_NO_PROVISIONER))
		return CCLM_DISK_STATIC;
	driver = sc->provisioner != NULL
		     ? g_hash_table_lookup(cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_CSI_DRIVER),
					   sc->provisioner)
		     : NULL;
	if (driver == NULL || !driver->storage_capacity)
		return CCLM_DISK_UNCHECKED;
	return sc->wait_for_first_consumer ? CCLM_DISK_PER_NODE : CCLM_DISK_IMMEDIATE;
}

/* Static volumes (kubernetes@109698ca staging/src/k8s.io/component-helpers/storage/volume/
 * pv_helpers.go FindMatchingVolume, used by the PV controller and the scheduler alike): a new
 * claim binds to the smallest PersistentVolume of its class that is Available, has no
 * claimRef, is not being deleted, holds the request and has the claim's volumeMode (a claim
 * without one is Filesystem); on the scheduler's path (WaitForFirstConsumer) the PV's node
 * affinity must also match the node. */

static gint
cclm_pv_compare(gconstpointer a, gconstpointer b)
{
	const CclmPvRecord *x = *(const CclmPvRecord **)a, *y = *(const CclmPvRecord **)b;

	if (x->capacity != y->capacity)
		return x->capacity < y->capacity ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The PersistentVolumes a new claim may bind to (Available, no claimRef, not being deleted, not
 * Block, not bound by this batch), smallest first (ties by name, where upstream takes the
 * informer's order), indexed for the search on each node: volumes pinned by a single
 * `key In (values)` requirement (local volumes: the hostname) by label key and value, the
 * others in @other, checked node by node. */
typedef struct _CclmPvIndex {
	GPtrArray *all;
	GPtrArray *other;
	GHashTable *pinned; /* label key -> (value -> GPtrArray of CclmPvRecord), interned keys */
	GHashTable *classes; /* the classes of the volumes, pooled */
} CclmPvIndex;

static void
cclm_pv_index_free(CclmPvIndex *idx)
{
	g_ptr_array_unref(idx->all);
	g_ptr_array_unref(idx->other);
	g_hash_table_unref(idx->pinned);
	g_hash_table_unref(idx->classes);
	g_free(idx);
}

static const CclmRequirement *
cclm_pv_pin(const CclmPvRecord *pv)
{
	const CclmSelectorTerm *term;
	const CclmRequirement *req;

	if (pv->affinity == NULL || pv->affinity->len != 1)
		return NULL;
	term = &g_array_index(pv->affinity, CclmSelectorTerm, 0);
	if (term->reqs == NULL || term->reqs->len != 1)
		return NULL;
	req = &g_array_index(term->reqs, CclmRequirement, 0);
	return req->op == CCLM_SELECTOR_IN && !req->field && req->key != NULL ? req : NULL;
}

/* A volume this batch bound is gone for the next VM */
static void
cclm_pv_index_remove(CclmPvIndex *idx, const CclmPvRecord *pv)
{
	const CclmRequirement *req = cclm_pv_pin(pv);
	GHashTable *by_value = req != NULL ? g_hash_table_lookup(idx->pinned, req->key) : NULL;

	g_ptr_array_remove(idx->all, (gpointer)pv);
	g_ptr_array_remove(idx->other, (gpointer)pv);
	for (guint v = 0; by_value != NULL && v < req->values->len; v++) {
		GPtrArray *list = g_hash_table_lookup(by_value, req->values->pdata[v]);

		if (list != NULL)
			g_ptr_array_remove(list, (gpointer)pv);
	}
}

/* The index for the inventory as it is now, less this batch's volumes; kept by the snapshot
 * until the inventory's volumes change */
static const CclmPvIndex *
cclm_capacity_free_pvs(CclmCapacity *self)
{
	guint64 serial = cclm_inventory_get_serial(self->inventory, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME);
	CclmPvIndex *idx;
	GHashTableIter iter;
	CclmPvRecord *pv;

	if (self->pv_index != NULL && self->pv_serial == serial)
		return self->pv_index;
	g_clear_pointer(&self->pv_index, cclm_pv_index_free);
	idx = g_new0(CclmPvIndex, 1);
	idx->all = g_ptr_array_new();
	idx->other = g_ptr_array_new();
	idx->pinned = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_hash_table_unref);
	idx->classes = g_hash_table_new(NULL, NULL);
	g_hash_table_iter_init(&iter, cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME));
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&pv)) {
		if (pv->available && !pv->taken && !pv->block && pv->storage_class != NULL &&
		    !g_hash_table_contains(self->bound_pvs, pv->name))
			g_ptr_array_add(idx->all, pv);
	}
	g_ptr_array_sort(idx->all, cclm_pv_compare);
	for (guint i = 0; i < idx->all->len; i++) {
		const CclmRequirement *req = cclm_pv_pin(idx->all->pdata[i]);
		GHashTable *by_value;

		g_hash_table_add(idx->classes, (gpointer)((CclmPvRecord *)idx->all->pdata[i])->storage_class);
		if (req == NULL) {
			g_ptr_array_add(idx->other, idx->all->pdata[i]);
			continue;
		}
		by_value = g_hash_table_lookup(idx->pinned, req->key);
		if (by_value == NULL) {
			by_value = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
			g_hash_table_insert(idx->pinned, (gpointer)req->key, by_value);
		}
		for (guint v = 0; v < req->values->len; v++) {
			GPtrArray *list = g_hash_table_lookup(by_value, req->values->pdata[v]);

			if (list == NULL) {
				list = g_ptr_array_new();
				g_hash_table_insert(by_value, req->values->pdata[v], list);
			}
			g_ptr_array_add(list, idx->all->pdata[i]);
		}
	}
	self->pv_index = idx;
	self->pv_serial = serial;
	return idx;
}

static gboolean
cclm_pv_reaches(const CclmPvRecord *pv, const CclmNodeRecord *node)
{
	if (pv->affinity == NULL)
		return TRUE;
	for (guint i = 0; i < pv->affinity->len; i++) {
		if (cclm_selector_term_matches(&g_array_index(pv->affinity, CclmSelectorTerm, i), node->name,
					       node->labels, node->n_labels))
			return TRUE;
	}
	return FALSE;
}

/* The first volume of @list (smallest first) of the disk's class that holds it, not in
 * @picks, and reaching @node unless NULL */
static const CclmPvRecord *
cclm_pv_first(const GPtrArray *list, const CclmDemandDisk *disk, const CclmPvRecord **picks, guint n,
	      const CclmNodeRecord *node)
{
	for (guint p = 0; list != NULL && p < list->len; p++) {
		const CclmPvRecord *pv = list->pdata[p];
		gboolean picked = FALSE;

		if (pv->storage_class != disk->storage_class || pv->capacity < disk->size)
			continue;
		for (guint k = 0; k < n && !picked; k++)
			picked = picks[k] == pv;
		if (!picked && (node == NULL || cclm_pv_reaches(pv, node)))
			return pv;
	}
	return NULL;
}

/* The smallest volume for @disk reachable from @node: the best of the unpinned ones and of
 * those pinned to one of the node's labels */
static const CclmPvRecord *
cclm_pv_index_find(const CclmPvIndex *idx, const CclmDemandDisk *disk, const CclmPvRecord **picks, guint n,
		   const CclmNodeRecord *node)
{
	const CclmPvRecord *best = cclm_pv_first(idx->other, disk, picks, n, node);
	GHashTableIter iter;
	const gchar *key;
	GHashTable *by_value;

	g_hash_table_iter_init(&iter, idx->pinned);
	while (g_hash_table_iter_next(&iter, (gpointer *)&key, (gpointer *)&by_value)) {
		const gchar *value;
		const CclmPvRecord *pv;

		if (!cclm_labels_lookup(node->labels, node->n_labels, key, &value))
			continue;
		pv = cclm_pv_first(g_hash_table_lookup(by_value, value), disk, picks, n, NULL);
		if (pv != NULL && (best == NULL || cclm_pv_compare(&pv, &best) < 0))
			best = pv;
	}
	return best;
}

/* Binds the VM's claims to existing volumes into @picks (one slot per disk): with @node NULL
 * the Immediate ones, as the PV controller does when the claims are created; else the
 * WaitForFirstConsumer ones on @node, as the scheduler does, by increasing request
 * (volumebinding binder.go findMatchingVolumes), skipping volumes already picked. Claims of
 * classes with a provisioner try too (upstream binds before it provisions); only those of
 * no-provisioner classes fail. Returns the index of the first of those left without a volume,
 * disks in @skip (bit i: disk i, already reported for the cluster) aside, or -1. */
static gint
cclm_capacity_bind_static(CclmCapacity *self, const CclmDemand *d, const CclmPvIndex *pvs, const CclmNodeRecord *node,
			  const CclmPvRecord **picks, guint64 skip)
{
	gint failed = -1;
	guint n = d->disks->len, n_pass = 0;
	guint stack[16];
	g_autofree guint *heap = n > G_N_ELEMENTS(stack) ? g_new(guint, n) : NULL;
	guint *order = heap != NULL ? heap : stack;

	/* this pass's disks, by increasing size (insertion sort, stable: a VM has a handful of
	 * disks); they drop what an earlier node picked for them */
	for (guint i = 0; i < n; i++) {
		const CclmDemandDisk *disk = &g_array_index(d->disks, CclmDemandDisk, i);
		const CclmStorageClassRecord *sc;
		CclmDiskCheck check = cclm_capacity_disk_check(self, disk, &sc);
		guint j = n_pass++;

		if (check == CCLM_DISK_NO_CLASS || sc->wait_for_first_consumer != (node != NULL) ||
		    (check != CCLM_DISK_STATIC && !g_hash_table_contains(pvs->classes, disk->storage_class))) {
			n_pass--;
			continue;
		}
		picks[i] = NULL;
		for (; j > 0 && g_array_index(d->disks, CclmDemandDisk, order[j - 1]).size > disk->size; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (guint o = 0; o < n_pass; o++) {
		guint i = order[o];
		const CclmDemandDisk *disk = &g_array_index(d->disks, CclmDemandDisk, i);

		const CclmStorageClassRecord *sc;

		picks[i] = node != NULL ? cclm_pv_index_find(pvs, disk, picks, n, node)
					: cclm_pv_first(pvs->all, disk, picks, n, NULL);
		if (picks[i] == NULL && failed < 0 && (i >= 64 || !(skip & (G_GUINT64_CONSTANT(1) << i))) &&
		    cclm_capacity_disk_check(self, disk, &sc) == CCLM_DISK_STATIC)
			failed = (gint)i;
	}
	return failed;
}

/* MatchTopologySelectorTerms (kubernetes pkg/apis/core/v1/helper/helpers.go): no terms match
 * every node */
static gboolean
cclm_storage_class_reaches(const CclmStorageClassRecord *sc, const CclmNodeRecord *node)
{
	if (sc->allowed_topologies == NULL || sc->allowed_topologies->len == 0)
		return TRUE;
	for (guint i = 0; i < sc->allowed_topologies->len; i++) {
		if (cclm_selector_term_matches(&g_array_index(sc->allowed_topologies, CclmSelectorTerm, i),
					       node->name, node->labels, node->n_labels))
			return TRUE;
	}
	return FALSE;
}

/* "disk "x" needs 30.0 GiB of class "local"; no Available PersistentVolume of that class is
 * large enough (largest 20.0 GiB, pv-3)" */
static CclmFitReason *
cclm_static_reason(const CclmDemandDisk *disk, const CclmPvIndex *idx)
{
	const GPtrArray *pvs = idx->all;
	const CclmPvRecord *largest = NULL;
	g_autofree gchar *size = cclm_quantity_format_bytes(disk->size);
	g_autofree gchar *have = NULL;

	for (guint p = 0; p < pvs->len; p++) {
		const CclmPvRecord *pv = pvs->pdata[p];

		if (pv->storage_class == disk->storage_class)
			largest = pv; /* sorted: the last one is the largest */
	}
	if (largest == NULL)
		return cclm_fit_reason_new(CCLM_FIT_REASON_KIND_STORAGE, "storage", disk->size, 0, NULL,
					   "storage: disk \"%s\" needs %s of class \"%s\"; the class has no "
					   "dynamic provisioner and no Available PersistentVolume",
					   disk->volume, size, disk->storage_class);
	have = cclm_quantity_format_bytes(largest->capacity);
	if (largest->capacity >= disk->size)
		return cclm_fit_reason_new(CCLM_FIT_REASON_KIND_STORAGE, "storage", disk->size, largest->capacity,
					   NULL,
					   "storage: disk \"%s\" needs %s of class \"%s\"; the Available "
					   "PersistentVolumes of that class large enough are taken by the VM's other "
					   "disks",
					   disk->volume, size, disk->storage_class);
	return cclm_fit_reason_new(CCLM_FIT_REASON_KIND_STORAGE, "storage", disk->size, largest->capacity, NULL,
				   "storage: disk \"%s\" needs %s of class \"%s\"; no Available PersistentVolume of "
				   "that class is large enough (largest %s, %s)",
				   disk->volume, size, disk->storage_class, have, largest->name);
}

/* Cluster-level storage: classes exist, Immediate volumes can be provisioned somewhere (or
 * bound: into @picks), static volumes large enough exist, and what cannot be checked is said.
 * Disks reported here get their bit in *@reported; *@per_node says whether nodes must be
 * checked (capacity topology, allowedTopologies, volume node affinity). */
static void
cclm_capacity_check_storage(CclmCapacity *self, const CclmDemand *d, const CclmPvIndex *pvs, const CclmPvRecord **picks,
			    CclmFitVerdict *verdict, gboolean *per_node, guint64 *reported)
{
	const gchar *cluster = cclm_inventory_get_cluster_name(self->inventory);
	gint failed;

	*per_node = FALSE;
	*reported = 0;
	for (guint i = 0; i < d->disks->len; i++) {
		const CclmDemandDisk *disk = &g_array_index(d->disks, CclmDemandDisk, i);
		const CclmStorageClassRecord *sc;
		g_autofree gchar *size = cclm_quantity_format_bytes(disk->size);
		CclmDiskCheck check = cclm_capacity_disk_check(self, disk, &sc);

		/* an allowedTopologies class provisions only there: with WaitForFirstConsumer the
		 * scheduler filters nodes by it (checkVolumeProvisions); an Immediate volume is made
		 * in one of those segments and its node affinity then binds the pod there */
		if (sc != NULL && sc->allowed_topologies != NULL && check != CCLM_DISK_STATIC)
			*per_node = TRUE;
		switch (check) {
		case CCLM_DISK_NO_CLASS:
			if (disk->storage_class == NULL)
				cclm_fit_verdict_add_reason(
				    verdict, cclm_fit_reason_new(CCLM_FIT_REASON_KIND_STORAGE_CLASS, "storage", disk->size, 0, NULL,
								 "storage-class: disk \"%s\" (%s) names no StorageClass and "
								 "cluster \"%s\" has no default one",
								 disk->volume, size, cluster));
			else
				cclm_fit_verdict_add_reason(
					verdict, cclm_fit_reason_new(CCLM_FIT_REASON_KIND_STORAGE_CLASS, "storage", disk->size, 0,
								     NULL,
								     "storage-class: disk \"%s\" (%s) needs StorageClass "
								     "\"%s\", which cluster \"%s\" does not have; map it "
								     "with --storage-map %s=CLASS",
								     disk->volume, size, disk->storage_class, cluster,
								     disk->storage_class));
			break;
		case CCLM_DISK_UNCHECKED:
			cclm_fit_verdict_add_warning(
			    verdict, cclm_fit_reason_new(CCLM_FIT_REASON_KIND_STORAGE, "storage", disk->size, 0, NULL,
							 "storage: unchecked: StorageClass \"%s\" (provisioner %s) "
							 "publishes no capacity, so %s for disk \"%s\" was not checked",
							 disk->storage_class, sc->provisioner ? sc->provisioner : "none",
							 size, disk->volume));
			break;
		case CCLM_DISK_IMMEDIATE:
			break; /* after the binding below: only what binds no volume is provisioned */
		case CCLM_DISK_PER_NODE:
			*per_node = TRUE;
			break;
		case CCLM_DISK_STATIC: {
			CclmFitReason *r = cclm_static_reason(disk, pvs);

			/* a VM's own disks competing for volumes are left to the binding below */
			*per_node = TRUE;
			if (cclm_fit_reason_get_available(r) < disk->size) {
				cclm_fit_verdict_add_reason(verdict, r);
				if (i < 64)
					*reported |= G_GUINT64_CONSTANT(1) << i;
			} else {
				g_object_unref(r);
			}
			break;
		}
		}
	}
	/* the PV controller binds Immediate claims at once, wherever their volume is */
	failed = pvs != NULL ? cclm_capacity_bind_static(self, d, pvs, NULL, picks, *reported) : -1;
	if (failed >= 0)
		cclm_fit_verdict_add_reason(verdict,
					    cclm_static_reason(&g_array_index(d->disks, CclmDemandDisk, failed), pvs));
	for (guint i = 0; i < d->disks->len; i++) {
		const CclmDemandDisk *disk = &g_array_index(d->disks, CclmDemandDisk, i);
		const CclmStorageClassRecord *sc;
		gint64 room;

		if (picks[i] != NULL) {
			*per_node = *per_node || picks[i]->affinity != NULL;
			continue;
		}
		if (cclm_capacity_disk_check(self, disk, &sc) != CCLM_DISK_IMMEDIATE)
			continue;
		cclm_storage_best(self, disk->storage_class, NULL, &room);
		if (room < disk->size) {
			g_autofree gchar *size = cclm_quantity_format_bytes(disk->size);
			g_autofree gchar *have = cclm_quantity_format_bytes(room);

			cclm_fit_verdict_add_reason(
			    verdict, cclm_fit_reason_new(CCLM_FIT_REASON_KIND_STORAGE, "storage", disk->size, room, NULL,
							 "storage: disk \"%s\" needs %s of StorageClass \"%s\"; "
							 "the largest CSIStorageCapacity offers %s",
							 disk->volume, size, disk->storage_class, have));
		}
	}
}

/* Whether @node suits every disk: inside its class's allowedTopologies, reached by the
 * volume an Immediate static claim bound, with an Available volume for each
 * WaitForFirstConsumer static claim (into @picks), and a CSIStorageCapacity in its topology
 * for each tracked WaitForFirstConsumer one; the first disk that does not is described in
 * *detail. Disks in @reported failed for the whole cluster already. */
static gboolean
cclm_capacity_node_storage(CclmCapacity *self, const CclmDemand *d, const CclmPvIndex *pvs, const CclmPvRecord **picks,
			   guint64 reported, const CclmNodeRecord *node, gchar **detail)
{
	gint failed = pvs != NULL ? cclm_capacity_bind_static(self, d, pvs, node, picks, reported) : -1;

	if (failed >= 0) {
		const CclmDemandDisk *disk = &g_array_index(d->disks, CclmDemandDisk, failed);
		g_autofree gchar *size = cclm_quantity_format_bytes(disk->size);

		*detail = g_strdup_printf("disk \"%s\" needs %s of class \"%s\"; no Available "
					  "PersistentVolume of that class large enough and not taken by another "
					  "disk has node affinity for %s",
					  disk->volume, size, disk->storage_class, node->name);
		return FALSE;
	}
	for (guint i = 0; i < d->disks->len; i++) {
		const CclmDemandDisk *disk = &g_array_index(d->disks, CclmDemandDisk, i);
		const CclmStorageClassRecord *sc;
		CclmDiskCheck check = cclm_capacity_disk_check(self, disk, &sc);
		gint64 room;

		if (picks[i] != NULL && !sc->wait_for_first_consumer && !cclm_pv_reaches(picks[i], node)) {
			*detail = g_strdup_printf("disk \"%s\" binds at once (Immediate) to PersistentVolume "
						  "%s, whose node affinity excludes %s",
						  disk->volume, picks[i]->name, node->name);
			return FALSE;
		}
		if (picks[i] != NULL)
			continue; /* an existing volume: nothing to provision */
		if (check != CCLM_DISK_STATIC && sc != NULL && !cclm_storage_class_reaches(sc, node)) {
			*detail = g_strdup_printf("disk \"%s\": StorageClass \"%s\" provisions only in its "
						  "allowedTopologies, which exclude %s",
						  disk->volume, disk->storage_class, node->name);
			return FALSE;
		}
		if (check != CCLM_DISK_PER_NODE)
			continue;
		cclm_storage_best(self, disk->storage_class, node, &room);
		if (room < disk->size) {
			g_autofree gchar *size = cclm_quantity_format_bytes(disk->size);
			g_autofree gchar *have = cclm_quantity_format_bytes(room);

			*detail = g_strdup_printf("disk \"%s\" needs %s of StorageClass \"%s\"; the "
						  "CSIStorageCapacity reachable from %s offers %s",
						  disk->volume, size, disk->storage_class, node->name, have);
			return FALSE;
		}
	}
	return TRUE;
}

/* Quota */

/* What the pod (and its PVCs) add to a quota resource (pkg/quota/v1/evaluator/core) */
static gint64
cclm_demand_quota_delta(const CclmDemand *d, const gchar *res)
{
	const gchar *sc_suffix;
	gint64 sum = 0;

	if (g_str_equal(res, "pods") || g_str_equal(res, "count/pods"))
		return 1;
	if (g_str_equal(res, "cpu") || g_str_equal(res, "requests.cpu"))
		return d->requests.cpu;
	if (g_str_equal(res, "memory") || g_str_equal(res, "requests.memory"))
		return d->requests.memory;
	if (g_str_equal(res, "limits.cpu"))
		return d->limit_cpu;
	if (g_str_equal(res, "limits.memory"))
		return d->limit_memory;
	if (g_str_equal(res, "ephemeral-storage") || g_str_equal(res, "requests.ephemeral-storage"))
		return d->requests.ephemeral;
	if (g_str_has_prefix(res, "hugepages-"))
		return cclm_resources_get(&d->requests, res);
	if (g_str_equal(res, "persistentvolumeclaims") || g_str_equal(res, "count/persistentvolumeclaims"))
		return d->disks->len;
	if (g_str_equal(res, "requests.storage")) {
		for (guint i = 0; i < d->disks->len; i++)
			sum += g_array_index(d->disks, CclmDemandDisk, i).size;
		return sum;
	}
	if ((sc_suffix = strstr(res, ".storageclass.storage.k8s.io/")) != NULL) {
		g_autofree gchar *klass = g_strndup(res, sc_suffix - res);
		gboolean count = g_str_has_suffix(res, "/persistentvolumeclaims");

		for (guint i = 0; i < d->disks->len; i++) {
			const CclmDemandDisk *disk = &g_array_index(d->disks, CclmDemandDisk, i);

			if (g_strcmp0(disk->storage_class, klass) == 0)
				sum += count ? 1 : disk->size;
		}
		return sum;
	}
	if (g_str_has_prefix(res, "requests."))
		return cclm_resources_get(&d->requests, res + strlen("requests."));
	return 0;
}

/* Admission checks used + delta <= hard for each resource in status.hard
 * (apiserver resourcequota/controller.go); with @commit, charges the batch. */
static gboolean
cclm_capacity_check_quota(CclmCapacity *self, const CclmDemand *d, CclmFitVerdict *verdict, gboolean commit)
{
	GHashTableIter iter, res_iter;
	CclmQuotaRecord *q;
	const gchar *res;
	gint64 *hard;
	gboolean ok = TRUE;

	g_hash_table_iter_init(&iter, cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_RESOURCE_QUOTA));
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&q)) {
		if (q->namespace_ != d->namespace_)
			continue;
		g_hash_table_iter_init(&res_iter, q->hard);
		while (g_hash_table_iter_next(&res_iter, (gpointer *)&res, (gpointer *)&hard)) {
			gint64 delta = cclm_demand_quota_delta(d, res);
			gint64 *used = g_hash_table_lookup(q->used, res);
			gint64 *consumed = cclm_capacity_consumed(self, q->rec.key, res);
			gint64 have = *hard - (used ? *used : 0) - *consumed;

			if (commit) {
				*consumed += delta;
				continue;
			}
			if (delta > 0 && delta > have && verdict != NULL) {
				g_autofree gchar *need_s = cclm_resource_format(res, delta);
				g_autofree gchar *have_s = cclm_resource_format(res, MAX(have, 0));
				g_autofree gchar *hard_s = cclm_resource_format(res, *hard);

				cclm_fit_verdict_add_reason(
				    verdict, cclm_fit_reason_new(CCLM_FIT_REASON_KIND_QUOTA, res, delta, MAX(have, 0), NULL,
								 "quota: ResourceQuota \"%s\" of namespace \"%s\": %s "
								 "needs %s; %s of %s left",
								 q->name, q->namespace_, res, need_s, have_s, hard_s));
				ok = FALSE;
			}
		}
	}
	return ok;
}

/* LimitRange admission (plugin/pkg/admission/limitranger): containers without a limit get the
 * default one, which must not be below their request; requests and limits must stay within
 * min and max per Container, the pod's sums within max per Pod. A refusal is a 403 at pod
 * creation, reported with the quota kind. */
static gboolean
cclm_capacity_check_limit_ranges(CclmCapacity *self, const CclmDemand *d, CclmFitVerdict *verdict)
{
	static const gchar *names[] = {"cpu", "memory"};
	GHashTableIter iter;
	CclmLimitRangeRecord *lr;
	gboolean ok = TRUE;

	g_hash_table_iter_init(&iter, cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_LIMIT_RANGE));
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&lr)) {
		if (lr->namespace_ != d->namespace_)
			continue;
		for (guint i = 0; i < lr->items->len; i++) {
			const CclmLimitRangeItem *item = &g_array_index(lr->items, CclmLimitRangeItem, i);

			for (guint n = 0; n < G_N_ELEMENTS(names); n++) {
				const gchar *res = names[n];
				gboolean cpu = n == 0;
				gint64 req = item->pod ? (cpu ? d->requests.cpu : d->requests.memory)
						       : (cpu ? d->compute_cpu : d->compute_memory);
				gint64 lim = item->pod ? -1 : (cpu ? d->compute_limit_cpu : d->compute_limit_memory);
				gint64 max = cclm_resources_get(&item->max, res);
				gint64 min = cclm_resources_get(&item->min, res);
				gint64 def = cclm_resources_get(&item->default_limit, res);
				const gchar *what = item->pod ? "the virt-launcher pod" : "the compute container";
				g_autofree gchar *req_s = cclm_resource_format(res, req);
				CclmFitReason *reason = NULL;

				if (lim < 0 && def > 0)
					lim = def;
				if (!item->pod && def > 0 && lim == def && def < req) {
					g_autofree gchar *def_s = cclm_resource_format(res, def);

					reason = cclm_fit_reason_new(
					    CCLM_FIT_REASON_KIND_QUOTA, res, req, def, NULL,
					    "quota: LimitRange \"%s\" of namespace \"%s\" gives containers without a "
					    "limit a default %s limit of %s, below %s's request of %s; the pod would "
					    "be refused",
					    lr->name, lr->namespace_, res, def_s, what, req_s);
				} else if (max > 0 && MAX(req, lim) > max) {
					g_autofree gchar *max_s = cclm_resource_format(res, max);
					g_autofree gchar *ask_s = cclm_resource_format(res, MAX(req, lim));

					reason = cclm_fit_reason_new(
					    CCLM_FIT_REASON_KIND_QUOTA, res, MAX(req, lim), max, NULL,
					    "quota: LimitRange \"%s\" of namespace \"%s\": maximum %s per %s is %s; "
					    "%s asks %s",
					    lr->name, lr->namespace_, res, item->pod ? "Pod" : "Container", max_s, what,
					    ask_s);
				} else if (min > 0 && req < min) {
					g_autofree gchar *min_s = cclm_resource_format(res, min);

					reason = cclm_fit_reason_new(
					    CCLM_FIT_REASON_KIND_QUOTA, res, req, min, NULL,
					    "quota: LimitRange \"%s\" of namespace \"%s\": minimum %s per %s is %s; "
					    "%s asks %s",
					    lr->name, lr->namespace_, res, item->pod ? "Pod" : "Container", min_s, what,
					    req_s);
				}
				if (reason != NULL) {
					cclm_fit_verdict_add_reason(verdict, reason);
					ok = FALSE;
				}
			}
		}
	}
	return ok;
}

/* Node fit */

static CclmFitReasonKind
cclm_resource_kind(const CclmDemand *d, const gchar *resource)
{
	if (g_str_equal(resource, "cpu"))
		return d->dedicated ? CCLM_FIT_REASON_KIND_DEDICATED_CPU : CCLM_FIT_REASON_KIND_CPU;
	if (g_str_equal(resource, "memory"))
		return CCLM_FIT_REASON_KIND_MEMORY;
	if (g_str_equal(resource, "pods"))
		return CCLM_FIT_REASON_KIND_PODS;
	if (cclm_resource_is_hugepages(resource))
		return CCLM_FIT_REASON_KIND_HUGEPAGES;
	return CCLM_FIT_REASON_KIND_EXTENDED_RESOURCE;
}

/* The non-resource filters of one node: cordon, taints, nodeSelector, affinity. */
static gboolean
cclm_capacity_node_filters(const CclmDemand *d, const CclmNodeRecord *node, CclmTally *tally)
{
	gboolean ok = TRUE;
	gboolean seen_taint = FALSE, seen_not_ready = FALSE;

	/* NodeUnschedulable */
	if (node->unschedulable && !cclm_tolerates(d->tolerations, UNSCHEDULABLE_TAINT, NULL, "NoSchedule")) {
		cclm_tally(tally, CCLM_FIT_REASON_KIND_CORDONED, node->name, NULL);
		ok = FALSE;
	}
	/* TaintToleration: NoSchedule and NoExecute only; the node lifecycle taints get their
	 * own kind, explained by the Ready condition */
	for (guint i = 0; i < node->n_taints; i++) {
		const CclmTaint *t = &node->taints[i];
		gboolean lifecycle;

		if (g_strcmp0(t->effect, "NoSchedule") != 0 && g_strcmp0(t->effect, "NoExecute") != 0)
			continue;
		if (node->unschedulable && g_strcmp0(t->key, UNSCHEDULABLE_TAINT) == 0)
			continue; /* counted as cordoned */
		if (cclm_tolerates(d->tolerations, t->key, t->value, t->effect))
			continue;
		lifecycle = g_strcmp0(t->key, NOT_READY_TAINT) == 0 || g_strcmp0(t->key, UNREACHABLE_TAINT) == 0;
		if (lifecycle && !seen_not_ready) {
			seen_not_ready = TRUE;
			cclm_tally(tally, CCLM_FIT_REASON_KIND_NOT_READY, node->name,
				   g_strdup_printf("%s:%s, Ready=%s", t->key, t->effect,
						   node->ready == 1 ? "True" : node->ready == 0 ? "False" : "Unknown"));
		} else if (!lifecycle && !seen_taint) {
			seen_taint = TRUE;
			cclm_tally(tally, CCLM_FIT_REASON_KIND_TAINT, node->name,
				   g_strdup_printf("%s=%s:%s", t->key, t->value ? t->value : "", t->effect));
		}
		ok = FALSE;
	}
	/* nodeSelector, each label under the kind that explains it */
	for (guint i = 0; i < d->selector->len; i++) {
		const CclmDemandLabel *l = &g_array_index(d->selector, CclmDemandLabel, i);
		const gchar *v = NULL;

		if (cclm_labels_lookup(node->labels, node->n_labels, l->key, &v) && v == l->value)
			continue;
		cclm_tally(tally, l->kind, node->name, g_strdup_printf("%s=%s", l->key, l->value));
		ok = FALSE;
	}
	if (d->affinity != NULL) {
		gboolean any = FALSE;

		for (guint i = 0; !any && i < d->affinity->len; i++)
			any = cclm_selector_term_matches(&g_array_index(d->affinity, CclmSelectorTerm, i), node->name,
							 node->labels, node->n_labels);
		if (!any) {
			cclm_tally(tally, CCLM_FIT_REASON_KIND_NODE_AFFINITY, node->name, NULL);
			ok = FALSE;
		}
	}
	return ok;
}

/* The resources a reason can be about, in the order reasons are listed; bit i of a shortage
 * mask is fixed_resources[i], then the demand's scalars from bit 4 on. */
static const gchar *const fixed_resources[] = {"memory", "cpu", "pods", "ephemeral-storage"};
#define MAX_SCALAR_BITS 60

/* NodeResourcesFit (fit.go fitsRequest): strict ">" against what is free; returns the mask of
 * resources short on this node */
static guint64
cclm_capacity_node_resources(const CclmDemand *d, const CclmNodeState *n)
{
	const CclmResources *need = &d->requests, *free = &n->free;
	guint64 mask = 0;

	if (need->memory > 0 && need->memory > free->memory)
		mask |= 1 << 0;
	if (need->cpu > 0 && need->cpu > free->cpu)
		mask |= 1 << 1;
	if (need->pods > 0 && need->pods > free->pods)
		mask |= 1 << 2;
	if (need->ephemeral > 0 && need->ephemeral > free->ephemeral)
		mask |= 1 << 3;
	for (guint i = 0; i < need->n_scalars && i < MAX_SCALAR_BITS; i++) {
		const CclmScalar *s = &need->scalars[i];

		if (s->value > 0 && s->value > cclm_resources_get_scalar(free, s->name))
			mask |= G_GUINT64_CONSTANT(1) << (4 + i);
	}
	return mask;
}

/* "memory: needs 16.4 GiB on one node; largest free node has 12.0 GiB (worker-3); 40.0 GiB
 * free in total is fragmented across 8 nodes", over the nodes that pass the other filters */
static CclmFitReason *
cclm_capacity_resource_reason(CclmCapacity *self, const CclmDemand *d, const gchar *res, const gboolean *eligible,
			      guint n_eligible)
{
	CclmFitReasonKind kind = cclm_resource_kind(d, res);
	gint64 need = cclm_resources_get(&d->requests, res);
	gint64 best = 0, total = 0;
	guint with_free = 0, n_short = 0;
	const gchar *best_node = NULL;
	g_autofree gchar *need_s = NULL, *best_s = NULL, *total_s = NULL;
	const gchar *label = kind == CCLM_FIT_REASON_KIND_EXTENDED_RESOURCE ? res : NULL;

	for (guint i = 0; i < self->nodes->len; i++) {
		const CclmNodeState *n = &g_array_index(self->nodes, CclmNodeState, i);
		gint64 f;

		if (n_eligible > 0 && !eligible[i])
			continue;
		f = cclm_resources_get(&n->free, res);
		if (f < need)
			n_short++;
		if (f <= 0)
			continue;
		with_free++;
		total += f;
		if (f > best) {
			best = f;
			best_node = n->name;
		}
	}
	need_s = cclm_resource_format(res, need);
	best_s = cclm_resource_format(res, best);
	total_s = cclm_resource_format(res, total);
	if (kind == CCLM_FIT_REASON_KIND_PODS)
		return cclm_fit_reason_new(kind, res, need, best, best_node,
					   "pods: %u of %u nodes are at their pod limit", n_short,
					   n_eligible > 0 ? n_eligible : self->nodes->len);
	if (best_node == NULL)
		return cclm_fit_reason_new(kind, res, need, 0, NULL, "%s: %s%sneeds %s on one node; no %snode has any free%s",
					   cclm_fit_reason_kind_to_nick(kind), label ? label : "", label ? " " : "", need_s,
					   n_eligible > 0 ? "usable " : "",
					   g_str_has_prefix(res, "devices.kubevirt.io/")
					       ? " (virt-handler advertises it on the nodes it runs on)"
					       : "");
	return cclm_fit_reason_new(kind, res, need, best, best_node,
				   "%s: %s%sneeds %s on one node; largest free node has %s (%s); %s%s free in total %s "
				   "%u node%s",
				   cclm_fit_reason_kind_to_nick(kind), label ? label : "", label ? " " : "", need_s, best_s,
				   best_node, total >= need ? "" : "only ", total_s,
				   total >= need ? "is fragmented across" : "across", with_free, with_free == 1 ? "" : "s");
}

static CclmFitReason *
cclm_capacity_filter_reason(CclmFitReasonKind kind, const CclmTally *t, guint n_nodes)
{
	const gchar *nick = cclm_fit_reason_kind_to_nick(kind);

	switch (kind) {
	case CCLM_FIT_REASON_KIND_CORDONED:
		return cclm_fit_reason_new(kind, NULL, 0, 0, t->node, "cordoned: %u of %u nodes are cordoned (e.g. %s)",
					   t->count, n_nodes, t->node);
	case CCLM_FIT_REASON_KIND_NOT_READY:
		return cclm_fit_reason_new(kind, NULL, 0, 0, t->node,
					   "not-ready: %u of %u nodes carry a not-ready or unreachable taint the VM "
					   "does not tolerate (e.g. %s: %s)",
					   t->count, n_nodes, t->node, t->detail);
	case CCLM_FIT_REASON_KIND_TAINT:
		return cclm_fit_reason_new(kind, NULL, 0, 0, t->node,
					   "taint: %u of %u nodes have a taint the VM does not tolerate (e.g. {%s} on %s)",
					   t->count, n_nodes, t->detail, t->node);
	case CCLM_FIT_REASON_KIND_NODE_AFFINITY:
		return cclm_fit_reason_new(kind, NULL, 0, 0, t->node,
					   "node-affinity: %u of %u nodes match none of the required node affinity "
					   "terms (e.g. %s)",
					   t->count, n_nodes, t->node);
	case CCLM_FIT_REASON_KIND_STORAGE:
		return cclm_fit_reason_new(kind, NULL, 0, 0, t->node, "storage: %u of %u nodes lack storage: %s", t->count,
					   n_nodes, t->detail);
	default:
		return cclm_fit_reason_new(kind, NULL, 0, 0, t->node, "%s: %u of %u nodes lack the label %s (e.g. %s)", nick,
					   t->count, n_nodes, t->detail, t->node);
	}
}

static void
cclm_capacity_place(CclmCapacity *self, const CclmDemand *d, const CclmPvIndex *pvs, const CclmPvRecord **picks,
		    CclmNodeState *n, const CclmNodeRecord *node)
{
	if (pvs != NULL)
		cclm_capacity_bind_static(self, d, pvs, node, picks, 0);
	/* the volumes bound are gone for the next VM of the batch */
	for (guint i = 0; pvs != NULL && i < d->disks->len; i++) {
		if (picks[i] != NULL) {
			g_hash_table_add(self->bound_pvs, g_strdup(picks[i]->name));
			cclm_pv_index_remove(self->pv_index, picks[i]);
		}
	}
	cclm_resources_add(&n->free, &d->requests, -1);
	for (guint i = 0; i < d->disks->len; i++) {
		const CclmDemandDisk *disk = &g_array_index(d->disks, CclmDemandDisk, i);
		const CclmStorageClassRecord *sc;
		const CclmStorageCapacityRecord *cap = NULL;
		gint64 room;

		switch (cclm_capacity_disk_check(self, disk, &sc)) {
		case CCLM_DISK_PER_NODE:
			cap = cclm_storage_best(self, disk->storage_class, node, &room);
			break;
		case CCLM_DISK_IMMEDIATE:
			cap = cclm_storage_best(self, disk->storage_class, NULL, &room);
			break;
		default:
			break;
		}
		if (cap != NULL && (pvs == NULL || picks[i] == NULL))
			*cclm_capacity_consumed(self, "csisc", cap->rec.key) += disk->size;
	}
	cclm_capacity_check_quota(self, d, NULL, TRUE);
}

/* Re-reads the node records when the inventory's nodes changed since they were cached; a node
 * that left the inventory stays in the snapshot without a record and is skipped. */
static void
cclm_capacity_refresh_nodes(CclmCapacity *self)
{
	GHashTable *table = cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_NODE);
	guint64 serial = cclm_inventory_get_node_serial(self->inventory);

	if (serial == self->node_serial)
		return;
	for (guint i = 0; i < self->nodes->len; i++) {
		CclmNodeState *n = &g_array_index(self->nodes, CclmNodeState, i);

		n->rec = g_hash_table_lookup(table, n->name);
	}
	self->node_serial = serial;
}

static CclmFitVerdict *
cclm_capacity_fit_demand(CclmCapacity *self, const CclmDemand *d)
{
	GHashTable *node_table = cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_NODE);
	GHashTable *namespaces = cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_NAMESPACE);
	const gchar *cluster = cclm_inventory_get_cluster_name(self->inventory);
	CclmFitVerdict *verdict = cclm_fit_verdict_new(cluster, d);
	g_autofree gboolean *eligible = g_new0(gboolean, self->nodes->len + 1);
	guint64 short_res = 0;
	CclmTally tally[N_KINDS] = {{0}};
	CclmNodeState *best = NULL;
	const CclmNodeRecord *best_rec = NULL;
	gboolean per_node_storage, quota_ok, warned_not_ready = FALSE;
	guint n_eligible = 0, n_reasons;
	const CclmPvIndex *pvs = NULL; /* when a disk has a class: existing volumes bind first */
	g_autofree const CclmPvRecord **picks = g_new0(const CclmPvRecord *, d->disks->len + 1);
	guint64 reported_disks;

	cclm_capacity_refresh_nodes(self);
	for (guint i = 0; i < d->disks->len && pvs == NULL; i++) {
		const CclmStorageClassRecord *sc;

		if (cclm_capacity_disk_check(self, &g_array_index(d->disks, CclmDemandDisk, i), &sc) !=
		    CCLM_DISK_NO_CLASS)
			pvs = cclm_capacity_free_pvs(self);
	}
	if (g_hash_table_size(namespaces) > 0 && !g_hash_table_contains(namespaces, d->namespace_))
		cclm_fit_verdict_add_warning(verdict,
					     cclm_fit_reason_new(CCLM_FIT_REASON_KIND_NAMESPACE, NULL, 0, 0, NULL,
								 "namespace: \"%s\" does not exist on cluster \"%s\"; "
								 "the VM was judged as if it were created",
								 d->namespace_, cluster));
	cclm_capacity_check_storage(self, d, pvs, picks, verdict, &per_node_storage, &reported_disks);
	quota_ok = cclm_capacity_check_quota(self, d, verdict, FALSE);
	quota_ok = cclm_capacity_check_limit_ranges(self, d, verdict) && quota_ok;

	for (guint i = 0; i < self->nodes->len; i++) {
		CclmNodeState *n = &g_array_index(self->nodes, CclmNodeState, i);
		const CclmNodeRecord *rec = n->rec;
		gchar *detail = NULL;
		guint64 short_mask;
		gboolean ok;

		if (rec == NULL)
			continue;
		/* conditions only explain: a NotReady node the lifecycle controller has not
		 * tainted yet still takes pods, which is worth a warning */
		if (rec->ready == 0 && !warned_not_ready) {
			gboolean tainted = FALSE;

			for (guint t = 0; t < rec->n_taints; t++)
				tainted = tainted || g_strcmp0(rec->taints[t].key, NOT_READY_TAINT) == 0 ||
					  g_strcmp0(rec->taints[t].key, UNREACHABLE_TAINT) == 0;
			warned_not_ready = !tainted;
			if (!tainted)
				cclm_fit_verdict_add_warning(
				    verdict, cclm_fit_reason_new(CCLM_FIT_REASON_KIND_NOT_READY, NULL, 0, 0, rec->name,
								 "not-ready: node \"%s\" reports Ready=False but is not "
								 "tainted yet, so the scheduler may still place the VM "
								 "there",
								 rec->name));
		}
		ok = cclm_capacity_node_filters(d, rec, tally);
		if (ok) {
			eligible[i] = TRUE;
			n_eligible++;
		}
		if (per_node_storage &&
		    !cclm_capacity_node_storage(self, d, pvs, picks, reported_disks, rec, &detail)) {
			cclm_tally(tally, CCLM_FIT_REASON_KIND_STORAGE, rec->name, detail);
			ok = FALSE;
		}
		short_mask = cclm_capacity_node_resources(d, n);
		short_res |= short_mask;
		if (short_mask != 0)
			ok = FALSE;
		/* like LeastAllocated: the node with the most memory left */
		if (ok && (best == NULL || n->free.memory > best->free.memory)) {
			best = n;
			best_rec = rec;
		}
	}

	n_reasons = cclm_fit_verdict_get_reasons(verdict)->len;
	if (best != NULL && n_reasons == 0 && quota_ok) {
		cclm_fit_verdict_set_node(verdict, best->name);
		cclm_capacity_place(self, d, pvs, picks, best, best_rec);
	} else if (best == NULL) {
		static const CclmFitReasonKind order[] = {
		    CCLM_FIT_REASON_KIND_NOT_READY,	    CCLM_FIT_REASON_KIND_CORDONED,
		    CCLM_FIT_REASON_KIND_TAINT,		    CCLM_FIT_REASON_KIND_KUBEVIRT_SCHEDULABLE,
		    CCLM_FIT_REASON_KIND_NODE_SELECTOR,	    CCLM_FIT_REASON_KIND_NODE_AFFINITY,
		    CCLM_FIT_REASON_KIND_CPU_MODEL,	    CCLM_FIT_REASON_KIND_CPU_FEATURE,
		    CCLM_FIT_REASON_KIND_DEDICATED_CPU,	    CCLM_FIT_REASON_KIND_STORAGE,
		};
		guint n_nodes = g_hash_table_size(node_table);

		if (self->nodes->len == 0)
			cclm_fit_verdict_add_reason(verdict, cclm_fit_reason_new(CCLM_FIT_REASON_KIND_PODS, NULL, 0, 0, NULL,
										 "pods: cluster \"%s\" has no nodes", cluster));
		for (guint k = 0; k < G_N_ELEMENTS(order); k++) {
			if (tally[order[k]].count > 0)
				cclm_fit_verdict_add_reason(verdict,
							    cclm_capacity_filter_reason(order[k], &tally[order[k]], n_nodes));
		}
		for (guint i = 0; i < 4 + MIN(d->requests.n_scalars, MAX_SCALAR_BITS); i++) {
			const gchar *res = i < 4 ? fixed_resources[i] : d->requests.scalars[i - 4].name;

			if (short_res & (G_GUINT64_CONSTANT(1) << i))
				cclm_fit_verdict_add_reason(
				    verdict, cclm_capacity_resource_reason(self, d, res, eligible, n_eligible));
		}
	}
	for (guint k = 0; k < N_KINDS; k++)
		g_free(tally[k].detail);
	return verdict;
}

static const CclmVmRecord *
cclm_capacity_lookup_vm(CclmInventory *source, const gchar *vm, GError **error)
{
	const CclmVmRecord *rec;

	if (vm == NULL || strchr(vm, '/') == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "\"%s\" is not NAMESPACE/NAME", vm ? vm : "");
		return NULL;
	}
	rec = g_hash_table_lookup(cclm_inventory_get_table(source, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE), vm);
	if (rec == NULL)
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND,
			    "cluster \"%s\": VirtualMachine \"%s\" not found",
			    cclm_inventory_get_cluster_name(source), vm);
	return rec;
}

/**
 * cclm_capacity_fit:
 * @self: the target cluster's #CclmCapacity
 * @source: the inventory of the cluster the VM runs on (or is defined on)
 * @vm: the VM as `namespace/name`
 * @storage_map: (nullable) (array zero-terminated=1): `SOURCECLASS=TARGETCLASS` entries; disks
 *   keep their StorageClass name otherwise
 * @error: return location for a #GError
 *
 * Judges whether @vm fits the target: the virt-launcher pod KubeVirt would create for it
 * (sized from its running VMI's spec, else from the VM's template), with the target's KubeVirt
 * configuration (a stopped VM as if started), must pass
 * kube-scheduler's filters on at least one node, the namespace's quotas and the storage
 * checks. When it fits, the placement consumes the snapshot's capacity, so that calling this
 * for each VM of a batch judges the batch together.
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set (%CCLM_ERROR_NOT_FOUND: no
 *   such VM in @source; %CCLM_ERROR_INVALID_ARGUMENT: a bad name or map entry;
 *   %CCLM_ERROR_INVALID: the VM has no memory size; %CCLM_ERROR_UNSUPPORTED: a stopped VM sized
 *   by an instancetype)
 *
 * Since: 0.1
 */
CclmFitVerdict *
cclm_capacity_fit(CclmCapacity *self,
		  CclmInventory *source,
		  const gchar *vm,
		  const gchar *const *storage_map,
		  GError **error)
{
	const CclmVmRecord *rec;
	g_autoptr(CclmDemand) demand = NULL;

	g_return_val_if_fail(CCLM_IS_CAPACITY(self), NULL);
	g_return_val_if_fail(CCLM_IS_INVENTORY(source), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	rec = cclm_capacity_lookup_vm(source, vm, error);
	if (rec == NULL)
		return NULL;
	demand = cclm_demand_new(source, rec, self->inventory, storage_map, error);
	if (demand == NULL)
		return NULL;
	return cclm_capacity_fit_demand(self, demand);
}

/* Ranking */

static gint
cclm_candidate_compare(gconstpointer a, gconstpointer b)
{
	CclmCandidate *x = *(CclmCandidate **)a, *y = *(CclmCandidate **)b;

	if (cclm_candidate_get_fits(x) != cclm_candidate_get_fits(y))
		return cclm_candidate_get_fits(x) ? -1 : 1;
	if (cclm_candidate_get_score(x) != cclm_candidate_get_score(y))
		return cclm_candidate_get_score(y) - cclm_candidate_get_score(x);
	return strcmp(cclm_candidate_get_cluster(x), cclm_candidate_get_cluster(y));
}

static CclmCandidate *
cclm_capacity_rank(CclmCapacity *cap, GPtrArray *verdicts)
{
	gint64 cpu_free = cclm_capacity_sum_free(cap, "cpu", TRUE, FALSE);
	gint64 cpu_all = cclm_capacity_sum_free(cap, "cpu", TRUE, TRUE);
	gint64 mem_free = cclm_capacity_sum_free(cap, "memory", TRUE, FALSE);
	gint64 mem_all = cclm_capacity_sum_free(cap, "memory", TRUE, TRUE);
	gdouble cpu_share = cpu_all > 0 ? (gdouble)cpu_free / cpu_all : 0;
	gdouble mem_share = mem_all > 0 ? (gdouble)mem_free / mem_all : 0;
	gint score = (gint)lround(50.0 * cpu_share + 50.0 * mem_share);
	g_autofree gchar *cf = cclm_quantity_format_millicores(cpu_free);
	g_autofree gchar *ca = cclm_quantity_format_millicores(cpu_all);
	g_autofree gchar *mf = cclm_quantity_format_bytes(mem_free);
	g_autofree gchar *ma = cclm_quantity_format_bytes(mem_all);
	g_autoptr(GString) text = g_string_new(NULL);
	guint n_fit = 0;
	CclmFitReason *first = NULL;
	CclmFitVerdict *first_vm = NULL;

	for (guint i = 0; i < verdicts->len; i++) {
		GPtrArray *reasons = cclm_fit_verdict_get_reasons(verdicts->pdata[i]);

		if (reasons->len == 0) {
			n_fit++;
		} else if (first == NULL) {
			first = reasons->pdata[0];
			first_vm = verdicts->pdata[i];
		}
	}
	if (n_fit == verdicts->len)
		g_string_append_printf(text, "fits %s%u VM%s", verdicts->len > 1 ? "all " : "", verdicts->len,
				       verdicts->len == 1 ? "" : "s");
	else
		g_string_append_printf(text, "does not fit: %u of %u VM%s fit; %s: %s", n_fit, verdicts->len,
				       verdicts->len == 1 ? "" : "s",
				       cclm_fit_verdict_get_vm(first_vm),
				       cclm_fit_reason_get_message(first));
	g_string_append_printf(text,
			       "; after placement %d%% of CPU (%s of %s) and %d%% of memory (%s of %s) stay free on "
			       "its Ready, uncordoned nodes; score %d = mean of the two shares",
			       (gint)lround(cpu_share * 100), cf, ca, (gint)lround(mem_share * 100), mf, ma, score);
	return cclm_candidate_new(cclm_capacity_get_cluster_name(cap), n_fit == verdicts->len, score, text->str,
				  verdicts);
}

/**
 * cclm_capacity_suggest:
 * @source: the inventory of the cluster the VMs are on
 * @targets: (array length=n_targets): inventories of the candidate clusters; @source, if
 *   listed, is skipped
 * @n_targets: the length of @targets
 * @vms: (array zero-terminated=1): the VMs as `namespace/name`, judged together as a batch
 * @storage_map: (nullable) (array zero-terminated=1): `SOURCECLASS=TARGETCLASS` entries
 * @error: return location for a #GError
 *
 * Ranks the candidate clusters for the VMs: clusters where the whole batch fits first, by
 * headroom score (the free CPU and memory shares left after placement, see
 * [method@Candidate.get_score]), ties by name; then the others, also by score. Each candidate
 * explains its rank in words.
 *
 * Returns: (transfer container) (element-type CclmCandidate): the candidates, best first, or
 *   %NULL with @error set (a VM not found in @source, a bad argument)
 *
 * Since: 0.1
 */
GPtrArray *
cclm_capacity_suggest(CclmInventory *source,
		      CclmInventory **targets,
		      guint n_targets,
		      const gchar *const *vms,
		      const gchar *const *storage_map,
		      GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_object_unref);

	g_return_val_if_fail(CCLM_IS_INVENTORY(source), NULL);
	g_return_val_if_fail(vms != NULL, NULL);

	for (guint t = 0; t < n_targets; t++) {
		g_autoptr(CclmCapacity) cap = NULL;
		g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func(g_object_unref);

		if (targets[t] == source ||
		    g_strcmp0(cclm_inventory_get_cluster_name(targets[t]), cclm_inventory_get_cluster_name(source)) == 0)
			continue;
		cap = cclm_capacity_new(targets[t]);
		for (guint i = 0; vms[i] != NULL; i++) {
			CclmFitVerdict *v = cclm_capacity_fit(cap, source, vms[i], storage_map, error);

			if (v == NULL)
				return NULL;
			g_ptr_array_add(verdicts, v);
		}
		if (verdicts->len == 0) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT, "no VM to place");
			return NULL;
		}
		g_ptr_array_add(out, cclm_capacity_rank(cap, verdicts));
	}
	g_ptr_array_sort(out, cclm_candidate_compare);
	return g_steal_pointer(&out);
}

/* Serialization */

static void
cclm_json_add_node(JsonBuilder *b, CclmCapacity *self, const CclmNodeState *n, const CclmNodeRecord *rec)
{
	CclmResources requested = {0};

	cclm_resources_copy(&requested, &n->allocatable);
	cclm_resources_add(&requested, &n->free, -1);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, n->name);
	json_builder_set_member_name(b, "ready");
	if (rec->ready < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_boolean_value(b, rec->ready == 1);
	json_builder_set_member_name(b, "cordoned");
	json_builder_add_boolean_value(b, rec->unschedulable);
	json_builder_set_member_name(b, "kubevirtSchedulable");
	{
		const gchar *v = NULL;

		json_builder_add_boolean_value(
		    b, cclm_labels_lookup(rec->labels, rec->n_labels, cclm_str_lookup("kubevirt.io/schedulable"), &v) &&
			   g_strcmp0(v, "true") == 0);
	}
	json_builder_set_member_name(b, "pressure");
	json_builder_begin_array(b);
	if (rec->memory_pressure)
		json_builder_add_string_value(b, "MemoryPressure");
	if (rec->disk_pressure)
		json_builder_add_string_value(b, "DiskPressure");
	if (rec->pid_pressure)
		json_builder_add_string_value(b, "PIDPressure");
	json_builder_end_array(b);
	json_builder_set_member_name(b, "taints");
	json_builder_begin_array(b);
	for (guint i = 0; i < rec->n_taints; i++) {
		g_autofree gchar *t = g_strdup_printf("%s=%s:%s", rec->taints[i].key,
						      rec->taints[i].value ? rec->taints[i].value : "",
						      rec->taints[i].effect ? rec->taints[i].effect : "");

		json_builder_add_string_value(b, t);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "allocatable");
	json_builder_begin_object(b);
	cclm_json_add_resources(b, &n->allocatable);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "requested");
	json_builder_begin_object(b);
	cclm_json_add_resources(b, &requested);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "free");
	json_builder_begin_object(b);
	cclm_json_add_resources(b, &n->free);
	json_builder_end_object(b);
	json_builder_end_object(b);
	cclm_resources_clear(&requested);
}

/* allowedTopologies as the API writes them: [{"matchLabelExpressions": [{key, values}]}] */
static void
cclm_json_add_topologies(JsonBuilder *b, const GArray *terms)
{
	if (terms == NULL) {
		json_builder_add_null_value(b);
		return;
	}
	json_builder_begin_array(b);
	for (guint i = 0; i < terms->len; i++) {
		const GArray *reqs = g_array_index(terms, CclmSelectorTerm, i).reqs;

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "matchLabelExpressions");
		json_builder_begin_array(b);
		for (guint r = 0; reqs != NULL && r < reqs->len; r++) {
			const CclmRequirement *req = &g_array_index(reqs, CclmRequirement, r);

			json_builder_begin_object(b);
			json_builder_set_member_name(b, "key");
			json_builder_add_string_value(b, req->key ? req->key : "");
			json_builder_set_member_name(b, "values");
			json_builder_begin_array(b);
			for (guint v = 0; v < req->values->len; v++)
				json_builder_add_string_value(b, req->values->pdata[v]);
			json_builder_end_array(b);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

/* The volumes of a no-provisioner class a new claim could bind to; returns their sum */
static gint64
cclm_json_add_static_volumes(JsonBuilder *b, const CclmPvIndex *idx, const gchar *klass)
{
	gint64 total = 0;

	json_builder_begin_array(b);
	for (guint i = 0; i < idx->all->len; i++) {
		const CclmPvRecord *pv = idx->all->pdata[i];

		if (pv->storage_class != klass)
			continue;
		total += pv->capacity;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, pv->name);
		json_builder_set_member_name(b, "capacity");
		json_builder_add_value(b, cclm_json_quantity("storage", pv->capacity));
		json_builder_set_member_name(b, "nodeAffinity");
		json_builder_add_boolean_value(b, pv->affinity != NULL);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return total;
}

static void
cclm_json_add_storage(JsonBuilder *b, CclmCapacity *self)
{
	GHashTable *classes = cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_STORAGE_CLASS);
	g_autoptr(GList) names = g_list_sort(g_hash_table_get_keys(classes), (GCompareFunc)strcmp);
	const CclmPvIndex *pvs = cclm_capacity_free_pvs(self);

	json_builder_begin_array(b);
	for (GList *l = names; l != NULL; l = l->next) {
		const CclmStorageClassRecord *sc = g_hash_table_lookup(classes, l->data);
		/* pooled like a demand's class: capacities name their class by pointer */
		CclmDemandDisk probe = {NULL, cclm_str_intern(sc->rec.key), 0};
		const CclmStorageClassRecord *unused;
		CclmDiskCheck check = cclm_capacity_disk_check(self, &probe, &unused);
		GHashTableIter iter;
		const CclmStorageCapacityRecord *cap;
		gint64 total = 0;

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "storageClass");
		json_builder_add_string_value(b, sc->rec.key);
		json_builder_set_member_name(b, "provisioner");
		json_builder_add_string_value(b, sc->provisioner ? sc->provisioner : "");
		json_builder_set_member_name(b, "default");
		json_builder_add_boolean_value(b, sc->is_default);
		json_builder_set_member_name(b, "volumeBindingMode");
		json_builder_add_string_value(b, sc->wait_for_first_consumer ? "WaitForFirstConsumer" : "Immediate");
		json_builder_set_member_name(b, "capacityTracking");
		json_builder_add_string_value(b, check == CCLM_DISK_UNCHECKED ? "unchecked"
						 : check == CCLM_DISK_STATIC  ? "persistent-volumes"
									      : "published");
		json_builder_set_member_name(b, "allowedTopologies");
		cclm_json_add_topologies(b, sc->allowed_topologies);
		if (check == CCLM_DISK_STATIC) {
			json_builder_set_member_name(b, "persistentVolumes");
			total = cclm_json_add_static_volumes(b, pvs, probe.storage_class);
		}
		json_builder_set_member_name(b, "segments");
		json_builder_begin_array(b);
		g_hash_table_iter_init(&iter,
				       cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY));
		while (check != CCLM_DISK_UNCHECKED && check != CCLM_DISK_STATIC &&
		       g_hash_table_iter_next(&iter, NULL, (gpointer *)&cap)) {
			gint64 room;

			if (cap->storage_class != probe.storage_class)
				continue;
			room = cclm_storage_room(self, cap);
			total += MAX(cap->capacity, 0);
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "name");
			json_builder_add_string_value(b, cap->rec.key);
			json_builder_set_member_name(b, "capacity");
			json_builder_add_value(b, cclm_json_quantity("storage", MAX(cap->capacity, 0)));
			json_builder_set_member_name(b, "largestVolume");
			json_builder_add_value(b, cclm_json_quantity("storage", room));
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_set_member_name(b, "capacity");
		if (check == CCLM_DISK_UNCHECKED)
			json_builder_add_null_value(b);
		else
			json_builder_add_value(b, cclm_json_quantity("storage", total));
		json_builder_end_object(b);
		cclm_str_release(probe.storage_class);
	}
	json_builder_end_array(b);
}

static void
cclm_json_add_quotas(JsonBuilder *b, CclmCapacity *self)
{
	GHashTable *quotas = cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_RESOURCE_QUOTA);
	g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(quotas), (GCompareFunc)strcmp);

	json_builder_begin_array(b);
	for (GList *l = keys; l != NULL; l = l->next) {
		const CclmQuotaRecord *q = g_hash_table_lookup(quotas, l->data);
		g_autoptr(GList) res = g_list_sort(g_hash_table_get_keys(q->hard), (GCompareFunc)strcmp);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "namespace");
		json_builder_add_string_value(b, q->namespace_);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, q->name);
		json_builder_set_member_name(b, "resources");
		json_builder_begin_object(b);
		for (GList *r = res; r != NULL; r = r->next) {
			gint64 hard = *(gint64 *)g_hash_table_lookup(q->hard, r->data);
			gint64 *used = g_hash_table_lookup(q->used, r->data);
			gint64 consumed = *cclm_capacity_consumed(self, q->rec.key, r->data);

			json_builder_set_member_name(b, r->data);
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "hard");
			json_builder_add_value(b, cclm_json_quantity(r->data, hard));
			json_builder_set_member_name(b, "used");
			json_builder_add_value(b, cclm_json_quantity(r->data, (used ? *used : 0) + consumed));
			json_builder_set_member_name(b, "remaining");
			json_builder_add_value(b, cclm_json_quantity(r->data, hard - (used ? *used : 0) - consumed));
			json_builder_end_object(b);
		}
		json_builder_end_object(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

/**
 * cclm_capacity_to_json:
 * @self: a #CclmCapacity
 *
 * Serializes the snapshot as one `clusters` member of the `cclm.capacity/v1` document
 * (docs/capacity-schema.md): totals, per-node allocatable/requested/free with conditions and
 * taints, storage per StorageClass from CSIStorageCapacity (`null` capacity when the driver
 * publishes none), and what each ResourceQuota has left. Quantities are
 * `{"bytes"|"millicores"|"count": N, "human": "..."}`.
 *
 * Returns: (transfer full): a JSON object
 *
 * Since: 0.1
 */
JsonNode *
cclm_capacity_to_json(CclmCapacity *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	GHashTable *node_table;
	static const gchar *totals[] = {"allocatable", "free", "usableFree"};

	g_return_val_if_fail(CCLM_IS_CAPACITY(self), NULL);

	node_table = cclm_inventory_get_table(self->inventory, CCLM_INVENTORY_KIND_NODE);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "cluster");
	json_builder_add_string_value(b, cclm_capacity_get_cluster_name(self));
	json_builder_set_member_name(b, "totals");
	json_builder_begin_object(b);
	for (guint t = 0; t < G_N_ELEMENTS(totals); t++) {
		CclmResources sum = {0};

		for (guint i = 0; i < self->nodes->len; i++) {
			const CclmNodeState *n = &g_array_index(self->nodes, CclmNodeState, i);

			if (t == 2 && !n->usable)
				continue;
			cclm_resources_add(&sum, t == 0 ? &n->allocatable : &n->free, +1);
		}
		json_builder_set_member_name(b, totals[t]);
		json_builder_begin_object(b);
		cclm_json_add_resources(b, &sum);
		json_builder_end_object(b);
		cclm_resources_clear(&sum);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "nodes");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->nodes->len; i++) {
		const CclmNodeState *n = &g_array_index(self->nodes, CclmNodeState, i);
		const CclmNodeRecord *rec = g_hash_table_lookup(node_table, n->name);

		if (rec != NULL)
			cclm_json_add_node(b, self, n, rec);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "storage");
	cclm_json_add_storage(b, self);
	json_builder_set_member_name(b, "quotas");
	cclm_json_add_quotas(b, self);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void
cclm_capacity_finalize(GObject *object)
{
	CclmCapacity *self = CCLM_CAPACITY(object);

	g_clear_object(&self->inventory);
	g_array_unref(self->nodes);
	g_hash_table_unref(self->consumed);
	g_hash_table_unref(self->bound_pvs);
	g_clear_pointer(&self->pv_index, cclm_pv_index_free);
	G_OBJECT_CLASS(cclm_capacity_parent_class)->finalize(object);
}

static void
cclm_capacity_class_init(CclmCapacityClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = cclm_capacity_finalize;
}

static void
cclm_capacity_init(CclmCapacity *self)
{
	self->nodes = g_array_new(FALSE, TRUE, sizeof(CclmNodeState));
	g_array_set_clear_func(self->nodes, cclm_node_state_clear);
	self->consumed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->bound_pvs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}
