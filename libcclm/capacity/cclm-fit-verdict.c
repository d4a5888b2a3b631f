/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-fit-private.h"
#include "cclm-strpool-private.h"

struct _CclmFitVerdict {
	GObject parent_instance;
	gchar *vm;
	gchar *cluster;
	gchar *node;
	gboolean running;
	CclmResources requests;
	gint64 overhead;
	GArray *disks; /* CclmDemandDisk */
	GPtrArray *reasons;
	GPtrArray *warnings;
};

G_DEFINE_FINAL_TYPE(CclmFitVerdict, cclm_fit_verdict, G_TYPE_OBJECT)

CclmFitVerdict *
cclm_fit_verdict_new(const gchar *cluster, const CclmDemand *demand)
{
	CclmFitVerdict *self = g_object_new(CCLM_TYPE_FIT_VERDICT, NULL);

	self->vm = g_strdup(demand->vm);
	self->cluster = g_strdup(cluster);
	self->running = demand->running;
	cclm_resources_copy(&self->requests, &demand->requests);
	self->overhead = demand->overhead;
	/* the verdict outlives the demand and may outlive the VM's record: its own references */
	for (guint i = 0; i < demand->disks->len; i++) {
		CclmDemandDisk disk = g_array_index(demand->disks, CclmDemandDisk, i);

		disk.volume = cclm_str_intern(disk.volume);
		disk.storage_class = cclm_str_intern(disk.storage_class);
		g_array_append_val(self->disks, disk);
	}
	for (guint i = 0; i < demand->warnings->len; i++)
		g_ptr_array_add(self->warnings, g_object_ref(demand->warnings->pdata[i]));
	return self;
}

void
cclm_fit_verdict_set_node(CclmFitVerdict *self, const gchar *node)
{
	g_free(self->node);
	self->node = g_strdup(node);
}

/* takes ownership */
void
cclm_fit_verdict_add_reason(CclmFitVerdict *self, CclmFitReason *reason)
{
	g_ptr_array_add(self->reasons, reason);
}

void
cclm_fit_verdict_add_warning(CclmFitVerdict *self, CclmFitReason *warning)
{
	g_ptr_array_add(self->warnings, warning);
}

/**
 * cclm_fit_verdict_get_vm:
 * @self: a #CclmFitVerdict
 *
 * Returns: the VM judged, as `namespace/name`
 *
 * Since: 0.1
 */
const gchar *
cclm_fit_verdict_get_vm(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), NULL);
	return self->vm;
}

/**
 * cclm_fit_verdict_get_cluster:
 * @self: a #CclmFitVerdict
 *
 * Returns: the target cluster's name
 *
 * Since: 0.1
 */
const gchar *
cclm_fit_verdict_get_cluster(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), NULL);
	return self->cluster;
}

/**
 * cclm_fit_verdict_get_fits:
 * @self: a #CclmFitVerdict
 *
 * Whether the VM's virt-launcher pod would be scheduled on the target, its namespace quota
 * admits it and its disks can be provisioned. Warnings do not change this.
 *
 * Returns: %TRUE when it fits
 *
 * Since: 0.1
 */
gboolean
cclm_fit_verdict_get_fits(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), FALSE);
	return self->reasons->len == 0;
}

/**
 * cclm_fit_verdict_get_node:
 * @self: a #CclmFitVerdict
 *
 * Returns: (nullable): the node the pod was placed on in this evaluation, when it fits
 *
 * Since: 0.1
 */
const gchar *
cclm_fit_verdict_get_node(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), NULL);
	return self->node;
}

/**
 * cclm_fit_verdict_get_cpu_request:
 * @self: a #CclmFitVerdict
 *
 * Returns: the virt-launcher pod's CPU request on the target, in millicores
 *
 * Since: 0.1
 */
gint64
cclm_fit_verdict_get_cpu_request(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), 0);
	return self->requests.cpu;
}

/**
 * cclm_fit_verdict_get_memory_request:
 * @self: a #CclmFitVerdict
 *
 * Returns: the virt-launcher pod's memory request on the target in bytes, overhead included
 *
 * Since: 0.1
 */
gint64
cclm_fit_verdict_get_memory_request(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), 0);
	return self->requests.memory;
}

/**
 * cclm_fit_verdict_get_memory_overhead:
 * @self: a #CclmFitVerdict
 *
 * Returns: the virt-launcher memory overhead in bytes, by KubeVirt's formula with the
 *   target's configuration
 *
 * Since: 0.1
 */
gint64
cclm_fit_verdict_get_memory_overhead(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), 0);
	return self->overhead;
}

/**
 * cclm_fit_verdict_get_reasons:
 * @self: a #CclmFitVerdict
 *
 * Returns: (transfer none) (element-type CclmFitReason): why the VM does not fit; empty when
 *   it fits
 *
 * Since: 0.1
 */
GPtrArray *
cclm_fit_verdict_get_reasons(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), NULL);
	return self->reasons;
}

/**
 * cclm_fit_verdict_get_warnings:
 * @self: a #CclmFitVerdict
 *
 * Returns: (transfer none) (element-type CclmFitReason): what could not be checked or needs
 *   attention (unchecked storage capacity, a namespace that does not exist yet, ...)
 *
 * Since: 0.1
 */
GPtrArray *
cclm_fit_verdict_get_warnings(CclmFitVerdict *self)
{
	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), NULL);
	return self->warnings;
}

static void
cclm_json_add_reasons(JsonBuilder *b, const gchar *name, GPtrArray *reasons)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = 0; i < reasons->len; i++)
		json_builder_add_value(b, cclm_fit_reason_to_json(reasons->pdata[i]));
	json_builder_end_array(b);
}

/**
 * cclm_fit_verdict_to_json:
 * @self: a #CclmFitVerdict
 *
 * Serializes the verdict in the `cclm.fit/v1` schema of docs/capacity-schema.md.
 *
 * Returns: (transfer full): a JSON object
 *
 * Since: 0.1
 */
JsonNode *
cclm_fit_verdict_to_json(CclmFitVerdict *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(CCLM_IS_FIT_VERDICT(self), NULL);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "schema");
	json_builder_add_string_value(b, CCLM_FIT_SCHEMA);
	json_builder_set_member_name(b, "vm");
	json_builder_add_string_value(b, self->vm);
	json_builder_set_member_name(b, "cluster");
	json_builder_add_string_value(b, self->cluster);
	json_builder_set_member_name(b, "fits");
	json_builder_add_boolean_value(b, self->reasons->len == 0);
	json_builder_set_member_name(b, "node");
	if (self->node != NULL)
		json_builder_add_string_value(b, self->node);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "running");
	json_builder_add_boolean_value(b, self->running);
	json_builder_set_member_name(b, "requests");
	json_builder_begin_object(b);
	cclm_json_add_resources(b, &self->requests);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "memoryOverhead");
	json_builder_add_value(b, cclm_json_quantity("memory", self->overhead));
	json_builder_set_member_name(b, "disks");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->disks->len; i++) {
		const CclmDemandDisk *d = &g_array_index(self->disks, CclmDemandDisk, i);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "volume");
		json_builder_add_string_value(b, d->volume);
		json_builder_set_member_name(b, "storageClass");
		if (d->storage_class != NULL)
			json_builder_add_string_value(b, d->storage_class);
		else
			json_builder_add_null_value(b);
		json_builder_set_member_name(b, "size");
		json_builder_add_value(b, cclm_json_quantity("storage", d->size));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	cclm_json_add_reasons(b, "reasons", self->reasons);
	cclm_json_add_reasons(b, "warnings", self->warnings);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void
cclm_fit_verdict_finalize(GObject *object)
{
	CclmFitVerdict *self = CCLM_FIT_VERDICT(object);

	g_free(self->vm);
	g_free(self->cluster);
	g_free(self->node);
	cclm_resources_clear(&self->requests);
	g_array_unref(self->disks);
	g_ptr_array_unref(self->reasons);
	g_ptr_array_unref(self->warnings);
	G_OBJECT_CLASS(cclm_fit_verdict_parent_class)->finalize(object);
}

static void
cclm_demand_disk_clear(gpointer data)
{
	CclmDemandDisk *disk = data;

	cclm_str_release(disk->volume);
	cclm_str_release(disk->storage_class);
}

static void
cclm_fit_verdict_class_init(CclmFitVerdictClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = cclm_fit_verdict_finalize;
}

static void
cclm_fit_verdict_init(CclmFitVerdict *self)
{
	self->disks = g_array_new(FALSE, FALSE, sizeof(CclmDemandDisk));
	g_array_set_clear_func(self->disks, cclm_demand_disk_clear);
	self->reasons = g_ptr_array_new_with_free_func(g_object_unref);
	self->warnings = g_ptr_array_new_with_free_func(g_object_unref);
}
