/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "cclm-candidate.h"
#include "cclm-capacity.h"
#include "cclm-cluster.h"
#include "cclm-error.h"
#include "cclm-fit-verdict.h"
#include "cclm-fleet-private.h"
#include "cclm-fleet.h"
#include "cclm-inventory.h"
#include "cclm-kubeconfig.h"
#include "cclm-test-async.h"

/* CclmFleet against cclm-sim on tests/data/cli-fleet (source, memory-short, storage-short,
 * fragmented, roomy: 300 ms per request) plus a context "gone" whose server refuses connections, in
 * C so that the sanitizer build checks the fleet's own allocations and references. */

#define N_CONTEXTS 6

static GSubprocess *sim;
static gboolean sim_exited;
static CclmKubeconfig *kubeconfig;

typedef struct {
	CclmFleet *fleet;
	GPtrArray *loaded;	       /* contexts, as ::member-loaded gave them */
	GCancellable *cancel_on_first; /* cancelled by the first ::member-loaded */
} Fixture;

static void
member_loaded_cb(CclmFleet *fleet, const gchar *context, Fixture *fx)
{
	g_ptr_array_add(fx->loaded, g_strdup(context));
	if (fx->cancel_on_first != NULL)
		g_cancellable_cancel(fx->cancel_on_first);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	fx->fleet = cclm_fleet_new(kubeconfig);
	fx->loaded = g_ptr_array_new_with_free_func(g_free);
	g_signal_connect(fx->fleet, "member-loaded", G_CALLBACK(member_loaded_cb), fx);
}

/* The fleet must go away once its loads have wound down: nothing keeps a reference. */
static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	CclmFleet *fleet = fx->fleet;

	g_object_add_weak_pointer(G_OBJECT(fleet), (gpointer *)&fleet);
	g_clear_object(&fx->fleet);
	while (fleet != NULL)
		g_main_context_iteration(NULL, TRUE);
	g_ptr_array_unref(fx->loaded);
	g_clear_object(&fx->cancel_on_first);
}

static gboolean
load(Fixture *fx,
     const gchar *const *contexts,
     gboolean watch,
     GCancellable *cancellable,
     GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	cclm_fleet_load_async(fx->fleet, contexts, watch, cancellable, store_result_cb, &res);
	wait_result(&res);
	return cclm_fleet_load_finish(fx->fleet, res, error);
}

static GPtrArray *
fit(Fixture *fx, const gchar *const *vms, const gchar *target, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	cclm_fleet_fit_async(fx->fleet, "source", vms, target, NULL, NULL, store_result_cb, &res);
	wait_result(&res);
	return cclm_fleet_fit_finish(fx->fleet, res, error);
}

static GPtrArray *
suggest(Fixture *fx, const gchar *source, const gchar *const *vms, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	cclm_fleet_suggest_async(fx->fleet, source, vms, NULL, NULL, store_result_cb, &res);
	wait_result(&res);
	return cclm_fleet_suggest_finish(fx->fleet, res, error);
}

static void
test_load(Fixture *fx, gconstpointer data)
{
	const gchar *const again[] = {"roomy", "gone", NULL};
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) expected = cclm_kubeconfig_get_contexts(kubeconfig);
	g_auto(GStrv) contexts = NULL;
	g_autoptr(JsonNode) report = NULL;
	CclmInventory *roomy;
	const GError *gone;
	JsonObject *clusters;

	g_assert_true(load(fx, NULL, FALSE, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(fx->loaded->len, ==, N_CONTEXTS);
	contexts = cclm_fleet_get_contexts(fx->fleet);
	g_assert_cmpstrv(contexts, expected);

	roomy = cclm_fleet_get_inventory(fx->fleet, "roomy");
	g_assert_nonnull(roomy);
	g_assert_cmpuint(cclm_inventory_get_n_nodes(roomy), >, 0);
	g_assert_null(cclm_fleet_get_error(fx->fleet, "roomy"));
	g_assert_null(cclm_fleet_get_inventory(fx->fleet, "gone"));
	gone = cclm_fleet_get_error(fx->fleet, "gone");
	g_assert_error(gone, CCLM_ERROR, CCLM_ERROR_NETWORK);
	g_assert_nonnull(strstr(gone->message, "\"gone\""));
	g_assert_null(cclm_fleet_get_error(fx->fleet, "absent"));

	report = cclm_fleet_capacity_to_json(fx->fleet);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(report), "schema"), ==,
			CCLM_CAPACITY_SCHEMA);
	clusters = json_object_get_object_member(json_node_get_object(report), "clusters");
	g_assert_cmpuint(json_object_get_size(clusters), ==, N_CONTEXTS);
	g_assert_true(
	    json_object_has_member(json_object_get_object_member(clusters, "roomy"), "nodes"));
	g_assert_cmpstr(json_object_get_string_member(
			    json_object_get_object_member(json_object_get_object_member(clusters,
											"gone"),
							  "error"),
			    "code"),
			==, "network");

	/* loaded members are reused: no new load, the same inventory */
	g_assert_true(load(fx, again, FALSE, NULL, &error));
	g_assert_cmpuint(fx->loaded->len, ==, N_CONTEXTS);
	g_assert_true(cclm_fleet_get_inventory(fx->fleet, "roomy") == roomy);
}

static void
test_load_subset(Fixture *fx, gconstpointer data)
{
	const gchar *const one[] = {"roomy", NULL};
	const gchar *const unknown[] = {"roomy", "nope", NULL};
	const gchar *const none[] = {NULL};
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) contexts = NULL;

	g_assert_true(load(fx, one, FALSE, NULL, &error));
	g_assert_no_error(error);
	contexts = cclm_fleet_get_contexts(fx->fleet);
	g_assert_cmpstrv(contexts, one);
	g_assert_null(cclm_fleet_get_inventory(fx->fleet, "source"));

	g_assert_true(load(fx, none, FALSE, NULL, &error));
	g_assert_cmpuint(fx->loaded->len, ==, 1);

	g_assert_false(load(fx, unknown, FALSE, NULL, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_assert_nonnull(strstr(error->message, "\"nope\""));
	g_assert_cmpuint(fx->loaded->len, ==, 1);
}

static void
test_concurrent_loads(Fixture *fx, gconstpointer data)
{
	const gchar *const some[] = {"source", "roomy", NULL};
	g_autoptr(GAsyncResult) all = NULL;
	g_autoptr(GAsyncResult) two = NULL;
	g_autoptr(GError) error = NULL;

	cclm_fleet_load_async(fx->fleet, NULL, FALSE, NULL, store_result_cb, &all);
	cclm_fleet_load_async(fx->fleet, some, FALSE, NULL, store_result_cb, &two);
	wait_result(&two);
	g_assert_true(cclm_fleet_load_finish(fx->fleet, two, &error));
	g_assert_nonnull(cclm_fleet_get_inventory(fx->fleet, "source"));
	g_assert_nonnull(cclm_fleet_get_inventory(fx->fleet, "roomy"));
	wait_result(&all);
	g_assert_true(cclm_fleet_load_finish(fx->fleet, all, &error));
	/* each member loaded once for both calls */
	g_assert_cmpuint(fx->loaded->len, ==, N_CONTEXTS);
}

static void
test_fit(Fixture *fx, gconstpointer data)
{
	const gchar *const demo[] = {"apps/demo", NULL};
	const gchar *const batch[] = {"apps/demo", "apps/small", NULL};
	const gchar *const missing[] = {"apps/nope", NULL};
	const gchar *const empty[] = {NULL};
	const gchar *const pair[] = {"source", "fragmented", NULL};
	g_autoptr(GPtrArray) verdicts = NULL;
	g_autoptr(GPtrArray) failed = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) contexts = NULL;

	verdicts = fit(fx, batch, "fragmented", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(verdicts->len, ==, 2);
	/* judged together: the first does not fit, the second does */
	g_assert_false(cclm_fit_verdict_get_fits(verdicts->pdata[0]));
	g_assert_true(cclm_fit_verdict_get_fits(verdicts->pdata[1]));
	g_assert_cmpstr(cclm_fit_verdict_get_vm(verdicts->pdata[1]), ==, "apps/small");
	/* only the two clusters were loaded */
	contexts = cclm_fleet_get_contexts(fx->fleet);
	g_assert_cmpstrv(contexts, pair);
	g_clear_pointer(&verdicts, g_ptr_array_unref);

	verdicts = fit(fx, demo, "roomy", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(verdicts->len, ==, 1);
	g_assert_true(cclm_fit_verdict_get_fits(verdicts->pdata[0]));
	g_assert_cmpuint(fx->loaded->len, ==, 3);

	failed = fit(fx, missing, "roomy", &error);
	g_assert_null(failed);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "\"source\""));
	g_assert_nonnull(strstr(error->message, "apps/nope"));
	g_clear_error(&error);

	failed = fit(fx, demo, "gone", &error);
	g_assert_null(failed);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK);
	g_assert_nonnull(strstr(error->message, "\"gone\""));
	g_clear_error(&error);

	failed = fit(fx, demo, "nope", &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_clear_error(&error);
	failed = fit(fx, empty, "roomy", &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
}

static void
test_suggest(Fixture *fx, gconstpointer data)
{
	const gchar *const demo[] = {"apps/demo", NULL};
	g_autoptr(GPtrArray) candidates = NULL;
	g_autoptr(GPtrArray) failed = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) json = NULL;
	CclmCandidate *first, *last;
	JsonObject *object;

	candidates = suggest(fx, "source", demo, &error);
	g_assert_no_error(error);
	/* every other context: four judged, the unreachable one last */
	g_assert_cmpuint(candidates->len, ==, N_CONTEXTS - 1);
	first = candidates->pdata[0];
	g_assert_cmpstr(cclm_candidate_get_cluster(first), ==, "roomy");
	g_assert_true(cclm_candidate_get_fits(first));
	g_assert_null(cclm_candidate_get_error(first));
	for (guint i = 0; i < candidates->len; i++) {
		g_assert_cmpstr(cclm_candidate_get_cluster(candidates->pdata[i]), !=, "source");
		g_assert_cmpuint(cclm_candidate_get_fits(candidates->pdata[i]), ==, i == 0);
	}
	last = candidates->pdata[candidates->len - 1];
	g_assert_cmpstr(cclm_candidate_get_cluster(last), ==, "gone");
	g_assert_error(cclm_candidate_get_error(last), CCLM_ERROR, CCLM_ERROR_NETWORK);
	g_assert_cmpuint(cclm_candidate_get_verdicts(last)->len, ==, 0);
	json = cclm_candidate_to_json(last);
	object = json_node_get_object(json);
	g_assert_true(json_object_get_null_member(object, "score"));
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(object,
										    "error"),
						      "code"),
			==, "network");

	failed = suggest(fx, "gone", demo, &error);
	g_assert_null(failed);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK);
	g_clear_error(&error);
	failed = suggest(fx, "nope", demo, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
}

/* Cancelled before it starts, then once started: nothing stays half loaded, and a later load
 * restarts the members whose loads the cancelled one had stopped. */
static void
test_cancel(Fixture *fx, gconstpointer data)
{
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GCancellable) cancelled = g_cancellable_new();
	g_autoptr(GAsyncResult) first = NULL;
	g_autoptr(GAsyncResult) second = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) contexts = NULL;

	g_cancellable_cancel(cancelled);
	g_assert_false(load(fx, NULL, FALSE, cancelled, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);
	g_assert_cmpuint(fx->loaded->len, ==, 0);

	cclm_fleet_load_async(fx->fleet, NULL, FALSE, cancellable, store_result_cb, &first);
	g_cancellable_cancel(cancellable);
	wait_result(&first);
	g_assert_false(cclm_fleet_load_finish(fx->fleet, first, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	/* the members' own loads are still winding down */
	cclm_fleet_load_async(fx->fleet, NULL, FALSE, NULL, store_result_cb, &second);
	wait_result(&second);
	g_assert_true(cclm_fleet_load_finish(fx->fleet, second, NULL));
	contexts = cclm_fleet_get_contexts(fx->fleet);
	g_assert_cmpuint(g_strv_length(contexts), ==, N_CONTEXTS);
	g_assert_nonnull(cclm_fleet_get_inventory(fx->fleet, "roomy"));
	g_assert_cmpuint(fx->loaded->len, ==, N_CONTEXTS);
}

/* Cancelled while members are loading (at the first member that ends): the call fails at once
 * and the loads it started stop; the fleet is then freed (teardown). */
static void
test_cancel_mid_load(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) contexts = NULL;

	fx->cancel_on_first = g_cancellable_new();
	g_assert_false(load(fx, NULL, FALSE, fx->cancel_on_first, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	contexts = cclm_fleet_get_contexts(fx->fleet);
	g_assert_false(g_strv_contains((const gchar *const *)contexts, "roomy"));
	g_assert_null(cclm_fleet_get_inventory(fx->fleet, "roomy"));
	g_assert_cmpuint(g_strv_length(contexts), ==, fx->loaded->len);
}

static gboolean
set_flag_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

/* With watch, a member's inventory follows its cluster: a pod created afterwards arrives. */
static void
test_watch(Fixture *fx, gconstpointer data)
{
	const gchar *const one[] = {"roomy", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCluster) cluster = NULL;
	g_autoptr(JsonNode) pod = NULL;
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(JsonNode) created = NULL;
	g_autofree gchar *path = cclm_cluster_build_path(NULL, "v1", "pods", "apps", NULL);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(CclmInventory) one_shot = NULL;
	g_auto(GStrv) contexts = NULL;
	CclmInventory *inventory;
	gboolean timed_out = FALSE;
	guint before, deadline;

	/* a one-shot load first: asking for a watch then loads the member again, watched, while
	 * the one-shot inventory serves; a cancelled reload leaves it in place */
	g_assert_true(load(fx, one, FALSE, NULL, &error));
	one_shot = g_object_ref(cclm_fleet_get_inventory(fx->fleet, "roomy"));
	cclm_fleet_load_async(fx->fleet, one, TRUE, cancellable, store_result_cb, &res);
	g_assert_true(cclm_fleet_is_loading(fx->fleet));
	g_assert_true(cclm_fleet_get_inventory(fx->fleet, "roomy") == one_shot);
	contexts = cclm_fleet_get_contexts(fx->fleet);
	g_assert_true(g_strv_contains((const gchar *const *)contexts, "roomy"));
	g_cancellable_cancel(cancellable);
	wait_result(&res);
	g_assert_false(cclm_fleet_load_finish(fx->fleet, res, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);
	g_clear_object(&res);
	while (cclm_fleet_is_loading(fx->fleet))
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(cclm_fleet_get_inventory(fx->fleet, "roomy") == one_shot);

	cclm_fleet_load_async(fx->fleet, one, TRUE, NULL, store_result_cb, &res);
	g_assert_true(cclm_fleet_get_inventory(fx->fleet, "roomy") == one_shot);
	wait_result(&res);
	g_assert_true(cclm_fleet_load_finish(fx->fleet, res, &error));
	g_assert_no_error(error);
	g_clear_object(&res);
	inventory = cclm_fleet_get_inventory(fx->fleet, "roomy");
	g_assert_nonnull(inventory);
	g_assert_true(inventory != one_shot);
	before = cclm_inventory_get_n_pods(inventory);

	cluster = cclm_cluster_new(kubeconfig, "roomy", &error);
	g_assert_no_error(error);
	pod = json_from_string("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": "
			       "{\"name\": \"from-fleet-test\", \"namespace\": \"apps\"}, "
			       "\"spec\": {\"nodeName\": \"roomy-w1\", \"containers\": "
			       "[{\"name\": \"c\", \"image\": \"c\"}]}}",
			       &error);
	g_assert_no_error(error);
	cclm_cluster_create_async(cluster, path, pod, NULL, store_result_cb, &res);
	wait_result(&res);
	created = cclm_cluster_create_finish(cluster, res, &error);
	g_assert_no_error(error);
	/* a deadline, so that a missing watch fails here rather than at the test's timeout */
	deadline = g_timeout_add_seconds(30, set_flag_cb, &timed_out);
	while (cclm_inventory_get_n_pods(inventory) == before && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(timed_out);
	g_source_remove(deadline);
	g_assert_cmpuint(cclm_inventory_get_n_pods(inventory), ==, before + 1);
}

/* The blocking twins, as the CLI uses them: no main loop of the caller's runs meanwhile, and
 * a cancelled load leaves no member load behind in their private main context. */
static void
test_sync(Fixture *fx, gconstpointer data)
{
	const gchar *const batch[] = {"apps/demo", "apps/small", NULL};
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GPtrArray) verdicts = NULL;
	g_autoptr(GPtrArray) candidates = NULL;
	g_autoptr(GPtrArray) failed = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) contexts = NULL;

	fx->cancel_on_first = g_object_ref(cancellable);
	g_assert_false(cclm_fleet_load_sync(fx->fleet, NULL, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);
	g_clear_object(&fx->cancel_on_first);

	g_assert_true(cclm_fleet_load_sync(fx->fleet, NULL, NULL, &error));
	g_assert_no_error(error);
	contexts = cclm_fleet_get_contexts(fx->fleet);
	g_assert_cmpuint(g_strv_length(contexts), ==, N_CONTEXTS);
	g_assert_error(cclm_fleet_get_error(fx->fleet, "gone"), CCLM_ERROR, CCLM_ERROR_NETWORK);

	verdicts =
	    cclm_fleet_fit_sync(fx->fleet, "source", batch, "fragmented", NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(verdicts->len, ==, 2);
	g_assert_false(cclm_fit_verdict_get_fits(verdicts->pdata[0]));
	g_assert_true(cclm_fit_verdict_get_fits(verdicts->pdata[1]));
	failed = cclm_fleet_fit_sync(fx->fleet, "source", batch, "gone", NULL, NULL, &error);
	g_assert_null(failed);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK);
	g_clear_error(&error);

	candidates = cclm_fleet_suggest_sync(fx->fleet, "source", batch, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(candidates->len, ==, N_CONTEXTS - 1);
	g_assert_cmpstr(cclm_candidate_get_cluster(candidates->pdata[candidates->len - 1]), ==,
			"gone");
}

/* A failed assertion aborts the test: the simulator must not outlive it. */
static void
sim_child_setup(gpointer user_data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static void
sim_exited_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	sim_exited = TRUE;
}

/* A port nothing listens on: bound, then closed. */
static guint16
closed_port(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) socket =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;

	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, any, FALSE, &error));
	bound = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *sim_kubeconfig = NULL;
	g_autofree gchar *gone_kubeconfig = NULL;
	g_autofree gchar *gone = NULL;
	g_autofree gchar *paths = NULL;
	g_autoptr(GFile) dir_file = NULL;
	g_autoptr(GFileMonitor) monitor = NULL;
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	gint status;

	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("cclm-fleet-XXXXXX", &error);
	g_assert_no_error(error);
	dir_file = g_file_new_for_path(dir);
	sim_kubeconfig = g_build_filename(dir, "kubeconfig", NULL);
	gone_kubeconfig = g_build_filename(dir, "gone", NULL);
	gone =
	    g_strdup_printf("apiVersion: v1\nkind: Config\n"
			    "clusters:\n- name: gone\n  cluster:\n"
			    "    server: https://127.0.0.1:%u\n"
			    "users:\n- name: nobody\n  user: {token: not-a-secret}\n"
			    "contexts:\n- name: gone\n  context: {cluster: gone, user: nobody}\n",
			    closed_port());
	g_assert_true(g_file_set_contents(gone_kubeconfig, gone, -1, &error));
	monitor = g_file_monitor_directory(dir_file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
	g_assert_no_error(error);
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_subprocess_launcher_set_child_setup(launcher, sim_child_setup, NULL, NULL);
	/* roomy answers slowly, so that a load cancelled when its first member ends is surely
	 * mid-way */
	sim = g_subprocess_launcher_spawn(launcher, &error, CCLM_SIM_PATH, "--fleet",
					  CCLM_CLI_FLEET, "--kubeconfig", sim_kubeconfig,
					  "--faults", "roomy:latency=300", NULL);
	g_assert_no_error(error);
	g_subprocess_wait_async(sim, NULL, sim_exited_cb, NULL);
	/* cclm-sim writes the kubeconfig (atomically) once every cluster listens: the directory
	 * monitor wakes the loop when it appears */
	while (!g_file_test(sim_kubeconfig, G_FILE_TEST_EXISTS) && !sim_exited)
		g_main_context_iteration(NULL, TRUE);
	g_clear_object(&monitor);
	g_assert_false(sim_exited);
	/* the merged kubeconfig, as $KUBECONFIG lists it: the sim's contexts, then "gone" */
	paths = g_strdup_printf("%s:%s", sim_kubeconfig, gone_kubeconfig);
	g_setenv("KUBECONFIG", paths, TRUE);
	kubeconfig = cclm_kubeconfig_load(NULL, &error);
	g_assert_no_error(error);

	g_test_add("/fleet/load", Fixture, NULL, fixture_setup, test_load, fixture_teardown);
	g_test_add("/fleet/load-subset", Fixture, NULL, fixture_setup, test_load_subset,
		   fixture_teardown);
	g_test_add("/fleet/concurrent-loads", Fixture, NULL, fixture_setup, test_concurrent_loads,
		   fixture_teardown);
	g_test_add("/fleet/fit", Fixture, NULL, fixture_setup, test_fit, fixture_teardown);
	g_test_add("/fleet/suggest", Fixture, NULL, fixture_setup, test_suggest, fixture_teardown);
	g_test_add("/fleet/watch", Fixture, NULL, fixture_setup, test_watch, fixture_teardown);
	g_test_add("/fleet/sync", Fixture, NULL, fixture_setup, test_sync, fixture_teardown);
	g_test_add("/fleet/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
	g_test_add("/fleet/cancel-mid-load", Fixture, NULL, fixture_setup, test_cancel_mid_load,
		   fixture_teardown);
	status = g_test_run();

	g_clear_object(&kubeconfig);
	g_subprocess_send_signal(sim, SIGTERM);
	while (!sim_exited)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(g_subprocess_get_successful(sim));
	g_clear_object(&sim);
	g_unlink(sim_kubeconfig);
	g_unlink(gone_kubeconfig);
	g_rmdir(dir);
	return status;
}
