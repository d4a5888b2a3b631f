/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built when the controllers and the fleet generator (sim-ctl) are not: the fleet is served as
 * stored, with no behaviour.
 */
#include "config.h"

#include <stdio.h>

#include "sim-generate.h"
#include "sim-store.h"

void
sim_controllers_register(SimCluster *cluster)
{
}

int
sim_generate_main(int argc, char **argv)
{
	fprintf(stderr, "cclm-sim: generate: not part of this build\n");
	return 2;
}
