/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cclm-error.h"
#include "cclm-fit-private.h"
#include "cclm-strpool-private.h"

/* The virt-launcher pod KubeVirt renders for a VM, as the target cluster's virt-controller would
 * render it. Sources:
 *  - requests: kubevirt/kubevirt@d923fdb815 pkg/virt-controller/services/renderresources.go,
 *    template.go (VMIResourcePredicates, CalculateMemoryOverhead), serialconsolelog.go;
 *  - memory overhead: GetMemoryOverhead in kubevirt/kubevirt@03ede70ad2
 *    pkg/hypervisor/kvm/hypervisorbackend.go (after v1.9: qemu 50Mi), kubevirt/kubevirt@79d34c1762
 *    (same file, v1.5 to v1.9: qemu 30Mi), kubevirt/kubevirt@579bb66545
 *    pkg/virt-controller/services/template.go (v1.0 to v1.4: virtlogd 20Mi, virtqemud 35Mi);
 *    network binding terms from pkg/network/resources/memory.go;
 *  - nodeSelector: pkg/virt-controller/services/nodeselectorrenderer.go; migration target
 *    selectors: pkg/virt-controller/watch/migration/migration.go createTargetPod. */

#define MIB ((gint64)1024 * 1024)

static void
cclm_kubevirt_version(const gchar *version, guint *major, guint *minor)
{
	const gchar *s = version;

	*major = 1;
	*minor = 9; /* unknown: the newest constants this file knows */
	if (s == NULL)
		return;
	if (*s == 'v')
		s++;
	if (sscanf(s, "%u.%u", major, minor) != 2) {
		*major = 1;
		*minor = 9;
	}
}

/* GetMemoryOverhead, with the constants of the target's KubeVirt version, then the network
 * binding terms of CalculateMemoryOverhead */
gint64
cclm_kubevirt_memory_overhead(const CclmVmRecord *vm,
			      const CclmKubevirtConfig *kv,
			      gint64 request_memory,
			      guint vcpus)
{
	guint major, minor;
	gboolean before_1_5, after_1_9, guaranteed;
	gint64 o;

	cclm_kubevirt_version(kv->version, &major, &minor);
	before_1_5 = major == 0 || (major == 1 && minor < 5);
	after_1_9 = major > 1 || (major == 1 && minor > 9);

	/* page tables: one bit per 512 bytes of the request, counted from whole kilobytes
	 * (NewScaledQuantity(ScaledValue(Kilo), Kilo).Value() / 512) */
	o = (request_memory + 999) / 1000 * 1000 / 512;
	o += 25 * MIB;				 /* virt-launcher-monitor */
	o += 100 * MIB;				 /* virt-launcher */
	o += (before_1_5 ? 20 : 25) * MIB;	 /* virtlogd */
	o += (before_1_5 ? 35 : 40) * MIB;	 /* virtqemud */
	o += (after_1_9 ? 50 : 30) * MIB;	 /* qemu */
	o += 8 * MIB * vcpus;			 /* CPU tables */
	o += 8 * MIB;				 /* IOThread */
	if (vm->autoattach_graphics)
		o += 32 * MIB; /* video RAM */
	if (g_strcmp0(vm->architecture, "arm64") == 0)
		o += 128 * MIB; /* UEFI pflash */
	if (vm->host_devices || vm->sriov->len > 0)
		o += 1024 * MIB; /* VFIO (vmitrait.HasVFIO: host devices, GPUs, SR-IOV) */
	if (vm->downward_metrics)
		o += 1 * MIB;
	if (vm->exec_probes > 0)
		o += 100 * MIB + vm->exec_probes * 10 * MIB; /* virt-probe */
	if (vm->sev)
		o += 256 * MIB;
	if (vm->tpm)
		o += 53 * MIB; /* swtpm */
	guaranteed = vm->request_cpu >= 0 && vm->request_cpu == vm->limit_cpu && vm->request_memory >= 0 &&
		     vm->request_memory == vm->limit_memory;
	if (vm->dedicated_cpu || guaranteed)
		o += 100 * MIB;
	if (vm->reserved_overhead > 0)
		o += vm->reserved_overhead;
	/* MultiplyMemory: whole kilobytes x (ratio - 1), truncated, added */
	if (kv->overhead_ratio != 1.0)
		o += (gint64)((gdouble)((o + 999) / 1000) * (kv->overhead_ratio - 1.0)) * 1000;
	/* network bindings: passt, and each distinct binding plugin's declared overhead */
	if (vm->passt)
		o += 250 * MIB;
	for (guint i = 0; i < vm->bindings->len; i++) {
		for (guint j = 0; j < kv->binding_overheads->len; j++) {
			const CclmScalar *b = &g_array_index(kv->binding_overheads, CclmScalar, j);

			if (b->name == vm->bindings->pdata[i] && b->value > 0)
				o += b->value;
		}
	}
	return o;
}

static guint
cclm_vm_vcpus(const CclmVmRecord *vm)
{
	gint64 cpu;

	if (vm->sockets > 0 || vm->cores > 0 || vm->threads > 0)
		return MAX(vm->sockets, 1) * MAX(vm->cores, 1) * MAX(vm->threads, 1);
	/* no topology: the webhook derives cores from the CPU limit, else the request */
	cpu = vm->limit_cpu >= 0 ? vm->limit_cpu : vm->request_cpu;
	return cpu > 0 ? (guint)((cpu + 999) / 1000) : 1;
}

/* @s pooled for as long as @d lives */
static const gchar *
cclm_demand_intern(CclmDemand *d, const gchar *s)
{
	s = cclm_str_intern(s);
	g_ptr_array_add(d->strs, (gpointer)s);
	return s;
}

static void
cclm_demand_require(CclmDemand *d, const gchar *key, const gchar *value, CclmFitReasonKind kind)
{
	CclmDemandLabel l = {cclm_demand_intern(d, key), cclm_demand_intern(d, value), kind};

	g_array_append_val(d->selector, l);
}

/* A running host-model VM migrates only to nodes that can run its source node's host CPU
 * model and its required features (kubevirt.md §4.3). */
static void
cclm_demand_host_model(CclmDemand *d, CclmInventory *source, const CclmVmRecord *vm, const CclmVmiRecord *vmi)
{
	static const struct {
		const gchar *from;
		const gchar *to;
		CclmFitReasonKind kind;
	} map[] = {
	    {"host-model-cpu.node.kubevirt.io/", "cpu-model-migration.node.kubevirt.io/",
	     CCLM_FIT_REASON_KIND_CPU_MODEL},
	    {"host-model-required-features.node.kubevirt.io/", "cpu-feature.node.kubevirt.io/",
	     CCLM_FIT_REASON_KIND_CPU_FEATURE},
	    {"cpu-vendor.node.kubevirt.io/", "cpu-vendor.node.kubevirt.io/",
	     CCLM_FIT_REASON_KIND_CPU_MODEL},
	};
	const CclmNodeRecord *node = NULL;

	if (vmi != NULL && vmi->node != NULL)
		node = g_hash_table_lookup(cclm_inventory_get_table(source, CCLM_INVENTORY_KIND_NODE),
					   vmi->node);
	if (node == NULL) {
		g_ptr_array_add(d->warnings,
				cclm_fit_reason_new(CCLM_FIT_REASON_KIND_CPU_MODEL, NULL, 0, 0, NULL,
						    "cpu-model: the source node of VM \"%s\" is not "
						    "known, so its host-model CPU labels were not "
						    "checked",
						    vm->rec.key));
		return;
	}
	for (guint i = 0; i < node->n_labels; i++) {
		for (guint m = 0; m < G_N_ELEMENTS(map); m++) {
			g_autofree gchar *key = NULL;

			if (!g_str_has_prefix(node->labels[i].key, map[m].from) ||
			    g_strcmp0(node->labels[i].value, "true") != 0)
				continue;
			key = g_strconcat(map[m].to, node->labels[i].key + strlen(map[m].from), NULL);
			cclm_demand_require(d, key, "true", map[m].kind);
		}
	}
}

/* The DefaultTolerationSeconds admission plugin gives every pod NoExecute tolerations of the
 * not-ready and unreachable taints (300 s) unless it has its own: only their NoSchedule twins,
 * which the node lifecycle controller sets too, keep the pod off such nodes. */
static void
cclm_demand_default_tolerations(GArray *tolerations)
{
	static const gchar *keys[] = {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"};

	for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
		/* compared by content (cclm_tolerates), so static strings do */
		CclmToleration t = {keys[k], "Exists", NULL, "NoExecute"};
		gboolean has = FALSE;

		for (guint i = 0; i < tolerations->len && !has; i++) {
			const CclmToleration *o = &g_array_index(tolerations, CclmToleration, i);

			has = g_strcmp0(o->key, keys[k]) == 0 &&
			      (o->effect == NULL || g_strcmp0(o->effect, "NoExecute") == 0);
		}
		if (!has)
			g_array_append_val(tolerations, t);
	}
}

static const gchar *
cclm_default_storage_class(CclmDemand *d, CclmInventory *inventory)
{
	GHashTableIter iter;
	CclmStorageClassRecord *sc;

	g_hash_table_iter_init(&iter, cclm_inventory_get_table(inventory, CCLM_INVENTORY_KIND_STORAGE_CLASS));
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&sc)) {
		if (sc->is_default)
			return cclm_demand_intern(d, sc->rec.key);
	}
	return NULL;
}

static const gchar *
cclm_storage_map_lookup(CclmDemand *d, const gchar *const *storage_map, const gchar *klass)
{
	gsize n = klass != NULL ? strlen(klass) : 0;

	for (guint i = 0; klass != NULL && storage_map != NULL && storage_map[i] != NULL; i++) {
		if (strncmp(storage_map[i], klass, n) == 0 && storage_map[i][n] == '=')
			return cclm_demand_intern(d, storage_map[i] + n + 1);
	}
	return klass;
}

static gboolean
cclm_demand_disks(CclmDemand *d,
		  CclmInventory *source,
		  const CclmVmRecord *vm,
		  const CclmVmRecord *spec,
		  CclmInventory *target,
		  const gchar *const *storage_map,
		  GError **error)
{
	GHashTable *pvcs = cclm_inventory_get_table(source, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME_CLAIM);

	for (guint i = 0; storage_map != NULL && storage_map[i] != NULL; i++) {
		const gchar *eq = strchr(storage_map[i], '=');

		if (eq == NULL || eq == storage_map[i] || eq[1] == '\0') {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "storage map \"%s\": expected SOURCECLASS=TARGETCLASS",
				    storage_map[i]);
			return FALSE;
		}
	}
	for (guint i = 0; i < spec->volumes->len; i++) {
		const CclmVolumeRef *v = &g_array_index(spec->volumes, CclmVolumeRef, i);
		const CclmDataVolumeTemplate *dvt = NULL;
		g_autofree gchar *key = NULL;
		const CclmPvcRecord *pvc;
		CclmDemandDisk disk = {v->name, NULL, -1};
		const gchar *klass = NULL;

		if (v->claim == NULL)
			continue;
		for (guint j = 0; j < vm->data_volume_templates->len; j++) {
			const CclmDataVolumeTemplate *t =
			    &g_array_index(vm->data_volume_templates, CclmDataVolumeTemplate, j);

			if (t->name == v->claim)
				dvt = t;
		}
		key = g_strconcat(vm->namespace_, "/", v->claim, NULL);
		pvc = g_hash_table_lookup(pvcs, key);
		if (pvc != NULL) {
			klass = pvc->storage_class;
			disk.size = MAX(pvc->request, pvc->capacity);
		} else if (dvt != NULL) {
			klass = dvt->storage_class;
			disk.size = dvt->size;
		}
		if (disk.size < 0) {
			g_ptr_array_add(d->warnings,
					cclm_fit_reason_new(CCLM_FIT_REASON_KIND_STORAGE, NULL, 0, 0,
							    NULL,
							    "storage: disk \"%s\": claim \"%s\" was "
							    "not found on the source; its size is "
							    "not counted",
							    v->name, v->claim));
			continue;
		}
		if (klass == NULL)
			klass = cclm_default_storage_class(d, source);
		klass = cclm_storage_map_lookup(d, storage_map, klass);
		/* no class on either side: the target's default class provisions it */
		disk.storage_class = klass != NULL ? klass : cclm_default_storage_class(d, target);
		g_array_append_val(d->disks, disk);
	}
	return TRUE;
}

/* One VF per SR-IOV interface, of the device plugin resource the target's
 * NetworkAttachmentDefinition names (k8s.v1.cni.cncf.io/resourceName) */
static void
cclm_demand_sriov(CclmDemand *d, const CclmVmRecord *vm, CclmInventory *target)
{
	GHashTable *nads = cclm_inventory_get_table(target, CCLM_INVENTORY_KIND_NETWORK_ATTACHMENT_DEFINITION);

	for (guint i = 0; i < vm->sriov->len; i++) {
		const gchar *network = NULL;
		const CclmNetworkRecord *nad;
		g_autofree gchar *key = NULL;

		cclm_labels_lookup((const CclmLabel *)vm->networks->data, vm->networks->len,
				   vm->sriov->pdata[i], &network);
		if (network != NULL)
			key = strchr(network, '/') != NULL ? g_strdup(network)
							   : g_strconcat(d->namespace_, "/", network, NULL);
		nad = key != NULL ? g_hash_table_lookup(nads, key) : NULL;
		if (nad == NULL || nad->resource == NULL) {
			g_ptr_array_add(d->warnings,
					cclm_fit_reason_new(CCLM_FIT_REASON_KIND_EXTENDED_RESOURCE, NULL, 0, 0, NULL,
							    "extended-resource: SR-IOV interface \"%s\": "
							    "NetworkAttachmentDefinition \"%s\" %s on the target, so "
							    "its VF was not counted",
							    (const gchar *)vm->sriov->pdata[i], key ? key : "(none)",
							    nad == NULL ? "does not exist" : "names no resource"));
			continue;
		}
		cclm_resources_set(&d->requests, nad->resource, cclm_resources_get(&d->requests, nad->resource) + 1);
	}
}

void
cclm_demand_free(CclmDemand *d)
{
	g_free(d->vm);
	cclm_resources_clear(&d->requests);
	g_array_unref(d->selector);
	g_array_unref(d->tolerations);
	g_array_unref(d->disks);
	g_ptr_array_unref(d->warnings);
	g_ptr_array_unref(d->strs);
	g_free(d);
}

/*
 * cclm_demand_new:
 * What @vm (from @source) would ask of @target: a running VM as a migration target pod, a
 * stopped one as the pod its start would create. @affinity stays borrowed from @vm.
 */
CclmDemand *
cclm_demand_new(CclmInventory *source,
		const CclmVmRecord *vm_rec,
		CclmInventory *target,
		const gchar *const *storage_map,
		GError **error)
{
	const CclmKubevirtConfig *kv = cclm_inventory_get_kubevirt_config(target);
	g_autoptr(CclmDemand) d = g_new0(CclmDemand, 1);
	const CclmVmiRecord *vmi = g_hash_table_lookup(
	    cclm_inventory_get_table(source, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE), vm_rec->rec.key);
	/* a running VM is sized from its VMI (instancetypes and defaults expanded), when the VMI
	 * came with its spec */
	const CclmVmRecord *vm = vmi != NULL && vmi->running &&
					 (vmi->spec.guest_memory >= 0 || vmi->spec.request_memory >= 0 ||
					  vmi->spec.limit_memory >= 0)
				     ? &vmi->spec
				     : vm_rec;
	gint64 guest, request_memory;
	CclmResources *r = &d->requests;

	d->vm = g_strdup(vm_rec->rec.key);
	d->namespace_ = vm_rec->namespace_;
	/* without a VMI list, the run strategy says */
	d->running = vmi != NULL ? vmi->running : vm_rec->running;
	d->dedicated = vm->dedicated_cpu;
	d->selector = g_array_new(FALSE, FALSE, sizeof(CclmDemandLabel));
	d->tolerations = g_array_copy(vm->tolerations);
	cclm_demand_default_tolerations(d->tolerations);
	d->affinity = vm->affinity;
	d->disks = g_array_new(FALSE, FALSE, sizeof(CclmDemandDisk));
	d->warnings = g_ptr_array_new_with_free_func(g_object_unref);
	d->strs = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_str_release);

	guest = vm->guest_memory >= 0 ? vm->guest_memory
		: vm->request_memory >= 0 ? vm->request_memory
					  : vm->limit_memory;
	if (guest <= 0 && vm_rec->instancetype != NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_UNSUPPORTED,
			    "VirtualMachine \"%s\": spec.instancetype \"%s\": the size of a stopped VM "
			    "with an instancetype is not known before it starts",
			    vm_rec->rec.key, vm_rec->instancetype);
		return NULL;
	}
	if (guest <= 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID,
			    "VirtualMachine \"%s\": spec.template.spec.domain: no memory size "
			    "(memory.guest or resources.requests.memory)",
			    vm_rec->rec.key);
		return NULL;
	}
	request_memory = vm->request_memory >= 0 ? vm->request_memory
			 : vm->limit_memory >= 0 ? vm->limit_memory
						 : guest * 100 / kv->memory_overcommit;
	d->vcpus = cclm_vm_vcpus(vm);
	d->overhead = cclm_kubevirt_memory_overhead(vm, kv, request_memory, d->vcpus);

	/* compute container */
	if (vm->hugepages != NULL) {
		g_autofree gchar *name = g_strconcat("hugepages-", vm->hugepages, NULL);

		cclm_resources_set(r, name, MIN(request_memory, guest));
		r->memory = d->overhead + MAX(request_memory - guest, 0);
	} else {
		r->memory = request_memory + (vm->overcommit_guest_overhead ? 0 : d->overhead);
	}
	if (vm->dedicated_cpu)
		r->cpu = (gint64)(d->vcpus + (vm->isolate_emulator_thread ? 1 : 0)) * 1000;
	else if (vm->request_cpu >= 0)
		r->cpu = vm->request_cpu;
	else if (vm->limit_cpu >= 0)
		r->cpu = vm->limit_cpu;
	else
		r->cpu = (gint64)ceil((gdouble)d->vcpus * 1000.0 / kv->cpu_allocation_ratio);
	r->ephemeral = 50 * 1000 * 1000;
	/* device limits become requests (SetDefaults_Pod) */
	cclm_resources_set(r, "devices.kubevirt.io/kvm", 1);
	cclm_resources_set(r, "devices.kubevirt.io/tun", 1);
	cclm_resources_set(r, "devices.kubevirt.io/vhost-net", 1);
	for (guint i = 0; i < vm->devices->len; i++)
		cclm_resources_set(r, vm->devices->pdata[i],
				   cclm_resources_get(r, vm->devices->pdata[i]) + 1);
	cclm_demand_sriov(d, vm, target);
	/* limits, charged only by limits.* quotas: dedicated pods are Guaranteed; otherwise
	 * KubeVirt sets cpu = vCPUs and memory = 2 x request when such a quota exists */
	d->limit_cpu = vm->dedicated_cpu ? r->cpu
		       : vm->limit_cpu >= 0 ? vm->limit_cpu
					    : (gint64)d->vcpus * 1000;
	d->limit_memory = vm->dedicated_cpu ? r->memory
			  : vm->limit_memory >= 0 ? vm->limit_memory + d->overhead
						  : r->memory * 2;
	d->compute_cpu = r->cpu;
	d->compute_memory = r->memory;
	d->compute_limit_cpu = vm->dedicated_cpu ? r->cpu : vm->limit_cpu;
	d->compute_limit_memory = vm->dedicated_cpu ? r->memory
				  : vm->limit_memory >= 0 ? vm->limit_memory + d->overhead
							  : -1;
	/* guest-console-log container (serialconsolelog.go), on by default */
	r->cpu += 5;
	r->memory += 35 * 1000 * 1000;
	d->limit_cpu += 15;
	d->limit_memory += 60 * 1000 * 1000;
	r->pods = 1;

	/* nodeSelector */
	cclm_demand_require(d, "kubevirt.io/schedulable", "true",
			    CCLM_FIT_REASON_KIND_KUBEVIRT_SCHEDULABLE);
	if (vm->architecture != NULL)
		cclm_demand_require(d, "kubernetes.io/arch", vm->architecture, CCLM_FIT_REASON_KIND_NODE_SELECTOR);
	for (guint i = 0; i < kv->node_selectors->len; i++) {
		const CclmLabel *l = &g_array_index(kv->node_selectors, CclmLabel, i);

		cclm_demand_require(d, l->key, l->value, CCLM_FIT_REASON_KIND_NODE_SELECTOR);
	}
	for (guint i = 0; i < vm->node_selector->len; i++) {
		const CclmLabel *l = &g_array_index(vm->node_selector, CclmLabel, i);

		cclm_demand_require(d, l->key, l->value, CCLM_FIT_REASON_KIND_NODE_SELECTOR);
	}
	if (vm->dedicated_cpu)
		cclm_demand_require(d, "kubevirt.io/cpumanager", "true",
				    CCLM_FIT_REASON_KIND_DEDICATED_CPU);
	if (vm->cpu_model != NULL && g_strcmp0(vm->cpu_model, "host-passthrough") != 0) {
		g_autofree gchar *key = g_strconcat("cpu-model.node.kubevirt.io/", vm->cpu_model, NULL);

		cclm_demand_require(d, key, "true", CCLM_FIT_REASON_KIND_CPU_MODEL);
	}
	for (guint i = 0; i < vm->cpu_features->len; i++) {
		g_autofree gchar *key =
		    g_strconcat("cpu-feature.node.kubevirt.io/", (gchar *)vm->cpu_features->pdata[i], NULL);

		cclm_demand_require(d, key, "true", CCLM_FIT_REASON_KIND_CPU_FEATURE);
	}
	if (d->running && vm->cpu_model == NULL)
		cclm_demand_host_model(d, source, vm_rec, vmi);

	if (!cclm_demand_disks(d, source, vm_rec, vm, target, storage_map, error))
		return NULL;
	return g_steal_pointer(&d);
}
