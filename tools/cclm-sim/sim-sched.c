/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sim-sched.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Filter order, reason strings and the FailedScheduling message follow kube-scheduler
 * (kubernetes/kubernetes pkg/scheduler: framework/types.go FitError.Error, plugins
 * nodeunschedulable, tainttoleration, nodeaffinity, noderesources/fit.go, and
 * framework/preemption + plugins/defaultpreemption for the "preemption:" part). A node stops at
 * the first failing plugin, as RunFilterPlugins does.
 */

typedef struct {
	gchar *key; /* namespace/name */
	gchar *node;
	SimResources *requests;
	gint64 priority;
} SimSchedPod;

typedef struct {
	SimResources *requested;
	GHashTable *pods; /* key -> SimSchedPod (owned by SimSched.pods) */
} SimSchedUsage;

typedef struct {
	gchar *key, *value, *effect;
} SimSchedTaint;

struct _SimSchedNode {
	gchar *name;
	GHashTable *labels;
	GPtrArray *taints;
	gboolean unschedulable;
	SimResources *allocatable;
};

typedef struct {
	SimSchedPreFilterFunc prefilter;
	SimSchedFilterFunc filter;
	gpointer user_data;
} SimSchedPlugin;

struct _SimSched {
	GHashTable *nodes; /* name -> SimSchedNode */
	GHashTable *usage; /* node name -> SimSchedUsage, also for nodes not (yet) known */
	GHashTable *pods;  /* key -> SimSchedPod, bound non-terminal pods */
	GPtrArray *sorted; /* SimSchedNode by name, rebuilt when nodes change */
	GArray *plugins;
};

static void
sim_sched_pod_free(SimSchedPod *p)
{
	g_free(p->key);
	g_free(p->node);
	g_hash_table_unref(p->requests);
	g_free(p);
}

static void
sim_sched_usage_free(SimSchedUsage *u)
{
	g_hash_table_unref(u->requested);
	g_hash_table_unref(u->pods);
	g_free(u);
}

static void
sim_sched_taint_free(SimSchedTaint *t)
{
	g_free(t->key);
	g_free(t->value);
	g_free(t->effect);
	g_free(t);
}

static void
sim_sched_node_free(SimSchedNode *n)
{
	g_free(n->name);
	g_hash_table_unref(n->labels);
	g_ptr_array_unref(n->taints);
	g_hash_table_unref(n->allocatable);
	g_free(n);
}

SimSched *
sim_sched_new(void)
{
	SimSched *self = g_new0(SimSched, 1);

	self->nodes = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					    (GDestroyNotify)sim_sched_node_free);
	self->usage = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    (GDestroyNotify)sim_sched_usage_free);
	self->pods = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					   (GDestroyNotify)sim_sched_pod_free);
	self->plugins = g_array_new(FALSE, FALSE, sizeof(SimSchedPlugin));
	return self;
}

void
sim_sched_free(SimSched *self)
{
	if (self == NULL)
		return;
	g_clear_pointer(&self->sorted, g_ptr_array_unref);
	g_hash_table_unref(self->usage);
	g_hash_table_unref(self->pods);
	g_hash_table_unref(self->nodes);
	g_array_unref(self->plugins);
	g_free(self);
}

void
sim_sched_add_filter(SimSched *self,
		     SimSchedPreFilterFunc prefilter,
		     SimSchedFilterFunc filter,
		     gpointer user_data)
{
	SimSchedPlugin p = {prefilter, filter, user_data};

	g_array_append_val(self->plugins, p);
}

static SimSchedUsage *
sim_sched_usage(SimSched *self, const gchar *node, gboolean create)
{
	SimSchedUsage *u = g_hash_table_lookup(self->usage, node);

	if (u == NULL && create) {
		u = g_new0(SimSchedUsage, 1);
		u->requested = sim_resources_new();
		u->pods = g_hash_table_new(g_str_hash, g_str_equal);
		g_hash_table_insert(self->usage, g_strdup(node), u);
	}
	return u;
}

void
sim_sched_update_node(SimSched *self, JsonObject *node)
{
	JsonObject *meta = sim_json_object(node, "metadata");
	JsonObject *spec = sim_json_object(node, "spec");
	JsonObject *labels = sim_json_object(meta, "labels");
	JsonArray *taints = sim_json_array(spec, "taints");
	const gchar *name = sim_json_string(meta, "name");
	SimSchedNode *n;
	g_autoptr(GError) error = NULL;

	if (name == NULL)
		return;
	n = g_new0(SimSchedNode, 1);
	n->name = g_strdup(name);
	n->labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	n->taints = g_ptr_array_new_with_free_func((GDestroyNotify)sim_sched_taint_free);
	n->allocatable = sim_resources_new();
	if (labels != NULL) {
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;

		json_object_iter_init(&it, labels);
		while (json_object_iter_next(&it, &k, &v)) {
			if (JSON_NODE_HOLDS_VALUE(v) &&
			    json_node_get_value_type(v) == G_TYPE_STRING)
				g_hash_table_insert(n->labels, g_strdup(k),
						    g_strdup(json_node_get_string(v)));
		}
	}
	for (guint i = 0; taints != NULL && i < json_array_get_length(taints); i++) {
		JsonObject *t = json_array_get_object_element(taints, i);
		SimSchedTaint *st = g_new0(SimSchedTaint, 1);

		st->key = g_strdup(sim_json_string(t, "key") ?: "");
		st->value = g_strdup(sim_json_string(t, "value") ?: "");
		st->effect = g_strdup(sim_json_string(t, "effect") ?: "");
		g_ptr_array_add(n->taints, st);
	}
	n->unschedulable = sim_json_bool(spec, "unschedulable", FALSE);
	/* an unparsable allocatable counts as nothing allocatable: the node fits no pod */
	if (!sim_resources_parse(sim_json_path_object(node, "status", "allocatable", NULL),
				 n->allocatable, "status.allocatable", &error))
		g_warning("node \"%s\": %s", name, error->message);
	g_hash_table_replace(self->nodes, n->name, n);
	g_clear_pointer(&self->sorted, g_ptr_array_unref);
}

void
sim_sched_remove_node(SimSched *self, const gchar *name)
{
	if (g_hash_table_remove(self->nodes, name))
		g_clear_pointer(&self->sorted, g_ptr_array_unref);
}

static void
sim_sched_forget_pod(SimSched *self, const gchar *key)
{
	SimSchedPod *p = g_hash_table_lookup(self->pods, key);
	SimSchedUsage *u;

	if (p == NULL)
		return;
	u = sim_sched_usage(self, p->node, FALSE);
	if (u != NULL) {
		sim_resources_add_all(u->requested, p->requests, -1);
		g_hash_table_remove(u->pods, key);
	}
	g_hash_table_remove(self->pods, key);
}

static gint64
sim_sched_pod_priority(JsonObject *pod)
{
	return sim_json_int(sim_json_object(pod, "spec"), "priority", 0);
}

/* Pods occupy a node when bound and not Succeeded/Failed, as the scheduler's informer sees it. */
void
sim_sched_update_pod(SimSched *self, JsonObject *pod)
{
	JsonObject *meta = sim_json_object(pod, "metadata");
	const gchar *node = sim_json_string(sim_json_object(pod, "spec"), "nodeName");
	g_autofree gchar *key = g_strdup_printf("%s/%s", sim_json_string(meta, "namespace") ?: "",
						sim_json_string(meta, "name") ?: "");
	g_autoptr(GError) error = NULL;
	SimSchedPod *p;
	SimSchedUsage *u;

	sim_sched_forget_pod(self, key);
	if (node == NULL || *node == '\0' || sim_pod_is_terminal(pod))
		return;
	p = g_new0(SimSchedPod, 1);
	p->key = g_steal_pointer(&key);
	p->node = g_strdup(node);
	p->priority = sim_sched_pod_priority(pod);
	p->requests = sim_pod_requests(pod, &error);
	if (p->requests == NULL) {
		g_warning("pod \"%s\": %s", p->key, error->message);
		p->requests = sim_resources_new();
	}
	u = sim_sched_usage(self, node, TRUE);
	sim_resources_add_all(u->requested, p->requests, 1);
	g_hash_table_insert(u->pods, p->key, p);
	g_hash_table_insert(self->pods, p->key, p);
}

void
sim_sched_remove_pod(SimSched *self, const gchar *ns, const gchar *name)
{
	g_autofree gchar *key = g_strdup_printf("%s/%s", ns, name);

	sim_sched_forget_pod(self, key);
}

const gchar *
sim_sched_node_name(const SimSchedNode *node)
{
	return node->name;
}

GHashTable *
sim_sched_node_labels(const SimSchedNode *node)
{
	return node->labels;
}

/* k8s.io/api core/v1 toleration.go ToleratesTaint */
static gboolean
sim_sched_toleration_matches(JsonObject *t,
			     const gchar *key,
			     const gchar *value,
			     const gchar *effect)
{
	const gchar *teffect = sim_json_string(t, "effect") ?: "";
	const gchar *tkey = sim_json_string(t, "key") ?: "";
	const gchar *op = sim_json_string(t, "operator") ?: "";

	if (*teffect != '\0' && strcmp(teffect, effect) != 0)
		return FALSE;
	if (*tkey != '\0' && strcmp(tkey, key) != 0)
		return FALSE;
	if (*op == '\0' || strcmp(op, "Equal") == 0)
		return g_strcmp0(sim_json_string(t, "value") ?: "", value) == 0;
	return strcmp(op, "Exists") == 0;
}

gboolean
sim_sched_tolerates(JsonArray *tolerations,
		    const gchar *key,
		    const gchar *value,
		    const gchar *effect)
{
	for (guint i = 0; tolerations != NULL && i < json_array_get_length(tolerations); i++) {
		if (sim_sched_toleration_matches(json_array_get_object_element(tolerations, i), key,
						 value, effect))
			return TRUE;
	}
	return FALSE;
}

static gboolean
sim_sched_parse_int64(const gchar *s, gint64 *out)
{
	gchar *end = NULL;

	if (s == NULL || *s == '\0')
		return FALSE;
	*out = g_ascii_strtoll(s, &end, 10);
	return end != NULL && *end == '\0';
}

static gboolean
sim_sched_values_contain(JsonArray *values, const gchar *v)
{
	for (guint i = 0; values != NULL && i < json_array_get_length(values); i++) {
		if (g_strcmp0(json_array_get_string_element(values, i), v) == 0)
			return TRUE;
	}
	return FALSE;
}

/* apimachinery labels.Requirement.Matches for node selector operators */
static gboolean
sim_sched_requirement_matches(JsonObject *req, GHashTable *labels)
{
	const gchar *key = sim_json_string(req, "key") ?: "";
	const gchar *op = sim_json_string(req, "operator") ?: "";
	JsonArray *values = sim_json_array(req, "values");
	const gchar *v = g_hash_table_lookup(labels, key);
	gint64 a, b;

	if (strcmp(op, "In") == 0)
		return v != NULL && sim_sched_values_contain(values, v);
	if (strcmp(op, "NotIn") == 0)
		return v == NULL || !sim_sched_values_contain(values, v);
	if (strcmp(op, "Exists") == 0)
		return v != NULL;
	if (strcmp(op, "DoesNotExist") == 0)
		return v == NULL;
	if (strcmp(op, "Gt") == 0 || strcmp(op, "Lt") == 0) {
		if (v == NULL || values == NULL || json_array_get_length(values) != 1 ||
		    !sim_sched_parse_int64(v, &a) ||
		    !sim_sched_parse_int64(json_array_get_string_element(values, 0), &b))
			return FALSE;
		return op[0] == 'G' ? a > b : a < b;
	}
	return FALSE;
}

/* component-helpers nodeaffinity: terms ORed, requirements inside a term ANDed, an empty term
 * matches nothing; matchFields knows only metadata.name. */
gboolean
sim_sched_match_node_selector_terms(JsonArray *terms, GHashTable *labels, const gchar *name)
{
	for (guint i = 0; terms != NULL && i < json_array_get_length(terms); i++) {
		JsonObject *term = json_array_get_object_element(terms, i);
		JsonArray *exprs = sim_json_array(term, "matchExpressions");
		JsonArray *fields = sim_json_array(term, "matchFields");
		gboolean ok = TRUE;
		guint n = 0;

		for (guint j = 0; ok && exprs != NULL && j < json_array_get_length(exprs); j++, n++)
			ok = sim_sched_requirement_matches(json_array_get_object_element(exprs, j),
							   labels);
		for (guint j = 0; ok && fields != NULL && j < json_array_get_length(fields);
		     j++, n++) {
			JsonObject *f = json_array_get_object_element(fields, j);
			g_autoptr(GHashTable) fl = g_hash_table_new(g_str_hash, g_str_equal);

			g_hash_table_insert(fl, (gpointer) "metadata.name", (gpointer)name);
			ok = g_strcmp0(sim_json_string(f, "key"), "metadata.name") == 0 &&
			     sim_sched_requirement_matches(f, fl);
		}
		if (ok && n > 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
sim_sched_node_affinity_matches(JsonObject *pod, const SimSchedNode *node)
{
	JsonObject *spec = sim_json_object(pod, "spec");
	JsonObject *selector = sim_json_object(spec, "nodeSelector");
	JsonObject *required;

	if (selector != NULL) {
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;

		json_object_iter_init(&it, selector);
		while (json_object_iter_next(&it, &k, &v)) {
			if (g_strcmp0(g_hash_table_lookup(node->labels, k),
				      JSON_NODE_HOLDS_VALUE(v) ? json_node_get_string(v) : NULL) !=
			    0)
				return FALSE;
		}
	}
	required = sim_json_path_object(spec, "affinity", "nodeAffinity",
					"requiredDuringSchedulingIgnoredDuringExecution", NULL);
	if (required == NULL)
		return TRUE;
	return sim_sched_match_node_selector_terms(sim_json_array(required, "nodeSelectorTerms"),
						   node->labels, node->name);
}

/* noderesources fit.go fitsRequest; appends "Insufficient X" / "Too many pods" */
static gboolean
sim_sched_fits(SimResources *req,
	       const SimSchedNode *node,
	       SimResources *requested,
	       guint npods,
	       GPtrArray *reasons)
{
	GHashTableIter it;
	gpointer k, v;
	gboolean fits = TRUE;
	gint64 allowed_pods = sim_resources_get(node->allocatable, "pods");

	if ((gint64)npods + 1 > allowed_pods) {
		g_ptr_array_add(reasons, g_strdup("Too many pods"));
		fits = FALSE;
	}
	g_hash_table_iter_init(&it, req);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		gint64 want = *(gint64 *)v;

		if (want <= 0 || strcmp(k, "pods") == 0)
			continue;
		if (want >
		    sim_resources_get(node->allocatable, k) - sim_resources_get(requested, k)) {
			g_ptr_array_add(reasons, g_strdup_printf("Insufficient %s", (gchar *)k));
			fits = FALSE;
		}
	}
	return fits;
}

static gint
sim_sched_node_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(SimSchedNode **)a)->name, (*(SimSchedNode **)b)->name);
}

static GPtrArray *
sim_sched_sorted_nodes(SimSched *self)
{
	if (self->sorted == NULL) {
		GHashTableIter it;
		gpointer v;

		self->sorted = g_ptr_array_new();
		g_hash_table_iter_init(&it, self->nodes);
		while (g_hash_table_iter_next(&it, NULL, &v))
			g_ptr_array_add(self->sorted, v);
		g_ptr_array_sort(self->sorted, sim_sched_node_cmp);
	}
	return self->sorted;
}

static gint
sim_sched_str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar **)a, *(const gchar **)b);
}

/* "<count> <reason>" sorted as strings, joined with ", " (FitError.Error) */
static gchar *
sim_sched_histogram(GHashTable *counts)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k, v;
	GString *out = g_string_new(NULL);

	g_hash_table_iter_init(&it, counts);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_ptr_array_add(parts, g_strdup_printf("%u %s", GPOINTER_TO_UINT(v), (gchar *)k));
	g_ptr_array_sort(parts, sim_sched_str_cmp);
	for (guint i = 0; i < parts->len; i++)
		g_string_append_printf(out, "%s%s", i ? ", " : "", (gchar *)parts->pdata[i]);
	return g_string_free(out, FALSE);
}

static void
sim_sched_count(GHashTable *counts, const gchar *reason)
{
	gpointer old = g_hash_table_lookup(counts, reason);

	g_hash_table_replace(counts, g_strdup(reason), GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + 1));
}

/* Runs the filters for one node; returns the status code, reasons appended to @reasons. */
static SimSchedCode
sim_sched_filter(SimSched *self,
		 JsonObject *pod,
		 SimResources *req,
		 const SimSchedNode *node,
		 GPtrArray *reasons)
{
	JsonArray *tolerations = sim_json_array(sim_json_object(pod, "spec"), "tolerations");
	SimSchedUsage *u = sim_sched_usage(self, node->name, FALSE);
	g_autoptr(SimResources) none = NULL;

	if (node->unschedulable &&
	    !sim_sched_tolerates(tolerations, "node.kubernetes.io/unschedulable", "",
				 "NoSchedule")) {
		g_ptr_array_add(reasons, g_strdup("node(s) were unschedulable"));
		return SIM_SCHED_UNSCHEDULABLE_AND_UNRESOLVABLE;
	}
	for (guint i = 0; i < node->taints->len; i++) {
		SimSchedTaint *t = node->taints->pdata[i];

		if (strcmp(t->effect, "NoSchedule") != 0 && strcmp(t->effect, "NoExecute") != 0)
			continue;
		if (!sim_sched_tolerates(tolerations, t->key, t->value, t->effect)) {
			g_ptr_array_add(reasons,
					g_strdup_printf("node(s) had untolerated taint {%s: %s}",
							t->key, t->value));
			return SIM_SCHED_UNSCHEDULABLE_AND_UNRESOLVABLE;
		}
	}
	if (!sim_sched_node_affinity_matches(pod, node)) {
		g_ptr_array_add(reasons,
				g_strdup("node(s) didn't match Pod's node affinity/selector"));
		return SIM_SCHED_UNSCHEDULABLE_AND_UNRESOLVABLE;
	}
	if (u == NULL)
		none = sim_resources_new();
	if (!sim_sched_fits(req, node, u != NULL ? u->requested : none,
			    u != NULL ? g_hash_table_size(u->pods) : 0, reasons))
		return SIM_SCHED_UNSCHEDULABLE;
	for (guint i = 0; i < self->plugins->len; i++) {
		SimSchedPlugin *p = &g_array_index(self->plugins, SimSchedPlugin, i);
		SimSchedCode code;

		if (p->filter == NULL)
			continue;
		code = p->filter(pod, node, reasons, p->user_data);
		if (code != SIM_SCHED_OK)
			return code;
	}
	return SIM_SCHED_OK;
}

/* DefaultPreemption's verdict for a node that failed NodeResourcesFit: with no lower-priority
 * pod there is nothing to evict; otherwise the filter is rerun without them. The simulator
 * never evicts, so a node where eviction would help also reports no victims. */
static void
sim_sched_preemption_reasons(SimSched *self,
			     JsonObject *pod,
			     SimResources *req,
			     const SimSchedNode *node,
			     GPtrArray *reasons)
{
	SimSchedUsage *u = sim_sched_usage(self, node->name, FALSE);
	gint64 prio = sim_sched_pod_priority(pod);
	g_autoptr(SimResources) left = NULL;
	GHashTableIter it;
	gpointer v;
	guint victims = 0, npods = 0;

	if (u != NULL) {
		left = sim_resources_copy(u->requested);
		g_hash_table_iter_init(&it, u->pods);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			SimSchedPod *p = v;

			if (p->priority < prio) {
				sim_resources_add_all(left, p->requests, -1);
				victims++;
			} else {
				npods++;
			}
		}
	}
	if (victims == 0 || sim_sched_fits(req, node, left, npods, reasons)) {
		g_ptr_array_set_size(reasons, 0);
		g_ptr_array_add(reasons, g_strdup("No preemption victims found for incoming pod"));
	}
}

/* kube-scheduler's default profile (kubernetes/kubernetes@01db4ae9e7
 * pkg/scheduler/apis/config/v1/default_plugins.go) as far as the simulator's pods differ: NodeResourcesFit's
 * LeastAllocated over cpu and memory (weight 1), NodeResourcesBalancedAllocation (weight 1),
 * TaintToleration's PreferNoSchedule count normalized in reverse (weight 3) and NodeAffinity's
 * preferred terms normalized (weight 2). Scores of the feasible @nodes go to @scores. */
static void
sim_sched_scores(SimSched *self,
		 JsonObject *pod,
		 SimResources *req,
		 GPtrArray *nodes,
		 gint64 *scores)
{
	static const gchar *const scored[] = {"cpu", "memory"};
	JsonObject *spec = sim_json_object(pod, "spec");
	JsonArray *tolerations = sim_json_array(spec, "tolerations");
	JsonArray *preferred =
	    sim_json_array(sim_json_path_object(spec, "affinity", "nodeAffinity", NULL),
			   "preferredDuringSchedulingIgnoredDuringExecution");
	g_autofree gint64 *taints = g_new0(gint64, nodes->len + 1);
	g_autofree gint64 *affinity = g_new0(gint64, nodes->len + 1);
	gint64 max_taints = 0, max_affinity = 0;

	for (guint i = 0; i < nodes->len; i++) {
		const SimSchedNode *node = nodes->pdata[i];

		/* taint_toleration.go countIntolerableTaintsPreferNoSchedule */
		for (guint t = 0; t < node->taints->len; t++) {
			SimSchedTaint *taint = node->taints->pdata[t];

			if (strcmp(taint->effect, "PreferNoSchedule") == 0 &&
			    !sim_sched_tolerates(tolerations, taint->key, taint->value,
						 taint->effect))
				taints[i]++;
		}
		/* node_affinity.go Score: the weights of the preferred terms that match */
		for (guint t = 0; preferred != NULL && t < json_array_get_length(preferred); t++) {
			JsonObject *term = json_array_get_object_element(preferred, t);
			JsonObject *pref = sim_json_object(term, "preference");
			g_autoptr(JsonArray) one = json_array_new();

			if (pref == NULL)
				continue;
			json_array_add_object_element(one, json_object_ref(pref));
			if (sim_sched_match_node_selector_terms(one, node->labels, node->name))
				affinity[i] += sim_json_int(term, "weight", 0);
		}
		max_taints = MAX(max_taints, taints[i]);
		max_affinity = MAX(max_affinity, affinity[i]);
	}
	for (guint i = 0; i < nodes->len; i++) {
		const SimSchedNode *node = nodes->pdata[i];
		SimSchedUsage *u = sim_sched_usage(self, node->name, FALSE);
		gint64 least = 0;
		gdouble fraction[2];
		guint n = 0;

		for (gsize r = 0; r < G_N_ELEMENTS(scored); r++) {
			gint64 alloc = sim_resources_get(node->allocatable, scored[r]);
			gint64 used = sim_resources_get(req, scored[r]) +
				      (u != NULL ? sim_resources_get(u->requested, scored[r]) : 0);

			/* least_allocated.go leastRequestedScore */
			if (alloc > 0 && used <= alloc)
				least += (alloc - used) * 100 / alloc;
			/* balanced_allocation.go balancedResourceScorer */
			if (alloc > 0)
				fraction[n++] = MIN((gdouble)used / (gdouble)alloc, 1.0);
		}
		scores[i] = least / (gint64)G_N_ELEMENTS(scored);
		scores[i] +=
		    (gint64)((1.0 - (n == 2 ? fabs((fraction[0] - fraction[1]) / 2) : 0.0)) * 100);
		/* helper/normalize_score.go DefaultNormalizeScore */
		scores[i] += 3 * (max_taints == 0 ? 100 : 100 - 100 * taints[i] / max_taints);
		scores[i] += 2 * (max_affinity == 0 ? 0 : 100 * affinity[i] / max_affinity);
	}
}

/* Picks a node for @pod. Returns TRUE with @node_name set when one fits; FALSE with @message
 * set to kube-scheduler's FailedScheduling text when none does; FALSE with @error when the pod
 * itself is invalid. */
gboolean
sim_sched_schedule(SimSched *self,
		   JsonObject *pod,
		   gchar **node_name,
		   gchar **message,
		   GError **error)
{
	g_autoptr(SimResources) req = sim_pod_requests(pod, error);
	g_autoptr(GHashTable) counts = NULL;
	g_autoptr(GHashTable) pcounts = NULL;
	GPtrArray *nodes;
	g_autoptr(GPtrArray) feasible = g_ptr_array_new();
	g_autofree gchar *hist = NULL;
	g_autofree gchar *phist = NULL;

	*node_name = NULL;
	*message = NULL;
	if (req == NULL)
		return FALSE;
	nodes = sim_sched_sorted_nodes(self);
	if (nodes->len == 0) {
		*message = g_strdup("no nodes available to schedule pods");
		return FALSE;
	}
	for (guint i = 0; i < self->plugins->len; i++) {
		SimSchedPlugin *p = &g_array_index(self->plugins, SimSchedPlugin, i);
		g_autofree gchar *msg = p->prefilter != NULL ? p->prefilter(pod, p->user_data)
							     : NULL;

		if (msg != NULL) {
			*message = g_strdup_printf("0/%u nodes are available: %s. preemption: 0/%u "
						   "nodes are available: %u Preemption is not "
						   "helpful for scheduling.",
						   nodes->len, msg, nodes->len, nodes->len);
			return FALSE;
		}
	}

	counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	pcounts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < nodes->len; i++) {
		const SimSchedNode *node = nodes->pdata[i];
		g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func(g_free);
		SimSchedCode code = sim_sched_filter(self, pod, req, node, reasons);

		if (code == SIM_SCHED_OK) {
			g_ptr_array_add(feasible, (gpointer)node);
			continue;
		}
		for (guint j = 0; j < reasons->len; j++)
			sim_sched_count(counts, reasons->pdata[j]);
		if (code == SIM_SCHED_UNSCHEDULABLE_AND_UNRESOLVABLE) {
			sim_sched_count(pcounts, "Preemption is not helpful for scheduling");
		} else {
			g_ptr_array_set_size(reasons, 0);
			sim_sched_preemption_reasons(self, pod, req, node, reasons);
			for (guint j = 0; j < reasons->len; j++)
				sim_sched_count(pcounts, reasons->pdata[j]);
		}
	}
	if (feasible->len > 0) {
		g_autofree gint64 *scores = g_new0(gint64, feasible->len);
		const SimSchedNode *best = NULL;
		gint64 best_score = -1;

		sim_sched_scores(self, pod, req, feasible, scores);
		/* selectHost takes one of the best at random; the simulator the first by name */
		for (guint i = 0; i < feasible->len; i++) {
			if (scores[i] > best_score) {
				best = feasible->pdata[i];
				best_score = scores[i];
			}
		}
		*node_name = g_strdup(best->name);
		return TRUE;
	}
	hist = sim_sched_histogram(counts);
	phist = sim_sched_histogram(pcounts);
	*message = g_strdup_printf("0/%u nodes are available: %s. preemption: 0/%u nodes are "
				   "available: %s.",
				   nodes->len, hist, nodes->len, phist);
	return FALSE;
}
