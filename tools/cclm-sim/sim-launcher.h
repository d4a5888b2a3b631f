/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "sim-requests.h"

G_BEGIN_DECLS

/* What of a cluster's KubeVirt CR changes how virt-controller renders a virt-launcher pod. */
typedef struct {
	gint version_minor;	      /* 1.<minor>; picks the overhead constants */
	gdouble cpu_allocation_ratio; /* developerConfiguration.cpuAllocationRatio, default 10 */
	gint memory_overcommit;	      /* developerConfiguration.memoryOvercommit, default 100 */
	gdouble additional_overhead_ratio; /* additionalGuestMemoryOverheadRatio, default 1 */
	gboolean serial_console_log;	   /* guest-console-log container, on unless disabled */
	gchar default_arch[32];		   /* status.defaultArchitecture, default amd64 */
	gint64 cpu_request;		   /* configuration.cpuRequest in millicores, -1 unset */
} SimKubeVirtConfig;

/* Which automatic limits the namespace's quotas call for (limits.cpu / limits.memory). */
typedef struct {
	gboolean cpu_limits;
	gboolean memory_limits;
	/* multus network name ("ns/name" or "name") -> the SR-IOV resource its NAD names in
	 * k8s.v1.cni.cncf.io/resourceName, which the network-resources-injector adds to the pod */
	GHashTable *nad_resources;
} SimLauncherNamespace;

void
sim_kubevirt_config_init(SimKubeVirtConfig *cfg);
void
sim_kubevirt_config_from_cr(SimKubeVirtConfig *cfg, JsonObject *kubevirt);

gint64
sim_launcher_vcpus(JsonObject *vmi_spec);
gint64
sim_launcher_memory_overhead(JsonObject *vmi_spec, const SimKubeVirtConfig *cfg, GError **error);
JsonObject *
sim_launcher_pod_new(JsonObject *vmi,
		     const SimKubeVirtConfig *cfg,
		     const SimLauncherNamespace *ns,
		     const gchar *pod_name,
		     GError **error);

G_END_DECLS
