/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <cclm.h>

#include "cclm-output.h"

/* What every command gets: the global options, parsed before the command name. */
typedef struct {
	const gchar *kubeconfig; /* nullable: $KUBECONFIG, then ~/.kube/config */
	const gchar *context;	 /* nullable: the kubeconfig's current context */
	CclmOutputFormat format;
	gboolean progress; /* stderr is a terminal: progress may be drawn there */
} CclmCmdGlobals;

/* Runs a command with its own arguments (argv[0] is the command name). Returns the result as a
 * JSON tree, never printing it, and sets *exit_status to 0 (success) or 1 (a negative answer
 * the command defines); returns NULL with @error set on failure. */
typedef JsonNode *(*CclmCmdFunc)(const CclmCmdGlobals *globals,
				 gint argc,
				 gchar **argv,
				 gint *exit_status,
				 GError **error);

typedef struct {
	const gchar *name;
	const gchar *synopsis;
	const gchar *summary;
	CclmCmdFunc run;
	const CclmOutputTable *tables; /* how -o table shows the result; ends with {NULL} */
} CclmCmd;

/* Parses a command's own options; a usage error is CCLM_ERROR_INVALID_ARGUMENT (exit 2). */
gboolean
cclm_cmd_parse_options(GOptionContext *context, gint *argc, gchar ***argv, GError **error);

/* Checks that @context names a context of @kubeconfig (@option, such as "--from", names it in
 * the error: CCLM_ERROR_INVALID_ARGUMENT when missing, CCLM_ERROR_KUBECONFIG when unknown). */
gboolean
cclm_cmd_check_context(CclmKubeconfig *kubeconfig,
		       const gchar *option,
		       const gchar *context,
		       GError **error);
/* A fleet of @kubeconfig whose member loads advance a progress bar over @contexts (NULL: every
 * context) when globals->progress; the bar is erased when the fleet is freed. */
CclmFleet *
cclm_cmd_fleet_new(CclmKubeconfig *kubeconfig,
		   const CclmCmdGlobals *globals,
		   const gchar *const *contexts);

/* One line per command, kept sorted; each is defined in its cclm-cmd-<name>.c. */
extern const CclmCmd cclm_cmd_capacity;
extern const CclmCmd cclm_cmd_clusters;
extern const CclmCmd cclm_cmd_fit;
extern const CclmCmd cclm_cmd_stuntime;
extern const CclmCmd cclm_cmd_suggest;
