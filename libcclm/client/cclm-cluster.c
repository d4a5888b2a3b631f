/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-cluster-private.h"
#include "cclm-enum-types.h"
#include "cclm-error-private.h"
#include "cclm-kubeconfig-private.h"

/**
 * CclmCluster:
 *
 * One Kubernetes cluster, reached as one kubeconfig context.
 *
 * A cluster talks to its API server over HTTPS with the context's credentials: discovery
 * ([method@Cluster.connect_async]), and get, paged list, watch, create, patch and delete of any
 * resource by its REST path (see [func@Cluster.build_path]). Every failure is a %CCLM_ERROR
 * whose code follows the Kubernetes `Status` reason, with [func@Error.get_http_status] and
 * [func@Error.get_reason] readable; transient failures are retried as the REST layer documents.
 *
 * Since: 0.1
 */
struct _CclmCluster {
	GObject parent_instance;
	CclmKubeconfig *kubeconfig;
	gchar *context;
	gchar *server;
	gchar *namespace;
	CclmRestClient *rest;
	gchar *server_version;
	gchar *kubevirt_version;
	CclmClusterFeatures features;
	gboolean reachable;
};

static void
cclm_cluster_initable_iface_init(GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(CclmCluster,
			      cclm_cluster,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE,
						    cclm_cluster_initable_iface_init))

enum {
	PROP_0,
	PROP_KUBECONFIG,
	PROP_CONTEXT,
	PROP_NAME,
	PROP_SERVER,
	PROP_NAMESPACE,
	PROP_SERVER_VERSION,
	PROP_KUBEVIRT_VERSION,
	PROP_FEATURES,
	PROP_REACHABLE,
	N_PROPS
};
static GParamSpec *props[N_PROPS];

enum { SIGNAL_STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* A transport failure or refused credentials: the cluster cannot be used, as opposed to an
 * API answer such as NotFound that proves it works. */
static gboolean
cclm_cluster_error_is_unreachable(const GError *error)
{
	if (error->domain != CCLM_ERROR)
		return FALSE;
	if (error->code == CCLM_ERROR_UNAUTHORIZED || error->code == CCLM_ERROR_CREDENTIAL_PLUGIN)
		return TRUE;
	return cclm_error_get_http_status(error) == 0 &&
	       (error->code == CCLM_ERROR_NETWORK || error->code == CCLM_ERROR_TLS ||
		error->code == CCLM_ERROR_TIMEOUT);
}

static void
cclm_cluster_set_reachable(CclmCluster *self, gboolean reachable, const GError *error)
{
	if (self->reachable == reachable)
		return;
	self->reachable = reachable;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_REACHABLE]);
	g_signal_emit(self, signals[SIGNAL_STATE_CHANGED], 0, reachable, error);
}

/* Every reply tells whether the cluster is reachable; cancellation tells nothing. */
static void
cclm_cluster_note_result(CclmCluster *self, const GError *error)
{
	if (error == NULL)
		cclm_cluster_set_reachable(self, TRUE, NULL);
	else if (cclm_cluster_error_is_unreachable(error))
		cclm_cluster_set_reachable(self, FALSE, error);
	else if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		cclm_cluster_set_reachable(self, TRUE, NULL);
}

static void
cclm_cluster_set_string(CclmCluster *self, gchar **field, const gchar *value, guint prop)
{
	if (g_strcmp0(*field, value) == 0)
		return;
	g_free(*field);
	*field = g_strdup(value);
	g_object_notify_by_pspec(G_OBJECT(self), props[prop]);
}

/**
 * cclm_cluster_new:
 * @kubeconfig: a #CclmKubeconfig
 * @context: (nullable): a context of @kubeconfig, or %NULL for its current context
 * @error: return location for a #GError
 *
 * Prepares a connection to the cluster of @context, with its credentials. Nothing is sent
 * until the first request; [method@Cluster.connect_async] checks the connection.
 *
 * Returns: (transfer full): a new #CclmCluster, or %NULL with @error set
 *   (%CCLM_ERROR_KUBECONFIG) when the context is unknown or its configuration unusable
 *
 * Since: 0.1
 */
CclmCluster *
cclm_cluster_new(CclmKubeconfig *kubeconfig, const gchar *context, GError **error)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(kubeconfig), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return g_initable_new(CCLM_TYPE_CLUSTER, NULL, error, "kubeconfig", kubeconfig, "context",
			      context, NULL);
}

static gboolean
cclm_cluster_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
	CclmCluster *self = CCLM_CLUSTER(initable);
	g_autoptr(CclmRestConfig) config = NULL;

	if (self->kubeconfig == NULL) {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
				    "cluster: no kubeconfig given");
		return FALSE;
	}
	if (self->context == NULL) {
		const gchar *current = cclm_kubeconfig_get_current_context(self->kubeconfig);
		if (current == NULL) {
			g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
					    "kubeconfig: current-context is not set; name a context");
			return FALSE;
		}
		self->context = g_strdup(current);
	}
	config = cclm_kubeconfig_get_rest_config(self->kubeconfig, self->context, error);
	if (config == NULL)
		return FALSE;
	self->rest = cclm_rest_client_new(config, error);
	if (self->rest == NULL)
		return FALSE;
	self->server = g_strdup(config->server);
	self->namespace = g_strdup(config->namespace);
	return TRUE;
}

static void
cclm_cluster_initable_iface_init(GInitableIface *iface)
{
	iface->init = cclm_cluster_initable_init;
}

/**
 * cclm_cluster_build_path:
 * @group: (nullable): the API group, %NULL or "" for the core group
 * @version: the API version, such as "v1"
 * @resource: the resource (plural, lower case), such as "pods"
 * @namespace_: (nullable): the namespace, %NULL for cluster-scoped resources or to span all
 *   namespaces
 * @name: (nullable): an object's name, %NULL for the collection
 *
 * The REST path of a collection or an object, with its parts escaped:
 * `/api/v1/namespaces/ns/pods/name` or `/apis/kubevirt.io/v1/virtualmachines`.
 *
 * Returns: (transfer full): the path
 *
 * Since: 0.1
 */
gchar *
cclm_cluster_build_path(const gchar *group,
			const gchar *version,
			const gchar *resource,
			const gchar *namespace_,
			const gchar *name)
{
	GString *path = g_string_new(NULL);

	g_return_val_if_fail(version != NULL && resource != NULL, NULL);

	if (group == NULL || group[0] == '\0')
		g_string_append_printf(path, "/api/%s", version);
	else
		g_string_append_printf(path, "/apis/%s/%s", group, version);
	if (namespace_ != NULL) {
		g_string_append(path, "/namespaces/");
		g_string_append_uri_escaped(path, namespace_, NULL, TRUE);
	}
	g_string_append_c(path, '/');
	g_string_append_uri_escaped(path, resource, "/", TRUE);
	if (name != NULL) {
		g_string_append_c(path, '/');
		g_string_append_uri_escaped(path, name, NULL, TRUE);
	}
	return g_string_free(path, FALSE);
}

CclmRestClient *
cclm_cluster_get_rest_client(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	return self->rest;
}

/**
 * cclm_cluster_get_name:
 * @self: a #CclmCluster
 *
 * The cluster's name in a fleet: its kubeconfig context's name.
 *
 * Returns: the name
 *
 * Since: 0.1
 */
const gchar *
cclm_cluster_get_name(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	return self->context;
}

/**
 * cclm_cluster_get_context:
 * @self: a #CclmCluster
 *
 * The kubeconfig context this cluster was made from.
 *
 * Returns: the context's name
 *
 * Since: 0.1
 */
const gchar *
cclm_cluster_get_context(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	return self->context;
}

/**
 * cclm_cluster_get_server:
 * @self: a #CclmCluster
 *
 * The API server's URL, from the kubeconfig.
 *
 * Returns: the URL, such as `https://127.0.0.1:6443`
 *
 * Since: 0.1
 */
const gchar *
cclm_cluster_get_server(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	return self->server;
}

/**
 * cclm_cluster_get_namespace:
 * @self: a #CclmCluster
 *
 * The context's default namespace.
 *
 * Returns: (nullable): the namespace, or %NULL when the context names none
 *
 * Since: 0.1
 */
const gchar *
cclm_cluster_get_namespace(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	return self->namespace;
}

/**
 * cclm_cluster_get_server_version:
 * @self: a #CclmCluster
 *
 * The API server's `gitVersion`, known once [method@Cluster.connect_async] succeeded.
 *
 * Returns: (nullable): the version, such as "v1.32.4"
 *
 * Since: 0.1
 */
const gchar *
cclm_cluster_get_server_version(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	return self->server_version;
}

/**
 * cclm_cluster_get_kubevirt_version:
 * @self: a #CclmCluster
 *
 * The version of KubeVirt the KubeVirt custom resource reports
 * (`status.observedKubeVirtVersion`), known once [method@Cluster.connect_async] succeeded.
 *
 * Returns: (nullable): the version, or %NULL when KubeVirt is absent or reports none
 *
 * Since: 0.1
 */
const gchar *
cclm_cluster_get_kubevirt_version(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	return self->kubevirt_version;
}

/**
 * cclm_cluster_get_features:
 * @self: a #CclmCluster
 *
 * What discovery found, once [method@Cluster.connect_async] succeeded.
 *
 * Returns: the features
 *
 * Since: 0.1
 */
CclmClusterFeatures
cclm_cluster_get_features(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), CCLM_CLUSTER_FEATURE_NONE);
	return self->features;
}

/**
 * cclm_cluster_get_reachable:
 * @self: a #CclmCluster
 *
 * Whether the last request reached the API server and was authenticated.
 *
 * Returns: %TRUE when reachable
 *
 * Since: 0.1
 */
gboolean
cclm_cluster_get_reachable(CclmCluster *self)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), FALSE);
	return self->reachable;
}

/* --- requests ------------------------------------------------------------------------------ */

static void
cclm_cluster_request_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmCluster *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	JsonNode *node;

	node = cclm_rest_client_request_finish(CCLM_REST_CLIENT(source), res, &error);
	cclm_cluster_note_result(self, error);
	if (node == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, node, (GDestroyNotify)json_node_unref);
}

static void
cclm_cluster_request(CclmCluster *self,
		     gpointer source_tag,
		     const gchar *method,
		     const gchar *path,
		     const gchar *content_type,
		     JsonNode *body,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GBytes) bytes = NULL;

	g_task_set_source_tag(task, source_tag);
	if (body != NULL) {
		gsize len = 0;
		gchar *data = json_to_string(body, FALSE);
		len = strlen(data);
		bytes = g_bytes_new_take(data, len);
	}
	cclm_rest_client_request_async(self->rest, method, path, content_type, bytes, cancellable,
				       cclm_cluster_request_cb, g_steal_pointer(&task));
}

static JsonNode *
cclm_cluster_request_finish(CclmCluster *self,
			    GAsyncResult *result,
			    gpointer source_tag,
			    GError **error)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == source_tag, NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static gboolean
cclm_cluster_check_path(const gchar *path, GError **error)
{
	if (path == NULL || path[0] != '/') {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
			    "path \"%s\": a REST path starts with /", path != NULL ? path : "");
		return FALSE;
	}
	return TRUE;
}

/**
 * cclm_cluster_get_async:
 * @self: a #CclmCluster
 * @path: the REST path of an object or collection, with any query
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one object (or any JSON document the API server serves at @path); see
 * [method@Cluster.get_finish]. Collections are better read with [method@Cluster.list_async].
 *
 * Since: 0.1
 */
void
cclm_cluster_get_async(CclmCluster *self,
		       const gchar *path,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	GError *error = NULL;

	g_return_if_fail(CCLM_IS_CLUSTER(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	if (!cclm_cluster_check_path(path, &error)) {
		g_task_report_error(self, callback, user_data, cclm_cluster_get_async, error);
		return;
	}
	cclm_cluster_request(self, cclm_cluster_get_async, "GET", path, NULL, NULL, cancellable,
			     callback, user_data);
}

/**
 * cclm_cluster_get_finish:
 * @self: a #CclmCluster
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Cluster.get_async].
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 *
 * Since: 0.1
 */
JsonNode *
cclm_cluster_get_finish(CclmCluster *self, GAsyncResult *result, GError **error)
{
	return cclm_cluster_request_finish(self, result, cclm_cluster_get_async, error);
}

typedef struct {
	CclmClusterPageFunc func;
	gpointer data;
	GDestroyNotify destroy;
} CclmClusterListData;

static void
cclm_cluster_list_data_free(CclmClusterListData *data)
{
	if (data->destroy != NULL)
		data->destroy(data->data);
	g_free(data);
}

static gboolean
cclm_cluster_list_page_cb(JsonArray *items,
			  const gchar *resource_version,
			  gpointer user_data,
			  GError **error)
{
	CclmClusterListData *data = user_data;

	if (!data->func(items, data->data)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
				    "the list was stopped by its page function");
		return FALSE;
	}
	return TRUE;
}

static void
cclm_cluster_list_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmCluster *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	gchar *resource_version;

	resource_version = cclm_rest_client_list_finish(CCLM_REST_CLIENT(source), res, &error);
	cclm_cluster_note_result(self, error);
	if (resource_version == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, resource_version, g_free);
}

/**
 * cclm_cluster_list_async:
 * @self: a #CclmCluster
 * @path: the REST path of a collection, with any `labelSelector` or `fieldSelector` query
 * @page_size: objects per page (`limit`), 0 for the default of 500
 * @page_func: (scope notified) (closure page_data) (destroy page_data_destroy): called with
 *   each page's objects, in order
 * @page_data: data for @page_func
 * @page_data_destroy: (nullable): frees @page_data when the list is done
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the whole list was read
 * @user_data: (closure): data for @callback
 *
 * Lists a collection page by page (`limit` and `continue`), handing each page to @page_func
 * so that no one ever holds the whole list: a 30,000-pod list never becomes one JSON tree. A
 * continue token that expired restarts the list once, as client-go's pager does, so
 * @page_func may then see objects again. See [method@Cluster.list_finish].
 *
 * Since: 0.1
 */
void
cclm_cluster_list_async(CclmCluster *self,
			const gchar *path,
			guint page_size,
			CclmClusterPageFunc page_func,
			gpointer page_data,
			GDestroyNotify page_data_destroy,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	CclmClusterListData *data;
	GError *error = NULL;

	g_return_if_fail(CCLM_IS_CLUSTER(self));
	g_return_if_fail(page_func != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	data = g_new0(CclmClusterListData, 1);
	data->func = page_func;
	data->data = page_data;
	data->destroy = page_data_destroy;
	if (!cclm_cluster_check_path(path, &error)) {
		cclm_cluster_list_data_free(data);
		g_task_report_error(self, callback, user_data, cclm_cluster_list_async, error);
		return;
	}
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, cclm_cluster_list_async);
	cclm_rest_client_list_async(self->rest, path, page_size != 0 ? page_size : 500,
				    cclm_cluster_list_page_cb, data,
				    (GDestroyNotify)cclm_cluster_list_data_free, cancellable,
				    cclm_cluster_list_cb, g_steal_pointer(&task));
}

/**
 * cclm_cluster_list_finish:
 * @self: a #CclmCluster
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Cluster.list_async].
 *
 * Returns: (transfer full): the list's `resourceVersion`, from which a watch may start, or
 *   %NULL with @error set
 *
 * Since: 0.1
 */
gchar *
cclm_cluster_list_finish(CclmCluster *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

/**
 * cclm_cluster_watch:
 * @self: a #CclmCluster
 * @path: the REST path of a collection, with any selectors in its query
 * @resource_version: (nullable): where to start; %NULL lists first, reporting every object
 *   as added
 *
 * Follows a collection as client-go's reflector does; see #CclmWatch. Call
 * [method@Watch.start] after connecting its signals.
 *
 * Returns: (transfer full): a new #CclmWatch, not started
 *
 * Since: 0.1
 */
CclmWatch *
cclm_cluster_watch(CclmCluster *self, const gchar *path, const gchar *resource_version)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), NULL);
	g_return_val_if_fail(path != NULL && path[0] == '/', NULL);
	return cclm_rest_client_watch(self->rest, path, resource_version);
}

/**
 * cclm_cluster_create_async:
 * @self: a #CclmCluster
 * @path: the REST path of the collection to create the object in
 * @object: the object, a JSON object with `apiVersion`, `kind` and `metadata`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Creates an object (POST); see [method@Cluster.create_finish]. It is retried only when the
 * server provably did not act on it (429, or a reply with `Retry-After`).
 *
 * Since: 0.1
 */
void
cclm_cluster_create_async(CclmCluster *self,
			  const gchar *path,
			  JsonNode *object,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	GError *error = NULL;

	g_return_if_fail(CCLM_IS_CLUSTER(self));
	g_return_if_fail(object != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	if (!cclm_cluster_check_path(path, &error)) {
		g_task_report_error(self, callback, user_data, cclm_cluster_create_async, error);
		return;
	}
	if (!JSON_NODE_HOLDS_OBJECT(object)) {
		g_task_report_new_error(self, callback, user_data, cclm_cluster_create_async,
					CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
					"create %s: the object is not a JSON object", path);
		return;
	}
	cclm_cluster_request(self, cclm_cluster_create_async, "POST", path, "application/json",
			     object, cancellable, callback, user_data);
}

/**
 * cclm_cluster_create_finish:
 * @self: a #CclmCluster
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Cluster.create_async].
 *
 * Returns: (transfer full): the object as the server stored it, or %NULL with @error set
 *   (%CCLM_ERROR_ALREADY_EXISTS, %CCLM_ERROR_INVALID, %CCLM_ERROR_FORBIDDEN...)
 *
 * Since: 0.1
 */
JsonNode *
cclm_cluster_create_finish(CclmCluster *self, GAsyncResult *result, GError **error)
{
	return cclm_cluster_request_finish(self, result, cclm_cluster_create_async, error);
}

/**
 * cclm_cluster_patch_async:
 * @self: a #CclmCluster
 * @path: the REST path of the object
 * @patch_type: how @patch applies
 * @patch: the patch document
 * @field_manager: (nullable): the field manager; required by %CCLM_PATCH_TYPE_APPLY
 * @force: for %CCLM_PATCH_TYPE_APPLY, take over fields other managers own
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Changes an object (PATCH); see [method@Cluster.patch_finish]. Server-side apply creates the
 * object when it is missing.
 *
 * Since: 0.1
 */
void
cclm_cluster_patch_async(CclmCluster *self,
			 const gchar *path,
			 CclmPatchType patch_type,
			 JsonNode *patch,
			 const gchar *field_manager,
			 gboolean force,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	static const gchar *const content_types[] = {
	    [CCLM_PATCH_TYPE_MERGE] = CCLM_PATCH_MERGE,
	    [CCLM_PATCH_TYPE_JSON] = CCLM_PATCH_JSON,
	    [CCLM_PATCH_TYPE_STRATEGIC_MERGE] = CCLM_PATCH_STRATEGIC,
	    [CCLM_PATCH_TYPE_APPLY] = CCLM_PATCH_APPLY,
	};
	g_autoptr(GString) full_path = NULL;
	GError *error = NULL;

	g_return_if_fail(CCLM_IS_CLUSTER(self));
	g_return_if_fail(patch != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	if (!cclm_cluster_check_path(path, &error)) {
		g_task_report_error(self, callback, user_data, cclm_cluster_patch_async, error);
		return;
	}
	if ((guint)patch_type >= G_N_ELEMENTS(content_types)) {
		g_task_report_new_error(self, callback, user_data, cclm_cluster_patch_async,
					CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
					"patch %s: unknown patch type %d", path, patch_type);
		return;
	}
	if (patch_type == CCLM_PATCH_TYPE_APPLY && (field_manager == NULL || field_manager[0] == '\0')) {
		g_task_report_new_error(self, callback, user_data, cclm_cluster_patch_async,
					CCLM_ERROR, CCLM_ERROR_INVALID_ARGUMENT,
					"patch %s: server-side apply needs a field manager", path);
		return;
	}
	full_path = g_string_new(path);
	if (field_manager != NULL) {
		g_string_append(full_path, strchr(path, '?') != NULL ? "&" : "?");
		g_string_append(full_path, "fieldManager=");
		g_string_append_uri_escaped(full_path, field_manager, NULL, TRUE);
	}
	if (patch_type == CCLM_PATCH_TYPE_APPLY && force)
		g_string_append(full_path, "&force=true");
	cclm_cluster_request(self, cclm_cluster_patch_async, "PATCH", full_path->str,
			     content_types[patch_type], patch, cancellable, callback, user_data);
}

/**
 * cclm_cluster_patch_finish:
 * @self: a #CclmCluster
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Cluster.patch_async].
 *
 * Returns: (transfer full): the object as the server stored it, or %NULL with @error set
 *   (%CCLM_ERROR_CONFLICT when another field manager owns a field, %CCLM_ERROR_UNSUPPORTED
 *   for a strategic merge patch of a custom resource...)
 *
 * Since: 0.1
 */
JsonNode *
cclm_cluster_patch_finish(CclmCluster *self, GAsyncResult *result, GError **error)
{
	return cclm_cluster_request_finish(self, result, cclm_cluster_patch_async, error);
}

/**
 * cclm_cluster_delete_async:
 * @self: a #CclmCluster
 * @path: the REST path of the object
 * @propagation_policy: (nullable): "Background", "Foreground" or "Orphan"; %NULL for the
 *   server's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes an object; see [method@Cluster.delete_finish].
 *
 * Since: 0.1
 */
void
cclm_cluster_delete_async(CclmCluster *self,
			  const gchar *path,
			  const gchar *propagation_policy,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_autoptr(JsonNode) options = NULL;
	GError *error = NULL;

	g_return_if_fail(CCLM_IS_CLUSTER(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	if (!cclm_cluster_check_path(path, &error)) {
		g_task_report_error(self, callback, user_data, cclm_cluster_delete_async, error);
		return;
	}
	if (propagation_policy != NULL) {
		g_autoptr(JsonObject) object = json_object_new();
		json_object_set_string_member(object, "kind", "DeleteOptions");
		json_object_set_string_member(object, "apiVersion", "v1");
		json_object_set_string_member(object, "propagationPolicy", propagation_policy);
		options = json_node_init_object(json_node_alloc(), object);
	}
	cclm_cluster_request(self, cclm_cluster_delete_async, "DELETE", path,
			     options != NULL ? "application/json" : NULL, options, cancellable,
			     callback, user_data);
}

/**
 * cclm_cluster_delete_finish:
 * @self: a #CclmCluster
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Cluster.delete_async].
 *
 * Returns: (transfer full): what the server replied: the deleted object (or the object with
 *   its `deletionTimestamp` while finalizers or a kubelet still hold it), or a `Status` for
 *   custom resources; %NULL with @error set
 *
 * Since: 0.1
 */
JsonNode *
cclm_cluster_delete_finish(CclmCluster *self, GAsyncResult *result, GError **error)
{
	return cclm_cluster_request_finish(self, result, cclm_cluster_delete_async, error);
}

/* --- connect: version and discovery -------------------------------------------------------- */

typedef struct {
	guint pending;
	GError *error;
	CclmClusterFeatures features;
	gchar *kubevirt_version;
} CclmClusterConnect;

static void
cclm_cluster_connect_free(CclmClusterConnect *data)
{
	g_clear_error(&data->error);
	g_free(data->kubevirt_version);
	g_free(data);
}

static gboolean
cclm_cluster_resource_list_has(JsonNode *node, const gchar *resource)
{
	JsonObject *object = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	JsonArray *resources;

	if (object == NULL || !json_object_has_member(object, "resources"))
		return FALSE;
	resources = json_object_get_array_member(object, "resources");
	for (guint i = 0; resources != NULL && i < json_array_get_length(resources); i++) {
		JsonNode *element = json_array_get_element(resources, i);
		if (JSON_NODE_HOLDS_OBJECT(element) &&
		    g_strcmp0(json_object_get_string_member_with_default(
				  json_node_get_object(element), "name", NULL),
			      resource) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
cclm_cluster_connect_step_done(GTask *task, GError *error)
{
	CclmCluster *self = g_task_get_source_object(task);
	CclmClusterConnect *data = g_task_get_task_data(task);

	/* a lookup of something optional that is absent or hidden from this identity says only
	 * that the feature cannot be used */
	if (error != NULL && (g_error_matches(error, CCLM_ERROR, CCLM_ERROR_NOT_FOUND) ||
			      g_error_matches(error, CCLM_ERROR, CCLM_ERROR_FORBIDDEN)))
		g_clear_error(&error);
	if (error != NULL && data->error == NULL)
		data->error = error;
	else
		g_clear_error(&error);
	if (--data->pending > 0)
		return;
	if (data->error != NULL) {
		g_task_return_error(task, g_steal_pointer(&data->error));
		return;
	}
	if (self->features != data->features) {
		self->features = data->features;
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_FEATURES]);
	}
	cclm_cluster_set_string(self, &self->kubevirt_version, data->kubevirt_version,
				PROP_KUBEVIRT_VERSION);
	g_task_return_boolean(task, TRUE);
}

static void
cclm_cluster_connect_storage_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmClusterConnect *data = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(JsonNode) node = NULL;

	node = cclm_rest_client_request_finish(CCLM_REST_CLIENT(source), res, &error);
	if (node != NULL && cclm_cluster_resource_list_has(node, "csistoragecapacities"))
		data->features |= CCLM_CLUSTER_FEATURE_CSI_STORAGE_CAPACITY;
	cclm_cluster_connect_step_done(task, error);
}

static void
cclm_cluster_connect_openshift_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmClusterConnect *data = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(JsonNode) node = NULL;

	node = cclm_rest_client_request_finish(CCLM_REST_CLIENT(source), res, &error);
	if (node != NULL && cclm_cluster_resource_list_has(node, "networks"))
		data->features |= CCLM_CLUSTER_FEATURE_OPENSHIFT_NETWORK;
	cclm_cluster_connect_step_done(task, error);
}

static void
cclm_cluster_connect_kubevirt_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmClusterConnect *data = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonArray *items = NULL;

	node = cclm_rest_client_request_finish(CCLM_REST_CLIENT(source), res, &error);
	if (node != NULL && JSON_NODE_HOLDS_OBJECT(node) &&
	    json_object_has_member(json_node_get_object(node), "items"))
		items = json_object_get_array_member(json_node_get_object(node), "items");
	/* one KubeVirt CR per cluster is the rule; the first that reports a version wins */
	for (guint i = 0; items != NULL && i < json_array_get_length(items); i++) {
		JsonNode *item = json_array_get_element(items, i);
		JsonObject *status;
		if (!JSON_NODE_HOLDS_OBJECT(item))
			continue;
		status = json_object_get_object_member(json_node_get_object(item), "status");
		if (status != NULL &&
		    json_object_get_string_member_with_default(status, "observedKubeVirtVersion",
							       NULL) != NULL) {
			data->kubevirt_version = g_strdup(json_object_get_string_member(
			    status, "observedKubeVirtVersion"));
			break;
		}
	}
	cclm_cluster_connect_step_done(task, error);
}

static void
cclm_cluster_connect_apis_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmCluster *self = g_task_get_source_object(task);
	CclmClusterConnect *data = g_task_get_task_data(task);
	GCancellable *cancellable = g_task_get_cancellable(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonArray *groups = NULL;
	gboolean storage = FALSE, openshift = FALSE;
	static const struct {
		const gchar *group;
		CclmClusterFeatures feature;
	} group_features[] = {
	    {"kubevirt.io", CCLM_CLUSTER_FEATURE_KUBEVIRT},
	    {"cdi.kubevirt.io", CCLM_CLUSTER_FEATURE_CDI},
	    {"hco.kubevirt.io", CCLM_CLUSTER_FEATURE_HYPERCONVERGED},
	    {"k8s.cni.cncf.io", CCLM_CLUSTER_FEATURE_MULTUS},
	};

	node = cclm_rest_client_request_finish(CCLM_REST_CLIENT(source), res, &error);
	cclm_cluster_note_result(self, error);
	if (node == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (JSON_NODE_HOLDS_OBJECT(node) &&
	    json_object_has_member(json_node_get_object(node), "groups"))
		groups = json_object_get_array_member(json_node_get_object(node), "groups");
	if (groups == NULL) {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_PARSE,
					"cluster \"%s\": GET /apis: no \"groups\" in the reply",
					self->context);
		return;
	}
	for (guint i = 0; i < json_array_get_length(groups); i++) {
		JsonNode *element = json_array_get_element(groups, i);
		const gchar *name;
		if (!JSON_NODE_HOLDS_OBJECT(element))
			continue;
		name = json_object_get_string_member_with_default(json_node_get_object(element),
								  "name", "");
		for (guint j = 0; j < G_N_ELEMENTS(group_features); j++) {
			if (g_strcmp0(name, group_features[j].group) == 0)
				data->features |= group_features[j].feature;
		}
		storage |= g_strcmp0(name, "storage.k8s.io") == 0;
		openshift |= g_strcmp0(name, "config.openshift.io") == 0;
	}

	/* the lookups that need more than the group list run side by side */
	data->pending = 1;
	if (storage) {
		data->pending++;
		cclm_rest_client_request_async(self->rest, "GET", "/apis/storage.k8s.io/v1", NULL,
					       NULL, cancellable, cclm_cluster_connect_storage_cb,
					       g_object_ref(task));
	}
	if (openshift) {
		data->pending++;
		cclm_rest_client_request_async(self->rest, "GET", "/apis/config.openshift.io/v1",
					       NULL, NULL, cancellable,
					       cclm_cluster_connect_openshift_cb, g_object_ref(task));
	}
	if (data->features & CCLM_CLUSTER_FEATURE_KUBEVIRT) {
		data->pending++;
		cclm_rest_client_request_async(self->rest, "GET",
					       "/apis/kubevirt.io/v1/kubevirts?limit=10", NULL, NULL,
					       cancellable, cclm_cluster_connect_kubevirt_cb,
					       g_object_ref(task));
	}
	cclm_cluster_connect_step_done(task, NULL);
}

static void
cclm_cluster_connect_version_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	CclmCluster *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	const gchar *version = NULL;
	GCancellable *cancellable;

	node = cclm_rest_client_request_finish(CCLM_REST_CLIENT(source), res, &error);
	cclm_cluster_note_result(self, error);
	if (node == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (JSON_NODE_HOLDS_OBJECT(node))
		version = json_object_get_string_member_with_default(json_node_get_object(node),
								     "gitVersion", NULL);
	if (version == NULL) {
		g_task_return_new_error(task, CCLM_ERROR, CCLM_ERROR_PARSE,
					"cluster \"%s\": GET /version: no \"gitVersion\" in the reply",
					self->context);
		return;
	}
	cclm_cluster_set_string(self, &self->server_version, version, PROP_SERVER_VERSION);
	cancellable = g_task_get_cancellable(task);
	cclm_rest_client_request_async(self->rest, "GET", "/apis", NULL, NULL, cancellable,
				       cclm_cluster_connect_apis_cb, g_steal_pointer(&task));
}

/**
 * cclm_cluster_connect_async:
 * @self: a #CclmCluster
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Checks that the API server answers with these credentials, and discovers what the cluster
 * has: the server version, KubeVirt and its version, CDI, HyperConverged, Multus
 * NetworkAttachmentDefinitions, CSIStorageCapacity and the OpenShift network configuration.
 * See [method@Cluster.connect_finish].
 *
 * Since: 0.1
 */
void
cclm_cluster_connect_async(CclmCluster *self,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(CCLM_IS_CLUSTER(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, cclm_cluster_connect_async);
	g_task_set_task_data(task, g_new0(CclmClusterConnect, 1),
			     (GDestroyNotify)cclm_cluster_connect_free);
	cclm_rest_client_request_async(self->rest, "GET", "/version", NULL, NULL, cancellable,
				       cclm_cluster_connect_version_cb, g_steal_pointer(&task));
}

/**
 * cclm_cluster_connect_finish:
 * @self: a #CclmCluster
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Cluster.connect_async].
 *
 * Returns: %TRUE when the cluster answered, else %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
cclm_cluster_connect_finish(CclmCluster *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(CCLM_IS_CLUSTER(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* --- GObject ------------------------------------------------------------------------------- */

static void
cclm_cluster_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	CclmCluster *self = CCLM_CLUSTER(object);

	switch (prop_id) {
	case PROP_KUBECONFIG:
		g_value_set_object(value, self->kubeconfig);
		break;
	case PROP_CONTEXT:
	case PROP_NAME:
		g_value_set_string(value, self->context);
		break;
	case PROP_SERVER:
		g_value_set_string(value, self->server);
		break;
	case PROP_NAMESPACE:
		g_value_set_string(value, self->namespace);
		break;
	case PROP_SERVER_VERSION:
		g_value_set_string(value, self->server_version);
		break;
	case PROP_KUBEVIRT_VERSION:
		g_value_set_string(value, self->kubevirt_version);
		break;
	case PROP_FEATURES:
		g_value_set_flags(value, self->features);
		break;
	case PROP_REACHABLE:
		g_value_set_boolean(value, self->reachable);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
cclm_cluster_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	CclmCluster *self = CCLM_CLUSTER(object);

	switch (prop_id) {
	case PROP_KUBECONFIG:
		self->kubeconfig = g_value_dup_object(value);
		break;
	case PROP_CONTEXT:
		self->context = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
cclm_cluster_finalize(GObject *object)
{
	CclmCluster *self = CCLM_CLUSTER(object);

	g_clear_object(&self->kubeconfig);
	g_clear_object(&self->rest);
	g_free(self->context);
	g_free(self->server);
	g_free(self->namespace);
	g_free(self->server_version);
	g_free(self->kubevirt_version);
	G_OBJECT_CLASS(cclm_cluster_parent_class)->finalize(object);
}

static void
cclm_cluster_init(CclmCluster *self)
{
}

static void
cclm_cluster_class_init(CclmClusterClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = cclm_cluster_get_property;
	object_class->set_property = cclm_cluster_set_property;
	object_class->finalize = cclm_cluster_finalize;

	/**
	 * CclmCluster:kubeconfig:
	 *
	 * The kubeconfig the cluster's context comes from.
	 *
	 * Since: 0.1
	 */
	props[PROP_KUBECONFIG] = g_param_spec_object(
	    "kubeconfig", NULL, NULL, CCLM_TYPE_KUBECONFIG,
	    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
	/**
	 * CclmCluster:context:
	 *
	 * The kubeconfig context; %NULL at construction means the current context.
	 *
	 * Since: 0.1
	 */
	props[PROP_CONTEXT] =
	    g_param_spec_string("context", NULL, NULL, NULL,
				G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
	/**
	 * CclmCluster:name:
	 *
	 * The cluster's name in a fleet: its context's name.
	 *
	 * Since: 0.1
	 */
	props[PROP_NAME] = g_param_spec_string("name", NULL, NULL, NULL,
					       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * CclmCluster:server:
	 *
	 * The API server's URL.
	 *
	 * Since: 0.1
	 */
	props[PROP_SERVER] = g_param_spec_string("server", NULL, NULL, NULL,
						 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * CclmCluster:namespace:
	 *
	 * The context's default namespace, or %NULL.
	 *
	 * Since: 0.1
	 */
	props[PROP_NAMESPACE] = g_param_spec_string("namespace", NULL, NULL, NULL,
						    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * CclmCluster:server-version:
	 *
	 * The API server's `gitVersion`, set by [method@Cluster.connect_async].
	 *
	 * Since: 0.1
	 */
	props[PROP_SERVER_VERSION] =
	    g_param_spec_string("server-version", NULL, NULL, NULL,
				G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	/**
	 * CclmCluster:kubevirt-version:
	 *
	 * KubeVirt's version, set by [method@Cluster.connect_async]; %NULL without KubeVirt.
	 *
	 * Since: 0.1
	 */
	props[PROP_KUBEVIRT_VERSION] =
	    g_param_spec_string("kubevirt-version", NULL, NULL, NULL,
				G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	/**
	 * CclmCluster:features:
	 *
	 * What discovery found, set by [method@Cluster.connect_async].
	 *
	 * Since: 0.1
	 */
	props[PROP_FEATURES] = g_param_spec_flags(
	    "features", NULL, NULL, CCLM_TYPE_CLUSTER_FEATURES, CCLM_CLUSTER_FEATURE_NONE,
	    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	/**
	 * CclmCluster:reachable:
	 *
	 * Whether the last request reached the API server and was authenticated.
	 *
	 * Since: 0.1
	 */
	props[PROP_REACHABLE] =
	    g_param_spec_boolean("reachable", NULL, NULL, FALSE,
				 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, props);

	/**
	 * CclmCluster::state-changed:
	 * @self: the #CclmCluster
	 * @reachable: whether the cluster is reachable now
	 * @error: (nullable): why it is not, when @reachable is %FALSE
	 *
	 * Emitted when the cluster becomes reachable or stops being reachable, in the thread-default
	 * main context of the request that found out.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_STATE_CHANGED] =
	    g_signal_new("state-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_ERROR);
}
