/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* The HTTP layer: one libsoup session per API server identity. Everything above it (CclmCluster,
 * the inventory) talks to the API server only through this. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cclm-rest-config-private.h"
#include "cclm-watch.h"

G_BEGIN_DECLS

#define CCLM_TYPE_REST_CLIENT (cclm_rest_client_get_type())
G_DECLARE_FINAL_TYPE(CclmRestClient, cclm_rest_client, CCLM, REST_CLIENT, GObject)

/* Content types of cclm_rest_client_patch_async(). */
#define CCLM_PATCH_MERGE "application/merge-patch+json"
#define CCLM_PATCH_JSON "application/json-patch+json"
#define CCLM_PATCH_STRATEGIC "application/strategic-merge-patch+json"
#define CCLM_PATCH_APPLY "application/apply-patch+yaml"

/* Fails (CCLM_ERROR_KUBECONFIG or _TLS) when the config cannot be used: no server, a CA that is
 * not PEM, ... Nothing is sent until the first request. */
CclmRestClient *
cclm_rest_client_new(const CclmRestConfig *config, GError **error);
const gchar *
cclm_rest_client_get_server(CclmRestClient *self);
/* Client-side rate limit like client-go's token bucket (defaults: qps 5, burst 10); qps <= 0
 * disables it. */
void
cclm_rest_client_set_rate_limit(CclmRestClient *self, gdouble qps, guint burst);
/* Retry policy: at most @max_retries retries, backoff from @base_ms doubling up to @max_ms, with
 * jitter; a Retry-After the server sends wins when longer. */
void
cclm_rest_client_set_retry_policy(CclmRestClient *self,
				  guint max_retries,
				  guint base_ms,
				  guint max_ms);

/* Largest JSON reply request_async() parses in memory (default 64 MiB); larger ones fail with
 * CCLM_ERROR_PARSE. */
void
cclm_rest_client_set_max_body_size(CclmRestClient *self, gsize max_body);
/* The delay before retry number @attempt (from 0) under the retry policy, at least
 * @retry_after_s seconds; shared with CclmWatch's reconnects. */
guint
cclm_rest_client_backoff_ms(CclmRestClient *self, guint attempt, guint retry_after_s);
/* The GError for a failed reply: @status is the Status object when the body was one (may be
 * NULL), @http_status 0 for an ERROR watch event (the Status code is used then). */
GError *
cclm_rest_status_error_new(const gchar *method,
			   const gchar *path,
			   guint http_status,
			   JsonObject *status,
			   guint retry_after);

/* One request whose reply is a JSON document. @path is absolute with its query
 * ("/api/v1/namespaces/x/pods?limit=5"); @body and @content_type may be NULL. Status replies
 * and transport failures become CCLM_ERROR errors (cclm_error_get_http_status/_get_reason stay
 * readable). Idempotent methods (GET) are retried on 429, 5xx and connection resets;
 * others only on 429 or a reply with Retry-After. */
void
cclm_rest_client_request_async(CclmRestClient *self,
			       const gchar *method,
			       const gchar *path,
			       const gchar *content_type,
			       GBytes *body,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
JsonNode *
cclm_rest_client_request_finish(CclmRestClient *self, GAsyncResult *res, GError **error);

/* The same, handing over the successful reply's body as a stream for a streaming parser
 * (the inventory reads big lists with yajl); errors as above, read before returning. */
void
cclm_rest_client_send_async(CclmRestClient *self,
			    const gchar *method,
			    const gchar *path,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
GInputStream *
cclm_rest_client_send_finish(CclmRestClient *self, GAsyncResult *res, GError **error);

/* Called once per page of a paged list with that page's `items` (never the whole list); return
 * FALSE with @error set to stop the list with that error. */
typedef gboolean (*CclmRestPageFunc)(JsonArray *items,
				     const gchar *resource_version,
				     gpointer user_data,
				     GError **error);

/* Lists @path (a collection, with any selectors already in its query) page by page with
 * limit=@page_size and continue tokens. A continue token that expired (410) restarts the list
 * once from the beginning, as client-go's pager does. The finish returns the list's
 * resourceVersion, to watch from. */
void
cclm_rest_client_list_async(CclmRestClient *self,
			    const gchar *path,
			    guint page_size,
			    CclmRestPageFunc page_func,
			    gpointer page_data,
			    GDestroyNotify page_data_destroy,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gchar *
cclm_rest_client_list_finish(CclmRestClient *self, GAsyncResult *res, GError **error);

/* A watch of the collection @path (selectors in its query), not started. CclmWatch behaves as
 * client-go's reflector: with @resource_version NULL it lists first (paged; every object as an
 * ADDED event, then CclmWatch::synced), then watches from the list's resourceVersion with
 * bookmarks; a dropped stream resumes from the last resourceVersion seen; a 410 (HTTP or an
 * ERROR event) relists and emits only the differences (ADDED/MODIFIED/DELETED) before
 * ::synced again; an error it cannot recover from (401 after a credential refresh, 403, 404)
 * is emitted once as CclmWatch::failed and the watch stops. Signals:
 *   "event"  (CclmWatchEventType type, JsonObject *object)
 *   "synced" ()
 *   "failed" (GError *error)
 * and notify::synced. */
CclmWatch *
cclm_rest_client_watch(CclmRestClient *self, const gchar *path, const gchar *resource_version);

G_END_DECLS
