/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-error-private.h"
#include "cclm-watch-private.h"

/* The watch stream decoder on arbitrary bytes: the first byte picks how the rest is cut into
 * reads (a chunk is not an event), every document is decoded as an event, and ERROR events go
 * through the Status → GError mapping, as CclmWatch does. */

static gboolean
fuzz_document_cb(const gchar *document, gsize length, gpointer user_data, GError **error)
{
	g_autofree gchar *type = NULL;
	g_autoptr(JsonObject) object = NULL;

	if (!cclm_watch_event_parse(document, length, &type, &object, error))
		return FALSE;
	if (g_str_equal(type, "ERROR")) {
		g_autoptr(GError) status =
		    cclm_rest_status_error_new("WATCH", "/fuzz", 0, object, 0);

		g_assert(status->domain == CCLM_ERROR);
	}
	return TRUE;
}

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(CclmJsonSplitter) splitter = cclm_json_splitter_new(64 * 1024);
	gsize stride;

	if (size == 0)
		return 0;
	stride = data[0] == 0 ? size : data[0];
	data++;
	size--;
	for (gsize off = 0; off < size; off += stride) {
		g_autoptr(GError) error = NULL;

		if (!cclm_json_splitter_feed(splitter, data + off, MIN(stride, size - off),
					     fuzz_document_cb, NULL, &error)) {
			g_assert(error != NULL && error->domain == CCLM_ERROR);
			/* CclmWatch reconnects here: a fresh stream */
			cclm_json_splitter_reset(splitter);
		}
	}
	return 0;
}
