/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-error.h"
#include "cclm-inventory-private.h"
#include "cclm-rest-client-private.h"
#include "cclm-test-server.h"

#define PODS "/api/v1/pods"

typedef struct {
	CclmTestServer *server;
	CclmRestClient *client;
	CclmInventory *inventory;
	guint changed;
	guint want_pods;
} Fixture;

static void
changed_cb(CclmInventory *inventory, Fixture *fx)
{
	fx->changed++;
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmRestConfig) config = NULL;

	fx->server = cclm_test_server_new(CCLM_TEST_CERT_DIR, &error);
	g_assert_no_error(error);
	config = cclm_test_server_new_config(fx->server);
	fx->client = cclm_rest_client_new(config, &error);
	g_assert_no_error(error);
	cclm_rest_client_set_rate_limit(fx->client, 0, 1);
	cclm_test_server_add_collection(fx->server, PODS, GPOINTER_TO_UINT(data));
	fx->inventory = cclm_inventory_new("test");
	g_signal_connect(fx->inventory, "changed", G_CALLBACK(changed_cb), fx);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_clear_object(&fx->inventory);
	g_clear_object(&fx->client);
	g_clear_object(&fx->server);
}

static gboolean
has_watch(gpointer data)
{
	Fixture *fx = data;

	return cclm_test_server_count_watches(fx->server, PODS) == 1;
}

static gboolean
has_pods(gpointer data)
{
	Fixture *fx = data;

	return cclm_inventory_get_n_pods(fx->inventory) == fx->want_pods;
}

static void
run_sync(Fixture *fx, const CclmInventoryKind *kinds, guint n_kinds, GError **error, gboolean *ok)
{
	g_autoptr(GAsyncResult) res = NULL;

	cclm_inventory_sync_rest_async(fx->inventory, fx->client, kinds, n_kinds, 500, NULL,
				  cclm_test_store_result_cb, &res);
	cclm_test_wait_result(&res);
	*ok = cclm_inventory_sync_finish(fx->inventory, res, error);
}

/* 1,200 pods in pages of 500 through the stream parser, then watch events */
static void
test_sync_list_then_watch(Fixture *fx, gconstpointer data)
{
	const CclmInventoryKind kinds[] = {CCLM_INVENTORY_KIND_POD, CCLM_INVENTORY_KIND_KUBEVIRT};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *added = NULL;
	g_autofree gchar *deleted = NULL;
	gboolean ok;
	guint changed;

	/* the cluster serves no KubeVirt API: that kind stays empty */
	run_sync(fx, kinds, G_N_ELEMENTS(kinds), &error, &ok);
	g_assert_no_error(error);
	g_assert_true(ok);
	g_assert_cmpuint(cclm_inventory_get_n_pods(fx->inventory), ==, 1200);
	g_assert_cmpuint(cclm_test_server_get_list_page_count(fx->server, PODS), ==, 3);
	g_assert_cmpuint(fx->changed, ==, 3); /* one per page */
	cclm_test_wait_until(has_watch, fx, 10);

	changed = fx->changed;
	added = cclm_test_server_set_object(fx->server, PODS, "zz-new");
	cclm_test_server_watch_send(fx->server, PODS, added, -1);
	fx->want_pods = 1201;
	cclm_test_wait_until(has_pods, fx, 10);
	g_assert_cmpuint(fx->changed, ==, changed + 1);
	g_assert_nonnull(g_hash_table_lookup(cclm_inventory_get_table(fx->inventory, CCLM_INVENTORY_KIND_POD),
					     "default/zz-new"));
	deleted = cclm_test_server_delete_object(fx->server, PODS, "obj-00007");
	cclm_test_server_watch_send(fx->server, PODS, deleted, -1);
	fx->want_pods = 1200;
	cclm_test_wait_until(has_pods, fx, 10);
	g_assert_null(g_hash_table_lookup(cclm_inventory_get_table(fx->inventory, CCLM_INVENTORY_KIND_POD),
					  "default/obj-00007"));
	g_assert_null(cclm_inventory_get_sync_error(fx->inventory));
}

/* A list the server refuses fails the sync with the kind's path in the message */
static void
test_sync_forbidden(Fixture *fx, gconstpointer data)
{
	const CclmInventoryKind kinds[] = {CCLM_INVENTORY_KIND_NODE};
	g_autoptr(GError) error = NULL;
	gboolean ok;

	cclm_test_server_push_status(fx->server, "/api/v1/nodes", 403, "Forbidden",
				     "nodes is forbidden: User \"u\" cannot list resource \"nodes\"");
	run_sync(fx, kinds, G_N_ELEMENTS(kinds), &error, &ok);
	g_assert_false(ok);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_FORBIDDEN);
	g_assert_true(g_str_has_prefix(error->message, "/api/v1/nodes: "));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/inventory-sync/list-then-watch", Fixture, GUINT_TO_POINTER(1200), fixture_setup,
		   test_sync_list_then_watch, fixture_teardown);
	g_test_add("/inventory-sync/forbidden", Fixture, GUINT_TO_POINTER(0), fixture_setup,
		   test_sync_forbidden, fixture_teardown);
	return g_test_run();
}
