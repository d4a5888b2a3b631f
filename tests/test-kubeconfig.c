/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cclm-error.h"
#include "cclm-rest-config-private.h"

/* Certificates and keys made once by openssl, shared by every test. */
static gchar *certs_dir;

typedef struct {
	gchar *dir; /* a fresh temporary directory */
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	fx->dir = g_dir_make_tmp("cclm-kubeconfig-XXXXXX", &error);
	g_assert_no_error(error);
}

static void
rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			rm_rf(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	rm_rf(fx->dir);
	g_free(fx->dir);
}

static gchar *
write_file(const gchar *dir, const gchar *name, const gchar *contents, gint mode)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(dir, name, NULL);
	g_autofree gchar *parent = g_path_get_dirname(path);

	g_assert_cmpint(g_mkdir_with_parents(parent, 0700), ==, 0);
	g_file_set_contents(path, contents, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_chmod(path, mode), ==, 0);
	return path;
}

static gchar *
read_file(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;

	g_file_get_contents(path, &contents, NULL, &error);
	g_assert_no_error(error);
	return contents;
}

static gchar *
cert_path(const gchar *name)
{
	return g_build_filename(certs_dir, name, NULL);
}

static gchar *
cert_contents(const gchar *name)
{
	g_autofree gchar *path = cert_path(name);

	return read_file(path);
}

static void
run_openssl(const gchar *script)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *err = NULL;
	const gchar *argv[] = {"/bin/sh", "-ec", script, NULL};
	gint status = 0;

	g_spawn_sync(certs_dir, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
		     &status, &error);
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("openssl failed: %s", err);
}

/* A CA, and client certificates with PKCS#1 RSA, PKCS#8 RSA and SEC1 EC keys. */
static void
make_certs(void)
{
	g_autoptr(GError) error = NULL;

	certs_dir = g_dir_make_tmp("cclm-kubeconfig-certs-XXXXXX", &error);
	g_assert_no_error(error);
	run_openssl(
	    "openssl ecparam -genkey -name prime256v1 -noout -out ca.key\n"
	    "openssl req -x509 -key ca.key -out ca.crt -subj /CN=cclm-test-ca -days 2\n"
	    "openssl genrsa -traditional -out rsa1.key 2048 2>/dev/null\n"
	    "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa8.key\n"
	    "openssl ecparam -genkey -name prime256v1 -noout -out ec.key\n"
	    "for k in rsa1 rsa8 ec; do\n"
	    "  openssl req -new -key $k.key -subj /O=system:masters/CN=$k -out $k.csr\n"
	    "  openssl x509 -req -in $k.csr -CA ca.crt -CAkey ca.key -CAcreateserial \\\n"
	    "    -days 2 -out $k.crt 2>/dev/null\n"
	    "done\n");
}

static void
store_result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(res);
}

/*
 * Exec credential plugins
 */

static CclmCredentialPlugin *
plugin_new(const gchar *exec_json, const gchar *cluster_json, GError **error)
{
	g_autoptr(JsonNode) exec = json_from_string(exec_json, NULL);
	g_autoptr(JsonNode) cluster = cluster_json != NULL ? json_from_string(cluster_json, NULL)
							    : NULL;

	g_assert_nonnull(exec);
	return cclm_credential_plugin_new(json_node_get_object(exec),
					  cluster != NULL ? json_node_get_object(cluster) : NULL,
					  "user \"alice\"", error);
}

/* A plugin: a shell script that counts its runs in "runs" next to itself. */
static CclmCredentialPlugin *
plugin_new_script(Fixture *fx, const gchar *api_version, const gchar *body)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *script = g_strdup_printf("#!/bin/sh\n"
						   "cd \"$(dirname \"$0\")\"\n"
						   "echo run >> runs\n"
						   "n=$(wc -l < runs)\n"
						   "%s\n",
						   body);
	g_autofree gchar *path = write_file(fx->dir, "plugin", script, 0755);
	g_autofree gchar *json = g_strdup_printf(
	    "{\"apiVersion\": \"client.authentication.k8s.io/%s\", \"command\": \"%s\", "
	    "\"interactiveMode\": \"Never\"}",
	    api_version, path);
	CclmCredentialPlugin *plugin = plugin_new(json, NULL, &error);

	g_assert_no_error(error);
	return plugin;
}

static guint
plugin_runs(Fixture *fx)
{
	g_autofree gchar *path = g_build_filename(fx->dir, "runs", NULL);
	g_autofree gchar *contents = NULL;
	guint runs = 0;

	if (!g_file_get_contents(path, &contents, NULL, NULL))
		return 0;
	for (const gchar *p = contents; *p != '\0'; p++)
		runs += *p == '\n';
	return runs;
}

static CclmCredential *
plugin_get(CclmCredentialPlugin *plugin, GCancellable *cancellable, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	cclm_credential_plugin_get_async(plugin, cancellable, store_result_cb, &res);
	while (res == NULL)
		g_main_context_iteration(NULL, TRUE);
	return cclm_credential_plugin_get_finish(plugin, res, error);
}

static gchar *
plugin_get_token(CclmCredentialPlugin *plugin)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredential) credential = plugin_get(plugin, NULL, &error);

	g_assert_no_error(error);
	g_assert_nonnull(credential);
	return g_strdup(credential->token);
}

#define TOKEN_OUTPUT(version, status)                                                         \
	"printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"                                  \
	"\"client.authentication.k8s.io/" version "\",\"status\":{" status "}}'"

static void
test_plugin_token(Fixture *fx, gconstpointer data)
{
	const gchar *version = data;
	g_autofree gchar *body = g_strdup_printf(
	    "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
	    "\"client.authentication.k8s.io/%s\",\"status\":{\"token\":\"tok-%%s\"}}' $n",
	    version);
	g_autoptr(CclmCredentialPlugin) plugin = plugin_new_script(fx, version, body);
	g_autofree gchar *first = plugin_get_token(plugin);
	g_autofree gchar *second = plugin_get_token(plugin);
	g_autofree gchar *third = NULL;

	/* no expiry: cached until invalidated */
	g_assert_cmpstr(first, ==, "tok-1");
	g_assert_cmpstr(second, ==, "tok-1");
	g_assert_cmpuint(plugin_runs(fx), ==, 1);
	cclm_credential_plugin_invalidate(plugin);
	third = plugin_get_token(plugin);
	g_assert_cmpstr(third, ==, "tok-2");
	g_assert_cmpuint(plugin_runs(fx), ==, 2);
}

static void
test_plugin_certificate(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *crt = cert_path("ec.crt");
	g_autofree gchar *key = cert_path("ec.key");
	g_autofree gchar *body = g_strdup_printf(
	    "pem() { awk '{printf \"%%s\\\\n\", $0}' \"$1\"; }\n"
	    "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
	    "\"client.authentication.k8s.io/v1\",\"status\":{\"clientCertificateData\":\"%%s\","
	    "\"clientKeyData\":\"%%s\",\"expirationTimestamp\":\"2099-01-02T03:04:05Z\"}}' "
	    "\"$(pem %s)\" \"$(pem %s)\"",
	    crt, key);
	g_autoptr(CclmCredentialPlugin) plugin = plugin_new_script(fx, "v1", body);
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredential) credential = plugin_get(plugin, NULL, &error);
	g_autoptr(GTlsCertificate) expected = NULL;
	g_autofree gchar *expiry = NULL;

	g_assert_no_error(error);
	g_assert_null(credential->token);
	g_assert_nonnull(credential->client_certificate);
	expected = g_tls_certificate_new_from_file(crt, &error);
	g_assert_no_error(error);
	g_assert_true(g_tls_certificate_is_same(credential->client_certificate, expected));
	g_assert_nonnull(credential->expiry);
	expiry = g_date_time_format_iso8601(credential->expiry);
	g_assert_cmpstr(expiry, ==, "2099-01-02T03:04:05Z");
}

static void
test_plugin_expired(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCredentialPlugin) plugin = plugin_new_script(
	    fx, "v1",
	    TOKEN_OUTPUT("v1", "\"token\":\"t\",\"expirationTimestamp\":\"2001-01-01T00:00:00Z\""));
	g_autofree gchar *first = plugin_get_token(plugin);
	g_autofree gchar *second = plugin_get_token(plugin);

	/* an expired credential still serves the request it was made for, but no other */
	g_assert_cmpstr(first, ==, "t");
	g_assert_cmpstr(second, ==, "t");
	g_assert_cmpuint(plugin_runs(fx), ==, 2);
}

static void
test_plugin_expiry(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCredentialPlugin) plugin = plugin_new_script(
	    fx, "v1beta1",
	    "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
	    "\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"t%s\","
	    "\"expirationTimestamp\":\"%s\"}}' $n \"$(date -u -d '+2 seconds' "
	    "+%Y-%m-%dT%H:%M:%SZ)\"");
	g_autofree gchar *first = plugin_get_token(plugin);
	g_autofree gchar *second = plugin_get_token(plugin);
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	g_assert_cmpstr(first, ==, "t1");
	/* valid for at least one more second: cached */
	g_assert_cmpstr(second, ==, "t1");
	g_assert_cmpuint(plugin_runs(fx), ==, 1);
	while (plugin_runs(fx) == 1) {
		g_autofree gchar *token = plugin_get_token(plugin);

		if (plugin_runs(fx) == 1) {
			g_assert_cmpstr(token, ==, "t1");
			g_assert_cmpint(g_get_monotonic_time(), <, deadline);
			g_usleep(G_USEC_PER_SEC / 20);
		} else {
			g_assert_cmpstr(token, ==, "t2");
		}
	}
}

static void
test_plugin_concurrent(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new_script(fx, "v1", "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
					"\"client.authentication.k8s.io/v1\",\"status\":{"
					"\"token\":\"t%s\"}}' $n");
	GAsyncResult *res[4] = {NULL};

	for (guint i = 0; i < G_N_ELEMENTS(res); i++)
		cclm_credential_plugin_get_async(plugin, NULL, store_result_cb, &res[i]);
	for (guint i = 0; i < G_N_ELEMENTS(res); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(CclmCredential) credential = NULL;

		while (res[i] == NULL)
			g_main_context_iteration(NULL, TRUE);
		credential = cclm_credential_plugin_get_finish(plugin, res[i], &error);
		g_assert_no_error(error);
		g_assert_cmpstr(credential->token, ==, "t1");
		g_clear_object(&res[i]);
	}
	g_assert_cmpuint(plugin_runs(fx), ==, 1);
}

static void
test_plugin_exec_info(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *script = write_file(
	    fx->dir, "plugin",
	    "#!/bin/sh\n"
	    "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info\"\n"
	    "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
	    "\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"%s-%s\"}}' \"$FOO\" \"$2\"\n",
	    0755);
	g_autofree gchar *json = g_strdup_printf(
	    "{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"command\": \"%s\", "
	    "\"args\": [\"a\", \"b c\"], \"env\": [{\"name\": \"FOO\", \"value\": \"bar\"}], "
	    "\"provideClusterInfo\": true, \"interactiveMode\": \"IfAvailable\"}",
	    script);
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredentialPlugin) plugin = plugin_new(
	    json, "{\"server\": \"https://127.0.0.1:6443\", \"config\": {\"x\": 1}}", &error);
	g_autofree gchar *token = NULL;
	g_autofree gchar *info_path = g_build_filename(fx->dir, "info", NULL);
	g_autofree gchar *info = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *spec;

	g_assert_no_error(error);
	token = plugin_get_token(plugin);
	g_assert_cmpstr(token, ==, "bar-b c");
	info = read_file(info_path);
	node = json_from_string(info, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "kind"), ==,
			"ExecCredential");
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "apiVersion"),
			==, "client.authentication.k8s.io/v1");
	spec = json_object_get_object_member(json_node_get_object(node), "spec");
	g_assert_false(json_object_get_boolean_member(spec, "interactive"));
	g_assert_cmpstr(json_object_get_string_member(
			    json_object_get_object_member(spec, "cluster"), "server"),
			==, "https://127.0.0.1:6443");
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(
			    json_object_get_object_member(spec, "cluster"), "config"),
						   "x"),
			==, 1);
}

/* A plugin that fails or prints what is not a credential gives an error with its stderr. */
static void
test_plugin_errors(Fixture *fx, gconstpointer data)
{
	static const struct {
		const gchar *body;
		const gchar *message;
	} cases[] = {
	    {"echo '  no credentials for you  ' >&2; exit 3",
	     "exited with status 3: no credentials for you"},
	    {"echo garbage; echo oops >&2", "decoding stdout"},
	    {"true", "printed nothing on stdout"},
	    {"echo '[1]'", "not a JSON object"},
	    {"echo '{\"kind\":\"ExecCredential\"}'",
	     "configured to use API version client.authentication.k8s.io/v1, plugin returned "
	     "version (none)"},
	    {TOKEN_OUTPUT("v1beta1", "\"token\":\"t\""), "plugin returned version "
							 "client.authentication.k8s.io/v1beta1"},
	    {"echo '{\"kind\":\"ExecCredential\",\"apiVersion\":"
	     "\"client.authentication.k8s.io/v1\"}'",
	     "didn't return a status field"},
	    {TOKEN_OUTPUT("v1", ""), "didn't return a token or cert/key pair"},
	    {TOKEN_OUTPUT("v1", "\"clientKeyData\":\"x\""), "only certificate or key"},
	    {TOKEN_OUTPUT("v1", "\"clientKeyData\":\"x\",\"clientCertificateData\":\"y\""),
	     "failed parsing client key/certificate"},
	    {TOKEN_OUTPUT("v1", "\"token\":\"t\",\"expirationTimestamp\":\"tomorrow\""),
	     "\"tomorrow\" is not an RFC 3339 time"},
	    {"kill -9 $$", "killed by signal 9"},
	    {"yes | head -c 2000000", "printed more than 1048576 bytes"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(CclmCredentialPlugin) plugin =
		    plugin_new_script(fx, "v1", cases[i].body);
		g_autoptr(GError) error = NULL;
		g_autoptr(CclmCredential) credential = plugin_get(plugin, NULL, &error);

		g_test_message("case %u: %s", i, error != NULL ? error->message : "(none)");
		g_assert_null(credential);
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN);
		g_assert_true(g_str_has_prefix(error->message, "user \"alice\": exec plugin \""));
		g_assert_nonnull(strstr(error->message, cases[i].message));
	}
}

static void
test_plugin_timeout(Fixture *fx, gconstpointer data)
{
	/* the sleep keeps stdout open after its shell is killed: the run must not wait for it */
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new_script(fx, "v1", "echo 'waiting for the browser' >&2; sleep 5; echo late");
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredential) credential = NULL;

	cclm_credential_plugin_set_timeout(plugin, 300);
	credential = plugin_get(plugin, NULL, &error);
	g_assert_null(credential);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN);
	g_assert_nonnull(strstr(error->message, "did not finish within 300 ms"));
	g_assert_nonnull(strstr(error->message, "waiting for the browser"));
}

static void
test_plugin_cancel(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCredentialPlugin) plugin = plugin_new_script(
	    fx, "v1",
	    "while [ ! -e go ]; do sleep 0.05; done\n" TOKEN_OUTPUT("v1", "\"token\":\"t\""));
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GAsyncResult) res1 = NULL;
	g_autoptr(GAsyncResult) res2 = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredential) credential = NULL;
	g_autofree gchar *go = NULL;

	/* one of two callers gives up: the run goes on for the other */
	cclm_credential_plugin_get_async(plugin, cancellable, store_result_cb, &res1);
	cclm_credential_plugin_get_async(plugin, NULL, store_result_cb, &res2);
	g_cancellable_cancel(cancellable);
	while (res1 == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_null(cclm_credential_plugin_get_finish(plugin, res1, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);
	go = write_file(fx->dir, "go", "", 0644);
	while (res2 == NULL)
		g_main_context_iteration(NULL, TRUE);
	credential = cclm_credential_plugin_get_finish(plugin, res2, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(credential->token, ==, "t");
	g_assert_cmpuint(plugin_runs(fx), ==, 1);
}

static void
test_plugin_cancel_all(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new_script(fx, "v1",
			      "if [ $n = 1 ]; then exec sleep 30; fi\n" TOKEN_OUTPUT(
				  "v1", "\"token\":\"t\""));
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredential) credential = NULL;
	g_autofree gchar *token = NULL;

	/* the only caller gives up: the plugin is killed, and the next get runs it afresh */
	g_cancellable_cancel(cancellable);
	credential = plugin_get(plugin, cancellable, &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpuint(plugin_runs(fx), ==, 0);
	g_clear_error(&error);

	g_cancellable_reset(cancellable);
	{
		g_autoptr(GAsyncResult) res = NULL;

		cclm_credential_plugin_get_async(plugin, cancellable, store_result_cb, &res);
		while (plugin_runs(fx) == 0)
			g_main_context_iteration(NULL, FALSE);
		g_cancellable_cancel(cancellable);
		while (res == NULL)
			g_main_context_iteration(NULL, TRUE);
		g_assert_null(cclm_credential_plugin_get_finish(plugin, res, &error));
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	}
	token = plugin_get_token(plugin);
	g_assert_cmpstr(token, ==, "t");
	g_assert_cmpuint(plugin_runs(fx), ==, 2);
}

static void
test_plugin_not_found(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new("{\"apiVersion\": \"client.authentication.k8s.io/v1\", "
		       "\"command\": \"cclm-no-such-plugin\", \"interactiveMode\": \"Never\", "
		       "\"installHint\": \"apt install cclm-plugin\"}",
		       NULL, &error);
	g_autoptr(CclmCredential) credential = NULL;

	g_assert_no_error(error);
	credential = plugin_get(plugin, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN);
	g_assert_cmpstr(error->message, ==,
			"user \"alice\": exec plugin \"cclm-no-such-plugin\": executable not "
			"found\n\napt install cclm-plugin");
}

static void
test_plugin_config_errors(void)
{
	static const struct {
		const gchar *json;
		const gchar *message;
	} cases[] = {
	    {"{\"command\": \"x\"}",
	     "user \"alice\": exec.apiVersion: must be set to use an exec credential plugin"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1alpha1\", \"command\": \"x\"}",
	     "user \"alice\": exec.apiVersion: \"client.authentication.k8s.io/v1alpha1\" is not "
	     "client.authentication.k8s.io/v1 or v1beta1"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"command\": \"x\"}",
	     "user \"alice\": exec.interactiveMode: must be set for "
	     "client.authentication.k8s.io/v1"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"command\": \"x\", "
	     "\"interactiveMode\": \"Sometimes\"}",
	     "user \"alice\": exec.interactiveMode: \"Sometimes\" is not Never, IfAvailable or "
	     "Always"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\"}",
	     "user \"alice\": exec.command: must be set to use an exec credential plugin"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"command\": \"x\", "
	     "\"args\": \"-v\"}",
	     "user \"alice\": exec.args: expected a list"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"command\": \"x\", "
	     "\"args\": [[]]}",
	     "user \"alice\": exec.args[0]: expected a string"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"command\": \"x\", "
	     "\"env\": [{\"value\": \"v\"}]}",
	     "user \"alice\": exec.env[0].name: must be a variable name"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"command\": \"x\", "
	     "\"env\": [\"A=b\"]}",
	     "user \"alice\": exec.env[0]: expected a mapping"},
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"command\": \"x\", "
	     "\"provideClusterInfo\": \"maybe\"}",
	     "user \"alice\": exec.provideClusterInfo: expected a boolean"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(CclmCredentialPlugin) plugin = plugin_new(cases[i].json, NULL, &error);

		g_assert_null(plugin);
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
		g_assert_cmpstr(error->message, ==, cases[i].message);
	}
}

static void
test_plugin_interactive_always(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new("{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"command\": "
		       "\"true\", \"interactiveMode\": \"Always\"}",
		       NULL, &error);
	g_autoptr(CclmCredential) credential = NULL;

	g_assert_no_error(error);
	credential = plugin_get(plugin, NULL, &error);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN);
	g_assert_nonnull(strstr(error->message, "without a terminal"));
}

int
main(int argc, char **argv)
{
	gint status;

	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	make_certs();

#define ADD(path, func, data) g_test_add(path, Fixture, data, fixture_setup, func, fixture_teardown)
	ADD("/plugin/token/v1", test_plugin_token, "v1");
	ADD("/plugin/token/v1beta1", test_plugin_token, "v1beta1");
	ADD("/plugin/certificate", test_plugin_certificate, NULL);
	ADD("/plugin/expired", test_plugin_expired, NULL);
	ADD("/plugin/expiry", test_plugin_expiry, NULL);
	ADD("/plugin/concurrent", test_plugin_concurrent, NULL);
	ADD("/plugin/exec-info", test_plugin_exec_info, NULL);
	ADD("/plugin/errors", test_plugin_errors, NULL);
	ADD("/plugin/timeout", test_plugin_timeout, NULL);
	ADD("/plugin/cancel", test_plugin_cancel, NULL);
	ADD("/plugin/cancel-all", test_plugin_cancel_all, NULL);
	ADD("/plugin/not-found", test_plugin_not_found, NULL);
	g_test_add_func("/plugin/config-errors", test_plugin_config_errors);
	g_test_add_func("/plugin/interactive-always", test_plugin_interactive_always);

	status = g_test_run();
	rm_rf(certs_dir);
	g_free(certs_dir);
	return status;
}
