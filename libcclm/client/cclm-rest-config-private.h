/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* The contract between the kubeconfig loader (which fills it) and the REST client (which
 * connects with it): everything needed to reach and authenticate to one API server. */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A credential an exec plugin printed: a bearer token, or a client certificate with its key. */
typedef struct {
	gchar *token;			     /* nullable */
	GTlsCertificate *client_certificate; /* nullable */
	GDateTime *expiry;		     /* nullable: valid until the plugin is run again */
} CclmCredential;

void
cclm_credential_free(CclmCredential *credential);
/* A client certificate with its private key from two PEM texts (kubeconfig and ExecCredential
 * keep them apart); fails when either is missing. The joined copy of the key is scrubbed. */
GTlsCertificate *
cclm_credential_certificate_new(const gchar *cert_pem,
				gsize cert_len,
				const gchar *key_pem,
				gsize key_len,
				GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CclmCredential, cclm_credential_free)

/* Runs a kubeconfig `exec` credential plugin (client.authentication.k8s.io v1 or v1beta1) and
 * caches what it prints until its expirationTimestamp. */
#define CCLM_TYPE_CREDENTIAL_PLUGIN (cclm_credential_plugin_get_type())
G_DECLARE_FINAL_TYPE(CclmCredentialPlugin,
		     cclm_credential_plugin,
		     CCLM,
		     CREDENTIAL_PLUGIN,
		     GObject)

/* The cached credential while it is valid, else runs the plugin; concurrent callers share one
 * run. The result is a copy the caller frees. */
void
cclm_credential_plugin_get_async(CclmCredentialPlugin *self,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
CclmCredential *
cclm_credential_plugin_get_finish(CclmCredentialPlugin *self, GAsyncResult *res, GError **error);
/* Forgets the cached credential, after the server answered 401 to it. */
void
cclm_credential_plugin_invalidate(CclmCredentialPlugin *self);
/* @exec: a kubeconfig user's `exec` object (a relative command already resolved);
 * @cluster (nullable): the `spec.cluster` object KUBERNETES_EXEC_INFO carries when the plugin
 * sets provideClusterInfo; @what: names the user in messages, e.g.
 * `kubeconfig "/x/config": context "east": user "alice"`. Checks the object as client-go does;
 * errors are CCLM_ERROR_KUBECONFIG. Use it from one thread. */
CclmCredentialPlugin *
cclm_credential_plugin_new(JsonObject *exec,
			   JsonObject *cluster,
			   const gchar *what,
			   GError **error);
/* How long one run may take before it is killed and reported as failed (default 120 s). */
void
cclm_credential_plugin_set_timeout(CclmCredentialPlugin *self, guint timeout_ms);

typedef struct {
	gchar *server;		      /* "https://host:port" plus an optional path prefix */
	GBytes *ca_pem;		      /* nullable: trust only these CAs (PEM), else the system's */
	gchar *tls_server_name;	      /* nullable: name to verify the server certificate against */
	gboolean insecure_skip_verify; /* accept any server certificate */
	gchar *token;		      /* nullable: static bearer token */
	gchar *token_file;	      /* nullable: bearer token file, re-read when it changes */
	GTlsCertificate *client_certificate; /* nullable: certificate with its private key */
	CclmCredentialPlugin *exec;	     /* nullable: exec credential plugin */
	gchar *namespace;		     /* nullable: the context's default namespace */
} CclmRestConfig;

CclmRestConfig *
cclm_rest_config_new(void);
CclmRestConfig *
cclm_rest_config_copy(const CclmRestConfig *config);
void
cclm_rest_config_free(CclmRestConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CclmRestConfig, cclm_rest_config_free)

G_END_DECLS
