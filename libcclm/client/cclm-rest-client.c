/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cclm-error-private.h"
#include "cclm-rest-client-private.h"
#include "cclm-watch-private.h"

/* A JSON reply is parsed in memory, so its size is capped; big lists are paged or streamed. */
#define CCLM_REST_MAX_BODY_DEFAULT (64 * 1024 * 1024)
/* Error bodies are Status objects of a few hundred bytes; never hold more of one. */
#define CCLM_REST_MAX_ERROR_BODY (1024 * 1024)
/* Upper bound on a server's Retry-After, so a broken server cannot park a request for long. */
#define CCLM_REST_MAX_RETRY_AFTER_S 60
/* client-go re-reads a token file at most once a minute (transport/token_source.go). */
#define CCLM_REST_TOKEN_FILE_PERIOD_US (60 * G_USEC_PER_SEC)
#define CCLM_REST_READ_SIZE 65536

struct _CclmRestClient {
	GObject parent_instance;
	CclmRestConfig *config;
	gchar *server; /* without a trailing '/' */
	gchar *host;   /* the name the server certificate must carry */
	SoupSession *session;
	GPtrArray *cas; /* GTlsCertificate from config->ca_pem; NULL: the system's */
	gboolean custom_verify;

	gchar *file_token;
	gint64 file_token_read_at; /* monotonic µs */
	gint64 file_token_mtime;

	gdouble qps;
	guint burst;
	gdouble tokens; /* may go negative: requests that reserved a future slot */
	gint64 tokens_at;

	guint max_retries;
	guint base_ms;
	guint max_ms;
	gsize max_body;
};

G_DEFINE_FINAL_TYPE(CclmRestClient, cclm_rest_client, G_TYPE_OBJECT)

typedef struct {
	gchar *method;
	gchar *path;
	gchar *content_type;
	GBytes *body;
	gboolean want_stream;
	gboolean idempotent;
	guint attempt;
	gboolean reauthenticated;
	gboolean used_client_cert;
	CclmCredential *credential;
	SoupMessage *msg;
	GInputStream *stream;
	GByteArray *reply;
	gsize reply_limit;
	guint retry_after; /* seconds, from the last failed reply */
	GSource *sleep;
} CclmRestRequest;

static void
cclm_rest_request_free(CclmRestRequest *req)
{
	g_free(req->method);
	g_free(req->path);
	g_free(req->content_type);
	g_clear_pointer(&req->body, g_bytes_unref);
	g_clear_pointer(&req->credential, cclm_credential_free);
	g_clear_object(&req->msg);
	g_clear_object(&req->stream);
	g_clear_pointer(&req->reply, g_byte_array_unref);
	if (req->sleep != NULL) {
		g_source_destroy(req->sleep);
		g_source_unref(req->sleep);
	}
	g_free(req);
}

static void
cclm_rest_request_attempt(GTask *task);
static void
cclm_rest_request_send(GTask *task);

/* ---- TLS ------------------------------------------------------------------------------------ */

/* Every CERTIFICATE block of a PEM bundle: g_tls_certificate_new_from_pem() reads only the first.
 */
static GPtrArray *
cclm_rest_parse_ca_bundle(GBytes *pem, GError **error)
{
	g_autoptr(GPtrArray) cas = g_ptr_array_new_with_free_func(g_object_unref);
	const gchar *begin = "-----BEGIN CERTIFICATE-----";
	const gchar *end = "-----END CERTIFICATE-----";
	g_autofree gchar *text = g_strndup(g_bytes_get_data(pem, NULL), g_bytes_get_size(pem));
	const gchar *p = text;

	while ((p = strstr(p, begin)) != NULL) {
		const gchar *e = strstr(p, end);
		g_autoptr(GTlsCertificate) cert = NULL;
		g_autoptr(GError) local_error = NULL;

		if (e == NULL)
			break;
		e += strlen(end);
		cert = g_tls_certificate_new_from_pem(p, e - p, &local_error);
		if (cert == NULL) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_TLS,
				    "certificate-authority: certificate %u: %s", cas->len + 1,
				    local_error->message);
			return NULL;
		}
		g_ptr_array_add(cas, g_steal_pointer(&cert));
		p = e;
	}
	if (cas->len == 0) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_TLS,
				    "certificate-authority: no PEM certificate found");
		return NULL;
	}
	return g_steal_pointer(&cas);
}

/* Verification happens here rather than in GnuTLS's default database because kubeconfig may
 * pin in-memory CAs (no file for a GTlsFileDatabase) and name another identity
 * (tls-server-name). */
static gboolean
cclm_rest_accept_certificate_cb(SoupMessage *msg,
				GTlsCertificate *peer,
				GTlsCertificateFlags errors,
				gpointer user_data)
{
	CclmRestClient *self = CCLM_REST_CLIENT(user_data);
	g_autoptr(GSocketConnectable) identity = g_network_address_new(self->host, 0);
	GTlsDatabase *db;

	if (self->config->insecure_skip_verify)
		return TRUE;
	if (self->cas != NULL) {
		for (guint i = 0; i < self->cas->len; i++) {
			if (g_tls_certificate_verify(peer, identity, self->cas->pdata[i]) == 0)
				return TRUE;
		}
		return FALSE;
	}
	db = g_tls_backend_get_default_database(g_tls_backend_get_default());
	if (db == NULL)
		return FALSE;
	errors =
	    g_tls_database_verify_chain(db, peer, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
					identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
	g_object_unref(db);
	return errors == 0;
}

static gboolean
cclm_rest_host_is_loopback(const gchar *host)
{
	g_autoptr(GInetAddress) addr = g_inet_address_new_from_string(host);

	if (addr != NULL)
		return g_inet_address_get_is_loopback(addr);
	return g_ascii_strcasecmp(host, "localhost") == 0;
}

/* ---- construction --------------------------------------------------------------------------- */

CclmRestClient *
cclm_rest_client_new(const CclmRestConfig *config, GError **error)
{
	g_autoptr(CclmRestClient) self = NULL;
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GError) local_error = NULL;
	const gchar *scheme;

	g_return_val_if_fail(config != NULL, NULL);

	if (config->server == NULL || config->server[0] == '\0') {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "cluster: server: not set");
		return NULL;
	}
	uri = g_uri_parse(config->server, SOUP_HTTP_URI_FLAGS, &local_error);
	if (uri == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "cluster: server \"%s\": %s",
			    config->server, local_error->message);
		return NULL;
	}
	scheme = g_uri_get_scheme(uri);
	if (g_strcmp0(scheme, "https") != 0 && g_strcmp0(scheme, "http") != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "cluster: server \"%s\": not an http(s) URL", config->server);
		return NULL;
	}
	if (g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0') {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "cluster: server \"%s\": no host", config->server);
		return NULL;
	}

	self = g_object_new(CCLM_TYPE_REST_CLIENT, NULL);
	self->config = cclm_rest_config_copy(config);
	self->server = g_strdup(config->server);
	while (g_str_has_suffix(self->server, "/"))
		self->server[strlen(self->server) - 1] = '\0';
	self->host = g_strdup(config->tls_server_name != NULL && config->tls_server_name[0] != '\0'
				  ? config->tls_server_name
				  : g_uri_get_host(uri));
	if (config->ca_pem != NULL) {
		self->cas = cclm_rest_parse_ca_bundle(config->ca_pem, error);
		if (self->cas == NULL)
			return NULL;
	}
	self->custom_verify =
	    self->cas != NULL || config->insecure_skip_verify || config->tls_server_name != NULL;

	/* Loopback servers (tests, cclm-sim, port-forwards) must never go through a proxy. The
	 * timeout is 0 because watches stay idle for minutes; callers bound requests by
	 * cancelling. */
	/* Each watch holds an HTTP/1.1 connection for as long as it runs: with SoupSession's
	 * default of 2 per host, two watches starve every other request (an inventory watches
	 * about a dozen kinds per cluster). The limits are construct-only. */
	if (cclm_rest_host_is_loopback(g_uri_get_host(uri))) {
		self->session = soup_session_new_with_options(
		    "proxy-resolver", NULL, "timeout", 0, "user-agent", "libcclm/" PACKAGE_VERSION,
		    "max-conns-per-host", 64, "max-conns", 256, NULL);
	} else {
		self->session = soup_session_new_with_options(
		    "timeout", 0, "user-agent", "libcclm/" PACKAGE_VERSION, "max-conns-per-host", 64,
		    "max-conns", 256, NULL);
	}
	/* No database: every certificate reaches accept-certificate, which decides alone. */
	if (self->custom_verify)
		soup_session_set_tls_database(self->session, NULL);
	return g_steal_pointer(&self);
}

const gchar *
cclm_rest_client_get_server(CclmRestClient *self)
{
	g_return_val_if_fail(CCLM_IS_REST_CLIENT(self), NULL);
	return self->server;
}

void
cclm_rest_client_set_rate_limit(CclmRestClient *self, gdouble qps, guint burst)
{
	g_return_if_fail(CCLM_IS_REST_CLIENT(self));
	self->qps = qps;
	self->burst = MAX(burst, 1);
	self->tokens = self->burst;
	self->tokens_at = g_get_monotonic_time();
}

void
cclm_rest_client_set_retry_policy(CclmRestClient *self,
				  guint max_retries,
				  guint base_ms,
				  guint max_ms)
{
	g_return_if_fail(CCLM_IS_REST_CLIENT(self));
	self->max_retries = max_retries;
	/* an hour at most keeps the jitter arithmetic within 32 bits */
	self->base_ms = CLAMP(base_ms, 1, 3600 * 1000);
	self->max_ms = CLAMP(max_ms, self->base_ms, 3600 * 1000);
}

void
cclm_rest_client_set_max_body_size(CclmRestClient *self, gsize max_body)
{
	g_return_if_fail(CCLM_IS_REST_CLIENT(self));
	self->max_body = max_body;
}

/* Exponential from base_ms, capped at max_ms, with "equal jitter" (half fixed, half random) so
 * that many clients do not retry in lockstep; a longer Retry-After wins. */
guint
cclm_rest_client_backoff_ms(CclmRestClient *self, guint attempt, guint retry_after_s)
{
	guint64 ms = (guint64)self->base_ms << MIN(attempt, 20);

	ms = MIN(ms, self->max_ms);
	ms = ms / 2 + g_random_int_range(0, (gint32)(ms / 2) + 1);
	retry_after_s = MIN(retry_after_s, CCLM_REST_MAX_RETRY_AFTER_S);
	if ((guint64)retry_after_s * 1000 > ms)
		ms = (guint64)retry_after_s * 1000;
	return (guint)ms;
}

/* Token bucket as client-go's flowcontrol: a request takes a token now, or reserves the next
 * one and waits for it. Returns the wait in ms. */
static guint
cclm_rest_client_take_token(CclmRestClient *self)
{
	gint64 now = g_get_monotonic_time();

	if (self->qps <= 0)
		return 0;
	self->tokens += (now - self->tokens_at) * self->qps / G_USEC_PER_SEC;
	self->tokens = MIN(self->tokens, self->burst);
	self->tokens_at = now;
	self->tokens -= 1;
	if (self->tokens >= 0)
		return 0;
	return (guint)MIN(-self->tokens * 1000 / self->qps + 0.999, 3600.0 * 1000);
}

/* ---- sleeping that cancellation interrupts ------------------------------------------------- */

static void
cclm_rest_request_sleep(GTask *task, guint ms, GSourceFunc func)
{
	CclmRestRequest *req = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);

	g_assert(req->sleep == NULL);
	req->sleep = g_timeout_source_new(ms);
	/* A ready child source dispatches the timeout early: cancellation wakes the sleeper. */
	if (cancellable != NULL) {
		g_autoptr(GSource) cs = g_cancellable_source_new(cancellable);
		g_source_set_dummy_callback(cs);
		g_source_add_child_source(req->sleep, cs);
	}
	g_source_set_callback(req->sleep, func, g_object_ref(task), g_object_unref);
	g_source_attach(req->sleep, g_task_get_context(task));
}

/* Returns TRUE when the task was cancelled (and is now complete). */
static gboolean
cclm_rest_request_wake(GTask *task)
{
	CclmRestRequest *req = g_task_get_task_data(task);

	g_clear_pointer(&req->sleep, g_source_unref);
	return g_task_return_error_if_cancelled(task);
}

/* ---- credentials ---------------------------------------------------------------------------- */

static gboolean
cclm_rest_client_read_token_file(CclmRestClient *self, GError **error)
{
	GStatBuf st;
	gint64 now = g_get_monotonic_time();
	g_autofree gchar *contents = NULL;
	g_autoptr(GError) local_error = NULL;

	if (g_stat(self->config->token_file, &st) != 0) {
		if (self->file_token != NULL)
			return TRUE; /* keep the last good token, as client-go does */
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "tokenFile \"%s\": %s",
			    self->config->token_file, g_strerror(errno));
		return FALSE;
	}
	if (self->file_token != NULL && (gint64)st.st_mtime == self->file_token_mtime &&
	    now - self->file_token_read_at < CCLM_REST_TOKEN_FILE_PERIOD_US)
		return TRUE;
	if (!g_file_get_contents(self->config->token_file, &contents, NULL, &local_error)) {
		if (self->file_token != NULL)
			return TRUE;
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "tokenFile \"%s\": %s",
			    self->config->token_file, local_error->message);
		return FALSE;
	}
	g_strstrip(contents);
	if (self->file_token != NULL)
		memset(self->file_token, 0, strlen(self->file_token));
	g_free(self->file_token);
	self->file_token = g_steal_pointer(&contents);
	self->file_token_mtime = st.st_mtime;
	self->file_token_read_at = now;
	return TRUE;
}

static void
cclm_rest_request_credential_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmRestRequest *req = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	g_clear_pointer(&req->credential, cclm_credential_free);
	req->credential =
	    cclm_credential_plugin_get_finish(CCLM_CREDENTIAL_PLUGIN(source), res, &error);
	if (req->credential == NULL) {
		cclm_error_convert(&error);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	cclm_rest_request_send(task);
}

/* ---- the request state machine -------------------------------------------------------------- */

static gboolean
cclm_rest_request_rate_limited_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	CclmRestClient *self = g_task_get_source_object(task);

	if (cclm_rest_request_wake(task))
		return G_SOURCE_REMOVE;
	if (self->config->exec != NULL) {
		cclm_credential_plugin_get_async(self->config->exec, g_task_get_cancellable(task),
						 cclm_rest_request_credential_cb,
						 g_object_ref(task));
		return G_SOURCE_REMOVE;
	}
	cclm_rest_request_send(task);
	return G_SOURCE_REMOVE;
}

/* One attempt: rate limit, then credentials, then the HTTP exchange. */
static void
cclm_rest_request_attempt(GTask *task)
{
	CclmRestClient *self = g_task_get_source_object(task);

	if (g_task_return_error_if_cancelled(task))
		return;
	cclm_rest_request_sleep(task, cclm_rest_client_take_token(self),
				cclm_rest_request_rate_limited_cb);
}

static gboolean
cclm_rest_request_retry_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);

	if (!cclm_rest_request_wake(task))
		cclm_rest_request_attempt(task);
	return G_SOURCE_REMOVE;
}

/* Retries after the backoff when @error allows it; otherwise completes @task with @error. */
static void
cclm_rest_request_fail(GTask *task, GError *error, gboolean retryable)
{
	CclmRestClient *self = g_task_get_source_object(task);
	CclmRestRequest *req = g_task_get_task_data(task);

	if (retryable && req->attempt < self->max_retries) {
		guint delay = cclm_rest_client_backoff_ms(self, req->attempt, req->retry_after);

		g_debug("%s %s: %s; retry %u in %u ms", req->method, req->path, error->message,
			req->attempt + 1, delay);
		g_error_free(error);
		req->attempt++;
		cclm_rest_request_sleep(task, delay, cclm_rest_request_retry_cb);
		return;
	}
	g_task_return_error(task, error);
}

/* A connection that broke (reset, EOF): as client-go, not a refused or unreachable server,
 * which would only make an unreachable cluster slow to report. */
static gboolean
cclm_rest_transport_error_is_retryable(const GError *error)
{
	if (error->domain != G_IO_ERROR)
		return FALSE;
	switch (error->code) {
	case G_IO_ERROR_CONNECTION_CLOSED: /* also ECONNRESET and EPIPE */
	case G_IO_ERROR_PARTIAL_INPUT:	   /* EOF before the whole reply */
	case G_IO_ERROR_NOT_CONNECTED:
	case G_IO_ERROR_TIMED_OUT:
	case G_IO_ERROR_FAILED:
		return TRUE;
	default:
		return FALSE;
	}
}

/* A transport failure in the CCLM_ERROR domain, naming the server. With TLS 1.3 a server that
 * refuses our client certificate just resets the connection (toolchain.md §2 pitfall 5). */
static GError *
cclm_rest_request_transport_error(CclmRestClient *self, CclmRestRequest *req, const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return g_error_copy(error);
	if (error->domain == G_TLS_ERROR) {
		if (error->code == G_TLS_ERROR_BAD_CERTIFICATE)
			return g_error_new(CCLM_ERROR, CCLM_ERROR_TLS,
					   "server %s: certificate not trusted for \"%s\": %s",
					   self->server, self->host, error->message);
		return g_error_new(CCLM_ERROR, CCLM_ERROR_TLS, "server %s: TLS: %s", self->server,
				   error->message);
	}
	if (req->used_client_cert && soup_message_get_status(req->msg) == 0 &&
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
		return g_error_new(CCLM_ERROR, CCLM_ERROR_TLS,
				   "server %s: connection reset; the server may have refused the "
				   "client certificate (%s)",
				   self->server, error->message);
	return g_error_new(CCLM_ERROR, CCLM_ERROR_NETWORK, "server %s: %s %s: %s", self->server,
			   req->method, req->path, error->message);
}

static guint
cclm_rest_parse_retry_after(SoupMessage *msg)
{
	const gchar *v =
	    soup_message_headers_get_one(soup_message_get_response_headers(msg), "Retry-After");
	guint64 s = 0;

	/* Only delta-seconds: Kubernetes never sends an HTTP date here. */
	if (v == NULL || !g_ascii_string_to_unsigned(v, 10, 0, G_MAXUINT, &s, NULL))
		return 0;
	return (guint)s;
}

/* Kubernetes' text for an error reply without a Status body (apimachinery errors.go
 * NewGenericServerResponse). */
static const gchar *
cclm_rest_generic_message(guint status)
{
	switch (status) {
	case 400:
		return "the server rejected our request for an unknown reason";
	case 401:
		return "the server has asked for the client to provide credentials";
	case 403:
		return "the server does not allow access to the requested resource";
	case 404:
		return "the server could not find the requested resource";
	case 405:
		return "the server does not allow this method on the requested resource";
	case 406:
		return "the server was unable to respond with a content type that the client "
		       "supports";
	case 409:
		return "the server reported a conflict";
	case 410:
		return "the server has expired the requested resource";
	case 415:
		return "the server was unable to process the request's content type";
	case 422:
		return "the server rejected our request due to an error in our request";
	case 429:
		return "the server has received too many requests and has asked us to try again "
		       "later";
	case 503:
		return "the server is currently unable to handle the request";
	case 504:
		return "the server was unable to return a response in the time allotted, but may "
		       "still be processing the request";
	default:
		return "an error on the server has prevented the request from succeeding";
	}
}

GError *
cclm_rest_status_error_new(const gchar *method,
			   const gchar *path,
			   guint http_status,
			   JsonObject *status,
			   guint retry_after)
{
	const gchar *reason = NULL;
	const gchar *message = NULL;
	g_autofree gchar *where = g_strndup(path, strcspn(path, "?"));

	if (status != NULL) {
		JsonObject *details = NULL;
		JsonNode *n;

		reason = json_object_get_string_member_with_default(status, "reason", NULL);
		message = json_object_get_string_member_with_default(status, "message", NULL);
		n = json_object_get_member(status, "details");
		if (n != NULL && JSON_NODE_HOLDS_OBJECT(n))
			details = json_object_get_object_member(status, "details");
		if (details != NULL) {
			gint64 s = json_object_get_int_member_with_default(details,
									   "retryAfterSeconds", 0);
			if (s > 0)
				retry_after = MAX(retry_after, (guint)MIN(s, G_MAXUINT));
		}
		/* An ERROR watch event has no HTTP status of its own. */
		if (http_status == 0 || http_status == 200)
			http_status = json_object_get_int_member_with_default(status, "code", 0);
	}
	if (message == NULL || message[0] == '\0')
		message = cclm_rest_generic_message(http_status);
	return cclm_error_new_api_status(http_status, reason, retry_after, "%s %s: %s", method,
					 where, message);
}

/* The Status object of an error reply, if the body is one. */
static JsonObject *
cclm_rest_parse_status(const guint8 *data, gsize len)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	JsonNode *root;
	JsonObject *obj;

	if (len == 0 || !json_parser_load_from_data(parser, (const gchar *)data, len, NULL))
		return NULL;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return NULL;
	obj = json_node_get_object(root);
	if (g_strcmp0(json_object_get_string_member_with_default(obj, "kind", NULL), "Status") != 0)
		return NULL;
	return json_object_ref(obj);
}

/* The whole error reply is in req->reply: turn it into a GError, or retry. */
static void
cclm_rest_request_http_error(GTask *task)
{
	CclmRestClient *self = g_task_get_source_object(task);
	CclmRestRequest *req = g_task_get_task_data(task);
	guint status = soup_message_get_status(req->msg);
	guint header_retry_after = cclm_rest_parse_retry_after(req->msg);
	g_autoptr(JsonObject) obj = cclm_rest_parse_status(req->reply->data, req->reply->len);
	GError *error;
	gboolean retryable;

	if (status == SOUP_STATUS_UNAUTHORIZED && self->config->exec != NULL &&
	    !req->reauthenticated) {
		/* The plugin's credential was revoked or expired early: run it again, once. */
		req->reauthenticated = TRUE;
		cclm_credential_plugin_invalidate(self->config->exec);
		cclm_rest_request_attempt(task);
		return;
	}
	error = cclm_rest_status_error_new(req->method, req->path, status, obj, header_retry_after);
	req->retry_after = cclm_error_get_retry_after(error);
	/* A write is repeated only when the server provably did not act on it. */
	if (status == 429)
		retryable = TRUE;
	else if (status >= 500)
		retryable = req->idempotent || header_retry_after > 0;
	else
		retryable = FALSE;
	cclm_rest_request_fail(task, error, retryable);
}

static void
cclm_rest_request_body_done(GTask *task)
{
	CclmRestRequest *req = g_task_get_task_data(task);
	g_autoptr(JsonParser) parser = NULL;
	g_autoptr(GError) error = NULL;
	guint status = soup_message_get_status(req->msg);

	if (!SOUP_STATUS_IS_SUCCESSFUL(status)) {
		cclm_rest_request_http_error(task);
		return;
	}
	parser = json_parser_new_immutable();
	if (req->reply->len == 0 ||
	    !json_parser_load_from_data(parser, (const gchar *)req->reply->data, req->reply->len,
					&error)) {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_PARSE,
					"%s %s: reply is not JSON: %s", req->method, req->path,
					error != NULL ? error->message : "empty body");
		return;
	}
	g_task_return_pointer(task, json_parser_steal_root(parser),
			      (GDestroyNotify)json_node_unref);
}

static void
cclm_rest_request_read_cb(GObject *source, GAsyncResult *res, gpointer user_data);

/* Takes over the caller's reference on @task. */
static void
cclm_rest_request_read(GTask *task)
{
	CclmRestRequest *req = g_task_get_task_data(task);

	g_input_stream_read_bytes_async(req->stream, CCLM_REST_READ_SIZE, G_PRIORITY_DEFAULT,
					g_task_get_cancellable(task), cclm_rest_request_read_cb,
					task);
}

static void
cclm_rest_request_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmRestClient *self = g_task_get_source_object(task);
	CclmRestRequest *req = g_task_get_task_data(task);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;

	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (bytes == NULL) {
		g_autoptr(GError) local_error = NULL;

		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		g_clear_object(&req->stream);
		local_error = g_error_new(CCLM_ERROR, CCLM_ERROR_PARSE,
					  "server %s: %s %s: reply body truncated after %u bytes: "
					  "%s",
					  self->server, req->method, req->path, req->reply->len,
					  error->message);
		cclm_rest_request_fail(task, g_steal_pointer(&local_error), req->idempotent);
		return;
	}
	if (g_bytes_get_size(bytes) == 0) {
		g_clear_object(&req->stream);
		cclm_rest_request_body_done(task);
		return;
	}
	if (req->reply->len + g_bytes_get_size(bytes) > req->reply_limit) {
		g_clear_object(&req->stream);
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_PARSE,
					"%s %s: reply larger than %" G_GSIZE_FORMAT " bytes",
					req->method, req->path, req->reply_limit);
		return;
	}
	g_byte_array_append(req->reply, g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	cclm_rest_request_read(g_steal_pointer(&task));
}

static void
cclm_rest_request_sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmRestClient *self = g_task_get_source_object(task);
	CclmRestRequest *req = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	guint status;

	req->stream = soup_session_send_finish(SOUP_SESSION(source), res, &error);
	if (req->stream == NULL) {
		gboolean retryable =
		    req->idempotent && cclm_rest_transport_error_is_retryable(error);

		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		cclm_rest_request_fail(task, cclm_rest_request_transport_error(self, req, error),
				       retryable);
		return;
	}
	status = soup_message_get_status(req->msg);
	if (SOUP_STATUS_IS_SUCCESSFUL(status) && req->want_stream) {
		g_task_return_pointer(task, g_steal_pointer(&req->stream), g_object_unref);
		return;
	}
	g_clear_pointer(&req->reply, g_byte_array_unref);
	req->reply = g_byte_array_new();
	req->reply_limit =
	    SOUP_STATUS_IS_SUCCESSFUL(status) ? self->max_body : CCLM_REST_MAX_ERROR_BODY;
	cclm_rest_request_read(g_steal_pointer(&task));
}

static void
cclm_rest_request_send(GTask *task)
{
	CclmRestClient *self = g_task_get_source_object(task);
	CclmRestRequest *req = g_task_get_task_data(task);
	g_autofree gchar *url = g_strconcat(self->server, req->path, NULL);
	g_autoptr(GError) error = NULL;
	GTlsCertificate *cert = self->config->client_certificate;
	const gchar *token = self->config->token;
	SoupMessageHeaders *headers;

	g_clear_object(&req->msg);
	g_clear_object(&req->stream);
	req->retry_after = 0; /* the last reply's was spent on the wait before this attempt */
	req->msg = soup_message_new(req->method, url);
	if (req->msg == NULL) {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
					"%s %s: not a valid request path", req->method, req->path);
		return;
	}
	if (self->config->token_file != NULL) {
		if (!cclm_rest_client_read_token_file(self, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		token = self->file_token;
	}
	if (req->credential != NULL) {
		if (req->credential->token != NULL)
			token = req->credential->token;
		if (req->credential->client_certificate != NULL)
			cert = req->credential->client_certificate;
	}
	headers = soup_message_get_request_headers(req->msg);
	soup_message_headers_replace(headers, "Accept", "application/json");
	if (token != NULL && token[0] != '\0') {
		g_autofree gchar *value = g_strconcat("Bearer ", token, NULL);

		soup_message_headers_replace(headers, "Authorization", value);
		memset(value, 0, strlen(value));
	}
	req->used_client_cert = cert != NULL;
	if (cert != NULL)
		soup_message_set_tls_client_certificate(req->msg, cert);
	if (self->custom_verify)
		g_signal_connect_object(req->msg, "accept-certificate",
					G_CALLBACK(cclm_rest_accept_certificate_cb), self, 0);
	if (req->body != NULL)
		soup_message_set_request_body_from_bytes(req->msg,
							 req->content_type != NULL
							     ? req->content_type
							     : "application/json",
							 req->body);
	soup_session_send_async(self->session, req->msg, G_PRIORITY_DEFAULT,
				g_task_get_cancellable(task), cclm_rest_request_sent_cb,
				g_object_ref(task));
}

static GTask *
cclm_rest_client_new_request(CclmRestClient *self,
			     const gchar *method,
			     const gchar *path,
			     const gchar *content_type,
			     GBytes *body,
			     gboolean want_stream,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	CclmRestRequest *req = g_new0(CclmRestRequest, 1);

	req->method = g_ascii_strup(method, -1);
	req->path = g_strdup(path);
	req->content_type = g_strdup(content_type);
	req->body = body != NULL ? g_bytes_ref(body) : NULL;
	req->want_stream = want_stream;
	req->idempotent = g_str_equal(req->method, "GET") || g_str_equal(req->method, "HEAD");
	g_task_set_task_data(task, req, (GDestroyNotify)cclm_rest_request_free);
	return task;
}

void
cclm_rest_client_request_async(CclmRestClient *self,
			       const gchar *method,
			       const gchar *path,
			       const gchar *content_type,
			       GBytes *body,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(CCLM_IS_REST_CLIENT(self));
	g_return_if_fail(method != NULL && path != NULL && path[0] == '/');
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = cclm_rest_client_new_request(self, method, path, content_type, body, FALSE,
					    cancellable, callback, user_data);
	g_task_set_source_tag(task, cclm_rest_client_request_async);
	cclm_rest_request_attempt(task);
}

JsonNode *
cclm_rest_client_request_finish(CclmRestClient *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

void
cclm_rest_client_send_async(CclmRestClient *self,
			    const gchar *method,
			    const gchar *path,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(CCLM_IS_REST_CLIENT(self));
	g_return_if_fail(method != NULL && path != NULL && path[0] == '/');
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = cclm_rest_client_new_request(self, method, path, NULL, NULL, TRUE, cancellable,
					    callback, user_data);
	g_task_set_source_tag(task, cclm_rest_client_send_async);
	cclm_rest_request_attempt(task);
}

GInputStream *
cclm_rest_client_send_finish(CclmRestClient *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* ---- paged lists ---------------------------------------------------------------------------- */

typedef struct {
	gchar *path;
	guint page_size;
	CclmRestPageFunc page_func;
	gpointer page_data;
	GDestroyNotify page_data_destroy;
	gchar *continue_token;
	gboolean restarted;
} CclmRestList;

static void
cclm_rest_list_free(CclmRestList *list)
{
	g_free(list->path);
	g_free(list->continue_token);
	if (list->page_data_destroy != NULL)
		list->page_data_destroy(list->page_data);
	g_free(list);
}

static void
cclm_rest_list_next(GTask *task);

static void
cclm_rest_list_page_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmRestClient *self = CCLM_REST_CLIENT(source);
	CclmRestList *list = g_task_get_task_data(task);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) empty = NULL;
	JsonObject *root;
	JsonObject *metadata = NULL;
	JsonArray *items = NULL;
	JsonNode *n;
	const gchar *rv = NULL;
	const gchar *cont = NULL;

	node = cclm_rest_client_request_finish(self, res, &error);
	if (node == NULL) {
		/* client-go's pager: an expired continue token means start over. */
		if (g_error_matches(error, CCLM_ERROR, CCLM_ERROR_EXPIRED) &&
		    list->continue_token != NULL && !list->restarted) {
			list->restarted = TRUE;
			g_clear_pointer(&list->continue_token, g_free);
			cclm_rest_list_next(g_steal_pointer(&task));
			return;
		}
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_PARSE,
					"GET %s: the list reply is not an object", list->path);
		return;
	}
	root = json_node_get_object(node);
	n = json_object_get_member(root, "metadata");
	if (n != NULL && JSON_NODE_HOLDS_OBJECT(n))
		metadata = json_node_get_object(n);
	if (metadata != NULL) {
		rv = json_object_get_string_member_with_default(metadata, "resourceVersion", NULL);
		cont = json_object_get_string_member_with_default(metadata, "continue", NULL);
	}
	n = json_object_get_member(root, "items");
	if (n != NULL && JSON_NODE_HOLDS_ARRAY(n)) {
		items = json_node_get_array(n);
	} else if (n != NULL && !JSON_NODE_HOLDS_NULL(n)) {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_PARSE,
					"GET %s: items: not an array", list->path);
		return;
	} else {
		items = empty = json_array_new();
	}
	if (!list->page_func(items, rv, list->page_data, &error)) {
		if (error == NULL)
			error = g_error_new(CCLM_ERROR, CCLM_ERROR_FAILED, "GET %s: list stopped",
					    list->path);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (cont != NULL && cont[0] != '\0') {
		g_free(list->continue_token);
		list->continue_token = g_strdup(cont);
		cclm_rest_list_next(g_steal_pointer(&task));
		return;
	}
	g_task_return_pointer(task, g_strdup(rv), g_free);
}

static void
cclm_rest_list_next(GTask *task)
{
	CclmRestList *list = g_task_get_task_data(task);
	GString *path = g_string_new(list->path);
	g_autofree gchar *query = NULL;

	g_string_append_c(path, strchr(list->path, '?') != NULL ? '&' : '?');
	g_string_append_printf(path, "limit=%u", list->page_size);
	if (list->continue_token != NULL) {
		g_autofree gchar *escaped = g_uri_escape_string(list->continue_token, NULL, FALSE);

		g_string_append_printf(path, "&continue=%s", escaped);
	}
	query = g_string_free(path, FALSE);
	cclm_rest_client_request_async(g_task_get_source_object(task), "GET", query, NULL, NULL,
				       g_task_get_cancellable(task), cclm_rest_list_page_cb, task);
}

void
cclm_rest_client_list_async(CclmRestClient *self,
			    const gchar *path,
			    guint page_size,
			    CclmRestPageFunc page_func,
			    gpointer page_data,
			    GDestroyNotify page_data_destroy,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	GTask *task;
	CclmRestList *list;

	g_return_if_fail(CCLM_IS_REST_CLIENT(self));
	g_return_if_fail(path != NULL && path[0] == '/');
	g_return_if_fail(page_func != NULL);

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, cclm_rest_client_list_async);
	list = g_new0(CclmRestList, 1);
	list->path = g_strdup(path);
	list->page_size = page_size > 0 ? page_size : 500;
	list->page_func = page_func;
	list->page_data = page_data;
	list->page_data_destroy = page_data_destroy;
	g_task_set_task_data(task, list, (GDestroyNotify)cclm_rest_list_free);
	cclm_rest_list_next(task);
}

gchar *
cclm_rest_client_list_finish(CclmRestClient *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

CclmWatch *
cclm_rest_client_watch(CclmRestClient *self, const gchar *path, const gchar *resource_version)
{
	g_return_val_if_fail(CCLM_IS_REST_CLIENT(self), NULL);
	g_return_val_if_fail(path != NULL && path[0] == '/', NULL);
	return cclm_watch_new(self, path, resource_version);
}

/* ---- GObject -------------------------------------------------------------------------------- */

static void
cclm_rest_client_finalize(GObject *object)
{
	CclmRestClient *self = CCLM_REST_CLIENT(object);

	g_clear_pointer(&self->config, cclm_rest_config_free);
	g_free(self->server);
	g_free(self->host);
	g_clear_object(&self->session);
	g_clear_pointer(&self->cas, g_ptr_array_unref);
	if (self->file_token != NULL)
		memset(self->file_token, 0, strlen(self->file_token));
	g_free(self->file_token);
	G_OBJECT_CLASS(cclm_rest_client_parent_class)->finalize(object);
}

static void
cclm_rest_client_class_init(CclmRestClientClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = cclm_rest_client_finalize;
}

static void
cclm_rest_client_init(CclmRestClient *self)
{
	/* client-go's rate limit: 5 QPS, burst 10 (rest/config.go). Retries: client-go makes up
	 * to 10, but only when the server sent Retry-After; ours also cover 5xx and resets, so
	 * fewer and shorter ones (at most ~6 s of backoff) keep an unhealthy cluster quick to
	 * report. A Retry-After still wins. */
	cclm_rest_client_set_rate_limit(self, 5, 10);
	cclm_rest_client_set_retry_policy(self, 5, 200, 5000);
	self->max_body = CCLM_REST_MAX_BODY_DEFAULT;
}
