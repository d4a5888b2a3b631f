/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A main() for fuzz targets where libFuzzer is not available (gcc): runs every file of the
 * directories (or the files) given through LLVMFuzzerTestOneInput, so that the seed corpus is
 * a test, under the sanitizers when the build has them. A crash fails it. */

#include <glib.h>
#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gint
fuzz_replay_compare(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
fuzz_replay_file(const gchar *path, guint *count)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &contents, &len, &error))
		g_error("%s", error->message);
	LLVMFuzzerTestOneInput((const uint8_t *)contents, len);
	(*count)++;
}

int
main(int argc, char **argv)
{
	guint count = 0;

	if (argc < 2) {
		g_printerr("usage: %s CORPUS-DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (gint i = 1; i < argc; i++) {
		g_autoptr(GDir) dir = NULL;
		g_autoptr(GPtrArray) names = NULL;
		const gchar *name;

		if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
			fuzz_replay_file(argv[i], &count);
			continue;
		}
		dir = g_dir_open(argv[i], 0, NULL);
		names = g_ptr_array_new_with_free_func(g_free);
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL)
			g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
		g_ptr_array_sort(names, fuzz_replay_compare);
		for (guint j = 0; j < names->len; j++)
			fuzz_replay_file(g_ptr_array_index(names, j), &count);
	}
	if (count == 0) {
		g_printerr("%s: no input found\n", argv[0]);
		return 1;
	}
	g_print("replayed %u inputs\n", count);
	return 0;
}
