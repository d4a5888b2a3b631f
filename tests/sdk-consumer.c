/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* An application built against the installed SDK only: <cclm.h> and pkg-config cclm-1. */
#include <cclm.h>

#if !CCLM_CHECK_VERSION(0, 1, 0)
#error "CCLM_CHECK_VERSION is wrong"
#endif

int
main(void)
{
	const gchar *kubeconfig = "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
				  "clusters: [{name: k, cluster: {server: 'https://127.0.0.1:1'}}]\n"
				  "users: [{name: u, user: {token: t}}]\n"
				  "contexts: [{name: c, context: {cluster: k, user: u}}]\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmKubeconfig) config = cclm_kubeconfig_load_from_data(kubeconfig, -1, NULL, &error);
	g_autoptr(CclmCluster) cluster = NULL;

	if (config == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	cluster = cclm_cluster_new(config, NULL, &error);
	if (cluster == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	g_print("%s %s\n", cclm_cluster_get_name(cluster), cclm_cluster_get_server(cluster));
	return g_strcmp0(cclm_cluster_get_server(cluster), "https://127.0.0.1:1") == 0 ? 0 : 1;
}
