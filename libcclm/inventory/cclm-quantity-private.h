/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A Kubernetes resource.Quantity (apimachinery pkg/api/resource), held exactly as a signed
 * count of nano-units, which is the resolution ParseQuantity rounds up to. 128 bits hold every
 * value an int64 Value()/MilliValue() can express, and sums over a fleet. */
typedef __int128 CclmNanos;

gboolean
cclm_quantity_parse(const gchar *text, CclmNanos *out_nanos, GError **error);
gboolean
cclm_quantity_parse_value(const gchar *text, gint64 *out_value, GError **error);
gboolean
cclm_quantity_parse_milli_value(const gchar *text, gint64 *out_milli, GError **error);
gboolean
cclm_quantity_nanos_to_value(CclmNanos nanos, gint64 *out_value);
gboolean
cclm_quantity_nanos_to_milli_value(CclmNanos nanos, gint64 *out_milli);

gchar *
cclm_quantity_format_bytes(gint64 bytes);
gchar *
cclm_quantity_format_millicores(gint64 millicores);
gchar *
cclm_quantity_format_count(gint64 count);

G_END_DECLS
