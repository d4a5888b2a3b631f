/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The built-in and CRD kinds a cluster serves, with the columns the real API server prints
 * (pkg/printers/internalversion/printers.go; the CRDs' additionalPrinterColumns).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim-resources.h"

typedef JsonNode *(*SimCellFunc)(JsonObject *obj, gint64 now);

typedef struct {
	const char *name;
	const char *type; /* string, integer, date */
	const char *path; /* sim_json_path(); NULL: func */
	SimCellFunc func;
	gint priority; /* 1: -o wide only */
	const char *format;
} SimColumn;

struct _SimTableDef {
	SimColumn columns[12];
};

/* Paths */

JsonNode *
sim_json_path(JsonObject *obj, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	JsonNode *node = NULL;

	for (guint i = 0; parts[i] != NULL; i++) {
		char *bracket = strchr(parts[i], '[');
		g_autofree char *sel = NULL;

		if (obj == NULL)
			return NULL;
		if (bracket != NULL) {
			sel = g_strndup(bracket + 1, strcspn(bracket + 1, "]"));
			*bracket = '\0';
		}
		node = json_object_get_member(obj, parts[i]);
		if (node == NULL)
			return NULL;
		if (sel != NULL) {
			JsonArray *arr;
			char *end;
			guint64 idx;

			if (!JSON_NODE_HOLDS_ARRAY(node))
				return NULL;
			arr = json_node_get_array(node);
			idx = g_ascii_strtoull(sel, &end, 10);
			node = NULL;
			if (*end == '\0' && end != sel) {
				if (idx < json_array_get_length(arr))
					node = json_array_get_element(arr, idx);
			} else {
				for (guint j = 0; j < json_array_get_length(arr); j++) {
					JsonNode *el = json_array_get_element(arr, j);

					if (JSON_NODE_HOLDS_OBJECT(el) &&
					    g_strcmp0(sim_json_get_string(json_node_get_object(el),
									  "type"),
						      sel) == 0)
						node = el;
				}
			}
			if (node == NULL)
				return NULL;
		}
		obj = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	}
	return node;
}

static const char *
sim_path_string(JsonObject *obj, const char *path, const char *fallback)
{
	JsonNode *node = sim_json_path(obj, path);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return fallback;
	return json_node_get_string(node);
}

static JsonNode *
sim_string_node(const char *s)
{
	JsonNode *node = json_node_new(JSON_NODE_VALUE);

	json_node_set_string(node, s);
	return node;
}

static JsonNode *
sim_string_node_take(char *s)
{
	JsonNode *node = sim_string_node(s);

	g_free(s);
	return node;
}

static JsonNode *
sim_int_node(gint64 v)
{
	JsonNode *node = json_node_new(JSON_NODE_VALUE);

	json_node_set_int(node, v);
	return node;
}

/* Durations and ages */

char *
sim_human_duration(gint64 s)
{
	gint64 m = s / 60, h = s / 3600, d = h / 24, y = d / 365;

	if (s < -1)
		return g_strdup("<invalid>");
	if (s < 0)
		return g_strdup("0s");
	if (s < 120)
		return g_strdup_printf("%" G_GINT64_FORMAT "s", s);
	if (m < 10)
		return s % 60 == 0 ? g_strdup_printf("%" G_GINT64_FORMAT "m", m)
				   : g_strdup_printf("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s",
						     m, s % 60);
	if (m < 180)
		return g_strdup_printf("%" G_GINT64_FORMAT "m", m);
	if (h < 8)
		return m % 60 == 0 ? g_strdup_printf("%" G_GINT64_FORMAT "h", h)
				   : g_strdup_printf("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m",
						     h, m % 60);
	if (h < 48)
		return g_strdup_printf("%" G_GINT64_FORMAT "h", h);
	if (h < 24 * 8)
		return h % 24 == 0 ? g_strdup_printf("%" G_GINT64_FORMAT "d", d)
				   : g_strdup_printf("%" G_GINT64_FORMAT "d%" G_GINT64_FORMAT "h",
						     d, h % 24);
	if (h < 24 * 365 * 2)
		return g_strdup_printf("%" G_GINT64_FORMAT "d", d);
	if (h < 24 * 365 * 8)
		return d % 365 == 0 ? g_strdup_printf("%" G_GINT64_FORMAT "y", y)
				    : g_strdup_printf("%" G_GINT64_FORMAT "y%" G_GINT64_FORMAT "d",
						      y, d % 365);
	return g_strdup_printf("%" G_GINT64_FORMAT "y", y);
}

static JsonNode *
sim_age_of(const char *timestamp, gint64 now)
{
	g_autoptr(GDateTime) dt = NULL;

	if (timestamp == NULL)
		return sim_string_node("<unknown>");
	dt = g_date_time_new_from_iso8601(timestamp, NULL);
	if (dt == NULL)
		return sim_string_node("<invalid>");
	return sim_string_node_take(sim_human_duration(now - g_date_time_to_unix(dt)));
}

static JsonNode *
sim_cell_age(JsonObject *obj, gint64 now)
{
	return sim_age_of(sim_json_get_string(obj, "metadata.creationTimestamp"), now);
}

static JsonNode *
sim_cell_count_data(JsonObject *obj, gint64 now)
{
	JsonObject *data = sim_json_get_object(obj, "data", FALSE);
	JsonObject *binary = sim_json_get_object(obj, "binaryData", FALSE);

	return sim_int_node((data != NULL ? json_object_get_size(data) : 0) +
			    (binary != NULL ? json_object_get_size(binary) : 0));
}

/* Pods (printPod, simplified to the cases a simulated pod can be in) */

static JsonNode *
sim_cell_pod_ready(JsonObject *obj, gint64 now)
{
	JsonNode *specs = sim_json_path(obj, "spec.containers");
	JsonNode *statuses = sim_json_path(obj, "status.containerStatuses");
	guint total = 0, ready = 0;

	if (specs != NULL && JSON_NODE_HOLDS_ARRAY(specs))
		total = json_array_get_length(json_node_get_array(specs));
	if (statuses != NULL && JSON_NODE_HOLDS_ARRAY(statuses)) {
		JsonArray *arr = json_node_get_array(statuses);

		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonObject *st = json_array_get_object_element(arr, i);

			if (st != NULL && json_object_get_boolean_member_with_default(st, "ready", FALSE))
				ready++;
		}
	}
	return sim_string_node_take(g_strdup_printf("%u/%u", ready, total));
}

static JsonNode *
sim_cell_pod_status(JsonObject *obj, gint64 now)
{
	const char *reason = sim_path_string(obj, "status.reason", NULL);

	if (sim_json_get_string(obj, "metadata.deletionTimestamp") != NULL)
		return sim_string_node("Terminating");
	if (reason != NULL)
		return sim_string_node(reason);
	if (g_strcmp0(sim_path_string(obj, "status.conditions[PodScheduled].reason", NULL),
		      "SchedulingGated") == 0)
		return sim_string_node("SchedulingGated");
	return sim_string_node(sim_path_string(obj, "status.phase", "Pending"));
}

static JsonNode *
sim_cell_pod_restarts(JsonObject *obj, gint64 now)
{
	JsonNode *statuses = sim_json_path(obj, "status.containerStatuses");
	gint64 restarts = 0;

	if (statuses != NULL && JSON_NODE_HOLDS_ARRAY(statuses)) {
		JsonArray *arr = json_node_get_array(statuses);

		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonObject *st = json_array_get_object_element(arr, i);

			if (st != NULL)
				restarts += json_object_get_int_member_with_default(
				    st, "restartCount", 0);
		}
	}
	return sim_string_node_take(g_strdup_printf("%" G_GINT64_FORMAT, restarts));
}

static JsonNode *
sim_cell_none_if_missing(JsonObject *obj, const char *path)
{
	return sim_string_node(sim_path_string(obj, path, "<none>"));
}

static JsonNode *
sim_cell_pod_ip(JsonObject *obj, gint64 now)
{
	return sim_cell_none_if_missing(obj, "status.podIP");
}

static JsonNode *
sim_cell_pod_node(JsonObject *obj, gint64 now)
{
	return sim_cell_none_if_missing(obj, "spec.nodeName");
}

static JsonNode *
sim_cell_pod_nominated(JsonObject *obj, gint64 now)
{
	return sim_cell_none_if_missing(obj, "status.nominatedNodeName");
}

static JsonNode *
sim_cell_none(JsonObject *obj, gint64 now)
{
	return sim_string_node("<none>");
}

/* Nodes */

static JsonNode *
sim_cell_node_status(JsonObject *obj, gint64 now)
{
	const char *ready = sim_path_string(obj, "status.conditions[Ready].status", NULL);
	GString *s = g_string_new(NULL);

	if (g_strcmp0(ready, "True") == 0)
		g_string_append(s, "Ready");
	else if (g_strcmp0(ready, "False") == 0)
		g_string_append(s, "NotReady");
	else
		g_string_append(s, "Unknown");
	if (json_object_get_boolean_member_with_default(sim_json_get_object(obj, "spec", TRUE),
							"unschedulable", FALSE))
		g_string_append(s, ",SchedulingDisabled");
	return sim_string_node_take(g_string_free(s, FALSE));
}

static gint
sim_strptr_compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static JsonNode *
sim_cell_node_roles(JsonObject *obj, gint64 now)
{
	JsonObject *labels = sim_json_get_object(obj, "metadata.labels", FALSE);
	g_autoptr(GPtrArray) roles = g_ptr_array_new();
	g_autoptr(GList) keys = labels != NULL ? json_object_get_members(labels) : NULL;

	for (GList *l = keys; l != NULL; l = l->next) {
		const char *key = l->data;

		if (g_str_has_prefix(key, "node-role.kubernetes.io/") &&
		    key[strlen("node-role.kubernetes.io/")] != '\0')
			g_ptr_array_add(roles, (char *)key + strlen("node-role.kubernetes.io/"));
		else if (g_str_equal(key, "kubernetes.io/role"))
			g_ptr_array_add(roles, (char *)json_object_get_string_member(labels, key));
	}
	if (roles->len == 0)
		return sim_string_node("<none>");
	g_ptr_array_sort(roles, sim_strptr_compare);
	g_ptr_array_add(roles, NULL);
	return sim_string_node_take(g_strjoinv(",", (char **)roles->pdata));
}

static JsonNode *
sim_node_address(JsonObject *obj, const char *type)
{
	g_autofree char *path = g_strdup_printf("status.addresses[%s].address", type);

	return sim_string_node(sim_path_string(obj, path, "<none>"));
}

static JsonNode *
sim_cell_node_internal_ip(JsonObject *obj, gint64 now)
{
	return sim_node_address(obj, "InternalIP");
}

static JsonNode *
sim_cell_node_external_ip(JsonObject *obj, gint64 now)
{
	return sim_node_address(obj, "ExternalIP");
}

/* Storage */

static JsonNode *
sim_cell_access_modes(JsonObject *obj, const char *path)
{
	JsonNode *node = sim_json_path(obj, path);
	GString *s = g_string_new(NULL);

	if (node != NULL && JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *arr = json_node_get_array(node);
		static const char *const modes[][2] = {{"ReadWriteOnce", "RWO"},
						       {"ReadOnlyMany", "ROX"},
						       {"ReadWriteMany", "RWX"},
						       {"ReadWriteOncePod", "RWOP"}};

		for (guint m = 0; m < G_N_ELEMENTS(modes); m++) {
			for (guint i = 0; i < json_array_get_length(arr); i++) {
				if (g_strcmp0(json_array_get_string_element(arr, i), modes[m][0]) ==
				    0) {
					if (s->len > 0)
						g_string_append_c(s, ',');
					g_string_append(s, modes[m][1]);
					break;
				}
			}
		}
	}
	return sim_string_node_take(g_string_free(s, FALSE));
}

static JsonNode *
sim_cell_pv_modes(JsonObject *obj, gint64 now)
{
	return sim_cell_access_modes(obj, "spec.accessModes");
}

static JsonNode *
sim_cell_pvc_modes(JsonObject *obj, gint64 now)
{
	return sim_cell_access_modes(obj, "status.accessModes");
}

static JsonNode *
sim_cell_pv_claim(JsonObject *obj, gint64 now)
{
	const char *ns = sim_path_string(obj, "spec.claimRef.namespace", NULL);
	const char *name = sim_path_string(obj, "spec.claimRef.name", NULL);

	if (name == NULL)
		return sim_string_node("");
	return sim_string_node_take(g_strdup_printf("%s/%s", ns != NULL ? ns : "", name));
}

static JsonNode *
sim_cell_vac(JsonObject *obj, gint64 now)
{
	return sim_string_node(sim_path_string(obj, "spec.volumeAttributesClassName", "<unset>"));
}

static JsonNode *
sim_cell_sc_name(JsonObject *obj, gint64 now)
{
	const char *name = sim_json_get_string(obj, "metadata.name");
	JsonObject *ann = sim_json_get_object(obj, "metadata.annotations", FALSE);

	if (ann != NULL &&
	    (g_strcmp0(json_object_get_string_member_with_default(
			   ann, "storageclass.kubernetes.io/is-default-class", NULL),
		       "true") == 0 ||
	     g_strcmp0(json_object_get_string_member_with_default(
			   ann, "storageclass.beta.kubernetes.io/is-default-class", NULL),
		       "true") == 0))
		return sim_string_node_take(g_strdup_printf("%s (default)", name));
	return sim_string_node(name);
}

static JsonNode *
sim_cell_sc_reclaim(JsonObject *obj, gint64 now)
{
	return sim_string_node(sim_path_string(obj, "reclaimPolicy", "Delete"));
}

static JsonNode *
sim_cell_sc_binding(JsonObject *obj, gint64 now)
{
	return sim_string_node(sim_path_string(obj, "volumeBindingMode", "Immediate"));
}

static JsonNode *
sim_cell_sc_expansion(JsonObject *obj, gint64 now)
{
	JsonNode *node = sim_json_path(obj, "allowVolumeExpansion");

	return sim_string_node(node != NULL && json_node_get_boolean(node) ? "true" : "false");
}

static JsonNode *
sim_cell_bool_path(JsonObject *obj, const char *path)
{
	JsonNode *node = sim_json_path(obj, path);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node))
		return sim_string_node("<unset>");
	return sim_string_node(json_node_get_boolean(node) ? "true" : "false");
}

static JsonNode *
sim_cell_csi_attach(JsonObject *obj, gint64 now)
{
	return sim_cell_bool_path(obj, "spec.attachRequired");
}

static JsonNode *
sim_cell_csi_podinfo(JsonObject *obj, gint64 now)
{
	return sim_cell_bool_path(obj, "spec.podInfoOnMount");
}

static JsonNode *
sim_cell_csi_capacity(JsonObject *obj, gint64 now)
{
	return sim_cell_bool_path(obj, "spec.storageCapacity");
}

static JsonNode *
sim_cell_csi_modes(JsonObject *obj, gint64 now)
{
	JsonNode *node = sim_json_path(obj, "spec.volumeLifecycleModes");
	g_autoptr(GPtrArray) modes = g_ptr_array_new();

	if (node != NULL && JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *arr = json_node_get_array(node);

		for (guint i = 0; i < json_array_get_length(arr); i++)
			g_ptr_array_add(modes, (char *)json_array_get_string_element(arr, i));
	}
	if (modes->len == 0)
		return sim_string_node("<none>");
	g_ptr_array_add(modes, NULL);
	return sim_string_node_take(g_strjoinv(",", (char **)modes->pdata));
}

/* ResourceQuota "REQUEST: cpu: 1/4, memory: 1Gi/8Gi" */
static JsonNode *
sim_quota_column(JsonObject *obj, gboolean limits)
{
	JsonObject *hard = sim_json_get_object(obj, "status.hard", FALSE);
	JsonObject *used = sim_json_get_object(obj, "status.used", FALSE);
	g_autoptr(GList) keys = NULL;
	GString *s = g_string_new(NULL);

	if (hard == NULL)
		hard = sim_json_get_object(obj, "spec.hard", FALSE);
	keys = hard != NULL ? json_object_get_members(hard) : NULL;
	keys = g_list_sort(keys, (GCompareFunc)g_strcmp0);
	for (GList *l = keys; l != NULL; l = l->next) {
		const char *key = l->data;

		if (g_str_has_prefix(key, "limits.") != limits)
			continue;
		if (s->len > 0)
			g_string_append(s, ", ");
		g_string_append_printf(
		    s, "%s: %s/%s", key,
		    used != NULL ? json_object_get_string_member_with_default(used, key, "0") : "0",
		    json_object_get_string_member_with_default(hard, key, ""));
	}
	return sim_string_node_take(g_string_free(s, FALSE));
}

static JsonNode *
sim_cell_quota_request(JsonObject *obj, gint64 now)
{
	return sim_quota_column(obj, FALSE);
}

static JsonNode *
sim_cell_quota_limit(JsonObject *obj, gint64 now)
{
	return sim_quota_column(obj, TRUE);
}

static JsonNode *
sim_cell_created_at(JsonObject *obj, gint64 now)
{
	return sim_string_node(sim_path_string(obj, "metadata.creationTimestamp", ""));
}

/* Services */

static JsonNode *
sim_cell_svc_type(JsonObject *obj, gint64 now)
{
	return sim_string_node(sim_path_string(obj, "spec.type", "ClusterIP"));
}

static JsonNode *
sim_cell_svc_cluster_ip(JsonObject *obj, gint64 now)
{
	return sim_cell_none_if_missing(obj, "spec.clusterIP");
}

static JsonNode *
sim_cell_svc_ports(JsonObject *obj, gint64 now)
{
	JsonNode *node = sim_json_path(obj, "spec.ports");
	GString *s = g_string_new(NULL);

	if (node != NULL && JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *arr = json_node_get_array(node);

		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonObject *p = json_array_get_object_element(arr, i);

			if (p == NULL)
				continue;
			if (s->len > 0)
				g_string_append_c(s, ',');
			g_string_append_printf(
			    s, "%" G_GINT64_FORMAT, json_object_get_int_member_with_default(p, "port", 0));
			if (json_object_has_member(p, "nodePort"))
				g_string_append_printf(
				    s, ":%" G_GINT64_FORMAT,
				    json_object_get_int_member_with_default(p, "nodePort", 0));
			g_string_append_printf(
			    s, "/%s", json_object_get_string_member_with_default(p, "protocol", "TCP"));
		}
	}
	if (s->len == 0)
		g_string_append(s, "<none>");
	return sim_string_node_take(g_string_free(s, FALSE));
}

/* Events */

static JsonNode *
sim_cell_event_last_seen(JsonObject *obj, gint64 now)
{
	const char *ts = sim_json_get_string(obj, "lastTimestamp");

	if (ts == NULL)
		ts = sim_json_get_string(obj, "eventTime");
	if (ts == NULL)
		ts = sim_json_get_string(obj, "metadata.creationTimestamp");
	return sim_age_of(ts, now);
}

static JsonNode *
sim_cell_event_object(JsonObject *obj, gint64 now)
{
	g_autofree char *kind =
	    g_ascii_strdown(sim_path_string(obj, "involvedObject.kind", ""), -1);

	return sim_string_node_take(
	    g_strdup_printf("%s/%s", kind, sim_path_string(obj, "involvedObject.name", "")));
}

#define COL_NAME {"Name", "string", "metadata.name", NULL, 0, "name"}
#define COL_AGE {"Age", "string", NULL, sim_cell_age, 0, NULL}
#define COL_PATH(n, p) {n, "string", p, NULL, 0, NULL}
#define COL_WIDE(n, p) {n, "string", p, NULL, 1, NULL}
#define COL_FUNC(n, f) {n, "string", NULL, f, 0, NULL}
#define COL_WFUNC(n, f) {n, "string", NULL, f, 1, NULL}

static const SimTableDef sim_table_default = {{COL_NAME, COL_AGE}};

static const SimTableDef sim_table_pods = {{
    COL_NAME,
    COL_FUNC("Ready", sim_cell_pod_ready),
    COL_FUNC("Status", sim_cell_pod_status),
    COL_FUNC("Restarts", sim_cell_pod_restarts),
    COL_AGE,
    COL_WFUNC("IP", sim_cell_pod_ip),
    COL_WFUNC("Node", sim_cell_pod_node),
    COL_WFUNC("Nominated Node", sim_cell_pod_nominated),
    COL_WFUNC("Readiness Gates", sim_cell_none),
}};

static const SimTableDef sim_table_nodes = {{
    COL_NAME,
    COL_FUNC("Status", sim_cell_node_status),
    COL_FUNC("Roles", sim_cell_node_roles),
    COL_AGE,
    COL_PATH("Version", "status.nodeInfo.kubeletVersion"),
    COL_WFUNC("Internal-IP", sim_cell_node_internal_ip),
    COL_WFUNC("External-IP", sim_cell_node_external_ip),
    COL_WIDE("OS-Image", "status.nodeInfo.osImage"),
    COL_WIDE("Kernel-Version", "status.nodeInfo.kernelVersion"),
    COL_WIDE("Container-Runtime", "status.nodeInfo.containerRuntimeVersion"),
}};

static const SimTableDef sim_table_namespaces = {{
    COL_NAME,
    COL_PATH("Status", "status.phase"),
    COL_AGE,
}};

static const SimTableDef sim_table_pvs = {{
    COL_NAME,
    COL_PATH("Capacity", "spec.capacity.storage"),
    COL_FUNC("Access Modes", sim_cell_pv_modes),
    COL_PATH("Reclaim Policy", "spec.persistentVolumeReclaimPolicy"),
    COL_PATH("Status", "status.phase"),
    COL_FUNC("Claim", sim_cell_pv_claim),
    COL_PATH("StorageClass", "spec.storageClassName"),
    COL_FUNC("VolumeAttributesClass", sim_cell_vac),
    COL_PATH("Reason", "status.reason"),
    COL_AGE,
    COL_WIDE("VolumeMode", "spec.volumeMode"),
}};

static const SimTableDef sim_table_pvcs = {{
    COL_NAME,
    COL_PATH("Status", "status.phase"),
    COL_PATH("Volume", "spec.volumeName"),
    COL_PATH("Capacity", "status.capacity.storage"),
    COL_FUNC("Access Modes", sim_cell_pvc_modes),
    COL_PATH("StorageClass", "spec.storageClassName"),
    COL_FUNC("VolumeAttributesClass", sim_cell_vac),
    COL_AGE,
    COL_WIDE("VolumeMode", "spec.volumeMode"),
}};

static const SimTableDef sim_table_storageclasses = {{
    {"Name", "string", NULL, sim_cell_sc_name, 0, "name"},
    COL_PATH("Provisioner", "provisioner"),
    COL_FUNC("ReclaimPolicy", sim_cell_sc_reclaim),
    COL_FUNC("VolumeBindingMode", sim_cell_sc_binding),
    COL_FUNC("AllowVolumeExpansion", sim_cell_sc_expansion),
    COL_AGE,
}};

static const SimTableDef sim_table_csidrivers = {{
    COL_NAME,
    COL_FUNC("AttachRequired", sim_cell_csi_attach),
    COL_FUNC("PodInfoOnMount", sim_cell_csi_podinfo),
    COL_FUNC("StorageCapacity", sim_cell_csi_capacity),
    COL_FUNC("TokenRequests", sim_cell_none),
    COL_FUNC("RequiresRepublish", sim_cell_csi_podinfo),
    COL_FUNC("Modes", sim_cell_csi_modes),
    COL_AGE,
}};

static const SimTableDef sim_table_csistoragecapacities = {{
    COL_NAME,
    COL_PATH("StorageClassName", "storageClassName"),
    COL_PATH("Capacity", "capacity"),
}};

static const SimTableDef sim_table_quotas = {{
    COL_NAME,
    COL_AGE,
    COL_FUNC("Request", sim_cell_quota_request),
    COL_FUNC("Limit", sim_cell_quota_limit),
}};

static const SimTableDef sim_table_created_at = {{
    COL_NAME,
    COL_FUNC("Created At", sim_cell_created_at),
}};

static const SimTableDef sim_table_secrets = {{
    COL_NAME,
    COL_PATH("Type", "type"),
    {"Data", "integer", NULL, sim_cell_count_data, 0, NULL},
    COL_AGE,
}};

static const SimTableDef sim_table_configmaps = {{
    COL_NAME,
    {"Data", "integer", NULL, sim_cell_count_data, 0, NULL},
    COL_AGE,
}};

static const SimTableDef sim_table_services = {{
    COL_NAME,
    COL_FUNC("Type", sim_cell_svc_type),
    COL_FUNC("Cluster-IP", sim_cell_svc_cluster_ip),
    COL_FUNC("External-IP", sim_cell_none),
    COL_FUNC("Port(s)", sim_cell_svc_ports),
    COL_AGE,
}};

static const SimTableDef sim_table_events = {{
    COL_FUNC("Last Seen", sim_cell_event_last_seen),
    COL_PATH("Type", "type"),
    COL_PATH("Reason", "reason"),
    COL_FUNC("Object", sim_cell_event_object),
    COL_PATH("Message", "message"),
}};

static const SimTableDef sim_table_leases = {{
    COL_NAME,
    COL_PATH("Holder", "spec.holderIdentity"),
    COL_AGE,
}};

/* CRDs: additionalPrinterColumns, as the CRDs declare them */
static const SimTableDef sim_table_vms = {{
    COL_NAME,
    COL_AGE,
    COL_PATH("Status", "status.printableStatus"),
    COL_PATH("Ready", "status.conditions[Ready].status"),
}};

static const SimTableDef sim_table_vmis = {{
    COL_NAME,
    COL_AGE,
    COL_PATH("Phase", "status.phase"),
    COL_PATH("IP", "status.interfaces[0].ipAddress"),
    COL_PATH("NodeName", "status.nodeName"),
    COL_PATH("Ready", "status.conditions[Ready].status"),
    COL_WIDE("Live-Migratable", "status.conditions[LiveMigratable].status"),
    COL_WIDE("Paused", "status.conditions[Paused].status"),
}};

static const SimTableDef sim_table_vmims = {{
    COL_NAME,
    COL_PATH("Phase", "status.phase"),
    COL_PATH("VMI", "spec.vmiName"),
}};

static const SimTableDef sim_table_kubevirts = {{
    COL_NAME,
    COL_AGE,
    COL_PATH("Phase", "status.phase"),
}};

static const SimTableDef sim_table_datavolumes = {{
    COL_NAME,
    COL_PATH("Phase", "status.phase"),
    COL_PATH("Progress", "status.progress"),
    {"Restarts", "integer", "status.restartCount", NULL, 0, NULL},
    COL_AGE,
}};

/* Discovery order follows the real server's (core, then groups). */
static const SimResourceDef sim_builtin_resources[] = {
    {"", "v1", "namespaces", "namespace", "Namespace", FALSE, TRUE, TRUE, "ns", NULL,
     &sim_table_namespaces},
    {"", "v1", "nodes", "node", "Node", FALSE, TRUE, TRUE, "no", NULL, &sim_table_nodes},
    {"", "v1", "pods", "pod", "Pod", TRUE, TRUE, TRUE, "po", "all", &sim_table_pods},
    {"", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", FALSE, TRUE, TRUE,
     "pv", NULL, &sim_table_pvs},
    {"", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", TRUE,
     TRUE, TRUE, "pvc", NULL, &sim_table_pvcs},
    {"", "v1", "resourcequotas", "resourcequota", "ResourceQuota", TRUE, TRUE, TRUE, "quota",
     NULL, &sim_table_quotas},
    {"", "v1", "limitranges", "limitrange", "LimitRange", TRUE, FALSE, TRUE, "limits", NULL,
     &sim_table_created_at},
    {"", "v1", "secrets", "secret", "Secret", TRUE, FALSE, TRUE, NULL, NULL, &sim_table_secrets},
    {"", "v1", "configmaps", "configmap", "ConfigMap", TRUE, FALSE, TRUE, "cm", NULL,
     &sim_table_configmaps},
    {"", "v1", "services", "service", "Service", TRUE, TRUE, TRUE, "svc", "all",
     &sim_table_services},
    {"", "v1", "events", "event", "Event", TRUE, FALSE, TRUE, "ev", NULL, &sim_table_events},
    {"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", TRUE, FALSE, TRUE, "sa",
     NULL, &sim_table_default},
    {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
     "CustomResourceDefinition", FALSE, TRUE, TRUE, "crd,crds", "api-extensions",
     &sim_table_created_at},
    {"coordination.k8s.io", "v1", "leases", "lease", "Lease", TRUE, FALSE, TRUE, NULL, NULL,
     &sim_table_leases},
    {"storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", FALSE, FALSE,
     TRUE, "sc", NULL, &sim_table_storageclasses},
    {"storage.k8s.io", "v1", "csidrivers", "csidriver", "CSIDriver", FALSE, FALSE, TRUE, NULL,
     NULL, &sim_table_csidrivers},
    {"storage.k8s.io", "v1", "csistoragecapacities", "csistoragecapacity", "CSIStorageCapacity",
     TRUE, FALSE, TRUE, NULL, NULL, &sim_table_csistoragecapacities},
    {"kubevirt.io", "v1", "virtualmachines", "virtualmachine", "VirtualMachine", TRUE, TRUE,
     FALSE, "vm,vms", "all", &sim_table_vms},
    {"kubevirt.io", "v1", "virtualmachineinstances", "virtualmachineinstance",
     "VirtualMachineInstance", TRUE, FALSE, FALSE, "vmi,vmis", "all", &sim_table_vmis},
    {"kubevirt.io", "v1", "virtualmachineinstancemigrations", "virtualmachineinstancemigration",
     "VirtualMachineInstanceMigration", TRUE, TRUE, FALSE, "vmim,vmims", "all",
     &sim_table_vmims},
    {"kubevirt.io", "v1", "kubevirts", "kubevirt", "KubeVirt", TRUE, TRUE, FALSE, "kv,kvs",
     "all", &sim_table_kubevirts},
    {"hco.kubevirt.io", "v1beta1", "hyperconvergeds", "hyperconverged", "HyperConverged", TRUE,
     TRUE, FALSE, "hco,hcos", "all", &sim_table_default},
    {"k8s.cni.cncf.io", "v1", "network-attachment-definitions", "network-attachment-definition",
     "NetworkAttachmentDefinition", TRUE, FALSE, FALSE, "net-attach-def,nad", NULL,
     &sim_table_default},
    {"cdi.kubevirt.io", "v1beta1", "datavolumes", "datavolume", "DataVolume", TRUE, TRUE, FALSE,
     "dv,dvs", "all", &sim_table_datavolumes},
    {"network.config.openshift.io", "v1", "networks", "network", "Network", FALSE, TRUE, FALSE,
     NULL, NULL, &sim_table_default},
};

void
sim_resources_register_builtin(SimCluster *cluster)
{
	for (guint i = 0; i < G_N_ELEMENTS(sim_builtin_resources); i++)
		sim_cluster_register_resource(cluster, &sim_builtin_resources[i]);
}

static const SimTableDef *
sim_table_of(const SimResource *res)
{
	if (res->priv->table != NULL)
		return res->priv->table;
	return &sim_table_default;
}

JsonArray *
sim_table_column_definitions(const SimResource *res)
{
	const SimTableDef *table = sim_table_of(res);
	JsonArray *cols = json_array_new();

	for (guint i = 0; i < G_N_ELEMENTS(table->columns) && table->columns[i].name != NULL; i++) {
		const SimColumn *col = &table->columns[i];
		JsonObject *def = json_object_new();

		json_object_set_string_member(def, "name", col->name);
		json_object_set_string_member(def, "type", col->type);
		json_object_set_string_member(def, "format", col->format != NULL ? col->format : "");
		json_object_set_string_member(def, "description", "");
		json_object_set_int_member(def, "priority", col->priority);
		json_array_add_object_element(cols, def);
	}
	return cols;
}

JsonArray *
sim_table_cells(const SimResource *res, SimObject *obj, gint64 now)
{
	const SimTableDef *table = sim_table_of(res);
	JsonObject *json = sim_object_get_json(obj);
	JsonArray *cells = json_array_new();

	for (guint i = 0; i < G_N_ELEMENTS(table->columns) && table->columns[i].name != NULL; i++) {
		const SimColumn *col = &table->columns[i];
		JsonNode *cell;

		if (col->func != NULL) {
			cell = col->func(json, now);
		} else {
			JsonNode *value = sim_json_path(json, col->path);

			cell = value != NULL ? sim_json_node_dup(value) : json_node_new(JSON_NODE_NULL);
		}
		json_array_add_element(cells, cell);
	}
	return cells;
}
