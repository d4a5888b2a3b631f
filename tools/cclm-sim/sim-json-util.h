/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Getters tolerant of missing members and wrong types: they return NULL. */
JsonObject *
sim_json_object(JsonObject *o, const gchar *member);
JsonArray *
sim_json_array(JsonObject *o, const gchar *member);
const gchar *
sim_json_string(JsonObject *o, const gchar *member);
gint64
sim_json_int(JsonObject *o, const gchar *member, gint64 fallback);
gboolean
sim_json_bool(JsonObject *o, const gchar *member, gboolean fallback);
JsonObject *
sim_json_path_object(JsonObject *o, ...) G_GNUC_NULL_TERMINATED;

/* Returns the object at the path below @o, creating missing objects on the way. */
JsonObject *
sim_json_ensure(JsonObject *o, ...) G_GNUC_NULL_TERMINATED;
JsonArray *
sim_json_ensure_array(JsonObject *o, const gchar *member);

/* Appends @node as `kubectl get -o yaml` prints it (sigs.k8s.io/yaml: keys sorted, sequences
 * not indented below their key, strings quoted only where YAML would read another type). */
void
sim_yaml_append(GString *out, JsonNode *node);

G_END_DECLS
