/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <cclm.h>
#include <string.h>

#include "cclm-fit-private.h"
#include "cclm-inventory-private.h"
#include "cclm-quantity-private.h"
#include "cclm-strpool-private.h"

#define GI ((gint64)1 << 30)
#define MI ((gint64)1 << 20)

/* Feeds @items (JSON objects joined by commas) as one List page through the yajl path. */
static void
load(CclmInventory *inv, CclmInventoryKind kind, const gchar *items)
{
	g_autofree gchar *doc = g_strdup_printf(
	    "{\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"42\"},\"items\":[%s]}", items);
	g_autoptr(GBytes) bytes = g_bytes_new(doc, strlen(doc));
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rv = NULL;
	g_autofree gchar *cont = NULL;

	g_assert_true(cclm_inventory_load_page(inv, kind, stream, &rv, &cont, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(rv, ==, "42");
	g_assert_null(cont);
}

static void
apply_json(CclmInventory *inv, CclmInventoryKind kind, const gchar *json);

/* A node; @extra goes into metadata.labels (leading comma), @alloc_extra into allocatable */
static gchar *
node(const gchar *name, const gchar *cpu, const gchar *memory, const gchar *labels, const gchar *alloc_extra,
     const gchar *taints, gboolean cordoned, const gchar *ready)
{
	return g_strdup_printf(
	    "{\"metadata\":{\"name\":\"%s\",\"labels\":{\"kubernetes.io/hostname\":\"%s\","
	    "\"kubevirt.io/schedulable\":\"true\"%s}},"
	    "\"spec\":{\"unschedulable\":%s,\"taints\":[%s]},"
	    "\"status\":{\"allocatable\":{\"cpu\":\"%s\",\"memory\":\"%s\",\"pods\":\"110\","
	    "\"ephemeral-storage\":\"100Gi\",\"devices.kubevirt.io/kvm\":\"1k\","
	    "\"devices.kubevirt.io/tun\":\"1k\",\"devices.kubevirt.io/vhost-net\":\"1k\"%s},"
	    "\"conditions\":[{\"type\":\"MemoryPressure\",\"status\":\"False\"},"
	    "{\"type\":\"Ready\",\"status\":\"%s\"}]}}",
	    name, name, labels ? labels : "", cordoned ? "true" : "false", taints ? taints : "", cpu, memory,
	    alloc_extra ? alloc_extra : "", ready ? ready : "True");
}

static gchar *
simple_node(const gchar *name, const gchar *cpu, const gchar *memory)
{
	return node(name, cpu, memory, NULL, NULL, NULL, FALSE, NULL);
}

/* A VM: @domain_extra is added to spec.template.spec.domain, @spec_extra to
 * spec.template.spec, @top_extra to spec */
static gchar *
vm(const gchar *ns, const gchar *name, gboolean running, guint cores, const gchar *memory,
   const gchar *domain_extra, const gchar *spec_extra, const gchar *top_extra)
{
	return g_strdup_printf(
	    "{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachine\","
	    "\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\"},"
	    "\"spec\":{\"runStrategy\":\"%s\"%s,\"template\":{\"spec\":{"
	    "\"domain\":{\"cpu\":{\"cores\":%u},\"resources\":{\"requests\":{\"memory\":\"%s\"}}%s}%s}}}}",
	    name, ns, running ? "Always" : "Halted", top_extra ? top_extra : "", cores, memory,
	    domain_extra ? domain_extra : "", spec_extra ? spec_extra : "");
}

static gchar *
join(gchar **parts)
{
	gchar *s = g_strjoinv(",", parts);

	g_strfreev(parts);
	return s;
}

static CclmInventory *
cluster_with_nodes(const gchar *name, guint n, const gchar *cpu, const gchar *memory)
{
	CclmInventory *inv = cclm_inventory_new(name);
	g_autoptr(GPtrArray) nodes = g_ptr_array_new();
	g_autofree gchar *items = NULL;

	for (guint i = 0; i < n; i++) {
		g_autofree gchar *nm = g_strdup_printf("%s-w%u", name, i + 1);

		g_ptr_array_add(nodes, simple_node(nm, cpu, memory));
	}
	g_ptr_array_add(nodes, NULL);
	items = join((gchar **)g_ptr_array_free(g_steal_pointer(&nodes), FALSE));
	load(inv, CCLM_INVENTORY_KIND_NODE, items);
	return inv;
}

static CclmFitVerdict *
fit(CclmCapacity *cap, CclmInventory *source, const gchar *vm_name)
{
	g_autoptr(GError) error = NULL;
	CclmFitVerdict *v = cclm_capacity_fit(cap, source, vm_name, NULL, &error);

	g_assert_no_error(error);
	g_assert_nonnull(v);
	return v;
}

static CclmFitReason *
reason_of_kind(CclmFitVerdict *v, CclmFitReasonKind kind, gboolean warning)
{
	GPtrArray *list = warning ? cclm_fit_verdict_get_warnings(v) : cclm_fit_verdict_get_reasons(v);

	for (guint i = 0; i < list->len; i++) {
		if (cclm_fit_reason_get_kind(list->pdata[i]) == kind)
			return list->pdata[i];
	}
	return NULL;
}

/* Some reason of @kind contains @contains; every message begins with the kind's nick, as the
 * issue's JSON contract says */
static void
assert_reason(CclmFitVerdict *v, CclmFitReasonKind kind, const gchar *contains)
{
	GPtrArray *reasons = cclm_fit_verdict_get_reasons(v);
	g_autofree gchar *prefix = g_strconcat(cclm_fit_reason_kind_to_nick(kind), ": ", NULL);
	gboolean found = FALSE;

	g_assert_false(cclm_fit_verdict_get_fits(v));
	for (guint i = 0; i < reasons->len; i++) {
		const gchar *msg = cclm_fit_reason_get_message(reasons->pdata[i]);

		if (cclm_fit_reason_get_kind(reasons->pdata[i]) != kind)
			continue;
		g_assert_true(g_str_has_prefix(msg, prefix));
		found = found || contains == NULL || strstr(msg, contains) != NULL;
	}
	if (!found) {
		g_autoptr(JsonNode) node = cclm_fit_verdict_to_json(v);
		g_autofree gchar *json = json_to_string(node, TRUE);

		g_error("no %s reason containing \"%s\" in %s", prefix, contains, json);
	}
}

/* Pods: init containers by max, sidecars added, overhead last, terminal and unbound pods free */
static void
test_pod_requests(void)
{
	g_autoptr(CclmInventory) inv = cluster_with_nodes("c", 1, "4", "8Gi");
	g_autoptr(CclmCapacity) cap = NULL;
	const gchar *pods =
	    "{\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"c-w1\","
	    "\"overhead\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"},"
	    "\"initContainers\":["
	    "{\"name\":\"i1\",\"resources\":{\"requests\":{\"cpu\":\"2\",\"memory\":\"1Gi\"}}},"
	    "{\"name\":\"s1\",\"restartPolicy\":\"Always\",\"resources\":{\"requests\":{\"cpu\":\"100m\","
	    "\"memory\":\"128Mi\"}}},"
	    "{\"name\":\"i2\",\"resources\":{\"requests\":{\"cpu\":\"1\",\"memory\":\"4Gi\"}}}],"
	    "\"containers\":["
	    "{\"name\":\"c1\",\"resources\":{\"requests\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"}}},"
	    "{\"name\":\"c2\",\"resources\":{\"requests\":{\"cpu\":\"250m\",\"memory\":\"512Mi\","
	    "\"nvidia.com/gpu\":1}}}]},\"status\":{\"phase\":\"Pending\"}},"
	    "{\"metadata\":{\"name\":\"done\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"c-w1\","
	    "\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]},"
	    "\"status\":{\"phase\":\"Succeeded\"}},"
	    "{\"metadata\":{\"name\":\"unbound\",\"namespace\":\"ns\"},\"spec\":{"
	    "\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]},"
	    "\"status\":{\"phase\":\"Pending\"}},"
	    "{\"metadata\":{\"name\":\"podlevel\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"c-w1\","
	    "\"resources\":{\"requests\":{\"memory\":\"256Mi\"}},"
	    "\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]},"
	    "\"status\":{\"phase\":\"Running\"}}";

	load(inv, CCLM_INVENTORY_KIND_POD, pods);
	g_assert_cmpuint(cclm_inventory_get_n_pods(inv), ==, 4);
	cap = cclm_capacity_new(inv);
	/* a: max(apps 750m/1.5Gi + sidecar 100m/128Mi, i2 1000m+100m / 4Gi+128Mi, i1 2000m/1Gi)
	 * per resource = 2000m / 4224Mi, + overhead 50m/64Mi; podlevel: 100m / 256Mi */
	g_assert_cmpint(cclm_capacity_get_node_free(cap, "c-w1", "cpu"), ==, 4000 - 2050 - 100);
	g_assert_cmpint(cclm_capacity_get_node_free(cap, "c-w1", "memory"), ==, 8 * GI - 4288 * MI - 256 * MI);
	g_assert_cmpint(cclm_capacity_get_node_free(cap, "c-w1", "pods"), ==, 110 - 2);
	g_assert_cmpint(cclm_capacity_get_node_free(cap, "c-w1", "nvidia.com/gpu"), ==, -1);
}

/* In-place resizes (InPlacePodVerticalScaling): a container counts for the larger of its spec,
 * what it runs with and what the kubelet allocated, or, once the resize is found infeasible,
 * for what it runs with; a sidecar likewise, other init containers by their spec. Each pod on
 * its own node, read as a List page and as a watch event. */
static void
test_pod_resize(void)
{
	static const struct {
		const gchar *spec;   /* "containers":[...] and "initContainers":[...] */
		const gchar *status; /* status members */
		gint64 cpu;	     /* millicores it counts for */
	} cases[] = {
	    /* resized up, done: the status says 2 */
	    {"\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]",
	     "\"containerStatuses\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"2\"}},"
	     "\"allocatedResources\":{\"cpu\":\"2\"}}]",
	     2000},
	    /* asked down to 1, still running with 3 */
	    {"\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]",
	     "\"containerStatuses\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"3\"}},"
	     "\"allocatedResources\":{\"cpu\":\"3\"}}]",
	     3000},
	    /* asked up to 3, allocated but not yet applied */
	    {"\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"3\"}}}]",
	     "\"containerStatuses\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"1\"}},"
	     "\"allocatedResources\":{\"cpu\":\"3\"}}]",
	     3000},
	    /* asked up to 3 and infeasible: what it runs with */
	    {"\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"3\"}}}]",
	     "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"},{\"type\":\"PodResizePending\","
	     "\"status\":\"True\",\"reason\":\"Infeasible\"}],"
	     "\"containerStatuses\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"1\"}},"
	     "\"allocatedResources\":{\"cpu\":\"1\"}}]",
	     1000},
	    /* deferred (not infeasible): the spec still counts */
	    {"\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"3\"}}}]",
	     "\"conditions\":[{\"type\":\"PodResizePending\",\"status\":\"True\",\"reason\":\"Deferred\"}],"
	     "\"containerStatuses\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"1\"}},"
	     "\"allocatedResources\":{\"cpu\":\"1\"}}]",
	     3000},
	    /* a status without resources (feature off): the spec */
	    {"\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]",
	     "\"containerStatuses\":[{\"name\":\"a\",\"allocatedResources\":{\"cpu\":\"2\"}}]", 1000},
	    /* a sidecar resized to 1: 500m app + 1 sidecar, above the init container's 1200m */
	    {"\"initContainers\":[{\"name\":\"s\",\"restartPolicy\":\"Always\",\"resources\":{\"requests\":"
	     "{\"cpu\":\"100m\"}}},{\"name\":\"i\",\"resources\":{\"requests\":{\"cpu\":\"200m\"}}}],"
	     "\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"500m\"}}}]",
	     "\"initContainerStatuses\":[{\"name\":\"s\",\"resources\":{\"requests\":{\"cpu\":\"1\"}},"
	     "\"allocatedResources\":{\"cpu\":\"1\"}},{\"name\":\"i\",\"resources\":{\"requests\":"
	     "{\"cpu\":\"4\"}}}]",
	     1500},
	};
	g_autoptr(CclmInventory) listed = cluster_with_nodes("c", G_N_ELEMENTS(cases), "8", "8Gi");
	g_autoptr(CclmInventory) watched = cluster_with_nodes("c", G_N_ELEMENTS(cases), "8", "8Gi");
	g_autoptr(GPtrArray) pods = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(CclmCapacity) c1 = NULL;
	g_autoptr(CclmCapacity) c2 = NULL;
	g_autofree gchar *page = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gchar *pod = g_strdup_printf("{\"metadata\":{\"name\":\"p%u\",\"namespace\":\"ns\"},\"spec\":{"
					     "\"nodeName\":\"c-w%u\",%s},\"status\":{\"phase\":\"Running\",%s}}",
					     i, i + 1, cases[i].spec, cases[i].status);

		g_ptr_array_add(pods, pod);
		apply_json(watched, CCLM_INVENTORY_KIND_POD, pod);
	}
	g_ptr_array_add(pods, NULL);
	page = g_strjoinv(",", (gchar **)pods->pdata);
	load(listed, CCLM_INVENTORY_KIND_POD, page);
	c1 = cclm_capacity_new(listed);
	c2 = cclm_capacity_new(watched);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *node = g_strdup_printf("c-w%u", i + 1);

		g_test_message("case %u", i);
		g_assert_cmpint(cclm_capacity_get_node_free(c1, node, "cpu"), ==, 8000 - cases[i].cpu);
		g_assert_cmpint(cclm_capacity_get_node_free(c2, node, "cpu"), ==, 8000 - cases[i].cpu);
	}
}

/* The virt-launcher pod of a 2-vCPU, 4Gi VM with the default KubeVirt config */
static void
test_vm_demand(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cluster_with_nodes("dst", 1, "16", "64Gi");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(CclmFitVerdict) v2 = NULL;
	g_autoptr(CclmCapacity) cap2 = NULL;
	g_autofree gchar *a = vm("ns", "a", FALSE, 2, "4Gi", NULL, NULL, NULL);
	/* page tables: ceil(4Gi / 1000) * 1000 / 512; then 25+100+25+40+30 Mi processes,
	 * 2 x 8Mi vCPU, 8Mi IOThread, 32Mi video (hypervisorbackend.go, v1.5-v1.9) */
	gint64 overhead = (4 * GI + 999) / 1000 * 1000 / 512 + (220 + 16 + 8 + 32) * MI;

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, a);
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/a");
	g_assert_true(cclm_fit_verdict_get_fits(v));
	g_assert_cmpint(cclm_fit_verdict_get_memory_overhead(v), ==, overhead);
	/* + guest-console-log 35M */
	g_assert_cmpint(cclm_fit_verdict_get_memory_request(v), ==, 4 * GI + overhead + 35000000);
	/* 2 vCPU / cpuAllocationRatio 10 = 200m, + 5m console log */
	g_assert_cmpint(cclm_fit_verdict_get_cpu_request(v), ==, 205);
	g_assert_cmpstr(cclm_fit_verdict_get_node(v), ==, "dst-w1");
	g_assert_cmpint(cclm_capacity_get_node_free(cap, "dst-w1", "memory"), ==,
			64 * GI - cclm_fit_verdict_get_memory_request(v));

	/* the target's own KubeVirt config: ratio 4, overhead ratio 1.5, a v1.4 cluster */
	load(dst, CCLM_INVENTORY_KIND_KUBEVIRT,
	     "{\"metadata\":{\"name\":\"kubevirt\",\"namespace\":\"kubevirt\"},\"spec\":{\"configuration\":{"
	     "\"additionalGuestMemoryOverheadRatio\":\"1.5\",\"developerConfiguration\":{"
	     "\"cpuAllocationRatio\":4}}},\"status\":{\"observedKubeVirtVersion\":\"v1.4.1\"}}");
	cap2 = cclm_capacity_new(dst);
	v2 = fit(cap2, src, "ns/a");
	g_assert_cmpint(cclm_fit_verdict_get_cpu_request(v2), ==, 500 + 5);
	/* v1.0-v1.4: virtlogd 20Mi, virtqemud 35Mi; then MultiplyMemory adds whole kilobytes x 0.5 */
	{
		gint64 o1 = overhead - 10 * MI;

		g_assert_cmpint(cclm_fit_verdict_get_memory_overhead(v2), ==,
				o1 + (gint64)((gdouble)((o1 + 999) / 1000) * 0.5) * 1000);
	}
}

/* Every overhead term of GetMemoryOverhead and the network binding terms */
static void
test_vm_overhead_terms(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autofree gchar *arm = node("arm-1", "16", "64Gi", ",\"kubernetes.io/arch\":\"arm64\"", NULL, NULL, FALSE, NULL);
	g_autofree gchar *x86 = node("x86-1", "16", "64Gi", ",\"kubernetes.io/arch\":\"amd64\"", NULL, NULL, FALSE, NULL);
	g_autofree gchar *nodes = g_strjoin(",", x86, arm, NULL);
	/* Guaranteed (requests = limits), arm64, 2 exec probes, downwardMetrics, TPM, passt and a
	 * binding plugin, no video */
	g_autofree gchar *a = vm("ns", "a", FALSE, 2, "4Gi",
				 ",\"resources\":{\"requests\":{\"memory\":\"4Gi\",\"cpu\":\"2\"},\"limits\":{"
				 "\"memory\":\"4Gi\",\"cpu\":\"2\"}},\"devices\":{\"autoattachGraphicsDevice\":false,"
				 "\"tpm\":{},\"interfaces\":[{\"name\":\"a\",\"passtBinding\":{}},{\"name\":\"b\","
				 "\"binding\":{\"name\":\"slirp\"}},{\"name\":\"c\",\"binding\":{\"name\":\"slirp\"}}]}",
				 ",\"architecture\":\"arm64\",\"livenessProbe\":{\"exec\":{\"command\":[\"true\"]}},"
				 "\"readinessProbe\":{\"exec\":{\"command\":[\"true\"]}},"
				 "\"volumes\":[{\"name\":\"m\",\"downwardMetrics\":{}}]",
				 NULL);
	/* after v1.9 qemu is 50Mi */
	gint64 expected = (4 * GI + 999) / 1000 * 1000 / 512 + (25 + 100 + 25 + 40 + 50) * MI + 16 * MI + 8 * MI +
			  128 * MI + 1 * MI + (100 + 20) * MI + 53 * MI + 100 * MI + 250 * MI + 64 * MI;

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, a);
	load(dst, CCLM_INVENTORY_KIND_NODE, nodes);
	load(dst, CCLM_INVENTORY_KIND_KUBEVIRT,
	     "{\"metadata\":{\"name\":\"kv\",\"namespace\":\"kubevirt\"},\"spec\":{\"configuration\":{"
	     "\"network\":{\"binding\":{\"slirp\":{\"computeResourceOverhead\":{\"requests\":{"
	     "\"memory\":\"64Mi\"}}}}}}},\"status\":{\"observedKubeVirtVersion\":\"v1.10.0\"}}");
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/a");
	g_assert_cmpint(cclm_fit_verdict_get_memory_overhead(v), ==, expected);
	g_assert_true(cclm_fit_verdict_get_fits(v));
	g_assert_cmpstr(cclm_fit_verdict_get_node(v), ==, "arm-1");
	g_assert_cmpint(cclm_fit_verdict_get_cpu_request(v), ==, 2005);
}

static void
test_hugepages(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autofree gchar *n = node("dst-w1", "16", "64Gi", NULL, ",\"hugepages-1Gi\":\"2Gi\"", NULL, FALSE, NULL);
	g_autofree gchar *a = vm("ns", "a", TRUE, 2, "4Gi", ",\"memory\":{\"hugepages\":{\"pageSize\":\"1Gi\"}}",
				 NULL, NULL);
	CclmFitReason *r;

	load(dst, CCLM_INVENTORY_KIND_NODE, n);
	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, a);
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/a");
	assert_reason(v, CCLM_FIT_REASON_KIND_HUGEPAGES,
		      "hugepages: needs 4.0 GiB on one node; largest free node has 2.0 GiB (dst-w1); only 2.0 GiB "
		      "free in total across 1 node");
	r = reason_of_kind(v, CCLM_FIT_REASON_KIND_HUGEPAGES, FALSE);
	g_assert_cmpstr(cclm_fit_reason_get_resource(r), ==, "hugepages-1Gi");
	g_assert_cmpint(cclm_fit_reason_get_needed(r), ==, 4 * GI);
	g_assert_cmpint(cclm_fit_reason_get_available(r), ==, 2 * GI);
	/* memory holds only the overhead (and the console log) */
	g_assert_cmpint(cclm_fit_verdict_get_memory_request(v), ==,
			cclm_fit_verdict_get_memory_overhead(v) + 35000000);
	g_assert_null(reason_of_kind(v, CCLM_FIT_REASON_KIND_MEMORY, FALSE));
}

static void
test_dedicated_cpu(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(CclmCapacity) cap2 = NULL;
	g_autoptr(CclmFitVerdict) v2 = NULL;
	g_autofree gchar *plain = simple_node("dst-plain", "32", "64Gi");
	g_autofree gchar *pinned =
	    node("dst-pinned", "4", "64Gi", ",\"kubevirt.io/cpumanager\":\"true\"", NULL, NULL, FALSE, NULL);
	g_autofree gchar *nodes = g_strconcat(plain, ",", pinned, NULL);
	g_autofree gchar *a = vm("ns", "a", FALSE, 4, "4Gi", ",\"cpu\":{\"cores\":4,\"dedicatedCpuPlacement\":true}",
				 NULL, NULL);

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, a);
	load(dst, CCLM_INVENTORY_KIND_NODE, plain);
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/a");
	assert_reason(v, CCLM_FIT_REASON_KIND_DEDICATED_CPU, "kubevirt.io/cpumanager=true");
	/* 4 whole CPUs (+5m console log) do not fit the 4-CPU pinned node */
	load(dst, CCLM_INVENTORY_KIND_NODE, nodes);
	cap2 = cclm_capacity_new(dst);
	v2 = fit(cap2, src, "ns/a");
	g_assert_cmpint(cclm_fit_verdict_get_cpu_request(v2), ==, 4005);
	assert_reason(v2, CCLM_FIT_REASON_KIND_DEDICATED_CPU,
		      "needs 4.005 cores on one node; largest free node has 4 cores (dst-pinned)");
}

/* SR-IOV: one VF of the resource the target's NetworkAttachmentDefinition names, and VFIO */
static void
test_sriov(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(CclmInventory) bare = cluster_with_nodes("bare", 1, "16", "64Gi");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmCapacity) cap2 = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(CclmFitVerdict) w = NULL;
	g_autofree gchar *novf = simple_node("novf", "16", "64Gi");
	g_autofree gchar *vf = node("vf", "16", "8Gi", NULL, ",\"openshift.io/intel_vf\":\"1\"", NULL, FALSE, NULL);
	g_autofree gchar *nodes = g_strjoin(",", novf, vf, NULL);
	g_autofree gchar *a = vm("ns", "a", FALSE, 2, "4Gi",
				 ",\"devices\":{\"interfaces\":[{\"name\":\"default\",\"masquerade\":{}},"
				 "{\"name\":\"fast\",\"sriov\":{}},{\"name\":\"fast2\",\"sriov\":{}}]}",
				 ",\"networks\":[{\"name\":\"default\",\"pod\":{}},{\"name\":\"fast\",\"multus\":{"
				 "\"networkName\":\"sriov-net\"}},{\"name\":\"fast2\",\"multus\":{\"networkName\":"
				 "\"other/sriov-net\"}}]",
				 NULL);
	gint64 base = (4 * GI + 999) / 1000 * 1000 / 512 + (220 + 16 + 8 + 32) * MI;

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, a);
	load(dst, CCLM_INVENTORY_KIND_NODE, nodes);
	load(dst, CCLM_INVENTORY_KIND_NETWORK_ATTACHMENT_DEFINITION,
	     "{\"metadata\":{\"name\":\"sriov-net\",\"namespace\":\"ns\",\"annotations\":{"
	     "\"k8s.v1.cni.cncf.io/resourceName\":\"openshift.io/intel_vf\"}}},"
	     "{\"metadata\":{\"name\":\"sriov-net\",\"namespace\":\"other\",\"annotations\":{"
	     "\"k8s.v1.cni.cncf.io/resourceName\":\"openshift.io/intel_vf\"}}}");
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/a");
	/* two VFs: the only node with VFs has one */
	assert_reason(v, CCLM_FIT_REASON_KIND_EXTENDED_RESOURCE,
		      "extended-resource: openshift.io/intel_vf needs 2 on one node; largest free node has 1 (vf)");
	g_assert_cmpint(cclm_fit_verdict_get_memory_overhead(v), ==, base + 1024 * MI); /* VFIO */
	/* no NetworkAttachmentDefinition on the target: a warning, the VF is not counted */
	cap2 = cclm_capacity_new(bare);
	w = fit(cap2, src, "ns/a");
	g_assert_true(cclm_fit_verdict_get_fits(w));
	g_assert_nonnull(reason_of_kind(w, CCLM_FIT_REASON_KIND_EXTENDED_RESOURCE, TRUE));
	g_assert_cmpuint(cclm_fit_verdict_get_warnings(w)->len, ==, 2);
}

static void
test_taints(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(CclmFitVerdict) w = NULL;
	g_autoptr(CclmFitVerdict) nr = NULL;
	g_autofree gchar *gpu =
	    node("gpu-1", "16", "64Gi", NULL, NULL, "{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"},"
						    "{\"key\":\"soft\",\"effect\":\"PreferNoSchedule\"}",
		 FALSE, NULL);
	/* the node lifecycle controller sets both; pods tolerate the NoExecute one by default */
	g_autofree gchar *down = node("down-1", "16", "64Gi", NULL, NULL,
				      "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\"},"
				      "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\"}",
				      FALSE, "Unknown");
	g_autofree gchar *nodes = g_strconcat(gpu, ",", down, NULL);
	g_autofree gchar *a = vm("ns", "a", FALSE, 2, "4Gi", NULL, NULL, NULL);
	g_autofree gchar *b = vm("ns", "b", FALSE, 2, "4Gi", NULL,
				 ",\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"gpu\","
				 "\"effect\":\"NoSchedule\"}]",
				 NULL);
	g_autofree gchar *vms = g_strconcat(a, ",", b, NULL);
	g_autofree gchar *sick = node("sick-1", "16", "64Gi", NULL, NULL, NULL, FALSE, "False");

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, vms);
	load(dst, CCLM_INVENTORY_KIND_NODE, nodes);
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/a");
	assert_reason(v, CCLM_FIT_REASON_KIND_TAINT, "1 of 2 nodes have a taint the VM does not tolerate (e.g. "
						     "{dedicated=gpu:NoSchedule} on gpu-1)");
	assert_reason(v, CCLM_FIT_REASON_KIND_NOT_READY, "node.kubernetes.io/unreachable:NoSchedule, Ready=Unknown");
	g_assert_cmpuint(cclm_fit_verdict_get_reasons(v)->len, ==, 2);
	/* tolerating the taint is enough; the unreachable node stays out */
	w = fit(cap, src, "ns/b");
	g_assert_true(cclm_fit_verdict_get_fits(w));
	g_assert_cmpstr(cclm_fit_verdict_get_node(w), ==, "gpu-1");
	/* NotReady without the taint yet: the scheduler still uses it, so a warning only */
	load(dst, CCLM_INVENTORY_KIND_NODE, sick);
	g_clear_object(&cap);
	cap = cclm_capacity_new(dst);
	nr = fit(cap, src, "ns/a");
	g_assert_true(cclm_fit_verdict_get_fits(nr));
	g_assert_nonnull(reason_of_kind(nr, CCLM_FIT_REASON_KIND_NOT_READY, TRUE));
}

static void
test_node_filters(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(CclmFitVerdict) sel = NULL;
	g_autoptr(CclmFitVerdict) aff = NULL;
	g_autoptr(CclmFitVerdict) model = NULL;
	g_autofree gchar *cordoned = node("w-cordoned", "16", "64Gi", ",\"zone\":\"a\"", NULL,
					  "{\"key\":\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}",
					  TRUE, NULL);
	/* no kubevirt.io/schedulable: a label without it overrides the default one */
	g_autofree gchar *nokv = node("w-nokv", "16", "64Gi", ",\"kubevirt.io/schedulable\":\"false\"", NULL, NULL,
				      FALSE, NULL);
	g_autofree gchar *plain = node("w-plain", "16", "64Gi", ",\"zone\":\"b\",\"rank\":\"5\"", NULL, NULL, FALSE, NULL);
	g_autofree gchar *nodes = g_strjoin(",", cordoned, nokv, plain, NULL);
	g_autofree gchar *a = vm("ns", "a", FALSE, 2, "4Gi", NULL, ",\"nodeSelector\":{\"zone\":\"a\"}", NULL);
	g_autofree gchar *b = vm("ns", "b", FALSE, 2, "4Gi", NULL, ",\"nodeSelector\":{\"zone\":\"c\"}", NULL);
	g_autofree gchar *c = vm("ns", "c", FALSE, 2, "4Gi", NULL,
				 ",\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{"
				 "\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"rank\",\"operator\":\"Gt\","
				 "\"values\":[\"7\"]}]},{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":"
				 "\"In\",\"values\":[\"w-cordoned\"]}]}]}}}",
				 NULL);
	g_autofree gchar *d = vm("ns", "d", FALSE, 2, "4Gi",
				 ",\"cpu\":{\"cores\":2,\"model\":\"Skylake\",\"features\":[{\"name\":\"vmx\"}]}", NULL,
				 NULL);
	g_autofree gchar *vms = g_strjoin(",", a, b, c, d, NULL);

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, vms);
	load(dst, CCLM_INVENTORY_KIND_NODE, nodes);
	cap = cclm_capacity_new(dst);
	/* zone=a only matches the cordoned node */
	v = fit(cap, src, "ns/a");
	assert_reason(v, CCLM_FIT_REASON_KIND_CORDONED, "1 of 3 nodes are cordoned (e.g. w-cordoned)");
	assert_reason(v, CCLM_FIT_REASON_KIND_KUBEVIRT_SCHEDULABLE, "kubevirt.io/schedulable=true (e.g. w-nokv)");
	assert_reason(v, CCLM_FIT_REASON_KIND_NODE_SELECTOR, "2 of 3 nodes lack the label zone=a");
	sel = fit(cap, src, "ns/b");
	assert_reason(sel, CCLM_FIT_REASON_KIND_NODE_SELECTOR, "3 of 3 nodes lack the label zone=c");
	/* rank 5 is not > 7; the name term matches only the cordoned node */
	aff = fit(cap, src, "ns/c");
	assert_reason(aff, CCLM_FIT_REASON_KIND_NODE_AFFINITY, "2 of 3 nodes match none");
	model = fit(cap, src, "ns/d");
	assert_reason(model, CCLM_FIT_REASON_KIND_CPU_MODEL, "cpu-model.node.kubevirt.io/Skylake=true");
	assert_reason(model, CCLM_FIT_REASON_KIND_CPU_FEATURE, "cpu-feature.node.kubevirt.io/vmx=true");
}

/* A running host-model VM needs target nodes that list its source host model for migration */
static void
test_host_model(void)
{
	g_autoptr(CclmInventory) src = cclm_inventory_new("src");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) running = NULL;
	g_autoptr(CclmFitVerdict) stopped = NULL;
	g_autoptr(CclmFitVerdict) ok = NULL;
	g_autofree gchar *s1 = node("s1", "16", "64Gi",
				    ",\"host-model-cpu.node.kubevirt.io/Skylake-Server\":\"true\","
				    "\"host-model-required-features.node.kubevirt.io/invtsc\":\"true\","
				    "\"cpu-vendor.node.kubevirt.io/Intel\":\"true\"",
				    NULL, NULL, FALSE, NULL);
	g_autofree gchar *t1 = node("t1", "16", "64Gi",
				    ",\"cpu-model-migration.node.kubevirt.io/Cascadelake-Server\":\"true\","
				    "\"cpu-vendor.node.kubevirt.io/Intel\":\"true\"",
				    NULL, NULL, FALSE, NULL);
	g_autofree gchar *t2 = node("t2", "16", "64Gi",
				    ",\"cpu-model-migration.node.kubevirt.io/Skylake-Server\":\"true\","
				    "\"cpu-feature.node.kubevirt.io/invtsc\":\"true\","
				    "\"cpu-vendor.node.kubevirt.io/Intel\":\"true\"",
				    NULL, NULL, FALSE, NULL);
	g_autofree gchar *a = vm("ns", "a", TRUE, 2, "4Gi", NULL, NULL, NULL);
	g_autofree gchar *b = vm("ns", "b", FALSE, 2, "4Gi", NULL, NULL, NULL);
	g_autofree gchar *vms = g_strjoin(",", a, b, NULL);
	g_autofree gchar *both = g_strjoin(",", t1, t2, NULL);

	load(src, CCLM_INVENTORY_KIND_NODE, s1);
	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, vms);
	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE,
	     "{\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"},\"status\":{\"phase\":\"Running\","
	     "\"nodeName\":\"s1\"}}");
	load(dst, CCLM_INVENTORY_KIND_NODE, t1);
	cap = cclm_capacity_new(dst);
	running = fit(cap, src, "ns/a");
	assert_reason(running, CCLM_FIT_REASON_KIND_CPU_MODEL,
		      "cpu-model-migration.node.kubevirt.io/Skylake-Server=true");
	assert_reason(running, CCLM_FIT_REASON_KIND_CPU_FEATURE, "cpu-feature.node.kubevirt.io/invtsc=true");
	/* a stopped VM is judged on a fresh start: its host model is whatever the target has */
	stopped = fit(cap, src, "ns/b");
	g_assert_true(cclm_fit_verdict_get_fits(stopped));
	load(dst, CCLM_INVENTORY_KIND_NODE, both);
	g_clear_object(&cap);
	cap = cclm_capacity_new(dst);
	ok = fit(cap, src, "ns/a");
	g_assert_true(cclm_fit_verdict_get_fits(ok));
	g_assert_cmpstr(cclm_fit_verdict_get_node(ok), ==, "t2");
}

/* Instancetypes: a running VM is sized from its VMI's expanded spec; a stopped one cannot be */
static void
test_instancetype(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cluster_with_nodes("dst", 1, "16", "64Gi");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *vms =
	    "{\"metadata\":{\"name\":\"it\",\"namespace\":\"ns\"},\"spec\":{\"runStrategy\":\"Always\","
	    "\"instancetype\":{\"name\":\"u1.large\"},\"template\":{\"spec\":{\"domain\":{}}}}},"
	    "{\"metadata\":{\"name\":\"off\",\"namespace\":\"ns\"},\"spec\":{\"runStrategy\":\"Halted\","
	    "\"instancetype\":{\"name\":\"u1.large\"},\"template\":{\"spec\":{\"domain\":{}}}}}";

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, vms);
	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE,
	     "{\"metadata\":{\"name\":\"it\",\"namespace\":\"ns\"},\"spec\":{\"domain\":{"
	     "\"cpu\":{\"sockets\":2,\"cores\":1,\"threads\":1,\"model\":\"host-passthrough\"},"
	     "\"memory\":{\"guest\":\"8Gi\"},\"resources\":{\"requests\":{\"memory\":\"8Gi\"}}}},"
	     "\"status\":{\"phase\":\"Running\",\"nodeName\":\"src-w1\"}}");
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/it");
	g_assert_true(cclm_fit_verdict_get_fits(v));
	g_assert_cmpint(cclm_fit_verdict_get_memory_overhead(v), ==,
			(8 * GI + 999) / 1000 * 1000 / 512 + (220 + 16 + 8 + 32) * MI);
	g_assert_cmpint(cclm_fit_verdict_get_cpu_request(v), ==, 200 + 5);
	g_assert_null(cclm_capacity_fit(cap, src, "ns/off", NULL, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_UNSUPPORTED);
	g_assert_nonnull(strstr(error->message, "spec.instancetype \"u1.large\""));
}

static void
test_quota(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cluster_with_nodes("dst", 2, "16", "64Gi");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) first = NULL;
	g_autoptr(CclmFitVerdict) second = NULL;
	g_autoptr(CclmFitVerdict) other = NULL;
	g_autofree gchar *a = vm("ns", "a", FALSE, 2, "4Gi", NULL, NULL, NULL);
	g_autofree gchar *b = vm("ns", "b", FALSE, 2, "4Gi", NULL, NULL, NULL);
	g_autofree gchar *c = vm("other", "c", FALSE, 2, "4Gi", NULL, NULL, NULL);
	g_autofree gchar *vms = g_strjoin(",", a, b, c, NULL);
	CclmFitReason *r;

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, vms);
	load(dst, CCLM_INVENTORY_KIND_NAMESPACE, "{\"metadata\":{\"name\":\"ns\"}}");
	load(dst, CCLM_INVENTORY_KIND_RESOURCE_QUOTA,
	     "{\"metadata\":{\"name\":\"q\",\"namespace\":\"ns\"},\"spec\":{\"hard\":{\"requests.memory\":\"1Ti\"}},"
	     "\"status\":{\"hard\":{\"requests.memory\":\"8Gi\",\"pods\":\"10\"},"
	     "\"used\":{\"requests.memory\":\"1Gi\",\"pods\":\"3\"}}}");
	cap = cclm_capacity_new(dst);
	/* 7Gi left: the first VM (about 4.3Gi) fits and is charged, the second does not */
	first = fit(cap, src, "ns/a");
	g_assert_true(cclm_fit_verdict_get_fits(first));
	second = fit(cap, src, "ns/b");
	assert_reason(second, CCLM_FIT_REASON_KIND_QUOTA, "ResourceQuota \"q\" of namespace \"ns\": requests.memory needs");
	r = reason_of_kind(second, CCLM_FIT_REASON_KIND_QUOTA, FALSE);
	g_assert_cmpint(cclm_fit_reason_get_available(r), ==,
			7 * GI - cclm_fit_verdict_get_memory_request(first));
	g_assert_cmpuint(cclm_fit_verdict_get_reasons(second)->len, ==, 1);
	/* LimitRanges: a default limit below the request, a maximum per Pod */
	load(dst, CCLM_INVENTORY_KIND_LIMIT_RANGE,
	     "{\"metadata\":{\"name\":\"lr\",\"namespace\":\"ns\"},\"spec\":{\"limits\":["
	     "{\"type\":\"Container\",\"default\":{\"memory\":\"1Gi\"},\"max\":{\"cpu\":\"8\"}},"
	     "{\"type\":\"Pod\",\"max\":{\"cpu\":\"100m\"}},"
	     "{\"type\":\"PersistentVolumeClaim\",\"max\":{\"storage\":\"1Gi\"}}]}}");
	g_clear_object(&second);
	second = fit(cap, src, "ns/b");
	assert_reason(second, CCLM_FIT_REASON_KIND_QUOTA,
		      "LimitRange \"lr\" of namespace \"ns\" gives containers without a limit a default "
		      "memory limit of 1.0 GiB, below the compute container's request of 4.3 GiB");
	assert_reason(second, CCLM_FIT_REASON_KIND_QUOTA,
		      "LimitRange \"lr\" of namespace \"ns\": maximum cpu per Pod is 100m; the "
		      "virt-launcher pod asks 205m");
	g_assert_cmpuint(cclm_fit_verdict_get_reasons(second)->len, ==, 3);

	/* another namespace: no quota, but it does not exist on the target */
	other = fit(cap, src, "other/c");
	g_assert_true(cclm_fit_verdict_get_fits(other));
	g_assert_nonnull(reason_of_kind(other, CCLM_FIT_REASON_KIND_NAMESPACE, TRUE));
}

static void
test_storage(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(CclmFitVerdict) mapped = NULL;
	g_autoptr(CclmFitVerdict) twice = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *const map_fast[] = {"fast=topo", NULL};
	const gchar *const map_nfs[] = {"fast=nfs", "slow=none", NULL};
	const gchar *const bad_map[] = {"fast", NULL};
	g_autofree gchar *za = node("za", "16", "64Gi", ",\"topology.csi/zone\":\"a\"", NULL, NULL, FALSE, NULL);
	g_autofree gchar *zb = node("zb", "16", "64Gi", ",\"topology.csi/zone\":\"b\"", NULL, NULL, FALSE, NULL);
	g_autofree gchar *nodes = g_strjoin(",", za, zb, NULL);
	g_autofree gchar *a = vm("ns", "a", FALSE, 2, "4Gi", NULL,
				 ",\"volumes\":[{\"name\":\"root\",\"dataVolume\":{\"name\":\"a-root\"}},"
				 "{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"a-data\"}},"
				 "{\"name\":\"ci\",\"cloudInitNoCloud\":{}}]",
				 ",\"dataVolumeTemplates\":[{\"metadata\":{\"name\":\"a-root\"},\"spec\":{\"storage\":{"
				 "\"storageClassName\":\"fast\",\"resources\":{\"requests\":{\"storage\":\"30Gi\"}}}}}]");

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, a);
	load(src, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME_CLAIM,
	     "{\"metadata\":{\"name\":\"a-data\",\"namespace\":\"ns\"},\"spec\":{\"storageClassName\":\"slow\","
	     "\"resources\":{\"requests\":{\"storage\":\"10Gi\"}}},\"status\":{\"phase\":\"Bound\","
	     "\"capacity\":{\"storage\":\"12Gi\"}}}");
	load(dst, CCLM_INVENTORY_KIND_NODE, nodes);
	load(dst, CCLM_INVENTORY_KIND_STORAGE_CLASS,
	     "{\"metadata\":{\"name\":\"topo\"},\"provisioner\":\"topo.csi\",\"volumeBindingMode\":"
	     "\"WaitForFirstConsumer\"},"
	     "{\"metadata\":{\"name\":\"slow\"},\"provisioner\":\"slow.csi\"},"
	     "{\"metadata\":{\"name\":\"none\"},\"provisioner\":\"none.csi\"},"
	     "{\"metadata\":{\"name\":\"nfs\"},\"provisioner\":\"nfs.example\"}");
	load(dst, CCLM_INVENTORY_KIND_CSI_DRIVER,
	     "{\"metadata\":{\"name\":\"topo.csi\"},\"spec\":{\"storageCapacity\":true}},"
	     "{\"metadata\":{\"name\":\"slow.csi\"},\"spec\":{\"storageCapacity\":false}},"
	     "{\"metadata\":{\"name\":\"none.csi\"},\"spec\":{\"storageCapacity\":true}}");
	load(dst, CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY,
	     "{\"metadata\":{\"name\":\"cap-a\",\"namespace\":\"kube-system\"},\"storageClassName\":\"topo\","
	     "\"capacity\":\"20Gi\",\"nodeTopology\":{\"matchLabels\":{\"topology.csi/zone\":\"a\"}}},"
	     "{\"metadata\":{\"name\":\"cap-b\",\"namespace\":\"kube-system\"},\"storageClassName\":\"topo\","
	     "\"capacity\":\"50Gi\",\"nodeTopology\":{\"matchExpressions\":[{\"key\":\"topology.csi/zone\","
	     "\"operator\":\"In\",\"values\":[\"b\"]}]}}");
	cap = cclm_capacity_new(dst);

	/* "fast" does not exist on the target; "slow" is not checked (storageCapacity false) */
	v = fit(cap, src, "ns/a");
	assert_reason(v, CCLM_FIT_REASON_KIND_STORAGE_CLASS, "disk \"root\" (30.0 GiB) needs StorageClass \"fast\"");
	g_assert_nonnull(strstr(cclm_fit_reason_get_message(reason_of_kind(v, CCLM_FIT_REASON_KIND_STORAGE, TRUE)),
				"unchecked: StorageClass \"slow\" (provisioner slow.csi) publishes no capacity, so "
				"12.0 GiB for disk \"data\""));

	/* mapped to the WaitForFirstConsumer class: only zone b has 30Gi */
	mapped = cclm_capacity_fit(cap, src, "ns/a", map_fast, &error);
	g_assert_no_error(error);
	g_assert_true(cclm_fit_verdict_get_fits(mapped));
	g_assert_cmpstr(cclm_fit_verdict_get_node(mapped), ==, "zb");
	/* the first placement took 30 of zone b's 50Gi */
	twice = cclm_capacity_fit(cap, src, "ns/a", map_fast, &error);
	assert_reason(twice, CCLM_FIT_REASON_KIND_STORAGE, "2 of 2 nodes lack storage");

	/* storageCapacity true and no CSIStorageCapacity: no capacity at all */
	g_clear_object(&twice);
	twice = cclm_capacity_fit(cap, src, "ns/a", map_nfs, &error);
	assert_reason(twice, CCLM_FIT_REASON_KIND_STORAGE,
		      "disk \"data\" needs 12.0 GiB of StorageClass \"none\"; the largest CSIStorageCapacity "
		      "offers 0 B");
	g_assert_nonnull(reason_of_kind(twice, CCLM_FIT_REASON_KIND_STORAGE, TRUE)); /* nfs: unchecked */

	g_assert_null(cclm_capacity_fit(cap, src, "ns/a", bad_map, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
}

/* A VM "ns/@name" with one disk "root" of @size in StorageClass @klass; @host, when set, pins
 * it to that node with a nodeSelector */
static gchar *
disk_vm(const gchar *name, const gchar *klass, const gchar *size, const gchar *host)
{
	g_autofree gchar *spec = g_strdup_printf(
	    ",\"volumes\":[{\"name\":\"root\",\"dataVolume\":{\"name\":\"%s-root\"}}]%s%s%s", name,
	    host ? ",\"nodeSelector\":{\"kubernetes.io/hostname\":\"" : "", host ? host : "", host ? "\"}" : "");
	g_autofree gchar *top = g_strdup_printf(
	    ",\"dataVolumeTemplates\":[{\"metadata\":{\"name\":\"%s-root\"},\"spec\":{\"storage\":{"
	    "\"storageClassName\":\"%s\",\"resources\":{\"requests\":{\"storage\":\"%s\"}}}}}]",
	    name, klass, size);

	return vm("ns", name, FALSE, 1, "1Gi", NULL, spec, top);
}

/* A PersistentVolume; @node pins it with required node affinity on the hostname */
static gchar *
pv(const gchar *name, const gchar *klass, const gchar *size, const gchar *node, const gchar *phase, const gchar *extra)
{
	g_autofree gchar *affinity =
	    node ? g_strdup_printf(",\"nodeAffinity\":{\"required\":{\"nodeSelectorTerms\":[{\"matchExpressions\":"
				   "[{\"key\":\"kubernetes.io/hostname\",\"operator\":\"In\",\"values\":[\"%s\"]}]}]}}",
				   node)
		 : g_strdup("");

	return g_strdup_printf("{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"storageClassName\":\"%s\","
			       "\"capacity\":{\"storage\":\"%s\"},\"accessModes\":[\"ReadWriteOnce\"]%s%s},"
			       "\"status\":{\"phase\":\"%s\"}}",
			       name, klass, size, affinity, extra ? extra : "", phase);
}

static CclmInventory *
static_cluster(void)
{
	CclmInventory *dst = cclm_inventory_new("dst");
	g_autofree gchar *w1 = node("w1", "16", "64Gi", ",\"zone\":\"a\"", NULL, NULL, FALSE, NULL);
	g_autofree gchar *w2 = node("w2", "16", "64Gi", ",\"zone\":\"b\"", NULL, NULL, FALSE, NULL);
	g_autofree gchar *nodes = g_strjoin(",", w1, w2, NULL);
	load(dst, CCLM_INVENTORY_KIND_NODE, nodes);
	load(dst, CCLM_INVENTORY_KIND_STORAGE_CLASS,
	     "{\"metadata\":{\"name\":\"local\"},\"provisioner\":\"kubernetes.io/no-provisioner\","
	     "\"volumeBindingMode\":\"WaitForFirstConsumer\"},"
	     "{\"metadata\":{\"name\":\"local-now\"},\"provisioner\":\"kubernetes.io/no-provisioner\"},"
	     "{\"metadata\":{\"name\":\"zonal\"},\"provisioner\":\"zonal.csi\",\"volumeBindingMode\":"
	     "\"WaitForFirstConsumer\",\"allowedTopologies\":[{\"matchLabelExpressions\":[{\"key\":\"zone\","
	     "\"values\":[\"a\"]}]}]},"
	     "{\"metadata\":{\"name\":\"zonal-now\"},\"provisioner\":\"zonal.csi\",\"allowedTopologies\":"
	     "[{\"matchLabelExpressions\":[{\"key\":\"zone\",\"values\":[\"b\",\"c\"]}]}]}");
	return dst;
}

/* No-provisioner classes: claims bind to the smallest Available PersistentVolume large enough
 * (Released, pre-bound, Block and too small ones never), on a node its affinity allows;
 * a batch consumes the volumes it binds */
static void
test_static_volumes(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = static_cluster();
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmCapacity) fresh = NULL;
	g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) pvs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(CclmFitVerdict) big = NULL, b1 = NULL, b2 = NULL, pinned = NULL, now = NULL, now_w2 = NULL;
	g_autofree gchar *vm_items = NULL;
	g_autofree gchar *pv_items = NULL;
	CclmFitReason *r;

	g_ptr_array_add(vms, disk_vm("big", "local", "30Gi", NULL));
	g_ptr_array_add(vms, disk_vm("b1", "local", "15Gi", NULL));
	g_ptr_array_add(vms, disk_vm("b2", "local", "15Gi", NULL));
	g_ptr_array_add(vms, disk_vm("pinned", "local", "15Gi", "w1"));
	g_ptr_array_add(vms, disk_vm("now", "local-now", "5Gi", "w1"));
	g_ptr_array_add(vms, disk_vm("now-w2", "local-now", "5Gi", "w2"));
	g_ptr_array_add(vms, NULL);
	vm_items = g_strjoinv(",", (gchar **)vms->pdata);
	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, vm_items);

	g_ptr_array_add(pvs, pv("pv-1", "local", "10Gi", "w1", "Available", NULL));
	g_ptr_array_add(pvs, pv("pv-2", "local", "20Gi", "w2", "Available", NULL));
	g_ptr_array_add(pvs, pv("pv-3", "local", "40Gi", "w1", "Released", NULL));
	g_ptr_array_add(pvs, pv("pv-4", "local", "50Gi", "w1", "Available",
				",\"claimRef\":{\"namespace\":\"other\",\"name\":\"reserved\"}"));
	g_ptr_array_add(pvs, pv("pv-5", "local", "60Gi", "w1", "Available", ",\"volumeMode\":\"Block\""));
	g_ptr_array_add(pvs, pv("pv-6", "local", "70Gi", "w1", "Bound", ",\"claimRef\":{\"name\":\"x\"}"));
	g_ptr_array_add(pvs, pv("pv-n1", "local-now", "8Gi", "w1", "Available", NULL));
	g_ptr_array_add(pvs, pv("pv-n2", "local-now", "6Gi", "w2", "Available", NULL));
	g_ptr_array_add(pvs, NULL);
	pv_items = g_strjoinv(",", (gchar **)pvs->pdata);
	load(dst, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME, pv_items);
	cap = cclm_capacity_new(dst);

	/* too small: the largest usable volume is 20Gi (pv-3..pv-6 do not count) */
	big = fit(cap, src, "ns/big");
	r = reason_of_kind(big, CCLM_FIT_REASON_KIND_STORAGE, FALSE);
	g_assert_nonnull(r);
	g_assert_cmpstr(cclm_fit_reason_get_message(r), ==,
			"storage: disk \"root\" needs 30.0 GiB of class \"local\"; no Available "
			"PersistentVolume of that class is large enough (largest 20.0 GiB, pv-2)");
	g_assert_cmpint(cclm_fit_reason_get_available(r), ==, 20 * GI);
	g_assert_cmpuint(cclm_fit_verdict_get_reasons(big)->len, ==, 1);

	/* WaitForFirstConsumer: only pv-2 holds 15Gi, so the VM goes where pv-2 is */
	b1 = fit(cap, src, "ns/b1");
	g_assert_true(cclm_fit_verdict_get_fits(b1));
	g_assert_cmpstr(cclm_fit_verdict_get_node(b1), ==, "w2");
	/* the batch took pv-2: the next one finds 10Gi at most */
	b2 = fit(cap, src, "ns/b2");
	assert_reason(b2, CCLM_FIT_REASON_KIND_STORAGE, "(largest 10.0 GiB, pv-1)");
	fresh = cclm_capacity_new(dst);

	/* the volume that would fit is on the wrong node */
	pinned = fit(fresh, src, "ns/pinned");
	assert_reason(pinned, CCLM_FIT_REASON_KIND_STORAGE,
		      "1 of 2 nodes lack storage: disk \"root\" needs 15.0 GiB of class \"local\"; no "
		      "Available PersistentVolume of that class large enough and not taken by another disk "
		      "has node affinity for w1");
	g_assert_nonnull(reason_of_kind(pinned, CCLM_FIT_REASON_KIND_NODE_SELECTOR, FALSE));

	/* Immediate: the PV controller binds the smallest volume (pv-n2, on w2) before the pod is
	 * scheduled, whatever the pod's node selector says */
	now = fit(fresh, src, "ns/now");
	assert_reason(now, CCLM_FIT_REASON_KIND_STORAGE,
		      "disk \"root\" binds at once (Immediate) to PersistentVolume pv-n2, whose node "
		      "affinity excludes w1");
	now_w2 = fit(fresh, src, "ns/now-w2");
	g_assert_true(cclm_fit_verdict_get_fits(now_w2));
	g_assert_cmpstr(cclm_fit_verdict_get_node(now_w2), ==, "w2");

	/* the fresh snapshot still has pv-2: the inventory is not consumed */
	g_clear_object(&b2);
	b2 = fit(fresh, src, "ns/b2");
	g_assert_true(cclm_fit_verdict_get_fits(b2));

	/* a volume added to the inventory is seen by the snapshot, pv-2 stays taken */
	{
		g_autofree gchar *late = pv("pv-7", "local", "16Gi", "w1", "Available", NULL);
		g_autoptr(CclmFitVerdict) b3 = NULL;

		load(dst, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME, late);
		b3 = fit(cap, src, "ns/b2");
		g_assert_true(cclm_fit_verdict_get_fits(b3));
		g_assert_cmpstr(cclm_fit_verdict_get_node(b3), ==, "w1");
	}
}

/* Two disks of one VM on volumes made by hand take one volume each, and both are gone for the
 * next VM of the batch */
static void
test_static_volumes_order(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = static_cluster();
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autofree gchar *p16 = pv("pv-16", "local", "16Gi", "w1", "Available", NULL);
	g_autofree gchar *p20 = pv("pv-20", "local", "20Gi", "w1", "Available", NULL);
	g_autofree gchar *pvs = g_strjoin(",", p16, p20, NULL);
	g_autofree gchar *two = vm("ns", "two", FALSE, 1, "1Gi", NULL,
				   ",\"volumes\":[{\"name\":\"big\",\"dataVolume\":{\"name\":\"two-big\"}},"
				   "{\"name\":\"small\",\"dataVolume\":{\"name\":\"two-small\"}}]",
				   ",\"dataVolumeTemplates\":[{\"metadata\":{\"name\":\"two-big\"},\"spec\":{\"storage\":{"
				   "\"storageClassName\":\"local\",\"resources\":{\"requests\":{\"storage\":\"15Gi\"}}}}},"
				   "{\"metadata\":{\"name\":\"two-small\"},\"spec\":{\"storage\":{"
				   "\"storageClassName\":\"local\",\"resources\":{\"requests\":{\"storage\":\"5Gi\"}}}}}]");

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, two);
	load(dst, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME, pvs);
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/two");
	g_assert_true(cclm_fit_verdict_get_fits(v));
	g_assert_cmpstr(cclm_fit_verdict_get_node(v), ==, "w1");
	/* both volumes are bound now */
	g_clear_object(&v);
	v = fit(cap, src, "ns/two");
	assert_reason(v, CCLM_FIT_REASON_KIND_STORAGE, "the class has no dynamic provisioner and no Available");
}

/* allowedTopologies: a WaitForFirstConsumer class provisions only on the nodes they select
 * (checkVolumeProvisions), an Immediate one pins its volume inside them */
static void
test_allowed_topologies(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = static_cluster();
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) any = NULL, w2 = NULL, now = NULL, now_w2 = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *items = NULL;
	gchar *parts[5];
	JsonArray *storage;
	gboolean seen_local = FALSE, seen_zonal = FALSE;

	parts[0] = disk_vm("any", "zonal", "5Gi", NULL);
	parts[1] = disk_vm("w2", "zonal", "5Gi", "w2");
	parts[2] = disk_vm("now", "zonal-now", "5Gi", "w1");
	parts[3] = disk_vm("now-w2", "zonal-now", "5Gi", "w2");
	parts[4] = NULL;
	items = g_strjoinv(",", parts);
	for (guint i = 0; i < 4; i++)
		g_free(parts[i]);
	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, items);
	load(dst, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME, "{\"metadata\":{\"name\":\"pv-1\"},\"spec\":{"
	     "\"storageClassName\":\"local\",\"capacity\":{\"storage\":\"1Gi\"}},\"status\":{\"phase\":\"Available\"}}");
	cap = cclm_capacity_new(dst);

	any = fit(cap, src, "ns/any");
	g_assert_true(cclm_fit_verdict_get_fits(any));
	g_assert_cmpstr(cclm_fit_verdict_get_node(any), ==, "w1");
	/* the class's driver publishes no capacity: still unchecked, topology or not */
	g_assert_nonnull(reason_of_kind(any, CCLM_FIT_REASON_KIND_STORAGE, TRUE));
	w2 = fit(cap, src, "ns/w2");
	assert_reason(w2, CCLM_FIT_REASON_KIND_STORAGE,
		      "1 of 2 nodes lack storage: disk \"root\": StorageClass \"zonal\" provisions only in "
		      "its allowedTopologies, which exclude w2");
	now = fit(cap, src, "ns/now");
	assert_reason(now, CCLM_FIT_REASON_KIND_STORAGE, "which exclude w1");
	now_w2 = fit(cap, src, "ns/now-w2");
	g_assert_true(cclm_fit_verdict_get_fits(now_w2));

	/* an Available volume of a class with a provisioner binds before anything is provisioned,
	 * wherever the volume is: w2 for the WaitForFirstConsumer class, w1 for the Immediate one */
	{
		g_autofree gchar *pz = pv("pv-z", "zonal", "10Gi", "w2", "Available", NULL);
		g_autofree gchar *pn = pv("pv-zn", "zonal-now", "10Gi", "w1", "Available", NULL);
		g_autofree gchar *both = g_strjoin(",", pz, pn, NULL);
		g_autoptr(CclmFitVerdict) w2_bound = NULL, now_bound = NULL, now_w2_bound = NULL;

		load(dst, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME, both);
		w2_bound = fit(cap, src, "ns/w2");
		g_assert_true(cclm_fit_verdict_get_fits(w2_bound));
		g_assert_cmpstr(cclm_fit_verdict_get_node(w2_bound), ==, "w2");
		now_bound = fit(cap, src, "ns/now");
		g_assert_true(cclm_fit_verdict_get_fits(now_bound));
		g_assert_cmpstr(cclm_fit_verdict_get_node(now_bound), ==, "w1");
		/* both volumes are taken now: provisioning again, inside the topologies */
		now_w2_bound = fit(cap, src, "ns/now");
		assert_reason(now_w2_bound, CCLM_FIT_REASON_KIND_STORAGE, "which exclude w1");
	}

	json = cclm_capacity_to_json(cap);
	storage = json_object_get_array_member(json_node_get_object(json), "storage");
	for (guint i = 0; i < json_array_get_length(storage); i++) {
		JsonObject *sc = json_array_get_object_element(storage, i);
		const gchar *name = json_object_get_string_member(sc, "storageClass");

		if (g_str_equal(name, "local")) {
			JsonArray *vols = json_object_get_array_member(sc, "persistentVolumes");

			seen_local = TRUE;
			g_assert_cmpstr(json_object_get_string_member(sc, "capacityTracking"), ==, "persistent-volumes");
			g_assert_true(json_object_get_null_member(sc, "allowedTopologies"));
			g_assert_cmpuint(json_array_get_length(vols), ==, 1);
			g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(sc, "capacity"), "bytes"),
					==, GI);
		} else if (g_str_equal(name, "zonal")) {
			JsonArray *topo = json_object_get_array_member(sc, "allowedTopologies");
			JsonObject *expr = json_array_get_object_element(
			    json_object_get_array_member(json_array_get_object_element(topo, 0), "matchLabelExpressions"), 0);

			seen_zonal = TRUE;
			g_assert_cmpstr(json_object_get_string_member(expr, "key"), ==, "zone");
			g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(expr, "values"), 0), ==, "a");
			g_assert_false(json_object_has_member(sc, "persistentVolumes"));
		}
	}
	g_assert_true(seen_local && seen_zonal);
}

/* The example: free memory exists, but no single node has enough */
static void
test_fragmentation(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "64", "256Gi");
	g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
	g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autofree gchar *items = NULL;
	g_autofree gchar *a = vm("ns", "big", FALSE, 4, "16Gi", NULL, NULL, NULL);
	g_autofree gchar *need = NULL;
	g_autofree gchar *expected = NULL;
	CclmFitReason *r;

	for (guint i = 1; i <= 8; i++) {
		g_autofree gchar *name = g_strdup_printf("worker-%u", i);

		g_ptr_array_add(nodes, simple_node(name, "16", i == 3 ? "12Gi" : "4Gi"));
	}
	g_ptr_array_add(nodes, NULL);
	items = g_strjoinv(",", (gchar **)nodes->pdata);
	load(dst, CCLM_INVENTORY_KIND_NODE, items);
	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, a);
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/big");
	need = cclm_quantity_format_bytes(cclm_fit_verdict_get_memory_request(v));
	expected = g_strdup_printf("memory: needs %s on one node; largest free node has 12.0 GiB (worker-3); "
				   "40.0 GiB free in total is fragmented across 8 nodes",
				   need);
	r = reason_of_kind(v, CCLM_FIT_REASON_KIND_MEMORY, FALSE);
	g_assert_nonnull(r);
	g_assert_cmpstr(cclm_fit_reason_get_message(r), ==, expected);
	g_assert_cmpstr(need, ==, "16.3 GiB");
	g_assert_cmpstr(cclm_fit_reason_get_node(r), ==, "worker-3");
	g_assert_cmpint(cclm_fit_reason_get_available(r), ==, 12 * GI);
	g_assert_cmpuint(cclm_fit_verdict_get_reasons(v)->len, ==, 1);
}

/* N VMs together: each placement consumes the snapshot, never the inventory */
static void
test_batch(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "64", "256Gi");
	g_autoptr(CclmInventory) dst = cluster_with_nodes("dst", 2, "16", "10Gi");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmCapacity) fresh = NULL;
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *items = NULL;
	const gchar *names[] = {"ns/v0", "ns/v1", "ns/v2"};
	CclmFitVerdict *v[3];

	for (guint i = 0; i < 3; i++) {
		g_autofree gchar *n = g_strdup_printf("v%u", i);

		g_ptr_array_add(parts, vm("ns", n, TRUE, 2, "6Gi", NULL, NULL, NULL));
	}
	g_ptr_array_add(parts, NULL);
	items = g_strjoinv(",", (gchar **)parts->pdata);
	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, items);
	cap = cclm_capacity_new(dst);
	for (guint i = 0; i < 3; i++)
		v[i] = fit(cap, src, names[i]);
	g_assert_true(cclm_fit_verdict_get_fits(v[0]));
	g_assert_true(cclm_fit_verdict_get_fits(v[1]));
	g_assert_cmpstr(cclm_fit_verdict_get_node(v[0]), !=, cclm_fit_verdict_get_node(v[1]));
	assert_reason(v[2], CCLM_FIT_REASON_KIND_MEMORY, "across 2 nodes");
	fresh = cclm_capacity_new(dst);
	g_assert_cmpint(cclm_capacity_get_free_memory(fresh), ==, 20 * GI);
	g_assert_cmpint(cclm_capacity_get_free_memory(cap), ==,
			20 * GI - 2 * cclm_fit_verdict_get_memory_request(v[0]));
	for (guint i = 0; i < 3; i++)
		g_object_unref(v[i]);
}

static void
test_suggest(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "64", "256Gi");
	g_autoptr(CclmInventory) roomy = cluster_with_nodes("roomy", 4, "32", "128Gi");
	g_autoptr(CclmInventory) tight = cluster_with_nodes("tight", 1, "8", "12Gi");
	g_autoptr(CclmInventory) tiny = cluster_with_nodes("tiny", 2, "8", "4Gi");
	g_autoptr(GPtrArray) ranked = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *a = vm("ns", "a", TRUE, 2, "4Gi", NULL, NULL, NULL);
	g_autofree gchar *b = vm("ns", "b", TRUE, 2, "4Gi", NULL, NULL, NULL);
	g_autofree gchar *vms = g_strjoin(",", a, b, NULL);
	CclmInventory *targets[] = {tiny, src, tight, roomy};
	const gchar *const batch[] = {"ns/a", "ns/b", NULL};
	const gchar *const missing[] = {"ns/nope", NULL};
	CclmCandidate *c;

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, vms);
	ranked = cclm_capacity_suggest(src, targets, G_N_ELEMENTS(targets), batch, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ranked->len, ==, 3); /* the source is not a candidate */
	c = ranked->pdata[0];
	g_assert_cmpstr(cclm_candidate_get_cluster(c), ==, "roomy");
	g_assert_true(cclm_candidate_get_fits(c));
	g_assert_true(g_str_has_prefix(cclm_candidate_get_explanation(c), "fits all 2 VMs; after placement"));
	c = ranked->pdata[1];
	g_assert_cmpstr(cclm_candidate_get_cluster(c), ==, "tight");
	g_assert_true(cclm_candidate_get_fits(c));
	g_assert_cmpint(cclm_candidate_get_score(ranked->pdata[0]), >, cclm_candidate_get_score(c));
	c = ranked->pdata[2];
	g_assert_cmpstr(cclm_candidate_get_cluster(c), ==, "tiny");
	g_assert_false(cclm_candidate_get_fits(c));
	g_assert_true(g_str_has_prefix(cclm_candidate_get_explanation(c), "does not fit: 0 of 2 VMs fit; ns/a: memory: "));
	g_assert_cmpuint(cclm_candidate_get_verdicts(c)->len, ==, 2);

	g_clear_pointer(&ranked, g_ptr_array_unref);
	ranked = cclm_capacity_suggest(src, targets, G_N_ELEMENTS(targets), missing, NULL, &error);
	g_assert_null(ranked);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "cluster \"src\": VirtualMachine \"ns/nope\" not found"));
}

static void
count_changed_cb(CclmInventory *inv, guint *count)
{
	(*count)++;
}

static JsonObject *
parse_object(const gchar *json, JsonParser **parser)
{
	g_autoptr(GError) error = NULL;

	*parser = json_parser_new();
	g_assert_true(json_parser_load_from_data(*parser, json, -1, &error));
	g_assert_no_error(error);
	return json_node_get_object(json_parser_get_root(*parser));
}

/* Watch events: ADDED/MODIFIED replace, DELETED removes; a relist drops what vanished */
static void
test_watch_events(void)
{
	g_autoptr(CclmInventory) inv = cluster_with_nodes("c", 1, "4", "8Gi");
	g_autoptr(JsonParser) p1 = NULL;
	g_autoptr(JsonParser) p2 = NULL;
	g_autoptr(GError) error = NULL;
	guint changed = 0;
	const gchar *pod = "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"c-w1\","
			   "\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]},"
			   "\"status\":{\"phase\":\"Running\"}}";
	const gchar *done = "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"c-w1\","
			    "\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]},"
			    "\"status\":{\"phase\":\"Succeeded\"}}";
	JsonObject *added = parse_object(pod, &p1);
	JsonObject *modified = parse_object(done, &p2);

	g_signal_connect(inv, "changed", G_CALLBACK(count_changed_cb), &changed);
	g_assert_true(cclm_inventory_apply(inv, CCLM_INVENTORY_KIND_POD, added, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(changed, ==, 1);
	g_assert_cmpint(cclm_inventory_get_node_requested(inv, cclm_str_lookup("c-w1"))->memory, ==, GI);
	/* the same pod again (a status heartbeat): nothing capacity reads changed, no signal */
	g_assert_true(cclm_inventory_apply(inv, CCLM_INVENTORY_KIND_POD, added, &error));
	g_assert_cmpuint(changed, ==, 1);
	g_assert_true(cclm_inventory_apply(inv, CCLM_INVENTORY_KIND_POD, modified, &error));
	/* no active pod left there: the node name is forgotten */
	g_assert_null(cclm_inventory_get_node_requested(inv, cclm_str_lookup("c-w1")));
	g_assert_true(cclm_inventory_apply(inv, CCLM_INVENTORY_KIND_POD, added, &error));
	g_assert_true(cclm_inventory_remove(inv, CCLM_INVENTORY_KIND_POD, added));
	g_assert_false(cclm_inventory_remove(inv, CCLM_INVENTORY_KIND_POD, added));
	g_assert_null(cclm_inventory_get_node_requested(inv, cclm_str_lookup("c-w1")));
	g_assert_cmpuint(cclm_inventory_get_n_pods(inv), ==, 0);
	g_assert_cmpuint(changed, ==, 4);

	/* relist: the node "c-w1" is gone from the new list */
	cclm_inventory_begin_relist(inv, CCLM_INVENTORY_KIND_NODE);
	{
		g_autofree gchar *n2 = simple_node("c-w2", "4", "8Gi");

		load(inv, CCLM_INVENTORY_KIND_NODE, n2);
	}
	g_assert_cmpuint(cclm_inventory_get_n_nodes(inv), ==, 2);
	cclm_inventory_end_relist(inv, CCLM_INVENTORY_KIND_NODE);
	g_assert_cmpuint(cclm_inventory_get_n_nodes(inv), ==, 1);
	g_assert_nonnull(g_hash_table_lookup(cclm_inventory_get_table(inv, CCLM_INVENTORY_KIND_NODE), "c-w2"));
}

static void
test_parse_errors(void)
{
	g_autoptr(CclmInventory) inv = cclm_inventory_new("c");
	static const struct {
		CclmInventoryKind kind;
		const gchar *doc;
		const gchar *message;
	} table[] = {
	    {CCLM_INVENTORY_KIND_NODE,
	     "{\"items\":[{\"metadata\":{\"name\":\"w3\"},\"status\":{\"allocatable\":{\"cpu\":\"4x\"}}}]}",
	     "Node \"w3\": status.allocatable.cpu: \"4x\" is not a quantity: unable to parse the suffix \"x\""},
	    {CCLM_INVENTORY_KIND_POD,
	     "{\"items\":[{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"containers\":"
	     "[{\"resources\":{\"requests\":{\"memory\":\"1Gb\"}}}]}}]}",
	     "Pod \"ns/p\": spec.containers[].resources.requests.memory: \"1Gb\" is not a quantity"},
	    {CCLM_INVENTORY_KIND_NODE, "{\"items\":[{\"metadata\":{}}]}", "Node without metadata.name"},
	    {CCLM_INVENTORY_KIND_NODE, "{\"items\":[{\"metadata\":{\"name\":\"x\"}", "list item 1: invalid JSON"},
	    {CCLM_INVENTORY_KIND_NODE, "{\"items\":[{\"metadata\":{\"name\":\"x\"}},}", "list item 1: invalid JSON"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
		g_autoptr(GBytes) bytes = g_bytes_new_static(table[i].doc, strlen(table[i].doc));
		g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
		g_autoptr(GError) error = NULL;

		g_assert_false(cclm_inventory_load_page(inv, table[i].kind, stream, NULL, NULL, NULL, &error));
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
		if (!g_str_has_prefix(error->message, table[i].message))
			g_error("\"%s\" does not start with \"%s\"", error->message, table[i].message);
	}
	/* objects are stored as each one ends: only "x", complete before the syntax error */
	g_assert_cmpuint(cclm_inventory_get_n_nodes(inv), ==, 1);
	g_assert_cmpuint(cclm_inventory_get_n_pods(inv), ==, 0);
}

/* tests/data/capacity: one page of each kind the fixtures have */
static const struct {
	const gchar *file;
	CclmInventoryKind kind;
} pages[] = {
    {"nodes.json", CCLM_INVENTORY_KIND_NODE},
    {"pods-1.json", CCLM_INVENTORY_KIND_POD},
    {"pods-2.json", CCLM_INVENTORY_KIND_POD},
    {"storageclasses.json", CCLM_INVENTORY_KIND_STORAGE_CLASS},
    {"persistentvolumes.json", CCLM_INVENTORY_KIND_PERSISTENT_VOLUME},
    {"csidrivers.json", CCLM_INVENTORY_KIND_CSI_DRIVER},
    {"csistoragecapacities.json", CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY},
    {"quotas.json", CCLM_INVENTORY_KIND_RESOURCE_QUOTA},
    {"vms.json", CCLM_INVENTORY_KIND_VIRTUAL_MACHINE},
};

/* The same fixture pages fed through the yajl stream, and object by object as watch events,
 * give the same inventory (compared through the capacity JSON). */
static void
test_pages_equal_events(void)
{
	g_autoptr(CclmInventory) streamed = cclm_inventory_new("fixture");
	g_autoptr(CclmInventory) evented = cclm_inventory_new("fixture");
	g_autoptr(CclmCapacity) c1 = NULL;
	g_autoptr(CclmCapacity) c2 = NULL;
	g_autoptr(JsonNode) j1 = NULL;
	g_autoptr(JsonNode) j2 = NULL;
	g_autofree gchar *s1 = NULL;
	g_autofree gchar *s2 = NULL;
	g_autoptr(CclmFitVerdict) v1 = NULL;
	g_autoptr(CclmFitVerdict) v2 = NULL;
	g_autoptr(JsonNode) vj1 = NULL;
	g_autoptr(JsonNode) vj2 = NULL;
	g_autofree gchar *vs1 = NULL;
	g_autofree gchar *vs2 = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(pages); i++) {
		g_autofree gchar *path = g_test_build_filename(G_TEST_DIST, "data", "capacity", pages[i].file, NULL);
		g_autoptr(GFile) file = g_file_new_for_path(path);
		g_autoptr(GFileInputStream) stream = g_file_read(file, NULL, NULL);
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(GError) error = NULL;
		g_autofree gchar *cont = NULL;
		JsonArray *items;

		g_assert_nonnull(stream);
		g_assert_true(cclm_inventory_load_page(streamed, pages[i].kind, G_INPUT_STREAM(stream), NULL, &cont,
						       NULL, &error));
		g_assert_no_error(error);
		if (g_str_equal(pages[i].file, "pods-1.json"))
			g_assert_cmpstr(cont, ==, "page-2-token");
		g_assert_true(json_parser_load_from_file(parser, path, &error));
		items = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)), "items");
		for (guint j = 0; j < json_array_get_length(items); j++) {
			JsonObject *obj = json_array_get_object_element(items, j);
			CclmInventoryKind kind;

			/* watch events carry their kind */
			g_assert_true(cclm_inventory_kind_from_name(json_object_get_string_member(obj, "kind"), &kind));
			g_assert_true(cclm_inventory_apply(evented, kind, obj, &error));
			g_assert_no_error(error);
		}
	}
	g_assert_cmpuint(cclm_inventory_get_n_pods(streamed), ==, cclm_inventory_get_n_pods(evented));
	g_assert_cmpuint(cclm_inventory_get_n_pods(streamed), ==, 6);
	c1 = cclm_capacity_new(streamed);
	c2 = cclm_capacity_new(evented);
	j1 = cclm_capacity_to_json(c1);
	j2 = cclm_capacity_to_json(c2);
	s1 = json_to_string(j1, TRUE);
	s2 = json_to_string(j2, TRUE);
	g_assert_cmpstr(s1, ==, s2);
	/* the PV fixture: only local-pv-1 can take a claim (claimRef, deletion, Block) */
	g_assert_nonnull(strstr(s1, "\"capacityTracking\" : \"persistent-volumes\""));
	g_assert_nonnull(strstr(s1, "\"name\" : \"local-pv-1\""));
	g_assert_null(strstr(s1, "local-pv-2"));
	g_assert_null(strstr(s1, "local-pv-3"));
	g_assert_nonnull(strstr(s1, "\"kubernetes.io/hostname\""));
	v1 = fit(c1, streamed, "ns/web");
	v2 = fit(c2, evented, "ns/web");
	vj1 = cclm_fit_verdict_to_json(v1);
	vj2 = cclm_fit_verdict_to_json(v2);
	vs1 = json_to_string(vj1, FALSE);
	vs2 = json_to_string(vj2, FALSE);
	g_assert_cmpstr(vs1, ==, vs2);
}

static void
apply_json(CclmInventory *inv, CclmInventoryKind kind, const gchar *json)
{
	g_autoptr(JsonParser) jp = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(cclm_inventory_apply(inv, kind, parse_object(json, &jp), &error));
	g_assert_no_error(error);
}

static void
remove_json(CclmInventory *inv, CclmInventoryKind kind, const gchar *json)
{
	g_autoptr(JsonParser) jp = NULL;

	g_assert_true(cclm_inventory_remove(inv, kind, parse_object(json, &jp)));
}

/* Strings are pooled with references, not interned forever: every kind's records, the KubeVirt
 * config, capacity snapshots and fit demands give theirs back, so label and name churn over a
 * long watch does not grow memory. */
static void
test_string_pool(void)
{
	guint baseline = cclm_str_pool_size();
	g_autoptr(CclmInventory) inv = cclm_inventory_new("fixture");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autofree gchar *text = NULL;
	guint loaded;

	for (guint i = 0; i < G_N_ELEMENTS(pages); i++) {
		g_autofree gchar *path = g_test_build_filename(G_TEST_DIST, "data", "capacity", pages[i].file, NULL);
		g_autoptr(GFile) file = g_file_new_for_path(path);
		g_autoptr(GFileInputStream) stream = g_file_read(file, NULL, NULL);
		g_autoptr(GError) error = NULL;

		g_assert_true(cclm_inventory_load_page(inv, pages[i].kind, G_INPUT_STREAM(stream), NULL, NULL, NULL,
						       &error));
		g_assert_no_error(error);
	}
	load(inv, CCLM_INVENTORY_KIND_KUBEVIRT,
	     "{\"metadata\":{\"name\":\"kv\",\"namespace\":\"kubevirt\"},\"spec\":{\"configuration\":{"
	     "\"developerConfiguration\":{\"nodeSelectors\":{\"pool\":\"virt\"}}}},"
	     "\"status\":{\"observedKubeVirtVersion\":\"v1.4.0\"}}");
	g_assert_cmpstr(cclm_inventory_get_kubevirt_config(inv)->version, ==, "v1.4.0");
	loaded = cclm_str_pool_size();
	g_assert_cmpuint(loaded, >, baseline + 10);

	/* a node's label value changing 1,000 times, and 1,000 nodes with pods coming and going */
	for (guint i = 0; i < 1000; i++) {
		g_autofree gchar *label = g_strdup_printf(",\"churn\":\"value-%u\"", i);
		g_autofree gchar *churned = node("churned", "4", "8Gi", label, NULL, NULL, FALSE, NULL);
		g_autofree gchar *name = g_strdup_printf("autoscaled-%u", i);
		g_autofree gchar *transient = simple_node(name, "4", "8Gi");
		g_autofree gchar *pod = g_strdup_printf(
		    "{\"metadata\":{\"name\":\"p-%u\",\"namespace\":\"ns-%u\"},\"spec\":{\"nodeName\":\"%s\","
		    "\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]}}",
		    i, i, name);

		apply_json(inv, CCLM_INVENTORY_KIND_NODE, churned);
		apply_json(inv, CCLM_INVENTORY_KIND_NODE, transient);
		apply_json(inv, CCLM_INVENTORY_KIND_POD, pod);
		remove_json(inv, CCLM_INVENTORY_KIND_POD, pod);
		remove_json(inv, CCLM_INVENTORY_KIND_NODE, transient);
	}
	/* what stays: the last label value, the "churned" node and the "churn" key (+ its hostname) */
	g_assert_cmpuint(cclm_str_pool_size(), <=, loaded + 4);

	/* a snapshot holds its node names: the inventory dropping a node leaves it one to look up */
	cap = cclm_capacity_new(inv);
	v = fit(cap, inv, "ns/web");
	{
		g_autofree gchar *churned = node("churned", "4", "8Gi", NULL, NULL, NULL, FALSE, NULL);

		remove_json(inv, CCLM_INVENTORY_KIND_NODE, churned);
	}
	g_assert_nonnull(cclm_str_lookup("churned"));
	json = cclm_capacity_to_json(cap);
	text = json_to_string(json, FALSE);
	g_assert_null(strstr(text, "\"churned\""));
	g_clear_object(&v);
	v = fit(cap, inv, "ns/web");
	g_clear_object(&v);
	g_clear_object(&cap);
	g_clear_object(&inv);
	g_assert_cmpuint(cclm_str_pool_size(), ==, baseline);
}

/* A page arriving in chunks while watch events of another kind are applied */
static void
test_interleaved_feeds(void)
{
	g_autoptr(CclmInventory) inv = cclm_inventory_new("c");
	g_autoptr(JsonParser) jp = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *n1 = simple_node("w1", "4", "8Gi");
	g_autofree gchar *pods = g_strdup_printf(
	    "{\"metadata\":{\"continue\":\"c2\"},\"items\":[%s]}",
	    "{\"metadata\":{\"name\":\"p1\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"w1\","
	    "\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]}},"
	    "{\"metadata\":{\"name\":\"p2\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"w1\","
	    "\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"500m\"}}}]}}");
	JsonObject *node = parse_object(n1, &jp);
	CclmJsonStream *parser = cclm_inventory_list_parser_new(inv, CCLM_INVENTORY_KIND_POD);
	gsize half = strlen(pods) / 2;
	g_autoptr(CclmCapacity) cap = NULL;

	g_assert_true(cclm_json_stream_feed(parser, (const guint8 *)pods, half, &error));
	g_assert_true(cclm_inventory_apply(inv, CCLM_INVENTORY_KIND_NODE, node, &error));
	g_assert_no_error(error);
	g_assert_true(cclm_json_stream_feed(parser, (const guint8 *)pods + half, strlen(pods) - half, &error));
	g_assert_true(cclm_json_stream_finish(parser, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(cclm_json_stream_get_continue(parser), ==, "c2");
	cclm_inventory_list_parser_done(inv, CCLM_INVENTORY_KIND_POD);
	cclm_json_stream_free(parser);
	g_assert_cmpuint(cclm_inventory_get_n_pods(inv), ==, 2);
	cap = cclm_capacity_new(inv);
	g_assert_cmpint(cclm_capacity_get_node_free(cap, "w1", "cpu"), ==, 4000 - 1500);
	g_assert_cmpint(cclm_capacity_get_node_free(cap, "w1", "memory"), ==, 7 * GI);
}

/* Truncated and corrupted pages: a clear error or a result, never a crash or a leak */
static void
test_damaged_pages(void)
{
	static const gchar *files[] = {"nodes.json", "pods-1.json", "vms.json", "quotas.json",
				       "csistoragecapacities.json"};
	static const CclmInventoryKind kinds[] = {CCLM_INVENTORY_KIND_NODE, CCLM_INVENTORY_KIND_POD,
						   CCLM_INVENTORY_KIND_VIRTUAL_MACHINE,
						   CCLM_INVENTORY_KIND_RESOURCE_QUOTA,
						   CCLM_INVENTORY_KIND_CSI_STORAGE_CAPACITY};
	static const gchar junk[] = "\"{}[],:x0.-\\\x01\xff";
	g_autoptr(GRand) rand = g_rand_new_with_seed(5);

	for (guint f = 0; f < G_N_ELEMENTS(files); f++) {
		g_autofree gchar *path = g_test_build_filename(G_TEST_DIST, "data", "capacity", files[f], NULL);
		g_autofree gchar *data = NULL;
		gsize len;

		g_assert_true(g_file_get_contents(path, &data, &len, NULL));
		for (guint round = 0; round < 200; round++) {
			g_autoptr(CclmInventory) inv = cclm_inventory_new("damaged");
			g_autofree gchar *copy = g_memdup2(data, len);
			gsize n = round < 100 ? (gsize)g_rand_int_range(rand, 0, (gint32)len) : len;
			g_autoptr(GBytes) bytes = NULL;
			g_autoptr(GInputStream) stream = NULL;
			g_autoptr(GError) error = NULL;

			/* the first 100 rounds truncate, the others overwrite a few bytes */
			for (guint k = 0; round >= 100 && k < 3; k++)
				copy[g_rand_int_range(rand, 0, (gint32)len)] =
				    junk[g_rand_int_range(rand, 0, sizeof junk - 1)];
			bytes = g_bytes_new(copy, n);
			stream = g_memory_input_stream_new_from_bytes(bytes);
			if (!cclm_inventory_load_page(inv, kinds[f], stream, NULL, NULL, NULL, &error))
				g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
			else
				g_assert_no_error(error);
		}
	}
}

/* The JSON contract of `cclm fit` and `cclm capacity` */
static void
test_json(void)
{
	g_autoptr(CclmInventory) src = cluster_with_nodes("src", 1, "16", "64Gi");
	g_autoptr(CclmInventory) dst = cluster_with_nodes("dst", 1, "1", "2Gi");
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(CclmFitVerdict) v = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonNode) capj = NULL;
	g_autofree gchar *a = vm("ns", "a", TRUE, 2, "4Gi", NULL, NULL, NULL);
	JsonObject *o, *r, *need, *n0;

	load(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, a);
	cap = cclm_capacity_new(dst);
	v = fit(cap, src, "ns/a");
	node = cclm_fit_verdict_to_json(v);
	o = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(o, "schema"), ==, CCLM_FIT_SCHEMA);
	g_assert_false(json_object_get_boolean_member(o, "fits"));
	g_assert_true(json_object_get_null_member(o, "node"));
	r = json_array_get_object_element(json_object_get_array_member(o, "reasons"), 0);
	g_assert_cmpstr(json_object_get_string_member(r, "kind"), ==, "memory");
	g_assert_true(g_str_has_prefix(json_object_get_string_member(r, "message"), "memory: "));
	need = json_object_get_object_member(r, "needed");
	g_assert_cmpint(json_object_get_int_member(need, "bytes"), ==, cclm_fit_verdict_get_memory_request(v));
	g_assert_cmpint(json_object_get_int_member(
			    json_object_get_object_member(json_object_get_object_member(o, "requests"), "cpu"),
			    "millicores"),
			==, 205);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(o, "warnings")), ==, 1); /* cpu-model */

	capj = cclm_capacity_to_json(cap);
	o = json_node_get_object(capj);
	g_assert_cmpstr(json_object_get_string_member(o, "cluster"), ==, "dst");
	n0 = json_array_get_object_element(json_object_get_array_member(o, "nodes"), 0);
	g_assert_cmpstr(json_object_get_string_member(n0, "name"), ==, "dst-w1");
	g_assert_cmpint(json_object_get_int_member(
			    json_object_get_object_member(json_object_get_object_member(n0, "free"), "memory"), "bytes"),
			==, 2 * GI);
	g_assert_cmpstr(json_object_get_string_member(
			    json_object_get_object_member(json_object_get_object_member(n0, "allocatable"), "cpu"),
			    "human"),
			==, "1 core");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/capacity/pod-requests", test_pod_requests);
	g_test_add_func("/capacity/pod-resize", test_pod_resize);
	g_test_add_func("/capacity/vm-demand", test_vm_demand);
	g_test_add_func("/capacity/vm-overhead-terms", test_vm_overhead_terms);
	g_test_add_func("/capacity/hugepages", test_hugepages);
	g_test_add_func("/capacity/dedicated-cpu", test_dedicated_cpu);
	g_test_add_func("/capacity/sriov", test_sriov);
	g_test_add_func("/capacity/taints", test_taints);
	g_test_add_func("/capacity/node-filters", test_node_filters);
	g_test_add_func("/capacity/host-model", test_host_model);
	g_test_add_func("/capacity/instancetype", test_instancetype);
	g_test_add_func("/capacity/quota", test_quota);
	g_test_add_func("/capacity/storage", test_storage);
	g_test_add_func("/capacity/static-volumes", test_static_volumes);
	g_test_add_func("/capacity/static-volumes-order", test_static_volumes_order);
	g_test_add_func("/capacity/allowed-topologies", test_allowed_topologies);
	g_test_add_func("/capacity/fragmentation", test_fragmentation);
	g_test_add_func("/capacity/batch", test_batch);
	g_test_add_func("/capacity/suggest", test_suggest);
	g_test_add_func("/capacity/watch-events", test_watch_events);
	g_test_add_func("/capacity/parse-errors", test_parse_errors);
	g_test_add_func("/capacity/pages-equal-events", test_pages_equal_events);
	g_test_add_func("/capacity/interleaved-feeds", test_interleaved_feeds);
	g_test_add_func("/capacity/string-pool", test_string_pool);
	g_test_add_func("/capacity/damaged-pages", test_damaged_pages);
	g_test_add_func("/capacity/json", test_json);
	return g_test_run();
}
