/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "sim-store.h"

G_BEGIN_DECLS

/* Called for each document (numbered from 1); FALSE with an error stops the parse. */
typedef gboolean (*SimYamlDocFunc)(JsonNode *doc, guint index, gpointer user_data, GError **error);
gboolean
sim_yaml_parse_each(const char *data,
		    gsize len,
		    const char *what,
		    SimYamlDocFunc func,
		    gpointer user_data,
		    GError **error);
/* Parses a YAML stream into its documents (JsonNode each); errors name `what`, the document
 * number and the line. */
GPtrArray *
sim_yaml_parse(const char *data, gsize len, const char *what, GError **error);

/* Loads DIR/<cluster>/<file>.yaml, one SimCluster per directory, sorted by name. */
GPtrArray *
sim_fleet_load(const char *dir, GError **error);

G_END_DECLS
