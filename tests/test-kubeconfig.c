/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cclm-error.h"
#include "cclm-kubeconfig-private.h"
#include "cclm-yaml-private.h"
#include "cclm-test-async.h"

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
	run_openssl("openssl ecparam -genkey -name prime256v1 -noout -out ca.key\n"
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

/*
 * Exec credential plugins
 */

static CclmCredentialPlugin *
plugin_new(const gchar *exec_json, const gchar *cluster_json, GError **error)
{
	g_autoptr(JsonNode) exec = json_from_string(exec_json, NULL);
	g_autoptr(JsonNode) cluster =
	    cluster_json != NULL ? json_from_string(cluster_json, NULL) : NULL;

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
	g_autofree gchar *json =
	    g_strdup_printf("{\"apiVersion\": \"client.authentication.k8s.io/%s\", \"command\": "
			    "\"%s\", "
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
	wait_result(&res);
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

#define TOKEN_OUTPUT(version, status)                                                              \
	"printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"                                     \
	"\"client.authentication.k8s.io/" version "\",\"status\":{" status "}}'"

static void
test_plugin_token(Fixture *fx, gconstpointer data)
{
	const gchar *version = data;
	g_autofree gchar *body =
	    g_strdup_printf("printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
			    "\"client.authentication.k8s.io/"
			    "%s\",\"status\":{\"token\":\"tok-%%s\"}}' $n",
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
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new_script(fx, "v1",
			      TOKEN_OUTPUT("v1", "\"token\":\"t\",\"expirationTimestamp\":\"2001-"
						 "01-01T00:00:00Z\""));
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
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new_script(fx, "v1beta1",
			      "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
			      "\"client.authentication.k8s.io/"
			      "v1beta1\",\"status\":{\"token\":\"t%s\","
			      "\"expirationTimestamp\":\"%s\"}}' $n \"$(date -u -d '+3 seconds' "
			      "+%Y-%m-%dT%H:%M:%SZ)\"");
	g_autofree gchar *first = plugin_get_token(plugin);
	g_autofree gchar *second = plugin_get_token(plugin);
	gint64 deadline = g_get_monotonic_time() + 15 * G_USEC_PER_SEC;

	g_assert_cmpstr(first, ==, "t1");
	/* valid for two more seconds at least: cached */
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

/* Stores the result, and forgets the credential, as a client does after a 401. */
static void
invalidate_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	cclm_credential_plugin_invalidate(CCLM_CREDENTIAL_PLUGIN(source));
	store_result_cb(source, res, user_data);
}

static void
test_plugin_concurrent(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new_script(fx, "v1",
			      "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
			      "\"client.authentication.k8s.io/v1\",\"status\":{"
			      "\"token\":\"t%s\"}}' $n");
	GAsyncResult *res[4] = {NULL};

	/* the first caller's callback invalidates while the others are still to be answered */
	for (guint i = 0; i < G_N_ELEMENTS(res); i++)
		cclm_credential_plugin_get_async(plugin, NULL,
						 i == 0 ? invalidate_cb : store_result_cb, &res[i]);
	for (guint i = 0; i < G_N_ELEMENTS(res); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(CclmCredential) credential = NULL;

		wait_result(&res[i]);
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
	g_autofree gchar *script =
	    write_file(fx->dir, "plugin",
		       "#!/bin/sh\n"
		       "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info\"\n"
		       "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
		       "\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"%s-%s\"}}' "
		       "\"$FOO\" \"$2\"\n",
		       0755);
	g_autofree gchar *json = g_strdup_printf(
	    "{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"command\": \"%s\", "
	    "\"args\": [\"a\", \"b c\"], \"env\": [{\"name\": \"FOO\", \"value\": \"bar\"}], "
	    "\"provideClusterInfo\": true, \"interactiveMode\": \"IfAvailable\"}",
	    script);
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredentialPlugin) plugin =
	    plugin_new(json, "{\"server\": \"https://127.0.0.1:6443\", \"config\": {\"x\": 1}}",
		       &error);
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
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), "apiVersion"), ==,
			"client.authentication.k8s.io/v1");
	spec = json_object_get_object_member(json_node_get_object(node), "spec");
	g_assert_false(json_object_get_boolean_member(spec, "interactive"));
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(spec,
										    "cluster"),
						      "server"),
			==, "https://127.0.0.1:6443");
	g_assert_cmpint(json_object_get_int_member(
			    json_object_get_object_member(json_object_get_object_member(spec,
											"cluster"),
							  "config"),
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
		g_autoptr(CclmCredentialPlugin) plugin = plugin_new_script(fx, "v1", cases[i].body);
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
	    plugin_new_script(fx, "v1", "echo 'waiting for the browser' >&2; sleep 10; echo late");
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredential) credential = NULL;

	/* long enough for a loaded machine to start the shell and let it write */
	cclm_credential_plugin_set_timeout(plugin, 1500);
	credential = plugin_get(plugin, NULL, &error);
	g_assert_null(credential);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN);
	g_assert_nonnull(strstr(error->message, "did not finish within 1500 ms"));
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
	wait_result(&res1);
	g_assert_null(cclm_credential_plugin_get_finish(plugin, res1, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);
	go = write_file(fx->dir, "go", "", 0644);
	wait_result(&res2);
	credential = cclm_credential_plugin_get_finish(plugin, res2, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(credential->token, ==, "t");
	g_assert_cmpuint(plugin_runs(fx), ==, 1);
}

static void
test_plugin_cancel_all(Fixture *fx, gconstpointer data)
{
	g_autoptr(CclmCredentialPlugin) plugin = plugin_new_script(
	    fx, "v1",
	    "if [ $n = 1 ]; then exec sleep 30; fi\n" TOKEN_OUTPUT("v1", "\"token\":\"t\""));
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
		while (plugin_runs(fx) == 0) {
			g_main_context_iteration(NULL, FALSE);
			g_usleep(G_USEC_PER_SEC / 100);
		}
		g_cancellable_cancel(cancellable);
		wait_result(&res);
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
	    {"{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"command\": 1}",
	     "user \"alice\": exec.command: expected a string"},
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

/*
 * Kubeconfig
 */

/* @text with every "@DIR@" replaced by @dir. */
static gchar *
subst_dir(const gchar *text, const gchar *dir)
{
	GString *str = g_string_new(text);

	g_string_replace(str, "@DIR@", dir, 0);
	g_string_replace(str, "@CERTS@", certs_dir, 0);
	return g_string_free(str, FALSE);
}

static CclmKubeconfig *
load_file(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	CclmKubeconfig *kubeconfig = cclm_kubeconfig_load(path, &error);

	g_assert_no_error(error);
	g_assert_nonnull(kubeconfig);
	return kubeconfig;
}

static CclmRestConfig *
rest_config(CclmKubeconfig *kubeconfig, const gchar *context)
{
	g_autoptr(GError) error = NULL;
	CclmRestConfig *config = cclm_kubeconfig_get_rest_config(kubeconfig, context, &error);

	g_assert_no_error(error);
	g_assert_nonnull(config);
	return config;
}

static gchar *
base64_file(const gchar *name)
{
	g_autofree gchar *contents = cert_contents(name);

	return g_base64_encode((const guchar *)contents, strlen(contents));
}

static void
assert_ca(const CclmRestConfig *config, const gchar *expected_pem)
{
	g_assert_nonnull(config->ca_pem);
	g_assert_cmpmem(g_bytes_get_data(config->ca_pem, NULL), g_bytes_get_size(config->ca_pem),
			expected_pem, strlen(expected_pem));
}

static void
assert_client_certificate(const CclmRestConfig *config, const gchar *name)
{
	g_autofree gchar *crt_name = g_strdup_printf("%s.crt", name);
	g_autofree gchar *crt = cert_path(crt_name);
	g_autoptr(GError) error = NULL;
	g_autoptr(GTlsCertificate) expected = g_tls_certificate_new_from_file(crt, &error);
	g_autofree gchar *key_pem = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(config->client_certificate);
	g_assert_true(g_tls_certificate_is_same(config->client_certificate, expected));
	g_object_get(config->client_certificate, "private-key-pem", &key_pem, NULL);
	g_assert_nonnull(key_pem);
}

/* Every way a kubeconfig authenticates, as a context each. */
static void
test_kubeconfig_auth(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *ca_data = base64_file("ca.crt");
	g_autofree gchar *rsa1_crt = base64_file("rsa1.crt");
	g_autofree gchar *rsa1_key = base64_file("rsa1.key");
	g_autofree gchar *ca = cert_contents("ca.crt");
	g_autofree gchar *yaml = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *token_path = write_file(fx->dir, "secrets/token", "s3cret\n", 0600);
	g_autofree gchar *plugin =
	    write_file(fx->dir, "bin/plugin",
		       "#!/bin/sh\n"
		       "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info\"\n"
		       "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":"
		       "\"client.authentication.k8s.io/"
		       "v1beta1\",\"status\":{\"token\":\"from-exec\"}}'\n",
		       0755);
	g_autofree gchar *template = NULL;
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;
	g_autofree gchar *ca_copy = write_file(fx->dir, "pki/ca.crt", ca, 0644);

	template = g_strdup_printf(
	    "apiVersion: v1\n"
	    "kind: Config\n"
	    "current-context: token\n"
	    "clusters:\n"
	    "- name: ca-file\n"
	    "  cluster:\n"
	    "    server: https://127.0.0.1:6443/\n"
	    "    certificate-authority: pki/ca.crt\n"
	    "    tls-server-name: api.example\n"
	    "- name: ca-data\n"
	    "  cluster:\n"
	    "    server: https://[::1]:6443/prefix/\n"
	    "    certificate-authority-data: %s\n"
	    "    extensions:\n"
	    "    - name: client.authentication.k8s.io/exec\n"
	    "      extension: {audience: cclm}\n"
	    "- name: insecure\n"
	    "  cluster: {server: 'https://10.0.0.1', insecure-skip-tls-verify: true}\n"
	    "- name: plain\n"
	    "  cluster: {server: 'localhost:8080'}\n"
	    "users:\n"
	    "- name: token\n"
	    "  user: {token: abc.def}\n"
	    "- name: token-file\n"
	    "  user: {tokenFile: secrets/token}\n"
	    "- {name: rsa1-data, user: {client-certificate-data: %s, client-key-data: %s}}\n"
	    "- {name: rsa8-files, user: {client-certificate: @CERTS@/rsa8.crt,"
	    " client-key: @CERTS@/rsa8.key}}\n"
	    "- {name: ec-files, user: {client-certificate: @CERTS@/ec.crt,"
	    " client-key: @CERTS@/ec.key}}\n"
	    "- name: exec\n"
	    "  user:\n"
	    "    exec:\n"
	    "      apiVersion: client.authentication.k8s.io/v1beta1\n"
	    "      command: ./bin/plugin\n"
	    "      provideClusterInfo: true\n"
	    "contexts:\n"
	    "- {name: token, context: {cluster: ca-file, user: token, namespace: ns1}}\n"
	    "- {name: token-file, context: {cluster: ca-data, user: token-file}}\n"
	    "- {name: rsa1-data, context: {cluster: ca-file, user: rsa1-data}}\n"
	    "- {name: rsa8-files, context: {cluster: ca-file, user: rsa8-files}}\n"
	    "- {name: ec-files, context: {cluster: ca-file, user: ec-files}}\n"
	    "- {name: exec, context: {cluster: ca-data, user: exec}}\n"
	    "- {name: insecure, context: {cluster: insecure}}\n"
	    "- {name: plain, context: {cluster: plain}}\n",
	    ca_data, rsa1_crt, rsa1_key);
	yaml = subst_dir(template, fx->dir);
	path = write_file(fx->dir, "config", yaml, 0600);
	kubeconfig = load_file(path);
	g_assert_cmpstr(cclm_kubeconfig_get_current_context(kubeconfig), ==, "token");
	g_assert_cmpstr(cclm_kubeconfig_get_context_cluster(kubeconfig, "exec"), ==, "ca-data");
	g_assert_cmpstr(cclm_kubeconfig_get_context_user(kubeconfig, "exec"), ==, "exec");
	g_assert_cmpstr(cclm_kubeconfig_get_context_namespace(kubeconfig, "token"), ==, "ns1");
	g_assert_null(cclm_kubeconfig_get_context_namespace(kubeconfig, "exec"));
	g_assert_null(cclm_kubeconfig_get_context_cluster(kubeconfig, "nope"));
	g_assert_cmpstr(cclm_kubeconfig_get_cluster_server(kubeconfig, "ca-file"), ==,
			"https://127.0.0.1:6443/");
	g_assert_null(cclm_kubeconfig_get_cluster_server(kubeconfig, "nope"));
	{
		g_auto(GStrv) contexts = cclm_kubeconfig_get_contexts(kubeconfig);
		const gchar *expected[] = {"ec-files", "exec",	     "insecure",
					   "plain",    "rsa1-data",  "rsa8-files",
					   "token",    "token-file", NULL};

		g_assert_cmpstrv(contexts, expected);
	}
	{
		/* the current context; the CA file resolves against the kubeconfig's directory */
		g_autoptr(CclmRestConfig) config = rest_config(kubeconfig, NULL);

		g_assert_cmpstr(config->server, ==, "https://127.0.0.1:6443");
		assert_ca(config, ca);
		g_assert_cmpstr(config->tls_server_name, ==, "api.example");
		g_assert_false(config->insecure_skip_verify);
		g_assert_cmpstr(config->token, ==, "abc.def");
		g_assert_null(config->token_file);
		g_assert_null(config->client_certificate);
		g_assert_null(config->exec);
		g_assert_cmpstr(config->namespace, ==, "ns1");
	}
	{
		/* an empty name is the current context too, as kubectl's --context="" */
		g_autoptr(CclmRestConfig) config = rest_config(kubeconfig, "");

		g_assert_cmpstr(config->token, ==, "abc.def");
	}
	{
		g_autoptr(CclmRestConfig) config = rest_config(kubeconfig, "token-file");

		g_assert_cmpstr(config->server, ==, "https://[::1]:6443/prefix");
		assert_ca(config, ca);
		g_assert_null(config->token);
		g_assert_cmpstr(config->token_file, ==, token_path);
	}
	for (guint i = 0; i < 3; i++) {
		const gchar *names[] = {"rsa1", "rsa8", "ec"};
		const gchar *contexts[] = {"rsa1-data", "rsa8-files", "ec-files"};
		g_autoptr(CclmRestConfig) config = rest_config(kubeconfig, contexts[i]);

		assert_client_certificate(config, names[i]);
		g_assert_null(config->token);
	}
	{
		g_autoptr(CclmRestConfig) config = rest_config(kubeconfig, "exec");
		g_autoptr(CclmCredential) credential = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *info_path = g_build_filename(fx->dir, "bin", "info", NULL);
		g_autofree gchar *info = NULL;
		g_autoptr(JsonNode) node = NULL;
		JsonObject *cluster;
		g_autofree gchar *ca_in_info = NULL;

		g_assert_nonnull(config->exec);
		credential = plugin_get(config->exec, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(credential->token, ==, "from-exec");
		info = read_file(info_path);
		node = json_from_string(info, &error);
		g_assert_no_error(error);
		cluster = json_object_get_object_member(
		    json_object_get_object_member(json_node_get_object(node), "spec"), "cluster");
		/* as written, as client-go passes it */
		g_assert_cmpstr(json_object_get_string_member(cluster, "server"), ==,
				"https://[::1]:6443/prefix/");
		g_assert_cmpstr(json_object_get_string_member(cluster,
							      "certificate-authority-data"),
				==, ca_data);
		g_assert_cmpstr(json_object_get_string_member(
				    json_object_get_object_member(cluster, "config"), "audience"),
				==, "cclm");
	}
	{
		g_autoptr(CclmRestConfig) config = NULL;

		g_test_expect_message("Cclm", G_LOG_LEVEL_WARNING,
				      "*context \"insecure\": cluster \"insecure\": "
				      "insecure-skip-tls-verify is set*");
		config = rest_config(kubeconfig, "insecure");
		g_test_assert_expected_messages();
		g_assert_true(config->insecure_skip_verify);
		g_assert_null(config->ca_pem);
	}
	{
		/* no scheme and nothing about TLS: http, as client-go has it */
		g_autoptr(CclmRestConfig) config = rest_config(kubeconfig, "plain");

		g_assert_cmpstr(config->server, ==, "http://localhost:8080");
	}
}

/* Malformed and incomplete kubeconfigs: the error names the file, the context and the field. */
static void
test_kubeconfig_errors(Fixture *fx, gconstpointer data)
{
	static const struct {
		const gchar *yaml;
		const gchar *context; /* NULL: loading fails */
		const gchar *message;
	} cases[] = {
	    {"clusters: {}", NULL, "kubeconfig \"@DIR@/config\": clusters: expected a list"},
	    {"[]", NULL, "kubeconfig \"@DIR@/config\": not a kubeconfig: expected a mapping"},
	    {"clusters: [", NULL,
	     "kubeconfig \"@DIR@/config\": line 2 column 1: did not find expected node content "
	     "while parsing a flow node"},
	    {"apiVersion: v2", NULL, "kubeconfig \"@DIR@/config\": apiVersion: \"v2\" is not v1"},
	    {"kind: Pod", NULL, "kubeconfig \"@DIR@/config\": kind: \"Pod\" is not Config"},
	    {"current-context: 12", NULL,
	     "kubeconfig \"@DIR@/config\": current-context: expected a string"},
	    {"clusters: [1]", NULL, "kubeconfig \"@DIR@/config\": clusters[0]: expected a mapping"},
	    {"clusters: [{name: [c]}]", NULL,
	     "kubeconfig \"@DIR@/config\": clusters[0]: name: expected a string"},
	    {"clusters: [{name: c, cluster: {server: 1}}]", NULL,
	     "kubeconfig \"@DIR@/config\": cluster \"c\": server: expected a string"},
	    {"clusters: [{name: c, cluster: {insecure-skip-tls-verify: 'true'}}]", NULL,
	     "kubeconfig \"@DIR@/config\": cluster \"c\": insecure-skip-tls-verify: expected a "
	     "boolean"},
	    {"clusters: [{name: c, cluster: {tls-server-name: n}}]", NULL,
	     "kubeconfig \"@DIR@/config\": cluster \"c\": tls-server-name: expected a string"},
	    {"clusters: [{name: c}, {name: c}]", NULL,
	     "kubeconfig \"@DIR@/config\": clusters: duplicate name \"c\""},
	    {"users: [{name: alice, user: []}]", NULL,
	     "kubeconfig \"@DIR@/config\": user \"alice\": user: expected a mapping"},
	    {"users: [{name: alice, user: {client-key-data: [Zm9v]}}]", NULL,
	     "kubeconfig \"@DIR@/config\": user \"alice\": client-key-data: expected a string"},
	    {"users: [{name: alice, user: {as-groups: [1]}}]", NULL,
	     "kubeconfig \"@DIR@/config\": user \"alice\": as-groups: expected a list of strings"},
	    {"contexts: [{name: east, context: {namespace: {}}}]", NULL,
	     "kubeconfig \"@DIR@/config\": context \"east\": namespace: expected a string"},
	    {"clusters: [{name: c, cluster: {server: s}}]", "",
	     "kubeconfig \"@DIR@/config\": current-context is not set and no context was given"},
	    {"current-context: west", "",
	     "kubeconfig \"@DIR@/config\": context \"west\" not found"},
	    {"contexts: [{name: east, context: {user: alice}}]", "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster: not set"},
	    {"contexts: [{name: east, context: {cluster: c9}}]", "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster: \"c9\" not found"},
	    {"clusters: [{name: c, cluster: {server: s}}]\n"
	     "contexts: [{name: east, context: {cluster: c, user: bob}}]",
	     "east", "kubeconfig \"@DIR@/config\": context \"east\": user: \"bob\" not found"},
	    {"clusters: [{name: c, cluster: {}}]\n"
	     "contexts: [{name: east, context: {cluster: c}}]",
	     "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster \"c\": server: not set"},
	    {"clusters: [{name: c, cluster: {server: 'ftp://x'}}]\n"
	     "contexts: [{name: east, context: {cluster: c}}]",
	     "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster \"c\": server: \"ftp://x\" is "
	     "not an http(s)://host[:port][/path] URL"},
	    {"clusters: [{name: c, cluster: {server: s, proxy-url: 'http://p'}}]\n"
	     "contexts: [{name: east, context: {cluster: c}}]",
	     "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster \"c\": proxy-url: not "
	     "supported"},
	    {"clusters: [{name: c, cluster: {server: s, certificate-authority: ca.pem}}]\n"
	     "contexts: [{name: east, context: {cluster: c}}]",
	     "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster \"c\": certificate-authority: "
	     "file \"@DIR@/ca.pem\" not found"},
	    {"clusters: [{name: c, cluster: {server: s, certificate-authority: @CERTS@/ca.crt, "
	     "certificate-authority-data: Zm9v}}]\n"
	     "contexts: [{name: east, context: {cluster: c}}]",
	     "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster \"c\": certificate-authority "
	     "and certificate-authority-data are both set; set only one"},
	    {"clusters: [{name: c, cluster: {server: s, certificate-authority-data: Zm9v}}]\n"
	     "contexts: [{name: east, context: {cluster: c}}]",
	     "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster \"c\": "
	     "certificate-authority-data: no PEM certificate in it"},
	    {"clusters: [{name: c, cluster: {server: s, certificate-authority: @CERTS@/ca.crt, "
	     "insecure-skip-tls-verify: true}}]\n"
	     "contexts: [{name: east, context: {cluster: c}}]",
	     "east",
	     "kubeconfig \"@DIR@/config\": context \"east\": cluster \"c\": "
	     "insecure-skip-tls-verify: specifying a root certificates file with the insecure flag "
	     "is not allowed"},
#define USER_CASE(user)                                                                            \
	"clusters: [{name: c, cluster: {server: s}}]\n"                                            \
	"users: [{name: alice, user: " user "}]\n"                                                 \
	"contexts: [{name: east, context: {cluster: c, user: alice}}]",                            \
	    "east"
	    {USER_CASE("{client-certificate: @CERTS@/ec.crt}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": client-key: "
	     "client-key-data or client-key must be set to use a client certificate"},
	    {USER_CASE("{client-key: @CERTS@/ec.key}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": client-certificate: "
	     "client-certificate-data or client-certificate must be set to use a client key"},
	    {USER_CASE("{client-certificate: @CERTS@/ec.crt, client-key: @CERTS@/ec.key, "
		       "client-key-data: Zm9v}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": client-key and "
	     "client-key-data are both set; set only one"},
	    {USER_CASE("{client-certificate: @CERTS@/ec.crt, client-key: missing.key}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": client-key: file "
	     "\"@DIR@/missing.key\" not found"},
	    {USER_CASE("{client-certificate: @CERTS@/ec.key, client-key: @CERTS@/ec.key}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": client-certificate: "
	     "no PEM certificate in it"},
	    {USER_CASE("{client-certificate: @CERTS@/ec.crt, client-key-data: 'not base64!'}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": client-key-data: not "
	     "valid base64"},
	    {USER_CASE("{client-certificate-data: Zm9vYmE, client-key-data: Zm9v}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": "
	     "client-certificate-data: not valid base64"},
	    {USER_CASE("{token: t, username: u}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": more than one "
	     "authentication method found: token and username/password; only one is allowed"},
	    {USER_CASE("{password: p}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": username/password: "
	     "basic authentication is not supported"},
	    {USER_CASE("{auth-provider: {name: oidc}}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": auth-provider: "
	     "\"oidc\" is not supported (auth providers are deprecated); use an exec credential "
	     "plugin such as kubelogin"},
	    {USER_CASE("{auth-provider: {name: oidc}, exec: {command: x}}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": auth-provider: "
	     "cannot be set together with exec"},
	    {USER_CASE("{token: t, as: admin}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": as: impersonation is "
	     "not supported"},
	    {USER_CASE("{tokenFile: token}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": tokenFile: file "
	     "\"@DIR@/token\" not found"},
	    {USER_CASE("{exec: {command: x}}"),
	     "kubeconfig \"@DIR@/config\": context \"east\": user \"alice\": exec.apiVersion: must "
	     "be set to use an exec credential plugin"},
#undef USER_CASE
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *yaml = subst_dir(cases[i].yaml, fx->dir);
		g_autofree gchar *path = write_file(fx->dir, "config", yaml, 0600);
		g_autofree gchar *expected = subst_dir(cases[i].message, fx->dir);
		g_autoptr(GError) error = NULL;
		g_autoptr(CclmKubeconfig) kubeconfig = cclm_kubeconfig_load(path, &error);
		g_autoptr(CclmRestConfig) config = NULL;

		g_test_message("case %u: %s", i, cases[i].yaml);
		if (cases[i].context == NULL) {
			g_assert_null(kubeconfig);
		} else {
			g_assert_no_error(error);
			config = cclm_kubeconfig_get_rest_config(kubeconfig,
								 cases[i].context[0] != '\0'
								     ? cases[i].context
								     : NULL,
								 &error);
			g_assert_null(config);
		}
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
		g_assert_cmpstr(error->message, ==, expected);
	}
}

/* A key that is not one: gnutls's message, after the file, context and field. */
static void
test_kubeconfig_bad_key(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *crt = base64_file("ec.crt");
	g_autofree gchar *yaml =
	    g_strdup_printf("clusters: [{name: c, cluster: {server: s}}]\n"
			    "users: [{name: alice, user: {client-certificate-data: %s,"
			    " client-key-data: Zm9vCg==}}]\n"
			    "contexts: [{name: east, context: {cluster: c, user: alice}}]\n",
			    crt);
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmKubeconfig) kubeconfig =
	    cclm_kubeconfig_load_from_data(yaml, -1, NULL, &error);
	g_autoptr(CclmRestConfig) config = NULL;

	g_assert_no_error(error);
	config = cclm_kubeconfig_get_rest_config(kubeconfig, "east", &error);
	g_assert_null(config);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_assert_true(g_str_has_prefix(error->message,
				       "kubeconfig: context \"east\": user \"alice\": "
				       "client-key-data: "));
}

/* Loose JSON equality: a member one side lacks must be empty on the other, since kubectl
 * prints some empty fields and omits others. */
static gboolean
json_is_empty(JsonNode *node)
{
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (JSON_NODE_HOLDS_OBJECT(node))
		return json_object_get_size(json_node_get_object(node)) == 0;
	if (JSON_NODE_HOLDS_ARRAY(node))
		return json_array_get_length(json_node_get_array(node)) == 0;
	switch (json_node_get_value_type(node)) {
	case G_TYPE_BOOLEAN:
		return !json_node_get_boolean(node);
	case G_TYPE_STRING:
		return json_node_get_string(node)[0] == '\0';
	default:
		return FALSE;
	}
}

static void
assert_json_equivalent(JsonNode *expected, JsonNode *actual, const gchar *path)
{
	if (json_is_empty(expected) && json_is_empty(actual))
		return;
	g_assert_nonnull(expected);
	g_assert_nonnull(actual);
	if (JSON_NODE_TYPE(expected) != JSON_NODE_TYPE(actual))
		g_error("%s: %s vs %s", path, json_to_string(expected, FALSE),
			json_to_string(actual, FALSE));
	if (JSON_NODE_HOLDS_OBJECT(expected)) {
		JsonObject *e = json_node_get_object(expected);
		JsonObject *a = json_node_get_object(actual);
		g_autoptr(GList) members =
		    g_list_concat(json_object_get_members(e), json_object_get_members(a));

		for (GList *l = members; l != NULL; l = l->next) {
			g_autofree gchar *child = g_strdup_printf("%s.%s", path, (gchar *)l->data);

			assert_json_equivalent(json_object_get_member(e, l->data),
					       json_object_get_member(a, l->data), child);
		}
	} else if (JSON_NODE_HOLDS_ARRAY(expected)) {
		JsonArray *e = json_node_get_array(expected);
		JsonArray *a = json_node_get_array(actual);

		if (json_array_get_length(e) != json_array_get_length(a))
			g_error("%s: %s vs %s", path, json_to_string(expected, FALSE),
				json_to_string(actual, FALSE));
		for (guint i = 0; i < json_array_get_length(e); i++) {
			g_autofree gchar *child = g_strdup_printf("%s[%u]", path, i);

			assert_json_equivalent(json_array_get_element(e, i),
					       json_array_get_element(a, i), child);
		}
	} else if (!json_node_equal(expected, actual)) {
		g_error("%s: %s vs %s", path, json_to_string(expected, FALSE),
			json_to_string(actual, FALSE));
	}
}

static JsonNode *
kubectl_view(const gchar *dir, const gchar *kubeconfig_env)
{
	const gchar *argv[] = {"kubectl", "config", "view", "--raw", "-o", "json", NULL};
	g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "KUBECONFIG", kubeconfig_env, TRUE);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GError) error = NULL;
	gint status = 0;
	JsonNode *node;

	/* the test's own home: kubectl looks at ~/.kube even with $KUBECONFIG */
	envp = g_environ_setenv(envp, "HOME", g_get_home_dir(), TRUE);
	g_spawn_sync(dir, (gchar **)argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
		     &status, &error);
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("kubectl config view failed: %s", err);
	node = json_from_string(out, &error);
	g_assert_no_error(error);
	json_object_remove_member(json_node_get_object(node), "preferences");
	return node;
}

typedef struct {
	const gchar *files[4]; /* name, then contents, twice at most */
	const gchar *kubeconfig_env;
} MergeCase;

/* $KUBECONFIG lists merged as kubectl merges them: compared with `kubectl config view`. */
static void
test_kubeconfig_merge_kubectl(Fixture *fx, gconstpointer data)
{
	static const MergeCase cases[] = {
	    /* overlapping names: each taken whole from the first file; current-context too */
	    {{"a/config",
	      "apiVersion: v1\nkind: Config\ncurrent-context: east\n"
	      "clusters:\n"
	      "- {name: c1, cluster: {server: 'https://1.1.1.1', certificate-authority: ca.crt,"
	      " insecure-skip-tls-verify: yes}}\n"
	      "- {name: shared, cluster: {server: 'https://from-a'}}\n"
	      "users:\n"
	      "- {name: u1, user: {token: tok-a, client-certificate: ../x.crt}}\n"
	      "- name: ex\n"
	      "  user:\n"
	      "    exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin,"
	      " args: [get-token, '--x=1'], env: [{name: A, value: 'b'}], interactiveMode: Never}\n"
	      "contexts:\n"
	      "- {name: east, context: {cluster: c1, user: u1, namespace: ns-a}}\n",
	      "b.yaml",
	      "current-context: west\n"
	      "clusters:\n"
	      "- {name: shared, cluster: {server: 'https://from-b', tls-server-name: b}}\n"
	      "- {name: c3, cluster: {server: 'https://c3'}}\n"
	      "users: [{name: u1, user: {token: tok-b}}]\n"
	      "contexts:\n"
	      "- {name: west, context: {cluster: c3, user: u1}}\n"
	      "- {name: east, context: {cluster: c3, user: nobody}}\n"},
	     "a/config:b.yaml:missing.yaml:a/config"},
	    /* the first file sets no current-context: the second's counts */
	    {{"one.yaml", "clusters: [{name: c, cluster: {server: 'https://one'}}]\n", "two.yaml",
	      "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n"
	      "clusters: [{name: c, cluster: {server: 'https://two'}}]\n"},
	     "::one.yaml::two.yaml:"},
	    /* an empty file, anchors and merge keys */
	    {{"empty.yaml", "", "anchors.yaml",
	      "base: &base {server: 'https://anchor', certificate-authority-data: Zm9v}\n"
	      "clusters:\n"
	      "- {name: a, cluster: *base}\n"
	      "- {name: b, cluster: {<<: *base, server: 'https://override'}}\n"
	      "- name: c\n"
	      "  cluster:\n"
	      "    server: \"https://quoted\"\n"
	      "    certificate-authority-data: >-\n"
	      "      Zm9v\n"},
	     "empty.yaml:anchors.yaml"},
	};

	if (!g_file_test("/usr/bin/kubectl", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("kubectl is not installed (/usr/bin/kubectl): nothing to compare with");
		return;
	}
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *dir = g_strdup_printf("%s/case%u", fx->dir, i);
		g_autofree gchar *cwd = g_get_current_dir();
		g_autoptr(JsonNode) expected = NULL;
		g_autoptr(JsonNode) actual = NULL;
		g_autoptr(CclmKubeconfig) kubeconfig = NULL;
		g_autoptr(GError) error = NULL;

		g_test_message("case %u: KUBECONFIG=%s", i, cases[i].kubeconfig_env);
		for (guint f = 0; f < G_N_ELEMENTS(cases[i].files) && cases[i].files[f] != NULL;
		     f += 2)
			g_free(write_file(dir, cases[i].files[f], cases[i].files[f + 1], 0600));
		expected = kubectl_view(dir, cases[i].kubeconfig_env);

		g_setenv("KUBECONFIG", cases[i].kubeconfig_env, TRUE);
		g_assert_cmpint(g_chdir(dir), ==, 0);
		kubeconfig = cclm_kubeconfig_load(NULL, &error);
		g_assert_cmpint(g_chdir(cwd), ==, 0);
		g_unsetenv("KUBECONFIG");
		g_assert_no_error(error);
		actual = cclm_kubeconfig_to_json(kubeconfig);
		assert_json_equivalent(expected, actual, "");
	}
}

/* Relative file names resolve against the directory of the file that names them. */
static void
test_kubeconfig_merge_relative(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *ca = cert_contents("ca.crt");
	g_autofree gchar *a = write_file(fx->dir, "a/config",
					 "clusters: [{name: ca, cluster: {server: 'https://a', "
					 "certificate-authority: pki/ca.crt}}]\n"
					 "users: [{name: ex, user: {exec: {apiVersion: "
					 "client.authentication.k8s.io/v1beta1, command: "
					 "../bin/plugin}}}]\n",
					 0600);
	g_autofree gchar *b = write_file(fx->dir, "b/sub/config",
					 "current-context: ctx\n"
					 "users: [{name: tok, user: {tokenFile: ../token, "
					 "client-certificate: ../../c/ec.crt, "
					 "client-key: ../../c/ec.key}}]\n"
					 "contexts:\n"
					 "- {name: ctx, context: {cluster: ca, user: tok}}\n"
					 "- {name: ex, context: {cluster: ca, user: ex}}\n",
					 0600);
	g_autofree gchar *ca_copy = write_file(fx->dir, "a/pki/ca.crt", ca, 0644);
	g_autofree gchar *token = write_file(fx->dir, "b/token", "t\n", 0600);
	g_autofree gchar *ec_crt = cert_contents("ec.crt");
	g_autofree gchar *ec_key = cert_contents("ec.key");
	g_autofree gchar *crt = write_file(fx->dir, "c/ec.crt", ec_crt, 0600);
	g_autofree gchar *key = write_file(fx->dir, "c/ec.key", ec_key, 0600);
	g_autofree gchar *plugin =
	    write_file(fx->dir, "bin/plugin",
		       "#!/bin/sh\n" TOKEN_OUTPUT("v1beta1", "\"token\":\"relative\""), 0755);
	g_autofree gchar *env = g_strdup_printf("%s:%s", a, b);
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;
	g_autoptr(CclmRestConfig) config = NULL;
	g_autoptr(CclmRestConfig) exec_config = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *token_abs = g_build_filename(fx->dir, "b", "token", NULL);
	g_auto(GStrv) files = NULL;
	g_autofree gchar *exec_token = NULL;

	g_setenv("KUBECONFIG", env, TRUE);
	kubeconfig = cclm_kubeconfig_load(NULL, &error);
	g_unsetenv("KUBECONFIG");
	g_assert_no_error(error);
	files = cclm_kubeconfig_get_files(kubeconfig);
	g_assert_cmpuint(g_strv_length(files), ==, 2);
	g_assert_cmpstr(files[0], ==, a);
	g_assert_cmpstr(files[1], ==, b);
	config = rest_config(kubeconfig, NULL);
	assert_ca(config, ca);
	g_assert_cmpstr(config->token_file, ==, token_abs);
	assert_client_certificate(config, "ec");
	exec_config = rest_config(kubeconfig, "ex");
	exec_token = plugin_get_token(exec_config->exec);
	g_assert_cmpstr(exec_token, ==, "relative");
}

static void
test_kubeconfig_load_explicit(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *path = g_build_filename(fx->dir, "missing", NULL);
	g_autofree gchar *expected = g_strdup_printf("kubeconfig: file \"%s\" not found", path);
	g_autofree gchar *home_config = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;

	/* an explicit file must exist, even when ~/.kube/config does */
	home_config = g_build_filename(g_get_home_dir(), ".kube", "config", NULL);
	g_free(write_file(g_get_home_dir(), ".kube/config", "current-context: home\n", 0600));
	kubeconfig = cclm_kubeconfig_load(path, &error);
	g_assert_null(kubeconfig);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_assert_cmpstr(error->message, ==, expected);
	g_clear_error(&error);

	/* no path and no $KUBECONFIG (empty counts as unset for both): ~/.kube/config */
	g_setenv("KUBECONFIG", "", TRUE);
	kubeconfig = cclm_kubeconfig_load("", &error);
	g_unsetenv("KUBECONFIG");
	g_assert_no_error(error);
	g_assert_cmpstr(cclm_kubeconfig_get_current_context(kubeconfig), ==, "home");
	{
		g_auto(GStrv) files = cclm_kubeconfig_get_files(kubeconfig);
		const gchar *expected_files[] = {home_config, NULL};

		g_assert_cmpstrv(files, expected_files);
	}
	g_clear_object(&kubeconfig);
	g_unlink(home_config);

	/* nothing at all, outside a pod */
	g_unsetenv("KUBERNETES_SERVICE_HOST");
	kubeconfig = cclm_kubeconfig_load(NULL, &error);
	g_assert_null(kubeconfig);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_assert_true(g_str_has_prefix(error->message, "no kubeconfig: \""));
	g_assert_nonnull(strstr(error->message, "KUBERNETES_SERVICE_HOST"));
}

static void
test_kubeconfig_in_cluster(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *ca = cert_contents("ca.crt");
	g_autofree gchar *token = write_file(fx->dir, "sa/token", "sa-token", 0600);
	g_autofree gchar *ca_path = write_file(fx->dir, "sa/ca.crt", ca, 0644);
	g_autofree gchar *ns_path = write_file(fx->dir, "sa/namespace", " kube-system\n", 0644);
	g_autofree gchar *sa = g_build_filename(fx->dir, "sa", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmKubeconfig) kubeconfig = NULL;

	g_unsetenv("KUBERNETES_SERVICE_HOST");
	g_setenv("KUBERNETES_SERVICE_PORT", "443", TRUE);
	kubeconfig = cclm_kubeconfig_load_in_cluster_at(sa, &error);
	g_assert_null(kubeconfig);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_assert_cmpstr(error->message, ==,
			"in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
			"must be set");
	g_clear_error(&error);

	g_setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", TRUE);
	g_unsetenv("POD_NAMESPACE");
	kubeconfig = cclm_kubeconfig_load_in_cluster_at(sa, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(cclm_kubeconfig_get_current_context(kubeconfig), ==, "in-cluster");
	{
		g_autoptr(CclmRestConfig) config = rest_config(kubeconfig, NULL);
		g_auto(GStrv) files = cclm_kubeconfig_get_files(kubeconfig);

		g_assert_cmpuint(g_strv_length(files), ==, 0);
		g_assert_cmpstr(config->server, ==, "https://10.96.0.1:443");
		g_assert_cmpstr(config->token_file, ==, token);
		g_assert_null(config->token);
		assert_ca(config, ca);
		/* the mounted namespace, trimmed */
		g_assert_cmpstr(config->namespace, ==, "kube-system");
	}
	g_clear_object(&kubeconfig);

	/* $POD_NAMESPACE wins; an IPv6 service address gets brackets */
	g_setenv("POD_NAMESPACE", "mine", TRUE);
	g_setenv("KUBERNETES_SERVICE_HOST", "fd00::1", TRUE);
	kubeconfig = cclm_kubeconfig_load_in_cluster_at(sa, &error);
	g_assert_no_error(error);
	{
		g_autoptr(CclmRestConfig) config = rest_config(kubeconfig, NULL);

		g_assert_cmpstr(config->server, ==, "https://[fd00::1]:443");
		g_assert_cmpstr(config->namespace, ==, "mine");
	}
	g_clear_object(&kubeconfig);

	/* neither: "default" */
	g_unsetenv("POD_NAMESPACE");
	g_unlink(ns_path);
	kubeconfig = cclm_kubeconfig_load_in_cluster_at(sa, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(cclm_kubeconfig_get_context_namespace(kubeconfig, "in-cluster"), ==,
			"default");
	g_clear_object(&kubeconfig);

	/* no token: not usable */
	g_unlink(token);
	kubeconfig = cclm_kubeconfig_load_in_cluster_at(sa, &error);
	g_assert_null(kubeconfig);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
	g_assert_nonnull(strstr(error->message, "in-cluster config: tokenFile: file \""));
	g_clear_error(&error);

	/* no kubeconfig in a pod: the in-cluster config is tried (this host has no token) */
	if (!g_file_test("/var/run/secrets/kubernetes.io/serviceaccount/token",
			 G_FILE_TEST_EXISTS)) {
		g_setenv("KUBECONFIG", ns_path, TRUE);
		kubeconfig = cclm_kubeconfig_load(NULL, &error);
		g_unsetenv("KUBECONFIG");
		g_assert_null(kubeconfig);
		g_assert_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG);
		g_assert_nonnull(strstr(error->message,
					"in-cluster config: tokenFile: file "
					"\"/var/run/secrets/kubernetes.io/serviceaccount/token\" "
					"not found"));
	}
	g_unsetenv("KUBERNETES_SERVICE_HOST");
	g_unsetenv("KUBERNETES_SERVICE_PORT");
}

/* YAML as Kubernetes reads it: YAML 1.1 scalars, anchors; hostile input fails fast. */
static void
test_yaml(void)
{
	static const struct {
		const gchar *yaml;
		const gchar *json; /* NULL: an error */
	} cases[] = {
	    {"a: [1, 0x10, 010, 1_000, -5, 1.5, .5, yes, n, Off, ~, '', null, 'true', x]",
	     "{\"a\":[1,16,8,1000,-5,1.5,0.5,true,false,false,null,\"\",null,\"true\",\"x\"]}"},
	    {"x: &a {s: 1}\ny: {<<: *a, t: 2}\nz: {<<: [*a, {s: 3, u: 4}], s: 5}",
	     "{\"x\":{\"s\":1},\"y\":{\"t\":2,\"s\":1},\"z\":{\"s\":5,\"u\":4}}"},
	    {"{a: 1, a: 2}", "{\"a\":2}"},
	    {"a: |\n  l1\n  l2\nb: !!str 3", "{\"a\":\"l1\\nl2\\n\",\"b\":\"3\"}"},
	    {"", "null"},
	    {"a: 1\n---\nb: 2\n--- ]]]", "{\"a\":1}"},
	    {"a: *b", NULL},
	    {"? [a]\n: 1", NULL},
	    {"a: [", NULL},
	    {"a: \"\\xff\"\n\xff", NULL},
	    {"<<: 1", NULL},
	};
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autoptr(GString) laughs = g_string_new("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) case_error = NULL;
		g_autoptr(JsonNode) result =
		    cclm_yaml_parse(cases[i].yaml, strlen(cases[i].yaml), &case_error);

		g_test_message("case %u", i);
		if (cases[i].json == NULL) {
			g_assert_null(result);
			g_assert_error(case_error, CCLM_ERROR, CCLM_ERROR_PARSE);
			g_assert_true(g_str_has_prefix(case_error->message, "line "));
		} else {
			g_autofree gchar *json = NULL;

			g_assert_no_error(case_error);
			json = json_to_string(result, FALSE);
			g_assert_cmpstr(json, ==, cases[i].json);
		}
	}

	for (guint i = 0; i < 1000; i++)
		g_string_append_c(deep, '[');
	node = cclm_yaml_parse(deep->str, deep->len, &error);
	g_assert_null(node);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_assert_nonnull(strstr(error->message, "nested more than"));
	g_clear_error(&error);

	/* 10^9 nodes once aliases are expanded */
	for (guint i = 1; i < 10; i++)
		g_string_append_printf(laughs,
				       "a%u: &a%u [*a%u, *a%u, *a%u, *a%u, *a%u, *a%u, *a%u, "
				       "*a%u, *a%u, *a%u]\n",
				       i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
				       i - 1, i - 1);
	node = cclm_yaml_parse(laughs->str, laughs->len, &error);
	g_assert_null(node);
	g_assert_error(error, CCLM_ERROR, CCLM_ERROR_PARSE);
	g_assert_nonnull(strstr(error->message, "after expanding aliases"));
}

int
main(int argc, char **argv)
{
	g_autofree gchar *home = g_dir_make_tmp("cclm-kubeconfig-home-XXXXXX", NULL);
	gint status;

	/* a home of our own for ~/.kube/config; not G_TEST_OPTION_ISOLATE_DIRS, as GLib 2.74's
	 * g_set_user_dirs() leaks on every test, which fails the suite under LeakSanitizer */
	g_assert_nonnull(home);
	g_setenv("HOME", home, TRUE);
	g_test_init(&argc, &argv, NULL);
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
	ADD("/kubeconfig/auth", test_kubeconfig_auth, NULL);
	ADD("/kubeconfig/errors", test_kubeconfig_errors, NULL);
	ADD("/kubeconfig/bad-key", test_kubeconfig_bad_key, NULL);
	ADD("/kubeconfig/merge/kubectl", test_kubeconfig_merge_kubectl, NULL);
	ADD("/kubeconfig/merge/relative", test_kubeconfig_merge_relative, NULL);
	ADD("/kubeconfig/load/explicit", test_kubeconfig_load_explicit, NULL);
	ADD("/kubeconfig/in-cluster", test_kubeconfig_in_cluster, NULL);
	g_test_add_func("/yaml", test_yaml);

	status = g_test_run();
	rm_rf(home);
	rm_rf(certs_dir);
	g_free(certs_dir);
	return status;
}
