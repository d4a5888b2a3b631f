/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cclm-rest-client-private.h"
#include "cclm-watch.h"

G_BEGIN_DECLS

CclmWatch *
cclm_watch_new(CclmRestClient *client, const gchar *path, const gchar *resource_version);

/* Splits a byte stream of concatenated JSON objects (a watch body) into documents, however the
 * bytes are cut into reads: tracks nesting outside strings only, json-glib validates each
 * document afterwards. A document larger than @max_document, or anything but whitespace
 * between objects, is a CCLM_ERROR_PARSE. */
typedef struct _CclmJsonSplitter CclmJsonSplitter;
typedef gboolean (*CclmJsonDocumentFunc)(const gchar *document,
					 gsize length,
					 gpointer user_data,
					 GError **error);

CclmJsonSplitter *
cclm_json_splitter_new(gsize max_document);
void
cclm_json_splitter_free(CclmJsonSplitter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CclmJsonSplitter, cclm_json_splitter_free)
/* Calls @func for each document completed by @data; stops at the first error (its own or
 * @func's). */
gboolean
cclm_json_splitter_feed(CclmJsonSplitter *self,
			const guint8 *data,
			gsize length,
			CclmJsonDocumentFunc func,
			gpointer user_data,
			GError **error);
/* TRUE while a document is incomplete: at end of stream, the stream was truncated. */
gboolean
cclm_json_splitter_is_pending(CclmJsonSplitter *self);
void
cclm_json_splitter_reset(CclmJsonSplitter *self);

/* Decodes one watch event document: its type ("ADDED", ..., "BOOKMARK", "ERROR") and object. */
gboolean
cclm_watch_event_parse(const gchar *document,
		       gsize length,
		       gchar **type,
		       JsonObject **object,
		       GError **error);

G_END_DECLS
