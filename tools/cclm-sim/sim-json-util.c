/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sim-json-util.h"

#include <stdlib.h>
#include <errno.h>
#include <string.h>

JsonObject *
sim_json_object(JsonObject *o, const gchar *member)
{
	JsonNode *n;

	if (o == NULL)
		return NULL;
	n = json_object_get_member(o, member);
	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

JsonArray *
sim_json_array(JsonObject *o, const gchar *member)
{
	JsonNode *n;

	if (o == NULL)
		return NULL;
	n = json_object_get_member(o, member);
	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

const gchar *
sim_json_string(JsonObject *o, const gchar *member)
{
	JsonNode *n;

	if (o == NULL)
		return NULL;
	n = json_object_get_member(o, member);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

JsonObject *
sim_json_path_object(JsonObject *o, ...)
{
	va_list ap;
	const gchar *m;

	va_start(ap, o);
	while (o != NULL && (m = va_arg(ap, const gchar *)) != NULL)
		o = sim_json_object(o, m);
	va_end(ap);
	return o;
}

gint64
sim_json_int(JsonObject *o, const gchar *member, gint64 fallback)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return fallback;
	switch (json_node_get_value_type(n)) {
	case G_TYPE_INT64:
		return json_node_get_int(n);
	case G_TYPE_DOUBLE:
		return (gint64)json_node_get_double(n);
	default:
		return fallback;
	}
}

gboolean
sim_json_bool(JsonObject *o, const gchar *member, gboolean fallback)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN)
		return fallback;
	return json_node_get_boolean(n);
}

JsonObject *
sim_json_ensure(JsonObject *o, ...)
{
	va_list ap;
	const gchar *m;

	va_start(ap, o);
	while ((m = va_arg(ap, const gchar *)) != NULL) {
		JsonObject *child = sim_json_object(o, m);

		if (child == NULL) {
			child = json_object_new();
			json_object_set_object_member(o, m, child);
		}
		o = child;
	}
	va_end(ap);
	return o;
}

JsonArray *
sim_json_ensure_array(JsonObject *o, const gchar *member)
{
	JsonArray *a = sim_json_array(o, member);

	if (a == NULL) {
		a = json_array_new();
		json_object_set_array_member(o, member, a);
	}
	return a;
}

/* go-yaml v2 resolve(): would a plain scalar read back as something other than a string? */
static gboolean
sim_yaml_resolves_to_non_string(const gchar *s)
{
	static const gchar *const words[] = {
	    "y",     "Y",	"yes",	 "Yes",	  "YES",  "n",	   "N",	   "no",  "No",	  "NO",
	    "true",  "True",	"TRUE",	 "false", "False", "FALSE", "on",  "On",  "ON",	  "off",
	    "Off",   "OFF",	"~",	 "null",  "Null", "NULL",  ".inf", ".Inf", ".INF", "-.inf",
	    "-.Inf", "-.INF", "+.inf", ".nan",  ".NaN", ".NAN", "<<",
	};
	gchar *end = NULL;
	const gchar *p;

	/* every word is at most 6 bytes and starts with one of these */
	if (strchr("yYnNtTfFoO~.-+<", s[0]) != NULL && strlen(s) <= 6) {
		for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
			if (strcmp(s, words[i]) == 0)
				return TRUE;
		}
	}
	p = s;
	if (*p == '+' || *p == '-' || *p == '.' || g_ascii_isdigit(*p)) {
		g_autofree gchar *plain = NULL;
		GString *g = g_string_new(NULL);

		for (const gchar *q = s; *q; q++) {
			if (*q != '_')
				g_string_append_c(g, *q);
		}
		plain = g_string_free(g, FALSE);
		errno = 0;
		(void)g_ascii_strtoll(plain, &end, 0);
		if (end != plain && *end == '\0')
			return TRUE;
		(void)g_ascii_strtod(plain, &end);
		if (end != plain && *end == '\0' && strpbrk(plain, "xXnN") == NULL)
			return TRUE;
		if (g_str_has_prefix(plain, "0b") || g_str_has_prefix(plain, "-0b"))
			return TRUE;
		/* timestamps and base-60 numbers */
		if (strlen(s) >= 8 && g_ascii_isdigit(s[0]) && g_ascii_isdigit(s[1]) &&
		    g_ascii_isdigit(s[2]) && g_ascii_isdigit(s[3]) && s[4] == '-')
			return TRUE;
		if (strchr(s, ':') != NULL && strspn(s, "+-0123456789_:.") == strlen(s))
			return TRUE;
	}
	return FALSE;
}

/* libyaml's analyzer, reduced to what decides between plain and quoted in block context. */
static gboolean
sim_yaml_plain_allowed(const gchar *s)
{
	gsize len = strlen(s);

	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == ':')
		return FALSE;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) != NULL) {
		/* "-x" and "?x" and ":x" are plain when followed by a non-space */
		if (!(strchr("-?:", s[0]) != NULL && len > 1 && s[1] != ' '))
			return FALSE;
	}
	if (strstr(s, ": ") != NULL || strstr(s, " #") != NULL)
		return FALSE;
	for (const gchar *p = s; *p; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f)
			return FALSE;
	}
	return TRUE;
}

/* go-yaml prints multi-line strings as literal blocks when libyaml allows it */
static gboolean
sim_yaml_literal_allowed(const gchar *s)
{
	if (strchr(s, '\n') == NULL || s[0] == ' ')
		return FALSE;
	for (const gchar *p = s; *p; p++) {
		if (((guchar)*p < 0x20 && *p != '\n') || *p == 0x7f)
			return FALSE;
		if (*p == ' ' && (p[1] == '\n' || p[1] == '\0'))
			return FALSE; /* trailing spaces would be lost */
	}
	return TRUE;
}

static void
sim_yaml_append_literal(GString *out, const gchar *s, guint indent)
{
	gsize len = strlen(s);
	gsize end = len;
	g_auto(GStrv) lines = NULL;

	while (end > 0 && s[end - 1] == '\n')
		end--;
	/* chomping: clip one final line break, strip none, keep several */
	g_string_append(out, len - end == 1 ? "|" : len == end ? "|-" : "|+");
	lines = g_strsplit(s, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		/* the piece after the last line break is not a line */
		if (lines[i + 1] == NULL && *lines[i] == '\0')
			break;
		g_string_append_c(out, '\n');
		if (*lines[i] != '\0') {
			for (guint k = 0; k < indent; k++)
				g_string_append_c(out, ' ');
			g_string_append(out, lines[i]);
		}
	}
}

static void
sim_yaml_append_string(GString *out, const gchar *s, gint indent)
{
	if (indent >= 0 && sim_yaml_literal_allowed(s)) {
		sim_yaml_append_literal(out, s, (guint)indent);
	} else if (*s == '\0' || sim_yaml_resolves_to_non_string(s)) {
		g_string_append_c(out, '"');
		for (const gchar *p = s; *p; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_c(out, '\\');
			g_string_append_c(out, *p);
		}
		g_string_append_c(out, '"');
	} else if (sim_yaml_plain_allowed(s)) {
		g_string_append(out, s);
	} else if (strchr(s, '\n') != NULL) {
		gchar *esc = g_strescape(s, NULL);

		g_string_append_printf(out, "\"%s\"", esc);
		g_free(esc);
	} else {
		g_string_append_c(out, '\'');
		for (const gchar *p = s; *p; p++) {
			if (*p == '\'')
				g_string_append_c(out, '\'');
			g_string_append_c(out, *p);
		}
		g_string_append_c(out, '\'');
	}
}

/* @indent: where a literal block's lines start (-1: keys, never a block) */
static void
sim_yaml_append_scalar(GString *out, JsonNode *node, gint indent)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (JSON_NODE_HOLDS_NULL(node)) {
		g_string_append(out, "null");
		return;
	}
	switch (json_node_get_value_type(node)) {
	case G_TYPE_STRING:
		sim_yaml_append_string(out, json_node_get_string(node), indent);
		break;
	case G_TYPE_INT64:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(node));
		break;
	case G_TYPE_BOOLEAN:
		g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
		break;
	default:
		g_string_append(out, g_ascii_dtostr(buf, sizeof(buf), json_node_get_double(node)));
		break;
	}
}

static gint
sim_yaml_key_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar **)a, *(const gchar **)b);
}

static void
sim_yaml_indent(GString *out, guint indent)
{
	for (guint i = 0; i < indent; i++)
		g_string_append_c(out, ' ');
}

static gboolean
sim_yaml_is_empty_collection(JsonNode *n, const gchar **text)
{
	if (JSON_NODE_HOLDS_OBJECT(n) && json_object_get_size(json_node_get_object(n)) == 0) {
		*text = "{}";
		return TRUE;
	}
	if (JSON_NODE_HOLDS_ARRAY(n) && json_array_get_length(json_node_get_array(n)) == 0) {
		*text = "[]";
		return TRUE;
	}
	return FALSE;
}

static void sim_yaml_append_block(GString *out, JsonNode *node, guint indent, gboolean in_seq);

/* Writes the mapping's entries; the first one continues the current line when @in_seq. */
static void
sim_yaml_append_mapping(GString *out, JsonObject *o, guint indent, gboolean in_seq)
{
	GList *members = json_object_get_members(o);
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	gboolean first = TRUE;

	for (GList *l = members; l != NULL; l = l->next)
		g_ptr_array_add(keys, l->data);
	g_list_free(members);
	g_ptr_array_sort(keys, sim_yaml_key_cmp);
	for (guint i = 0; i < keys->len; i++) {
		const gchar *key = keys->pdata[i];
		JsonNode *v = json_object_get_member(o, key);
		const gchar *empty;

		if (!(first && in_seq))
			sim_yaml_indent(out, indent);
		first = FALSE;
		sim_yaml_append_string(out, key, -1);
		g_string_append_c(out, ':');
		if (sim_yaml_is_empty_collection(v, &empty)) {
			g_string_append_printf(out, " %s\n", empty);
		} else if (JSON_NODE_HOLDS_OBJECT(v)) {
			g_string_append_c(out, '\n');
			sim_yaml_append_mapping(out, json_node_get_object(v), indent + 2, FALSE);
		} else if (JSON_NODE_HOLDS_ARRAY(v)) {
			g_string_append_c(out, '\n');
			sim_yaml_append_block(out, v, indent, FALSE);
		} else {
			g_string_append_c(out, ' ');
			sim_yaml_append_scalar(out, v, (gint)indent + 2);
			g_string_append_c(out, '\n');
		}
	}
}

static void
sim_yaml_append_block(GString *out, JsonNode *node, guint indent, gboolean in_seq)
{
	const gchar *empty;

	if (sim_yaml_is_empty_collection(node, &empty)) {
		g_string_append_printf(out, "%s\n", empty);
	} else if (JSON_NODE_HOLDS_OBJECT(node)) {
		sim_yaml_append_mapping(out, json_node_get_object(node), indent, in_seq);
	} else if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *a = json_node_get_array(node);

		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *e = json_array_get_element(a, i);

			if (!(i == 0 && in_seq))
				sim_yaml_indent(out, indent);
			g_string_append(out, "- ");
			if (JSON_NODE_HOLDS_OBJECT(e) || JSON_NODE_HOLDS_ARRAY(e))
				sim_yaml_append_block(out, e, indent + 2, TRUE);
			else {
				sim_yaml_append_scalar(out, e, (gint)indent + 2);
				g_string_append_c(out, '\n');
			}
		}
	} else {
		sim_yaml_append_scalar(out, node, (gint)indent + 2);
		g_string_append_c(out, '\n');
	}
}

void
sim_yaml_append(GString *out, JsonNode *node)
{
	sim_yaml_append_block(out, node, 0, FALSE);
}
