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

#include "cclm-version-macros.h"

G_BEGIN_DECLS

/**
 * CclmWatchEventType:
 * @CCLM_WATCH_EVENT_ADDED: the object appeared (or was there when the watch started)
 * @CCLM_WATCH_EVENT_MODIFIED: the object changed
 * @CCLM_WATCH_EVENT_DELETED: the object is gone
 *
 * What happened to an object a #CclmWatch follows.
 *
 * Since: 0.1
 */
typedef enum {
	CCLM_WATCH_EVENT_ADDED,
	CCLM_WATCH_EVENT_MODIFIED,
	CCLM_WATCH_EVENT_DELETED,
} CclmWatchEventType;

#define CCLM_TYPE_WATCH (cclm_watch_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmWatch, cclm_watch, CCLM, WATCH, GObject)

CCLM_AVAILABLE_IN_0_1
void
cclm_watch_start(CclmWatch *self);
CCLM_AVAILABLE_IN_0_1
void
cclm_watch_stop(CclmWatch *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_watch_get_path(CclmWatch *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_watch_get_resource_version(CclmWatch *self);
CCLM_AVAILABLE_IN_0_1
gboolean
cclm_watch_get_synced(CclmWatch *self);

G_END_DECLS
