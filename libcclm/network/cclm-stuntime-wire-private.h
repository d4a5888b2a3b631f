/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>

#include <glib.h>

/* A probe's payload, echoed verbatim by the target (ICMP echo, the UDP responder): a magic, a
 * token per run (so a raw ICMP socket ignores other programs' replies), the sequence number and
 * the send time, so that late, reordered and duplicated replies are matched to their probe. */
#define CCLM_STUNTIME_MAGIC 0x434c4d53u /* "CLMS" */
#define CCLM_STUNTIME_PAYLOAD_SIZE 24

typedef struct {
	guint32 token;
	guint64 seq;
	gint64 sent;
} CclmStuntimePayload;

static inline void
cclm_stuntime_payload_write(const CclmStuntimePayload *payload, guint8 *buf)
{
	guint32 magic = GUINT32_TO_BE(CCLM_STUNTIME_MAGIC);
	guint32 token = GUINT32_TO_BE(payload->token);
	guint64 seq = GUINT64_TO_BE(payload->seq);
	guint64 sent = GUINT64_TO_BE((guint64)payload->sent);

	memcpy(buf, &magic, 4);
	memcpy(buf + 4, &token, 4);
	memcpy(buf + 8, &seq, 8);
	memcpy(buf + 16, &sent, 8);
}

static inline gboolean
cclm_stuntime_payload_is_probe(const guint8 *buf, gsize len)
{
	guint32 magic;

	if (len < CCLM_STUNTIME_PAYLOAD_SIZE)
		return FALSE;
	memcpy(&magic, buf, 4);
	return GUINT32_FROM_BE(magic) == CCLM_STUNTIME_MAGIC;
}

static inline gboolean
cclm_stuntime_payload_read(const guint8 *buf, gsize len, CclmStuntimePayload *payload)
{
	guint32 token;
	guint64 seq, sent;

	if (!cclm_stuntime_payload_is_probe(buf, len))
		return FALSE;
	memcpy(&token, buf + 4, 4);
	memcpy(&seq, buf + 8, 8);
	memcpy(&sent, buf + 16, 8);
	payload->token = GUINT32_FROM_BE(token);
	payload->seq = GUINT64_FROM_BE(seq);
	payload->sent = (gint64)GUINT64_FROM_BE(sent);
	return TRUE;
}
