/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cmd.h"
#include "cclm-fleet.h"

static JsonNode *
cclm_capacity_cluster_report(CclmInventory *inventory)
{
	g_autoptr(CclmCapacity) capacity = cclm_capacity_new(inventory);

	return cclm_capacity_to_json(capacity);
}

static JsonNode *
cclm_cmd_capacity_run(const CclmCmdGlobals *globals,
		      gint argc,
		      gchar **argv,
		      gint *exit_status,
		      GError **error)
{
	g_autoptr(GOptionContext) option_context = g_option_context_new(NULL);
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;
	g_autoptr(GPtrArray) fleet = NULL;
	g_autoptr(JsonObject) result = json_object_new();
	JsonObject *clusters = json_object_new();
	const gchar *one[] = {globals->context, NULL};

	json_object_set_string_member(result, "schema", CCLM_CAPACITY_SCHEMA);
	json_object_set_object_member(result, "clusters", clusters);
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
	if (globals->context != NULL &&
	    !cclm_fleet_check_context(kubeconfig, "--context", globals->context, error))
		return NULL;
	fleet = cclm_fleet_load(kubeconfig, globals->context != NULL ? one : NULL,
				globals->progress);
	*exit_status = 0;
	for (guint i = 0; i < fleet->len; i++) {
		CclmFleetMember *member = g_ptr_array_index(fleet, i);
		JsonObject *entry;

		if (member->inventory != NULL) {
			json_object_set_member(clusters, member->context,
					       cclm_capacity_cluster_report(member->inventory));
			continue;
		}
		entry = json_object_new();
		json_object_set_string_member(entry, "cluster", member->context);
		json_object_set_member(entry, "error", cclm_fleet_error_to_json(member->error));
		json_object_set_object_member(clusters, member->context, entry);
		*exit_status = 1;
	}
	return json_node_init_object(json_node_alloc(), result);
}

static const CclmOutputColumn cclm_capacity_cluster_columns[] = {
    {"CLUSTER", "@key"},
    {"CPU ALLOCATABLE", "totals.allocatable.cpu.human"},
    {"CPU FREE", "totals.usableFree.cpu.human"},
    {"MEMORY ALLOCATABLE", "totals.allocatable.memory.human"},
    {"MEMORY FREE", "totals.usableFree.memory.human"},
    {"PODS FREE", "totals.usableFree.pods.human"},
    {"ERROR", "error.message"},
    {NULL, NULL},
};

static const CclmOutputColumn cclm_capacity_node_columns[] = {
    {"CLUSTER", "@key"}, /* an array's "*" keeps the cluster's key */
    {"NODE", "name"},
    {"READY", "ready"},
    {"CORDONED", "cordoned"},
    {"CPU REQUESTS", "requested.cpu.human"},
    {"CPU FREE", "free.cpu.human"},
    {"MEMORY REQUESTS", "requested.memory.human"},
    {"MEMORY FREE", "free.memory.human"},
    {"PODS", "requested.pods.human"},
    {"PODS FREE", "free.pods.human"},
    {NULL, NULL},
};

static const CclmOutputTable cclm_capacity_tables[] = {
    {NULL, "clusters.*", cclm_capacity_cluster_columns},
    {NULL, "clusters.*.nodes.*", cclm_capacity_node_columns},
    {NULL, NULL, NULL},
};

const CclmCmd cclm_cmd_capacity = {
    "capacity",
    "",
    "Free capacity of every cluster of the kubeconfig (or --context), per cluster and per node "
    "(exit 1 if a cluster is unreachable)",
    cclm_cmd_capacity_run,
    cclm_capacity_tables,
};
