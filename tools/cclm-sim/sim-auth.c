/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-auth.h"
#include "sim-fleet.h"
#include "sim-store.h"

typedef struct {
	char **verbs;	  /* NULL or "*" = all */
	char **resources; /* "pods", "pods/status", "virtualmachines.kubevirt.io", "*" */
} SimRule;

struct _SimUser {
	char *token;
	char *name;
	gboolean admin;
	gboolean kubeconfig;
	char **clusters; /* NULL = every cluster */
	GPtrArray *rules; /* NULL = everything */
};

struct _SimAuth {
	GPtrArray *users;
	GHashTable *by_token;
};

static void
sim_rule_free(SimRule *rule)
{
	g_strfreev(rule->verbs);
	g_strfreev(rule->resources);
	g_free(rule);
}

static void
sim_user_free(SimUser *user)
{
	g_free(user->token);
	g_free(user->name);
	g_strfreev(user->clusters);
	if (user->rules != NULL)
		g_ptr_array_unref(user->rules);
	g_free(user);
}

SimAuth *
sim_auth_new(void)
{
	SimAuth *auth = g_new0(SimAuth, 1);

	auth->users = g_ptr_array_new_with_free_func((GDestroyNotify)sim_user_free);
	auth->by_token = g_hash_table_new(g_str_hash, g_str_equal);
	return auth;
}

void
sim_auth_free(SimAuth *auth)
{
	if (auth == NULL)
		return;
	g_hash_table_unref(auth->by_token);
	g_ptr_array_unref(auth->users);
	g_free(auth);
}

static void
sim_auth_add(SimAuth *auth, SimUser *user)
{
	g_ptr_array_add(auth->users, user);
	g_hash_table_replace(auth->by_token, user->token, user);
}

void
sim_auth_add_admin(SimAuth *auth, const char *token)
{
	SimUser *user = g_new0(SimUser, 1);

	user->token = g_strdup(token);
	user->name = g_strdup("admin");
	user->admin = TRUE;
	user->kubeconfig = TRUE;
	sim_auth_add(auth, user);
}

/* A list of strings at `member`, NULL when absent; FALSE on a type error. */
static gboolean
sim_auth_strv(JsonObject *obj, const char *member, char ***out, const char *where, GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);
	GPtrArray *arr;

	*out = NULL;
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s%s: not a list", where, member);
		return FALSE;
	}
	arr = g_ptr_array_new();
	for (guint i = 0; i < json_array_get_length(json_node_get_array(node)); i++) {
		JsonNode *el = json_array_get_element(json_node_get_array(node), i);

		if (!JSON_NODE_HOLDS_VALUE(el) || json_node_get_value_type(el) != G_TYPE_STRING) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s%s[%u]: not a string",
				    where, member, i);
			g_ptr_array_free(arr, TRUE);
			return FALSE;
		}
		g_ptr_array_add(arr, g_strdup(json_node_get_string(el)));
	}
	g_ptr_array_add(arr, NULL);
	*out = (char **)g_ptr_array_free(arr, FALSE);
	return TRUE;
}

static SimUser *
sim_auth_parse_user(JsonNode *node, const char *where, GError **error)
{
	SimUser *user = g_new0(SimUser, 1);
	JsonObject *obj;
	JsonNode *rules;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%snot a mapping", where);
		goto fail;
	}
	obj = json_node_get_object(node);
	if (sim_json_get_string(obj, "token") == NULL || *sim_json_get_string(obj, "token") == '\0') {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%stoken: required string missing",
			    where);
		goto fail;
	}
	user->token = g_strdup(sim_json_get_string(obj, "token"));
	user->name = g_strdup(sim_json_get_string(obj, "user") != NULL
				  ? sim_json_get_string(obj, "user")
				  : "user");
	user->admin = json_object_get_boolean_member_with_default(obj, "admin", FALSE);
	user->kubeconfig = json_object_get_boolean_member_with_default(obj, "kubeconfig", FALSE);
	if (!sim_auth_strv(obj, "clusters", &user->clusters, where, error))
		goto fail;
	rules = json_object_get_member(obj, "rules");
	if (rules != NULL && !JSON_NODE_HOLDS_NULL(rules)) {
		if (!JSON_NODE_HOLDS_ARRAY(rules)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%srules: not a list", where);
			goto fail;
		}
		user->rules = g_ptr_array_new_with_free_func((GDestroyNotify)sim_rule_free);
		for (guint i = 0; i < json_array_get_length(json_node_get_array(rules)); i++) {
			JsonObject *r = json_array_get_object_element(json_node_get_array(rules), i);
			g_autofree char *rwhere = g_strdup_printf("%srules[%u].", where, i);
			SimRule *rule = g_new0(SimRule, 1);

			g_ptr_array_add(user->rules, rule);
			if (r == NULL) {
				g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s: not a mapping",
					    rwhere);
				goto fail;
			}
			if (!sim_auth_strv(r, "verbs", &rule->verbs, rwhere, error) ||
			    !sim_auth_strv(r, "resources", &rule->resources, rwhere, error))
				goto fail;
		}
	}
	return user;
fail:
	sim_user_free(user);
	return NULL;
}

gboolean
sim_auth_load(SimAuth *auth, const char *path, GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	g_autoptr(GError) local = NULL;
	JsonNode *tokens;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, &local)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "tokens file \"%s\": %s", path,
			    local->message);
		return FALSE;
	}
	docs = sim_yaml_parse(data, len, path, error);
	if (docs == NULL)
		return FALSE;
	if (docs->len != 1 || !JSON_NODE_HOLDS_OBJECT(g_ptr_array_index(docs, 0)) ||
	    (tokens = json_object_get_member(json_node_get_object(g_ptr_array_index(docs, 0)),
					     "tokens")) == NULL ||
	    !JSON_NODE_HOLDS_ARRAY(tokens)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
			    "tokens file \"%s\": tokens: a list is required", path);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(json_node_get_array(tokens)); i++) {
		g_autofree char *where = g_strdup_printf("tokens file \"%s\": tokens[%u].", path, i);
		SimUser *user = sim_auth_parse_user(
		    json_array_get_element(json_node_get_array(tokens), i), where, error);

		if (user == NULL)
			return FALSE;
		sim_auth_add(auth, user);
	}
	return TRUE;
}

const char *
sim_auth_get_kubeconfig_token(SimAuth *auth)
{
	SimUser *fallback = NULL;

	for (guint i = 0; i < auth->users->len; i++) {
		SimUser *user = g_ptr_array_index(auth->users, i);

		if (user->kubeconfig)
			return user->token;
		if (fallback == NULL && user->admin)
			fallback = user;
	}
	if (fallback == NULL) {
		g_autofree char *uuid = g_uuid_string_random();
		g_autofree char *token = g_strdup_printf("sim-%s", uuid);

		sim_auth_add_admin(auth, token);
		fallback = g_ptr_array_index(auth->users, auth->users->len - 1);
	}
	return fallback->token;
}

const SimUser *
sim_auth_lookup(SimAuth *auth, const char *token)
{
	return token != NULL ? g_hash_table_lookup(auth->by_token, token) : NULL;
}

const char *
sim_user_get_name(const SimUser *user)
{
	return user->name;
}

gboolean
sim_user_is_admin(const SimUser *user)
{
	return user->admin;
}

static gboolean
sim_strv_matches(char **list, const char *value, const char *alt)
{
	if (list == NULL)
		return TRUE;
	for (guint i = 0; list[i] != NULL; i++) {
		if (g_str_equal(list[i], "*") || g_str_equal(list[i], value) ||
		    (alt != NULL && g_str_equal(list[i], alt)))
			return TRUE;
	}
	return FALSE;
}

gboolean
sim_user_allows(const SimUser *user,
		const char *cluster,
		const char *verb,
		const char *group,
		const char *resource)
{
	g_autofree char *qualified = NULL;

	if (user->admin)
		return TRUE;
	if (!sim_strv_matches(user->clusters, cluster, NULL))
		return FALSE;
	if (user->rules == NULL)
		return TRUE;
	if (*group != '\0') {
		const char *slash = strchr(resource, '/');

		qualified = slash != NULL
				? g_strdup_printf("%.*s.%s%s", (int)(slash - resource), resource,
						  group, slash)
				: g_strdup_printf("%s.%s", resource, group);
	}
	for (guint i = 0; i < user->rules->len; i++) {
		SimRule *rule = g_ptr_array_index(user->rules, i);

		if (sim_strv_matches(rule->verbs, verb, NULL) &&
		    sim_strv_matches(rule->resources, resource, qualified))
			return TRUE;
	}
	return FALSE;
}
