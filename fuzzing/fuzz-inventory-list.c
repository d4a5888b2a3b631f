/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <cclm.h>

#include "cclm-inventory-private.h"

/* The inventory's List reader on arbitrary bytes: the first byte picks the kind and how the rest
 * is cut into feeds (a chunk boundary is not a token boundary); whatever was stored is then
 * judged and serialized, as `cclm capacity` and `cclm fit` would. */

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(CclmInventory) inv = cclm_inventory_new("fuzz");
	g_autoptr(CclmJsonStream) parser = NULL;
	g_autoptr(CclmCapacity) cap = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autoptr(GError) error = NULL;
	CclmInventoryKind kind;
	gsize stride;
	gboolean ok = TRUE;
	GHashTableIter iter;
	CclmRecord *vm;

	if (size == 0)
		return 0;
	kind = data[0] % CCLM_INVENTORY_N_KINDS;
	stride = 1 + data[0] / CCLM_INVENTORY_N_KINDS * 97;
	data++;
	size--;
	parser = cclm_inventory_list_parser_new(inv, kind);
	for (gsize off = 0; ok && off < size; off += stride)
		ok = cclm_json_stream_feed(parser, data + off, MIN(stride, size - off), &error);
	ok = ok && cclm_json_stream_finish(parser, &error);
	cclm_inventory_list_parser_done(inv, kind);
	g_assert(ok == (error == NULL));
	g_assert(error == NULL || error->domain == CCLM_ERROR);

	cap = cclm_capacity_new(inv);
	json = cclm_capacity_to_json(cap);
	g_hash_table_iter_init(&iter, cclm_inventory_get_table(inv, CCLM_INVENTORY_KIND_VIRTUAL_MACHINE));
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&vm)) {
		g_autoptr(GError) fit_error = NULL;
		g_autoptr(CclmFitVerdict) verdict = cclm_capacity_fit(cap, inv, vm->key, NULL, &fit_error);
		g_autoptr(JsonNode) vj = verdict != NULL ? cclm_fit_verdict_to_json(verdict) : NULL;

		g_assert((verdict == NULL) == (fit_error != NULL));
	}
	return 0;
}
