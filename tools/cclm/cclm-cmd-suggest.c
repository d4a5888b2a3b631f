/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cmd.h"

/* FILE: one NAMESPACE/VM per line; blank lines and "#" comments are skipped. */
static GStrv
cclm_suggest_read_batch(const gchar *file, GError **error)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) read_error = NULL;

	if (!g_file_get_contents(file, &contents, NULL, &read_error)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT, "--batch: %s",
			    read_error->message);
		return NULL;
	}
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);

		if (line[0] != '\0' && line[0] != '#')
			g_ptr_array_add(vms, g_strdup(line));
	}
	if (vms->len == 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "--batch %s: no NAMESPACE/VM in the file", file);
		return NULL;
	}
	g_ptr_array_add(vms, NULL);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&vms), FALSE);
}

static JsonNode *
cclm_cmd_suggest_run(const CclmCmdGlobals *globals,
		     gint argc,
		     gchar **argv,
		     gint *exit_status,
		     GError **error)
{
	g_autofree gchar *from = NULL;
	g_autofree gchar *batch = NULL;
	g_auto(GStrv) storage_map = NULL;
	g_auto(GStrv) vms = NULL;
	const GOptionEntry entries[] = {
	    {"from", 0, 0, G_OPTION_ARG_STRING, &from, "The context the VMs are on", "CLUSTER"},
	    {"batch", 0, 0, G_OPTION_ARG_FILENAME, &batch,
	     "Judge the VMs listed in FILE (one NAMESPACE/VM per line) together", "FILE"},
	    {"storage-map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &storage_map,
	     "Map a StorageClass of the source to one of the targets (repeatable)",
	     "SRCCLASS=DSTCLASS"},
	    {NULL},
	};
	g_autoptr(GOptionContext) option_context = g_option_context_new("[NAMESPACE/VM]");
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;
	g_autoptr(CclmFleet) fleet = NULL;
	g_autoptr(GPtrArray) candidates = NULL;
	g_autoptr(JsonObject) result = json_object_new();
	JsonArray *vms_array = json_array_new();
	JsonArray *candidates_array = json_array_new();

	g_option_context_add_main_entries(option_context, entries, NULL);
	if (!cclm_cmd_parse_options(option_context, &argc, &argv, error))
		return NULL;
	if ((batch == NULL) == (argc != 2) || argc > 2) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "suggest takes one NAMESPACE/VM or --batch FILE");
		return NULL;
	}
	vms = batch != NULL ? cclm_suggest_read_batch(batch, error) : g_strdupv(argv + 1);
	if (vms == NULL)
		return NULL;
	kubeconfig = cclm_kubeconfig_load(globals->kubeconfig, error);
	if (kubeconfig == NULL || !cclm_cmd_check_context(kubeconfig, "--from", from, error))
		return NULL;
	fleet = cclm_cmd_fleet_new(kubeconfig, globals, NULL);
	candidates = cclm_fleet_suggest_sync(fleet, from, (const gchar *const *)vms,
					     (const gchar *const *)storage_map, NULL, error);
	if (candidates == NULL)
		return NULL;
	json_object_set_string_member(result, "schema", CCLM_SUGGEST_SCHEMA);
	json_object_set_string_member(result, "source", from);
	for (guint i = 0; vms[i] != NULL; i++)
		json_array_add_string_element(vms_array, vms[i]);
	json_object_set_array_member(result, "vms", vms_array);
	*exit_status = 1;
	for (guint i = 0; i < candidates->len; i++) {
		CclmCandidate *candidate = g_ptr_array_index(candidates, i);

		if (cclm_candidate_get_fits(candidate))
			*exit_status = 0;
		json_array_add_element(candidates_array, cclm_candidate_to_json(candidate));
	}
	json_object_set_array_member(result, "candidates", candidates_array);
	return json_node_init_object(json_node_alloc(), result);
}

static const CclmOutputColumn cclm_suggest_columns[] = {
    {"CLUSTER", "cluster"},
    {"FITS", "fits"},
    {"SCORE", "score"},
    {"EXPLANATION", "explanation"},
    {NULL, NULL},
};

static const CclmOutputTable cclm_suggest_tables[] = {
    {NULL, "candidates.*", cclm_suggest_columns},
    {NULL, NULL, NULL},
};

const CclmCmd cclm_cmd_suggest = {
    "suggest",
    "NAMESPACE/VM --from CLUSTER | --batch FILE --from CLUSTER",
    "Rank the other clusters of the kubeconfig for a VM or a batch (exit 0 if one fits, 1 if "
    "none does)",
    cclm_cmd_suggest_run,
    cclm_suggest_tables,
};
