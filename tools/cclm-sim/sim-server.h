/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One cluster's HTTPS API server.
 */
#pragma once

#include <gio/gio.h>

#include "sim-auth.h"
#include "sim-store.h"

G_BEGIN_DECLS

typedef struct _SimServer SimServer;

SimServer *
sim_server_new(SimCluster *cluster, SimAuth *auth, GTlsCertificate *cert);
void
sim_server_free(SimServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimServer, sim_server_free)
/* Listens on 127.0.0.1:port (0: an ephemeral port). */
gboolean
sim_server_listen(SimServer *server, guint port, GError **error);
guint
sim_server_get_port(SimServer *server);
/* Applies a FAULT list (sim-faults.h) now. */
gboolean
sim_server_add_faults(SimServer *server, const char *clause, GError **error);

G_END_DECLS
