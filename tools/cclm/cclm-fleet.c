/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-fleet.h"
#include "cclm-progress.h"

typedef struct {
	guint pending;
	guint done;
	CclmProgress *progress;
} CclmFleetLoad;

static void
cclm_fleet_member_free(CclmFleetMember *member)
{
	g_free(member->context);
	g_clear_object(&member->inventory);
	g_clear_error(&member->error);
	g_free(member);
}

static void
cclm_fleet_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CclmFleetMember *member = user_data;
	CclmFleetLoad *load = g_object_get_data(source, "cclm-fleet-load");

	member->inventory =
	    cclm_cluster_load_inventory_finish(CCLM_CLUSTER(source), res, &member->error);
	load->pending--;
	cclm_progress_update(load->progress, ++load->done, member->context);
}

GPtrArray *
cclm_fleet_load(CclmKubeconfig *kubeconfig, const gchar *const *contexts, gboolean progress)
{
	g_auto(GStrv) all = NULL;
	GPtrArray *fleet = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_fleet_member_free);
	g_autoptr(GPtrArray) clusters = g_ptr_array_new_with_free_func(g_object_unref);
	CclmFleetLoad load = {0};

	if (contexts == NULL) {
		all = cclm_kubeconfig_get_contexts(kubeconfig);
		contexts = (const gchar *const *)all;
	}
	load.progress = cclm_progress_new(progress, "loading clusters", g_strv_length((GStrv)contexts));
	for (guint i = 0; contexts[i] != NULL; i++) {
		CclmFleetMember *member = g_new0(CclmFleetMember, 1);
		CclmCluster *cluster;

		member->context = g_strdup(contexts[i]);
		g_ptr_array_add(fleet, member);
		cluster = cclm_cluster_new(kubeconfig, contexts[i], &member->error);
		if (cluster == NULL) {
			cclm_progress_update(load.progress, ++load.done, member->context);
			continue;
		}
		g_ptr_array_add(clusters, cluster);
		g_object_set_data(G_OBJECT(cluster), "cclm-fleet-load", &load);
		load.pending++;
		cclm_cluster_load_inventory_async(cluster, FALSE, NULL, cclm_fleet_loaded_cb, member);
	}
	while (load.pending > 0)
		g_main_context_iteration(NULL, TRUE);
	cclm_progress_free(load.progress);
	return fleet;
}

CclmFleetMember *
cclm_fleet_find(GPtrArray *fleet, const gchar *context)
{
	for (guint i = 0; i < fleet->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(fleet, i);

		if (g_strcmp0(member->context, context) == 0)
			return member;
	}
	return NULL;
}

JsonNode *
cclm_fleet_error_to_json(const GError *error)
{
	g_autoptr(JsonObject) object = json_object_new();
	g_autoptr(GEnumClass) codes = g_type_class_ref(CCLM_TYPE_ERROR);
	GEnumValue *code = error->domain == CCLM_ERROR ? g_enum_get_value(codes, error->code) : NULL;

	json_object_set_string_member(object, "domain", g_quark_to_string(error->domain));
	if (code != NULL)
		json_object_set_string_member(object, "code", code->value_nick);
	else
		json_object_set_int_member(object, "code", error->code);
	json_object_set_string_member(object, "message", error->message);
	return json_node_init_object(json_node_alloc(), object);
}

gboolean
cclm_fleet_check_context(CclmKubeconfig *kubeconfig,
			 const gchar *option,
			 const gchar *context,
			 GError **error)
{
	g_auto(GStrv) contexts = cclm_kubeconfig_get_contexts(kubeconfig);

	if (context == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT, "%s is required", option);
		return FALSE;
	}
	if (!g_strv_contains((const gchar *const *)contexts, context)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s %s: the kubeconfig has no such context", option, context);
		return FALSE;
	}
	return TRUE;
}
