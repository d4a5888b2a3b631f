/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__CCLM_H_INSIDE__) && !defined(CCLM_COMPILATION)
#error "Only <cclm.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "cclm-version-macros.h"

G_BEGIN_DECLS

/**
 * CclmFitReasonKind:
 * @CCLM_FIT_REASON_KIND_MEMORY: not enough free memory on any usable node
 * @CCLM_FIT_REASON_KIND_CPU: not enough free CPU on any usable node
 * @CCLM_FIT_REASON_KIND_DEDICATED_CPU: dedicated CPUs: not enough whole CPUs, or no node has
 *   the CPU manager (`kubevirt.io/cpumanager=true`)
 * @CCLM_FIT_REASON_KIND_HUGEPAGES: not enough free hugepages of the VM's page size
 * @CCLM_FIT_REASON_KIND_PODS: nodes are at their pod limit
 * @CCLM_FIT_REASON_KIND_EXTENDED_RESOURCE: a device or other extended resource (GPU, SR-IOV
 *   VF, `devices.kubevirt.io/kvm`, ephemeral storage) is short
 * @CCLM_FIT_REASON_KIND_TAINT: nodes have a taint the VM does not tolerate
 * @CCLM_FIT_REASON_KIND_CORDONED: nodes are cordoned (`spec.unschedulable`)
 * @CCLM_FIT_REASON_KIND_NOT_READY: nodes carry the not-ready or unreachable taint
 * @CCLM_FIT_REASON_KIND_KUBEVIRT_SCHEDULABLE: nodes lack `kubevirt.io/schedulable=true`
 * @CCLM_FIT_REASON_KIND_NODE_SELECTOR: nodes do not match the VM's or KubeVirt's nodeSelector
 * @CCLM_FIT_REASON_KIND_NODE_AFFINITY: nodes do not match the required node affinity
 * @CCLM_FIT_REASON_KIND_CPU_MODEL: nodes lack the CPU model (or vendor) label the VM needs
 * @CCLM_FIT_REASON_KIND_CPU_FEATURE: nodes lack a CPU feature label the VM needs
 * @CCLM_FIT_REASON_KIND_QUOTA: a ResourceQuota of the namespace would be exceeded
 * @CCLM_FIT_REASON_KIND_STORAGE: not enough storage capacity, or capacity that is not
 *   published (a warning)
 * @CCLM_FIT_REASON_KIND_STORAGE_CLASS: the StorageClass a disk needs does not exist
 * @CCLM_FIT_REASON_KIND_NAMESPACE: the target namespace does not exist yet (a warning: the VM
 *   is judged as if it were created)
 *
 * Why a VM does not fit a cluster, or what a warning is about. The JSON form is the value's
 * nick (`memory`, `dedicated-cpu`, ...).
 *
 * Since: 0.1
 */
typedef enum {
	CCLM_FIT_REASON_KIND_MEMORY,
	CCLM_FIT_REASON_KIND_CPU,
	CCLM_FIT_REASON_KIND_DEDICATED_CPU,
	CCLM_FIT_REASON_KIND_HUGEPAGES,
	CCLM_FIT_REASON_KIND_PODS,
	CCLM_FIT_REASON_KIND_EXTENDED_RESOURCE,
	CCLM_FIT_REASON_KIND_TAINT,
	CCLM_FIT_REASON_KIND_CORDONED,
	CCLM_FIT_REASON_KIND_NOT_READY,
	CCLM_FIT_REASON_KIND_KUBEVIRT_SCHEDULABLE,
	CCLM_FIT_REASON_KIND_NODE_SELECTOR,
	CCLM_FIT_REASON_KIND_NODE_AFFINITY,
	CCLM_FIT_REASON_KIND_CPU_MODEL,
	CCLM_FIT_REASON_KIND_CPU_FEATURE,
	CCLM_FIT_REASON_KIND_QUOTA,
	CCLM_FIT_REASON_KIND_STORAGE,
	CCLM_FIT_REASON_KIND_STORAGE_CLASS,
	CCLM_FIT_REASON_KIND_NAMESPACE,
} CclmFitReasonKind;

#define CCLM_TYPE_FIT_REASON (cclm_fit_reason_get_type())
CCLM_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(CclmFitReason, cclm_fit_reason, CCLM, FIT_REASON, GObject)

CCLM_AVAILABLE_IN_0_1
CclmFitReasonKind
cclm_fit_reason_get_kind(CclmFitReason *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_fit_reason_get_message(CclmFitReason *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_fit_reason_get_resource(CclmFitReason *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_fit_reason_get_needed(CclmFitReason *self);
CCLM_AVAILABLE_IN_0_1
gint64
cclm_fit_reason_get_available(CclmFitReason *self);
CCLM_AVAILABLE_IN_0_1
const gchar *
cclm_fit_reason_get_node(CclmFitReason *self);
CCLM_AVAILABLE_IN_0_1
JsonNode *
cclm_fit_reason_to_json(CclmFitReason *self);

G_END_DECLS
