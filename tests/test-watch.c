/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-enum-types.h"
#include "cclm-error-private.h"
#include "cclm-rest-client-private.h"
#include "cclm-test-server.h"
#include "cclm-watch-private.h"

#define PODS "/api/v1/namespaces/default/pods"

typedef struct {
	CclmWatchEventType type;
	gchar *name;
	gchar *rv;
} Event;

typedef struct {
	CclmTestServer *server;
	CclmRestClient *client;
	CclmWatch *watch;
	GPtrArray *events; /* Event */
	guint synced;
	GError *failed;
} Fixture;

static void
event_free(Event *ev)
{
	g_free(ev->name);
	g_free(ev->rv);
	g_free(ev);
}

static void
event_cb(CclmWatch *watch, CclmWatchEventType type, JsonObject *object, Fixture *fx)
{
	JsonObject *md = json_object_get_object_member(object, "metadata");
	Event *ev = g_new0(Event, 1);

	ev->type = type;
	ev->name = g_strdup(json_object_get_string_member(md, "name"));
	ev->rv = g_strdup(json_object_get_string_member(md, "resourceVersion"));
	g_ptr_array_add(fx->events, ev);
}

static void
synced_cb(CclmWatch *watch, Fixture *fx)
{
	g_assert_true(cclm_watch_get_synced(watch));
	fx->synced++;
}

static void
failed_cb(CclmWatch *watch, const GError *error, Fixture *fx)
{
	g_assert_null(fx->failed);
	fx->failed = g_error_copy(error);
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
	cclm_rest_client_set_retry_policy(fx->client, 3, 5, 20);
	fx->events = g_ptr_array_new_with_free_func((GDestroyNotify)event_free);
	cclm_test_server_add_collection(fx->server, PODS, GPOINTER_TO_UINT(data));
}

static void
fixture_watch(Fixture *fx, const gchar *rv)
{
	fx->watch = cclm_rest_client_watch(fx->client, PODS, rv);
	g_signal_connect(fx->watch, "event", G_CALLBACK(event_cb), fx);
	g_signal_connect(fx->watch, "synced", G_CALLBACK(synced_cb), fx);
	g_signal_connect(fx->watch, "failed", G_CALLBACK(failed_cb), fx);
	cclm_watch_start(fx->watch);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	if (fx->watch != NULL)
		cclm_watch_stop(fx->watch);
	g_clear_object(&fx->watch);
	g_clear_object(&fx->client);
	g_clear_object(&fx->server);
	g_clear_pointer(&fx->events, g_ptr_array_unref);
	g_clear_error(&fx->failed);
	while (g_main_context_iteration(NULL, FALSE))
		;
}

typedef struct {
	Fixture *fx;
	guint n;
} Wait;

static gboolean
events_reached(gpointer data)
{
	Wait *w = data;

	return w->fx->events->len >= w->n;
}

static gboolean
synced_reached(gpointer data)
{
	Wait *w = data;

	return w->fx->synced >= w->n;
}

static gboolean
watches_reached(gpointer data)
{
	Wait *w = data;

	return cclm_test_server_count_watches(w->fx->server, PODS) == w->n;
}

static gboolean
watch_requests_reached(gpointer data)
{
	Wait *w = data;
	GPtrArray *reqs = cclm_test_server_get_requests(w->fx->server);
	guint n = 0;

	for (guint i = 0; i < reqs->len; i++) {
		CclmTestRequest *req = reqs->pdata[i];

		if (req->query != NULL && strstr(req->query, "watch=true") != NULL)
			n++;
	}
	return n >= w->n;
}

static gboolean
failed_reached(gpointer data)
{
	return ((Fixture *)data)->failed != NULL;
}

static void
wait_events(Fixture *fx, guint n)
{
	Wait w = {fx, n};

	cclm_test_wait_until(events_reached, &w, 30);
}

static void
wait_synced(Fixture *fx, guint n)
{
	Wait w = {fx, n};

	cclm_test_wait_until(synced_reached, &w, 30);
}

static void
wait_watches(Fixture *fx, guint n)
{
	Wait w = {fx, n};

	cclm_test_wait_until(watches_reached, &w, 30);
}

static void
wait_watch_requests(Fixture *fx, guint n)
{
	Wait w = {fx, n};

	cclm_test_wait_until(watch_requests_reached, &w, 30);
}

/* The query of the last watch request. */
static const gchar *
last_watch_query(Fixture *fx)
{
	GPtrArray *reqs = cclm_test_server_get_requests(fx->server);

	for (guint i = reqs->len; i > 0; i--) {
		CclmTestRequest *req = reqs->pdata[i - 1];

		if (req->query != NULL && strstr(req->query, "watch=true") != NULL)
			return req->query;
	}
	return NULL;
}

static void
assert_event(Fixture *fx, guint i, CclmWatchEventType type, const gchar *name)
{
	Event *ev;

	g_assert_cmpuint(i, <, fx->events->len);
	ev = fx->events->pdata[i];
	g_assert_cmpint(ev->type, ==, type);
	g_assert_cmpstr(ev->name, ==, name);
}

static void
assert_rv_query(Fixture *fx, const gchar *rv)
{
	g_autofree gchar *want = g_strdup_printf("resourceVersion=%s", rv);
	const gchar *query = last_watch_query(fx);

	g_assert_nonnull(query);
	g_assert_nonnull(strstr(query, want));
	g_assert_nonnull(strstr(query, "allowWatchBookmarks=true"));
}

/* List, synced, then events, however the stream is cut into chunks. */
static void
test_list_then_watch(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *list_rv = NULL;
	g_autofree gchar *ev1 = NULL;
	g_autofree gchar *ev2 = NULL;
	g_autofree gchar *ev3 = NULL;
	g_autofree gchar *two = NULL;
	gsize half;

	list_rv = g_strdup_printf("%" G_GUINT64_FORMAT,
				  cclm_test_server_get_resource_version(fx->server));
	fixture_watch(fx, NULL);
	g_assert_false(cclm_watch_get_synced(fx->watch));
	wait_synced(fx, 1);
	g_assert_cmpuint(fx->events->len, ==, 5);
	for (guint i = 0; i < 5; i++) {
		g_autofree gchar *name = g_strdup_printf("obj-%05u", i);

		assert_event(fx, i, CCLM_WATCH_EVENT_ADDED, name);
	}
	g_assert_cmpstr(cclm_watch_get_resource_version(fx->watch), ==, list_rv);
	wait_watches(fx, 1);
	assert_rv_query(fx, list_rv);

	/* one event split in two chunks, one byte at a time for its end, then two in one */
	ev1 = cclm_test_server_set_object(fx->server, PODS, "obj-00001");
	half = strlen(ev1) / 2;
	cclm_test_server_watch_send(fx->server, PODS, ev1, half);
	for (gsize i = half; ev1[i] != '\0'; i++)
		cclm_test_server_watch_send(fx->server, PODS, ev1 + i, 1);
	ev2 = cclm_test_server_set_object(fx->server, PODS, "new-1");
	ev3 = cclm_test_server_delete_object(fx->server, PODS, "obj-00002");
	two = g_strconcat(ev2, ev3, NULL);
	cclm_test_server_watch_send(fx->server, PODS, two, -1);
	wait_events(fx, 8);
	assert_event(fx, 5, CCLM_WATCH_EVENT_MODIFIED, "obj-00001");
	assert_event(fx, 6, CCLM_WATCH_EVENT_ADDED, "new-1");
	assert_event(fx, 7, CCLM_WATCH_EVENT_DELETED, "obj-00002");
	g_assert_cmpstr(cclm_watch_get_resource_version(fx->watch), ==,
			((Event *)fx->events->pdata[7])->rv);
	g_assert_cmpuint(fx->synced, ==, 1);
	g_assert_null(fx->failed);
}

/* Bookmarks move the resource version without an event; a dropped stream resumes from it. */
static void
test_bookmark_resume(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *ev = NULL;
	g_autofree gchar *bookmark = NULL;
	g_autofree gchar *rv = NULL;
	g_autofree gchar *ev2 = NULL;

	fixture_watch(fx, NULL);
	wait_synced(fx, 1);
	wait_watches(fx, 1);
	ev = cclm_test_server_set_object(fx->server, PODS, "obj-00000");
	cclm_test_server_watch_send(fx->server, PODS, ev, -1);
	wait_events(fx, 4);
	bookmark = cclm_test_server_bookmark(fx->server, PODS);
	rv = g_strdup_printf("%" G_GUINT64_FORMAT,
			     cclm_test_server_get_resource_version(fx->server));
	/* the bookmark and the first half of an event, then the connection drops */
	ev2 = cclm_test_server_set_object(fx->server, PODS, "obj-00001");
	cclm_test_server_watch_send(fx->server, PODS, bookmark, -1);
	cclm_test_server_watch_send(fx->server, PODS, ev2, 20);
	cclm_test_server_watch_cut(fx->server, PODS);
	wait_watch_requests(fx, 2);
	wait_watches(fx, 1);
	g_assert_cmpuint(fx->events->len, ==, 4);
	g_assert_cmpstr(cclm_watch_get_resource_version(fx->watch), ==, rv);
	assert_rv_query(fx, rv);
	/* no relist: the resumed watch needs none */
	g_assert_cmpuint(cclm_test_server_get_list_page_count(fx->server, PODS), ==, 1);
	g_assert_cmpuint(fx->synced, ==, 1);

	cclm_test_server_watch_send(fx->server, PODS, ev2, -1);
	wait_events(fx, 5);
	assert_event(fx, 4, CCLM_WATCH_EVENT_MODIFIED, "obj-00001");
}

/* A 410 ERROR event relists and reports only what changed meanwhile. */
static void
test_expired_event(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *e1 = NULL;
	g_autofree gchar *e2 = NULL;
	g_autofree gchar *e3 = NULL;
	const gchar *gone =
	    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
	    "\"status\":\"Failure\",\"message\":\"too old resource version: 1 (9)\","
	    "\"reason\":\"Expired\",\"code\":410}}\n";

	fixture_watch(fx, NULL);
	wait_synced(fx, 1);
	wait_watches(fx, 1);
	g_assert_cmpuint(fx->events->len, ==, 5);
	/* changes the watch never hears of */
	e1 = cclm_test_server_set_object(fx->server, PODS, "obj-00003");
	e2 = cclm_test_server_delete_object(fx->server, PODS, "obj-00000");
	e3 = cclm_test_server_set_object(fx->server, PODS, "zzz");
	cclm_test_server_watch_send(fx->server, PODS, gone, -1);
	wait_synced(fx, 2);
	g_assert_cmpuint(fx->events->len, ==, 8);
	assert_event(fx, 5, CCLM_WATCH_EVENT_MODIFIED, "obj-00003");
	assert_event(fx, 6, CCLM_WATCH_EVENT_ADDED, "zzz");
	assert_event(fx, 7, CCLM_WATCH_EVENT_DELETED, "obj-00000");
	g_assert_cmpuint(cclm_test_server_get_list_page_count(fx->server, PODS), ==, 2);
	wait_watches(fx, 1);
	g_assert_true(cclm_watch_get_synced(fx->watch));
}

/* A watch from a given resource version that the server answers with HTTP 410 lists. */
static void
test_expired_http(Fixture *fx, gconstpointer data)
{
	cclm_test_server_push_status(fx->server, PODS, 410, "Expired", "too old resource version");
	fixture_watch(fx, "1");
	g_assert_cmpstr(cclm_watch_get_resource_version(fx->watch), ==, "1");
	wait_synced(fx, 1);
	g_assert_cmpuint(fx->events->len, ==, 3);
	g_assert_cmpuint(cclm_test_server_get_list_page_count(fx->server, PODS), ==, 1);
	wait_watches(fx, 1);
}

/* Garbage, an unknown type or a truncated event: resume from the last good version. */
static void
test_malformed(Fixture *fx, gconstpointer data)
{
	const gchar *bad[] = {
	    "not json at all\n",
	    "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"x\"\n,]}}}\n",
	    "{\"type\":\"WHATEVER\",\"object\":{}}\n",
	    "{\"type\":\"ADDED\",\"object\":[1]}\n",
	    "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"noversion\"}}}\n",
	    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":500,\"reason\":"
	    "\"InternalError\"}}\n",
	};
	g_autofree gchar *rv = NULL;
	g_autofree gchar *ev = NULL;

	fixture_watch(fx, NULL);
	wait_synced(fx, 1);
	rv = g_strdup(cclm_watch_get_resource_version(fx->watch));
	/* the server notices a stream the client dropped only when it writes to it: count
	 * requests, not open streams */
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		wait_watch_requests(fx, i + 1);
		cclm_test_server_watch_send(fx->server, PODS, bad[i], -1);
		wait_watch_requests(fx, i + 2);
		assert_rv_query(fx, rv);
	}
	g_assert_cmpuint(fx->events->len, ==, 2);
	g_assert_null(fx->failed);
	g_assert_cmpuint(cclm_test_server_get_list_page_count(fx->server, PODS), ==, 1);

	/* still working */
	ev = cclm_test_server_set_object(fx->server, PODS, "obj-00001");
	cclm_test_server_watch_send(fx->server, PODS, ev, -1);
	wait_events(fx, 3);
	assert_event(fx, 2, CCLM_WATCH_EVENT_MODIFIED, "obj-00001");
}

static void
test_failed(Fixture *fx, gconstpointer data)
{
	cclm_test_server_push_status(fx->server, PODS, 403, "Forbidden",
				     "pods is forbidden: User \"x\" cannot list resource");
	fixture_watch(fx, NULL);
	cclm_test_wait_until(failed_reached, fx, 30);
	g_assert_error(fx->failed, CCLM_ERROR, CCLM_ERROR_FORBIDDEN);
	g_assert_cmpuint(cclm_error_get_http_status(fx->failed), ==, 403);
	g_assert_cmpuint(fx->synced, ==, 0);
	g_assert_false(cclm_watch_get_synced(fx->watch));

	/* a forbidden ERROR event mid-stream also ends the watch */
	g_clear_error(&fx->failed);
	cclm_watch_start(fx->watch);
	wait_synced(fx, 1);
	wait_watches(fx, 1);
	cclm_test_server_watch_send(fx->server, PODS,
				    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":"
				    "403,\"reason\":"
				    "\"Forbidden\",\"message\":\"no\"}}",
				    -1);
	cclm_test_wait_until(failed_reached, fx, 30);
	g_assert_error(fx->failed, CCLM_ERROR, CCLM_ERROR_FORBIDDEN);
}

/* Stopping mid-watch closes the stream and emits nothing more. */
static void
test_stop(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *ev = NULL;
	guint requests;

	fixture_watch(fx, NULL);
	wait_synced(fx, 1);
	wait_watches(fx, 1);
	cclm_watch_stop(fx->watch);
	requests = cclm_test_server_get_requests(fx->server)->len;
	/* the client closed the stream: the server's write fails */
	ev = cclm_test_server_set_object(fx->server, PODS, "obj-00000");
	cclm_test_server_watch_send(fx->server, PODS, ev, -1);
	wait_watches(fx, 0);
	g_assert_cmpuint(fx->events->len, ==, 2);
	g_assert_cmpuint(cclm_test_server_get_requests(fx->server)->len, ==, requests);

	/* and stopping during the list */
	g_clear_object(&fx->watch);
	fixture_watch(fx, NULL);
	cclm_watch_stop(fx->watch);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(fx->synced, ==, 1);
}

/* Signals come in the thread-default context of the caller of start(), never elsewhere. */
static void
test_context(Fixture *fx, gconstpointer data)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autofree gchar *ev = NULL;

	/* server and client in @context, as a thread with its own loop would have them */
	g_clear_object(&fx->client);
	g_clear_object(&fx->server);
	g_clear_pointer(&fx->events, g_ptr_array_unref);
	g_main_context_push_thread_default(context);
	fixture_setup(fx, data);
	fixture_watch(fx, NULL);
	/* nothing happens while only the global default context runs */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(fx->synced, ==, 0);
	wait_synced(fx, 1);
	wait_watches(fx, 1);
	ev = cclm_test_server_set_object(fx->server, PODS, "obj-00000");
	cclm_test_server_watch_send(fx->server, PODS, ev, -1);
	wait_events(fx, 3);
	cclm_watch_stop(fx->watch);
	g_clear_object(&fx->watch);
	g_clear_object(&fx->client);
	g_clear_object(&fx->server);
	while (g_main_context_iteration(context, FALSE))
		;
	g_main_context_pop_thread_default(context);
}

/* ---- the splitter on its own ---------------------------------------------------------------- */

static gboolean
collect_cb(const gchar *doc, gsize len, gpointer user_data, GError **error)
{
	g_ptr_array_add(user_data, g_strndup(doc, len));
	return TRUE;
}

static void
test_splitter(void)
{
	const gchar *stream = " {\"a\":\"}{\\\"\"}\n{\"b\":[{},{\"c\":\"]\"}]}\r\n\t{}";
	gsize len = strlen(stream);

	/* every cut of the stream into two reads gives the same three documents */
	for (gsize cut = 0; cut <= len; cut++) {
		g_autoptr(CclmJsonSplitter) sp = cclm_json_splitter_new(1024);
		g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GError) error = NULL;

		g_assert_true(cclm_json_splitter_feed(sp, (const guint8 *)stream, cut, collect_cb,
						      docs, &error));
		g_assert_true(cclm_json_splitter_feed(sp, (const guint8 *)stream + cut, len - cut,
						      collect_cb, docs, &error));
		g_assert_no_error(error);
		g_assert_false(cclm_json_splitter_is_pending(sp));
		g_assert_cmpuint(docs->len, ==, 3);
		g_assert_cmpstr(docs->pdata[0], ==, "{\"a\":\"}{\\\"\"}");
		g_assert_cmpstr(docs->pdata[1], ==, "{\"b\":[{},{\"c\":\"]\"}]}");
		g_assert_cmpstr(docs->pdata[2], ==, "{}");
	}
}

static void
test_splitter_errors(void)
{
	g_autoptr(CclmJsonSplitter) sp = cclm_json_splitter_new(16);
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	const gchar *big = "{\"x\":\"0123456789abcdef\"}";

	g_assert_false(
	    cclm_json_splitter_feed(sp, (const guint8 *)"[1]", 3, collect_cb, docs, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_clear_error(&error);
	g_assert_true(
	    cclm_json_splitter_feed(sp, (const guint8 *)big, 10, collect_cb, docs, &error));
	g_assert_true(cclm_json_splitter_is_pending(sp));
	g_assert_false(cclm_json_splitter_feed(sp, (const guint8 *)big + 10, strlen(big) - 10,
					       collect_cb, docs, &error));
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_assert_cmpuint(docs->len, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, n, func)                                                                         \
	g_test_add(path, Fixture, GUINT_TO_POINTER(n), fixture_setup, func, fixture_teardown)
	ADD("/watch/list-then-watch", 5, test_list_then_watch);
	ADD("/watch/bookmark-resume", 3, test_bookmark_resume);
	ADD("/watch/expired-event-relist", 5, test_expired_event);
	ADD("/watch/expired-http-relist", 3, test_expired_http);
	ADD("/watch/malformed", 2, test_malformed);
	ADD("/watch/failed", 2, test_failed);
	ADD("/watch/stop", 2, test_stop);
	ADD("/watch/main-context", 2, test_context);
#undef ADD
	g_test_add_func("/watch/splitter/chunks", test_splitter);
	g_test_add_func("/watch/splitter/errors", test_splitter_errors);
	return g_test_run();
}
