/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * cclm-sim's own arithmetic: quantities, pod requests, kube-scheduler's filters and message,
 * virt-launcher sizing, quota admission, the YAML writer and `generate`'s determinism.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sim-generate.h"
#include "sim-json-util.h"
#include "sim-launcher.h"
#include "sim-quantity.h"
#include "sim-quota.h"
#include "sim-sched.h"
#include "sim-store.h"

#define MI ((gint64)1024 * 1024)
#define GI (MI * 1024)

static JsonObject *
parse_object(const gchar *json)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;

	json_parser_load_from_data(parser, json, -1, &error);
	g_assert_no_error(error);
	return json_node_dup_object(json_parser_get_root(parser));
}

static void
test_quantity_parse(void)
{
	static const struct {
		const gchar *text;
		gint64 milli, value;
	} ok[] = {
	    {"1", 1000, 1},
	    {"100m", 100, 1},
	    {"0.0001", 1, 1},
	    {"1.5Gi", 1610612736000, 1610612736},
	    {"1e3", 1000000, 1000},
	    {"5E-2", 50, 1},
	    {"1.G", 1000000000000, 1000000000},
	    {".5", 500, 1},
	    {"400m", 400, 1},
	    {"2Ki", 2048000, 2048},
	    {"+3", 3000, 3},
	    {"1E", G_MAXINT64, 1000000000000000000},
	    {"128974848", 128974848000, 128974848},
	    {"129e6", 129000000000, 129000000},
	    {"123Mi", 128974848000, 128974848},
	    {"0", 0, 0},
	    {"-1", -1000, -1},
	    {"1n", 1, 1},
	};
	const gchar *bad[] = {"", "1K", "e", "1.2.3", "abc", "1Mb", "--1", "Gi", "1 Gi"};

	for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
		SimQuantity q;
		g_autoptr(GError) error = NULL;

		g_assert_true(sim_quantity_parse(ok[i].text, &q, &error));
		g_assert_no_error(error);
		g_assert_cmpint(sim_quantity_milli_value(&q), ==, ok[i].milli);
		g_assert_cmpint(sim_quantity_value(&q), ==, ok[i].value);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		SimQuantity q;
		g_autoptr(GError) error = NULL;

		g_assert_false(sim_quantity_parse(bad[i], &q, &error));
		g_assert_nonnull(error);
	}
}

static void
test_quantity_format(void)
{
	g_autofree gchar *a = sim_quantity_format_milli(1500);
	g_autofree gchar *b = sim_quantity_format_value(1536 * MI, TRUE);
	g_autofree gchar *c = sim_quantity_format_value(GI / 2, TRUE);
	g_autofree gchar *d = sim_quantity_format_value(1000, TRUE);
	g_autofree gchar *e = sim_quantity_format_value(34766585857, TRUE);
	g_autofree gchar *f = sim_quantity_format_value(1000000, FALSE);
	g_autofree gchar *g = sim_quantity_format_milli(0);
	g_autofree gchar *h = sim_quantity_format_milli(4000);
	g_autofree gchar *i = sim_quantity_format_value(2000, TRUE);

	g_assert_cmpstr(a, ==, "1500m");
	g_assert_cmpstr(b, ==, "1536Mi");
	g_assert_cmpstr(c, ==, "512Mi");
	g_assert_cmpstr(d, ==, "1k"); /* BinarySI below 1024 prints as DecimalSI */
	g_assert_cmpstr(e, ==, "34766585857");
	g_assert_cmpstr(f, ==, "1M");
	g_assert_cmpstr(g, ==, "0");
	g_assert_cmpstr(h, ==, "4");
	g_assert_cmpstr(i, ==, "2000");
}

static gint64
pod_request(const gchar *json, const gchar *resource)
{
	g_autoptr(JsonObject) pod = parse_object(json);
	g_autoptr(GError) error = NULL;
	g_autoptr(SimResources) r = sim_pod_requests(pod, &error);

	g_assert_no_error(error);
	return sim_resources_get(r, resource);
}

static void
test_requests_rules(void)
{
	/* a sidecar before the regular init container runs beside it: max(100+200, 500+200) */
	g_assert_cmpint(
	    pod_request("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":"
			"{\"requests\":{\"cpu\":\"100m\"}}}],\"initContainers\":["
			"{\"name\":\"s\",\"restartPolicy\":\"Always\",\"resources\":"
			"{\"requests\":{\"cpu\":\"200m\"}}},{\"name\":\"i\",\"resources\":"
			"{\"requests\":{\"cpu\":\"500m\"}}}]}}",
			"cpu"),
	    ==, 700);
	/* after it, it does not: max(100+200, 500) */
	g_assert_cmpint(
	    pod_request("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":"
			"{\"requests\":{\"cpu\":\"100m\"}}}],\"initContainers\":["
			"{\"name\":\"i\",\"resources\":{\"requests\":{\"cpu\":\"500m\"}}},"
			"{\"name\":\"s\",\"restartPolicy\":\"Always\",\"resources\":"
			"{\"requests\":{\"cpu\":\"200m\"}}}]}}",
			"cpu"),
	    ==, 500);
	/* limits stand for missing requests; overhead is added */
	g_assert_cmpint(pod_request("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":"
				    "{\"limits\":{\"memory\":\"1Gi\"}}}],\"overhead\":{\"memory\":"
				    "\"120Mi\"}}}",
				    "memory"),
			==, GI + 120 * MI);
	/* pod-level resources replace the containers' sum */
	g_assert_cmpint(pod_request("{\"spec\":{\"resources\":{\"requests\":{\"cpu\":\"2\"}},"
				    "\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":"
				    "{\"cpu\":\"100m\"}}}]}}",
				    "cpu"),
			==, 2000);
	/* in-place resizes: the larger of spec, status and allocated... */
	g_assert_cmpint(pod_request("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":"
				    "{\"requests\":{\"cpu\":\"1\"}}}]},\"status\":{\"containerStatuses\":"
				    "[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"3\"}},"
				    "\"allocatedResources\":{\"cpu\":\"2\"}}]}}",
				    "cpu"),
			==, 3000);
	/* ... but what it runs with once the resize is infeasible */
	g_assert_cmpint(pod_request("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":"
				    "{\"requests\":{\"cpu\":\"4\"}}}]},\"status\":{\"conditions\":[{"
				    "\"type\":\"PodResizePending\",\"reason\":\"Infeasible\"}],"
				    "\"containerStatuses\":[{\"name\":\"a\",\"resources\":{\"requests\":"
				    "{\"cpu\":\"1\"}},\"allocatedResources\":{\"cpu\":\"1\"}}]}}",
				    "cpu"),
			==, 1000);
	/* a status without resources changes nothing */
	g_assert_cmpint(pod_request("{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":"
				    "{\"requests\":{\"cpu\":\"1\"}}}]},\"status\":{\"containerStatuses\":"
				    "[{\"name\":\"a\",\"allocatedResources\":{\"cpu\":\"2\"}}]}}",
				    "cpu"),
			==, 1000);
}

/* Five nodes: three small, two tainted. */
static SimSched *
sched_fixture(void)
{
	SimSched *s = sim_sched_new();
	const gchar *nodes[] = {
	    "{\"metadata\":{\"name\":\"w1\",\"labels\":{\"zone\":\"a\",\"rank\":\"5\"}},"
	    "\"status\":{\"allocatable\":{\"cpu\":\"4\",\"memory\":\"8Gi\",\"pods\":\"110\","
	    "\"hugepages-1Gi\":\"4Gi\"}}}",
	    "{\"metadata\":{\"name\":\"w2\",\"labels\":{\"zone\":\"b\",\"rank\":\"7\"}},"
	    "\"status\":{\"allocatable\":{\"cpu\":\"4\",\"memory\":\"8Gi\",\"pods\":\"110\"}}}",
	    "{\"metadata\":{\"name\":\"w3\",\"labels\":{\"zone\":\"c\"}},"
	    "\"status\":{\"allocatable\":{\"cpu\":\"4\",\"memory\":\"8Gi\",\"pods\":\"1\"}}}",
	    "{\"metadata\":{\"name\":\"g1\",\"labels\":{\"zone\":\"a\",\"gpu\":\"yes\"}},"
	    "\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":"
	    "\"NoSchedule\"}]},\"status\":{\"allocatable\":{\"cpu\":\"32\",\"memory\":\"128Gi\","
	    "\"pods\":\"110\",\"nvidia.com/gpu\":\"2\"}}}",
	    "{\"metadata\":{\"name\":\"g2\",\"labels\":{\"zone\":\"b\",\"gpu\":\"yes\"}},"
	    "\"spec\":{\"taints\":[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":"
	    "\"NoExecute\"},{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]},"
	    "\"status\":{\"allocatable\":{\"cpu\":\"32\",\"memory\":\"128Gi\",\"pods\":\"110\","
	    "\"nvidia.com/gpu\":\"2\"}}}",
	};
	g_autoptr(JsonObject) filler = parse_object(
	    "{\"metadata\":{\"name\":\"f\",\"namespace\":\"x\"},\"spec\":{\"nodeName\":\"w3\","
	    "\"containers\":[{\"name\":\"c\"}]}}");

	for (gsize i = 0; i < G_N_ELEMENTS(nodes); i++) {
		g_autoptr(JsonObject) n = parse_object(nodes[i]);

		sim_sched_update_node(s, n);
	}
	sim_sched_update_pod(s, filler);
	return s;
}

static gchar *
schedule(SimSched *s, const gchar *spec_json, gboolean *fits)
{
	g_autofree gchar *json = g_strdup_printf(
	    "{\"metadata\":{\"name\":\"p\",\"namespace\":\"x\"},\"spec\":%s}", spec_json);
	g_autoptr(JsonObject) pod = parse_object(json);
	g_autofree gchar *node = NULL;
	gchar *message = NULL;
	g_autoptr(GError) error = NULL;

	*fits = sim_sched_schedule(s, pod, &node, &message, &error);
	g_assert_no_error(error);
	return *fits ? g_steal_pointer(&node) : message;
}

static void
test_sched_messages(void)
{
	SimSched *s = sched_fixture();
	gboolean fits;
	g_autofree gchar *m1 = schedule(s,
					"{\"containers\":[{\"name\":\"c\",\"resources\":{"
					"\"requests\":{\"memory\":\"10Gi\"}}}]}",
					&fits);
	g_autofree gchar *m2 = NULL;
	g_autofree gchar *m3 = NULL;
	g_autofree gchar *m4 = NULL;

	g_assert_false(fits);
	/* w3 is full (pods: 1), the GPU nodes tainted (g2's first taint is not NoSchedule) */
	g_assert_cmpstr(
	    m1, ==,
	    "0/5 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint "
	    "{dedicated: gpu}, 1 node(s) had untolerated taint "
	    "{node.kubernetes.io/unreachable: }, 3 Insufficient memory. preemption: 0/5 "
	    "nodes are available: 2 Preemption is not helpful for scheduling, 3 No "
	    "preemption victims found for incoming pod.");
	m2 = schedule(s,
		      "{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":"
		      "{\"nvidia.com/gpu\":\"1\"}}}],\"tolerations\":[{\"key\":\"dedicated\","
		      "\"operator\":\"Equal\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]}",
		      &fits);
	g_assert_true(fits);
	g_assert_cmpstr(m2, ==, "g1");
	m3 = schedule(s,
		      "{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":"
		      "{\"hugepages-1Gi\":\"8Gi\"}}}]}",
		      &fits);
	g_assert_false(fits);
	g_assert_true(g_str_has_prefix(
	    m3, "0/5 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint "
		"{dedicated: gpu}, 1 node(s) had untolerated taint "
		"{node.kubernetes.io/unreachable: }, 3 Insufficient hugepages-1Gi."));
	m4 = schedule(s, "{\"containers\":[{\"name\":\"c\"}],\"nodeSelector\":{\"zone\":\"q\"}}",
		      &fits);
	g_assert_cmpstr(
	    m4, ==,
	    "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
	    "1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 "
	    "node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes "
	    "are available: 5 Preemption is not helpful for scheduling.");
	sim_sched_free(s);
}

static void
test_sched_affinity(void)
{
	SimSched *s = sched_fixture();
	static const struct {
		const gchar *expr;
		const gchar *node; /* NULL: fits nowhere */
	} cases[] = {
	    {"{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"b\"]}", "w2"},
	    {"{\"key\":\"zone\",\"operator\":\"NotIn\",\"values\":[\"a\",\"c\"]}", "w2"},
	    {"{\"key\":\"rank\",\"operator\":\"Gt\",\"values\":[\"6\"]}", "w2"},
	    {"{\"key\":\"rank\",\"operator\":\"Lt\",\"values\":[\"6\"]}", "w1"},
	    {"{\"key\":\"rank\",\"operator\":\"Gt\",\"values\":[\"x\"]}", NULL},
	    {"{\"key\":\"rank\",\"operator\":\"Exists\"},{\"key\":\"zone\",\"operator\":\"In\","
	     "\"values\":[\"a\"]}",
	     "w1"},
	    {"{\"key\":\"rank\",\"operator\":\"DoesNotExist\"},{\"key\":\"gpu\",\"operator\":"
	     "\"DoesNotExist\"}",
	     NULL}, /* w3 is full */
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *spec = g_strdup_printf(
		    "{\"containers\":[{\"name\":\"c\"}],\"affinity\":{\"nodeAffinity\":{"
		    "\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":["
		    "{\"matchExpressions\":[%s]}]}}}}",
		    cases[i].expr);
		gboolean fits;
		g_autofree gchar *out = schedule(s, spec, &fits);

		g_assert_cmpint(fits, ==, cases[i].node != NULL);
		if (fits)
			g_assert_cmpstr(out, ==, cases[i].node);
		else
			g_assert_nonnull(strstr(out, "node affinity/selector")
					     ?: strstr(out, "Too many"));
	}
	{
		gboolean fits;
		g_autofree gchar *out = schedule(
		    s,
		    "{\"containers\":[{\"name\":\"c\"}],\"affinity\":{\"nodeAffinity\":{"
		    "\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":["
		    "{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":"
		    "[\"w2\"]}]}]}}}}",
		    &fits);

		g_assert_true(fits);
		g_assert_cmpstr(out, ==, "w2");
	}
	sim_sched_free(s);
}

/* kube-scheduler's default scores pick the node, as computed by hand in test-capacity's
 * /capacity/node-score (pod: 205m, 4Gi + 35M): n1 446, n2 423, n3 192 (an untolerated
 * PreferNoSchedule taint) or 492 (tolerated); a preferred term of weight 50 on n2 adds
 * 2 x 100. Equal scores go to the first node by name. */
static void
test_sched_scores(void)
{
	SimSched *s = sim_sched_new();
	const gchar *objects[] = {
	    "{\"metadata\":{\"name\":\"n1\"},\"status\":{\"allocatable\":{\"cpu\":\"8\","
	    "\"memory\":\"32Gi\",\"pods\":\"110\"}}}",
	    "{\"metadata\":{\"name\":\"n2\",\"labels\":{\"disk\":\"ssd\"}},\"status\":{"
	    "\"allocatable\":{\"cpu\":\"8\",\"memory\":\"32Gi\",\"pods\":\"110\"}}}",
	    "{\"metadata\":{\"name\":\"n3\"},\"spec\":{\"taints\":[{\"key\":\"x\",\"value\":\"y\","
	    "\"effect\":\"PreferNoSchedule\"}]},\"status\":{\"allocatable\":{\"cpu\":\"16\","
	    "\"memory\":\"64Gi\",\"pods\":\"110\"}}}",
	};
	const gchar *pods[] = {
	    "{\"metadata\":{\"name\":\"p1\",\"namespace\":\"x\"},\"spec\":{\"nodeName\":\"n1\","
	    "\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"4\","
	    "\"memory\":\"8Gi\"}}}]}}",
	    "{\"metadata\":{\"name\":\"p2\",\"namespace\":\"x\"},\"spec\":{\"nodeName\":\"n2\","
	    "\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"1\","
	    "\"memory\":\"20Gi\"}}}]}}",
	};
	static const struct {
		const gchar *extra;
		const gchar *node;
	} cases[] = {
	    {"", "n1"},
	    {",\"tolerations\":[{\"key\":\"x\",\"operator\":\"Exists\",\"effect\":"
	     "\"PreferNoSchedule\"}]",
	     "n3"},
	    {",\"affinity\":{\"nodeAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":"
	     "["
	     "{\"weight\":50,\"preference\":{\"matchExpressions\":[{\"key\":\"disk\",\"operator\":"
	     "\"In\",\"values\":[\"ssd\"]}]}}]}}",
	     "n2"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(objects); i++) {
		g_autoptr(JsonObject) n = parse_object(objects[i]);

		sim_sched_update_node(s, n);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(pods); i++) {
		g_autoptr(JsonObject) p = parse_object(pods[i]);

		sim_sched_update_pod(s, p);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *spec =
		    g_strdup_printf("{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{"
				    "\"cpu\":\"205m\","
				    "\"memory\":\"4329967296\"}}}]%s}",
				    cases[i].extra);
		gboolean fits;
		g_autofree gchar *out = schedule(s, spec, &fits);

		g_assert_true(fits);
		g_assert_cmpstr(out, ==, cases[i].node);
	}
	sim_sched_free(s);

	/* two equal empty nodes: the first by name */
	s = sim_sched_new();
	for (guint i = 0; i < 2; i++) {
		g_autofree gchar *json =
		    g_strdup_printf("{\"metadata\":{\"name\":\"%s\"},\"status\":{\"allocatable\":{"
				    "\"cpu\":\"4\","
				    "\"memory\":\"8Gi\",\"pods\":\"110\"}}}",
				    i == 0 ? "b" : "a");
		g_autoptr(JsonObject) n = parse_object(json);

		sim_sched_update_node(s, n);
	}
	{
		gboolean fits;
		g_autofree gchar *out = schedule(s, "{\"containers\":[{\"name\":\"c\"}]}", &fits);

		g_assert_true(fits);
		g_assert_cmpstr(out, ==, "a");
	}
	sim_sched_free(s);
}

/* The overhead, recomputed here from kubevirt.md §4.1's formula for a 4Gi / 2 vCPU VMI. */
static gint64
expected_overhead(gint64 guest, gint64 vcpus, gint64 fixed_mi)
{
	return ((guest + 999) / 1000 * 1000) / 512 + fixed_mi * MI + 8 * MI * vcpus + 8 * MI +
	       32 * MI;
}

static JsonObject *
render(const gchar *domain_json,
       const SimKubeVirtConfig *cfg,
       gint64 *cpu_milli,
       gint64 *memory,
       JsonObject **requests)
{
	g_autofree gchar *json = g_strdup_printf(
	    "{\"metadata\":{\"name\":\"vm1\",\"namespace\":\"ns\",\"uid\":\"u1\"},\"spec\":{"
	    "\"architecture\":\"amd64\",\"domain\":%s}}",
	    domain_json);
	g_autoptr(JsonObject) vmi = parse_object(json);
	g_autoptr(GError) error = NULL;
	JsonObject *pod = sim_launcher_pod_new(vmi, cfg, NULL, "virt-launcher-vm1-abcde", &error);
	JsonArray *cs;
	SimQuantity q;

	g_assert_no_error(error);
	cs = sim_json_array(sim_json_object(pod, "spec"), "containers");
	*requests = sim_json_path_object(json_array_get_object_element(cs, 0), "resources",
					 "requests", NULL);
	g_assert_true(sim_quantity_parse(sim_json_string(*requests, "cpu"), &q, NULL));
	*cpu_milli = sim_quantity_milli_value(&q);
	g_assert_true(sim_quantity_parse(sim_json_string(*requests, "memory"), &q, NULL));
	*memory = sim_quantity_value(&q);
	return pod;
}

static void
test_launcher_sizing(void)
{
	SimKubeVirtConfig cfg;
	gint64 cpu, mem;
	JsonObject *req;
	JsonObject *pod;
	const gchar *plain = "{\"cpu\":{\"cores\":2},\"memory\":{\"guest\":\"4Gi\"},"
			     "\"resources\":{\"requests\":{\"memory\":\"4Gi\"}}}";

	sim_kubevirt_config_init(&cfg);
	cfg.version_minor = 9;
	pod = render(plain, &cfg, &cpu, &mem, &req);
	g_assert_cmpint(cpu, ==, 200);
	/* v1.9: 25+100+25+40+30 Mi fixed; kubevirt.md's rounded 284Mi */
	g_assert_cmpint(mem, ==, 4 * GI + expected_overhead(4 * GI, 2, 220));
	g_assert_cmpint(mem - 4 * GI, ==, 284 * MI + 1);
	g_assert_cmpstr(sim_json_string(sim_json_path_object(pod, "spec", "nodeSelector", NULL),
					"kubevirt.io/schedulable"),
			==, "true");
	g_assert_cmpstr(sim_json_string(req, "devices.kubevirt.io/kvm"), ==, "1");
	g_assert_cmpstr(sim_json_string(req, "ephemeral-storage"), ==, "50M");
	json_object_unref(pod);

	/* main: qemu 50Mi; a cpuAllocationRatio of 4 */
	cfg.version_minor = 10;
	cfg.cpu_allocation_ratio = 4;
	pod = render(plain, &cfg, &cpu, &mem, &req);
	g_assert_cmpint(cpu, ==, 500);
	g_assert_cmpint(mem - 4 * GI, ==, 304 * MI + 1);
	json_object_unref(pod);

	/* dedicated CPUs: whole cores, requests = limits, +100Mi */
	sim_kubevirt_config_init(&cfg);
	pod = render("{\"cpu\":{\"cores\":4,\"dedicatedCpuPlacement\":true},\"memory\":"
		     "{\"guest\":\"8Gi\"}}",
		     &cfg, &cpu, &mem, &req);
	g_assert_cmpint(cpu, ==, 4000);
	g_assert_cmpint(mem, ==, 8 * GI + expected_overhead(8 * GI, 4, 220) + 100 * MI);
	g_assert_cmpstr(sim_json_string(sim_json_path_object(pod, "spec", "nodeSelector", NULL),
					"kubevirt.io/cpumanager"),
			==, "true");
	json_object_unref(pod);

	/* hugepages: the guest in hugepages-1Gi, memory is the overhead alone; a GPU adds VFIO */
	pod = render("{\"cpu\":{\"sockets\":2,\"cores\":2,\"threads\":2},\"memory\":{\"guest\":"
		     "\"16Gi\",\"hugepages\":{\"pageSize\":\"1Gi\"}},\"devices\":{\"gpus\":[{"
		     "\"name\":\"g\",\"deviceName\":\"nvidia.com/gpu\"}]}}",
		     &cfg, &cpu, &mem, &req);
	g_assert_cmpint(cpu, ==, 800);
	g_assert_cmpstr(sim_json_string(req, "hugepages-1Gi"), ==, "16Gi");
	g_assert_cmpstr(sim_json_string(req, "nvidia.com/gpu"), ==, "1");
	g_assert_cmpint(mem, ==, expected_overhead(16 * GI, 8, 220) + GI);
	json_object_unref(pod);

	/* the KubeVirt CR's cpuRequest for a VMI without one, and its default architecture for
	 * the kubernetes.io/arch selector of a VMI that names none */
	{
		g_autoptr(JsonObject) kv =
		    parse_object("{\"spec\":{\"configuration\":{\"cpuRequest\":\"250m\","
				 "\"architectureConfiguration\":"
				 "{\"defaultArchitecture\":\"ARM64\"}}},\"status\":{"
				 "\"defaultArchitecture\":\"amd64\"}}");
		g_autoptr(JsonObject) vmi = parse_object(
		    "{\"metadata\":{\"name\":\"vm1\",\"namespace\":\"ns\",\"uid\":\"u1\"},\"spec\":"
		    "{"
		    "\"domain\":{\"cpu\":{\"cores\":2},\"memory\":{\"guest\":\"4Gi\"}}}}");
		g_autoptr(GError) error = NULL;

		sim_kubevirt_config_from_cr(&cfg, kv);
		g_assert_cmpint(cfg.cpu_request, ==, 250);
		pod = sim_launcher_pod_new(vmi, &cfg, NULL, "virt-launcher-vm1-abcde", &error);
		g_assert_no_error(error);
		g_assert_cmpstr(sim_json_string(sim_json_path_object(pod, "spec", "nodeSelector",
								     NULL),
						"kubernetes.io/arch"),
				==, "arm64");
		json_object_unref(pod);
		pod = render(plain, &cfg, &cpu, &mem, &req);
		g_assert_cmpint(cpu, ==, 250);
		json_object_unref(pod);
	}
	/* 100m is the default: not injected */
	cfg.cpu_request = 100;
	pod = render(plain, &cfg, &cpu, &mem, &req);
	g_assert_cmpint(cpu, ==, 200);
	json_object_unref(pod);

	/* supplementalPool IOThreads count as vCPUs from v1.6: (2 + 2) / 10 */
	sim_kubevirt_config_init(&cfg);
	cfg.version_minor = 9;
	pod = render("{\"cpu\":{\"cores\":2},\"memory\":{\"guest\":\"4Gi\"},\"ioThreadsPolicy\":"
		     "\"supplementalPool\",\"ioThreads\":{\"supplementalPoolThreadCount\":2}}",
		     &cfg, &cpu, &mem, &req);
	g_assert_cmpint(cpu, ==, 400);
	json_object_unref(pod);
	cfg.version_minor = 5;
	pod = render("{\"cpu\":{\"cores\":2},\"memory\":{\"guest\":\"4Gi\"},\"ioThreadsPolicy\":"
		     "\"supplementalPool\",\"ioThreads\":{\"supplementalPoolThreadCount\":2}}",
		     &cfg, &cpu, &mem, &req);
	g_assert_cmpint(cpu, ==, 200);
	json_object_unref(pod);
}

static void
test_quota_admission(void)
{
	g_autoptr(SimCluster) cluster = sim_cluster_new("q");
	const SimResource *pods = sim_cluster_resource(cluster, "pods");
	g_autoptr(JsonObject) quota = parse_object(
	    "{\"metadata\":{\"name\":\"compute\"},\"spec\":{\"hard\":{\"requests.memory\":\"8Gi\","
	    "\"pods\":\"10\"}},\"status\":{\"hard\":{\"requests.memory\":\"8Gi\",\"pods\":\"10\"},"
	    "\"used\":{\"requests.memory\":\"7Gi\",\"pods\":\"3\"}}}");
	g_autoptr(JsonObject) big =
	    parse_object("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\","
			 "\"resources\":{\"requests\":{\"memory\":\"2Gi\"}}}]}}");
	g_autoptr(JsonObject) exact =
	    parse_object("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\","
			 "\"resources\":{\"requests\":{\"memory\":\"1Gi\"}}}]}}");
	g_autoptr(JsonObject) cpuq = parse_object(
	    "{\"metadata\":{\"name\":\"cpu\"},\"spec\":{\"hard\":{\"limits.cpu\":\"8\"}}}");
	g_autoptr(SimResources) d1 = sim_resources_new();
	g_autoptr(SimResources) d2 = sim_resources_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(sim_quota_usage(pods, big, d1, NULL));
	g_assert_false(sim_quota_admit_one(quota, pods, big, d1, &error));
	g_assert_error(error, SIM_ERROR, SIM_ERROR_FORBIDDEN);
	g_assert_cmpstr(error->message, ==,
			"exceeded quota: compute, requested: requests.memory=2Gi, used: "
			"requests.memory=7Gi, limited: requests.memory=8Gi");
	g_clear_error(&error);
	g_assert_true(sim_quota_usage(pods, exact, d2, NULL));
	g_assert_true(sim_quota_admit_one(quota, pods, exact, d2, &error));
	g_assert_no_error(error);
	/* a cpu-limits quota wants every container to state its limit */
	g_assert_false(sim_quota_admit_one(cpuq, pods, exact, d2, &error));
	g_assert_cmpstr(error->message, ==, "failed quota: cpu: must specify limits.cpu for: c");
}

static void
test_yaml_scalars(void)
{
	static const struct {
		const gchar *in, *out;
	} cases[] = {
	    {"true", "\"true\""},
	    {"4", "\"4\""},
	    {"", "\"\""},
	    {"2025-01-01T00:00:00Z", "\"2025-01-01T00:00:00Z\""},
	    {"a: b", "'a: b'"},
	    {"{\"x\":1}", "'{\"x\":1}'"},
	    {"plain", "plain"},
	    {"16Gi", "16Gi"},
	    {"1e3", "\"1e3\""},
	    {"no", "\"no\""},
	    {"f:metadata", "f:metadata"},
	    {"k:{\"uid\":\"1\"}", "k:{\"uid\":\"1\"}"},
	    {"it's", "it's"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) n = json_node_init_string(json_node_alloc(), cases[i].in);
		g_autoptr(GString) s = g_string_new(NULL);

		g_autofree gchar *want = g_strconcat(cases[i].out, "\n", NULL);

		sim_yaml_append(s, n);
		g_assert_cmpstr(s->str, ==, want);
	}
}

static void
test_yaml_blocks(void)
{
	g_autoptr(JsonObject) o = parse_object(
	    "{\"spec\":{\"userData\":\"#cloud-config\\nuser: cloud-user\\n\\npackages: "
	    "[git]\\n\",\"x\":[\"a\\nb\"],"
	    "\"y\":\"trailing \\nspace\"},\"empty\":{},\"list\":[{\"k\":1,\"m\":[]}]}");
	g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), o);
	g_autoptr(GString) s = g_string_new(NULL);

	sim_yaml_append(s, n);
	g_assert_cmpstr(s->str, ==,
			"empty: {}\n"
			"list:\n"
			"- k: 1\n"
			"  m: []\n"
			"spec:\n"
			"  userData: |\n"
			"    #cloud-config\n"
			"    user: cloud-user\n"
			"\n"
			"    packages: [git]\n"
			"  x:\n"
			"  - |-\n"
			"    a\n"
			"    b\n"
			/* go-yaml v2 quotes the key: YAML 1.1 reads a bare y as true */
			"  \"y\": \"trailing \\nspace\"\n");
}

static gchar *
generate(const gchar *seed)
{
	gchar *dir = g_dir_make_tmp("sim-gen-XXXXXX", NULL);
	gchar *argv[] = {"cclm-sim", "generate",    "--clusters", "2",	   "--nodes",
			 "8",	     "--pods",	    "90",	  "--vms", "12",
			 "--seed",   (gchar *)seed, "--out",	  dir,	   NULL};

	g_assert_nonnull(dir);
	g_assert_cmpint(sim_generate_main(G_N_ELEMENTS(argv) - 1, argv), ==, 0);
	return dir;
}

static gint
str_ptr_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar **)a, *(const gchar **)b);
}

/* Concatenates every file under @dir, in name order. */
static GString *
slurp_tree(const gchar *dir)
{
	GString *all = g_string_new(NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	while ((name = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_build_filename(dir, name, NULL));
	g_ptr_array_sort(names, str_ptr_cmp);
	for (guint i = 0; i < names->len; i++) {
		g_autofree gchar *data = NULL;
		gsize len;

		if (g_file_test(names->pdata[i], G_FILE_TEST_IS_DIR)) {
			g_autoptr(GString) sub = slurp_tree(names->pdata[i]);

			g_string_append_len(all, sub->str, sub->len);
			continue;
		}
		g_assert_true(g_file_get_contents(names->pdata[i], &data, &len, NULL));
		g_string_append_printf(all, "== %s\n", (gchar *)names->pdata[i] + strlen(dir));
		g_string_append_len(all, data, len);
		g_unlink(names->pdata[i]);
	}
	g_rmdir(dir);
	return all;
}

static void
test_generate_determinism(void)
{
	g_autofree gchar *a = generate("11");
	g_autofree gchar *b = generate("11");
	g_autofree gchar *c = generate("12");
	g_autoptr(GString) ta = slurp_tree(a);
	g_autoptr(GString) tb = slurp_tree(b);
	g_autoptr(GString) tc = slurp_tree(c);

	g_assert_cmpuint(ta->len, >, 100000);
	g_assert_true(g_string_equal(ta, tb));
	g_assert_false(g_string_equal(ta, tc));
	g_assert_nonnull(strstr(ta->str, "kind: VirtualMachineInstance"));
	g_assert_nonnull(strstr(ta->str, "name: virt-launcher-"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sim/quantity/parse", test_quantity_parse);
	g_test_add_func("/sim/quantity/format", test_quantity_format);
	g_test_add_func("/sim/requests/rules", test_requests_rules);
	g_test_add_func("/sim/sched/messages", test_sched_messages);
	g_test_add_func("/sim/sched/affinity", test_sched_affinity);
	g_test_add_func("/sim/sched/scores", test_sched_scores);
	g_test_add_func("/sim/launcher/sizing", test_launcher_sizing);
	g_test_add_func("/sim/quota/admission", test_quota_admission);
	g_test_add_func("/sim/yaml/scalars", test_yaml_scalars);
	g_test_add_func("/sim/yaml/blocks", test_yaml_blocks);
	g_test_add_func("/sim/generate/determinism", test_generate_determinism);
	return g_test_run();
}
