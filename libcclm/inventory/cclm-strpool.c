/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-strpool-private.h"

typedef struct {
	guint refs;
	gchar str[];
} CclmPooledStr;

static GMutex cclm_str_pool_lock;
static GHashTable *cclm_str_pool; /* str -> its CclmPooledStr; both the same allocation */

static CclmPooledStr *
cclm_pooled_str_from_str(const gchar *s)
{
	return (CclmPooledStr *)(gpointer)(s - G_STRUCT_OFFSET(CclmPooledStr, str));
}

const gchar *
cclm_str_intern(const gchar *s)
{
	CclmPooledStr *e;

	if (s == NULL)
		return NULL;
	g_mutex_lock(&cclm_str_pool_lock);
	if (cclm_str_pool == NULL)
		cclm_str_pool = g_hash_table_new(g_str_hash, g_str_equal);
	e = g_hash_table_lookup(cclm_str_pool, s);
	if (e == NULL) {
		gsize n = strlen(s) + 1;

		e = g_malloc(sizeof *e + n);
		e->refs = 0;
		memcpy(e->str, s, n);
		g_hash_table_insert(cclm_str_pool, e->str, e);
	}
	e->refs++;
	g_mutex_unlock(&cclm_str_pool_lock);
	return e->str;
}

void
cclm_str_release(const gchar *pooled)
{
	CclmPooledStr *e;

	if (pooled == NULL)
		return;
	e = cclm_pooled_str_from_str(pooled);
	g_mutex_lock(&cclm_str_pool_lock);
	g_assert(e->refs > 0);
	if (--e->refs == 0) {
		g_hash_table_remove(cclm_str_pool, e->str);
		g_free(e);
	}
	g_mutex_unlock(&cclm_str_pool_lock);
}

const gchar *
cclm_str_lookup(const gchar *s)
{
	CclmPooledStr *e = NULL;

	if (s == NULL)
		return NULL;
	g_mutex_lock(&cclm_str_pool_lock);
	if (cclm_str_pool != NULL)
		e = g_hash_table_lookup(cclm_str_pool, s);
	g_mutex_unlock(&cclm_str_pool_lock);
	return e != NULL ? e->str : NULL;
}

guint
cclm_str_pool_size(void)
{
	guint n;

	g_mutex_lock(&cclm_str_pool_lock);
	n = cclm_str_pool != NULL ? g_hash_table_size(cclm_str_pool) : 0;
	g_mutex_unlock(&cclm_str_pool_lock);
	return n;
}
