/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "sim-faults.h"
#include "sim-server.h"
#include "sim-store-private.h"
#include <libsoup/soup.h>

G_BEGIN_DECLS

struct _SimServer {
	SimCluster *cluster;
	SimAuth *auth;
	GTlsCertificate *cert;
	SoupServer *soup;
	guint port;
	SimFaults faults;
	GList *watches; /* SimWatch */
	GList *delayed; /* SimDelayed: requests a latency fault holds */
	guint restart_id;
};

/* One API request, resolved. */
typedef struct {
	SimServer *server;
	SoupServerMessage *msg;
	const char *method;
	GHashTable *query;
	const SimUser *user;
	const SimResource *res;
	char *ns;   /* NULL: cluster-scoped or all namespaces */
	char *name; /* NULL: the collection */
	char *sub;  /* "status" or NULL */
	const char *verb;
} SimRequest;

/* Replies */
void
sim_reply_bytes(SoupServerMessage *msg, guint status, const char *content_type, GBytes *body);
void
sim_reply_json(SoupServerMessage *msg, guint status, JsonNode *node);
void
sim_reply_object(SoupServerMessage *msg, guint status, JsonObject *obj);
/* A Status body; `details` (nullable) is consumed */
void
sim_reply_status(SoupServerMessage *msg,
		 guint code,
		 const char *reason,
		 const char *message,
		 JsonObject *details);
/* A SIM_ERROR as a Status naming the request's object */
void
sim_reply_error(SimRequest *req, const GError *error);
JsonObject *
sim_request_details(SimRequest *req);
const char *
sim_request_query(SimRequest *req, const char *key);
/* a query flag as the API server reads it: anything but "", "0" and "false" */
gboolean
sim_query_true(const char *value);

/* "can I?" reviews: created, answered from the token's rights, never stored */
gboolean
sim_resource_is_review(const SimResource *res);

/* sim-api.c */
void
sim_api_handle(SimRequest *req);
/* Ends the open watches, with an ERROR 410 event when `expire` */
void
sim_api_end_watches(SimServer *server, gboolean expire);

G_END_DECLS
