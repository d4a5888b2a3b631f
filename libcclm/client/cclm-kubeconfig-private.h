/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "cclm-kubeconfig.h"
#include "cclm-rest-config-private.h"

G_BEGIN_DECLS

/* Everything needed to connect as @context (NULL: the current context): files read, -data
 * decoded, certificate and key joined, the exec plugin prepared. Errors are CCLM_ERROR_KUBECONFIG
 * naming the file, the context and the field. */
CclmRestConfig *
cclm_kubeconfig_get_rest_config(CclmKubeconfig *self, const gchar *context, GError **error);

/* The in-cluster config with the service account mounted at @dir instead of
 * /var/run/secrets/kubernetes.io/serviceaccount: for tests. */
CclmKubeconfig *
cclm_kubeconfig_load_in_cluster_at(const gchar *dir, GError **error);

/* The merged kubeconfig, in the shape `kubectl config view --raw -o json` prints: sorted
 * lists, file names as written. */
JsonNode *
cclm_kubeconfig_to_json(CclmKubeconfig *self);

G_END_DECLS
