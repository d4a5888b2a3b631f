/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "cclm-inventory.h"
#include "cclm-json-stream-private.h"
#include "cclm-watch.h"
#include "cclm-resources-private.h"

G_BEGIN_DECLS

/* The kinds an inventory keeps; cclm_inventory_kind_get_list_path() gives what to LIST and
 * WATCH for each. */
typedef enum {
	CCLM_INVENTORY_KIND_NODE,
	CCLM_INVENTORY_KIND_POD,
	CCLM_INVENTORY_KIND_NAMESPACE,
	CCLM_INVENTORY_KIND_PERSISTENT_VOLUME_CLAIM,
	CCLM_INVENTORY_KIND_STORAGE_CLASS,
	CCLM_INVENTORY_KIND_CSI_DRIVER,
	CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY,
	CCLM_INVENTORY_KIND_RESOURCE_QUOTA,
	CCLM_INVENTORY_KIND_LIMIT_RANGE,
	CCLM_INVENTORY_KIND_VIRTUAL_MACHINE,
	CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE,
	CCLM_INVENTORY_KIND_KUBEVIRT,
	CCLM_INVENTORY_KIND_NETWORK_ATTACHMENT_DEFINITION,
	CCLM_INVENTORY_KIND_PERSISTENT_VOLUME,
	CCLM_INVENTORY_N_KINDS,
} CclmInventoryKind;

const gchar *
cclm_inventory_kind_get_list_path(CclmInventoryKind kind);
const gchar *
cclm_inventory_kind_get_name(CclmInventoryKind kind);
gboolean
cclm_inventory_kind_from_name(const gchar *name, CclmInventoryKind *out_kind);

/* Every record starts with this: its table key ("name" or "namespace/name") and the relist
 * generation it was last seen in. */
typedef struct {
	gchar *key;
	guint32 gen;
	const gchar **strs; /* NULL-terminated: the pooled strings (cclm-strpool-private.h) its
			     * fields point to, one reference each; NULL when none */
} CclmRecord;

typedef struct {
	const gchar *key; /* pooled (cclm-strpool-private.h), as are the strings below */
	const gchar *value;
} CclmLabel;

typedef struct {
	const gchar *key;
	const gchar *value;
	const gchar *effect;
} CclmTaint;

typedef struct {
	const gchar *key;
	const gchar *op; /* "Equal" (also for "") or "Exists" */
	const gchar *value;
	const gchar *effect; /* NULL = every effect */
} CclmToleration;

typedef enum {
	CCLM_SELECTOR_IN,
	CCLM_SELECTOR_NOT_IN,
	CCLM_SELECTOR_EXISTS,
	CCLM_SELECTOR_DOES_NOT_EXIST,
	CCLM_SELECTOR_GT,
	CCLM_SELECTOR_LT,
	CCLM_SELECTOR_INVALID,
} CclmSelectorOp;

typedef struct {
	const gchar *key;
	CclmSelectorOp op;
	gboolean field; /* matchFields on metadata.name */
	GPtrArray *values; /* pooled */
} CclmRequirement;

/* ANDed requirements; a term list is ORed (nodeSelectorTerms) */
typedef struct {
	GArray *reqs; /* CclmRequirement */
} CclmSelectorTerm;

typedef struct {
	CclmRecord rec;
	const gchar *name;
	CclmResources allocatable;
	CclmLabel *labels;
	guint n_labels;
	CclmTaint *taints;
	guint n_taints;
	gboolean unschedulable;
	gint8 ready; /* 1 True, 0 False, -1 Unknown or not reported */
	gboolean memory_pressure;
	gboolean disk_pressure;
	gboolean pid_pressure;
} CclmNodeRecord;

/* The most numerous record: its two pooled strings hold their own references (no rec.strs) */
typedef struct {
	CclmRecord rec;
	const gchar *namespace_;
	const gchar *node; /* NULL while unscheduled */
	gboolean active;   /* not Succeeded/Failed: occupies its node */
	CclmResources requests; /* effective requests (init/sidecar rule, pod level, overhead) */
} CclmPodRecord;

typedef struct {
	CclmRecord rec;
	const gchar *namespace_;
	const gchar *storage_class;
	gint64 request;
	gint64 capacity;
	gboolean bound;
} CclmPvcRecord;

typedef struct {
	CclmRecord rec;
	const gchar *provisioner;
	gboolean wait_for_first_consumer;
	gboolean is_default;
	GArray *allowed_topologies; /* CclmSelectorTerm (In requirements); NULL = anywhere */
} CclmStorageClassRecord;

/* The provisioner of classes whose volumes an admin creates (local volumes): claims of such a
 * class bind to an existing PersistentVolume or stay Pending (volume.NotSupportedProvisioner) */
#define CCLM_NO_PROVISIONER "kubernetes.io/no-provisioner"

/* A PersistentVolume: what binding a new claim to it depends on (component-helpers
 * storage/volume/pv_helpers.go FindMatchingVolume) */
typedef struct {
	CclmRecord rec;
	const gchar *name;
	const gchar *storage_class;
	gint64 capacity;
	gboolean available; /* status.phase Available */
	gboolean taken;	    /* a claimRef (bound or pre-bound) or a deletionTimestamp */
	gboolean block;	    /* spec.volumeMode Block */
	GArray *affinity;   /* CclmSelectorTerm: spec.nodeAffinity.required; NULL = every node */
} CclmPvRecord;

typedef struct {
	CclmRecord rec;
	gboolean storage_capacity;
} CclmCsiDriverRecord;

/* A NetworkAttachmentDefinition: the device plugin resource its pods request (SR-IOV VFs) */
typedef struct {
	CclmRecord rec;
	const gchar *resource; /* k8s.v1.cni.cncf.io/resourceName, NULL when none */
} CclmNetworkRecord;

typedef struct {
	CclmRecord rec;
	const gchar *storage_class;
	gint64 capacity; /* -1 unset */
	gint64 maximum_volume_size; /* -1 unset */
	gboolean has_topology; /* nodeTopology nil = no node */
	CclmSelectorTerm topology;
} CclmStorageCapacityRecord;

typedef struct {
	CclmRecord rec;
	const gchar *namespace_;
	const gchar *name;
	GHashTable *hard; /* resource name (g_intern_string) -> gint64* (cpu-like in millicores) */
	GHashTable *used;
} CclmQuotaRecord;

/* One spec.limits[] entry of a LimitRange (type Container or Pod); cpu in millicores */
typedef struct {
	gboolean pod; /* type: Pod, else Container */
	CclmResources max;
	CclmResources min;
	CclmResources default_limit;
} CclmLimitRangeItem;

typedef struct {
	CclmRecord rec;
	const gchar *namespace_;
	const gchar *name;
	GArray *items; /* CclmLimitRangeItem (PersistentVolumeClaim items are not kept) */
} CclmLimitRangeRecord;

typedef struct {
	const gchar *name; /* volume name */
	const gchar *claim; /* PVC or DataVolume name; NULL for generated disks */
} CclmVolumeRef;

typedef struct {
	const gchar *name;
	const gchar *storage_class; /* NULL: the default class */
	gint64 size;
} CclmDataVolumeTemplate;

typedef struct {
	CclmRecord rec;
	const gchar *namespace_;
	const gchar *name;
	gboolean running;
	const gchar *instancetype; /* spec.instancetype.name: sizes come from it, not the template */
	guint sockets, cores, threads;
	gint64 guest_memory; /* -1 unset, as every request/limit below */
	gint64 request_memory, limit_memory, request_cpu, limit_cpu;
	gboolean dedicated_cpu;
	gboolean isolate_emulator_thread;
	gboolean overcommit_guest_overhead;
	gboolean autoattach_graphics;
	gboolean tpm;
	gboolean sev;
	gboolean host_devices; /* any GPU or host device: VFIO overhead */
	gboolean downward_metrics; /* a downwardMetrics volume */
	gboolean passt;		   /* an interface with passtBinding */
	guint exec_probes;	   /* exec liveness and readiness probes */
	gint64 reserved_overhead;  /* domain.memory.reservedOverhead.addedOverhead, -1 unset */
	const gchar *architecture; /* spec.architecture, NULL = the cluster's default (amd64) */
	GPtrArray *bindings;	   /* distinct interface binding plugin names (pooled) */
	GPtrArray *sriov;	   /* names of the SR-IOV interfaces (pooled) */
	GArray *networks;	   /* CclmLabel: network name -> multus networkName */
	const gchar *hugepages; /* page size, e.g. "1Gi" */
	const gchar *cpu_model; /* NULL = host-model */
	GPtrArray *cpu_features; /* pooled names with policy require or unset */
	GPtrArray *devices;	 /* deviceName (g_intern_string: a resource name) of each GPU and host device */
	GArray *node_selector;	 /* CclmLabel */
	GArray *tolerations;	 /* CclmToleration */
	GArray *affinity;	 /* CclmSelectorTerm; NULL = no required node affinity */
	GArray *volumes;	 /* CclmVolumeRef */
	GArray *data_volume_templates; /* CclmDataVolumeTemplate */
} CclmVmRecord;

/* A VMI carries the expanded spec (instancetypes and defaults applied), read like a VM's
 * template, plus where it runs. */
typedef struct {
	CclmVmRecord spec;
	const gchar *node;
	gboolean running;
} CclmVmiRecord;

/* The KubeVirt CR settings that size and place virt-launcher pods. */
typedef struct {
	gdouble cpu_allocation_ratio; /* developerConfiguration.cpuAllocationRatio, default 10 */
	gint64 memory_overcommit;     /* developerConfiguration.memoryOvercommit %, default 100 */
	gdouble overhead_ratio;	      /* additionalGuestMemoryOverheadRatio, default 1.0 */
	const gchar *version;	      /* status.observedKubeVirtVersion, NULL when unknown */
	GArray *node_selectors;	      /* developerConfiguration.nodeSelectors (CclmLabel) */
	GArray *binding_overheads;    /* CclmScalar: network.binding.<name>...requests.memory */
	gboolean present;
	GPtrArray *strs;	      /* the pooled strings above, one reference each */
} CclmKubevirtConfig;

/* Feeding, for CclmCluster: a List (one page or whole) and single watch objects. */
gboolean
cclm_inventory_load_page(CclmInventory *self,
			 CclmInventoryKind kind,
			 GInputStream *stream,
			 gchar **out_resource_version,
			 gchar **out_continue,
			 GCancellable *cancellable,
			 GError **error);
CclmJsonStream *
cclm_inventory_list_parser_new(CclmInventory *self, CclmInventoryKind kind);
void
cclm_inventory_list_parser_done(CclmInventory *self, CclmInventoryKind kind);
gboolean
cclm_inventory_apply(CclmInventory *self, CclmInventoryKind kind, JsonObject *object, GError **error);
gboolean
cclm_inventory_remove(CclmInventory *self, CclmInventoryKind kind, JsonObject *object);
void
cclm_inventory_begin_relist(CclmInventory *self, CclmInventoryKind kind);
void
cclm_inventory_end_relist(CclmInventory *self, CclmInventoryKind kind);

/* Reading, for capacity/: tables map the record key to the record. */
GHashTable *
cclm_inventory_get_table(CclmInventory *self, CclmInventoryKind kind);
const CclmResources *
cclm_inventory_get_node_requested(CclmInventory *self, const gchar *node);
const CclmKubevirtConfig *
cclm_inventory_get_kubevirt_config(CclmInventory *self);
guint64
cclm_inventory_get_node_serial(CclmInventory *self);
guint64
cclm_inventory_get_serial(CclmInventory *self, CclmInventoryKind kind);
gsize
cclm_inventory_get_pod_bytes(CclmInventory *self);

gboolean
cclm_labels_lookup(const CclmLabel *labels, guint n_labels, const gchar *key, const gchar **value);
gboolean
cclm_selector_term_matches(const CclmSelectorTerm *term,
			   const gchar *name,
			   const CclmLabel *labels,
			   guint n_labels);

G_END_DECLS
