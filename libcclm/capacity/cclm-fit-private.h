/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "cclm-candidate.h"
#include "cclm-capacity.h"
#include "cclm-fit-reason.h"
#include "cclm-fit-verdict.h"
#include "cclm-inventory-private.h"

G_BEGIN_DECLS

/* A node label the virt-launcher pod's nodeSelector requires, and the reason kind that names a
 * node without it. */
typedef struct {
	const gchar *key; /* pooled, as is @value */
	const gchar *value;
	CclmFitReasonKind kind;
} CclmDemandLabel;

/* Pooled strings: borrowed in a demand, referenced in a verdict */
typedef struct {
	const gchar *volume;
	const gchar *storage_class; /* on the target, after the storage map */
	gint64 size;
} CclmDemandDisk;

/* What the virt-launcher pod KubeVirt would create for a VM asks of a cluster. */
typedef struct {
	gchar *vm; /* "namespace/name" */
	const gchar *namespace_;
	gboolean running;
	guint vcpus;
	gboolean dedicated;
	gint64 overhead;      /* bytes of virt-launcher overhead inside requests.memory */
	CclmResources requests; /* pods = 1 */
	gint64 limit_cpu;	/* what limits.cpu / limits.memory quotas would be charged */
	gint64 limit_memory;
	/* the compute container alone, for LimitRanges; limits -1 when KubeVirt sets none */
	gint64 compute_cpu, compute_memory, compute_limit_cpu, compute_limit_memory;
	GArray *selector;	/* CclmDemandLabel */
	GArray *tolerations;	/* CclmToleration, copied */
	GArray *affinity;	/* CclmSelectorTerm, borrowed from the VM record; NULL = none */
	GArray *disks;		/* CclmDemandDisk */
	GPtrArray *warnings;	/* CclmFitReason */
	GPtrArray *strs;	/* the pooled strings it made, one reference each */
} CclmDemand;

CclmDemand *
cclm_demand_new(CclmInventory *source,
		const CclmVmRecord *vm,
		CclmInventory *target,
		const gchar *const *storage_map,
		GError **error);
void
cclm_demand_free(CclmDemand *demand);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CclmDemand, cclm_demand_free)

gint64
cclm_kubevirt_memory_overhead(const CclmVmRecord *vm,
			      const CclmKubevirtConfig *kv,
			      gint64 request_memory,
			      guint vcpus);

CclmFitReason *
cclm_fit_reason_new(CclmFitReasonKind kind,
		    const gchar *resource,
		    gint64 needed,
		    gint64 available,
		    const gchar *node,
		    const gchar *format,
		    ...) G_GNUC_PRINTF(6, 7);

CclmFitVerdict *
cclm_fit_verdict_new(const gchar *cluster, const CclmDemand *demand);
void
cclm_fit_verdict_set_node(CclmFitVerdict *self, const gchar *node);
void
cclm_fit_verdict_add_reason(CclmFitVerdict *self, CclmFitReason *reason);
void
cclm_fit_verdict_add_warning(CclmFitVerdict *self, CclmFitReason *warning);

CclmCandidate *
cclm_candidate_new(const gchar *cluster,
		   gboolean fits,
		   gint score,
		   const gchar *explanation,
		   GPtrArray *verdicts);

/* {"<unit>": value, "human": "..."} with the unit the resource counts in */
JsonNode *
cclm_json_quantity(const gchar *resource, gint64 value);
void
cclm_json_add_resources(JsonBuilder *builder, const CclmResources *r);
const gchar *
cclm_fit_reason_kind_to_nick(CclmFitReasonKind kind);
gchar *
cclm_resource_format(const gchar *resource, gint64 value);

G_END_DECLS
