/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "cclm-cluster.h"
#include "cclm-rest-client-private.h"

G_BEGIN_DECLS

/* For the layers above the client (inventory), which stream lists instead of parsing trees. */
CclmRestClient *
cclm_cluster_get_rest_client(CclmCluster *self);

G_END_DECLS
