/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-error.h"
#include "cclm-rest-config-private.h"

#define CCLM_CREDENTIAL_PLUGIN_TIMEOUT_MS (120 * 1000)
/* An ExecCredential is a few kB; anything far larger is not one. */
#define CCLM_CREDENTIAL_PLUGIN_STDOUT_MAX (1024 * 1024)
/* How much of the plugin's stderr goes into an error message. */
#define CCLM_CREDENTIAL_PLUGIN_STDERR_SHOWN 1024

typedef struct _CclmCredentialRun CclmCredentialRun;

struct _CclmCredentialPlugin {
	GObject parent_instance;
	gchar *what;
	gchar *api_version;
	gchar **argv;
	gchar **env; /* NAME=VALUE, on top of the process environment */
	gchar *install_hint;
	gchar *exec_info; /* KUBERNETES_EXEC_INFO */
	gboolean needs_terminal;
	guint timeout_ms;
	CclmCredential *cached;
	CclmCredentialRun *run; /* the run new callers join, or NULL */
};

G_DEFINE_FINAL_TYPE(CclmCredentialPlugin, cclm_credential_plugin, G_TYPE_OBJECT)

/* One execution of the plugin, shared by every caller that asked while it ran. */
struct _CclmCredentialRun {
	CclmCredentialPlugin *plugin;
	GSubprocess *proc;
	GCancellable *cancellable; /* cancelled on timeout, or when every caller gave up */
	GSource *timeout_source;
	GOutputStream *out;
	GOutputStream *err;
	GError *error; /* the first failure of the reads or the wait */
	guint pending; /* the wait and the two reads */
	gboolean timed_out;
	GPtrArray *waiters;
};

typedef struct {
	GTask *task;
	GSource *cancel_source; /* nullable */
	CclmCredentialRun *run;
} CclmCredentialWaiter;

GTlsCertificate *
cclm_credential_certificate_new(const gchar *cert_pem,
				gsize cert_len,
				const gchar *key_pem,
				gsize key_len,
				GError **error)
{
	g_autoptr(GByteArray) joined = g_byte_array_sized_new(cert_len + key_len + 1);
	g_autoptr(GTlsCertificate) cert = NULL;
	g_autoptr(GByteArray) key = NULL;

	g_byte_array_append(joined, (const guint8 *)cert_pem, cert_len);
	g_byte_array_append(joined, (const guint8 *)"\n", 1);
	g_byte_array_append(joined, (const guint8 *)key_pem, key_len);
	cert = g_tls_certificate_new_from_pem((const gchar *)joined->data, joined->len, error);
	memset(joined->data, 0, joined->len);
	if (cert == NULL)
		return NULL;
	/* GIO takes a PEM text without a key for a certificate alone */
	g_object_get(cert, "private-key", &key, NULL);
	if (key == NULL || key->len == 0) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_FAILED,
				    "no PEM-encoded private key found");
		return NULL;
	}
	memset(key->data, 0, key->len);
	return g_steal_pointer(&cert);
}

static CclmCredential *
cclm_credential_copy(const CclmCredential *credential)
{
	CclmCredential *copy = g_new0(CclmCredential, 1);

	copy->token = g_strdup(credential->token);
	if (credential->client_certificate != NULL)
		copy->client_certificate = g_object_ref(credential->client_certificate);
	if (credential->expiry != NULL)
		copy->expiry = g_date_time_ref(credential->expiry);
	return copy;
}

static gboolean
cclm_credential_is_expired(const CclmCredential *credential)
{
	g_autoptr(GDateTime) now = NULL;

	if (credential->expiry == NULL)
		return FALSE;
	now = g_date_time_new_now_utc();
	return g_date_time_compare(now, credential->expiry) >= 0;
}

static void
cclm_credential_waiter_detach(CclmCredentialWaiter *waiter)
{
	if (waiter->cancel_source != NULL) {
		g_source_destroy(waiter->cancel_source);
		g_clear_pointer(&waiter->cancel_source, g_source_unref);
	}
}

static void
cclm_credential_waiter_free(CclmCredentialWaiter *waiter)
{
	cclm_credential_waiter_detach(waiter);
	g_clear_object(&waiter->task);
	g_free(waiter);
}

static void
cclm_credential_run_free(CclmCredentialRun *run)
{
	if (run->timeout_source != NULL) {
		g_source_destroy(run->timeout_source);
		g_source_unref(run->timeout_source);
	}
	g_clear_pointer(&run->waiters, g_ptr_array_unref);
	g_clear_object(&run->proc);
	g_clear_object(&run->cancellable);
	/* what the plugin printed holds the credential */
	memset(g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(run->out)), 0,
	       g_memory_output_stream_get_data_size(G_MEMORY_OUTPUT_STREAM(run->out)));
	g_clear_object(&run->out);
	g_clear_object(&run->err);
	g_clear_error(&run->error);
	g_clear_object(&run->plugin);
	g_free(run);
}

/* Kills the process; the pending operations then finish as cancelled. */
static void
cclm_credential_run_abort(CclmCredentialRun *run)
{
	if (run->plugin->run == run)
		run->plugin->run = NULL;
	g_subprocess_force_exit(run->proc);
	g_cancellable_cancel(run->cancellable);
}

static gboolean
cclm_credential_waiter_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	CclmCredentialWaiter *waiter = user_data;
	CclmCredentialRun *run = waiter->run;
	g_autoptr(GTask) task = g_steal_pointer(&waiter->task);

	g_ptr_array_remove(run->waiters, waiter);
	/* nobody is left to use what the plugin prints */
	if (run->waiters->len == 0)
		cclm_credential_run_abort(run);
	g_task_return_error_if_cancelled(task);
	return G_SOURCE_REMOVE;
}

static gboolean
cclm_credential_run_timeout_cb(gpointer user_data)
{
	CclmCredentialRun *run = user_data;

	run->timed_out = TRUE;
	g_clear_pointer(&run->timeout_source, g_source_unref);
	cclm_credential_run_abort(run);
	return G_SOURCE_REMOVE;
}

/* The plugin's stderr, trimmed, bounded and valid UTF-8, as ": text", or "" when it wrote none. */
static gchar *
cclm_credential_run_stderr(CclmCredentialRun *run)
{
	GMemoryOutputStream *stream = G_MEMORY_OUTPUT_STREAM(run->err);
	gsize len =
	    MIN(g_memory_output_stream_get_data_size(stream), CCLM_CREDENTIAL_PLUGIN_STDERR_SHOWN);
	g_autofree gchar *text = NULL;

	if (len == 0)
		return g_strdup("");
	text = g_utf8_make_valid(g_memory_output_stream_get_data(stream), len);
	g_strstrip(text);
	if (text[0] == '\0')
		return g_strdup("");
	return g_strdup_printf(": %s", text);
}

static const gchar *
cclm_credential_get_string(JsonObject *object, const gchar *name)
{
	JsonNode *node = json_object_get_member(object, name);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

/* Client-go's checks of an ExecCredential (plugin/pkg/client/auth/exec). */
static CclmCredential *
cclm_credential_plugin_parse(CclmCredentialPlugin *self, GBytes *out, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(CclmCredential) credential = g_new0(CclmCredential, 1);
	g_autoptr(GError) local_error = NULL;
	JsonNode *root;
	JsonObject *object;
	JsonNode *status_node;
	JsonObject *status;
	const gchar *api_version;
	const gchar *kind;
	const gchar *token;
	const gchar *cert_pem;
	const gchar *key_pem;
	const gchar *expiry;
	gsize len;
	const gchar *data = g_bytes_get_data(out, &len);

	if (len == 0) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "printed nothing on stdout");
		return NULL;
	}
	/* json-glib's message quotes the text, which may be a secret */
	if (!json_parser_load_from_data(parser, data, (gssize)len, NULL)) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "decoding stdout: not valid JSON");
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "decoding stdout: not a JSON object");
		return NULL;
	}
	object = json_node_get_object(root);
	kind = cclm_credential_get_string(object, "kind");
	if (g_strcmp0(kind, "ExecCredential") != 0) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "decoding stdout: kind is not \"ExecCredential\"");
		return NULL;
	}
	api_version = cclm_credential_get_string(object, "apiVersion");
	if (g_strcmp0(api_version, self->api_version) != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
			    "configured to use API version %s, plugin returned version %s",
			    self->api_version, api_version != NULL ? api_version : "(none)");
		return NULL;
	}
	status_node = json_object_get_member(object, "status");
	if (status_node == NULL || !JSON_NODE_HOLDS_OBJECT(status_node)) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "didn't return a status field");
		return NULL;
	}
	status = json_node_get_object(status_node);
	token = cclm_credential_get_string(status, "token");
	cert_pem = cclm_credential_get_string(status, "clientCertificateData");
	key_pem = cclm_credential_get_string(status, "clientKeyData");
	if (token != NULL && token[0] == '\0')
		token = NULL;
	if (cert_pem != NULL && cert_pem[0] == '\0')
		cert_pem = NULL;
	if (key_pem != NULL && key_pem[0] == '\0')
		key_pem = NULL;
	if (token == NULL && cert_pem == NULL && key_pem == NULL) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "didn't return a token or cert/key pair");
		return NULL;
	}
	if ((cert_pem == NULL) != (key_pem == NULL)) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "returned only certificate or key, not both");
		return NULL;
	}
	if (cert_pem != NULL) {
		credential->client_certificate =
		    cclm_credential_certificate_new(cert_pem, strlen(cert_pem), key_pem,
						    strlen(key_pem), &local_error);
		if (credential->client_certificate == NULL) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "failed parsing client key/certificate: %s",
				    local_error->message);
			return NULL;
		}
	}
	credential->token = g_strdup(token);
	expiry = cclm_credential_get_string(status, "expirationTimestamp");
	if (expiry != NULL) {
		credential->expiry = g_date_time_new_from_iso8601(expiry, NULL);
		if (credential->expiry == NULL) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "status.expirationTimestamp: \"%s\" is not an RFC 3339 time",
				    expiry);
			return NULL;
		}
	}
	return g_steal_pointer(&credential);
}

static CclmCredential *
cclm_credential_run_result(CclmCredentialRun *run, GError **error)
{
	CclmCredentialPlugin *self = run->plugin;
	g_autofree gchar *err_text = cclm_credential_run_stderr(run);
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GError) local_error = NULL;
	CclmCredential *credential;

	if (run->timed_out) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
			    "%s: exec plugin \"%s\": did not finish within %u ms%s", self->what,
			    self->argv[0], self->timeout_ms, err_text);
		return NULL;
	}
	if (run->error != NULL) {
		if (g_error_matches(run->error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "%s: exec plugin \"%s\": printed more than %u bytes%s",
				    self->what, self->argv[0], CCLM_CREDENTIAL_PLUGIN_STDOUT_MAX,
				    err_text);
		else
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "%s: exec plugin \"%s\": %s%s", self->what, self->argv[0],
				    run->error->message, err_text);
		return NULL;
	}
	if (g_subprocess_get_if_signaled(run->proc)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
			    "%s: exec plugin \"%s\": killed by signal %d%s", self->what,
			    self->argv[0], g_subprocess_get_term_sig(run->proc), err_text);
		return NULL;
	}
	if (g_subprocess_get_exit_status(run->proc) != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
			    "%s: exec plugin \"%s\": exited with status %d%s", self->what,
			    self->argv[0], g_subprocess_get_exit_status(run->proc), err_text);
		return NULL;
	}
	/* no copy of the secret: the stream outlives the parse */
	out = g_bytes_new_static(g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(run->out)),
				 g_memory_output_stream_get_data_size(
				     G_MEMORY_OUTPUT_STREAM(run->out)));
	credential = cclm_credential_plugin_parse(self, out, &local_error);
	if (credential == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
			    "%s: exec plugin \"%s\": %s%s", self->what, self->argv[0],
			    local_error->message, err_text);
		return NULL;
	}
	return credential;
}

static void
cclm_credential_run_done(CclmCredentialRun *run)
{
	CclmCredentialPlugin *self = g_object_ref(run->plugin);
	g_autoptr(GPtrArray) waiters = g_steal_pointer(&run->waiters);
	g_autoptr(GError) error = NULL;
	g_autoptr(CclmCredential) credential = NULL;

	if (self->run == run)
		self->run = NULL;
	if (waiters->len > 0) {
		credential = cclm_credential_run_result(run, &error);
		/* a copy: a callback below may invalidate the cached one */
		if (credential != NULL) {
			g_clear_pointer(&self->cached, cclm_credential_free);
			self->cached = cclm_credential_copy(credential);
		}
	}
	cclm_credential_run_free(run);

	/* a callback may start the next run or drop the plugin: nothing of the run is used now */
	for (guint i = 0; i < waiters->len; i++) {
		CclmCredentialWaiter *waiter = g_ptr_array_index(waiters, i);

		cclm_credential_waiter_detach(waiter);
		if (credential != NULL)
			g_task_return_pointer(waiter->task, cclm_credential_copy(credential),
					      (GDestroyNotify)cclm_credential_free);
		else
			g_task_return_error(waiter->task, g_error_copy(error));
	}
	g_object_unref(self);
}

static void
cclm_credential_run_step_done(CclmCredentialRun *run, gboolean ok, GError *error)
{
	if (!ok && run->error == NULL)
		run->error = error;
	else if (!ok)
		g_error_free(error);
	/* a failed read is the first error; the others are the cancellation that follows it */
	if (!ok && !g_cancellable_is_cancelled(run->cancellable)) {
		g_subprocess_force_exit(run->proc);
		g_cancellable_cancel(run->cancellable);
	}
	if (--run->pending == 0)
		cclm_credential_run_done(run);
}

static void
cclm_credential_run_wait_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GError *error = NULL;
	gboolean ok = g_subprocess_wait_finish(G_SUBPROCESS(source), res, &error);

	cclm_credential_run_step_done(user_data, ok, error);
}

static void
cclm_credential_run_splice_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GError *error = NULL;
	gboolean ok = g_output_stream_splice_finish(G_OUTPUT_STREAM(source), res, &error) >= 0;

	cclm_credential_run_step_done(user_data, ok, error);
}

static CclmCredentialRun *
cclm_credential_run_start(CclmCredentialPlugin *self, GError **error)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GError) local_error = NULL;
	CclmCredentialRun *run;
	GSubprocess *proc;

	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
					     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					     G_SUBPROCESS_FLAGS_STDERR_PIPE);
	for (guint i = 0; self->env[i] != NULL; i++) {
		g_auto(GStrv) pair = g_strsplit(self->env[i], "=", 2);

		g_subprocess_launcher_setenv(launcher, pair[0], pair[1], TRUE);
	}
	g_subprocess_launcher_setenv(launcher, "KUBERNETES_EXEC_INFO", self->exec_info, TRUE);
	proc =
	    g_subprocess_launcher_spawnv(launcher, (const gchar *const *)self->argv, &local_error);
	if (proc == NULL) {
		if (g_error_matches(local_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "%s: exec plugin \"%s\": executable not found%s%s", self->what,
				    self->argv[0], self->install_hint != NULL ? "\n\n" : "",
				    self->install_hint != NULL ? self->install_hint : "");
		else
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
				    "%s: exec plugin \"%s\": %s", self->what, self->argv[0],
				    local_error->message);
		return NULL;
	}

	run = g_new0(CclmCredentialRun, 1);
	run->plugin = g_object_ref(self);
	run->proc = proc;
	run->cancellable = g_cancellable_new();
	run->waiters = g_ptr_array_new_with_free_func((GDestroyNotify)cclm_credential_waiter_free);
	/* not interactive: the plugin reads an empty stdin, as client-go gives it */
	g_output_stream_close(g_subprocess_get_stdin_pipe(proc), NULL, NULL);
	run->out = g_memory_output_stream_new(g_malloc(CCLM_CREDENTIAL_PLUGIN_STDOUT_MAX),
					      CCLM_CREDENTIAL_PLUGIN_STDOUT_MAX, NULL, g_free);
	run->err = g_memory_output_stream_new_resizable();
	run->pending = 3;
	g_output_stream_splice_async(run->out, g_subprocess_get_stdout_pipe(proc),
				     G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
					 G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
				     G_PRIORITY_DEFAULT, run->cancellable,
				     cclm_credential_run_splice_cb, run);
	g_output_stream_splice_async(run->err, g_subprocess_get_stderr_pipe(proc),
				     G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
					 G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
				     G_PRIORITY_DEFAULT, run->cancellable,
				     cclm_credential_run_splice_cb, run);
	g_subprocess_wait_async(proc, run->cancellable, cclm_credential_run_wait_cb, run);
	run->timeout_source = g_timeout_source_new(self->timeout_ms);
	g_source_set_callback(run->timeout_source, cclm_credential_run_timeout_cb, run, NULL);
	g_source_attach(run->timeout_source, g_main_context_get_thread_default());
	return run;
}

static void
cclm_credential_run_add_waiter(CclmCredentialRun *run, GTask *task)
{
	CclmCredentialWaiter *waiter = g_new0(CclmCredentialWaiter, 1);
	GCancellable *cancellable = g_task_get_cancellable(task);

	waiter->task = g_object_ref(task);
	waiter->run = run;
	if (cancellable != NULL) {
		waiter->cancel_source = g_cancellable_source_new(cancellable);
		g_source_set_callback(waiter->cancel_source,
				      G_SOURCE_FUNC(cclm_credential_waiter_cancelled_cb), waiter,
				      NULL);
		g_source_attach(waiter->cancel_source, g_task_get_context(task));
	}
	g_ptr_array_add(run->waiters, waiter);
}

void
cclm_credential_plugin_get_async(CclmCredentialPlugin *self,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GError) error = NULL;

	g_return_if_fail(CCLM_IS_CREDENTIAL_PLUGIN(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, cclm_credential_plugin_get_async);
	if (g_task_return_error_if_cancelled(task))
		return;
	if (self->cached != NULL && !cclm_credential_is_expired(self->cached)) {
		g_task_return_pointer(task, cclm_credential_copy(self->cached),
				      (GDestroyNotify)cclm_credential_free);
		return;
	}
	if (self->needs_terminal) {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_CREDENTIAL_PLUGIN,
					"%s: exec plugin \"%s\": interactiveMode is Always, but "
					"libcclm runs plugins without a terminal",
					self->what, self->argv[0]);
		return;
	}
	if (self->run == NULL) {
		self->run = cclm_credential_run_start(self, &error);
		if (self->run == NULL) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
	}
	cclm_credential_run_add_waiter(self->run, task);
}

CclmCredential *
cclm_credential_plugin_get_finish(CclmCredentialPlugin *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(CCLM_IS_CREDENTIAL_PLUGIN(self), NULL);
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);

	return g_task_propagate_pointer(G_TASK(res), error);
}

void
cclm_credential_plugin_invalidate(CclmCredentialPlugin *self)
{
	g_return_if_fail(CCLM_IS_CREDENTIAL_PLUGIN(self));

	g_clear_pointer(&self->cached, cclm_credential_free);
}

void
cclm_credential_plugin_set_timeout(CclmCredentialPlugin *self, guint timeout_ms)
{
	g_return_if_fail(CCLM_IS_CREDENTIAL_PLUGIN(self));
	g_return_if_fail(timeout_ms > 0);

	self->timeout_ms = timeout_ms;
}

/* A member that is absent or null gives NULL; one of another type than @type an error. */
static gboolean
cclm_credential_plugin_member(JsonObject *exec,
			      const gchar *name,
			      JsonNodeType type,
			      GType value_type,
			      const gchar *what,
			      JsonNode **out,
			      GError **error)
{
	JsonNode *node = json_object_get_member(exec, name);

	*out = NULL;
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (JSON_NODE_TYPE(node) != type ||
	    (type == JSON_NODE_VALUE && json_node_get_value_type(node) != value_type)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "%s: exec.%s: expected %s",
			    what, name,
			    type == JSON_NODE_ARRAY	   ? "a list"
			    : type == JSON_NODE_OBJECT	   ? "a mapping"
			    : value_type == G_TYPE_BOOLEAN ? "a boolean"
							   : "a string");
		return FALSE;
	}
	*out = node;
	return TRUE;
}

static gboolean
cclm_credential_plugin_string(JsonObject *exec,
			      const gchar *name,
			      const gchar *what,
			      gchar **out,
			      GError **error)
{
	JsonNode *node;

	*out = NULL;
	if (!cclm_credential_plugin_member(exec, name, JSON_NODE_VALUE, G_TYPE_STRING, what, &node,
					   error))
		return FALSE;
	if (node != NULL)
		*out = g_strdup(json_node_get_string(node));
	return TRUE;
}

/* spec.cluster, when the plugin asked for it, per clientauthentication/v1 ExecCredentialSpec. */
static gchar *
cclm_credential_plugin_exec_info(const gchar *api_version, JsonObject *cluster)
{
	/* not immutable: that would seal the caller's @cluster */
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "kind");
	json_builder_add_string_value(builder, "ExecCredential");
	json_builder_set_member_name(builder, "apiVersion");
	json_builder_add_string_value(builder, api_version);
	json_builder_set_member_name(builder, "spec");
	json_builder_begin_object(builder);
	if (cluster != NULL) {
		json_builder_set_member_name(builder, "cluster");
		json_builder_add_value(builder, json_node_init_object(json_node_alloc(), cluster));
	}
	json_builder_set_member_name(builder, "interactive");
	json_builder_add_boolean_value(builder, FALSE);
	json_builder_end_object(builder);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	return json_to_string(root, FALSE);
}

static gboolean
cclm_credential_plugin_load_env(CclmCredentialPlugin *self,
				JsonObject *exec,
				const gchar *what,
				GError **error)
{
	g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func(g_free);
	JsonNode *node;

	if (!cclm_credential_plugin_member(exec, "env", JSON_NODE_ARRAY, G_TYPE_INVALID, what,
					   &node, error))
		return FALSE;
	for (guint i = 0; node != NULL && i < json_array_get_length(json_node_get_array(node));
	     i++) {
		JsonNode *item = json_array_get_element(json_node_get_array(node), i);
		g_autofree gchar *name = NULL;
		g_autofree gchar *value = NULL;

		if (!JSON_NODE_HOLDS_OBJECT(item)) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: exec.env[%u]: expected a mapping", what, i);
			return FALSE;
		}
		if (!cclm_credential_plugin_string(json_node_get_object(item), "name", what, &name,
						   error) ||
		    !cclm_credential_plugin_string(json_node_get_object(item), "value", what,
						   &value, error))
			return FALSE;
		if (name == NULL || name[0] == '\0' || strchr(name, '=') != NULL) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: exec.env[%u].name: must be a variable name", what, i);
			return FALSE;
		}
		g_ptr_array_add(env, g_strdup_printf("%s=%s", name, value != NULL ? value : ""));
	}
	g_ptr_array_add(env, NULL);
	self->env = (gchar **)g_ptr_array_free(g_steal_pointer(&env), FALSE);
	return TRUE;
}

static gboolean
cclm_credential_plugin_load_argv(CclmCredentialPlugin *self,
				 JsonObject *exec,
				 const gchar *what,
				 GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *command = NULL;
	JsonNode *node;

	if (!cclm_credential_plugin_string(exec, "command", what, &command, error))
		return FALSE;
	if (command == NULL || command[0] == '\0') {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: exec.command: must be set to use an exec credential plugin", what);
		return FALSE;
	}
	g_ptr_array_add(argv, g_steal_pointer(&command));
	if (!cclm_credential_plugin_member(exec, "args", JSON_NODE_ARRAY, G_TYPE_INVALID, what,
					   &node, error))
		return FALSE;
	for (guint i = 0; node != NULL && i < json_array_get_length(json_node_get_array(node));
	     i++) {
		JsonNode *item = json_array_get_element(json_node_get_array(node), i);

		if (!JSON_NODE_HOLDS_VALUE(item) ||
		    json_node_get_value_type(item) != G_TYPE_STRING) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: exec.args[%u]: expected a string", what, i);
			return FALSE;
		}
		g_ptr_array_add(argv, g_strdup(json_node_get_string(item)));
	}
	g_ptr_array_add(argv, NULL);
	self->argv = (gchar **)g_ptr_array_free(g_steal_pointer(&argv), FALSE);
	return TRUE;
}

CclmCredentialPlugin *
cclm_credential_plugin_new(JsonObject *exec, JsonObject *cluster, const gchar *what, GError **error)
{
	g_autoptr(CclmCredentialPlugin) self = NULL;
	g_autofree gchar *interactive_mode = NULL;
	JsonNode *provide_cluster_info;

	g_return_val_if_fail(exec != NULL, NULL);
	g_return_val_if_fail(what != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_object_new(CCLM_TYPE_CREDENTIAL_PLUGIN, NULL);
	self->what = g_strdup(what);
	if (!cclm_credential_plugin_string(exec, "apiVersion", what, &self->api_version, error))
		return NULL;
	if (self->api_version == NULL || self->api_version[0] == '\0') {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: exec.apiVersion: must be set to use an exec credential plugin",
			    what);
		return NULL;
	}
	if (g_strcmp0(self->api_version, "client.authentication.k8s.io/v1") != 0 &&
	    g_strcmp0(self->api_version, "client.authentication.k8s.io/v1beta1") != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: exec.apiVersion: \"%s\" is not client.authentication.k8s.io/v1 "
			    "or v1beta1",
			    what, self->api_version);
		return NULL;
	}
	if (!cclm_credential_plugin_load_argv(self, exec, what, error) ||
	    !cclm_credential_plugin_load_env(self, exec, what, error) ||
	    !cclm_credential_plugin_string(exec, "installHint", what, &self->install_hint, error) ||
	    !cclm_credential_plugin_string(exec, "interactiveMode", what, &interactive_mode,
					   error) ||
	    !cclm_credential_plugin_member(exec, "provideClusterInfo", JSON_NODE_VALUE,
					   G_TYPE_BOOLEAN, what, &provide_cluster_info, error))
		return NULL;

	/* v1 has no default (client-go's validation); v1beta1 defaults to IfAvailable */
	if (interactive_mode == NULL && g_str_has_suffix(self->api_version, "/v1beta1"))
		interactive_mode = g_strdup("IfAvailable");
	if (interactive_mode == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: exec.interactiveMode: must be set for %s", what,
			    self->api_version);
		return NULL;
	}
	if (g_strcmp0(interactive_mode, "Never") != 0 &&
	    g_strcmp0(interactive_mode, "IfAvailable") != 0 &&
	    g_strcmp0(interactive_mode, "Always") != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: exec.interactiveMode: \"%s\" is not Never, IfAvailable or Always",
			    what, interactive_mode);
		return NULL;
	}
	self->needs_terminal = g_strcmp0(interactive_mode, "Always") == 0;
	self->exec_info =
	    cclm_credential_plugin_exec_info(self->api_version,
					     provide_cluster_info != NULL &&
						     json_node_get_boolean(provide_cluster_info)
						 ? cluster
						 : NULL);
	return g_steal_pointer(&self);
}

static void
cclm_credential_plugin_finalize(GObject *object)
{
	CclmCredentialPlugin *self = CCLM_CREDENTIAL_PLUGIN(object);

	g_free(self->what);
	g_free(self->api_version);
	g_strfreev(self->argv);
	g_strfreev(self->env);
	g_free(self->install_hint);
	g_free(self->exec_info);
	g_clear_pointer(&self->cached, cclm_credential_free);
	G_OBJECT_CLASS(cclm_credential_plugin_parent_class)->finalize(object);
}

static void
cclm_credential_plugin_class_init(CclmCredentialPluginClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = cclm_credential_plugin_finalize;
}

static void
cclm_credential_plugin_init(CclmCredentialPlugin *self)
{
	self->timeout_ms = CCLM_CREDENTIAL_PLUGIN_TIMEOUT_MS;
}
