/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cmd.h"

static JsonNode *
cclm_cmd_fit_run(const CclmCmdGlobals *globals,
		 gint argc,
		 gchar **argv,
		 gint *exit_status,
		 GError **error)
{
	g_autofree gchar *from = NULL;
	g_autofree gchar *to = NULL;
	g_auto(GStrv) storage_map = NULL;
	const GOptionEntry entries[] = {
	    {"from", 0, 0, G_OPTION_ARG_STRING, &from, "The context the VM is on", "CLUSTER"},
	    {"to", 0, 0, G_OPTION_ARG_STRING, &to, "The context to judge", "CLUSTER"},
	    {"storage-map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &storage_map,
	     "Map a StorageClass of the source to one of the target (repeatable)",
	     "SRCCLASS=DSTCLASS"},
	    {NULL},
	};
	g_autoptr(GOptionContext) option_context = g_option_context_new("NAMESPACE/VM");
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;
	g_autoptr(CclmFleet) fleet = NULL;
	g_autoptr(GPtrArray) verdicts = NULL;
	const gchar *contexts[3] = {NULL};
	const gchar *vms[2] = {NULL};
	CclmFitVerdict *verdict;

	g_option_context_add_main_entries(option_context, entries, NULL);
	if (!cclm_cmd_parse_options(option_context, &argc, &argv, error))
		return NULL;
	if (argc != 2) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "fit takes one NAMESPACE/VM");
		return NULL;
	}
	kubeconfig = cclm_kubeconfig_load(globals->kubeconfig, error);
	if (kubeconfig == NULL || !cclm_cmd_check_context(kubeconfig, "--from", from, error) ||
	    !cclm_cmd_check_context(kubeconfig, "--to", to, error))
		return NULL;
	contexts[0] = from;
	contexts[1] = to;
	vms[0] = argv[1];
	fleet = cclm_cmd_fleet_new(kubeconfig, globals, contexts);
	verdicts = cclm_fleet_fit_sync(fleet, from, vms, to, (const gchar *const *)storage_map, NULL,
				       error);
	if (verdicts == NULL)
		return NULL;
	verdict = g_ptr_array_index(verdicts, 0);
	*exit_status = cclm_fit_verdict_get_fits(verdict) ? 0 : 1;
	return cclm_fit_verdict_to_json(verdict);
}

static const CclmOutputColumn cclm_fit_summary_columns[] = {
    {"VM", "vm"},
    {"CLUSTER", "cluster"},
    {"FITS", "fits"},
    {"NODE", "node"},
    {"CPU", "requests.cpu.human"},
    {"MEMORY", "requests.memory.human"},
    {NULL, NULL},
};

static const CclmOutputColumn cclm_fit_reason_columns[] = {
    {"KIND", "kind"},
    {"MESSAGE", "message"},
    {NULL, NULL},
};

static const CclmOutputTable cclm_fit_tables[] = {
    {NULL, "", cclm_fit_summary_columns},
    {"REASONS", "reasons.*", cclm_fit_reason_columns},
    {"WARNINGS", "warnings.*", cclm_fit_reason_columns},
    {NULL, NULL, NULL},
};

const CclmCmd cclm_cmd_fit = {
    "fit",
    "NAMESPACE/VM --from CLUSTER --to CLUSTER [--storage-map SRCCLASS=DSTCLASS ...]",
    "Will this VM fit on that cluster? (exit 0 it fits, 1 it does not)",
    cclm_cmd_fit_run,
    cclm_fit_tables,
};
