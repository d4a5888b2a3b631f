/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Bearer tokens and their rights (docs/cclm-sim.md "Tokens").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SimAuth SimAuth;
typedef struct _SimUser SimUser;

SimAuth *
sim_auth_new(void);
void
sim_auth_free(SimAuth *auth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimAuth, sim_auth_free)
/* Reads a tokens file (YAML); errors name the file and the field. */
gboolean
sim_auth_load(SimAuth *auth, const char *path, GError **error);
/* An administrator token (all rights, /_sim endpoints); the kubeconfig's unless the file picks
 * another. */
void
sim_auth_add_admin(SimAuth *auth, const char *token);
/* The token written to the kubeconfig; one is generated when none is configured. */
const char *
sim_auth_get_kubeconfig_token(SimAuth *auth);
/* NULL for an unknown token */
const SimUser *
sim_auth_lookup(SimAuth *auth, const char *token);
const char *
sim_user_get_name(const SimUser *user);
gboolean
sim_user_is_admin(const SimUser *user);
/* `resource` may carry a subresource: "pods/status". */
gboolean
sim_user_allows(const SimUser *user,
		const char *cluster,
		const char *verb,
		const char *group,
		const char *resource);

G_END_DECLS
