/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cclm-error.h"

CclmError
cclm_error_code_from_http_status(guint http_status, const gchar *reason);
void
cclm_error_set_api_status(GError *error,
			  guint http_status,
			  const gchar *reason,
			  guint retry_after);
GError *
cclm_error_new_api_status(guint http_status,
			  const gchar *reason,
			  guint retry_after,
			  const gchar *format,
			  ...) G_GNUC_PRINTF(4, 5);
void
cclm_error_convert(GError **error);
JsonNode *
cclm_error_to_json(const GError *error);
