/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <cclm.h>
#include <string.h>

#include "cclm-quantity-private.h"

static gchar *
nanos_to_string(CclmNanos v)
{
	gchar buf[64];
	gchar *p = buf + sizeof buf - 1;
	gboolean neg = v < 0;
	unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;

	*p = '\0';
	do {
		*--p = '0' + (gint)(u % 10);
		u /= 10;
	} while (u != 0);
	if (neg)
		*--p = '-';
	return g_strdup(p);
}

/* Inputs and values of apimachinery@eed236ce pkg/api/resource/quantity_test.go TestQuantityParse,
 * written as the exact nano-unit count they parse to (upstream rounds up to 1e-9). */
static const struct {
	const gchar *input;
	const gchar *nanos;
} parse_table[] = {
    {"0", "0"},
    {"0n", "0"},
    {"0u", "0"},
    {"0m", "0"},
    {"0Ki", "0"},
    {"0k", "0"},
    {"0Mi", "0"},
    {"0M", "0"},
    {"0Gi", "0"},
    {"0G", "0"},
    {"0Ti", "0"},
    {"0T", "0"},
    {"1", "1000000000"},
    /* binary suffixes */
    {"1Ki", "1024000000000"},
    {"8Ki", "8192000000000"},
    {"7Mi", "7340032000000000"},
    {"6Gi", "6442450944000000000"},
    {"5Ti", "5497558138880000000000"},
    {"4Pi", "4503599627370496000000000"},
    {"3Ei", "3458764513820540928000000000"},
    {"10Ti", "10995116277760000000000"},
    {"100Ti", "109951162777600000000000"},
    /* decimal suffixes */
    {"5n", "5"},
    {"4u", "4000"},
    {"3m", "3000000"},
    {"9", "9000000000"},
    {"8k", "8000000000000"},
    {"50k", "50000000000000"},
    {"7M", "7000000000000000"},
    {"6G", "6000000000000000000"},
    {"5T", "5000000000000000000000"},
    {"40T", "40000000000000000000000"},
    {"300T", "300000000000000000000000"},
    {"2P", "2000000000000000000000000"},
    {"1E", "1000000000000000000000000000"},
    /* decimal exponents */
    {"1E-3", "1000000"},
    {"1e3", "1000000000000"},
    {"1E6", "1000000000000000"},
    {"1e9", "1000000000000000000"},
    {"1E12", "1000000000000000000000"},
    {"1e15", "1000000000000000000000000"},
    {"1E18", "1000000000000000000000000000"},
    {"1e14", "100000000000000000000000"},
    {"1e13", "10000000000000000000000"},
    {"100.035k", "100035000000000"},
    /* things that look like floating point */
    {"0.001", "1000000"},
    {"0.0005k", "500000000"},
    {"0.005", "5000000"},
    {"0.05", "50000000"},
    {"0.5", "500000000"},
    {"0.00050k", "500000000"},
    {"0.00500", "5000000"},
    {"0.05000", "50000000"},
    {"0.50000", "500000000"},
    {"0.5e0", "500000000"},
    {"0.5e-1", "50000000"},
    {"0.5e-2", "5000000"},
    {"10.035M", "10035000000000000"},
    {"1.2e3", "1200000000000"},
    {"1.3E+6", "1300000000000000"},
    {"1.40e9", "1400000000000000000"},
    {"1.53E12", "1530000000000000000000"},
    {"1.6e15", "1600000000000000000000000"},
    {"1.7E18", "1700000000000000000000000000"},
    {"9.01", "9010000000"},
    {"8.1k", "8100000000000"},
    {"7.123456M", "7123456000000000"},
    {"6.987654321G", "6987654321000000000"},
    {"5.444T", "5444000000000000000000"},
    {"40.1T", "40100000000000000000000"},
    {"300.2T", "300200000000000000000000"},
    {"2.5P", "2500000000000000000000000"},
    {"1.01E", "1010000000000000000000000000"},
    /* things that saturate or round up */
    {"3.001n", "4"},
    {"1.1E-9", "2"},
    {"0.0000000001", "1"},
    {"0.0000000005", "1"},
    {"0.00000000050", "1"},
    {"0.5e-9", "1"},
    {"0.9n", "1"},
    {"0.00000012345", "124"},
    {"0.00000012354", "124"},
    {"9Ei", "9223372036854775807000000000"},
    {"9223372036854775807Ki", "9223372036854775807000000000"},
    {"999999999999999999999999999999Ei", "9223372036854775807000000000"},
    {"12E", "12000000000000000000000000000"},
    /* fractional binary */
    {"100.035Ki", "102435840000000"},
    {"0.5Mi", "524288000000000"},
    {"0.05Gi", "53687091200000000"},
    {"0.025Ti", "27487790694400000000"},
    /* things written by trolls */
    {"0.000000000001Ki", "2"},
    {".001", "1000000"},
    {".0001k", "100000000"},
    {"1.", "1000000000"},
    {"1.G", "1000000000000000000"},
};

static void
test_quantity_parse_table(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(parse_table); i++) {
		static const gchar *signs[] = {"", "+", "-"};

		for (guint s = 0; s < G_N_ELEMENTS(signs); s++) {
			g_autofree gchar *input = g_strconcat(signs[s], parse_table[i].input, NULL);
			g_autoptr(GError) error = NULL;
			g_autofree gchar *got = NULL;
			g_autofree gchar *want = NULL;
			CclmNanos n = 0;

			g_assert_true(cclm_quantity_parse(input, &n, &error));
			g_assert_no_error(error);
			got = nanos_to_string(n);
			want = g_strconcat(s == 2 && g_strcmp0(parse_table[i].nanos, "0") != 0 ? "-" : "",
					   parse_table[i].nanos, NULL);
			if (g_strcmp0(got, want) != 0)
				g_error("%s: got %s nano-units, want %s", input, got, want);
		}
	}
}

static void
test_quantity_parse_invalid(void)
{
	/* upstream's invalid list, plus the suffixes it rejects */
	static const gchar *invalid[] = {"1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i",
					 "-3.01i", "-3.01e-", " 1", "1 ", "", "1K", "1e", "e3",
					 ".", "-", "+", "1Ki1", "1.5MiB", "1e+", "--1", "1m1",
					 "99999999999999999999999999999999999999999"};

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *quoted = g_strdup_printf("\"%s\"", invalid[i]);
		CclmNanos n;

		g_assert_false(cclm_quantity_parse(invalid[i], &n, &error));
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
		/* the message names the value */
		g_assert_nonnull(strstr(error->message, quoted));
	}
}

/* Value() and MilliValue() round up, away from zero, as resource.Quantity does */
static void
test_quantity_value(void)
{
	static const struct {
		const gchar *input;
		gint64 value;
		gint64 milli;
	} table[] = {
	    {"400m", 1, 400},	       /* memory "400m" is one byte */
	    {"0.0001", 1, 1},	       /* cpu 0.0001 is 1m */
	    {"1.5", 2, 1500},	       {"100m", 1, 100},
	    {"2.5", 3, 2500},	       {"-9.01", -10, -9010},
	    {"16Gi", 17179869184, 17179869184000},
	    {"1e3", 1000, 1000000},    {"5E-2", 1, 50},
	    {"3.001n", 1, 1},	       {"0", 0, 0},
	    {"9223372036854775807", G_MAXINT64, 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
		g_autoptr(GError) error = NULL;
		gint64 v;

		g_assert_true(cclm_quantity_parse_value(table[i].input, &v, &error));
		g_assert_no_error(error);
		g_assert_cmpint(v, ==, table[i].value);
		if (table[i].value == G_MAXINT64)
			continue;
		g_assert_true(cclm_quantity_parse_milli_value(table[i].input, &v, &error));
		g_assert_cmpint(v, ==, table[i].milli);
	}
}

static void
test_quantity_overflow(void)
{
	static const struct {
		const gchar *input;
		gboolean milli;
	} table[] = {
	    {"9Ei", TRUE}, /* capped at 2^63-1 bytes, whose milli-value overflows */
	    {"12E", FALSE},
	    {"9223372036854775808", FALSE},
	    {"9223372036854776", TRUE},
	    {"1e30", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
		g_autoptr(GError) error = NULL;
		gint64 v;
		gboolean ok = table[i].milli ? cclm_quantity_parse_milli_value(table[i].input, &v, &error)
					     : cclm_quantity_parse_value(table[i].input, &v, &error);

		g_assert_false(ok);
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
		g_assert_nonnull(strstr(error->message, table[i].input));
		g_assert_nonnull(strstr(error->message, "out of range"));
	}
}

static void
test_quantity_format(void)
{
	static const struct {
		gint64 bytes;
		const gchar *text;
	} bytes[] = {
	    {0, "0 B"},
	    {512, "512 B"},
	    {1536, "1.5 KiB"},
	    {(gint64)(16.4 * 1073741824.0), "16.4 GiB"},
	    {12LL << 30, "12.0 GiB"},
	    {40LL << 30, "40.0 GiB"},
	    {3LL << 40, "3.0 TiB"},
	};
	static const struct {
		gint64 milli;
		const gchar *text;
	} cpu[] = {
	    {0, "0 cores"},	       {250, "250m"},	       {1000, "1 core"},
	    {2500, "2.5 cores"},       {4000, "4 cores"},      {1234, "1.234 cores"},
	    {205, "205m"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(bytes); i++) {
		g_autofree gchar *s = cclm_quantity_format_bytes(bytes[i].bytes);

		g_assert_cmpstr(s, ==, bytes[i].text);
	}
	for (guint i = 0; i < G_N_ELEMENTS(cpu); i++) {
		g_autofree gchar *s = cclm_quantity_format_millicores(cpu[i].milli);

		g_assert_cmpstr(s, ==, cpu[i].text);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/quantity/parse/upstream-table", test_quantity_parse_table);
	g_test_add_func("/quantity/parse/invalid", test_quantity_parse_invalid);
	g_test_add_func("/quantity/value", test_quantity_value);
	g_test_add_func("/quantity/overflow", test_quantity_overflow);
	g_test_add_func("/quantity/format", test_quantity_format);
	return g_test_run();
}
