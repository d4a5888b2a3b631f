/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cmd.h"
#include "cclm-progress.h"

typedef struct {
	JsonObject *entry; /* borrowed from the result */
	CclmCluster *cluster;
} CclmClustersCheck;

typedef struct {
	GPtrArray *checks;
	guint pending;
	guint unreachable;
	CclmProgress *progress;
} CclmClustersRun;

static void
cclm_clusters_check_free(CclmClustersCheck *check)
{
	g_clear_object(&check->cluster);
	g_free(check);
}

static void
cclm_clusters_set_nullable(JsonObject *object, const gchar *member, const gchar *value)
{
	if (value != NULL)
		json_object_set_string_member(object, member, value);
	else
		json_object_set_null_member(object, member);
}

static void
cclm_clusters_record(CclmClustersRun *run, CclmClustersCheck *check, const GError *error)
{
	JsonObject *entry = check->entry;

	json_object_set_boolean_member(entry, "reachable", error == NULL);
	cclm_clusters_set_nullable(entry, "server-version",
				   error == NULL ? cclm_cluster_get_server_version(check->cluster)
						 : NULL);
	cclm_clusters_set_nullable(entry, "kubevirt-version",
				   error == NULL ? cclm_cluster_get_kubevirt_version(check->cluster)
						 : NULL);
	cclm_clusters_set_nullable(entry, "error", error != NULL ? error->message : NULL);
	if (error != NULL)
		run->unreachable++;
	run->pending--;
	cclm_progress_update(run->progress, run->checks->len - run->pending,
			     json_object_get_string_member(entry, "context"));
}

static void
cclm_clusters_connect_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CclmClustersCheck *check = user_data;
	CclmClustersRun *run = g_object_get_data(source, "cclm-run");
	g_autoptr(GError) error = NULL;

	cclm_cluster_connect_finish(CCLM_CLUSTER(source), res, &error);
	cclm_clusters_record(run, check, error);
}

/* Connects to every listed cluster at once and waits for all of them. */
static void
cclm_clusters_check_all(CclmKubeconfig *kubeconfig, JsonArray *entries, CclmClustersRun *run)
{
	for (guint i = 0; i < json_array_get_length(entries); i++) {
		JsonObject *entry = json_array_get_object_element(entries, i);
		CclmClustersCheck *check = g_new0(CclmClustersCheck, 1);
		g_autoptr(GError) error = NULL;

		check->entry = entry;
		g_ptr_array_add(run->checks, check);
		run->pending++;
		check->cluster = cclm_cluster_new(
		    kubeconfig, json_object_get_string_member(entry, "context"), &error);
		if (check->cluster == NULL) {
			cclm_clusters_record(run, check, error);
			continue;
		}
		g_object_set_data(G_OBJECT(check->cluster), "cclm-run", run);
		cclm_cluster_connect_async(check->cluster, NULL, cclm_clusters_connect_cb, check);
	}
	while (run->pending > 0)
		g_main_context_iteration(NULL, TRUE);
}

static JsonNode *
cclm_cmd_clusters_run(const CclmCmdGlobals *globals,
		      gint argc,
		      gchar **argv,
		      gint *exit_status,
		      GError **error)
{
	gboolean check = FALSE;
	const GOptionEntry entries[] = {
	    {"check", 0, 0, G_OPTION_ARG_NONE, &check,
	     "Connect to each cluster and report its versions", NULL},
	    {NULL},
	};
	g_autoptr(GOptionContext) option_context = g_option_context_new(NULL);
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;
	g_auto(GStrv) contexts = NULL;
	g_autoptr(JsonObject) result = json_object_new();
	JsonArray *entries_array = json_array_new();
	const gchar *current;

	json_object_set_array_member(result, "clusters", entries_array);
	g_option_context_add_main_entries(option_context, entries, NULL);
	if (!cclm_cmd_parse_options(option_context, &argc, &argv, error))
		return NULL;
	if (argc > 1) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "unexpected argument \"%s\"", argv[1]);
		return NULL;
	}
	kubeconfig = cclm_kubeconfig_load(globals->kubeconfig, error);
	if (kubeconfig == NULL)
		return NULL;
	current = cclm_kubeconfig_get_current_context(kubeconfig);
	cclm_clusters_set_nullable(result, "current-context", current);
	contexts = cclm_kubeconfig_get_contexts(kubeconfig);
	if (globals->context != NULL && !g_strv_contains((const gchar *const *)contexts,
							 globals->context)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "--context %s: the kubeconfig has no such context", globals->context);
		return NULL;
	}
	for (guint i = 0; contexts[i] != NULL; i++) {
		const gchar *context = contexts[i];
		const gchar *cluster = cclm_kubeconfig_get_context_cluster(kubeconfig, context);
		JsonObject *entry;

		if (globals->context != NULL && g_strcmp0(globals->context, context) != 0)
			continue;
		entry = json_object_new();
		json_object_set_string_member(entry, "context", context);
		cclm_clusters_set_nullable(entry, "cluster", cluster);
		cclm_clusters_set_nullable(
		    entry, "server",
		    cluster != NULL ? cclm_kubeconfig_get_cluster_server(kubeconfig, cluster) : NULL);
		cclm_clusters_set_nullable(entry, "namespace",
					   cclm_kubeconfig_get_context_namespace(kubeconfig, context));
		cclm_clusters_set_nullable(entry, "user",
					   cclm_kubeconfig_get_context_user(kubeconfig, context));
		json_array_add_object_element(entries_array, entry);
	}
	if (check) {
		CclmClustersRun run = {0};
		run.checks = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_clusters_check_free);
		run.progress = cclm_progress_new(globals->progress, "checking clusters",
						 json_array_get_length(entries_array));
		cclm_clusters_check_all(kubeconfig, entries_array, &run);
		cclm_progress_free(run.progress);
		g_ptr_array_unref(run.checks);
		*exit_status = run.unreachable > 0 ? 1 : 0;
	}
	return json_node_init_object(json_node_alloc(), result);
}

static const CclmOutputColumn cclm_clusters_columns[] = {
    {"CONTEXT", "context"},
    {"CLUSTER", "cluster"},
    {"SERVER", "server"},
    {"NAMESPACE", "namespace"},
    {"USER", "user"},
    {"REACHABLE", "reachable"},
    {"VERSION", "server-version"},
    {"KUBEVIRT", "kubevirt-version"},
    {"ERROR", "error"},
    {NULL, NULL},
};

static const CclmOutputTable cclm_clusters_tables[] = {
    {NULL, "clusters.*", cclm_clusters_columns},
    {NULL, NULL, NULL},
};

const CclmCmd cclm_cmd_clusters = {
    "clusters",
    "[--check]",
    "List the kubeconfig's contexts; --check connects to each (exit 1 if any is unreachable)",
    cclm_cmd_clusters_run,
    cclm_clusters_tables,
};
