/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Store internals used by the API server: resource registration, history for watch resumption,
 * continue-token compaction.
 */
#pragma once

#include "sim-store.h"

G_BEGIN_DECLS

typedef struct _SimTableDef SimTableDef;

/* A resource definition before registration (static tables in sim-resources.c). */
typedef struct {
	const char *group;
	const char *version;
	const char *resource;
	const char *singular;
	const char *kind;
	gboolean namespaced;
	gboolean has_status;
	gboolean builtin;
	const char *short_names; /* comma-separated */
	const char *categories;	 /* comma-separated */
	const SimTableDef *table;
} SimResourceDef;

struct _SimResourcePriv {
	const SimTableDef *table;
	GTree *objects; /* "ns/name" -> SimObject */
	SimCluster *cluster;
};

const SimResource *
sim_cluster_register_resource(SimCluster *cluster, const SimResourceDef *def);
void
sim_resources_register_builtin(SimCluster *cluster);
/* kind -> lower-case plural the way kubectl's RESTMapper guesses it */
char *
sim_resource_guess_plural(const char *kind);

/* One recorded change (history entries and watch deliveries). */
typedef struct {
	SimEventType type;
	SimObject *old_obj;
	SimObject *new_obj;
} SimChange;

/* Changes newer than `rv`, oldest first, each with references taken; FALSE (and nothing) when
 * `rv` is older than the compacted revision. */
gboolean
sim_cluster_changes_since(SimCluster *cluster, guint64 rv, GPtrArray **changes);
void
sim_change_free(SimChange *change);
/* Revisions at or below this one are forgotten: older watches and continue tokens expire. */
guint64
sim_cluster_get_compacted(SimCluster *cluster);
/* Every change up to this revision has been delivered to the change callbacks. */
guint64
sim_cluster_get_dispatched(SimCluster *cluster);
/* Compacts now (the `compact` fault; also every 5 minutes like etcd). */
void
sim_cluster_compact(SimCluster *cluster);

/* Objects after the key "ns/name" (exclusive, NULL = from the start), at most `limit` (0 = no
 * limit); `*more` tells if others remain. */
GPtrArray *
sim_cluster_list_page(SimCluster *cluster,
		      const SimResource *res,
		      const char *ns,
		      const SimSelector *selector,
		      const char *after_key,
		      guint limit,
		      gboolean *more,
		      guint *remaining);
/* "ns/name" of an object, the order of lists and continue tokens */
const char *
sim_object_get_key(SimObject *obj);

G_END_DECLS
