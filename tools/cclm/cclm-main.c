/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cclm-cmd.h"
#include "cclm-progress.h"

/* Kept sorted; scripts rely on these names. */
static const CclmCmd *const cclm_commands[] = {
    &cclm_cmd_capacity,
    &cclm_cmd_clusters,
    &cclm_cmd_fit,
    &cclm_cmd_stuntime,
    &cclm_cmd_suggest,
    NULL,
};

/* The exit status of an error: scripts tell a missing object from an unreachable cluster or a
 * broken kubeconfig without parsing messages. 1 stays the commands' "negative answer". */
static gint
cclm_exit_status_for_error(const GError *error)
{
	static const struct {
		gint code;
		gint status;
	} statuses[] = {
	    {CCLM_ERROR_INVALID_ARGUMENT, 2}, {CCLM_ERROR_KUBECONFIG, 3},
	    {CCLM_ERROR_NETWORK, 4},	      {CCLM_ERROR_TLS, 4},
	    {CCLM_ERROR_TIMEOUT, 4},	      {CCLM_ERROR_UNAUTHORIZED, 5},
	    {CCLM_ERROR_FORBIDDEN, 5},	      {CCLM_ERROR_CREDENTIAL_PLUGIN, 5},
	    {CCLM_ERROR_NOT_FOUND, 6},
	};

	if (error->domain == CCLM_ERROR) {
		for (guint i = 0; i < G_N_ELEMENTS(statuses); i++) {
			if (statuses[i].code == error->code)
				return statuses[i].status;
		}
	}
	return 7;
}

gboolean
cclm_cmd_parse_options(GOptionContext *context, gint *argc, gchar ***argv, GError **error)
{
	g_autoptr(GError) parse_error = NULL;

	if (!g_option_context_parse(context, argc, argv, &parse_error)) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    parse_error->message);
		return FALSE;
	}
	return TRUE;
}

gboolean
cclm_cmd_check_context(CclmKubeconfig *kubeconfig,
		       const gchar *option,
		       const gchar *context,
		       GError **error)
{
	g_auto(GStrv) contexts = cclm_kubeconfig_get_contexts(kubeconfig);

	if (context == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT, "%s is required",
			    option);
		return FALSE;
	}
	if (!g_strv_contains((const gchar *const *)contexts, context)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s %s: the kubeconfig has no such context", option, context);
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	CclmProgress *progress;
	guint done;
} CclmCmdFleetProgress;

static void
cclm_cmd_fleet_progress_free(gpointer data, GClosure *closure)
{
	CclmCmdFleetProgress *p = data;

	cclm_progress_free(p->progress);
	g_free(p);
}

static void
cclm_cmd_member_loaded_cb(CclmFleet *fleet, const gchar *context, CclmCmdFleetProgress *p)
{
	cclm_progress_update(p->progress, ++p->done, context);
}

CclmFleet *
cclm_cmd_fleet_new(CclmKubeconfig *kubeconfig,
		   const CclmCmdGlobals *globals,
		   const gchar *const *contexts)
{
	CclmFleet *fleet = cclm_fleet_new(kubeconfig);
	g_auto(GStrv) all = contexts == NULL ? cclm_kubeconfig_get_contexts(kubeconfig) : NULL;
	CclmCmdFleetProgress *p = g_new0(CclmCmdFleetProgress, 1);

	p->progress = cclm_progress_new(globals->progress, "loading clusters",
					g_strv_length(all != NULL ? all : (GStrv)contexts));
	/* the handler's data goes with the fleet's handlers */
	g_signal_connect_data(fleet, "member-loaded", G_CALLBACK(cclm_cmd_member_loaded_cb), p,
			      cclm_cmd_fleet_progress_free, 0);
	return fleet;
}

/* The issues write `-o json` after a command's arguments too (`cclm fit NS/VM ... -o json`):
 * take -o/--output out of the command's arguments, the last one winning, before the command
 * parses the rest. "--" ends the options. */
static void
cclm_take_output_option(gint *argc, gchar **argv, gchar **output)
{
	gint kept = 2;

	for (gint i = 2; i < *argc; i++) {
		const gchar *arg = argv[i];
		const gchar *value = NULL;

		if (g_strcmp0(arg, "--") == 0) {
			while (i < *argc)
				argv[kept++] = argv[i++];
			break;
		}
		if ((g_strcmp0(arg, "-o") == 0 || g_strcmp0(arg, "--output") == 0) && i + 1 < *argc)
			value = argv[++i];
		else if (g_str_has_prefix(arg, "--output="))
			value = arg + strlen("--output=");
		else if (g_str_has_prefix(arg, "-o") && arg[2] != '\0')
			value = arg + 2;
		if (value == NULL) {
			argv[kept++] = argv[i];
			continue;
		}
		g_free(*output);
		*output = g_strdup(value);
	}
	argv[kept] = NULL;
	*argc = kept;
}

static const CclmCmd *
cclm_find_command(const gchar *name)
{
	for (guint i = 0; cclm_commands[i] != NULL; i++) {
		if (g_strcmp0(cclm_commands[i]->name, name) == 0)
			return cclm_commands[i];
	}
	return NULL;
}

static gchar *
cclm_commands_description(void)
{
	GString *str = g_string_new("Commands:\n");

	for (guint i = 0; cclm_commands[i] != NULL; i++)
		g_string_append_printf(str, "  %-10s %s\n      %s\n", cclm_commands[i]->name,
				       cclm_commands[i]->synopsis, cclm_commands[i]->summary);
	g_string_append(str, "\n-o/--output may also follow the command's arguments.\n");
	g_string_append(str, "\nExit status: 0 success, 1 a negative answer (see each command), "
			     "2 usage, 3 kubeconfig, 4 network or TLS, 5 authentication or "
			     "authorization, 6 not found, 7 other errors.");
	return g_string_free(str, FALSE);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *kubeconfig = NULL;
	g_autofree gchar *context = NULL;
	g_autofree gchar *output = NULL;
	g_autofree gchar *description = NULL;
	gboolean version = FALSE;
	g_autoptr(GOptionContext) option_context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) result = NULL;
	CclmCmdGlobals globals = {0};
	const CclmCmd *cmd;
	gint exit_status = 0;
	const GOptionEntry entries[] = {
	    {"kubeconfig", 0, 0, G_OPTION_ARG_FILENAME, &kubeconfig,
	     "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)", "FILE"},
	    {"context", 0, 0, G_OPTION_ARG_STRING, &context,
	     "Kubeconfig context (default: the current context)", "NAME"},
	    {"output", 'o', 0, G_OPTION_ARG_STRING, &output, "Output format: table, json or yaml",
	     "FORMAT"},
	    {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL},
	    {NULL},
	};

	setlocale(LC_ALL, "");
	option_context = g_option_context_new("COMMAND [ARGS...]");
	g_option_context_set_summary(option_context,
				     "Plan and drive cross-cluster live migration of KubeVirt VMs.");
	description = cclm_commands_description();
	g_option_context_set_description(option_context, description);
	g_option_context_add_main_entries(option_context, entries, NULL);
	/* global options come before the command; everything after it is the command's */
	g_option_context_set_strict_posix(option_context, TRUE);
	if (!g_option_context_parse(option_context, &argc, &argv, &error)) {
		g_printerr("cclm: %s\n", error->message);
		return 2;
	}
	if (version) {
		g_print("cclm %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc < 2) {
		g_printerr("cclm: no command given; see 'cclm --help'\n");
		return 2;
	}
	cclm_take_output_option(&argc, argv, &output);
	if (output != NULL && !cclm_output_format_from_string(output, &globals.format)) {
		g_printerr("cclm: -o %s: the output format must be table, json or yaml\n", output);
		return 2;
	}
	cmd = cclm_find_command(argv[1]);
	if (cmd == NULL) {
		g_printerr("cclm: unknown command \"%s\"; see 'cclm --help'\n", argv[1]);
		return 2;
	}
	globals.kubeconfig = kubeconfig;
	globals.context = context;
	globals.progress = isatty(STDERR_FILENO);

	result = cmd->run(&globals, argc - 1, argv + 1, &exit_status, &error);
	if (result == NULL) {
		g_printerr("cclm %s: %s\n", cmd->name, error->message);
		return cclm_exit_status_for_error(error);
	}
	cclm_output_print(result, globals.format, cmd->tables, &error);
	if (error != NULL) {
		g_printerr("cclm %s: %s\n", cmd->name, error->message);
		return 7;
	}
	return exit_status;
}
