/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

typedef enum {
	CCLM_OUTPUT_TABLE,
	CCLM_OUTPUT_JSON,
	CCLM_OUTPUT_YAML,
} CclmOutputFormat;

/* A table column: its header and the member of a row object it shows, dots for nesting;
 * "@key" is the object member name the last "*" of the rows path matched. */
typedef struct {
	const gchar *header;
	const gchar *member;
} CclmOutputColumn;

/* A table: rows are found at a dotted path from the result's root, where "*" stands for every
 * element of an array or every member of an object; "" is the root itself. */
typedef struct {
	const gchar *title;
	const gchar *rows;
	const CclmOutputColumn *columns; /* ends with {NULL, NULL} */
} CclmOutputTable;

gboolean
cclm_output_format_from_string(const gchar *str, CclmOutputFormat *format);
void
cclm_output_print(JsonNode *node,
		  CclmOutputFormat format,
		  const CclmOutputTable *tables,
		  GError **error);
gchar *
cclm_output_to_yaml(JsonNode *node, GError **error);
gchar *
cclm_output_to_table(JsonNode *node, const CclmOutputTable *tables);
