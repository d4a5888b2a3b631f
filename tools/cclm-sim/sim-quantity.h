/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Kubernetes resource quantities, written for cclm-sim alone (it shares no code with libcclm so
 * that it can catch the library's mistakes). A quantity is held exactly, as a count of
 * nano-units rounded up, the precision apimachinery's Quantity keeps after parsing.
 */
typedef __int128 SimNano;

#define SIM_NANO_PER_UNIT ((SimNano)1000000000)

typedef struct {
	SimNano nano;
	gboolean binary; /* BinarySI (Ki, Mi...) rather than DecimalSI or DecimalExponent */
} SimQuantity;

gboolean
sim_quantity_parse(const gchar *text, SimQuantity *out, GError **error);
gboolean
sim_quantity_from_node(JsonNode *node, SimQuantity *out, GError **error);
gint64
sim_quantity_value(const SimQuantity *q);
gint64
sim_quantity_milli_value(const SimQuantity *q);
gchar *
sim_quantity_format(SimNano nano, gboolean binary);
gchar *
sim_quantity_format_value(gint64 value, gboolean binary);
gchar *
sim_quantity_format_milli(gint64 milli);

G_END_DECLS
