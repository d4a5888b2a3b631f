/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <gio/gio.h>

#include "cclm-version-macros.h"

G_BEGIN_DECLS

#define CCLM_TYPE_KUBECONFIG (cclm_kubeconfig_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmKubeconfig, cclm_kubeconfig, CCLM, KUBECONFIG, GObject)

CCLM_AVAILABLE_IN_0_1
CclmKubeconfig *
cclm_kubeconfig_load(const gchar *path, GError **error);
CCLM_AVAILABLE_IN_0_1
CclmKubeconfig *
cclm_kubeconfig_load_in_cluster(GError **error);
CCLM_AVAILABLE_IN_0_1
CclmKubeconfig *
cclm_kubeconfig_load_from_data(const gchar *data,
			       gssize length,
			       const gchar *base_dir,
			       GError **error);
CCLM_AVAILABLE_IN_0_1
gchar **
cclm_kubeconfig_get_files(CclmKubeconfig *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_kubeconfig_get_current_context(CclmKubeconfig *self);
CCLM_AVAILABLE_IN_0_1
gchar **
cclm_kubeconfig_get_contexts(CclmKubeconfig *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_kubeconfig_get_context_cluster(CclmKubeconfig *self, const gchar *context);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_kubeconfig_get_context_user(CclmKubeconfig *self, const gchar *context);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_kubeconfig_get_context_namespace(CclmKubeconfig *self, const gchar *context);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_kubeconfig_get_cluster_server(CclmKubeconfig *self, const gchar *cluster);

G_END_DECLS
