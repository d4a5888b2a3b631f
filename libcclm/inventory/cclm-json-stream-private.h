/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Flat events over one Kubernetes object, whether it arrives inside a List read by yajl or as
 * a watch event's JsonObject, so that one handler per kind serves both without a document
 * tree. @path is relative to the object, dotted, with "[]" for array elements
 * ("spec.containers[].resources.requests.cpu"); @key is the last member name (NULL inside
 * arrays); @value is the scalar's text (strings unquoted, numbers as written, "true"/"false",
 * NULL for null). */
typedef enum {
	CCLM_JSON_EVENT_ITEM_BEGIN,
	CCLM_JSON_EVENT_ITEM_END,
	CCLM_JSON_EVENT_OBJECT_BEGIN,
	CCLM_JSON_EVENT_OBJECT_END,
	CCLM_JSON_EVENT_VALUE,
} CclmJsonEventType;

/* Returns FALSE (with @error set) to stop the parse. */
typedef gboolean (*CclmJsonEventFunc)(gpointer user_data,
				      CclmJsonEventType type,
				      const gchar *path,
				      const gchar *key,
				      const gchar *value,
				      GError **error);

typedef struct _CclmJsonStream CclmJsonStream;

/* Which parts of each item are reported, as item-relative paths: with @only, just these
 * subtrees (and the objects leading to them), everything else being skipped as soon as it
 * opens; else everything but the @skip subtrees. Either NULL-terminated. Skipped parts are
 * still parsed, not reported. */
typedef struct {
	const gchar *const *only;
	const gchar *const *skip;
} CclmJsonFilter;

/* Parses a Kubernetes List ({"metadata": {...}, "items": [...]}) pushed in chunks, calling
 * @func for each item; memory stays bounded by the largest item's nesting, not its size. */
CclmJsonStream *
cclm_json_stream_new(CclmJsonEventFunc func,
		     gpointer user_data,
		     GDestroyNotify destroy,
		     const CclmJsonFilter *filter);
gboolean
cclm_json_stream_feed(CclmJsonStream *self, const guint8 *data, gsize len, GError **error);
gboolean
cclm_json_stream_finish(CclmJsonStream *self, GError **error);
const gchar *
cclm_json_stream_get_resource_version(CclmJsonStream *self);
const gchar *
cclm_json_stream_get_continue(CclmJsonStream *self);
guint
cclm_json_stream_get_n_items(CclmJsonStream *self);
void
cclm_json_stream_free(CclmJsonStream *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CclmJsonStream, cclm_json_stream_free)

/* The same events for one object already in memory (a watch event). */
gboolean
cclm_json_walk_object(JsonObject *object,
		      CclmJsonEventFunc func,
		      gpointer user_data,
		      const CclmJsonFilter *filter,
		      GError **error);

G_END_DECLS
