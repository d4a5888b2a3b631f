/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-store-private.h"

/* Watches may resume from this many changes back; older revisions are compacted away. */
#define SIM_HISTORY_MAX 20000
#define SIM_COMPACT_INTERVAL_S 300
/* Parsed trees kept per cluster before a trim drops those nobody holds */
#define SIM_PARSED_MAX 20000

G_DEFINE_QUARK(sim-error-quark, sim_error)

/* An object's parsed tree is made on demand and dropped again (sim_cluster_trim()) while
 * only the store itself (its tree, history and pending changes) holds the object: the cached
 * bytes are what is served, and a fleet's trees would take about ten times their size. */
struct _SimObject {
	gint ref_count;
	const SimResource *res;
	JsonObject *json; /* NULL until asked for, or after a trim */
	GBytes *bytes;
	char *key; /* "ns/name" */
	char *ns;
	const char *name; /* in key */
	char *uid;
	JsonObject *labels; /* kept across trims: selectors read them on every list */
	guint64 rv;
	gint internal_refs; /* references held by the store itself */
	SimCluster *cluster; /* while `json` is set and the object is in the cluster's parsed list */
	GList *parsed_link;
};

typedef struct {
	guint id;
	const SimResource *res;
	SimChangeFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} SimSubscriber;

typedef struct {
	guint id;
	SimAdmitFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} SimAdmission;

typedef struct {
	SimCluster *cluster;
	guint source_id;
	SimTimerFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} SimTimer;

struct _SimCluster {
	char *name;
	guint64 rv;
	guint64 compacted;
	guint64 dispatched;
	guint64 previous_tick;
	GPtrArray *resources; /* SimResource, discovery order */
	GHashTable *by_gvr;   /* "group/version/resource" -> SimResource */
	GHashTable *by_gvk;   /* "apiVersion/kind" -> SimResource */
	GQueue history;	      /* SimChange */
	GQueue pending;	      /* SimChange, not yet delivered to subscribers */
	guint dispatch_id;
	guint compact_id;
	GPtrArray *subscribers; /* SimSubscriber */
	GPtrArray *admissions;	/* SimAdmission */
	GHashTable *timers;	/* source id -> SimTimer */
	GData *data;
	guint next_id;
	GQueue parsed; /* SimObject with a tree, oldest first */
	guint trim_at;	/* like a garbage collector's: doubles when little could go */
};

guint
sim_error_http_status(const GError *error)
{
	static const guint codes[] = {400, 403, 404, 409, 409, 410, 422, 415, 400};

	if (error->domain != SIM_ERROR || (guint)error->code >= G_N_ELEMENTS(codes))
		return 500;
	return codes[error->code];
}

const char *
sim_error_reason(const GError *error)
{
	static const char *const reasons[] = {"BadRequest", "Forbidden",	    "NotFound",
					      "AlreadyExists", "Conflict",	    "Expired",
					      "Invalid",    "UnsupportedMediaType", "BadRequest"};

	if (error->domain != SIM_ERROR || (guint)error->code >= G_N_ELEMENTS(reasons))
		return "InternalError";
	return reasons[error->code];
}

/* Objects */

static void
sim_cluster_note_parsed(SimCluster *cluster, SimObject *obj);
static GQueue *
sim_cluster_parsed_queue(SimCluster *cluster);
static void
sim_change_free_internal(SimChange *change);

static SimObject *
sim_object_new(const SimResource *res, JsonObject *json, guint64 rv)
{
	SimObject *obj = g_new0(SimObject, 1);
	JsonObject *meta = sim_json_get_object(json, "metadata", TRUE);
	JsonObject *labels = sim_json_get_object(meta, "labels", FALSE);
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autofree char *rv_str = g_strdup_printf("%" G_GUINT64_FORMAT, rv);
	const char *uid;
	char *data;

	obj->ref_count = 1;
	obj->res = res;
	obj->rv = rv;
	json_object_set_string_member(meta, "resourceVersion", rv_str);
	obj->ns = g_strdup(json_object_get_string_member_with_default(meta, "namespace", ""));
	obj->key = g_strconcat(obj->ns, "/",
			       json_object_get_string_member_with_default(meta, "name", ""), NULL);
	obj->name = obj->key + strlen(obj->ns) + 1;
	uid = json_object_get_string_member_with_default(meta, "uid", NULL);
	obj->uid = g_strdup(uid);
	obj->labels = labels != NULL ? json_object_ref(labels) : NULL;
	json_node_set_object(node, json);
	data = json_to_string(node, FALSE);
	obj->bytes = g_bytes_new_take(data, strlen(data));
	json_object_unref(json); /* parsed again from the bytes when asked for */
	return obj;
}

static void
sim_object_drop_tree(SimObject *obj)
{
	if (obj->parsed_link != NULL) {
		g_queue_delete_link(sim_cluster_parsed_queue(obj->cluster), obj->parsed_link);
		obj->parsed_link = NULL;
		obj->cluster = NULL;
	}
	g_clear_pointer(&obj->json, json_object_unref);
}

SimObject *
sim_object_ref(SimObject *obj)
{
	obj->ref_count++;
	return obj;
}

void
sim_object_unref(SimObject *obj)
{
	if (obj == NULL || --obj->ref_count > 0)
		return;
	sim_object_drop_tree(obj);
	if (obj->labels != NULL)
		json_object_unref(obj->labels);
	g_bytes_unref(obj->bytes);
	g_free(obj->key);
	g_free(obj->ns);
	g_free(obj->uid);
	g_free(obj);
}

JsonObject *
sim_object_get_json(SimObject *obj)
{
	if (obj->json == NULL) {
		g_autoptr(JsonParser) parser = json_parser_new_immutable();
		gsize len;
		const char *data = g_bytes_get_data(obj->bytes, &len);

		/* our own serialization: it parses */
		if (!json_parser_load_from_data(parser, data, len, NULL))
			g_error("cclm-sim: cannot parse stored object %s", obj->key);
		obj->json = json_object_ref(json_node_get_object(json_parser_get_root(parser)));
		if (obj->res->priv->cluster != NULL)
			sim_cluster_note_parsed(obj->res->priv->cluster, obj);
	}
	return obj->json;
}

GBytes *
sim_object_get_bytes(SimObject *obj)
{
	return obj->bytes;
}

/* json_node_copy() shares objects and arrays: edits would reach the stored object. */
JsonNode *
sim_json_node_dup(JsonNode *node)
{
	JsonNode *copy;

	if (JSON_NODE_HOLDS_OBJECT(node)) {
		copy = json_node_new(JSON_NODE_OBJECT);
		json_node_take_object(copy, sim_json_object_dup(json_node_get_object(node)));
	} else if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *src = json_node_get_array(node);
		guint len = json_array_get_length(src);
		JsonArray *arr = json_array_sized_new(len);

		for (guint i = 0; i < len; i++)
			json_array_add_element(arr, sim_json_node_dup(json_array_get_element(src, i)));
		copy = json_node_new(JSON_NODE_ARRAY);
		json_node_take_array(copy, arr);
	} else {
		copy = json_node_copy(node);
	}
	return copy;
}

JsonObject *
sim_json_object_dup(JsonObject *obj)
{
	JsonObject *copy = json_object_new();
	g_autoptr(GList) members = json_object_get_members(obj); /* in order, unlike an iter */

	for (GList *l = members; l != NULL; l = l->next)
		json_object_set_member(copy, l->data,
				       sim_json_node_dup(json_object_get_member(obj, l->data)));
	return copy;
}

JsonObject *
sim_object_dup_json(SimObject *obj)
{
	return sim_json_object_dup(sim_object_get_json(obj));
}

const SimResource *
sim_object_get_resource(SimObject *obj)
{
	return obj->res;
}

const char *
sim_object_get_namespace(SimObject *obj)
{
	return obj->ns;
}

const char *
sim_object_get_name(SimObject *obj)
{
	return obj->name;
}

const char *
sim_object_get_key(SimObject *obj)
{
	return obj->key;
}

const char *
sim_object_get_uid(SimObject *obj)
{
	return obj->uid;
}

guint64
sim_object_get_resource_version(SimObject *obj)
{
	return obj->rv;
}

JsonObject *
sim_object_get_labels(SimObject *obj)
{
	return obj->labels;
}

/* JSON helpers */

/* Walks dotted paths without allocating: lists and selectors call these per object. */
static JsonNode *
sim_json_member_n(JsonObject *obj, const char *name, gsize len)
{
	char buf[128];

	if (len >= sizeof(buf)) {
		g_autofree char *heap = g_strndup(name, len);

		return json_object_get_member(obj, heap);
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	return json_object_get_member(obj, buf);
}

JsonObject *
sim_json_get_object(JsonObject *obj, const char *dotted_path, gboolean create)
{
	const char *seg = dotted_path;

	while (obj != NULL && seg != NULL) {
		const char *dot = strchr(seg, '.');
		gsize len = dot != NULL ? (gsize)(dot - seg) : strlen(seg);
		JsonNode *node = sim_json_member_n(obj, seg, len);

		if (node != NULL && JSON_NODE_HOLDS_OBJECT(node)) {
			obj = json_node_get_object(node);
		} else if (create) {
			g_autofree char *name = g_strndup(seg, len);
			JsonObject *child = json_object_new();

			json_object_set_object_member(obj, name, child);
			obj = child;
		} else {
			return NULL;
		}
		seg = dot != NULL ? dot + 1 : NULL;
	}
	return obj;
}

const char *
sim_json_get_string(JsonObject *obj, const char *dotted_path)
{
	const char *seg = dotted_path;
	JsonNode *node = NULL;

	while (obj != NULL && seg != NULL) {
		const char *dot = strchr(seg, '.');
		gsize len = dot != NULL ? (gsize)(dot - seg) : strlen(seg);

		node = sim_json_member_n(obj, seg, len);
		if (node == NULL)
			return NULL;
		seg = dot != NULL ? dot + 1 : NULL;
		obj = seg != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		if (seg != NULL && obj == NULL)
			return NULL;
	}
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

char *
sim_now_rfc3339(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();

	return g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Clusters */

static void
sim_resource_free(SimResource *res);

static gint
sim_key_compare(gconstpointer a, gconstpointer b, gpointer user_data)
{
	return strcmp(a, b);
}

/* Like the API server's etcd compaction: every interval, forget what is older than the
 * revision seen at the previous tick (so 5 to 10 minutes of history stay). */
static gboolean
sim_cluster_compact_cb(gpointer user_data)
{
	SimCluster *cluster = user_data;
	SimChange *oldest;

	while ((oldest = g_queue_peek_head(&cluster->history)) != NULL &&
	       oldest->new_obj->rv <= cluster->previous_tick) {
		sim_change_free_internal(g_queue_pop_head(&cluster->history));
	}
	cluster->compacted = MAX(cluster->compacted, cluster->previous_tick);
	cluster->previous_tick = cluster->rv;
	return G_SOURCE_CONTINUE;
}

static GQueue *
sim_cluster_parsed_queue(SimCluster *cluster)
{
	return &cluster->parsed;
}

/* Drops the trees of objects only the store holds (its tree, history, pending changes): no
 * caller holds them, so none can be reading their trees. */
static void
sim_cluster_trim(SimCluster *cluster)
{
	GList *l = cluster->parsed.head;

	while (l != NULL && cluster->parsed.length > SIM_PARSED_MAX / 2) {
		GList *next = l->next;
		SimObject *obj = l->data;

		if (obj->ref_count == obj->internal_refs)
			sim_object_drop_tree(obj);
		l = next;
	}
	cluster->trim_at = MAX(SIM_PARSED_MAX, cluster->parsed.length * 2);
}

static void
sim_cluster_note_parsed(SimCluster *cluster, SimObject *obj)
{
	obj->cluster = cluster;
	g_queue_push_tail(&cluster->parsed, obj);
	obj->parsed_link = cluster->parsed.tail;
	if (cluster->parsed.length > MAX(cluster->trim_at, SIM_PARSED_MAX))
		sim_cluster_trim(cluster);
}

SimCluster *
sim_cluster_new(const char *name)
{
	SimCluster *cluster = g_new0(SimCluster, 1);

	cluster->name = g_strdup(name);
	/* Not 1: clients must not assume small or dense revisions. */
	cluster->rv = 1000;
	cluster->resources = g_ptr_array_new_with_free_func((GDestroyNotify)sim_resource_free);
	cluster->by_gvr = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	cluster->by_gvk = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_queue_init(&cluster->history);
	g_queue_init(&cluster->pending);
	cluster->subscribers = g_ptr_array_new();
	cluster->admissions = g_ptr_array_new();
	cluster->timers = g_hash_table_new(NULL, NULL);
	g_datalist_init(&cluster->data);
	cluster->compact_id =
	    g_timeout_add_seconds(SIM_COMPACT_INTERVAL_S, sim_cluster_compact_cb, cluster);
	sim_resources_register_builtin(cluster);
	return cluster;
}

static void
sim_resource_free(SimResource *res)
{
	g_free(res->group);
	g_free(res->version);
	g_free(res->resource);
	g_free(res->singular);
	g_free(res->kind);
	g_free(res->list_kind);
	g_strfreev(res->short_names);
	g_strfreev(res->categories);
	g_tree_unref(res->priv->objects);
	g_free(res->priv);
	g_free(res);
}

void
sim_change_free(SimChange *change)
{
	if (change == NULL)
		return;
	sim_object_unref(change->old_obj);
	sim_object_unref(change->new_obj);
	g_free(change);
}

/* History and pending entries are the store's own references. */
static void
sim_change_free_internal(SimChange *change)
{
	if (change->old_obj != NULL)
		change->old_obj->internal_refs--;
	if (change->new_obj != NULL)
		change->new_obj->internal_refs--;
	sim_change_free(change);
}

static SimChange *
sim_change_new(SimEventType type, SimObject *old_obj, SimObject *new_obj);

static SimChange *
sim_change_new_internal(SimEventType type, SimObject *old_obj, SimObject *new_obj)
{
	SimChange *change = sim_change_new(type, old_obj, new_obj);

	if (old_obj != NULL)
		old_obj->internal_refs++;
	if (new_obj != NULL)
		new_obj->internal_refs++;
	return change;
}

static void
sim_timer_free(SimTimer *timer)
{
	if (timer->destroy != NULL)
		timer->destroy(timer->user_data);
	g_free(timer);
}

void
sim_cluster_free(SimCluster *cluster)
{
	GHashTableIter iter;
	gpointer value;

	if (cluster == NULL)
		return;
	g_clear_handle_id(&cluster->dispatch_id, g_source_remove);
	g_clear_handle_id(&cluster->compact_id, g_source_remove);
	g_hash_table_iter_init(&iter, cluster->timers);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_source_remove(((SimTimer *)value)->source_id);
	g_hash_table_unref(cluster->timers);
	for (guint i = 0; i < cluster->subscribers->len; i++) {
		SimSubscriber *sub = g_ptr_array_index(cluster->subscribers, i);

		if (sub->destroy != NULL)
			sub->destroy(sub->user_data);
		g_free(sub);
	}
	g_ptr_array_unref(cluster->subscribers);
	for (guint i = 0; i < cluster->admissions->len; i++) {
		SimAdmission *adm = g_ptr_array_index(cluster->admissions, i);

		if (adm->destroy != NULL)
			adm->destroy(adm->user_data);
		g_free(adm);
	}
	g_ptr_array_unref(cluster->admissions);
	g_datalist_clear(&cluster->data);
	g_queue_clear_full(&cluster->history, (GDestroyNotify)sim_change_free_internal);
	g_queue_clear_full(&cluster->pending, (GDestroyNotify)sim_change_free_internal);
	g_hash_table_unref(cluster->by_gvr);
	g_hash_table_unref(cluster->by_gvk);
	/* objects may outlive the cluster: they must forget its parsed list */
	for (GList *l = cluster->parsed.head; l != NULL; l = l->next) {
		SimObject *obj = l->data;

		obj->parsed_link = NULL;
		obj->cluster = NULL;
	}
	g_queue_clear(&cluster->parsed);
	for (guint i = 0; i < cluster->resources->len; i++)
		((SimResource *)g_ptr_array_index(cluster->resources, i))->priv->cluster = NULL;
	g_ptr_array_unref(cluster->resources);
	g_free(cluster->name);
	g_free(cluster);
}

const char *
sim_cluster_get_name(SimCluster *cluster)
{
	return cluster->name;
}

guint64
sim_cluster_get_resource_version(SimCluster *cluster)
{
	return cluster->rv;
}

void
sim_cluster_set_data(SimCluster *cluster, const char *key, gpointer data, GDestroyNotify destroy)
{
	g_datalist_set_data_full(&cluster->data, key, data, destroy);
}

gpointer
sim_cluster_get_data(SimCluster *cluster, const char *key)
{
	return g_datalist_get_data(&cluster->data, key);
}

/* Resources */

static char *
sim_api_version(const char *group, const char *version)
{
	return *group == '\0' ? g_strdup(version) : g_strconcat(group, "/", version, NULL);
}

const SimResource *
sim_cluster_register_resource(SimCluster *cluster, const SimResourceDef *def)
{
	SimResource *res = g_new0(SimResource, 1);
	g_autofree char *api_version = sim_api_version(def->group, def->version);

	res->group = g_strdup(def->group);
	res->version = g_strdup(def->version);
	res->resource = g_strdup(def->resource);
	res->singular = g_strdup(def->singular);
	res->kind = g_strdup(def->kind);
	res->list_kind = g_strconcat(def->kind, "List", NULL);
	res->short_names = g_strsplit(def->short_names != NULL ? def->short_names : "", ",", -1);
	if (res->short_names[0] != NULL && *res->short_names[0] == '\0')
		g_clear_pointer(&res->short_names[0], g_free);
	res->categories = g_strsplit(def->categories != NULL ? def->categories : "", ",", -1);
	if (res->categories[0] != NULL && *res->categories[0] == '\0')
		g_clear_pointer(&res->categories[0], g_free);
	res->namespaced = def->namespaced;
	res->has_status = def->has_status;
	res->builtin = def->builtin;
	res->priv = g_new0(SimResourcePriv, 1);
	res->priv->table = def->table;
	res->priv->cluster = cluster;
	res->priv->objects = g_tree_new_full(sim_key_compare, NULL, NULL,
					     (GDestroyNotify)sim_object_unref);
	g_ptr_array_add(cluster->resources, res);
	g_hash_table_insert(cluster->by_gvr,
			    g_strdup_printf("%s/%s/%s", def->group, def->version, def->resource),
			    res);
	g_hash_table_insert(cluster->by_gvk, g_strdup_printf("%s/%s", api_version, def->kind),
			    res);
	return res;
}

const SimResource *
sim_cluster_lookup_resource(SimCluster *cluster,
			    const char *group,
			    const char *version,
			    const char *resource)
{
	g_autofree char *key = g_strdup_printf("%s/%s/%s", group, version, resource);

	return g_hash_table_lookup(cluster->by_gvr, key);
}

const SimResource *
sim_cluster_lookup_kind(SimCluster *cluster, const char *api_version, const char *kind)
{
	g_autofree char *key = g_strdup_printf("%s/%s", api_version, kind);

	return g_hash_table_lookup(cluster->by_gvk, key);
}

const SimResource *
sim_cluster_resource(SimCluster *cluster, const char *resource_dot_group)
{
	const char *dot = strchr(resource_dot_group, '.');
	gsize len = dot != NULL ? (gsize)(dot - resource_dot_group) : strlen(resource_dot_group);
	const char *group = dot != NULL ? dot + 1 : "";

	for (guint i = 0; i < cluster->resources->len; i++) {
		const SimResource *res = g_ptr_array_index(cluster->resources, i);

		if (strlen(res->resource) == len &&
		    strncmp(res->resource, resource_dot_group, len) == 0 &&
		    strcmp(res->group, group) == 0)
			return res;
	}
	return NULL;
}

GPtrArray *
sim_cluster_list_resources(SimCluster *cluster)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < cluster->resources->len; i++)
		g_ptr_array_add(out, g_ptr_array_index(cluster->resources, i));
	return out;
}

char *
sim_resource_guess_plural(const char *kind)
{
	g_autofree char *lower = g_ascii_strdown(kind, -1);
	gsize len = strlen(lower);

	if (len == 0)
		return g_strdup("");
	if (g_str_has_suffix(lower, "s") || g_str_has_suffix(lower, "x") ||
	    g_str_has_suffix(lower, "ch") || g_str_has_suffix(lower, "sh"))
		return g_strconcat(lower, "es", NULL);
	if (lower[len - 1] == 'y' && len > 1 && strchr("aeiou", lower[len - 2]) == NULL) {
		lower[len - 1] = '\0';
		return g_strconcat(lower, "ies", NULL);
	}
	return g_strconcat(lower, "s", NULL);
}

const SimResource *
sim_cluster_ensure_kind(SimCluster *cluster,
			const char *api_version,
			const char *kind,
			gboolean namespaced)
{
	const SimResource *res = sim_cluster_lookup_kind(cluster, api_version, kind);
	const char *slash = strchr(api_version, '/');
	g_autofree char *group = slash != NULL ? g_strndup(api_version, slash - api_version)
					       : g_strdup("");
	g_autofree char *plural = sim_resource_guess_plural(kind);
	g_autofree char *singular = g_ascii_strdown(kind, -1);
	SimResourceDef def = {
	    .group = group,
	    .version = slash != NULL ? slash + 1 : api_version,
	    .resource = plural,
	    .singular = singular,
	    .kind = kind,
	    .namespaced = namespaced,
	    .has_status = FALSE,
	    .builtin = FALSE,
	};

	if (res != NULL)
		return res;
	return sim_cluster_register_resource(cluster, &def);
}

/* Reads */

SimObject *
sim_cluster_get(SimCluster *cluster, const SimResource *res, const char *ns, const char *name)
{
	g_autofree char *key = g_strconcat(res->namespaced && ns != NULL ? ns : "", "/", name, NULL);
	SimObject *obj = g_tree_lookup(res->priv->objects, key);

	return obj != NULL ? sim_object_ref(obj) : NULL;
}

guint
sim_cluster_count(SimCluster *cluster, const SimResource *res)
{
	return g_tree_nnodes(res->priv->objects);
}

GPtrArray *
sim_cluster_list_page(SimCluster *cluster,
		      const SimResource *res,
		      const char *ns,
		      const SimSelector *selector,
		      const char *after_key,
		      guint limit,
		      gboolean *more,
		      guint *remaining)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)sim_object_unref);
	g_autofree char *prefix = NULL;
	GTreeNode *node;

	if (ns != NULL && *ns != '\0' && res->namespaced)
		prefix = g_strconcat(ns, "/", NULL);
	if (after_key != NULL) {
		node = g_tree_upper_bound(res->priv->objects, after_key);
	} else {
		node = prefix != NULL ? g_tree_lower_bound(res->priv->objects, prefix)
				      : g_tree_node_first(res->priv->objects);
	}
	if (more != NULL)
		*more = FALSE;
	if (remaining != NULL)
		*remaining = 0;
	for (; node != NULL; node = g_tree_node_next(node)) {
		SimObject *obj = g_tree_node_value(node);

		if (prefix != NULL && !g_str_has_prefix(obj->key, prefix))
			break;
		if (selector != NULL && !sim_selector_matches_labels(selector, obj->labels))
			continue;
		if (limit > 0 && out->len == limit) {
			if (more != NULL)
				*more = TRUE;
			if (remaining == NULL)
				break;
			(*remaining)++;
			continue;
		}
		g_ptr_array_add(out, sim_object_ref(obj));
	}
	return out;
}

GPtrArray *
sim_cluster_list(SimCluster *cluster,
		 const SimResource *res,
		 const char *ns,
		 const SimSelector *selector)
{
	return sim_cluster_list_page(cluster, res, ns, selector, NULL, 0, NULL, NULL);
}

/* Changes */

static gboolean
sim_cluster_dispatch_cb(gpointer user_data)
{
	SimCluster *cluster = user_data;
	SimChange *change;

	cluster->dispatch_id = 0;
	/* Subscribers may write: their changes join the queue and are delivered in this loop. */
	while ((change = g_queue_pop_head(&cluster->pending)) != NULL) {
		/* the subscribers borrow these objects: no longer the store's own references,
		 * so a trim cannot take their trees away mid-callback */
		if (change->old_obj != NULL)
			change->old_obj->internal_refs--;
		if (change->new_obj != NULL)
			change->new_obj->internal_refs--;
		for (guint i = 0; i < cluster->subscribers->len; i++) {
			SimSubscriber *sub = g_ptr_array_index(cluster->subscribers, i);
			SimObject *any = change->new_obj != NULL ? change->new_obj : change->old_obj;

			if (sub->func == NULL || (sub->res != NULL && sub->res != any->res))
				continue;
			sub->func(cluster, change->type, change->old_obj, change->new_obj,
				  sub->user_data);
		}
		cluster->dispatched = change->new_obj->rv;
		sim_change_free(change);
	}
	/* Drop subscribers disconnected while dispatching. */
	for (guint i = cluster->subscribers->len; i > 0; i--) {
		SimSubscriber *sub = g_ptr_array_index(cluster->subscribers, i - 1);

		if (sub->func == NULL) {
			g_ptr_array_remove_index(cluster->subscribers, i - 1);
			g_free(sub);
		}
	}
	return G_SOURCE_REMOVE;
}

static SimChange *
sim_change_new(SimEventType type, SimObject *old_obj, SimObject *new_obj)
{
	SimChange *change = g_new0(SimChange, 1);

	change->type = type;
	change->old_obj = old_obj != NULL ? sim_object_ref(old_obj) : NULL;
	change->new_obj = new_obj != NULL ? sim_object_ref(new_obj) : NULL;
	return change;
}

static void
sim_cluster_record(SimCluster *cluster, SimEventType type, SimObject *old_obj, SimObject *new_obj)
{
	g_queue_push_tail(&cluster->history, sim_change_new_internal(type, old_obj, new_obj));
	while (cluster->history.length > SIM_HISTORY_MAX) {
		SimChange *oldest = g_queue_pop_head(&cluster->history);

		cluster->compacted = oldest->new_obj->rv;
		sim_change_free_internal(oldest);
	}
	g_queue_push_tail(&cluster->pending, sim_change_new_internal(type, old_obj, new_obj));
	if (cluster->dispatch_id == 0)
		cluster->dispatch_id = g_idle_add(sim_cluster_dispatch_cb, cluster);
}

gboolean
sim_cluster_changes_since(SimCluster *cluster, guint64 rv, GPtrArray **changes)
{
	GList *l;

	*changes = NULL;
	if (rv < cluster->compacted)
		return FALSE;
	*changes = g_ptr_array_new_with_free_func((GDestroyNotify)sim_change_free);
	/* Walk back from the newest: resumptions are nearly always recent. */
	for (l = cluster->history.tail; l != NULL; l = l->prev) {
		SimChange *change = l->data;

		if (change->new_obj->rv <= rv)
			break;
	}
	for (l = l != NULL ? l->next : cluster->history.head; l != NULL; l = l->next) {
		SimChange *change = l->data;

		g_ptr_array_add(*changes,
				sim_change_new(change->type, change->old_obj, change->new_obj));
	}
	return TRUE;
}

guint64
sim_cluster_get_dispatched(SimCluster *cluster)
{
	return cluster->pending.length == 0 ? cluster->rv : cluster->dispatched;
}

guint64
sim_cluster_get_compacted(SimCluster *cluster)
{
	return cluster->compacted;
}

void
sim_cluster_compact(SimCluster *cluster)
{
	g_queue_clear_full(&cluster->history, (GDestroyNotify)sim_change_free_internal);
	/* Past the current revision: everything handed out so far (list revisions, continue
	 * tokens) is too old, as after an etcd compaction followed by other writes. */
	cluster->compacted = ++cluster->rv;
}

guint
sim_cluster_connect_changes(SimCluster *cluster,
			    const SimResource *res,
			    SimChangeFunc func,
			    gpointer user_data,
			    GDestroyNotify destroy)
{
	SimSubscriber *sub = g_new0(SimSubscriber, 1);

	sub->id = ++cluster->next_id;
	sub->res = res;
	sub->func = func;
	sub->user_data = user_data;
	sub->destroy = destroy;
	g_ptr_array_add(cluster->subscribers, sub);
	return sub->id;
}

void
sim_cluster_disconnect_changes(SimCluster *cluster, guint id)
{
	for (guint i = 0; i < cluster->subscribers->len; i++) {
		SimSubscriber *sub = g_ptr_array_index(cluster->subscribers, i);

		if (sub->id != id || sub->func == NULL)
			continue;
		/* Marked, freed by the dispatcher: we may be inside it. */
		sub->func = NULL;
		if (sub->destroy != NULL)
			sub->destroy(sub->user_data);
		sub->destroy = NULL;
		if (cluster->dispatch_id == 0)
			cluster->dispatch_id = g_idle_add(sim_cluster_dispatch_cb, cluster);
		return;
	}
}

guint
sim_cluster_add_admission(SimCluster *cluster,
			  SimAdmitFunc func,
			  gpointer user_data,
			  GDestroyNotify destroy)
{
	SimAdmission *adm = g_new0(SimAdmission, 1);

	adm->id = ++cluster->next_id;
	adm->func = func;
	adm->user_data = user_data;
	adm->destroy = destroy;
	g_ptr_array_add(cluster->admissions, adm);
	return adm->id;
}

static gboolean
sim_cluster_admit(SimCluster *cluster,
		  SimOperation op,
		  const SimResource *res,
		  SimObject *old_obj,
		  JsonObject *new_obj,
		  GError **error)
{
	for (guint i = 0; i < cluster->admissions->len; i++) {
		SimAdmission *adm = g_ptr_array_index(cluster->admissions, i);

		if (!adm->func(cluster, op, res, old_obj, new_obj, adm->user_data, error))
			return FALSE;
	}
	return TRUE;
}

/* Timers */

static gboolean
sim_timer_cb(gpointer user_data)
{
	SimTimer *timer = user_data;

	if (timer->func(timer->cluster, timer->user_data) == G_SOURCE_CONTINUE)
		return G_SOURCE_CONTINUE;
	g_hash_table_remove(timer->cluster->timers, GUINT_TO_POINTER(timer->source_id));
	return G_SOURCE_REMOVE;
}

guint
sim_cluster_add_timer(SimCluster *cluster,
		      guint delay_ms,
		      SimTimerFunc func,
		      gpointer user_data,
		      GDestroyNotify destroy)
{
	SimTimer *timer = g_new0(SimTimer, 1);

	timer->cluster = cluster;
	timer->func = func;
	timer->user_data = user_data;
	timer->destroy = destroy;
	timer->source_id = g_timeout_add_full(G_PRIORITY_DEFAULT, delay_ms, sim_timer_cb, timer,
					      (GDestroyNotify)sim_timer_free);
	g_hash_table_insert(cluster->timers, GUINT_TO_POINTER(timer->source_id), timer);
	return timer->source_id;
}

void
sim_cluster_remove_timer(SimCluster *cluster, guint id)
{
	if (g_hash_table_remove(cluster->timers, GUINT_TO_POINTER(id)))
		g_source_remove(id);
}

/* Writes */

static void
sim_error_object(GError **error, gint code, const SimResource *res, const char *name,
		 const char *what)
{
	if (*res->group != '\0')
		g_set_error(error, SIM_ERROR, code, "%s.%s \"%s\" %s", res->resource, res->group,
			    name, what);
	else
		g_set_error(error, SIM_ERROR, code, "%s \"%s\" %s", res->resource, name, what);
}

static gboolean
sim_json_equal_member(JsonObject *a, JsonObject *b, const char *member)
{
	JsonNode *na = a != NULL ? json_object_get_member(a, member) : NULL;
	JsonNode *nb = b != NULL ? json_object_get_member(b, member) : NULL;

	if (na == NULL || nb == NULL)
		return na == nb;
	return json_node_equal(na, nb);
}

/* generation counts changes to anything but metadata and status */
static gboolean
sim_spec_changed(JsonObject *old_json, JsonObject *new_json)
{
	g_autoptr(GList) old_members = json_object_get_members(old_json);
	g_autoptr(GList) new_members = json_object_get_members(new_json);

	for (GList *l = new_members; l != NULL; l = l->next) {
		if (g_str_equal(l->data, "metadata") || g_str_equal(l->data, "status"))
			continue;
		if (!sim_json_equal_member(old_json, new_json, l->data))
			return TRUE;
	}
	for (GList *l = old_members; l != NULL; l = l->next) {
		if (!json_object_has_member(new_json, l->data))
			return TRUE;
	}
	return FALSE;
}

static gboolean
sim_check_identity(const SimResource *res, JsonObject *json, GError **error)
{
	const char *name = sim_json_get_string(json, "metadata.name");
	const char *ns = sim_json_get_string(json, "metadata.namespace");

	if (name == NULL || *name == '\0') {
		g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
			    "%s \"\" is invalid: metadata.name: Required value: name or generateName "
			    "is required",
			    res->kind);
		return FALSE;
	}
	if (res->namespaced && (ns == NULL || *ns == '\0')) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
			    "%s \"%s\" is invalid: metadata.namespace: Required value", res->kind,
			    name);
		return FALSE;
	}
	if (!res->namespaced && ns != NULL) {
		JsonObject *meta = sim_json_get_object(json, "metadata", FALSE);

		json_object_remove_member(meta, "namespace");
	}
	return TRUE;
}

static void
sim_set_type_meta(const SimResource *res, JsonObject *json)
{
	g_autofree char *api_version = sim_api_version(res->group, res->version);

	/* apiVersion and kind first, as the real server prints them, when missing */
	if (!json_object_has_member(json, "apiVersion"))
		json_object_set_string_member(json, "apiVersion", api_version);
	if (!json_object_has_member(json, "kind"))
		json_object_set_string_member(json, "kind", res->kind);
}

static char *
sim_new_uid(void)
{
	return g_uuid_string_random();
}

SimObject *
sim_cluster_create(SimCluster *cluster,
		   const SimResource *res,
		   JsonObject *json,
		   SimWriteFlags flags,
		   GError **error)
{
	g_autoptr(JsonObject) owned = json;
	JsonObject *meta;
	SimObject *obj;

	if (!sim_check_identity(res, json, error))
		return NULL;
	meta = sim_json_get_object(json, "metadata", TRUE);
	{
		g_autofree char *key =
		    g_strconcat(res->namespaced ? json_object_get_string_member(meta, "namespace")
						: "",
				"/", json_object_get_string_member(meta, "name"), NULL);

		if (g_tree_lookup(res->priv->objects, key) != NULL) {
			sim_error_object(error, SIM_ERROR_ALREADY_EXISTS, res,
					 json_object_get_string_member(meta, "name"),
					 "already exists");
			return NULL;
		}
	}
	if (!(flags & SIM_WRITE_LOAD)) {
		g_autofree char *now = sim_now_rfc3339();
		g_autofree char *uid = sim_new_uid();

		json_object_set_string_member(meta, "uid", uid);
		json_object_set_string_member(meta, "creationTimestamp", now);
		json_object_set_int_member(meta, "generation", 1);
		json_object_remove_member(meta, "deletionTimestamp");
		if (!sim_cluster_admit(cluster, SIM_OPERATION_CREATE, res, NULL, json, error))
			return NULL;
	} else {
		if (!json_object_has_member(meta, "uid")) {
			g_autofree char *uid = sim_new_uid();

			json_object_set_string_member(meta, "uid", uid);
		}
		if (!json_object_has_member(meta, "creationTimestamp")) {
			g_autofree char *now = sim_now_rfc3339();

			json_object_set_string_member(meta, "creationTimestamp", now);
		}
		if (!json_object_has_member(meta, "generation"))
			json_object_set_int_member(meta, "generation", 1);
	}
	sim_set_type_meta(res, json);
	obj = sim_object_new(res, g_steal_pointer(&owned), ++cluster->rv);
	obj->internal_refs++;
	g_tree_insert(res->priv->objects, obj->key, sim_object_ref(obj));
	if (flags & SIM_WRITE_LOAD)
		cluster->compacted = cluster->rv;
	else
		sim_cluster_record(cluster, SIM_EVENT_ADDED, NULL, obj);
	return obj;
}

static void
sim_copy_member(JsonObject *from, JsonObject *to, const char *member)
{
	JsonNode *node = from != NULL ? json_object_get_member(from, member) : NULL;

	if (node != NULL)
		json_object_set_member(to, member, sim_json_node_dup(node));
	else
		json_object_remove_member(to, member);
}

static SimObject *
sim_cluster_remove(SimCluster *cluster, SimObject *old_obj, JsonObject *final_json)
{
	SimObject *gone = sim_object_new(old_obj->res, final_json, ++cluster->rv);

	old_obj->internal_refs--;
	g_tree_remove(old_obj->res->priv->objects, old_obj->key);
	sim_cluster_record(cluster, SIM_EVENT_DELETED, NULL, gone);
	return gone;
}

SimObject *
sim_cluster_update(SimCluster *cluster,
		   const SimResource *res,
		   JsonObject *json,
		   SimWriteFlags flags,
		   GError **error)
{
	g_autoptr(JsonObject) owned = json;
	g_autoptr(SimObject) old_obj = NULL;
	JsonObject *meta, *old_meta;
	const char *rv;
	JsonNode *finalizers;
	SimObject *obj;

	if (!sim_check_identity(res, json, error))
		return NULL;
	meta = sim_json_get_object(json, "metadata", TRUE);
	old_obj = sim_cluster_get(cluster, res,
				  json_object_get_string_member_with_default(meta, "namespace", NULL),
				  json_object_get_string_member(meta, "name"));
	if (old_obj == NULL) {
		sim_error_object(error, SIM_ERROR_NOT_FOUND, res,
				 json_object_get_string_member(meta, "name"), "not found");
		return NULL;
	}
	old_meta = sim_json_get_object(sim_object_get_json(old_obj), "metadata", FALSE);
	rv = json_object_get_string_member_with_default(meta, "resourceVersion", NULL);
	if (!(flags & SIM_WRITE_FORCE) && rv != NULL && *rv != '\0' &&
	    g_ascii_strtoull(rv, NULL, 10) != old_obj->rv) {
		g_autofree char *what = g_strdup_printf(
		    "the object has been modified; please apply your changes to the latest "
		    "version and try again");
		g_set_error(error, SIM_ERROR, SIM_ERROR_CONFLICT,
			    "Operation cannot be fulfilled on %s%s%s \"%s\": %s", res->resource,
			    *res->group != '\0' ? "." : "", res->group, old_obj->name, what);
		return NULL;
	}
	if (flags & SIM_WRITE_STATUS) {
		/* /status: everything but status comes from the stored object */
		g_autoptr(JsonObject) merged = sim_object_dup_json(old_obj);

		sim_copy_member(json, merged, "status");
		g_clear_pointer(&owned, json_object_unref);
		owned = g_steal_pointer(&merged);
		json = owned;
		meta = sim_json_get_object(json, "metadata", TRUE);
	} else if (flags & SIM_WRITE_KEEP_STATUS) {
		sim_copy_member(sim_object_get_json(old_obj), json, "status");
	}
	/* Fields the server owns. */
	sim_copy_member(old_meta, meta, "uid");
	sim_copy_member(old_meta, meta, "creationTimestamp");
	if (json_object_has_member(old_meta, "deletionTimestamp")) {
		sim_copy_member(old_meta, meta, "deletionTimestamp");
		sim_copy_member(old_meta, meta, "deletionGracePeriodSeconds");
	}
	json_object_set_int_member(meta, "generation",
				   json_object_get_int_member_with_default(old_meta, "generation", 1) +
				       (sim_spec_changed(sim_object_get_json(old_obj), json) ? 1 : 0));
	sim_set_type_meta(res, json);
	if (!sim_cluster_admit(cluster, SIM_OPERATION_UPDATE, res, old_obj, json, error))
		return NULL;
	finalizers = json_object_get_member(meta, "finalizers");
	if (json_object_has_member(meta, "deletionTimestamp") &&
	    (finalizers == NULL || !JSON_NODE_HOLDS_ARRAY(finalizers) ||
	     json_array_get_length(json_node_get_array(finalizers)) == 0))
		return sim_cluster_remove(cluster, old_obj, g_steal_pointer(&owned));
	obj = sim_object_new(res, g_steal_pointer(&owned), ++cluster->rv);
	old_obj->internal_refs--;
	obj->internal_refs++;
	g_tree_replace(res->priv->objects, obj->key, sim_object_ref(obj));
	sim_cluster_record(cluster, SIM_EVENT_MODIFIED, old_obj, obj);
	return obj;
}

SimObject *
sim_cluster_delete(SimCluster *cluster,
		   const SimResource *res,
		   const char *ns,
		   const char *name,
		   GError **error)
{
	g_autoptr(SimObject) old_obj = sim_cluster_get(cluster, res, ns, name);

	if (old_obj == NULL) {
		sim_error_object(error, SIM_ERROR_NOT_FOUND, res, name, "not found");
		return NULL;
	}
	if (!sim_cluster_admit(cluster, SIM_OPERATION_DELETE, res, old_obj, NULL, error))
		return NULL;
	return sim_cluster_remove(cluster, old_obj, sim_object_dup_json(old_obj));
}
