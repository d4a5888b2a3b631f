/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cluster-private.h"
#include "cclm-error.h"
#include "cclm-test-server.h"

/* CclmCluster on the test server: discovery of a cluster that has only some of the APIs
 * (cclm-sim serves them all, see test-gi.py), reachability and its signal, argument errors. */

#define TOKEN "t0k3n-for-tests"

typedef struct {
	CclmTestServer *server;
	gchar *kubeconfig_data;
	guint state_changes;
	gboolean last_reachable;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const gchar *token = data != NULL ? data : TOKEN;

	fx->server = cclm_test_server_new(CCLM_TEST_CERT_DIR, &error);
	g_assert_no_error(error);
	cclm_test_server_require_token(fx->server, TOKEN);
	cclm_test_server_set_json(fx->server, "/version", 200,
				  "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.2\"}");
	cclm_test_server_set_json(
	    fx->server, "/apis", 200,
	    "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":["
	    "{\"name\":\"kubevirt.io\",\"versions\":[{\"groupVersion\":\"kubevirt.io/v1\","
	    "\"version\":\"v1\"}]},"
	    "{\"name\":\"storage.k8s.io\",\"versions\":[{\"groupVersion\":\"storage.k8s.io/v1\","
	    "\"version\":\"v1\"}]}]}");
	/* storage.k8s.io without CSIStorageCapacity, as on clusters before 1.24 */
	cclm_test_server_set_json(fx->server, "/apis/storage.k8s.io/v1", 200,
				  "{\"kind\":\"APIResourceList\",\"groupVersion\":\"storage.k8s.io/v1\","
				  "\"resources\":[{\"name\":\"storageclasses\",\"kind\":"
				  "\"StorageClass\",\"namespaced\":false}]}");
	cclm_test_server_set_json(fx->server, "/apis/kubevirt.io/v1/kubevirts", 200,
				  "{\"kind\":\"KubeVirtList\",\"apiVersion\":\"kubevirt.io/v1\","
				  "\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"kubevirt\"},"
				  "\"status\":{\"observedKubeVirtVersion\":\"v1.7.1\"}}]}");
	fx->kubeconfig_data = g_strdup_printf(
	    "apiVersion: v1\nkind: Config\ncurrent-context: lab\n"
	    "clusters:\n- name: lab\n  cluster:\n    server: %s\n"
	    "    certificate-authority: %s/ca.pem\n"
	    "users:\n- name: admin\n  user:\n    token: %s\n"
	    "contexts:\n- name: lab\n  context: {cluster: lab, user: admin, namespace: vms}\n",
	    cclm_test_server_get_url(fx->server), CCLM_TEST_CERT_DIR, token);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_clear_object(&fx->server);
	g_free(fx->kubeconfig_data);
}

static void
state_changed_cb(CclmCluster *cluster, gboolean reachable, GError *error, Fixture *fx)
{
	fx->state_changes++;
	fx->last_reachable = reachable;
	/* an unreachable cluster always says why */
	g_assert_true(reachable || error != NULL);
}

static CclmCluster *
fixture_new_cluster(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmKubeconfig) kubeconfig =
	    cclm_kubeconfig_load_from_data(fx->kubeconfig_data, -1, NULL, &error);
	CclmCluster *cluster;

	g_assert_no_error(error);
	cluster = cclm_cluster_new(kubeconfig, NULL, &error);
	g_assert_no_error(error);
	g_signal_connect(cluster, "state-changed", G_CALLBACK(state_changed_cb), fx);
	return cluster;
}

static void
test_connect_discovery(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCluster) cluster = fixture_new_cluster(fx);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_cmpstr(cclm_cluster_get_name(cluster), ==, "lab");
	g_assert_cmpstr(cclm_cluster_get_namespace(cluster), ==, "vms");
	g_assert_cmpstr(cclm_cluster_get_server(cluster), ==, cclm_test_server_get_url(fx->server));
	g_assert_false(cclm_cluster_get_reachable(cluster));
	cclm_cluster_connect_async(cluster, NULL, cclm_test_store_result_cb, &res);
	cclm_test_wait_result(&res);
	g_assert_true(cclm_cluster_connect_finish(cluster, res, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(cclm_cluster_get_server_version(cluster), ==, "v1.30.2");
	g_assert_cmpstr(cclm_cluster_get_kubevirt_version(cluster), ==, "v1.7.1");
	g_assert_cmpint(cclm_cluster_get_features(cluster), ==, CCLM_CLUSTER_FEATURE_KUBEVIRT);
	g_assert_true(cclm_cluster_get_reachable(cluster));
	g_assert_cmpuint(fx->state_changes, ==, 1);
	g_assert_true(fx->last_reachable);

	/* an API answer such as NotFound proves the cluster works: no state change */
	g_clear_object(&res);
	cclm_cluster_get_async(cluster, "/api/v1/namespaces/vms/pods/absent", NULL,
			       cclm_test_store_result_cb, &res);
	cclm_test_wait_result(&res);
	g_assert_null(cclm_cluster_get_finish(cluster, res, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND);
	g_assert_cmpuint(cclm_error_get_http_status(error), ==, 404);
	g_assert_true(cclm_cluster_get_reachable(cluster));
	g_assert_cmpuint(fx->state_changes, ==, 1);
}

static void
test_connect_unauthorized(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCluster) cluster = fixture_new_cluster(fx);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;

	cclm_cluster_connect_async(cluster, NULL, cclm_test_store_result_cb, &res);
	cclm_test_wait_result(&res);
	g_assert_false(cclm_cluster_connect_finish(cluster, res, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_UNAUTHORIZED);
	g_assert_null(strstr(error->message, "wrong-token"));
	g_assert_false(cclm_cluster_get_reachable(cluster));
	g_assert_null(cclm_cluster_get_server_version(cluster));
}

static void
test_connect_bad_version(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCluster) cluster = fixture_new_cluster(fx);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;

	cclm_test_server_set_json(fx->server, "/version", 200, "{\"major\":\"1\"}");
	cclm_cluster_connect_async(cluster, NULL, cclm_test_store_result_cb, &res);
	cclm_test_wait_result(&res);
	g_assert_false(cclm_cluster_connect_finish(cluster, res, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_assert_nonnull(strstr(error->message, "gitVersion"));
	g_assert_nonnull(strstr(error->message, "\"lab\""));
}

static void
test_connect_cancelled(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCluster) cluster = fixture_new_cluster(fx);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;

	g_cancellable_cancel(cancellable);
	cclm_cluster_connect_async(cluster, cancellable, cclm_test_store_result_cb, &res);
	cclm_test_wait_result(&res);
	g_assert_false(cclm_cluster_connect_finish(cluster, res, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	/* cancellation says nothing about the cluster */
	g_assert_cmpuint(fx->state_changes, ==, 0);
}

static void
test_bad_arguments(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCluster) cluster = fixture_new_cluster(fx);
	g_autoptr(JsonNode) array = json_node_new(JSON_NODE_ARRAY);
	g_autoptr(JsonNode) object = json_node_new(JSON_NODE_OBJECT);
	struct {
		const gchar *what;
		GAsyncResult *res;
	} cases[3] = {{"relative path"}, {"create of an array"}, {"apply without field manager"}};
	g_autoptr(GError) e0 = NULL;
	g_autoptr(GError) e1 = NULL;
	g_autoptr(GError) e2 = NULL;

	/* json_node_init_*() would take a second reference: take the only one */
	json_node_take_array(array, json_array_new());
	json_node_take_object(object, json_object_new());
	cclm_cluster_get_async(cluster, "api/v1/pods", NULL, cclm_test_store_result_cb,
			       &cases[0].res);
	cclm_cluster_create_async(cluster, "/api/v1/namespaces/vms/pods", array, NULL,
				  cclm_test_store_result_cb, &cases[1].res);
	cclm_cluster_patch_async(cluster, "/api/v1/namespaces/vms/pods/p", CCLM_PATCH_TYPE_APPLY,
				 object, NULL, FALSE, NULL, cclm_test_store_result_cb, &cases[2].res);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		cclm_test_wait_result(&cases[i].res);
	g_assert_null(cclm_cluster_get_finish(cluster, cases[0].res, &e0));
	g_assert_error(e0, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
	g_assert_null(cclm_cluster_create_finish(cluster, cases[1].res, &e1));
	g_assert_error(e1, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
	g_assert_null(cclm_cluster_patch_finish(cluster, cases[2].res, &e2));
	g_assert_error(e2, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		g_object_unref(cases[i].res);
	/* nothing was sent for any of them */
	g_assert_cmpuint(cclm_test_server_get_requests(fx->server)->len, ==, 0);
}

static void
test_unknown_context(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmKubeconfig) kubeconfig = cclm_kubeconfig_load_from_data(
	    "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n", -1, NULL,
	    &error);
	g_autoptr(CclmCluster) cluster = NULL;

	g_assert_no_error(error);
	cluster = cclm_cluster_new(kubeconfig, NULL, &error);
	g_assert_null(cluster);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_clear_error(&error);
	cluster = cclm_cluster_new(kubeconfig, "east", &error);
	g_assert_null(cluster);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_assert_nonnull(strstr(error->message, "east"));
}

static void
test_build_path(void)
{
	static const struct {
		const gchar *group, *version, *resource, *ns, *name, *path;
	} cases[] = {
	    {NULL, "v1", "nodes", NULL, NULL, "/api/v1/nodes"},
	    {"", "v1", "pods", "vms", "web-0", "/api/v1/namespaces/vms/pods/web-0"},
	    {"kubevirt.io", "v1", "virtualmachines", "a b", "vm/1",
	     "/apis/kubevirt.io/v1/namespaces/a%20b/virtualmachines/vm%2F1"},
	    {"kubevirt.io", "v1", "virtualmachines/status", "ns", NULL,
	     "/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/status"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *path = cclm_cluster_build_path(
		    cases[i].group, cases[i].version, cases[i].resource, cases[i].ns, cases[i].name);
		g_assert_cmpstr(path, ==, cases[i].path);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/cluster/connect/discovery", Fixture, NULL, fixture_setup,
		   test_connect_discovery, fixture_teardown);
	g_test_add("/cluster/connect/unauthorized", Fixture, "wrong-token", fixture_setup,
		   test_connect_unauthorized, fixture_teardown);
	g_test_add("/cluster/connect/bad-version", Fixture, NULL, fixture_setup,
		   test_connect_bad_version, fixture_teardown);
	g_test_add("/cluster/connect/cancelled", Fixture, NULL, fixture_setup,
		   test_connect_cancelled, fixture_teardown);
	g_test_add("/cluster/arguments", Fixture, NULL, fixture_setup, test_bad_arguments,
		   fixture_teardown);
	g_test_add_func("/cluster/unknown-context", test_unknown_context);
	g_test_add_func("/cluster/build-path", test_build_path);
	return g_test_run();
}
