/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ResourceQuota and LimitRange, as kube-apiserver's admission plugins and the quota controller
 * do them (kubernetes/apiserver pkg/admission/plugin/resourcequota/controller.go; kubernetes
 * pkg/quota/v1/evaluator/core/pods.go, persistent_volume_claims.go;
 * plugin/pkg/admission/limitranger/admission.go):
 * - LimitRanger fills missing container requests/limits from the namespace's Container
 *   defaults before quota sees the pod;
 * - creations are refused with 403 when status.used + the object's usage exceeds status.hard
 *   for any resource the quota tracks (equality passes), and the charge is added to
 *   status.used at once, as the admission plugin does;
 * - the quota controller recomputes status.used from what exists whenever objects of a
 *   namespace change, and copies spec.hard to status.hard.
 */
#include "config.h"

#include "sim-quota.h"

#include "sim-controllers.h"
#include "sim-json-util.h"
#include "sim-quantity.h"

#include <string.h>

static const gchar *const sim_quota_compute[] = {"cpu", "memory", "ephemeral-storage"};

static void
sim_quota_add_count(SimResources *out, const SimResource *res)
{
	g_autofree gchar *count = *res->group != '\0'
				      ? g_strdup_printf("count/%s.%s", res->resource, res->group)
				      : g_strdup_printf("count/%s", res->resource);

	sim_resources_add(out, count, 1);
	/* the legacy object-count names */
	if (*res->group == '\0' &&
	    (strcmp(res->resource, "services") == 0 || strcmp(res->resource, "secrets") == 0 ||
	     strcmp(res->resource, "configmaps") == 0 ||
	     strcmp(res->resource, "persistentvolumeclaims") == 0 ||
	     strcmp(res->resource, "resourcequotas") == 0))
		sim_resources_add(out, res->resource, 1);
}

gboolean
sim_quota_usage(const SimResource *res, JsonObject *obj, SimResources *out, GError **error)
{
	sim_quota_add_count(out, res);
	if (*res->group == '\0' && strcmp(res->resource, "pods") == 0) {
		g_autoptr(SimResources) req = NULL;
		g_autoptr(SimResources) lim = NULL;
		GHashTableIter it;
		gpointer k, v;

		/* terminal pods only keep their count/pods charge */
		if (sim_pod_is_terminal(obj))
			return TRUE;
		req = sim_pod_requests(obj, error);
		if (req == NULL)
			return FALSE;
		lim = sim_pod_limits(obj, error);
		if (lim == NULL)
			return FALSE;
		sim_resources_add(out, "pods", 1);
		g_hash_table_iter_init(&it, req);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			gint64 value = *(gint64 *)v;
			g_autofree gchar *prefixed = g_strconcat("requests.", k, NULL);
			gboolean compute = FALSE;

			for (gsize i = 0; i < G_N_ELEMENTS(sim_quota_compute); i++)
				compute = compute || strcmp(k, sim_quota_compute[i]) == 0;
			sim_resources_add(out, prefixed, value);
			if (compute || g_str_has_prefix(k, "hugepages-"))
				sim_resources_add(out, k, value);
		}
		g_hash_table_iter_init(&it, lim);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			g_autofree gchar *prefixed = g_strconcat("limits.", k, NULL);

			for (gsize i = 0; i < G_N_ELEMENTS(sim_quota_compute); i++) {
				if (strcmp(k, sim_quota_compute[i]) == 0)
					sim_resources_add(out, prefixed, *(gint64 *)v);
			}
		}
	} else if (*res->group == '\0' && strcmp(res->resource, "persistentvolumeclaims") == 0) {
		JsonObject *spec = sim_json_object(obj, "spec");
		JsonObject *req = sim_json_path_object(spec, "resources", "requests", NULL);
		const gchar *klass = sim_json_string(spec, "storageClassName");
		JsonNode *n = req != NULL ? json_object_get_member(req, "storage") : NULL;
		gint64 size = 0;
		SimQuantity q;

		if (n != NULL) {
			if (!sim_quantity_from_node(n, &q, error))
				return FALSE;
			size = sim_quantity_value(&q);
		}
		sim_resources_add(out, "requests.storage", size);
		if (klass != NULL && *klass != '\0') {
			g_autofree gchar *a = g_strdup_printf(
			    "%s.storageclass.storage.k8s.io/requests.storage", klass);
			g_autofree gchar *b = g_strdup_printf(
			    "%s.storageclass.storage.k8s.io/persistentvolumeclaims", klass);

			sim_resources_add(out, a, size);
			sim_resources_add(out, b, 1);
		}
	}
	return TRUE;
}

/* Subtracts what @obj charges. */
static gboolean
sim_quota_usage_sub(const SimResource *res, JsonObject *obj, SimResources *out, GError **error)
{
	g_autoptr(SimResources) tmp = sim_resources_new();

	if (!sim_quota_usage(res, obj, tmp, error))
		return FALSE;
	sim_resources_add_all(out, tmp, -1);
	return TRUE;
}

static gboolean
sim_quota_read_list(JsonObject *list, SimResources *out)
{
	JsonObjectIter it;
	const gchar *name;
	JsonNode *node;

	if (list == NULL)
		return FALSE;
	json_object_iter_init(&it, list);
	while (json_object_iter_next(&it, &name, &node)) {
		SimQuantity q;

		if (!sim_quantity_from_node(node, &q, NULL))
			continue;
		/* quota values keep the scheduler's units: millicores for cpu */
		sim_resources_set(out, name,
				  g_str_has_suffix(name, "cpu") ? sim_quantity_milli_value(&q)
								: sim_quantity_value(&q));
	}
	return TRUE;
}

static gint
sim_quota_str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar **)a, *(const gchar **)b);
}

static void
sim_quota_append(GString *s, const gchar *name, gint64 value)
{
	g_autofree gchar *text = sim_resources_format(name, value);

	g_string_append_printf(s, "%s%s=%s", s->len > 0 ? "," : "", name, text);
}

/* pods.go Constraints: with cpu/memory quota'd, every container must state them */
static gboolean
sim_quota_constraints(JsonObject *quota, SimResources *hard, JsonObject *pod, GError **error)
{
	static const gchar *const checked[] = {"cpu",	 "limits.cpu",	 "limits.memory",
					       "memory", "requests.cpu", "requests.memory"};
	JsonObject *spec = sim_json_object(pod, "spec");
	const gchar *const lists[] = {"containers", "initContainers"};
	GString *msg = g_string_new(NULL);

	for (gsize r = 0; r < G_N_ELEMENTS(checked); r++) {
		const gchar *name = checked[r];
		gboolean is_limit = g_str_has_prefix(name, "limits.");
		const gchar *base = strchr(name, '.') != NULL ? strchr(name, '.') + 1 : name;
		g_autoptr(GPtrArray) missing = g_ptr_array_new();

		if (!g_hash_table_contains(hard, name))
			continue;
		for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
			JsonArray *cs = sim_json_array(spec, lists[l]);

			for (guint i = 0; cs != NULL && i < json_array_get_length(cs); i++) {
				JsonObject *c = json_array_get_object_element(cs, i);
				JsonObject *res = sim_json_object(c, "resources");
				JsonObject *req = sim_json_object(res, "requests");
				JsonObject *lim = sim_json_object(res, "limits");
				gboolean ok =
				    is_limit
					? lim != NULL && json_object_has_member(lim, base)
					: (req != NULL && json_object_has_member(req, base)) ||
					      (lim != NULL && json_object_has_member(lim, base));

				if (!ok)
					g_ptr_array_add(missing,
							(gpointer)sim_json_string(c, "name"));
			}
		}
		if (missing->len == 0)
			continue;
		g_ptr_array_sort(missing, sim_quota_str_cmp);
		g_string_append_printf(msg, "%s%s for: ", msg->len > 0 ? "; " : "", name);
		for (guint i = 0; i < missing->len; i++)
			g_string_append_printf(msg, "%s%s", i ? "," : "",
					       (gchar *)missing->pdata[i]);
	}
	if (msg->len > 0) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_FORBIDDEN,
			    "failed quota: %s: must specify %s",
			    sim_json_string(sim_json_object(quota, "metadata"), "name"), msg->str);
		g_string_free(msg, TRUE);
		return FALSE;
	}
	g_string_free(msg, TRUE);
	return TRUE;
}

gboolean
sim_quota_admit_one(JsonObject *quota,
		    const SimResource *res,
		    JsonObject *obj,
		    SimResources *delta,
		    GError **error)
{
	JsonObject *status = sim_json_object(quota, "status");
	g_autoptr(SimResources) hard = sim_resources_new();
	g_autoptr(SimResources) used = sim_resources_new();
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;
	GString *req_s, *used_s, *lim_s;

	/* status.hard is what admission reads; a quota the controller has not synced yet
	 * falls back to spec.hard */
	if (!sim_quota_read_list(sim_json_object(status, "hard"), hard))
		sim_quota_read_list(sim_json_path_object(quota, "spec", "hard", NULL), hard);
	sim_quota_read_list(sim_json_object(status, "used"), used);
	if (*res->group == '\0' && strcmp(res->resource, "pods") == 0 &&
	    !sim_quota_constraints(quota, hard, obj, error))
		return FALSE;
	g_hash_table_iter_init(&it, hard);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		if (g_hash_table_contains(delta, k) &&
		    sim_resources_get(used, k) + sim_resources_get(delta, k) >
			sim_resources_get(hard, k))
			g_ptr_array_add(names, k);
	}
	if (names->len == 0)
		return TRUE;
	g_ptr_array_sort(names, sim_quota_str_cmp);
	req_s = g_string_new(NULL);
	used_s = g_string_new(NULL);
	lim_s = g_string_new(NULL);
	for (guint i = 0; i < names->len; i++) {
		sim_quota_append(req_s, names->pdata[i], sim_resources_get(delta, names->pdata[i]));
		sim_quota_append(used_s, names->pdata[i], sim_resources_get(used, names->pdata[i]));
		sim_quota_append(lim_s, names->pdata[i], sim_resources_get(hard, names->pdata[i]));
	}
	g_set_error(error, SIM_ERROR, SIM_ERROR_FORBIDDEN,
		    "exceeded quota: %s, requested: %s, used: %s, limited: %s",
		    sim_json_string(sim_json_object(quota, "metadata"), "name"), req_s->str,
		    used_s->str, lim_s->str);
	g_string_free(req_s, TRUE);
	g_string_free(used_s, TRUE);
	g_string_free(lim_s, TRUE);
	return FALSE;
}

/* Copies the members of @from that @into lacks (or all of them with @replace) */
static void
sim_lr_fill(JsonObject *into, JsonObject *from, gboolean replace)
{
	JsonObjectIter it;
	const gchar *k;
	JsonNode *v;

	if (from == NULL)
		return;
	json_object_iter_init(&it, from);
	while (json_object_iter_next(&it, &k, &v)) {
		if (replace || !json_object_has_member(into, k))
			json_object_set_member(into, k, sim_json_node_dup(v));
	}
}

/* A Container item's defaults as SetDefaults_LimitRangeItem (kubernetes
 * pkg/apis/core/v1/defaults.go) stores them: default <- max, then defaultRequest <- default,
 * then defaultRequest <- min. Applied on read here; merged into @limits and @requests, a
 * later item overriding an earlier one (defaultContainerResourceRequirements). */
static void
sim_limitrange_item_defaults(JsonObject *item, JsonObject *limits, JsonObject *requests)
{
	g_autoptr(JsonObject) def = json_object_new();
	g_autoptr(JsonObject) def_req = json_object_new();

	sim_lr_fill(def, sim_json_object(item, "default"), FALSE);
	sim_lr_fill(def, sim_json_object(item, "max"), FALSE);
	sim_lr_fill(def_req, sim_json_object(item, "defaultRequest"), FALSE);
	sim_lr_fill(def_req, def, FALSE);
	sim_lr_fill(def_req, sim_json_object(item, "min"), FALSE);
	sim_lr_fill(limits, def, TRUE);
	sim_lr_fill(requests, def_req, TRUE);
}

/* LimitRanger's mutation for one LimitRange: every container and init container gets the
 * defaults it lacks (mergePodResourceRequirements) */
static void
sim_limitrange_default(JsonObject *pod, JsonObject *lr)
{
	const gchar *const lists[] = {"containers", "initContainers"};
	JsonArray *items = sim_json_array(sim_json_object(lr, "spec"), "limits");
	g_autoptr(JsonObject) limits = json_object_new();
	g_autoptr(JsonObject) requests = json_object_new();

	for (guint j = 0; items != NULL && j < json_array_get_length(items); j++) {
		JsonObject *item = json_array_get_object_element(items, j);

		if (g_strcmp0(sim_json_string(item, "type"), "Container") == 0)
			sim_limitrange_item_defaults(item, limits, requests);
	}
	for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
		JsonArray *cs = sim_json_array(sim_json_object(pod, "spec"), lists[l]);

		for (guint c = 0; cs != NULL && c < json_array_get_length(cs); c++) {
			JsonObject *res = sim_json_ensure(json_array_get_object_element(cs, c),
							  "resources", NULL);

			sim_lr_fill(sim_json_ensure(res, "limits", NULL), limits, FALSE);
			sim_lr_fill(sim_json_ensure(res, "requests", NULL), requests, FALSE);
		}
	}
}

/* A quantity of a resource list; @set FALSE when the list lacks it */
typedef struct {
	gboolean set;
	SimQuantity q;
} SimLrValue;

static SimLrValue
sim_lr_get(JsonObject *list, const gchar *name)
{
	SimLrValue v = {FALSE, {0, FALSE}};
	JsonNode *node = list != NULL ? json_object_get_member(list, name) : NULL;

	v.set = node != NULL && sim_quantity_from_node(node, &v.q, NULL);
	return v;
}

/* requestLimitEnforcedValues: milli-values unless one would overflow */
static void
sim_lr_values(const SimLrValue *req, const SimLrValue *lim, const SimQuantity *enf, gint64 out[3])
{
	const SimQuantity *q[] = {&req->q, &lim->q, enf};
	gboolean milli = TRUE;

	for (guint i = 0; i < 3; i++)
		milli = milli && sim_quantity_value(q[i]) <= G_MAXINT64 / 1000;
	for (guint i = 0; i < 3; i++)
		out[i] = milli ? sim_quantity_milli_value(q[i]) : sim_quantity_value(q[i]);
}

static void
sim_lr_add_error(GPtrArray *errs, gchar *msg)
{
	/* utilerrors.NewAggregate prints a repeated message once */
	for (guint i = 0; i < errs->len; i++) {
		if (g_str_equal(errs->pdata[i], msg)) {
			g_free(msg);
			return;
		}
	}
	g_ptr_array_add(errs, msg);
}

/* minConstraint, maxConstraint, limitRequestRatioConstraint (limitranger admission.go as on
 * kubernetes master: lower case, no final period) for every resource @item names, over one container's or the pod's
 * requests and limits */
static void
sim_lr_constraints(JsonObject *item, JsonObject *requests, JsonObject *limits, GPtrArray *errs)
{
	const gchar *type = sim_json_string(item, "type");
	const gchar *const kinds[] = {"min", "max", "maxLimitRequestRatio"};

	for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
		JsonObject *list = sim_json_object(item, kinds[k]);
		JsonObjectIter it;
		const gchar *name;
		JsonNode *node;

		if (list == NULL)
			continue;
		json_object_iter_init(&it, list);
		while (json_object_iter_next(&it, &name, &node)) {
			SimLrValue req = sim_lr_get(requests, name), lim = sim_lr_get(limits, name);
			SimQuantity enf;
			g_autofree gchar *enf_s = NULL, *req_s = NULL, *lim_s = NULL;
			gint64 v[3];

			if (!sim_quantity_from_node(node, &enf, NULL))
				continue;
			enf_s = sim_quantity_format(enf.nano, enf.binary);
			req_s = sim_quantity_format(req.q.nano, req.q.binary);
			lim_s = sim_quantity_format(lim.q.nano, lim.q.binary);
			sim_lr_values(&req, &lim, &enf, v);
			if (k == 0 && !req.set)
				sim_lr_add_error(errs,
						 g_strdup_printf("minimum %s usage per %s is %s.  "
								 "No request is specified",
								 name, type, enf_s));
			else if (k == 0 && v[0] < v[2])
				sim_lr_add_error(errs, g_strdup_printf("minimum %s usage per %s is "
								       "%s, but request is %s",
								       name, type, enf_s, req_s));
			else if (k == 0 && lim.set && v[1] < v[2])
				sim_lr_add_error(errs, g_strdup_printf("minimum %s usage per %s is "
								       "%s, but limit is %s",
								       name, type, enf_s, lim_s));
			else if (k == 1 && !lim.set)
				sim_lr_add_error(errs, g_strdup_printf("maximum %s usage per %s is "
								       "%s.  No limit is specified",
								       name, type, enf_s));
			else if (k == 1 && v[1] > v[2])
				sim_lr_add_error(errs, g_strdup_printf("maximum %s usage per %s is "
								       "%s, but limit is %s",
								       name, type, enf_s, lim_s));
			else if (k == 1 && req.set && v[0] > v[2])
				sim_lr_add_error(errs, g_strdup_printf("maximum %s usage per %s is "
								       "%s, but request is %s",
								       name, type, enf_s, req_s));
			else if (k == 2 && (!req.set || v[0] == 0))
				sim_lr_add_error(errs,
						 g_strdup_printf("%s max limit to request ratio "
								 "per %s is %s, but no request is "
								 "specified or request is 0",
								 name, type, enf_s));
			else if (k == 2 && (!lim.set || v[1] == 0))
				sim_lr_add_error(errs,
						 g_strdup_printf("%s max limit to request ratio "
								 "per %s is %s, but no limit is "
								 "specified or limit is 0",
								 name, type, enf_s));
			else if (k == 2) {
				gdouble ratio = (gdouble)v[1] / (gdouble)v[0];
				gboolean milli = sim_quantity_value(&enf) <= G_MAXINT64 / 1000;
				gdouble max = milli ? (gdouble)sim_quantity_milli_value(&enf)
						    : (gdouble)sim_quantity_value(&enf);

				if ((milli ? ratio * 1000 : ratio) > max)
					sim_lr_add_error(errs,
							 g_strdup_printf("%s max limit to request "
									 "ratio per %s is %s, but "
									 "provided ratio is %f",
									 name, type, enf_s, ratio));
			}
		}
	}
}

/* Adds @list's quantities into @sum (addResourceList: the sum keeps the first one's format) */
static void
sim_lr_sum(JsonObject *sum, JsonObject *list, gboolean as_max)
{
	JsonObjectIter it;
	const gchar *k;
	JsonNode *v;

	if (list == NULL)
		return;
	json_object_iter_init(&it, list);
	while (json_object_iter_next(&it, &k, &v)) {
		SimLrValue old = sim_lr_get(sum, k);
		SimQuantity q;
		g_autofree gchar *text = NULL;

		if (!sim_quantity_from_node(v, &q, NULL))
			continue;
		if (old.set && as_max && old.q.nano >= q.nano)
			continue;
		if (old.set && !as_max)
			q = (SimQuantity){old.q.nano + q.nano, old.q.binary};
		text = sim_quantity_format(q.nano, q.binary);
		json_object_set_string_member(sum, k, text);
	}
}

/* podRequests / podLimits of limitranger admission.go: app containers and sidecars added,
 * each regular init container with the sidecars started before it, the larger of the two */
static JsonObject *
sim_lr_pod_list(JsonObject *pod, const gchar *which)
{
	JsonObject *spec = sim_json_object(pod, "spec");
	JsonArray *cs = sim_json_array(spec, "containers");
	JsonArray *init = sim_json_array(spec, "initContainers");
	JsonObject *out = json_object_new();
	g_autoptr(JsonObject) sidecars = json_object_new();
	g_autoptr(JsonObject) init_max = json_object_new();

	for (guint c = 0; cs != NULL && c < json_array_get_length(cs); c++)
		sim_lr_sum(out,
			   sim_json_path_object(json_array_get_object_element(cs, c), "resources",
						which, NULL),
			   FALSE);
	for (guint c = 0; init != NULL && c < json_array_get_length(init); c++) {
		JsonObject *ct = json_array_get_object_element(init, c);
		JsonObject *list = sim_json_path_object(ct, "resources", which, NULL);
		g_autoptr(JsonObject) tmp = json_object_new();

		if (g_strcmp0(sim_json_string(ct, "restartPolicy"), "Always") == 0) {
			sim_lr_sum(out, list, FALSE);
			sim_lr_sum(sidecars, list, FALSE);
			sim_lr_sum(init_max, sidecars, TRUE);
			continue;
		}
		sim_lr_sum(tmp, list, FALSE);
		sim_lr_sum(tmp, sidecars, FALSE);
		sim_lr_sum(init_max, tmp, TRUE);
	}
	sim_lr_sum(out, init_max, TRUE);
	return out;
}

/* PodValidateLimitFunc for one LimitRange; FALSE with the aggregate error text in @error */
static gboolean
sim_limitrange_validate(JsonObject *pod, JsonObject *lr, GError **error)
{
	const gchar *const lists[] = {"containers", "initContainers"};
	JsonArray *items = sim_json_array(sim_json_object(lr, "spec"), "limits");
	g_autoptr(GPtrArray) errs = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *joined = NULL;
	guint n;

	for (guint j = 0; items != NULL && j < json_array_get_length(items); j++) {
		JsonObject *item = json_array_get_object_element(items, j);
		const gchar *type = sim_json_string(item, "type");

		if (g_strcmp0(type, "Container") == 0) {
			for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
				JsonArray *cs =
				    sim_json_array(sim_json_object(pod, "spec"), lists[l]);

				for (guint c = 0; cs != NULL && c < json_array_get_length(cs);
				     c++) {
					JsonObject *res =
					    sim_json_object(json_array_get_object_element(cs, c),
							    "resources");

					sim_lr_constraints(item, sim_json_object(res, "requests"),
							   sim_json_object(res, "limits"), errs);
				}
			}
		} else if (g_strcmp0(type, "Pod") == 0) {
			g_autoptr(JsonObject) requests = sim_lr_pod_list(pod, "requests");
			g_autoptr(JsonObject) limits = sim_lr_pod_list(pod, "limits");

			sim_lr_constraints(item, requests, limits, errs);
		}
	}
	n = errs->len;
	if (n == 0)
		return TRUE;
	g_ptr_array_add(errs, NULL);
	joined = g_strjoinv(", ", (gchar **)errs->pdata);
	/* utilerrors aggregate: one message bare, several in brackets */
	g_set_error(error, SIM_ERROR, SIM_ERROR_FORBIDDEN, n > 1 ? "[%s]" : "%s", joined);
	return FALSE;
}

/* Pod validation that runs after LimitRanger's defaults (kube-apiserver's
 * ValidateResourceRequirements): a request above its limit makes the pod invalid, the error a
 * LimitRange whose default limit is lower than a container's request produces. */
static gboolean
sim_pod_validate_requests(JsonObject *pod, GError **error)
{
	const gchar *const lists[] = {"containers", "initContainers"};

	for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
		JsonArray *cs = sim_json_array(sim_json_object(pod, "spec"), lists[l]);

		for (guint c = 0; cs != NULL && c < json_array_get_length(cs); c++) {
			JsonObject *res =
			    sim_json_object(json_array_get_object_element(cs, c), "resources");
			JsonObject *requests = sim_json_object(res, "requests");
			JsonObject *limits = sim_json_object(res, "limits");
			JsonObjectIter it;
			const gchar *k;
			JsonNode *v;

			if (requests == NULL || limits == NULL)
				continue;
			json_object_iter_init(&it, requests);
			while (json_object_iter_next(&it, &k, &v)) {
				JsonNode *limit = json_object_get_member(limits, k);
				SimQuantity want, max;

				if (limit == NULL || !sim_quantity_from_node(v, &want, NULL) ||
				    !sim_quantity_from_node(limit, &max, NULL) ||
				    want.nano <= max.nano)
					continue;
				g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID,
					    "spec.%s[%u].resources.requests: Invalid value: \"%s\": "
					    "must be less than or equal to %s limit of %s",
					    lists[l], c, json_node_get_string(v) ?: "?", k,
					    json_node_get_string(limit) ?: "?");
				return FALSE;
			}
		}
	}
	return TRUE;
}

/* Adds @delta to status.used of every quota tracking its resources. */
static void
sim_quota_charge(SimCtl *ctl, GPtrArray *quotas, SimResources *delta)
{
	for (guint i = 0; i < quotas->len; i++) {
		SimObject *q = quotas->pdata[i];
		g_autoptr(JsonObject) copy = sim_object_dup_json(q);
		JsonObject *status = sim_json_ensure(copy, "status", NULL);
		JsonObject *hard = sim_json_object(status, "hard")
				       ?: sim_json_path_object(copy, "spec", "hard", NULL);
		JsonObject *used = sim_json_ensure(status, "used", NULL);
		g_autoptr(SimResources) cur = sim_resources_new();
		gboolean changed = FALSE;
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;
		g_autoptr(SimObject) stored = NULL;

		if (hard == NULL)
			continue;
		sim_quota_read_list(used, cur);
		json_object_iter_init(&it, hard);
		while (json_object_iter_next(&it, &k, &v)) {
			g_autofree gchar *text = NULL;

			if (sim_resources_get(delta, k) == 0)
				continue;
			text = sim_resources_format(k, sim_resources_get(cur, k) +
							   sim_resources_get(delta, k));
			json_object_set_string_member(used, k, text);
			changed = TRUE;
		}
		if (changed)
			stored = sim_ctl_write_status(ctl, ctl->r.quotas, g_steal_pointer(&copy));
	}
}

static gboolean
sim_quota_admit(SimCluster *cluster,
		SimOperation op,
		const SimResource *res,
		SimObject *old_obj,
		JsonObject *new_obj,
		gpointer user_data,
		GError **error)
{
	SimCtl *ctl = user_data;
	const gchar *ns, *name;
	g_autoptr(GPtrArray) quotas = NULL;
	g_autoptr(GPtrArray) lrs = NULL;
	g_autoptr(SimResources) delta = NULL;
	g_autoptr(GError) local = NULL;

	if (op != SIM_OPERATION_CREATE || !res->namespaced || ctl->r.quotas == NULL)
		return TRUE;
	ns = sim_json_string(sim_json_object(new_obj, "metadata"), "namespace") ?: "";
	name = sim_json_string(sim_json_object(new_obj, "metadata"), "name");
	if (name == NULL || *name == '\0')
		name = sim_json_string(sim_json_object(new_obj, "metadata"), "generateName") ?: "";

	if (*res->group == '\0' && strcmp(res->resource, "pods") == 0 && ctl->r.limitranges)
		lrs = sim_cluster_list(cluster, ctl->r.limitranges, ns, NULL);
	/* the LimitRanger mutation, object validation (422), then the validating admission
	 * plugins in order: LimitRanger (403 at the first LimitRange refusing), ResourceQuota */
	for (guint i = 0; lrs != NULL && i < lrs->len; i++)
		sim_limitrange_default(new_obj, sim_object_get_json(lrs->pdata[i]));
	if (*res->group == '\0' && strcmp(res->resource, "pods") == 0 &&
	    !sim_pod_validate_requests(new_obj, &local)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID, "Pod \"%s\" is invalid: %s", name,
			    local->message);
		return FALSE;
	}
	for (guint i = 0; lrs != NULL && i < lrs->len; i++) {
		if (!sim_limitrange_validate(new_obj, sim_object_get_json(lrs->pdata[i]), &local)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_FORBIDDEN,
				    "pods \"%s\" is forbidden: %s", name, local->message);
			return FALSE;
		}
	}
	quotas = sim_cluster_list(cluster, ctl->r.quotas, ns, NULL);
	if (quotas->len == 0)
		return TRUE;
	delta = sim_resources_new();
	if (!sim_quota_usage(res, new_obj, delta, &local)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_INVALID, "%s \"%s\" is invalid: %s",
			    res->resource, name, local->message);
		return FALSE;
	}
	for (guint i = 0; i < quotas->len; i++) {
		if (!sim_quota_admit_one(sim_object_get_json(quotas->pdata[i]), res, new_obj, delta,
					 &local)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_FORBIDDEN,
				    "%s%s%s \"%s\" is forbidden: %s", res->resource,
				    *res->group != '\0' ? "." : "", res->group, name,
				    local->message);
			return FALSE;
		}
	}
	/* charge now: the next create must see this one (its ADDED event is then skipped) */
	if (sim_json_string(sim_json_object(new_obj, "metadata"), "uid") != NULL)
		g_hash_table_add(
		    ctl->quota_charged,
		    g_strdup(sim_json_string(sim_json_object(new_obj, "metadata"), "uid")));
	sim_quota_charge(ctl, quotas, delta);
	return TRUE;
}

/* The quota controller's sync of one namespace. */
static void
sim_quota_sync_namespace(SimCtl *ctl, const gchar *ns)
{
	g_autoptr(GPtrArray) quotas = sim_cluster_list(ctl->cluster, ctl->r.quotas, ns, NULL);
	g_autoptr(SimResources) total = NULL;
	g_autoptr(GHashTable) wanted = NULL;

	if (quotas->len == 0)
		return;
	/* which resources to count: only those some quota tracks */
	wanted = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < quotas->len; i++) {
		JsonObject *hard = sim_json_path_object(sim_object_get_json(quotas->pdata[i]),
							"spec", "hard", NULL);
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;

		if (hard == NULL)
			continue;
		json_object_iter_init(&it, hard);
		while (json_object_iter_next(&it, &k, &v))
			g_hash_table_add(wanted, (gpointer)k);
	}
	total = sim_resources_new();
	{
		g_autoptr(GPtrArray) resources = sim_cluster_list_resources(ctl->cluster);

		for (guint r = 0; r < resources->len; r++) {
			const SimResource *res = resources->pdata[r];
			g_autofree gchar *count =
			    *res->group != '\0'
				? g_strdup_printf("count/%s.%s", res->resource, res->group)
				: g_strdup_printf("count/%s", res->resource);
			gboolean needed = g_hash_table_contains(wanted, count) ||
					  (*res->group == '\0' &&
					   (strcmp(res->resource, "pods") == 0 ||
					    strcmp(res->resource, "persistentvolumeclaims") == 0 ||
					    g_hash_table_contains(wanted, res->resource)));
			g_autoptr(GPtrArray) objs = NULL;

			if (!res->namespaced || !needed)
				continue;
			objs = sim_cluster_list(ctl->cluster, res, ns, NULL);
			for (guint i = 0; i < objs->len; i++) {
				g_autoptr(GError) error = NULL;
				g_autoptr(JsonObject) obj = sim_ctl_parse(objs->pdata[i]);

				if (!sim_quota_usage(res, obj, total, &error))
					g_debug("%s: quota: %s", sim_cluster_get_name(ctl->cluster),
						error->message);
			}
		}
	}
	for (guint i = 0; i < quotas->len; i++) {
		SimObject *q = quotas->pdata[i];
		JsonObject *json = sim_object_get_json(q);
		JsonObject *spec_hard = sim_json_path_object(json, "spec", "hard", NULL);
		g_autoptr(JsonObject) copy = NULL;
		g_autoptr(JsonNode) old_status = NULL;
		g_autoptr(JsonNode) new_status = NULL;
		JsonObject *status, *used;
		JsonObjectIter it;
		const gchar *k;
		JsonNode *v;
		g_autoptr(SimObject) stored = NULL;

		if (spec_hard == NULL)
			continue;
		copy = sim_object_dup_json(q);
		status = json_object_new();
		json_object_set_member(status, "hard",
				       sim_json_node_dup(json_object_get_member(
					   sim_json_object(json, "spec"), "hard")));
		used = sim_json_ensure(status, "used", NULL);
		json_object_iter_init(&it, spec_hard);
		while (json_object_iter_next(&it, &k, &v)) {
			g_autofree gchar *text =
			    sim_resources_format(k, sim_resources_get(total, k));

			json_object_set_string_member(used, k, text);
		}
		new_status = json_node_init_object(json_node_alloc(), status);
		json_object_unref(status);
		if (json_object_has_member(json, "status"))
			old_status = sim_json_node_dup(json_object_get_member(json, "status"));
		if (old_status != NULL && json_node_equal(old_status, new_status))
			continue;
		json_object_set_member(copy, "status", g_steal_pointer(&new_status));
		stored = sim_ctl_write_status(ctl, ctl->r.quotas, g_steal_pointer(&copy));
	}
}

static gboolean
sim_quota_run(SimCluster *cluster, gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) nss = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k;

	ctl->quota_timer = 0;
	g_hash_table_iter_init(&it, ctl->quota_dirty);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		g_ptr_array_add(nss, k);
		g_hash_table_iter_steal(&it);
	}
	for (guint i = 0; i < nss->len; i++)
		sim_quota_sync_namespace(ctl, nss->pdata[i]);
	return G_SOURCE_REMOVE;
}

/* The quota controller between full counts: each change adds its usage difference, so a
 * namespace of thousands of pods is not recounted (nor every pod parsed) for one new pod. */
static void
sim_quota_changed(SimCluster *cluster,
		  SimEventType type,
		  SimObject *old_obj,
		  SimObject *new_obj,
		  gpointer user_data)
{
	SimCtl *ctl = user_data;
	const SimResource *res = sim_object_get_resource(new_obj);
	const gchar *ns = sim_object_get_namespace(new_obj);
	g_autoptr(GPtrArray) quotas = NULL;
	g_autoptr(SimResources) delta = NULL;
	g_autoptr(GError) error = NULL;

	if (!res->namespaced || *ns == '\0' || res == ctl->r.events ||
	    sim_cluster_count(cluster, ctl->r.quotas) == 0)
		return;
	if (res == ctl->r.quotas) {
		/* a new quota, or new limits: count the namespace again */
		if (type == SIM_EVENT_ADDED ||
		    (type == SIM_EVENT_MODIFIED &&
		     !json_node_equal(
			 json_object_get_member(sim_object_get_json(old_obj), "spec"),
			 json_object_get_member(sim_object_get_json(new_obj), "spec")))) {
			g_hash_table_add(ctl->quota_dirty, g_strdup(ns));
			sim_ctl_soon(ctl, &ctl->quota_timer, sim_quota_run);
		}
		return;
	}
	if (type == SIM_EVENT_ADDED &&
	    g_hash_table_remove(ctl->quota_charged, sim_object_get_uid(new_obj)))
		return; /* admission has charged it */
	quotas = sim_cluster_list(cluster, ctl->r.quotas, ns, NULL);
	if (quotas->len == 0)
		return;
	delta = sim_resources_new();
	if ((type != SIM_EVENT_DELETED &&
	     !sim_quota_usage(res, sim_object_get_json(new_obj), delta, &error)) ||
	    (type == SIM_EVENT_MODIFIED && old_obj != NULL &&
	     !sim_quota_usage_sub(res, sim_object_get_json(old_obj), delta, &error)) ||
	    (type == SIM_EVENT_DELETED &&
	     !sim_quota_usage_sub(res, sim_object_get_json(new_obj), delta, &error))) {
		g_debug("%s: quota: %s", sim_cluster_get_name(cluster), error->message);
		return;
	}
	sim_quota_charge(ctl, quotas, delta);
}

/* Counts again the namespaces whose quotas have no status yet; the others keep the usage the
 * fleet gives them until something changes. */
static gboolean
sim_quota_initial(SimCluster *cluster, gpointer user_data)
{
	SimCtl *ctl = user_data;
	g_autoptr(GPtrArray) quotas = sim_cluster_list(cluster, ctl->r.quotas, NULL, NULL);

	for (guint i = 0; i < quotas->len; i++) {
		JsonObject *status =
		    sim_json_object(sim_object_get_json(quotas->pdata[i]), "status");

		if (sim_json_object(status, "hard") == NULL ||
		    sim_json_object(status, "used") == NULL)
			g_hash_table_add(ctl->quota_dirty,
					 g_strdup(sim_object_get_namespace(quotas->pdata[i])));
	}
	return sim_quota_run(cluster, ctl);
}

void
sim_quota_register(SimCtl *ctl)
{
	if (ctl->r.quotas == NULL)
		return;
	sim_cluster_add_admission(ctl->cluster, sim_quota_admit, ctl, NULL);
	sim_cluster_connect_changes(ctl->cluster, NULL, sim_quota_changed, ctl, NULL);
	sim_cluster_add_timer(ctl->cluster, 1, sim_quota_initial, ctl, NULL);
}
