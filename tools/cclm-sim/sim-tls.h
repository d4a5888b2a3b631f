/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fresh CA (returned as PEM for kubeconfigs) and a server certificate it signs, valid for the
 * IP 127.0.0.1 and the name localhost (Go clients ignore the CN). */
gboolean
sim_tls_make(char **ca_pem, GTlsCertificate **server, GError **error);

G_END_DECLS
