/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A scalar resource (hugepages-*, devices.kubevirt.io/kvm, nvidia.com/gpu, ...); @name is
 * interned (g_intern_string) so that names compare by pointer. */
typedef struct {
	const gchar *name;
	gint64 value;
} CclmScalar;

/* What the scheduler counts (pkg/scheduler/framework/types.go Resource): cpu in millicores,
 * memory and ephemeral storage in bytes, pods, and scalars. Kept small: most pods carry no
 * scalar, and then @scalars is NULL. */
typedef struct {
	gint64 cpu;
	gint64 memory;
	gint64 ephemeral;
	gint64 pods;
	CclmScalar *scalars;
	guint n_scalars;
} CclmResources;

void
cclm_resources_clear(CclmResources *r);
void
cclm_resources_copy(CclmResources *dst, const CclmResources *src);
gint64
cclm_resources_get(const CclmResources *r, const gchar *name);
gint64
cclm_resources_get_scalar(const CclmResources *r, const gchar *interned_name);
void
cclm_resources_set(CclmResources *r, const gchar *name, gint64 value);
void
cclm_resources_add(CclmResources *dst, const CclmResources *src, gint sign);
void
cclm_resources_max(CclmResources *dst, const CclmResources *src);
gboolean
cclm_resources_set_quantity(CclmResources *r, const gchar *name, const gchar *text, GError **error);
gboolean
cclm_resources_equal(const CclmResources *a, const CclmResources *b);
gboolean
cclm_resource_is_hugepages(const gchar *name);

G_END_DECLS
