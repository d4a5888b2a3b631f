/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "cclm-cluster.h"
#include "cclm-error.h"
#include "cclm-kubeconfig.h"
#include "cclm-source-release.h"
#include "cclm-test-async.h"

/* cclm_source_release_async() against cclm-sim on tests/data/handover-fleet, in C so that the
 * sanitizer build checks the library's own allocations (the PyGObject test,
 * test-source-release.py, covers every refusal). */

typedef struct {
	GSubprocess *sim;
	gchar *dir;
	CclmCluster *east; /* source */
	CclmCluster *west; /* target */
	gboolean exited;   /* cclm-sim */
} Fixture;

static void
sim_exited_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	gboolean *exited = user_data;

	*exited = TRUE;
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *kubeconfig_path = NULL;
	g_autoptr(GFile) dir = NULL;
	g_autoptr(GFileMonitor) monitor = NULL;
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;

	fx->dir = g_dir_make_tmp("cclm-release-XXXXXX", &error);
	g_assert_no_error(error);
	kubeconfig_path = g_build_filename(fx->dir, "kubeconfig", NULL);
	/* cclm-sim writes the kubeconfig (atomically) once every cluster listens: the directory
	 * monitor wakes the loop when it appears */
	dir = g_file_new_for_path(fx->dir);
	monitor = g_file_monitor_directory(dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
	g_assert_no_error(error);
	fx->sim =
	    g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, CCLM_SIM_PATH, "--fleet",
			     CCLM_HANDOVER_FLEET, "--kubeconfig", kubeconfig_path, NULL);
	g_assert_no_error(error);
	g_subprocess_wait_async(fx->sim, NULL, sim_exited_cb, &fx->exited);
	while (!g_file_test(kubeconfig_path, G_FILE_TEST_EXISTS) && !fx->exited)
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(fx->exited);
	kubeconfig = cclm_kubeconfig_load(kubeconfig_path, &error);
	g_assert_no_error(error);
	fx->east = cclm_cluster_new(kubeconfig, "east", &error);
	g_assert_no_error(error);
	fx->west = cclm_cluster_new(kubeconfig, "west", &error);
	g_assert_no_error(error);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *kubeconfig_path = g_build_filename(fx->dir, "kubeconfig", NULL);

	g_clear_object(&fx->east);
	g_clear_object(&fx->west);
	g_subprocess_send_signal(fx->sim, SIGTERM);
	while (!fx->exited)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(g_subprocess_get_successful(fx->sim));
	g_clear_object(&fx->sim);
	g_unlink(kubeconfig_path);
	g_rmdir(fx->dir);
	g_free(fx->dir);
}

/* The pod's resourceVersion, or NULL when it is gone. */
static gchar *
pod_version(CclmCluster *cluster, const gchar *ns, const gchar *name)
{
	g_autofree gchar *path = cclm_cluster_build_path(NULL, "v1", "pods", ns, name);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(JsonNode) pod = NULL;
	g_autoptr(GError) error = NULL;

	cclm_cluster_get_async(cluster, path, NULL, store_result_cb, &res);
	wait_result(&res);
	pod = cclm_cluster_get_finish(cluster, res, &error);
	if (pod == NULL) {
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND);
		return NULL;
	}
	return g_strdup(
	    json_object_get_string_member(json_object_get_object_member(json_node_get_object(pod),
									"metadata"),
					  "resourceVersion"));
}

static const gchar *const east_pods[] = {"virt-launcher-db-x7k2p", "virt-launcher-db-old01",
					 "hp-volume-db-q9v4m", "virt-launcher-cache-m3n8d",
					 "virt-launcher-web-b5c6d"};

static void
test_release(Fixture *fx, gconstpointer data)
{
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) deleted = NULL;
	g_autofree gchar *target_before =
	    pod_version(fx->west, "vms-target", "virt-launcher-db-moved-r2d2x");
	g_autofree gchar *target_after = NULL;
	gchar *before[G_N_ELEMENTS(east_pods)];

	for (guint i = 0; i < G_N_ELEMENTS(east_pods); i++)
		before[i] = pod_version(fx->east, "vms", east_pods[i]);
	cclm_source_release_async(fx->east, "vms", "db", fx->west, "vms-target", "db-moved", NULL,
				  store_result_cb, &res);
	wait_result(&res);
	deleted = cclm_source_release_finish(res, &error);
	g_assert_no_error(error);
	g_assert_cmpstrv(deleted, ((const gchar *const[]){"virt-launcher-db-x7k2p", NULL}));
	/* gone at once (a graceful delete would leave it with a deletionTimestamp for a while),
	 * every other pod untouched */
	for (guint i = 0; i < G_N_ELEMENTS(east_pods); i++) {
		g_autofree gchar *after = pod_version(fx->east, "vms", east_pods[i]);

		if (i == 0)
			g_assert_null(after);
		else
			g_assert_cmpstr(after, ==, before[i]);
		g_free(before[i]);
	}
	target_after = pod_version(fx->west, "vms-target", "virt-launcher-db-moved-r2d2x");
	g_assert_nonnull(target_before);
	g_assert_cmpstr(target_after, ==, target_before);
}

static void
test_not_ready(Fixture *fx, gconstpointer data)
{
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) deleted = NULL;
	g_autofree gchar *before = pod_version(fx->east, "vms", "virt-launcher-cache-m3n8d");
	g_autofree gchar *after = NULL;

	cclm_source_release_async(fx->east, "vms", "cache", fx->west, "vms-target", "cache", NULL,
				  store_result_cb, &res);
	wait_result(&res);
	deleted = cclm_source_release_finish(res, &error);
	g_assert_null(deleted);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NOT_READY);
	g_assert_nonnull(strstr(error->message, "completed: false"));
	after = pod_version(fx->east, "vms", "virt-launcher-cache-m3n8d");
	g_assert_cmpstr(after, ==, before);
}

static void
test_cancelled(Fixture *fx, gconstpointer data)
{
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_auto(GStrv) deleted = NULL;
	g_autofree gchar *before = pod_version(fx->east, "vms", "virt-launcher-db-x7k2p");
	g_autofree gchar *after = NULL;

	cclm_source_release_async(fx->east, "vms", "db", fx->west, "vms-target", "db-moved",
				  cancellable, store_result_cb, &res);
	g_cancellable_cancel(cancellable);
	wait_result(&res);
	deleted = cclm_source_release_finish(res, &error);
	g_assert_null(deleted);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	after = pod_version(fx->east, "vms", "virt-launcher-db-x7k2p");
	g_assert_nonnull(before);
	g_assert_cmpstr(after, ==, before);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add("/source-release/target-ready", Fixture, NULL, fixture_setup, test_release,
		   fixture_teardown);
	g_test_add("/source-release/target-not-ready", Fixture, NULL, fixture_setup, test_not_ready,
		   fixture_teardown);
	g_test_add("/source-release/cancelled", Fixture, NULL, fixture_setup, test_cancelled,
		   fixture_teardown);
	return g_test_run();
}
