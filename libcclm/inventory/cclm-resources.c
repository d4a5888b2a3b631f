/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-quantity-private.h"
#include "cclm-resources-private.h"

void
cclm_resources_clear(CclmResources *r)
{
	g_free(r->scalars);
	memset(r, 0, sizeof *r);
}

void
cclm_resources_copy(CclmResources *dst, const CclmResources *src)
{
	if (dst == src)
		return;
	g_free(dst->scalars);
	*dst = *src;
	dst->scalars = src->n_scalars > 0 ? g_memdup2(src->scalars, src->n_scalars * sizeof(CclmScalar))
					  : NULL;
}

/* Scalar names are interned when stored, so an interned @name matches by pointer; others
 * fall back to strcmp. */
static CclmScalar *
cclm_resources_find(const CclmResources *r, const gchar *name)
{
	for (guint i = 0; i < r->n_scalars; i++) {
		if (r->scalars[i].name == name)
			return &r->scalars[i];
	}
	for (guint i = 0; i < r->n_scalars; i++) {
		if (strcmp(r->scalars[i].name, name) == 0)
			return &r->scalars[i];
	}
	return NULL;
}

/* cpu, memory, ephemeral-storage and pods by name too, so callers can loop over names */
static gint64 *
cclm_resources_fixed(CclmResources *r, const gchar *name)
{
	switch (name[0]) {
	case 'c':
		return strcmp(name, "cpu") == 0 ? &r->cpu : NULL;
	case 'm':
		return strcmp(name, "memory") == 0 ? &r->memory : NULL;
	case 'e':
		return strcmp(name, "ephemeral-storage") == 0 ? &r->ephemeral : NULL;
	case 'p':
		return strcmp(name, "pods") == 0 ? &r->pods : NULL;
	default:
		return NULL;
	}
}

gint64
cclm_resources_get(const CclmResources *r, const gchar *name)
{
	const gint64 *fixed = cclm_resources_fixed((CclmResources *)r, name);
	const CclmScalar *s;

	if (fixed != NULL)
		return *fixed;
	s = cclm_resources_find(r, name);
	return s != NULL ? s->value : 0;
}

/* pointer comparison only: @interned_name comes from g_intern_string() */
gint64
cclm_resources_get_scalar(const CclmResources *r, const gchar *interned_name)
{
	for (guint i = 0; i < r->n_scalars; i++) {
		if (r->scalars[i].name == interned_name)
			return r->scalars[i].value;
	}
	return 0;
}

void
cclm_resources_set(CclmResources *r, const gchar *name, gint64 value)
{
	gint64 *fixed = cclm_resources_fixed(r, name);
	CclmScalar *s;

	if (fixed != NULL) {
		*fixed = value;
	} else if ((s = cclm_resources_find(r, name)) != NULL) {
		s->value = value;
	} else {
		r->scalars = g_renew(CclmScalar, r->scalars, r->n_scalars + 1);
		r->scalars[r->n_scalars].name = g_intern_string(name);
		r->scalars[r->n_scalars].value = value;
		r->n_scalars++;
	}
}

void
cclm_resources_add(CclmResources *dst, const CclmResources *src, gint sign)
{
	dst->cpu += sign * src->cpu;
	dst->memory += sign * src->memory;
	dst->ephemeral += sign * src->ephemeral;
	dst->pods += sign * src->pods;
	for (guint i = 0; i < src->n_scalars; i++) {
		const CclmScalar *s = &src->scalars[i];

		cclm_resources_set(dst, s->name, cclm_resources_get(dst, s->name) + sign * s->value);
	}
}

void
cclm_resources_max(CclmResources *dst, const CclmResources *src)
{
	dst->cpu = MAX(dst->cpu, src->cpu);
	dst->memory = MAX(dst->memory, src->memory);
	dst->ephemeral = MAX(dst->ephemeral, src->ephemeral);
	dst->pods = MAX(dst->pods, src->pods);
	for (guint i = 0; i < src->n_scalars; i++) {
		const CclmScalar *s = &src->scalars[i];

		cclm_resources_set(dst, s->name, MAX(cclm_resources_get(dst, s->name), s->value));
	}
}

gboolean
cclm_resources_equal(const CclmResources *a, const CclmResources *b)
{
	if (a->cpu != b->cpu || a->memory != b->memory || a->ephemeral != b->ephemeral ||
	    a->pods != b->pods)
		return FALSE;
	for (guint i = 0; i < a->n_scalars; i++) {
		if (cclm_resources_get(b, a->scalars[i].name) != a->scalars[i].value)
			return FALSE;
	}
	for (guint i = 0; i < b->n_scalars; i++) {
		if (cclm_resources_get(a, b->scalars[i].name) != b->scalars[i].value)
			return FALSE;
	}
	return TRUE;
}

/* cpu counts in millicores (MilliValue), everything else in whole units (Value) */
gboolean
cclm_resources_set_quantity(CclmResources *r, const gchar *name, const gchar *text, GError **error)
{
	gint64 v;
	gboolean ok;

	if (text == NULL)
		return TRUE;
	ok = strcmp(name, "cpu") == 0 ? cclm_quantity_parse_milli_value(text, &v, error)
				      : cclm_quantity_parse_value(text, &v, error);
	if (!ok)
		return FALSE;
	cclm_resources_set(r, name, v);
	return TRUE;
}

gboolean
cclm_resource_is_hugepages(const gchar *name)
{
	return g_str_has_prefix(name, "hugepages-");
}
