/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fleet directories: DIR/<cluster>/<file>.yaml holding objects as `kubectl get -o yaml` prints them.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sim-fleet.h"
#include "sim-store-private.h"

/* YAML -> JSON */

typedef struct {
	yaml_parser_t parser;
	const char *what;
	guint document;
	GHashTable *anchors; /* name -> JsonNode */
} SimYaml;

static gboolean
sim_yaml_fail(SimYaml *y, yaml_mark_t mark, GError **error, const char *msg)
{
	g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s: document %u: line %zu: %s", y->what,
		    y->document, mark.line + 1, msg);
	return FALSE;
}

static JsonNode *
sim_yaml_scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	JsonNode *node = json_node_new(JSON_NODE_VALUE);
	char *end;

	if (tag != NULL && g_str_equal(tag, YAML_STR_TAG)) {
		json_node_set_string(node, v);
		return node;
	}
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		json_node_set_string(node, v);
		return node;
	}
	if (*v == '\0' || g_str_equal(v, "~") || g_str_equal(v, "null") || g_str_equal(v, "Null") ||
	    g_str_equal(v, "NULL")) {
		json_node_init_null(node);
		return node;
	}
	if (g_str_equal(v, "true") || g_str_equal(v, "True") || g_str_equal(v, "TRUE")) {
		json_node_set_boolean(node, TRUE);
		return node;
	}
	if (g_str_equal(v, "false") || g_str_equal(v, "False") || g_str_equal(v, "FALSE")) {
		json_node_set_boolean(node, FALSE);
		return node;
	}
	/* integers: [-+]?[0-9]+ (YAML 1.2 core schema) */
	if (g_ascii_isdigit(v[0]) || ((v[0] == '-' || v[0] == '+') && g_ascii_isdigit(v[1]))) {
		gint64 i;

		errno = 0;
		i = g_ascii_strtoll(v, &end, 10);
		if (*end == '\0' && errno == 0) {
			json_node_set_int(node, i);
			return node;
		}
		if (strspn(v + 1, "0123456789.eE+-") == strlen(v + 1)) {
			double d = g_ascii_strtod(v, &end);

			if (*end == '\0') {
				json_node_set_double(node, d);
				return node;
			}
		}
	}
	json_node_set_string(node, v);
	return node;
}

static JsonNode *
sim_yaml_node(SimYaml *y, yaml_event_t *ev, GError **error);

static void
sim_yaml_anchor(SimYaml *y, const yaml_char_t *anchor, JsonNode *node)
{
	if (anchor != NULL)
		g_hash_table_insert(y->anchors, g_strdup((const char *)anchor),
				    sim_json_node_dup(node));
}

/* Builds the node that starts with `ev` (consumed by the caller). */
static JsonNode *
sim_yaml_node(SimYaml *y, yaml_event_t *ev, GError **error)
{
	yaml_event_t child;

	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		JsonNode *node = sim_yaml_scalar(ev);

		sim_yaml_anchor(y, ev->data.scalar.anchor, node);
		return node;
	}
	case YAML_ALIAS_EVENT: {
		JsonNode *node = g_hash_table_lookup(y->anchors, ev->data.alias.anchor);

		if (node == NULL) {
			sim_yaml_fail(y, ev->start_mark, error, "unknown alias");
			return NULL;
		}
		return sim_json_node_dup(node);
	}
	case YAML_SEQUENCE_START_EVENT: {
		g_autoptr(JsonArray) arr = json_array_new();
		JsonNode *node;

		for (;;) {
			JsonNode *item;

			if (!yaml_parser_parse(&y->parser, &child)) {
				sim_yaml_fail(y, y->parser.problem_mark, error, y->parser.problem);
				return NULL;
			}
			if (child.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&child);
				break;
			}
			item = sim_yaml_node(y, &child, error);
			yaml_event_delete(&child);
			if (item == NULL)
				return NULL;
			json_array_add_element(arr, item);
		}
		node = json_node_new(JSON_NODE_ARRAY);
		json_node_set_array(node, arr);
		sim_yaml_anchor(y, ev->data.sequence_start.anchor, node);
		return node;
	}
	case YAML_MAPPING_START_EVENT: {
		g_autoptr(JsonObject) obj = json_object_new();
		JsonNode *node;

		for (;;) {
			g_autofree char *key = NULL;
			JsonNode *value;

			if (!yaml_parser_parse(&y->parser, &child)) {
				sim_yaml_fail(y, y->parser.problem_mark, error, y->parser.problem);
				return NULL;
			}
			if (child.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&child);
				break;
			}
			if (child.type != YAML_SCALAR_EVENT) {
				sim_yaml_fail(y, child.start_mark, error, "mapping key is not a scalar");
				yaml_event_delete(&child);
				return NULL;
			}
			key = g_strdup((const char *)child.data.scalar.value);
			yaml_event_delete(&child);
			if (!yaml_parser_parse(&y->parser, &child)) {
				sim_yaml_fail(y, y->parser.problem_mark, error, y->parser.problem);
				return NULL;
			}
			value = sim_yaml_node(y, &child, error);
			yaml_event_delete(&child);
			if (value == NULL)
				return NULL;
			json_object_set_member(obj, key, value);
		}
		node = json_node_new(JSON_NODE_OBJECT);
		json_node_set_object(node, obj);
		sim_yaml_anchor(y, ev->data.mapping_start.anchor, node);
		return node;
	}
	default:
		sim_yaml_fail(y, ev->start_mark, error, "unexpected YAML event");
		return NULL;
	}
}

gboolean
sim_yaml_parse_each(const char *data,
		    gsize len,
		    const char *what,
		    SimYamlDocFunc func,
		    gpointer user_data,
		    GError **error)
{
	SimYaml y = {.what = what};
	gboolean ok = TRUE;

	y.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  (GDestroyNotify)json_node_unref);
	yaml_parser_initialize(&y.parser);
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)data, len);
	while (ok) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&y.parser, &ev)) {
			y.document++;
			ok = sim_yaml_fail(&y, y.parser.problem_mark, error, y.parser.problem);
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT) {
			y.document++;
			g_hash_table_remove_all(y.anchors);
		} else if (ev.type != YAML_DOCUMENT_END_EVENT && ev.type != YAML_STREAM_START_EVENT) {
			g_autoptr(JsonNode) node = sim_yaml_node(&y, &ev, error);

			ok = node != NULL && func(node, y.document, user_data, error);
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&y.parser);
	g_hash_table_unref(y.anchors);
	return ok;
}

static gboolean
sim_yaml_collect(JsonNode *doc, guint index, gpointer user_data, GError **error)
{
	g_ptr_array_add(user_data, json_node_ref(doc));
	return TRUE;
}

GPtrArray *
sim_yaml_parse(const char *data, gsize len, const char *what, GError **error)
{
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);

	if (!sim_yaml_parse_each(data, len, what, sim_yaml_collect, docs, error))
		return NULL;
	return g_steal_pointer(&docs);
}

/* Objects */

static gboolean
sim_fleet_string_map(JsonObject *meta, const char *member, const char *where, GError **error)
{
	JsonNode *node = json_object_get_member(meta, member);
	g_autoptr(GList) keys = NULL;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%smetadata.%s: not a mapping", where,
			    member);
		return FALSE;
	}
	keys = json_object_get_members(json_node_get_object(node));
	for (GList *l = keys; l != NULL; l = l->next) {
		JsonNode *v = json_object_get_member(json_node_get_object(node), l->data);

		if (!JSON_NODE_HOLDS_VALUE(v) || json_node_get_value_type(v) != G_TYPE_STRING) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "%smetadata.%s.%s: not a string (quote it)", where, member,
				    (const char *)l->data);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
sim_fleet_check_string(JsonObject *obj, const char *member, gboolean required,
		       const char *where, const char *prefix, GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);

	if (node == NULL || JSON_NODE_HOLDS_NULL(node)) {
		if (!required)
			return TRUE;
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s%s%s: required field missing",
			    where, prefix, member);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING ||
	    *json_node_get_string(node) == '\0') {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s%s%s: not a non-empty string",
			    where, prefix, member);
		return FALSE;
	}
	return TRUE;
}

/* `where` is "file: document N: " plus "items[i]." inside a List. */
static gboolean
sim_fleet_add_object(SimCluster *cluster, JsonNode *node, const char *where, GError **error)
{
	JsonObject *obj, *meta;
	const char *api_version, *kind, *ns;
	const SimResource *res;
	g_autoptr(GError) local = NULL;
	g_autoptr(SimObject) stored = NULL;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%snot a mapping", where);
		return FALSE;
	}
	obj = json_node_get_object(node);
	if (!sim_fleet_check_string(obj, "apiVersion", TRUE, where, "", error) ||
	    !sim_fleet_check_string(obj, "kind", TRUE, where, "", error))
		return FALSE;
	api_version = json_object_get_string_member(obj, "apiVersion");
	kind = json_object_get_string_member(obj, "kind");
	if (g_str_equal(kind, "List")) {
		JsonNode *items = json_object_get_member(obj, "items");

		if (items == NULL || JSON_NODE_HOLDS_NULL(items))
			return TRUE;
		if (!JSON_NODE_HOLDS_ARRAY(items)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%sitems: not a sequence",
				    where);
			return FALSE;
		}
		for (guint i = 0; i < json_array_get_length(json_node_get_array(items)); i++) {
			g_autofree char *item_where = g_strdup_printf("%sitems[%u].", where, i);

			if (!sim_fleet_add_object(cluster,
						  json_array_get_element(json_node_get_array(items), i),
						  item_where, error))
				return FALSE;
		}
		return TRUE;
	}
	meta = sim_json_get_object(obj, "metadata", FALSE);
	if (meta == NULL) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%smetadata: required mapping missing",
			    where);
		return FALSE;
	}
	if (!sim_fleet_check_string(meta, "name", TRUE, where, "metadata.", error) ||
	    !sim_fleet_check_string(meta, "namespace", FALSE, where, "metadata.", error) ||
	    !sim_fleet_string_map(meta, "labels", where, error) ||
	    !sim_fleet_string_map(meta, "annotations", where, error))
		return FALSE;
	ns = json_object_get_string_member_with_default(meta, "namespace", NULL);
	res = sim_cluster_lookup_kind(cluster, api_version, kind);
	if (res == NULL)
		res = sim_cluster_ensure_kind(cluster, api_version, kind, ns != NULL);
	if (res->namespaced && ns == NULL)
		json_object_set_string_member(meta, "namespace", "default");
	/* Server-managed fields a client-side dump carries are replaced by ours. */
	json_object_remove_member(meta, "resourceVersion");
	json_object_remove_member(meta, "selfLink");
	if (g_str_equal(kind, "Namespace") && g_str_equal(api_version, "v1") &&
	    sim_json_get_string(obj, "status.phase") == NULL)
		json_object_set_string_member(sim_json_get_object(obj, "status", TRUE), "phase",
					      "Active");
	if (g_str_equal(kind, "ResourceQuota") && sim_json_get_object(obj, "status.hard", FALSE) == NULL &&
	    sim_json_get_object(obj, "spec.hard", FALSE) != NULL) {
		JsonObject *status = sim_json_get_object(obj, "status", TRUE);

		json_object_set_member(status, "hard",
				       sim_json_node_dup(json_object_get_member(
					   sim_json_get_object(obj, "spec", FALSE), "hard")));
	}
	stored = sim_cluster_create(cluster, res, json_object_ref(obj), SIM_WRITE_LOAD, &local);
	if (stored == NULL) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s%s", where, local->message);
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	SimCluster *cluster;
	const char *display;
} SimFleetFile;

static gboolean
sim_fleet_add_doc(JsonNode *node, guint index, gpointer user_data, GError **error)
{
	SimFleetFile *file = user_data;
	g_autofree char *where = g_strdup_printf("%s: document %u: ", file->display, index);

	if (JSON_NODE_HOLDS_NULL(node))
		return TRUE; /* an empty document, e.g. after a trailing --- */
	return sim_fleet_add_object(file->cluster, node, where, error);
}

/* One document at a time: a whole file's trees at once would fragment the heap for good. */
static gboolean
sim_fleet_load_file(SimCluster *cluster, const char *path, const char *display, GError **error)
{
	g_autoptr(GMappedFile) mapped = g_mapped_file_new(path, FALSE, error);
	SimFleetFile file = {cluster, display};

	if (mapped == NULL)
		return FALSE;
	return sim_yaml_parse_each(g_mapped_file_get_contents(mapped),
				   g_mapped_file_get_length(mapped), display, sim_fleet_add_doc,
				   &file, error);
}

static gint
sim_strptr_compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static GPtrArray *
sim_sorted_entries(const char *dir, gboolean want_dirs, GError **error)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, error);
	GPtrArray *out;
	const char *name;

	if (d == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);

		if (name[0] == '.')
			continue;
		if (want_dirs ? g_file_test(path, G_FILE_TEST_IS_DIR)
			      : (g_str_has_suffix(name, ".yaml") || g_str_has_suffix(name, ".yml") ||
				 g_str_has_suffix(name, ".json")))
			g_ptr_array_add(out, g_strdup(name));
	}
	g_ptr_array_sort(out, sim_strptr_compare);
	return out;
}

/* A real cluster has these, and a namespace object for every namespace in use. */
static void
sim_fleet_add_namespaces(SimCluster *cluster)
{
	const SimResource *ns_res = sim_cluster_resource(cluster, "namespaces");
	g_autoptr(GHashTable) wanted = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) resources = sim_cluster_list_resources(cluster);
	static const char *const system[] = {"default", "kube-system", "kube-public",
					     "kube-node-lease"};
	GHashTableIter iter;
	gpointer key;

	for (guint i = 0; i < G_N_ELEMENTS(system); i++)
		g_hash_table_add(wanted, (char *)system[i]);
	for (guint i = 0; i < resources->len; i++) {
		const SimResource *res = g_ptr_array_index(resources, i);
		g_autoptr(GPtrArray) objs = NULL;

		if (!res->namespaced)
			continue;
		objs = sim_cluster_list(cluster, res, NULL, NULL);
		for (guint j = 0; j < objs->len; j++)
			g_hash_table_add(wanted,
					 (char *)sim_object_get_namespace(g_ptr_array_index(objs, j)));
	}
	g_hash_table_iter_init(&iter, wanted);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		g_autoptr(SimObject) existing = sim_cluster_get(cluster, ns_res, NULL, key);
		g_autoptr(SimObject) created = NULL;
		JsonObject *obj;

		if (existing != NULL)
			continue;
		obj = json_object_new();
		json_object_set_string_member(sim_json_get_object(obj, "metadata", TRUE), "name", key);
		json_object_set_string_member(sim_json_get_object(obj, "metadata.labels", TRUE),
					      "kubernetes.io/metadata.name", key);
		json_object_set_string_member(sim_json_get_object(obj, "status", TRUE), "phase",
					      "Active");
		created = sim_cluster_create(cluster, ns_res, obj, SIM_WRITE_LOAD, NULL);
	}
}

GPtrArray *
sim_fleet_load(const char *dir, GError **error)
{
	g_autoptr(GPtrArray) clusters = g_ptr_array_new_with_free_func((GDestroyNotify)sim_cluster_free);
	g_autoptr(GPtrArray) names = sim_sorted_entries(dir, TRUE, error);

	if (names == NULL)
		return NULL;
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		g_autofree char *cdir = g_build_filename(dir, name, NULL);
		g_autoptr(GPtrArray) files = sim_sorted_entries(cdir, FALSE, error);
		SimCluster *cluster;

		if (files == NULL)
			return NULL;
		cluster = sim_cluster_new(name);
		g_ptr_array_add(clusters, cluster);
		for (guint j = 0; j < files->len; j++) {
			const char *file = g_ptr_array_index(files, j);
			g_autofree char *path = g_build_filename(cdir, file, NULL);
			g_autofree char *display = g_build_filename(name, file, NULL);
			g_autoptr(GError) local = NULL;

			if (!sim_fleet_load_file(cluster, path, display, &local)) {
				g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "fleet \"%s\": %s",
					    dir, local->message);
				return NULL;
			}
		}
		sim_fleet_add_namespaces(cluster);
	}
	if (clusters->len == 0) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
			    "fleet \"%s\": no cluster directories (expected DIR/<cluster>/<file>.yaml)",
			    dir);
		return NULL;
	}
	return g_steal_pointer(&clusters);
}
