/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "cclm-output.h"

gboolean
cclm_output_format_from_string(const gchar *str, CclmOutputFormat *format)
{
	if (g_strcmp0(str, "table") == 0)
		*format = CCLM_OUTPUT_TABLE;
	else if (g_strcmp0(str, "json") == 0)
		*format = CCLM_OUTPUT_JSON;
	else if (g_strcmp0(str, "yaml") == 0)
		*format = CCLM_OUTPUT_YAML;
	else
		return FALSE;
	return TRUE;
}

/* A plain YAML scalar that a YAML 1.1 or 1.2 reader would take for something other than this
 * string must be quoted. */
static gboolean
cclm_output_yaml_needs_quotes(const gchar *str)
{
	static const gchar *const special[] = {
	    "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
	    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n",
	};
	gchar *end = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(special); i++) {
		if (g_strcmp0(str, special[i]) == 0)
			return TRUE;
	}
	g_ascii_strtod(str, &end);
	if (end != str && *end == '\0')
		return TRUE;
	return FALSE;
}

static gboolean
cclm_output_yaml_scalar(yaml_emitter_t *emitter, const gchar *value, yaml_scalar_style_t style)
{
	yaml_event_t event;

	yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)value, (int)strlen(value),
				     1, 1, style);
	return yaml_emitter_emit(emitter, &event) != 0;
}

static gboolean
cclm_output_yaml_node(yaml_emitter_t *emitter, JsonNode *node)
{
	yaml_event_t event;

	switch (JSON_NODE_TYPE(node)) {
	case JSON_NODE_OBJECT: {
		JsonObject *object = json_node_get_object(node);
		g_autoptr(GList) members = json_object_get_members(object);

		yaml_mapping_start_event_initialize(&event, NULL, NULL, 1,
						    members == NULL ? YAML_FLOW_MAPPING_STYLE
								    : YAML_BLOCK_MAPPING_STYLE);
		if (!yaml_emitter_emit(emitter, &event))
			return FALSE;
		for (GList *l = members; l != NULL; l = l->next) {
			const gchar *key = l->data;
			if (!cclm_output_yaml_scalar(emitter, key,
						     cclm_output_yaml_needs_quotes(key)
							 ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
							 : YAML_ANY_SCALAR_STYLE))
				return FALSE;
			if (!cclm_output_yaml_node(emitter, json_object_get_member(object, key)))
				return FALSE;
		}
		yaml_mapping_end_event_initialize(&event);
		return yaml_emitter_emit(emitter, &event) != 0;
	}
	case JSON_NODE_ARRAY: {
		JsonArray *array = json_node_get_array(node);
		guint len = json_array_get_length(array);

		yaml_sequence_start_event_initialize(&event, NULL, NULL, 1,
						     len == 0 ? YAML_FLOW_SEQUENCE_STYLE
							      : YAML_BLOCK_SEQUENCE_STYLE);
		if (!yaml_emitter_emit(emitter, &event))
			return FALSE;
		for (guint i = 0; i < len; i++) {
			if (!cclm_output_yaml_node(emitter, json_array_get_element(array, i)))
				return FALSE;
		}
		yaml_sequence_end_event_initialize(&event);
		return yaml_emitter_emit(emitter, &event) != 0;
	}
	case JSON_NODE_NULL:
		return cclm_output_yaml_scalar(emitter, "null", YAML_PLAIN_SCALAR_STYLE);
	case JSON_NODE_VALUE:
	default:
		if (json_node_get_value_type(node) == G_TYPE_STRING) {
			const gchar *str = json_node_get_string(node);
			return cclm_output_yaml_scalar(emitter, str,
						       cclm_output_yaml_needs_quotes(str)
							   ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
							   : YAML_ANY_SCALAR_STYLE);
		} else {
			/* numbers and booleans print as JSON does, which YAML reads back alike */
			g_autofree gchar *str = json_to_string(node, FALSE);
			return cclm_output_yaml_scalar(emitter, str, YAML_PLAIN_SCALAR_STYLE);
		}
	}
}

static int
cclm_output_yaml_write_cb(void *data, unsigned char *buffer, size_t size)
{
	g_string_append_len((GString *)data, (const gchar *)buffer, (gssize)size);
	return 1;
}

gchar *
cclm_output_to_yaml(JsonNode *node, GError **error)
{
	yaml_emitter_t emitter;
	yaml_event_t event;
	g_autoptr(GString) out = g_string_new(NULL);
	gboolean ok;

	yaml_emitter_initialize(&emitter);
	yaml_emitter_set_output(&emitter, cclm_output_yaml_write_cb, out);
	yaml_emitter_set_unicode(&emitter, 1);
	yaml_emitter_set_width(&emitter, -1);
	yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
	ok = yaml_emitter_emit(&emitter, &event);
	if (ok) {
		yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1);
		ok = yaml_emitter_emit(&emitter, &event);
	}
	ok = ok && cclm_output_yaml_node(&emitter, node);
	if (ok) {
		yaml_document_end_event_initialize(&event, 1);
		ok = yaml_emitter_emit(&emitter, &event);
	}
	if (ok) {
		yaml_stream_end_event_initialize(&event);
		ok = yaml_emitter_emit(&emitter, &event);
	}
	if (!ok) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write YAML: %s",
			    emitter.problem != NULL ? emitter.problem : "unknown problem");
		yaml_emitter_delete(&emitter);
		return NULL;
	}
	yaml_emitter_delete(&emitter);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static JsonNode *
cclm_output_member(JsonNode *row, const gchar *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	JsonNode *node = row;

	for (guint i = 0; parts[i] != NULL; i++) {
		if (!JSON_NODE_HOLDS_OBJECT(node))
			return NULL;
		node = json_object_get_member(json_node_get_object(node), parts[i]);
		if (node == NULL)
			return NULL;
	}
	return node;
}

static gchar *
cclm_output_cell(JsonNode *node)
{
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return g_strdup("<none>");
	if (JSON_NODE_HOLDS_VALUE(node)) {
		gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

		if (json_node_get_value_type(node) == G_TYPE_STRING)
			return g_strdup(json_node_get_string(node));
		/* JSON keeps every digit of a double; a table shows what a person reads */
		if (json_node_get_value_type(node) == G_TYPE_DOUBLE)
			return g_strdup(g_ascii_formatd(buf, sizeof(buf), "%.15g",
							json_node_get_double(node)));
		return json_to_string(node, FALSE);
	}
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		g_autoptr(GString) str = g_string_new(NULL);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			g_autofree gchar *cell = cclm_output_cell(json_array_get_element(array, i));
			if (i > 0)
				g_string_append_c(str, ',');
			g_string_append(str, cell);
		}
		return g_string_free(g_steal_pointer(&str), FALSE);
	}
	return json_to_string(node, FALSE);
}

typedef struct {
	JsonNode *node;
	gchar *key;
} CclmOutputRow;

static void
cclm_output_row_free(CclmOutputRow *row)
{
	g_free(row->key);
	g_free(row);
}

static void
cclm_output_collect_rows(JsonNode *node, gchar **parts, const gchar *key, GPtrArray *rows)
{
	if (node == NULL)
		return;
	if (parts[0] == NULL) {
		CclmOutputRow *row = g_new0(CclmOutputRow, 1);
		row->node = node;
		row->key = g_strdup(key);
		g_ptr_array_add(rows, row);
		return;
	}
	if (g_strcmp0(parts[0], "*") == 0) {
		if (JSON_NODE_HOLDS_ARRAY(node)) {
			JsonArray *array = json_node_get_array(node);
			for (guint i = 0; i < json_array_get_length(array); i++)
				cclm_output_collect_rows(json_array_get_element(array, i),
							 parts + 1, key, rows);
		} else if (JSON_NODE_HOLDS_OBJECT(node)) {
			JsonObject *object = json_node_get_object(node);
			g_autoptr(GList) members = json_object_get_members(object);
			for (GList *l = members; l != NULL; l = l->next)
				cclm_output_collect_rows(json_object_get_member(object, l->data),
							 parts + 1, l->data, rows);
		}
		return;
	}
	if (JSON_NODE_HOLDS_OBJECT(node))
		cclm_output_collect_rows(json_object_get_member(json_node_get_object(node), parts[0]),
					 parts + 1, key, rows);
}

#define COLUMN(c) ((const CclmOutputColumn *)g_ptr_array_index(columns, (c)))

static void
cclm_output_render_table(GString *out, JsonNode *root, const CclmOutputTable *table)
{
	g_auto(GStrv) parts = table->rows[0] == '\0' ? g_new0(gchar *, 1)
						     : g_strsplit(table->rows, ".", -1);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_output_row_free);
	g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) columns = g_ptr_array_new();
	g_autofree gsize *widths = NULL;
	guint ncols;

	cclm_output_collect_rows(root, parts, NULL, rows);
	/* a column no row has a member for (e.g. check results when nothing was checked) is left
	 * out; a member that is JSON null still shows, as <none> */
	for (guint c = 0; table->columns[c].header != NULL; c++) {
		for (guint r = 0; r < rows->len; r++) {
			CclmOutputRow *row = g_ptr_array_index(rows, r);
			if (g_strcmp0(table->columns[c].member, "@key") == 0 ||
			    cclm_output_member(row->node, table->columns[c].member) != NULL) {
				g_ptr_array_add(columns, (gpointer)&table->columns[c]);
				break;
			}
		}
	}
	ncols = columns->len;
	widths = g_new0(gsize, ncols);
	for (guint c = 0; c < ncols; c++)
		widths[c] = g_utf8_strlen(COLUMN(c)->header, -1);
	for (guint r = 0; r < rows->len; r++) {
		CclmOutputRow *row = g_ptr_array_index(rows, r);
		for (guint c = 0; c < ncols; c++) {
			const gchar *member = COLUMN(c)->member;
			gchar *cell = g_strcmp0(member, "@key") == 0
					  ? g_strdup(row->key != NULL ? row->key : "")
					  : cclm_output_cell(cclm_output_member(row->node, member));
			widths[c] = MAX(widths[c], (gsize)g_utf8_strlen(cell, -1));
			g_ptr_array_add(cells, cell);
		}
	}
	if (table->title != NULL)
		g_string_append_printf(out, "%s\n", table->title);
	for (guint c = 0; c < ncols; c++) {
		const gchar *header = COLUMN(c)->header;
		g_string_append(out, header);
		if (c + 1 < ncols)
			g_string_append_printf(out, "%*s", (int)(widths[c] - strlen(header) + 3), "");
	}
	g_string_append_c(out, '\n');
	for (guint r = 0; r < rows->len; r++) {
		for (guint c = 0; c < ncols; c++) {
			const gchar *cell = g_ptr_array_index(cells, r * ncols + c);
			g_string_append(out, cell);
			if (c + 1 < ncols)
				g_string_append_printf(out, "%*s",
						       (int)(widths[c] - g_utf8_strlen(cell, -1) + 3), "");
		}
		g_string_append_c(out, '\n');
	}
}

gchar *
cclm_output_to_table(JsonNode *node, const CclmOutputTable *tables)
{
	g_autoptr(GString) out = g_string_new(NULL);

	for (guint i = 0; tables != NULL && tables[i].rows != NULL; i++) {
		if (i > 0)
			g_string_append_c(out, '\n');
		cclm_output_render_table(out, node, &tables[i]);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

void
cclm_output_print(JsonNode *node,
		  CclmOutputFormat format,
		  const CclmOutputTable *tables,
		  GError **error)
{
	g_autofree gchar *text = NULL;

	switch (format) {
	case CCLM_OUTPUT_JSON:
		text = json_to_string(node, TRUE);
		break;
	case CCLM_OUTPUT_YAML:
		text = cclm_output_to_yaml(node, error);
		break;
	case CCLM_OUTPUT_TABLE:
	default:
		/* a command without a table layout still has something to show */
		text = tables != NULL ? cclm_output_to_table(node, tables)
				      : cclm_output_to_yaml(node, error);
		break;
	}
	if (text == NULL)
		return;
	fputs(text, stdout);
	if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	fflush(stdout);
}
