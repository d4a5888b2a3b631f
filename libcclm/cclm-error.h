/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <glib.h>

#include "cclm-version-macros.h"

G_BEGIN_DECLS

/**
 * CCLM_ERROR:
 *
 * The error domain of every error libcclm reports, but cancellation, which stays
 * %G_IO_ERROR_CANCELLED.
 *
 * Since: 0.1
 */
#define CCLM_ERROR (cclm_error_quark())

/**
 * CclmError:
 * @CCLM_ERROR_FAILED: any other failure
 * @CCLM_ERROR_INVALID_ARGUMENT: the caller passed something that cannot be right
 * @CCLM_ERROR_KUBECONFIG: a kubeconfig is malformed or incomplete
 * @CCLM_ERROR_PARSE: a reply or file is not what it should be (JSON, YAML, a quantity)
 * @CCLM_ERROR_NETWORK: the server could not be reached, or the connection broke
 * @CCLM_ERROR_TLS: the TLS handshake failed (untrusted server, refused client certificate)
 * @CCLM_ERROR_UNAUTHORIZED: HTTP 401, the credentials were refused
 * @CCLM_ERROR_FORBIDDEN: HTTP 403, the identity may not do this
 * @CCLM_ERROR_NOT_FOUND: HTTP 404, no such object or resource
 * @CCLM_ERROR_ALREADY_EXISTS: HTTP 409 with reason AlreadyExists
 * @CCLM_ERROR_CONFLICT: HTTP 409, the object changed or another field manager owns a field
 * @CCLM_ERROR_INVALID: HTTP 422, the server refused the object as invalid
 * @CCLM_ERROR_EXPIRED: HTTP 410 (reasons Expired and Gone): a resource version or continue
 *   token is too old
 * @CCLM_ERROR_RATE_LIMITED: HTTP 429, the server asked the client to slow down
 * @CCLM_ERROR_SERVER: HTTP 5xx, the server failed
 * @CCLM_ERROR_BAD_REQUEST: HTTP 400, the server could not understand the request
 * @CCLM_ERROR_UNSUPPORTED: HTTP 405, 406 or 415, or a feature the cluster does not have
 * @CCLM_ERROR_TIMEOUT: HTTP 504, or a request that did not finish in time
 * @CCLM_ERROR_CREDENTIAL_PLUGIN: an exec credential plugin failed or printed no credential
 * @CCLM_ERROR_NOT_READY: the objects are not (yet) in the state the operation needs, e.g. a
 *   migration target that does not run the guest yet; asking again later may succeed
 *
 * Error codes of the %CCLM_ERROR domain. New codes are only ever added at the end.
 *
 * Since: 0.1
 */
typedef enum {
	CCLM_ERROR_FAILED,
	CCLM_ERROR_INVALID_ARGUMENT,
	CCLM_ERROR_KUBECONFIG,
	CCLM_ERROR_PARSE,
	CCLM_ERROR_NETWORK,
	CCLM_ERROR_TLS,
	CCLM_ERROR_UNAUTHORIZED,
	CCLM_ERROR_FORBIDDEN,
	CCLM_ERROR_NOT_FOUND,
	CCLM_ERROR_ALREADY_EXISTS,
	CCLM_ERROR_CONFLICT,
	CCLM_ERROR_INVALID,
	CCLM_ERROR_EXPIRED,
	CCLM_ERROR_RATE_LIMITED,
	CCLM_ERROR_SERVER,
	CCLM_ERROR_BAD_REQUEST,
	CCLM_ERROR_UNSUPPORTED,
	CCLM_ERROR_TIMEOUT,
	CCLM_ERROR_CREDENTIAL_PLUGIN,
	CCLM_ERROR_NOT_READY,
} CclmError;

CCLM_AVAILABLE_IN_0_1
GQuark
cclm_error_quark(void);
CCLM_AVAILABLE_IN_0_1
guint
cclm_error_get_http_status(const GError *error);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_error_get_reason(const GError *error);
CCLM_AVAILABLE_IN_0_1
guint
cclm_error_get_retry_after(const GError *error);

G_END_DECLS
