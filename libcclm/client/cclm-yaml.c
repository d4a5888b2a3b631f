/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <yaml.h>

#include "cclm-error.h"
#include "cclm-yaml-private.h"

/* Far beyond any kubeconfig, and small enough that hostile input (deep nesting, "billion laughs"
 * aliases) can exhaust neither the stack nor the time of the walks over the result. */
#define CCLM_YAML_MAX_DEPTH 64
#define CCLM_YAML_MAX_NODES 100000

typedef struct {
	JsonNode *node;
	gsize size; /* nodes, with aliases expanded */
} CclmYamlAnchor;

typedef struct {
	yaml_parser_t parser;
	GHashTable *anchors; /* name → CclmYamlAnchor */
	gsize nodes;	     /* read so far, with aliases expanded */
} CclmYamlReader;

static void
cclm_yaml_anchor_free(CclmYamlAnchor *anchor)
{
	json_node_unref(anchor->node);
	g_free(anchor);
}

static void
cclm_yaml_set_error(GError **error, const yaml_mark_t *mark, const gchar *format, ...)
    G_GNUC_PRINTF(3, 4);

static void
cclm_yaml_set_error(GError **error, const yaml_mark_t *mark, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE, "line %zu column %zu: %s", mark->line + 1,
		    mark->column + 1, message);
}

static gboolean
cclm_yaml_next(CclmYamlReader *reader, yaml_event_t *event, GError **error)
{
	yaml_parser_t *parser = &reader->parser;

	if (yaml_parser_parse(parser, event))
		return TRUE;
	if (parser->context != NULL)
		cclm_yaml_set_error(error, &parser->problem_mark, "%s %s",
				    parser->problem != NULL ? parser->problem : "invalid YAML",
				    parser->context);
	else
		cclm_yaml_set_error(error, &parser->problem_mark, "%s",
				    parser->problem != NULL ? parser->problem : "invalid YAML");
	return FALSE;
}

/* Go's strconv.ParseInt/ParseUint with base 0, which go-yaml uses: sign, then 0x, 0o, 0b or a
 * leading 0 (octal) prefix. */
static gboolean
cclm_yaml_parse_int(const gchar *text, JsonNode *node)
{
	const gchar *p = text;
	gboolean negative = FALSE;
	guint base = 10;
	guint64 value = 0;

	if (*p == '+' || *p == '-')
		negative = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		base = 8, p += 2;
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2, p += 2;
	else if (p[0] == '0' && p[1] != '\0')
		base = 8, p += 1;
	if (*p == '\0')
		return FALSE;
	for (; *p != '\0'; p++) {
		gint digit = g_ascii_xdigit_value(*p);

		if (digit < 0 || (guint)digit >= base || value > (G_MAXUINT64 - digit) / base)
			return FALSE;
		value = value * base + digit;
	}
	if (negative && value > (guint64)G_MAXINT64 + 1)
		return FALSE;
	if (negative)
		json_node_set_int(node,
				  value == (guint64)G_MAXINT64 + 1 ? G_MININT64 : -(gint64)value);
	else if (value > G_MAXINT64)
		json_node_set_double(node, (gdouble)value);
	else
		json_node_set_int(node, (gint64)value);
	return TRUE;
}

/* go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static gboolean
cclm_yaml_parse_float(const gchar *text, JsonNode *node)
{
	const gchar *p = text;
	gdouble value;

	if (*p == '+' || *p == '-')
		p++;
	if (*p == '.') {
		if (!g_ascii_isdigit(*++p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
	} else {
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
		if (*p == '.')
			for (p++; g_ascii_isdigit(*p); p++)
				;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
	}
	if (*p != '\0')
		return FALSE;
	value = g_ascii_strtod(text, NULL);
	if (!isfinite(value))
		return FALSE;
	json_node_set_double(node, value);
	return TRUE;
}

/* go-yaml v2's resolve() for an untagged plain scalar. */
static JsonNode *
cclm_yaml_resolve_plain(const gchar *text)
{
	static const gchar *const nulls[] = {"~", "null", "Null", "NULL", NULL};
	static const gchar *const trues[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
					     "True", "TRUE", "on",  "On",  "ON",  NULL};
	static const gchar *const falses[] = {"n",     "N",	"no",  "No",  "NO",  "false",
					      "False", "FALSE", "off", "Off", "OFF", NULL};
	g_autoptr(JsonNode) node = json_node_alloc();
	g_autofree gchar *digits = NULL;

	if (text[0] == '\0' || g_strv_contains(nulls, text))
		return json_node_init_null(g_steal_pointer(&node));
	if (g_strv_contains(trues, text) || g_strv_contains(falses, text))
		return json_node_init_boolean(g_steal_pointer(&node), g_strv_contains(trues, text));
	json_node_init(node, JSON_NODE_VALUE);
	if (text[0] == '+' || text[0] == '-' || g_ascii_isdigit(text[0])) {
		/* go-yaml drops every underscore before parsing a number */
		g_auto(GStrv) parts = g_strsplit(text, "_", -1);

		digits = g_strjoinv("", parts);
		if (cclm_yaml_parse_int(digits, node) || cclm_yaml_parse_float(digits, node))
			return g_steal_pointer(&node);
	} else if (text[0] == '.' && cclm_yaml_parse_float(text, node)) {
		return g_steal_pointer(&node);
	}
	json_node_set_string(node, text);
	return g_steal_pointer(&node);
}

static JsonNode *
cclm_yaml_scalar(const yaml_event_t *event)
{
	const gchar *value = (const gchar *)event->data.scalar.value;
	const gchar *tag = (const gchar *)event->data.scalar.tag;

	/* quoted and block scalars, and anything tagged a string, stay strings */
	if (event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (tag == NULL || g_strcmp0(tag, YAML_BOOL_TAG) == 0 ||
	     g_strcmp0(tag, YAML_INT_TAG) == 0 || g_strcmp0(tag, YAML_FLOAT_TAG) == 0 ||
	     g_strcmp0(tag, YAML_NULL_TAG) == 0))
		return cclm_yaml_resolve_plain(value);
	return json_node_init_string(json_node_alloc(), value);
}

static JsonNode *
cclm_yaml_read_node(CclmYamlReader *reader,
		    const yaml_event_t *event,
		    guint depth,
		    gsize *size,
		    GError **error);

static JsonNode *
cclm_yaml_read_sequence(CclmYamlReader *reader, guint depth, gsize *size, GError **error)
{
	g_autoptr(JsonArray) array = json_array_new();

	for (;;) {
		yaml_event_t event;
		JsonNode *child;
		gsize child_size = 0;

		if (!cclm_yaml_next(reader, &event, error))
			return NULL;
		if (event.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&event);
			break;
		}
		child = cclm_yaml_read_node(reader, &event, depth + 1, &child_size, error);
		yaml_event_delete(&event);
		if (child == NULL)
			return NULL;
		*size += child_size;
		json_array_add_element(array, child);
	}
	return json_node_init_array(json_node_alloc(), array);
}

/* Merge keys (`<<: *base`): members of the merged mappings that the mapping lacks; explicit
 * keys win, and in a list of mappings the earlier wins. */
static gboolean
cclm_yaml_merge(JsonObject *object, JsonNode *merge, const yaml_mark_t *mark, GError **error)
{
	g_autoptr(GList) members = NULL;

	if (JSON_NODE_HOLDS_ARRAY(merge)) {
		JsonArray *array = json_node_get_array(merge);

		for (guint i = 0; i < json_array_get_length(array); i++)
			if (!cclm_yaml_merge(object, json_array_get_element(array, i), mark, error))
				return FALSE;
		return TRUE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(merge)) {
		cclm_yaml_set_error(error, mark, "a merge key (<<) needs a mapping");
		return FALSE;
	}
	members = json_object_get_members(json_node_get_object(merge));
	for (GList *l = members; l != NULL; l = l->next)
		if (!json_object_has_member(object, l->data))
			json_object_set_member(object, l->data,
					       json_node_copy(
						   json_object_get_member(json_node_get_object(
									      merge),
									  l->data)));
	return TRUE;
}

static JsonNode *
cclm_yaml_read_mapping(CclmYamlReader *reader, guint depth, gsize *size, GError **error)
{
	g_autoptr(JsonObject) object = json_object_new();
	g_autoptr(GPtrArray) merges = NULL;
	yaml_mark_t merge_mark = {0};

	merges = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
	for (;;) {
		yaml_event_t event;
		g_autofree gchar *key = NULL;
		gboolean is_merge;
		JsonNode *value;
		gsize value_size = 0;

		if (!cclm_yaml_next(reader, &event, error))
			return NULL;
		if (event.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&event);
			break;
		}
		if (event.type != YAML_SCALAR_EVENT) {
			cclm_yaml_set_error(error, &event.start_mark,
					    "a mapping key must be a scalar");
			yaml_event_delete(&event);
			return NULL;
		}
		key = g_strdup((const gchar *)event.data.scalar.value);
		is_merge = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			   event.data.scalar.tag == NULL && g_strcmp0(key, "<<") == 0;
		if (is_merge)
			merge_mark = event.start_mark;
		yaml_event_delete(&event);

		if (!cclm_yaml_next(reader, &event, error))
			return NULL;
		value = cclm_yaml_read_node(reader, &event, depth + 1, &value_size, error);
		yaml_event_delete(&event);
		if (value == NULL)
			return NULL;
		*size += value_size;
		if (is_merge)
			g_ptr_array_add(merges, value);
		else
			/* a repeated key: the last wins, as in Kubernetes' decoding */
			json_object_set_member(object, key, value);
	}
	for (guint i = 0; i < merges->len; i++)
		if (!cclm_yaml_merge(object, g_ptr_array_index(merges, i), &merge_mark, error))
			return NULL;
	return json_node_init_object(json_node_alloc(), object);
}

static JsonNode *
cclm_yaml_read_node(CclmYamlReader *reader,
		    const yaml_event_t *event,
		    guint depth,
		    gsize *size,
		    GError **error)
{
	JsonNode *node = NULL;
	const gchar *anchor = NULL;
	CclmYamlAnchor *entry;

	*size = 1;
	if (depth > CCLM_YAML_MAX_DEPTH) {
		cclm_yaml_set_error(error, &event->start_mark, "nested more than %u levels deep",
				    CCLM_YAML_MAX_DEPTH);
		return NULL;
	}
	switch (event->type) {
	case YAML_ALIAS_EVENT:
		entry = g_hash_table_lookup(reader->anchors, event->data.alias.anchor);
		if (entry == NULL) {
			cclm_yaml_set_error(error, &event->start_mark, "unknown anchor \"%s\"",
					    (const gchar *)event->data.alias.anchor);
			return NULL;
		}
		*size = entry->size;
		reader->nodes += entry->size;
		node = json_node_copy(entry->node);
		break;
	case YAML_SCALAR_EVENT:
		anchor = (const gchar *)event->data.scalar.anchor;
		reader->nodes++;
		node = cclm_yaml_scalar(event);
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = (const gchar *)event->data.sequence_start.anchor;
		reader->nodes++;
		node = cclm_yaml_read_sequence(reader, depth, size, error);
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = (const gchar *)event->data.mapping_start.anchor;
		reader->nodes++;
		node = cclm_yaml_read_mapping(reader, depth, size, error);
		break;
	default:
		cclm_yaml_set_error(error, &event->start_mark, "unexpected YAML event");
		return NULL;
	}
	if (node == NULL)
		return NULL;
	if (reader->nodes > CCLM_YAML_MAX_NODES) {
		cclm_yaml_set_error(error, &event->start_mark,
				    "more than %u nodes (after expanding aliases)",
				    CCLM_YAML_MAX_NODES);
		json_node_unref(node);
		return NULL;
	}
	if (anchor != NULL) {
		entry = g_new0(CclmYamlAnchor, 1);
		entry->node = json_node_ref(node);
		entry->size = *size;
		g_hash_table_replace(reader->anchors, g_strdup(anchor), entry);
	}
	return node;
}

JsonNode *
cclm_yaml_parse(const gchar *data, gsize length, GError **error)
{
	CclmYamlReader reader = {0};
	yaml_event_t event;
	JsonNode *root = NULL;
	gsize size = 0;

	g_return_val_if_fail(data != NULL || length == 0, NULL);

	if (!yaml_parser_initialize(&reader.parser))
		g_error("libyaml: out of memory");
	yaml_parser_set_input_string(&reader.parser, (const guchar *)(data != NULL ? data : ""),
				     length);
	reader.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)cclm_yaml_anchor_free);

	/* stream start, then the first document's start, or the stream's end when it is empty */
	for (guint i = 0; i < 2 && root == NULL; i++) {
		if (!cclm_yaml_next(&reader, &event, error))
			goto out;
		if (event.type == YAML_STREAM_END_EVENT)
			root = json_node_new(JSON_NODE_NULL);
		yaml_event_delete(&event);
	}
	if (root == NULL) {
		if (!cclm_yaml_next(&reader, &event, error))
			goto out;
		/* only the first document counts, as in Kubernetes' decoding */
		root = cclm_yaml_read_node(&reader, &event, 0, &size, error);
		yaml_event_delete(&event);
	}
out:
	g_hash_table_unref(reader.anchors);
	yaml_parser_delete(&reader.parser);
	return root;
}
