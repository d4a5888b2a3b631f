/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fault injection (grammar in SIM_FAULTS_HELP and docs/cclm-sim.md).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIM_FAULTS_HELP                                                                          \
	"Faults (--faults SPEC, or POST /_sim/faults with the admin token and a body CLAUSE):\n"  \
	"  SPEC   := CLAUSE [';' CLAUSE]...\n"                                                   \
	"  CLAUSE := [CLUSTER ':'] FAULT [',' FAULT]...   (no CLUSTER or '*': every cluster)\n"  \
	"  FAULT  := latency=MS                  every request waits MS milliseconds\n"         \
	"          | 429=COUNT[/SECONDS]         next COUNT API requests: 429, Retry-After\n"   \
	"          | 5xx=COUNT[/CODE]            next COUNT API requests: CODE (500)\n"         \
	"          | drop-list=COUNT[/ITEMS]     next COUNT lists: connection closed after\n"    \
	"                                        ITEMS items (1)\n"                              \
	"          | drop-watch=COUNT[/EVENTS]   next COUNT watches: connection closed after\n"  \
	"                                        EVENTS events (1)\n"                            \
	"          | expire-watch=COUNT          next COUNT watches (and, at run time, the\n"   \
	"                                        open ones): ERROR 410 Expired, then end\n"      \
	"          | compact                     forget history: older watch resourceVersions\n" \
	"                                        and continue tokens get 410 Expired\n"          \
	"          | restart[=MS]                close the listener and connections, listen\n"   \
	"                                        again on the same port after MS (500)\n"        \
	"          | clear                       remove every pending fault\n"                    \
	"  COUNT is a number or '*' (always). API requests: resource paths under /api and\n"    \
	"  /apis (discovery, /version and /openapi are never failed).\n"

typedef struct {
	guint latency_ms;
	guint throttle;
	guint retry_after_s;
	guint errors;
	guint error_code;
	guint drop_list;
	guint drop_list_after;
	guint drop_watch;
	guint drop_watch_after;
	guint expire_watch;
	/* one-shot actions, run by the server when set */
	gboolean compact;
	gboolean restart;
	guint restart_down_ms;
} SimFaults;

/* Applies a comma-separated FAULT list (no cluster prefix) onto `faults`. */
gboolean
sim_faults_parse_clause(SimFaults *faults, const char *text, GError **error);
/* Splits a SPEC into per-cluster clauses: returns cluster name (or "*") -> clause text, in
 * order; unknown cluster names are refused by the caller. */
GPtrArray *
sim_faults_split_spec(const char *spec, GError **error);
/* "take one" of a counter: TRUE when the fault fires (COUNT '*' never runs out) */
gboolean
sim_faults_take(guint *counter);
char *
sim_faults_describe(const SimFaults *faults);

G_END_DECLS
