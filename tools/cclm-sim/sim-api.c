/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The resource verbs: get, list (paged, streamed from cached bytes), watch, create, update,
 * patch (merge, JSON, strategic, apply), delete.
 */
#include "config.h"

#include <string.h>

#include "sim-fleet.h"
#include "sim-patch.h"
#include "sim-resources.h"
#include "sim-server-private.h"

/* Lists are written in chunks of about this size, copied from the cached objects. */
#define SIM_LIST_CHUNK (256 * 1024)
#define SIM_BOOKMARK_INTERVAL_S 5
#define SIM_CONTINUE_EXPIRED                                                                     \
	"The provided continue parameter is too old to display a consistent list result. You "   \
	"can start a new list without the continue parameter, or use the continue token in this " \
	"response to retrieve the remainder of the results. Continuing with the provided token "  \
	"results in an inconsistent list - objects that were created, modified, or deleted "      \
	"between the time the first chunk was returned and now may show up in the list."

/* Field selectors */

typedef struct {
	char *field;
	char *value;
	gboolean negate;
} SimFieldReq;

static void
sim_field_req_free(SimFieldReq *r)
{
	g_free(r->field);
	g_free(r->value);
	g_free(r);
}

static const char *const sim_pod_fields[] = {
    "spec.nodeName",	     "spec.restartPolicy",     "spec.schedulerName",
    "spec.serviceAccountName", "spec.hostNetwork",     "status.phase",
    "status.podIP",	     "status.nominatedNodeName", NULL};
static const char *const sim_node_fields[] = {"spec.unschedulable", NULL};
static const char *const sim_event_fields[] = {
    "involvedObject.kind",	    "involvedObject.namespace", "involvedObject.name",
    "involvedObject.uid",	    "involvedObject.apiVersion", "involvedObject.resourceVersion",
    "involvedObject.fieldPath", "reason",			  "reportingComponent",
    "source",		    "type",			  NULL};
static const char *const sim_secret_fields[] = {"type", NULL};
static const char *const sim_namespace_fields[] = {"status.phase", NULL};

static gboolean
sim_field_supported(const SimResource *res, const char *field)
{
	const char *const *extra = NULL;

	if (g_str_equal(field, "metadata.name"))
		return TRUE;
	if (g_str_equal(field, "metadata.namespace"))
		return res->namespaced || !res->builtin;
	if (*res->group != '\0')
		return FALSE;
	if (g_str_equal(res->resource, "pods"))
		extra = sim_pod_fields;
	else if (g_str_equal(res->resource, "nodes"))
		extra = sim_node_fields;
	else if (g_str_equal(res->resource, "events"))
		extra = sim_event_fields;
	else if (g_str_equal(res->resource, "secrets"))
		extra = sim_secret_fields;
	else if (g_str_equal(res->resource, "namespaces"))
		extra = sim_namespace_fields;
	return extra != NULL && g_strv_contains(extra, field);
}

/* "a=b,c!=d" with backslash escapes (apimachinery/pkg/fields) */
static GPtrArray *
sim_fields_parse(const SimResource *res, const char *text, GError **error)
{
	g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func((GDestroyNotify)sim_field_req_free);
	GString *cur = g_string_new(NULL);
	g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func(g_free);

	for (const char *p = text;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			g_string_append_c(cur, '\\');
			g_string_append_c(cur, *++p);
			continue;
		}
		if (*p == ',' || *p == '\0') {
			if (cur->len > 0)
				g_ptr_array_add(terms, g_strdup(cur->str));
			g_string_truncate(cur, 0);
			if (*p == '\0')
				break;
			continue;
		}
		g_string_append_c(cur, *p);
	}
	g_string_free(cur, TRUE);
	for (guint i = 0; i < terms->len; i++) {
		const char *term = g_ptr_array_index(terms, i);
		SimFieldReq *r = g_new0(SimFieldReq, 1);
		const char *op = NULL;
		GString *value = g_string_new(NULL);

		for (const char *p = term; *p != '\0'; p++) {
			if (*p == '\\') {
				p++;
				continue;
			}
			if (*p == '=' || (*p == '!' && p[1] == '=')) {
				op = p;
				break;
			}
		}
		if (op == NULL) {
			g_string_free(value, TRUE);
			g_free(r);
			g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
				    "invalid selector: '%s'; can't understand '%s'", text, term);
			return NULL;
		}
		r->field = g_strndup(term, op - term);
		r->negate = op[0] == '!';
		op += r->negate ? 2 : (op[1] == '=' ? 2 : 1);
		for (const char *p = op; *p != '\0'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			g_string_append_c(value, *p);
		}
		r->value = g_string_free(value, FALSE);
		g_ptr_array_add(reqs, r);
		if (!sim_field_supported(res, r->field)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
				    "field label not supported: %s", r->field);
			return NULL;
		}
	}
	return g_steal_pointer(&reqs);
}

static gboolean
sim_fields_match(GPtrArray *reqs, SimObject *obj)
{
	for (guint i = 0; reqs != NULL && i < reqs->len; i++) {
		SimFieldReq *r = g_ptr_array_index(reqs, i);
		g_autofree char *have = NULL;

		if (g_str_equal(r->field, "metadata.name")) {
			have = g_strdup(sim_object_get_name(obj));
		} else if (g_str_equal(r->field, "metadata.namespace")) {
			have = g_strdup(sim_object_get_namespace(obj));
		} else {
			JsonNode *node = sim_json_path(sim_object_get_json(obj), r->field);

			if (node == NULL || !JSON_NODE_HOLDS_VALUE(node))
				have = g_strdup(g_str_has_prefix(r->field, "spec.unschedulable") ||
							g_str_has_prefix(r->field, "spec.hostNetwork")
						    ? "false"
						    : "");
			else if (json_node_get_value_type(node) == G_TYPE_BOOLEAN)
				have = g_strdup(json_node_get_boolean(node) ? "true" : "false");
			else if (json_node_get_value_type(node) == G_TYPE_INT64)
				have = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
			else
				have = g_strdup(json_node_get_string(node));
		}
		if (g_str_equal(have, r->value) == r->negate)
			return FALSE;
	}
	return TRUE;
}

/* Helpers */

static gboolean
sim_wants_table(SimRequest *req)
{
	const char *accept = soup_message_headers_get_one(
	    soup_server_message_get_request_headers(req->msg), "Accept");

	return accept != NULL && strstr(accept, "as=Table") != NULL &&
	       strstr(accept, "g=meta.k8s.io") != NULL;
}

static char *
sim_rv_string(guint64 rv)
{
	return g_strdup_printf("%" G_GUINT64_FORMAT, rv);
}

static gint64
sim_now_seconds(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* A Table row for one object; includeObject picks what rides along. */
static JsonObject *
sim_table_row(SimRequest *req, SimObject *obj, gint64 now)
{
	const char *include = sim_request_query(req, "includeObject");
	JsonObject *row = json_object_new();

	json_object_set_array_member(row, "cells", sim_table_cells(req->res, obj, now));
	if (g_strcmp0(include, "None") == 0) {
		json_object_set_null_member(row, "object");
	} else if (g_strcmp0(include, "Object") == 0) {
		json_object_set_object_member(row, "object", sim_object_dup_json(obj));
	} else {
		JsonObject *partial = json_object_new();
		JsonObject *meta = json_object_new();
		JsonObject *src = sim_json_get_object(sim_object_get_json(obj), "metadata", FALSE);
		g_autoptr(GList) members = src != NULL ? json_object_get_members(src) : NULL;

		for (GList *l = members; l != NULL; l = l->next) {
			if (!g_str_equal(l->data, "managedFields"))
				json_object_set_member(meta, l->data,
						       sim_json_node_dup(json_object_get_member(src, l->data)));
		}
		json_object_set_string_member(partial, "kind", "PartialObjectMetadata");
		json_object_set_string_member(partial, "apiVersion", "meta.k8s.io/v1");
		json_object_set_object_member(partial, "metadata", meta);
		json_object_set_object_member(row, "object", partial);
	}
	return row;
}

static JsonObject *
sim_table_new(SimRequest *req, GPtrArray *objs, guint64 rv, const char *cont, gboolean columns)
{
	JsonObject *table = json_object_new();
	JsonObject *meta = json_object_new();
	JsonArray *rows = json_array_new();
	g_autofree char *rv_str = sim_rv_string(rv);
	gint64 now = sim_now_seconds();

	json_object_set_string_member(table, "kind", "Table");
	json_object_set_string_member(table, "apiVersion", "meta.k8s.io/v1");
	json_object_set_string_member(meta, "resourceVersion", rv_str);
	if (cont != NULL)
		json_object_set_string_member(meta, "continue", cont);
	json_object_set_object_member(table, "metadata", meta);
	if (columns)
		json_object_set_array_member(table, "columnDefinitions",
					     sim_table_column_definitions(req->res));
	else
		json_object_set_null_member(table, "columnDefinitions");
	for (guint i = 0; i < objs->len; i++)
		json_array_add_object_element(rows, sim_table_row(req, g_ptr_array_index(objs, i), now));
	json_object_set_array_member(table, "rows", rows);
	return table;
}

static char *
sim_api_version_of(const SimResource *res)
{
	return *res->group != '\0' ? g_strconcat(res->group, "/", res->version, NULL)
				   : g_strdup(res->version);
}

/* GET one */

static void
sim_api_get(SimRequest *req)
{
	g_autoptr(SimObject) obj =
	    sim_cluster_get(req->server->cluster, req->res, req->ns, req->name);
	g_autoptr(GError) error = NULL;

	if (obj == NULL) {
		g_set_error(&error, SIM_ERROR, SIM_ERROR_NOT_FOUND, "%s%s%s \"%s\" not found",
			    req->res->resource, *req->res->group != '\0' ? "." : "", req->res->group,
			    req->name);
		sim_reply_error(req, error);
		return;
	}
	if (sim_wants_table(req)) {
		g_autoptr(GPtrArray) one = g_ptr_array_new();
		g_autoptr(JsonObject) table = NULL;

		g_ptr_array_add(one, obj);
		table = sim_table_new(req, one, sim_object_get_resource_version(obj), NULL, TRUE);
		sim_reply_object(req->msg, 200, table);
		return;
	}
	sim_reply_bytes(req->msg, 200, "application/json", sim_object_get_bytes(obj));
}

/* LIST */

typedef struct {
	SoupServerMessage *msg;
	GPtrArray *objs;
	guint next;
	guint drop_after; /* G_MAXUINT: never */
	GBytes *tail;
	gboolean tail_sent;
} SimListStream;

static void
sim_list_stream_free(SimListStream *ls)
{
	g_ptr_array_unref(ls->objs);
	g_bytes_unref(ls->tail);
	g_free(ls);
}

static gboolean
sim_drop_connection_cb(gpointer user_data)
{
	SoupServerMessage *msg = user_data;

	if (g_object_get_data(G_OBJECT(msg), "sim-finished") == NULL) {
		g_autoptr(GIOStream) stream = NULL;

		g_object_set_data(G_OBJECT(msg), "sim-finished", GINT_TO_POINTER(1));
		/* Shut the socket first: closing the stolen stream alone would end the chunked
		 * body cleanly (libsoup writes the last chunk), not drop the connection. */
		g_socket_shutdown(soup_server_message_get_socket(msg), TRUE, TRUE, NULL);
		stream = soup_server_message_steal_connection(msg);
		if (stream != NULL)
			g_io_stream_close(stream, NULL, NULL);
	}
	g_object_unref(msg);
	return G_SOURCE_REMOVE;
}

static void
sim_drop_later(SoupServerMessage *msg)
{
	g_idle_add(sim_drop_connection_cb, g_object_ref(msg));
}

/* Appends the next chunk of items; completes the body after the last. */
static void
sim_list_stream_next(SimListStream *ls)
{
	SoupMessageBody *body = soup_server_message_get_response_body(ls->msg);
	GByteArray *buf;

	if (ls->tail_sent)
		return;
	if (ls->next >= ls->drop_after) {
		ls->tail_sent = TRUE;
		sim_drop_later(ls->msg);
		return;
	}
	if (ls->next >= ls->objs->len) {
		ls->tail_sent = TRUE;
		soup_message_body_append_bytes(body, ls->tail);
		soup_message_body_complete(body);
		return;
	}
	buf = g_byte_array_sized_new(SIM_LIST_CHUNK + 16 * 1024);
	while (ls->next < ls->objs->len && ls->next < ls->drop_after && buf->len < SIM_LIST_CHUNK) {
		GBytes *bytes = sim_object_get_bytes(g_ptr_array_index(ls->objs, ls->next));
		gsize size;
		gconstpointer data = g_bytes_get_data(bytes, &size);

		if (ls->next > 0)
			g_byte_array_append(buf, (const guint8 *)",", 1);
		g_byte_array_append(buf, data, size);
		ls->next++;
	}
	{
		g_autoptr(GBytes) chunk = g_byte_array_free_to_bytes(buf);

		soup_message_body_append_bytes(body, chunk);
	}
}

static void
sim_list_wrote_chunk_cb(SoupServerMessage *msg, gpointer user_data)
{
	sim_list_stream_next(user_data);
}

static void
sim_list_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	g_object_set_data(G_OBJECT(msg), "sim-finished", GINT_TO_POINTER(1));
}

static char *
sim_continue_encode(guint64 rv, const char *key)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *text = NULL;
	char *b64, *p;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "v");
	json_builder_add_string_value(b, "meta.k8s.io/v1");
	json_builder_set_member_name(b, "rv");
	json_builder_add_int_value(b, rv);
	json_builder_set_member_name(b, "start");
	json_builder_add_string_value(b, key);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	b64 = g_base64_encode((const guchar *)text, strlen(text));
	/* base64url without padding, like the real token */
	for (p = b64; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}
	return b64;
}

static gboolean
sim_continue_decode(const char *token, guint64 *rv, char **key)
{
	g_autofree char *b64 = g_strdup(token);
	g_autoptr(GString) padded = NULL;
	g_autofree guchar *raw = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	gsize len;
	JsonObject *obj;

	for (char *p = b64; *p != '\0'; p++) {
		if (*p == '-')
			*p = '+';
		else if (*p == '_')
			*p = '/';
	}
	padded = g_string_new(b64);
	while (padded->len % 4 != 0)
		g_string_append_c(padded, '=');
	raw = g_base64_decode(padded->str, &len);
	if (raw == NULL || len == 0 ||
	    !json_parser_load_from_data(parser, (const char *)raw, len, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
		return FALSE;
	obj = json_node_get_object(json_parser_get_root(parser));
	if (g_strcmp0(json_object_get_string_member_with_default(obj, "v", ""), "meta.k8s.io/v1") !=
		0 ||
	    json_object_get_string_member_with_default(obj, "start", NULL) == NULL)
		return FALSE;
	*rv = json_object_get_int_member_with_default(obj, "rv", 0);
	*key = g_strdup(json_object_get_string_member(obj, "start"));
	return TRUE;
}

/* Selectors of a list/watch request; FALSE after replying 400. */
static gboolean
sim_request_selectors(SimRequest *req, SimSelector **labels, GPtrArray **fields)
{
	g_autoptr(GError) error = NULL;
	const char *fs = sim_request_query(req, "fieldSelector");

	*labels = sim_selector_new_labels(sim_request_query(req, "labelSelector"), &error);
	*fields = NULL;
	if (*labels != NULL && fs != NULL && *fs != '\0')
		*fields = sim_fields_parse(req->res, fs, &error);
	if (error != NULL) {
		g_clear_pointer(labels, sim_selector_free);
		sim_reply_status(req->msg, 400, "BadRequest", error->message, NULL);
		return FALSE;
	}
	/* GET/WATCH on a name acts as metadata.name=<name> */
	return TRUE;
}

static void
sim_api_list(SimRequest *req)
{
	g_autoptr(SimSelector) labels = NULL;
	g_autoptr(GPtrArray) fields = NULL;
	g_autoptr(GPtrArray) page = NULL;
	g_autoptr(GPtrArray) objs = g_ptr_array_new_with_free_func((GDestroyNotify)sim_object_unref);
	const char *limit_str = sim_request_query(req, "limit");
	const char *cont = sim_request_query(req, "continue");
	g_autofree char *after = NULL;
	g_autofree char *next_token = NULL;
	guint64 list_rv = sim_cluster_get_resource_version(req->server->cluster);
	guint64 limit = 0;
	gboolean more = FALSE;
	guint remaining = 0;
	GString *head;
	g_autofree char *rv_str = NULL;
	g_autofree char *api_version = NULL;
	gboolean has_selector;

	if (!sim_request_selectors(req, &labels, &fields))
		return;
	has_selector = fields != NULL || sim_request_query(req, "labelSelector") != NULL;
	if (limit_str != NULL && *limit_str != '\0' &&
	    !g_ascii_string_to_unsigned(limit_str, 10, 0, G_MAXINT32, &limit, NULL)) {
		sim_reply_status(req->msg, 400, "BadRequest", "invalid limit", NULL);
		return;
	}
	if (cont != NULL && *cont != '\0') {
		guint64 token_rv;

		if (sim_request_query(req, "resourceVersion") != NULL &&
		    *sim_request_query(req, "resourceVersion") != '\0' &&
		    !g_str_equal(sim_request_query(req, "resourceVersion"), "0")) {
			sim_reply_status(req->msg, 422, "Invalid",
					 "specifying resource version is not allowed when using "
					 "continue",
					 NULL);
			return;
		}
		if (!sim_continue_decode(cont, &token_rv, &after)) {
			sim_reply_status(req->msg, 400, "BadRequest",
					 "continue key is not valid: incorrect encoded start "
					 "resourceVersion (version meta.k8s.io/v1)",
					 NULL);
			return;
		}
		if (token_rv < sim_cluster_get_compacted(req->server->cluster)) {
			g_autoptr(JsonObject) body = json_object_new();
			g_autofree char *fresh = sim_continue_encode(list_rv, after);

			json_object_set_string_member(body, "kind", "Status");
			json_object_set_string_member(body, "apiVersion", "v1");
			json_object_set_object_member(body, "metadata", json_object_new());
			json_object_set_string_member(sim_json_get_object(body, "metadata", FALSE),
						      "continue", fresh);
			json_object_set_string_member(body, "status", "Failure");
			json_object_set_string_member(body, "message", SIM_CONTINUE_EXPIRED);
			json_object_set_string_member(body, "reason", "Expired");
			json_object_set_int_member(body, "code", 410);
			sim_reply_object(req->msg, 410, body);
			return;
		}
		list_rv = token_rv;
	}
	if (fields == NULL) {
		page = sim_cluster_list_page(req->server->cluster, req->res, req->ns, labels, after,
					     limit, &more, &remaining);
		for (guint i = 0; i < page->len; i++)
			g_ptr_array_add(objs, sim_object_ref(g_ptr_array_index(page, i)));
	} else {
		/* field selectors filter after the store; page by hand */
		page = sim_cluster_list_page(req->server->cluster, req->res, req->ns, labels, after,
					     0, NULL, NULL);
		for (guint i = 0; i < page->len; i++) {
			SimObject *obj = g_ptr_array_index(page, i);

			if (!sim_fields_match(fields, obj))
				continue;
			if (limit > 0 && objs->len == limit) {
				more = TRUE;
				break;
			}
			g_ptr_array_add(objs, sim_object_ref(obj));
		}
	}
	if (more && objs->len > 0)
		next_token = sim_continue_encode(
		    list_rv, sim_object_get_key(g_ptr_array_index(objs, objs->len - 1)));
	if (sim_wants_table(req)) {
		g_autoptr(JsonObject) table = sim_table_new(req, objs, list_rv, next_token, TRUE);

		if (more && !has_selector)
			json_object_set_int_member(sim_json_get_object(table, "metadata", FALSE),
						   "remainingItemCount", remaining);
		sim_reply_object(req->msg, 200, table);
		return;
	}
	rv_str = sim_rv_string(list_rv);
	api_version = sim_api_version_of(req->res);
	head = g_string_new(NULL);
	g_string_append_printf(head, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{"
				     "\"resourceVersion\":\"%s\"",
			       req->res->list_kind, api_version, rv_str);
	if (next_token != NULL)
		g_string_append_printf(head, ",\"continue\":\"%s\"", next_token);
	if (more && !has_selector)
		g_string_append_printf(head, ",\"remainingItemCount\":%u", remaining);
	g_string_append(head, "},\"items\":[");
	{
		SimListStream *ls = g_new0(SimListStream, 1);
		SoupMessageHeaders *headers = soup_server_message_get_response_headers(req->msg);
		SoupMessageBody *body = soup_server_message_get_response_body(req->msg);
		GBytes *head_bytes = g_string_free_to_bytes(head);
		guint *drop = &req->server->faults.drop_list;

		ls->msg = req->msg;
		ls->objs = g_steal_pointer(&objs);
		ls->tail = g_bytes_new_static("]}", 2);
		ls->drop_after = sim_faults_take(drop) ? req->server->faults.drop_list_after
						       : G_MAXUINT;
		soup_server_message_set_status(req->msg, 200, NULL);
		soup_message_headers_replace(headers, "Content-Type", "application/json");
		soup_message_headers_replace(headers, "Cache-Control", "no-cache, private");
		soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
		soup_message_body_set_accumulate(body, FALSE);
		soup_message_body_append_bytes(body, head_bytes);
		g_bytes_unref(head_bytes);
		/* freed with the message, however it ends (finished, dropped, disconnected) */
		g_object_set_data_full(G_OBJECT(req->msg), "sim-list", ls,
				       (GDestroyNotify)sim_list_stream_free);
		g_signal_connect(req->msg, "wrote-chunk", G_CALLBACK(sim_list_wrote_chunk_cb), ls);
		g_signal_connect(req->msg, "finished", G_CALLBACK(sim_list_finished_cb), NULL);
		g_signal_connect(req->msg, "disconnected", G_CALLBACK(sim_list_finished_cb), NULL);
	}
}

/* WATCH */

typedef struct {
	SimServer *server;
	SoupServerMessage *msg;
	const SimResource *res;
	char *ns;
	char *include;
	SimSelector *labels;
	GPtrArray *fields;
	gboolean table;
	gboolean columns_sent;
	gboolean bookmarks;
	guint64 last_rv;
	guint sub_id;
	guint timeout_id;
	guint bookmark_id;
	guint drop_after;
	guint sent;
	gboolean ended;
} SimWatch;

static void
sim_watch_free(SimWatch *w)
{
	g_free(w->ns);
	g_free(w->include);
	sim_selector_free(w->labels);
	if (w->fields != NULL)
		g_ptr_array_unref(w->fields);
	g_object_unref(w->msg);
	g_free(w);
}

/* Stops producing events; the message may still be finishing. */
static void
sim_watch_stop(SimWatch *w)
{
	if (w->sub_id != 0)
		sim_cluster_disconnect_changes(w->server->cluster, w->sub_id);
	w->sub_id = 0;
	g_clear_handle_id(&w->timeout_id, g_source_remove);
	g_clear_handle_id(&w->bookmark_id, g_source_remove);
}

static void
sim_watch_detach(SimWatch *w)
{
	sim_watch_stop(w);
	w->server->watches = g_list_remove(w->server->watches, w);
	g_signal_handlers_disconnect_by_data(w->msg, w);
	sim_watch_free(w);
}

static void
sim_watch_end(SimWatch *w)
{
	if (w->ended)
		return;
	w->ended = TRUE;
	sim_watch_stop(w);
	if (g_object_get_data(G_OBJECT(w->msg), "sim-finished") != NULL)
		return;
	soup_message_body_complete(soup_server_message_get_response_body(w->msg));
	soup_server_message_unpause(w->msg);
}

static void
sim_watch_send_raw(SimWatch *w, const char *type, GBytes *object)
{
	SoupMessageBody *body = soup_server_message_get_response_body(w->msg);
	gsize size;
	gconstpointer data = g_bytes_get_data(object, &size);
	GByteArray *buf = g_byte_array_sized_new(size + 40);
	g_autoptr(GBytes) event = NULL;

	if (w->ended) {
		g_byte_array_unref(buf);
		return;
	}
	g_byte_array_append(buf, (const guint8 *)"{\"type\":\"", 9);
	g_byte_array_append(buf, (const guint8 *)type, strlen(type));
	g_byte_array_append(buf, (const guint8 *)"\",\"object\":", 11);
	g_byte_array_append(buf, data, size);
	g_byte_array_append(buf, (const guint8 *)"}\n", 2);
	event = g_byte_array_free_to_bytes(buf);
	soup_message_body_append_bytes(body, event);
	soup_server_message_unpause(w->msg);
}

static void
sim_watch_send_json(SimWatch *w, const char *type, JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autofree char *text = NULL;
	g_autoptr(GBytes) bytes = NULL;

	json_node_set_object(node, obj);
	text = json_to_string(node, FALSE);
	bytes = g_bytes_new(text, strlen(text));
	sim_watch_send_raw(w, type, bytes);
}

static void
sim_watch_send(SimWatch *w, const char *type, SimObject *obj)
{
	if (w->ended)
		return;
	if (w->drop_after != G_MAXUINT && w->sent >= w->drop_after) {
		w->ended = TRUE;
		sim_watch_stop(w);
		sim_drop_later(w->msg);
		return;
	}
	w->sent++;
	if (w->table) {
		SimRequest req = {.server = w->server, .msg = w->msg, .res = w->res};
		g_autoptr(GPtrArray) one = g_ptr_array_new();
		g_autoptr(JsonObject) table = NULL;
		g_autoptr(GHashTable) query = g_hash_table_new(g_str_hash, g_str_equal);

		if (w->include != NULL)
			g_hash_table_insert(query, "includeObject", w->include);
		req.query = query;
		g_ptr_array_add(one, obj);
		table = sim_table_new(&req, one, sim_object_get_resource_version(obj), NULL,
				      !w->columns_sent);
		w->columns_sent = TRUE;
		sim_watch_send_json(w, type, table);
	} else {
		sim_watch_send_raw(w, type, sim_object_get_bytes(obj));
	}
	if (!w->ended && w->drop_after != G_MAXUINT && w->sent >= w->drop_after) {
		w->ended = TRUE;
		sim_watch_stop(w);
		sim_drop_later(w->msg);
	}
}

static void
sim_watch_send_error(SimWatch *w, guint64 rv)
{
	g_autofree char *message = g_strdup_printf(
	    "too old resource version: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT ")", rv,
	    sim_cluster_get_compacted(w->server->cluster) + 1);
	g_autoptr(JsonObject) st = json_object_new();

	json_object_set_string_member(st, "kind", "Status");
	json_object_set_string_member(st, "apiVersion", "v1");
	json_object_set_object_member(st, "metadata", json_object_new());
	json_object_set_string_member(st, "status", "Failure");
	json_object_set_string_member(st, "message", message);
	json_object_set_string_member(st, "reason", "Expired");
	json_object_set_int_member(st, "code", 410);
	sim_watch_send_json(w, "ERROR", st);
	sim_watch_end(w);
}

static void
sim_watch_send_bookmark(SimWatch *w, gboolean initial_end)
{
	g_autoptr(JsonObject) obj = json_object_new();
	JsonObject *meta = json_object_new();
	g_autofree char *api_version = sim_api_version_of(w->res);
	g_autofree char *rv = sim_rv_string(w->last_rv);

	json_object_set_string_member(obj, "kind", w->res->kind);
	json_object_set_string_member(obj, "apiVersion", api_version);
	json_object_set_string_member(meta, "resourceVersion", rv);
	if (initial_end) {
		JsonObject *ann = json_object_new();

		json_object_set_string_member(ann, "k8s.io/initial-events-end", "true");
		json_object_set_object_member(meta, "annotations", ann);
	}
	json_object_set_object_member(obj, "metadata", meta);
	sim_watch_send_json(w, "BOOKMARK", obj);
}

static gboolean
sim_watch_matches(SimWatch *w, SimObject *obj)
{
	if (obj == NULL)
		return FALSE;
	if (w->ns != NULL && !g_str_equal(w->ns, sim_object_get_namespace(obj)))
		return FALSE;
	return sim_selector_matches_labels(w->labels, sim_object_get_labels(obj)) &&
	       sim_fields_match(w->fields, obj);
}

static void
sim_watch_deliver(SimWatch *w, SimEventType type, SimObject *old_obj, SimObject *new_obj)
{
	guint64 rv = sim_object_get_resource_version(new_obj);
	gboolean was, is;

	if (rv <= w->last_rv || w->ended)
		return;
	w->last_rv = rv;
	was = type == SIM_EVENT_MODIFIED && sim_watch_matches(w, old_obj);
	is = sim_watch_matches(w, new_obj);
	if (type == SIM_EVENT_DELETED) {
		if (is)
			sim_watch_send(w, "DELETED", new_obj);
	} else if (is) {
		sim_watch_send(w, was ? "MODIFIED" : "ADDED", new_obj);
	} else if (was) {
		sim_watch_send(w, "DELETED", new_obj);
	}
}

static void
sim_watch_change_cb(SimCluster *cluster, SimEventType type, SimObject *old_obj,
		    SimObject *new_obj, gpointer user_data)
{
	sim_watch_deliver(user_data, type, old_obj, new_obj);
}

static gboolean
sim_watch_timeout_cb(gpointer user_data)
{
	SimWatch *w = user_data;

	w->timeout_id = 0;
	sim_watch_end(w);
	return G_SOURCE_REMOVE;
}

static gboolean
sim_watch_bookmark_cb(gpointer user_data)
{
	SimWatch *w = user_data;

	/* nothing newer to report: the watch is at the cluster's revision */
	w->last_rv = MAX(w->last_rv, sim_cluster_get_dispatched(w->server->cluster));
	sim_watch_send_bookmark(w, FALSE);
	return G_SOURCE_CONTINUE;
}

static void
sim_watch_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	g_object_set_data(G_OBJECT(msg), "sim-finished", GINT_TO_POINTER(1));
	sim_watch_detach(user_data);
}

void
sim_api_end_watches(SimServer *server, gboolean expire)
{
	GList *copy = g_list_copy(server->watches);

	for (GList *l = copy; l != NULL; l = l->next) {
		SimWatch *w = l->data;

		if (expire)
			sim_watch_send_error(w, w->last_rv);
		else
			sim_watch_end(w);
		sim_watch_detach(w);
	}
	g_list_free(copy);
	if (expire)
		sim_faults_take(&server->faults.expire_watch);
}

static void
sim_api_watch(SimRequest *req)
{
	g_autoptr(SimSelector) labels = NULL;
	g_autoptr(GPtrArray) fields = NULL;
	const char *rv_str = sim_request_query(req, "resourceVersion");
	const char *timeout_str = sim_request_query(req, "timeoutSeconds");
	gboolean initial = rv_str == NULL || *rv_str == '\0' || g_str_equal(rv_str, "0") ||
			   g_strcmp0(sim_request_query(req, "sendInitialEvents"), "true") == 0;
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(req->msg);
	SoupMessageBody *body = soup_server_message_get_response_body(req->msg);
	guint64 timeout_s = 0;
	guint64 rv = 0;
	SimWatch *w;

	if (!sim_request_selectors(req, &labels, &fields))
		return;
	if (req->name != NULL) {
		SimFieldReq *r = g_new0(SimFieldReq, 1);

		r->field = g_strdup("metadata.name");
		r->value = g_strdup(req->name);
		if (fields == NULL)
			fields = g_ptr_array_new_with_free_func((GDestroyNotify)sim_field_req_free);
		g_ptr_array_add(fields, r);
	}
	if (rv_str != NULL && *rv_str != '\0' &&
	    !g_ascii_string_to_unsigned(rv_str, 10, 0, G_MAXUINT64, &rv, NULL)) {
		g_autofree char *message =
		    g_strdup_printf("resourceVersion: Invalid value: \"%s\": must be a number", rv_str);

		sim_reply_status(req->msg, 400, "BadRequest", message, NULL);
		return;
	}
	if (timeout_str != NULL)
		g_ascii_string_to_unsigned(timeout_str, 10, 0, G_MAXUINT32, &timeout_s, NULL);
	if (timeout_s == 0)
		timeout_s = 1800 + g_random_int_range(0, 1800);
	w = g_new0(SimWatch, 1);
	w->server = req->server;
	w->msg = g_object_ref(req->msg);
	w->res = req->res;
	w->ns = g_strdup(req->ns);
	w->include = g_strdup(sim_request_query(req, "includeObject"));
	w->labels = g_steal_pointer(&labels);
	w->fields = g_steal_pointer(&fields);
	w->table = sim_wants_table(req);
	w->bookmarks = sim_query_true(sim_request_query(req, "allowWatchBookmarks"));
	w->drop_after = sim_faults_take(&req->server->faults.drop_watch)
			    ? req->server->faults.drop_watch_after
			    : G_MAXUINT;
	req->server->watches = g_list_prepend(req->server->watches, w);
	soup_server_message_set_status(req->msg, 200, NULL);
	soup_message_headers_replace(headers, "Content-Type", "application/json");
	soup_message_headers_replace(headers, "Cache-Control", "no-cache, private");
	soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
	soup_message_body_set_accumulate(body, FALSE);
	g_signal_connect(req->msg, "finished", G_CALLBACK(sim_watch_finished_cb), w);
	g_signal_connect(req->msg, "disconnected", G_CALLBACK(sim_watch_finished_cb), w);
	if (sim_faults_take(&req->server->faults.expire_watch) ||
	    (!initial && rv < sim_cluster_get_compacted(req->server->cluster))) {
		sim_watch_send_error(w, rv);
		return;
	}
	if (initial) {
		g_autoptr(GPtrArray) objs =
		    sim_cluster_list(req->server->cluster, req->res, req->ns, w->labels);

		for (guint i = 0; i < objs->len && !w->ended; i++) {
			SimObject *obj = g_ptr_array_index(objs, i);

			if (sim_fields_match(w->fields, obj))
				sim_watch_send(w, "ADDED", obj);
		}
		w->last_rv = sim_cluster_get_resource_version(req->server->cluster);
		if (w->bookmarks && g_strcmp0(sim_request_query(req, "sendInitialEvents"), "true") == 0)
			sim_watch_send_bookmark(w, TRUE);
	} else {
		g_autoptr(GPtrArray) changes = NULL;

		w->last_rv = rv;
		sim_cluster_changes_since(req->server->cluster, rv, &changes);
		for (guint i = 0; changes != NULL && i < changes->len && !w->ended; i++) {
			SimChange *c = g_ptr_array_index(changes, i);
			SimObject *any = c->new_obj != NULL ? c->new_obj : c->old_obj;

			if (sim_object_get_resource(any) == req->res)
				sim_watch_deliver(w, c->type, c->old_obj, c->new_obj);
		}
		/* the watch is now current up to the cluster's revision */
		w->last_rv = MAX(w->last_rv, rv);
	}
	if (w->ended)
		return;
	w->sub_id = sim_cluster_connect_changes(req->server->cluster, req->res, sim_watch_change_cb,
						w, NULL);
	w->timeout_id = g_timeout_add_seconds(timeout_s, sim_watch_timeout_cb, w);
	if (w->bookmarks)
		w->bookmark_id =
		    g_timeout_add_seconds(SIM_BOOKMARK_INTERVAL_S, sim_watch_bookmark_cb, w);
}

/* Writes */

static const char *
sim_content_type(SimRequest *req)
{
	const char *ct = soup_message_headers_get_one(
	    soup_server_message_get_request_headers(req->msg), "Content-Type");

	return ct != NULL ? ct : "application/json";
}

/* The request body as JSON (YAML accepted: it is a superset). */
static JsonNode *
sim_request_body(SimRequest *req, GError **error)
{
	g_autoptr(GBytes) bytes =
	    soup_message_body_flatten(soup_server_message_get_request_body(req->msg));
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GPtrArray) docs = NULL;
	g_autoptr(GError) local = NULL;

	if (len == 0) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST, "the request body is empty");
		return NULL;
	}
	if (json_parser_load_from_data(parser, data, len, NULL))
		return json_node_ref(json_parser_get_root(parser));
	docs = sim_yaml_parse(data, len, "body", &local);
	if (docs == NULL || docs->len != 1) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
			    "the body of the request was in an unknown format - could not parse: %s",
			    local != NULL ? local->message : "not one document");
		return NULL;
	}
	return json_node_ref(g_ptr_array_index(docs, 0));
}

static JsonObject *
sim_request_body_object(SimRequest *req, GError **error)
{
	g_autoptr(JsonNode) node = sim_request_body(req, error);

	if (node == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
			    "the body of the request must be a JSON object");
		return NULL;
	}
	return json_object_ref(json_node_get_object(node));
}

static char *
sim_request_manager(SimRequest *req)
{
	const char *fm = sim_request_query(req, "fieldManager");
	const char *ua = soup_message_headers_get_one(
	    soup_server_message_get_request_headers(req->msg), "User-Agent");

	if (fm != NULL && *fm != '\0')
		return g_strdup(fm);
	if (ua != NULL && *ua != '\0')
		return g_strndup(ua, strcspn(ua, "/ "));
	return g_strdup("unknown");
}

static gboolean
sim_dry_run(SimRequest *req)
{
	return g_strcmp0(sim_request_query(req, "dryRun"), "All") == 0;
}

/* Checks apiVersion/kind and the namespace against the URL; sets what is missing. */
static gboolean
sim_check_body(SimRequest *req, JsonObject *obj, GError **error)
{
	g_autofree char *api_version = sim_api_version_of(req->res);
	const char *av = sim_json_get_string(obj, "apiVersion");
	const char *kind = sim_json_get_string(obj, "kind");
	JsonObject *meta = sim_json_get_object(obj, "metadata", TRUE);
	const char *ns = json_object_get_string_member_with_default(meta, "namespace", NULL);
	const char *name = json_object_get_string_member_with_default(meta, "name", NULL);

	if ((av != NULL && !g_str_equal(av, api_version)) ||
	    (kind != NULL && !g_str_equal(kind, req->res->kind))) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
			    "the API version in the data (%s) does not match the expected API "
			    "version (%s)",
			    av != NULL ? av : "", api_version);
		return FALSE;
	}
	if (req->res->namespaced) {
		if (ns != NULL && *ns != '\0' && g_strcmp0(ns, req->ns) != 0) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
				    "the namespace of the provided object does not match the "
				    "namespace sent on the request");
			return FALSE;
		}
		json_object_set_string_member(meta, "namespace", req->ns);
	}
	if (req->name != NULL) {
		if (name != NULL && *name != '\0' && !g_str_equal(name, req->name)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
				    "the name of the object (%s) does not match the name on the URL "
				    "(%s)",
				    name, req->name);
			return FALSE;
		}
		json_object_set_string_member(meta, "name", req->name);
	}
	return TRUE;
}

static gboolean
sim_name_valid(const char *name, gboolean label)
{
	g_autoptr(GRegex) re = g_regex_new(
	    label ? "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
		  : "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
	    0, 0, NULL);

	return strlen(name) <= (label ? 63 : 253) && g_regex_match(re, name, 0, NULL);
}

static char *
sim_qualified_kind(const SimResource *res)
{
	return *res->group != '\0' ? g_strconcat(res->kind, ".", res->group, NULL)
				   : g_strdup(res->kind);
}

/* The pod's QoS class, as the API server records it on create */
static const char *
sim_pod_qos(JsonObject *pod)
{
	JsonNode *containers = sim_json_path(pod, "spec.containers");
	gboolean any = FALSE, guaranteed = TRUE;

	if (containers == NULL || !JSON_NODE_HOLDS_ARRAY(containers))
		return "BestEffort";
	for (guint i = 0; i < json_array_get_length(json_node_get_array(containers)); i++) {
		JsonObject *c = json_array_get_object_element(json_node_get_array(containers), i);
		JsonObject *req = c != NULL ? sim_json_get_object(c, "resources.requests", FALSE) : NULL;
		JsonObject *lim = c != NULL ? sim_json_get_object(c, "resources.limits", FALSE) : NULL;
		static const char *const names[] = {"cpu", "memory"};

		if ((req != NULL && json_object_get_size(req) > 0) ||
		    (lim != NULL && json_object_get_size(lim) > 0))
			any = TRUE;
		for (guint j = 0; j < G_N_ELEMENTS(names); j++) {
			const char *l = lim != NULL ? json_object_get_string_member_with_default(
							  lim, names[j], NULL)
						    : NULL;
			const char *r = req != NULL ? json_object_get_string_member_with_default(
							  req, names[j], NULL)
						    : NULL;

			if (l == NULL || (r != NULL && !g_str_equal(l, r)))
				guaranteed = FALSE;
		}
	}
	return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
}

static void
sim_reply_written(SimRequest *req, guint status, SimObject *obj)
{
	sim_reply_bytes(req->msg, status, "application/json", sim_object_get_bytes(obj));
}

static void
sim_api_create_object(SimRequest *req, JsonObject *obj, gboolean apply)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimObject) stored = NULL;
	g_autofree char *manager = sim_request_manager(req);
	JsonObject *meta = sim_json_get_object(obj, "metadata", TRUE);
	const char *name = json_object_get_string_member_with_default(meta, "name", "");
	const char *gen = json_object_get_string_member_with_default(meta, "generateName", NULL);
	const char *rv = json_object_get_string_member_with_default(meta, "resourceVersion", "");

	if (*rv != '\0' && !apply) {
		sim_reply_status(req->msg, 400, "BadRequest",
				 "resourceVersion should not be set on objects to be created",
				 sim_request_details(req));
		return;
	}
	json_object_remove_member(meta, "resourceVersion");
	if (*name == '\0' && gen != NULL && *gen != '\0') {
		static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
		GString *fresh = g_string_new(gen);

		for (guint i = 0; i < 5; i++)
			g_string_append_c(fresh, alphabet[g_random_int_range(0, sizeof(alphabet) - 1)]);
		json_object_set_string_member(meta, "name", fresh->str);
		g_string_free(fresh, TRUE);
		name = json_object_get_string_member(meta, "name");
	}
	if (*name != '\0' && !sim_name_valid(name, g_str_equal(req->res->resource, "namespaces"))) {
		g_autofree char *kind = sim_qualified_kind(req->res);

		g_set_error(&error, SIM_ERROR, SIM_ERROR_INVALID,
			    "%s \"%s\" is invalid: metadata.name: Invalid value: \"%s\": a lowercase "
			    "RFC 1123 %s must consist of lower case alphanumeric characters, '-' or "
			    "'.', and must start and end with an alphanumeric character (e.g. "
			    "'example.com', regex used for validation is "
			    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
			    kind, name, name,
			    g_str_equal(req->res->resource, "namespaces") ? "label" : "subdomain");
		req->name = req->name != NULL ? req->name : g_strdup(name);
		sim_reply_error(req, error);
		return;
	}
	if (req->res->namespaced) {
		const SimResource *ns_res = sim_cluster_resource(req->server->cluster, "namespaces");
		g_autoptr(SimObject) ns = sim_cluster_get(req->server->cluster, ns_res, NULL, req->ns);

		if (ns == NULL) {
			g_autofree char *message =
			    g_strdup_printf("namespaces \"%s\" not found", req->ns);
			JsonObject *details = json_object_new();

			json_object_set_string_member(details, "name", req->ns);
			json_object_set_string_member(details, "kind", "namespaces");
			sim_reply_status(req->msg, 404, "NotFound", message, details);
			return;
		}
	}
	if (req->res->has_status && !req->res->builtin)
		json_object_remove_member(obj, "status"); /* CRs lose status on create */
	if (g_str_equal(req->res->kind, "Pod") && *req->res->group == '\0') {
		JsonObject *status = json_object_new();

		json_object_set_string_member(status, "phase", "Pending");
		json_object_set_string_member(status, "qosClass", sim_pod_qos(obj));
		json_object_set_object_member(obj, "status", status);
	}
	if (g_str_equal(req->res->kind, "Namespace") && *req->res->group == '\0')
		json_object_set_string_member(sim_json_get_object(obj, "status", TRUE), "phase",
					      "Active");
	if (!apply)
		sim_managed_fields_update(NULL, obj, manager, req->res->builtin, NULL);
	if (sim_dry_run(req)) {
		g_autofree char *now = sim_now_rfc3339();
		g_autofree char *uid = g_uuid_string_random();

		json_object_set_string_member(meta, "uid", uid);
		json_object_set_string_member(meta, "creationTimestamp", now);
		sim_reply_object(req->msg, 201, obj);
		return;
	}
	stored = sim_cluster_create(req->server->cluster, req->res, json_object_ref(obj),
				    SIM_WRITE_NONE, &error);
	if (stored == NULL) {
		if (req->name == NULL)
			req->name = g_strdup(name);
		sim_reply_error(req, error);
		return;
	}
	sim_reply_written(req, 201, stored);
}

static void
sim_api_create(SimRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) obj = NULL;

	if (req->res->namespaced && req->ns == NULL) {
		sim_reply_status(req->msg, 404, "NotFound",
				 "the server could not find the requested resource", NULL);
		return;
	}
	obj = sim_request_body_object(req, &error);
	if (obj == NULL || !sim_check_body(req, obj, &error)) {
		sim_reply_error(req, error);
		return;
	}
	sim_api_create_object(req, obj, FALSE);
}

/* Stores `obj` as the new state of `old_obj` (update, patch), handling /status and the status
 * a main-endpoint write may not touch, then replies. */
static void
sim_api_store_update(SimRequest *req, SimObject *old_obj, JsonObject *obj, gboolean apply,
		     guint status)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimObject) stored = NULL;
	g_autofree char *manager = sim_request_manager(req);
	JsonObject *meta = sim_json_get_object(obj, "metadata", TRUE);
	JsonObject *old_meta = sim_json_get_object(sim_object_get_json(old_obj), "metadata", FALSE);
	g_autoptr(JsonObject) replacement = NULL;
	JsonNode *status_node;

	if (req->sub != NULL) {
		/* only status changes through /status (and the precondition) */
		const char *rv = json_object_get_string_member_with_default(meta, "resourceVersion",
									    NULL);
		JsonObject *merged_meta;

		replacement = sim_object_dup_json(old_obj);
		merged_meta = sim_json_get_object(replacement, "metadata", TRUE);
		status_node = json_object_get_member(obj, "status");
		if (status_node != NULL)
			json_object_set_member(replacement, "status", sim_json_node_dup(status_node));
		else
			json_object_remove_member(replacement, "status");
		if (apply && json_object_has_member(meta, "managedFields"))
			json_object_set_member(
			    merged_meta, "managedFields",
			    sim_json_node_dup(json_object_get_member(meta, "managedFields")));
		if (rv != NULL)
			json_object_set_string_member(merged_meta, "resourceVersion", rv);
		else
			json_object_remove_member(merged_meta, "resourceVersion");
		obj = replacement;
		meta = merged_meta;
	}
	if (req->sub == NULL && req->res->has_status) {
		status_node = json_object_get_member(sim_object_get_json(old_obj), "status");
		if (status_node != NULL)
			json_object_set_member(obj, "status", sim_json_node_dup(status_node));
		else
			json_object_remove_member(obj, "status");
	}
	if (!json_object_has_member(meta, "managedFields") && old_meta != NULL &&
	    json_object_has_member(old_meta, "managedFields"))
		json_object_set_member(meta, "managedFields",
				       sim_json_node_dup(json_object_get_member(old_meta, "managedFields")));
	if (!apply)
		sim_managed_fields_update(sim_object_get_json(old_obj), obj, manager,
					  req->res->builtin, req->sub);
	if (sim_dry_run(req)) {
		sim_reply_object(req->msg, status, obj);
		return;
	}
	stored = sim_cluster_update(req->server->cluster, req->res, json_object_ref(obj),
				    SIM_WRITE_NONE, &error);
	if (stored == NULL) {
		sim_reply_error(req, error);
		return;
	}
	sim_reply_written(req, status, stored);
}

static SimObject *
sim_api_get_existing(SimRequest *req)
{
	SimObject *obj = sim_cluster_get(req->server->cluster, req->res, req->ns, req->name);

	if (obj == NULL) {
		g_autoptr(GError) error = NULL;

		g_set_error(&error, SIM_ERROR, SIM_ERROR_NOT_FOUND, "%s%s%s \"%s\" not found",
			    req->res->resource, *req->res->group != '\0' ? "." : "", req->res->group,
			    req->name);
		sim_reply_error(req, error);
	}
	return obj;
}

static void
sim_api_update(SimRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) obj = sim_request_body_object(req, &error);
	g_autoptr(SimObject) old_obj = NULL;
	const char *rv;

	if (obj == NULL || !sim_check_body(req, obj, &error)) {
		sim_reply_error(req, error);
		return;
	}
	old_obj = sim_api_get_existing(req);
	if (old_obj == NULL)
		return;
	rv = sim_json_get_string(obj, "metadata.resourceVersion");
	if ((rv == NULL || *rv == '\0') && !req->res->builtin) {
		g_autofree char *kind = sim_qualified_kind(req->res);

		g_set_error(&error, SIM_ERROR, SIM_ERROR_INVALID,
			    "%s \"%s\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must "
			    "be specified for an update",
			    kind, req->name);
		sim_reply_error(req, error);
		return;
	}
	sim_api_store_update(req, old_obj, obj, FALSE, 200);
}

static void
sim_reply_unsupported_patch(SimRequest *req, const char *type)
{
	g_autofree char *message = g_strdup_printf(
	    "the body of the request was in an unknown format - accepted media types include: "
	    "application/json-patch+json, application/merge-patch+json, "
	    "application/apply-patch+yaml%s",
	    req->res->builtin ? ", application/strategic-merge-patch+json" : "");

	sim_reply_status(req->msg, 415, "UnsupportedMediaType", message, NULL);
}

static void
sim_api_apply(SimRequest *req, SimObject *old_obj)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) applied = sim_request_body_object(req, &error);
	g_autoptr(JsonObject) result = NULL;
	g_autoptr(JsonArray) conflicts = NULL;
	const char *manager = sim_request_query(req, "fieldManager");

	if (manager == NULL || *manager == '\0') {
		g_set_error(&error, SIM_ERROR, SIM_ERROR_INVALID,
			    "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
			    "is required for apply patch");
		sim_reply_error(req, error);
		return;
	}
	if (applied == NULL || !sim_check_body(req, applied, &error)) {
		sim_reply_error(req, error);
		return;
	}
	result = sim_apply(old_obj != NULL ? sim_object_get_json(old_obj) : NULL, applied, manager,
			   sim_query_true(sim_request_query(req, "force")), req->res->builtin,
			   req->sub, &conflicts, &error);
	if (result == NULL) {
		JsonObject *details = sim_request_details(req);

		if (conflicts != NULL)
			json_object_set_array_member(details, "causes",
						     json_array_ref(conflicts));
		sim_reply_status(req->msg, 409, "Conflict", error->message, details);
		return;
	}
	if (old_obj == NULL) {
		if (req->sub != NULL) {
			sim_api_get_existing(req); /* replies 404 */
			return;
		}
		sim_api_create_object(req, result, TRUE);
		return;
	}
	sim_api_store_update(req, old_obj, result, TRUE, 200);
}

static void
sim_api_patch(SimRequest *req)
{
	g_autofree char *type = g_strndup(sim_content_type(req), strcspn(sim_content_type(req), ";"));
	g_autoptr(GError) error = NULL;
	g_autoptr(SimObject) old_obj = NULL;
	g_autoptr(JsonObject) result = NULL;
	g_autoptr(JsonNode) patch = NULL;

	g_strstrip(type);
	if (g_str_equal(type, "application/apply-patch+yaml")) {
		old_obj = sim_cluster_get(req->server->cluster, req->res, req->ns, req->name);
		sim_api_apply(req, old_obj);
		return;
	}
	if (!g_str_equal(type, "application/merge-patch+json") &&
	    !g_str_equal(type, "application/json-patch+json") &&
	    !(g_str_equal(type, "application/strategic-merge-patch+json") && req->res->builtin)) {
		sim_reply_unsupported_patch(req, type);
		return;
	}
	if (sim_request_query(req, "force") != NULL) {
		g_set_error(&error, SIM_ERROR, SIM_ERROR_INVALID,
			    "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be "
			    "specified for non-apply patch");
		sim_reply_error(req, error);
		return;
	}
	old_obj = sim_api_get_existing(req);
	if (old_obj == NULL)
		return;
	patch = sim_request_body(req, &error);
	if (patch == NULL) {
		sim_reply_error(req, error);
		return;
	}
	if (g_str_equal(type, "application/json-patch+json")) {
		if (!JSON_NODE_HOLDS_ARRAY(patch)) {
			sim_reply_status(req->msg, 400, "BadRequest",
					 "json: cannot unmarshal object into Go value of type "
					 "jsonpatch.Patch",
					 NULL);
			return;
		}
		result = sim_json_patch(sim_object_get_json(old_obj), json_node_get_array(patch),
					&error);
	} else if (!JSON_NODE_HOLDS_OBJECT(patch)) {
		g_set_error(&error, SIM_ERROR, SIM_ERROR_BAD_REQUEST,
			    "the body of the request must be a JSON object");
	} else {
		result = sim_object_dup_json(old_obj);
		if (g_str_equal(type, "application/merge-patch+json"))
			sim_merge_patch(result, json_node_get_object(patch));
		else if (!sim_strategic_patch(result, json_node_get_object(patch), &error))
			g_clear_pointer(&result, json_object_unref);
	}
	if (result == NULL || !sim_check_body(req, result, &error)) {
		sim_reply_error(req, error);
		return;
	}
	sim_api_store_update(req, old_obj, result, FALSE, 200);
}

/* DELETE */

typedef struct {
	const SimResource *res;
	char *ns;
	char *name;
	char *uid;
} SimPending;

static void
sim_pending_free(SimPending *p)
{
	g_free(p->ns);
	g_free(p->name);
	g_free(p->uid);
	g_free(p);
}

static SimPending *
sim_pending_new(SimObject *obj)
{
	SimPending *p = g_new0(SimPending, 1);

	p->res = sim_object_get_resource(obj);
	p->ns = g_strdup(sim_object_get_namespace(obj));
	p->name = g_strdup(sim_object_get_name(obj));
	p->uid = g_strdup(sim_object_get_uid(obj));
	return p;
}

/* The kubelet's part of a graceful pod deletion: it stops the pod and deletes it with grace 0. */
static gboolean
sim_kubelet_delete_cb(SimCluster *cluster, gpointer user_data)
{
	SimPending *p = user_data;
	g_autoptr(SimObject) obj = sim_cluster_get(cluster, p->res, p->ns, p->name);
	g_autoptr(SimObject) gone = NULL;

	if (obj != NULL && g_strcmp0(sim_object_get_uid(obj), p->uid) == 0)
		gone = sim_cluster_delete(cluster, p->res, p->ns, p->name, NULL);
	return G_SOURCE_REMOVE;
}

/* The namespace controller: deletes the namespace's content, then the namespace. */
static gboolean
sim_namespace_delete_cb(SimCluster *cluster, gpointer user_data)
{
	SimPending *p = user_data;
	g_autoptr(GPtrArray) resources = sim_cluster_list_resources(cluster);
	g_autoptr(SimObject) gone = NULL;

	for (guint i = 0; i < resources->len; i++) {
		const SimResource *res = g_ptr_array_index(resources, i);
		g_autoptr(GPtrArray) objs = NULL;

		if (!res->namespaced)
			continue;
		objs = sim_cluster_list(cluster, res, p->name, NULL);
		for (guint j = 0; j < objs->len; j++) {
			SimObject *obj = g_ptr_array_index(objs, j);
			g_autoptr(SimObject) deleted = sim_cluster_delete(
			    cluster, res, sim_object_get_namespace(obj), sim_object_get_name(obj), NULL);
		}
	}
	gone = sim_cluster_delete(cluster, p->res, NULL, p->name, NULL);
	return G_SOURCE_REMOVE;
}

typedef struct {
	gint64 grace; /* -1: default */
	char *uid;
	char *rv;
} SimDeleteOptions;

static gboolean
sim_delete_options(SimRequest *req, SimDeleteOptions *opts, GError **error)
{
	g_autoptr(GBytes) bytes =
	    soup_message_body_flatten(soup_server_message_get_request_body(req->msg));
	const char *grace = sim_request_query(req, "gracePeriodSeconds");

	opts->grace = -1;
	if (grace != NULL)
		opts->grace = g_ascii_strtoll(grace, NULL, 10);
	if (g_bytes_get_size(bytes) > 0) {
		g_autoptr(JsonObject) body = sim_request_body_object(req, error);

		if (body == NULL)
			return FALSE;
		if (json_object_has_member(body, "gracePeriodSeconds"))
			opts->grace = json_object_get_int_member_with_default(body, "gracePeriodSeconds",
									      -1);
		opts->uid = g_strdup(sim_json_get_string(body, "preconditions.uid"));
		opts->rv = g_strdup(sim_json_get_string(body, "preconditions.resourceVersion"));
		if (json_object_has_member(body, "propagationPolicy")) {
			const char *policy =
			    json_object_get_string_member_with_default(body, "propagationPolicy", "");

			if (!g_str_equal(policy, "Foreground") && !g_str_equal(policy, "Background") &&
			    !g_str_equal(policy, "Orphan")) {
				g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
					    "DeleteOptions.meta.k8s.io \"\" is invalid: "
					    "propagationPolicy: Unsupported value: \"%s\": supported "
					    "values: \"Foreground\", \"Background\", \"Orphan\"",
					    policy);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/* Deletes one object as the API server would; returns what to reply (object or NULL for a
 * Status) through `*reply`. */
static gboolean
sim_api_delete_one(SimRequest *req, SimObject *obj, SimDeleteOptions *opts, SimObject **reply,
		   GError **error)
{
	SimCluster *cluster = req->server->cluster;
	JsonObject *json = sim_object_get_json(obj);
	JsonNode *finalizers = sim_json_path(json, "metadata.finalizers");
	gboolean has_finalizers = finalizers != NULL && JSON_NODE_HOLDS_ARRAY(finalizers) &&
				  json_array_get_length(json_node_get_array(finalizers)) > 0;
	gboolean is_pod = g_str_equal(req->res->kind, "Pod") && *req->res->group == '\0';
	gboolean is_ns = g_str_equal(req->res->kind, "Namespace") && *req->res->group == '\0';
	const char *phase = sim_json_get_string(json, "status.phase");
	gboolean graceful = is_pod && sim_json_get_string(json, "spec.nodeName") != NULL &&
			    g_strcmp0(phase, "Succeeded") != 0 && g_strcmp0(phase, "Failed") != 0 &&
			    opts->grace != 0;

	*reply = NULL;
	if (opts->uid != NULL && g_strcmp0(opts->uid, sim_object_get_uid(obj)) != 0) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_CONFLICT,
			    "Operation cannot be fulfilled on %s \"%s\": Precondition failed: UID in "
			    "precondition: %s, UID in object meta: %s",
			    req->res->resource, sim_object_get_name(obj), opts->uid,
			    sim_object_get_uid(obj));
		return FALSE;
	}
	if (opts->rv != NULL &&
	    g_ascii_strtoull(opts->rv, NULL, 10) != sim_object_get_resource_version(obj)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_CONFLICT,
			    "Operation cannot be fulfilled on %s \"%s\": Precondition failed: "
			    "ResourceVersion in precondition: %s, ResourceVersion in object meta: "
			    "%" G_GUINT64_FORMAT,
			    req->res->resource, sim_object_get_name(obj), opts->rv,
			    sim_object_get_resource_version(obj));
		return FALSE;
	}
	if (sim_dry_run(req)) {
		*reply = sim_object_ref(obj);
		return TRUE;
	}
	if (has_finalizers || graceful || is_ns) {
		g_autoptr(JsonObject) copy = sim_object_dup_json(obj);
		JsonObject *meta = sim_json_get_object(copy, "metadata", TRUE);

		if (!json_object_has_member(meta, "deletionTimestamp")) {
			gint64 grace = opts->grace >= 0 ? opts->grace
					   : json_object_get_int_member_with_default(
						 sim_json_get_object(copy, "spec", TRUE),
						 "terminationGracePeriodSeconds", 30);
			g_autoptr(GDateTime) at = g_date_time_new_now_utc();
			g_autoptr(GDateTime) when = g_date_time_add_seconds(at, graceful ? grace : 0);
			g_autofree char *stamp = g_date_time_format(when, "%Y-%m-%dT%H:%M:%SZ");

			json_object_set_string_member(meta, "deletionTimestamp", stamp);
			json_object_set_int_member(meta, "deletionGracePeriodSeconds",
						   graceful ? grace : 0);
		}
		if (is_ns)
			json_object_set_string_member(sim_json_get_object(copy, "status", TRUE), "phase",
						      "Terminating");
		*reply = sim_cluster_update(cluster, req->res, g_steal_pointer(&copy),
					    SIM_WRITE_FORCE, error);
		if (*reply == NULL)
			return FALSE;
		if (graceful)
			sim_cluster_add_timer(cluster, 100, sim_kubelet_delete_cb, sim_pending_new(obj),
					      (GDestroyNotify)sim_pending_free);
		else if (is_ns)
			sim_cluster_add_timer(cluster, 0, sim_namespace_delete_cb, sim_pending_new(obj),
					      (GDestroyNotify)sim_pending_free);
		return TRUE;
	}
	*reply = sim_cluster_delete(cluster, req->res, sim_object_get_namespace(obj),
				    sim_object_get_name(obj), error);
	if (*reply == NULL)
		return FALSE;
	if (!req->res->builtin) {
		/* custom resources answer with a Status */
		g_clear_pointer(reply, sim_object_unref);
		*reply = NULL;
	}
	return TRUE;
}

static void
sim_delete_options_clear(SimDeleteOptions *opts)
{
	g_free(opts->uid);
	g_free(opts->rv);
}

static void
sim_api_delete(SimRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimObject) obj = NULL;
	g_autoptr(SimObject) reply = NULL;
	SimDeleteOptions opts = {0};

	if (!sim_delete_options(req, &opts, &error)) {
		sim_delete_options_clear(&opts);
		sim_reply_error(req, error);
		return;
	}
	obj = sim_api_get_existing(req);
	if (obj == NULL) {
		sim_delete_options_clear(&opts);
		return;
	}
	if (!sim_api_delete_one(req, obj, &opts, &reply, &error)) {
		sim_delete_options_clear(&opts);
		sim_reply_error(req, error);
		return;
	}
	sim_delete_options_clear(&opts);
	if (reply != NULL) {
		sim_reply_written(req, 200, reply);
	} else {
		JsonObject *details = sim_request_details(req);

		json_object_set_string_member(details, "uid", sim_object_get_uid(obj));
		sim_reply_status(req->msg, 200, NULL, NULL, details);
	}
}

static void
sim_api_delete_collection(SimRequest *req)
{
	g_autoptr(SimSelector) labels = NULL;
	g_autoptr(GPtrArray) fields = NULL;
	g_autoptr(GPtrArray) objs = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) list = json_object_new();
	g_autofree char *api_version = sim_api_version_of(req->res);
	g_autofree char *rv = NULL;
	JsonArray *items = json_array_new();
	SimDeleteOptions opts = {0};

	json_object_set_string_member(list, "kind", req->res->list_kind);
	json_object_set_string_member(list, "apiVersion", api_version);
	json_object_set_array_member(list, "items", items);
	if (!sim_request_selectors(req, &labels, &fields))
		return;
	if (!sim_delete_options(req, &opts, &error)) {
		sim_delete_options_clear(&opts);
		sim_reply_error(req, error);
		return;
	}
	objs = sim_cluster_list(req->server->cluster, req->res, req->ns, labels);
	for (guint i = 0; i < objs->len; i++) {
		SimObject *obj = g_ptr_array_index(objs, i);
		g_autoptr(SimObject) reply = NULL;

		if (!sim_fields_match(fields, obj))
			continue;
		if (!sim_api_delete_one(req, obj, &opts, &reply, &error)) {
			sim_delete_options_clear(&opts);
			sim_reply_error(req, error);
			return;
		}
		json_array_add_object_element(items, sim_object_dup_json(reply != NULL ? reply : obj));
	}
	sim_delete_options_clear(&opts);
	rv = sim_rv_string(sim_cluster_get_resource_version(req->server->cluster));
	json_object_set_object_member(list, "metadata", json_object_new());
	json_object_set_string_member(sim_json_get_object(list, "metadata", FALSE),
				      "resourceVersion", rv);
	sim_reply_object(req->msg, 200, list);
}

void
sim_api_handle(SimRequest *req)
{
	const char *verb = req->verb;

	if (req->sub != NULL && !g_str_equal(verb, "get") && !g_str_equal(verb, "update") &&
	    !g_str_equal(verb, "patch")) {
		sim_reply_status(req->msg, 405, "MethodNotAllowed",
				 "the server does not allow this method on the requested resource",
				 sim_request_details(req));
		return;
	}
	if (g_str_equal(verb, "get"))
		sim_api_get(req);
	else if (g_str_equal(verb, "list"))
		sim_api_list(req);
	else if (g_str_equal(verb, "watch"))
		sim_api_watch(req);
	else if (g_str_equal(verb, "create"))
		sim_api_create(req);
	else if (g_str_equal(verb, "update"))
		sim_api_update(req);
	else if (g_str_equal(verb, "patch"))
		sim_api_patch(req);
	else if (g_str_equal(verb, "delete"))
		sim_api_delete(req);
	else
		sim_api_delete_collection(req);
}
