/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A process-wide pool of reference-counted, deduplicated strings. Equal strings share one
 * pointer, so names, labels and classes compare by pointer across inventories (fit decisions
 * stay fast), as with g_intern_string(); unlike GLib's quark table, which only grows, a string
 * is freed with its last holder, so label and name churn over a long watch frees memory.
 * Thread-safe. */

/* Returns @s's pooled copy with a reference taken; NULL for NULL. */
const gchar *
cclm_str_intern(const gchar *s);
/* Drops a reference taken by cclm_str_intern(); NULL is ignored. */
void
cclm_str_release(const gchar *pooled);
/* @s's pooled copy without taking a reference, or NULL when no holder has it: a string nobody
 * holds equals no pooled one. Valid as long as the holders the caller relies on live. */
const gchar *
cclm_str_lookup(const gchar *s);
/* Distinct strings held, for tests. */
guint
cclm_str_pool_size(void);

G_END_DECLS
