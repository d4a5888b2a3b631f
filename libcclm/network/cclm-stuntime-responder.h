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

#define CCLM_TYPE_STUNTIME_RESPONDER (cclm_stuntime_responder_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmStuntimeResponder,
		     cclm_stuntime_responder,
		     CCLM,
		     STUNTIME_RESPONDER,
		     GObject)

CCLM_AVAILABLE_IN_0_1
CclmStuntimeResponder *
cclm_stuntime_responder_new(const gchar *address, guint port, GError **error);
CCLM_AVAILABLE_IN_0_1
guint
cclm_stuntime_responder_get_port(CclmStuntimeResponder *self);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_stuntime_responder_get_active(CclmStuntimeResponder *self);
CCLM_AVAILABLE_IN_0_1
void
cclm_stuntime_responder_set_active(CclmStuntimeResponder *self, gboolean active);
CCLM_AVAILABLE_IN_0_1
guint64
cclm_stuntime_responder_get_received(CclmStuntimeResponder *self);
CCLM_AVAILABLE_IN_0_1
guint64
cclm_stuntime_responder_get_echoed(CclmStuntimeResponder *self);

G_END_DECLS
