/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cclm-test-server.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

typedef struct {
	guint status;
	guint retry_after;
	gchar *content_type;
	gchar *body;
	gsize cut; /* G_MAXSIZE: the whole body */
} CclmTestReply;

typedef struct {
	CclmTestHandler handler;
	gpointer user_data;
	GDestroyNotify destroy;
} CclmTestRoute;

typedef struct {
	gchar *name;
	guint64 rv;
} CclmTestObject;

typedef struct {
	GPtrArray *objects; /* CclmTestObject, sorted by name */
	guint generation;   /* continue tokens of older generations are expired */
	guint pages;
	GPtrArray *watches; /* SoupServerMessage with an open chunked body */
} CclmTestCollection;

struct _CclmTestServer {
	GObject parent_instance;
	SoupServer *server;
	gchar *url;
	gchar *cert_dir;
	GBytes *ca_pem;
	gchar *token;
	gboolean require_client_cert;
	gchar *client_subject;
	guint64 rv;
	GHashTable *json;	 /* path → gchar* "status\nbody" */
	GHashTable *routes;	 /* path → CclmTestRoute */
	GHashTable *queues;	 /* path → GQueue of CclmTestReply */
	GHashTable *collections; /* path → CclmTestCollection */
	GPtrArray *requests;
};

G_DEFINE_FINAL_TYPE(CclmTestServer, cclm_test_server, G_TYPE_OBJECT)

static void
cclm_test_reply_free(CclmTestReply *reply)
{
	g_free(reply->content_type);
	g_free(reply->body);
	g_free(reply);
}

static void
cclm_test_route_free(CclmTestRoute *route)
{
	if (route->destroy != NULL)
		route->destroy(route->user_data);
	g_free(route);
}

static void
cclm_test_queue_free(GQueue *queue)
{
	g_queue_free_full(queue, (GDestroyNotify)cclm_test_reply_free);
}

static void
cclm_test_object_free(CclmTestObject *object)
{
	g_free(object->name);
	g_free(object);
}

static void
cclm_test_request_free(CclmTestRequest *req)
{
	g_free(req->method);
	g_free(req->path);
	g_free(req->query);
	g_free(req);
}

static void
cclm_test_watch_disconnected_cb(SoupServerMessage *msg, gpointer user_data)
{
	CclmTestCollection *coll = user_data;

	g_ptr_array_remove(coll->watches, msg);
}

static void
cclm_test_collection_free(CclmTestCollection *coll)
{
	for (guint i = 0; i < coll->watches->len; i++)
		g_signal_handlers_disconnect_by_data(coll->watches->pdata[i], coll);
	g_ptr_array_unref(coll->watches);
	g_ptr_array_unref(coll->objects);
	g_free(coll);
}

static void
cclm_test_server_reply(SoupServerMessage *msg,
		       guint status,
		       const gchar *content_type,
		       const gchar *body)
{
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, content_type, SOUP_MEMORY_COPY, body,
					 body != NULL ? strlen(body) : 0);
}

static gchar *
cclm_test_status_json(guint code, const gchar *reason, const gchar *message)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, "Status");
	json_builder_set_member_name(b, "apiVersion");
	json_builder_add_string_value(b, "v1");
	json_builder_set_member_name(b, "metadata");
	json_builder_begin_object(b);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, "Failure");
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, message);
	json_builder_set_member_name(b, "reason");
	json_builder_add_string_value(b, reason);
	json_builder_set_member_name(b, "code");
	json_builder_add_int_value(b, code);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	return json_generator_to_data(gen, NULL);
}

static void
cclm_test_server_reply_status(SoupServerMessage *msg,
			      guint code,
			      const gchar *reason,
			      const gchar *message)
{
	g_autofree gchar *json = cclm_test_status_json(code, reason, message);

	cclm_test_server_reply(msg, code, "application/json", json);
}

/* ---- truncated replies ---------------------------------------------------------------------- */

static gboolean
cclm_test_drop_cb(gpointer user_data)
{
	SoupServerMessage *msg = user_data;
	GSocket *socket = soup_server_message_get_socket(msg);

	if (socket != NULL)
		g_socket_shutdown(socket, TRUE, TRUE, NULL);
	return G_SOURCE_REMOVE;
}

static void
cclm_test_wrote_body_data_cb(SoupServerMessage *msg, guint chunk_size, gpointer user_data)
{
	/* Let libsoup finish its write before the socket goes away under it. */
	g_idle_add_full(G_PRIORITY_DEFAULT, cclm_test_drop_cb, g_object_ref(msg), g_object_unref);
}

static void
cclm_test_server_reply_truncated(SoupServerMessage *msg, const gchar *body, gsize cut)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
	gsize len = strlen(body);

	soup_server_message_set_status(msg, 200, NULL);
	soup_message_headers_set_content_type(headers, "application/json", NULL);
	soup_message_headers_set_content_length(headers, len);
	soup_message_body_append(soup_server_message_get_response_body(msg), SOUP_MEMORY_COPY, body,
				 MIN(cut, len));
	g_signal_connect(msg, "wrote-body-data", G_CALLBACK(cclm_test_wrote_body_data_cb), NULL);
}

/* ---- collections ---------------------------------------------------------------------------- */

static gchar *
cclm_test_object_json(CclmTestObject *object, const gchar *event)
{
	g_autofree gchar *obj = g_strdup_printf(
	    "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"%s\",\"namespace\":"
	    "\"default\",\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"},\"spec\":{}}",
	    object->name, object->rv);

	if (event == NULL)
		return g_steal_pointer(&obj);
	return g_strdup_printf("{\"type\":\"%s\",\"object\":%s}\n", event, obj);
}

static gint
cclm_test_object_cmp(gconstpointer a, gconstpointer b)
{
	const CclmTestObject *oa = *(CclmTestObject **)a;
	const CclmTestObject *ob = *(CclmTestObject **)b;

	return strcmp(oa->name, ob->name);
}

static CclmTestCollection *
cclm_test_server_collection(CclmTestServer *self, const gchar *path)
{
	CclmTestCollection *coll = g_hash_table_lookup(self->collections, path);

	g_assert_nonnull(coll);
	return coll;
}

static void
cclm_test_server_list(CclmTestServer *self,
		      CclmTestCollection *coll,
		      SoupServerMessage *msg,
		      GHashTable *query)
{
	const gchar *limit_s = query != NULL ? g_hash_table_lookup(query, "limit") : NULL;
	const gchar *cont = query != NULL ? g_hash_table_lookup(query, "continue") : NULL;
	guint64 limit = 0;
	guint start = 0;
	guint end;
	GString *out;

	if (limit_s != NULL)
		g_ascii_string_to_unsigned(limit_s, 10, 0, G_MAXUINT, &limit, NULL);
	if (cont != NULL && cont[0] != '\0') {
		guint gen = 0;

		if (sscanf(cont, "g%u-%u", &gen, &start) != 2 || start > coll->objects->len) {
			cclm_test_server_reply_status(msg, 400, "BadRequest",
						      "invalid continue token");
			return;
		}
		if (gen != coll->generation) {
			cclm_test_server_reply_status(
			    msg, 410, "Expired",
			    "The provided continue parameter is too old to display a consistent "
			    "list result. You can start a new list without the continue "
			    "parameter.");
			return;
		}
	}
	coll->pages++;
	end = limit > 0 ? MIN(coll->objects->len, start + limit) : coll->objects->len;
	out = g_string_new(NULL);
	g_string_append_printf(out,
			       "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{"
			       "\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"",
			       self->rv);
	if (end < coll->objects->len)
		g_string_append_printf(out, ",\"continue\":\"g%u-%u\"", coll->generation, end);
	g_string_append(out, "},\"items\":[");
	for (guint i = start; i < end; i++) {
		g_autofree gchar *obj = cclm_test_object_json(coll->objects->pdata[i], NULL);

		if (i > start)
			g_string_append_c(out, ',');
		g_string_append(out, obj);
	}
	g_string_append(out, "]}");
	soup_server_message_set_status(msg, 200, NULL);
	soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_TAKE, out->str,
					 out->len);
	g_string_free(out, FALSE);
}

static void
cclm_test_server_watch(CclmTestServer *self, CclmTestCollection *coll, SoupServerMessage *msg)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);

	soup_server_message_set_status(msg, 200, NULL);
	soup_message_headers_set_content_type(headers, "application/json", NULL);
	soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
	g_ptr_array_add(coll->watches, g_object_ref(msg));
	g_signal_connect(msg, "disconnected", G_CALLBACK(cclm_test_watch_disconnected_cb), coll);
	g_signal_connect(msg, "finished", G_CALLBACK(cclm_test_watch_disconnected_cb), coll);
}

/* ---- dispatch ------------------------------------------------------------------------------- */

static gboolean
cclm_test_server_check_auth(CclmTestServer *self, SoupServerMessage *msg)
{
	GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate(msg);

	if (peer != NULL) {
#ifdef __SANITIZE_ADDRESS__
		/* libsoup (3.2.3, still in 3.6) takes a reference to the client certificate in
		 * soup_server_message_set_tls_peer_certificate() that its finalize never drops;
		 * that one object is libsoup's leak, not ours (tests/lsan.supp). */
		__lsan_ignore_object(peer);
#endif
		g_free(self->client_subject);
		self->client_subject = g_tls_certificate_get_subject_name(peer);
	}
	if (self->require_client_cert && peer == NULL) {
		cclm_test_server_reply_status(msg, 401, "Unauthorized", "Unauthorized");
		return FALSE;
	}
	if (self->token != NULL) {
		const gchar *auth =
		    soup_message_headers_get_one(soup_server_message_get_request_headers(msg),
						 "Authorization");
		g_autofree gchar *want = g_strconcat("Bearer ", self->token, NULL);

		if (g_strcmp0(auth, want) != 0) {
			cclm_test_server_reply_status(msg, 401, "Unauthorized", "Unauthorized");
			return FALSE;
		}
	}
	return TRUE;
}

static void
cclm_test_server_handle_cb(SoupServer *server,
			   SoupServerMessage *msg,
			   const gchar *path,
			   GHashTable *query,
			   gpointer user_data)
{
	CclmTestServer *self = CCLM_TEST_SERVER(user_data);
	CclmTestRequest *req = g_new0(CclmTestRequest, 1);
	GQueue *queue;
	CclmTestRoute *route;
	CclmTestCollection *coll;
	const gchar *json;

	req->method = g_strdup(soup_server_message_get_method(msg));
	req->path = g_strdup(path);
	req->query = g_strdup(g_uri_get_query(soup_server_message_get_uri(msg)));
	req->time = g_get_monotonic_time();
	g_ptr_array_add(self->requests, req);

	if (!cclm_test_server_check_auth(self, msg))
		return;
	queue = g_hash_table_lookup(self->queues, path);
	if (queue != NULL && !g_queue_is_empty(queue)) {
		CclmTestReply *reply = g_queue_pop_head(queue);

		if (reply->cut != G_MAXSIZE) {
			cclm_test_server_reply_truncated(msg, reply->body, reply->cut);
		} else {
			cclm_test_server_reply(msg, reply->status, reply->content_type,
					       reply->body);
			if (reply->retry_after > 0) {
				g_autofree gchar *s = g_strdup_printf("%u", reply->retry_after);

				soup_message_headers_replace(
				    soup_server_message_get_response_headers(msg), "Retry-After",
				    s);
			}
		}
		cclm_test_reply_free(reply);
		return;
	}
	route = g_hash_table_lookup(self->routes, path);
	if (route != NULL) {
		route->handler(self, msg, path, query, route->user_data);
		return;
	}
	coll = g_hash_table_lookup(self->collections, path);
	if (coll != NULL) {
		const gchar *watch = query != NULL ? g_hash_table_lookup(query, "watch") : NULL;

		if (watch != NULL && g_strcmp0(watch, "false") != 0 && g_strcmp0(watch, "0") != 0)
			cclm_test_server_watch(self, coll, msg);
		else
			cclm_test_server_list(self, coll, msg, query);
		return;
	}
	json = g_hash_table_lookup(self->json, path);
	if (json != NULL) {
		const gchar *nl = strchr(json, '\n');

		cclm_test_server_reply(msg, (guint)g_ascii_strtoull(json, NULL, 10),
				       "application/json", nl + 1);
		return;
	}
	cclm_test_server_reply_status(msg, 404, "NotFound",
				      "the server could not find the requested resource");
}

/* glib-networking 2.74 asks even for a chain that verified; accept exactly those
 * (toolchain.md §2 pitfall 4). */
static gboolean
cclm_test_accept_certificate_cb(SoupServerMessage *msg,
				GTlsCertificate *peer,
				GTlsCertificateFlags errors,
				gpointer user_data)
{
	return errors == 0;
}

static void
cclm_test_request_started_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	g_signal_connect(msg, "accept-certificate", G_CALLBACK(cclm_test_accept_certificate_cb),
			 NULL);
}

/* ---- public API ----------------------------------------------------------------------------- */

CclmTestServer *
cclm_test_server_new(const gchar *cert_dir, GError **error)
{
	g_autoptr(CclmTestServer) self = g_object_new(CCLM_TYPE_TEST_SERVER, NULL);
	g_autofree gchar *crt = g_build_filename(cert_dir, "server.pem", NULL);
	g_autofree gchar *key = g_build_filename(cert_dir, "server-key.pem", NULL);
	g_autofree gchar *ca = g_build_filename(cert_dir, "ca.pem", NULL);
	g_autofree gchar *ca_abs = g_canonicalize_filename(ca, NULL);
	g_autoptr(GTlsCertificate) cert = NULL;
	g_autoptr(GTlsDatabase) db = NULL;
	g_autoslist(GUri) uris = NULL;
	gchar *pem = NULL;
	gsize pem_len = 0;

	cert = g_tls_certificate_new_from_files(crt, key, error);
	if (cert == NULL)
		return NULL;
	db = g_tls_file_database_new(ca_abs, error);
	if (db == NULL)
		return NULL;
	if (!g_file_get_contents(ca_abs, &pem, &pem_len, error))
		return NULL;
	self->ca_pem = g_bytes_new_take(pem, pem_len);
	self->cert_dir = g_strdup(cert_dir);
	/* REQUESTED, not REQUIRED: tests without a client certificate share the server, and
	 * require_client_cert enforces it per request with a 401. */
	self->server = soup_server_new("tls-certificate", cert, "tls-database", db, "tls-auth-mode",
				       G_TLS_AUTHENTICATION_REQUESTED, NULL);
	g_signal_connect(self->server, "request-started", G_CALLBACK(cclm_test_request_started_cb),
			 self);
	soup_server_add_handler(self->server, NULL, cclm_test_server_handle_cb, self, NULL);
	if (!soup_server_listen_local(self->server, 0,
				      SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
				      error))
		return NULL;
	uris = soup_server_get_uris(self->server);
	self->url = g_strdup_printf("https://127.0.0.1:%d", g_uri_get_port(uris->data));
	return g_steal_pointer(&self);
}

const gchar *
cclm_test_server_get_url(CclmTestServer *self)
{
	return self->url;
}

CclmRestConfig *
cclm_test_server_new_config(CclmTestServer *self)
{
	CclmRestConfig *config = cclm_rest_config_new();

	config->server = g_strdup(self->url);
	config->ca_pem = g_bytes_ref(self->ca_pem);
	return config;
}

void
cclm_test_server_require_token(CclmTestServer *self, const gchar *token)
{
	g_free(self->token);
	self->token = g_strdup(token);
}

void
cclm_test_server_require_client_cert(CclmTestServer *self, gboolean required)
{
	self->require_client_cert = required;
}

const gchar *
cclm_test_server_get_client_subject(CclmTestServer *self)
{
	return self->client_subject;
}

void
cclm_test_server_set_json(CclmTestServer *self, const gchar *path, guint status, const gchar *json)
{
	g_hash_table_replace(self->json, g_strdup(path), g_strdup_printf("%u\n%s", status, json));
}

void
cclm_test_server_set_handler(CclmTestServer *self,
			     const gchar *path,
			     CclmTestHandler handler,
			     gpointer user_data,
			     GDestroyNotify destroy)
{
	CclmTestRoute *route = g_new0(CclmTestRoute, 1);

	route->handler = handler;
	route->user_data = user_data;
	route->destroy = destroy;
	g_hash_table_replace(self->routes, g_strdup(path), route);
}

static void
cclm_test_server_push(CclmTestServer *self, const gchar *path, CclmTestReply *reply)
{
	GQueue *queue = g_hash_table_lookup(self->queues, path);

	if (queue == NULL) {
		queue = g_queue_new();
		g_hash_table_insert(self->queues, g_strdup(path), queue);
	}
	g_queue_push_tail(queue, reply);
}

void
cclm_test_server_push_reply(CclmTestServer *self,
			    const gchar *path,
			    guint status,
			    guint retry_after,
			    const gchar *content_type,
			    const gchar *body)
{
	CclmTestReply *reply = g_new0(CclmTestReply, 1);

	reply->status = status;
	reply->retry_after = retry_after;
	reply->content_type = g_strdup(content_type);
	reply->body = g_strdup(body);
	reply->cut = G_MAXSIZE;
	cclm_test_server_push(self, path, reply);
}

void
cclm_test_server_push_status(CclmTestServer *self,
			     const gchar *path,
			     guint code,
			     const gchar *reason,
			     const gchar *message)
{
	g_autofree gchar *json = cclm_test_status_json(code, reason, message);

	cclm_test_server_push_reply(self, path, code, 0, "application/json", json);
}

void
cclm_test_server_push_truncated(CclmTestServer *self,
				const gchar *path,
				const gchar *body,
				gsize cut)
{
	CclmTestReply *reply = g_new0(CclmTestReply, 1);

	reply->status = 200;
	reply->body = g_strdup(body);
	reply->cut = cut;
	cclm_test_server_push(self, path, reply);
}

void
cclm_test_server_add_collection(CclmTestServer *self, const gchar *path, guint n)
{
	CclmTestCollection *coll = g_new0(CclmTestCollection, 1);

	coll->objects = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_test_object_free);
	coll->watches = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < n; i++) {
		CclmTestObject *object = g_new0(CclmTestObject, 1);

		object->name = g_strdup_printf("obj-%05u", i);
		object->rv = ++self->rv;
		g_ptr_array_add(coll->objects, object);
	}
	g_hash_table_replace(self->collections, g_strdup(path), coll);
}

void
cclm_test_server_expire_continue(CclmTestServer *self, const gchar *path)
{
	cclm_test_server_collection(self, path)->generation++;
}

static CclmTestObject *
cclm_test_collection_find(CclmTestCollection *coll, const gchar *name, guint *index)
{
	for (guint i = 0; i < coll->objects->len; i++) {
		CclmTestObject *object = coll->objects->pdata[i];

		if (g_str_equal(object->name, name)) {
			*index = i;
			return object;
		}
	}
	return NULL;
}

gchar *
cclm_test_server_set_object(CclmTestServer *self, const gchar *path, const gchar *name)
{
	CclmTestCollection *coll = cclm_test_server_collection(self, path);
	guint index;
	CclmTestObject *object = cclm_test_collection_find(coll, name, &index);
	const gchar *type = "MODIFIED";

	if (object == NULL) {
		object = g_new0(CclmTestObject, 1);
		object->name = g_strdup(name);
		g_ptr_array_add(coll->objects, object);
		g_ptr_array_sort(coll->objects, cclm_test_object_cmp);
		type = "ADDED";
	}
	object->rv = ++self->rv;
	return cclm_test_object_json(object, type);
}

gchar *
cclm_test_server_delete_object(CclmTestServer *self, const gchar *path, const gchar *name)
{
	CclmTestCollection *coll = cclm_test_server_collection(self, path);
	guint index;
	CclmTestObject *object = cclm_test_collection_find(coll, name, &index);
	gchar *event;

	g_assert_nonnull(object);
	object->rv = ++self->rv;
	event = cclm_test_object_json(object, "DELETED");
	g_ptr_array_remove_index(coll->objects, index);
	return event;
}

gchar *
cclm_test_server_bookmark(CclmTestServer *self, const gchar *path)
{
	return g_strdup_printf("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":"
			       "\"v1\",\"metadata\":{\"resourceVersion\":\"%" G_GUINT64_FORMAT
			       "\"}}}\n",
			       ++self->rv);
}

guint64
cclm_test_server_get_resource_version(CclmTestServer *self)
{
	return self->rv;
}

guint
cclm_test_server_get_list_page_count(CclmTestServer *self, const gchar *path)
{
	return cclm_test_server_collection(self, path)->pages;
}

guint
cclm_test_server_count_watches(CclmTestServer *self, const gchar *path)
{
	return cclm_test_server_collection(self, path)->watches->len;
}

void
cclm_test_server_watch_send(CclmTestServer *self, const gchar *path, const gchar *data, gssize len)
{
	CclmTestCollection *coll = cclm_test_server_collection(self, path);

	if (len < 0)
		len = strlen(data);
	for (guint i = 0; i < coll->watches->len; i++) {
		SoupServerMessage *msg = coll->watches->pdata[i];

		soup_message_body_append(soup_server_message_get_response_body(msg),
					 SOUP_MEMORY_COPY, data, len);
		soup_server_message_unpause(msg);
	}
}

void
cclm_test_server_watch_cut(CclmTestServer *self, const gchar *path)
{
	CclmTestCollection *coll = cclm_test_server_collection(self, path);

	while (coll->watches->len > 0) {
		g_autoptr(SoupServerMessage) msg = g_object_ref(coll->watches->pdata[0]);

		g_signal_handlers_disconnect_by_data(msg, coll);
		g_ptr_array_remove_index(coll->watches, 0);
		/* after libsoup has written what was sent so far: it writes at default
		 * priority, as soon as the socket takes data */
		g_idle_add_full(G_PRIORITY_LOW, cclm_test_drop_cb, g_steal_pointer(&msg),
				g_object_unref);
	}
}

GPtrArray *
cclm_test_server_get_requests(CclmTestServer *self)
{
	return self->requests;
}

guint
cclm_test_server_count_requests(CclmTestServer *self, const gchar *path)
{
	guint n = 0;

	for (guint i = 0; i < self->requests->len; i++) {
		CclmTestRequest *req = self->requests->pdata[i];

		if (g_str_equal(req->path, path))
			n++;
	}
	return n;
}

const CclmTestRequest *
cclm_test_server_get_request(CclmTestServer *self, const gchar *path, guint i)
{
	for (guint j = 0; j < self->requests->len; j++) {
		CclmTestRequest *req = self->requests->pdata[j];

		if (g_str_equal(req->path, path) && i-- == 0)
			return req;
	}
	return NULL;
}

static void
cclm_test_server_dispose(GObject *object)
{
	CclmTestServer *self = CCLM_TEST_SERVER(object);

	g_hash_table_remove_all(self->collections);
	if (self->server != NULL)
		soup_server_disconnect(self->server);
	g_clear_object(&self->server);
	G_OBJECT_CLASS(cclm_test_server_parent_class)->dispose(object);
}

static void
cclm_test_server_finalize(GObject *object)
{
	CclmTestServer *self = CCLM_TEST_SERVER(object);

	g_free(self->url);
	g_free(self->cert_dir);
	g_clear_pointer(&self->ca_pem, g_bytes_unref);
	g_free(self->token);
	g_free(self->client_subject);
	g_hash_table_unref(self->json);
	g_hash_table_unref(self->routes);
	g_hash_table_unref(self->queues);
	g_hash_table_unref(self->collections);
	g_ptr_array_unref(self->requests);
	G_OBJECT_CLASS(cclm_test_server_parent_class)->finalize(object);
}

static void
cclm_test_server_class_init(CclmTestServerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = cclm_test_server_dispose;
	object_class->finalize = cclm_test_server_finalize;
}

static void
cclm_test_server_init(CclmTestServer *self)
{
	self->json = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->routes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     (GDestroyNotify)cclm_test_route_free);
	self->queues = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     (GDestroyNotify)cclm_test_queue_free);
	self->collections = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						  (GDestroyNotify)cclm_test_collection_free);
	self->requests = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_test_request_free);
}

void
cclm_test_store_result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **slot = user_data;

	g_assert_null(*slot);
	*slot = g_object_ref(res);
}

GAsyncResult *
cclm_test_wait_result(GAsyncResult **res)
{
	while (*res == NULL)
		g_main_context_iteration(g_main_context_get_thread_default(), TRUE);
	return *res;
}

static gboolean
cclm_test_timeout_cb(gpointer user_data)
{
	gboolean *expired = user_data;

	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

void
cclm_test_wait_until(gboolean (*func)(gpointer data), gpointer data, guint timeout_s)
{
	gboolean expired = FALSE;
	GMainContext *context = g_main_context_get_thread_default();
	g_autoptr(GSource) timeout = g_timeout_source_new_seconds(timeout_s);

	g_source_set_callback(timeout, cclm_test_timeout_cb, &expired, NULL);
	g_source_attach(timeout, context);
	while (!func(data)) {
		if (expired)
			g_error("condition not met within %u s", timeout_s);
		g_main_context_iteration(context, TRUE);
	}
	g_source_destroy(timeout);
}
