/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * `cclm-sim generate`: writes a fleet of KubeVirt clusters as `kubectl get -o yaml` prints their
 * objects. Same options, same bytes: a private PRNG (splitmix64) seeded per cluster from --seed,
 * timestamps derived from the seed, never from the clock. Objects are built one at a time and
 * streamed to the files, so memory stays flat whatever the fleet size.
 */
#include "config.h"

#include "sim-generate.h"

#include "sim-json-util.h"
#include "sim-launcher.h"
#include "sim-quantity.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define KI ((gint64)1024)
#define MI (KI * 1024)
#define GI (MI * 1024)

/* objects per pod file: keeps each file small enough to load in one read */
#define PODS_PER_FILE 5000

typedef struct {
	guint64 s;
} GenRng;

/* splitmix64 */
static guint64
gen_rng_next(GenRng *r)
{
	guint64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static guint64
gen_rng_below(GenRng *r, guint64 n)
{
	return n == 0 ? 0 : gen_rng_next(r) % n;
}

static gdouble
gen_rng_unit(GenRng *r)
{
	return (gdouble)(gen_rng_next(r) >> 11) / (gdouble)(1ULL << 53);
}

static gint64
gen_rng_range(GenRng *r, gint64 lo, gint64 hi)
{
	return lo + (gint64)gen_rng_below(r, (guint64)(hi - lo + 1));
}

/* Kubernetes' rand.String alphabet (no vowels, no ambiguous characters) */
static void
gen_rng_suffix(GenRng *r, gchar *out, gsize n)
{
	static const gchar alphabet[] = "bcdfghjklmnpqrstvwxz2456789";

	for (gsize i = 0; i < n; i++)
		out[i] = alphabet[gen_rng_below(r, sizeof(alphabet) - 1)];
	out[n] = '\0';
}

/* PREFIX-xxxxx, drawn again while the namespace already has that name: 5 random characters
 * collide within a few thousand pods (a birthday bound), and the API server refuses the
 * duplicate where a real generateName would just be retried. Redrawing keeps the output a
 * function of the seed. */
static gchar *
gen_unique_name(GenRng *r, GHashTable *names, const gchar *ns, const gchar *prefix)
{
	for (;;) {
		gchar sfx[6];
		g_autofree gchar *key = NULL;

		gen_rng_suffix(r, sfx, 5);
		key = g_strdup_printf("%s/%s-%s", ns != NULL ? ns : "", prefix, sfx);
		if (!g_hash_table_contains(names, key)) {
			gchar *name = g_strdup(strchr(key, '/') + 1);
			g_hash_table_add(names, g_steal_pointer(&key));
			return name;
		}
	}
}

static gchar *
gen_rng_uuid(GenRng *r)
{
	guint64 a = gen_rng_next(r), b = gen_rng_next(r);

	return g_strdup_printf("%08x-%04x-4%03x-%04x-%012" G_GINT64_MODIFIER "x", (guint)(a >> 32),
			       (guint)(a >> 16) & 0xffff, (guint)a & 0xfff,
			       (guint)(0x8000 | ((b >> 48) & 0x3fff)),
			       (guint64)(b & 0xffffffffffffULL));
}

static gchar *
gen_rng_hex(GenRng *r, gsize n)
{
	GString *s = g_string_sized_new(n);

	while (s->len < n)
		g_string_append_printf(s, "%016" G_GINT64_MODIFIER "x", gen_rng_next(r));
	g_string_truncate(s, n);
	return g_string_free(s, FALSE);
}

/* Node shapes: memory in GiB of capacity; hugepages-1Gi reserved at boot; GPUs; SR-IOV VFs */
typedef struct {
	const gchar *instance_type;
	gint cpus;
	gint mem_gib;
	gint hugepages_1g;
	gint gpus;
	gint sriov_vfs;
	gboolean cpumanager;
	const gchar *cpu_model;
} GenNodeType;

static const GenNodeType gen_node_types[] = {
    {"m5.8xlarge", 32, 128, 0, 0, 0, FALSE, "Cascadelake-Server"},
    {"m5.12xlarge", 48, 192, 0, 0, 0, FALSE, "Cascadelake-Server"},
    {"m6i.16xlarge", 64, 256, 64, 0, 0, TRUE, "Icelake-Server"},
    {"r6i.8xlarge", 32, 256, 0, 0, 0, FALSE, "Icelake-Server"},
    {"g5.12xlarge", 48, 192, 0, 4, 0, FALSE, "EPYC-Milan"},
    {"bm.sriov-96", 96, 384, 32, 0, 16, TRUE, "Icelake-Server"},
};

typedef struct {
	gchar *name;
	gchar *zone;
	const GenNodeType *type;
	gboolean control_plane, ready, cordoned;
	gint64 alloc_cpu, alloc_mem, alloc_pods, alloc_hp, alloc_gpu, alloc_vf, alloc_eph;
	gint64 used_cpu, used_mem, used_pods, used_hp, used_gpu, used_vf;
	gdouble target; /* memory fill this node aims at */
	gchar *uid;
	gint64 created;
} GenNode;

#define GEN_NO_PROVISIONER "kubernetes.io/no-provisioner"

typedef struct {
	const gchar *name;
	const gchar *provisioner;
	gboolean wffc;
	gboolean publishes_capacity; /* CSIDriver storageCapacity: true + CSIStorageCapacity */
	gboolean node_local;	     /* PVs pinned to one node (topolvm, hostpath) */
	const gchar *volume_mode;
	const gchar *access_mode;
} GenClass;

static const GenClass gen_classes[] = {
    {"ocs-storagecluster-ceph-rbd-virtualization", "openshift-storage.rbd.csi.ceph.com", FALSE,
     FALSE, FALSE, "Block", "ReadWriteMany"},
    {"lvms-vg1", "topolvm.io", TRUE, TRUE, TRUE, "Block", "ReadWriteOnce"},
    {"nfs-csi", "nfs.csi.k8s.io", FALSE, FALSE, FALSE, "Filesystem", "ReadWriteMany"},
    {"hostpath-csi", "kubevirt.io.hostpath-provisioner", TRUE, TRUE, TRUE, "Filesystem",
     "ReadWriteOnce"},
    {"trident-ontap-san", "csi.trident.netapp.io", FALSE, TRUE, FALSE, "Block", "ReadWriteMany"},
    /* volumes an admin made (gen_local_volumes): no provisioner, no CSIDriver */
    {"local-disks", GEN_NO_PROVISIONER, TRUE, FALSE, TRUE, "Filesystem", "ReadWriteOnce"},
    {"local-now", GEN_NO_PROVISIONER, FALSE, FALSE, TRUE, "Filesystem", "ReadWriteOnce"},
};

typedef struct {
	gint64 cpu, mem, lim_cpu, lim_mem, pods, storage, pvcs;
	GHashTable *class_storage; /* class -> gint64* */
	GHashTable *class_pvcs;
} GenUsage;

enum { FILE_CLUSTER, FILE_NODES, FILE_STORAGE, FILE_VMS, FILE_PODS, N_FILES };

typedef struct {
	GenRng rng;
	guint index;
	gchar *name;
	gchar *dir;
	gint64 rv;
	gint64 t0;
	GPtrArray *nodes; /* GenNode */
	FILE *files[N_FILES];
	gboolean started[N_FILES];
	guint pods_in_file, pod_file_no;
	GString *buf;
	SimKubeVirtConfig kv;
	const GenClass *classes[G_N_ELEMENTS(gen_classes)];
	guint n_classes;
	const gchar *vm_class; /* default class of VM disks */
	gboolean zoned;	       /* dynamic classes provision in zones a and b only */
	GPtrArray *app_namespaces;
	GHashTable *usage; /* namespace -> GenUsage */
	GHashTable *names; /* "namespace/name" of every generated object with a random suffix */
	gint64 ip_counter;
	guint64 bytes;
} GenCluster;

typedef struct {
	gint clusters, nodes, pods, vms;
	gint64 seed;
	gchar *out;
} GenOptions;

/* Small builders: the object tree is written key by key, the YAML writer sorts keys. */
static void
gs(JsonObject *o, const gchar *k, const gchar *v)
{
	json_object_set_string_member(o, k, v);
}

static void
gs_take(JsonObject *o, const gchar *k, gchar *v)
{
	json_object_set_string_member(o, k, v);
	g_free(v);
}

static void
gi(JsonObject *o, const gchar *k, gint64 v)
{
	json_object_set_int_member(o, k, v);
}

static void
gb(JsonObject *o, const gchar *k, gboolean v)
{
	json_object_set_boolean_member(o, k, v);
}

static JsonObject *
go(JsonObject *o, const gchar *k)
{
	return sim_json_ensure(o, k, NULL);
}

static JsonArray *
ga(JsonObject *o, const gchar *k)
{
	return sim_json_ensure_array(o, k);
}

static JsonObject *
gao(JsonArray *a)
{
	JsonObject *o = json_object_new();

	json_array_add_object_element(a, o);
	return o;
}

static void
gq(JsonObject *o, const gchar *k, gint64 bytes)
{
	gs_take(o, k, sim_quantity_format_value(bytes, TRUE));
}

static void
gcpu(JsonObject *o, const gchar *k, gint64 milli)
{
	gs_take(o, k, sim_quantity_format_milli(milli));
}

static gchar *
gen_time(gint64 t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	gchar buf[32];

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return g_strdup(buf);
}

static JsonObject *
gen_object(GenCluster *c,
	   const gchar *api_version,
	   const gchar *kind,
	   const gchar *ns,
	   const gchar *name,
	   gint64 created,
	   gchar **uid_out)
{
	JsonObject *o = json_object_new();
	JsonObject *meta = go(o, "metadata");
	gchar *uid = gen_rng_uuid(&c->rng);

	gs(o, "apiVersion", api_version);
	gs(o, "kind", kind);
	gs(meta, "name", name);
	if (ns != NULL)
		gs(meta, "namespace", ns);
	gs_take(meta, "creationTimestamp", gen_time(created));
	gs(meta, "uid", uid);
	if (uid_out != NULL)
		*uid_out = uid;
	else
		g_free(uid);
	return o;
}

/* FieldsV1 of a JSON subtree: maps become f:<key> entries (with "." below the top), lists of
 * named/typed objects k:{...} entries, everything else a leaf. Realistic managedFields noise. */
static JsonObject *
gen_fields(JsonNode *n, gboolean dot)
{
	JsonObject *f = json_object_new();

	if (JSON_NODE_HOLDS_OBJECT(n)) {
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;

		if (dot)
			json_object_set_object_member(f, ".", json_object_new());
		json_object_iter_init(&it, json_node_get_object(n));
		while (json_object_iter_next(&it, &k, &v)) {
			g_autofree gchar *fk = g_strconcat("f:", k, NULL);

			json_object_set_object_member(f, fk, gen_fields(v, TRUE));
		}
	} else if (JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);

		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *e = json_array_get_element(a, i);
			JsonObject *eo = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
			const gchar *keys[] = {"uid", "name", "type"};
			const gchar *key = NULL;

			for (gsize j = 0; eo != NULL && key == NULL && j < G_N_ELEMENTS(keys);
			     j++) {
				if (sim_json_string(eo, keys[j]) != NULL)
					key = keys[j];
			}
			if (key == NULL) {
				json_object_remove_member(f, ".");
				break;
			}
			{
				g_autofree gchar *fk = g_strdup_printf("k:{\"%s\":\"%s\"}", key,
								       sim_json_string(eo, key));

				json_object_set_object_member(f, fk, gen_fields(e, TRUE));
			}
		}
	}
	return f;
}

static void
gen_managed(JsonObject *obj,
	    const gchar *manager,
	    const gchar *operation,
	    gint64 t,
	    const gchar *subresource,
	    const gchar *const *members)
{
	JsonObject *meta = sim_json_object(obj, "metadata");
	JsonArray *mf = ga(meta, "managedFields");
	JsonObject *e = gao(mf);
	JsonObject *fields = json_object_new();

	for (; *members != NULL; members++) {
		g_auto(GStrv) path = g_strsplit(*members, ".", 2);
		JsonObject *src = obj;
		JsonNode *n;
		g_autofree gchar *fk = NULL;
		JsonObject *dst = fields;

		if (path[1] != NULL) {
			g_autofree gchar *outer = g_strconcat("f:", path[0], NULL);

			src = sim_json_object(obj, path[0]);
			dst = sim_json_object(fields, outer);
			if (dst == NULL) {
				dst = json_object_new();
				json_object_set_object_member(fields, outer, dst);
			}
		}
		n = src != NULL ? json_object_get_member(src, path[1] ?: path[0]) : NULL;
		if (n == NULL)
			continue;
		fk = g_strconcat("f:", path[1] ?: path[0], NULL);
		json_object_set_object_member(dst, fk, gen_fields(n, path[1] != NULL));
	}
	gs(e, "apiVersion", sim_json_string(obj, "apiVersion"));
	gs(e, "fieldsType", "FieldsV1");
	json_object_set_object_member(e, "fieldsV1", fields);
	gs(e, "manager", manager);
	gs(e, "operation", operation);
	if (subresource != NULL)
		gs(e, "subresource", subresource);
	gs_take(e, "time", gen_time(t));
}

static gboolean
gen_open(GenCluster *c, guint which, const gchar *file, GError **error)
{
	g_autofree gchar *path = g_build_filename(c->dir, file, NULL);

	if (c->files[which] != NULL && fclose(c->files[which]) != 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	c->files[which] = fopen(path, "w");
	if (c->files[which] == NULL) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	setvbuf(c->files[which], NULL, _IOFBF, 1 << 20);
	c->started[which] = FALSE;
	return TRUE;
}

/* Stamps the resourceVersion and writes the object; consumes it. */
static gboolean
gen_emit(GenCluster *c, guint which, JsonObject *obj, GError **error)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	JsonObject *meta = sim_json_object(obj, "metadata");

	json_object_unref(obj);
	gs_take(meta, "resourceVersion", g_strdup_printf("%" G_GINT64_FORMAT, ++c->rv));
	g_string_truncate(c->buf, 0);
	if (c->started[which])
		g_string_append(c->buf, "---\n");
	c->started[which] = TRUE;
	sim_yaml_append(c->buf, node);
	c->bytes += c->buf->len;
	if (fwrite(c->buf->str, 1, c->buf->len, c->files[which]) != c->buf->len) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s", c->dir,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

static GenUsage *
gen_usage(GenCluster *c, const gchar *ns)
{
	GenUsage *u = g_hash_table_lookup(c->usage, ns);

	if (u == NULL) {
		u = g_new0(GenUsage, 1);
		u->class_storage = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
		u->class_pvcs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
		g_hash_table_insert(c->usage, g_strdup(ns), u);
	}
	return u;
}

static void
gen_usage_free(GenUsage *u)
{
	g_hash_table_unref(u->class_storage);
	g_hash_table_unref(u->class_pvcs);
	g_free(u);
}

static void
gen_counter_add(GHashTable *h, const gchar *key, gint64 v)
{
	gint64 *p = g_hash_table_lookup(h, key);

	if (p == NULL) {
		p = g_new0(gint64, 1);
		g_hash_table_insert(h, (gpointer)key, p);
	}
	*p += v;
}

static gchar *
gen_ip(GenCluster *c)
{
	gint64 n = c->ip_counter++;

	return g_strdup_printf("10.%u.%u.%u", 128 + (guint)((n >> 16) & 0x3f),
			       (guint)((n >> 8) & 0xff), (guint)(n & 0xff));
}

/* ---- cluster-wide objects ---- */

static const gchar *const gen_app_names[] = {
    "frontend",	      "cart",	       "checkout",     "payments",
    "search",	      "catalog",       "redis",	       "postgres",
    "kafka",	      "api-gateway",   "auth",	       "metrics-collector",
    "log-shipper",    "image-resizer", "notification", "billing",
    "recommendation", "inventory",
};

static const gchar *const gen_regions[] = {"east",    "west", "north", "south",
					   "central", "emea", "apac",  "latam"};

static void
gen_labels(JsonObject *meta, ...)
{
	JsonObject *labels = go(meta, "labels");
	va_list ap;
	const gchar *k;

	va_start(ap, meta);
	while ((k = va_arg(ap, const gchar *)) != NULL)
		gs(labels, k, va_arg(ap, const gchar *));
	va_end(ap);
}

static gboolean
gen_namespace(GenCluster *c, const gchar *name, GError **error)
{
	JsonObject *o = gen_object(c, "v1", "Namespace", NULL, name, c->t0, NULL);
	JsonObject *meta = sim_json_object(o, "metadata");
	JsonObject *ann = go(meta, "annotations");
	const gchar *const managed[] = {"metadata.labels", NULL};

	gen_labels(meta, "kubernetes.io/metadata.name", name, NULL);
	if (g_str_has_prefix(name, "openshift-"))
		gs(sim_json_object(meta, "labels"), "openshift.io/cluster-monitoring", "true");
	gs(ann, "openshift.io/sa.scc.mcs", "s0:c26,c15");
	gs(ann, "openshift.io/sa.scc.supplemental-groups", "1000680000/10000");
	gs(ann, "openshift.io/sa.scc.uid-range", "1000680000/10000");
	go(o, "spec");
	ga(sim_json_object(o, "spec"), "finalizers");
	json_array_add_string_element(sim_json_array(sim_json_object(o, "spec"), "finalizers"),
				      "kubernetes");
	gs(go(o, "status"), "phase", "Active");
	gen_managed(o, "kubectl-create", "Update", c->t0, NULL, managed);
	return gen_emit(c, FILE_CLUSTER, o, error);
}

static gboolean
gen_kubevirt(GenCluster *c, GError **error)
{
	JsonObject *kv = gen_object(c, "kubevirt.io/v1", "KubeVirt", "openshift-cnv",
				    "kubevirt-kubevirt-hyperconverged", c->t0 + 600, NULL);
	JsonObject *hco = gen_object(c, "hco.kubevirt.io/v1beta1", "HyperConverged",
				     "openshift-cnv", "kubevirt-hyperconverged", c->t0 + 500, NULL);
	JsonObject *config = go(go(kv, "spec"), "configuration");
	JsonObject *dev = go(config, "developerConfiguration");
	JsonArray *gates = ga(dev, "featureGates");
	JsonObject *mig = go(config, "migrations");
	JsonObject *status = go(kv, "status");
	JsonObject *cond;
	g_autofree gchar *version = g_strdup_printf("v1.%d.0", c->kv.version_minor);
	const gchar *const fgs[] = {"CPUManager",
				    "Snapshot",
				    "HotplugVolumes",
				    "ExpandDisks",
				    "HostDevices",
				    "VMExport",
				    "KubevirtSeccompProfile",
				    "VMPersistentState",
				    "DecentralizedLiveMigration",
				    NULL};
	const gchar *const kv_fields[] = {"metadata.labels", "spec", NULL};
	const gchar *const hco_fields[] = {"metadata.annotations", "spec", NULL};

	gen_labels(sim_json_object(kv, "metadata"), "app", "kubevirt-hyperconverged",
		   "app.kubernetes.io/component", "compute", "app.kubernetes.io/managed-by",
		   "hco-operator", "app.kubernetes.io/part-of", "hyperconverged-cluster",
		   "app.kubernetes.io/version", "4.19.3", NULL);
	for (const gchar *const *g = fgs; *g != NULL; g++) {
		/* half the clusters run decentralized live migration */
		if (strcmp(*g, "DecentralizedLiveMigration") == 0 && c->index % 2 == 1)
			continue;
		json_array_add_string_element(gates, *g);
	}
	if (c->kv.cpu_allocation_ratio != 10)
		gi(dev, "cpuAllocationRatio", (gint64)c->kv.cpu_allocation_ratio);
	if (c->kv.memory_overcommit != 100)
		gi(dev, "memoryOvercommit", c->kv.memory_overcommit);
	gb(mig, "allowAutoConverge", FALSE);
	gb(mig, "allowPostCopy", FALSE);
	gi(mig, "completionTimeoutPerGiB", 150);
	gi(mig, "parallelMigrationsPerCluster", 5);
	gi(mig, "parallelOutboundMigrationsPerNode", 2);
	gi(mig, "progressTimeout", 150);
	gs(go(config, "network"), "defaultNetworkInterface", "masquerade");
	gs(go(kv, "spec"), "imagePullPolicy", "IfNotPresent");
	cond = gao(ga(status, "conditions"));
	gs_take(cond, "lastProbeTime", gen_time(c->t0 + 900));
	gs_take(cond, "lastTransitionTime", gen_time(c->t0 + 900));
	gs(cond, "message", "All components are ready.");
	gs(cond, "reason", "AllComponentsReady");
	gs(cond, "status", "True");
	gs(cond, "type", "Available");
	gs(status, "observedDeploymentConfig", "{}");
	gs(status, "observedKubeVirtRegistry", "quay.io/kubevirt");
	gs(status, "observedKubeVirtVersion", version);
	gs(status, "operatorVersion", version);
	gs(status, "phase", "Deployed");
	gs(status, "targetKubeVirtVersion", version);
	if (c->index % 2 == 0) {
		JsonArray *addrs = ga(status, "synchronizationAddresses");
		g_autofree gchar *addr = g_strdup_printf("10.%u.0.15:9185", 128 + c->index);

		json_array_add_string_element(addrs, addr);
	}
	gen_managed(kv, "hyperconverged-cluster-operator", "Update", c->t0 + 600, NULL, kv_fields);
	if (!gen_emit(c, FILE_CLUSTER, kv, error))
		return FALSE;

	gs(go(sim_json_object(hco, "metadata"), "annotations"), "deployOVS", "false");
	{
		JsonObject *spec = go(hco, "spec");
		JsonObject *fg = go(spec, "featureGates");
		JsonObject *lm = go(spec, "liveMigrationConfig");
		JsonObject *rr = go(spec, "resourceRequirements");
		JsonObject *hs = go(hco, "status");

		gb(fg, "decentralizedLiveMigration", c->index % 2 == 0);
		gb(fg, "enableCommonBootImageImport", TRUE);
		gb(fg, "deployKubeSecondaryDNS", FALSE);
		gb(lm, "allowAutoConverge", FALSE);
		gb(lm, "allowPostCopy", FALSE);
		gi(lm, "completionTimeoutPerGiB", 150);
		gi(lm, "parallelMigrationsPerCluster", 5);
		gi(lm, "parallelOutboundMigrationsPerNode", 2);
		gi(lm, "progressTimeout", 150);
		gi(rr, "vmiCPUAllocationRatio", (gint64)c->kv.cpu_allocation_ratio);
		if (c->kv.memory_overcommit != 100)
			gi(go(spec, "higherWorkloadDensity"), "memoryOvercommitPercentage",
			   c->kv.memory_overcommit);
		cond = gao(ga(hs, "conditions"));
		gs_take(cond, "lastTransitionTime", gen_time(c->t0 + 950));
		gs(cond, "message", "Reconcile completed successfully");
		gi(cond, "observedGeneration", 1);
		gs(cond, "reason", "ReconcileCompleted");
		gs(cond, "status", "True");
		gs(cond, "type", "Available");
		gs(hs, "observedVersion", "4.19.3");
		gen_managed(hco, "kubectl-client-side-apply", "Update", c->t0 + 500, NULL,
			    hco_fields);
	}
	return gen_emit(c, FILE_CLUSTER, hco, error);
}

static gboolean
gen_storage_config(GenCluster *c, GError **error)
{
	const gchar *const sc_fields[] = {"metadata.annotations", "provisioner",       "parameters",
					  "reclaimPolicy",	  "volumeBindingMode", NULL};

	for (guint i = 0; i < c->n_classes; i++) {
		const GenClass *k = c->classes[i];
		gboolean dynamic = strcmp(k->provisioner, GEN_NO_PROVISIONER) != 0;
		JsonObject *drv = dynamic ? gen_object(c, "storage.k8s.io/v1", "CSIDriver", NULL,
						       k->provisioner, c->t0 + 300, NULL)
					  : NULL;
		JsonObject *sc = gen_object(c, "storage.k8s.io/v1", "StorageClass", NULL, k->name,
					    c->t0 + 320, NULL);
		JsonObject *ann = go(sim_json_object(sc, "metadata"), "annotations");
		JsonObject *params = NULL;

		if (drv != NULL) {
			JsonObject *spec = go(drv, "spec");

			gb(spec, "attachRequired", !k->node_local);
			gs(spec, "fsGroupPolicy", "File");
			gb(spec, "podInfoOnMount", FALSE);
			gb(spec, "requiresRepublish", FALSE);
			gb(spec, "storageCapacity", k->publishes_capacity);
			json_array_add_string_element(ga(spec, "volumeLifecycleModes"), "Persistent");
			if (!gen_emit(c, FILE_CLUSTER, drv, error))
				return FALSE;
			params = go(sc, "parameters");
		}

		if (strcmp(k->name, c->vm_class) == 0) {
			gs(ann, "storageclass.kubevirt.io/is-default-virt-class", "true");
			gs(ann, "storageclass.kubernetes.io/is-default-class", "true");
		}
		gs(ann, "description", dynamic ? "Provides RWX Filesystem & Block volumes"
					       : "Local disks the administrator prepared on each worker");
		gb(sc, "allowVolumeExpansion", TRUE);
		gs(sc, "provisioner", k->provisioner);
		if (strstr(k->provisioner, "ceph") != NULL) {
			gs(params, "clusterID", "openshift-storage");
			gs(params, "imageFeatures",
			   "layering,deep-flatten,exclusive-lock,object-map,fast-diff");
			gs(params, "pool", "ocs-storagecluster-cephblockpool");
			gs(params, "csi.storage.k8s.io/fstype", "ext4");
		} else if (strcmp(k->provisioner, "topolvm.io") == 0) {
			gs(params, "csi.storage.k8s.io/fstype", "xfs");
			gs(params, "topolvm.io/device-class", "vg1");
		} else if (strstr(k->provisioner, "nfs") != NULL) {
			gs(params, "server", "nfs.storage.example.internal");
			gs(params, "share", "/exports/virt");
		} else if (strstr(k->provisioner, "trident") != NULL) {
			gs(params, "backendType", "ontap-san");
			gs(params, "fsType", "ext4");
		} else if (params != NULL) {
			gs(params, "storagePool", "local");
		}
		gs(sc, "reclaimPolicy", "Delete");
		gs(sc, "volumeBindingMode", k->wffc ? "WaitForFirstConsumer" : "Immediate");
		/* zoned clusters keep new volumes out of zone c; not with published Immediate
		 * capacity, whose segments pin volumes on their own */
		if (c->zoned && dynamic && (k->wffc || !k->publishes_capacity)) {
			JsonObject *e = gao(ga(gao(ga(sc, "allowedTopologies")), "matchLabelExpressions"));
			JsonArray *values = ga(e, "values");
			g_autofree gchar *za = g_strdup_printf("%s-1a", c->name);
			g_autofree gchar *zb = g_strdup_printf("%s-1b", c->name);

			gs(e, "key", "topology.kubernetes.io/zone");
			json_array_add_string_element(values, za);
			json_array_add_string_element(values, zb);
		}
		gen_managed(sc, "kubectl-client-side-apply", "Update", c->t0 + 320, NULL,
			    sc_fields);
		if (!gen_emit(c, FILE_CLUSTER, sc, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
gen_network_config(GenCluster *c, GError **error)
{
	JsonObject *net =
	    gen_object(c, "config.openshift.io/v1", "Network", NULL, "cluster", c->t0, NULL);
	JsonObject *spec = go(net, "spec");
	JsonObject *cn = gao(ga(spec, "clusterNetwork"));
	g_autofree gchar *cidr = g_strdup_printf("10.%u.0.0/14", 128 + 4 * (c->index % 16));

	gs(cn, "cidr", cidr);
	gi(cn, "hostPrefix", 23);
	gs(spec, "networkType", "OVNKubernetes");
	json_array_add_string_element(ga(spec, "serviceNetwork"), "172.30.0.0/16");
	gs(go(net, "status"), "networkType", "OVNKubernetes");
	gi(go(net, "status"), "clusterNetworkMTU", 8901);
	return gen_emit(c, FILE_CLUSTER, net, error);
}

static gboolean
gen_nads(GenCluster *c, const gchar *ns, gboolean sriov, GError **error)
{
	JsonObject *nad = gen_object(c, "k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition", ns,
				     "vlan-100", c->t0 + 2000, NULL);
	g_autofree gchar *cfg =
	    g_strdup_printf("{\"cniVersion\":\"0.3.1\",\"name\":\"vlan-100\",\"type\":\"bridge\","
			    "\"bridge\":\"br-vlan100\",\"vlan\":100,\"macspoofchk\":true,"
			    "\"netAttachDefName\":\"%s/vlan-100\"}",
			    ns);
	const gchar *const fields[] = {"metadata.annotations", "spec", NULL};

	gs(go(sim_json_object(nad, "metadata"), "annotations"), "k8s.v1.cni.cncf.io/resourceName",
	   "bridge.network.kubevirt.io/br-vlan100");
	gs(go(nad, "spec"), "config", cfg);
	gen_managed(nad, "kubectl-create", "Update", c->t0 + 2000, NULL, fields);
	if (!gen_emit(c, FILE_CLUSTER, nad, error))
		return FALSE;
	if (sriov) {
		JsonObject *s = gen_object(c, "k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition",
					   ns, "sriov-net", c->t0 + 2100, NULL);
		g_autofree gchar *scfg = g_strdup_printf(
		    "{\"cniVersion\":\"0.3.1\",\"name\":\"sriov-net\",\"type\":\"sriov\","
		    "\"vlan\":200,\"spoofchk\":\"on\",\"trust\":\"off\",\"vlanQoS\":0,"
		    "\"link_state\":\"enable\",\"ipam\":{}}");

		gs(go(sim_json_object(s, "metadata"), "annotations"),
		   "k8s.v1.cni.cncf.io/resourceName", "openshift.io/sriov_nic");
		gs(go(s, "spec"), "config", scfg);
		gen_managed(s, "sriov-network-operator", "Update", c->t0 + 2100, NULL, fields);
		if (!gen_emit(c, FILE_CLUSTER, s, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
gen_limit_range(GenCluster *c, const gchar *ns, GError **error)
{
	JsonObject *lr =
	    gen_object(c, "v1", "LimitRange", ns, "default-limits", c->t0 + 2200, NULL);
	JsonObject *lim = gao(ga(go(lr, "spec"), "limits"));
	const gchar *const fields[] = {"spec", NULL};

	gs(go(lim, "default"), "cpu", "500m");
	gs(sim_json_object(lim, "default"), "memory", "512Mi");
	gs(go(lim, "defaultRequest"), "cpu", "100m");
	gs(sim_json_object(lim, "defaultRequest"), "memory", "256Mi");
	gs(go(lim, "max"), "memory", "128Gi");
	gs(lim, "type", "Container");
	gen_managed(lr, "kubectl-client-side-apply", "Update", c->t0 + 2200, NULL, fields);
	return gen_emit(c, FILE_CLUSTER, lr, error);
}

/* ---- nodes ---- */

static const gchar *const *
gen_cpu_models(const gchar *host_model)
{
	static const gchar *const intel_icx[] = {"Icelake-Server",
						 "Icelake-Server-noTSX",
						 "Cascadelake-Server",
						 "Cascadelake-Server-noTSX",
						 "Skylake-Server",
						 "Skylake-Server-noTSX-IBRS",
						 "Broadwell-noTSX",
						 "Haswell-noTSX",
						 "IvyBridge",
						 "SandyBridge",
						 "Westmere",
						 "Nehalem",
						 "Penryn",
						 NULL};
	static const gchar *const intel_clx[] = {"Cascadelake-Server",
						 "Cascadelake-Server-noTSX",
						 "Skylake-Server",
						 "Skylake-Server-noTSX-IBRS",
						 "Broadwell-noTSX",
						 "Haswell-noTSX",
						 "IvyBridge",
						 "SandyBridge",
						 "Westmere",
						 "Nehalem",
						 "Penryn",
						 NULL};
	static const gchar *const amd[] = {"EPYC-Milan", "EPYC-Rome",  "EPYC", "EPYC-IBPB",
					   "Opteron_G3", "Opteron_G2", NULL};

	if (g_str_has_prefix(host_model, "Icelake"))
		return intel_icx;
	if (g_str_has_prefix(host_model, "EPYC"))
		return amd;
	return intel_clx;
}

static void
gen_node_labels(GenCluster *c, GenNode *n, JsonObject *labels)
{
	static const gchar *const features[] = {"aes",	"avx",	   "avx2",   "f16c",   "fma",
						"pcid", "pdpe1gb", "popcnt", "sse4.2", "ssse3",
						"vmx",	"x2apic",  "xsave",  NULL};
	const gchar *const *models = gen_cpu_models(n->type->cpu_model);
	gboolean amd = g_str_has_prefix(n->type->cpu_model, "EPYC");
	g_autofree gchar *region = g_strdup_printf("%s-1", c->name);

	gs(labels, "beta.kubernetes.io/arch", "amd64");
	gs(labels, "beta.kubernetes.io/os", "linux");
	gs(labels, "kubernetes.io/arch", "amd64");
	gs(labels, "kubernetes.io/hostname", n->name);
	gs(labels, "kubernetes.io/os", "linux");
	gs(labels, "node.kubernetes.io/instance-type", n->type->instance_type);
	gs(labels, "node.openshift.io/os_id", "rhcos");
	gs(labels, "topology.kubernetes.io/region", region);
	gs(labels, "topology.kubernetes.io/zone", n->zone);
	if (n->control_plane) {
		gs(labels, "node-role.kubernetes.io/control-plane", "");
		gs(labels, "node-role.kubernetes.io/master", "");
		gs(labels, "kubevirt.io/schedulable", "false");
		return;
	}
	gs(labels, "node-role.kubernetes.io/worker", "");
	gs(labels, "kubevirt.io/schedulable", n->ready ? "true" : "false");
	gs(labels, "kubevirt.io/ksm-enabled", "false");
	gs(labels, "kubevirt.io/cpumanager", n->type->cpumanager ? "true" : "false");
	gs(labels, "topology.topolvm.io/node", n->name);
	for (const gchar *const *m = models; *m != NULL; m++) {
		g_autofree gchar *a = g_strdup_printf("cpu-model.node.kubevirt.io/%s", *m);
		g_autofree gchar *b =
		    g_strdup_printf("cpu-model-migration.node.kubevirt.io/%s", *m);

		gs(labels, a, "true");
		gs(labels, b, "true");
	}
	for (const gchar *const *f = features; *f != NULL; f++) {
		g_autofree gchar *a = g_strdup_printf("cpu-feature.node.kubevirt.io/%s", *f);

		if (amd && strcmp(*f, "vmx") == 0)
			continue;
		gs(labels, a, "true");
	}
	if (amd)
		gs(labels, "cpu-feature.node.kubevirt.io/svm", "true");
	{
		g_autofree gchar *hm =
		    g_strdup_printf("host-model-cpu.node.kubevirt.io/%s", n->type->cpu_model);

		gs(labels, hm, "true");
	}
	gs(labels, "host-model-required-features.node.kubevirt.io/hypervisor", "true");
	gs(labels, "host-model-required-features.node.kubevirt.io/invtsc", "true");
	gs(labels, amd ? "cpu-vendor.node.kubevirt.io/AMD" : "cpu-vendor.node.kubevirt.io/Intel",
	   "true");
	gs(labels, "cpu-timer.node.kubevirt.io/tsc-frequency", "2095076000");
	gs(labels, "cpu-timer.node.kubevirt.io/tsc-scalable", "true");
	gs(labels, "scheduling.node.kubevirt.io/tsc-frequency-2095076000", "true");
	gs(labels, "machine-type.node.kubevirt.io/pc-q35-rhel9.4.0", "true");
	gs(labels, "machine-type.node.kubevirt.io/pc-q35-rhel9.6.0", "true");
	gs(labels, "hyperv.node.kubevirt.io/frequencies", "true");
	gs(labels, "hyperv.node.kubevirt.io/ipi", "true");
	gs(labels, "hyperv.node.kubevirt.io/synic", "true");
	gs(labels, "hyperv.node.kubevirt.io/tlbflush", "true");
	if (n->type->gpus > 0) {
		gs(labels, "nvidia.com/gpu.present", "true");
		gs(labels, "nvidia.com/gpu.product", "NVIDIA-A10G");
		gs(labels, "nvidia.com/gpu.count", n->type->gpus == 4 ? "4" : "1");
	}
	if (n->type->sriov_vfs > 0)
		gs(labels, "feature.node.kubernetes.io/network-sriov.capable", "true");
}

static void
gen_condition(JsonArray *conds,
	      const gchar *type,
	      const gchar *status,
	      const gchar *reason,
	      const gchar *message,
	      gint64 probe,
	      gint64 transition)
{
	JsonObject *cond = gao(conds);

	gs_take(cond, "lastHeartbeatTime", gen_time(probe));
	gs_take(cond, "lastTransitionTime", gen_time(transition));
	gs(cond, "message", message);
	gs(cond, "reason", reason);
	gs(cond, "status", status);
	gs(cond, "type", type);
}

static void
gen_taint(JsonArray *taints,
	  const gchar *key,
	  const gchar *value,
	  const gchar *effect,
	  gint64 added)
{
	JsonObject *t = gao(taints);

	gs(t, "effect", effect);
	gs(t, "key", key);
	if (value != NULL)
		gs(t, "value", value);
	if (added > 0)
		gs_take(t, "timeAdded", gen_time(added));
}

static gboolean
gen_node(GenCluster *c, GenNode *n, gint64 now, GError **error)
{
	JsonObject *o = gen_object(c, "v1", "Node", NULL, n->name, n->created, &n->uid);
	JsonObject *meta = sim_json_object(o, "metadata");
	JsonObject *ann = go(meta, "annotations");
	JsonObject *spec = go(o, "spec");
	JsonObject *status = go(o, "status");
	JsonObject *cap = go(status, "capacity");
	JsonObject *alloc = go(status, "allocatable");
	JsonObject *info = go(status, "nodeInfo");
	JsonArray *conds = ga(status, "conditions");
	JsonArray *addrs = ga(status, "addresses");
	JsonArray *taints = NULL;
	JsonObject *a;
	gint64 mem_cap_ki =
	    (gint64)n->type->mem_gib * 1024 * 1024 - gen_rng_range(&c->rng, 300000, 900000);
	gint64 eph_cap_ki = 468700212;
	g_autofree gchar *ip =
	    g_strdup_printf("10.%u.%u.%u", 100 + c->index % 100, (guint)(c->nodes->len / 250) % 256,
			    (guint)gen_rng_range(&c->rng, 2, 254));
	g_autofree gchar *nodeid = g_strdup_printf("{\"topolvm.io\":\"%s\"}", n->name);
	g_autofree gchar *machine = g_strdup_printf("openshift-machine-api/%s", n->name);
	g_autofree gchar *instance = gen_rng_hex(&c->rng, 17);
	g_autofree gchar *provider = g_strdup_printf("aws:///%s/i-%s", n->zone, instance);
	g_autofree gchar *boot = gen_rng_uuid(&c->rng);
	g_autofree gchar *sysuuid = gen_rng_uuid(&c->rng);
	g_autofree gchar *machine_id = gen_rng_hex(&c->rng, 32);
	const gchar *const kubelet_fields[] = {"metadata.annotations", "metadata.labels", NULL};
	const gchar *const status_fields[] = {"status", NULL};

	gs(ann, "csi.volume.kubernetes.io/nodeid", nodeid);
	gs(ann, "machine.openshift.io/machine", machine);
	gs(ann, "machineconfiguration.openshift.io/state", "Done");
	gs(ann, "node.alpha.kubernetes.io/ttl", "0");
	gs(ann, "volumes.kubernetes.io/controller-managed-attach-detach", "true");
	if (!n->control_plane)
		gs_take(ann, "kubevirt.io/heartbeat", gen_time(n->ready ? now - 45 : now - 7200));
	gen_node_labels(c, n, go(meta, "labels"));
	gs(spec, "providerID", provider);

	if (n->control_plane) {
		taints = ga(spec, "taints");
		gen_taint(taints, "node-role.kubernetes.io/master", NULL, "NoSchedule", 0);
	}
	if (n->type->gpus > 0 && !n->control_plane) {
		taints = ga(spec, "taints");
		gen_taint(taints, "nvidia.com/gpu", "present", "NoSchedule", 0);
	}
	if (n->cordoned) {
		taints = ga(spec, "taints");
		gen_taint(taints, "node.kubernetes.io/unschedulable", NULL, "NoSchedule",
			  now - 86400);
		gb(spec, "unschedulable", TRUE);
	}
	if (!n->ready) {
		taints = ga(spec, "taints");
		gen_taint(taints, "node.kubernetes.io/unreachable", NULL, "NoSchedule", now - 7000);
		gen_taint(taints, "node.kubernetes.io/unreachable", NULL, "NoExecute", now - 6990);
	}

	a = gao(addrs);
	gs(a, "address", ip);
	gs(a, "type", "InternalIP");
	a = gao(addrs);
	gs(a, "address", n->name);
	gs(a, "type", "Hostname");

	gs_take(cap, "cpu", g_strdup_printf("%d", n->type->cpus));
	gs_take(cap, "memory", g_strdup_printf("%" G_GINT64_FORMAT "Ki", mem_cap_ki));
	gs_take(cap, "ephemeral-storage", g_strdup_printf("%" G_GINT64_FORMAT "Ki", eph_cap_ki));
	gs(cap, "hugepages-2Mi", "0");
	gq(cap, "hugepages-1Gi", n->type->hugepages_1g * GI);
	gs_take(cap, "pods", g_strdup_printf("%" G_GINT64_FORMAT, n->alloc_pods));
	n->alloc_cpu = n->type->cpus * 1000 - 500;
	n->alloc_mem = mem_cap_ki * 1024 - n->type->hugepages_1g * GI - GI - 100 * MI;
	n->alloc_hp = n->type->hugepages_1g * GI;
	n->alloc_eph = eph_cap_ki * 1024 / 100 * 92;
	gcpu(alloc, "cpu", n->alloc_cpu);
	gq(alloc, "memory", n->alloc_mem);
	gs_take(alloc, "ephemeral-storage", g_strdup_printf("%" G_GINT64_FORMAT, n->alloc_eph));
	gs(alloc, "hugepages-2Mi", "0");
	gq(alloc, "hugepages-1Gi", n->alloc_hp);
	gs_take(alloc, "pods", g_strdup_printf("%" G_GINT64_FORMAT, n->alloc_pods));
	if (!n->control_plane) {
		const gchar *devs[] = {"devices.kubevirt.io/kvm", "devices.kubevirt.io/tun",
				       "devices.kubevirt.io/vhost-net"};

		for (gsize i = 0; i < G_N_ELEMENTS(devs); i++) {
			gs(cap, devs[i], "1k");
			gs(alloc, devs[i], "1k");
		}
	}
	if (n->type->gpus > 0) {
		n->alloc_gpu = n->type->gpus;
		gs_take(cap, "nvidia.com/gpu", g_strdup_printf("%d", n->type->gpus));
		gs_take(alloc, "nvidia.com/gpu", g_strdup_printf("%d", n->type->gpus));
	}
	if (n->type->sriov_vfs > 0) {
		n->alloc_vf = n->type->sriov_vfs;
		gs_take(cap, "openshift.io/sriov_nic", g_strdup_printf("%d", n->type->sriov_vfs));
		gs_take(alloc, "openshift.io/sriov_nic", g_strdup_printf("%d", n->type->sriov_vfs));
	}

	if (n->ready) {
		gen_condition(conds, "MemoryPressure", "False", "KubeletHasSufficientMemory",
			      "kubelet has sufficient memory available", now - 30,
			      n->created + 120);
		gen_condition(conds, "DiskPressure", "False", "KubeletHasNoDiskPressure",
			      "kubelet has no disk pressure", now - 30, n->created + 120);
		gen_condition(conds, "PIDPressure", "False", "KubeletHasSufficientPID",
			      "kubelet has sufficient PID available", now - 30, n->created + 120);
		gen_condition(conds, "Ready", "True", "KubeletReady",
			      "kubelet is posting ready status", now - 30, n->created + 180);
	} else {
		const gchar *types[] = {"MemoryPressure", "DiskPressure", "PIDPressure", "Ready"};

		for (gsize i = 0; i < G_N_ELEMENTS(types); i++)
			gen_condition(conds, types[i], "Unknown", "NodeStatusUnknown",
				      "Kubelet stopped posting node status.", now - 7060,
				      now - 7000);
	}
	gi(go(go(status, "daemonEndpoints"), "kubeletEndpoint"), "Port", 10250);
	gs(info, "architecture", "amd64");
	gs(info, "bootID", boot);
	gs(info, "containerRuntimeVersion", "cri-o://1.32.6-3.rhaos4.19.git9dba9e4.el9");
	gs(info, "kernelVersion", "5.14.0-570.28.1.el9_6.x86_64");
	gs(info, "kubeProxyVersion", "");
	gs(info, "kubeletVersion", "v1.32.6");
	gs(info, "machineID", machine_id);
	gs(info, "operatingSystem", "linux");
	gs(info, "osImage", "Red Hat Enterprise Linux CoreOS 9.6.20250715-0 (Plow)");
	gs(info, "systemUUID", sysuuid);
	gen_managed(o, "kubelet", "Update", n->created + 60, NULL, kubelet_fields);
	gen_managed(o, "kubelet", "Update", now - 30, "status", status_fields);
	return gen_emit(c, FILE_NODES, o, error);
}

/* ---- pods ---- */

static gboolean
gen_pod_emit(GenCluster *c, JsonObject *pod, GError **error)
{
	if (c->pods_in_file == PODS_PER_FILE || c->files[FILE_PODS] == NULL) {
		g_autofree gchar *file = g_strdup_printf("40-pods-%03u.yaml", c->pod_file_no++);

		if (!gen_open(c, FILE_PODS, file, error))
			return FALSE;
		c->pods_in_file = 0;
	}
	c->pods_in_file++;
	return gen_emit(c, FILE_PODS, pod, error);
}

static void
gen_owner(JsonObject *meta,
	  const gchar *api_version,
	  const gchar *kind,
	  const gchar *name,
	  const gchar *uid)
{
	JsonObject *o = gao(ga(meta, "ownerReferences"));

	gs(o, "apiVersion", api_version);
	gb(o, "blockOwnerDeletion", TRUE);
	gb(o, "controller", TRUE);
	gs(o, "kind", kind);
	gs(o, "name", name);
	gs(o, "uid", uid);
}

/* A bound, running pod's status as the kubelet reports it. */
static void
gen_pod_running(GenCluster *c, JsonObject *pod, GenNode *n, gint64 start)
{
	JsonObject *spec = sim_json_object(pod, "spec");
	JsonObject *status = go(pod, "status");
	JsonArray *containers = sim_json_array(spec, "containers");
	JsonArray *inits = sim_json_array(spec, "initContainers");
	JsonArray *conds = json_array_new();
	const gchar *types[] = {"PodReadyToStartContainers", "Initialized", "Ready",
				"ContainersReady", "PodScheduled"};
	g_autofree gchar *ip = gen_ip(c);
	JsonObject *a;

	gs(spec, "nodeName", n->name);
	json_object_set_array_member(status, "conditions", conds);
	for (gsize i = 0; i < G_N_ELEMENTS(types); i++) {
		JsonObject *cond = gao(conds);

		json_object_set_null_member(cond, "lastProbeTime");
		gs_take(cond, "lastTransitionTime", gen_time(start + (i == 4 ? 0 : 3 + (gint64)i)));
		gs(cond, "status", "True");
		gs(cond, "type", types[i]);
	}
	for (gint pass = 0; pass < 2; pass++) {
		JsonArray *list = pass == 0 ? containers : inits;
		JsonArray *st;

		if (list == NULL)
			continue;
		st = ga(status, pass == 0 ? "containerStatuses" : "initContainerStatuses");
		for (guint i = 0; i < json_array_get_length(list); i++) {
			JsonObject *ctr = json_array_get_object_element(list, i);
			JsonObject *s = gao(st);
			gboolean done =
			    pass == 1 &&
			    g_strcmp0(sim_json_string(ctr, "restartPolicy"), "Always") != 0;
			g_autofree gchar *hex = gen_rng_hex(&c->rng, 64);
			g_autofree gchar *imgid = gen_rng_hex(&c->rng, 64);
			g_autofree gchar *cid = g_strdup_printf("cri-o://%s", hex);
			g_autofree gchar *image_id = g_strdup_printf(
			    "%s@sha256:%s", sim_json_string(ctr, "image") ?: "", imgid);
			JsonObject *state;

			gs(s, "containerID", cid);
			gs(s, "image", sim_json_string(ctr, "image") ?: "");
			gs(s, "imageID", image_id);
			go(s, "lastState");
			gs(s, "name", sim_json_string(ctr, "name") ?: "");
			gb(s, "ready", !done);
			gi(s, "restartCount", 0);
			gb(s, "started", !done);
			state = go(go(s, "state"), done ? "terminated" : "running");
			if (done) {
				gs(state, "containerID", cid);
				gi(state, "exitCode", 0);
				gs_take(state, "finishedAt", gen_time(start + 2));
				gs(state, "reason", "Completed");
			}
			gs_take(state, "startedAt", gen_time(start + 1));
		}
	}
	gs_take(status, "hostIP",
		g_strdup_printf("10.%u.0.%u", 100 + c->index % 100, g_str_hash(n->name) % 250 + 2));
	a = gao(ga(status, "hostIPs"));
	gs(a, "ip", sim_json_string(status, "hostIP"));
	gs(status, "phase", "Running");
	gs(status, "podIP", ip);
	a = gao(ga(status, "podIPs"));
	gs(a, "ip", ip);
	if (!json_object_has_member(status, "qosClass"))
		gs(status, "qosClass", "Burstable");
	gs_take(status, "startTime", gen_time(start));
}

static gboolean
gen_node_accepts(GenNode *n, SimResources *req)
{
	return n->used_pods + 1 <= n->alloc_pods &&
	       n->used_cpu + sim_resources_get(req, "cpu") <= n->alloc_cpu &&
	       n->used_mem + sim_resources_get(req, "memory") <= n->alloc_mem &&
	       n->used_hp + sim_resources_get(req, "hugepages-1Gi") <= n->alloc_hp &&
	       n->used_gpu + sim_resources_get(req, "nvidia.com/gpu") <= n->alloc_gpu &&
	       n->used_vf + sim_resources_get(req, "openshift.io/sriov_nic") <= n->alloc_vf;
}

static void
gen_node_charge(GenNode *n, SimResources *req)
{
	n->used_pods++;
	n->used_cpu += sim_resources_get(req, "cpu");
	n->used_mem += sim_resources_get(req, "memory");
	n->used_hp += sim_resources_get(req, "hugepages-1Gi");
	n->used_gpu += sim_resources_get(req, "nvidia.com/gpu");
	n->used_vf += sim_resources_get(req, "openshift.io/sriov_nic");
}

static JsonObject *
gen_container(JsonArray *list,
	      const gchar *name,
	      const gchar *image,
	      gint64 cpu,
	      gint64 mem,
	      gboolean limits)
{
	JsonObject *ctr = gao(list);
	JsonObject *res = go(ctr, "resources");

	gs(ctr, "image", image);
	gs(ctr, "imagePullPolicy", "IfNotPresent");
	gs(ctr, "name", name);
	if (cpu > 0 || mem > 0) {
		JsonObject *req = go(res, "requests");

		gcpu(req, "cpu", cpu);
		gq(req, "memory", mem);
		if (limits) {
			JsonObject *lim = go(res, "limits");

			gcpu(lim, "cpu", cpu * 2);
			gq(lim, "memory", mem);
		}
	}
	gs(ctr, "terminationMessagePath", "/dev/termination-log");
	gs(ctr, "terminationMessagePolicy", "File");
	return ctr;
}

static void
gen_pod_spec_common(JsonObject *spec, gboolean tolerate_all)
{
	JsonArray *tol = ga(spec, "tolerations");

	gs(spec, "dnsPolicy", "ClusterFirst");
	gb(spec, "enableServiceLinks", TRUE);
	gs(spec, "preemptionPolicy", "PreemptLowerPriority");
	gi(spec, "priority", 0);
	gs(spec, "restartPolicy", "Always");
	gs(spec, "schedulerName", "default-scheduler");
	go(spec, "securityContext");
	gs(spec, "serviceAccount", "default");
	gs(spec, "serviceAccountName", "default");
	gi(spec, "terminationGracePeriodSeconds", 30);
	if (tolerate_all) {
		gs(gao(tol), "operator", "Exists");
	} else {
		const gchar *keys[] = {"node.kubernetes.io/not-ready",
				       "node.kubernetes.io/unreachable"};

		for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
			JsonObject *t = gao(tol);

			gs(t, "effect", "NoExecute");
			gs(t, "key", keys[i]);
			gs(t, "operator", "Exists");
			gi(t, "tolerationSeconds", 300);
		}
	}
}

static gboolean
gen_pod_finish(GenCluster *c,
	       JsonObject *pod,
	       GenNode *n,
	       gint64 created,
	       const gchar *manager,
	       GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(SimResources) req = sim_pod_requests(pod, &local);
	const gchar *const spec_fields[] = {"metadata.generateName", "metadata.labels",
					    "metadata.ownerReferences", "spec", NULL};
	const gchar *const status_fields[] = {"status", NULL};

	if (req == NULL) {
		g_propagate_error(error, g_steal_pointer(&local));
		json_object_unref(pod);
		return FALSE;
	}
	gen_node_charge(n, req);
	{
		GenUsage *u =
		    gen_usage(c, sim_json_string(sim_json_object(pod, "metadata"), "namespace"));

		u->cpu += sim_resources_get(req, "cpu");
		u->mem += sim_resources_get(req, "memory");
		u->pods++;
	}
	gen_pod_running(c, pod, n, created + 2);
	gen_managed(pod, manager, "Update", created, NULL, spec_fields);
	gen_managed(pod, "kubelet", "Update", created + 9, "status", status_fields);
	return gen_pod_emit(c, pod, error);
}

/* One pod of a node-wide DaemonSet. */
static gboolean
gen_daemon_pod(GenCluster *c, GenNode *n, guint which, GError **error)
{
	static const struct {
		const gchar *ns, *name, *image;
		gint64 cpu, mem;
	} ds[] = {
	    {"openshift-ovn-kubernetes", "ovnkube-node", "quay.io/openshift/ovn-kubernetes:4.19",
	     80, 1536 * MI},
	    {"openshift-cnv", "virt-handler", "quay.io/kubevirt/virt-handler:v1.6.0", 10, 325 * MI},
	    {"openshift-monitoring", "node-exporter", "quay.io/prometheus/node-exporter:v1.9.1", 9,
	     47 * MI},
	};
	g_autofree gchar *name = NULL;
	g_autofree gchar *gen = g_strdup_printf("%s-", ds[which].name);
	gint64 created = n->created + 300 + which;
	JsonObject *pod;
	JsonObject *meta, *spec;
	g_autofree gchar *owner_uid = g_strdup_printf("%08x-0000-4000-8000-%012x", c->index, which);

	name = gen_unique_name(&c->rng, c->names, ds[which].ns, ds[which].name);
	pod = gen_object(c, "v1", "Pod", ds[which].ns, name, created, NULL);
	meta = sim_json_object(pod, "metadata");
	gs(meta, "generateName", gen);
	gen_labels(meta, "app", ds[which].name, "controller-revision-hash", "7c9f8d5b6d",
		   "pod-template-generation", "1", NULL);
	gen_owner(meta, "apps/v1", "DaemonSet", ds[which].name, owner_uid);
	gs(go(meta, "annotations"), "openshift.io/scc", "privileged");
	spec = go(pod, "spec");
	gen_container(ga(spec, "containers"), ds[which].name, ds[which].image, ds[which].cpu,
		      ds[which].mem, FALSE);
	gb(spec, "hostNetwork", which == 0);
	gs(spec, "priorityClassName", "system-node-critical");
	gen_pod_spec_common(spec, TRUE);
	gi(spec, "priority", 2000001000);
	return gen_pod_finish(c, pod, n, created, "kube-controller-manager", error);
}

/* A Deployment's pod sized to take about @mem of memory on @n (BestEffort when there is no
 * room left). */
static gboolean
gen_app_pod(GenCluster *c, GenNode *n, gint64 mem, GError **error)
{
	guint app = (guint)gen_rng_below(&c->rng, G_N_ELEMENTS(gen_app_names));
	const gchar *ns = c->app_namespaces->pdata[gen_rng_below(&c->rng, c->app_namespaces->len)];
	gchar rs[11];
	g_autofree gchar *name = NULL;
	g_autofree gchar *gen = NULL;
	g_autofree gchar *rsname = NULL;
	g_autofree gchar *image = NULL;
	gint64 created = c->t0 + gen_rng_range(&c->rng, 86400, 150 * 86400);
	gint64 cpu_room = n->alloc_cpu - n->used_cpu - 60;
	gint64 mem_room = n->alloc_mem - n->used_mem - 200 * MI;
	gint64 cpu;
	gboolean extras = gen_rng_below(&c->rng, 4) == 0;
	gboolean sidecar = gen_rng_below(&c->rng, 6) == 0;
	gboolean limits = gen_rng_below(&c->rng, 2) == 0;
	JsonObject *pod, *meta, *spec;
	g_autofree gchar *rs_uid = NULL;

	/* reproducible ReplicaSet hash per app and namespace */
	{
		GenRng h = {g_str_hash(ns) * 31u + app};

		gen_rng_suffix(&h, rs, 10);
		rs_uid = gen_rng_uuid(&h);
	}
	rsname = g_strdup_printf("%s-%s", gen_app_names[app], rs);
	name = gen_unique_name(&c->rng, c->names, ns, rsname);
	gen = g_strdup_printf("%s-", rsname);
	image =
	    g_strdup_printf("registry.example.com/%s/%s:1.%u.%u", ns, gen_app_names[app],
			    (guint)gen_rng_below(&c->rng, 20), (guint)gen_rng_below(&c->rng, 10));
	mem = MIN(mem, mem_room - (extras ? 128 * MI : 0) - (sidecar ? 64 * MI : 0));
	mem = mem / MI * MI;
	cpu = mem > 0 ? (gint64)((gdouble)mem / (gdouble)n->alloc_mem * (gdouble)n->alloc_cpu *
				 (0.3 + gen_rng_unit(&c->rng)))
		      : 0;
	cpu = MIN(cpu / 10 * 10, cpu_room - (extras ? 100 : 0) - (sidecar ? 50 : 0));
	if (mem < 16 * MI || cpu < 10)
		mem = cpu = 0, extras = sidecar = FALSE;

	pod = gen_object(c, "v1", "Pod", ns, name, created, NULL);
	meta = sim_json_object(pod, "metadata");
	gs(meta, "generateName", gen);
	gen_labels(meta, "app", gen_app_names[app], "app.kubernetes.io/name", gen_app_names[app],
		   "app.kubernetes.io/part-of", ns, "pod-template-hash", rs, NULL);
	gen_owner(meta, "apps/v1", "ReplicaSet", rsname, rs_uid);
	{
		JsonObject *ann = go(meta, "annotations");

		gs(ann, "k8s.ovn.org/pod-networks",
		   "{\"default\":{\"ip_addresses\":[\"10.128.2.17/23\"],\"mac_address\":"
		   "\"0a:58:0a:80:02:11\",\"gateway_ips\":[\"10.128.2.1\"],\"role\":\"primary\"}}");
		gs(ann, "openshift.io/scc", "restricted-v2");
		gs(ann, "seccomp.security.alpha.kubernetes.io/pod", "runtime/default");
	}
	spec = go(pod, "spec");
	gen_container(ga(spec, "containers"), gen_app_names[app], image, cpu, mem, limits);
	if (extras) {
		gen_container(ga(spec, "containers"), "istio-proxy",
			      "registry.redhat.io/openshift-service-mesh/proxyv2-rhel9:2.6", 100,
			      128 * MI, TRUE);
		gen_container(ga(spec, "initContainers"), "init-config",
			      "registry.example.com/tools/init:1.0", 10, 16 * MI, FALSE);
	}
	if (sidecar) {
		JsonObject *sc =
		    gen_container(ga(spec, "initContainers"), "log-forwarder",
				  "registry.example.com/tools/fluent-bit:3.2", 50, 64 * MI, FALSE);

		gs(sc, "restartPolicy", "Always");
	}
	gen_pod_spec_common(spec, FALSE);
	return gen_pod_finish(c, pod, n, created, "kube-controller-manager", error);
}

/* ---- virtual machines and their storage ---- */

typedef enum { VM_PLAIN, VM_DEDICATED, VM_HUGEPAGES, VM_GPU, VM_SRIOV } GenVmKind;

typedef struct {
	gint sockets, cores, threads;
	gint64 mem;
	const gchar *size;
} GenShape;

static const GenShape gen_shapes[] = {
    {1, 1, 1, 2 * GI, "small"},	   {1, 2, 1, 4 * GI, "medium"}, {1, 2, 1, 8 * GI, "medium"},
    {1, 4, 1, 8 * GI, "large"},	   {1, 4, 1, 16 * GI, "large"}, {1, 8, 1, 32 * GI, "xlarge"},
    {2, 8, 1, 64 * GI, "2xlarge"}, {1, 2, 2, 12 * GI, "large"},
};

typedef struct {
	gchar *name;
	gint64 size;
	const GenClass *klass;
} GenDisk;

static gboolean
gen_node_serves_kind(GenNode *n, GenVmKind kind)
{
	if (n->control_plane || !n->ready || n->cordoned)
		return FALSE;
	switch (kind) {
	case VM_DEDICATED:
		return n->type->cpumanager;
	case VM_HUGEPAGES:
		return n->type->hugepages_1g > 0;
	case VM_GPU:
		return n->type->gpus > 0;
	case VM_SRIOV:
		return n->type->sriov_vfs > 0;
	default:
		return n->type->gpus == 0; /* GPU nodes are tainted */
	}
}

static void
gen_class_usage(GenCluster *c, GHashTable *local_used, const GenClass *k, GenNode *n, gint64 size)
{
	if (k->node_local && n != NULL) {
		g_autofree gchar *key = g_strdup_printf("%s|%s", k->name, n->name);
		gint64 *p = g_hash_table_lookup(local_used, key);

		if (p == NULL) {
			p = g_new0(gint64, 1);
			g_hash_table_insert(local_used, g_steal_pointer(&key), p);
		}
		*p += size;
	} else {
		gint64 *p = g_hash_table_lookup(local_used, k->name);

		if (p == NULL) {
			p = g_new0(gint64, 1);
			g_hash_table_insert(local_used, g_strdup(k->name), p);
		}
		*p += size;
	}
}

/* DataVolume, its PVC and the bound PV. */
static gboolean
gen_disk(GenCluster *c,
	 GHashTable *local_used,
	 const gchar *ns,
	 const gchar *vm,
	 const gchar *vm_uid,
	 GenDisk *d,
	 GenNode *n,
	 gint64 created,
	 GError **error)
{
	JsonObject *dv, *pvc, *pv, *meta, *spec, *st;
	g_autofree gchar *dv_uid = NULL;
	g_autofree gchar *pvc_uid = NULL;
	g_autofree gchar *pv_name = NULL;
	g_autofree gchar *handle = NULL;
	g_autofree gchar *size = sim_quantity_format_value(d->size, TRUE);
	const gchar *const dv_fields[] = {"metadata.annotations", "metadata.labels",
					  "metadata.ownerReferences", "spec", NULL};
	const gchar *const pvc_fields[] = {"metadata.annotations", "metadata.labels",
					   "metadata.ownerReferences", "spec", NULL};
	const gchar *const pv_fields[] = {"metadata.annotations", "spec", NULL};
	GenUsage *u = gen_usage(c, ns);
	g_autofree gchar *class_key =
	    g_strdup_printf("%s.storageclass.storage.k8s.io/requests.storage", d->klass->name);

	u->storage += d->size;
	u->pvcs++;
	gen_counter_add(u->class_storage, g_intern_string(class_key), d->size);
	gen_class_usage(c, local_used, d->klass, n, d->size);

	dv = gen_object(c, "cdi.kubevirt.io/v1beta1", "DataVolume", ns, d->name, created, &dv_uid);
	meta = sim_json_object(dv, "metadata");
	gs(go(meta, "annotations"), "cdi.kubevirt.io/storage.usePopulator", "true");
	gen_labels(meta, "kubevirt.io/created-by", vm_uid, NULL);
	gen_owner(meta, "kubevirt.io/v1", "VirtualMachine", vm, vm_uid);
	spec = go(dv, "spec");
	{
		JsonObject *src = go(spec, "sourceRef");
		JsonObject *storage = go(spec, "storage");

		gs(src, "kind", "DataSource");
		gs(src, "name", "rhel9");
		gs(src, "namespace", "openshift-virtualization-os-images");
		gq(go(go(storage, "resources"), "requests"), "storage", d->size);
		gs(storage, "storageClassName", d->klass->name);
	}
	st = go(dv, "status");
	gs(st, "claimName", d->name);
	{
		const gchar *types[] = {"Bound", "Ready", "Running"};
		const gchar *status[] = {"True", "True", "False"};
		const gchar *reasons[] = {"Bound", "Ready", "Completed"};

		for (gsize i = 0; i < G_N_ELEMENTS(types); i++) {
			JsonObject *cond = gao(ga(st, "conditions"));

			gs_take(cond, "lastHeartbeatTime", gen_time(created + 40));
			gs_take(cond, "lastTransitionTime", gen_time(created + 40));
			gs(cond, "message", "");
			gs(cond, "reason", reasons[i]);
			gs(cond, "status", status[i]);
			gs(cond, "type", types[i]);
		}
	}
	gs(st, "phase", "Succeeded");
	gs(st, "progress", "100.0%");
	gen_managed(dv, "virt-controller", "Update", created, NULL, dv_fields);
	if (!gen_emit(c, FILE_STORAGE, dv, error))
		return FALSE;

	pvc = gen_object(c, "v1", "PersistentVolumeClaim", ns, d->name, created + 1, &pvc_uid);
	pv_name = g_strdup_printf("pvc-%s", pvc_uid);
	meta = sim_json_object(pvc, "metadata");
	{
		JsonObject *ann = go(meta, "annotations");

		gs(ann, "cdi.kubevirt.io/storage.contentType", "kubevirt");
		gs(ann, "cdi.kubevirt.io/storage.pod.phase", "Succeeded");
		gs(ann, "cdi.kubevirt.io/storage.populator.progress", "100.0%");
		gs(ann, "cdi.kubevirt.io/storage.preallocation.requested", "false");
		gs(ann, "cdi.kubevirt.io/storage.usePopulator", "true");
		gs(ann, "pv.kubernetes.io/bind-completed", "yes");
		gs(ann, "pv.kubernetes.io/bound-by-controller", "yes");
		gs(ann, "volume.beta.kubernetes.io/storage-provisioner", d->klass->provisioner);
		gs(ann, "volume.kubernetes.io/storage-provisioner", d->klass->provisioner);
		if (d->klass->node_local && n != NULL)
			gs(ann, "volume.kubernetes.io/selected-node", n->name);
	}
	json_array_add_string_element(ga(meta, "finalizers"), "kubernetes.io/pvc-protection");
	gen_labels(meta, "app", "containerized-data-importer", "app.kubernetes.io/component",
		   "storage", "app.kubernetes.io/managed-by", "cdi-controller", NULL);
	gen_owner(meta, "cdi.kubevirt.io/v1beta1", "DataVolume", d->name, dv_uid);
	spec = go(pvc, "spec");
	json_array_add_string_element(ga(spec, "accessModes"), d->klass->access_mode);
	gs(go(go(spec, "resources"), "requests"), "storage", size);
	gs(spec, "storageClassName", d->klass->name);
	gs(spec, "volumeMode", d->klass->volume_mode);
	gs(spec, "volumeName", pv_name);
	st = go(pvc, "status");
	json_array_add_string_element(ga(st, "accessModes"), d->klass->access_mode);
	gs(go(st, "capacity"), "storage", size);
	gs(st, "phase", "Bound");
	gen_managed(pvc, "cdi-controller", "Update", created + 1, NULL, pvc_fields);
	if (!gen_emit(c, FILE_STORAGE, pvc, error))
		return FALSE;

	pv = gen_object(c, "v1", "PersistentVolume", NULL, pv_name, created + 3, NULL);
	meta = sim_json_object(pv, "metadata");
	gs(go(meta, "annotations"), "pv.kubernetes.io/provisioned-by", d->klass->provisioner);
	gs(sim_json_object(meta, "annotations"),
	   "volume.kubernetes.io/provisioner-deletion-secret-name", "");
	json_array_add_string_element(ga(meta, "finalizers"), "kubernetes.io/pv-protection");
	if (!d->klass->node_local)
		json_array_add_string_element(
		    ga(meta, "finalizers"), "external-provisioner.volume.kubernetes.io/finalizer");
	spec = go(pv, "spec");
	json_array_add_string_element(ga(spec, "accessModes"), d->klass->access_mode);
	gs(go(spec, "capacity"), "storage", size);
	{
		JsonObject *ref = go(spec, "claimRef");
		JsonObject *csi = go(spec, "csi");

		gs(ref, "apiVersion", "v1");
		gs(ref, "kind", "PersistentVolumeClaim");
		gs(ref, "name", d->name);
		gs(ref, "namespace", ns);
		gs_take(ref, "resourceVersion", g_strdup_printf("%" G_GINT64_FORMAT, c->rv));
		gs(ref, "uid", pvc_uid);
		gs(csi, "driver", d->klass->provisioner);
		handle = g_strdup_printf("0001-0011-openshift-storage-%s", pvc_uid);
		gs(csi, "volumeHandle", handle);
		gs(go(csi, "volumeAttributes"), "storage.kubernetes.io/csiProvisionerIdentity",
		   "1735690000000-8081-csi");
	}
	if (d->klass->node_local && n != NULL) {
		JsonObject *term =
		    gao(ga(go(go(spec, "nodeAffinity"), "required"), "nodeSelectorTerms"));
		JsonObject *expr = gao(ga(term, "matchExpressions"));

		gs(expr, "key", "topology.topolvm.io/node");
		gs(expr, "operator", "In");
		json_array_add_string_element(ga(expr, "values"), n->name);
	}
	gs(spec, "persistentVolumeReclaimPolicy", "Delete");
	gs(spec, "storageClassName", d->klass->name);
	gs(spec, "volumeMode", d->klass->volume_mode);
	gs(go(pv, "status"), "phase", "Bound");
	gs_take(sim_json_object(pv, "status"), "lastPhaseTransitionTime", gen_time(created + 4));
	gen_managed(pv, "csi-provisioner", "Update", created + 3, NULL, pv_fields);
	return gen_emit(c, FILE_STORAGE, pv, error);
}

static GenNode *
gen_pick_node(GenCluster *c, GenVmKind kind, SimResources *req)
{
	guint len = c->nodes->len;
	guint start = (guint)gen_rng_below(&c->rng, len);

	for (guint i = 0; i < len; i++) {
		GenNode *n = c->nodes->pdata[(start + i) % len];

		/* leave room for the node's own fill target */
		if (gen_node_serves_kind(n, kind) && gen_node_accepts(n, req) &&
		    (gdouble)(n->used_mem + sim_resources_get(req, "memory")) <=
			(gdouble)n->alloc_mem * MAX(n->target, 0.5))
			return n;
	}
	for (guint i = 0; i < len; i++) {
		GenNode *n = c->nodes->pdata[(start + i) % len];

		if (gen_node_serves_kind(n, kind) && gen_node_accepts(n, req))
			return n;
	}
	return NULL;
}

static JsonObject *
gen_vm_template_spec(GenCluster *c,
		     const gchar *name,
		     const GenShape *shape,
		     GenVmKind kind,
		     GenDisk *disks,
		     guint n_disks,
		     gboolean defaulted,
		     guint64 mac)
{
	JsonObject *spec = json_object_new();
	JsonObject *domain = go(spec, "domain");
	JsonObject *cpu = go(domain, "cpu");
	JsonObject *devices = go(domain, "devices");
	JsonArray *dlist = ga(devices, "disks");
	JsonArray *ifaces = ga(devices, "interfaces");
	JsonArray *nets = ga(spec, "networks");
	JsonArray *vols = ga(spec, "volumes");
	JsonObject *iface, *net, *vol, *disk;
	g_autofree gchar *macs = g_strdup_printf(
	    "02:%02x:%02x:%02x:%02x:%02x", (guint)(mac >> 32) & 0xff, (guint)(mac >> 24) & 0xff,
	    (guint)(mac >> 16) & 0xff, (guint)(mac >> 8) & 0xff, (guint)mac & 0xff);
	const gchar *userdata =
	    "#cloud-config\nuser: cloud-user\nssh_authorized_keys:\n- ssh-ed25519 "
	    "AAAAC3NzaC1lZDI1NTE5AAAAIBmQ2yb0tEI2dYvGLgX3Zp8mS1qRAl8Jqk4vAuq8xwT2 "
	    "admin@example.com\n";

	if (defaulted)
		gs(spec, "architecture", "amd64");
	gi(cpu, "cores", shape->cores);
	gi(cpu, "sockets", shape->sockets);
	gi(cpu, "threads", shape->threads);
	if (defaulted)
		gs(cpu, "model", "host-model");
	if (kind == VM_DEDICATED) {
		gb(cpu, "dedicatedCpuPlacement", TRUE);
		gb(cpu, "isolateEmulatorThread", FALSE);
	}
	for (guint i = 0; i < n_disks; i++) {
		disk = gao(dlist);
		gs(go(disk, "disk"), "bus", "virtio");
		gs(disk, "name", i == 0 ? "rootdisk" : "datadisk");
		if (i == 0)
			gi(disk, "bootOrder", 1);
	}
	disk = gao(dlist);
	gs(go(disk, "disk"), "bus", "virtio");
	gs(disk, "name", "cloudinitdisk");
	iface = gao(ifaces);
	gs(iface, "macAddress", macs);
	go(iface, "masquerade");
	gs(iface, "model", "virtio");
	gs(iface, "name", "default");
	if (kind == VM_SRIOV) {
		iface = gao(ifaces);
		gs(iface, "name", "sriov");
		go(iface, "sriov");
	}
	if (kind == VM_GPU) {
		JsonObject *gpu = gao(ga(devices, "gpus"));

		gs(gpu, "deviceName", "nvidia.com/gpu");
		gs(gpu, "name", "gpu1");
	}
	go(devices, "rng");
	go(go(domain, "features"), "acpi");
	gb(go(go(domain, "features"), "smm"), "enabled", TRUE);
	go(go(go(domain, "firmware"), "bootloader"), "efi");
	if (defaulted) {
		g_autofree gchar *uuid = gen_rng_uuid(&c->rng);

		gs(go(domain, "firmware"), "uuid", uuid);
	}
	gs(go(domain, "machine"), "type", "pc-q35-rhel9.4.0");
	gq(go(domain, "memory"), "guest", shape->mem);
	if (kind == VM_HUGEPAGES)
		gs(go(sim_json_object(domain, "memory"), "hugepages"), "pageSize", "1Gi");
	go(domain, "resources");
	if (defaulted)
		gq(go(sim_json_object(domain, "resources"), "requests"), "memory", shape->mem);
	if (defaulted)
		gs(spec, "evictionStrategy", "LiveMigrate");
	net = gao(nets);
	gs(net, "name", "default");
	go(net, "pod");
	if (kind == VM_SRIOV) {
		net = gao(nets);
		gs(net, "name", "sriov");
		gs(go(net, "multus"), "networkName", "sriov-net");
	}
	gi(spec, "terminationGracePeriodSeconds", 180);
	if (kind == VM_GPU) {
		JsonObject *t = gao(ga(spec, "tolerations"));

		gs(t, "effect", "NoSchedule");
		gs(t, "key", "nvidia.com/gpu");
		gs(t, "operator", "Exists");
	}
	for (guint i = 0; i < n_disks; i++) {
		vol = gao(vols);
		gs(go(vol, "dataVolume"), "name", disks[i].name);
		gs(vol, "name", i == 0 ? "rootdisk" : "datadisk");
	}
	vol = gao(vols);
	gs(go(vol, "cloudInitNoCloud"), "userData", userdata);
	gs(vol, "name", "cloudinitdisk");
	(void)name;
	return spec;
}

static void
gen_vm_condition(JsonArray *conds, const gchar *type, gint64 t, gboolean probe_null)
{
	JsonObject *cond = gao(conds);

	if (probe_null)
		json_object_set_null_member(cond, "lastProbeTime");
	gs_take(cond, "lastTransitionTime", gen_time(t));
	gs(cond, "status", "True");
	gs(cond, "type", type);
}

static GenVmKind
gen_vm_kind(GenCluster *c)
{
	guint64 r = gen_rng_below(&c->rng, 100);

	if (r < 5)
		return VM_DEDICATED;
	if (r < 9)
		return VM_HUGEPAGES;
	if (r < 12)
		return VM_GPU;
	if (r < 15)
		return VM_SRIOV;
	return VM_PLAIN;
}

/* A VM, and when it runs its VMI and virt-launcher pod; @may_run is FALSE once the pod budget
 * is spent. Returns whether a launcher pod was written through @ran. */
static gboolean
gen_vm(GenCluster *c,
       GHashTable *local_used,
       guint i,
       gboolean may_run,
       gboolean *ran,
       GError **error)
{
	const gchar *ns = c->app_namespaces->pdata[i % MIN(c->app_namespaces->len, 4)];
	const GenShape *shape = &gen_shapes[gen_rng_below(&c->rng, G_N_ELEMENTS(gen_shapes))];
	GenVmKind kind = gen_vm_kind(c);
	guint64 strategy = gen_rng_below(&c->rng, 20);
	gboolean wants_run = strategy < 17;
	g_autofree gchar *name = g_strdup_printf("%s-vm-%05u", ns, i);
	g_autofree gchar *vm_uid = NULL;
	g_autofree gchar *vmi_uid = NULL;
	g_autofree gchar *pod_name = NULL;
	gint64 created = c->t0 + gen_rng_range(&c->rng, 2 * 86400, 120 * 86400);
	GenDisk disks[2];
	guint n_disks = gen_rng_below(&c->rng, 5) == 0 ? 2 : 1;
	GenNode *node = NULL;
	JsonObject *vm, *vmi = NULL, *pod = NULL, *meta, *spec, *status;
	guint64 mac = gen_rng_next(&c->rng);
	g_autoptr(SimResources) req = NULL;
	SimLauncherNamespace nsinfo = {FALSE, FALSE, NULL};
	const gchar *const vm_fields[] = {"metadata.annotations", "metadata.labels", "spec", NULL};
	const gchar *const status_fields[] = {"status", NULL};
	gboolean ok = TRUE;

	*ran = FALSE;
	/* kinds only where the cluster has such nodes */
	{
		gboolean served = FALSE;

		for (guint j = 0; j < c->nodes->len && !served; j++)
			served = gen_node_serves_kind(c->nodes->pdata[j], kind);
		if (!served)
			kind = VM_PLAIN;
	}
	for (guint d = 0; d < n_disks; d++) {
		disks[d].name = g_strdup_printf("%s-%s", name, d == 0 ? "rootdisk" : "datadisk");
		disks[d].size = d == 0 ? (gint64)(30 + 10 * gen_rng_below(&c->rng, 4)) * GI
				       : (gint64)(100 * (1 + gen_rng_below(&c->rng, 5))) * GI;
		disks[d].klass = c->classes[0];
		for (guint k = 0; k < c->n_classes; k++) {
			if (strcmp(c->classes[k]->name, c->vm_class) == 0)
				disks[d].klass = c->classes[k];
		}
	}

	vm = gen_object(c, "kubevirt.io/v1", "VirtualMachine", ns, name, created, &vm_uid);
	meta = sim_json_object(vm, "metadata");
	gi(meta, "generation", 1);
	{
		JsonObject *ann = go(meta, "annotations");

		gs(ann, "kubemacpool.io/transaction-timestamp",
		   sim_json_string(meta, "creationTimestamp"));
		gs(ann, "kubevirt.io/latest-observed-api-version", "v1");
		gs(ann, "kubevirt.io/storage-observed-api-version", "v1");
		gs(ann, "vm.kubevirt.io/validations",
		   "[{\"name\":\"minimal-required-memory\",\"path\":\"jsonpath::.spec.domain."
		   "memory."
		   "guest\",\"rule\":\"integer\",\"message\":\"This VM requires more memory.\","
		   "\"min\":1610612736}]");
	}
	json_array_add_string_element(ga(meta, "finalizers"),
				      "kubevirt.io/virtualMachineControllerFinalize");
	gen_labels(meta, "app", name, "vm.kubevirt.io/template", "rhel9-server-medium",
		   "vm.kubevirt.io/template.namespace", "openshift",
		   "vm.kubevirt.io/template.revision", "1", "vm.kubevirt.io/template.version",
		   "v0.32.2", NULL);
	spec = go(vm, "spec");
	for (guint d = 0; d < n_disks; d++) {
		JsonObject *t = gao(ga(spec, "dataVolumeTemplates"));
		JsonObject *tm = go(t, "metadata");
		JsonObject *ts = go(t, "spec");
		JsonObject *src = go(ts, "sourceRef");

		json_object_set_null_member(tm, "creationTimestamp");
		gs(tm, "name", disks[d].name);
		gs(src, "kind", "DataSource");
		gs(src, "name", "rhel9");
		gs(src, "namespace", "openshift-virtualization-os-images");
		gq(go(go(go(ts, "storage"), "resources"), "requests"), "storage", disks[d].size);
		gs(sim_json_object(ts, "storage"), "storageClassName", disks[d].klass->name);
	}
	switch (strategy) {
	case 17:
		gs(spec, "runStrategy", "Halted");
		break;
	case 18:
		gb(spec, "running", FALSE);
		break;
	case 16:
		gb(spec, "running", TRUE);
		break;
	case 15:
		gs(spec, "runStrategy", "RerunOnFailure");
		break;
	case 19:
		gs(spec, "runStrategy", "Manual");
		break;
	default:
		gs(spec, "runStrategy", "Always");
		break;
	}
	{
		JsonObject *tmpl = go(spec, "template");
		JsonObject *tmeta = go(tmpl, "metadata");

		json_object_set_null_member(tmeta, "creationTimestamp");
		gs(go(tmeta, "annotations"), "vm.kubevirt.io/flavor", shape->size);
		gs(sim_json_object(tmeta, "annotations"), "vm.kubevirt.io/os", "rhel9");
		gs(sim_json_object(tmeta, "annotations"), "vm.kubevirt.io/workload", "server");
		gen_labels(tmeta, "kubevirt.io/domain", name, "kubevirt.io/size", shape->size,
			   NULL);
		json_object_set_object_member(
		    tmpl, "spec",
		    gen_vm_template_spec(c, name, shape, kind, disks, n_disks, FALSE, mac));
	}

	if (wants_run && may_run) {
		JsonObject *vspec =
		    gen_vm_template_spec(c, name, shape, kind, disks, n_disks, TRUE, mac);

		vmi = gen_object(c, "kubevirt.io/v1", "VirtualMachineInstance", ns, name,
				 created + 60, &vmi_uid);
		json_object_set_object_member(vmi, "spec", vspec);
		g_autofree gchar *launcher = g_strdup_printf("virt-launcher-%s", name);

		pod_name = gen_unique_name(&c->rng, c->names, ns, launcher);
		nsinfo.nad_resources = g_hash_table_new(g_str_hash, g_str_equal);
		{
			g_autofree gchar *nadkey = g_strdup_printf("%s/sriov-net", ns);

			g_hash_table_insert(nsinfo.nad_resources, nadkey,
					    (gpointer) "openshift.io/sriov_nic");
			pod = sim_launcher_pod_new(vmi, &c->kv, &nsinfo, pod_name, error);
			g_hash_table_unref(nsinfo.nad_resources);
		}
		if (pod == NULL) {
			ok = FALSE;
			goto out;
		}
		req = sim_pod_requests(pod, error);
		if (req == NULL) {
			ok = FALSE;
			goto out;
		}
		node = gen_pick_node(c, kind, req);
		if (node == NULL) {
			/* no room: the VM is written stopped, as an admin would leave it */
			g_clear_pointer(&vmi, json_object_unref);
			g_clear_pointer(&pod, json_object_unref);
			json_object_remove_member(spec, "running");
			gs(spec, "runStrategy", "Halted");
			wants_run = FALSE;
		}
	} else if (wants_run) {
		json_object_remove_member(spec, "running");
		gs(spec, "runStrategy", "Halted");
		wants_run = FALSE;
	}

	status = go(vm, "status");
	{
		JsonArray *conds = ga(status, "conditions");

		if (vmi != NULL) {
			gen_vm_condition(conds, "Ready", created + 120, TRUE);
			gen_vm_condition(conds, "LiveMigratable", created + 60, TRUE);
			gen_vm_condition(conds, "StorageLiveMigratable", created + 60, TRUE);
			gb(status, "created", TRUE);
			gs(status, "printableStatus", "Running");
			gb(status, "ready", TRUE);
		} else {
			JsonObject *cond = gao(conds);

			json_object_set_null_member(cond, "lastProbeTime");
			gs_take(cond, "lastTransitionTime", gen_time(created + 60));
			gs(cond, "message", "VMI does not exist");
			gs(cond, "reason", "VMINotExists");
			gs(cond, "status", "False");
			gs(cond, "type", "Ready");
			gs(status, "printableStatus", "Stopped");
		}
		gi(status, "desiredGeneration", 1);
		gi(status, "observedGeneration", 1);
		gs(status, "runStrategy",
		   sim_json_string(spec, "runStrategy")
		       ?: (sim_json_bool(spec, "running", FALSE) ? "Always" : "Halted"));
		for (guint d = 0; d < n_disks; d++) {
			JsonObject *vs = gao(ga(status, "volumeSnapshotStatuses"));

			gb(vs, "enabled", FALSE);
			gs(vs, "name", d == 0 ? "rootdisk" : "datadisk");
			gs(vs, "reason",
			   "No VolumeSnapshotClass: Volume snapshots are not configured for this "
			   "StorageClass [ocs-storagecluster-ceph-rbd-virtualization] [rootdisk]");
		}
		{
			JsonObject *vs = gao(ga(status, "volumeSnapshotStatuses"));

			gb(vs, "enabled", FALSE);
			gs(vs, "name", "cloudinitdisk");
			gs(vs, "reason",
			   "Snapshot is not supported for this volumeSource type [cloudinitdisk]");
		}
	}
	gen_managed(vm, "kubectl-create", "Update", created, NULL, vm_fields);
	gen_managed(vm, "virt-controller", "Update", created + 120, "status", status_fields);

	/* storage follows the node for node-local classes; a stopped VM's disk sits anywhere */
	for (guint d = 0; ok && d < n_disks; d++) {
		GenNode *home = node;

		if (home == NULL && c->nodes->len > 0)
			home = c->nodes->pdata[gen_rng_below(&c->rng, c->nodes->len)];
		ok = gen_disk(c, local_used, ns, name, vm_uid, &disks[d], home, created + 5, error);
	}
	if (ok)
		ok = gen_emit(c, FILE_VMS, vm, error);
	else
		json_object_unref(vm);
	vm = NULL;

	if (ok && vmi != NULL) {
		JsonObject *vmeta = sim_json_object(vmi, "metadata");
		JsonObject *vst = go(vmi, "status");
		JsonObject *pmeta = sim_json_object(pod, "metadata");
		JsonObject *a;
		g_autofree gchar *ip = NULL;
		g_autofree gchar *pod_uid = NULL;
		g_autofree gchar *image =
		    g_strdup_printf("quay.io/kubevirt/virt-launcher:v1.%d.0", c->kv.version_minor);
		const gchar *const vmi_fields[] = {"metadata.annotations",
						   "metadata.labels",
						   "metadata.ownerReferences",
						   "spec",
						   "status",
						   NULL};
		const gchar *const pod_fields[] = {"metadata.annotations",
						   "metadata.generateName",
						   "metadata.labels",
						   "metadata.ownerReferences",
						   "spec",
						   NULL};
		const gchar *const pod_status[] = {"status", NULL};

		gi(vmeta, "generation", 8);
		gs(go(vmeta, "annotations"), "kubevirt.io/latest-observed-api-version", "v1");
		gs(sim_json_object(vmeta, "annotations"),
		   "kubevirt.io/storage-observed-api-version", "v1");
		gs(sim_json_object(vmeta, "annotations"), "kubevirt.io/vm-generation", "1");
		gs(sim_json_object(vmeta, "annotations"), "vm.kubevirt.io/flavor", shape->size);
		json_array_add_string_element(ga(vmeta, "finalizers"),
					      "kubevirt.io/virtualMachineControllerFinalize");
		json_array_add_string_element(sim_json_array(vmeta, "finalizers"),
					      "foregroundDeleteVirtualMachine");
		gen_labels(vmeta, "kubevirt.io/domain", name, "kubevirt.io/nodeName", node->name,
			   "kubevirt.io/size", shape->size, NULL);
		gen_owner(vmeta, "kubevirt.io/v1", "VirtualMachine", name, vm_uid);

		/* the pod, bound: its uid is referenced by the VMI status */
		gs(go(pmeta, "labels"), "kubevirt.io/nodeName", node->name);
		pod_uid = gen_rng_uuid(&c->rng);
		gs(pmeta, "uid", pod_uid);
		gs_take(pmeta, "creationTimestamp", gen_time(created + 61));

		gs(go(vst, "activePods"), pod_uid, node->name);
		{
			JsonArray *conds = ga(vst, "conditions");

			gen_vm_condition(conds, "Ready", created + 90, TRUE);
			gen_vm_condition(conds, "LiveMigratable", created + 61, TRUE);
			gen_vm_condition(conds, "StorageLiveMigratable", created + 61, TRUE);
		}
		a = go(vst, "currentCPUTopology");
		gi(a, "cores", shape->cores);
		gi(a, "sockets", shape->sockets);
		gi(a, "threads", shape->threads);
		go(vst, "guestOSInfo");
		ip = gen_ip(c);
		a = gao(ga(vst, "interfaces"));
		gs(a, "infoSource", "domain, guest-agent");
		gs(a, "interfaceName", "eth0");
		gs(a, "ipAddress", ip);
		json_array_add_string_element(ga(a, "ipAddresses"), ip);
		gs(a, "linkState", "up");
		gs(a, "mac",
		   sim_json_string(json_array_get_object_element(
				       sim_json_array(sim_json_path_object(vmi, "spec", "domain",
									   "devices", NULL),
						      "interfaces"),
				       0),
				   "macAddress"));
		gs(a, "name", "default");
		gi(a, "queueCount", 1);
		gs(vst, "launcherContainerImageVersion", image);
		gs(go(vst, "machine"), "type", "pc-q35-rhel9.4.0");
		a = go(vst, "memory");
		gq(a, "guestAtBoot", shape->mem);
		gq(a, "guestCurrent", shape->mem);
		gq(a, "guestRequested", shape->mem);
		gs(vst, "migrationMethod",
		   disks[0].klass->node_local ? "BlockMigration" : "LiveMigration");
		gs(vst, "migrationTransport", "Unix");
		gs(vst, "nodeName", node->name);
		gs(vst, "phase", "Running");
		{
			const gchar *phases[] = {"Pending", "Scheduling", "Scheduled", "Running"};

			for (gsize p = 0; p < G_N_ELEMENTS(phases); p++) {
				JsonObject *pt = gao(ga(vst, "phaseTransitionTimestamps"));

				gs(pt, "phase", phases[p]);
				gs_take(pt, "phaseTransitionTimestamp",
					gen_time(created + 60 + 10 * (gint64)p));
			}
		}
		gs(vst, "qosClass", kind == VM_DEDICATED ? "Guaranteed" : "Burstable");
		gi(vst, "runtimeUser", 107);
		gs(vst, "selinuxContext", "system_u:object_r:container_file_t:s0:c12,c345");
		gs_take(vst, "virtualMachineRevisionName",
			g_strdup_printf("revision-start-vm-%s-1", vm_uid));
		for (guint d = 0; d < n_disks; d++) {
			JsonObject *vs = gao(ga(vst, "volumeStatus"));
			JsonObject *info = go(vs, "persistentVolumeClaimInfo");

			gs(vs, "name", d == 0 ? "rootdisk" : "datadisk");
			json_array_add_string_element(ga(info, "accessModes"),
						      disks[d].klass->access_mode);
			gq(go(info, "capacity"), "storage", disks[d].size);
			gs(info, "claimName", disks[d].name);
			gs(info, "filesystemOverhead", "0");
			gq(go(info, "requests"), "storage", disks[d].size);
			gs(info, "volumeMode", disks[d].klass->volume_mode);
			gs(vs, "target", d == 0 ? "vda" : "vdb");
		}
		gen_managed(vmi, "virt-controller", "Update", created + 60, NULL, vmi_fields);
		if (!gen_emit(c, FILE_VMS, vmi, error)) {
			ok = FALSE;
			vmi = NULL;
			goto out;
		}
		vmi = NULL;

		gen_node_charge(node, req);
		{
			GenUsage *u = gen_usage(c, ns);

			u->cpu += sim_resources_get(req, "cpu");
			u->mem += sim_resources_get(req, "memory");
			u->pods++;
		}
		gen_pod_running(c, pod, node, created + 62);
		gen_managed(pod, "virt-controller", "Update", created + 61, NULL, pod_fields);
		gen_managed(pod, "kubelet", "Update", created + 70, "status", pod_status);
		ok = gen_pod_emit(c, pod, error);
		pod = NULL;
		*ran = ok;
	}
out:
	if (vmi != NULL)
		json_object_unref(vmi);
	if (pod != NULL)
		json_object_unref(pod);
	for (guint d = 0; d < n_disks; d++)
		g_free(disks[d].name);
	return ok;
}

/* ---- quotas and published storage capacity (written last: they describe the usage) ---- */

static void
gen_quota_pair(JsonObject *hard,
	       JsonObject *used,
	       const gchar *name,
	       gint64 usage,
	       gdouble factor,
	       gint64 round_to)
{
	gint64 limit = (gint64)((gdouble)usage * factor);

	limit = (limit / round_to + 1) * round_to;
	gs_take(hard, name, sim_resources_format(name, limit));
	gs_take(used, name, sim_resources_format(name, usage));
}

static gboolean
gen_quotas(GenCluster *c, GError **error)
{
	for (guint i = 0; i < c->app_namespaces->len; i++) {
		const gchar *ns = c->app_namespaces->pdata[i];
		GenUsage *u = gen_usage(c, ns);
		/* one namespace per cluster runs close to its quota */
		gdouble factor =
		    i == c->index % c->app_namespaces->len ? 1.02 : 1.3 + gen_rng_unit(&c->rng) * 2;
		JsonObject *q =
		    gen_object(c, "v1", "ResourceQuota", ns, "compute-quota", c->t0 + 2300, NULL);
		JsonObject *hard = go(go(q, "spec"), "hard");
		JsonObject *shard = go(go(q, "status"), "hard");
		JsonObject *used = go(sim_json_object(q, "status"), "used");
		const gchar *const fields[] = {"spec", NULL};
		const gchar *const sfields[] = {"status", NULL};
		GHashTableIter it;
		gpointer k, v;
		g_autoptr(GList) keys = NULL;

		gen_quota_pair(hard, used, "requests.cpu", u->cpu, factor, 1000);
		gen_quota_pair(hard, used, "requests.memory", u->mem, factor, GI);
		gen_quota_pair(hard, used, "pods", u->pods, factor, 10);
		{
			JsonObjectIter jt;
			const gchar *name;
			JsonNode *node;

			json_object_iter_init(&jt, hard);
			while (json_object_iter_next(&jt, &name, &node))
				json_object_set_member(shard, name, json_node_copy(node));
		}
		gen_managed(q, "kubectl-create", "Update", c->t0 + 2300, NULL, fields);
		gen_managed(q, "kube-controller-manager", "Update", c->t0 + 2301, "status",
			    sfields);
		if (!gen_emit(c, FILE_CLUSTER, q, error))
			return FALSE;

		q = gen_object(c, "v1", "ResourceQuota", ns, "storage-quota", c->t0 + 2300, NULL);
		hard = go(go(q, "spec"), "hard");
		shard = go(go(q, "status"), "hard");
		used = go(sim_json_object(q, "status"), "used");
		gen_quota_pair(hard, used, "requests.storage", u->storage, factor, 100 * GI);
		gen_quota_pair(hard, used, "persistentvolumeclaims", u->pvcs, factor, 10);
		g_hash_table_iter_init(&it, u->class_storage);
		while (g_hash_table_iter_next(&it, &k, &v))
			keys = g_list_prepend(keys, k);
		keys = g_list_sort(keys, (GCompareFunc)strcmp);
		for (GList *l = keys; l != NULL; l = l->next)
			gen_quota_pair(hard, used, l->data,
				       *(gint64 *)g_hash_table_lookup(u->class_storage, l->data),
				       factor, 100 * GI);
		{
			JsonObjectIter jt;
			const gchar *name;
			JsonNode *node;

			json_object_iter_init(&jt, hard);
			while (json_object_iter_next(&jt, &name, &node))
				json_object_set_member(shard, name, json_node_copy(node));
		}
		gen_managed(q, "kubectl-create", "Update", c->t0 + 2300, NULL, fields);
		gen_managed(q, "kube-controller-manager", "Update", c->t0 + 2301, "status",
			    sfields);
		if (!gen_emit(c, FILE_CLUSTER, q, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
gen_capacity_object(GenCluster *c,
		    const GenClass *k,
		    const gchar *label,
		    const gchar *value,
		    gint64 capacity,
		    gint64 max_volume,
		    GError **error)
{
	g_autofree gchar *name = NULL;
	const gchar *ns = strcmp(k->provisioner, "topolvm.io") == 0    ? "openshift-lvm-storage"
			  : strstr(k->provisioner, "hostpath") != NULL ? "openshift-cnv"
								       : "trident";
	JsonObject *o;
	JsonObject *meta;
	const gchar *const fields[] = {"capacity", "maximumVolumeSize", "nodeTopology", NULL};

	name = gen_unique_name(&c->rng, c->names, ns, "csisc");
	o = gen_object(c, "storage.k8s.io/v1", "CSIStorageCapacity", ns, name, c->t0 + 400, NULL);
	meta = sim_json_object(o, "metadata");
	gs(meta, "generateName", "csisc-");
	gen_labels(meta, "csi.storage.k8s.io/drivername", k->provisioner,
		   "csi.storage.k8s.io/managed-by", "external-provisioner", NULL);
	gs_take(o, "capacity", sim_quantity_format_value(MAX(capacity, 0), TRUE));
	if (max_volume > 0)
		gs_take(o, "maximumVolumeSize", sim_quantity_format_value(max_volume, TRUE));
	gs(go(go(o, "nodeTopology"), "matchLabels"), label, value);
	gs(o, "storageClassName", k->name);
	gen_managed(o, "csi-provisioner", "Update", c->t0 + 400, NULL, fields);
	return gen_emit(c, FILE_CLUSTER, o, error);
}

static gboolean
gen_capacities(GenCluster *c, GHashTable *local_used, GError **error)
{
	for (guint i = 0; i < c->n_classes; i++) {
		const GenClass *k = c->classes[i];

		if (!k->publishes_capacity)
			continue;
		if (k->node_local) {
			for (guint j = 0; j < c->nodes->len; j++) {
				GenNode *n = c->nodes->pdata[j];
				g_autofree gchar *key = g_strdup_printf("%s|%s", k->name, n->name);
				gint64 *used = g_hash_table_lookup(local_used, key);
				gint64 pool = (gint64)(1024 + 512 * (g_str_hash(n->name) % 6)) * GI;

				if (n->control_plane)
					continue;
				if (!gen_capacity_object(c, k, "topology.topolvm.io/node", n->name,
							 pool - (used ? *used : 0), 0, error))
					return FALSE;
			}
		} else {
			gint64 *used = g_hash_table_lookup(local_used, k->name);
			const gchar *zones[] = {"a", "b", "c"};

			/* one pool per zone; the demo's storage-short cluster is short here */
			for (gsize z = 0; z < G_N_ELEMENTS(zones); z++) {
				g_autofree gchar *zone =
				    g_strdup_printf("%s-1%s", c->name, zones[z]);
				gint64 pool = (gint64)(8 + c->index % 5) * 1024 * GI;

				if (!gen_capacity_object(c, k, "topology.kubernetes.io/zone", zone,
							 pool - (used ? *used / 3 : 0),
							 16 * 1024 * GI, error))
					return FALSE;
			}
		}
	}
	return TRUE;
}

static gboolean
gen_local_class_volumes(GenCluster *c, const GenClass *k, const gchar *const *fields, GError **error)
{
	for (guint j = 0; j < c->nodes->len; j++) {
		GenNode *n = c->nodes->pdata[j];
		const gint64 wffc[] = {20 + 10 * (j % 3), 60, 120 + 40 * (j % 2)};
		const gint64 now[] = {50, 200};
		const gint64 *sizes = k->wffc ? wffc : now;
		gsize n_sizes = k->wffc ? G_N_ELEMENTS(wffc) : G_N_ELEMENTS(now);

		if (n->control_plane)
			continue;
		for (gsize v = 0; v < n_sizes; v++) {
			g_autofree gchar *name =
			    g_strdup_printf("%s-%s-%" G_GSIZE_FORMAT, k->name, n->name, v);
			g_autofree gchar *path =
			    g_strdup_printf("/mnt/%s/disk%" G_GSIZE_FORMAT, k->name, v);
			JsonObject *pv = gen_object(c, "v1", "PersistentVolume", NULL, name, n->created + 600, NULL);
			JsonObject *spec = go(pv, "spec");
			JsonObject *expr = gao(ga(gao(ga(go(go(spec, "nodeAffinity"), "required"),
							     "nodeSelectorTerms")),
						  "matchExpressions"));

			json_array_add_string_element(ga(spec, "accessModes"), k->access_mode);
			gq(go(spec, "capacity"), "storage", sizes[v] * GI);
			gs(go(spec, "local"), "path", path);
			gs(expr, "key", "kubernetes.io/hostname");
			gs(expr, "operator", "In");
			json_array_add_string_element(ga(expr, "values"), n->name);
			gs(spec, "persistentVolumeReclaimPolicy", "Retain");
			gs(spec, "storageClassName", k->name);
			gs(spec, "volumeMode", k->volume_mode);
			gs(go(pv, "status"), "phase", "Available");
			gen_managed(pv, "kubectl-create", "Update", n->created + 600, NULL, fields);
			if (!gen_emit(c, FILE_STORAGE, pv, error))
				return FALSE;
		}
	}
	return TRUE;
}

/* Local volumes an admin made for the no-provisioner classes, Available and pinned to their
 * node: three per worker for the WaitForFirstConsumer class, two for the Immediate one;
 * written last, so the random draws for their uids leave the rest of the cluster as it would
 * be without them */
static gboolean
gen_local_volumes(GenCluster *c, GError **error)
{
	const gchar *const fields[] = {"spec", NULL};

	for (guint i = 0; i < c->n_classes; i++) {
		if (strcmp(c->classes[i]->provisioner, GEN_NO_PROVISIONER) == 0 &&
		    !gen_local_class_volumes(c, c->classes[i], fields, error))
			return FALSE;
	}
	return TRUE;
}

/* On zoned clusters, two volumes an admin made ahead for the first (Immediate) class, in
 * zone c, which the class's allowedTopologies leave out: a claim binds them before anything
 * is provisioned, and its pod follows them there */
static gboolean
gen_spare_volumes(GenCluster *c, GError **error)
{
	const GenClass *k = c->classes[0];
	const gchar *const fields[] = {"spec", NULL};
	const gint64 sizes[] = {50, 150};
	g_autofree gchar *zone = g_strdup_printf("%s-1c", c->name);

	if (!c->zoned || k->wffc)
		return TRUE;
	for (gsize v = 0; v < G_N_ELEMENTS(sizes); v++) {
		g_autofree gchar *name = g_strdup_printf("spare-%s-%" G_GSIZE_FORMAT, k->name, v);
		JsonObject *pv = gen_object(c, "v1", "PersistentVolume", NULL, name, c->t0 + 900, NULL);
		JsonObject *spec = go(pv, "spec");
		JsonObject *expr = gao(ga(gao(ga(go(go(spec, "nodeAffinity"), "required"),
						 "nodeSelectorTerms")),
					  "matchExpressions"));
		JsonObject *csi = go(spec, "csi");

		json_array_add_string_element(ga(spec, "accessModes"), "ReadWriteMany");
		json_array_add_string_element(ga(spec, "accessModes"), "ReadWriteOnce");
		gq(go(spec, "capacity"), "storage", sizes[v] * GI);
		gs(csi, "driver", k->provisioner);
		gs(csi, "volumeHandle", name);
		gs(expr, "key", "topology.kubernetes.io/zone");
		gs(expr, "operator", "In");
		json_array_add_string_element(ga(expr, "values"), zone);
		gs(spec, "persistentVolumeReclaimPolicy", "Retain");
		gs(spec, "storageClassName", k->name);
		gs(spec, "volumeMode", "Filesystem");
		gs(go(pv, "status"), "phase", "Available");
		gen_managed(pv, "kubectl-create", "Update", c->t0 + 900, NULL, fields);
		if (!gen_emit(c, FILE_STORAGE, pv, error))
			return FALSE;
	}
	return TRUE;
}

/* ---- one cluster ---- */

static void
gen_node_free(GenNode *n)
{
	g_free(n->name);
	g_free(n->zone);
	g_free(n->uid);
	g_free(n);
}

static gboolean
gen_cluster(const GenOptions *opt, guint index, guint64 *bytes, GError **error)
{
	GenCluster c = {0};
	g_autoptr(GHashTable) local_used =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gint64 now;
	gint n_cp = opt->nodes >= 10 ? 3 : 0;
	gint daemons;
	gint64 vm_budget, filler;
	gboolean ok = FALSE;
	const gchar *const system_ns[] = {"default",
					  "kube-system",
					  "openshift-cnv",
					  "openshift-storage",
					  "openshift-lvm-storage",
					  "openshift-monitoring",
					  "openshift-ovn-kubernetes",
					  "openshift-virtualization-os-images",
					  "trident",
					  NULL};
	const gchar *const app_ns[] = {"vm-prod",	"vm-dev",   "vm-test",	 "finance-vms",
				       "team-payments", "team-web", "team-data", "ci"};

	c.rng.s = (guint64)opt->seed * 0x100000001b3ULL + index * 0x9e3779b97f4a7c15ULL + 1;
	gen_rng_next(&c.rng);
	c.index = index;
	c.name = index < G_N_ELEMENTS(gen_regions)
		     ? g_strdup(gen_regions[index])
		     : g_strdup_printf("%s%u", gen_regions[index % G_N_ELEMENTS(gen_regions)],
				       index / (guint)G_N_ELEMENTS(gen_regions) + 1);
	c.dir = g_build_filename(opt->out, c.name, NULL);
	c.buf = g_string_sized_new(64 * 1024);
	c.nodes = g_ptr_array_new_with_free_func((GDestroyNotify)gen_node_free);
	c.app_namespaces = g_ptr_array_new();
	c.usage =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)gen_usage_free);
	c.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* 2025-01-01 plus a seed-derived day: fixed timestamps, reproducible */
	c.t0 = 1735689600 + (gint64)((guint64)opt->seed % 300) * 86400 + index * 3600;
	now = c.t0 + 180 * 86400;

	sim_kubevirt_config_init(&c.kv);
	c.kv.version_minor = 5 + (gint)(index % 5);
	if (index % 3 == 1)
		c.kv.cpu_allocation_ratio = 4;
	else if (index % 3 == 2)
		c.kv.cpu_allocation_ratio = 8;
	if (index % 4 == 3)
		c.kv.memory_overcommit = 150;
	/* storage: every cluster has ceph or trident, some add local and NFS classes */
	c.classes[c.n_classes++] = &gen_classes[index % 5 == 4 ? 4 : 0];
	if (index % 2 == 0)
		c.classes[c.n_classes++] = &gen_classes[1];
	if (index % 3 == 0)
		c.classes[c.n_classes++] = &gen_classes[2];
	if (index % 4 == 1)
		c.classes[c.n_classes++] = &gen_classes[3];
	c.vm_class = c.classes[index % 3 == 2 && c.n_classes > 1 ? 1 : 0]->name;
	/* added after the choice of vm_class: generated VMs' disks stay dynamic */
	if (index % 2 == 1) {
		c.classes[c.n_classes++] = &gen_classes[5];
		c.classes[c.n_classes++] = &gen_classes[6];
	}
	c.zoned = index % 3 == 2;
	for (gsize i = 0; i < G_N_ELEMENTS(app_ns); i++)
		g_ptr_array_add(c.app_namespaces, (gpointer)app_ns[i]);

	if (g_mkdir_with_parents(c.dir, 0755) != 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s", c.dir,
			    g_strerror(errno));
		goto out;
	}
	if (!gen_open(&c, FILE_CLUSTER, "00-cluster.yaml", error) ||
	    !gen_open(&c, FILE_NODES, "10-nodes.yaml", error) ||
	    !gen_open(&c, FILE_STORAGE, "20-storage.yaml", error) ||
	    !gen_open(&c, FILE_VMS, "30-vms.yaml", error))
		goto out;

	for (const gchar *const *ns = system_ns; *ns != NULL; ns++) {
		if (!gen_namespace(&c, *ns, error))
			goto out;
	}
	for (guint i = 0; i < c.app_namespaces->len; i++) {
		if (!gen_namespace(&c, c.app_namespaces->pdata[i], error) ||
		    !gen_nads(&c, c.app_namespaces->pdata[i], i < 4, error))
			goto out;
		if (i % 3 == 2 && !gen_limit_range(&c, c.app_namespaces->pdata[i], error))
			goto out;
	}
	if (!gen_kubevirt(&c, error) || !gen_storage_config(&c, error) ||
	    !gen_network_config(&c, error))
		goto out;

	/* nodes: fill targets differ between clusters (0.35-0.90) and, more on some, per node */
	{
		gdouble base = 0.35 + 0.55 * gen_rng_unit(&c.rng);
		gdouble spread = 0.05 + 0.4 * gen_rng_unit(&c.rng);
		gint64 pods_per_node = opt->nodes > 0 ? opt->pods / opt->nodes : 0;
		gint64 alloc_pods = pods_per_node > 200 ? pods_per_node * 5 / 4 : 250;

		for (gint i = 0; i < opt->nodes; i++) {
			GenNode *n = g_new0(GenNode, 1);
			guint64 r = gen_rng_below(&c.rng, 100);
			const gchar zones[] = "abc";

			n->control_plane = i < n_cp;
			n->type = n->control_plane ? &gen_node_types[0]
				  : r < 40	   ? &gen_node_types[0]
				  : r < 65	   ? &gen_node_types[1]
				  : r < 80	   ? &gen_node_types[2]
				  : r < 90	   ? &gen_node_types[3]
				  : r < 95	   ? &gen_node_types[4]
						   : &gen_node_types[5];
			n->name = n->control_plane ? g_strdup_printf("master-%d", i)
						   : g_strdup_printf("worker-%04d", i - n_cp);
			n->zone = g_strdup_printf("%s-1%c", c.name, zones[i % 3]);
			n->ready =
			    n->control_plane || opt->nodes < 5 || gen_rng_below(&c.rng, 100) != 0;
			n->cordoned =
			    !n->control_plane && opt->nodes >= 5 && gen_rng_below(&c.rng, 100) == 0;
			n->alloc_pods = alloc_pods;
			n->target =
			    CLAMP(base + spread * (gen_rng_unit(&c.rng) * 2 - 1), 0.05, 0.97);
			n->created = c.t0 + 1800 + i * 7;
			g_ptr_array_add(c.nodes, n);
			if (!gen_node(&c, n, now, error))
				goto out;
		}
	}

	/* pods: DaemonSets first, then VMs' launchers, then Deployments filling each node to its
	 * target */
	daemons = opt->nodes > 0 ? (gint)MIN(3, opt->pods / 4 / opt->nodes) : 0;
	for (guint i = 0; i < c.nodes->len; i++) {
		for (gint d = 0; d < daemons; d++) {
			GenNode *n = c.nodes->pdata[i];

			if (d == 1 && n->control_plane)
				continue;
			if (!gen_daemon_pod(&c, n, (guint)d, error))
				goto out;
		}
	}
	vm_budget =
	    MAX(0, (gint64)opt->pods - (gint64)c.pods_in_file -
		       (gint64)(c.pod_file_no > 0 ? (c.pod_file_no - 1) * PODS_PER_FILE : 0));
	for (gint i = 0; i < opt->vms; i++) {
		gboolean ran;

		if (!gen_vm(&c, local_used, (guint)i, vm_budget > 0, &ran, error))
			goto out;
		if (ran)
			vm_budget--;
	}
	filler = vm_budget;
	{
		gdouble total_room = 0;
		gdouble carry = 0;
		GPtrArray *workers = g_ptr_array_new();

		for (guint i = 0; i < c.nodes->len; i++) {
			GenNode *n = c.nodes->pdata[i];

			if (n->control_plane)
				continue;
			g_ptr_array_add(workers, n);
			total_room +=
			    MAX(0.0, n->target * (gdouble)n->alloc_mem - (gdouble)n->used_mem);
		}
		for (guint i = 0; i < workers->len && filler > 0; i++) {
			GenNode *n = workers->pdata[i];
			gdouble room =
			    MAX(0.0, n->target * (gdouble)n->alloc_mem - (gdouble)n->used_mem);
			gdouble share = total_room > 0 ? (gdouble)filler * room / total_room
						       : (gdouble)filler / (workers->len - i);
			gint64 count;

			share += carry;
			count = (gint64)share;
			carry = share - (gdouble)count;
			if (i == workers->len - 1)
				count = filler;
			count = MIN(count, filler);
			count = MIN(count, n->alloc_pods - n->used_pods);
			total_room -= room;
			for (gint64 k = 0; k < count; k++) {
				gdouble left =
				    n->target * (gdouble)n->alloc_mem - (gdouble)n->used_mem;
				gint64 mem = (gint64)(left / (gdouble)(count - k) *
						      (0.5 + gen_rng_unit(&c.rng)));

				if (!gen_app_pod(&c, n, mem, error)) {
					g_ptr_array_unref(workers);
					goto out;
				}
				filler--;
			}
		}
		/* pods the workers could not take (tiny fleets): BestEffort on control planes */
		for (guint i = 0; filler > 0 && i < c.nodes->len; i++) {
			GenNode *n = c.nodes->pdata[i];

			while (filler > 0 && n->used_pods < n->alloc_pods) {
				if (!gen_app_pod(&c, n, 0, error)) {
					g_ptr_array_unref(workers);
					goto out;
				}
				filler--;
			}
		}
		g_ptr_array_unref(workers);
	}
	if (!gen_quotas(&c, error) || !gen_capacities(&c, local_used, error) ||
	    !gen_local_volumes(&c, error) || !gen_spare_volumes(&c, error))
		goto out;
	ok = TRUE;
out:
	for (guint i = 0; i < N_FILES; i++) {
		if (c.files[i] != NULL && fclose(c.files[i]) != 0 && ok) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s",
				    c.dir, g_strerror(errno));
			ok = FALSE;
		}
	}
	*bytes += c.bytes;
	g_free(c.name);
	g_free(c.dir);
	g_string_free(c.buf, TRUE);
	g_ptr_array_unref(c.nodes);
	g_ptr_array_unref(c.app_namespaces);
	g_hash_table_unref(c.usage);
	g_hash_table_unref(c.names);
	return ok;
}

typedef struct {
	const GenOptions *opt;
	GMutex lock;
	GError *error; /* the first failure */
	guint64 bytes;
} GenRun;

static void
gen_cluster_task(gpointer data, gpointer user_data)
{
	GenRun *run = user_data;
	guint index = GPOINTER_TO_UINT(data) - 1;
	GError *error = NULL;
	guint64 bytes = 0;

	g_mutex_lock(&run->lock);
	if (run->error != NULL) {
		g_mutex_unlock(&run->lock);
		return;
	}
	g_mutex_unlock(&run->lock);
	gen_cluster(run->opt, index, &bytes, &error);
	g_mutex_lock(&run->lock);
	run->bytes += bytes;
	if (error != NULL && run->error == NULL)
		run->error = g_steal_pointer(&error);
	g_mutex_unlock(&run->lock);
	g_clear_error(&error);
}

int
sim_generate_main(int argc, char **argv)
{
	GenOptions opt = {1, 3, 30, 5, 1, NULL};
	g_autofree gchar *out = NULL;
	GOptionEntry entries[] = {
	    {"clusters", 0, 0, G_OPTION_ARG_INT, &opt.clusters, "Number of clusters", "N"},
	    {"nodes", 0, 0, G_OPTION_ARG_INT, &opt.nodes, "Nodes per cluster", "N"},
	    {"pods", 0, 0, G_OPTION_ARG_INT, &opt.pods,
	     "Pods per cluster, virt-launcher pods included", "N"},
	    {"vms", 0, 0, G_OPTION_ARG_INT, &opt.vms, "VirtualMachines per cluster", "N"},
	    {"seed", 0, 0, G_OPTION_ARG_INT64, &opt.seed, "PRNG seed: same seed, same bytes", "S"},
	    {"out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Fleet directory to write", "DIR"},
	    {NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- write a simulated fleet");
	g_autoptr(GError) error = NULL;
	gint64 t0 = g_get_monotonic_time();
	GenRun run = {&opt};
	GThreadPool *pool;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
	    ctx, "Writes DIR/<cluster>/*.yaml: nodes, pods, VMs with their VMIs and virt-launcher "
		 "pods, storage, quotas and KubeVirt configuration, as `kubectl get -o yaml` "
		 "prints them. The same options write the same bytes.");
	/* argv[1] is "generate" */
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		g_printerr("cclm-sim generate: %s\n", error->message);
		return 2;
	}
	if (out == NULL || opt.clusters < 1 || opt.nodes < 1 || opt.pods < 0 || opt.vms < 0) {
		g_printerr("cclm-sim generate: --out DIR is required; --clusters and --nodes must "
			   "be at least 1, --pods and --vms at least 0\n");
		return 2;
	}
	opt.out = out;
	/* clusters are independent (each has its own PRNG stream): one per core */
	g_mutex_init(&run.lock);
	pool =
	    g_thread_pool_new(gen_cluster_task, &run,
			      (gint)MIN((guint)opt.clusters, g_get_num_processors()), TRUE, NULL);
	for (gint i = 0; i < opt.clusters; i++)
		g_thread_pool_push(pool, GUINT_TO_POINTER((guint)i + 1), NULL);
	g_thread_pool_free(pool, FALSE, TRUE);
	g_mutex_clear(&run.lock);
	if (run.error != NULL) {
		g_printerr("cclm-sim generate: %s\n", run.error->message);
		g_error_free(run.error);
		return 1;
	}
	g_printerr("cclm-sim generate: %d cluster(s), %" G_GUINT64_FORMAT " bytes in %.1f s\n",
		   opt.clusters, run.bytes, (gdouble)(g_get_monotonic_time() - t0) / 1e6);
	return 0;
}
