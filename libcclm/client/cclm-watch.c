/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-enum-types.h"
#include "cclm-error-private.h"
#include "cclm-watch-private.h"

/* A single object is at most ~1.5 MB in etcd; anything far larger is a broken stream. */
#define CCLM_WATCH_MAX_EVENT (16 * 1024 * 1024)
#define CCLM_WATCH_PAGE_SIZE 500
#define CCLM_WATCH_READ_SIZE 16384

/* ---- the stream splitter -------------------------------------------------------------------- */

struct _CclmJsonSplitter {
	GByteArray *pending; /* the incomplete document carried over from earlier reads */
	gsize max_document;
	gsize depth;
	gboolean in_string;
	gboolean escape;
};

CclmJsonSplitter *
cclm_json_splitter_new(gsize max_document)
{
	CclmJsonSplitter *self = g_new0(CclmJsonSplitter, 1);

	self->pending = g_byte_array_new();
	self->max_document = max_document;
	return self;
}

void
cclm_json_splitter_free(CclmJsonSplitter *self)
{
	if (self == NULL)
		return;
	g_byte_array_unref(self->pending);
	g_free(self);
}

void
cclm_json_splitter_reset(CclmJsonSplitter *self)
{
	g_byte_array_set_size(self->pending, 0);
	self->depth = 0;
	self->in_string = FALSE;
	self->escape = FALSE;
}

gboolean
cclm_json_splitter_is_pending(CclmJsonSplitter *self)
{
	return self->depth > 0;
}

static gboolean
cclm_json_splitter_too_large(CclmJsonSplitter *self, GError **error)
{
	cclm_json_splitter_reset(self);
	g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
		    "watch stream: event larger than %" G_GSIZE_FORMAT " bytes",
		    self->max_document);
	return FALSE;
}

gboolean
cclm_json_splitter_feed(CclmJsonSplitter *self,
			const guint8 *data,
			gsize length,
			CclmJsonDocumentFunc func,
			gpointer user_data,
			GError **error)
{
	gsize start = 0;

	for (gsize i = 0; i < length; i++) {
		guint8 c = data[i];

		if (self->depth == 0) {
			if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
				continue;
			if (c != '{') {
				cclm_json_splitter_reset(self);
				g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
					    "watch stream: expected '{' between events, got 0x%02x",
					    c);
				return FALSE;
			}
			start = i;
			self->depth = 1;
			continue;
		}
		if (self->in_string) {
			if (self->escape)
				self->escape = FALSE;
			else if (c == '\\')
				self->escape = TRUE;
			else if (c == '"')
				self->in_string = FALSE;
			continue;
		}
		if (c == '"') {
			self->in_string = TRUE;
		} else if (c == '{' || c == '[') {
			self->depth++;
		} else if (c == '}' || c == ']') {
			gboolean ok;

			if (--self->depth > 0)
				continue;
			if (self->pending->len + (i + 1 - start) > self->max_document)
				return cclm_json_splitter_too_large(self, error);
			if (self->pending->len == 0) {
				ok = func((const gchar *)data + start, i + 1 - start, user_data,
					  error);
			} else {
				g_byte_array_append(self->pending, data + start, i + 1 - start);
				ok = func((const gchar *)self->pending->data, self->pending->len,
					  user_data, error);
				g_byte_array_set_size(self->pending, 0);
			}
			if (!ok) {
				cclm_json_splitter_reset(self);
				return FALSE;
			}
		}
	}
	if (self->depth > 0) {
		g_byte_array_append(self->pending, data + start, length - start);
		/* checked per read, so memory stays within one read of the limit */
		if (self->pending->len > self->max_document)
			return cclm_json_splitter_too_large(self, error);
	}
	return TRUE;
}

gboolean
cclm_watch_event_parse(const gchar *document,
		       gsize length,
		       gchar **type,
		       JsonObject **object,
		       GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) local_error = NULL;
	JsonObject *root;
	JsonNode *n;
	const gchar *t;

	if (length > G_MAXSSIZE ||
	    !json_parser_load_from_data(parser, document, (gssize)length, &local_error)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE, "watch event: %s",
			    local_error != NULL ? local_error->message : "too large");
		return FALSE;
	}
	n = json_parser_get_root(parser);
	if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n)) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_PARSE,
				    "watch event: not an object");
		return FALSE;
	}
	root = json_node_get_object(n);
	n = json_object_get_member(root, "type");
	t = n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
		? json_node_get_string(n)
		: NULL;
	if (t == NULL) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_PARSE,
				    "watch event: type: missing or not a string");
		return FALSE;
	}
	n = json_object_get_member(root, "object");
	if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
			    "watch event %s: object: missing or not an object", t);
		return FALSE;
	}
	*type = g_strdup(t);
	*object = json_object_ref(json_node_get_object(n));
	return TRUE;
}

/* ---- CclmWatch ------------------------------------------------------------------------------ */

/**
 * CclmWatch:
 *
 * Follows a collection of Kubernetes objects the way client-go's reflector does: it lists the
 * collection (page by page), reports every object, then watches for changes from the list's
 * resource version. It resumes a dropped stream from the last resource version it saw, and
 * relists when the server says that version is too old (410), reporting only what changed.
 *
 * Signals are emitted in the thread-default main context of the thread that called
 * [method@Watch.start]. A running watch keeps itself alive until [method@Watch.stop] or
 * [signal@Watch::failed].
 *
 * Since: 0.1
 */
struct _CclmWatch {
	GObject parent_instance;
	CclmRestClient *client;
	gchar *path;
	gchar *resource_version;
	/* "namespace/name" → resourceVersion of every object reported: enough to compute a
	 * relist's differences without keeping the objects. */
	GHashTable *known;
	GHashTable *seen; /* during a list: the keys the list returned */
	gboolean synced;
	gboolean running;
	guint failures; /* consecutive, for the backoff */
	GCancellable *cancellable;
	GMainContext *context; /* the caller's, from start(): every signal is emitted there */
	GInputStream *stream;
	CclmJsonSplitter *splitter;
	GSource *retry;
};

G_DEFINE_FINAL_TYPE(CclmWatch, cclm_watch, G_TYPE_OBJECT)

enum { PROP_0, PROP_SYNCED, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { SIGNAL_EVENT, SIGNAL_SYNCED, SIGNAL_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef enum {
	CCLM_WATCH_NEXT_READ,
	CCLM_WATCH_NEXT_RESUME,
	CCLM_WATCH_NEXT_RELIST,
	CCLM_WATCH_NEXT_FAIL,
} CclmWatchNext;

static void
cclm_watch_list(CclmWatch *self);
static void
cclm_watch_connect(CclmWatch *self);

CclmWatch *
cclm_watch_new(CclmRestClient *client, const gchar *path, const gchar *resource_version)
{
	CclmWatch *self = g_object_new(CCLM_TYPE_WATCH, NULL);

	self->client = g_object_ref(client);
	self->path = g_strdup(path);
	self->resource_version = g_strdup(resource_version);
	return self;
}

static void
cclm_watch_set_synced(CclmWatch *self, gboolean synced)
{
	if (self->synced == synced)
		return;
	self->synced = synced;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_SYNCED]);
}

static void
cclm_watch_set_resource_version(CclmWatch *self, const gchar *rv)
{
	if (rv == NULL || rv[0] == '\0' || g_strcmp0(rv, self->resource_version) == 0)
		return;
	g_free(self->resource_version);
	self->resource_version = g_strdup(rv);
}

static JsonObject *
cclm_watch_metadata(JsonObject *object)
{
	JsonNode *n = json_object_get_member(object, "metadata");

	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* "namespace/name", or NULL when the object has no name. */
static gchar *
cclm_watch_key(JsonObject *object, const gchar **rv)
{
	JsonObject *md = cclm_watch_metadata(object);
	const gchar *name;
	const gchar *ns;

	*rv = NULL;
	if (md == NULL)
		return NULL;
	name = json_object_get_string_member_with_default(md, "name", NULL);
	ns = json_object_get_string_member_with_default(md, "namespace", "");
	*rv = json_object_get_string_member_with_default(md, "resourceVersion", NULL);
	if (name == NULL)
		return NULL;
	return g_strconcat(ns, "/", name, NULL);
}

static void
cclm_watch_stop_streams(CclmWatch *self)
{
	if (self->retry != NULL) {
		g_source_destroy(self->retry);
		g_clear_pointer(&self->retry, g_source_unref);
	}
	g_clear_object(&self->stream);
	cclm_json_splitter_reset(self->splitter);
}

static void
cclm_watch_fail(CclmWatch *self, const GError *error)
{
	g_autoptr(CclmWatch) keep = g_object_ref(self);

	if (!self->running)
		return;
	cclm_watch_stop(self);
	g_signal_emit(self, signals[SIGNAL_FAILED], 0, error);
}

static gboolean
cclm_watch_retry_cb(gpointer user_data)
{
	CclmWatch *self = CCLM_WATCH(user_data);

	g_clear_pointer(&self->retry, g_source_unref);
	if (self->resource_version == NULL)
		cclm_watch_list(self);
	else
		cclm_watch_connect(self);
	return G_SOURCE_REMOVE;
}

/* Reconnects (or relists, when there is no resource version) after the backoff. */
static void
cclm_watch_schedule(CclmWatch *self, guint retry_after)
{
	guint delay = cclm_rest_client_backoff_ms(self->client, self->failures, retry_after);

	cclm_watch_stop_streams(self);
	self->failures++;
	self->retry = g_timeout_source_new(delay);
	g_source_set_callback(self->retry, cclm_watch_retry_cb, g_object_ref(self), g_object_unref);
	g_source_attach(self->retry, self->context);
}

static gboolean
cclm_watch_error_is_permanent(const GError *error)
{
	if (error->domain != CCLM_ERROR)
		return FALSE;
	switch (error->code) {
	case CCLM_ERROR_UNAUTHORIZED:
	case CCLM_ERROR_FORBIDDEN:
	case CCLM_ERROR_NOT_FOUND:
	case CCLM_ERROR_BAD_REQUEST:
	case CCLM_ERROR_INVALID:
	case CCLM_ERROR_UNSUPPORTED:
	case CCLM_ERROR_TLS:
	case CCLM_ERROR_KUBECONFIG:
	case CCLM_ERROR_INVALID_ARGUMENT:
	case CCLM_ERROR_CREDENTIAL_PLUGIN:
		return TRUE;
	default:
		return FALSE;
	}
}

/* What to do after a failed list or watch request. */
static void
cclm_watch_handle_error(CclmWatch *self, const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
		return;
	if (cclm_watch_error_is_permanent(error)) {
		cclm_watch_fail(self, error);
		return;
	}
	if (g_error_matches(error, CCLM_ERROR, CCLM_ERROR_EXPIRED)) {
		/* Our resource version is too old: only a new list can catch up. */
		g_debug("watch %s: %s; relisting", self->path, error->message);
		g_clear_pointer(&self->resource_version, g_free);
	} else {
		g_debug("watch %s: %s; retrying", self->path, error->message);
	}
	cclm_watch_schedule(self, cclm_error_get_retry_after(error));
}

static void
cclm_watch_emit(CclmWatch *self, CclmWatchEventType type, JsonObject *object)
{
	g_signal_emit(self, signals[SIGNAL_EVENT], 0, type, object);
}

/* ---- listing -------------------------------------------------------------------------------- */

static gboolean
cclm_watch_page_cb(JsonArray *items, const gchar *rv, gpointer user_data, GError **error)
{
	CclmWatch *self = CCLM_WATCH(user_data);
	guint n = json_array_get_length(items);

	for (guint i = 0; i < n && self->running; i++) {
		JsonNode *node = json_array_get_element(items, i);
		JsonObject *object;
		g_autofree gchar *key = NULL;
		const gchar *item_rv;
		const gchar *old_rv;

		if (!JSON_NODE_HOLDS_OBJECT(node))
			continue;
		object = json_node_get_object(node);
		key = cclm_watch_key(object, &item_rv);
		if (key == NULL)
			continue;
		g_hash_table_add(self->seen, g_strdup(key));
		old_rv = g_hash_table_lookup(self->known, key);
		if (old_rv != NULL && g_strcmp0(old_rv, item_rv) == 0)
			continue;
		g_hash_table_insert(self->known, g_strdup(key), g_strdup(item_rv));
		cclm_watch_emit(self,
				old_rv == NULL ? CCLM_WATCH_EVENT_ADDED : CCLM_WATCH_EVENT_MODIFIED,
				object);
	}
	if (!self->running) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "watch stopped");
		return FALSE;
	}
	return TRUE;
}

/* A stand-in for an object that vanished while we were not watching: only its identity and
 * last resource version are known. */
static JsonObject *
cclm_watch_tombstone(const gchar *key, const gchar *rv)
{
	JsonObject *object = json_object_new();
	JsonObject *md = json_object_new();
	const gchar *slash = strchr(key, '/');

	if (slash != key) {
		g_autofree gchar *ns = g_strndup(key, slash - key);

		json_object_set_string_member(md, "namespace", ns);
	}
	json_object_set_string_member(md, "name", slash + 1);
	if (rv != NULL)
		json_object_set_string_member(md, "resourceVersion", rv);
	json_object_set_object_member(object, "metadata", md);
	return object;
}

static void
cclm_watch_list_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(CclmWatch) self = CCLM_WATCH(user_data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rv = NULL;
	g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter iter;
	gpointer key;

	rv = cclm_rest_client_list_finish(CCLM_REST_CLIENT(source), res, &error);
	if (rv == NULL && error != NULL) {
		g_clear_pointer(&self->seen, g_hash_table_unref);
		cclm_watch_handle_error(self, error);
		return;
	}
	g_hash_table_iter_init(&iter, self->known);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		if (!g_hash_table_contains(self->seen, key))
			g_ptr_array_add(gone, g_strdup(key));
	}
	g_clear_pointer(&self->seen, g_hash_table_unref);
	for (guint i = 0; i < gone->len && self->running; i++) {
		const gchar *k = gone->pdata[i];
		g_autoptr(JsonObject) tombstone =
		    cclm_watch_tombstone(k, g_hash_table_lookup(self->known, k));

		g_hash_table_remove(self->known, k);
		cclm_watch_emit(self, CCLM_WATCH_EVENT_DELETED, tombstone);
	}
	if (!self->running)
		return;
	self->failures = 0;
	/* A list without a resourceVersion cannot be watched from: watch from "now". */
	cclm_watch_set_resource_version(self, rv != NULL ? rv : "0");
	cclm_watch_set_synced(self, TRUE);
	g_signal_emit(self, signals[SIGNAL_SYNCED], 0);
	if (self->running)
		cclm_watch_connect(self);
}

static void
cclm_watch_list(CclmWatch *self)
{
	cclm_watch_set_synced(self, FALSE);
	g_clear_pointer(&self->seen, g_hash_table_unref);
	self->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* GTask completes in the thread-default context of its creation: make it the caller's
	 * even when this runs from a callback dispatched by other means */
	g_main_context_push_thread_default(self->context);
	cclm_rest_client_list_async(self->client, self->path, CCLM_WATCH_PAGE_SIZE,
				    cclm_watch_page_cb, self, NULL, self->cancellable,
				    cclm_watch_list_cb, g_object_ref(self));
	g_main_context_pop_thread_default(self->context);
}

/* ---- watching ------------------------------------------------------------------------------- */

typedef struct {
	CclmWatch *self;
	CclmWatchNext next;
	guint retry_after;
	gboolean progressed;
} CclmWatchRead;

static gboolean
cclm_watch_document_cb(const gchar *document, gsize length, gpointer user_data, GError **error)
{
	CclmWatchRead *read = user_data;
	CclmWatch *self = read->self;
	g_autofree gchar *type = NULL;
	g_autoptr(JsonObject) object = NULL;
	const gchar *rv = NULL;
	g_autofree gchar *key = NULL;
	CclmWatchEventType event_type;

	if (!cclm_watch_event_parse(document, length, &type, &object, error))
		return FALSE;
	if (g_str_equal(type, "ERROR")) {
		g_autoptr(GError) status =
		    cclm_rest_status_error_new("WATCH", self->path, 0, object, 0);

		read->retry_after = cclm_error_get_retry_after(status);
		if (g_error_matches(status, CCLM_ERROR, CCLM_ERROR_EXPIRED)) {
			read->next = CCLM_WATCH_NEXT_RELIST;
		} else if (cclm_watch_error_is_permanent(status) &&
			   !g_error_matches(status, CCLM_ERROR, CCLM_ERROR_UNAUTHORIZED)) {
			/* 401 mid-stream: the reconnect refreshes credentials first. */
			read->next = CCLM_WATCH_NEXT_FAIL;
			g_propagate_error(error, g_steal_pointer(&status));
			return FALSE;
		} else {
			g_debug("watch %s: %s", self->path, status->message);
			read->next = CCLM_WATCH_NEXT_RESUME;
		}
		/* The server ends the stream after an ERROR event; stop reading it. */
		return FALSE;
	}
	key = cclm_watch_key(object, &rv);
	if (g_str_equal(type, "BOOKMARK")) {
		cclm_watch_set_resource_version(self, rv);
		read->progressed = TRUE;
		return TRUE;
	}
	if (g_str_equal(type, "ADDED"))
		event_type = CCLM_WATCH_EVENT_ADDED;
	else if (g_str_equal(type, "MODIFIED"))
		event_type = CCLM_WATCH_EVENT_MODIFIED;
	else if (g_str_equal(type, "DELETED"))
		event_type = CCLM_WATCH_EVENT_DELETED;
	else {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE, "watch event: unknown type \"%s\"",
			    type);
		return FALSE;
	}
	if (key == NULL || rv == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
			    "watch event %s: object: no metadata.name or metadata.resourceVersion",
			    type);
		return FALSE;
	}
	if (event_type == CCLM_WATCH_EVENT_DELETED)
		g_hash_table_remove(self->known, key);
	else
		g_hash_table_insert(self->known, g_steal_pointer(&key), g_strdup(rv));
	cclm_watch_set_resource_version(self, rv);
	read->progressed = TRUE;
	cclm_watch_emit(self, event_type, object);
	if (!self->running) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "watch stopped");
		return FALSE;
	}
	return TRUE;
}

static void
cclm_watch_read_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
cclm_watch_read(CclmWatch *self)
{
	g_main_context_push_thread_default(self->context);
	g_input_stream_read_bytes_async(self->stream, CCLM_WATCH_READ_SIZE, G_PRIORITY_DEFAULT,
					self->cancellable, cclm_watch_read_cb, g_object_ref(self));
	g_main_context_pop_thread_default(self->context);
}

static void
cclm_watch_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(CclmWatch) self = CCLM_WATCH(user_data);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	CclmWatchRead read = {self, CCLM_WATCH_NEXT_READ, 0, FALSE};

	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (bytes == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
			return;
		/* A dropped connection: resume from the last resource version. */
		g_debug("watch %s: stream broke: %s", self->path, error->message);
		cclm_watch_schedule(self, 0);
		return;
	}
	if (!self->running || G_INPUT_STREAM(source) != self->stream)
		return;
	if (g_bytes_get_size(bytes) == 0) {
		/* The server ended the stream (its timeout, or a cut mid-event): reconnect.
		 * Only events reset the backoff, so a server that keeps closing at once is not
		 * hammered. */
		cclm_watch_schedule(self, 0);
		return;
	}
	if (!cclm_json_splitter_feed(self->splitter, g_bytes_get_data(bytes, NULL),
				     g_bytes_get_size(bytes), cclm_watch_document_cb, &read,
				     &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
			return;
		if (read.next == CCLM_WATCH_NEXT_READ) {
			/* Malformed: nothing after it can be trusted; resume from the last good
			 * resource version. */
			g_debug("watch %s: %s", self->path, error->message);
			read.next = CCLM_WATCH_NEXT_RESUME;
		}
	}
	if (read.progressed)
		self->failures = 0;
	switch (read.next) {
	case CCLM_WATCH_NEXT_READ:
		cclm_watch_read(self);
		break;
	case CCLM_WATCH_NEXT_RELIST:
		g_clear_pointer(&self->resource_version, g_free);
		cclm_watch_schedule(self, read.retry_after);
		break;
	case CCLM_WATCH_NEXT_RESUME:
		cclm_watch_schedule(self, read.retry_after);
		break;
	case CCLM_WATCH_NEXT_FAIL:
		cclm_watch_fail(self, error);
		break;
	}
}

static void
cclm_watch_connect_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(CclmWatch) self = CCLM_WATCH(user_data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream = NULL;

	stream = cclm_rest_client_send_finish(CCLM_REST_CLIENT(source), res, &error);
	if (stream == NULL) {
		cclm_watch_handle_error(self, error);
		return;
	}
	if (!self->running)
		return;
	self->stream = g_steal_pointer(&stream);
	cclm_json_splitter_reset(self->splitter);
	cclm_watch_read(self);
}

static void
cclm_watch_connect(CclmWatch *self)
{
	g_autofree gchar *escaped = g_uri_escape_string(self->resource_version, NULL, FALSE);
	g_autofree gchar *path =
	    g_strdup_printf("%s%cwatch=true&allowWatchBookmarks=true&resourceVersion=%s",
			    self->path, strchr(self->path, '?') != NULL ? '&' : '?', escaped);

	g_main_context_push_thread_default(self->context);
	cclm_rest_client_send_async(self->client, "GET", path, self->cancellable,
				    cclm_watch_connect_cb, g_object_ref(self));
	g_main_context_pop_thread_default(self->context);
}

/**
 * cclm_watch_start:
 * @self: a #CclmWatch
 *
 * Starts the watch: a list first unless the watch was created with a resource version, then
 * the event stream. Signals are emitted in the calling thread's thread-default main context.
 * Does nothing if the watch is running.
 *
 * Since: 0.1
 */
void
cclm_watch_start(CclmWatch *self)
{
	g_return_if_fail(CCLM_IS_WATCH(self));

	if (self->running)
		return;
	self->running = TRUE;
	self->failures = 0;
	self->cancellable = g_cancellable_new();
	g_clear_pointer(&self->context, g_main_context_unref);
	self->context = g_main_context_ref_thread_default();
	if (self->resource_version == NULL)
		cclm_watch_list(self);
	else
		cclm_watch_connect(self);
}

/**
 * cclm_watch_stop:
 * @self: a #CclmWatch
 *
 * Stops the watch: cancels the request in flight and emits nothing more. It may be started
 * again, and then resumes from [method@Watch.get_resource_version].
 *
 * Since: 0.1
 */
void
cclm_watch_stop(CclmWatch *self)
{
	g_return_if_fail(CCLM_IS_WATCH(self));

	if (!self->running)
		return;
	self->running = FALSE;
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	cclm_watch_stop_streams(self);
}

/**
 * cclm_watch_get_path:
 * @self: a #CclmWatch
 *
 * The collection this watch follows, such as `/api/v1/namespaces/default/pods`, with any
 * selectors in its query.
 *
 * Returns: the API path
 *
 * Since: 0.1
 */
const gchar *
cclm_watch_get_path(CclmWatch *self)
{
	g_return_val_if_fail(CCLM_IS_WATCH(self), NULL);
	return self->path;
}

/**
 * cclm_watch_get_resource_version:
 * @self: a #CclmWatch
 *
 * The last resource version the watch saw (from a list, an event or a bookmark); the stream
 * resumes from it.
 *
 * Returns: (nullable): the resource version, or %NULL before the first list
 *
 * Since: 0.1
 */
const gchar *
cclm_watch_get_resource_version(CclmWatch *self)
{
	g_return_val_if_fail(CCLM_IS_WATCH(self), NULL);
	return self->resource_version;
}

/**
 * cclm_watch_get_synced:
 * @self: a #CclmWatch
 *
 * Whether every object of the collection has been reported: %TRUE after a (re)list completed,
 * %FALSE while one is under way.
 *
 * Returns: the #CclmWatch:synced property
 *
 * Since: 0.1
 */
gboolean
cclm_watch_get_synced(CclmWatch *self)
{
	g_return_val_if_fail(CCLM_IS_WATCH(self), FALSE);
	return self->synced;
}

static void
cclm_watch_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	CclmWatch *self = CCLM_WATCH(object);

	switch (prop_id) {
	case PROP_SYNCED:
		g_value_set_boolean(value, self->synced);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
cclm_watch_dispose(GObject *object)
{
	cclm_watch_stop(CCLM_WATCH(object));
	G_OBJECT_CLASS(cclm_watch_parent_class)->dispose(object);
}

static void
cclm_watch_finalize(GObject *object)
{
	CclmWatch *self = CCLM_WATCH(object);

	g_clear_object(&self->client);
	g_clear_pointer(&self->context, g_main_context_unref);
	g_free(self->path);
	g_free(self->resource_version);
	g_hash_table_unref(self->known);
	g_clear_pointer(&self->seen, g_hash_table_unref);
	cclm_json_splitter_free(self->splitter);
	G_OBJECT_CLASS(cclm_watch_parent_class)->finalize(object);
}

static void
cclm_watch_class_init(CclmWatchClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = cclm_watch_dispose;
	object_class->finalize = cclm_watch_finalize;
	object_class->get_property = cclm_watch_get_property;

	/**
	 * CclmWatch:synced:
	 *
	 * Whether the watch has reported every object of the collection: %TRUE after each
	 * (re)list, %FALSE during one.
	 *
	 * Since: 0.1
	 */
	props[PROP_SYNCED] = g_param_spec_boolean("synced", NULL, NULL, FALSE,
						  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
						      G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, props);

	/**
	 * CclmWatch::event:
	 * @self: the #CclmWatch
	 * @type: what happened
	 * @object: the object as the server sent it; for an object that was deleted while the
	 *   watch was reconnecting, only its `metadata` name, namespace and resourceVersion
	 *
	 * An object of the collection appeared, changed or went away. After a relist only the
	 * differences from what was reported before are emitted.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_EVENT] =
	    g_signal_new("event", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			 G_TYPE_NONE, 2, CCLM_TYPE_WATCH_EVENT_TYPE, JSON_TYPE_OBJECT);

	/**
	 * CclmWatch::synced:
	 * @self: the #CclmWatch
	 *
	 * Every object of the collection has been reported (after the first list and after
	 * each relist); events that follow are live changes.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_SYNCED] = g_signal_new("synced", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
					      0, NULL, NULL, NULL, G_TYPE_NONE, 0);

	/**
	 * CclmWatch::failed:
	 * @self: the #CclmWatch
	 * @error: why: %CCLM_ERROR_UNAUTHORIZED, %CCLM_ERROR_FORBIDDEN, %CCLM_ERROR_NOT_FOUND,
	 *   %CCLM_ERROR_TLS, ...
	 *
	 * The watch met an error retrying cannot cure, and stopped. Transient failures
	 * (dropped connections, 429, 5xx, expired resource versions) are handled inside and
	 * never emitted.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_FAILED] = g_signal_new("failed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
					      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cclm_watch_init(CclmWatch *self)
{
	self->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->splitter = cclm_json_splitter_new(CCLM_WATCH_MAX_EVENT);
}
