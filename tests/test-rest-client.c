/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "cclm-error-private.h"
#include "cclm-rest-client-private.h"
#include "cclm-test-server.h"

#define PODS "/api/v1/namespaces/default/pods"
#define POD PODS "/p1"
#define POD_JSON "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p1\"}}"

typedef struct {
	CclmTestServer *server;
	CclmRestConfig *config;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	fx->server = cclm_test_server_new(CCLM_TEST_CERT_DIR, &error);
	g_assert_no_error(error);
	fx->config = cclm_test_server_new_config(fx->server);
	cclm_test_server_set_json(fx->server, POD, 200, POD_JSON);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_clear_pointer(&fx->config, cclm_rest_config_free);
	g_clear_object(&fx->server);
	/* let libsoup finish closing connections before the next test */
	while (g_main_context_iteration(NULL, FALSE))
		;
}

/* A client without rate limit and with fast retries, so tests measure behaviour, not waits. */
static CclmRestClient *
fixture_client(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	CclmRestClient *client = cclm_rest_client_new(fx->config, &error);

	g_assert_no_error(error);
	cclm_rest_client_set_rate_limit(client, 0, 1);
	cclm_rest_client_set_retry_policy(client, 3, 5, 20);
	return client;
}

static JsonNode *
do_request(CclmRestClient *client,
	   const gchar *method,
	   const gchar *path,
	   const gchar *body,
	   GCancellable *cancellable,
	   GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new(body, strlen(body)) : NULL;

	cclm_rest_client_request_async(client, method, path, NULL, bytes, cancellable,
				       cclm_test_store_result_cb, &res);
	return cclm_rest_client_request_finish(client, cclm_test_wait_result(&res), error);
}

static JsonNode *
do_get(Fixture *fx, GError **error)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);

	return do_request(client, "GET", POD, NULL, NULL, error);
}

static void
assert_pod(JsonNode *node)
{
	g_assert_nonnull(node);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "kind"), ==,
			"Pod");
}

/* ---- auth ----------------------------------------------------------------------------------- */

static void
test_token(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	cclm_test_server_require_token(fx->server, "s3cret");
	node = do_get(fx, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_UNAUTHORIZED);
	g_assert_cmpuint(cclm_error_get_http_status(error), ==, 401);
	g_assert_cmpstr(cclm_error_get_reason(error), ==, "Unauthorized");
	g_assert_null(strstr(error->message, "s3cret"));
	g_clear_error(&error);

	fx->config->token = g_strdup("wrong");
	node = do_get(fx, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_UNAUTHORIZED);
	g_clear_error(&error);

	g_free(fx->config->token);
	fx->config->token = g_strdup("s3cret");
	node = do_get(fx, &error);
	g_assert_no_error(error);
	assert_pod(node);
}

static void
test_token_file(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(CclmRestClient) client = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("cclm-token-XXXXXX", &error);
	g_autofree gchar *file = g_build_filename(dir, "token", NULL);
	struct utimbuf times = {0, 0};

	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(file, "first\n", -1, &error));
	fx->config->token_file = g_strdup(file);
	cclm_test_server_require_token(fx->server, "first");
	client = fixture_client(fx);
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_no_error(error);
	g_clear_pointer(&node, json_node_unref);

	/* a rotated token (new mtime) is picked up at once */
	g_assert_true(g_file_set_contents(file, "second", -1, &error));
	times.actime = times.modtime = time(NULL) + 10;
	g_assert_cmpint(g_utime(file, &times), ==, 0);
	cclm_test_server_require_token(fx->server, "second");
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_no_error(error);
	assert_pod(node);

	g_unlink(file);
	g_rmdir(dir);
}

static void
test_mtls(Fixture *fx, gconstpointer data)
{
	const gchar *name = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *crt = g_strdup_printf("%s/%s.pem", CCLM_TEST_CERT_DIR, name);
	g_autofree gchar *key = g_strdup_printf("%s/%s-key.pem", CCLM_TEST_CERT_DIR, name);
	g_autofree gchar *want = g_strdup_printf("CN=%s", name);

	cclm_test_server_require_client_cert(fx->server, TRUE);
	node = do_get(fx, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_UNAUTHORIZED);
	g_clear_error(&error);

	fx->config->client_certificate = g_tls_certificate_new_from_files(crt, key, &error);
	g_assert_no_error(error);
	node = do_get(fx, &error);
	g_assert_no_error(error);
	assert_pod(node);
	g_assert_nonnull(strstr(cclm_test_server_get_client_subject(fx->server), want));
}

static void
test_mtls_foreign(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	fx->config->client_certificate =
	    g_tls_certificate_new_from_files(CCLM_TEST_CERT_DIR "/client-foreign.pem",
					     CCLM_TEST_CERT_DIR "/client-foreign-key.pem", &error);
	g_assert_no_error(error);
	node = do_get(fx, &error);
	g_assert_null(node);
	/* TLS 1.3 reports a refused client certificate as a reset connection */
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_TLS);
	g_assert_nonnull(strstr(error->message, cclm_test_server_get_url(fx->server)));
}

static void
test_tls_untrusted(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	gchar *pem = NULL;
	gsize len = 0;

	/* the system's CAs do not know the test CA */
	g_clear_pointer(&fx->config->ca_pem, g_bytes_unref);
	node = do_get(fx, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_TLS);
	g_assert_nonnull(strstr(error->message, cclm_test_server_get_url(fx->server)));
	g_clear_error(&error);

	/* nor does another CA */
	g_assert_true(g_file_get_contents(CCLM_TEST_CERT_DIR "/foreign-ca.pem", &pem, &len, NULL));
	fx->config->ca_pem = g_bytes_new_take(pem, len);
	node = do_get(fx, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_TLS);
	g_assert_cmpuint(cclm_test_server_count_requests(fx->server, POD), ==, 0);
}

static void
test_tls_bad_ca(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmRestClient) client = NULL;

	g_clear_pointer(&fx->config->ca_pem, g_bytes_unref);
	fx->config->ca_pem = g_bytes_new_static("not a certificate", 17);
	client = cclm_rest_client_new(fx->config, &error);
	g_assert_null(client);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_TLS);
}

static void
test_tls_server_name(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	fx->config->tls_server_name = g_strdup("kube.test");
	node = do_get(fx, &error);
	g_assert_no_error(error);
	assert_pod(node);

	g_free(fx->config->tls_server_name);
	fx->config->tls_server_name = g_strdup("other.test");
	g_clear_pointer(&node, json_node_unref);
	node = do_get(fx, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_TLS);
	g_assert_nonnull(strstr(error->message, "other.test"));
}

static void
test_tls_insecure(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_clear_pointer(&fx->config->ca_pem, g_bytes_unref);
	fx->config->insecure_skip_verify = TRUE;
	node = do_get(fx, &error);
	g_assert_no_error(error);
	assert_pod(node);
}

static void
test_bad_server(Fixture *fx, gconstpointer data)
{
	const gchar *servers[] = {"", "ftp://x", "https://", "not a url"};

	for (guint i = 0; i < G_N_ELEMENTS(servers); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(CclmRestClient) client = NULL;

		g_free(fx->config->server);
		fx->config->server = g_strdup(servers[i]);
		client = cclm_rest_client_new(fx->config, &error);
		g_assert_null(client);
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	}
}

/* An exec plugin running @body in @dir (as dir/plugin.sh). */
static CclmCredentialPlugin *
make_plugin(const gchar *dir, const gchar *body)
{
	g_autofree gchar *script = g_build_filename(dir, "plugin.sh", NULL);
	g_autofree gchar *text = g_strconcat("#!/bin/sh\n", body, NULL);
	g_autofree gchar *json = NULL;
	g_autoptr(JsonNode) exec = NULL;
	g_autoptr(GError) error = NULL;
	CclmCredentialPlugin *plugin;

	g_assert_true(g_file_set_contents(script, text, -1, &error));
	g_assert_cmpint(g_chmod(script, 0700), ==, 0);
	json = g_strdup_printf("{\"apiVersion\":\"client.authentication.k8s.io/v1\","
			       "\"command\":\"%s\",\"interactiveMode\":\"Never\"}",
			       script);
	exec = json_from_string(json, &error);
	g_assert_no_error(error);
	plugin =
	    cclm_credential_plugin_new(json_node_get_object(exec), NULL, "user \"exec\"", &error);
	g_assert_no_error(error);
	return plugin;
}

static guint
plugin_runs(const gchar *dir)
{
	g_autofree gchar *file = g_build_filename(dir, "runs", NULL);
	g_autofree gchar *text = NULL;

	g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
	return (guint)g_ascii_strtoull(text, NULL, 10);
}

static void
test_exec_plugin(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(CclmRestClient) client = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("cclm-exec-XXXXXX", &error);
	g_autofree gchar *runs = g_build_filename(dir, "runs", NULL);
	g_autofree gchar *script = g_build_filename(dir, "plugin.sh", NULL);

	g_autofree gchar *body = g_strdup_printf(
	    /* prints "tok-<run number>", counting its runs in a file beside it */
	    "n=$(cat '%s/runs' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '%s/runs'\n"
	    "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":"
	    "\"ExecCredential\",\"status\":{\"token\":\"tok-%%s\"}}' $n\n",
	    dir, dir);

	g_assert_no_error(error);
	fx->config->exec = make_plugin(dir, body);
	cclm_test_server_require_token(fx->server, "tok-1");
	client = fixture_client(fx);
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_no_error(error);
	assert_pod(node);
	g_clear_pointer(&node, json_node_unref);
	/* cached: no second run */
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(plugin_runs(dir), ==, 1);
	g_clear_pointer(&node, json_node_unref);

	/* the server revokes tok-1: 401, run again, retry once */
	cclm_test_server_require_token(fx->server, "tok-2");
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_no_error(error);
	assert_pod(node);
	g_assert_cmpuint(plugin_runs(dir), ==, 2);
	g_assert_cmpuint(cclm_test_server_count_requests(fx->server, POD), ==, 4);
	g_clear_pointer(&node, json_node_unref);

	/* a credential the server never takes: one re-run, then the 401 */
	cclm_test_server_require_token(fx->server, "never");
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_UNAUTHORIZED);
	g_assert_cmpuint(plugin_runs(dir), ==, 3);
	g_assert_cmpuint(cclm_test_server_count_requests(fx->server, POD), ==, 6);

	g_unlink(runs);
	g_unlink(script);
	g_rmdir(dir);
}

/* A plugin may hand over a client certificate instead of a token. */
static void
test_exec_plugin_cert(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("cclm-exec-XXXXXX", &error);
	g_autofree gchar *out = g_build_filename(dir, "credential.json", NULL);
	g_autofree gchar *script = g_build_filename(dir, "plugin.sh", NULL);
	g_autofree gchar *body = g_strdup_printf("cat '%s'\n", out);
	g_autofree gchar *cert = NULL;
	g_autofree gchar *key = NULL;
	g_autofree gchar *json = NULL;

	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(CCLM_TEST_CERT_DIR "/client-ec.pem", &cert, NULL, NULL));
	g_assert_true(
	    g_file_get_contents(CCLM_TEST_CERT_DIR "/client-ec-key.pem", &key, NULL, NULL));
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "apiVersion");
	json_builder_add_string_value(b, "client.authentication.k8s.io/v1");
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, "ExecCredential");
	json_builder_set_member_name(b, "status");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "clientCertificateData");
	json_builder_add_string_value(b, cert);
	json_builder_set_member_name(b, "clientKeyData");
	json_builder_add_string_value(b, key);
	json_builder_end_object(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json = json_generator_to_data(gen, NULL);
	g_assert_true(g_file_set_contents(out, json, -1, &error));

	fx->config->exec = make_plugin(dir, body);
	cclm_test_server_require_client_cert(fx->server, TRUE);
	node = do_get(fx, &error);
	g_assert_no_error(error);
	assert_pod(node);
	g_assert_nonnull(strstr(cclm_test_server_get_client_subject(fx->server), "CN=client-ec"));

	g_unlink(out);
	g_unlink(script);
	g_rmdir(dir);
}

/* A server nobody listens on: a network error naming it, at once (refusals are not retried). */
static void
test_unreachable(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(CclmRestClient) client = NULL;
	gint64 start = g_get_monotonic_time();

	g_free(fx->config->server);
	fx->config->server = g_strdup("https://127.0.0.1:1");
	client = cclm_rest_client_new(fx->config, &error);
	g_assert_no_error(error);
	/* a single retry would wait at least 5 s */
	cclm_rest_client_set_retry_policy(client, 5, 10000, 10000);
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NETWORK);
	g_assert_nonnull(strstr(error->message, "https://127.0.0.1:1"));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
}

/* A proxy from the environment is never used for a loopback server. */
static void
test_no_proxy_loopback(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *saved = g_strdup(g_getenv("no_proxy"));

	/* port 9 (discard) on loopback: nothing listens, any proxied request fails */
	g_setenv("https_proxy", "http://127.0.0.1:9", TRUE);
	g_setenv("no_proxy", "", TRUE);
	node = do_get(fx, &error);
	g_setenv("https_proxy", "", TRUE);
	g_setenv("no_proxy", saved != NULL ? saved : "", TRUE);
	g_assert_no_error(error);
	assert_pod(node);
}

/* ---- errors --------------------------------------------------------------------------------- */

static void
test_status_reasons(Fixture *fx, gconstpointer data)
{
	static const struct {
		const gchar *reason;
		guint code;
		gint error;
	} cases[] = {
	    {"Unauthorized", 401, CCLM_ERROR_UNAUTHORIZED},
	    {"Forbidden", 403, CCLM_ERROR_FORBIDDEN},
	    {"NotFound", 404, CCLM_ERROR_NOT_FOUND},
	    {"AlreadyExists", 409, CCLM_ERROR_ALREADY_EXISTS},
	    {"Conflict", 409, CCLM_ERROR_CONFLICT},
	    {"Gone", 410, CCLM_ERROR_EXPIRED},
	    {"Expired", 410, CCLM_ERROR_EXPIRED},
	    {"Invalid", 422, CCLM_ERROR_INVALID},
	    {"BadRequest", 400, CCLM_ERROR_BAD_REQUEST},
	    {"MethodNotAllowed", 405, CCLM_ERROR_UNSUPPORTED},
	    {"NotAcceptable", 406, CCLM_ERROR_UNSUPPORTED},
	    {"UnsupportedMediaType", 415, CCLM_ERROR_UNSUPPORTED},
	    {"TooManyRequests", 429, CCLM_ERROR_RATE_LIMITED},
	    {"InternalError", 500, CCLM_ERROR_SERVER},
	    {"ServerTimeout", 500, CCLM_ERROR_SERVER},
	    {"ServiceUnavailable", 503, CCLM_ERROR_SERVER},
	    {"Timeout", 504, CCLM_ERROR_TIMEOUT},
	};
	g_autoptr(CclmRestClient) client = fixture_client(fx);

	cclm_rest_client_set_retry_policy(client, 0, 1, 1);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = NULL;
		g_autofree gchar *message = g_strdup_printf("server says %s", cases[i].reason);

		cclm_test_server_push_status(fx->server, POD, cases[i].code, cases[i].reason,
					     message);
		/* GET: libsoup opens a new connection for every POST, and 17 TLS handshakes
		 * make this slow under ASan */
		node = do_request(client, "GET", POD, NULL, NULL, &error);
		g_assert_null(node);
		g_assert_error(error, CCLM_ERROR, cases[i].error);
		g_assert_cmpuint(cclm_error_get_http_status(error), ==, cases[i].code);
		g_assert_cmpstr(cclm_error_get_reason(error), ==, cases[i].reason);
		g_assert_nonnull(strstr(error->message, message));
		g_assert_nonnull(strstr(error->message, "GET " POD));
	}
}

static void
test_status_plain(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	cclm_rest_client_set_retry_policy(client, 0, 1, 1);
	/* API priority and fairness answers in plain text */
	cclm_test_server_push_reply(fx->server, POD, 429, 0, "text/plain", "Too many requests");
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_RATE_LIMITED);
	g_assert_cmpuint(cclm_error_get_http_status(error), ==, 429);
	g_assert_cmpstr(cclm_error_get_reason(error), ==, "TooManyRequests");
	g_assert_nonnull(strstr(error->message, "too many requests"));
	g_clear_error(&error);

	node = do_request(client, "GET", "/no/such/thing", NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND);
}

static void
test_parse_errors(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *huge = NULL;
	GString *s = g_string_new("[");

	cclm_test_server_push_reply(fx->server, POD, 200, 0, "application/json", "{\"kind\": [");
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_clear_error(&error);

	cclm_test_server_push_reply(fx->server, POD, 200, 0, "application/json", "");
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_clear_error(&error);

	/* a body cut mid-way on every attempt */
	cclm_rest_client_set_retry_policy(client, 1, 1, 1);
	for (guint i = 0; i < 2; i++)
		cclm_test_server_push_truncated(fx->server, POD, "{\"kind\":\"Pod\",\"x\":1}", 8);
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_assert_nonnull(strstr(error->message, "truncated"));
	g_clear_error(&error);

	while (s->len < 2 * 1024 * 1024)
		g_string_append(s, "\"0123456789abcdef0123456789abcdef\",");
	g_string_append(s, "0]");
	huge = g_string_free(s, FALSE);
	cclm_rest_client_set_max_body_size(client, 1024 * 1024);
	cclm_test_server_push_reply(fx->server, POD, 200, 0, "application/json", huge);
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_assert_nonnull(strstr(error->message, "larger than"));
}

/* ---- retries -------------------------------------------------------------------------------- */

static void
test_retry_get(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	cclm_test_server_push_status(fx->server, POD, 503, "ServiceUnavailable", "busy");
	cclm_test_server_push_reply(fx->server, POD, 429, 0, "text/plain", "slow down");
	cclm_test_server_push_truncated(fx->server, POD, "{\"kind\":\"Pod\"}", 4);
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_no_error(error);
	assert_pod(node);
	g_assert_cmpuint(cclm_test_server_count_requests(fx->server, POD), ==, 4);

	/* bounded */
	for (guint i = 0; i < 10; i++)
		cclm_test_server_push_status(fx->server, PODS, 500, "InternalError", "broken");
	g_clear_pointer(&node, json_node_unref);
	node = do_request(client, "GET", PODS, NULL, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_SERVER);
	g_assert_cmpuint(cclm_test_server_count_requests(fx->server, PODS), ==, 4);
}

static void
test_retry_post(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	/* a plain 503 may have been acted on: never repeated */
	cclm_test_server_push_status(fx->server, POD, 503, "ServiceUnavailable", "busy");
	node = do_request(client, "POST", POD, "{}", NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_SERVER);
	g_assert_cmpuint(cclm_test_server_count_requests(fx->server, POD), ==, 1);
	g_clear_error(&error);

	/* 429 means the server did not act */
	cclm_test_server_push_status(fx->server, POD, 429, "TooManyRequests", "slow down");
	node = do_request(client, "POST", POD, "{}", NULL, &error);
	g_assert_no_error(error);
	assert_pod(node);
	g_assert_cmpuint(cclm_test_server_count_requests(fx->server, POD), ==, 3);
}

static void
test_retry_after(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	const CclmTestRequest *first;
	const CclmTestRequest *second;

	/* a 503 with Retry-After is safe to repeat, even for a POST, and not before 1 s */
	cclm_test_server_push_reply(fx->server, POD, 503, 1, "text/plain", "later");
	node = do_request(client, "POST", POD, "{}", NULL, &error);
	g_assert_no_error(error);
	assert_pod(node);
	first = cclm_test_server_get_request(fx->server, POD, 0);
	second = cclm_test_server_get_request(fx->server, POD, 1);
	g_assert_nonnull(second);
	g_assert_cmpint(second->time - first->time, >=, G_USEC_PER_SEC);
}

static void
test_retry_after_details(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	const CclmTestRequest *first;
	const CclmTestRequest *second;

	cclm_test_server_push_reply(fx->server, POD, 429, 0, "application/json",
				    "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":"
				    "\"TooManyRequests\",\"code\":429,\"message\":\"wait\","
				    "\"details\":{\"retryAfterSeconds\":1}}");
	node = do_request(client, "GET", POD, NULL, NULL, &error);
	g_assert_no_error(error);
	first = cclm_test_server_get_request(fx->server, POD, 0);
	second = cclm_test_server_get_request(fx->server, POD, 1);
	g_assert_cmpint(second->time - first->time, >=, G_USEC_PER_SEC);
}

typedef struct {
	guint done;
	GError *error;
} Counter;

static void
count_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Counter *counter = user_data;
	g_autoptr(JsonNode) node = NULL;

	node = cclm_rest_client_request_finish(CCLM_REST_CLIENT(source), res,
					       counter->error == NULL ? &counter->error : NULL);
	counter->done++;
}

static gboolean
counter_done(gpointer data)
{
	return ((Counter *)data)->done == 12;
}

static void
test_rate_limit(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	Counter counter = {0, NULL};
	GPtrArray *reqs = cclm_test_server_get_requests(fx->server);
	gint64 start;
	gint64 span;

	/* 12 requests at 20 QPS with burst 2: the last 10 wait 50 ms each */
	cclm_rest_client_set_rate_limit(client, 20, 2);
	start = g_get_monotonic_time();
	for (guint i = 0; i < 12; i++)
		cclm_rest_client_request_async(client, "GET", POD, NULL, NULL, NULL, count_cb,
					       &counter);
	cclm_test_wait_until(counter_done, &counter, 30);
	g_assert_no_error(counter.error);
	g_assert_cmpuint(reqs->len, ==, 12);
	/* the 12th cannot reach the server before its slot, 500 ms on */
	span = ((CclmTestRequest *)reqs->pdata[11])->time - start;
	g_assert_cmpint(span, >=, 500 * 1000);
}

/* ---- cancellation --------------------------------------------------------------------------- */

static void
hang_handler(CclmTestServer *server,
	     SoupServerMessage *msg,
	     const gchar *path,
	     GHashTable *query,
	     gpointer user_data)
{
	soup_server_message_pause(msg);
}

typedef struct {
	CclmTestServer *server;
	const gchar *path;
	guint count;
} RequestCount;

static gboolean
request_count_reached(gpointer data)
{
	RequestCount *rc = data;

	return cclm_test_server_count_requests(rc->server, rc->path) >= rc->count;
}

static void
cancel_after_request(Fixture *fx, CclmRestClient *client, const gchar *path)
{
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	RequestCount rc = {fx->server, path, 1};
	gint64 start;

	cclm_rest_client_request_async(client, "GET", path, NULL, NULL, cancellable,
				       cclm_test_store_result_cb, &res);
	cclm_test_wait_until(request_count_reached, &rc, 30);
	start = g_get_monotonic_time();
	g_cancellable_cancel(cancellable);
	node = cclm_rest_client_request_finish(client, cclm_test_wait_result(&res), &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_cancel(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);

	/* mid-request: the server never answers */
	cclm_test_server_set_handler(fx->server, "/hang", hang_handler, NULL, NULL);
	cancel_after_request(fx, client, "/hang");

	/* mid-backoff: the server asked for 60 s */
	cclm_rest_client_set_retry_policy(client, 3, 1000, 1000);
	cclm_test_server_push_reply(fx->server, POD, 503, 60, "text/plain", "later");
	cancel_after_request(fx, client, POD);
	g_assert_cmpuint(cclm_test_server_count_requests(fx->server, POD), ==, 1);
}

/* ---- streaming ------------------------------------------------------------------------------ */

static void
test_send_stream(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GAsyncResult) res2 = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
	g_autoptr(GBytes) bytes = NULL;

	cclm_rest_client_send_async(client, "GET", POD, NULL, cclm_test_store_result_cb, &res);
	stream = cclm_rest_client_send_finish(client, cclm_test_wait_result(&res), &error);
	g_assert_no_error(error);
	g_output_stream_splice(out, stream,
			       G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
				   G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
			       NULL, &error);
	g_assert_no_error(error);
	bytes = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), POD_JSON,
			strlen(POD_JSON));

	/* errors come before any stream */
	cclm_test_server_push_status(fx->server, POD, 403, "Forbidden", "no");
	cclm_rest_client_send_async(client, "GET", POD, NULL, cclm_test_store_result_cb, &res2);
	g_clear_object(&stream);
	stream = cclm_rest_client_send_finish(client, cclm_test_wait_result(&res2), &error);
	g_assert_null(stream);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_FORBIDDEN);
}

/* ---- paged lists ---------------------------------------------------------------------------- */

typedef struct {
	GHashTable *seen; /* name → count */
	guint pages;
	guint items;
	guint limit;
	CclmTestServer *server; /* expire continue tokens after page @expire_after */
	guint expire_after;
	guint expire_times;
} ListState;

static gboolean
list_page_cb(JsonArray *items, const gchar *rv, gpointer user_data, GError **error)
{
	ListState *st = user_data;
	guint n = json_array_get_length(items);

	g_assert_cmpuint(n, <=, st->limit);
	g_assert_nonnull(rv);
	st->pages++;
	st->items += n;
	for (guint i = 0; i < n; i++) {
		JsonObject *md =
		    json_object_get_object_member(json_array_get_object_element(items, i),
						  "metadata");
		const gchar *name = json_object_get_string_member(md, "name");

		g_hash_table_insert(st->seen, g_strdup(name),
				    GUINT_TO_POINTER(
					GPOINTER_TO_UINT(g_hash_table_lookup(st->seen, name)) + 1));
	}
	if (st->expire_times > 0 && st->pages >= st->expire_after) {
		st->expire_times--;
		cclm_test_server_expire_continue(st->server, PODS);
	}
	return TRUE;
}

static gchar *
do_list(CclmRestClient *client, ListState *st, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	cclm_rest_client_list_async(client, PODS, st->limit, list_page_cb, st, NULL, NULL,
				    cclm_test_store_result_cb, &res);
	return cclm_rest_client_list_finish(client, cclm_test_wait_result(&res), error);
}

static void
test_list_paging(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rv = NULL;
	g_autofree gchar *want_rv = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ListState st = {seen, 0, 0, 100, NULL, 0, 0};
	GHashTableIter iter;
	gpointer count;

	cclm_test_server_add_collection(fx->server, PODS, 2345);
	rv = do_list(client, &st, &error);
	g_assert_no_error(error);
	want_rv = g_strdup_printf("%" G_GUINT64_FORMAT,
				  cclm_test_server_get_resource_version(fx->server));
	g_assert_cmpstr(rv, ==, want_rv);
	g_assert_cmpuint(st.pages, ==, 24);
	g_assert_cmpuint(st.items, ==, 2345);
	g_assert_cmpuint(g_hash_table_size(seen), ==, 2345);
	g_hash_table_iter_init(&iter, seen);
	while (g_hash_table_iter_next(&iter, NULL, &count))
		g_assert_cmpuint(GPOINTER_TO_UINT(count), ==, 1);
	g_assert_cmpuint(cclm_test_server_get_list_page_count(fx->server, PODS), ==, 24);
}

static void
test_list_expired(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rv = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ListState st = {seen, 0, 0, 100, fx->server, 2, 1};

	cclm_test_server_add_collection(fx->server, PODS, 250);
	/* page 2's token expires: the list starts over, and completes */
	rv = do_list(client, &st, &error);
	g_assert_no_error(error);
	g_assert_nonnull(rv);
	g_assert_cmpuint(st.pages, ==, 2 + 3);
	g_assert_cmpuint(g_hash_table_size(seen), ==, 250);

	/* only once: a second expiry is an error */
	g_clear_pointer(&rv, g_free);
	g_hash_table_remove_all(seen);
	st.pages = 0;
	st.expire_after = 1;
	st.expire_times = 2;
	rv = do_list(client, &st, &error);
	g_assert_null(rv);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_EXPIRED);
	g_assert_cmpuint(cclm_error_get_http_status(error), ==, 410);
}

static gboolean
stop_page_cb(JsonArray *items, const gchar *rv, gpointer user_data, GError **error)
{
	g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_FAILED, "enough");
	return FALSE;
}

static void
test_list_stop(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmRestClient) client = fixture_client(fx);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rv = NULL;

	cclm_test_server_add_collection(fx->server, PODS, 30);
	cclm_rest_client_list_async(client, PODS, 10, stop_page_cb, NULL, NULL, NULL,
				    cclm_test_store_result_cb, &res);
	rv = cclm_rest_client_list_finish(client, cclm_test_wait_result(&res), &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_FAILED);
	g_assert_cmpuint(cclm_test_server_get_list_page_count(fx->server, PODS), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, func, data) g_test_add(path, Fixture, data, fixture_setup, func, fixture_teardown)
	ADD("/rest/auth/token", test_token, NULL);
	ADD("/rest/auth/token-file", test_token_file, NULL);
	ADD("/rest/auth/mtls/rsa-pkcs1", test_mtls, "client-rsa");
	ADD("/rest/auth/mtls/rsa-pkcs8", test_mtls, "client-pkcs8");
	ADD("/rest/auth/mtls/ec", test_mtls, "client-ec");
	ADD("/rest/auth/mtls/foreign", test_mtls_foreign, NULL);
	ADD("/rest/auth/exec-plugin", test_exec_plugin, NULL);
	ADD("/rest/auth/exec-plugin-cert", test_exec_plugin_cert, NULL);
	ADD("/rest/tls/untrusted", test_tls_untrusted, NULL);
	ADD("/rest/tls/bad-ca", test_tls_bad_ca, NULL);
	ADD("/rest/tls/server-name", test_tls_server_name, NULL);
	ADD("/rest/tls/insecure", test_tls_insecure, NULL);
	ADD("/rest/config/bad-server", test_bad_server, NULL);
	ADD("/rest/config/unreachable", test_unreachable, NULL);
	ADD("/rest/config/no-proxy-loopback", test_no_proxy_loopback, NULL);
	ADD("/rest/errors/status-reasons", test_status_reasons, NULL);
	ADD("/rest/errors/non-status", test_status_plain, NULL);
	ADD("/rest/errors/parse", test_parse_errors, NULL);
	ADD("/rest/retry/get", test_retry_get, NULL);
	ADD("/rest/retry/post", test_retry_post, NULL);
	ADD("/rest/retry/retry-after", test_retry_after, NULL);
	ADD("/rest/retry/retry-after-seconds", test_retry_after_details, NULL);
	ADD("/rest/rate-limit", test_rate_limit, NULL);
	ADD("/rest/cancel", test_cancel, NULL);
	ADD("/rest/send/stream", test_send_stream, NULL);
	ADD("/rest/list/paging", test_list_paging, NULL);
	ADD("/rest/list/expired-continue", test_list_expired, NULL);
	ADD("/rest/list/stop", test_list_stop, NULL);
#undef ADD
	return g_test_run();
}
