/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* A scriptable Kubernetes-like HTTPS API server on 127.0.0.1 for the tests (and, later, a
 * standalone program): canned replies, Status errors, one-shot replies (429/503 with
 * Retry-After, bodies cut mid-way), paged collections with expiring continue tokens, chunked
 * watch streams the test feeds and cuts, token and client-certificate auth, and a log of every
 * request with its arrival time. */

#include <libsoup/soup.h>

#include "cclm-rest-config-private.h"

G_BEGIN_DECLS

#define CCLM_TYPE_TEST_SERVER (cclm_test_server_get_type())
G_DECLARE_FINAL_TYPE(CclmTestServer, cclm_test_server, CCLM, TEST_SERVER, GObject)

typedef struct {
	gchar *method;
	gchar *path;  /* without the query */
	gchar *query; /* nullable */
	gint64 time;  /* g_get_monotonic_time() on arrival */
} CclmTestRequest;

typedef void (*CclmTestHandler)(CclmTestServer *server,
				SoupServerMessage *msg,
				const gchar *path,
				GHashTable *query,
				gpointer user_data);

/* Listens on https://127.0.0.1:<free port> with @cert_dir/server.pem, trusting client
 * certificates signed by @cert_dir/ca.pem. */
CclmTestServer *
cclm_test_server_new(const gchar *cert_dir, GError **error);
const gchar *
cclm_test_server_get_url(CclmTestServer *self);
/* A config for this server: its URL and its CA. */
CclmRestConfig *
cclm_test_server_new_config(CclmTestServer *self);

/* Every request must carry "Authorization: Bearer @token" (NULL: no token needed). */
void
cclm_test_server_require_token(CclmTestServer *self, const gchar *token);
/* Every request must come with a client certificate the CA signed. */
void
cclm_test_server_require_client_cert(CclmTestServer *self, gboolean required);
/* The subject of the last client certificate seen, or NULL. */
const gchar *
cclm_test_server_get_client_subject(CclmTestServer *self);

/* Replies to @path (any method, any query) with @json and @status every time. */
void
cclm_test_server_set_json(CclmTestServer *self, const gchar *path, guint status, const gchar *json);
void
cclm_test_server_set_handler(CclmTestServer *self,
			     const gchar *path,
			     CclmTestHandler handler,
			     gpointer user_data,
			     GDestroyNotify destroy);
/* One-shot replies for @path, used in order before anything else. @retry_after 0: no header. */
void
cclm_test_server_push_reply(CclmTestServer *self,
			    const gchar *path,
			    guint status,
			    guint retry_after,
			    const gchar *content_type,
			    const gchar *body);
void
cclm_test_server_push_status(CclmTestServer *self,
			     const gchar *path,
			     guint code,
			     const gchar *reason,
			     const gchar *message);
/* A one-shot 200 announcing all of @body but sending only its first @cut bytes, then dropping
 * the connection. */
void
cclm_test_server_push_truncated(CclmTestServer *self,
				const gchar *path,
				const gchar *body,
				gsize cut);

/* A collection of @n generated objects at @path ("obj-00000"...), served as a paged list
 * (limit/continue) and as a watch (?watch=true). */
void
cclm_test_server_add_collection(CclmTestServer *self, const gchar *path, guint n);
/* Continue tokens handed out so far now get 410 Expired. */
void
cclm_test_server_expire_continue(CclmTestServer *self, const gchar *path);
/* Adds or changes object @name (a new resourceVersion) and returns its watch event
 * ({"type":"ADDED"|"MODIFIED","object":...}) for the test to push; the caller frees it. */
gchar *
cclm_test_server_set_object(CclmTestServer *self, const gchar *path, const gchar *name);
gchar *
cclm_test_server_delete_object(CclmTestServer *self, const gchar *path, const gchar *name);
/* A BOOKMARK event at a new resourceVersion. */
gchar *
cclm_test_server_bookmark(CclmTestServer *self, const gchar *path);
/* The collection's current resourceVersion. */
guint64
cclm_test_server_get_resource_version(CclmTestServer *self);
guint
cclm_test_server_get_list_page_count(CclmTestServer *self, const gchar *path);

/* Watch streams open on @path. */
guint
cclm_test_server_count_watches(CclmTestServer *self, const gchar *path);
/* Writes @len bytes (-1: a string) as one chunk to every open watch stream of @path. */
void
cclm_test_server_watch_send(CclmTestServer *self, const gchar *path, const gchar *data, gssize len);
/* Drops every watch stream of @path without ending the chunked body. */
void
cclm_test_server_watch_cut(CclmTestServer *self, const gchar *path);

/* Every request so far (CclmTestRequest), oldest first. */
GPtrArray *
cclm_test_server_get_requests(CclmTestServer *self);
guint
cclm_test_server_count_requests(CclmTestServer *self, const gchar *path);
/* The i-th (from 0) request to @path, or NULL. */
const CclmTestRequest *
cclm_test_server_get_request(CclmTestServer *self, const gchar *path, guint i);

G_END_DECLS

G_BEGIN_DECLS
/* Test helpers: stores the GAsyncResult in *(GAsyncResult **)user_data. */
void
cclm_test_store_result_cb(GObject *source, GAsyncResult *res, gpointer user_data);
/* Iterate the thread-default main context (the server's and the client's) until *@res is set
 * (returned), or until @func(@data) holds, failing the test after @timeout_s. */
GAsyncResult *
cclm_test_wait_result(GAsyncResult **res);
void
cclm_test_wait_until(gboolean (*func)(gpointer data), gpointer data, guint timeout_s);
G_END_DECLS
