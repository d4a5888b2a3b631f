/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim-patch.h"

/* Merge keys of the core types' lists (patchMergeKey / listMapKeys); other lists are atomic. */
static const char *
sim_merge_key(const char *field, JsonArray *arr)
{
	static const char *const keys[][2] = {
	    {"containers", "name"},	     {"initContainers", "name"},
	    {"ephemeralContainers", "name"}, {"volumes", "name"},
	    {"env", "name"},		     {"imagePullSecrets", "name"},
	    {"volumeMounts", "mountPath"},   {"volumeDevices", "devicePath"},
	    {"conditions", "type"},	     {"ownerReferences", "uid"},
	    {"hostAliases", "ip"},	     {"readinessGates", "conditionType"},
	    {"addresses", "type"},	     {"topologySpreadConstraints", "topologyKey"},
	    {"containerStatuses", "name"},
	};

	if (field == NULL)
		return NULL;
	if (g_str_equal(field, "ports")) {
		JsonObject *first = arr != NULL && json_array_get_length(arr) > 0
					? json_array_get_object_element(arr, 0)
					: NULL;

		return first != NULL && json_object_has_member(first, "containerPort") ? "containerPort"
										       : "port";
	}
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (g_str_equal(field, keys[i][0]))
			return keys[i][1];
	}
	return NULL;
}

/* Primitive lists merged as sets */
static gboolean
sim_is_set_list(const char *field)
{
	return field != NULL && g_str_equal(field, "finalizers");
}

/* Merge patch */

void
sim_merge_patch(JsonObject *target, JsonObject *patch)
{
	g_autoptr(GList) members = json_object_get_members(patch);

	for (GList *l = members; l != NULL; l = l->next) {
		const char *key = l->data;
		JsonNode *value = json_object_get_member(patch, key);
		JsonNode *cur = json_object_get_member(target, key);

		if (JSON_NODE_HOLDS_NULL(value)) {
			json_object_remove_member(target, key);
		} else if (JSON_NODE_HOLDS_OBJECT(value)) {
			if (cur == NULL || !JSON_NODE_HOLDS_OBJECT(cur)) {
				json_object_set_object_member(target, key, json_object_new());
				cur = json_object_get_member(target, key);
			}
			sim_merge_patch(json_node_get_object(cur), json_node_get_object(value));
		} else {
			json_object_set_member(target, key, sim_json_node_dup(value));
		}
	}
}

/* JSON patch */

static char *
sim_pointer_unescape(const char *s)
{
	GString *out = g_string_new(NULL);

	for (; *s != '\0'; s++) {
		if (s[0] == '~' && s[1] == '1') {
			g_string_append_c(out, '/');
			s++;
		} else if (s[0] == '~' && s[1] == '0') {
			g_string_append_c(out, '~');
			s++;
		} else {
			g_string_append_c(out, *s);
		}
	}
	return g_string_free(out, FALSE);
}

/* Resolves all but the last token of `pointer` in `root`; returns the parent node and the
 * unescaped last token. */
static JsonNode *
sim_pointer_parent(JsonNode *root, const char *pointer, char **last, GError **error)
{
	g_auto(GStrv) tokens = NULL;
	JsonNode *node = root;
	guint n;

	if (pointer == NULL || pointer[0] != '/') {
		g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID, "invalid JSON pointer \"%s\"",
			    pointer != NULL ? pointer : "");
		return NULL;
	}
	tokens = g_strsplit(pointer + 1, "/", -1);
	n = g_strv_length(tokens);
	for (guint i = 0; i + 1 < n; i++) {
		g_autofree char *tok = sim_pointer_unescape(tokens[i]);

		if (JSON_NODE_HOLDS_OBJECT(node)) {
			node = json_object_get_member(json_node_get_object(node), tok);
		} else if (JSON_NODE_HOLDS_ARRAY(node)) {
			JsonArray *arr = json_node_get_array(node);
			char *end;
			guint64 idx = g_ascii_strtoull(tok, &end, 10);

			node = *end == '\0' && end != tok && idx < json_array_get_length(arr)
				   ? json_array_get_element(arr, idx)
				   : NULL;
		} else {
			node = NULL;
		}
		if (node == NULL) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
				    "jsonpatch: path \"%s\" not found", pointer);
			return NULL;
		}
	}
	*last = sim_pointer_unescape(tokens[n - 1]);
	return node;
}

static JsonNode *
sim_pointer_get(JsonNode *root, const char *pointer, GError **error)
{
	g_autofree char *last = NULL;
	JsonNode *parent;

	if (g_strcmp0(pointer, "") == 0)
		return root;
	parent = sim_pointer_parent(root, pointer, &last, error);
	if (parent == NULL)
		return NULL;
	if (JSON_NODE_HOLDS_OBJECT(parent) &&
	    json_object_has_member(json_node_get_object(parent), last))
		return json_object_get_member(json_node_get_object(parent), last);
	if (JSON_NODE_HOLDS_ARRAY(parent)) {
		char *end;
		guint64 idx = g_ascii_strtoull(last, &end, 10);

		if (*end == '\0' && end != last && idx < json_array_get_length(json_node_get_array(parent)))
			return json_array_get_element(json_node_get_array(parent), idx);
	}
	g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID, "jsonpatch: path \"%s\" not found",
		    pointer);
	return NULL;
}

/* JsonArray has no insert: rebuild it. */
static void
sim_array_insert(JsonArray *arr, guint idx, JsonNode *value)
{
	g_autoptr(GList) els = json_array_get_elements(arr);
	guint len = json_array_get_length(arr);
	g_autoptr(GPtrArray) copies = g_ptr_array_new();

	for (GList *l = els; l != NULL; l = l->next)
		g_ptr_array_add(copies, sim_json_node_dup(l->data));
	for (guint i = len; i > 0; i--)
		json_array_remove_element(arr, i - 1);
	for (guint i = 0; i <= copies->len; i++) {
		if (i == idx)
			json_array_add_element(arr, value);
		if (i < copies->len)
			json_array_add_element(arr, g_ptr_array_index(copies, i));
	}
}

static gboolean
sim_pointer_add(JsonNode *root, const char *pointer, JsonNode *value, gboolean replace,
		GError **error)
{
	g_autofree char *last = NULL;
	JsonNode *parent = sim_pointer_parent(root, pointer, &last, error);

	if (parent == NULL) {
		json_node_unref(value);
		return FALSE;
	}
	if (JSON_NODE_HOLDS_OBJECT(parent)) {
		JsonObject *obj = json_node_get_object(parent);

		if (replace && !json_object_has_member(obj, last)) {
			json_node_unref(value);
			g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
				    "jsonpatch replace operation does not apply: doc is missing key: %s",
				    pointer);
			return FALSE;
		}
		json_object_set_member(obj, last, value);
		return TRUE;
	}
	if (JSON_NODE_HOLDS_ARRAY(parent)) {
		JsonArray *arr = json_node_get_array(parent);
		guint len = json_array_get_length(arr);
		char *end;
		guint64 idx = g_str_equal(last, "-") ? len : g_ascii_strtoull(last, &end, 10);

		if (!g_str_equal(last, "-") && (*end != '\0' || end == last))
			idx = G_MAXUINT64;
		if (idx > len || (replace && idx >= len)) {
			json_node_unref(value);
			g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
				    "jsonpatch: index out of range in \"%s\"", pointer);
			return FALSE;
		}
		if (replace) {
			json_array_remove_element(arr, idx);
		}
		sim_array_insert(arr, idx, value);
		return TRUE;
	}
	json_node_unref(value);
	g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID, "jsonpatch: cannot add at \"%s\"", pointer);
	return FALSE;
}

static gboolean
sim_pointer_remove(JsonNode *root, const char *pointer, GError **error)
{
	g_autofree char *last = NULL;
	JsonNode *parent = sim_pointer_parent(root, pointer, &last, error);

	if (parent == NULL)
		return FALSE;
	if (JSON_NODE_HOLDS_OBJECT(parent) &&
	    json_object_has_member(json_node_get_object(parent), last)) {
		json_object_remove_member(json_node_get_object(parent), last);
		return TRUE;
	}
	if (JSON_NODE_HOLDS_ARRAY(parent)) {
		JsonArray *arr = json_node_get_array(parent);
		char *end;
		guint64 idx = g_ascii_strtoull(last, &end, 10);

		if (*end == '\0' && end != last && idx < json_array_get_length(arr)) {
			json_array_remove_element(arr, idx);
			return TRUE;
		}
	}
	g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
		    "jsonpatch remove operation does not apply: doc is missing path: \"%s\"", pointer);
	return FALSE;
}

JsonObject *
sim_json_patch(JsonObject *target, JsonArray *ops, GError **error)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonNode) copy = NULL;

	json_node_set_object(root, target);
	copy = sim_json_node_dup(root);
	for (guint i = 0; i < json_array_get_length(ops); i++) {
		JsonObject *op = json_array_get_object_element(ops, i);
		const char *name, *path, *from;
		JsonNode *value;
		gboolean ok;

		if (op == NULL) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
				    "json patch operation %u is not an object", i);
			return NULL;
		}
		name = json_object_get_string_member_with_default(op, "op", "");
		path = json_object_get_string_member_with_default(op, "path", NULL);
		from = json_object_get_string_member_with_default(op, "from", NULL);
		value = json_object_get_member(op, "value");
		if (g_str_equal(name, "add") || g_str_equal(name, "replace")) {
			if (value == NULL) {
				g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
					    "jsonpatch %s operation has no value", name);
				return NULL;
			}
			if (g_strcmp0(path, "") == 0) {
				if (!JSON_NODE_HOLDS_OBJECT(value)) {
					g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
						    "jsonpatch: the document must stay an object");
					return NULL;
				}
				g_clear_pointer(&copy, json_node_unref);
				copy = sim_json_node_dup(value);
				continue;
			}
			ok = sim_pointer_add(copy, path, sim_json_node_dup(value),
					     g_str_equal(name, "replace"), error);
		} else if (g_str_equal(name, "remove")) {
			ok = sim_pointer_remove(copy, path, error);
		} else if (g_str_equal(name, "move") || g_str_equal(name, "copy")) {
			JsonNode *src = sim_pointer_get(copy, from, error);
			JsonNode *moved;

			if (src == NULL)
				return NULL;
			moved = sim_json_node_dup(src);
			ok = (g_str_equal(name, "copy") || sim_pointer_remove(copy, from, error)) &&
			     sim_pointer_add(copy, path, json_node_ref(moved), FALSE, error);
			json_node_unref(moved);
		} else if (g_str_equal(name, "test")) {
			JsonNode *have = sim_pointer_get(copy, path, error);

			if (have == NULL)
				return NULL;
			ok = value != NULL && json_node_equal(have, value);
			if (!ok)
				g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
					    "testing value %s failed", path);
		} else {
			g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
				    "Unexpected kind: %s", name);
			return NULL;
		}
		if (!ok)
			return NULL;
	}
	return json_object_ref(json_node_get_object(copy));
}

/* Strategic merge patch */

static gboolean
sim_smp_object(JsonObject *target, JsonObject *patch, GError **error);

static JsonObject *
sim_find_keyed(JsonArray *arr, const char *key, JsonNode *value, guint *index)
{
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *el = json_array_get_object_element(arr, i);
		JsonNode *v = el != NULL ? json_object_get_member(el, key) : NULL;

		if (v != NULL && json_node_equal(v, value)) {
			if (index != NULL)
				*index = i;
			return el;
		}
	}
	return NULL;
}

static gboolean
sim_smp_list(JsonObject *target, const char *field, JsonArray *patch, GError **error)
{
	JsonNode *cur = json_object_get_member(target, field);
	const char *key = sim_merge_key(field, patch);
	JsonArray *arr;

	if (cur == NULL || !JSON_NODE_HOLDS_ARRAY(cur)) {
		json_object_set_array_member(target, field, json_array_new());
		cur = json_object_get_member(target, field);
	}
	arr = json_node_get_array(cur);
	if (sim_is_set_list(field)) {
		for (guint i = 0; i < json_array_get_length(patch); i++) {
			JsonNode *v = json_array_get_element(patch, i);
			gboolean found = FALSE;

			for (guint j = 0; j < json_array_get_length(arr) && !found; j++)
				found = json_node_equal(json_array_get_element(arr, j), v);
			if (!found)
				json_array_add_element(arr, sim_json_node_dup(v));
		}
		return TRUE;
	}
	if (key == NULL) {
		/* atomic: replaced, minus directive elements */
		JsonArray *out = json_array_new();

		for (guint i = 0; i < json_array_get_length(patch); i++) {
			JsonObject *el = json_array_get_object_element(patch, i);

			if (el != NULL && json_object_has_member(el, "$patch"))
				continue;
			json_array_add_element(out, sim_json_node_dup(json_array_get_element(patch, i)));
		}
		json_object_set_array_member(target, field, out);
		return TRUE;
	}
	for (guint i = 0; i < json_array_get_length(patch); i++) {
		JsonObject *el = json_array_get_object_element(patch, i);
		JsonNode *kv = el != NULL ? json_object_get_member(el, key) : NULL;
		const char *directive;
		JsonObject *existing;
		guint idx = 0;

		if (el != NULL && g_strcmp0(json_object_get_string_member_with_default(el, "$patch", NULL),
					    "replace") == 0) {
			/* the whole list replaced by the other elements */
			JsonArray *out = json_array_new();

			for (guint j = 0; j < json_array_get_length(patch); j++) {
				if (j != i)
					json_array_add_element(
					    out, sim_json_node_dup(json_array_get_element(patch, j)));
			}
			json_object_set_array_member(target, field, out);
			return TRUE;
		}
		if (kv == NULL) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
				    "map: %s does not contain declared merge key: %s", field, key);
			return FALSE;
		}
		directive = json_object_get_string_member_with_default(el, "$patch", NULL);
		existing = sim_find_keyed(arr, key, kv, &idx);
		if (g_strcmp0(directive, "delete") == 0) {
			if (existing != NULL)
				json_array_remove_element(arr, idx);
			continue;
		}
		if (existing != NULL) {
			if (!sim_smp_object(existing, el, error))
				return FALSE;
		} else {
			JsonObject *fresh = json_object_new();

			if (!sim_smp_object(fresh, el, error)) {
				json_object_unref(fresh);
				return FALSE;
			}
			json_array_add_object_element(arr, fresh);
		}
	}
	return TRUE;
}

static gboolean
sim_smp_object(JsonObject *target, JsonObject *patch, GError **error)
{
	g_autoptr(GList) members = json_object_get_members(patch);
	JsonNode *retain = json_object_get_member(patch, "$retainKeys");

	if (g_strcmp0(json_object_get_string_member_with_default(patch, "$patch", NULL), "replace") ==
	    0) {
		g_autoptr(GList) old = json_object_get_members(target);

		for (GList *l = old; l != NULL; l = l->next)
			json_object_remove_member(target, l->data);
	}
	for (GList *l = members; l != NULL; l = l->next) {
		const char *key = l->data;
		JsonNode *value = json_object_get_member(patch, key);
		JsonNode *cur = json_object_get_member(target, key);

		if (key[0] == '$') {
			if (g_str_has_prefix(key, "$deleteFromPrimitiveList/") &&
			    JSON_NODE_HOLDS_ARRAY(value)) {
				const char *field = key + strlen("$deleteFromPrimitiveList/");
				JsonNode *list = json_object_get_member(target, field);
				JsonArray *del = json_node_get_array(value);

				if (list == NULL || !JSON_NODE_HOLDS_ARRAY(list))
					continue;
				for (guint i = json_array_get_length(json_node_get_array(list)); i > 0;
				     i--) {
					JsonNode *v = json_array_get_element(json_node_get_array(list),
									     i - 1);

					for (guint j = 0; j < json_array_get_length(del); j++) {
						if (json_node_equal(v, json_array_get_element(del, j))) {
							json_array_remove_element(
							    json_node_get_array(list), i - 1);
							break;
						}
					}
				}
			}
			/* $setElementOrder, $patch, $retainKeys: handled or order-only */
			continue;
		}
		if (JSON_NODE_HOLDS_NULL(value)) {
			json_object_remove_member(target, key);
		} else if (JSON_NODE_HOLDS_OBJECT(value)) {
			if (cur == NULL || !JSON_NODE_HOLDS_OBJECT(cur)) {
				json_object_set_object_member(target, key, json_object_new());
				cur = json_object_get_member(target, key);
			}
			if (g_strcmp0(json_object_get_string_member_with_default(
					  json_node_get_object(value), "$patch", NULL),
				      "delete") == 0) {
				json_object_remove_member(target, key);
				continue;
			}
			if (!sim_smp_object(json_node_get_object(cur), json_node_get_object(value),
					    error))
				return FALSE;
		} else if (JSON_NODE_HOLDS_ARRAY(value)) {
			if (!sim_smp_list(target, key, json_node_get_array(value), error))
				return FALSE;
		} else {
			json_object_set_member(target, key, sim_json_node_dup(value));
		}
	}
	if (retain != NULL && JSON_NODE_HOLDS_ARRAY(retain)) {
		g_autoptr(GList) have = json_object_get_members(target);
		JsonArray *keep = json_node_get_array(retain);

		for (GList *l = have; l != NULL; l = l->next) {
			gboolean kept = FALSE;

			for (guint i = 0; i < json_array_get_length(keep) && !kept; i++)
				kept = g_strcmp0(json_array_get_string_element(keep, i), l->data) == 0;
			if (!kept)
				json_object_remove_member(target, l->data);
		}
	}
	return TRUE;
}

gboolean
sim_strategic_patch(JsonObject *target, JsonObject *patch, GError **error)
{
	return sim_smp_object(target, patch, error);
}

/* Field sets (managedFields fieldsV1). A path is its segments ("f:spec", "k:{\"name\":\"c\"}")
 * joined by '\n'; a keyed list element's own path stands for fieldsV1's ".". */

#define SIM_SEP "\n"

static gboolean
sim_path_ignored(const char *path)
{
	static const char *const ignored[] = {
	    "f:apiVersion", "f:kind", "f:metadata\nf:name", "f:metadata\nf:namespace",
	    "f:metadata\nf:uid", "f:metadata\nf:resourceVersion", "f:metadata\nf:generation",
	    "f:metadata\nf:creationTimestamp", "f:metadata\nf:managedFields",
	    "f:metadata\nf:deletionTimestamp", "f:metadata\nf:deletionGracePeriodSeconds",
	    "f:metadata\nf:selfLink",
	};

	for (guint i = 0; i < G_N_ELEMENTS(ignored); i++) {
		if (g_str_equal(path, ignored[i]) ||
		    (g_str_has_prefix(path, ignored[i]) && path[strlen(ignored[i])] == '\n'))
			return TRUE;
	}
	return FALSE;
}

static char *
sim_key_segment(JsonObject *el, const char *key)
{
	g_autoptr(JsonObject) k = json_object_new();
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autofree char *json = NULL;

	json_object_set_member(k, key, sim_json_node_dup(json_object_get_member(el, key)));
	json_node_set_object(node, k);
	json = json_to_string(node, FALSE);
	return g_strconcat("k:", json, NULL);
}

static void
sim_collect(JsonNode *node, const char *field, const char *prefix, gboolean builtin,
	    GHashTable *out)
{
	if (JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObject *obj = json_node_get_object(node);
		g_autoptr(GList) members = json_object_get_members(obj);

		if (members == NULL && *prefix != '\0')
			g_hash_table_add(out, g_strdup(prefix));
		for (GList *l = members; l != NULL; l = l->next) {
			g_autofree char *path = *prefix != '\0'
						    ? g_strconcat(prefix, SIM_SEP "f:", l->data, NULL)
						    : g_strconcat("f:", l->data, NULL);

			sim_collect(json_object_get_member(obj, l->data), l->data, path, builtin,
				    out);
		}
		return;
	}
	if (JSON_NODE_HOLDS_ARRAY(node) && builtin) {
		JsonArray *arr = json_node_get_array(node);
		const char *key = sim_merge_key(field, arr);
		gboolean keyed = key != NULL && json_array_get_length(arr) > 0;

		for (guint i = 0; keyed && i < json_array_get_length(arr); i++) {
			JsonObject *el = json_array_get_object_element(arr, i);

			keyed = el != NULL && json_object_has_member(el, key);
		}
		if (keyed) {
			for (guint i = 0; i < json_array_get_length(arr); i++) {
				JsonObject *el = json_array_get_object_element(arr, i);
				g_autofree char *seg = sim_key_segment(el, key);
				g_autofree char *path = g_strconcat(prefix, SIM_SEP, seg, NULL);

				g_hash_table_add(out, g_strdup(path));
				sim_collect(json_array_get_element(arr, i), NULL, path, builtin, out);
			}
			return;
		}
	}
	g_hash_table_add(out, g_strdup(prefix));
}

/* Leaf paths of an object, minus server-owned ones; `subresource` "status" keeps only status,
 * otherwise status is left out. */
static GHashTable *
sim_field_set(JsonObject *obj, gboolean builtin, const char *subresource)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(GHashTable) all = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTable *out = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gboolean status = g_strcmp0(subresource, "status") == 0;
	GHashTableIter iter;
	gpointer key;

	json_node_set_object(node, obj);
	sim_collect(node, NULL, "", builtin, all);
	g_hash_table_iter_init(&iter, all);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		gboolean is_status =
		    g_str_equal(key, "f:status") || g_str_has_prefix(key, "f:status" SIM_SEP);

		if (sim_path_ignored(key) || is_status != status)
			continue;
		g_hash_table_add(out, g_strdup(key));
	}
	return out;
}

/* fieldsV1 tree <-> path set */
static void
sim_fields_to_paths(JsonObject *tree, const char *prefix, GHashTable *out)
{
	g_autoptr(GList) members = json_object_get_members(tree);

	for (GList *l = members; l != NULL; l = l->next) {
		JsonNode *child = json_object_get_member(tree, l->data);
		g_autofree char *path = NULL;

		if (g_str_equal(l->data, ".")) {
			if (*prefix != '\0')
				g_hash_table_add(out, g_strdup(prefix));
			continue;
		}
		path = *prefix != '\0' ? g_strconcat(prefix, SIM_SEP, l->data, NULL)
				       : g_strdup(l->data);
		if (child == NULL || !JSON_NODE_HOLDS_OBJECT(child) ||
		    json_object_get_size(json_node_get_object(child)) == 0)
			g_hash_table_add(out, g_strdup(path));
		else
			sim_fields_to_paths(json_node_get_object(child), path, out);
	}
}

static JsonObject *
sim_paths_to_fields(GHashTable *paths)
{
	JsonObject *root = json_object_new();
	g_autoptr(GList) keys = g_hash_table_get_keys(paths);

	keys = g_list_sort(keys, (GCompareFunc)strcmp);
	for (GList *l = keys; l != NULL; l = l->next) {
		g_auto(GStrv) segs = g_strsplit(l->data, SIM_SEP, -1);
		JsonObject *cur = root;
		guint n = g_strv_length(segs);

		for (guint i = 0; i < n; i++) {
			JsonNode *child = json_object_get_member(cur, segs[i]);

			if (child == NULL) {
				json_object_set_object_member(cur, segs[i], json_object_new());
				child = json_object_get_member(cur, segs[i]);
			}
			cur = json_node_get_object(child);
		}
		/* An element set as a whole and with fields of its own: "." marks it */
		if (g_str_has_prefix(segs[n - 1], "k:"))
			json_object_set_object_member(cur, ".", json_object_new());
	}
	/* "." only where the element also has children */
	return root;
}

/* Parses "k:{...}" into its single key and value. */
static gboolean
sim_key_parse(const char *seg, char **key, JsonNode **value)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *want;
	g_autoptr(GList) keys = NULL;

	if (!json_parser_load_from_data(parser, seg + 2, -1, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
		return FALSE;
	want = json_node_get_object(json_parser_get_root(parser));
	keys = json_object_get_members(want);
	if (keys == NULL)
		return FALSE;
	*key = g_strdup(keys->data);
	*value = sim_json_node_dup(json_object_get_member(want, keys->data));
	return TRUE;
}

/* The node a path names in an object, or NULL; `parent`/`member`/`index` locate it. */
static JsonNode *
sim_path_lookup_full(JsonNode *root, const char *path, JsonNode **parent, char **member,
		     gint *index)
{
	g_auto(GStrv) segs = g_strsplit(path, SIM_SEP, -1);
	JsonNode *node = root;

	for (guint i = 0; segs[i] != NULL && node != NULL; i++) {
		JsonNode *up = node;

		if (g_str_has_prefix(segs[i], "f:")) {
			if (!JSON_NODE_HOLDS_OBJECT(node))
				return NULL;
			node = json_object_get_member(json_node_get_object(node), segs[i] + 2);
			if (member != NULL && segs[i + 1] == NULL) {
				*member = g_strdup(segs[i] + 2);
				*index = -1;
			}
		} else if (g_str_has_prefix(segs[i], "k:")) {
			g_autofree char *key = NULL;
			g_autoptr(JsonNode) value = NULL;
			guint idx = 0;

			if (!JSON_NODE_HOLDS_ARRAY(node) || !sim_key_parse(segs[i], &key, &value) ||
			    sim_find_keyed(json_node_get_array(node), key, value, &idx) == NULL)
				return NULL;
			node = json_array_get_element(json_node_get_array(node), idx);
			if (index != NULL && segs[i + 1] == NULL)
				*index = idx;
		} else {
			return NULL;
		}
		if (parent != NULL)
			*parent = up;
	}
	return node;
}

static JsonNode *
sim_path_lookup(JsonObject *obj, const char *path)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);

	json_node_set_object(root, obj);
	return sim_path_lookup_full(root, path, NULL, NULL, NULL);
}

static void
sim_path_remove(JsonObject *obj, const char *path)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	g_autofree char *member = NULL;
	JsonNode *parent = NULL;
	gint index = -1;

	json_node_set_object(root, obj);
	if (sim_path_lookup_full(root, path, &parent, &member, &index) == NULL || parent == NULL)
		return;
	if (member != NULL && JSON_NODE_HOLDS_OBJECT(parent))
		json_object_remove_member(json_node_get_object(parent), member);
	else if (index >= 0 && JSON_NODE_HOLDS_ARRAY(parent))
		json_array_remove_element(json_node_get_array(parent), index);
}

/* managedFields entries */

static GHashTable *
sim_entry_paths(JsonObject *entry)
{
	GHashTable *paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	JsonObject *fields = sim_json_get_object(entry, "fieldsV1", FALSE);

	if (fields != NULL)
		sim_fields_to_paths(fields, "", paths);
	return paths;
}

static void
sim_entry_set_paths(JsonObject *entry, GHashTable *paths)
{
	json_object_set_object_member(entry, "fieldsV1", sim_paths_to_fields(paths));
}

static JsonArray *
sim_managed_fields(JsonObject *obj)
{
	JsonObject *meta = sim_json_get_object(obj, "metadata", TRUE);
	JsonNode *node = json_object_get_member(meta, "managedFields");

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		json_object_set_array_member(meta, "managedFields", json_array_new());
		node = json_object_get_member(meta, "managedFields");
	}
	return json_node_get_array(node);
}

static gboolean
sim_entry_is(JsonObject *entry, const char *manager, const char *operation,
	     const char *subresource)
{
	return g_strcmp0(json_object_get_string_member_with_default(entry, "manager", ""),
			 manager) == 0 &&
	       g_strcmp0(json_object_get_string_member_with_default(entry, "operation", ""),
			 operation) == 0 &&
	       g_strcmp0(json_object_get_string_member_with_default(entry, "subresource", NULL),
			 subresource) == 0;
}

/* The entry of (manager, operation, subresource), created at the end when missing. */
static JsonObject *
sim_entry_get(JsonObject *obj, const char *manager, const char *operation,
	      const char *subresource)
{
	JsonArray *mf = sim_managed_fields(obj);
	JsonObject *entry;
	g_autofree char *now = sim_now_rfc3339();

	for (guint i = 0; i < json_array_get_length(mf); i++) {
		entry = json_array_get_object_element(mf, i);
		if (entry != NULL && sim_entry_is(entry, manager, operation, subresource)) {
			json_object_set_string_member(entry, "time", now);
			return entry;
		}
	}
	entry = json_object_new();
	json_object_set_string_member(entry, "manager", manager);
	json_object_set_string_member(entry, "operation", operation);
	json_object_set_string_member(entry, "apiVersion",
				      json_object_get_string_member_with_default(obj, "apiVersion",
										 "v1"));
	json_object_set_string_member(entry, "time", now);
	json_object_set_string_member(entry, "fieldsType", "FieldsV1");
	json_object_set_object_member(entry, "fieldsV1", json_object_new());
	if (subresource != NULL)
		json_object_set_string_member(entry, "subresource", subresource);
	json_array_add_object_element(mf, entry);
	return entry;
}

/* Removes `taken` from every entry but `keep`, and entries left empty. */
static void
sim_entries_release(JsonObject *obj, JsonObject *keep, GHashTable *taken)
{
	JsonArray *mf = sim_managed_fields(obj);

	for (guint i = json_array_get_length(mf); i > 0; i--) {
		JsonObject *entry = json_array_get_object_element(mf, i - 1);
		g_autoptr(GHashTable) paths = NULL;
		GHashTableIter iter;
		gpointer key;
		gboolean changed = FALSE;

		if (entry == NULL || entry == keep)
			continue;
		paths = sim_entry_paths(entry);
		g_hash_table_iter_init(&iter, taken);
		while (g_hash_table_iter_next(&iter, &key, NULL))
			changed |= g_hash_table_remove(paths, key);
		if (g_hash_table_size(paths) == 0)
			json_array_remove_element(mf, i - 1);
		else if (changed)
			sim_entry_set_paths(entry, paths);
	}
}

static gboolean
sim_nodes_equal(JsonNode *a, JsonNode *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return json_node_equal(a, b);
}

void
sim_managed_fields_update(JsonObject *old_obj,
			  JsonObject *new_obj,
			  const char *manager,
			  gboolean builtin,
			  const char *subresource)
{
	g_autoptr(GHashTable) now_paths = sim_field_set(new_obj, builtin, subresource);
	g_autoptr(GHashTable) changed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) mine = NULL;
	JsonObject *entry;
	GHashTableIter iter;
	gpointer key;

	g_hash_table_iter_init(&iter, now_paths);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (old_obj == NULL ||
		    !sim_nodes_equal(sim_path_lookup(old_obj, key), sim_path_lookup(new_obj, key)))
			g_hash_table_add(changed, g_strdup(key));
	}
	if (g_hash_table_size(changed) == 0 && old_obj != NULL)
		return;
	entry = sim_entry_get(new_obj, manager, "Update", subresource);
	mine = sim_entry_paths(entry);
	g_hash_table_iter_init(&iter, changed);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_hash_table_add(mine, g_strdup(key));
	/* fields gone from the object are nobody's */
	g_hash_table_iter_init(&iter, mine);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (sim_path_lookup(new_obj, key) == NULL)
			g_hash_table_iter_remove(&iter);
	}
	sim_entry_set_paths(entry, mine);
	sim_entries_release(new_obj, entry, changed);
}

/* Merges the applied configuration into the object: maps recursively, keyed lists of built-in
 * kinds by key, anything else replaced. */
static void
sim_apply_merge(JsonObject *target, JsonObject *applied, gboolean builtin)
{
	g_autoptr(GList) members = json_object_get_members(applied);

	for (GList *l = members; l != NULL; l = l->next) {
		JsonNode *value = json_object_get_member(applied, l->data);
		JsonNode *cur = json_object_get_member(target, l->data);
		const char *key;

		if (JSON_NODE_HOLDS_OBJECT(value) && cur != NULL && JSON_NODE_HOLDS_OBJECT(cur)) {
			sim_apply_merge(json_node_get_object(cur), json_node_get_object(value),
					builtin);
		} else if (builtin && JSON_NODE_HOLDS_ARRAY(value) && cur != NULL &&
			   JSON_NODE_HOLDS_ARRAY(cur) &&
			   (key = sim_merge_key(l->data, json_node_get_array(value))) != NULL) {
			JsonArray *have = json_node_get_array(cur), *want = json_node_get_array(value);

			for (guint i = 0; i < json_array_get_length(want); i++) {
				JsonObject *el = json_array_get_object_element(want, i);
				JsonNode *kv = el != NULL ? json_object_get_member(el, key) : NULL;
				JsonObject *existing = kv != NULL ? sim_find_keyed(have, key, kv, NULL)
								  : NULL;

				if (existing != NULL)
					sim_apply_merge(existing, el, builtin);
				else
					json_array_add_element(
					    have, sim_json_node_dup(json_array_get_element(want, i)));
			}
		} else {
			json_object_set_member(target, l->data, sim_json_node_dup(value));
		}
	}
}

JsonObject *
sim_apply(JsonObject *current,
	  JsonObject *applied,
	  const char *manager,
	  gboolean force,
	  gboolean builtin,
	  const char *subresource,
	  JsonArray **conflicts,
	  GError **error)
{
	g_autoptr(GHashTable) want = sim_field_set(applied, builtin, subresource);
	g_autoptr(GHashTable) others = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) previous = NULL;
	g_autoptr(JsonArray) causes = json_array_new();
	g_autoptr(JsonObject) result = NULL;
	JsonObject *entry;
	JsonArray *mf;
	GHashTableIter iter;
	gpointer key;

	*conflicts = NULL;
	if (current == NULL) {
		g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
		g_autoptr(JsonNode) copy = NULL;

		json_node_set_object(node, applied);
		copy = sim_json_node_dup(node);
		result = json_object_ref(json_node_get_object(copy));
		json_object_remove_member(sim_json_get_object(result, "metadata", TRUE),
					  "managedFields");
		entry = sim_entry_get(result, manager, "Apply", subresource);
		sim_entry_set_paths(entry, want);
		return g_steal_pointer(&result);
	}
	{
		g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
		g_autoptr(JsonNode) copy = NULL;

		json_node_set_object(node, current);
		copy = sim_json_node_dup(node);
		result = json_object_ref(json_node_get_object(copy));
	}
	/* Conflicts: another manager owns a field the configuration sets to another value. */
	mf = sim_managed_fields(result);
	for (guint i = 0; i < json_array_get_length(mf); i++) {
		JsonObject *other = json_array_get_object_element(mf, i);
		g_autoptr(GHashTable) paths = NULL;

		if (other == NULL || sim_entry_is(other, manager, "Apply", subresource))
			continue;
		paths = sim_entry_paths(other);
		g_hash_table_iter_init(&iter, want);
		while (g_hash_table_iter_next(&iter, &key, NULL)) {
			JsonObject *cause;
			g_autofree char *field = NULL, *message = NULL, *dotted = NULL;
			g_auto(GStrv) segs = NULL;
			gboolean update;

			if (!g_hash_table_contains(paths, key) ||
			    sim_nodes_equal(sim_path_lookup(current, key),
					    sim_path_lookup(applied, key)))
				continue;
			g_hash_table_add(others, g_strdup(key));
			segs = g_strsplit(key, SIM_SEP, -1);
			for (guint j = 0; segs[j] != NULL; j++) {
				char *seg = segs[j];

				if (g_str_has_prefix(seg, "f:"))
					memmove(seg, seg + 2, strlen(seg + 2) + 1);
				else if (g_str_has_prefix(seg, "k:")) {
					char *tmp = g_strdup_printf("[%s]", seg + 2);

					g_free(segs[j]);
					segs[j] = tmp;
				}
			}
			field = g_strjoinv(".", segs);
			update = g_strcmp0(json_object_get_string_member_with_default(
					       other, "operation", ""),
					   "Update") == 0;
			message = g_strdup_printf(
			    "conflict with \"%s\"%s%s: .%s",
			    json_object_get_string_member_with_default(other, "manager", ""),
			    update ? " using " : "",
			    update ? json_object_get_string_member_with_default(other, "apiVersion",
										"v1")
				   : "",
			    field);
			dotted = g_strconcat(".", field, NULL);
			cause = json_object_new();
			json_object_set_string_member(cause, "reason", "FieldManagerConflict");
			json_object_set_string_member(cause, "message", message);
			json_object_set_string_member(cause, "field", dotted);
			json_array_add_object_element(causes, cause);
		}
	}
	if (json_array_get_length(causes) > 0 && !force) {
		GString *msg = g_string_new(NULL);
		guint n = json_array_get_length(causes);

		g_string_append_printf(msg, "Apply failed with %u conflict%s: ", n, n > 1 ? "s" : "");
		for (guint i = 0; i < n; i++) {
			if (i > 0)
				g_string_append(msg, "\n");
			g_string_append(msg, json_object_get_string_member(
						 json_array_get_object_element(causes, i), "message"));
		}
		g_set_error_literal(error, SIM_ERROR, SIM_ERROR_CONFLICT, msg->str);
		g_string_free(msg, TRUE);
		*conflicts = g_steal_pointer(&causes);
		return NULL;
	}
	entry = sim_entry_get(result, manager, "Apply", subresource);
	previous = sim_entry_paths(entry);
	sim_apply_merge(result, applied, builtin);
	/* Fields this manager applied before and no longer does: removed unless owned by another. */
	g_hash_table_iter_init(&iter, previous);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		gboolean owned = FALSE;

		if (g_hash_table_contains(want, key))
			continue;
		for (guint i = 0; i < json_array_get_length(mf) && !owned; i++) {
			JsonObject *other = json_array_get_object_element(mf, i);
			g_autoptr(GHashTable) paths = NULL;

			if (other == NULL || other == entry)
				continue;
			paths = sim_entry_paths(other);
			owned = g_hash_table_contains(paths, key);
		}
		if (!owned)
			sim_path_remove(result, key);
	}
	sim_entry_set_paths(entry, want);
	if (force)
		sim_entries_release(result, entry, others);
	return g_steal_pointer(&result);
}
