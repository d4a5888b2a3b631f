/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `cclm-sim generate ...`: argv[0] is "cclm-sim", argv[1] "generate". Returns the exit status. */
int
sim_generate_main(int argc, char **argv);

G_END_DECLS
