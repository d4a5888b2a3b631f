/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "sim-requests.h"

G_BEGIN_DECLS

/*
 * kube-scheduler's filters over a cache of nodes and the pods bound to them, with no store
 * behind it: the scheduler controller feeds it from change callbacks, tests feed it directly.
 */
typedef struct _SimSched SimSched;
typedef struct _SimSchedNode SimSchedNode;

typedef enum {
	SIM_SCHED_OK,
	SIM_SCHED_UNSCHEDULABLE,		/* preemption might help (e.g. Insufficient cpu) */
	SIM_SCHED_UNSCHEDULABLE_AND_UNRESOLVABLE,	/* it cannot (taints, affinity, cordon) */
} SimSchedCode;

/* A filter a controller adds (the storage controller's volume binding): return the code and
 * append the reason strings for @node. */
typedef SimSchedCode (*SimSchedFilterFunc)(JsonObject *pod, const SimSchedNode *node,
					   GPtrArray *reasons, gpointer user_data);
/* A PreFilter: returns a message that fails every node (e.g. an unbound immediate PVC), or NULL */
typedef gchar *(*SimSchedPreFilterFunc)(JsonObject *pod, gpointer user_data);

SimSched *
sim_sched_new(void);
void
sim_sched_free(SimSched *self);
void
sim_sched_add_filter(SimSched *self,
		     SimSchedPreFilterFunc prefilter,
		     SimSchedFilterFunc filter,
		     gpointer user_data);

void
sim_sched_update_node(SimSched *self, JsonObject *node);
void
sim_sched_remove_node(SimSched *self, const gchar *name);
void
sim_sched_update_pod(SimSched *self, JsonObject *pod);
void
sim_sched_remove_pod(SimSched *self, const gchar *ns, const gchar *name);

const gchar *
sim_sched_node_name(const SimSchedNode *node);
GHashTable *
sim_sched_node_labels(const SimSchedNode *node);

gboolean
sim_sched_schedule(SimSched *self, JsonObject *pod, gchar **node_name, gchar **message,
		   GError **error);

gboolean
sim_sched_tolerates(JsonArray *tolerations, const gchar *key, const gchar *value,
		    const gchar *effect);
gboolean
sim_sched_match_node_selector_terms(JsonArray *terms, GHashTable *labels, const gchar *name);

G_END_DECLS
