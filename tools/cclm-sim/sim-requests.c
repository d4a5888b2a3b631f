/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sim-requests.h"

#include "sim-quantity.h"

#include <string.h>

SimResources *
sim_resources_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

SimResources *
sim_resources_copy(SimResources *r)
{
	SimResources *copy = sim_resources_new();

	sim_resources_add_all(copy, r, 1);
	return copy;
}

gint64
sim_resources_get(SimResources *r, const gchar *name)
{
	gint64 *v = g_hash_table_lookup(r, name);

	return v != NULL ? *v : 0;
}

void
sim_resources_set(SimResources *r, const gchar *name, gint64 value)
{
	gint64 *v = g_hash_table_lookup(r, name);

	if (v == NULL) {
		v = g_new(gint64, 1);
		g_hash_table_insert(r, g_strdup(name), v);
	}
	*v = value;
}

void
sim_resources_add(SimResources *r, const gchar *name, gint64 value)
{
	sim_resources_set(r, name, sim_resources_get(r, name) + value);
}

void
sim_resources_add_all(SimResources *into, SimResources *r, gint sign)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, r);
	while (g_hash_table_iter_next(&it, &k, &v))
		sim_resources_add(into, k, sign * *(gint64 *)v);
}

static gboolean
sim_resources_is_cpu(const gchar *name)
{
	/* quota names too: requests.cpu, limits.cpu */
	return strcmp(name, "cpu") == 0 || g_str_has_suffix(name, ".cpu");
}

/* Whether a value of this resource prints with binary suffixes (memory-like ones do). */
gboolean
sim_resources_is_binary(const gchar *name)
{
	return !sim_resources_is_cpu(name) && strcmp(name, "pods") != 0 &&
	       !g_str_has_prefix(name, "count/") &&
	       strstr(name, "persistentvolumeclaims") == NULL &&
	       (strstr(name, "memory") != NULL || strstr(name, "storage") != NULL ||
		strstr(name, "hugepages-") != NULL);
}

gchar *
sim_resources_format(const gchar *name, gint64 value)
{
	if (sim_resources_is_cpu(name))
		return sim_quantity_format_milli(value);
	return sim_quantity_format_value(value, sim_resources_is_binary(name));
}

/* Parses a ResourceList ({"cpu": "2", "memory": "4Gi"}) and adds it to @into. */
gboolean
sim_resources_parse(JsonObject *list, SimResources *into, const gchar *where, GError **error)
{
	JsonObjectIter it;
	const gchar *name;
	JsonNode *node;

	if (list == NULL)
		return TRUE;
	json_object_iter_init(&it, list);
	while (json_object_iter_next(&it, &name, &node)) {
		SimQuantity q;
		g_autoptr(GError) local = NULL;

		if (!sim_quantity_from_node(node, &q, &local)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s.%s: %s", where,
				    name, local->message);
			return FALSE;
		}
		sim_resources_add(into, name,
				  sim_resources_is_cpu(name) ? sim_quantity_milli_value(&q)
							     : sim_quantity_value(&q));
	}
	return TRUE;
}

/* A container's requests; a limit without a request counts as the request, as API defaulting
 * (SetDefaults_Pod) would have made it. */
static gboolean
sim_container_resources(JsonObject *c,
			const gchar *kind,
			SimResources *out,
			const gchar *where,
			GError **error)
{
	JsonObject *res = sim_json_object(c, "resources");
	JsonObject *requests = sim_json_object(res, "requests");
	JsonObject *limits = sim_json_object(res, "limits");

	if (strcmp(kind, "limits") == 0)
		return sim_resources_parse(limits, out, where, error);
	if (!sim_resources_parse(requests, out, where, error))
		return FALSE;
	if (limits != NULL) {
		g_autoptr(SimResources) lim = sim_resources_new();
		GHashTableIter it;
		gpointer k, v;

		if (!sim_resources_parse(limits, lim, where, error))
			return FALSE;
		g_hash_table_iter_init(&it, lim);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			if (requests == NULL || !json_object_has_member(requests, k))
				sim_resources_set(out, k, *(gint64 *)v);
		}
	}
	return TRUE;
}

static void
sim_resources_max_into(SimResources *into, SimResources *r)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, r);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (*(gint64 *)v > sim_resources_get(into, k))
			sim_resources_set(into, k, *(gint64 *)v);
	}
}

/* The status of the container named @name, or NULL */
static JsonObject *
sim_container_status(JsonObject *pod, const gchar *name)
{
	static const gchar *lists[] = {"containerStatuses", "initContainerStatuses"};
	JsonObject *status = sim_json_object(pod, "status");

	for (guint l = 0; name != NULL && l < G_N_ELEMENTS(lists); l++) {
		JsonArray *a = sim_json_array(status, lists[l]);

		for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
			JsonObject *cs = json_array_get_object_element(a, i);

			if (g_strcmp0(sim_json_string(cs, "name"), name) == 0)
				return cs;
		}
	}
	return NULL;
}

static gboolean
sim_pod_resize_infeasible(JsonObject *pod)
{
	JsonArray *conditions = sim_json_array(sim_json_object(pod, "status"), "conditions");

	for (guint i = 0; conditions != NULL && i < json_array_get_length(conditions); i++) {
		JsonObject *c = json_array_get_object_element(conditions, i);

		if (g_strcmp0(sim_json_string(c, "type"), "PodResizePending") == 0)
			return g_strcmp0(sim_json_string(c, "reason"), "Infeasible") == 0;
	}
	return FALSE;
}

/* In-place resizes (component-helpers resource/helpers.go determineContainerReqs and
 * determineContainerLimits, Kubernetes 1.33): a container whose status reports resources
 * counts for the larger of its spec and its status (requests: allocatedResources too), or for
 * its status alone once the resize was found infeasible. @r holds the spec's on entry. */
static gboolean
sim_container_resized(JsonObject *pod, JsonObject *c, const gchar *kind, SimResources *r, GError **error)
{
	JsonObject *cs = sim_container_status(pod, sim_json_string(c, "name"));
	JsonObject *res = sim_json_object(cs, "resources");
	g_autoptr(SimResources) status = sim_resources_new();
	g_autoptr(SimResources) allocated = sim_resources_new();

	if (res == NULL)
		return TRUE;
	if (!sim_resources_parse(sim_json_object(res, kind), status, "status.resources", error))
		return FALSE;
	if (strcmp(kind, "requests") == 0 &&
	    !sim_resources_parse(sim_json_object(cs, "allocatedResources"), allocated,
				 "status.allocatedResources", error))
		return FALSE;
	if (sim_pod_resize_infeasible(pod))
		g_hash_table_remove_all(r);
	sim_resources_max_into(r, status);
	sim_resources_max_into(r, allocated);
	return TRUE;
}

/* component-helpers resource.PodRequests: app containers and sidecars summed, each regular
 * init container with the sidecars started before it, the larger wins per resource; pod-level
 * resources replace cpu/memory/hugepages; spec.overhead last. */
static SimResources *
sim_pod_aggregate(JsonObject *pod, const gchar *kind, GError **error)
{
	JsonObject *spec = sim_json_object(pod, "spec");
	JsonArray *containers = sim_json_array(spec, "containers");
	JsonArray *inits = sim_json_array(spec, "initContainers");
	g_autoptr(SimResources) sum = sim_resources_new();
	g_autoptr(SimResources) sidecars = sim_resources_new();
	g_autoptr(SimResources) init_max = sim_resources_new();
	JsonObject *podres;

	for (guint i = 0; containers != NULL && i < json_array_get_length(containers); i++) {
		JsonObject *c = json_array_get_object_element(containers, i);
		g_autofree gchar *where =
		    g_strdup_printf("spec.containers[%u].resources.%s", i, kind);
		g_autoptr(SimResources) r = sim_resources_new();

		if (!sim_container_resources(c, kind, r, where, error) ||
		    !sim_container_resized(pod, c, kind, r, error))
			return NULL;
		sim_resources_add_all(sum, r, 1);
	}
	for (guint i = 0; inits != NULL && i < json_array_get_length(inits); i++) {
		JsonObject *c = json_array_get_object_element(inits, i);
		g_autofree gchar *where =
		    g_strdup_printf("spec.initContainers[%u].resources.%s", i, kind);
		g_autoptr(SimResources) r = sim_resources_new();
		const gchar *policy = sim_json_string(c, "restartPolicy");

		if (!sim_container_resources(c, kind, r, where, error))
			return NULL;
		if (g_strcmp0(policy, "Always") == 0) {
			if (!sim_container_resized(pod, c, kind, r, error))
				return NULL;
			sim_resources_add_all(sum, r, 1);
			sim_resources_add_all(sidecars, r, 1);
		} else {
			sim_resources_add_all(r, sidecars, 1);
			sim_resources_max_into(init_max, r);
		}
	}
	sim_resources_max_into(sum, init_max);

	podres = sim_json_object(sim_json_object(spec, "resources"), kind);
	if (podres != NULL) {
		g_autoptr(SimResources) r = sim_resources_new();
		GHashTableIter it;
		gpointer k, v;

		if (!sim_resources_parse(podres, r, "spec.resources", error))
			return NULL;
		g_hash_table_iter_init(&it, r);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			if (strcmp(k, "cpu") == 0 || strcmp(k, "memory") == 0 ||
			    g_str_has_prefix(k, "hugepages-"))
				sim_resources_set(sum, k, *(gint64 *)v);
		}
	}
	if (!sim_resources_parse(sim_json_object(spec, "overhead"), sum, "spec.overhead", error))
		return NULL;
	return g_steal_pointer(&sum);
}

SimResources *
sim_pod_requests(JsonObject *pod, GError **error)
{
	return sim_pod_aggregate(pod, "requests", error);
}

SimResources *
sim_pod_limits(JsonObject *pod, GError **error)
{
	return sim_pod_aggregate(pod, "limits", error);
}

gboolean
sim_pod_is_terminal(JsonObject *pod)
{
	const gchar *phase = sim_json_string(sim_json_object(pod, "status"), "phase");

	return g_strcmp0(phase, "Succeeded") == 0 || g_strcmp0(phase, "Failed") == 0;
}
