/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-error.h"
#include "cclm-quantity-private.h"

/* The grammar and rounding follow kubernetes/apimachinery@eed236ce pkg/api/resource/quantity.go
 * (ParseQuantity, Value, MilliValue) and suffix.go:
 *   <quantity> ::= <sign><digits>[.<digits>]<suffix>, <suffix> ::= <binarySI> | <decimalSI> |
 *   <decimalExponent>; the value is rounded up to the nano-unit, BinarySI values are capped at
 *   2^63-1 units, and Value()/MilliValue() round up (away from zero). */

#define NANOS_PER_UNIT ((CclmNanos)1000000000)
/* Beyond this many nano-units a value cannot become an int64 Value() anyway; the bound keeps
 * every intermediate product far from the 128-bit limit. */
#define NANOS_LIMIT ((CclmNanos)1 << 120)
#define MAX_SIGNIFICANT_DIGITS 30

static CclmNanos
cclm_quantity_pow10(guint n)
{
	CclmNanos r = 1;

	while (n-- > 0)
		r *= 10;
	return r;
}

/* ceil(n / 10^d) for n >= 0 */
static CclmNanos
cclm_quantity_div_pow10_ceil(CclmNanos n, guint d, gboolean sticky)
{
	CclmNanos div, q;

	if (d > 36)
		return (n > 0 || sticky) ? 1 : 0;
	div = cclm_quantity_pow10(d);
	q = n / div;
	if (n % div != 0 || sticky)
		q++;
	return q;
}

static gboolean
cclm_quantity_parse_suffix(const gchar *s, gboolean *binary, gint *exp)
{
	static const struct {
		const gchar *name;
		gboolean binary;
		gint exp;
	} suffixes[] = {
	    {"", FALSE, 0},   {"n", FALSE, -9}, {"u", FALSE, -6}, {"m", FALSE, -3},
	    {"k", FALSE, 3},  {"M", FALSE, 6},  {"G", FALSE, 9},  {"T", FALSE, 12},
	    {"P", FALSE, 15}, {"E", FALSE, 18}, {"Ki", TRUE, 10}, {"Mi", TRUE, 20},
	    {"Gi", TRUE, 30}, {"Ti", TRUE, 40}, {"Pi", TRUE, 50}, {"Ei", TRUE, 60},
	};
	const gchar *p;
	gint64 e = 0;
	gboolean neg = FALSE;

	for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		if (strcmp(s, suffixes[i].name) == 0) {
			*binary = suffixes[i].binary;
			*exp = suffixes[i].exp;
			return TRUE;
		}
	}
	if (s[0] != 'e' && s[0] != 'E')
		return FALSE;
	p = s + 1;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!g_ascii_isdigit(*p))
		return FALSE;
	for (; g_ascii_isdigit(*p); p++) {
		e = e * 10 + (*p - '0');
		if (e > 1000)
			return FALSE;
	}
	if (*p != '\0')
		return FALSE;
	*binary = FALSE;
	*exp = neg ? -(gint)e : (gint)e;
	return TRUE;
}

/*
 * cclm_quantity_parse:
 * Parses @text as Kubernetes does into exact nano-units (rounded up in magnitude). Errors
 * (CCLM_ERROR_PARSE) quote the text; callers prefix the object and field.
 */
gboolean
cclm_quantity_parse(const gchar *text, CclmNanos *out_nanos, GError **error)
{
	const gchar *p = text;
	CclmNanos mant = 0, nanos;
	gboolean neg = FALSE, sticky = FALSE, binary = FALSE, seen_digit = FALSE;
	guint sig = 0, frac = 0;
	gint int_extra = 0, exp = 0, x;

	g_return_val_if_fail(text != NULL, FALSE);

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; g_ascii_isdigit(*p); p++) {
		seen_digit = TRUE;
		if (sig < MAX_SIGNIFICANT_DIGITS) {
			mant = mant * 10 + (*p - '0');
			if (mant != 0)
				sig++;
		} else {
			int_extra++;
		}
	}
	if (*p == '.') {
		for (p++; g_ascii_isdigit(*p); p++) {
			seen_digit = TRUE;
			if (sig < MAX_SIGNIFICANT_DIGITS) {
				mant = mant * 10 + (*p - '0');
				frac++;
				if (mant != 0)
					sig++;
			} else if (*p != '0') {
				sticky = TRUE;
			}
		}
	}
	if (!seen_digit) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE, "\"%s\" is not a quantity", text);
		return FALSE;
	}
	if (!cclm_quantity_parse_suffix(p, &binary, &exp)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
			    "\"%s\" is not a quantity: unable to parse the suffix \"%s\"", text, p);
		return FALSE;
	}
	/* integer digits beyond the significant ones were dropped: scale back */
	if (int_extra > 0) {
		if (binary || int_extra + exp > 40) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
				    "\"%s\" is out of range", text);
			return FALSE;
		}
		exp += int_extra;
	}

	if (binary) {
		/* mant * 2^exp * 10^9 / 10^frac, rounded up */
		const CclmNanos max = (CclmNanos)G_MAXINT64 * NANOS_PER_UNIT;
		gboolean huge = FALSE;

		nanos = mant;
		for (gint i = 0; i < exp && !huge; i++) {
			nanos <<= 1;
			huge = nanos >= NANOS_LIMIT;
		}
		if (huge || (frac <= 9 && nanos > NANOS_LIMIT / cclm_quantity_pow10(9 - frac)))
			nanos = max; /* far beyond the cap below */
		else if (frac <= 9)
			nanos *= cclm_quantity_pow10(9 - frac);
		else
			nanos = cclm_quantity_div_pow10_ceil(nanos, frac - 9, sticky);
		/* upstream caps BinarySI at 2^63-1 units (quantity.go maxAllowed) */
		if (nanos > max)
			nanos = max;
	} else {
		x = exp + 9 - (gint)frac;
		if (x >= 0) {
			if (mant != 0 && (x > 36 || mant > NANOS_LIMIT / cclm_quantity_pow10(x))) {
				g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
					    "\"%s\" is out of range", text);
				return FALSE;
			}
			nanos = mant * cclm_quantity_pow10(x);
		} else {
			nanos = cclm_quantity_div_pow10_ceil(mant, -x, sticky);
		}
	}
	if (nanos >= NANOS_LIMIT) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE, "\"%s\" is out of range", text);
		return FALSE;
	}
	*out_nanos = neg ? -nanos : nanos;
	return TRUE;
}

static gboolean
cclm_quantity_scale(CclmNanos nanos, CclmNanos per, gint64 *out)
{
	CclmNanos mag = nanos < 0 ? -nanos : nanos;
	CclmNanos q = mag / per + (mag % per != 0 ? 1 : 0);

	if (q > G_MAXINT64)
		return FALSE;
	*out = nanos < 0 ? -(gint64)q : (gint64)q;
	return TRUE;
}

/* Quantity.Value(): whole units, rounded up; FALSE when it does not fit an int64. */
gboolean
cclm_quantity_nanos_to_value(CclmNanos nanos, gint64 *out_value)
{
	return cclm_quantity_scale(nanos, NANOS_PER_UNIT, out_value);
}

/* Quantity.MilliValue(): thousandths, rounded up; FALSE when it does not fit an int64. */
gboolean
cclm_quantity_nanos_to_milli_value(CclmNanos nanos, gint64 *out_milli)
{
	return cclm_quantity_scale(nanos, 1000000, out_milli);
}

static gboolean
cclm_quantity_parse_scaled(const gchar *text, gboolean milli, gint64 *out, GError **error)
{
	CclmNanos nanos;
	gboolean ok;

	if (!cclm_quantity_parse(text, &nanos, error))
		return FALSE;
	ok = milli ? cclm_quantity_nanos_to_milli_value(nanos, out)
		   : cclm_quantity_nanos_to_value(nanos, out);
	if (!ok) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_PARSE,
			    "\"%s\" is out of range for a 64-bit %s", text,
			    milli ? "milli-value" : "value");
		return FALSE;
	}
	return TRUE;
}

/* bytes, counts, memory: Value() */
gboolean
cclm_quantity_parse_value(const gchar *text, gint64 *out_value, GError **error)
{
	return cclm_quantity_parse_scaled(text, FALSE, out_value, error);
}

/* cpu: MilliValue() */
gboolean
cclm_quantity_parse_milli_value(const gchar *text, gint64 *out_milli, GError **error)
{
	return cclm_quantity_parse_scaled(text, TRUE, out_milli, error);
}

/* "512 B", "1.0 KiB" ... "16.4 GiB": one decimal, as people read memory sizes */
gchar *
cclm_quantity_format_bytes(gint64 bytes)
{
	static const gchar *units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	gdouble v = (gdouble)bytes;
	gint u = -1;

	if (bytes > -1024 && bytes < 1024)
		return g_strdup_printf("%" G_GINT64_FORMAT " B", bytes);
	while ((v >= 1024.0 || v <= -1024.0) && u + 1 < (gint)G_N_ELEMENTS(units)) {
		v /= 1024.0;
		u++;
	}
	return g_strdup_printf("%.1f %s", v, units[u]);
}

/* "250m" below one core, else "2 cores", "2.5 cores" (at most three decimals, trimmed) */
gchar *
cclm_quantity_format_millicores(gint64 millicores)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
	gsize len;

	if (millicores > -1000 && millicores < 1000 && millicores != 0)
		return g_strdup_printf("%" G_GINT64_FORMAT "m", millicores);
	if (millicores % 1000 == 0)
		return g_strdup_printf("%" G_GINT64_FORMAT " core%s", millicores / 1000,
				       millicores == 1000 ? "" : "s");
	g_ascii_formatd(buf, sizeof buf, "%.3f", (gdouble)millicores / 1000.0);
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == '0')
		buf[--len] = '\0';
	return g_strdup_printf("%s cores", buf);
}

gchar *
cclm_quantity_format_count(gint64 count)
{
	return g_strdup_printf("%" G_GINT64_FORMAT, count);
}
