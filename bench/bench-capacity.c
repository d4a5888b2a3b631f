/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * bench-capacity [PODS [NODES]]: figures for the capacity engine, side by side with json-glib.
 *  - parse throughput of a generated PodList: the yajl stream into the inventory, and
 *    json-glib's DOM (JsonParser) followed by the same inventory fed object by object;
 *  - heap bytes of inventory per pod (mallinfo2 delta);
 *  - VM-to-cluster fit decisions per second;
 *  - delay from a watch event to the ::changed signal.
 * Rates are per CPU second of this process (the machine is shared); the event-to-signal delay
 * is wall time. Orders of magnitude, not a test.
 */
#include "config.h"

#include <cclm.h>
#include <malloc.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cclm-inventory-private.h"

static const gchar *phases[] = {"Running", "Running", "Running", "Running", "Running", "Running",
				"Running", "Running", "Running", "Running", "Running", "Running",
				"Running", "Running", "Running", "Running", "Running", "Running",
				"Pending", "Succeeded"};

/* A pod shaped like the API server's: managedFields, env, mounts, statuses... */
static void
append_pod(GString *s, guint i, guint n_nodes)
{
	const gchar *phase = phases[i % G_N_ELEMENTS(phases)];
	gboolean bound = g_strcmp0(phase, "Pending") != 0 || i % 40 != 18;

	g_string_append_printf(
	    s,
	    "{\"metadata\":{\"name\":\"app-%u-7d9f8b6c5-x%06u\",\"generateName\":\"app-%u-7d9f8b6c5-\","
	    "\"namespace\":\"tenant-%u\",\"uid\":\"0b5c%08x-1d2e-4f3a-9b8c-%012u\",\"resourceVersion\":\"%u\","
	    "\"creationTimestamp\":\"2026-11-20T10:%02u:00Z\",\"labels\":{\"app\":\"app-%u\",\"pod-template-hash\":"
	    "\"7d9f8b6c5\",\"tier\":\"backend\",\"app.kubernetes.io/part-of\":\"shop\"},\"annotations\":{"
	    "\"k8s.v1.cni.cncf.io/network-status\":\"[{\\\"name\\\":\\\"ovn-kubernetes\\\",\\\"interface\\\":"
	    "\\\"eth0\\\",\\\"ips\\\":[\\\"10.128.%u.%u\\\"],\\\"default\\\":true}]\","
	    "\"kubectl.kubernetes.io/restartedAt\":\"2026-11-20T10:00:00Z\"},\"ownerReferences\":[{"
	    "\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"app-%u-7d9f8b6c5\",\"uid\":\"r-%u\","
	    "\"controller\":true,\"blockOwnerDeletion\":true}],\"managedFields\":[{\"manager\":"
	    "\"kube-controller-manager\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":"
	    "\"2026-11-20T10:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{"
	    "\"f:generateName\":{},\"f:labels\":{\".\":{},\"f:app\":{},\"f:pod-template-hash\":{}},"
	    "\"f:ownerReferences\":{}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"main\\\"}\":{"
	    "\".\":{},\"f:env\":{},\"f:image\":{},\"f:resources\":{\"f:requests\":{\"f:cpu\":{},"
	    "\"f:memory\":{}}}}}}}},{\"manager\":\"kubelet\",\"operation\":\"Update\",\"subresource\":"
	    "\"status\",\"fieldsV1\":{\"f:status\":{\"f:conditions\":{},\"f:containerStatuses\":{},"
	    "\"f:podIP\":{}}}}]},\"spec\":{\"volumes\":[{\"name\":\"kube-api-access\",\"projected\":{"
	    "\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}}]}}],"
	    "\"initContainers\":[{\"name\":\"setup\",\"image\":\"registry.example/setup:1.2\","
	    "\"resources\":{\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"}}}],"
	    "\"containers\":[{\"name\":\"main\",\"image\":\"registry.example/app:%u\",\"ports\":[{"
	    "\"containerPort\":8080,\"protocol\":\"TCP\"}],\"env\":[{\"name\":\"MODE\",\"value\":\"prod\"},"
	    "{\"name\":\"POD_NAME\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}}],"
	    "\"resources\":{\"requests\":{\"cpu\":\"%um\",\"memory\":\"%uMi\"},\"limits\":{\"memory\":"
	    "\"1Gi\"}},\"volumeMounts\":[{\"name\":\"kube-api-access\",\"readOnly\":true,\"mountPath\":"
	    "\"/var/run/secrets/kubernetes.io/serviceaccount\"}],\"securityContext\":{"
	    "\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":[\"ALL\"]},\"runAsNonRoot\":true}},"
	    "{\"name\":\"sidecar\",\"image\":\"registry.example/proxy:2\",\"resources\":{\"requests\":{"
	    "\"cpu\":\"0.1\",\"memory\":\"128Mi\"}}}],\"restartPolicy\":\"Always\","
	    "\"serviceAccountName\":\"default\",%s%u\",\"tolerations\":[{\"key\":"
	    "\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
	    "\"tolerationSeconds\":300},{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
	    "\"effect\":\"NoExecute\",\"tolerationSeconds\":300}],\"priority\":0},\"status\":{\"phase\":\"%s\","
	    "\"conditions\":[{\"type\":\"Initialized\",\"status\":\"True\"},{\"type\":\"Ready\",\"status\":"
	    "\"True\"},{\"type\":\"PodScheduled\",\"status\":\"True\"}],\"hostIP\":\"192.168.%u.%u\","
	    "\"podIP\":\"10.128.%u.%u\",\"startTime\":\"2026-11-20T10:00:01Z\",\"containerStatuses\":[{"
	    "\"name\":\"main\",\"state\":{\"running\":{\"startedAt\":\"2026-11-20T10:00:05Z\"}},\"ready\":true,"
	    "\"restartCount\":0,\"image\":\"registry.example/app:%u\",\"imageID\":\"registry.example/app@"
	    "sha256:%064u\",\"containerID\":\"cri-o://%064u\",\"started\":true}],\"qosClass\":\"Burstable\"}}",
	    i % 500, i, i % 500, i % 200, i, i, 1000 + i, i % 60, i % 500, i / 256 % 256, i % 256,
	    i % 500, i % 500, i % 7, 100 + i % 900, 128 + i % 2048,
	    bound ? "\"nodeName\":\"node-" : "\"schedulerName\":\"default-scheduler-", i % n_nodes, phase,
	    i % n_nodes / 256, i % 256, i / 256 % 256, i % 256, i % 7, i, i);
}

static GBytes *
generate_pod_list(guint n_pods, guint n_nodes)
{
	GString *s = g_string_sized_new((gsize)n_pods * 4200);

	g_string_append(s, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":"
			   "\"123456\"},\"items\":[");
	for (guint i = 0; i < n_pods; i++) {
		if (i > 0)
			g_string_append_c(s, ',');
		append_pod(s, i, n_nodes);
	}
	g_string_append(s, "]}");
	return g_string_free_to_bytes(s);
}

static gchar *
generate_nodes(guint n_nodes)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < n_nodes; i++) {
		g_string_append_printf(
		    s,
		    "%s{\"metadata\":{\"name\":\"node-%u\",\"labels\":{\"kubernetes.io/hostname\":\"node-%u\","
		    "\"kubevirt.io/schedulable\":\"true\",\"topology.kubernetes.io/zone\":\"zone-%u\","
		    "\"cpu-model-migration.node.kubevirt.io/Skylake-Server\":\"true\"}},\"spec\":{%s},"
		    "\"status\":{\"allocatable\":{\"cpu\":\"63500m\",\"memory\":\"250Gi\",\"pods\":\"250\","
		    "\"ephemeral-storage\":\"500Gi\",\"devices.kubevirt.io/kvm\":\"1k\",\"devices.kubevirt.io/tun\":"
		    "\"1k\",\"devices.kubevirt.io/vhost-net\":\"1k\"},\"conditions\":[{\"type\":\"Ready\","
		    "\"status\":\"True\"}]}}",
		    i > 0 ? "," : "", i, i, i % 3, i % 50 == 0 ? "\"unschedulable\":true" : "");
	}
	return g_string_free(s, FALSE);
}

/* Local volumes of class "local": 50, 120 and 200 GiB on each node, pinned by hostname */
static GBytes *
generate_local_volumes(guint n_nodes)
{
	GString *s = g_string_new("{\"items\":[");

	for (guint i = 0; i < n_nodes; i++) {
		const guint sizes[] = {50, 120, 200};

		for (guint v = 0; v < G_N_ELEMENTS(sizes); v++)
			g_string_append_printf(
			    s,
			    "%s{\"metadata\":{\"name\":\"pv-%u-%u\"},\"spec\":{\"storageClassName\":\"local\","
			    "\"capacity\":{\"storage\":\"%uGi\"},\"nodeAffinity\":{\"required\":{"
			    "\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"kubernetes.io/hostname\","
			    "\"operator\":\"In\",\"values\":[\"node-%u\"]}]}]}}},\"status\":{\"phase\":"
			    "\"Available\"}}",
			    i + v > 0 ? "," : "", i, v, sizes[v], i);
	}
	g_string_append(s, "]}");
	return g_string_free_to_bytes(s);
}

/* CPU time of the process: the machine is shared, and wall time would measure the neighbours */
static gdouble
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* wall time, for latencies */
static gdouble
wall(void)
{
	return g_get_monotonic_time() / 1e6;
}

static glong
peak_rss_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static void
load_bytes(CclmInventory *inv, CclmInventoryKind kind, GBytes *bytes)
{
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
	g_autoptr(GError) error = NULL;

	if (!cclm_inventory_load_page(inv, kind, stream, NULL, NULL, NULL, &error))
		g_error("%s", error->message);
}

static void
changed_cb(CclmInventory *inv, gdouble *when)
{
	*when = wall();
}

static int
cmp_double(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	guint n_pods = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 50000;
	guint n_nodes = argc > 2 ? (guint)g_ascii_strtoull(argv[2], NULL, 10) : 1000;
	g_autoptr(GBytes) pods = NULL;
	g_autofree gchar *nodes_items = generate_nodes(n_nodes);
	g_autofree gchar *nodes_doc = g_strdup_printf("{\"items\":[%s]}", nodes_items);
	g_autoptr(GBytes) nodes = g_bytes_new(nodes_doc, strlen(nodes_doc));
	gdouble mb, t0, t_yajl, t_glib_parse, t_glib_feed;
	glong rss_base, rss_yajl, rss_glib;
	struct mallinfo2 m0, m1;
	gsize heap_per_pod, est_bytes;

	pods = generate_pod_list(n_pods, n_nodes);
	mb = g_bytes_get_size(pods) / 1e6;
	rss_base = peak_rss_mib();
	g_print("PodList: %u pods, %u nodes, %.1f MB (%.0f bytes per pod); peak RSS with it: %ld MiB\n",
		n_pods, n_nodes, mb, g_bytes_get_size(pods) / (gdouble)n_pods, rss_base);

	/* yajl stream into the inventory, with its heap cost */
	{
		g_autoptr(CclmInventory) inv = cclm_inventory_new("bench");

		load_bytes(inv, CCLM_INVENTORY_KIND_NODE, nodes);
		m0 = mallinfo2();
		t0 = now();
		load_bytes(inv, CCLM_INVENTORY_KIND_POD, pods);
		t_yajl = now() - t0;
		m1 = mallinfo2();
		rss_yajl = peak_rss_mib();
		heap_per_pod = (m1.uordblks - m0.uordblks) / n_pods;
		est_bytes = cclm_inventory_get_pod_bytes(inv) / n_pods;
		g_assert_cmpuint(cclm_inventory_get_n_pods(inv), ==, n_pods);
	}

	/* json-glib DOM, then the same inventory fed object by object */
	{
		g_autoptr(CclmInventory) inv = cclm_inventory_new("bench");
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(GError) error = NULL;
		JsonArray *items;

		load_bytes(inv, CCLM_INVENTORY_KIND_NODE, nodes);
		t0 = now();
		if (!json_parser_load_from_data(parser, g_bytes_get_data(pods, NULL), g_bytes_get_size(pods),
						&error))
			g_error("%s", error->message);
		t_glib_parse = now() - t0;
		items = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)), "items");
		t0 = now();
		for (guint i = 0; i < json_array_get_length(items); i++) {
			if (!cclm_inventory_apply(inv, CCLM_INVENTORY_KIND_POD, json_array_get_object_element(items, i),
						  &error))
				g_error("%s", error->message);
		}
		t_glib_feed = now() - t0;
		rss_glib = peak_rss_mib();
	}

	g_print("\n%-44s %12s %12s\n", "parse a PodList into the inventory", "yajl stream", "json-glib DOM");
	g_print("%-44s %12.2f %12.2f\n", "CPU seconds", t_yajl, t_glib_parse + t_glib_feed);
	g_print("%-44s %12.1f %12.1f\n", "MB per CPU second", mb / t_yajl, mb / (t_glib_parse + t_glib_feed));
	g_print("%-44s %12s %12.1f\n", "  DOM parse alone, MB per CPU second", "-", mb / t_glib_parse);
	g_print("%-44s %12ld %12ld\n", "peak RSS growth over the input, MiB", rss_yajl - rss_base,
		rss_glib - rss_base);
	g_print("%-44s %12zu %12s\n", "inventory heap bytes per pod (mallinfo2)", heap_per_pod, "same");
	g_print("%-44s %12zu %12s\n", "inventory bytes per pod (own estimate)", est_bytes, "same");

	/* fit decisions on the target holding the PodList: a VM that fits (the snapshot is renewed
	 * every 100 placements, inside the timing) and one that fits no node (full scan, reasons) */
	{
		g_autoptr(CclmInventory) src = cclm_inventory_new("src");
		g_autoptr(CclmInventory) dst = cclm_inventory_new("dst");
		const gchar *vms =
		    "{\"items\":[{\"metadata\":{\"name\":\"small\",\"namespace\":\"ns\"},\"spec\":{"
		    "\"runStrategy\":\"Always\",\"template\":{\"spec\":{\"domain\":{\"cpu\":{\"cores\":4},"
		    "\"memory\":{\"guest\":\"16Gi\"}}}}}},"
		    "{\"metadata\":{\"name\":\"huge\",\"namespace\":\"ns\"},\"spec\":{"
		    "\"runStrategy\":\"Always\",\"template\":{\"spec\":{\"domain\":{\"cpu\":{\"cores\":4},"
		    "\"memory\":{\"guest\":\"512Gi\"}}}}}},"
		    "{\"metadata\":{\"name\":\"local\",\"namespace\":\"ns\"},\"spec\":{"
		    "\"runStrategy\":\"Always\",\"dataVolumeTemplates\":[{\"metadata\":{\"name\":\"root\"},"
		    "\"spec\":{\"storage\":{\"storageClassName\":\"local\",\"resources\":{\"requests\":"
		    "{\"storage\":\"100Gi\"}}}}}],\"template\":{\"spec\":{\"domain\":{\"cpu\":{\"cores\":4},"
		    "\"memory\":{\"guest\":\"16Gi\"}},\"volumes\":[{\"name\":\"root\",\"dataVolume\":"
		    "{\"name\":\"root\"}}]}}}}]}";
		const gchar *vmis = "{\"items\":[{\"metadata\":{\"name\":\"small\",\"namespace\":\"ns\"},"
				    "\"status\":{\"phase\":\"Running\",\"nodeName\":\"node-1\"}},"
				    "{\"metadata\":{\"name\":\"huge\",\"namespace\":\"ns\"},"
				    "\"status\":{\"phase\":\"Running\",\"nodeName\":\"node-1\"}}]}";
		g_autoptr(GBytes) vmb = g_bytes_new_static(vms, strlen(vms));
		g_autoptr(GBytes) vmib = g_bytes_new_static(vmis, strlen(vmis));
		const gchar *names[] = {"ns/small", "ns/huge", "ns/local"};
		const gchar *labels[] = {"fit decisions per CPU second, VM fits",
					 "fit decisions per CPU second, fits no node",
					 "  VM with a disk on local volumes (3 per node)"};
		g_autoptr(GBytes) pvs = generate_local_volumes(n_nodes);
		const gchar *sc = "{\"items\":[{\"metadata\":{\"name\":\"local\"},\"provisioner\":"
				  "\"kubernetes.io/no-provisioner\",\"volumeBindingMode\":\"WaitForFirstConsumer\"}]}";
		g_autoptr(GBytes) scb = g_bytes_new_static(sc, strlen(sc));

		load_bytes(src, CCLM_INVENTORY_KIND_NODE, nodes);
		load_bytes(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE, vmb);
		load_bytes(src, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE_INSTANCE, vmib);
		load_bytes(dst, CCLM_INVENTORY_KIND_NODE, nodes);
		load_bytes(dst, CCLM_INVENTORY_KIND_POD, pods);
		load_bytes(dst, CCLM_INVENTORY_KIND_STORAGE_CLASS, scb);
		load_bytes(dst, CCLM_INVENTORY_KIND_PERSISTENT_VOLUME, pvs);
		for (guint k = 0; k < G_N_ELEMENTS(names); k++) {
			g_autoptr(CclmCapacity) cap = NULL;
			guint n = 0, fits = 0;
			gdouble elapsed;

			t0 = now();
			do {
				g_autoptr(CclmFitVerdict) v = NULL;

				if (n % 100 == 0) {
					g_clear_object(&cap);
					cap = cclm_capacity_new(dst);
				}
				v = cclm_capacity_fit(cap, src, names[k], NULL, NULL);
				fits += cclm_fit_verdict_get_fits(v);
				n++;
			} while ((elapsed = now() - t0) < 2.0);
			g_print("%-44s %12.0f %12s   (%u nodes; %u of %u fit)\n", labels[k], n / elapsed, "-",
				n_nodes, fits, n);
		}
	}

	/* watch event to ::changed */
	{
		g_autoptr(CclmInventory) inv = cclm_inventory_new("bench");
		g_autoptr(JsonParser) parser = json_parser_new();
		gdouble delays[1000], fired = 0;
		JsonObject *pod;

		load_bytes(inv, CCLM_INVENTORY_KIND_NODE, nodes);
		{
			GString *one = g_string_new(NULL);

			append_pod(one, 1, n_nodes);
			g_assert_true(json_parser_load_from_data(parser, one->str, one->len, NULL));
			g_string_free(one, TRUE);
		}
		pod = json_node_get_object(json_parser_get_root(parser));
		g_signal_connect(inv, "changed", G_CALLBACK(changed_cb), &fired);
		for (guint i = 0; i < G_N_ELEMENTS(delays); i++) {
			t0 = wall();
			if (i % 2 == 0)
				cclm_inventory_apply(inv, CCLM_INVENTORY_KIND_POD, pod, NULL);
			else
				cclm_inventory_remove(inv, CCLM_INVENTORY_KIND_POD, pod);
			delays[i] = (fired - t0) * 1e6;
		}
		qsort(delays, G_N_ELEMENTS(delays), sizeof delays[0], cmp_double);
		g_print("%-44s %12.1f %12s   (p99 %.1f us)\n", "watch event to ::changed, median us", delays[500], "-",
			delays[989]);
	}
	g_print("\ntargets: inventory <= 256 bytes/pod, >= 10,000 fit decisions/s, <= 100 ms event to signal\n");
	return 0;
}
