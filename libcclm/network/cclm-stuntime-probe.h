/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <gio/gio.h>

#include "cclm-stuntime-report.h"
#include "cclm-version-macros.h"

G_BEGIN_DECLS

/**
 * CclmStuntimeMode:
 * @CCLM_STUNTIME_MODE_ICMP: ICMP or ICMPv6 echo requests; needs an unprivileged ping socket
 *   (`net.ipv4.ping_group_range` containing one of the caller's groups) or `CAP_NET_RAW`
 * @CCLM_STUNTIME_MODE_UDP: UDP datagrams echoed by a [class@StuntimeResponder] (or
 *   `cclm stuntime --listen`) on the target; no privilege needed
 * @CCLM_STUNTIME_MODE_TCP: TCP connection attempts to a port of the target; a SYN-ACK and a
 *   reset both prove the peer reachable; no privilege needed
 *
 * How a [class@StuntimeProbe] asks the target whether it is reachable.
 *
 * Since: 0.1
 */
typedef enum {
	CCLM_STUNTIME_MODE_ICMP,
	CCLM_STUNTIME_MODE_UDP,
	CCLM_STUNTIME_MODE_TCP,
} CclmStuntimeMode;

/**
 * CCLM_STUNTIME_INTERVAL_DEFAULT:
 *
 * The default [property@StuntimeProbe:interval], in milliseconds.
 *
 * Since: 0.1
 */
#define CCLM_STUNTIME_INTERVAL_DEFAULT 10

/**
 * CCLM_STUNTIME_INTERVAL_MAX:
 *
 * The longest [property@StuntimeProbe:interval], in milliseconds.
 *
 * Since: 0.1
 */
#define CCLM_STUNTIME_INTERVAL_MAX 10000

/**
 * CCLM_STUNTIME_DURATION_DEFAULT:
 *
 * The default [property@StuntimeProbe:duration], in milliseconds.
 *
 * Since: 0.1
 */
#define CCLM_STUNTIME_DURATION_DEFAULT 30000

/**
 * CCLM_STUNTIME_DURATION_MAX:
 *
 * The longest [property@StuntimeProbe:duration], in milliseconds (one hour).
 *
 * Since: 0.1
 */
#define CCLM_STUNTIME_DURATION_MAX 3600000

#define CCLM_TYPE_STUNTIME_PROBE (cclm_stuntime_probe_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmStuntimeProbe, cclm_stuntime_probe, CCLM, STUNTIME_PROBE, GObject)

CCLM_AVAILABLE_IN_0_1
CclmStuntimeProbe *
cclm_stuntime_probe_new(const gchar *target, CclmStuntimeMode mode);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_stuntime_probe_get_target(CclmStuntimeProbe *self);
CCLM_AVAILABLE_IN_0_1
CclmStuntimeMode
cclm_stuntime_probe_get_mode(CclmStuntimeProbe *self);
CCLM_AVAILABLE_IN_0_1
guint
cclm_stuntime_probe_get_interval(CclmStuntimeProbe *self);
CCLM_AVAILABLE_IN_0_1
void
cclm_stuntime_probe_set_interval(CclmStuntimeProbe *self, guint interval);
CCLM_AVAILABLE_IN_0_1
guint
cclm_stuntime_probe_get_duration(CclmStuntimeProbe *self);
CCLM_AVAILABLE_IN_0_1
void
cclm_stuntime_probe_set_duration(CclmStuntimeProbe *self, guint duration);
CCLM_AVAILABLE_IN_0_1
void
cclm_stuntime_probe_run_async(CclmStuntimeProbe *self,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
CCLM_AVAILABLE_IN_0_1
CclmStuntimeReport *
cclm_stuntime_probe_run_finish(CclmStuntimeProbe *self, GAsyncResult *result, GError **error);
CCLM_AVAILABLE_IN_0_1
CclmStuntimeReport *
cclm_stuntime_probe_run_sync(CclmStuntimeProbe *self, GCancellable *cancellable, GError **error);
CCLM_AVAILABLE_IN_0_1
void
cclm_stuntime_probe_stop(CclmStuntimeProbe *self);

G_END_DECLS
