/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Routing, authentication, fault injection, discovery and OpenAPI. Resource verbs: sim-api.c.
 */
#include "config.h"

#include "sim-resources.h"
#include "sim-server-private.h"
#include <string.h>

#define SIM_GIT_VERSION "v1.32.4"

/* Replies */

void
sim_reply_bytes(SoupServerMessage *msg, guint status, const char *content_type, GBytes *body)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);

	/* libsoup 3.2 knows no phrase for these */
	soup_server_message_set_status(msg, status,
				       status == 429   ? "Too Many Requests"
				       : status == 422 ? "Unprocessable Entity"
						       : NULL);
	soup_message_headers_replace(headers, "Content-Type", content_type);
	soup_message_headers_replace(headers, "Cache-Control", "no-cache, private");
	soup_message_body_append_bytes(soup_server_message_get_response_body(msg), body);
}

void
sim_reply_json(SoupServerMessage *msg, guint status, JsonNode *node)
{
	g_autofree char *text = json_to_string(node, FALSE);
	gsize len = strlen(text);
	g_autoptr(GBytes) bytes = g_bytes_new_take(g_steal_pointer(&text), len);

	sim_reply_bytes(msg, status, "application/json", bytes);
}

void
sim_reply_object(SoupServerMessage *msg, guint status, JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

	json_node_set_object(node, obj);
	sim_reply_json(msg, status, node);
}

static JsonObject *
sim_status_new(guint code, const char *reason, const char *message, JsonObject *details)
{
	JsonObject *st = json_object_new();

	json_object_set_string_member(st, "kind", "Status");
	json_object_set_string_member(st, "apiVersion", "v1");
	json_object_set_object_member(st, "metadata", json_object_new());
	json_object_set_string_member(st, "status", code < 300 ? "Success" : "Failure");
	if (message != NULL)
		json_object_set_string_member(st, "message", message);
	if (reason != NULL)
		json_object_set_string_member(st, "reason", reason);
	if (details != NULL)
		json_object_set_object_member(st, "details", details);
	json_object_set_int_member(st, "code", code);
	return st;
}

void
sim_reply_status(SoupServerMessage *msg,
		 guint code,
		 const char *reason,
		 const char *message,
		 JsonObject *details)
{
	g_autoptr(JsonObject) st = sim_status_new(code, reason, message, details);

	sim_reply_object(msg, code, st);
}

const char *
sim_request_query(SimRequest *req, const char *key)
{
	return req->query != NULL ? g_hash_table_lookup(req->query, key) : NULL;
}

JsonObject *
sim_request_details(SimRequest *req)
{
	JsonObject *details = json_object_new();

	if (req->name != NULL)
		json_object_set_string_member(details, "name", req->name);
	if (req->res != NULL) {
		if (*req->res->group != '\0')
			json_object_set_string_member(details, "group", req->res->group);
		json_object_set_string_member(details, "kind", req->res->resource);
	}
	return details;
}

void
sim_reply_error(SimRequest *req, const GError *error)
{
	guint code = sim_error_http_status(error);
	JsonObject *details = sim_request_details(req);
	const char *invalid = strstr(error->message, " is invalid: ");

	if (code == 422 && invalid != NULL) {
		/* "<Kind> "<name>" is invalid: <field>: <message>" -> one cause */
		const char *field = invalid + strlen(" is invalid: ");
		const char *colon = strstr(field, ": ");
		JsonArray *causes = json_array_new();
		JsonObject *cause = json_object_new();
		g_autofree char *field_name =
		    colon != NULL ? g_strndup(field, colon - field) : g_strdup("");

		if (req->res != NULL)
			json_object_set_string_member(details, "kind", req->res->kind);
		json_object_set_string_member(cause, "reason",
					      strstr(field, "Required value") != NULL
						  ? "FieldValueRequired"
						  : "FieldValueInvalid");
		json_object_set_string_member(cause, "message", colon != NULL ? colon + 2 : field);
		json_object_set_string_member(cause, "field", field_name);
		json_array_add_object_element(causes, cause);
		json_object_set_array_member(details, "causes", causes);
	}
	sim_reply_status(req->msg, code, sim_error_reason(error), error->message, details);
}

/* Discovery */

static const char *const sim_verbs[] = {"create", "delete", "deletecollection", "get",
					"list",	  "patch",  "update",		"watch"};

static JsonArray *
sim_strv_array(char **strv)
{
	JsonArray *arr = json_array_new();

	for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
		json_array_add_string_element(arr, strv[i]);
	return arr;
}

gboolean
sim_resource_is_review(const SimResource *res)
{
	return g_str_equal(res->group, "authorization.k8s.io") &&
	       g_str_equal(res->resource, "selfsubjectaccessreviews");
}

static JsonArray *
sim_resource_verbs(const SimResource *res, gboolean status)
{
	JsonArray *arr = json_array_new();

	if (sim_resource_is_review(res)) {
		json_array_add_string_element(arr, "create");
		return arr;
	}
	for (guint i = 0; i < G_N_ELEMENTS(sim_verbs); i++) {
		if (!status || g_str_equal(sim_verbs[i], "get") ||
		    g_str_equal(sim_verbs[i], "patch") || g_str_equal(sim_verbs[i], "update"))
			json_array_add_string_element(arr, sim_verbs[i]);
	}
	return arr;
}

/* Groups in discovery order, each with its versions in order (GPtrArray of GPtrArray of
 * resources, grouped by group then version). */
static GPtrArray *
sim_groups(SimServer *server)
{
	g_autoptr(GPtrArray) all = sim_cluster_list_resources(server->cluster);
	GPtrArray *groups = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);

	for (guint i = 0; i < all->len; i++) {
		const SimResource *res = g_ptr_array_index(all, i);
		GPtrArray *group = NULL;

		for (guint j = 0; j < groups->len && group == NULL; j++) {
			GPtrArray *g = g_ptr_array_index(groups, j);
			const SimResource *first = g_ptr_array_index(g, 0);

			if (g_str_equal(first->group, res->group))
				group = g;
		}
		if (group == NULL) {
			group = g_ptr_array_new();
			g_ptr_array_add(groups, group);
		}
		g_ptr_array_add(group, (gpointer)res);
	}
	return groups;
}

/* Versions of a group in first-seen order */
static GPtrArray *
sim_group_versions(GPtrArray *group)
{
	GPtrArray *versions = g_ptr_array_new();

	for (guint i = 0; i < group->len; i++) {
		const SimResource *res = g_ptr_array_index(group, i);
		gboolean seen = FALSE;

		for (guint j = 0; j < versions->len && !seen; j++)
			seen = g_str_equal(g_ptr_array_index(versions, j), res->version);
		if (!seen)
			g_ptr_array_add(versions, res->version);
	}
	return versions;
}

static JsonObject *
sim_response_kind(const SimResource *res)
{
	JsonObject *rk = json_object_new();

	json_object_set_string_member(rk, "group", res->group);
	json_object_set_string_member(rk, "version", res->version);
	json_object_set_string_member(rk, "kind", res->kind);
	return rk;
}

static JsonObject *
sim_aggregated_group(GPtrArray *group)
{
	JsonObject *item = json_object_new();
	JsonObject *meta = json_object_new();
	JsonArray *versions = json_array_new();
	g_autoptr(GPtrArray) names = sim_group_versions(group);

	json_object_set_string_member(meta, "name",
				      ((const SimResource *)g_ptr_array_index(group, 0))->group);
	json_object_set_object_member(item, "metadata", meta);
	for (guint v = 0; v < names->len; v++) {
		JsonObject *version = json_object_new();
		JsonArray *resources = json_array_new();

		json_object_set_string_member(version, "version", g_ptr_array_index(names, v));
		for (guint i = 0; i < group->len; i++) {
			const SimResource *res = g_ptr_array_index(group, i);
			JsonObject *r;

			if (!g_str_equal(res->version, g_ptr_array_index(names, v)))
				continue;
			r = json_object_new();
			json_object_set_string_member(r, "resource", res->resource);
			json_object_set_object_member(r, "responseKind", sim_response_kind(res));
			json_object_set_string_member(r, "scope",
						      res->namespaced ? "Namespaced" : "Cluster");
			json_object_set_string_member(r, "singularResource", res->singular);
			json_object_set_array_member(r, "verbs", sim_resource_verbs(res, FALSE));
			if (res->short_names[0] != NULL)
				json_object_set_array_member(r, "shortNames",
							     sim_strv_array(res->short_names));
			if (res->categories[0] != NULL)
				json_object_set_array_member(r, "categories",
							     sim_strv_array(res->categories));
			if (res->has_status) {
				JsonArray *subs = json_array_new();
				JsonObject *sub = json_object_new();

				json_object_set_string_member(sub, "subresource", "status");
				json_object_set_object_member(sub, "responseKind",
							      sim_response_kind(res));
				json_object_set_array_member(sub, "verbs",
							     sim_resource_verbs(res, TRUE));
				json_array_add_object_element(subs, sub);
				json_object_set_array_member(r, "subresources", subs);
			}
			json_array_add_object_element(resources, r);
		}
		json_object_set_array_member(version, "resources", resources);
		json_object_set_string_member(version, "freshness", "Current");
		json_array_add_object_element(versions, version);
	}
	json_object_set_array_member(item, "versions", versions);
	return item;
}

/* The aggregated discovery media type the client accepts ("v2", "v2beta1") or NULL. */
static const char *
sim_accepts_aggregated(SoupServerMessage *msg)
{
	const char *accept =
	    soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Accept");
	g_auto(GStrv) types = NULL;

	if (accept == NULL)
		return NULL;
	types = g_strsplit(accept, ",", -1);
	for (guint i = 0; types[i] != NULL; i++) {
		g_auto(GStrv) params = g_strsplit(types[i], ";", -1);
		gboolean as = FALSE, group = FALSE;
		const char *version = NULL;

		for (guint j = 1; params[j] != NULL; j++) {
			char *p = g_strstrip(params[j]);

			if (g_str_equal(p, "as=APIGroupDiscoveryList"))
				as = TRUE;
			else if (g_str_equal(p, "g=apidiscovery.k8s.io"))
				group = TRUE;
			else if (g_str_equal(p, "v=v2"))
				version = "v2";
			else if (g_str_equal(p, "v=v2beta1"))
				version = "v2beta1";
		}
		if (as && group && version != NULL)
			return version;
	}
	return NULL;
}

static JsonObject *
sim_api_group(GPtrArray *group)
{
	const SimResource *first = g_ptr_array_index(group, 0);
	g_autoptr(GPtrArray) names = sim_group_versions(group);
	JsonObject *g = json_object_new();
	JsonArray *versions = json_array_new();

	json_object_set_string_member(g, "name", first->group);
	for (guint v = 0; v < names->len; v++) {
		JsonObject *gv = json_object_new();
		g_autofree char *gvs =
		    g_strconcat(first->group, "/", (char *)g_ptr_array_index(names, v), NULL);

		json_object_set_string_member(gv, "groupVersion", gvs);
		json_object_set_string_member(gv, "version", g_ptr_array_index(names, v));
		if (v == 0)
			json_object_set_object_member(g, "preferredVersion", json_object_ref(gv));
		json_array_add_object_element(versions, gv);
	}
	json_object_set_array_member(g, "versions", versions);
	return g;
}

static void
sim_discovery_root(SimServer *server, SoupServerMessage *msg, gboolean legacy)
{
	const char *aggregated = sim_accepts_aggregated(msg);
	g_autoptr(GPtrArray) groups = sim_groups(server);
	g_autoptr(JsonObject) body = json_object_new();
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);

	if (aggregated != NULL) {
		JsonArray *items = json_array_new();
		g_autofree char *api_version =
		    g_strconcat("apidiscovery.k8s.io/", aggregated, NULL);
		g_autofree char *content_type = g_strdup_printf(
		    "application/json;g=apidiscovery.k8s.io;v=%s;as=APIGroupDiscoveryList",
		    aggregated);
		g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
		g_autofree char *text = NULL;
		g_autoptr(GBytes) bytes = NULL;

		for (guint i = 0; i < groups->len; i++) {
			GPtrArray *group = g_ptr_array_index(groups, i);
			const SimResource *first = g_ptr_array_index(group, 0);

			if ((*first->group == '\0') == legacy)
				json_array_add_object_element(items, sim_aggregated_group(group));
		}
		json_object_set_string_member(body, "kind", "APIGroupDiscoveryList");
		json_object_set_string_member(body, "apiVersion", api_version);
		json_object_set_object_member(body, "metadata", json_object_new());
		json_object_set_array_member(body, "items", items);
		json_node_set_object(node, body);
		text = json_to_string(node, FALSE);
		bytes = g_bytes_new(text, strlen(text));
		sim_reply_bytes(msg, 200, content_type, bytes);
		soup_message_headers_replace(headers, "Vary", "Accept");
		return;
	}
	if (legacy) {
		JsonArray *versions = json_array_new();
		JsonArray *addrs = json_array_new();
		JsonObject *addr = json_object_new();
		g_autofree char *hostport = g_strdup_printf("127.0.0.1:%u", server->port);

		json_array_add_string_element(versions, "v1");
		json_object_set_string_member(body, "kind", "APIVersions");
		json_object_set_array_member(body, "versions", versions);
		json_object_set_string_member(addr, "clientCIDR", "0.0.0.0/0");
		json_object_set_string_member(addr, "serverAddress", hostport);
		json_array_add_object_element(addrs, addr);
		json_object_set_array_member(body, "serverAddressByClientCIDRs", addrs);
	} else {
		JsonArray *list = json_array_new();

		for (guint i = 0; i < groups->len; i++) {
			GPtrArray *group = g_ptr_array_index(groups, i);
			const SimResource *first = g_ptr_array_index(group, 0);

			if (*first->group != '\0')
				json_array_add_object_element(list, sim_api_group(group));
		}
		json_object_set_string_member(body, "kind", "APIGroupList");
		json_object_set_string_member(body, "apiVersion", "v1");
		json_object_set_array_member(body, "groups", list);
	}
	sim_reply_object(msg, 200, body);
	soup_message_headers_replace(headers, "Vary", "Accept");
}

static GPtrArray *
sim_find_group(GPtrArray *groups, const char *name)
{
	for (guint i = 0; i < groups->len; i++) {
		GPtrArray *group = g_ptr_array_index(groups, i);

		if (g_str_equal(((const SimResource *)g_ptr_array_index(group, 0))->group, name))
			return group;
	}
	return NULL;
}

static void
sim_discovery_group(SimServer *server, SoupServerMessage *msg, const char *name)
{
	g_autoptr(GPtrArray) groups = sim_groups(server);
	GPtrArray *group = sim_find_group(groups, name);
	g_autoptr(JsonObject) body = NULL;

	if (group == NULL || *name == '\0') {
		sim_reply_status(msg, 404, "NotFound",
				 "the server could not find the requested resource", NULL);
		return;
	}
	body = sim_api_group(group);
	json_object_set_string_member(body, "kind", "APIGroup");
	json_object_set_string_member(body, "apiVersion", "v1");
	sim_reply_object(msg, 200, body);
}

static void
sim_discovery_resources(SimServer *server,
			SoupServerMessage *msg,
			const char *group,
			const char *version)
{
	g_autoptr(GPtrArray) all = sim_cluster_list_resources(server->cluster);
	g_autoptr(JsonObject) body = json_object_new();
	g_autofree char *gv =
	    *group != '\0' ? g_strconcat(group, "/", version, NULL) : g_strdup(version);
	JsonArray *resources = json_array_new();

	json_object_set_string_member(body, "kind", "APIResourceList");
	json_object_set_string_member(body, "apiVersion", "v1");
	json_object_set_string_member(body, "groupVersion", gv);
	for (guint i = 0; i < all->len; i++) {
		const SimResource *res = g_ptr_array_index(all, i);
		JsonObject *r;

		if (!g_str_equal(res->group, group) || !g_str_equal(res->version, version))
			continue;
		r = json_object_new();
		json_object_set_string_member(r, "name", res->resource);
		json_object_set_string_member(r, "singularName", res->singular);
		json_object_set_boolean_member(r, "namespaced", res->namespaced);
		json_object_set_string_member(r, "kind", res->kind);
		json_object_set_array_member(r, "verbs", sim_resource_verbs(res, FALSE));
		if (res->short_names[0] != NULL)
			json_object_set_array_member(r, "shortNames",
						     sim_strv_array(res->short_names));
		if (res->categories[0] != NULL)
			json_object_set_array_member(r, "categories",
						     sim_strv_array(res->categories));
		json_array_add_object_element(resources, r);
		if (res->has_status) {
			g_autofree char *name = g_strconcat(res->resource, "/status", NULL);

			r = json_object_new();
			json_object_set_string_member(r, "name", name);
			json_object_set_string_member(r, "singularName", "");
			json_object_set_boolean_member(r, "namespaced", res->namespaced);
			json_object_set_string_member(r, "kind", res->kind);
			json_object_set_array_member(r, "verbs", sim_resource_verbs(res, TRUE));
			json_array_add_object_element(resources, r);
		}
	}
	if (json_array_get_length(resources) == 0) {
		json_array_unref(resources);
		sim_reply_status(msg, 404, "NotFound",
				 "the server could not find the requested resource", NULL);
		return;
	}
	json_object_set_array_member(body, "resources", resources);
	sim_reply_object(msg, 200, body);
}

static void
sim_version(SoupServerMessage *msg)
{
	g_autoptr(JsonObject) body = json_object_new();

	json_object_set_string_member(body, "major", "1");
	json_object_set_string_member(body, "minor", "32");
	json_object_set_string_member(body, "gitVersion", SIM_GIT_VERSION);
	json_object_set_string_member(body, "gitCommit", "cclm-sim");
	json_object_set_string_member(body, "gitTreeState", "clean");
	json_object_set_string_member(body, "buildDate", "2026-01-01T00:00:00Z");
	json_object_set_string_member(body, "goVersion", "go1.23.6");
	json_object_set_string_member(body, "compiler", "gc");
	json_object_set_string_member(body, "platform", "linux/amd64");
	sim_reply_object(msg, 200, body);
}

/* OpenAPI v3: just enough for kubectl's field-validation probe (kube-api.md §1 OpenAPI):
 * one patch operation per kind, with x-kubernetes-group-version-kind and fieldValidation. */

static JsonObject *
sim_openapi_gv(SimServer *server, const char *group, const char *version)
{
	g_autoptr(GPtrArray) all = sim_cluster_list_resources(server->cluster);
	JsonObject *doc = json_object_new();
	JsonObject *info = json_object_new();
	JsonObject *paths = json_object_new();
	guint n = 0;

	json_object_set_string_member(doc, "openapi", "3.0.0");
	json_object_set_string_member(info, "title", "Kubernetes");
	json_object_set_string_member(info, "version", SIM_GIT_VERSION);
	json_object_set_object_member(doc, "info", info);
	for (guint i = 0; i < all->len; i++) {
		const SimResource *res = g_ptr_array_index(all, i);
		JsonObject *item, *patch, *gvk, *body, *content, *param, *responses, *ok;
		JsonArray *params;
		g_autofree char *path = NULL;

		if (!g_str_equal(res->group, group) || !g_str_equal(res->version, version))
			continue;
		n++;
		path = g_strdup_printf(
		    "/%s%s/%s/%s%s/{name}", *group != '\0' ? "apis/" : "api", group, version,
		    res->namespaced ? "namespaces/{namespace}/" : "", res->resource);
		item = json_object_new();
		patch = json_object_new();
		gvk = json_object_new();
		json_object_set_string_member(gvk, "group", group);
		json_object_set_string_member(gvk, "version", version);
		json_object_set_string_member(gvk, "kind", res->kind);
		json_object_set_object_member(patch, "x-kubernetes-group-version-kind", gvk);
		json_object_set_string_member(patch, "x-kubernetes-action", "patch");
		params = json_array_new();
		param = json_object_new();
		json_object_set_string_member(param, "name", "fieldValidation");
		json_object_set_string_member(param, "in", "query");
		json_object_set_object_member(param, "schema", json_object_new());
		json_object_set_string_member(sim_json_get_object(param, "schema", FALSE), "type",
					      "string");
		json_array_add_object_element(params, param);
		json_object_set_array_member(patch, "parameters", params);
		body = json_object_new();
		content = json_object_new();
		json_object_set_object_member(content, "application/apply-patch+yaml",
					      json_object_new());
		json_object_set_object_member(content, "application/json-patch+json",
					      json_object_new());
		json_object_set_object_member(content, "application/merge-patch+json",
					      json_object_new());
		json_object_set_object_member(body, "content", content);
		json_object_set_object_member(patch, "requestBody", body);
		responses = json_object_new();
		ok = json_object_new();
		json_object_set_string_member(ok, "description", "OK");
		json_object_set_object_member(responses, "200", ok);
		json_object_set_object_member(patch, "responses", responses);
		json_object_set_object_member(item, "patch", patch);
		json_object_set_object_member(paths, path, item);
	}
	json_object_set_object_member(doc, "paths", paths);
	json_object_set_object_member(doc, "components", json_object_new());
	if (n == 0) {
		json_object_unref(doc);
		return NULL;
	}
	return doc;
}

static char *
sim_openapi_hash(SimServer *server, const char *group, const char *version)
{
	g_autoptr(JsonObject) doc = sim_openapi_gv(server, group, version);
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autofree char *text = NULL;

	json_node_set_object(node, doc);
	text = json_to_string(node, FALSE);
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}

static void
sim_openapi(SimServer *server, SoupServerMessage *msg, char **parts)
{
	g_autoptr(JsonObject) body = NULL;

	if (parts[2] == NULL) {
		g_autoptr(GPtrArray) groups = sim_groups(server);
		JsonObject *paths = json_object_new();

		body = json_object_new();
		for (guint i = 0; i < groups->len; i++) {
			GPtrArray *group = g_ptr_array_index(groups, i);
			const char *name =
			    ((const SimResource *)g_ptr_array_index(group, 0))->group;
			g_autoptr(GPtrArray) versions = sim_group_versions(group);

			for (guint v = 0; v < versions->len; v++) {
				const char *version = g_ptr_array_index(versions, v);
				g_autofree char *key =
				    *name != '\0' ? g_strdup_printf("apis/%s/%s", name, version)
						  : g_strdup_printf("api/%s", version);
				g_autofree char *hash = sim_openapi_hash(server, name, version);
				g_autofree char *url =
				    g_strdup_printf("/openapi/v3/%s?hash=%s", key, hash);
				JsonObject *entry = json_object_new();

				json_object_set_string_member(entry, "serverRelativeURL", url);
				json_object_set_object_member(paths, key, entry);
			}
		}
		json_object_set_object_member(body, "paths", paths);
	} else if (g_str_equal(parts[2], "api") && g_strcmp0(parts[3], "v1") == 0 &&
		   parts[4] == NULL) {
		body = sim_openapi_gv(server, "", "v1");
	} else if (g_str_equal(parts[2], "apis") && parts[3] != NULL && parts[4] != NULL &&
		   parts[5] == NULL) {
		body = sim_openapi_gv(server, parts[3], parts[4]);
	}
	if (body == NULL) {
		sim_reply_status(msg, 404, "NotFound",
				 "the server could not find the requested resource", NULL);
		return;
	}
	sim_reply_object(msg, 200, body);
}

/* Admin endpoint: /_sim/faults (GET state, POST a FAULT list, DELETE = clear) */

static void
sim_admin(SimServer *server, SoupServerMessage *msg, const char *path)
{
	const char *method = soup_server_message_get_method(msg);
	g_autoptr(GError) error = NULL;

	if (!g_str_equal(path, "/_sim/faults")) {
		sim_reply_status(msg, 404, "NotFound", "no such admin endpoint", NULL);
		return;
	}
	if (g_str_equal(method, "POST") || g_str_equal(method, "DELETE")) {
		g_autoptr(GBytes) bytes =
		    soup_message_body_flatten(soup_server_message_get_request_body(msg));
		g_autofree char *text =
		    g_str_equal(method, "DELETE")
			? g_strdup("clear")
			: g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));

		if (!sim_server_add_faults(server, g_strstrip(text), &error)) {
			sim_reply_status(msg, 400, "BadRequest", error->message, NULL);
			return;
		}
	} else if (!g_str_equal(method, "GET")) {
		sim_reply_status(msg, 405, "MethodNotAllowed", "use GET, POST or DELETE", NULL);
		return;
	}
	{
		g_autofree char *state = sim_faults_describe(&server->faults);
		g_autoptr(GBytes) bytes = g_bytes_new(state, strlen(state));

		sim_reply_bytes(msg, 200, "application/json", bytes);
	}
}

/* Faults */

static gboolean
sim_server_relisten_cb(gpointer user_data)
{
	SimServer *server = user_data;
	g_autoptr(GError) error = NULL;

	server->restart_id = 0;
	if (!sim_server_listen(server, server->port, &error))
		g_warning("cluster \"%s\": restart: %s", sim_cluster_get_name(server->cluster),
			  error->message);
	return G_SOURCE_REMOVE;
}

static gboolean
sim_server_restart_cb(gpointer user_data)
{
	SimServer *server = user_data;

	server->restart_id = 0;
	sim_api_end_watches(server, FALSE);
	soup_server_disconnect(server->soup);
	server->restart_id =
	    g_timeout_add(server->faults.restart_down_ms, sim_server_relisten_cb, server);
	return G_SOURCE_REMOVE;
}

gboolean
sim_server_add_faults(SimServer *server, const char *clause, GError **error)
{
	SimFaults *f = &server->faults;

	if (!sim_faults_parse_clause(f, clause, error))
		return FALSE;
	if (f->compact) {
		f->compact = FALSE;
		sim_cluster_compact(server->cluster);
	}
	if (f->expire_watch > 0)
		sim_api_end_watches(server, TRUE);
	if (f->restart) {
		f->restart = FALSE;
		/* after the admin reply is on its way */
		if (server->restart_id == 0)
			server->restart_id = g_timeout_add(50, sim_server_restart_cb, server);
	}
	return TRUE;
}

/* Requests */

static void
sim_request_clear(SimRequest *req)
{
	g_free(req->ns);
	g_free(req->name);
	g_free(req->sub);
}

/* Splits /api/v1/... and /apis/<g>/<v>/... into the request's resource, namespace, name and
 * subresource; FALSE when the path names no resource. */
static gboolean
sim_request_resolve(SimRequest *req, char **parts, guint n)
{
	const char *group, *version;
	char **rest;
	guint nrest;

	if (g_str_equal(parts[0], "api")) {
		group = "";
		version = parts[1];
		rest = parts + 2;
		nrest = n - 2;
	} else {
		group = parts[1];
		version = parts[2];
		rest = parts + 3;
		nrest = n - 3;
	}
	if (nrest == 0)
		return FALSE;
	if (g_str_equal(rest[0], "namespaces") && nrest >= 3 &&
	    !(nrest == 3 && (g_str_equal(rest[2], "status") || g_str_equal(rest[2], "finalize")))) {
		req->ns = g_strdup(rest[1]);
		rest += 2;
		nrest -= 2;
	}
	if (nrest > 3)
		return FALSE;
	req->res = sim_cluster_lookup_resource(req->server->cluster, group, version, rest[0]);
	if (req->res == NULL)
		return FALSE;
	if (req->ns != NULL && !req->res->namespaced)
		return FALSE;
	req->name = nrest >= 2 ? g_strdup(rest[1]) : NULL;
	req->sub = nrest >= 3 ? g_strdup(rest[2]) : NULL;
	if (req->sub != NULL && !(g_str_equal(req->sub, "status") && req->res->has_status))
		return FALSE;
	return TRUE;
}

gboolean
sim_query_true(const char *value)
{
	return value != NULL && *value != '\0' && !g_str_equal(value, "0") &&
	       !g_str_equal(value, "false");
}

static const char *
sim_request_verb(SimRequest *req)
{
	gboolean watch = sim_query_true(sim_request_query(req, "watch"));

	if (g_str_equal(req->method, "GET"))
		return watch ? "watch" : req->name != NULL ? "get" : "list";
	if (g_str_equal(req->method, "POST"))
		return "create";
	if (g_str_equal(req->method, "PUT"))
		return "update";
	if (g_str_equal(req->method, "PATCH"))
		return "patch";
	if (g_str_equal(req->method, "DELETE"))
		return req->name != NULL ? "delete" : "deletecollection";
	return NULL;
}

static void
sim_reply_forbidden(SimRequest *req)
{
	g_autofree char *what =
	    req->name != NULL
		? g_strdup_printf("%s%s%s \"%s\"", req->res->resource,
				  *req->res->group != '\0' ? "." : "", req->res->group, req->name)
		: g_strdup_printf("%s%s%s", req->res->resource, *req->res->group != '\0' ? "." : "",
				  req->res->group);
	g_autofree char *scope = req->ns != NULL
				     ? g_strdup_printf("in the namespace \"%s\"", req->ns)
				     : g_strdup("at the cluster scope");
	g_autofree char *message = g_strdup_printf(
	    "%s is forbidden: User \"%s\" cannot %s resource \"%s%s%s\" in API group \"%s\" %s",
	    what, sim_user_get_name(req->user), req->verb, req->res->resource,
	    req->sub != NULL ? "/" : "", req->sub != NULL ? req->sub : "", req->res->group, scope);

	sim_reply_status(req->msg, 403, "Forbidden", message, sim_request_details(req));
}

/* Injected failures for API requests; TRUE when one was sent. */
static gboolean
sim_server_inject(SimServer *server, SoupServerMessage *msg)
{
	if (sim_faults_take(&server->faults.throttle)) {
		g_autofree char *after = g_strdup_printf("%u", server->faults.retry_after_s);
		g_autoptr(GBytes) body =
		    g_bytes_new_static("Too many requests, please try again later.\n",
				       strlen("Too many requests, please try again later.\n"));

		/* the real APF rejection: plain text plus Retry-After */
		sim_reply_bytes(msg, 429, "text/plain; charset=utf-8", body);
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "Retry-After", after);
		return TRUE;
	}
	if (sim_faults_take(&server->faults.errors)) {
		guint code = server->faults.error_code;
		const char *reason = code == 503   ? "ServiceUnavailable"
				     : code == 504 ? "Timeout"
						   : "InternalError";
		g_autofree char *message =
		    g_strdup_printf("Internal error occurred: injected fault (%u)", code);

		sim_reply_status(msg, code, reason, message, NULL);
		return TRUE;
	}
	return FALSE;
}

static void
sim_server_dispatch(SimServer *server, SoupServerMessage *msg, const char *path, GHashTable *query)
{
	const char *auth_header = soup_message_headers_get_one(
	    soup_server_message_get_request_headers(msg), "Authorization");
	const SimUser *user = NULL;
	g_auto(GStrv) parts = NULL;
	guint n;

	if (auth_header != NULL && g_ascii_strncasecmp(auth_header, "Bearer ", 7) == 0)
		user = sim_auth_lookup(server->auth, auth_header + 7);
	if (user == NULL) {
		sim_reply_status(msg, 401, "Unauthorized", "Unauthorized", NULL);
		return;
	}
	if (g_str_has_prefix(path, "/_sim/")) {
		if (!sim_user_is_admin(user))
			sim_reply_status(msg, 403, "Forbidden",
					 "the admin endpoints need an admin token", NULL);
		else
			sim_admin(server, msg, path);
		return;
	}
	{
		/* drop empty segments: "/api/v1/" == "/api/v1" */
		g_auto(GStrv) raw = g_strsplit(path, "/", -1);
		GPtrArray *segs = g_ptr_array_new();

		for (guint i = 0; raw[i] != NULL; i++) {
			if (*raw[i] != '\0')
				g_ptr_array_add(segs, g_strdup(raw[i]));
		}
		n = segs->len;
		g_ptr_array_add(segs, NULL);
		parts = (char **)g_ptr_array_free(segs, FALSE);
	}
	if (n == 1 && g_str_equal(parts[0], "version")) {
		sim_version(msg);
		return;
	}
	if (n == 1 && (g_str_equal(parts[0], "healthz") || g_str_equal(parts[0], "readyz") ||
		       g_str_equal(parts[0], "livez"))) {
		g_autoptr(GBytes) ok = g_bytes_new_static("ok", 2);

		sim_reply_bytes(msg, 200, "text/plain; charset=utf-8", ok);
		return;
	}
	if (n >= 2 && g_str_equal(parts[0], "openapi") && g_str_equal(parts[1], "v3")) {
		sim_openapi(server, msg, parts);
		return;
	}
	if (n == 1 && g_str_equal(parts[0], "api")) {
		sim_discovery_root(server, msg, TRUE);
		return;
	}
	if (n == 1 && g_str_equal(parts[0], "apis")) {
		sim_discovery_root(server, msg, FALSE);
		return;
	}
	if (n == 2 && g_str_equal(parts[0], "apis")) {
		sim_discovery_group(server, msg, parts[1]);
		return;
	}
	if ((n == 2 && g_str_equal(parts[0], "api")) || (n == 3 && g_str_equal(parts[0], "apis"))) {
		sim_discovery_resources(server, msg, n == 2 ? "" : parts[1], parts[n - 1]);
		return;
	}
	if ((g_str_equal(parts[0], "api") && n > 2) || (g_str_equal(parts[0], "apis") && n > 3)) {
		SimRequest req = {
		    .server = server,
		    .msg = msg,
		    .method = soup_server_message_get_method(msg),
		    .query = query,
		    .user = user,
		};

		g_autofree char *checked = NULL;

		if (!sim_request_resolve(&req, parts, n)) {
			sim_request_clear(&req);
			sim_reply_status(msg, 404, "NotFound",
					 "the server could not find the requested resource", NULL);
			return;
		}
		req.verb = sim_request_verb(&req);
		checked = req.sub != NULL ? g_strconcat(req.res->resource, "/", req.sub, NULL)
					  : g_strdup(req.res->resource);
		if (req.verb == NULL || (g_str_equal(req.verb, "create") && req.name != NULL)) {
			sim_reply_status(msg, 405, "MethodNotAllowed",
					 "the server does not allow this method on the requested "
					 "resource",
					 sim_request_details(&req));
		} else if (sim_resource_is_review(req.res) && !g_str_equal(req.verb, "create")) {
			sim_reply_status(msg, 405, "MethodNotAllowed",
					 "the server does not allow this method on the requested "
					 "resource",
					 sim_request_details(&req));
		} else if (!sim_resource_is_review(req.res) &&
			   !sim_user_allows(user, sim_cluster_get_name(server->cluster), req.verb,
					    req.res->group, checked)) {
			sim_reply_forbidden(&req);
		} else if (!sim_server_inject(server, msg)) {
			sim_api_handle(&req);
		}
		sim_request_clear(&req);
		return;
	}
	sim_reply_status(msg, 404, "NotFound", "the server could not find the requested resource",
			 NULL);
}

typedef struct {
	SimServer *server;
	SoupServerMessage *msg;
	char *path;
	GHashTable *query;
	guint source_id;
} SimDelayed;

static void
sim_delayed_free(SimDelayed *d)
{
	g_object_unref(d->msg);
	g_free(d->path);
	if (d->query != NULL)
		g_hash_table_unref(d->query);
	g_free(d);
}

static gboolean
sim_delayed_cb(gpointer user_data)
{
	SimDelayed *d = user_data;

	d->server->delayed = g_list_remove(d->server->delayed, d);
	if (g_object_get_data(G_OBJECT(d->msg), "sim-finished") == NULL) {
		sim_server_dispatch(d->server, d->msg, d->path, d->query);
		soup_server_message_unpause(d->msg);
	}
	sim_delayed_free(d);
	return G_SOURCE_REMOVE;
}

static void
sim_message_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	g_object_set_data(G_OBJECT(msg), "sim-finished", GINT_TO_POINTER(1));
}

static void
sim_server_handler(SoupServer *soup,
		   SoupServerMessage *msg,
		   const char *path,
		   GHashTable *query,
		   gpointer user_data)
{
	SimServer *server = user_data;

	if (server->faults.latency_ms > 0 && !g_str_has_prefix(path, "/_sim/")) {
		SimDelayed *d = g_new0(SimDelayed, 1);

		d->server = server;
		d->msg = g_object_ref(msg);
		d->path = g_strdup(path);
		d->query = query != NULL ? g_hash_table_ref(query) : NULL;
		g_signal_connect(msg, "finished", G_CALLBACK(sim_message_finished_cb), NULL);
		soup_server_message_pause(msg);
		d->source_id = g_timeout_add(server->faults.latency_ms, sim_delayed_cb, d);
		server->delayed = g_list_prepend(server->delayed, d);
		return;
	}
	sim_server_dispatch(server, msg, path, query);
}

SimServer *
sim_server_new(SimCluster *cluster, SimAuth *auth, GTlsCertificate *cert)
{
	SimServer *server = g_new0(SimServer, 1);

	server->cluster = cluster;
	server->auth = auth;
	server->cert = g_object_ref(cert);
	server->soup = soup_server_new("tls-certificate", cert, "server-header", NULL, NULL);
	soup_server_add_handler(server->soup, NULL, sim_server_handler, server, NULL);
	return server;
}

void
sim_server_free(SimServer *server)
{
	if (server == NULL)
		return;
	g_clear_handle_id(&server->restart_id, g_source_remove);
	/* a request still held by a latency fault must not run against the freed server */
	for (GList *l = server->delayed; l != NULL; l = l->next) {
		SimDelayed *d = l->data;

		g_source_remove(d->source_id);
		sim_delayed_free(d);
	}
	g_clear_pointer(&server->delayed, g_list_free);
	sim_api_end_watches(server, FALSE);
	soup_server_disconnect(server->soup);
	g_object_unref(server->soup);
	g_object_unref(server->cert);
	g_free(server);
}

gboolean
sim_server_listen(SimServer *server, guint port, GError **error)
{
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, port);
	g_autoptr(GSList) listeners = NULL;

	if (!soup_server_listen(server->soup, addr, SOUP_SERVER_LISTEN_HTTPS, error))
		return FALSE;
	/* not soup_server_get_uris(): it leaks an address in libsoup 3.2 */
	listeners = soup_server_get_listeners(server->soup);
	for (GSList *l = listeners; l != NULL; l = l->next) {
		g_autoptr(GSocketAddress) local = g_socket_get_local_address(l->data, NULL);

		if (local != NULL)
			server->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
	}
	return TRUE;
}

guint
sim_server_get_port(SimServer *server)
{
	return server->port;
}
