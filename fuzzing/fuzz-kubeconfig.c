/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cclm-kubeconfig-private.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_kubeconfig_quiet(const gchar *log_domain,
		      GLogLevelFlags log_level,
		      const gchar *message,
		      gpointer user_data)
{
}

/* Files a kubeconfig may name that could block a read (/dev/kmsg, FIFOs under /run) or be
 * huge: the loader reads what it is told to, as kubectl does, so the target leaves those out. */
static gboolean
fuzz_kubeconfig_names_special_files(JsonNode *root)
{
	g_autofree gchar *json = json_to_string(root, FALSE);
	const gchar *const needles[] = {"/dev", "/proc", "/sys", "/run", "..", NULL};

	for (guint i = 0; needles[i] != NULL; i++)
		if (strstr(json, needles[i]) != NULL)
			return TRUE;
	return FALSE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean initialized;
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_auto(GStrv) contexts = NULL;

	if (!initialized) {
		gint fd = open("/dev/null", O_RDONLY);

		/* insecure-skip-tls-verify warns, and stdin must not be waited on */
		g_log_set_handler("Cclm", G_LOG_LEVEL_WARNING, fuzz_kubeconfig_quiet, NULL);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		initialized = TRUE;
	}

	/* relative file names resolve into a directory that does not exist */
	kubeconfig = cclm_kubeconfig_load_from_data((const gchar *)data, (gssize)size,
						    "/nonexistent/cclm-fuzz", NULL);
	if (kubeconfig == NULL)
		return 0;
	root = cclm_kubeconfig_to_json(kubeconfig);
	if (!fuzz_kubeconfig_names_special_files(root))
		cclm_rest_config_free(cclm_kubeconfig_get_rest_config(kubeconfig, NULL, NULL));
	contexts = cclm_kubeconfig_get_contexts(kubeconfig);
	for (guint i = 0; contexts[i] != NULL; i++) {
		const gchar *cluster = cclm_kubeconfig_get_context_cluster(kubeconfig, contexts[i]);
		g_autoptr(CclmRestConfig) config = NULL;

		cclm_kubeconfig_get_context_user(kubeconfig, contexts[i]);
		cclm_kubeconfig_get_context_namespace(kubeconfig, contexts[i]);
		if (cluster != NULL)
			cclm_kubeconfig_get_cluster_server(kubeconfig, cluster);
		if (!fuzz_kubeconfig_names_special_files(root))
			config = cclm_kubeconfig_get_rest_config(kubeconfig, contexts[i], NULL);
	}
	return 0;
}
