/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cclm-error.h"
#include "cclm-kubeconfig-private.h"
#include "cclm-yaml-private.h"

#define CCLM_KUBECONFIG_SERVICE_ACCOUNT_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
#define CCLM_KUBECONFIG_IN_CLUSTER "in-cluster"
/* Kubeconfigs, CA bundles and keys are kilobytes; this only stops /dev/zero and the like. */
#define CCLM_KUBECONFIG_MAX_FILE (16 * 1024 * 1024)

/**
 * CclmKubeconfig:
 *
 * The clusters, users and contexts of one or more kubeconfig files, read and merged exactly as
 * kubectl reads them: `$KUBECONFIG` (a list of files; a named cluster, user or context comes
 * whole from the first file that defines it, `current-context` from the first file that sets
 * one), else `~/.kube/config`, else the in-cluster service account.
 *
 * Relative file names in a kubeconfig resolve against the directory of the file that names
 * them. Nothing is connected to, and no credential is read, until a client is made for a
 * context.
 *
 * Since: 0.1
 */

/* A named cluster, user or context, as the file defining it has it. */
typedef struct {
	gchar *origin;	 /* names it in messages: `kubeconfig "/x/config"` */
	gchar *base_dir; /* relative file names resolve against it; NULL: the working directory */
	JsonObject *object;
} CclmKubeconfigEntry;

struct _CclmKubeconfig {
	GObject parent_instance;
	GStrv files;   /* the files read, in order */
	gchar *origin; /* names the whole kubeconfig in messages */
	gchar *current_context;
	GHashTable *clusters; /* name → CclmKubeconfigEntry */
	GHashTable *users;
	GHashTable *contexts;
};

G_DEFINE_FINAL_TYPE(CclmKubeconfig, cclm_kubeconfig, G_TYPE_OBJECT)

typedef enum {
	CCLM_KUBECONFIG_STRING,
	CCLM_KUBECONFIG_BOOLEAN,
	CCLM_KUBECONFIG_MAPPING,
	CCLM_KUBECONFIG_LIST,
	CCLM_KUBECONFIG_STRINGS,
} CclmKubeconfigType;

typedef struct {
	const gchar *name;
	CclmKubeconfigType type;
} CclmKubeconfigField;

/* client-go's tools/clientcmd/api/v1 types; unknown fields are ignored, as there. */
static const CclmKubeconfigField cclm_kubeconfig_cluster_fields[] = {
    {"server", CCLM_KUBECONFIG_STRING},
    {"tls-server-name", CCLM_KUBECONFIG_STRING},
    {"insecure-skip-tls-verify", CCLM_KUBECONFIG_BOOLEAN},
    {"certificate-authority", CCLM_KUBECONFIG_STRING},
    {"certificate-authority-data", CCLM_KUBECONFIG_STRING},
    {"proxy-url", CCLM_KUBECONFIG_STRING},
    {"disable-compression", CCLM_KUBECONFIG_BOOLEAN},
    {"extensions", CCLM_KUBECONFIG_LIST},
    {NULL, 0},
};

static const CclmKubeconfigField cclm_kubeconfig_user_fields[] = {
    {"client-certificate", CCLM_KUBECONFIG_STRING},
    {"client-certificate-data", CCLM_KUBECONFIG_STRING},
    {"client-key", CCLM_KUBECONFIG_STRING},
    {"client-key-data", CCLM_KUBECONFIG_STRING},
    {"token", CCLM_KUBECONFIG_STRING},
    {"tokenFile", CCLM_KUBECONFIG_STRING},
    {"as", CCLM_KUBECONFIG_STRING},
    {"as-uid", CCLM_KUBECONFIG_STRING},
    {"as-groups", CCLM_KUBECONFIG_STRINGS},
    {"as-user-extra", CCLM_KUBECONFIG_MAPPING},
    {"username", CCLM_KUBECONFIG_STRING},
    {"password", CCLM_KUBECONFIG_STRING},
    {"auth-provider", CCLM_KUBECONFIG_MAPPING},
    {"exec", CCLM_KUBECONFIG_MAPPING},
    {"extensions", CCLM_KUBECONFIG_LIST},
    {NULL, 0},
};

static const CclmKubeconfigField cclm_kubeconfig_context_fields[] = {
    {"cluster", CCLM_KUBECONFIG_STRING},
    {"user", CCLM_KUBECONFIG_STRING},
    {"namespace", CCLM_KUBECONFIG_STRING},
    {"extensions", CCLM_KUBECONFIG_LIST},
    {NULL, 0},
};

static const CclmKubeconfigField cclm_kubeconfig_top_fields[] = {
    {"apiVersion", CCLM_KUBECONFIG_STRING},
    {"kind", CCLM_KUBECONFIG_STRING},
    {"current-context", CCLM_KUBECONFIG_STRING},
    {"preferences", CCLM_KUBECONFIG_MAPPING},
    {"clusters", CCLM_KUBECONFIG_LIST},
    {"users", CCLM_KUBECONFIG_LIST},
    {"contexts", CCLM_KUBECONFIG_LIST},
    {"extensions", CCLM_KUBECONFIG_LIST},
    {NULL, 0},
};

/* The three named lists: `clusters: [{name: x, cluster: {...}}]` and the like. */
typedef struct {
	const gchar *list;
	const gchar *item;
	const CclmKubeconfigField *fields;
	gsize table; /* offset of the merged table in CclmKubeconfig */
} CclmKubeconfigSection;

static const CclmKubeconfigSection cclm_kubeconfig_sections[] = {
    {"clusters", "cluster", cclm_kubeconfig_cluster_fields,
     G_STRUCT_OFFSET(CclmKubeconfig, clusters)},
    {"users", "user", cclm_kubeconfig_user_fields, G_STRUCT_OFFSET(CclmKubeconfig, users)},
    {"contexts", "context", cclm_kubeconfig_context_fields,
     G_STRUCT_OFFSET(CclmKubeconfig, contexts)},
};

static void
cclm_kubeconfig_entry_free(CclmKubeconfigEntry *entry)
{
	g_free(entry->origin);
	g_free(entry->base_dir);
	json_object_unref(entry->object);
	g_free(entry);
}

static gchar *
cclm_kubeconfig_origin(const gchar *file)
{
	return file != NULL ? g_strdup_printf("kubeconfig \"%s\"", file) : g_strdup("kubeconfig");
}

/* A set string member; the type was checked at load. Empty counts as unset, as in Go. */
static const gchar *
cclm_kubeconfig_get_string_member(JsonObject *object, const gchar *name)
{
	JsonNode *node = object != NULL ? json_object_get_member(object, name) : NULL;
	const gchar *value;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	value = json_node_get_string(node);
	return value != NULL && value[0] != '\0' ? value : NULL;
}

static gboolean
cclm_kubeconfig_get_boolean_member(JsonObject *object, const gchar *name)
{
	JsonNode *node = json_object_get_member(object, name);

	return node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	       json_node_get_value_type(node) == G_TYPE_BOOLEAN && json_node_get_boolean(node);
}

/* Go's base64.StdEncoding as encoding/json decodes []byte with it: padding required, line
 * breaks ignored. Returns NULL for anything else. */
static GBytes *
cclm_kubeconfig_base64_decode(const gchar *text)
{
	g_autoptr(GString) clean = g_string_new(NULL);
	gsize pad = 0;
	gsize len = 0;
	guchar *data;

	for (const gchar *p = text; *p != '\0'; p++)
		if (*p != '\r' && *p != '\n')
			g_string_append_c(clean, *p);
	if (clean->len % 4 != 0)
		return NULL;
	while (pad < 2 && pad < clean->len && clean->str[clean->len - 1 - pad] == '=')
		pad++;
	for (gsize i = 0; i < clean->len - pad; i++)
		if (!g_ascii_isalnum(clean->str[i]) && clean->str[i] != '+' && clean->str[i] != '/')
			return NULL;
	if (clean->len == 0)
		return g_bytes_new(NULL, 0);
	data = g_base64_decode(clean->str, &len);
	return g_bytes_new_take(data, len);
}

static const gchar *
cclm_kubeconfig_type_name(CclmKubeconfigType type)
{
	switch (type) {
	case CCLM_KUBECONFIG_BOOLEAN:
		return "a boolean";
	case CCLM_KUBECONFIG_MAPPING:
		return "a mapping";
	case CCLM_KUBECONFIG_LIST:
		return "a list";
	case CCLM_KUBECONFIG_STRINGS:
		return "a list of strings";
	case CCLM_KUBECONFIG_STRING:
	default:
		return "a string";
	}
}

static gboolean
cclm_kubeconfig_node_is_string(JsonNode *node)
{
	return JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING;
}

static gboolean
cclm_kubeconfig_node_has_type(JsonNode *node, CclmKubeconfigType type)
{
	JsonArray *array;

	switch (type) {
	case CCLM_KUBECONFIG_STRING:
		return cclm_kubeconfig_node_is_string(node);
	case CCLM_KUBECONFIG_BOOLEAN:
		return JSON_NODE_HOLDS_VALUE(node) &&
		       json_node_get_value_type(node) == G_TYPE_BOOLEAN;
	case CCLM_KUBECONFIG_MAPPING:
		return JSON_NODE_HOLDS_OBJECT(node);
	case CCLM_KUBECONFIG_LIST:
		return JSON_NODE_HOLDS_ARRAY(node);
	case CCLM_KUBECONFIG_STRINGS:
		if (!JSON_NODE_HOLDS_ARRAY(node))
			return FALSE;
		array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++)
			if (!cclm_kubeconfig_node_is_string(json_array_get_element(array, i)))
				return FALSE;
		return TRUE;
	default:
		g_assert_not_reached();
	}
}

/* Kubernetes decodes a kubeconfig into typed structs: a field of another type fails the load.
 * (It also decodes the base64 of -data fields then; that waits until a context uses them, so that
 * one broken user does not hide every other context.) */
static gboolean
cclm_kubeconfig_check_fields(JsonObject *object,
			     const CclmKubeconfigField *fields,
			     const gchar *where,
			     GError **error)
{
	for (guint i = 0; fields[i].name != NULL; i++) {
		JsonNode *node = json_object_get_member(object, fields[i].name);

		if (node == NULL || JSON_NODE_HOLDS_NULL(node))
			continue;
		if (!cclm_kubeconfig_node_has_type(node, fields[i].type)) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "%s: %s: expected %s",
				    where, fields[i].name,
				    cclm_kubeconfig_type_name(fields[i].type));
			return FALSE;
		}
	}
	return TRUE;
}

/* Reads a file named by a kubeconfig, bounded in size. @missing (nullable) tells a file that
 * does not exist from one that cannot be read. */
static GBytes *
cclm_kubeconfig_read_file(const gchar *path, const gchar *where, gboolean *missing, GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	gint fd;

	if (missing != NULL)
		*missing = FALSE;
	fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		gint saved_errno = errno;

		if (missing != NULL)
			*missing = saved_errno == ENOENT;
		if (saved_errno == ENOENT)
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: file \"%s\" not found", where, path);
		else
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "%s: file \"%s\": %s",
				    where, path, g_strerror(saved_errno));
		return NULL;
	}
	for (;;) {
		guint8 chunk[8192];
		gssize n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gint saved_errno = errno;

			g_close(fd, NULL);
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "%s: file \"%s\": %s",
				    where, path, g_strerror(saved_errno));
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len + (gsize)n > CCLM_KUBECONFIG_MAX_FILE) {
			g_close(fd, NULL);
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: file \"%s\": larger than %u bytes", where, path,
				    CCLM_KUBECONFIG_MAX_FILE);
			return NULL;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	g_close(fd, NULL);
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* Bytes holding a secret (a key, a token), scrubbed when freed; never shared. */
typedef GBytes CclmKubeconfigSecret;

static void
cclm_kubeconfig_wipe_bytes(CclmKubeconfigSecret *bytes)
{
	gsize len = 0;
	gpointer data = (gpointer)g_bytes_get_data(bytes, &len);

	if (data != NULL && len > 0)
		memset(data, 0, len);
	g_bytes_unref(bytes);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CclmKubeconfigSecret, cclm_kubeconfig_wipe_bytes)

/* Adds one section (`clusters` ...) of one file. Within a file a name may appear once; across
 * files the first file to define a name wins, whole. */
static gboolean
cclm_kubeconfig_add_section(CclmKubeconfig *self,
			    const CclmKubeconfigSection *section,
			    JsonObject *root,
			    const gchar *origin,
			    const gchar *base_dir,
			    GError **error)
{
	GHashTable *table = G_STRUCT_MEMBER(GHashTable *, self, section->table);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	JsonNode *node = json_object_get_member(root, section->list);
	JsonArray *array;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *item = json_array_get_element(array, i);
		JsonObject *object;
		JsonNode *name_node;
		JsonNode *inner;
		const gchar *name = "";
		g_autofree gchar *where = NULL;
		CclmKubeconfigEntry *entry;

		if (!JSON_NODE_HOLDS_OBJECT(item)) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: %s[%u]: expected a mapping", origin, section->list, i);
			return FALSE;
		}
		object = json_node_get_object(item);
		name_node = json_object_get_member(object, "name");
		if (name_node != NULL && !JSON_NODE_HOLDS_NULL(name_node)) {
			if (!cclm_kubeconfig_node_is_string(name_node)) {
				g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
					    "%s: %s[%u]: name: expected a string", origin,
					    section->list, i);
				return FALSE;
			}
			name = json_node_get_string(name_node);
		}
		where = g_strdup_printf("%s: %s \"%s\"", origin, section->item, name);
		if (g_hash_table_contains(seen, name)) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: %s: duplicate name \"%s\"", origin, section->list, name);
			return FALSE;
		}
		g_hash_table_add(seen, (gpointer)name);
		inner = json_object_get_member(object, section->item);
		if (inner != NULL && !JSON_NODE_HOLDS_NULL(inner) &&
		    !JSON_NODE_HOLDS_OBJECT(inner)) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: %s: expected a mapping", where, section->item);
			return FALSE;
		}
		if (inner != NULL && JSON_NODE_HOLDS_OBJECT(inner) &&
		    !cclm_kubeconfig_check_fields(json_node_get_object(inner), section->fields,
						  where, error))
			return FALSE;
		if (g_hash_table_contains(table, name))
			continue;
		entry = g_new0(CclmKubeconfigEntry, 1);
		entry->origin = g_strdup(origin);
		entry->base_dir = g_strdup(base_dir);
		entry->object = inner != NULL && JSON_NODE_HOLDS_OBJECT(inner)
				    ? json_object_ref(json_node_get_object(inner))
				    : json_object_new();
		g_hash_table_insert(table, g_strdup(name), entry);
	}
	return TRUE;
}

/* Merges one file (or in-memory document) into @self. */
static gboolean
cclm_kubeconfig_add_data(CclmKubeconfig *self,
			 const gchar *data,
			 gsize length,
			 const gchar *file,
			 const gchar *base_dir,
			 GError **error)
{
	g_autofree gchar *origin = cclm_kubeconfig_origin(file);
	g_autoptr(GError) local_error = NULL;
	g_autoptr(JsonNode) root = NULL;
	JsonObject *object;
	const gchar *api_version;
	const gchar *kind;
	const gchar *current_context;

	root = cclm_yaml_parse(data, length, &local_error);
	if (root == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "%s: %s", origin,
			    local_error->message);
		return FALSE;
	}
	/* an empty file is an empty kubeconfig */
	if (JSON_NODE_HOLDS_NULL(root))
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: not a kubeconfig: expected a mapping", origin);
		return FALSE;
	}
	object = json_node_get_object(root);
	if (!cclm_kubeconfig_check_fields(object, cclm_kubeconfig_top_fields, origin, error))
		return FALSE;
	api_version = cclm_kubeconfig_get_string_member(object, "apiVersion");
	kind = cclm_kubeconfig_get_string_member(object, "kind");
	if (api_version != NULL && g_strcmp0(api_version, "v1") != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: apiVersion: \"%s\" is not v1", origin, api_version);
		return FALSE;
	}
	if (kind != NULL && g_strcmp0(kind, "Config") != 0) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: kind: \"%s\" is not Config", origin, kind);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(cclm_kubeconfig_sections); i++)
		if (!cclm_kubeconfig_add_section(self, &cclm_kubeconfig_sections[i], object, origin,
						 base_dir, error))
			return FALSE;
	current_context = cclm_kubeconfig_get_string_member(object, "current-context");
	if (self->current_context == NULL && current_context != NULL)
		self->current_context = g_strdup(current_context);
	return TRUE;
}

static gboolean
cclm_kubeconfig_is_empty(CclmKubeconfig *self)
{
	return self->current_context == NULL && g_hash_table_size(self->clusters) == 0 &&
	       g_hash_table_size(self->users) == 0 && g_hash_table_size(self->contexts) == 0;
}

/* Reads and merges @paths in order; with @skip_missing, files that do not exist are skipped. */
static CclmKubeconfig *
cclm_kubeconfig_load_files(const gchar *const *paths, gboolean skip_missing, GError **error)
{
	g_autoptr(CclmKubeconfig) self = g_object_new(CCLM_TYPE_KUBECONFIG, NULL);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree gchar *joined = NULL;

	for (guint i = 0; paths[i] != NULL; i++) {
		g_autofree gchar *abs = NULL;
		g_autofree gchar *base_dir = NULL;
		g_autoptr(GBytes) data = NULL;
		g_autoptr(GError) local_error = NULL;
		gboolean missing = FALSE;
		gsize len;
		const gchar *contents;

		/* an empty entry is no file; a repeated one is read once */
		if (paths[i][0] == '\0' || g_hash_table_contains(seen, paths[i]))
			continue;
		g_hash_table_add(seen, (gpointer)paths[i]);
		data = cclm_kubeconfig_read_file(paths[i], "kubeconfig", &missing, &local_error);
		if (data == NULL && missing && skip_missing)
			continue;
		if (data == NULL) {
			g_propagate_error(error, g_steal_pointer(&local_error));
			return NULL;
		}
		abs = g_canonicalize_filename(paths[i], NULL);
		base_dir = g_path_get_dirname(abs);
		contents = g_bytes_get_data(data, &len);
		if (!cclm_kubeconfig_add_data(self, contents, len, paths[i], base_dir, error))
			return NULL;
		g_ptr_array_add(files, g_strdup(paths[i]));
	}
	g_ptr_array_add(files, NULL);
	self->files = (GStrv)g_ptr_array_free(g_steal_pointer(&files), FALSE);
	/* messages about the whole merge name every file, as $KUBECONFIG lists them */
	joined = g_strjoinv(G_SEARCHPATH_SEPARATOR_S, self->files);
	self->origin = cclm_kubeconfig_origin(joined[0] != '\0' ? joined : NULL);
	return g_steal_pointer(&self);
}

static void
cclm_kubeconfig_add_entry(GHashTable *table, const gchar *name, JsonObject *object)
{
	CclmKubeconfigEntry *entry = g_new0(CclmKubeconfigEntry, 1);

	entry->origin = g_strdup("in-cluster config");
	entry->object = object;
	g_hash_table_insert(table, g_strdup(name), entry);
}

/* The service account's namespace: $POD_NAMESPACE, else the one mounted with the token, else
 * "default" (client-go's inClusterClientConfig.Namespace). */
static gchar *
cclm_kubeconfig_in_cluster_namespace(const gchar *dir)
{
	const gchar *env = g_getenv("POD_NAMESPACE");
	g_autofree gchar *path = g_build_filename(dir, "namespace", NULL);
	g_autoptr(GBytes) data = NULL;
	g_autofree gchar *ns = NULL;

	if (env != NULL && env[0] != '\0')
		return g_strdup(env);
	data = cclm_kubeconfig_read_file(path, "", NULL, NULL);
	if (data != NULL) {
		ns = g_strstrip(g_strndup(g_bytes_get_data(data, NULL), g_bytes_get_size(data)));
		if (ns[0] != '\0')
			return g_steal_pointer(&ns);
	}
	return g_strdup("default");
}

/* The in-cluster config with the service account mounted at @dir; tests mount their own. */
CclmKubeconfig *
cclm_kubeconfig_load_in_cluster_at(const gchar *dir, GError **error)
{
	g_autoptr(CclmKubeconfig) self = NULL;
	const gchar *host = g_getenv("KUBERNETES_SERVICE_HOST");
	const gchar *port = g_getenv("KUBERNETES_SERVICE_PORT");
	g_autofree gchar *token_path = g_build_filename(dir, "token", NULL);
	g_autofree gchar *ca_path = g_build_filename(dir, "ca.crt", NULL);
	g_autofree gchar *server = NULL;
	g_autofree gchar *ns = NULL;
	g_autoptr(CclmKubeconfigSecret) token = NULL;
	JsonObject *cluster;
	JsonObject *user;
	JsonObject *context;

	g_return_val_if_fail(dir != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (host == NULL || host[0] == '\0' || port == NULL || port[0] == '\0') {
		g_set_error_literal(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "in-cluster config: KUBERNETES_SERVICE_HOST and "
				    "KUBERNETES_SERVICE_PORT must be set");
		return NULL;
	}
	token = cclm_kubeconfig_read_file(token_path, "in-cluster config: tokenFile", NULL, error);
	if (token == NULL)
		return NULL;

	self = g_object_new(CCLM_TYPE_KUBECONFIG, NULL);
	self->files = g_new0(gchar *, 1);
	self->origin = g_strdup("in-cluster config");
	self->current_context = g_strdup(CCLM_KUBECONFIG_IN_CLUSTER);
	/* an IPv6 address needs brackets before the port, as net.JoinHostPort writes it */
	server = strchr(host, ':') != NULL ? g_strdup_printf("https://[%s]:%s", host, port)
					   : g_strdup_printf("https://%s:%s", host, port);
	cluster = json_object_new();
	json_object_set_string_member(cluster, "server", server);
	/* without it, client-go logs an error and trusts the system's CAs */
	if (g_file_test(ca_path, G_FILE_TEST_EXISTS))
		json_object_set_string_member(cluster, "certificate-authority", ca_path);
	user = json_object_new();
	json_object_set_string_member(user, "tokenFile", token_path);
	context = json_object_new();
	json_object_set_string_member(context, "cluster", CCLM_KUBECONFIG_IN_CLUSTER);
	json_object_set_string_member(context, "user", CCLM_KUBECONFIG_IN_CLUSTER);
	ns = cclm_kubeconfig_in_cluster_namespace(dir);
	json_object_set_string_member(context, "namespace", ns);
	cclm_kubeconfig_add_entry(self->clusters, CCLM_KUBECONFIG_IN_CLUSTER, cluster);
	cclm_kubeconfig_add_entry(self->users, CCLM_KUBECONFIG_IN_CLUSTER, user);
	cclm_kubeconfig_add_entry(self->contexts, CCLM_KUBECONFIG_IN_CLUSTER, context);
	return g_steal_pointer(&self);
}

/**
 * cclm_kubeconfig_load_in_cluster:
 * @error: return location for a #GError
 *
 * The config of a pod's service account, as client-go's `rest.InClusterConfig()` makes it:
 * the API server from `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`, the token and CA
 * from `/var/run/secrets/kubernetes.io/serviceaccount/`, and the namespace from
 * `$POD_NAMESPACE`, else the mounted `namespace` file, else `default`. It has one context,
 * `in-cluster`, which is current.
 *
 * Returns: (transfer full): the config, or %NULL with a %CCLM_ERROR_KUBECONFIG error outside a
 *   pod
 *
 * Since: 0.1
 */
CclmKubeconfig *
cclm_kubeconfig_load_in_cluster(GError **error)
{
	return cclm_kubeconfig_load_in_cluster_at(CCLM_KUBECONFIG_SERVICE_ACCOUNT_DIR, error);
}

/* Client-go's fallback when no kubeconfig has anything (ClientConfigLoadingRules plus
 * inClusterClientConfig.Possible): the service account, if this runs in a pod. */
static CclmKubeconfig *
cclm_kubeconfig_load_fallback(const gchar *searched, GError **error)
{
	const gchar *host = g_getenv("KUBERNETES_SERVICE_HOST");
	const gchar *port = g_getenv("KUBERNETES_SERVICE_PORT");
	g_autoptr(GError) local_error = NULL;
	CclmKubeconfig *self;

	if (host == NULL || host[0] == '\0' || port == NULL || port[0] == '\0') {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "no kubeconfig: %s, and this is not a pod (KUBERNETES_SERVICE_HOST "
			    "and KUBERNETES_SERVICE_PORT are not set)",
			    searched);
		return NULL;
	}
	self = cclm_kubeconfig_load_in_cluster(&local_error);
	if (self == NULL)
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "no kubeconfig: %s; %s",
			    searched, local_error->message);
	return self;
}

/**
 * cclm_kubeconfig_load:
 * @path: (nullable) (type filename): the kubeconfig file, or %NULL (or empty) to find it as
 *   kubectl does
 * @error: return location for a #GError
 *
 * Reads a kubeconfig. With @path, only that file, which must exist (kubectl's `--kubeconfig`).
 * Without, the files listed in `$KUBECONFIG` (separated by `:`; repeated and missing files are
 * skipped, an empty value counts as unset), merged: a named cluster, user or context is taken
 * whole from the first file defining it, and `current-context` from the first file setting it.
 * Without `$KUBECONFIG`, `~/.kube/config`. When none of them has anything, and this runs in a
 * pod, the in-cluster config (see [func@Kubeconfig.load_in_cluster]).
 *
 * Returns: (transfer full): the kubeconfig, or %NULL with a %CCLM_ERROR_KUBECONFIG error
 *   naming the file and the field that is wrong
 *
 * Since: 0.1
 */
CclmKubeconfig *
cclm_kubeconfig_load(const gchar *path, GError **error)
{
	const gchar *env = g_getenv("KUBECONFIG");
	g_autoptr(CclmKubeconfig) self = NULL;
	g_auto(GStrv) paths = NULL;
	g_autofree gchar *searched = NULL;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* an empty name is none, as kubectl's --kubeconfig="" */
	if (path != NULL && path[0] != '\0') {
		const gchar *const one[] = {path, NULL};

		return cclm_kubeconfig_load_files(one, FALSE, error);
	}
	if (env != NULL && env[0] != '\0') {
		paths = g_strsplit(env, G_SEARCHPATH_SEPARATOR_S, -1);
		searched = g_strdup_printf("$KUBECONFIG (\"%s\") names no file with contents", env);
	} else {
		paths = g_new0(gchar *, 2);
		paths[0] = g_build_filename(g_get_home_dir(), ".kube", "config", NULL);
		searched = g_strdup_printf("\"%s\" does not exist or is empty", paths[0]);
	}
	self = cclm_kubeconfig_load_files((const gchar *const *)paths, TRUE, error);
	if (self == NULL)
		return NULL;
	if (cclm_kubeconfig_is_empty(self))
		return cclm_kubeconfig_load_fallback(searched, error);
	return g_steal_pointer(&self);
}

/**
 * cclm_kubeconfig_load_from_data:
 * @data: (array length=length) (element-type guint8): the kubeconfig's YAML
 * @length: the length of @data, or -1 when it is nul-terminated
 * @base_dir: (nullable) (type filename): the directory relative file names in @data resolve
 *   against, or %NULL for the working directory
 * @error: return location for a #GError
 *
 * Reads a kubeconfig from memory, such as one a cluster manager handed over.
 *
 * Returns: (transfer full): the kubeconfig, or %NULL with a %CCLM_ERROR_KUBECONFIG error
 *   naming the field that is wrong
 *
 * Since: 0.1
 */
CclmKubeconfig *
cclm_kubeconfig_load_from_data(const gchar *data,
			       gssize length,
			       const gchar *base_dir,
			       GError **error)
{
	g_autoptr(CclmKubeconfig) self = NULL;
	g_autofree gchar *dir = NULL;

	g_return_val_if_fail(data != NULL || length == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (length < 0)
		length = (gssize)strlen(data);
	if (base_dir != NULL)
		dir = g_canonicalize_filename(base_dir, NULL);
	self = g_object_new(CCLM_TYPE_KUBECONFIG, NULL);
	self->files = g_new0(gchar *, 1);
	self->origin = cclm_kubeconfig_origin(NULL);
	if (!cclm_kubeconfig_add_data(self, data, (gsize)length, NULL, dir, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * cclm_kubeconfig_get_files:
 * @self: a #CclmKubeconfig
 *
 * The files this kubeconfig was read from, in the order they were merged; empty for one read
 * from memory or the in-cluster config.
 *
 * Returns: (transfer full) (array zero-terminated=1) (element-type filename): the files
 *
 * Since: 0.1
 */
gchar **
cclm_kubeconfig_get_files(CclmKubeconfig *self)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);

	return g_strdupv(self->files);
}

/**
 * cclm_kubeconfig_get_current_context:
 * @self: a #CclmKubeconfig
 *
 * The context used when none is named.
 *
 * Returns: (nullable): the `current-context`, or %NULL when no file sets one
 *
 * Since: 0.1
 */
const gchar *
cclm_kubeconfig_get_current_context(CclmKubeconfig *self)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);

	return self->current_context;
}

static gint
cclm_kubeconfig_compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* The names in @table, sorted as kubectl sorts them. */
static GStrv
cclm_kubeconfig_sorted_names(GHashTable *table)
{
	guint n = 0;
	gchar **names = (gchar **)g_hash_table_get_keys_as_array(table, &n);
	GStrv copy;

	qsort(names, n, sizeof(gchar *), cclm_kubeconfig_compare_names);
	copy = g_strdupv(names);
	g_free(names);
	return copy;
}

/**
 * cclm_kubeconfig_get_contexts:
 * @self: a #CclmKubeconfig
 *
 * The names of the contexts, sorted.
 *
 * Returns: (transfer full) (array zero-terminated=1): the context names
 *
 * Since: 0.1
 */
gchar **
cclm_kubeconfig_get_contexts(CclmKubeconfig *self)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);

	return cclm_kubeconfig_sorted_names(self->contexts);
}

static const gchar *
cclm_kubeconfig_get_member(GHashTable *table, const gchar *name, const gchar *member)
{
	CclmKubeconfigEntry *entry = g_hash_table_lookup(table, name);

	return entry != NULL ? cclm_kubeconfig_get_string_member(entry->object, member) : NULL;
}

/**
 * cclm_kubeconfig_get_context_cluster:
 * @self: a #CclmKubeconfig
 * @context: a context name
 *
 * The cluster @context connects to.
 *
 * Returns: (nullable): the cluster name, or %NULL when @context does not exist or names none
 *
 * Since: 0.1
 */
const gchar *
cclm_kubeconfig_get_context_cluster(CclmKubeconfig *self, const gchar *context)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);
	g_return_val_if_fail(context != NULL, NULL);

	return cclm_kubeconfig_get_member(self->contexts, context, "cluster");
}

/**
 * cclm_kubeconfig_get_context_user:
 * @self: a #CclmKubeconfig
 * @context: a context name
 *
 * The user @context authenticates as.
 *
 * Returns: (nullable): the user name, or %NULL when @context does not exist or names none
 *
 * Since: 0.1
 */
const gchar *
cclm_kubeconfig_get_context_user(CclmKubeconfig *self, const gchar *context)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);
	g_return_val_if_fail(context != NULL, NULL);

	return cclm_kubeconfig_get_member(self->contexts, context, "user");
}

/**
 * cclm_kubeconfig_get_context_namespace:
 * @self: a #CclmKubeconfig
 * @context: a context name
 *
 * The default namespace of @context.
 *
 * Returns: (nullable): the namespace, or %NULL when @context does not exist or sets none
 *
 * Since: 0.1
 */
const gchar *
cclm_kubeconfig_get_context_namespace(CclmKubeconfig *self, const gchar *context)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);
	g_return_val_if_fail(context != NULL, NULL);

	return cclm_kubeconfig_get_member(self->contexts, context, "namespace");
}

/**
 * cclm_kubeconfig_get_cluster_server:
 * @self: a #CclmKubeconfig
 * @cluster: a cluster name
 *
 * The API server URL of @cluster, as the kubeconfig writes it.
 *
 * Returns: (nullable): the server, or %NULL when @cluster does not exist or sets none
 *
 * Since: 0.1
 */
const gchar *
cclm_kubeconfig_get_cluster_server(CclmKubeconfig *self, const gchar *cluster)
{
	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);
	g_return_val_if_fail(cluster != NULL, NULL);

	return cclm_kubeconfig_get_member(self->clusters, cluster, "server");
}

static void
cclm_kubeconfig_add_sorted(JsonBuilder *builder, GHashTable *table, const gchar *item)
{
	g_auto(GStrv) names = cclm_kubeconfig_sorted_names(table);

	json_builder_begin_array(builder);
	for (guint i = 0; names[i] != NULL; i++) {
		CclmKubeconfigEntry *entry = g_hash_table_lookup(table, names[i]);

		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "name");
		json_builder_add_string_value(builder, names[i]);
		json_builder_set_member_name(builder, item);
		json_builder_add_value(builder,
				       json_node_init_object(json_node_alloc(), entry->object));
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

/* The merged kubeconfig, in the shape `kubectl config view --raw -o json` prints. */
JsonNode *
cclm_kubeconfig_to_json(CclmKubeconfig *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "kind");
	json_builder_add_string_value(builder, "Config");
	json_builder_set_member_name(builder, "apiVersion");
	json_builder_add_string_value(builder, "v1");
	for (guint i = 0; i < G_N_ELEMENTS(cclm_kubeconfig_sections); i++) {
		const CclmKubeconfigSection *section = &cclm_kubeconfig_sections[i];

		json_builder_set_member_name(builder, section->list);
		cclm_kubeconfig_add_sorted(builder,
					   G_STRUCT_MEMBER(GHashTable *, self, section->table),
					   section->item);
	}
	json_builder_set_member_name(builder, "current-context");
	json_builder_add_string_value(builder,
				      self->current_context != NULL ? self->current_context : "");
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

/*
 * From a context to a CclmRestConfig
 */

/* A file name from @entry, resolved against the directory of the file that names it. */
static gchar *
cclm_kubeconfig_resolve(const CclmKubeconfigEntry *entry, const gchar *path)
{
	return g_canonicalize_filename(path, entry->base_dir);
}

/* The bytes of `<field>-data` (base64) or of the file `<field>` names into @out, which stays
 * NULL when neither is set. Both set is an error, as in client-go's validation. */
static gboolean
cclm_kubeconfig_get_file_or_data(const CclmKubeconfigEntry *entry,
				 const gchar *field,
				 const gchar *where,
				 GBytes **out,
				 GError **error)
{
	g_autofree gchar *data_field = g_strdup_printf("%s-data", field);
	const gchar *file = cclm_kubeconfig_get_string_member(entry->object, field);
	const gchar *data = cclm_kubeconfig_get_string_member(entry->object, data_field);
	g_autofree gchar *path = NULL;
	g_autofree gchar *file_where = NULL;

	*out = NULL;
	if (file != NULL && data != NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: %s and %s are both set; set only one", where, field, data_field);
		return FALSE;
	}
	if (data != NULL) {
		*out = cclm_kubeconfig_base64_decode(data);
		if (*out == NULL) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: %s: not valid base64", where, data_field);
			return FALSE;
		}
		return TRUE;
	}
	if (file == NULL)
		return TRUE;
	path = cclm_kubeconfig_resolve(entry, file);
	file_where = g_strdup_printf("%s: %s", where, field);
	*out = cclm_kubeconfig_read_file(path, file_where, NULL, error);
	return *out != NULL;
}

static const gchar *
cclm_kubeconfig_which(const CclmKubeconfigEntry *entry, const gchar *field, const gchar *data_field)
{
	return cclm_kubeconfig_get_string_member(entry->object, data_field) != NULL ? data_field
										    : field;
}

static gboolean
cclm_kubeconfig_check_certificates(GBytes *pem,
				   const gchar *where,
				   const gchar *field,
				   GError **error)
{
	g_autoptr(GTlsCertificate) cert = NULL;

	cert = g_tls_certificate_new_from_pem(g_bytes_get_data(pem, NULL),
					      (gssize)g_bytes_get_size(pem), NULL);
	if (cert == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: %s: no PEM certificate in it", where, field);
		return FALSE;
	}
	return TRUE;
}

static gboolean
cclm_kubeconfig_fill_cluster(CclmRestConfig *config,
			     const CclmKubeconfigEntry *cluster,
			     const gchar *where,
			     GError **error)
{
	const gchar *server = cclm_kubeconfig_get_string_member(cluster->object, "server");

	if (server == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "%s: server: not set", where);
		return FALSE;
	}
	if (cclm_kubeconfig_get_string_member(cluster->object, "proxy-url") != NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: proxy-url: not supported", where);
		return FALSE;
	}
	config->server = g_strdup(server);
	if (!cclm_kubeconfig_get_file_or_data(cluster, "certificate-authority", where,
					      &config->ca_pem, error))
		return FALSE;
	if (config->ca_pem != NULL &&
	    !cclm_kubeconfig_check_certificates(config->ca_pem, where,
						cclm_kubeconfig_which(cluster,
								      "certificate-authority",
								      "certificate-authority-data"),
						error))
		return FALSE;
	config->tls_server_name =
	    g_strdup(cclm_kubeconfig_get_string_member(cluster->object, "tls-server-name"));
	config->insecure_skip_verify =
	    cclm_kubeconfig_get_boolean_member(cluster->object, "insecure-skip-tls-verify");
	if (config->insecure_skip_verify && config->ca_pem != NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: insecure-skip-tls-verify: specifying a root certificates file "
			    "with the insecure flag is not allowed",
			    where);
		return FALSE;
	}
	return TRUE;
}

/* Client certificate and key: both from files or -data, joined into one GTlsCertificate. */
static gboolean
cclm_kubeconfig_fill_client_certificate(CclmRestConfig *config,
					const CclmKubeconfigEntry *user,
					const gchar *where,
					GError **error)
{
	g_autoptr(GBytes) cert = NULL;
	g_autoptr(CclmKubeconfigSecret) key = NULL;
	g_autoptr(GError) local_error = NULL;
	const gchar *cert_field =
	    cclm_kubeconfig_which(user, "client-certificate", "client-certificate-data");
	const gchar *key_field = cclm_kubeconfig_which(user, "client-key", "client-key-data");

	if (!cclm_kubeconfig_get_file_or_data(user, "client-certificate", where, &cert, error) ||
	    !cclm_kubeconfig_get_file_or_data(user, "client-key", where, &key, error))
		return FALSE;
	if (cert == NULL && key == NULL)
		return TRUE;
	if (key == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: client-key: client-key-data or client-key must be set to use a "
			    "client certificate",
			    where);
		return FALSE;
	}
	if (cert == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: client-certificate: client-certificate-data or client-certificate "
			    "must be set to use a client key",
			    where);
		return FALSE;
	}
	if (!cclm_kubeconfig_check_certificates(cert, where, cert_field, error))
		return FALSE;
	config->client_certificate =
	    cclm_credential_certificate_new(g_bytes_get_data(cert, NULL), g_bytes_get_size(cert),
					    g_bytes_get_data(key, NULL), g_bytes_get_size(key),
					    &local_error);
	if (config->client_certificate == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "%s: %s: %s", where,
			    key_field, local_error->message);
		return FALSE;
	}
	return TRUE;
}

/* What KUBERNETES_EXEC_INFO's spec.cluster says (clientauthentication/v1 Cluster). */
static JsonObject *
cclm_kubeconfig_exec_cluster(const CclmRestConfig *config, const CclmKubeconfigEntry *cluster)
{
	JsonObject *object = json_object_new();
	JsonNode *extensions = json_object_get_member(cluster->object, "extensions");

	json_object_set_string_member(object, "server", config->server);
	if (config->tls_server_name != NULL)
		json_object_set_string_member(object, "tls-server-name", config->tls_server_name);
	if (config->insecure_skip_verify)
		json_object_set_boolean_member(object, "insecure-skip-tls-verify", TRUE);
	if (config->ca_pem != NULL) {
		g_autofree gchar *ca = g_base64_encode(g_bytes_get_data(config->ca_pem, NULL),
						       g_bytes_get_size(config->ca_pem));

		json_object_set_string_member(object, "certificate-authority-data", ca);
	}
	if (cclm_kubeconfig_get_boolean_member(cluster->object, "disable-compression"))
		json_object_set_boolean_member(object, "disable-compression", TRUE);
	for (guint i = 0; extensions != NULL && JSON_NODE_HOLDS_ARRAY(extensions) &&
			  i < json_array_get_length(json_node_get_array(extensions));
	     i++) {
		JsonNode *item = json_array_get_element(json_node_get_array(extensions), i);
		JsonObject *extension;

		if (!JSON_NODE_HOLDS_OBJECT(item))
			continue;
		extension = json_node_get_object(item);
		if (g_strcmp0(cclm_kubeconfig_get_string_member(extension, "name"),
			      "client.authentication.k8s.io/exec") == 0 &&
		    json_object_has_member(extension, "extension"))
			json_object_set_member(object, "config",
					       json_node_copy(
						   json_object_get_member(extension, "extension")));
	}
	return object;
}

static gboolean
cclm_kubeconfig_fill_exec(CclmRestConfig *config,
			  const CclmKubeconfigEntry *user,
			  const CclmKubeconfigEntry *cluster,
			  const gchar *where,
			  GError **error)
{
	JsonObject *exec = json_object_get_object_member(user->object, "exec");
	g_autoptr(JsonObject) resolved = json_object_new();
	g_autoptr(JsonObject) exec_cluster = NULL;
	g_autoptr(GList) members = json_object_get_members(exec);
	const gchar *command = cclm_kubeconfig_get_string_member(exec, "command");

	/* a copy, so that the kubeconfig keeps the command as written */
	for (GList *l = members; l != NULL; l = l->next)
		json_object_set_member(resolved, l->data,
				       json_node_copy(json_object_get_member(exec, l->data)));
	/* a bare name is looked up in $PATH; one with a slash is a file name */
	if (command != NULL && strchr(command, '/') != NULL && user->base_dir != NULL) {
		g_autofree gchar *path = cclm_kubeconfig_resolve(user, command);

		json_object_set_string_member(resolved, "command", path);
	}
	exec_cluster = cclm_kubeconfig_exec_cluster(config, cluster);
	config->exec = cclm_credential_plugin_new(resolved, exec_cluster, where, error);
	return config->exec != NULL;
}

static gboolean
cclm_kubeconfig_fill_user(CclmRestConfig *config,
			  const CclmKubeconfigEntry *user,
			  const CclmKubeconfigEntry *cluster,
			  const gchar *where,
			  GError **error)
{
	JsonObject *object = user->object;
	const gchar *token = cclm_kubeconfig_get_string_member(object, "token");
	const gchar *token_file = cclm_kubeconfig_get_string_member(object, "tokenFile");
	gboolean basic = cclm_kubeconfig_get_string_member(object, "username") != NULL ||
			 cclm_kubeconfig_get_string_member(object, "password") != NULL;
	JsonNode *auth_provider = json_object_get_member(object, "auth-provider");
	JsonNode *exec = json_object_get_member(object, "exec");
	gboolean has_exec = exec != NULL && JSON_NODE_HOLDS_OBJECT(exec);

	if (token != NULL && basic) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: more than one authentication method found: token and "
			    "username/password; only one is allowed",
			    where);
		return FALSE;
	}
	if (basic) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: username/password: basic authentication is not supported", where);
		return FALSE;
	}
	if (auth_provider != NULL && JSON_NODE_HOLDS_OBJECT(auth_provider)) {
		const gchar *name =
		    cclm_kubeconfig_get_string_member(json_node_get_object(auth_provider), "name");

		if (has_exec)
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: auth-provider: cannot be set together with exec", where);
		else
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: auth-provider: \"%s\" is not supported (auth providers "
				    "are deprecated); use an exec credential plugin such as "
				    "kubelogin",
				    where, name != NULL ? name : "");
		return FALSE;
	}
	for (const gchar *const *field =
		 (const gchar *const[]){"as", "as-uid", "as-groups", "as-user-extra", NULL};
	     *field != NULL; field++) {
		JsonNode *node = json_object_get_member(object, *field);

		/* connecting as someone else than asked would be worse than failing */
		if (node != NULL && !JSON_NODE_HOLDS_NULL(node)) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: %s: impersonation is not supported", where, *field);
			return FALSE;
		}
	}
	if (token != NULL) {
		config->token = g_strdup(token);
	} else if (token_file != NULL) {
		g_autofree gchar *path = cclm_kubeconfig_resolve(user, token_file);
		g_autofree gchar *file_where = g_strdup_printf("%s: tokenFile", where);
		g_autoptr(CclmKubeconfigSecret) contents = NULL;

		/* read now, as client-go does, so that a missing file fails here */
		contents = cclm_kubeconfig_read_file(path, file_where, NULL, error);
		if (contents == NULL)
			return FALSE;
		config->token_file = g_steal_pointer(&path);
	}
	if (!cclm_kubeconfig_fill_client_certificate(config, user, where, error))
		return FALSE;
	if (has_exec && !cclm_kubeconfig_fill_exec(config, user, cluster, where, error))
		return FALSE;
	return TRUE;
}

/* client-go's DefaultServerURL: a server without a scheme gets https when anything about TLS
 * is configured, else http. */
static gboolean
cclm_kubeconfig_check_server(CclmRestConfig *config, const gchar *where, GError **error)
{
	g_autoptr(GUri) uri = NULL;
	gboolean tls = config->ca_pem != NULL || config->client_certificate != NULL ||
		       config->insecure_skip_verify || config->tls_server_name != NULL;
	gsize len;
	gsize path_len;

	if (strstr(config->server, "://") == NULL) {
		g_autofree gchar *server = config->server;

		config->server = g_strconcat(tls ? "https://" : "http://", server, NULL);
	}
	uri = g_uri_parse(config->server, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL || g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0' ||
	    (g_strcmp0(g_uri_get_scheme(uri), "https") != 0 &&
	     g_strcmp0(g_uri_get_scheme(uri), "http") != 0) ||
	    g_uri_get_query(uri) != NULL || g_uri_get_fragment(uri) != NULL ||
	    g_uri_get_userinfo(uri) != NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: server: \"%s\" is not an http(s)://host[:port][/path] URL", where,
			    config->server);
		return FALSE;
	}
	/* the REST client appends "/api/..." to it; the path is the URL's tail */
	len = strlen(config->server);
	path_len = strlen(g_uri_get_path(uri));
	while (path_len > 0 && config->server[len - 1] == '/') {
		config->server[--len] = '\0';
		path_len--;
	}
	return TRUE;
}

/* Everything needed to connect as @context; see the header. */
CclmRestConfig *
cclm_kubeconfig_get_rest_config(CclmKubeconfig *self, const gchar *context, GError **error)
{
	g_autoptr(CclmRestConfig) config = NULL;
	/* an empty name is no name, as kubectl's --context="" */
	const gchar *name = context != NULL && context[0] != '\0' ? context : self->current_context;
	CclmKubeconfigEntry *ctx;
	CclmKubeconfigEntry *cluster;
	CclmKubeconfigEntry *user = NULL;
	const gchar *cluster_name;
	const gchar *user_name;
	g_autofree gchar *where = NULL;
	g_autofree gchar *cluster_where = NULL;
	g_autofree gchar *user_where = NULL;

	g_return_val_if_fail(CCLM_IS_KUBECONFIG(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (name == NULL || name[0] == '\0') {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: current-context is not set and no context was given",
			    self->origin);
		return NULL;
	}
	ctx = g_hash_table_lookup(self->contexts, name);
	if (ctx == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: context \"%s\" not found", self->origin, name);
		return NULL;
	}
	where = g_strdup_printf("%s: context \"%s\"", ctx->origin, name);
	cluster_name = cclm_kubeconfig_get_string_member(ctx->object, "cluster");
	if (cluster_name == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG, "%s: cluster: not set",
			    where);
		return NULL;
	}
	cluster = g_hash_table_lookup(self->clusters, cluster_name);
	if (cluster == NULL) {
		g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
			    "%s: cluster: \"%s\" not found", where, cluster_name);
		return NULL;
	}
	/* no user is anonymous; a user that does not exist is a mistake (kubectl would connect
	 * anonymously) */
	user_name = cclm_kubeconfig_get_string_member(ctx->object, "user");
	if (user_name != NULL) {
		user = g_hash_table_lookup(self->users, user_name);
		if (user == NULL) {
			g_set_error(error, CCLM_ERROR, CCLM_ERROR_KUBECONFIG,
				    "%s: user: \"%s\" not found", where, user_name);
			return NULL;
		}
	}
	cluster_where = g_strdup_printf("%s: context \"%s\": cluster \"%s\"", cluster->origin, name,
					cluster_name);

	config = cclm_rest_config_new();
	config->namespace = g_strdup(cclm_kubeconfig_get_string_member(ctx->object, "namespace"));
	if (!cclm_kubeconfig_fill_cluster(config, cluster, cluster_where, error))
		return NULL;
	if (user != NULL) {
		user_where = g_strdup_printf("%s: context \"%s\": user \"%s\"", user->origin, name,
					     user_name);
		if (!cclm_kubeconfig_fill_user(config, user, cluster, user_where, error))
			return NULL;
	}
	if (!cclm_kubeconfig_check_server(config, cluster_where, error))
		return NULL;
	if (config->insecure_skip_verify)
		g_warning("%s: insecure-skip-tls-verify is set: the server's certificate is not "
			  "verified",
			  cluster_where);
	return g_steal_pointer(&config);
}

static void
cclm_kubeconfig_finalize(GObject *object)
{
	CclmKubeconfig *self = CCLM_KUBECONFIG(object);

	g_strfreev(self->files);
	g_free(self->origin);
	g_free(self->current_context);
	g_hash_table_unref(self->clusters);
	g_hash_table_unref(self->users);
	g_hash_table_unref(self->contexts);
	G_OBJECT_CLASS(cclm_kubeconfig_parent_class)->finalize(object);
}

static void
cclm_kubeconfig_class_init(CclmKubeconfigClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = cclm_kubeconfig_finalize;
}

static void
cclm_kubeconfig_init(CclmKubeconfig *self)
{
	self->clusters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)cclm_kubeconfig_entry_free);
	self->users = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    (GDestroyNotify)cclm_kubeconfig_entry_free);
	self->contexts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)cclm_kubeconfig_entry_free);
}
