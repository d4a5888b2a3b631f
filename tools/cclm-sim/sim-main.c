/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * cclm-sim --fleet DIR --kubeconfig FILE [--faults SPEC]: serves every cluster of a fleet
 * directory on its own HTTPS port of 127.0.0.1 and writes a kubeconfig for them.
 */
#include "config.h"

#include "sim-auth.h"
#include "sim-faults.h"
#include "sim-fleet.h"
#include "sim-generate.h"
#include "sim-server.h"
#include "sim-tls.h"
#include <glib-unix.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define SIM_TOKENS_FILE "sim-tokens.yaml"

#define SIM_TOKENS_HELP                                                                            \
	"Tokens: DIR/" SIM_TOKENS_FILE " (or --tokens FILE) lists bearer tokens and rights:\n"     \
	"  tokens:\n"                                                                              \
	"  - token: s3cret          # required\n"                                                  \
	"    user: alice            # the name in 403 messages\n"                                  \
	"    admin: true            # every right, and the /_sim admin endpoints\n"                \
	"    kubeconfig: true       # the token written to --kubeconfig\n"                         \
	"    clusters: [east]       # default: every cluster\n"                                    \
	"    rules:                 # default (no rules): every verb on every resource\n"          \
	"    - verbs: [get, list, watch]                  # or [\"*\"]\n"                          \
	"      resources: [pods, virtualmachines.kubevirt.io, pods/status]   # or [\"*\"]\n"       \
	"  Without an admin token, one is generated (or given with --token) and written to\n"      \
	"  the kubeconfig. Other tokens get 401, missing rights 403.\n"

static gboolean
sim_quit_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_CONTINUE;
}

static char *
sim_yaml_quote(const char *s)
{
	GString *out = g_string_new("\"");

	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *s);
	}
	g_string_append_c(out, '"');
	return g_string_free(out, FALSE);
}

static gboolean
sim_write_kubeconfig(const char *path,
		     GPtrArray *clusters,
		     GPtrArray *servers,
		     const char *ca_pem,
		     const char *token,
		     GError **error)
{
	g_autofree char *ca = g_base64_encode((const guchar *)ca_pem, strlen(ca_pem));
	g_autofree char *qtoken = sim_yaml_quote(token);
	GString *out = g_string_new("apiVersion: v1\nkind: Config\nclusters:\n");
	g_autofree char *text = NULL;
	gboolean ok;

	for (guint i = 0; i < clusters->len; i++) {
		g_autofree char *name =
		    sim_yaml_quote(sim_cluster_get_name(g_ptr_array_index(clusters, i)));

		g_string_append_printf(out,
				       "- name: %s\n  cluster:\n    server: https://127.0.0.1:%u\n"
				       "    certificate-authority-data: %s\n",
				       name, sim_server_get_port(g_ptr_array_index(servers, i)),
				       ca);
	}
	g_string_append_printf(out, "users:\n- name: cclm-sim\n  user:\n    token: %s\ncontexts:\n",
			       qtoken);
	for (guint i = 0; i < clusters->len; i++) {
		g_autofree char *name =
		    sim_yaml_quote(sim_cluster_get_name(g_ptr_array_index(clusters, i)));

		g_string_append_printf(
		    out, "- name: %s\n  context:\n    cluster: %s\n    user: cclm-sim\n", name,
		    name);
	}
	{
		g_autofree char *first =
		    sim_yaml_quote(sim_cluster_get_name(g_ptr_array_index(clusters, 0)));

		g_string_append_printf(out, "current-context: %s\npreferences: {}\n", first);
	}
	text = g_string_free(out, FALSE);
	/* temporary file + rename: readers never see a partial kubeconfig */
	ok = g_file_set_contents_full(
	    path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
	    0600, error);
	return ok;
}

static gboolean
sim_apply_faults(const char *spec, GPtrArray *clusters, GPtrArray *servers, GError **error)
{
	g_autoptr(GPtrArray) clauses = sim_faults_split_spec(spec, error);

	if (clauses == NULL)
		return FALSE;
	for (guint i = 0; i + 1 < clauses->len; i += 2) {
		const char *target = g_ptr_array_index(clauses, i);
		gboolean found = FALSE;

		for (guint c = 0; c < clusters->len; c++) {
			if (!g_str_equal(target, "*") &&
			    !g_str_equal(target,
					 sim_cluster_get_name(g_ptr_array_index(clusters, c))))
				continue;
			found = TRUE;
			if (!sim_server_add_faults(g_ptr_array_index(servers, c),
						   g_ptr_array_index(clauses, i + 1), error))
				return FALSE;
		}
		if (!found) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "--faults: no cluster named \"%s\"", target);
			return FALSE;
		}
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autofree char *fleet = NULL, *kubeconfig = NULL, *faults = NULL, *tokens = NULL;
	g_autofree char *token = NULL;
	const GOptionEntry entries[] = {
	    {"fleet", 0, 0, G_OPTION_ARG_FILENAME, &fleet, "Fleet directory (DIR/<cluster>/*.yaml)",
	     "DIR"},
	    {"kubeconfig", 0, 0, G_OPTION_ARG_FILENAME, &kubeconfig,
	     "Kubeconfig to write once every cluster listens", "FILE"},
	    {"faults", 0, 0, G_OPTION_ARG_STRING, &faults, "Faults to inject (below)", "SPEC"},
	    {"tokens", 0, 0, G_OPTION_ARG_FILENAME, &tokens,
	     "Tokens file (default DIR/" SIM_TOKENS_FILE ")", "FILE"},
	    {"token", 0, 0, G_OPTION_ARG_STRING, &token,
	     "Administrator token for the kubeconfig (default: generated)", "TOKEN"},
	    {NULL},
	};
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) clusters = NULL;
	g_autoptr(GPtrArray) servers = NULL;
	g_autoptr(SimAuth) auth = sim_auth_new();
	g_autoptr(GTlsCertificate) cert = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autofree char *ca_pem = NULL;
	g_autofree char *default_tokens = NULL;
	guint sigint, sigterm;

	setlocale(LC_ALL, "");
	if (argc > 1 && g_strcmp0(argv[1], "generate") == 0)
		return sim_generate_main(argc, argv);
	context = g_option_context_new("- serve a simulated fleet of KubeVirt clusters");
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(
	    context, "Serves every cluster of a fleet directory on its own HTTPS port of\n"
		     "127.0.0.1, writes FILE (one context per cluster) once all listen and runs\n"
		     "until SIGINT or SIGTERM.\n"
		     "`cclm-sim generate --help` writes fleets.");
	g_option_context_set_description(context, SIM_FAULTS_HELP "\n" SIM_TOKENS_HELP);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		fprintf(stderr, "cclm-sim: %s\n", error->message);
		return 2;
	}
	if (fleet == NULL || kubeconfig == NULL) {
		fprintf(stderr, "cclm-sim: --fleet and --kubeconfig are required (see --help)\n");
		return 2;
	}
	clusters = sim_fleet_load(fleet, &error);
	if (clusters == NULL) {
		fprintf(stderr, "cclm-sim: %s\n", error->message);
		return 1;
	}
	/* loading parsed every file into trees that are gone now: give the pages back */
	malloc_trim(0);
	default_tokens = g_build_filename(fleet, SIM_TOKENS_FILE, NULL);
	if (tokens == NULL && g_file_test(default_tokens, G_FILE_TEST_EXISTS))
		tokens = g_steal_pointer(&default_tokens);
	if (token != NULL)
		sim_auth_add_admin(auth, token);
	if (tokens != NULL && !sim_auth_load(auth, tokens, &error)) {
		fprintf(stderr, "cclm-sim: %s\n", error->message);
		return 1;
	}
	if (faults != NULL) {
		g_autoptr(GPtrArray) check = sim_faults_split_spec(faults, &error);

		if (check == NULL) {
			fprintf(stderr, "cclm-sim: --faults: %s\n", error->message);
			return 2;
		}
	}
	if (!sim_tls_make(&ca_pem, &cert, &error)) {
		fprintf(stderr, "cclm-sim: %s\n", error->message);
		return 1;
	}
	servers = g_ptr_array_new_with_free_func((GDestroyNotify)sim_server_free);
	for (guint i = 0; i < clusters->len; i++) {
		SimCluster *cluster = g_ptr_array_index(clusters, i);
		SimServer *server = sim_server_new(cluster, auth, cert);

		g_ptr_array_add(servers, server);
		sim_controllers_register(cluster);
		if (!sim_server_listen(server, 0, &error)) {
			fprintf(stderr, "cclm-sim: cluster \"%s\": %s\n",
				sim_cluster_get_name(cluster), error->message);
			return 1;
		}
	}
	if (faults != NULL && !sim_apply_faults(faults, clusters, servers, &error)) {
		fprintf(stderr, "cclm-sim: %s\n", error->message);
		return 2;
	}
	if (!sim_write_kubeconfig(kubeconfig, clusters, servers, ca_pem,
				  sim_auth_get_kubeconfig_token(auth), &error)) {
		fprintf(stderr, "cclm-sim: kubeconfig \"%s\": %s\n", kubeconfig, error->message);
		return 1;
	}
	for (guint i = 0; i < clusters->len; i++)
		fprintf(stderr, "cclm-sim: cluster %s: https://127.0.0.1:%u\n",
			sim_cluster_get_name(g_ptr_array_index(clusters, i)),
			sim_server_get_port(g_ptr_array_index(servers, i)));
	fprintf(stderr, "cclm-sim: kubeconfig %s written\n", kubeconfig);
	loop = g_main_loop_new(NULL, FALSE);
	/* above the controllers' default priority: a busy controller must not starve the stop */
	sigint = g_unix_signal_add_full(G_PRIORITY_HIGH, SIGINT, sim_quit_cb, loop, NULL);
	sigterm = g_unix_signal_add_full(G_PRIORITY_HIGH, SIGTERM, sim_quit_cb, loop, NULL);
	g_main_loop_run(loop);
	g_source_remove(sigint);
	g_source_remove(sigterm);
	/* servers before the clusters they serve; closed connections finish in idles. Bounded: a
	 * controller with work queued (a pod it retries) may keep the context busy forever, and
	 * SIGTERM must still end the process. */
	g_clear_pointer(&servers, g_ptr_array_unref);
	for (guint i = 0; i < 10000 && g_main_context_iteration(NULL, FALSE); i++)
		;
	g_clear_pointer(&clusters, g_ptr_array_unref);
	return 0;
}
