/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __CCLM_H_INSIDE__

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cclm-version-macros.h"
#include "cclm-version.h"
#include "cclm-enum-types.h"
#include "cclm-error.h"
/* one line per public class header, kept sorted */
#include "cclm-candidate.h"
#include "cclm-capacity.h"
#include "cclm-cluster.h"
#include "cclm-cluster-inventory.h"
#include "cclm-fit-reason.h"
#include "cclm-fit-verdict.h"
#include "cclm-fleet.h"
#include "cclm-inventory.h"
#include "cclm-kubeconfig.h"
#include "cclm-source-release.h"
#include "cclm-stuntime-probe.h"
#include "cclm-stuntime-report.h"
#include "cclm-stuntime-responder.h"
#include "cclm-watch.h"

#undef __CCLM_H_INSIDE__
