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

G_END_DECLS
