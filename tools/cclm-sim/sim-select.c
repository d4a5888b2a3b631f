/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Label selectors as k8s.io/apimachinery/pkg/labels parses them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim-store.h"

typedef enum {
	SIM_OP_EXISTS,
	SIM_OP_NOT_EXISTS,
	SIM_OP_EQUALS,
	SIM_OP_NOT_EQUALS,
	SIM_OP_IN,
	SIM_OP_NOT_IN,
	SIM_OP_GT,
	SIM_OP_LT,
} SimOp;

typedef struct {
	char *key;
	SimOp op;
	char **values;
} SimRequirement;

struct _SimSelector {
	GPtrArray *reqs;
};

static void
sim_requirement_free(SimRequirement *req)
{
	g_free(req->key);
	g_strfreev(req->values);
	g_free(req);
}

void
sim_selector_free(SimSelector *sel)
{
	if (sel == NULL)
		return;
	g_ptr_array_unref(sel->reqs);
	g_free(sel);
}

/* Splits on commas outside parentheses. */
static GPtrArray *
sim_selector_split(const char *text)
{
	GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
	const char *start = text;
	int depth = 0;

	for (const char *p = text;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		if (*p == '\0' || (*p == ',' && depth == 0)) {
			g_ptr_array_add(parts, g_strstrip(g_strndup(start, p - start)));
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	return parts;
}

static gboolean
sim_label_key_valid(const char *key)
{
	if (*key == '\0')
		return FALSE;
	for (const char *p = key; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr("-_./", *p) == NULL)
			return FALSE;
	}
	return TRUE;
}

static SimRequirement *
sim_requirement_parse(const char *text, GError **error)
{
	g_autoptr(GRegex) set_re = NULL;
	g_autoptr(GMatchInfo) match = NULL;
	SimRequirement *req = g_new0(SimRequirement, 1);
	const char *op;

	set_re = g_regex_new("^([^\\s!=<>]+)\\s+(in|notin)\\s*\\((.*)\\)$", 0, 0, NULL);
	if (g_regex_match(set_re, text, 0, &match)) {
		g_autofree char *list = g_match_info_fetch(match, 3);
		g_autofree char *verb = g_match_info_fetch(match, 2);

		req->key = g_match_info_fetch(match, 1);
		req->op = g_str_equal(verb, "in") ? SIM_OP_IN : SIM_OP_NOT_IN;
		req->values = g_strsplit(list, ",", -1);
		for (guint i = 0; req->values[i] != NULL; i++)
			g_strstrip(req->values[i]);
	} else if (*text == '!') {
		req->key = g_strstrip(g_strdup(text + 1));
		req->op = SIM_OP_NOT_EXISTS;
	} else if ((op = strpbrk(text, "!=<>")) != NULL) {
		const char *value = op + 1;

		req->key = g_strstrip(g_strndup(text, op - text));
		if (op[0] == '!' && op[1] == '=') {
			req->op = SIM_OP_NOT_EQUALS;
			value = op + 2;
		} else if (op[0] == '=') {
			req->op = SIM_OP_EQUALS;
			if (op[1] == '=')
				value = op + 2;
		} else if (op[0] == '>') {
			req->op = SIM_OP_GT;
		} else if (op[0] == '<') {
			req->op = SIM_OP_LT;
		} else {
			req->op = SIM_OP_NOT_EXISTS; /* "!" inside a key */
			g_clear_pointer(&req->key, g_free);
		}
		req->values = g_new0(char *, 2);
		req->values[0] = g_strstrip(g_strdup(value));
	} else {
		req->key = g_strstrip(g_strdup(text));
		req->op = SIM_OP_EXISTS;
	}
	if (req->key == NULL || !sim_label_key_valid(req->key) ||
	    ((req->op == SIM_OP_GT || req->op == SIM_OP_LT) &&
	     !g_ascii_string_to_signed(req->values[0], 10, G_MININT64, G_MAXINT64, NULL, NULL))) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
			    "unable to parse requirement: %s", text);
		sim_requirement_free(req);
		return NULL;
	}
	return req;
}

SimSelector *
sim_selector_new_labels(const char *text, GError **error)
{
	g_autoptr(SimSelector) sel = g_new0(SimSelector, 1);
	g_autoptr(GPtrArray) parts = NULL;

	sel->reqs = g_ptr_array_new_with_free_func((GDestroyNotify)sim_requirement_free);
	if (text == NULL || *text == '\0')
		return g_steal_pointer(&sel);
	parts = sim_selector_split(text);
	for (guint i = 0; i < parts->len; i++) {
		const char *part = g_ptr_array_index(parts, i);
		SimRequirement *req;

		if (*part == '\0')
			continue;
		req = sim_requirement_parse(part, error);
		if (req == NULL)
			return NULL;
		g_ptr_array_add(sel->reqs, req);
	}
	return g_steal_pointer(&sel);
}

gboolean
sim_selector_matches_labels(const SimSelector *sel, JsonObject *labels)
{
	for (guint i = 0; sel != NULL && i < sel->reqs->len; i++) {
		SimRequirement *req = g_ptr_array_index(sel->reqs, i);
		const char *value = NULL;
		gboolean has;

		if (labels != NULL && json_object_has_member(labels, req->key))
			value = json_object_get_string_member_with_default(labels, req->key, "");
		has = value != NULL;
		switch (req->op) {
		case SIM_OP_EXISTS:
			if (!has)
				return FALSE;
			break;
		case SIM_OP_NOT_EXISTS:
			if (has)
				return FALSE;
			break;
		case SIM_OP_EQUALS:
			if (!has || strcmp(value, req->values[0]) != 0)
				return FALSE;
			break;
		case SIM_OP_NOT_EQUALS:
			if (has && strcmp(value, req->values[0]) == 0)
				return FALSE;
			break;
		case SIM_OP_IN:
			if (!has || !g_strv_contains((const char *const *)req->values, value))
				return FALSE;
			break;
		case SIM_OP_NOT_IN:
			if (has && g_strv_contains((const char *const *)req->values, value))
				return FALSE;
			break;
		case SIM_OP_GT:
		case SIM_OP_LT: {
			gint64 have, want = g_ascii_strtoll(req->values[0], NULL, 10);

			if (!has ||
			    !g_ascii_string_to_signed(value, 10, G_MININT64, G_MAXINT64, &have,
						      NULL) ||
			    (req->op == SIM_OP_GT ? have <= want : have >= want))
				return FALSE;
			break;
		}
		}
	}
	return TRUE;
}
