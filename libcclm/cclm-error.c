/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "cclm-enum-types.h"
#include "cclm-error-private.h"

typedef struct {
	guint http_status;
	gchar *reason;
	guint retry_after;
} CclmErrorPrivate;

static void
cclm_error_private_init(CclmErrorPrivate *priv)
{
}

static void
cclm_error_private_copy(const CclmErrorPrivate *src, CclmErrorPrivate *dest)
{
	dest->http_status = src->http_status;
	dest->reason = g_strdup(src->reason);
	dest->retry_after = src->retry_after;
}

static void
cclm_error_private_clear(CclmErrorPrivate *priv)
{
	g_clear_pointer(&priv->reason, g_free);
}

/* An extended error domain keeps the HTTP status and Kubernetes reason on the GError itself, so
 * that they survive g_error_copy() and g_task_return_error() without a side channel. */
G_DEFINE_EXTENDED_ERROR(CclmError, cclm_error)

/**
 * cclm_error_quark:
 *
 * The quark of the %CCLM_ERROR domain.
 *
 * Returns: the quark
 *
 * Since: 0.1
 */

/**
 * cclm_error_get_http_status:
 * @error: a #GError
 *
 * The HTTP status code of the API server reply that caused @error.
 *
 * Returns: the status code, or 0 when @error did not come from an HTTP reply
 *
 * Since: 0.1
 */
guint
cclm_error_get_http_status(const GError *error)
{
	g_return_val_if_fail(error != NULL, 0);
	if (error->domain != CCLM_ERROR)
		return 0;
	return cclm_error_get_private(error)->http_status;
}

/**
 * cclm_error_get_reason:
 * @error: a #GError
 *
 * The `reason` of the Kubernetes `Status` reply that caused @error, such as `NotFound` or
 * `Expired`; for a reply without a Status body, the reason Kubernetes gives that HTTP code.
 *
 * Returns: (nullable): the reason, or %NULL when @error did not come from an HTTP reply
 *
 * Since: 0.1
 */
const gchar *
cclm_error_get_reason(const GError *error)
{
	g_return_val_if_fail(error != NULL, NULL);
	if (error->domain != CCLM_ERROR)
		return NULL;
	return cclm_error_get_private(error)->reason;
}

/**
 * cclm_error_get_retry_after:
 * @error: a #GError
 *
 * The delay the server asked for before a retry, from a `Retry-After` header or the Status
 * `details.retryAfterSeconds`.
 *
 * Returns: seconds, or 0 when the server asked for none
 *
 * Since: 0.1
 */
guint
cclm_error_get_retry_after(const GError *error)
{
	g_return_val_if_fail(error != NULL, 0);
	if (error->domain != CCLM_ERROR)
		return 0;
	return cclm_error_get_private(error)->retry_after;
}

/* Kubernetes reasons first (apimachinery types.go); the HTTP code decides when the reason is
 * absent or unknown. */
CclmError
cclm_error_code_from_http_status(guint http_status, const gchar *reason)
{
	static const struct {
		const gchar *reason;
		CclmError code;
	} reasons[] = {
	    {"Unauthorized", CCLM_ERROR_UNAUTHORIZED},
	    {"Forbidden", CCLM_ERROR_FORBIDDEN},
	    {"NotFound", CCLM_ERROR_NOT_FOUND},
	    {"AlreadyExists", CCLM_ERROR_ALREADY_EXISTS},
	    {"Conflict", CCLM_ERROR_CONFLICT},
	    {"Gone", CCLM_ERROR_EXPIRED},
	    {"Expired", CCLM_ERROR_EXPIRED},
	    {"Invalid", CCLM_ERROR_INVALID},
	    {"BadRequest", CCLM_ERROR_BAD_REQUEST},
	    {"MethodNotAllowed", CCLM_ERROR_UNSUPPORTED},
	    {"NotAcceptable", CCLM_ERROR_UNSUPPORTED},
	    {"UnsupportedMediaType", CCLM_ERROR_UNSUPPORTED},
	    {"TooManyRequests", CCLM_ERROR_RATE_LIMITED},
	    {"InternalError", CCLM_ERROR_SERVER},
	    {"ServerTimeout", CCLM_ERROR_SERVER},
	    {"ServiceUnavailable", CCLM_ERROR_SERVER},
	    {"Timeout", CCLM_ERROR_TIMEOUT},
	};

	for (guint i = 0; reason != NULL && i < G_N_ELEMENTS(reasons); i++) {
		if (g_strcmp0(reason, reasons[i].reason) == 0)
			return reasons[i].code;
	}
	switch (http_status) {
	case 400:
		return CCLM_ERROR_BAD_REQUEST;
	case 401:
		return CCLM_ERROR_UNAUTHORIZED;
	case 403:
		return CCLM_ERROR_FORBIDDEN;
	case 404:
		return CCLM_ERROR_NOT_FOUND;
	case 405:
	case 406:
	case 415:
		return CCLM_ERROR_UNSUPPORTED;
	case 409:
		return CCLM_ERROR_CONFLICT;
	case 410:
		return CCLM_ERROR_EXPIRED;
	case 422:
		return CCLM_ERROR_INVALID;
	case 429:
		return CCLM_ERROR_RATE_LIMITED;
	case 504:
		return CCLM_ERROR_TIMEOUT;
	default:
		return http_status >= 500 ? CCLM_ERROR_SERVER : CCLM_ERROR_FAILED;
	}
}

/* The reason Kubernetes gives an HTTP code when the body carries no Status
 * (apimachinery errors.go NewGenericServerResponse). */
static const gchar *
cclm_error_reason_for_http_status(guint http_status)
{
	switch (http_status) {
	case 400:
		return "BadRequest";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "NotFound";
	case 405:
		return "MethodNotAllowed";
	case 406:
		return "NotAcceptable";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 415:
		return "UnsupportedMediaType";
	case 422:
		return "Invalid";
	case 429:
		return "TooManyRequests";
	case 500:
		return "InternalError";
	case 503:
		return "ServiceUnavailable";
	case 504:
		return "Timeout";
	default:
		return NULL;
	}
}

void
cclm_error_set_api_status(GError *error, guint http_status, const gchar *reason, guint retry_after)
{
	CclmErrorPrivate *priv;

	g_return_if_fail(error != NULL && error->domain == CCLM_ERROR);
	priv = cclm_error_get_private(error);
	priv->http_status = http_status;
	g_free(priv->reason);
	priv->reason = g_strdup(reason != NULL && reason[0] != '\0'
				    ? reason
				    : cclm_error_reason_for_http_status(http_status));
	priv->retry_after = retry_after;
}

GError *
cclm_error_new_api_status(guint http_status,
			  const gchar *reason,
			  guint retry_after,
			  const gchar *format,
			  ...)
{
	va_list args;
	GError *error;

	va_start(args, format);
	error = g_error_new_valist(CCLM_ERROR,
				   cclm_error_code_from_http_status(http_status, reason),
				   format,
				   args);
	va_end(args);
	cclm_error_set_api_status(error, http_status, reason, retry_after);
	return error;
}

/* Brings GIO, TLS, libsoup and json-glib errors into the CCLM_ERROR domain, keeping the
 * message; cancellation stays G_IO_ERROR_CANCELLED so callers can tell it apart. */
void
cclm_error_convert(GError **error)
{
	GError *e;
	CclmError code = CCLM_ERROR_FAILED;

	if (error == NULL || *error == NULL)
		return;
	e = *error;
	if (e->domain == CCLM_ERROR || g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (e->domain == G_TLS_ERROR) {
		code = CCLM_ERROR_TLS;
	} else if (e->domain == G_IO_ERROR) {
		switch (e->code) {
		case G_IO_ERROR_TIMED_OUT:
			code = CCLM_ERROR_TIMEOUT;
			break;
		case G_IO_ERROR_NOT_FOUND:
			code = CCLM_ERROR_NOT_FOUND;
			break;
		case G_IO_ERROR_INVALID_ARGUMENT:
		case G_IO_ERROR_INVALID_DATA:
			code = CCLM_ERROR_PARSE;
			break;
		default:
			code = CCLM_ERROR_NETWORK;
			break;
		}
	} else if (e->domain == G_RESOLVER_ERROR || e->domain == SOUP_SESSION_ERROR) {
		code = CCLM_ERROR_NETWORK;
	} else if (e->domain == JSON_PARSER_ERROR || e->domain == G_MARKUP_ERROR) {
		code = CCLM_ERROR_PARSE;
	} else if (e->domain == G_FILE_ERROR) {
		code = e->code == G_FILE_ERROR_NOENT ? CCLM_ERROR_NOT_FOUND : CCLM_ERROR_FAILED;
	}
	*error = g_error_new_literal(CCLM_ERROR, code, e->message);
	g_error_free(e);
}

/* The reports' error object (docs/capacity-schema.md): {"domain", "code": the CclmError nick
 * (a number in another domain), "message"}. */
JsonNode *
cclm_error_to_json(const GError *error)
{
	g_autoptr(JsonObject) object = json_object_new();
	g_autoptr(GEnumClass) codes = g_type_class_ref(CCLM_TYPE_ERROR);
	GEnumValue *code = error->domain == CCLM_ERROR ? g_enum_get_value(codes, error->code) : NULL;

	json_object_set_string_member(object, "domain", g_quark_to_string(error->domain));
	if (code != NULL)
		json_object_set_string_member(object, "code", code->value_nick);
	else
		json_object_set_int_member(object, "code", error->code);
	json_object_set_string_member(object, "message", error->message);
	return json_node_init_object(json_node_alloc(), object);
}
