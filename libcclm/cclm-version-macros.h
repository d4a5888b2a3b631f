/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

/* Encodes a major.minor pair so that versions compare as integers. */
#define CCLM_ENCODE_VERSION(major, minor) ((major) << 16 | (minor) << 8)

#define CCLM_VERSION_0_1 (CCLM_ENCODE_VERSION(0, 1))

/* The newest API the caller may use; define it before including <cclm.h> to be warned about
 * anything newer, the way GLIB_VERSION_MAX_ALLOWED works. */
#ifndef CCLM_VERSION_MAX_ALLOWED
#define CCLM_VERSION_MAX_ALLOWED CCLM_VERSION_0_1
#endif

#if defined(CCLM_COMPILATION) && defined(__GNUC__)
#define _CCLM_EXTERN __attribute__((visibility("default"))) extern
#else
#define _CCLM_EXTERN extern
#endif

#define CCLM_AVAILABLE_IN_ALL _CCLM_EXTERN

#if CCLM_VERSION_MAX_ALLOWED < CCLM_VERSION_0_1
#define CCLM_AVAILABLE_IN_0_1 G_UNAVAILABLE(0, 1) _CCLM_EXTERN
#else
#define CCLM_AVAILABLE_IN_0_1 _CCLM_EXTERN
#endif
