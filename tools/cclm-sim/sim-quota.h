/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "sim-requests.h"
#include "sim-store.h"

G_BEGIN_DECLS

/* What @obj (of resource @res) charges to a namespace's quotas, by quota resource name
 * (requests.cpu, pods, count/pods, requests.storage, <class>.storageclass.storage.k8s.io/...). */
gboolean
sim_quota_usage(const SimResource *res, JsonObject *obj, SimResources *out, GError **error);

/* ResourceQuota admission for creating @obj against one quota: FALSE with the API server's 403
 * text ("exceeded quota: q, requested: ..., used: ..., limited: ..." or "failed quota: q: must
 * specify ...") in @error, without the `<resource> "<name>" is forbidden: ` prefix. */
gboolean
sim_quota_admit_one(JsonObject *quota, const SimResource *res, JsonObject *obj,
		    SimResources *delta, GError **error);

G_END_DECLS
