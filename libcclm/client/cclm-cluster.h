/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cclm-kubeconfig.h"
#include "cclm-version-macros.h"
#include "cclm-watch.h"

G_BEGIN_DECLS

/**
 * CclmClusterFeatures:
 * @CCLM_CLUSTER_FEATURE_NONE: nothing beyond core Kubernetes
 * @CCLM_CLUSTER_FEATURE_KUBEVIRT: KubeVirt (`kubevirt.io`) is installed
 * @CCLM_CLUSTER_FEATURE_CDI: the Containerized Data Importer (`cdi.kubevirt.io`) is installed
 * @CCLM_CLUSTER_FEATURE_HYPERCONVERGED: the HyperConverged operator (`hco.kubevirt.io`) is
 *   installed
 * @CCLM_CLUSTER_FEATURE_MULTUS: Multus NetworkAttachmentDefinitions (`k8s.cni.cncf.io`) are
 *   served
 * @CCLM_CLUSTER_FEATURE_CSI_STORAGE_CAPACITY: `storage.k8s.io/v1` CSIStorageCapacity is served
 * @CCLM_CLUSTER_FEATURE_OPENSHIFT_NETWORK: the OpenShift cluster network configuration
 *   (`config.openshift.io/v1` Network) is served
 *
 * What discovery found on a cluster, see [method@Cluster.get_features].
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
	CCLM_CLUSTER_FEATURE_NONE = 0,
	CCLM_CLUSTER_FEATURE_KUBEVIRT = 1 << 0,
	CCLM_CLUSTER_FEATURE_CDI = 1 << 1,
	CCLM_CLUSTER_FEATURE_HYPERCONVERGED = 1 << 2,
	CCLM_CLUSTER_FEATURE_MULTUS = 1 << 3,
	CCLM_CLUSTER_FEATURE_CSI_STORAGE_CAPACITY = 1 << 4,
	CCLM_CLUSTER_FEATURE_OPENSHIFT_NETWORK = 1 << 5,
} CclmClusterFeatures;

/**
 * CclmPatchType:
 * @CCLM_PATCH_TYPE_MERGE: a JSON merge patch (RFC 7386)
 * @CCLM_PATCH_TYPE_JSON: a JSON patch (RFC 6902)
 * @CCLM_PATCH_TYPE_STRATEGIC_MERGE: a Kubernetes strategic merge patch (built-in kinds only)
 * @CCLM_PATCH_TYPE_APPLY: server-side apply; needs a field manager
 *
 * How [method@Cluster.patch_async] changes an object.
 *
 * Since: 0.1
 */
typedef enum {
	CCLM_PATCH_TYPE_MERGE,
	CCLM_PATCH_TYPE_JSON,
	CCLM_PATCH_TYPE_STRATEGIC_MERGE,
	CCLM_PATCH_TYPE_APPLY,
} CclmPatchType;

/**
 * CclmClusterPageFunc:
 * @items: the objects of one page of a list
 * @user_data: (closure): the data given to [method@Cluster.list_async]
 *
 * Receives a list page by page, so that no caller ever holds a whole large list.
 *
 * Returns: %TRUE to go on, %FALSE to stop the list (it then fails with
 *   %G_IO_ERROR_CANCELLED)
 *
 * Since: 0.1
 */
typedef gboolean (*CclmClusterPageFunc)(JsonArray *items, gpointer user_data);

#define CCLM_TYPE_CLUSTER (cclm_cluster_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmCluster, cclm_cluster, CCLM, CLUSTER, GObject)

CCLM_AVAILABLE_IN_0_1
CclmCluster *
cclm_cluster_new(CclmKubeconfig *kubeconfig, const gchar *context, GError **error);
CCLM_AVAILABLE_IN_0_1
gchar *
cclm_cluster_build_path(const gchar *group,
			const gchar *version,
			const gchar *resource,
			const gchar *namespace_,
			const gchar *name);

CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_cluster_get_name(CclmCluster *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_cluster_get_context(CclmCluster *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_cluster_get_server(CclmCluster *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_cluster_get_namespace(CclmCluster *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_cluster_get_server_version(CclmCluster *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_cluster_get_kubevirt_version(CclmCluster *self);
CCLM_AVAILABLE_IN_0_1
CclmClusterFeatures
cclm_cluster_get_features(CclmCluster *self);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_cluster_get_reachable(CclmCluster *self);

CCLM_AVAILABLE_IN_0_1
void
cclm_cluster_connect_async(CclmCluster *self,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_cluster_connect_finish(CclmCluster *self, GAsyncResult *result, GError **error);

CCLM_AVAILABLE_IN_0_1
void
cclm_cluster_get_async(CclmCluster *self,
		       const gchar *path,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_cluster_get_finish(CclmCluster *self, GAsyncResult *result, GError **error);

CCLM_AVAILABLE_IN_0_1
void
cclm_cluster_list_async(CclmCluster *self,
			const gchar *path,
			guint page_size,
			CclmClusterPageFunc page_func,
			gpointer page_data,
			GDestroyNotify page_data_destroy,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);
CCLM_AVAILABLE_IN_0_1
gchar *
cclm_cluster_list_finish(CclmCluster *self, GAsyncResult *result, GError **error);

CCLM_AVAILABLE_IN_0_1
CclmWatch *
cclm_cluster_watch(CclmCluster *self, const gchar *path, const gchar *resource_version);

CCLM_AVAILABLE_IN_0_1
void
cclm_cluster_create_async(CclmCluster *self,
			  const gchar *path,
			  JsonNode *object,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_cluster_create_finish(CclmCluster *self, GAsyncResult *result, GError **error);

CCLM_AVAILABLE_IN_0_1
void
cclm_cluster_patch_async(CclmCluster *self,
			 const gchar *path,
			 CclmPatchType patch_type,
			 JsonNode *patch,
			 const gchar *field_manager,
			 gboolean force,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_cluster_patch_finish(CclmCluster *self, GAsyncResult *result, GError **error);

CCLM_AVAILABLE_IN_0_1
void
cclm_cluster_delete_async(CclmCluster *self,
			  const gchar *path,
			  const gchar *propagation_policy,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_cluster_delete_finish(CclmCluster *self, GAsyncResult *result, GError **error);

G_END_DECLS
