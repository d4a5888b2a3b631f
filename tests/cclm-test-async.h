/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

/* For C tests of _async/_finish pairs: pass store_result_cb with &res (NULL), then
 * wait_result(&res) iterates the global default main context until the
 * callback stored the result (a new reference, for the _finish call). */
static inline void
store_result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

static inline void
wait_result(GAsyncResult **res)
{
	while (*res == NULL)
		g_main_context_iteration(NULL, TRUE);
}
