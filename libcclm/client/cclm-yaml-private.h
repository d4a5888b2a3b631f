/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The first YAML document in @data as JSON, typed the way Kubernetes' YAML decoding
 * (sigs.k8s.io/yaml over go-yaml v2) types it: plain scalars resolve to null, booleans (YAML 1.1:
 * yes/no/on/off too), integers and floats, anything quoted stays a string; anchors, aliases and
 * merge keys are followed. An empty document is a JSON null. Errors: CCLM_ERROR_PARSE with the
 * line and column. */
JsonNode *
cclm_yaml_parse(const gchar *data, gsize length, GError **error);

G_END_DECLS
