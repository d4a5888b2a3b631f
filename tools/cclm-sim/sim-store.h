/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The in-memory object store of one simulated cluster, shared by the API server (sim-server.c)
 * and the controllers (sim_controllers_register()).
 *
 * Objects are immutable snapshots (SimObject, reference counted): a parsed JsonObject plus its
 * serialized bytes, made once per change and reused by every response. To change an object,
 * sim_object_dup_json() it, edit the copy and hand it to sim_cluster_update().
 *
 * Everything runs in the main context: no locking, no threads. Change callbacks run from an
 * idle source after the write returns (never re-entrantly), in resourceVersion order, and may
 * write to the store themselves; their writes are delivered after the current ones.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SIM_ERROR (sim_error_quark())

/* Each code maps to one Kubernetes Status reason and HTTP code (sim_error_http_status()). */
typedef enum {
	SIM_ERROR_BAD_REQUEST,	  /* 400 BadRequest */
	SIM_ERROR_FORBIDDEN,	  /* 403 Forbidden (quota, rights); message is the Status message */
	SIM_ERROR_NOT_FOUND,	  /* 404 NotFound */
	SIM_ERROR_ALREADY_EXISTS, /* 409 AlreadyExists */
	SIM_ERROR_CONFLICT,	  /* 409 Conflict (stale resourceVersion) */
	SIM_ERROR_GONE,		  /* 410 Expired (too old resourceVersion / continue) */
	SIM_ERROR_INVALID,	  /* 422 Invalid */
	SIM_ERROR_UNSUPPORTED,	  /* 415 UnsupportedMediaType */
	SIM_ERROR_PARSE,	  /* fleet files, command line: never sent on the wire */
} SimError;

GQuark
sim_error_quark(void);
guint
sim_error_http_status(const GError *error);
const char *
sim_error_reason(const GError *error);

typedef struct _SimCluster SimCluster;
typedef struct _SimObject SimObject;
typedef struct _SimSelector SimSelector;
typedef struct _SimResourcePriv SimResourcePriv;

/* A served resource type of one cluster. Public fields are read-only. */
typedef struct {
	char *group;	  /* "" for the core group */
	char *version;	  /* "v1", "v1beta1" */
	char *resource;	  /* plural, "pods" */
	char *singular;	  /* "pod" */
	char *kind;	  /* "Pod" */
	char *list_kind;  /* "PodList" */
	char **short_names;
	char **categories;
	gboolean namespaced;
	gboolean has_status; /* serves <resource>/status */
	gboolean builtin;    /* compiled into kubectl: strategic merge patch allowed */
	SimResourcePriv *priv;
} SimResource;

typedef enum {
	SIM_EVENT_ADDED,
	SIM_EVENT_MODIFIED,
	SIM_EVENT_DELETED,
} SimEventType;

typedef enum {
	SIM_WRITE_NONE = 0,
	/* Last write wins: ignore metadata.resourceVersion in the new object (controllers). */
	SIM_WRITE_FORCE = 1 << 0,
	/* A /status write: only `status` is taken from the new object. */
	SIM_WRITE_STATUS = 1 << 1,
	/* A main-endpoint write of a kind with a status subresource: `status` is kept. */
	SIM_WRITE_KEEP_STATUS = 1 << 2,
	/* Fleet loading: no admission, no change events, keep uid/generation/timestamps. */
	SIM_WRITE_LOAD = 1 << 3,
} SimWriteFlags;

typedef enum {
	SIM_OPERATION_CREATE,
	SIM_OPERATION_UPDATE,
	SIM_OPERATION_DELETE,
} SimOperation;

/* Objects */
SimObject *
sim_object_ref(SimObject *obj);
void
sim_object_unref(SimObject *obj);
/* The stored object; never modify it. Valid while you hold a reference to `obj` (the store
 * parses it on demand and drops trees nobody holds). */
JsonObject *
sim_object_get_json(SimObject *obj);
/* Its JSON serialization (no trailing newline), cached. */
GBytes *
sim_object_get_bytes(SimObject *obj);
/* A deep copy to edit and pass to sim_cluster_update(). */
JsonObject *
sim_object_dup_json(SimObject *obj);
const SimResource *
sim_object_get_resource(SimObject *obj);
/* "" for cluster-scoped objects */
const char *
sim_object_get_namespace(SimObject *obj);
const char *
sim_object_get_name(SimObject *obj);
const char *
sim_object_get_uid(SimObject *obj);
guint64
sim_object_get_resource_version(SimObject *obj);
/* metadata.labels, or NULL */
JsonObject *
sim_object_get_labels(SimObject *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimObject, sim_object_unref)

/* Label selectors ("a=b,c in (d,e),!f"); NULL or "" selects everything. */
SimSelector *
sim_selector_new_labels(const char *text, GError **error);
gboolean
sim_selector_matches_labels(const SimSelector *sel, JsonObject *labels);
void
sim_selector_free(SimSelector *sel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimSelector, sim_selector_free)

/* Clusters */
SimCluster *
sim_cluster_new(const char *name);
void
sim_cluster_free(SimCluster *cluster);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimCluster, sim_cluster_free)
const char *
sim_cluster_get_name(SimCluster *cluster);
/* The cluster's current resourceVersion (one counter for every resource). */
guint64
sim_cluster_get_resource_version(SimCluster *cluster);

/* Resource types: the built-in and CRD kinds are registered by sim_cluster_new(); kinds found in
 * fleet files are added generically. */
const SimResource *
sim_cluster_lookup_resource(SimCluster *cluster,
			    const char *group,
			    const char *version,
			    const char *resource);
const SimResource *
sim_cluster_lookup_kind(SimCluster *cluster, const char *api_version, const char *kind);
/* Shortcut for the built-in kinds: sim_cluster_resource(c, "pods"), sim_cluster_resource(c,
 * "virtualmachines.kubevirt.io"); the group's first served version. NULL if unknown. */
const SimResource *
sim_cluster_resource(SimCluster *cluster, const char *resource_dot_group);
/* Every resource, in discovery order (element type: const SimResource *). */
GPtrArray *
sim_cluster_list_resources(SimCluster *cluster);
/* Registers a kind seen in a fleet file (plural guessed from the kind); returns the existing
 * resource when already known. */
const SimResource *
sim_cluster_ensure_kind(SimCluster *cluster,
			const char *api_version,
			const char *kind,
			gboolean namespaced);

/* Reads. Return new references. */
SimObject *
sim_cluster_get(SimCluster *cluster, const SimResource *res, const char *ns, const char *name);
/* Objects sorted by namespace then name; ns NULL = all namespaces; selector NULL = all. */
GPtrArray *
sim_cluster_list(SimCluster *cluster,
		 const SimResource *res,
		 const char *ns,
		 const SimSelector *selector);
/* Number of objects of a resource (all namespaces). */
guint
sim_cluster_count(SimCluster *cluster, const SimResource *res);

/* Writes. `obj` is consumed (transfer full). Return the stored object (new reference) or NULL
 * with a SIM_ERROR naming the object.
 * create: sets metadata.uid, creationTimestamp, generation 1, resourceVersion; namespace taken
 *   from the object (required for namespaced kinds).
 * update: replaces the object; metadata.resourceVersion, if set and not FORCE, must be current
 *   (else SIM_ERROR_CONFLICT); uid/creationTimestamp kept; generation + 1 when anything but
 *   metadata/status changed; an object with deletionTimestamp and no finalizers left is deleted
 *   (the DELETED object is returned).
 * delete: removes at once (no grace, no finalizers: the API server handles those) and returns
 *   the removed object with a new resourceVersion, as in the DELETED event. */
SimObject *
sim_cluster_create(SimCluster *cluster,
		   const SimResource *res,
		   JsonObject *obj,
		   SimWriteFlags flags,
		   GError **error);
SimObject *
sim_cluster_update(SimCluster *cluster,
		   const SimResource *res,
		   JsonObject *obj,
		   SimWriteFlags flags,
		   GError **error);
SimObject *
sim_cluster_delete(SimCluster *cluster,
		   const SimResource *res,
		   const char *ns,
		   const char *name,
		   GError **error);

/* Change notifications. res NULL = every resource. `old_obj` is NULL for ADDED, `new_obj` is
 * the final state for DELETED. Run from the main loop in order; may write to the store. */
typedef void (*SimChangeFunc)(SimCluster *cluster,
			      SimEventType type,
			      SimObject *old_obj,
			      SimObject *new_obj,
			      gpointer user_data);
guint
sim_cluster_connect_changes(SimCluster *cluster,
			    const SimResource *res,
			    SimChangeFunc func,
			    gpointer user_data,
			    GDestroyNotify destroy);
void
sim_cluster_disconnect_changes(SimCluster *cluster, guint id);

/* Admission: called synchronously before every create/update/delete except fleet loading;
 * return FALSE with a SIM_ERROR (e.g. SIM_ERROR_FORBIDDEN "exceeded quota: ...") to refuse.
 * `old_obj` is NULL on create; `new_obj` (NULL on delete) may be edited (mutating admission). */
typedef gboolean (*SimAdmitFunc)(SimCluster *cluster,
				 SimOperation op,
				 const SimResource *res,
				 SimObject *old_obj,
				 JsonObject *new_obj,
				 gpointer user_data,
				 GError **error);
guint
sim_cluster_add_admission(SimCluster *cluster,
			  SimAdmitFunc func,
			  gpointer user_data,
			  GDestroyNotify destroy);

/* Deferred calls: `func` runs from the main loop after `delay_ms` and again every `delay_ms`
 * while it returns G_SOURCE_CONTINUE. Removed with the cluster. Returns an id for
 * sim_cluster_remove_timer(). */
typedef gboolean (*SimTimerFunc)(SimCluster *cluster, gpointer user_data);
guint
sim_cluster_add_timer(SimCluster *cluster,
		      guint delay_ms,
		      SimTimerFunc func,
		      gpointer user_data,
		      GDestroyNotify destroy);
void
sim_cluster_remove_timer(SimCluster *cluster, guint id);

/* Per-cluster data for the controllers (freed with the cluster). */
void
sim_cluster_set_data(SimCluster *cluster, const char *key, gpointer data, GDestroyNotify destroy);
gpointer
sim_cluster_get_data(SimCluster *cluster, const char *key);

/* Helpers for JSON objects (the store's and edited copies). */
/* "metadata.name", "spec.nodeName", ...: the string at a dotted path or NULL. */
const char *
sim_json_get_string(JsonObject *obj, const char *dotted_path);
/* The object at a dotted path, created when `create` is TRUE. */
JsonObject *
sim_json_get_object(JsonObject *obj, const char *dotted_path, gboolean create);
/* Deep copies (json_node_copy() shares objects and arrays). */
JsonNode *
sim_json_node_dup(JsonNode *node);
JsonObject *
sim_json_object_dup(JsonObject *obj);
/* RFC 3339 UTC "2026-01-02T03:04:05Z" for now. */
char *
sim_now_rfc3339(void);

/* Implemented by the controllers (sim-ctl); called once per cluster after the fleet is loaded
 * and before serving. */
void
sim_controllers_register(SimCluster *cluster);

G_END_DECLS
