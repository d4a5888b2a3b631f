/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The behaviour of one simulated cluster: controllers acting on the store's change callbacks,
 * each in its own file (sim-nodelifecycle.c, sim-scheduler.c, sim-quota.c, sim-storage.c,
 * sim-kubevirt.c). Objects loaded from the fleet are served as given: controllers only act on
 * what is missing (a quota without status.hard, a running VM without a VMI, a pending pod) or
 * on what changes afterwards.
 */
#pragma once

#include "sim-launcher.h"
#include "sim-sched.h"
#include "sim-store.h"

G_BEGIN_DECLS

typedef struct _SimCtl SimCtl;

typedef struct {
	const SimResource *nodes, *pods, *pvcs, *pvs, *storageclasses, *csidrivers, *capacities,
	    *quotas, *limitranges, *events, *namespaces, *vms, *vmis, *kubevirts, *datavolumes,
	    *nads;
} SimCtlResources;

struct _SimCtl {
	SimCluster *cluster;
	SimCtlResources r;
	SimSched *sched;
	GHashTable *sched_queue;  /* "ns/name" of pods to (re)try */
	GHashTable *sched_parked; /* unschedulable pods, retried when the cluster changes */
	guint sched_timer;
	GHashTable *quota_dirty; /* namespaces whose quota usage to recompute */
	guint quota_timer;
	GHashTable *pvc_queue; /* "ns/name" of PVCs to (re)try */
	guint storage_timer;
	SimKubeVirtConfig kv;
	guint64 event_seq;
	guint64 name_seq;
};

/* Runs @func soon, once, coalescing repeated requests (the id lives in @timer). */
void
sim_ctl_soon(SimCtl *ctl, guint *timer, SimTimerFunc func);
/* Writes a v1 Event about @obj (as `kubectl describe` shows them). */
void
sim_ctl_event(SimCtl *ctl,
	      JsonObject *obj,
	      const gchar *type,
	      const gchar *reason,
	      const gchar *component,
	      const gchar *message);
/* Replaces an object's status through the /status path, last write wins; logs failures. */
SimObject *
sim_ctl_write_status(SimCtl *ctl, const SimResource *res, JsonObject *json);
/* Replaces an object, last write wins; logs failures. */
SimObject *
sim_ctl_write(SimCtl *ctl, const SimResource *res, JsonObject *json);
/* A name suffix like the API server's generateName ones, reproducible within a run. */
gchar *
sim_ctl_suffix(SimCtl *ctl);
/* Sets (or replaces) the condition of @type in status.conditions. */
void
sim_ctl_set_condition(JsonObject *status,
		      const gchar *type,
		      const gchar *cond_status,
		      const gchar *reason,
		      const gchar *message);

void
sim_nodelifecycle_register(SimCtl *ctl);
void
sim_scheduler_register(SimCtl *ctl);
void
sim_scheduler_enqueue(SimCtl *ctl, const gchar *ns, const gchar *name);
void
sim_scheduler_requeue_all(SimCtl *ctl);
void
sim_quota_register(SimCtl *ctl);
void
sim_storage_register(SimCtl *ctl);
/* The scheduler's volume binding (PreFilter, Filter) and its bind step. */
gchar *
sim_storage_prefilter(JsonObject *pod, gpointer user_data);
SimSchedCode
sim_storage_filter(JsonObject *pod, const SimSchedNode *node, GPtrArray *reasons,
		   gpointer user_data);
gboolean
sim_storage_bind_pod_volumes(SimCtl *ctl, JsonObject *pod, const gchar *node, GError **error);
void
sim_kubevirt_register(SimCtl *ctl);

G_END_DECLS
