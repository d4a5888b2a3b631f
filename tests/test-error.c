/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-error-private.h"

static void
test_error_status_codes(void)
{
	static const struct {
		guint http_status;
		const gchar *reason;
		CclmError code;
		const gchar *expected_reason;
	} cases[] = {
	    {404, "NotFound", CCLM_ERROR_NOT_FOUND, "NotFound"},
	    {409, "AlreadyExists", CCLM_ERROR_ALREADY_EXISTS, "AlreadyExists"},
	    {409, "Conflict", CCLM_ERROR_CONFLICT, "Conflict"},
	    {410, "Expired", CCLM_ERROR_EXPIRED, "Expired"},
	    {410, NULL, CCLM_ERROR_EXPIRED, "Gone"},
	    {429, NULL, CCLM_ERROR_RATE_LIMITED, "TooManyRequests"},
	    {401, NULL, CCLM_ERROR_UNAUTHORIZED, "Unauthorized"},
	    {403, "Forbidden", CCLM_ERROR_FORBIDDEN, "Forbidden"},
	    {422, "Invalid", CCLM_ERROR_INVALID, "Invalid"},
	    {415, "UnsupportedMediaType", CCLM_ERROR_UNSUPPORTED, "UnsupportedMediaType"},
	    {503, NULL, CCLM_ERROR_SERVER, "ServiceUnavailable"},
	    {504, "Timeout", CCLM_ERROR_TIMEOUT, "Timeout"},
	    {400, "BadRequest", CCLM_ERROR_BAD_REQUEST, "BadRequest"},
	    {418, NULL, CCLM_ERROR_FAILED, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error =
		    cclm_error_new_api_status(cases[i].http_status, cases[i].reason, 7,
					      "case %u", i);
		g_autoptr(GError) copy = g_error_copy(error);

		g_assert_error(error, CCLM_ERROR, (gint)cases[i].code);
		g_assert_cmpuint(cclm_error_get_http_status(error), ==, cases[i].http_status);
		g_assert_cmpstr(cclm_error_get_reason(error), ==, cases[i].expected_reason);
		/* the API status survives a copy, as GTask makes one */
		g_assert_cmpuint(cclm_error_get_http_status(copy), ==, cases[i].http_status);
		g_assert_cmpstr(cclm_error_get_reason(copy), ==, cases[i].expected_reason);
		g_assert_cmpuint(cclm_error_get_retry_after(copy), ==, 7);
	}
}

static void
test_error_convert(void)
{
	g_autoptr(GError) tls = g_error_new_literal(G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "bad");
	g_autoptr(GError) reset =
	    g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "reset");
	g_autoptr(GError) cancelled = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");
	g_autoptr(GError) json = g_error_new_literal(JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "j");
	g_autoptr(GError) other = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_FAILED, "x");

	cclm_error_convert(&tls);
	g_assert_error(tls, CCLM_ERROR, CCLM_ERROR_TLS);
	g_assert_cmpstr(tls->message, ==, "bad");
	cclm_error_convert(&reset);
	g_assert_error(reset, CCLM_ERROR, CCLM_ERROR_NETWORK);
	cclm_error_convert(&cancelled);
	g_assert_error(cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	cclm_error_convert(&json);
	g_assert_error(json, CCLM_ERROR, CCLM_ERROR_PARSE);
	/* not from an HTTP reply: no status */
	g_assert_cmpuint(cclm_error_get_http_status(json), ==, 0);
	g_assert_null(cclm_error_get_reason(json));
	g_assert_cmpuint(cclm_error_get_http_status(other), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/error/status-codes", test_error_status_codes);
	g_test_add_func("/error/convert", test_error_convert);
	return g_test_run();
}
