/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sim-launcher.h"

#include "sim-quantity.h"
#include "sim-store.h"

#include <math.h>
#include <string.h>

/*
 * The virt-launcher pod virt-controller renders for a VMI, written from KubeVirt's sources:
 * pkg/virt-controller/services/template.go and renderresources.go (KubeVirt v1.6.0, d53baa7f84),
 * the overhead from pkg/hypervisor/kvm/hypervisorbackend.go GetMemoryOverhead (v1.9.0,
 * 79d34c1762; main 03ede70ad2 raised qemu to 50Mi). Constants per release: see
 * sim_launcher_fixed_overhead().
 */

#define MI ((gint64)1024 * 1024)

void
sim_kubevirt_config_init(SimKubeVirtConfig *cfg)
{
	cfg->version_minor = 6;
	cfg->cpu_allocation_ratio = 10;
	cfg->memory_overcommit = 100;
	cfg->additional_overhead_ratio = 1;
	cfg->serial_console_log = TRUE;
	g_strlcpy(cfg->default_arch, "amd64", sizeof cfg->default_arch);
	cfg->cpu_request = -1;
}

void
sim_kubevirt_config_from_cr(SimKubeVirtConfig *cfg, JsonObject *kv)
{
	JsonObject *config = sim_json_path_object(kv, "spec", "configuration", NULL);
	JsonObject *dev = sim_json_object(config, "developerConfiguration");
	const gchar *version =
	    sim_json_string(sim_json_object(kv, "status"), "observedKubeVirtVersion");
	const gchar *ratio = sim_json_string(config, "additionalGuestMemoryOverheadRatio");
	JsonObject *vmopts = sim_json_object(config, "virtualMachineOptions");
	/* virt-operator's SetDefaultArchitecture (pkg/virt-operator/util/config.go, kubevirt
	 * v1.0-v1.9): status.defaultArchitecture = the spec's, else the operator's GOARCH */
	const gchar *arch =
	    sim_json_string(sim_json_object(config, "architectureConfiguration"),
			    "defaultArchitecture")
		?: sim_json_string(sim_json_object(kv, "status"), "defaultArchitecture");
	JsonNode *cpu_request =
	    config != NULL ? json_object_get_member(config, "cpuRequest") : NULL;
	SimQuantity q;

	sim_kubevirt_config_init(cfg);
	if (arch != NULL && *arch != '\0')
		g_strlcpy(cfg->default_arch, arch, sizeof cfg->default_arch);
	if (cpu_request != NULL && sim_quantity_from_node(cpu_request, &q, NULL))
		cfg->cpu_request = sim_quantity_milli_value(&q);
	if (version != NULL && g_str_has_prefix(version, "v1."))
		cfg->version_minor = (gint)g_ascii_strtoll(version + 3, NULL, 10);
	if (dev != NULL && json_object_has_member(dev, "cpuAllocationRatio")) {
		gint64 r = sim_json_int(dev, "cpuAllocationRatio", 10);

		cfg->cpu_allocation_ratio = r > 0 ? (gdouble)r : 10;
	}
	cfg->memory_overcommit = (gint)CLAMP(sim_json_int(dev, "memoryOvercommit", 100), 10, 1000);
	if (ratio != NULL)
		cfg->additional_overhead_ratio = g_ascii_strtod(ratio, NULL);
	if (vmopts != NULL && json_object_has_member(vmopts, "disableSerialConsoleLog"))
		cfg->serial_console_log = FALSE;
}

/* hardware.GetNumberOfVCPUs: sockets x cores x threads, each defaulting to 1; without a CPU
 * topology the CPU limit or request, at least 1 */
gint64
sim_launcher_vcpus(JsonObject *vmi_spec)
{
	JsonObject *domain = sim_json_object(vmi_spec, "domain");
	JsonObject *cpu = sim_json_object(domain, "cpu");
	JsonObject *res = sim_json_object(domain, "resources");
	gint64 n = 0;

	if (cpu != NULL) {
		n = MAX(sim_json_int(cpu, "sockets", 1), 1) *
		    MAX(sim_json_int(cpu, "cores", 1), 1) * MAX(sim_json_int(cpu, "threads", 1), 1);
	} else {
		const gchar *kinds[] = {"limits", "requests"};

		for (gsize i = 0; i < G_N_ELEMENTS(kinds) && n == 0; i++) {
			JsonObject *list = sim_json_object(res, kinds[i]);
			JsonNode *c = list != NULL ? json_object_get_member(list, "cpu") : NULL;
			SimQuantity q;

			if (c != NULL && sim_quantity_from_node(c, &q, NULL))
				n = sim_quantity_value(&q);
		}
	}
	return MAX(n, 1);
}

/* Reads a quantity member as bytes (Value()); FALSE when absent. */
static gboolean
sim_launcher_bytes(JsonObject *o,
		   const gchar *member,
		   gint64 *out,
		   const gchar *where,
		   GError **error)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;
	SimQuantity q;
	g_autoptr(GError) local = NULL;

	if (n == NULL)
		return FALSE;
	if (!sim_quantity_from_node(n, &q, &local)) {
		if (error != NULL && *error == NULL)
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s.%s: %s", where,
				    member, local->message);
		return FALSE;
	}
	*out = sim_quantity_value(&q);
	return TRUE;
}

/* The memory the VMI asks for: virt-api's defaulting fills requests.memory from the guest
 * memory scaled by memoryOvercommit (or from the hugepage size) when it is missing. */
static gint64
sim_launcher_vmi_memory_request(JsonObject *spec, const SimKubeVirtConfig *cfg, GError **error)
{
	JsonObject *domain = sim_json_object(spec, "domain");
	JsonObject *res = sim_json_object(domain, "resources");
	JsonObject *mem = sim_json_object(domain, "memory");
	gint64 v = 0;

	if (sim_launcher_bytes(sim_json_object(res, "requests"), "memory", &v,
			       "spec.domain.resources.requests", error))
		return v;
	if (sim_launcher_bytes(sim_json_object(res, "limits"), "memory", &v,
			       "spec.domain.resources.limits", error))
		return v;
	if (sim_launcher_bytes(mem, "guest", &v, "spec.domain.memory", error))
		return v * 100 / cfg->memory_overcommit;
	if (sim_launcher_bytes(sim_json_object(mem, "hugepages"), "pageSize", &v,
			       "spec.domain.memory.hugepages", error))
		return v;
	return 0;
}

/* virtlogd / virtqemud / qemu RSS estimates by release (kubevirt.md §4.1): v1.0-v1.4
 * 20/35/30Mi, v1.5-v1.9 25/40/30Mi, v1.10 (main) 25/40/50Mi; plus 25Mi virt-launcher-monitor
 * and 100Mi virt-launcher in all of them. */
static gint64
sim_launcher_fixed_overhead(gint minor)
{
	if (minor <= 4)
		return (25 + 100 + 20 + 35 + 30) * MI;
	if (minor <= 9)
		return (25 + 100 + 25 + 40 + 30) * MI;
	return (25 + 100 + 25 + 40 + 50) * MI;
}

static gboolean
sim_launcher_has_vfio(JsonObject *devices)
{
	JsonArray *ifaces = sim_json_array(devices, "interfaces");
	JsonArray *gpus = sim_json_array(devices, "gpus");
	JsonArray *hostdevs = sim_json_array(devices, "hostDevices");

	if ((gpus != NULL && json_array_get_length(gpus) > 0) ||
	    (hostdevs != NULL && json_array_get_length(hostdevs) > 0))
		return TRUE;
	for (guint i = 0; ifaces != NULL && i < json_array_get_length(ifaces); i++) {
		if (json_object_has_member(json_array_get_object_element(ifaces, i), "sriov"))
			return TRUE;
	}
	return FALSE;
}

static gboolean
sim_launcher_is_dedicated(JsonObject *spec)
{
	return sim_json_bool(sim_json_path_object(spec, "domain", "cpu", NULL),
			     "dedicatedCpuPlacement", FALSE);
}

static gboolean
sim_launcher_has_exec_probe(JsonObject *spec, const gchar *probe)
{
	return sim_json_object(sim_json_object(spec, probe), "exec") != NULL;
}

/* GetMemoryOverhead, in bytes */
gint64
sim_launcher_memory_overhead(JsonObject *spec, const SimKubeVirtConfig *cfg, GError **error)
{
	JsonObject *domain = sim_json_object(spec, "domain");
	JsonObject *devices = sim_json_object(domain, "devices");
	JsonObject *tpm = sim_json_object(devices, "tpm");
	JsonArray *volumes = sim_json_array(spec, "volumes");
	gint64 req = sim_launcher_vmi_memory_request(spec, cfg, error);
	gint64 overhead;
	gboolean liveness, readiness;

	/* page tables: Quantity scaled to kilo (rounded up), /512 */
	overhead = ((req + 999) / 1000 * 1000) / 512;
	overhead += sim_launcher_fixed_overhead(cfg->version_minor);
	overhead += 8 * MI * sim_launcher_vcpus(spec);
	overhead += 8 * MI; /* IOThread */
	if (sim_json_bool(devices, "autoattachGraphicsDevice", TRUE))
		overhead += 32 * MI;
	if (g_strcmp0(sim_json_string(spec, "architecture"), "arm64") == 0)
		overhead += 128 * MI;
	if (sim_launcher_has_vfio(devices))
		overhead += 1024 * MI;
	for (guint i = 0; volumes != NULL && i < json_array_get_length(volumes); i++) {
		if (json_object_has_member(json_array_get_object_element(volumes, i),
					   "downwardMetrics"))
			overhead += MI;
	}
	liveness = sim_launcher_has_exec_probe(spec, "livenessProbe");
	readiness = sim_launcher_has_exec_probe(spec, "readinessProbe");
	overhead += (liveness ? 10 * MI : 0) + (readiness ? 10 * MI : 0) +
		    (liveness || readiness ? 100 * MI : 0);
	if (sim_json_object(sim_json_path_object(domain, "launchSecurity", NULL), "sev") != NULL)
		overhead += 256 * MI;
	if (tpm != NULL && sim_json_bool(tpm, "enabled", TRUE))
		overhead += 53 * MI;
	if (sim_launcher_is_dedicated(spec))
		overhead += 100 * MI;
	if (cfg->additional_overhead_ratio != 1) {
		/* MultiplyMemory: the addition is truncated to whole kilobytes */
		gint64 kilo = (overhead + 999) / 1000;

		overhead += (gint64)((gdouble)kilo * (cfg->additional_overhead_ratio - 1.0)) * 1000;
	}
	return overhead;
}

static void
sim_launcher_set_quantity(JsonObject *list, const gchar *name, gint64 value)
{
	g_autofree gchar *text = sim_resources_format(name, value);

	json_object_set_string_member(list, name, text);
}

static void
sim_launcher_set_quantity_take(JsonObject *list, const gchar *name, gchar *text)
{
	json_object_set_string_member(list, name, text);
	g_free(text);
}

static JsonObject *
sim_launcher_volume(const gchar *name, const gchar *kind, JsonObject *source)
{
	JsonObject *v = json_object_new();

	json_object_set_string_member(v, "name", name);
	json_object_set_object_member(v, kind, source != NULL ? source : json_object_new());
	return v;
}

static JsonObject *
sim_launcher_mount(const gchar *name, const gchar *path)
{
	JsonObject *m = json_object_new();

	json_object_set_string_member(m, "mountPath", path);
	json_object_set_string_member(m, "name", name);
	return m;
}

static void
sim_launcher_add_toleration(JsonArray *tolerations, const gchar *key)
{
	JsonObject *t = json_object_new();

	json_object_set_string_member(t, "effect", "NoExecute");
	json_object_set_string_member(t, "key", key);
	json_object_set_string_member(t, "operator", "Exists");
	json_object_set_int_member(t, "tolerationSeconds", 300);
	json_array_add_object_element(tolerations, t);
}

static JsonArray *
sim_launcher_strv(const gchar *const *v)
{
	JsonArray *a = json_array_new();

	for (; *v != NULL; v++)
		json_array_add_string_element(a, *v);
	return a;
}

/* The compute container's resources (renderresources.go). */
static gboolean
sim_launcher_compute_resources(JsonObject *spec,
			       const SimKubeVirtConfig *cfg,
			       const SimLauncherNamespace *ns,
			       const gchar *vmi_ns,
			       JsonObject *requests,
			       JsonObject *limits,
			       GError **error)
{
	JsonObject *domain = sim_json_object(spec, "domain");
	JsonObject *res = sim_json_object(domain, "resources");
	JsonObject *vreq = sim_json_object(res, "requests");
	JsonObject *vlim = sim_json_object(res, "limits");
	JsonObject *mem = sim_json_object(domain, "memory");
	JsonObject *hugepages = sim_json_object(mem, "hugepages");
	JsonObject *devices = sim_json_object(domain, "devices");
	JsonArray *ifaces = sim_json_array(devices, "interfaces");
	gboolean dedicated = sim_launcher_is_dedicated(spec);
	gint64 vcpus = sim_launcher_vcpus(spec);
	gint64 memreq, overhead, guest = 0, memlim = 0;
	gboolean overcommit_overhead = sim_json_bool(res, "overcommitGuestOverhead", FALSE);
	JsonNode *cpu_req = vreq != NULL ? json_object_get_member(vreq, "cpu") : NULL;
	JsonNode *cpu_lim = vlim != NULL ? json_object_get_member(vlim, "cpu") : NULL;
	GError *local = NULL;
	const gchar *devs[] = {"devices.kubevirt.io/kvm", "devices.kubevirt.io/tun",
			       "devices.kubevirt.io/vhost-net"};
	const gchar *const lists[] = {"gpus", "hostDevices"};

	memreq = sim_launcher_vmi_memory_request(spec, cfg, &local);
	if (local == NULL)
		overhead = sim_launcher_memory_overhead(spec, cfg, &local);
	if (local != NULL) {
		g_propagate_error(error, local);
		return FALSE;
	}
	if (!sim_launcher_bytes(mem, "guest", &guest, "spec.domain.memory", NULL))
		guest = memreq;

	/* CPU; IOThreads of the supplementalPool count as vCPUs since v1.6 (renderresources.go
	 * getIOThreadsCount) */
	if (cfg->version_minor >= 6)
		vcpus += MAX(sim_json_int(sim_json_object(domain, "ioThreads"),
					  "supplementalPoolThreadCount", 0),
			     0);
	if (dedicated) {
		gint64 n = vcpus + (sim_json_bool(sim_json_object(domain, "cpu"),
						  "isolateEmulatorThread", FALSE)
					? 1
					: 0);

		sim_launcher_set_quantity(requests, "cpu", n * 1000);
		sim_launcher_set_quantity(limits, "cpu", n * 1000);
	} else if (cpu_req != NULL || cpu_lim != NULL) {
		JsonNode *n = cpu_req != NULL ? cpu_req : cpu_lim;

		json_object_set_member(requests, "cpu", sim_json_node_dup(n));
		if (cpu_lim != NULL)
			json_object_set_member(limits, "cpu", sim_json_node_dup(cpu_lim));
	} else if (cfg->cpu_request >= 0 && cfg->cpu_request != 100) {
		/* the VMI webhook's default request (pkg/defaults/defaults.go
		 * setDefaultResourceRequests): the cluster's cpuRequest unless it is 100m */
		sim_launcher_set_quantity(requests, "cpu", cfg->cpu_request);
		if (ns != NULL && ns->cpu_limits)
			sim_launcher_set_quantity(limits, "cpu", vcpus * 1000);
	} else {
		SimQuantity q;
		gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

		/* strconv.FormatFloat(vcpus/ratio, 'g') parsed back as a Quantity */
		g_ascii_formatd(buf, sizeof(buf), "%.12g",
				(gdouble)vcpus / cfg->cpu_allocation_ratio);
		if (!sim_quantity_parse(buf, &q, error))
			return FALSE;
		sim_launcher_set_quantity_take(requests, "cpu", sim_quantity_format(q.nano, FALSE));
		if (ns != NULL && ns->cpu_limits)
			sim_launcher_set_quantity(limits, "cpu", vcpus * 1000);
	}

	/* memory */
	if (hugepages != NULL) {
		g_autofree gchar *name = g_strdup_printf(
		    "hugepages-%s", sim_json_string(hugepages, "pageSize") ?: "2Mi");
		gint64 hp = MIN(memreq, guest);

		sim_launcher_set_quantity(requests, name, hp);
		sim_launcher_set_quantity(limits, name, hp);
		sim_launcher_set_quantity(requests, "memory",
					  overhead + (memreq > guest ? memreq - guest : 0));
	} else {
		sim_launcher_set_quantity(requests, "memory",
					  memreq + (overcommit_overhead ? 0 : overhead));
	}
	if (sim_launcher_bytes(vlim, "memory", &memlim, "spec.domain.resources.limits", NULL))
		sim_launcher_set_quantity(limits, "memory", memlim + overhead);
	else if (dedicated)
		json_object_set_member(
		    limits, "memory",
		    sim_json_node_dup(json_object_get_member(requests, "memory")));
	else if (ns != NULL && ns->memory_limits)
		sim_launcher_set_quantity(limits, "memory", (memreq + overhead) * 2);

	/* devices, as limits that API defaulting copies to requests */
	for (gsize i = 0; i < G_N_ELEMENTS(devs); i++) {
		if (i == 2 && ifaces != NULL && json_array_get_length(ifaces) == 0)
			continue;
		json_object_set_string_member(requests, devs[i], "1");
		json_object_set_string_member(limits, devs[i], "1");
	}
	for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
		JsonArray *a = sim_json_array(devices, lists[l]);

		for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
			const gchar *dev =
			    sim_json_string(json_array_get_object_element(a, i), "deviceName");
			gint64 n;
			g_autofree gchar *text = NULL;

			if (dev == NULL)
				continue;
			n = g_ascii_strtoll(sim_json_string(limits, dev) ?: "0", NULL, 10) + 1;
			text = g_strdup_printf("%" G_GINT64_FORMAT, n);
			json_object_set_string_member(requests, dev, text);
			json_object_set_string_member(limits, dev, text);
		}
	}
	/* SR-IOV: one VF of the NAD's resource per interface */
	for (guint i = 0; ifaces != NULL && ns != NULL && ns->nad_resources != NULL &&
			  i < json_array_get_length(ifaces);
	     i++) {
		JsonObject *iface = json_array_get_object_element(ifaces, i);
		JsonArray *networks = sim_json_array(spec, "networks");

		if (!json_object_has_member(iface, "sriov"))
			continue;
		for (guint j = 0; networks != NULL && j < json_array_get_length(networks); j++) {
			JsonObject *net = json_array_get_object_element(networks, j);
			const gchar *nadname =
			    sim_json_string(sim_json_object(net, "multus"), "networkName");
			g_autofree gchar *qualified = NULL;
			const gchar *rname;

			if (nadname == NULL || g_strcmp0(sim_json_string(net, "name"),
							 sim_json_string(iface, "name")) != 0)
				continue;
			qualified = strchr(nadname, '/') != NULL
					? g_strdup(nadname)
					: g_strdup_printf("%s/%s", vmi_ns, nadname);
			rname = g_hash_table_lookup(ns->nad_resources, qualified);
			if (rname != NULL) {
				gint64 n = g_ascii_strtoll(sim_json_string(limits, rname) ?: "0",
							   NULL, 10) +
					   1;
				g_autofree gchar *text = g_strdup_printf("%" G_GINT64_FORMAT, n);

				json_object_set_string_member(requests, rname, text);
				json_object_set_string_member(limits, rname, text);
			}
		}
	}
	json_object_set_string_member(requests, "ephemeral-storage", "50M");
	return TRUE;
}

static void
sim_launcher_metadata(JsonObject *pod, JsonObject *vmi, const gchar *pod_name)
{
	JsonObject *vmeta = sim_json_object(vmi, "metadata");
	JsonObject *vlabels = sim_json_object(vmeta, "labels");
	JsonObject *vspec = sim_json_object(vmi, "spec");
	JsonArray *networks = sim_json_array(vspec, "networks");
	const gchar *name = sim_json_string(vmeta, "name") ?: "";
	const gchar *ns = sim_json_string(vmeta, "namespace") ?: "default";
	const gchar *uid = sim_json_string(vmeta, "uid") ?: "";
	JsonObject *meta = sim_json_ensure(pod, "metadata", NULL);
	JsonObject *labels = sim_json_ensure(meta, "labels", NULL);
	JsonObject *ann = sim_json_ensure(meta, "annotations", NULL);
	JsonObject *owner = json_object_new();
	JsonArray *owners = json_array_new();
	g_autofree gchar *gen = g_strdup_printf("virt-launcher-%s-", name);
	g_autofree gchar *freeze = g_strdup_printf("[\"/usr/bin/virt-freezer\", \"--freeze\", "
						   "\"--name\", \"%s\", \"--namespace\", \"%s\"]",
						   name, ns);
	g_autofree gchar *unfreeze = g_strdup_printf("[\"/usr/bin/virt-freezer\", \"--unfreeze\", "
						     "\"--name\", \"%s\", \"--namespace\", \"%s\"]",
						     name, ns);
	GString *multus = g_string_new(NULL);

	json_object_set_string_member(meta, "name", pod_name);
	json_object_set_string_member(meta, "generateName", gen);
	json_object_set_string_member(meta, "namespace", ns);
	if (vlabels != NULL) {
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;

		json_object_iter_init(&it, vlabels);
		while (json_object_iter_next(&it, &k, &v))
			json_object_set_member(labels, k, sim_json_node_dup(v));
	}
	json_object_set_string_member(labels, "kubevirt.io", "virt-launcher");
	json_object_set_string_member(labels, "kubevirt.io/created-by", uid);
	json_object_set_string_member(labels, "vm.kubevirt.io/name", name);
	json_object_set_string_member(ann, "kubectl.kubernetes.io/default-container", "compute");
	json_object_set_string_member(ann, "kubevirt.io/domain", name);
	json_object_set_string_member(ann, "kubevirt.io/migrationTransportUnix", "true");
	json_object_set_string_member(ann, "post.hook.backup.velero.io/command", unfreeze);
	json_object_set_string_member(ann, "post.hook.backup.velero.io/container", "compute");
	json_object_set_string_member(ann, "pre.hook.backup.velero.io/command", freeze);
	json_object_set_string_member(ann, "pre.hook.backup.velero.io/container", "compute");
	for (guint i = 0; networks != NULL && i < json_array_get_length(networks); i++) {
		JsonObject *net = json_array_get_object_element(networks, i);
		const gchar *nad = sim_json_string(sim_json_object(net, "multus"), "networkName");
		g_auto(GStrv) parts = NULL;

		if (nad == NULL)
			continue;
		parts = g_strsplit(nad, "/", 2);
		g_string_append_printf(multus,
				       "%s{\"name\":\"%s\",\"namespace\":\"%s\","
				       "\"interface\":\"pod%08x\"}",
				       multus->len ? "," : "", parts[1] ? parts[1] : parts[0],
				       parts[1] ? parts[0] : ns, g_str_hash(nad));
	}
	if (multus->len > 0) {
		g_autofree gchar *v = g_strdup_printf("[%s]", multus->str);

		json_object_set_string_member(ann, "k8s.v1.cni.cncf.io/networks", v);
	}
	g_string_free(multus, TRUE);
	json_object_set_string_member(owner, "apiVersion", "kubevirt.io/v1");
	json_object_set_boolean_member(owner, "blockOwnerDeletion", TRUE);
	json_object_set_boolean_member(owner, "controller", TRUE);
	json_object_set_string_member(owner, "kind", "VirtualMachineInstance");
	json_object_set_string_member(owner, "name", name);
	json_object_set_string_member(owner, "uid", uid);
	json_array_add_object_element(owners, owner);
	json_object_set_array_member(meta, "ownerReferences", owners);
}

static JsonObject *
sim_launcher_compute_container(JsonObject *vmi,
			       JsonObject *requests,
			       JsonObject *limits,
			       gint64 grace,
			       gint minor)
{
	JsonObject *vmeta = sim_json_object(vmi, "metadata");
	JsonObject *c = json_object_new();
	JsonObject *res = json_object_new();
	JsonObject *sc = json_object_new();
	JsonObject *caps = json_object_new();
	JsonArray *mounts = json_array_new();
	JsonArray *env = json_array_new();
	JsonObject *e = json_object_new();
	g_autofree gchar *grace_s = g_strdup_printf("%" G_GINT64_FORMAT, grace);
	g_autofree gchar *image = g_strdup_printf("quay.io/kubevirt/virt-launcher:v1.%d.0", minor);
	const gchar *drop[] = {"ALL", NULL};
	const gchar *add[] = {"NET_BIND_SERVICE", NULL};
	const gchar *cmd[] = {"/usr/bin/virt-launcher-monitor",
			      "--qemu-timeout",
			      "321s",
			      "--name",
			      sim_json_string(vmeta, "name") ?: "",
			      "--uid",
			      sim_json_string(vmeta, "uid") ?: "",
			      "--namespace",
			      sim_json_string(vmeta, "namespace") ?: "",
			      "--kubevirt-share-dir",
			      "/var/run/kubevirt",
			      "--ephemeral-disk-dir",
			      "/var/run/kubevirt-ephemeral-disks",
			      "--container-disk-dir",
			      "/var/run/kubevirt/container-disks",
			      "--grace-period-seconds",
			      grace_s,
			      "--hook-sidecars",
			      "0",
			      "--ovmf-path",
			      "/usr/share/OVMF",
			      "--run-as-nonroot",
			      NULL};
	const gchar *const mount_list[][2] = {
	    {"private", "/var/run/kubevirt-private"},
	    {"public", "/var/run/kubevirt"},
	    {"ephemeral-disks", "/var/run/kubevirt-ephemeral-disks"},
	    {"container-disks", "/var/run/kubevirt/container-disks"},
	    {"libvirt-runtime", "/var/run/libvirt"},
	    {"sockets", "/var/run/kubevirt/sockets"},
	    {"hotplug-disks", "/var/run/kubevirt/hotplug-disks"},
	};

	json_object_set_array_member(c, "command", sim_launcher_strv(cmd));
	json_object_set_string_member(e, "name", "XDG_CACHE_HOME");
	json_object_set_string_member(e, "value", "/var/run/kubevirt-private");
	json_array_add_object_element(env, e);
	json_object_set_array_member(c, "env", env);
	json_object_set_string_member(c, "image", image);
	json_object_set_string_member(c, "imagePullPolicy", "IfNotPresent");
	json_object_set_string_member(c, "name", "compute");
	json_object_set_object_member(res, "limits", limits);
	json_object_set_object_member(res, "requests", requests);
	json_object_set_object_member(c, "resources", res);
	json_object_set_boolean_member(sc, "allowPrivilegeEscalation", FALSE);
	json_object_set_array_member(caps, "add", sim_launcher_strv(add));
	json_object_set_array_member(caps, "drop", sim_launcher_strv(drop));
	json_object_set_object_member(sc, "capabilities", caps);
	json_object_set_boolean_member(sc, "privileged", FALSE);
	json_object_set_int_member(sc, "runAsGroup", 107);
	json_object_set_boolean_member(sc, "runAsNonRoot", TRUE);
	json_object_set_int_member(sc, "runAsUser", 107);
	json_object_set_object_member(c, "securityContext", sc);
	json_object_set_string_member(c, "terminationMessagePath", "/dev/termination-log");
	json_object_set_string_member(c, "terminationMessagePolicy", "File");
	for (gsize i = 0; i < G_N_ELEMENTS(mount_list); i++)
		json_array_add_object_element(
		    mounts, sim_launcher_mount(mount_list[i][0], mount_list[i][1]));
	json_object_set_array_member(c, "volumeMounts", mounts);
	return c;
}

static JsonObject *
sim_launcher_console_container(gint minor)
{
	JsonObject *c = json_object_new();
	JsonObject *res = json_object_new();
	JsonObject *req = json_object_new();
	JsonObject *lim = json_object_new();
	g_autofree gchar *image = g_strdup_printf("quay.io/kubevirt/virt-launcher:v1.%d.0", minor);
	const gchar *cmd[] = {"/usr/bin/virt-tail", "--logfile",
			      "/var/run/kubevirt-private/console.log", NULL};

	/* serialconsolelog.go */
	json_object_set_array_member(c, "command", sim_launcher_strv(cmd));
	json_object_set_string_member(c, "image", image);
	json_object_set_string_member(c, "imagePullPolicy", "IfNotPresent");
	json_object_set_string_member(c, "name", "guest-console-log");
	json_object_set_string_member(req, "cpu", "5m");
	json_object_set_string_member(req, "memory", "35M");
	json_object_set_string_member(lim, "cpu", "15m");
	json_object_set_string_member(lim, "memory", "60M");
	json_object_set_object_member(res, "limits", lim);
	json_object_set_object_member(res, "requests", req);
	json_object_set_object_member(c, "resources", res);
	json_object_set_string_member(c, "terminationMessagePath", "/dev/termination-log");
	json_object_set_string_member(c, "terminationMessagePolicy", "File");
	return c;
}

/* The virt-launcher pod virt-controller would create for @vmi, unscheduled (status Pending). */
JsonObject *
sim_launcher_pod_new(JsonObject *vmi,
		     const SimKubeVirtConfig *cfg,
		     const SimLauncherNamespace *ns,
		     const gchar *pod_name,
		     GError **error)
{
	JsonObject *vspec = sim_json_object(vmi, "spec");
	JsonObject *vmeta = sim_json_object(vmi, "metadata");
	const gchar *vmi_ns = sim_json_string(vmeta, "namespace") ?: "default";
	g_autoptr(JsonObject) pod = json_object_new();
	JsonObject *requests = json_object_new();
	JsonObject *limits = json_object_new();
	JsonObject *spec, *selector, *status, *cpu;
	JsonArray *containers, *tolerations, *volumes, *vtol, *vvols, *gates;
	JsonObject *gate = json_object_new();
	JsonObject *psc = json_object_new();
	gint64 grace = sim_json_int(vspec, "terminationGracePeriodSeconds", 180) + 15;
	const gchar *const empty_dirs[] = {
	    "private",	       "public",	  "sockets",	     "virt-bin-share-dir",
	    "libvirt-runtime", "ephemeral-disks", "container-disks", "hotplug-disks"};

	if (!sim_launcher_compute_resources(vspec, cfg, ns, vmi_ns, requests, limits, error)) {
		json_object_unref(requests);
		json_object_unref(limits);
		return NULL;
	}
	json_object_set_string_member(pod, "apiVersion", "v1");
	json_object_set_string_member(pod, "kind", "Pod");
	sim_launcher_metadata(pod, vmi, pod_name);

	spec = sim_json_ensure(pod, "spec", NULL);
	if (sim_json_object(vspec, "affinity") != NULL)
		json_object_set_member(
		    spec, "affinity", sim_json_node_dup(json_object_get_member(vspec, "affinity")));
	json_object_set_boolean_member(spec, "automountServiceAccountToken", FALSE);
	containers = sim_json_ensure_array(spec, "containers");
	json_array_add_object_element(
	    containers,
	    sim_launcher_compute_container(vmi, requests, limits, grace, cfg->version_minor));
	if (cfg->serial_console_log &&
	    sim_json_bool(sim_json_path_object(vspec, "domain", "devices", NULL),
			  "logSerialConsole", TRUE))
		json_array_add_object_element(containers,
					      sim_launcher_console_container(cfg->version_minor));
	json_object_set_string_member(spec, "dnsPolicy", "ClusterFirst");
	json_object_set_boolean_member(spec, "enableServiceLinks", FALSE);
	json_object_set_string_member(spec, "hostname",
				      sim_json_string(vspec, "hostname")
					  ?: sim_json_string(vmeta, "name") ?: "");

	/* nodeselectorrenderer.go */
	selector = sim_json_ensure(spec, "nodeSelector", NULL);
	if (sim_json_object(vspec, "nodeSelector") != NULL) {
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;

		json_object_iter_init(&it, sim_json_object(vspec, "nodeSelector"));
		while (json_object_iter_next(&it, &k, &v))
			json_object_set_member(selector, k, sim_json_node_dup(v));
	}
	/* the VM mutating webhook fills spec.architecture from the cluster default
	 * (vm-mutator.go setDefaultArchitecture); since kubevirt v1.0.0 the renderer lowercases
	 * it into kubernetes.io/arch */
	{
		const gchar *arch = sim_json_string(vspec, "architecture");
		g_autofree gchar *lower =
		    g_ascii_strdown(arch != NULL && *arch != '\0' ? arch : cfg->default_arch, -1);

		json_object_set_string_member(selector, "kubernetes.io/arch", lower);
	}
	json_object_set_string_member(selector, "kubevirt.io/schedulable", "true");
	cpu = sim_json_path_object(vspec, "domain", "cpu", NULL);
	if (sim_launcher_is_dedicated(vspec))
		json_object_set_string_member(selector, "kubevirt.io/cpumanager", "true");
	if (sim_json_string(cpu, "model") != NULL &&
	    strcmp(sim_json_string(cpu, "model"), "host-model") != 0 &&
	    strcmp(sim_json_string(cpu, "model"), "host-passthrough") != 0) {
		g_autofree gchar *label =
		    g_strdup_printf("cpu-model.node.kubevirt.io/%s", sim_json_string(cpu, "model"));

		json_object_set_string_member(selector, label, "true");
	}

	json_object_set_string_member(spec, "preemptionPolicy", "PreemptLowerPriority");
	json_object_set_int_member(spec, "priority", 0);
	gates = sim_json_ensure_array(spec, "readinessGates");
	json_object_set_string_member(gate, "conditionType",
				      "kubevirt.io/virtual-machine-unpaused");
	json_array_add_object_element(gates, gate);
	json_object_set_string_member(spec, "restartPolicy", "Never");
	json_object_set_string_member(spec, "schedulerName", "default-scheduler");
	json_object_set_int_member(psc, "fsGroup", 107);
	json_object_set_int_member(psc, "runAsGroup", 107);
	json_object_set_boolean_member(psc, "runAsNonRoot", TRUE);
	json_object_set_int_member(psc, "runAsUser", 107);
	json_object_set_object_member(spec, "securityContext", psc);
	json_object_set_string_member(spec, "serviceAccount", "default");
	json_object_set_string_member(spec, "serviceAccountName", "default");
	json_object_set_int_member(spec, "terminationGracePeriodSeconds", grace + 15);

	/* template.go: the VMI's tolerations; DefaultTolerationSeconds admits the 300 s ones */
	tolerations = sim_json_ensure_array(spec, "tolerations");
	vtol = sim_json_array(vspec, "tolerations");
	for (guint i = 0; vtol != NULL && i < json_array_get_length(vtol); i++)
		json_array_add_element(tolerations,
				       sim_json_node_dup(json_array_get_element(vtol, i)));
	sim_launcher_add_toleration(tolerations, "node.kubernetes.io/not-ready");
	sim_launcher_add_toleration(tolerations, "node.kubernetes.io/unreachable");

	volumes = sim_json_ensure_array(spec, "volumes");
	for (gsize i = 0; i < G_N_ELEMENTS(empty_dirs); i++)
		json_array_add_object_element(volumes,
					      sim_launcher_volume(empty_dirs[i], "emptyDir", NULL));
	vvols = sim_json_array(vspec, "volumes");
	for (guint i = 0; vvols != NULL && i < json_array_get_length(vvols); i++) {
		JsonObject *v = json_array_get_object_element(vvols, i);
		const gchar *claim =
		    sim_json_string(sim_json_object(v, "persistentVolumeClaim"), "claimName")
			?: sim_json_string(sim_json_object(v, "dataVolume"), "name");
		JsonObject *src;

		if (claim == NULL)
			continue;
		src = json_object_new();
		json_object_set_string_member(src, "claimName", claim);
		json_array_add_object_element(
		    volumes, sim_launcher_volume(sim_json_string(v, "name") ?: claim,
						 "persistentVolumeClaim", src));
	}
	if (sim_json_path_object(vspec, "domain", "memory", "hugepages", NULL) != NULL) {
		JsonObject *src = json_object_new();

		json_object_set_string_member(src, "medium", "HugePages");
		json_array_add_object_element(volumes,
					      sim_launcher_volume("hugepages", "emptyDir", src));
	}

	status = sim_json_ensure(pod, "status", NULL);
	json_object_set_string_member(status, "phase", "Pending");
	json_object_set_string_member(
	    status, "qosClass", sim_launcher_is_dedicated(vspec) ? "Guaranteed" : "Burstable");
	return g_steal_pointer(&pod);
}
