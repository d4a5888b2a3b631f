/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "cclm-enum-types.h"
#include "cclm-fit-private.h"
#include "cclm-quantity-private.h"

struct _CclmFitReason {
	GObject parent_instance;
	CclmFitReasonKind kind;
	gchar *message;
	gchar *resource;
	gint64 needed;
	gint64 available;
	gchar *node;
};

G_DEFINE_FINAL_TYPE(CclmFitReason, cclm_fit_reason, G_TYPE_OBJECT)

const gchar *
cclm_fit_reason_kind_to_nick(CclmFitReasonKind kind)
{
	static GEnumClass *klass;
	GEnumValue *v;

	/* kept for the process, like every registered enum class */
	if (g_once_init_enter(&klass))
		g_once_init_leave(&klass, g_type_class_ref(CCLM_TYPE_FIT_REASON_KIND));
	v = g_enum_get_value(klass, kind);

	return v != NULL ? v->value_nick : "unknown";
}

/* The unit a resource counts in, for JSON and messages */
static const gchar *
cclm_resource_unit(const gchar *resource)
{
	if (resource == NULL)
		return "count";
	if (strstr(resource, "cpu") != NULL)
		return "millicores";
	if (strstr(resource, "memory") != NULL || strstr(resource, "storage") != NULL ||
	    strstr(resource, "hugepages-") != NULL)
		return "bytes";
	return "count";
}

/* "16.4 GiB", "2.5 cores", "3": a value of @resource for people */
gchar *
cclm_resource_format(const gchar *resource, gint64 value)
{
	const gchar *unit = cclm_resource_unit(resource);

	if (g_str_equal(unit, "millicores"))
		return cclm_quantity_format_millicores(value);
	if (g_str_equal(unit, "bytes"))
		return cclm_quantity_format_bytes(value);
	return cclm_quantity_format_count(value);
}

JsonNode *
cclm_json_quantity(const gchar *resource, gint64 value)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree gchar *human = cclm_resource_format(resource, value);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, cclm_resource_unit(resource));
	json_builder_add_int_value(b, value);
	json_builder_set_member_name(b, "human");
	json_builder_add_string_value(b, human);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* Members named after each non-zero resource, in a stable order */
void
cclm_json_add_resources(JsonBuilder *builder, const CclmResources *r)
{
	static const gchar *fixed[] = {"cpu", "memory", "ephemeral-storage", "pods"};
	g_autoptr(GPtrArray) names = g_ptr_array_new();

	for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
		g_ptr_array_add(names, (gpointer)fixed[i]);
	for (guint i = 0; i < r->n_scalars; i++)
		g_ptr_array_add(names, (gpointer)r->scalars[i].name);
	for (guint i = 0; i < names->len; i++) {
		gint64 v = cclm_resources_get(r, names->pdata[i]);

		if (v == 0 && i >= G_N_ELEMENTS(fixed))
			continue;
		json_builder_set_member_name(builder, names->pdata[i]);
		json_builder_add_value(builder, cclm_json_quantity(names->pdata[i], v));
	}
}

CclmFitReason *
cclm_fit_reason_new(CclmFitReasonKind kind,
		    const gchar *resource,
		    gint64 needed,
		    gint64 available,
		    const gchar *node,
		    const gchar *format,
		    ...)
{
	CclmFitReason *self = g_object_new(CCLM_TYPE_FIT_REASON, NULL);
	va_list args;

	self->kind = kind;
	self->resource = g_strdup(resource);
	self->needed = needed;
	self->available = available;
	self->node = g_strdup(node);
	va_start(args, format);
	self->message = g_strdup_vprintf(format, args);
	va_end(args);
	return self;
}

/**
 * cclm_fit_reason_get_kind:
 * @self: a #CclmFitReason
 *
 * Returns: what kind of shortfall or warning this is
 *
 * Since: 0.1
 */
CclmFitReasonKind
cclm_fit_reason_get_kind(CclmFitReason *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_REASON(self), CCLM_FIT_REASON_KIND_MEMORY);
	return self->kind;
}

/**
 * cclm_fit_reason_get_message:
 * @self: a #CclmFitReason
 *
 * The explanation for people, starting with the kind and giving the numbers, e.g.
 * `memory: needs 16.4 GiB on one node; largest free node has 12.0 GiB (worker-3); 40.0 GiB
 * free in total is fragmented across 8 nodes`.
 *
 * Returns: the message
 *
 * Since: 0.1
 */
const gchar *
cclm_fit_reason_get_message(CclmFitReason *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_REASON(self), NULL);
	return self->message;
}

/**
 * cclm_fit_reason_get_resource:
 * @self: a #CclmFitReason
 *
 * The Kubernetes resource the numbers are about (`memory`, `cpu`, `hugepages-1Gi`,
 * `requests.memory` for a quota, `storage`), if any.
 *
 * Returns: (nullable): the resource name
 *
 * Since: 0.1
 */
const gchar *
cclm_fit_reason_get_resource(CclmFitReason *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_REASON(self), NULL);
	return self->resource;
}

/**
 * cclm_fit_reason_get_needed:
 * @self: a #CclmFitReason
 *
 * Returns: what the VM needs of [method@FitReason.get_resource], in base units (bytes,
 *   millicores or a count), or 0 when the reason is not about an amount
 *
 * Since: 0.1
 */
gint64
cclm_fit_reason_get_needed(CclmFitReason *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_REASON(self), 0);
	return self->needed;
}

/**
 * cclm_fit_reason_get_available:
 * @self: a #CclmFitReason
 *
 * Returns: the most that is available in one place (the largest free node, the quota's
 *   remainder, the largest storage segment), in base units
 *
 * Since: 0.1
 */
gint64
cclm_fit_reason_get_available(CclmFitReason *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_REASON(self), 0);
	return self->available;
}

/**
 * cclm_fit_reason_get_node:
 * @self: a #CclmFitReason
 *
 * Returns: (nullable): the node the numbers refer to (e.g. the largest free node)
 *
 * Since: 0.1
 */
const gchar *
cclm_fit_reason_get_node(CclmFitReason *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_REASON(self), NULL);
	return self->node;
}

/**
 * cclm_fit_reason_to_json:
 * @self: a #CclmFitReason
 *
 * Serializes the reason as docs/capacity-schema.md describes: `kind`, `message`, and when
 * known `resource`, `needed`, `available` (each `{"bytes"|"millicores"|"count": N, "human":
 * "..."}`) and `node`.
 *
 * Returns: (transfer full): a JSON object
 *
 * Since: 0.1
 */
JsonNode *
cclm_fit_reason_to_json(CclmFitReason *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(CCLM_IS_FIT_REASON(self), NULL);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, cclm_fit_reason_kind_to_nick(self->kind));
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, self->message);
	if (self->resource != NULL) {
		json_builder_set_member_name(b, "resource");
		json_builder_add_string_value(b, self->resource);
		json_builder_set_member_name(b, "needed");
		json_builder_add_value(b, cclm_json_quantity(self->resource, self->needed));
		json_builder_set_member_name(b, "available");
		json_builder_add_value(b, cclm_json_quantity(self->resource, self->available));
	}
	if (self->node != NULL) {
		json_builder_set_member_name(b, "node");
		json_builder_add_string_value(b, self->node);
	}
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void
cclm_fit_reason_finalize(GObject *object)
{
	CclmFitReason *self = CCLM_FIT_REASON(object);

	g_free(self->message);
	g_free(self->resource);
	g_free(self->node);
	G_OBJECT_CLASS(cclm_fit_reason_parent_class)->finalize(object);
}

static void
cclm_fit_reason_class_init(CclmFitReasonClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = cclm_fit_reason_finalize;
}

static void
cclm_fit_reason_init(CclmFitReason *self)
{
}
