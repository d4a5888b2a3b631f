/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sim-quantity.h"

#include <string.h>

/* Large enough for any int64 value times 1e9; parse results saturate here, as apimachinery
 * caps quantities it cannot represent. */
#define SIM_NANO_MAX ((SimNano)G_MAXINT64 * SIM_NANO_PER_UNIT)

static SimNano
sim_quantity_mul_sat(SimNano a, SimNano b)
{
	if (a == 0 || b == 0)
		return 0;
	if (a > SIM_NANO_MAX / b)
		return SIM_NANO_MAX;
	return a * b;
}

static SimNano
sim_quantity_pow10(gint e)
{
	SimNano p = 1;

	for (gint i = 0; i < e; i++)
		p = sim_quantity_mul_sat(p, 10);
	return p;
}

static SimNano
sim_quantity_div_ceil(SimNano a, SimNano b)
{
	return a / b + (a % b != 0 ? 1 : 0);
}

static gboolean
sim_quantity_suffix(const gchar *s, gint *base2, gint *exp10, gboolean *binary)
{
	static const struct {
		const gchar *suffix;
		gint base2, exp10;
	} table[] = {
	    {"Ki", 10, 0}, {"Mi", 20, 0}, {"Gi", 30, 0}, {"Ti", 40, 0}, {"Pi", 50, 0},
	    {"Ei", 60, 0}, {"n", 0, -9},  {"u", 0, -6},  {"m", 0, -3},  {"", 0, 0},
	    {"k", 0, 3},   {"M", 0, 6},   {"G", 0, 9},   {"T", 0, 12},  {"P", 0, 15},
	    {"E", 0, 18},
	};

	*binary = FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(table); i++) {
		if (strcmp(s, table[i].suffix) == 0) {
			*base2 = table[i].base2;
			*exp10 = table[i].exp10;
			*binary = table[i].base2 != 0;
			return TRUE;
		}
	}
	/* exponent form: e<int> or E<int> */
	if (s[0] == 'e' || s[0] == 'E') {
		const gchar *p = s + 1;
		gint64 v = 0;
		gboolean neg = FALSE;

		if (*p == '+' || *p == '-')
			neg = *p++ == '-';
		if (!g_ascii_isdigit(*p))
			return FALSE;
		for (; g_ascii_isdigit(*p); p++) {
			v = v * 10 + (*p - '0');
			if (v > 1000)
				return FALSE;
		}
		if (*p != '\0')
			return FALSE;
		*base2 = 0;
		*exp10 = neg ? (gint)-v : (gint)v;
		return TRUE;
	}
	return FALSE;
}

/* Parses a quantity exactly as resource.ParseQuantity does, up to nano precision (rounded up). */
gboolean
sim_quantity_parse(const gchar *text, SimQuantity *out, GError **error)
{
	const gchar *p = text;
	gboolean neg = FALSE, seen_digit = FALSE, seen_dot = FALSE;
	SimNano mant = 0;
	gint frac = 0, base2 = 0, exp10 = 0, scale;
	gboolean saturated = FALSE, dropped = FALSE;

	if (text == NULL || *text == '\0') {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "quantity is empty");
		return FALSE;
	}
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; g_ascii_isdigit(*p) || *p == '.'; p++) {
		if (*p == '.') {
			if (seen_dot)
				goto bad;
			seen_dot = TRUE;
			continue;
		}
		seen_digit = TRUE;
		/* digits past what int128 can hold only matter for rounding up */
		if (mant > SIM_NANO_MAX) {
			if (!seen_dot)
				saturated = TRUE;
			else if (*p != '0')
				dropped = TRUE;
			continue;
		}
		mant = mant * 10 + (*p - '0');
		if (seen_dot)
			frac++;
	}
	if (!seen_digit)
		goto bad;
	if (!sim_quantity_suffix(p, &base2, &exp10, &out->binary)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "\"%s\": unable to parse quantity's suffix", text);
		return FALSE;
	}
	if (saturated) {
		out->nano = SIM_NANO_MAX;
	} else {
		mant = sim_quantity_mul_sat(mant, (SimNano)1 << base2);
		scale = exp10 + 9 - frac;
		if (scale >= 0)
			out->nano = scale > 40 ? (mant ? SIM_NANO_MAX : 0)
					       : sim_quantity_mul_sat(mant, sim_quantity_pow10(scale));
		else
			out->nano = -scale > 38 ? (mant ? 1 : 0)
						: sim_quantity_div_ceil(mant, sim_quantity_pow10(-scale));
		if (dropped && out->nano < SIM_NANO_MAX)
			out->nano++;
	}
	/* apimachinery: a binary value below one unit is printed as decimal */
	if (out->binary && out->nano < SIM_NANO_PER_UNIT)
		out->binary = FALSE;
	if (neg)
		out->nano = -out->nano;
	return TRUE;

bad:
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		    "\"%s\": quantities must match the regular expression "
		    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
		    text);
	return FALSE;
}

/* JSON may carry a quantity as a string or as a bare number. */
gboolean
sim_quantity_from_node(JsonNode *node, SimQuantity *out, GError **error)
{
	g_autofree gchar *text = NULL;

	if (node == NULL || JSON_NODE_TYPE(node) != JSON_NODE_VALUE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "quantity is not a value");
		return FALSE;
	}
	switch (json_node_get_value_type(node)) {
	case G_TYPE_STRING:
		return sim_quantity_parse(json_node_get_string(node), out, error);
	case G_TYPE_INT64:
		text = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
		return sim_quantity_parse(text, out, error);
	case G_TYPE_DOUBLE: {
		gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

		g_ascii_formatd(buf, sizeof(buf), "%.9f", json_node_get_double(node));
		return sim_quantity_parse(buf, out, error);
	}
	default:
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "quantity is neither a string nor a number");
		return FALSE;
	}
}

static gint64
sim_quantity_clamp(SimNano v)
{
	if (v > G_MAXINT64)
		return G_MAXINT64;
	if (v < G_MININT64)
		return G_MININT64;
	return (gint64)v;
}

/* Quantity.Value(): whole units, rounded up (away from zero for negatives, as Go does). */
gint64
sim_quantity_value(const SimQuantity *q)
{
	SimNano a = q->nano < 0 ? -q->nano : q->nano;
	SimNano v = sim_quantity_div_ceil(a, SIM_NANO_PER_UNIT);

	return sim_quantity_clamp(q->nano < 0 ? -v : v);
}

/* Quantity.MilliValue(): thousandths, rounded up. */
gint64
sim_quantity_milli_value(const SimQuantity *q)
{
	SimNano a = q->nano < 0 ? -q->nano : q->nano;
	SimNano v = sim_quantity_div_ceil(a, 1000000);

	return sim_quantity_clamp(q->nano < 0 ? -v : v);
}

static void
sim_quantity_append_int(GString *out, SimNano v)
{
	gchar buf[48];
	gint i = sizeof(buf) - 1;

	buf[i] = '\0';
	if (v == 0)
		buf[--i] = '0';
	while (v > 0) {
		buf[--i] = (gchar)('0' + (gint)(v % 10));
		v /= 10;
	}
	g_string_append(out, buf + i);
}

/* The canonical form kubectl prints: the largest suffix of the value's family that loses
 * nothing (1.5 -> 1500m, 1.5Gi -> 1536Mi); binary values that are not whole multiples of
 * 1024 print as decimal. */
gchar *
sim_quantity_format(SimNano nano, gboolean binary)
{
	static const gchar *const bin_suffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
	static const gchar *const dec_suffix[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
	GString *out = g_string_new(NULL);
	SimNano a = nano < 0 ? -nano : nano;

	if (nano < 0)
		g_string_append_c(out, '-');
	if (a == 0) {
		g_string_append_c(out, '0');
		return g_string_free(out, FALSE);
	}
	if (binary && a % SIM_NANO_PER_UNIT == 0 && a / SIM_NANO_PER_UNIT >= 1024) {
		SimNano v = a / SIM_NANO_PER_UNIT;
		gint k = 0;

		while (k < 6 && v % 1024 == 0) {
			v /= 1024;
			k++;
		}
		/* outside (-1024, 1024) a binary value keeps base 1024, bare bytes included */
		sim_quantity_append_int(out, v);
		g_string_append(out, bin_suffix[k]);
		return g_string_free(out, FALSE);
	}
	{
		gint k = 0; /* index in dec_suffix: 10^(3k-9) */
		SimNano v = a;

		while (k < 9 && v % 1000 == 0) {
			v /= 1000;
			k++;
		}
		sim_quantity_append_int(out, v);
		g_string_append(out, dec_suffix[k]);
	}
	return g_string_free(out, FALSE);
}

gchar *
sim_quantity_format_value(gint64 value, gboolean binary)
{
	return sim_quantity_format((SimNano)value * SIM_NANO_PER_UNIT, binary);
}

gchar *
sim_quantity_format_milli(gint64 milli)
{
	return sim_quantity_format((SimNano)milli * 1000000, FALSE);
}
