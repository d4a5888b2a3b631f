/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdlib.h>

#include "cclm-test-server.h"

/* The test server as a program, for demos and manual checks against a local HTTPS API server:
 *   cclm-test-server --kubeconfig FILE [--token T] [--pods N] [--json PATH=FILE]...
 * writes a kubeconfig for it (context "test", its CA inline), then serves until SIGINT or
 * SIGTERM. */

static gboolean
cclm_test_quit_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

static gboolean
cclm_test_write_kubeconfig(CclmTestServer *server,
			   const gchar *path,
			   const gchar *token,
			   GError **error)
{
	g_autoptr(CclmRestConfig) config = cclm_test_server_new_config(server);
	g_autofree gchar *ca = g_base64_encode(g_bytes_get_data(config->ca_pem, NULL),
					       g_bytes_get_size(config->ca_pem));
	g_autofree gchar *user =
	    token != NULL ? g_strdup_printf("    token: %s\n", token) : g_strdup("    {}\n");
	g_autofree gchar *text = g_strdup_printf("apiVersion: v1\n"
						 "kind: Config\n"
						 "current-context: test\n"
						 "clusters:\n"
						 "- name: test\n"
						 "  cluster:\n"
						 "    server: %s\n"
						 "    certificate-authority-data: %s\n"
						 "users:\n"
						 "- name: test\n"
						 "  user:\n"
						 "%s"
						 "contexts:\n"
						 "- name: test\n"
						 "  context:\n"
						 "    cluster: test\n"
						 "    user: test\n"
						 "    namespace: default\n",
						 config->server, ca, user);

	return g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
					error);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *kubeconfig = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *cert_dir = g_strdup(CCLM_TEST_CERT_DIR);
	g_auto(GStrv) json = NULL;
	gint pods = 0;
	GOptionEntry entries[] = {{"kubeconfig", 0, 0, G_OPTION_ARG_FILENAME, &kubeconfig,
				   "Write a kubeconfig for the server to FILE", "FILE"},
				  {"token", 0, 0, G_OPTION_ARG_STRING, &token,
				   "Require this bearer token", "TOKEN"},
				  {"pods", 0, 0, G_OPTION_ARG_INT, &pods,
				   "Serve N generated pods at /api/v1/namespaces/default/pods",
				   "N"},
				  {"json", 0, 0, G_OPTION_ARG_STRING_ARRAY, &json,
				   "Serve the JSON in FILE at PATH (repeatable)", "PATH=FILE"},
				  {"cert-dir", 0, 0, G_OPTION_ARG_FILENAME, &cert_dir,
				   "The test PKI (tests/make-certs.sh output)", "DIR"},
				  {NULL}};
	g_autoptr(GOptionContext) options = g_option_context_new("- a scriptable Kubernetes API "
								 "server for tests");
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmTestServer) server = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);

	g_option_context_add_main_entries(options, entries, NULL);
	if (!g_option_context_parse(options, &argc, &argv, &error)) {
		g_printerr("cclm-test-server: %s\n", error->message);
		return 2;
	}
	server = cclm_test_server_new(cert_dir, &error);
	if (server == NULL) {
		g_printerr("cclm-test-server: %s\n", error->message);
		return 2;
	}
	cclm_test_server_require_token(server, token);
	if (pods > 0)
		cclm_test_server_add_collection(server, "/api/v1/namespaces/default/pods", pods);
	for (guint i = 0; json != NULL && json[i] != NULL; i++) {
		g_auto(GStrv) kv = g_strsplit(json[i], "=", 2);
		g_autofree gchar *contents = NULL;

		if (g_strv_length(kv) != 2 || kv[0][0] != '/') {
			g_printerr("cclm-test-server: --json %s: expected PATH=FILE\n", json[i]);
			return 2;
		}
		if (!g_file_get_contents(kv[1], &contents, NULL, &error)) {
			g_printerr("cclm-test-server: --json %s: %s\n", json[i], error->message);
			return 2;
		}
		cclm_test_server_set_json(server, kv[0], 200, contents);
	}
	if (kubeconfig != NULL && !cclm_test_write_kubeconfig(server, kubeconfig, token, &error)) {
		g_printerr("cclm-test-server: %s: %s\n", kubeconfig, error->message);
		return 2;
	}
	g_print("%s\n", cclm_test_server_get_url(server));
	g_unix_signal_add(SIGINT, cclm_test_quit_cb, loop);
	g_unix_signal_add(SIGTERM, cclm_test_quit_cb, loop);
	g_main_loop_run(loop);
	return EXIT_SUCCESS;
}
