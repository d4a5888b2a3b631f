/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "cclm-fleet.h"

G_BEGIN_DECLS

gboolean
cclm_fleet_is_loading(CclmFleet *self);

G_END_DECLS
