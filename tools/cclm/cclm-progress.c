/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cclm-progress.h"

struct _CclmProgress {
	gboolean enabled;
	gchar *label;
	guint total;
};

CclmProgress *
cclm_progress_new(gboolean enabled, const gchar *label, guint total)
{
	CclmProgress *self = g_new0(CclmProgress, 1);

	self->enabled = enabled;
	self->label = g_strdup(label);
	self->total = MAX(total, 1);
	cclm_progress_update(self, 0, NULL);
	return self;
}

void
cclm_progress_update(CclmProgress *self, guint done, const gchar *detail)
{
	const guint width = 30;
	guint filled;

	if (!self->enabled)
		return;
	filled = MIN(done, self->total) * width / self->total;
	/* \r and erase-to-end redraw the same line */
	fprintf(stderr, "\r\033[K%s [", self->label);
	for (guint i = 0; i < width; i++)
		fputc(i < filled ? '#' : '.', stderr);
	fprintf(stderr, "] %u/%u%s%s", done, self->total, detail != NULL ? "  " : "",
		detail != NULL ? detail : "");
	fflush(stderr);
}

void
cclm_progress_free(CclmProgress *self)
{
	if (self == NULL)
		return;
	if (self->enabled) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	g_free(self->label);
	g_free(self);
}
