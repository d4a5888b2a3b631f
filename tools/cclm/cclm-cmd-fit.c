/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cmd.h"
#include "cclm-fleet.h"

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
	g_autoptr(GPtrArray) fleet = NULL;
	g_autoptr(CclmCapacity) capacity = NULL;
	g_autoptr(CclmFitVerdict) verdict = NULL;
	const gchar *contexts[3] = {NULL};
	CclmFleetMember *source, *target;

	g_option_context_add_main_entries(option_context, entries, NULL);
	if (!cclm_cmd_parse_options(option_context, &argc, &argv, error))
		return NULL;
	if (argc != 2) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "fit takes one NAMESPACE/VM");
		return NULL;
	}
	kubeconfig = cclm_kubeconfig_load(globals->kubeconfig, error);
	if (kubeconfig == NULL || !cclm_fleet_check_context(kubeconfig, "--from", from, error) ||
	    !cclm_fleet_check_context(kubeconfig, "--to", to, error))
		return NULL;
	contexts[0] = from;
	contexts[1] = to;
	fleet = cclm_fleet_load(kubeconfig, contexts, globals->progress);
	source = cclm_fleet_find(fleet, from);
	target = cclm_fleet_find(fleet, to);
	/* an unreachable cluster leaves no verdict to give: an error, not "does not fit" */
	if (source->error != NULL || target->error != NULL) {
		GError **failed = source->error != NULL ? &source->error : &target->error;

		g_propagate_error(error, g_steal_pointer(failed));
		return NULL;
	}
	capacity = cclm_capacity_new(target->inventory);
	verdict = cclm_capacity_fit(capacity, source->inventory, argv[1],
				    (const gchar *const *)storage_map, error);
	if (verdict == NULL)
		return NULL;
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
